// dist/hedge-explorer.html, the self-contained file, works straight from file://
// (its modules bundled, its Web Workers made from the inlined worker source) and
// computes exactly what the served page computes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  SINGLE_FILE, assertChartsDrawn, assertNoErrors, launchBrowser, openPage, requireDist, startServer,
} from './support.mjs';

const QUERY = 'vol=0.3&paths=300';

let server;
let browser;

before(async () => {
  requireDist();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the single file opens from file://, computes and draws', async () => {
  const url = `${pathToFileURL(SINGLE_FILE).href}?${QUERY}`;
  const page = await openPage(browser.context, url);
  assert.ok(page.url().startsWith('file://'), `opened from file:// (${page.url()})`);
  assert.equal(await page.locator('input[name=vol]').inputValue(), '0.3', 'the link was applied');
  assert.equal(await page.locator('input[name=paths]').inputValue(), '300');
  assert.equal(await page.locator('#message').isHidden(), true, 'no message');
  await assertChartsDrawn(assert, page);
  // Nothing but the file itself is loaded.
  // blob: URLs are the page's own Web Worker scripts, made in memory.
  assert.deepEqual(page.requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  // The run was on Web Workers made from the inlined worker source.
  const workers = await page.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');
  assert.ok(Number(workers) >= 1, `the single file computes on Web Workers (${workers})`);
  assert.equal(await page.evaluate(() => document.querySelectorAll('script[src]').length), 0, 'every script is inline');

  const served = await openPage(browser.context, server.url(QUERY));
  const summaryOf = (p) => p.evaluate((q) => window.hedgeExplorer.summary(q), QUERY);
  const [fromFile, fromServer] = [await summaryOf(page), await summaryOf(served)];
  assert.equal(fromFile, fromServer, 'the same summary, byte for byte');
  assert.equal(JSON.parse(fromFile).paths, 300);
  assert.equal(
    await page.evaluate(() => window.hedgeExplorer.query()),
    await served.evaluate(() => window.hedgeExplorer.query()),
    'the same canonical link',
  );
  assertNoErrors(assert, page);
  assertNoErrors(assert, served);
});
