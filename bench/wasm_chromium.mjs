// The engine as shipped in the page, run single-threaded on the main thread of
// headless Chromium on the hull-mc workload (the same measurement as
// bench/wasm_node.mjs, in the browser's own engine). Prints one JSON line.
//
// Usage: node bench/wasm_chromium.mjs [repeats]
import fs from 'node:fs';
import { DIST, launchBrowser, newPage, requireDist, startServer } from '../e2e/support.mjs';
import { HULL_MC, PATH_STEPS } from './workload.mjs';

requireDist();
const repeats = Number(process.argv[2] || 9);
const glue = fs.readdirSync(DIST).find((f) => /^hedge-explorer.*\.js$/.test(f));
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await newPage(browser.context);
  await page.goto(server.url('v=1'));
  const result = await page.evaluate(async ({ glue, query, repeats }) => {
    const bindings = await import(new URL(glue, document.baseURI).href);
    await bindings.default();
    // Warm up for a second so V8 has tiered the module up.
    const warmUntil = performance.now() + 1000;
    while (performance.now() < warmUntil) bindings.summary(query);
    let best = Infinity;
    let summary = '';
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      summary = bindings.summary(query);
      best = Math.min(best, performance.now() - t0);
    }
    return { best, summary };
  }, { glue, query: HULL_MC, repeats });
  const parsed = JSON.parse(result.summary);
  console.log(JSON.stringify({
    name: 'wasm (chromium)',
    seconds: result.best / 1000,
    path_steps: PATH_STEPS,
    path_steps_per_second: PATH_STEPS / (result.best / 1000),
    mean_pnl: parsed.pnl.mean,
    sd_pnl: parsed.pnl.sd,
  }));
} finally {
  await browser.close();
  server.close();
}
