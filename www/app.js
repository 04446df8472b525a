// hedge-explorer page: wires the controls, the address and the canvases to the
// wasm `Explorer`. All numbers come from the Rust engine; this file only moves
// strings between the page and wasm, hands the Monte Carlo to Web Workers (or to
// short slices on this thread where workers are unavailable) so the page never
// freezes, and never inserts text from the address as HTML (textContent only).

const PAGE_KEYS = ['embed', 'path'];
const SLICE_MS = 8; // work per slice before yielding to the browser

const $ = (id) => document.getElementById(id);
const form = $('controls');
const controls = () => Array.from(form.querySelectorAll('[name]'));

let bindings = null;
let explorer = null;
let generation = 0; // bumps on every new scenario: stale runs stop themselves
let budget = 20000; // hedger-path-steps per engine call, adapted to the machine
const state = { embed: false, pathIndex: 0, pageErrors: [], linkErrors: [], computeMs: 0, computeWork: 0 };

let resolveReady;
const whenReady = new Promise((resolve) => { resolveReady = resolve; });

// ---------------------------------------------------------------- formatting

const money = (x) => {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
const plain = (x, digits = 2) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');
const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');

function describe(name, raw) {
  const v = Number(raw);
  switch (name) {
    case 'vol': return `${plain(v * 100, 1)}%`;
    case 'hvol': return raw === '' ? '= volatility' : pct(v, 1);
    case 'k': case 's': return money(v);
    case 'cost': return `${(v * 1e4).toFixed(1)} bps`;
    case 'band': return `${v.toFixed(3)} Δ per option`;
    case 't': return `${plain(v * 365, 1)} days`;
    case 'r': case 'q': case 'mu': return `${pct(v, 2)} a year`;
    case 'qty': return `${plain(v, 0)} options`;
    case 'steps': {
      const t = Number(form.elements.t.value);
      return `${plain(v, 0)} (${plain((t * 365) / v, 2)} days each)`;
    }
    case 'every': return v === 1 ? 'every step' : `every ${plain(v, 0)} steps`;
    case 'fee': return money(v);
    case 'impact': return `${plain(v * 1e4, 2)} bps per 1,000 shares`;
    case 'jumps': return `${plain(v, 2)} a year`;
    case 'jmean': case 'jsd': return pct(v, 1);
    case 'paths': return plain(v, 0);
    case 'aversion': return plain(v, 4);
    default: return raw;
  }
}

function updateOutputs() {
  for (const el of controls()) {
    const out = $(`o-${el.name}`);
    if (out) out.textContent = describe(el.name, el.value);
  }
}

// ---------------------------------------------------------------- the address

function splitSearch(search) {
  const scenario = [];
  const page = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const [rawKey, ...rest] = pair.split('=');
    let key = rawKey;
    try { key = decodeURIComponent(rawKey); } catch { /* keep it raw */ }
    if (PAGE_KEYS.includes(key)) {
      let value = rest.join('=');
      try { value = decodeURIComponent(value); } catch { /* keep it raw */ }
      page[key] = value;
    } else {
      scenario.push(pair);
    }
  }
  return { scenario: scenario.join('&'), page };
}

function readPageKeys(page) {
  state.pageErrors = [];
  state.embed = page.embed === '1';
  if ('embed' in page && !['0', '1'].includes(page.embed)) {
    state.pageErrors.push({ field: 'embed', message: 'must be 1 (compact mode) or 0' });
  }
  state.pathIndex = 0;
  if ('path' in page) {
    if (/^\d{1,9}$/.test(page.path)) {
      state.pathIndex = Number(page.path);
    } else {
      state.pageErrors.push({ field: 'path', message: 'must be a whole number: the index of the path to show' });
    }
  }
}

function pageSuffix() {
  let suffix = '';
  if (state.pathIndex > 0) suffix += `&path=${state.pathIndex}`;
  if (state.embed) suffix += '&embed=1';
  return suffix;
}

// The address follows every change, but a dragged slider fires dozens of events a
// second and browsers throttle history updates: write at most every 100 ms, and
// always once the page is ready.
let pendingAddress = null;
let addressTimer = 0;

