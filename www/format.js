// Numbers for people: money, plain numbers, percentages, and each control's
// value with its unit. Pure functions of their arguments (no page state).

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

/**
 * The text a control's <output> shows for its raw value. `expiry` is the time to
 * expiry in years (the steps' label says how long each step is).
 */
export function describe(name, raw, expiry) {
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
    case 'steps': return `${plain(v, 0)} (${plain((expiry * 365) / v, 2)} days each)`;
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
