// The Web Worker pool. The Monte Carlo runs in Web Workers (worker.js), one per
// core (capped), each holding its own instance of the same wasm module. A run is
// cut into chunks of path indices; any worker may take any chunk, and the
// engine's per-path random streams make the result independent of who computed
// what. The main thread only hands out chunks, stores the packed outcomes and
// draws. Which parts a run has, and their sizes, come from the engine's run plan.

const MAX_WORKERS = 8;
// Tasks handed to each worker ahead of time: a worker that finishes a chunk
// starts the next at once, without waiting for the main thread to answer.
const TASKS_IN_FLIGHT = 2;

/**
 * A pool with no workers yet (`startWorkers` fills it). `onPanic(message)` is
 * called when a worker's engine panics, `onFailure(error)` when a worker dies.
 */
export function createPool({ onPanic, onFailure }) {
  return {
    workers: [], inFlight: new Map(), queue: [], jobs: new Map(), nextJob: 1, onPanic, onFailure,
    assets: null, // what workers are made from, kept to replace one that fails
  };
}

/**
 * What a worker is made from: its script and the compiled wasm module. Served,
 * worker.js beside this file, importing the glue Trunk's page preloads. In the
 * single file, the classic worker source it inlines and the wasm bytes.
 */
async function workerAssets() {
  const inlined = document.getElementById('hedge-explorer-worker-source');
  if (inlined && window.__hedgeExplorerWasmBytes) {
    const module = await WebAssembly.compile(window.__hedgeExplorerWasmBytes);
    // file:// pages can start neither module workers nor workers from files.
    const url = URL.createObjectURL(new Blob([inlined.textContent], { type: 'text/javascript' }));
    return { url, type: 'classic', module, glue: undefined };
  }
  const glue = document.querySelector('link[rel="modulepreload"]');
  const wasm = document.querySelector('link[rel="preload"][as="fetch"]');
  if (!glue || !wasm) throw new Error('cannot find the wasm module to give to workers');
  const module = await WebAssembly.compileStreaming(fetch(wasm.href));
  return { url: new URL('./worker.js', import.meta.url), type: 'module', module, glue: glue.href };
}

/** One worker made from `assets`, resolved once its engine is ready. */
function spawnWorker({ url, type, module, glue }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { type });
    worker.onmessage = (e) => (e.data.type === 'ready' ? resolve(worker) : reject(new Error(e.data.message)));
    worker.onerror = (e) => reject(new Error(e.message || 'worker failed to start'));
    worker.postMessage({ type: 'init', module, glue });
  });
}

/** Route a ready worker's messages and failures to the pool. */
function adopt(pool, worker) {
  worker.onmessage = (e) => onWorkerMessage(pool, worker, e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    const error = new Error(`a Web Worker failed (${e.message || 'no message'}); it was replaced`);
    replaceWorker(pool, worker);
    failJobs(pool, error);
    pool.onFailure(error);
  };
}

/**
 * Start the workers; on any failure the pool stays empty and the page computes
 * on its main thread (the same numbers, only slower).
 */
export async function startWorkers(pool) {
  if (typeof Worker === 'undefined' || typeof WebAssembly === 'undefined') return;
  try {
    const assets = await workerAssets();
    const count = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS));
    const workers = await Promise.all(Array.from({ length: count }, () => spawnWorker(assets)));
    for (const worker of workers) adopt(pool, worker);
    pool.workers = workers;
    pool.assets = assets;
  } catch (error) {
    console.warn('hedge-explorer: Web Workers unavailable, computing on the main thread', error);
  }
}

/**
 * A worker whose engine panicked or whose script failed must not be used
 * again: it is stopped and a fresh one, with a new instance of the engine,
 * takes its place (its chunks in flight are lost: the caller fails their jobs).
 * Until the new one is ready the others carry the work.
 */
function replaceWorker(pool, worker) {
  worker.terminate();
  pool.workers = pool.workers.filter((w) => w !== worker);
  pool.inFlight.delete(worker);
  spawnWorker(pool.assets)
    .then((fresh) => {
      adopt(pool, fresh);
      pool.workers.push(fresh);
      dispatch(pool);
    })
    .catch((error) => console.warn('hedge-explorer: a Web Worker could not be replaced', error));
}

/**
 * The compiled wasm module and the URL of its glue (`glue` is undefined in the
 * single file, which inlines it): the workers' own when they started, else
 * found as they would be. For a fresh engine on the page after a panic.
 */
export const engineAssets = (pool) => pool.assets ?? workerAssets();

/** Test-only: make worker 0 fail — `panic` (its engine panics) or `crash` (its script throws). */
export function failWorkerForTests(pool, how) {
  const [worker] = pool.workers;
  if (!worker) throw new Error('no Web Worker to fail');
  worker.postMessage({ type: how === 'panic' ? 'panic-for-tests' : 'crash-for-tests' });
}