function writeAddress(query) {
  pendingAddress = `?${query}${pageSuffix()}`;
  if (!addressTimer) addressTimer = setTimeout(flushAddress, 100);
}

function flushAddress() {
  clearTimeout(addressTimer);
  addressTimer = 0;
  if (pendingAddress === null) return;
  try {
    history.replaceState(null, '', pendingAddress);
  } catch {
    // Some file:// pages refuse history changes; the link still works by copy.
  }
  pendingAddress = null;
}

// ---------------------------------------------------------------- messages, status

function setStatus(status) {
  if (status !== 'busy') flushAddress();
  document.body.dataset.status = status;
}

function showMessages() {
  const box = $('message');
  const lines = [...state.linkErrors, ...state.pageErrors].map((e) => `${e.field}: ${e.message}`);
  if (lines.length === 0) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.textContent = `This link has problems; the fields named below use their defaults.\n${lines.join('\n')}`;
}

function fail(error) {
  setStatus('error');
  const box = $('message');
  box.hidden = false;
  box.textContent = `Something went wrong: ${error && error.message ? error.message : String(error)}`;
  console.warn(error);
}

// ---------------------------------------------------------------- controls

function setControls(values) {
  for (const el of controls()) {
    if (!(el.name in values)) continue;
    const value = values[el.name];
    if (el.type === 'range') {
      const n = Number(value);
      // Widen a slider when a link asks for more than its usual range.
      if (n < Number(el.min)) el.min = value;
      if (n > Number(el.max)) el.max = value;
      el.dataset.step ||= el.step;
      el.step = el.dataset.step;
    }
    el.value = value;
    // The browser rounds a slider's value to its step grid: keep a link's value exact.
    if (el.type === 'range' && Number(el.value) !== Number(value)) {
      el.step = 'any';
      el.value = value;
    }
  }
  fitStrikeSlider();
  updateOutputs();
}

function fitStrikeSlider() {
  const spot = Number(form.elements.s.value) || 100;
  const strike = form.elements.k;
  const k = Number(strike.value);
  const step = +(spot / 200).toPrecision(3);
  // The step grid starts at min: start it a whole number of steps below the
  // strike, so the browser does not round the strike to the grid.
  const decimals = (x) => (String(x).split('.')[1] || '').length;
  const below = Math.ceil((k - Math.min(k, spot * 0.5)) / step);
  strike.min = String(+(k - below * step).toFixed(Math.min(20, Math.max(decimals(k), decimals(step)))));
  strike.max = String(Math.max(k, +(spot * 1.5).toPrecision(6)));
  strike.step = String(step);
  strike.value = String(k);
  if (Number(strike.value) !== k) {
    strike.step = 'any';
    strike.value = String(k);
  }
}

function queryFromControls() {
  const parts = ['v=1'];
  for (const el of controls()) {
    if (el.value === '') continue;
    parts.push(`${el.name}=${encodeURIComponent(el.value)}`);
  }
  return parts.join('&');
}

// ---------------------------------------------------------------- drawing

// Canvas sizes in CSS pixels, kept up to date by a ResizeObserver so that drawing
// never has to force a layout to measure them.
const canvasSizes = new Map();
const canvasObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
  for (const entry of entries) {
    const box = entry.contentBoxSize && entry.contentBoxSize[0];
    canvasSizes.set(entry.target, box ? [box.inlineSize, box.blockSize] : [entry.contentRect.width, entry.contentRect.height]);
  }
});

function fitCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  let size = canvasSizes.get(canvas);
  if (!size) {
    size = [canvas.clientWidth, canvas.clientHeight];
    canvasSizes.set(canvas, size);
    if (canvasObserver) canvasObserver.observe(canvas);
  }
  const width = Math.max(1, Math.round(size[0] * dpr));
  const height = Math.max(1, Math.round(size[1] * dpr));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  return canvas;
}

let firstChartMarked = false;

