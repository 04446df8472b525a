// The page's state and the one way a scenario reaches the page: `apply` sends a
// link to the engine, shows its values and problems, writes the address, draws
// the path on show and starts the run. All state lives in the `app` object made
// here and passed to every function that needs it; the modules share no
// mutable globals.
import { createCanvasSizer, drawPath } from './charts.js';
import { showBook } from './book.js';
import { markSuperseded, setControls, updateOutputs } from './controls.js';
import { createAddressWriter } from './link.js';
import { createScheduler, startRun, stopRun } from './run.js';
import { fail, reportPanic, showMessages } from './status.js';
import { createPool } from './workers.js';

/** The page's state before the engine has loaded. */
export function createApp() {
  const app = {
    bindings: null, // the wasm-bindgen exports
    explorer: null, // the wasm `Explorer`
    form: document.getElementById('controls'),
    fields: null, // the engine's table of link keys, by key (controls.js builds the form from it)
    embed: false,
    pathIndex: 0,
    paths: 0,
    steps: 0,
    plan: null, // the engine's run plan of the current scenario
    linkErrors: [],
    pageErrors: [],
    crash: '', // the message of an engine panic until the engine is restarted
    recovered: '', // the message of a panic the page recovered from (until the next change)
    restartEngine: null, // () => Promise<boolean>: a fresh engine after a panic (main.js)
    pendingInput: null, // the newest control input event waiting for the next frame (main.js)
    inputFrame: 0, // the animation frame that applies pendingInput, if one is requested (main.js)
    generation: 0, // bumps on every new scenario: stale runs stop themselves
    budget: 20000, // hedger-path-steps per engine call on this thread, adapted to the machine
    job: 0, // the run's job in the worker pool
    compute: { ms: 0, hedgedPathSteps: 0, start: 0 },
    pending: null, // { summary, frontier }: which results the run marked pending last (run.js)
    refreshStart: 0, // when the scenario on show was applied (the whole refresh's start)
    workersReady: Promise.resolve(),
    workersStarted: false, // whether workersReady has resolved (the pool may still be empty)
    firstChartMarked: false,
    address: createAddressWriter(),
    fitCanvas: createCanvasSizer(),
    soon: createScheduler(),
    pool: null,
  };
  app.pool = createPool({
    onPanic: (message) => reportPanic(app, message, 'worker'),
    onFailure: (error) => fail(app, error),
  });
  return app;
}

/** Take the page's keys of a link (`readPageKeys`' result) into the app. */
export function usePageKeys(app, { embed, pathIndex, errors }) {
  app.embed = embed;
  app.pathIndex = pathIndex;
  app.pageErrors = errors;
}

/**
 * Apply a scenario link (leniently: bad fields take their defaults and are
 * named in the message). `fromLink` also shows its values in the controls;
 * `start` is when the change began (an input event's time stamp), for the
 * `hedge-explorer:refresh` measure. Returns the canonical link.
 */
export function apply(app, query, { fromLink = false, start = performance.now() } = {}) {
  if (app.crash) throw new Error(app.crash); // a panicked engine must not be used again
  const { explorer } = app;
  // From here (or the input event) to the frontier drawn: the whole refresh.
  app.refreshStart = start;
  // A link (a preset, the address, the API) carries its own prices, if any.
  if (fromLink) app.localPrices = false;
  const result = explorer.set_query(query);
  document.getElementById('bar-windows').hidden = true; // a new run's bars
  app.linkErrors = result.errors;
  const typedLegs = app.form.elements.legs?.value;
  // Keys a book of legs replaces are greyed out; when that changes, the
  // controls show what the scenario now holds.
  const supersededChanged = markSuperseded(app.form, result.superseded);
  if (fromLink || supersededChanged) setControls(app.form, result.values, app.fields);
  // The text box shows the engine's canonical legs (or, when they were
  // refused, what the reader typed, to correct); the editor, the book's rows.
  const legsRefused = [...result.errors, ...app.pageErrors].some((e) => e.field === 'legs');
  if (app.form.elements.legs) app.form.elements.legs.value = legsRefused && !fromLink ? typedLegs : result.values.legs;
  showBook(app.book, result.book);
  updateOutputs(app.form, explorer.shown());
  showMessages(app);
  app.paths = Number(result.values.paths);
  app.steps = Number(result.values.steps);
  app.plan = app.bindings.run_plan(result.query);
  if (app.pathIndex >= app.paths) {
    app.pageErrors.push({ field: 'path', message: `must be below the number of paths (${app.paths})` });
    app.pathIndex = 0;
    showMessages(app);
  }
  if (explorer.path_index() !== app.pathIndex) explorer.set_path_index(app.pathIndex);
  writeAddress(app);
  // The run first: the workers compute while this thread draws the path.
  startRun(app);
  try {
    drawPath(app);
  } catch (error) {
    stopRun(app);
    fail(app, error);
  }
  return result.query;
}

/** Show path `index` (clamped by the engine) without rerunning anything. */
export function showPath(app, index) {
  app.explorer.set_path_index(index);
  app.pathIndex = app.explorer.path_index();
  writeAddress(app);
  try { drawPath(app); } catch (error) { fail(app, error); }
}

/** Write the current scenario and page keys to the address (throttled). */
function writeAddress(app) {
  let query = app.explorer.query();
  // Prices too many for a link stay local (main.js loadPrices).
  if (app.localPrices) query = query.split('&').filter((part) => !part.startsWith('px=')).join('&');
  app.address.write(query, app);
}
