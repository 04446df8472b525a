// hedge-explorer page, entry module: wires the controls, the address and the
// canvases to the wasm `Explorer`. All numbers come from the Rust engine; the
// page's modules only move links and plain objects between the page and wasm, hand the Monte
// Carlo to Web Workers (or to short slices on this thread where workers are
// unavailable) so the page never freezes, and never insert text from the
// address as HTML (textContent only).
//
// Modules, by job: page.js (state, applying a link), link.js (the address),
// controls.js (the form, built from the engine's table of link keys), book.js
// (the book editor beside the legs box),
// format.js (numbers for people in the results), workers.js + worker.js
// (the Web Workers), run.js (the run loop), charts.js + tables.js (drawing),
// embed.js (embedding, copying), status.js (status and messages), api.js
// (window.hedgeExplorer). scripts/single-file.mjs bundles them for file://.
// loader.js, beside them, loads the wasm module (Trunk's loader, as a file for
// the page's Content-Security-Policy).
import { installApi } from './api.js';
import { dateUnderClick, followColourScheme, listWindowsUnderClick, pathUnderClick, redrawAll } from './charts.js';
import { buildBookEditor } from './book.js';
import { buildControls, queryAfterInput, queryFromControls } from './controls.js';
import { copyText, embedSnippet, postHeight } from './embed.js';
import { readPageKeys, splitSearch } from './link.js';
import { apply, createApp, showPath, usePageKeys } from './page.js';
import { fail, reportPanic, showMessages } from './status.js';
import { renderLedger } from './tables.js';
import { engineAssets, startWorkers } from './workers.js';

const $ = (id) => document.getElementById(id);

/**
 * The link of the controls after `target` moved. A book in the legs box
 * replaces the single option's keys. A book the engine refuses keeps the
 * scenario on show (the link in the address): its message is shown, and what
 * the reader typed stays in the box.
 */
function controlsQuery(app, target) {
  const query = queryAfterInput(app.form, target, app.fields, app.replaces);
  try {
    app.bindings.canonical_query(query);
  } catch (error) {
    // The engine's messages start with the field: "legs: at character …".
    const text = String(error.message ?? error);
    // A committed text or menu (a book, a date, a series) that the engine
    // refuses: keep the scenario on show and what the reader typed.
    const colon = text.indexOf(': ');
    if (colon > 0 && committed(target)) {
      app.pageErrors.push({ field: text.slice(0, colon), message: text.slice(colon + 2) });
      return app.explorer.query();
    }
  }
  return query;
}

function onControlInput(app, event) {
  app.pageErrors = [];
  apply(app, controlsQuery(app, event.target), { start: event.timeStamp });
  // Control change to redrawn one-path charts (the run continues in the workers):
  // from the event, so the wait for the frame counts too.
  performance.measure('hedge-explorer:path-redraw', { start: event.timeStamp, end: performance.now() });
}

/**
 * A dragged slider fires far more input events than frames: at most one is
 * applied per frame. The first of a burst applies at once (a key press or a
 * click redraws without waiting for a frame); those that follow within the
 * frame wait for the next one, where only the newest is applied (each would
 * parse the link, draw the path and start a run only to be replaced).
 */
function queueControlInput(app, event) {
  if (app.inputFrame) {
    app.pendingInput = event;
    return;
  }
  onControlInput(app, event);
  const nextFrame = () => {
    const newest = app.pendingInput;
    app.pendingInput = null;
    app.inputFrame = newest ? requestAnimationFrame(nextFrame) : 0;
    if (newest) onControlInput(app, newest);
  };
  app.inputFrame = requestAnimationFrame(nextFrame);
}

/** Menus, text lines (books, dates) and the prices apply when committed. */
const committed = (el) => el.tagName === 'SELECT' || el.type === 'text' || el.type === 'hidden';

/**
 * Read the reader's CSV (a File) in the page into the `px` control and apply
 * the link; a CSV the engine refuses names its line, and the scenario on show
 * and the controls stay as they were.
 */
async function loadPrices(app, file) {
  app.pageErrors = [];
  const input = app.form.elements.px;
  let loaded;
  try {
    loaded = app.bindings.prices_link(await file.text());
  } catch (error) {
    const text = String(error.message ?? error);
    app.pageErrors.push({ field: 'px', message: `${file.name}: ${text.replace(/^px: /, '')}` });
    apply(app, app.explorer.query());
    return;
  }
  const { hist } = app.form.elements;
  const previous = [input.value, hist.value];
  input.value = loaded.value;
  hist.value = 'none'; // your prices replace a bundled series
  const query = controlsQuery(app, input);
  // Refused with the other keys (a message names the key): leave the controls.
  if (app.pageErrors.length) [input.value, hist.value] = previous;
  else app.pathIndex = 0;
  // More prices than a link carries stay in this page: the address leaves
  // them out (reloading or sharing it gives the scenario without them).
  app.localPrices = !app.pageErrors.length && !loaded.shareable;
  apply(app, query);
  if (app.localPrices) {
    app.pageErrors.push({
      field: 'px',
      note: true,
      message: `${file.name}: ${loaded.prices} prices are more than a link carries (2,000): they are local to this page, and the address leaves them out`,
    });
    showMessages(app);
  }
}

