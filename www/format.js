// Numbers for people in the results panels: money, plain numbers, percentages.
// Pure functions of their arguments (no page state). The controls' values are
// shown as the engine words them (`Explorer.shown()`), not here.

/** Money with as many decimals as its size deserves; '–' when not finite. */
export const money = (x) => {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** A plain number with at most `digits` decimals; '–' when not finite. */
export const plain = (x, digits = 2) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');

/** A fraction as a percentage; '–' when not finite. */
export const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');
