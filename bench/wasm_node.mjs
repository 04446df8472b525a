// The engine as shipped in the page (dist/'s wasm and its wasm-bindgen glue), run
// single-threaded in Node on the hull-mc workload. Prints one JSON line.
//
// Usage: node bench/wasm_node.mjs [dist-dir] [repeats]
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HULL_MC, PATH_STEPS } from './workload.mjs';

const dist = process.argv[2] || 'dist';
const repeats = Number(process.argv[3] || 7);
const glue = fs.readdirSync(dist).find((f) => /^hedge-explorer.*\.js$/.test(f));
if (!glue) throw new Error(`no wasm-bindgen glue in ${dist}: build the page first (scripts/build-web.sh)`);
const wasmFile = glue.replace(/\.js$/, '_bg.wasm');
const bindings = await import(pathToFileURL(path.resolve(dist, glue)).href);
bindings.initSync({ module: fs.readFileSync(path.join(dist, wasmFile)) });

// Warm up for a second so V8 has tiered the module up from its baseline compiler.
const warmUntil = performance.now() + 1000;
while (performance.now() < warmUntil) bindings.summary(HULL_MC);

let best = Infinity;
let summary = '';
for (let i = 0; i < repeats; i++) {
  const t0 = performance.now();
  summary = bindings.summary(HULL_MC);
  best = Math.min(best, performance.now() - t0);
}
const parsed = JSON.parse(summary);
console.log(JSON.stringify({
  name: 'wasm (node)',
  seconds: best / 1000,
  path_steps: PATH_STEPS,
  path_steps_per_second: PATH_STEPS / (best / 1000),
  mean_pnl: parsed.pnl.mean,
  sd_pnl: parsed.pnl.sd,
  wasm_bytes: fs.statSync(path.join(dist, wasmFile)).size,
}));
