// The scenario form, built from the engine's table of link keys (`fields()`,
// web/mod.rs, which reads src/scenario/fields.rs): every control's label, range,
// step, menu, placeholder and help text come from that table, and its `name` is
// its link key. Also: reading the form into a link, writing a link's values back
// (exactly, even off a slider's step grid), and the <output> beside each control,
// whose text the engine gives (`Explorer.shown()`).

/** The form's named controls, in document order. */
export const controls = (form) => Array.from(form.querySelectorAll('[name]'));

/** One control from a row of the table: label (with its <output>), input, help. */
function controlFor(field) {
  const id = `c-${field.key}`;
  const box = document.createElement('div');
  box.className = 'control';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.append(`${field.label} `);
  let input;
  const { control } = field;
  if (control.kind === 'select') {
    box.classList.add('control-choice');
    input = document.createElement('select');
    for (const { word, label: text } of field.allowed.choice) input.add(new Option(text, word));
  } else if (control.kind === 'text') {
    // A line in the key's grammar (option legs): applied when it is committed
    // (Enter or leaving the box), not at every keystroke.
    box.classList.add('control-text');
    input = document.createElement('input');
    input.type = 'text';
    input.placeholder = control.placeholder;
    input.spellcheck = false;
    const output = document.createElement('output');
    output.id = `o-${field.key}`;
    output.setAttribute('for', id);
    label.append(output);
  } else if (control.kind === 'prices') {
    // The reader's prices: a CSV read in the page (nothing is uploaded) into
    // the key's value, held in a hidden input; main.js wires the file box, the
    // drop zone and the Clear button.
    box.classList.add('control-prices');
    const file = document.createElement('input');
    file.type = 'file';
    file.id = id;
    file.accept = '.csv,.txt,text/csv,text/plain';
    file.dataset.pricesFile = field.key;
    const output = document.createElement('output');
    output.id = `o-${field.key}`;
    output.setAttribute('for', id);
    label.append(output);
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.textContent = 'Clear';
    clear.dataset.pricesClear = field.key;
    input = document.createElement('input');
    input.type = 'hidden';
    input.name = field.key;
    input.value = field.default;
    const drop = document.createElement('p');
    drop.className = 'drop-hint';
    drop.textContent = 'or drop a CSV file anywhere on the page';
    box.append(label, file, clear, drop, input);
    return withHelp(box, field);
  } else {
    input = document.createElement('input');
    input.type = control.kind === 'slider' ? 'range' : 'number';
    input.min = String(control.min);
    input.max = String(control.max);
    input.step = control.step == null ? 'any' : String(control.step);
    if (control.placeholder) input.placeholder = control.placeholder;
    const output = document.createElement('output');
    output.id = `o-${field.key}`;
    output.setAttribute('for', id);
    label.append(output);
  }
  input.id = id;
  input.name = field.key;
  input.value = field.default;
  box.append(label, input);
  return withHelp(box, field);
}

/** `box` with the field's sentence of help under it, if it has one. */
function withHelp(box, field) {
  if (field.help) {
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = field.help;
    box.append(help);
  }
  return box;
}

/**
 * Build every control of `table` (`fields()`' result) into its group's container:
 * the form's `[data-group=…]` element where there is one (the main controls),
 * else a new fieldset in `[data-groups]` (the advanced part). Returns the table's
 * fields by key.
 */
export function buildControls(form, table) {
  const containers = {};
  for (const { group, title } of table.groups) {
    let container = form.querySelector(`[data-group="${group}"]`);
    if (container) {
      container.setAttribute('aria-label', title);
    } else {
      container = document.createElement('fieldset');
      container.dataset.group = group;
      const legend = document.createElement('legend');
      legend.textContent = title;
      container.append(legend);
      form.querySelector('[data-groups]').append(container);
    }
    containers[group] = container;
  }
  for (const field of table.fields) containers[field.group].append(controlFor(field));
  return Object.fromEntries(table.fields.map((field) => [field.key, field]));
}

/** Show each field as people read it (`shown`: `{ key: text }`) in its <output>. */
export function updateOutputs(form, shown) {
  for (const el of controls(form)) {
    const out = document.getElementById(`o-${el.name}`);
    if (out && el.name in shown) out.textContent = shown[el.name];
  }
}

/** Show a link's values (`{ key: text }`) in the controls. */
export function setControls(form, values, fields) {
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
  fitStrikeSlider(form, fields);
}

/**
 * Centre the strike slider's range and step on the spot: the table's strike
 * slider is for the default spot, so its ends and step scale with the spot.
 */
export function fitStrikeSlider(form, fields) {
  const { control } = fields.k;
  const defaultSpot = Number(fields.s.default);
  const spot = Number(form.elements.s.value) || defaultSpot;
  const scale = spot / defaultSpot;
  const strike = form.elements.k;
  const k = Number(strike.value);
  const step = +(control.step * scale).toPrecision(3);
  // The step grid starts at min: start it a whole number of steps below the
  // strike, so the browser does not round the strike to the grid.
  const decimals = (x) => (String(x).split('.')[1] || '').length;
  const below = Math.ceil((k - Math.min(k, control.min * scale)) / step);
  strike.min = String(+(k - below * step).toFixed(Math.min(20, Math.max(decimals(k), decimals(step)))));
  strike.max = String(Math.max(k, +(control.max * scale).toPrecision(6)));
  strike.step = String(step);
  strike.value = String(k);
  if (Number(strike.value) !== k) {
    strike.step = 'any';
    strike.value = String(k);
  }
}

/**
 * Grey out the controls of keys another key replaces (`superseded`, from the
 * engine: the single option's keys while a book of legs is set); they stay
 * out of the link. Returns whether that set changed.
 */
export function markSuperseded(form, superseded) {
  let changed = false;
  for (const el of controls(form)) {
    if (el.type === 'hidden') continue;
    const off = superseded.includes(el.name);
    if (el.disabled !== off) changed = true;
    el.disabled = off;
    el.closest('.control')?.classList.toggle('superseded', off);
  }
  return changed;
}

/**
 * The link the controls describe (the engine canonicalises it). `replaces`
 * (the table's: `{legs: [type, side, qty, k]}`) leaves out the keys a
 * non-empty control replaces.
 */
export function queryFromControls(form, replaces = {}) {
  const parts = ['v=1'];
  const replaced = new Set(Object.entries(replaces)
    .filter(([key]) => form.elements[key]?.value)
    .flatMap(([, keys]) => keys));
  for (const el of controls(form)) {
    if (el.value === '' || el.disabled || replaced.has(el.name)) continue;
    parts.push(`${el.name}=${encodeURIComponent(el.value)}`);
  }
  return parts.join('&');
}

/**
 * A control moved: the band and interval controls switch the rule to theirs,
 * the spot recentres the strike slider. Returns the link to apply.
 */
export function queryAfterInput(form, el, fields, replaces) {
  if (el.name === 'band' && form.elements.rule.value !== 'band') form.elements.rule.value = 'band';
  if (el.name === 'every' && form.elements.rule.value !== 'every') form.elements.rule.value = 'every';
  if (el.name === 's') fitStrikeSlider(form, fields);
  return queryFromControls(form, replaces);
}
