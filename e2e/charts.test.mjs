// The default page draws every chart and its summary without any error, builds
// its controls from the engine's table of link keys, shows the path's ledger,
// and loads everything through relative URLs from the sub-path it is served under.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CHARTS, SUB_PATH, assertNoErrors, canvasPixels, closeServed, openServedPage, summaryEntries,
} from './support.mjs';

let server;
let browser;
let page;

before(async () => {
  // The default scenario: no query at all, loaded from the directory URL.
  ({ server, browser, page } = await openServedPage((s) => s.base));
});

after(() => closeServed({ server, browser }));

test('every chart of the default page is drawn', async () => {
  for (const selector of CHARTS) {
    const c = await canvasPixels(page, selector);
    assert.ok(c.width > 100 && c.height > 100, `${selector} has a real size (${c.width}×${c.height})`);
    assert.ok(
      c.fraction > 0.01,
      `${selector}: only ${(c.fraction * 100).toFixed(2)}% of its pixels differ from the background ${c.background}`,
    );
  }
});

test('the summary panel lists its entries, with real values', async () => {
  const entries = await summaryEntries(page);
  const labels = entries.map(([label]) => label);
  for (const label of ['Premium', 'Delta (shares)', 'Mean P&L', 'SD of P&L', 'VaR 95%', 'ES 95%', 'Mean trades', 'Mean costs', 'Paths']) {
    assert.ok(labels.includes(label), `#summary has "${label}" (it has ${labels.join(', ')})`);
  }
  for (const [label, value] of entries) {
    assert.ok(value.trim() !== '' && !/NaN|undefined|null/.test(value), `#summary "${label}" shows "${value}"`);
  }
  // The panel reports the scenario's own numbers: the default link format has 2000 paths.
  const summary = JSON.parse(await page.evaluate(() => window.hedgeExplorer.summary(window.hedgeExplorer.query())));
  assert.equal(summary.paths, 2000);
  assert.deepEqual(entries.find(([l]) => l === 'Paths'), ['Paths', summary.paths.toLocaleString('en-US')]);
  // No hedge, static and the chosen rule.
  const rows = await page.locator('#compare-table tbody tr').count();
  assert.equal(rows, 3, 'the comparison table has one row per strategy');
});

test('the controls are built from the engine\'s table of link keys', async () => {
  const found = await page.evaluate(() => {
    const table = window.wasmBindings.fields();
    return {
      keys: table.fields.map((f) => f.key),
      main: Array.from(document.querySelectorAll('[data-group=main] [name]')).map((el) => el.name),
      tableMain: table.fields.filter((f) => f.group === 'main').map((f) => f.key),
      legends: Array.from(document.querySelectorAll('#advanced legend')).map((l) => l.textContent),
      // (The insurance group sits beside the main controls, shown while insuring.)
      titles: table.groups.filter((g) => g.group !== 'main' && g.group !== 'insurance').map((g) => g.title),
      problems: table.fields.flatMap((f) => {
        let el = document.getElementById(`c-${f.key}`);
        // The prices: a file box (labelled, with the output) and the value in a hidden input.
        if (f.control.kind === 'prices') {
          if (el?.type !== 'file' || !document.querySelector(`input[type=hidden][name=${f.key}]`)) return [`${f.key}: no file box and value`];
          el = { name: f.key, type: 'prices', parentElement: el.parentElement };
        }
        if (!el || el.name !== f.key) return [`${f.key}: no control named so`];
        const label = document.querySelector(`label[for="c-${f.key}"]`);
        const out = [];
        if (!label || !label.textContent.startsWith(f.label)) out.push(`${f.key}: no label "${f.label}"`);
        if (f.control.kind === 'select') {
          const words = Array.from(el.options).map((o) => `${o.value}=${o.textContent}`);
          const choices = f.allowed.choice.map((c) => `${c.word}=${c.label}`);
          if (words.join('|') !== choices.join('|')) out.push(`${f.key}: menu ${words} is not ${choices}`);
        } else {
          const output = document.getElementById(`o-${f.key}`);
          if (!output || output.getAttribute('for') !== `c-${f.key}` || !label.contains(output)) out.push(`${f.key}: no output for its input`);
          else if (output.textContent.trim() === '') out.push(`${f.key}: its output is empty`);
          const type = { slider: 'range', number: 'number', text: 'text', prices: 'prices' }[f.control.kind];
          if (el.type !== type) out.push(`${f.key}: an input of type ${el.type}`);
        }
        if (f.help && !el.parentElement.querySelector('.help')?.textContent.includes(f.help)) out.push(`${f.key}: no help text`);
        return out;
      }),
    };
  });
  assert.deepEqual(found.problems, []);
  assert.deepEqual(found.main, found.tableMain, 'the main controls, in table order');
  assert.deepEqual(found.legends, found.titles, 'one fieldset per other group, titled by the table');
  assert.ok(found.keys.includes('vol') && found.keys.length >= 20, `the table's keys: ${found.keys}`);
});

test('the trade ledger shows the path on show, by the engine\'s ledger columns', async () => {
  await page.locator('#ledger-details summary').click();
  // The table is built by the details' `toggle` event, which the browser fires
  // in a task after the click: wait for it rather than race it.
  await page.waitForFunction(() => document.querySelectorAll('#ledger thead th').length > 0);
  const ledger = await page.evaluate(() => ({
    head: Array.from(document.querySelectorAll('#ledger thead th')).map((th) => th.textContent),
    rows: Array.from(document.querySelectorAll('#ledger tbody tr')).map((tr) => Array.from(tr.cells).map((td) => td.textContent)),
  }));
  // A share hedge: no hedge-option columns.
  assert.deepEqual(ledger.head, ['step', 'day', 'spot', 'target shares', 'held shares', 'trade', 'cost', 'cash', 'book value', 'marked to model', 'P&L']);
  assert.ok(ledger.rows.length >= 2, `the ledger has rows (${ledger.rows.length})`);
  assert.equal(ledger.rows[0][0], '0', 'it starts at step 0');
  assert.equal(ledger.rows.at(-1)[0], '63', 'and ends at the last step');
  assert.match(ledger.rows.at(-1)[1], /^91\./, 'day 91 at expiry (0.25 years)');
  for (const row of ledger.rows) {
    assert.ok(row.every((cell) => cell !== '' && !/NaN|undefined|null|–/.test(cell)), `a ledger row with real values: ${row}`);
  }
});

test('no console errors and no page errors', async () => {
  assertNoErrors(assert, page);
  assert.equal(await page.evaluate(() => document.body.dataset.status), 'ready');
  assert.equal(await page.locator('#message').isHidden(), true, 'no message on a clean link');
});

test('relative URLs: every request stays under the sub-path', async () => {
  // blob: URLs would be Web Worker scripts made in memory (only the single file makes them).
  const outside = page.requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith(server.base));
  assert.deepEqual(outside, [], `requests outside ${SUB_PATH}`);
  // …and the server saw the same: nothing at its root, the page's code and its wasm under the sub-path.
  assert.deepEqual(server.requests.filter((p) => !p.startsWith(SUB_PATH)), []);
  assert.ok(page.requests.some((url) => url.endsWith('.wasm')), `the wasm was fetched: ${page.requests.join(', ')}`);
  assert.ok(page.requests.some((url) => url.endsWith('.js')), `the wasm-bindgen glue was fetched: ${page.requests.join(', ')}`);
});
