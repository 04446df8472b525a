// A Web Worker of the hedge-explorer page: it holds its own instance of the wasm
// module and computes chunks of a run's paths (`WorkerEngine`, web/mod.rs).
//
// Messages in:  {type: 'init', module: WebAssembly.Module, glue?: URL of the
//                wasm-bindgen glue}
//               {type: 'run', job, query, part, start, end}
//               {type: 'panic-for-tests' | 'crash-for-tests'} (the e2e tests only)
// Messages out: {type: 'ready'}
//               {type: 'done', job, part, start, data: Float64Array, ms}
//               {type: 'error', job, message, panic?: the engine's panic message}
//
// Served, it is a module worker and imports the glue from the URL it is given.
// In the single file (scripts/single-file.mjs) it runs as a classic worker from
// a Blob, after the inlined glue, which leaves `self.hedgeExplorerGlue` behind.
// So this file has no static import or export: it must also run as a classic script.

/** Engines kept per (part, query): a run's chunks reuse one. */
const engines = new Map();
const MAX_ENGINES = 4;
let glue = null;
let panicMessage = '';

async function init(message) {
  glue = message.glue ? await import(message.glue) : self.hedgeExplorerGlue;
  glue.initSync({ module: message.module });
  glue.on_panic((text) => { panicMessage = text; });
}

function run(m) {
  const key = `${m.part}|${m.query}`;
  let engine = engines.get(key);
  if (!engine) {
    if (engines.size >= MAX_ENGINES) {
      for (const e of engines.values()) e.free();
      engines.clear();
    }
    engine = new glue.WorkerEngine(m.query, m.part);
    engines.set(key, engine);
  }
  const t0 = performance.now();
  const data = engine.run(m.start, m.end);
  self.postMessage({ type: 'done', job: m.job, part: m.part, start: m.start, data, ms: performance.now() - t0 }, [data.buffer]);
}

self.onmessage = async (event) => {
  const m = event.data;
  try {
    if (m.type === 'init') {
      await init(m);
      self.postMessage({ type: 'ready' });
    } else if (panicMessage) {
      throw new Error('the engine of this worker has panicked');
    } else if (m.type === 'panic-for-tests') {
      glue.panic_for_tests('forced in a worker for the e2e test');
    } else if (m.type === 'crash-for-tests') {
      setTimeout(() => { throw new Error('worker crash forced for the e2e test'); });
    } else {
      run(m);
    }
  } catch (error) {
    const message = String((error && error.message) || error);
    self.postMessage({ type: 'error', job: m.job, message, ...(panicMessage ? { panic: panicMessage } : {}) });
  }
};
