// The page's JS API (`window.hedgeExplorer`) gives the CLI's bytes, rejects bad
// links naming the field, and applies a link to the page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertChartsDrawn, assertNoErrors, cliSummary, closeServed, controlValues, openServedPage, recordStatus, waitForRerun,
} from './support.mjs';

const QUERIES = [
  'v=1&paths=500&steps=30&jumps=2&cost=0.002&rule=band&band=0.04',
  'v=1&type=put&side=long&vol=0.3&hvol=0.2&paths=400',
  'v=1&s=49&k=50&t=0.38461538461538464&rule=ww&aversion=0.5&settle=physical&fee=1&impact=0.0001&paths=300&seed=42',
  // Books, and a book hedged with options.
  'v=1&legs=100c95_-200c100_100c105&paths=300&rule=band&band=0.02',
  'v=1&legs=-100c100_100c100@0.5&greeks=delta-gamma-vega&with=c105@0.5_p95@0.75&ocost=0.02&fee=0.5&paths=300&settle=physical',
  // Heston with jumps (Bates).
  'v=1&model=heston&xi=0.8&rho=-0.6&jumps=1&paths=300',
  // The hedger who knows the model, with its comparison of deltas.
  'v=1&model=heston&price=heston-mv&rule=band&band=0.05&paths=300',
  // Recorded prices: a window, a roll, a bootstrap, the reader's own prices.
  'v=1&hist=sp500&from=1987-10-16',
  'v=1&every=5&hist=sp500&from=1960-01-04&until=1975-01-02&roll=21',
  'v=1&model=bootstrap&hist=djia&from=1929-01-02&until=1939-12-29&block=20&paths=300',
  'v=1&k=95&px=A2cAAR4K_AAApQwD2rGRQvXb_Oxg',
  // Portfolio insurance, simulated and on Black Monday.
  'v=1&insure=cppi&mult=5&jumps=1&paths=300',
  'v=1&rule=band&band=0.1&insure=put&paths=300',
  'v=1&insure=synthetic&hist=sp500&from=1987-10-09',
];

let server;
let browser;
let page;

before(async () => {
  ({ server, browser, page } = await openServedPage((s) => s.url('v=1&paths=300')));
});

after(() => closeServed({ server, browser }));

for (const query of QUERIES) {
  test(`hedgeExplorer.summary equals the CLI byte for byte: ${query}`, async () => {
    const fromPage = await page.evaluate((q) => window.hedgeExplorer.summary(q), query);
    assert.equal(typeof fromPage, 'string');
    const fromCli = cliSummary(query);
    assert.equal(`${fromPage}\n`, fromCli);
    const parsed = JSON.parse(fromPage);
    // (Recorded prices have as many paths as windows: one, or a roll's.)
    const paths = new URLSearchParams(query).get('paths');
    if (paths) assert.equal(parsed.paths, Number(paths), 'the summary is of the asked scenario');
    else assert.equal(parsed.scenario, query, 'the summary is of the asked scenario');
  });
}

test('the Web Workers give the same bytes as one thread, whatever the chunking', async () => {
  const query = QUERIES[0];
  const result = await page.evaluate(async (q) => ({
    workers: document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0',
    onWorkers: await window.hedgeExplorer.summary(q),
    oneThread: window.wasmBindings.summary(q),
  }), query);
  assert.ok(Number(result.workers) >= 1, 'the page computes on Web Workers');
  assert.equal(result.onWorkers, result.oneThread);
});

test('hedgeExplorer.summary rejects a bad link, naming the field', async () => {
  const outcome = await page.evaluate(() =>
    window.hedgeExplorer.summary('vol=-1').then(
      (value) => ({ resolved: value }),
      (error) => ({ rejected: String(error && error.message ? error.message : error) }),
    ),
  );
  assert.ok('rejected' in outcome, `summary('vol=-1') rejects (it gave ${JSON.stringify(outcome)})`);
  assert.match(outcome.rejected, /\bvol\b/);
});

test('hedgeExplorer.set applies a link: controls, address, run', async () => {
  // Values off the sliders' default grids (strike 98.4 by 0.5s from 50, vol 0.234,
  // cost 0.00125) must still be shown exactly, or the next slider move would
  // silently change them.
  const query = 'v=1&k=98.4&vol=0.234&cost=0.00125&rule=band&band=0.04&type=put&steps=40&paths=350&seed=7';
  await recordStatus(page);
  const canonical = await page.evaluate((q) => window.hedgeExplorer.set(q), query);
  const log = await waitForRerun(page);
  assert.ok(log.includes('busy'), `the page recomputed (${log.join(' → ')})`);

  const values = await controlValues(page);
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === 'v') continue;
    const shown = values[key];
    const same = Number.isNaN(Number(value)) ? shown === value : Number(shown) === Number(value);
    assert.ok(same, `control ${key} shows ${JSON.stringify(shown)}, the link says ${value}`);
  }
  assert.equal(canonical, await page.evaluate(() => window.hedgeExplorer.query()), 'set resolves to the current link');
  assert.equal(new URL(page.url()).search, `?${canonical}`, 'the address is the canonical link');
  assert.equal(
    await page.evaluate(() => window.hedgeExplorer.summary(window.hedgeExplorer.query())),
    await page.evaluate((q) => window.hedgeExplorer.summary(q), query),
    'the page runs the link it was given',
  );
  await assertChartsDrawn(assert, page);

  // Moving another slider changes only that field.
  const band = page.locator('input[name=band]');
  await band.focus();
  await recordStatus(page);
  await page.keyboard.press('ArrowRight');
  await waitForRerun(page);
  const moved = Object.fromEntries(new URLSearchParams(new URL(page.url()).search));
  const kept = Object.fromEntries(new URLSearchParams(canonical));
  assert.notEqual(moved.band, kept.band, 'the band moved');
  delete moved.band;
  delete kept.band;
  assert.deepEqual(moved, kept, 'every other field of the link is unchanged');
  assertNoErrors(assert, page);
});