function drawPath() {
  explorer.draw_path(fitCanvas($('chart-spot')), fitCanvas($('chart-hedge')), fitCanvas($('chart-pnl')));
  if (!firstChartMarked) {
    // Load to first drawn chart, read by the browser benchmark (bench/browser.mjs).
    performance.mark('hedge-explorer:first-chart');
    firstChartMarked = true;
  }
  const outcome = JSON.parse(explorer.path_outcome_json());
  $('path-index').value = String(outcome.index);
  $('path-index').max = String(state.paths - 1);
  $('path-outcome').textContent =
    `P&L ${money(outcome.pnl)} · ${outcome.trades} trades · costs ${money(outcome.costs)}`;
  // The ledger table is built only while it is open (it can have 10,000 rows).
  if ($('ledger-details').open) renderLedger(JSON.parse(explorer.ledger_json()));
}

function renderLedger(ledger) {
  const table = $('ledger');
  const head = table.tHead;
  const body = table.tBodies[0];
  const labels = { step: 'step', day: 'day', spot: 'spot', target: 'target shares', held: 'held shares', trade: 'trade', cost: 'cost', cash: 'cash', book: 'option value', pnl: 'P&L' };
  head.replaceChildren();
  const headRow = head.insertRow();
  for (const c of ledger.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = labels[c] || c;
    headRow.appendChild(th);
  }
  const all = $('ledger-all').checked;
  const last = ledger.rows.length - 1;
  const tradeColumn = ledger.columns.indexOf('trade');
  const rows = ledger.rows.filter((r, i) => all || i === 0 || i === last || r[tradeColumn] !== 0).slice(0, 3000);
  const fragment = document.createDocumentFragment();
  for (const r of rows) {
    const tr = document.createElement('tr');
    r.forEach((cell, i) => {
      const td = document.createElement('td');
      const column = ledger.columns[i];
      td.textContent = column === 'step' ? String(cell) : column === 'day' ? plain(cell, 1) : money(cell);
      tr.appendChild(td);
    });
    fragment.appendChild(tr);
  }
  body.replaceChildren(fragment);
}

function drawRunCharts() {
  explorer.draw_histogram(fitCanvas($('chart-histogram')));
  explorer.draw_comparison(fitCanvas($('chart-compare')));
  renderSummary(JSON.parse(explorer.summary_json()));
  renderComparison(JSON.parse(explorer.comparison_json()));
}

function drawFrontier() {
  explorer.draw_frontier(fitCanvas($('chart-frontier')));
  const paths = explorer.frontier_paths();
  const all = Number(form.elements.paths.value || 2000);
  $('frontier-help').textContent =
    'Each point is your rule with a different setting, on the same paths' +
    (paths < all ? ` (the first ${plain(paths, 0)})` : '') +
    '. Left is cheap, low is safe: you cannot have both. The highlighted point is your current setting.';
}

function renderSummary(s) {
  const g = s.greeks;
  const seconds = state.computeMs / 1000;
  const items = [
    ['Premium', money(s.premium)],
    ['Delta (shares)', plain(g.delta, 1)],
    ['Gamma', plain(g.gamma, 3)],
    ['Vega (per vol point)', money(g.vega / 100)],
    ['Theta (per day)', money(g.theta / 365)],
    ['Mean P&L', money(s.pnl.mean)],
    ['SD of P&L', money(s.pnl.sd)],
    ['VaR 95%', money(s.pnl.var95)],
    ['ES 95%', money(s.pnl.es95)],
    ['Performance (SD ÷ premium)', plain(s.performance, 3)],
    ['Mean trades', plain(s.trades.mean, 1)],
    ['Mean costs', money(s.costs.mean)],
    ['Derman–Kamal SD', s.derman_kamal_sd === null ? 'n/a' : money(s.derman_kamal_sd)],
    ['Leland vol', s.leland_vol === null ? 'n/a' : pct(s.leland_vol, 2)],
    ['Paths', plain(s.paths, 0)],
    ['Compute time', `${plain(state.computeMs, 0)} ms, ${pool.workers.length ? `${pool.workers.length} workers` : 'main thread'} (${plain(state.computeWork / Math.max(seconds, 1e-9) / 1e6, 1)} M hedged path-steps/s)`],
  ];
  const dl = $('summary');
  dl.replaceChildren();
  for (const [label, value] of items) {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = label;
    dd.textContent = value;
    div.append(dt, dd);
    dl.appendChild(div);
  }
}

