// Prints the benchmark table from the files bench/run.sh wrote.
// Usage: node bench/report.mjs target/bench
import fs from 'node:fs';
import path from 'node:path';
import { PATH_STEPS } from './workload.mjs';

const dir = process.argv[2] || 'target/bench';
const json = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8').trim().split('\n').pop());

// criterion's bencher format: "test hull-mc/... ... bench:  52,345,678 ns/iter (+/- 1,234)"
const criterion = fs.readFileSync(path.join(dir, 'criterion.txt'), 'utf8');
const line = criterion.split('\n').find((l) => l.includes('hull-mc') && l.includes('ns/iter'));
if (!line) throw new Error('no hull-mc line in the criterion output');
const nativeMedianSeconds = Number(line.match(/bench:\s*([\d,]+) ns\/iter/)[1].replace(/,/g, '')) / 1e9;
// The best sample (time per iteration) from criterion's own record, so that every
// engine is reported by its best run; the median is printed beside it.
const sample = JSON.parse(fs.readFileSync(path.join('target', 'criterion', 'hull-mc', '10000 paths x 252 steps', 'new', 'sample.json'), 'utf8'));
const nativeSeconds = Math.min(...sample.iters.map((n, i) => sample.times[i] / n)) / 1e9;
const native = PATH_STEPS / nativeSeconds;

const numpyRuns = [json('numpy.json'), json('numpy2.json')];
const numpy = Math.max(...numpyRuns.map((r) => r.path_steps_per_second));
const wasm = Math.max(...[json('wasm.json'), json('wasm2.json')].map((r) => r.path_steps_per_second));
const wasmChromium = json('wasm_chromium.json').path_steps_per_second;
const browser = json('browser.json');

