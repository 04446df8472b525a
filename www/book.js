// The book editor: one row per option leg (quantity, call or put, strike,
// expiry) with buttons to add and remove legs, beside the `legs` text box it
// writes. The rows come from the engine (`set_query`'s `book`: the scenario's
// legs, or its single option as one leg); an edit writes the legs in the link
// grammar into the text box and commits it, so the engine checks and applies
// it like any other link (and canonicalises it: a one-leg book expiring at the
// horizon becomes the single option's keys).

/** A leg in the link grammar: `<signed quantity><c|p><strike>[@<expiry>]`. */
const legText = ({ quantity, kind, strike, expiry }) =>
  `${quantity}${kind === 'put' ? 'p' : 'c'}${strike}${expiry === null || expiry === '' ? '' : `@${expiry}`}`;

function field(type, label, value, attrs = {}) {
  const input = document.createElement(type === 'select' ? 'select' : 'input');
  if (type === 'select') {
    for (const [word, text] of [['call', 'call'], ['put', 'put']]) input.add(new Option(text, word));
  } else {
    input.type = 'number';
    input.step = 'any';
    Object.assign(input, attrs);
  }
  input.value = value === null ? '' : String(value);
  input.setAttribute('aria-label', label);
  return input;
}

/** Build the editor after the form's `legs` control. */
export function buildBookEditor(form) {
  const box = form.elements.legs;
  if (!box) return null;
  const editor = document.createElement('div');
  editor.className = 'book-editor';
  const table = document.createElement('table');
  table.createCaption().textContent = 'Legs of the book';
  const head = table.createTHead().insertRow();
  for (const text of ['quantity', 'type', 'strike', 'expiry (years)', 'remove']) {
    const th = document.createElement('th');
    th.scope = 'col';
    // The remove buttons' column is named for screen readers only.
    const name = text === 'remove' ? document.createElement('span') : th;
    name.textContent = text;
    if (name !== th) {
      name.className = 'visually-hidden';
      th.append(name);
    }
    head.appendChild(th);
  }
  table.createTBody();
  const add = document.createElement('button');
  add.type = 'button';
  add.textContent = 'Add leg';
  editor.append(table, add);
  box.closest('.control').append(editor);

  const state = { legs: [] };
  // The box's `change` reaches the form, which applies the link.
  const write = (legs) => {
    box.value = legs.map(legText).join('_');
    box.dispatchEvent(new Event('change', { bubbles: true }));
  };
  // The editor's own inputs are not link keys: keep their events from the form.
  for (const type of ['input', 'change']) editor.addEventListener(type, (e) => e.stopPropagation());
  editor.addEventListener('change', (e) => {
    const row = e.target.closest('tr');
    if (!row || !row.dataset.index) return;
    const [quantity, kind, strike, expiry] = Array.from(row.querySelectorAll('input, select')).map((el) => el.value);
    const legs = state.legs.map((l) => ({ ...l }));
    legs[Number(row.dataset.index)] = { quantity, kind, strike, expiry: expiry === '' ? null : expiry };
    write(legs);
  });
  editor.addEventListener('click', (e) => {
    const remove = e.target.closest('button[data-remove]');
    if (remove) write(state.legs.filter((_, i) => i !== Number(remove.dataset.remove)));
  });
  add.addEventListener('click', () => {
    const last = state.legs.at(-1) ?? { quantity: -100, kind: 'call', strike: 100, expiry: null };
    write([...state.legs, { ...last, strike: +(Number(last.strike) * 1.05).toPrecision(4) }]);
  });
  return { editor, table, state };
}

/** Show the engine's book (`[{quantity, kind, strike, expiry}]`) in the editor. */
export function showBook(book, legs) {
  if (!book) return;
  book.state.legs = legs;
  const body = book.table.tBodies[0];
  body.replaceChildren();
  legs.forEach((leg, i) => {
    const tr = body.insertRow();
    tr.dataset.index = String(i);
    const n = `leg ${i + 1}`;
    const cells = [
      field('number', `${n}: quantity (negative: short)`, leg.quantity),
      field('select', `${n}: call or put`, leg.kind),
      field('number', `${n}: strike`, leg.strike, { min: '0' }),
      field('number', `${n}: expiry in years (empty: at the horizon)`, leg.expiry, { min: '0', placeholder: '= t' }),
    ];
    for (const el of cells) tr.insertCell().append(el);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.dataset.remove = String(i);
    remove.textContent = '×';
    remove.setAttribute('aria-label', `remove ${n}`);
    remove.disabled = legs.length === 1;
    tr.insertCell().append(remove);
  });
}
