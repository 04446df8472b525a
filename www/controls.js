// The scenario form: every control's `name` is its link key. Reading the form
// into a link, writing a link's values back (exactly, even off a slider's step
// grid), and the <output> beside each control.
import { describe } from './format.js';

/** The form's named controls, in document order. */
export const controls = (form) => Array.from(form.querySelectorAll('[name]'));

/** Refresh every control's <output> from its value. */
export function updateOutputs(form) {
  const expiry = Number(form.elements.t.value);
  for (const el of controls(form)) {
    const out = document.getElementById(`o-${el.name}`);
    if (out) out.textContent = describe(el.name, el.value, expiry);
  }
}

/** Show a link's values (`{ key: text }`) in the controls. */
export function setControls(form, values) {
  for (const el of controls(form)) {
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
  fitStrikeSlider(form);
  updateOutputs(form);
}

/** Centre the strike slider's range and step on the spot. */
export function fitStrikeSlider(form) {
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

/** The link the controls describe (the engine canonicalises it). */
export function queryFromControls(form) {
  const parts = ['v=1'];
  for (const el of controls(form)) {
    if (el.value === '') continue;
    parts.push(`${el.name}=${encodeURIComponent(el.value)}`);
  }
  return parts.join('&');
}

/**
 * A control moved: the band and interval controls switch the rule to theirs,
 * the spot recentres the strike slider. Returns the link to apply.
 */
export function queryAfterInput(form, el) {
  if (el.name === 'band' && form.elements.rule.value !== 'band') form.elements.rule.value = 'band';
  if (el.name === 'every' && form.elements.rule.value !== 'every') form.elements.rule.value = 'every';
  if (el.name === 's') fitStrikeSlider(form);
  return queryFromControls(form);
}