function renderComparison(c) {
  const body = $('compare-table').tBodies[0];
  body.replaceChildren();
  for (const s of c.strategies) {
    const tr = body.insertRow();
    for (const text of [s.rule, money(s.pnl.mean), money(s.pnl.sd), money(s.pnl.var95), plain(s.trades.mean, 1), money(s.costs.mean)]) {
      const td = tr.insertCell();
      td.textContent = text;
    }
  }
}

// ---------------------------------------------------------------- the run loop

const channel = new MessageChannel();
let pendingTick = null;
channel.port1.onmessage = () => {
  const tick = pendingTick;
  pendingTick = null;
  if (tick) tick();
};
const soon = (fn) => { pendingTick = fn; channel.port2.postMessage(0); };

// ---------------------------------------------------------------- Web Workers
//
// The Monte Carlo runs in Web Workers, one per core (capped), each holding its own
// instance of the same wasm module. A run is cut into chunks of path indices; any
// worker may take any chunk, and the engine's per-path random streams make the
// result independent of who computed what. The main thread only hands out chunks,
// stores the packed outcomes and draws.

const MAX_WORKERS = 8;

// The worker's own code, after the wasm-bindgen glue (imported or inlined).
const WORKER_MAIN = `
const engines = new Map();
self.onmessage = (event) => {
  const m = event.data;
  try {
    if (m.type === 'init') {
      initSync({ module: m.module });
      self.postMessage({ type: 'ready' });
      return;
    }
    const key = m.part + '|' + m.query;
    let engine = engines.get(key);
    if (!engine) {
      if (engines.size >= 4) { for (const e of engines.values()) e.free(); engines.clear(); }
      engine = new WorkerEngine(m.query, m.part);
      engines.set(key, engine);
    }
    const t0 = performance.now();
    const data = engine.run(m.start, m.end);
    self.postMessage({ type: 'done', job: m.job, part: m.part, start: m.start, data, ms: performance.now() - t0 }, [data.buffer]);
  } catch (error) {
    self.postMessage({ type: 'error', job: m.job, message: String((error && error.message) || error) });
  }
};
`;

const pool = { workers: [], inFlight: new Map(), queue: [], jobs: new Map(), nextJob: 1 };
let workersReady = Promise.resolve();

/** The worker script and the compiled wasm module, for served pages and the single file. */
async function workerAssets() {
  const inlined = document.getElementById('hedge-explorer-worker-glue');
  if (inlined && window.__hedgeExplorerWasmBytes) {
    const module = await WebAssembly.compile(window.__hedgeExplorerWasmBytes);
    // A classic worker (file:// pages cannot start module workers): the inlined
    // glue has no imports or exports; only its unused default loader mentions
    // import.meta, which classic scripts do not have.
    const glue = inlined.textContent.replace(/import\.meta\.url/g, 'self.location.href');
    return { source: `${glue}\n${WORKER_MAIN}`, module, classic: true };
  }
  const glue = document.querySelector('link[rel="modulepreload"]');
  const wasm = document.querySelector('link[rel="preload"][as="fetch"]');
  if (!glue || !wasm) throw new Error('cannot find the wasm module to give to workers');
  const module = await WebAssembly.compileStreaming(fetch(wasm.href));
  return { source: `import { initSync, WorkerEngine } from ${JSON.stringify(glue.href)};\n${WORKER_MAIN}`, module };
}

async function startWorkers() {
  if (typeof Worker === 'undefined' || typeof WebAssembly === 'undefined') return;
  try {
    const { source, module, classic } = await workerAssets();
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const count = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS));
    const workers = await Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
      const worker = new Worker(url, { type: classic ? 'classic' : 'module' });
      worker.onmessage = (e) => (e.data.type === 'ready' ? resolve(worker) : reject(new Error(e.data.message)));
      worker.onerror = (e) => reject(new Error(e.message || 'worker failed to start'));
      worker.postMessage({ type: 'init', module });
    })));
    for (const worker of workers) {
      worker.onmessage = (e) => onWorkerMessage(worker, e.data);
      worker.onerror = (e) => { e.preventDefault(); fail(new Error(`a worker failed: ${e.message}`)); };
    }
    pool.workers = workers;
  } catch (error) {
    console.warn('hedge-explorer: Web Workers unavailable, computing on the main thread', error);
  }
}

