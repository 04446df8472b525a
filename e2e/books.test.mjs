// Books and hedging with options in the page: every book preset loads without a
// message and draws every chart; the comparison adds "delta only" beside the
// chosen Greeks; the single option's controls are greyed out (and left out of
// the link) while a book is set; a book typed in the text box is applied when
// committed; a bad one names the field and its position and keeps the rest.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChartsDrawn, assertNoErrors, closeServed, openServedPage, recordStatus, waitForRerun } from './support.mjs';

let served;
let page;

before(async () => {
  served = await openServedPage((server) => server.url('v=1&paths=300'));
  page = served.page;
});

/** The link in the address (written at most every 100 ms: wait for it). */
async function linkParams() {
  await page.waitForTimeout(150);
  return new URLSearchParams(await page.evaluate(() => location.search));
}

/** Does `action` and waits for the page to compute again. */
async function rerun(action) {
  await recordStatus(page);
  await action();
  return waitForRerun(page);
}

after(async () => closeServed(served));

/** The presets of the menu's groups (books, hedging with options, stochastic volatility). */
async function bookPresets() {
  return page.evaluate(() => Array.from(document.querySelectorAll('#preset optgroup option')).map((o) => ({ label: o.textContent, query: o.value })));
}

test('every grouped preset (books, option hedges, Heston) loads without a message and draws every chart', async () => {
  const presets = await bookPresets();
  assert.ok(presets.length >= 7, `book presets: ${presets.map((p) => p.label)}`);
  for (const { label, query } of presets) {
    await rerun(() => page.selectOption('#preset', query));
    assert.equal(await page.locator('#message').isHidden(), true, `${label}: no message`);
    const address = (await linkParams()).toString();
    const expected = new URLSearchParams(query);
    for (const key of ['legs', 'with', 'greeks', 'model', 'xi']) {
      if (expected.has(key)) assert.equal(new URLSearchParams(address).get(key), expected.get(key), `${label}: ${key} in the address`);
    }
    await assertChartsDrawn(assert, page);
  }
  assertNoErrors(assert, page);
});

test('a gamma hedge compares delta only beside delta-gamma, and the ledger holds the option', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&greeks=delta-gamma&with=c105@0.5')));
  const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#compare-table tbody tr')).map((tr) => tr.cells[0].textContent));
  assert.deepEqual(rows, ['none', 'static, delta-gamma', 'every 1, delta', 'every 1, delta-gamma']);
  const summary = await page.evaluate(() => document.querySelector('#summary').textContent);
  assert.match(summary, /Mean option trades/);
  await page.evaluate(() => { document.getElementById('ledger-details').open = true; });
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#ledger thead th')).some((th) => th.textContent === 'option 1 held'));
  const held = await page.evaluate(() => {
    const head = Array.from(document.querySelectorAll('#ledger thead th')).map((th) => th.textContent);
    const column = head.indexOf('option 1 held');
    return Array.from(document.querySelectorAll('#ledger tbody tr')).map((tr) => tr.cells[column].textContent);
  });
  assert.ok(held.slice(0, -1).some((cell) => Number(cell.replace(/,/g, '')) !== 0), `options held: ${held.slice(0, 5)}`);
  assertNoErrors(assert, page);
});

test('while a book is set the single option\'s controls are greyed out and left out of the link', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&legs=-100c100_-100p100')));
  const state = await page.evaluate(() => ['type', 'side', 'qty', 'k'].map((key) => document.querySelector(`[name=${key}]`).disabled));
  assert.deepEqual(state, [true, true, true, true]);
  // Moving another slider keeps the book and adds no single-option key.
  await page.focus('input[name=vol]');
  await rerun(() => page.keyboard.press('ArrowRight'));
  const params = await linkParams();
  assert.equal(params.get('legs'), '-100c100_-100p100');
  for (const key of ['type', 'side', 'qty', 'k']) assert.equal(params.has(key), false, `${key} left out`);
  assert.equal(await page.locator('#message').isHidden(), true);
});

test('a book typed in the box applies when committed; a bad one names the field and its position', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&k=105')));
  // The single option is the editor's one row.
  assert.equal(await page.locator('.book-editor tbody tr').count(), 1);
  const box = page.locator('input[name=legs]');
  await box.fill('100c95_-100c105');
  await rerun(() => box.press('Enter'));
  assert.equal((await linkParams()).get('legs'), '100c95_-100c105');
  assert.equal(await page.locator('input[name=k]').isDisabled(), true);
  await box.fill('100c95_-100x105');
  await box.press('Enter');
  await page.waitForFunction(() => !document.getElementById('message').hidden);
  const message = await page.locator('#message').textContent();
  assert.match(message, /legs/);
  assert.match(message, /character 12/);
  // What the reader typed stays in the box to be corrected, and the book on
  // show stays the scenario.
  assert.equal(await box.inputValue(), '100c95_-100x105');
  assert.equal(await page.locator('#message').isHidden(), false);
  assert.equal((await linkParams()).get('legs'), '100c95_-100c105', 'the book on show is kept');
  // Cleared, the single option is back and its controls work again.
  await box.fill('');
  await rerun(() => box.press('Enter'));
  assert.equal(await page.locator('input[name=k]').isDisabled(), false);
  assert.equal((await linkParams()).has('legs'), false);
});

test('the book editor adds, edits and removes legs through the link', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&k=100')));
  await rerun(() => page.locator('.book-editor button', { hasText: 'Add leg' }).click());
  let params = await linkParams();
  assert.equal(params.get('legs'), '-100c100_-100c105', 'a second leg 5 % higher');
  // Make the new leg a long put at 95 expiring in half a year.
  const row = page.locator('.book-editor tbody tr').nth(1);
  await row.locator('input').nth(0).fill('50');
  await rerun(() => row.locator('input').nth(0).press('Tab'));
  await rerun(() => row.locator('select').selectOption('put'));
  await row.locator('input').nth(1).fill('95');
  await rerun(() => row.locator('input').nth(1).press('Tab'));
  await row.locator('input').nth(2).fill('0.5');
  await rerun(() => row.locator('input').nth(2).press('Tab'));
  params = await linkParams();
  assert.equal(params.get('legs'), '-100c100_50p95@0.5');
  assert.equal(await page.locator('#message').isHidden(), true);
  // Removing it leaves the one option, in the single-option keys again.
  await rerun(() => page.locator('.book-editor button[data-remove="1"]').click());
  params = await linkParams();
  assert.equal(params.has('legs'), false);
  assert.equal(await page.locator('.book-editor tbody tr').count(), 1);
  assertNoErrors(assert, page);
});
