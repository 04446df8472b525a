// Recovery from failures, forced through the page's test-only hook
// (hedgeExplorer.failForTests): a panic of the page's engine, a panic of a
// worker's engine and a worker whose script throws each show a visible
// message, leave the last good charts on show marked stale (not blank), and
// the next change runs on a fresh engine — same numbers as before the failure,
// on as many workers — without a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHARTS, assertChartsDrawn, canvasPixels, closeServed, openServedPage, recordStatus, waitForRerun } from './support.mjs';

let served;
let page;
const QUERY = 'v=1&paths=2000&steps=63';

before(async () => {
  served = await openServedPage((server) => server.url(QUERY));
  page = served.page;
});

after(async () => closeServed(served));

/** What the page shows: status, message, stale mark, workers, summary bytes. */
const state = () => page.evaluate(() => ({
  status: document.body.dataset.status,
  message: document.getElementById('message').hidden ? '' : document.getElementById('message').textContent,
  stale: document.querySelector('.results').classList.contains('stale'),
  computeTime: Array.from(document.querySelectorAll('#summary > div')).find((d) => d.querySelector('dt').textContent === 'Compute time')?.querySelector('dd').textContent,
}));

/** The histogram's pixels (to tell that the charts stayed on show). */
const histogram = async () => (await canvasPixels(page, CHARTS[0])).dataURL;

/** Apply `query` and wait for the run; returns the summary the page shows. */
async function runAgain(query) {
  await recordStatus(page);
  await page.evaluate((q) => window.hedgeExplorer.set(q), query);
  await waitForRerun(page);
}

test('a panic of the page\'s engine: a message, stale charts, then a fresh engine on the next change', async () => {
  const before = await histogram();
  const expected = await page.evaluate((q) => window.hedgeExplorer.summary(q), QUERY);
  await page.evaluate(() => window.hedgeExplorer.failForTests('page'));
  await page.waitForFunction(() => document.body.dataset.status === 'error');
  await page.waitForFunction(() => /restarted/.test(document.getElementById('message').textContent));
  const failed = await state();
  assert.match(failed.message, /internal error/);
  assert.match(failed.message, /forced for the e2e test/);
  assert.equal(failed.stale, true, 'the results are marked stale');
  assert.equal(await histogram(), before, 'the last good histogram stays on show');

  await runAgain(`${QUERY}&vol=0.3`);
  await runAgain(QUERY);
  const recovered = await state();
  assert.equal(recovered.status, 'ready');
  assert.equal(recovered.message, '', 'the message goes with the next change');
  assert.equal(recovered.stale, false);
  assert.equal(await page.evaluate((q) => window.hedgeExplorer.summary(q), QUERY), expected, 'the fresh engine gives the same bytes');
  await assertChartsDrawn(assert, page);
});

for (const how of ['panic', 'crash']) {
  test(`a worker's ${how === 'panic' ? 'engine panics' : 'script throws'} in a run: a message, stale charts, the worker replaced`, async () => {
    const workers = (await state()).computeTime.match(/(\d+) workers/)[1];
    const expected = await page.evaluate((q) => window.hedgeExplorer.summary(q), QUERY);
    // A long run, failed while it is under way.
    await page.evaluate(() => { window.hedgeExplorer.set('v=1&paths=100000&steps=252'); });
    await page.waitForFunction(() => document.body.dataset.status === 'busy');
    await page.evaluate((h) => window.hedgeExplorer.failForTests(h), how);
    await page.waitForFunction(() => document.body.dataset.status === 'error');
    const failed = await state();
    assert.match(failed.message, how === 'panic' ? /in a Web Worker.*replaced/s : /Web Worker failed.*replaced/s);
    assert.equal(failed.stale, true);
    await assertChartsDrawn(assert, page);

    await runAgain(QUERY);
    const recovered = await state();
    assert.equal(recovered.status, 'ready');
    assert.equal(recovered.stale, false);
    assert.equal(recovered.message, '');
    assert.match(recovered.computeTime, new RegExp(`${workers} workers`), 'as many workers as before');
    assert.equal(await page.evaluate((q) => window.hedgeExplorer.summary(q), QUERY), expected);
  });
}