/**
 * Queue a job: `parts` are the run plan's `[{ part, paths, hedgers }]`; chunks
 * are whole multiples of `chunkMultiple` paths, handed out in the order
 * `spreadChunks(count)` gives (the engine's; see `chunkLayout`). Calls
 * `onChunk(part, start, data)` for each chunk, then `onDone()`, or `onError(error)`.
 * Returns the job's id (for `cancelJob`).
 */
export function submitJob(pool, { chunkMultiple, spreadChunks }, query, steps, parts, { onChunk, onDone = () => {}, onError }) {
  const id = pool.nextJob++;
  const workers = pool.workers.length;
  const job = { id, onChunk, onDone, onError, pending: 0 };
  for (const { part, paths, hedgers } of parts) {
    // About four chunks per worker for balance, and at most 1.2 M hedged
    // path-steps each (some tens of ms); but at least 200,000 (a few ms): below
    // that a chunk's round trip through the main thread (which also draws the
    // page) costs more than its work, and a small run (the default scenario's)
    // is best cut once per worker.
    const work = Math.max(1, steps * hedgers);
    const most = Math.max(16, Math.floor(1.2e6 / work));
    const least = Math.min(most, Math.ceil(2e5 / work));
    // Whole groups of the lane kernel run fastest.
    const balanced = Math.max(least, Math.ceil(paths / (workers * 4)));
    const size = Math.ceil(Math.max(16, Math.min(most, balanced)) / chunkMultiple) * chunkMultiple;
    // Spread over the run (0, ½, ¼, ¾ … of the way through: the engine's
    // spread_order), so that the chunks in first, a first estimate's sample,
    // span a back-test's whole history rather than its first years.
    for (const index of spreadChunks(Math.ceil(paths / size))) {
      const start = index * size;
      pool.queue.push({ type: 'run', job: id, query, part, start, end: Math.min(paths, start + size) });
      job.pending += 1;
    }
  }
  pool.jobs.set(id, job);
  dispatch(pool);
  return id;
}

/** How the engine wants a run cut: its lane group and its chunk order. */
export function chunkLayout(bindings) {
  return { chunkMultiple: bindings.chunk_multiple(), spreadChunks: (count) => Array.from(bindings.spread_chunks(count)) };
}

/** Forget a job: its queued chunks are dropped, chunks in flight ignored. */
export function cancelJob(pool, id) {
  pool.jobs.delete(id);
  pool.queue = pool.queue.filter((task) => task.job !== id);
}

function dispatch(pool) {
  for (let round = 0; round < TASKS_IN_FLIGHT; round++) {
    for (const worker of pool.workers) {
      if (pool.queue.length === 0) return;
      const busy = pool.inFlight.get(worker) || 0;
      if (busy <= round) {
        pool.inFlight.set(worker, busy + 1);
        worker.postMessage(pool.queue.shift());
      }
    }
  }
}

/** A worker died: every job fails (its chunks would never arrive). */
function failJobs(pool, error) {
  for (const job of [...pool.jobs.values()]) {
    cancelJob(pool, job.id);
    job.onError(error);
  }
}

function onWorkerMessage(pool, worker, message) {
  pool.inFlight.set(worker, Math.max(0, (pool.inFlight.get(worker) || 1) - 1));
  if (message.panic) {
    // Its engine must not be used again: every job loses that worker's chunks.
    replaceWorker(pool, worker);
    failJobs(pool, new Error(`a Web Worker's engine panicked; it was replaced: ${message.panic}`));
    pool.onPanic(message.panic);
    return;
  }
  const job = pool.jobs.get(message.job);
  if (job) {
    if (message.type === 'error') {
      cancelJob(pool, job.id);
      job.onError(new Error(message.message));
    } else {
      job.pending -= 1;
      if (job.pending === 0) pool.jobs.delete(job.id);
      job.onChunk(message.part, message.start, message.data);
      if (job.pending === 0) job.onDone();
    }
  }
  dispatch(pool);
}

/** The summary JSON of `query` computed by the workers (same bytes as on one thread). */
export function summaryOnWorkers(pool, bindings, query) {
  const canonical = bindings.canonical_query(query); // throws naming the field
  const plan = bindings.run_plan(canonical);
  return new Promise((resolve, reject) => {
    const starts = [];
    const chunks = [];
    submitJob(pool, chunkLayout(bindings), canonical, plan.steps, plan.summary_only, {
      onChunk: (part, start, data) => {
        starts.push(start);
        chunks.push(data);
      },
      onDone: () => {
        const all = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
        let offset = 0;
        for (const c of chunks) { all.set(c, offset); offset += c.length; }
        try {
          resolve(bindings.summary_from_chunks(canonical, Float64Array.from(starts), all, Float64Array.from(chunks.map((c) => c.length))));
        } catch (error) {
          reject(error);
        }
      },
      onError: reject,
    });
  });
}
