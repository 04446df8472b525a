// A keyboard user moves the volatility slider: the page recomputes, the address
// follows, and that address, opened anywhere else, restores the same scenario.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertChartsDrawn, assertNoErrors, canvasPixels, closeServed, controlValues, launchBrowser, openPage, openServedPage,
  recordStatus, summaryEntries, waitForReady, waitForRerun,
} from './support.mjs';

const PRESSES = 3;

let server;
let browser;
let page;
let before_;

before(async () => {
  ({ server, browser, page } = await openServedPage((s) => s.url('v=1&paths=300')));
});

after(() => closeServed({ server, browser }));

test('arrow keys on the volatility slider recompute the page', async () => {
  const vol = page.locator('input[name=vol]');
  before_ = {
    value: await vol.inputValue(),
    step: Number(await vol.getAttribute('step')),
    output: await page.locator('#o-vol').textContent(),
    histogram: (await canvasPixels(page, '#chart-histogram')).dataURL,
    url: page.url(),
  };
  await vol.focus();
  assert.equal(await page.evaluate(() => document.activeElement.name), 'vol', 'the slider has the keyboard focus');
  await recordStatus(page);
  for (let i = 0; i < PRESSES; i += 1) await page.keyboard.press('ArrowRight');
  const log = await waitForRerun(page);
  assert.ok(log.includes('busy') && log.indexOf('busy') < log.lastIndexOf('ready'), `status went busy → ready (${log.join(' → ')})`);

  const value = await vol.inputValue();
  const expected = Number(before_.value) + PRESSES * before_.step;
  assert.ok(Math.abs(Number(value) - expected) < 1e-9, `vol moved ${PRESSES} steps: ${before_.value} → ${value}`);

  const url = new URL(page.url());
  assert.notEqual(page.url(), before_.url, 'the address changed');
  assert.equal(url.searchParams.get('vol'), value, `the address carries the new vol: ${page.url()}`);
  assert.equal(url.searchParams.get('paths'), '300', 'the address keeps the rest of the scenario');

  const output = await page.locator('#o-vol').textContent();
  assert.notEqual(output, before_.output, 'the slider\'s output shows the new value');
  assert.match(output, new RegExp(`${Math.round(Number(value) * 100)}`), `#o-vol "${output}" shows ${value}`);

  const histogram = (await canvasPixels(page, '#chart-histogram')).dataURL;
  assert.notEqual(histogram, before_.histogram, 'the histogram was redrawn with new results');
  await assertChartsDrawn(assert, page);
  assertNoErrors(assert, page);
});

test('the new address restores the same scenario in a fresh browser', async () => {
  assert.ok(before_, 'runs after the keyboard test');
  const address = page.url();
  const other = await launchBrowser(); // a new profile: nothing shared but the link
  try {
    const copy = await openPage(other.context, address);
    assert.deepEqual(await controlValues(copy), await controlValues(page), 'every control has the same value');

    const summaryOf = (p) => p.evaluate(() => window.hedgeExplorer.summary(window.hedgeExplorer.query()));
    const [first, second] = [await summaryOf(page), await summaryOf(copy)];
    assert.deepEqual(JSON.parse(second), JSON.parse(first), 'the same summary numbers');
    assert.equal(second, first, 'byte for byte');

    // The visible panel too, except the compute time, which measures this machine.
    const visible = async (p) => (await summaryEntries(p)).filter(([label]) => label !== 'Compute time');
    const shown = await visible(page);
    assert.ok(shown.length >= 10, 'the summary panel has its entries');
    assert.deepEqual(await visible(copy), shown);
    assert.equal(
      await copy.locator('#o-vol').textContent(),
      await page.locator('#o-vol').textContent(),
      'the same volatility is shown',
    );
    await assertChartsDrawn(assert, copy);
    assertNoErrors(assert, copy);
  } finally {
    await other.close();
  }
});

test('a burst of slider input applies the first at once and only the newest of the rest', async () => {
  await waitForReady(page);
  await recordStatus(page);
  const applied = await page.evaluate(async () => {
    const vol = document.querySelector('input[name=vol]');
    const count = () => performance.getEntriesByName('hedge-explorer:path-redraw').length;
    const start = count();
    const values = ['0.31', '0.32', '0.33', '0.34', '0.35'];
    const seen = [];
    // A drag: five input events within one task, so within one frame.
    for (const value of values) {
      vol.value = value;
      vol.dispatchEvent(new Event('input', { bubbles: true }));
      seen.push(window.hedgeExplorer.query().match(/(?:^|&)vol=([^&]*)/)?.[1]);
    }
    const inTask = count() - start;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return { seen, inTask, afterFrames: count() - start, query: window.hedgeExplorer.query() };
  });
  assert.equal(applied.seen[0], '0.31', 'the first move applies without waiting for a frame');
  assert.deepEqual(applied.seen.slice(1), ['0.31', '0.31', '0.31', '0.31'], 'the others wait for the next frame');
  assert.equal(applied.inTask, 1, 'one redraw within the burst');
  assert.equal(applied.afterFrames, 2, 'then one more, for the newest');
  assert.match(applied.query, /(^|&)vol=0\.35(&|$)/, 'the scenario is the newest move');
  await waitForRerun(page);
  assertNoErrors(assert, page);
});
