import { startServer, launchBrowser, openPage } from './support.mjs';
const server = await startServer();
const browser = await launchBrowser();
const page = await openPage(browser.context, server.url('v=1&paths=2000'));
const r = await page.evaluate(async () => {
  const slider = document.querySelector('#controls [name=vol]');
  const out = [];
  for (let i = 0; i < 10; i++) {
    slider.value = String(0.2 + i * 0.01);
    const t0 = performance.now();
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 300));
  }
  const e = window.wasmBindings;
  const q = window.hedgeExplorer.query();
  const t = (f) => { const t0 = performance.now(); for (let i = 0; i < 20; i++) f(); return (performance.now() - t0) / 20; };
  return { input: out.map((x) => x.toFixed(1)).join(' '), canonical: t(() => e.canonical_query(q)), plan: t(() => e.run_plan(q)) };
});
console.log(r);
await browser.close(); await server.close();
