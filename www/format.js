// Numbers for people in the results panels: money, plain numbers, percentages.
// Pure functions of their arguments (no page state). The controls' values are
// shown as the engine words them (`Explorer.shown()`), not here.

/**
 * One `Intl.NumberFormat` per rounding, made on first use: `toLocaleString`
 * with options builds a new formatter on every call, which cost a few
 * milliseconds a refresh (each refresh formats a few hundred numbers).
 */
const formats = new Map();
const format = (minimumFractionDigits, maximumFractionDigits) => {
  const key = `${minimumFractionDigits}/${maximumFractionDigits}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits, maximumFractionDigits });
    formats.set(key, f);
  }
  return f;
};

/** Money with as many decimals as its size deserves; '–' when not finite. */
export const money = (x) => {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 2 : 3;
  return format(digits, digits).format(x);
};

/** A plain number with at most `digits` decimals; '–' when not finite. */
export const plain = (x, digits = 2) => (Number.isFinite(x) ? format(0, digits).format(x) : '–');

/** A fraction as a percentage; '–' when not finite. */
export const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');
