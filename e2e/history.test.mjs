// Back-tests in the page: a history preset shows its window's dates; a CSV
// chosen in the file box (read in the page, nothing uploaded) becomes a `px`
// link that reopens to the same numbers; a bad CSV names its line and leaves
// the scenario on show; a bad date names its field and keeps what was typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChartsDrawn, assertNoErrors, closeServed, openPage, openServedPage, recordStatus, summaryEntries, waitForRerun } from './support.mjs';

let served;
let page;

before(async () => {
  served = await openServedPage((server) => server.url('v=1&paths=300'));
  page = served.page;
});

after(async () => closeServed(served));

/** The link in the address (written at most every 100 ms: wait for it). */
async function address() {
  await page.waitForTimeout(150);
  return page.evaluate(() => location.search);
}

async function rerun(action) {
  await recordStatus(page);
  await action();
  return waitForRerun(page);
}

const CSV = 'date,close\n2020-02-14,3380.16\n2020-02-18,3370.29\n2020-02-19,3386.15\n2020-02-20,3373.23\n' +
  '2020-02-21,3337.75\n2020-02-24,3225.89\n2020-02-25,3128.21\n2020-02-26,3116.39\n2020-02-27,2978.76\n';

test('the Black Monday preset replays 1987-10-16 to 1988-01-15 with dated charts', async () => {
  const query = await page.evaluate(() => Array.from(document.querySelectorAll('#preset option')).find((o) => o.textContent.startsWith('Black Monday')).value);
  await rerun(() => page.selectOption('#preset', query));
  assert.equal(await page.locator('#message').isHidden(), true);
  assert.match(await page.locator('#path-outcome').textContent(), /^1987-10-16 → 1988-01-15 · P&L/);
  // Simulation keys do nothing while history is replayed: greyed out.
  const off = await page.evaluate(() => ['vol', 'paths', 'seed', 'steps'].map((k) => document.querySelector(`[name=${k}]`).disabled));
  assert.deepEqual(off, [true, true, true, true]);
  await assertChartsDrawn(assert, page);
  assertNoErrors(assert, page);
});

test('a CSV in the file box becomes a px link that reopens to the same numbers', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&k=95&paths=300')));
  await rerun(() => page.setInputFiles('input[data-prices-file]', { name: 'covid.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) }));
  assert.equal(await page.locator('#message').isHidden(), true, await page.locator('#message').textContent());
  const search = await address();
  const px = new URLSearchParams(search).get('px');
  assert.ok(px && px.length > 10, search);
  assert.match(await page.locator('#o-px').textContent(), /9 prices/);
  // The same link in a fresh page gives the same numbers.
  const numbers = async (p) => (await summaryEntries(p)).filter(([label]) => label !== 'Compute time');
  const shown = await numbers(page);
  const other = await openPage(served.browser.context, served.server.url(search.slice(1)));
  assert.equal(await other.evaluate(() => location.search), search);
  assert.deepEqual(await numbers(other), shown);
  await other.close();
  // Clear goes back to simulated paths.
  await page.evaluate(() => { document.getElementById('advanced').open = true; });
  await rerun(() => page.click('button[data-prices-clear]'));
  assert.equal(new URLSearchParams(await address()).has('px'), false);
  assertNoErrors(assert, page);
});

test('a bad CSV names its line and leaves the scenario on show', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&k=97&paths=300')));
  const before = await address();
  await page.setInputFiles('input[data-prices-file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('close\n100\n10O\n') });
  await page.waitForFunction(() => !document.getElementById('message').hidden);
  const message = await page.locator('#message').textContent();
  assert.match(message, /px: bad\.csv: line 3/);
  assert.match(message, /unchanged/);
  assert.equal(await address(), before);
  assertNoErrors(assert, page);
});

test('a date outside the series names from and keeps the scenario and the typed text', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&hist=sp500&from=2008-09-12')));
  const before = await address();
  await page.evaluate(() => { document.getElementById('advanced').open = true; });
  await page.fill('input[name=from]', '1900-01-01');
  await page.press('input[name=from]', 'Enter');
  await page.waitForFunction(() => !document.getElementById('message').hidden);
  assert.match(await page.locator('#message').textContent(), /from: 1900-01-01 is outside the series/);
  assert.equal(await address(), before);
  assert.equal(await page.inputValue('input[name=from]'), '1900-01-01');
  assertNoErrors(assert, page);
});

test('a histogram bar of a roll lists its windows, and each shows its path', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&every=5&hist=sp500&from=1960-01-04&until=1975-01-02&roll=21')));
  // Click across the histogram until a bar is hit (any bar holds windows).
  const histogram = page.locator('#chart-histogram');
  for (let k = 1; k < 40; k += 1) {
    // (A hit scrolls to the path: bring the chart back into view each time.)
    await histogram.scrollIntoViewIfNeeded();
    const box = await histogram.boundingBox();
    await page.mouse.click(box.x + (box.width * k) / 40, box.y + box.height * 0.6);
    if (await page.evaluate(() => !document.getElementById('bar-windows').hidden)) break;
  }
  await page.waitForFunction(() => !document.getElementById('bar-windows').hidden);
  const buttons = page.locator('#bar-windows button');
  assert.ok(await buttons.count() >= 1);
  const label = await buttons.nth(0).textContent();
  const [from, until] = label.split(':')[0].split(' → ');
  assert.match(from, /^19\d\d-\d\d-\d\d$/);
  await buttons.nth(0).click();
  await page.waitForFunction((f) => document.getElementById('path-outcome').textContent.startsWith(f), from);
  assert.match(await page.locator('#path-outcome').textContent(), new RegExp(`^${from} → ${until}`));
  assertNoErrors(assert, page);
});