/** Queue a job: `parts` is [{ part, paths, hedgers }]; `onChunk(part, start, data)`, `onDone()`. */
function submitJob(query, steps, parts, onChunk, onError) {
  const id = pool.nextJob++;
  const workers = pool.workers.length;
  const job = { id, onChunk, onError, pending: 0 };
  for (const { part, paths, hedgers } of parts) {
    // About four chunks per worker for balance, and at most ~40 ms of work each.
    const most = Math.max(16, Math.floor(1.2e6 / Math.max(1, steps * hedgers)));
    const unit = bindings.chunk_multiple(); // whole groups of the lane kernel run fastest
    const size = Math.ceil(Math.max(16, Math.min(most, Math.ceil(paths / (workers * 4)))) / unit) * unit;
    for (let start = 0; start < paths; start += size) {
      pool.queue.push({ type: 'run', job: id, query, part, start, end: Math.min(paths, start + size) });
      job.pending += 1;
    }
  }
  pool.jobs.set(id, job);
  dispatch();
  return id;
}

function cancelJob(id) {
  pool.jobs.delete(id);
  pool.queue = pool.queue.filter((task) => task.job !== id);
}

// Tasks handed to each worker ahead of time: a worker that finishes a chunk
// starts the next at once, without waiting for the main thread to answer.
const TASKS_IN_FLIGHT = 2;

function dispatch() {
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

function onWorkerMessage(worker, message) {
  pool.inFlight.set(worker, Math.max(0, (pool.inFlight.get(worker) || 1) - 1));
  const job = pool.jobs.get(message.job);
  if (job) {
    if (message.type === 'error') {
      cancelJob(job.id);
      job.onError(new Error(message.message));
    } else {
      job.pending -= 1;
      if (job.pending === 0) pool.jobs.delete(job.id);
      job.onChunk(message.part, message.start, message.data);
    }
  }
  dispatch();
}

/** The summary JSON of `query` computed by the workers (same bytes as on one thread). */
function summaryOnWorkers(query) {
  const canonical = bindings.canonical_query(query); // throws naming the field
  const [paths, steps] = bindings.run_size(canonical);
  return new Promise((resolve, reject) => {
    const starts = [];
    const chunks = [];
    let received = 0;
    submitJob(canonical, steps, [{ part: 'rule', paths, hedgers: 1 }], (part, start, data) => {
      starts.push(start);
      chunks.push(data);
      received += data.length / 3;
      if (received < paths) return;
      const all = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const c of chunks) { all.set(c, offset); offset += c.length; }
      try {
        resolve(bindings.summary_from_chunks(canonical, Float64Array.from(starts), all, Float64Array.from(chunks.map((c) => c.length))));
      } catch (error) {
        reject(error);
      }
    }, reject);
  });
}

// ---------------------------------------------------------------- the run loop

let pageJob = 0;

function startRun() {
  const gen = ++generation;
  setStatus('busy');
  state.computeMs = 0;
  state.computeWork = 0;
  state.runStart = performance.now();
  if (pageJob) cancelJob(pageJob);
  pageJob = 0;
  // The first run may have to wait for the workers to start (a few tens of ms).
  workersReady.then(() => {
    if (gen !== generation) return;
    if (pool.workers.length > 0) {
      startRunOnWorkers(gen);
    } else {
      startRunHere(gen);
    }
  });
}

/** After each piece of the run: draw what is complete, report progress. Returns true when done. */
function afterProgress(progress, summaryDrawn) {
  $('progress-bar').style.width = `${(progress * 100).toFixed(1)}%`;
  if (!summaryDrawn.value && explorer.summary_ready()) {
    performance.measure('hedge-explorer:monte-carlo', { start: state.runStart, end: performance.now() });
    state.computeMs = performance.now() - state.runStart;
    // The summary's part hedges every path three ways (no hedge, static, the rule).
    state.computeWork = 3 * state.paths * state.steps;
    drawRunCharts();
    summaryDrawn.value = true;
  }
  if (explorer.frontier_ready()) {
    drawFrontier();
    setStatus('ready');
    postHeight();
    return true;
  }
  return false;
}