function wirePrices(app) {
  const { form } = app;
  form.addEventListener('change', (e) => {
    if (e.target.dataset.pricesFile && e.target.files[0]) {
      loadPrices(app, e.target.files[0]);
      e.target.value = '';
    }
  });
  form.addEventListener('click', (e) => {
    if (!e.target.dataset?.pricesClear) return;
    form.elements.px.value = '';
    app.localPrices = false;
    app.pageErrors = [];
    apply(app, controlsQuery(app, form.elements.px));
  });
  // Drop a CSV anywhere on the page.
  document.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types?.includes('Files')) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    loadPrices(app, file);
  });
}

function wireControls(app) {
  const { form, explorer } = app;
  // The form is never submitted (its controls apply themselves; Enter in a
  // text line commits it), and the policy allows no inline handler for this.
  form.addEventListener('submit', (e) => e.preventDefault());
  // Sliders and number boxes apply as they move; menus and text lines (books
  // of legs) when they are committed.
  wirePrices(app);
  form.addEventListener('input', (e) => {
    if (!committed(e.target) && e.target.type !== 'file') queueControlInput(app, e);
  });
  form.addEventListener('change', (e) => {
    if (committed(e.target) && !e.target.dataset.pricesFile) onControlInput(app, e);
  });
  $('preset').addEventListener('change', (e) => {
    if (!e.target.value) return;
    app.pathIndex = 0;
    app.pageErrors = [];
    apply(app, e.target.value, { fromLink: true });
    e.target.value = '';
  });
  $('reroll').addEventListener('click', () => {
    try {
      // A fresh seed from the browser's cryptographic generator, through wasm.
      form.elements.seed.value = String(app.bindings.fresh_seed());
    } catch (error) {
      fail(app, error);
      return;
    }
    apply(app, queryFromControls(form, app.replaces));
  });
  $('copy-link').addEventListener('click', (e) => copyText(location.href, e.currentTarget));
  $('embed-button').addEventListener('click', () => {
    $('embed-code').value = embedSnippet(explorer.query());
    $('embed-dialog').showModal();
  });
  $('embed-copy').addEventListener('click', (e) => copyText($('embed-code').value, e.currentTarget));
  $('path-index').addEventListener('change', (e) => {
    const n = Number(e.target.value);
    showPath(app, Number.isInteger(n) && n >= 0 ? n : 0);
  });
  $('ledger-all').addEventListener('change', () => renderLedger(explorer.ledger()));
  $('ledger-details').addEventListener('toggle', () => {
    if ($('ledger-details').open) renderLedger(explorer.ledger());
  });
  const showAndScroll = (index) => {
    showPath(app, index);
    // Smoothly, unless the reader asked for less motion.
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    $('h-path').scrollIntoView({ behavior: reduced ? 'auto' : 'smooth', block: 'start' });
  };
  // A click on the timeline starts the window (or the roll) on that day.
  $('chart-timeline').addEventListener('click', (e) => {
    const date = dateUnderClick(app, e);
    if (!date || form.elements.hist.value === 'none') return;
    form.elements.from.value = date;
    app.pageErrors = [];
    app.pathIndex = 0;
    apply(app, controlsQuery(app, form.elements.from));
  });
  $('chart-histogram').addEventListener('click', (e) => {
    listWindowsUnderClick(app, e, showAndScroll);
    const index = pathUnderClick(app, e);
    if (index < 0) return;
    showAndScroll(index);
  });
}

/** Make `bindings` (one instance of the wasm module) the page's engine. */
function useEngine(app, bindings) {
  app.bindings = bindings;
  window.wasmBindings = bindings;
  // A panic shows its message on the page (the console gets it from the wasm hook).
  bindings.on_panic((message) => reportPanic(app, message));
  app.explorer = new bindings.Explorer();
}

let restarts = 0;

/**
 * After a panic, a fresh instance of the engine: the glue module imported
 * again under a new URL is a new module, with its own wasm instance. The
 * single file inlines its module and cannot do this (a reload can). Resolves
 * to whether the page has a working engine again.
 */
async function restartEngine(app) {
  const { module, glue } = await engineAssets(app.pool);
  if (!glue) return false;
  restarts += 1;
  const fresh = await import(`${glue}?engine=${restarts}`);
  fresh.initSync({ module });
  useEngine(app, fresh);
  return true;
}

async function start(app, bindings, resolveReady) {
  useEngine(app, bindings);
  app.restartEngine = () => restartEngine(app);
  const table = bindings.fields();
  app.fields = buildControls(app.form, table);
  app.replaces = table.replaces;
  app.book = buildBookEditor(app.form);
  followColourScheme(app);

  const { scenario, page } = splitSearch(location.search);
  usePageKeys(app, readPageKeys(page));
  document.body.classList.toggle('embed', app.embed);
  wireControls(app);

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { redrawAll(app); postHeight(app); }, 100);
  });
  if (app.embed && 'ResizeObserver' in window) new ResizeObserver(() => postHeight(app)).observe(document.body);

  app.workersReady = startWorkers(app.pool).then(() => {
    app.workersStarted = true;
    performance.mark('hedge-explorer:workers-ready');
  });
  apply(app, scenario, { fromLink: true });
  await app.workersReady;
  resolveReady();
}

const app = createApp();
let resolveReady;
const ready = new Promise((resolve) => { resolveReady = resolve; });
installApi(app, ready);

// Trunk's loader (or the single file's) instantiates the wasm module, puts its
// exports on window.wasmBindings and fires TrunkApplicationStarted.
if (window.wasmBindings) {
  start(app, window.wasmBindings, resolveReady).catch((error) => fail(app, error));
} else {
  window.addEventListener('TrunkApplicationStarted', () => start(app, window.wasmBindings, resolveReady).catch((error) => fail(app, error)), { once: true });
}
