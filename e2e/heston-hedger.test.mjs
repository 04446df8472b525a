// The hedger who prices with the Heston model (price=heston-mv): the page
// runs it, titles its comparison as the deltas', lists the Black–Scholes,
// Heston and minimum-variance deltas on the same paths, draws them as
// distributions, and greys out the hedging vol the model replaces.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoErrors, canvasPixels, closeServed, openServedPage } from './support.mjs';

let server;
let browser;
let page;

before(async () => {
  ({ server, browser, page } = await openServedPage((s) => s.url('v=1&model=heston&price=heston-mv&cost=0&paths=1000')));
});

after(() => closeServed({ server, browser }));

test('the comparison sets the three deltas side by side', async () => {
  assert.equal(await page.locator('#h-compare').textContent(), 'Black–Scholes vs Heston deltas');
  const rows = await page.locator('#compare-table tbody tr td:first-child').allTextContents();
  assert.deepEqual(rows, [
    'none',
    'static, Heston min-variance delta',
    'every 1, BS delta',
    'every 1, Heston delta',
    'every 1, Heston min-variance delta',
  ]);
  const chart = await canvasPixels(page, '#chart-compare');
  assert.ok(chart.fraction > 0.01, `the distributions are drawn (${chart.fraction})`);
  // Knowing the model and the correlation narrows the P&L (seeded paths:
  // the same numbers every run; tests/heston_hedge.rs checks it in SEs).
  const sd = async (row) => Number((await page.locator(`#compare-table tbody tr:nth-child(${row}) td:nth-child(3)`)
    .textContent()).replace(/,/g, ''));
  const [bs, mv] = [await sd(3), await sd(5)];
  assert.ok(Number.isFinite(bs) && Number.isFinite(mv) && mv < bs, `SD ${mv} (minimum-variance) < ${bs} (Black–Scholes)`);
  assertNoErrors(assert, page);
});

test('the hedging vol is greyed out: the model prices', async () => {
  assert.ok(await page.locator('#c-hvol').isDisabled(), 'hvol is superseded under price=heston');
  assert.ok(!(await page.locator('#c-price').isDisabled()), 'price is not');
});