function startRunOnWorkers(gen) {
  const [mainPaths, sweepPaths] = explorer.run_paths();
  const summaryDrawn = { value: false };
  const query = explorer.query();
  pageJob = submitJob(query, state.steps, [
    { part: 'main', paths: mainPaths, hedgers: 3 },
    { part: 'sweep', paths: sweepPaths, hedgers: 12 },
  ], (part, start, data) => {
    if (gen !== generation) return;
    try {
      const progress = explorer.accept(part, start, data);
      afterProgress(progress, summaryDrawn);
    } catch (error) {
      fail(error);
    }
  }, fail);
}

/** Without workers: slices of a few milliseconds on this thread. */
function startRunHere(gen) {
  const summaryDrawn = { value: false };
  const tick = () => {
    if (gen !== generation) return; // a newer scenario took over
    const sliceStart = performance.now();
    let progress = 0;
    try {
      do {
        const t0 = performance.now();
        progress = explorer.step(budget);
        const elapsed = performance.now() - t0;
        // Aim each engine call at ~3 ms.
        if (elapsed > 0.2) budget = Math.max(2000, Math.min(5e6, budget * (3 / elapsed)));
      } while (progress < 1 && performance.now() - sliceStart < SLICE_MS);
      if (afterProgress(progress, summaryDrawn)) return;
    } catch (error) {
      fail(error);
      return;
    }
    soon(tick);
  };
  soon(tick);
}

// ---------------------------------------------------------------- applying scenarios

function apply(query, { fromLink = false } = {}) {
  const result = JSON.parse(explorer.set_query(query));
  state.linkErrors = result.errors;
  if (fromLink) setControls(result.values);
  updateOutputs();
  showMessages();
  const paths = Number(result.values.paths);
  state.paths = paths;
  state.steps = Number(result.values.steps);
  if (state.pathIndex >= paths) {
    state.pageErrors.push({ field: 'path', message: `must be below the number of paths (${paths})` });
    state.pathIndex = 0;
    showMessages();
  }
  if (explorer.path_index() !== state.pathIndex) explorer.set_path_index(state.pathIndex);
  writeAddress(result.query);
  try {
    drawPath();
  } catch (error) {
    fail(error);
    return result.query;
  }
  startRun();
  return result.query;
}

function onControlInput(event) {
  const inputStart = performance.now();
  const el = event.target;
  if (el.name === 'band' && form.elements.rule.value !== 'band') form.elements.rule.value = 'band';
  if (el.name === 'every' && form.elements.rule.value !== 'every') form.elements.rule.value = 'every';
  if (el.name === 's') fitStrikeSlider();
  state.pageErrors = [];
  apply(queryFromControls());
  // Control change to redrawn one-path charts (the run continues in the workers).
  performance.measure('hedge-explorer:path-redraw', { start: inputStart, end: performance.now() });
}

function redrawAll() {
  if (!explorer) return;
  try {
    drawPath();
    if (explorer.summary_ready()) drawRunCharts();
    if (explorer.frontier_ready()) drawFrontier();
  } catch (error) {
    fail(error);
  }
}

// ---------------------------------------------------------------- embedding

function postHeight() {
  if (!state.embed || window.parent === window) return;
  // The content's height: the document's scrollHeight never drops below the
  // frame's own height, so the frame could grow but never shrink.
  const height = Math.ceil(document.body.getBoundingClientRect().height);
  window.parent.postMessage({ type: 'hedge-explorer:height', height }, '*');
}

function embedSnippet() {
  const base = location.href.split(/[?#]/)[0];
  const src = `${base}?${explorer.query()}&embed=1`;
  const escaped = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${escaped}" title="hedge-explorer: dynamic hedging simulator" width="100%" height="780" style="border:0" loading="lazy"></iframe>`;
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = label; }, 1200);
}

