import { launchBrowser, newPage, requireDist, startServer, waitForReady } from '../e2e/support.mjs';
requireDist();
const server = await startServer();
const browser = await launchBrowser();
const N = Number(process.env.N || 21);
try {
  const page = await newPage(browser.context);
  await page.goto(server.url('v=1'));
  await waitForReady(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const out = await page.evaluate(async (N) => {
    const ready = () => new Promise((resolve) => {
      if (document.body.dataset.status === 'ready') { resolve(); return; }
      const watch = new MutationObserver(() => {
        if (document.body.dataset.status === 'ready') { watch.disconnect(); resolve(); }
      });
      watch.observe(document.body, { attributes: true, attributeFilter: ['data-status'] });
    });
    const out = [];
    for (let i = 0; i < N; i++) {
      await window.hedgeExplorer.set(`v=1&vol=${i % 2 ? 0.21 : 0.2}`);
      await ready();
      const m = performance.getEntriesByName('hedge-explorer:refresh');
      if (i > 0) out.push(m[m.length - 1].duration);
    }
    return out;
  }, N);
  const { profile } = await cdp.send('Profiler.stop');
  out.sort((a, b) => a - b);
  console.log('refresh median', out[Math.floor(out.length / 2)].toFixed(1), 'min', out[0].toFixed(1), 'max', out[out.length - 1].toFixed(1));
  // self time by function, and inclusive time by function
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const self = new Map(); const incl = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const d = (dt[i + 1] ?? 0) / 1000;
    let id = profile.samples[i];
    const n = byId.get(id);
    const name = (x) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}:${x.callFrame.lineNumber}`;
    self.set(name(n), (self.get(name(n)) || 0) + d);
    const seen = new Set();
    while (id !== undefined) { const m = byId.get(id); const k = name(m); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) || 0) + d); } id = parent.get(id); }
  }
  const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(t / (N - 1)).toFixed(2).padStart(7)} ms  ${n}`).join('\n');
  console.log('--- self per refresh'); console.log(top(self, 25));
  console.log('--- inclusive per refresh'); console.log(top(incl, 45));
} finally { await browser.close(); await server.close(); }
