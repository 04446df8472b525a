// How the cost grows with the run's size, and how the CLI scales over cores.
// Prints one JSON line (bench/report.mjs turns it into tables).
//
// - native: the release CLI's `summary` (parse, run, statistics) on the hull-mc
//   scenario with paths 1k → 100k (252 steps) and steps 21 → 2,520 (10k paths),
//   on 1 thread and on every core (RAYON_NUM_THREADS), best of 3 wall-clock
//   runs each; the bytes must be the same on any number of threads;
// - browser: `hedgeExplorer.summary` on the page's Web Workers for the same
//   sizes (best of 3), and the memory the page holds after it has applied a
//   100,000 × 252 run (`hedgeExplorer.memory()`: wasm linear memory and JS heap).
//
// Usage: node bench/scaling.mjs path/to/hedge-explorer-cli
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { launchBrowser, newPage, requireDist, startServer, waitForReady } from '../e2e/support.mjs';
import { HULL_MC } from './workload.mjs';

const cli = process.argv[2] || 'target/release/hedge-explorer';
const base = HULL_MC.replace(/&steps=\d+/, '').replace(/&paths=\d+/, '');
const sizes = [
  [1000, 252], [10000, 252], [100000, 252],
  [10000, 21], [10000, 2520],
];
const link = ([paths, steps]) => `${base}&paths=${paths}&steps=${steps}`;
const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;

/** Best wall-clock time (ms) of `runs` CLI runs of `summary` on `threads` threads, and its output. */
function timeCli(query, threads, runs = 3) {
  let best = Infinity;
  let output = '';
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    output = execFileSync(cli, ['summary', query], { env: { ...process.env, RAYON_NUM_THREADS: String(threads) } }).toString();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: best, output };
}

const result = { name: 'scaling', cores, rows: [] };
for (const size of sizes) {
  const query = link(size);
  const one = timeCli(query, 1);
  const all = timeCli(query, cores);
  if (one.output !== all.output) throw new Error(`${query}: different bytes on 1 and ${cores} threads`);
  result.rows.push({ paths: size[0], steps: size[1], path_steps: size[0] * size[1], native_1_thread_ms: one.ms, native_all_cores_ms: all.ms });
}
// Threads 1 … cores on hull-mc (10,000 × 252).
result.threads = [];
for (let threads = 1; threads <= cores; threads++) {
  result.threads.push({ threads, ms: timeCli(link([10000, 252]), threads).ms });
}

requireDist();
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await newPage(browser.context);
  await page.goto(server.url('v=1'));
  await waitForReady(page);
  for (const row of result.rows) {
    row.browser_ms = await page.evaluate(async (q) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await window.hedgeExplorer.summary(q);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    }, link([row.paths, row.steps]));
  }
  result.browser_workers = await page.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');
  // The memory of a 100,000 × 252 run applied to the page (its outcomes stay
  // for the histogram's clicks) against the default scenario's (2,000 × 63),
  // each after a garbage collection.
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => window.hedgeExplorer.set('v=1'));
  await waitForReady(page);
  await cdp.send('HeapProfiler.collectGarbage');
  result.memory_before = await page.evaluate(() => window.hedgeExplorer.memory());
  await page.evaluate(() => window.hedgeExplorer.set('v=1&paths=100000&steps=252'));
  await waitForReady(page, 300_000);
  await cdp.send('HeapProfiler.collectGarbage');
  result.memory_100k = await page.evaluate(() => window.hedgeExplorer.memory());
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(result));