const m = (x) => `${(x / 1e6).toFixed(1)} M`;
const rows = [
  ['native, 1 thread (criterion: best sample; median)', m(native), `${(nativeSeconds * 1000).toFixed(1)} ms; ${(nativeMedianSeconds * 1000).toFixed(1)} ms`],
  ['wasm, 1 thread (Node, best of 2×9)', m(wasm), `${(PATH_STEPS / wasm * 1000).toFixed(1)} ms`],
  ['wasm, 1 thread (Chromium main thread)', m(wasmChromium), `${(PATH_STEPS / wasmChromium * 1000).toFixed(1)} ms`],
  ['numpy + scipy, vectorised (best of 2×5)', m(numpy), `${(PATH_STEPS / numpy * 1000).toFixed(1)} ms`],
  [`browser, ${browser.workers} Web Workers (Chromium)`, m(browser.path_steps_per_second), `${browser.hull_mc_ms.toFixed(1)} ms`],
];
console.log('\nhull-mc: 10,000 paths × 252 steps (path-steps per second, time per run)\n');
console.log('| engine | path-steps/s | time |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\n| ratio | value | target |\n|---|---|---|`);
console.log(`| wasm / numpy | ${(wasm / numpy).toFixed(2)}× | ≥ 5× (round 1: ≥ 3×) |`);
console.log(`| wasm / native | ${(wasm / native).toFixed(2)}× | ≥ 0.9× |`);
console.log(`| wasm in Chromium / numpy, / native | ${(wasmChromium / numpy).toFixed(2)}×, ${(wasmChromium / native).toFixed(2)}× | (for reference) |`);
// Lane widths natively: the same hull-mc run in one chunk at 1, 2 and 4 lanes.
const widthLines = criterion.split('\n').filter((l) => l.includes('lane-width/') && l.includes('ns/iter'));
if (widthLines.length) {
  const ms = (l) => Number(l.match(/bench:\s*([\d,]+) ns\/iter/)[1].replace(/,/g, '')) / 1e6;
  const two = ms(widthLines.find((l) => l.includes('/2 lane')) ?? widthLines[0]);
  console.log('\n| lane width, native, 1 thread (criterion median) | path-steps/s | time | × two lanes |\n|---|---|---|---|');
  for (const l of widthLines) {
    const name = l.match(/lane-width\/(\d) lane/)[1];
    console.log(`| ${name} | ${m(PATH_STEPS / (ms(l) / 1000))} | ${ms(l).toFixed(1)} ms | ${(two / ms(l)).toFixed(2)}× |`);
  }
}
console.log(`\n| in the browser | value | target |\n|---|---|---|`);
console.log(`| hull-mc wall time on workers (best / median) | ${browser.hull_mc_ms.toFixed(1)} / ${browser.hull_mc_ms_median.toFixed(1)} ms | ≤ 50 ms |`);
console.log(`| vol moved → every chart redrawn, default scenario (median / max of 20) | ${browser.whole_refresh_ms_median.toFixed(1)} / ${browser.whole_refresh_ms_max.toFixed(1)} ms | ≤ 33 ms median |`);
console.log(`| slider → one-path charts redrawn (median / max of 20) | ${browser.slider_path_redraw_ms_median.toFixed(1)} / ${browser.slider_path_redraw_ms_max.toFixed(1)} ms | ≤ 16 ms worst |`);
console.log(`| longest main-thread task while 100,000 × 252 compute | ${browser.longest_main_thread_task_ms.toFixed(0)} ms (${browser.long_tasks_over_50ms} over 50 ms) | ≤ 50 ms |`);
console.log(`| slider handled during that run | ${browser.slider_during_100k_run_ms.toFixed(1)} ms | |`);
console.log(`| 100,000 × 252 run (main part) | ${browser.run_100k_ms.toFixed(0)} ms | |`);
console.log(`| load → first chart (best / median of 5) | ${browser.load_to_first_chart_ms.toFixed(0)} / ${browser.load_to_first_chart_ms_median.toFixed(0)} ms | ≤ 500 ms |`);
console.log(`| transfer size, gzip (${browser.transfer_files.length} files) | ${(browser.transfer_bytes_gzip / 1024).toFixed(1)} KiB | ≤ 250 KB |`);

// Criterion's time (ms) for benchmark `name` of `group` (NaN if it did not run).
const criterionMs = (group, name) => {
  const l = criterion.split('\n').find((x) => x.includes(`${group}/${name} `) && x.includes('ns/iter'));
  return l ? Number(l.match(/bench:\s*([\d,]+) ns\/iter/)[1].replace(/,/g, '')) / 1e6 : NaN;
};

// Books: criterion's median per book natively (one thread), the page's best on its workers.
const nativeBook = (name) => criterionMs('books', name);
console.log('\nBooks, 10,000 paths × 252 steps (summary of the own strategy)\n');
console.log('| book | native, 1 thread | × one leg | browser, workers | target |\n|---|---|---|---|---|');
const oneLeg = nativeBook('one leg');
for (const name of Object.keys(browser.books_ms ?? {})) {
  const ms = nativeBook(name);
  const target = name.includes('gamma') ? '≤ 120 ms on 2 workers; ≤ 3× one leg per leg natively' : (name === 'one leg' ? '' : '≤ 3× one leg per leg natively');
  console.log(`| ${name} | ${ms.toFixed(1)} ms | ${(ms / oneLeg).toFixed(2)}× | ${browser.books_ms[name].toFixed(1)} ms | ${target} |`);
}

// Path models: criterion's median per model natively (one thread), against GBM.
const MODELS = ['gbm', 'merton', 'heston', 'bates'];
if (criterion.includes('models/')) {
  const nativeModel = (name) => criterionMs('models', name);
  console.log('\nPath models, 10,000 paths × 252 steps (the default short call, Black–Scholes delta every day)\n');
  console.log('| model | native, 1 thread | × GBM | target |\n|---|---|---|---|');
  const gbm = nativeModel('gbm');
  for (const name of MODELS) {
    const ms = nativeModel(name);
    const target = name === 'heston' ? '≤ 2× GBM' : '';
    console.log(`| ${name} | ${ms.toFixed(1)} ms | ${(ms / gbm).toFixed(2)}× | ${target} |`);
  }
}

// Scaling: time against the run's size, natively (1 thread, every core) and on
// the page's workers; threads 1 … N on hull-mc; the page's memory.
if (fs.existsSync(path.join(dir, 'scaling.json'))) {
  const scaling = json('scaling.json');
  const ns = (ms, steps) => `${((ms * 1e6) / steps).toFixed(1)}`;
  console.log(`\nScaling: the hull-mc scenario, CLI \`summary\` (wall clock, best of 3) and the page's \`summary\` on ${scaling.browser_workers} workers\n`);
  console.log(`| paths × steps | path-steps | native, 1 thread | ns per path-step | native, ${scaling.cores} threads | browser, ${scaling.browser_workers} workers |\n|---|---|---|---|---|---|`);
  for (const r of scaling.rows) {
    console.log(`| ${r.paths.toLocaleString('en-US')} × ${r.steps.toLocaleString('en-US')} | ${(r.path_steps / 1e6).toFixed(2)} M | ${r.native_1_thread_ms.toFixed(1)} ms | ${ns(r.native_1_thread_ms, r.path_steps)} | ${r.native_all_cores_ms.toFixed(1)} ms | ${r.browser_ms.toFixed(1)} ms |`);
  }
  console.log('\n| threads (CLI, 10,000 × 252) | time | speed-up |\n|---|---|---|');
  for (const t of scaling.threads) {
    console.log(`| ${t.threads} | ${t.ms.toFixed(1)} ms | ${(scaling.threads[0].ms / t.ms).toFixed(2)}× |`);
  }
  const mb = (b) => (b == null ? '–' : `${(b / 2 ** 20).toFixed(1)} MiB`);
  console.log(`\nThe page's memory after a garbage collection: with the default 2,000 × 63 run ${mb(scaling.memory_before.wasm)} wasm, ${mb(scaling.memory_before.jsHeap)} JS heap; with a 100,000 × 252 run ${mb(scaling.memory_100k.wasm)} wasm, ${mb(scaling.memory_100k.jsHeap)} JS heap.`);
}
