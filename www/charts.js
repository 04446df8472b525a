// The canvases: sized to their CSS box at the device's pixel ratio, drawn by the
// wasm `Explorer` (plotters), in the reader's light or dark scheme. Also the
// text that goes with each chart (path outcome, summary, comparison, frontier),
// and each canvas' text alternative (its aria-label, role="img"): what it shows
// and its key numbers, from the engine's objects, renewed with every run.
import { money, plain } from './format.js';
import { renderComparison, renderLedger, renderSummary } from './tables.js';
import { fail } from './status.js';

const $ = (id) => document.getElementById(id);

/**
 * Canvas sizes in CSS pixels, kept up to date by a ResizeObserver so that
 * drawing never has to force a layout to measure them. Returns `fit(canvas)`,
 * which sets the canvas' pixel size and returns it.
 */
export function createCanvasSizer() {
  const sizes = new Map();
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = entry.contentBoxSize && entry.contentBoxSize[0];
      sizes.set(entry.target, box ? [box.inlineSize, box.blockSize] : [entry.contentRect.width, entry.contentRect.height]);
    }
  });
  return (canvas) => {
    const dpr = window.devicePixelRatio || 1;
    let size = sizes.get(canvas);
    // A canvas hidden until now (an insured portfolio hides the option
    // charts) was observed at 0 × 0: measure it again now that it shows.
    if (!size || size[0] === 0 || size[1] === 0) {
      if (!size && observer) observer.observe(canvas);
      size = [canvas.clientWidth, canvas.clientHeight];
      sizes.set(canvas, size);
    }
    const width = Math.max(1, Math.round(size[0] * dpr));
    const height = Math.max(1, Math.round(size[1] * dpr));
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    return canvas;
  };
}

/** Chart colours follow the reader's scheme, now and when it changes. */
export function followColourScheme(app) {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  app.explorer.set_dark(dark.matches);
  dark.addEventListener('change', (e) => { app.explorer.set_dark(e.matches); redrawAll(app); });
}

/** The one-path charts, the path's outcome line and (if open) its ledger. */
export function drawPath(app) {
  const { explorer, fitCanvas } = app;
  // An insured portfolio's value and exposure take the hedge chart's place.
  const insured = explorer.insures();
  document.body.classList.toggle('insured', insured);
  // A hedger who prices with the Heston model is compared with the other
  // models' deltas, as distributions on the same paths.
  const models = explorer.compares_pricing();
  $('h-compare').textContent = insured ? 'Unprotected vs bought put vs synthetic put vs CPPI'
    : models ? 'Black–Scholes vs Heston deltas' : 'No hedge vs static vs your rule';
  const timeline = explorer.has_timeline();
  $('timeline-box').hidden = !timeline;
  if (timeline) explorer.draw_timeline(fitCanvas($('chart-timeline')));
  explorer.draw_path(fitCanvas($('chart-spot')), fitCanvas($('chart-hedge')), fitCanvas($('chart-greeks')), fitCanvas($('chart-pnl')));
  // The model's smile changes with the scenario only; it is cached in wasm.
  explorer.draw_smile(fitCanvas($('chart-smile')));
  if (!app.firstChartMarked) {
    // Load to first drawn chart, read by the browser benchmark (bench/browser.mjs).
    performance.mark('hedge-explorer:first-chart');
    app.firstChartMarked = true;
  }
  const outcome = explorer.path_outcome();
  $('path-index').value = String(outcome.index);
  $('path-index').max = String(app.paths - 1);
  const window = outcome.from ? `${outcome.from} → ${outcome.until} · ` : '';
  $('path-outcome').textContent =
    `${window}P&L ${money(outcome.pnl)} · ${outcome.trades} trades · costs ${money(outcome.costs)}`;
  describePathCharts(app, outcome, insured);
  // The ledger table is built only while it is open (it can have 10,000 rows).
  if ($('ledger-details').open) renderLedger(explorer.ledger());
}

/**
 * The histogram and comparison charts with the summary panel and table; when
 * the summary is an estimate from some of the run's paths, it says so.
 */
export function drawRunCharts(app) {
  const { explorer, fitCanvas } = app;
  const estimate = explorer.summary_ready() ? null : { paths: explorer.summary_paths(), of: app.paths };
  explorer.draw_histogram(fitCanvas($('chart-histogram')));
  explorer.draw_comparison(fitCanvas($('chart-compare')));
  renderSummary(explorer.summary(), {
    ms: app.compute.ms,
    hedgedPathSteps: app.compute.hedgedPathSteps,
    workers: app.pool.workers.length,
    estimate,
  });
  renderComparison(explorer.comparison());
  describeRunCharts(app);
}

/** The frontier chart and its caption (which says when it covers fewer paths). */
export function drawFrontier(app) {
  app.explorer.draw_frontier(app.fitCanvas($('chart-frontier')));
  describeFrontier(app.explorer.frontier());
  const paths = app.explorer.frontier_paths();
  const all = Number(app.form.elements.paths.value || app.fields.paths.default);
  $('frontier-help').textContent =
    'Each point is your rule with a different setting, on the same paths' +
    (paths < all ? ` (the first ${plain(paths, 0)})` : '') +
    '. Left is cheap, low is safe: you cannot have both. The highlighted point is your current setting.';
}

/** Set a chart's text alternative (its canvas has role="img"). */
const describe = (id, text) => $(id).setAttribute('aria-label', text);

/** A distribution's numbers in words: mean, SD, VaR95 (and ES95 if `es`). */
const distribution = (pnl, es = false) =>
  `mean ${money(pnl.mean)}, SD ${money(pnl.sd)}, VaR95 ${money(pnl.var95)}${es ? `, ES95 ${money(pnl.es95)}` : ''}`;

