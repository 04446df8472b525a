// The results as text: the summary panel, the comparison table and the trade
// ledger. Everything goes in with textContent, never as HTML.
import { money, pct, plain } from './format.js';

/**
 * The ledger columns the table shows, by the engine's names for a ledger row's
 * members (the CLI's ledger CSV header): each with its heading and how its cells
 * read. Time is in years in the row, shown in days.
 */
const LEDGER_COLUMNS = [
  ['step', 'step', (x) => String(x)],
  ['time', 'day', (x) => plain(x * 365, 1)],
  ['spot', 'spot', money],
  ['target', 'target shares', money],
  ['held', 'held shares', money],
  ['trade', 'trade', money],
  ['cost', 'cost', money],
  ['cash', 'cash', money],
  ['book_value', 'book value', money],
  ['marked', 'marked to model', money],
  ['options_value', 'hedge options value', money],
  ['option1_held', 'option 1 held', money],
  ['option1_trade', 'option 1 trade', money],
  ['option2_held', 'option 2 held', money],
  ['option2_trade', 'option 2 trade', money],
  ['option3_held', 'option 3 held', money],
  ['option3_trade', 'option 3 trade', money],
  ['pnl', 'P&L', money],
];
/** Most ledger rows shown at once (a path can have 10,000 dates). */
const LEDGER_ROWS = 3000;

/**
 * The summary panel from the engine's summary `s` (the CLI's summary members); `compute` is
 * `{ ms, hedgedPathSteps, workers, estimate }` for the compute-time line
 * (`estimate`: `{ paths, of }` when `s` stands on `paths` of the run's `of`
 * paths so far, else null).
 */
export function renderSummary(s, compute) {
  const g = s.greeks;
  const seconds = compute.ms / 1000;
  const rate = compute.hedgedPathSteps / Math.max(seconds, 1e-9) / 1e6;
  // An insured portfolio: its floor, breaches and upside first; its P&L is
  // the terminal value less the starting value, at the horizon.
  const insured = s.insurance ? [
    ['Floor (at the horizon)', money(s.insurance.floor)],
    ['Paths below the floor', pct(s.insurance.breach, 1)],
    ['Mean shortfall when below', s.insurance.shortfall === null ? 'none' : money(s.insurance.shortfall)],
    ['Upside kept (mean value ÷ unprotected)', pct(s.insurance.upside, 1)],
    ['Cost of protection', money(s.premium)],
  ] : [['Premium', money(s.premium)]];
  const items = [
    ...insured,
    ['Delta (shares)', plain(g.delta, 1)],
    ['Gamma', plain(g.gamma, 3)],
    ['Vega (per vol point)', money(g.vega / 100)],
    ['Theta (per day)', money(g.theta / 365)],
    [s.insurance ? 'Mean gain (value − start)' : 'Mean P&L', money(s.pnl.mean)],
    ['SD of P&L', money(s.pnl.sd)],
    ['VaR 95%', money(s.pnl.var95)],
    ['ES 95%', money(s.pnl.es95)],
    ['Performance (SD ÷ premium)', plain(s.performance, 3)],
    ['Mean trades', plain(s.trades.mean, 1)],
    ['Mean costs', money(s.costs.mean)],
    ...(s.option_trades ? [
      ['Mean option trades', plain(s.option_trades.mean, 1)],
      ['Mean option costs', money(s.option_costs.mean)],
    ] : []),
    ['Derman–Kamal SD', s.derman_kamal_sd === null ? 'n/a' : money(s.derman_kamal_sd)],
    ['Leland vol', s.leland_vol === null ? 'n/a' : pct(s.leland_vol, 2)],
    // An estimate says so, and how much of the run it stands on.
    compute.estimate
      ? ['Paths (an estimate, refining)', `${plain(compute.estimate.paths, 0)} of ${plain(compute.estimate.of, 0)} so far`]
      : ['Paths', plain(s.paths, 0)],
    [compute.estimate ? 'Compute time so far' : 'Compute time', `${plain(compute.ms, 0)} ms, ${compute.workers ? `${compute.workers} workers` : 'main thread'} (${plain(rate, 1)} M hedged path-steps/s)`],
  ];
  const dl = document.getElementById('summary');
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

/** The comparison table from the engine's comparison `c`. */
export function renderComparison(c) {
  const body = document.getElementById('compare-table').tBodies[0];
  body.replaceChildren();
  for (const s of c.strategies) {
    const tr = body.insertRow();
    for (const text of [s.rule, money(s.pnl.mean), money(s.pnl.sd), money(s.pnl.var95), plain(s.trades.mean, 1), money(s.costs.mean)]) {
      const td = tr.insertCell();
      td.textContent = text;
    }
  }
}

/**
 * The ledger table from the engine's ledger of the path on show (`{ rows }`, one
 * object per date): trades only, or every date if ticked.
 */
export function renderLedger(ledger) {
  const table = document.getElementById('ledger');
  const head = table.tHead;
  const body = table.tBodies[0];
  head.replaceChildren();
  const headRow = head.insertRow();
  // The hedge-option columns are in the rows only when the hedge trades options.
  const columns = LEDGER_COLUMNS.filter(([member]) => ledger.rows.length === 0 || member in ledger.rows[0]);
  for (const [, heading] of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = heading;
    headRow.appendChild(th);
  }
  const all = document.getElementById('ledger-all').checked;
  const last = ledger.rows.length - 1;
  const traded = (r) => r.trade !== 0 || [1, 2, 3].some((j) => r[`option${j}_trade`]);
  const rows = ledger.rows.filter((r, i) => all || i === 0 || i === last || traded(r)).slice(0, LEDGER_ROWS);
  const fragment = document.createDocumentFragment();
  for (const row of rows) {
    const tr = document.createElement('tr');
    for (const [member, , show] of columns) {
      const td = document.createElement('td');
      td.textContent = show(row[member]);
      tr.appendChild(td);
    }
    fragment.appendChild(tr);
  }
  body.replaceChildren(fragment);
}
