// The run loop: a scenario's Monte Carlo, on the Web Workers (chunks in any
// order) or, without them, in slices of a few milliseconds on this thread. It
// reports progress, draws what is complete, and marks the page busy → ready.
// A newer scenario bumps `app.generation`; a stale run then stops itself.
import { drawFrontier, drawRunCharts } from './charts.js';
import { postHeight } from './embed.js';
import { fail, markStale, setStatus } from './status.js';
import { cancelJob, chunkLayout, submitJob } from './workers.js';

/**
 * A run still going this long after it started shows a first estimate (the
 * summary of the paths in so far), refined at most every ESTIMATE_EVERY_MS
 * until the whole run replaces it; a quick run shows none.
 */
const ESTIMATE_AFTER_MS = 100;
const ESTIMATE_EVERY_MS = 250;

/** Work per slice on this thread before yielding to the browser. */
const SLICE_MS = 8;
/** Each engine call on this thread aims at this long. */
const CALL_MS = 3;

/**
 * `soon(fn)`: run `fn` after the browser has handled pending events, without
 * setTimeout's clamping (one MessageChannel; a newer `fn` replaces an older one).
 */
export function createScheduler() {
  const channel = new MessageChannel();
  let pending = null;
  channel.port1.onmessage = () => {
    const tick = pending;
    pending = null;
    if (tick) tick();
  };
  return (fn) => { pending = fn; channel.port2.postMessage(0); };
}

/** Start the run of the scenario the explorer holds (after `app.plan` is set). */
export function startRun(app) {
  const generation = ++app.generation;
  setStatus(app, 'busy');
  // The results on show are the older scenario's until this run draws its own
  // (written afresh: a failure since may have changed the page's marks).
  app.pending = null;
  markPending(app, true, true);
  app.compute = { ms: 0, hedgedPathSteps: 0, start: performance.now() };
  if (app.job) cancelJob(app.pool, app.job);
  app.job = 0;
  const run = () => {
    if (generation !== app.generation) return;
    // The compute time runs from here: the first run's wait for the workers
    // to start is start-up (hundreds of ms), not the engine's speed.
    app.compute.start = performance.now();
    if (app.pool.workers.length > 0) {
      runOnWorkers(app, generation);
    } else {
      runHere(app, generation);
    }
  };
  // The first run may have to wait for the workers to start (a few tens of
  // ms); later ones hand out their chunks at once, so that the workers start
  // while this thread still draws.
  if (app.workersStarted) run();
  else app.workersReady.then(run);
}

/**
 * Mark the run's results as pending (the summary, histogram and comparison;
 * the frontier) while a newer scenario's run has not drawn them: the page
 * fades them after a moment (style.css) and tells assistive technology that
 * the results are busy.
 */
function markPending(app, summary, frontier) {
  // Called after every chunk: touch the page only when something changes
  // (each class or attribute written invalidates its style).
  if (app.pending?.summary === summary && app.pending?.frontier === frontier) return;
  app.pending = { summary, frontier };
  for (const id of ['summary', 'chart-histogram', 'chart-compare', 'compare-table']) {
    document.getElementById(id)?.classList.toggle('pending', summary);
  }
  document.getElementById('chart-frontier')?.classList.toggle('pending', frontier);
  document.querySelector('.results')?.setAttribute('aria-busy', String(summary || frontier));
}

/** Stop the run in progress (its queued chunks are dropped, late ones ignored). */
export function stopRun(app) {
  app.generation += 1;
  if (app.job) cancelJob(app.pool, app.job);
  app.job = 0;
}

/** After each piece of the run: draw what is complete, report progress. Returns true when done. */
function afterProgress(app, progress, drawn) {
  // A scaled bar, not a resized one: the compositor moves it without a layout.
  document.getElementById('progress-bar').style.transform = `scaleX(${progress.toFixed(3)})`;
  // The work behind the summary: its part's hedgers on all its paths.
  const part = app.plan.explorer.find((p) => p.part === app.plan.summary_part);
  const now = performance.now();
  if (!drawn.summary && app.explorer.summary_ready()) {
    performance.measure('hedge-explorer:monte-carlo', { start: app.compute.start, end: now });
    app.compute.ms = now - app.compute.start;
    app.compute.hedgedPathSteps = part.hedged_path_steps;
    drawRunCharts(app);
    drawn.summary = true;
  } else if (!drawn.summary && now - app.compute.start >= ESTIMATE_AFTER_MS
    && now - (drawn.estimateAt ?? -Infinity) >= ESTIMATE_EVERY_MS) {
    const before = app.explorer.summary_paths();
    const paths = app.explorer.estimate();
    if (paths > before) {
      app.compute.ms = now - app.compute.start;
      app.compute.hedgedPathSteps = part.hedged_path_steps * (paths / part.paths);
      drawRunCharts(app);
      drawn.estimateAt = now;
    }
  }
  if (!drawn.frontier && app.explorer.frontier_ready()) {
    drawFrontier(app);
    drawn.frontier = true;
  }
  // A summary on show (the whole run's or an estimate) is drawn as soon as the
  // explorer has it, so the explorer says whether this run has drawn one.
  const summaryShown = app.explorer.summary_paths() > 0;
  if (summaryShown || drawn.frontier) markStale(false);
  markPending(app, !summaryShown, !drawn.frontier);
  if (drawn.summary && drawn.frontier) {
    // Every chart now shows the new scenario: the whole refresh.
    performance.measure('hedge-explorer:refresh', { start: app.refreshStart, end: performance.now() });
    setStatus(app, 'ready');
    postHeight(app);
    return true;
  }
  return false;
}

function runOnWorkers(app, generation) {
  const drawn = { summary: false, frontier: false };
  const { plan } = app;
  app.job = submitJob(app.pool, chunkLayout(app.bindings), app.explorer.query(), plan.steps, plan.explorer, {
    onChunk: (part, start, data) => {
      if (generation !== app.generation) return;
      try {
        afterProgress(app, app.explorer.accept(part, start, data), drawn);
      } catch (error) {
        // A failed run is over: its later chunks must not draw or mark it ready.
        stopRun(app);
        fail(app, error);
      }
    },
    onError: (error) => {
      stopRun(app);
      fail(app, error);
    },
  });
}

/** Without workers: slices of a few milliseconds on this thread. */
function runHere(app, generation) {
  const drawn = { summary: false, frontier: false };
  const tick = () => {
    if (generation !== app.generation) return; // a newer scenario took over
    const sliceStart = performance.now();
    let progress = 0;
    try {
      do {
        const t0 = performance.now();
        progress = app.explorer.step(app.budget);
        const elapsed = performance.now() - t0;
        if (elapsed > 0.2) app.budget = Math.max(2000, Math.min(5e6, app.budget * (CALL_MS / elapsed)));
      } while (progress < 1 && performance.now() - sliceStart < SLICE_MS);
      if (afterProgress(app, progress, drawn)) return;
    } catch (error) {
      fail(app, error);
      return;
    }
    app.soon(tick);
  };
  app.soon(tick);
}