// ---------------------------------------------------------------- start-up

async function start(wasmBindings) {
  bindings = wasmBindings;
  explorer = new bindings.Explorer();
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  explorer.set_dark(dark.matches);
  dark.addEventListener('change', (e) => { explorer.set_dark(e.matches); redrawAll(); });

  const { scenario, page } = splitSearch(location.search);
  readPageKeys(page);
  document.body.classList.toggle('embed', state.embed);

  form.addEventListener('input', onControlInput);
  form.addEventListener('change', (e) => { if (e.target.tagName === 'SELECT') onControlInput(e); });
  $('preset').addEventListener('change', (e) => {
    if (!e.target.value) return;
    state.pathIndex = 0;
    state.pageErrors = [];
    apply(e.target.value, { fromLink: true });
    e.target.value = '';
  });
  $('reroll').addEventListener('click', () => {
    form.elements.seed.value = String(Math.floor(Math.random() * 4294967296));
    apply(queryFromControls());
  });
  $('copy-link').addEventListener('click', (e) => copyText(location.href, e.currentTarget));
  $('embed-button').addEventListener('click', () => {
    $('embed-code').value = embedSnippet();
    $('embed-dialog').showModal();
  });
  $('embed-copy').addEventListener('click', (e) => copyText($('embed-code').value, e.currentTarget));
  $('path-index').addEventListener('change', (e) => {
    const n = Number(e.target.value);
    state.pathIndex = Number.isInteger(n) && n >= 0 ? n : 0;
    explorer.set_path_index(state.pathIndex);
    state.pathIndex = explorer.path_index();
    writeAddress(explorer.query());
    try { drawPath(); } catch (error) { fail(error); }
  });
  $('ledger-all').addEventListener('change', () => renderLedger(JSON.parse(explorer.ledger_json())));
  $('ledger-details').addEventListener('toggle', () => {
    if ($('ledger-details').open) renderLedger(JSON.parse(explorer.ledger_json()));
  });
  $('chart-histogram').addEventListener('click', (e) => {
    const canvas = e.currentTarget;
    const range = explorer.histogram_pixel_range();
    if (range.length !== 4) return;
    const rect = canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * canvas.width;
    const [x0, x1, lo, hi] = range;
    if (x < x0 || x > x1) return;
    const pnl = lo + ((x - x0) / (x1 - x0)) * (hi - lo);
    const index = explorer.path_at_pnl(pnl);
    if (index < 0) return;
    state.pathIndex = index;
    explorer.set_path_index(index);
    writeAddress(explorer.query());
    try { drawPath(); } catch (error) { fail(error); }
    $('h-path').scrollIntoView({ behavior: 'smooth', block: 'start' });
  });

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { redrawAll(); postHeight(); }, 100);
  });
  if (state.embed && 'ResizeObserver' in window) new ResizeObserver(() => postHeight()).observe(document.body);

  workersReady = startWorkers();
  apply(scenario, { fromLink: true });
  await workersReady;
  resolveReady();
}

// The JS API for embedders (documented in the README). It exists from the start;
// its methods wait for the engine to load.
window.hedgeExplorer = {
  /** The exact JSON string the CLI's `summary` prints for `query` (throws on a bad query). */
  summary: async (query) => {
    await whenReady;
    return pool.workers.length > 0 ? summaryOnWorkers(String(query)) : bindings.summary(String(query));
  },
  /** Apply a scenario link to the page; resolves to its canonical form. */
  set: async (query) => {
    await whenReady;
    const { scenario: q, page: p } = splitSearch(String(query));
    readPageKeys({ ...p, embed: state.embed ? '1' : '0' });
    return apply(q, { fromLink: true });
  },
  /** The current scenario's canonical link. */
  query: () => (explorer ? explorer.query() : null),
  /** Resolves once the page has loaded its engine. */
  ready: whenReady,
};


if (window.wasmBindings) {
  start(window.wasmBindings).catch(fail);
} else {
  window.addEventListener('TrunkApplicationStarted', () => start(window.wasmBindings).catch(fail), { once: true });
}