/** The text alternatives of the one-path charts: which path, its final P&L and trades. */
function describePathCharts(app, outcome, insured) {
  const { explorer } = app;
  const window = outcome.from ? ` (${outcome.from} to ${outcome.until})` : '';
  const path = `path ${outcome.index}${window}`;
  const result = `final ${insured ? 'gain' : 'P&L'} ${money(outcome.pnl)}, ${outcome.trades} trades, costs ${money(outcome.costs)}`;
  describe('chart-spot', `Share price along ${path}, with the hedge's trades as triangles: ${result}.`);
  describe('chart-hedge', insured
    ? `Insured portfolio's value against its floor, and its exposure, along ${path}: ${result}.`
    : `Target versus held hedge along ${path}: ${result}.`);
  describe('chart-greeks', `Delta, gamma and vega of the hedged position along ${path}: ${result}.`);
  describe('chart-pnl', `Cumulative P&L and its attribution (gamma, theta, delta, financing, costs) along ${path}: ${result}.`);
  if (explorer.has_timeline()) {
    describe('chart-timeline', `The replayed price series over its whole history with the back-test's windows; on show: ${path}.`);
  }
  // The hedging vol follows the realised vol unless set ("= volatility").
  const shown = explorer.shown();
  const hedgingVol = !shown.hvol || shown.hvol.startsWith('=') ? shown.vol : shown.hvol;
  describe('chart-smile', `Implied volatility against strike of the price model at the start; the hedger's vol is ${hedgingVol}.`);
}

/** The text alternatives of the histogram and the comparison: their key numbers. */
function describeRunCharts(app) {
  const { explorer } = app;
  const s = explorer.summary();
  const c = explorer.comparison();
  const insured = explorer.insures();
  const what = insured ? 'value less start at the horizon' : 'final P&L';
  describe('chart-histogram', `Histogram of ${what} over ${plain(s.paths, 0)} paths: ${distribution(s.pnl, true)}` +
    (s.derman_kamal_sd === null ? '.' : `; Derman–Kamal's predicted SD ${money(s.derman_kamal_sd)}.`));
  const rows = c.strategies.map((r) => `${r.rule}: ${distribution(r.pnl)}`).join('; ');
  const title = insured ? 'Distribution of value less start at the horizon for each protection, with the floor'
    : explorer.compares_pricing() ? 'Distribution of P&L on the same paths hedged with the Black–Scholes, the Heston and the minimum-variance delta'
      : 'P&L of no hedge, static hedge and the chosen rule on the same paths';
  describe('chart-compare', `${title}. ${rows}.`);
}

/** The frontier's text alternative: its ends and the current setting. */
function describeFrontier(f) {
  const points = f.points;
  if (points.length === 0) return;
  const point = (p) => `${f.parameter} ${plain(p.value, 4)}: mean costs ${money(p.mean_costs)}, SD ${money(p.sd_pnl)}`;
  const current = points[f.current];
  describe('chart-frontier', `Mean costs against SD of P&L for ${points.length} settings of ${f.parameter}, from ${point(points[0])} to ${point(points[points.length - 1])}` +
    (current ? `; your setting, ${point(current)}.` : '.'));
}

/** Redraw whatever is ready (after a resize or a change of colour scheme). */
export function redrawAll(app) {
  if (!app.explorer || app.crash) return;
  try {
    drawPath(app);
    // The whole run's summary or an estimate (drawn as the estimate it is).
    if (app.explorer.summary_paths() > 0) drawRunCharts(app);
    if (app.explorer.frontier_ready()) drawFrontier(app);
  } catch (error) {
    fail(app, error);
  }
}

/**
 * The path whose P&L lies under a click on the histogram, or -1: the click's
 * canvas pixel is converted to P&L with the plot's range the engine reported.
 */
export function pathUnderClick(app, event) {
  const pnl = pnlUnderClick(app, event);
  return pnl === null ? -1 : app.explorer.path_at_pnl(pnl);
}

/** The P&L under a click on the histogram, or null outside its bars. */
function pnlUnderClick(app, event) {
  const canvas = event.currentTarget;
  const range = app.explorer.histogram_pixel_range();
  if (range.length !== 4) return null;
  const rect = canvas.getBoundingClientRect();
  const x = ((event.clientX - rect.left) / rect.width) * canvas.width;
  const [x0, x1, lo, hi] = range;
  if (x < x0 || x > x1) return null;
  return lo + ((x - x0) / (x1 - x0)) * (hi - lo);
}

/** The date under a click on the timeline (`YYYY-MM-DD`), or "" outside it. */
export function dateUnderClick(app, event) {
  const canvas = event.currentTarget;
  const rect = canvas.getBoundingClientRect();
  const x = ((event.clientX - rect.left) / rect.width) * canvas.width;
  return app.explorer.timeline_date_at(canvas, x);
}

/**
 * For windows of recorded prices: list the windows the clicked bar holds
 * (dates and P&L), each a button that shows that window below.
 */
export function listWindowsUnderClick(app, event, show) {
  const box = $('bar-windows');
  const pnl = pnlUnderClick(app, event);
  const windows = pnl === null ? [] : app.explorer.windows_at_pnl(pnl);
  box.replaceChildren();
  box.hidden = windows.length === 0;
  if (box.hidden) return;
  const title = document.createElement('p');
  title.className = 'help';
  title.textContent = 'Windows in this bar:';
  box.append(title);
  for (const w of windows) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `${w.from} → ${w.until}: ${money(w.pnl)}`;
    button.addEventListener('click', () => show(w.index));
    box.append(button);
  }
}
