// The default page draws every chart and its summary without any error, and it
// loads everything through relative URLs from the sub-path it is served under.
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
