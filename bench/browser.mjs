// In-browser timings of the built page (dist/) in headless Chromium, via the
// Performance API. Prints one JSON line. Uses the e2e tests' server and browser
// helpers (127.0.0.1 only).
//
// - hull-mc through `hedgeExplorer.summary` (Web Workers), best of several runs;
// - load to first drawn chart (`hedge-explorer:first-chart` mark);
// - a move of the vol through `hedgeExplorer.set` to every chart redrawn
//   (`hedge-explorer:refresh`), median and worst of 20;
// - a slider move to redrawn one-path charts (`hedge-explorer:path-redraw`),
//   median and worst of 20;
// - the longest main-thread task while 100,000 paths × 252 steps compute
//   (PerformanceObserver 'longtask'), and the input delay of a slider moved then;
// - the transfer size of the page (HTML with inline CSS and JS, glue JS, wasm), gzip.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, launchBrowser, newPage, requireDist, startServer, waitForReady } from '../e2e/support.mjs';
import { BOOKS, HULL_MC, PATH_STEPS } from './workload.mjs';

requireDist();
const server = await startServer();
const browser = await launchBrowser();
const result = { name: 'browser (Chromium)' };
try {
  // Load to first chart, over a few fresh loads.
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const page = await newPage(browser.context);
    await page.goto(server.url('v=1'));
    await waitForReady(page);
    loads.push(await page.evaluate(() => performance.getEntriesByName('hedge-explorer:first-chart')[0].startTime));
    await page.close();
  }
  result.load_to_first_chart_ms = Math.min(...loads);
  result.load_to_first_chart_ms_median = loads.sort((a, b) => a - b)[2];

  const page = await newPage(browser.context);
  await page.goto(server.url('v=1'));
  await waitForReady(page);
  result.workers = await page.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');

  // hull-mc through the JS API (on the workers).
  const times = await page.evaluate(async (q) => {
    const out = [];
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      await window.hedgeExplorer.summary(q);
      out.push(performance.now() - t0);
    }
    return out;
  }, HULL_MC);
  times.sort((a, b) => a - b);
  result.hull_mc_ms = times[0];
  result.hull_mc_ms_median = times[Math.floor(times.length / 2)];
  result.path_steps_per_second = PATH_STEPS / (times[0] / 1000);

  // Books: a summary of each on the workers, best of 5.
  result.books_ms = {};
  for (const [name, q] of Object.entries(BOOKS)) {
    result.books_ms[name] = await page.evaluate(async (query) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await window.hedgeExplorer.summary(query);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    }, q);
  }

  // The whole refresh after a move of the vol (through the public API, on the
  // default scenario): summary, comparison, frontier and one-path charts all
  // redrawn from the new scenario ('hedge-explorer:refresh', apply → frontier drawn).
  const refreshes = await page.evaluate(async () => {
    // Wait for the page to be ready without asking for frames (a rAF poll
    // would make the browser render frames of its own between the chunks).
    const ready = () => new Promise((resolve) => {
      if (document.body.dataset.status === 'ready') { resolve(); return; }
      const watch = new MutationObserver(() => {
        if (document.body.dataset.status === 'ready') { watch.disconnect(); resolve(); }
      });
      watch.observe(document.body, { attributes: true, attributeFilter: ['data-status'] });
    });
    const out = [];
    for (let i = 0; i < 21; i++) {
      await window.hedgeExplorer.set(`v=1&vol=${i % 2 ? 0.21 : 0.2}`);
      await ready();
      const m = performance.getEntriesByName('hedge-explorer:refresh');
      if (i > 0) out.push(m[m.length - 1].duration); // the first only loads the default
    }
    return out;
  });
  refreshes.sort((a, b) => a - b);
  result.whole_refresh_ms_median = (refreshes[9] + refreshes[10]) / 2;
  result.whole_refresh_ms_max = refreshes[refreshes.length - 1];

  // A slider move redraws the one-path charts (20 moves by keyboard).
  const redraws = [];
  for (let i = 0; i < 20; i++) {
    await page.focus('input[name=vol]');
    await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    await waitForReady(page);
    redraws.push(await page.evaluate(() => {
      const m = performance.getEntriesByName('hedge-explorer:path-redraw');
      return m[m.length - 1].duration;
    }));
  }
  redraws.sort((a, b) => a - b);
  result.slider_path_redraw_ms_median = (redraws[9] + redraws[10]) / 2;
  result.slider_path_redraw_ms_max = redraws[redraws.length - 1];

  // 100,000 paths: the main thread's longest task, and a slider moved meanwhile.
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  await page.evaluate(() => window.hedgeExplorer.set('v=1&paths=100000&steps=252'));
  await page.waitForTimeout(150);
  const t0 = Date.now();
  await page.focus('input[name=cost]');
  await page.keyboard.press('ArrowRight');
  const inputMs = await page.evaluate(() => {
    const m = performance.getEntriesByName('hedge-explorer:path-redraw');
    return m[m.length - 1].duration;
  });
  result.slider_during_100k_run_ms = inputMs;
  result.slider_key_roundtrip_during_100k_run_ms = Date.now() - t0;
  await waitForReady(page, 120_000);
  result.run_100k_ms = await page.evaluate(() => {
    const m = performance.getEntriesByName('hedge-explorer:monte-carlo');
    return m[m.length - 1].duration;
  });
  const longTasks = await page.evaluate(() => window.__longTasks);
  result.longest_main_thread_task_ms = longTasks.length ? Math.max(...longTasks) : 0;
  result.long_tasks_over_50ms = longTasks.filter((d) => d > 50).length;
  await page.close();
} finally {
  await browser.close();
  await server.close();
}

// Transfer size: what a browser downloads for the page, gzip -9.
// Every file the page loads: the HTML, its stylesheet, Trunk's loader, the
// page's modules and the glue JS and wasm (not the single-file build).
const files = fs.readdirSync(DIST).filter((f) => /\.(html|css|js|wasm)$/.test(f) && f !== 'hedge-explorer.html');
result.transfer_bytes_gzip = files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length, 0);
result.transfer_files = files;
console.log(JSON.stringify(result));