test('the timeline shows the series and a click on it starts the window there', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&hist=sp500&from=1987-10-16')));
  assert.equal(await page.locator('#timeline-box').isVisible(), true);
  const timeline = page.locator('#chart-timeline');
  await timeline.scrollIntoViewIfNeeded();
  const box = await timeline.boundingBox();
  // Near the left end of the plot: the 1950s.
  await rerun(() => page.mouse.click(box.x + box.width * 0.15, box.y + box.height / 2));
  const from = new URLSearchParams(await address()).get('from');
  assert.match(from, /^195\d-\d\d-\d\d$/, from);
  assert.match(await page.locator('#path-outcome').textContent(), new RegExp(`^${from} → `));
  // Simulated paths have no timeline.
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300')));
  assert.equal(await page.locator('#timeline-box').isVisible(), false);
  assertNoErrors(assert, page);
});

test('an insured portfolio shows its value and exposure in place of the option charts', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&insure=cppi&mult=5&paths=300')));
  assert.equal(await page.evaluate(() => document.body.classList.contains('insured')), true);
  assert.equal(await page.locator('#chart-greeks').isVisible(), false);
  assert.equal(await page.locator('#chart-hedge').isVisible(), true);
  const labels = await page.evaluate(() => Array.from(document.querySelectorAll('#summary dt')).map((dt) => dt.textContent));
  assert.ok(labels.includes('Paths below the floor'), labels.join(', '));
  const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#compare-table tbody tr')).map((tr) => tr.cells[0].textContent));
  assert.deepEqual(rows, ['none', 'put', 'synthetic, every 1', 'cppi, every 1']);
  await assertChartsDrawn(assert, page);
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300')));
  assert.equal(await page.locator('#chart-greeks').isVisible(), true);
  assertNoErrors(assert, page);
});

test('more prices than a link carries run in the page and stay out of the address', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300')));
  let csv = 'close\n';
  for (let i = 0; i < 2500; i += 1) csv += `${(100 * Math.exp(0.01 * Math.sin(i / 7) + i * 1e-4)).toFixed(2)}\n`;
  await rerun(() => page.setInputFiles('input[data-prices-file]', { name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }));
  const message = await page.locator('#message').textContent();
  assert.match(message, /^Note:/);
  assert.match(message, /2500 prices are more than a link carries/);
  assert.equal(new URLSearchParams(await address()).has('px'), false);
  assert.match(await page.locator('#o-px').textContent(), /2500 prices, local only/);
  // The run is of those prices: one path, hedged at every one of its steps.
  const outcome = await page.locator('#path-outcome').textContent();
  const trades = Number(outcome.match(/(\d+) trades/)[1]);
  assert.ok(trades > 1000 && trades <= 2500, outcome);
  assertNoErrors(assert, page);
});

test('a CSV dropped anywhere on the page loads like one chosen in the file box', async () => {
  await rerun(() => page.evaluate(() => window.hedgeExplorer.set('v=1&k=95&paths=300')));
  await rerun(() => page.evaluate((csv) => {
    const data = new DataTransfer();
    data.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
    document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, CSV));
  assert.equal(await page.locator('#message').isHidden(), true);
  const px = new URLSearchParams(await address()).get('px');
  // The same prices as the file box gave: the same link value.
  assert.equal(px, await page.evaluate((csv) => window.wasmBindings.prices_link(csv).value, CSV));
  assert.match(await page.locator('#path-outcome').textContent(), /^2020-02-14 → 2020-02-27/);
  assertNoErrors(assert, page);
});
