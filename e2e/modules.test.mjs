// The page as ES modules from a served sub-path: its modules and its real Web
// Worker file load from there; "New paths" draws a fresh seed from wasm (never
// Math.random); a panic of the wasm engine shows a visible alert.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  SUB_PATH, assertChartsDrawn, assertNoErrors, closeServed, newPage, openServedPage, recordStatus, waitForRerun,
} from './support.mjs';

/** The page's own modules, as www/ has them. */
const MODULES = ['main.js', 'page.js', 'link.js', 'controls.js', 'format.js', 'workers.js', 'run.js', 'charts.js', 'tables.js', 'embed.js', 'status.js', 'api.js'];

let served;

before(async () => {
  served = await openServedPage((s) => s.url('v=1&paths=300&seed=5'));
});

after(() => closeServed(served));

test('the modules and the worker file load from the sub-path; the run is on workers', async () => {
  const { server, page } = served;
  for (const file of [...MODULES, 'worker.js']) {
    assert.ok(server.requests.includes(`${SUB_PATH}${file}`), `${file} was loaded from ${SUB_PATH} (requests: ${server.requests.join(', ')})`);
  }
  assert.deepEqual(server.requests.filter((p) => !p.startsWith(SUB_PATH)), [], 'every request stays under the sub-path');
  assert.equal(page.requests.filter((u) => u.startsWith('blob:')).length, 0, 'no worker from a Blob when served');
  const workers = await page.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');
  assert.ok(Number(workers) >= 1, 'the page computes on Web Workers');
  assert.equal(await page.evaluate(() => typeof window.hedgeExplorer.summary), 'function');
  await assertChartsDrawn(assert, page);
  assertNoErrors(assert, page);
});

test('New paths draws a fresh seed from wasm and writes it to the address', async () => {
  const { page } = served;
  // The page must not use Math.random for seeds.
  await page.evaluate(() => { Math.random = () => { throw new Error('Math.random called'); }; });
  const seeds = [];
  for (let i = 0; i < 2; i++) {
    await recordStatus(page);
    await page.click('#reroll');
    await waitForRerun(page);
    const seed = new URL(page.url()).searchParams.get('seed');
    assert.match(seed ?? '', /^\d+$/, `the address has a seed (${page.url()})`);
    assert.ok(Number(seed) < 2 ** 32, `${seed} is a 32-bit seed`);
    assert.equal(await page.locator('input[name=seed]').inputValue(), seed, 'the seed control shows it');
    seeds.push(seed);
  }
  assert.notEqual(seeds[0], '5', 'the seed changed from the link\'s');
  assert.notEqual(seeds[0], seeds[1], 'each click draws a new seed');
  assert.equal(
    await page.evaluate(() => window.hedgeExplorer.query()),
    new URL(page.url()).search.slice(1),
    'the address is the page\'s canonical link',
  );
  assertNoErrors(assert, page);
});

test('a panic of the wasm engine shows a visible alert', async () => {
  const page = await newPage(served.browser.context);
  await page.goto(served.server.url('v=1&paths=300'));
  await page.waitForFunction(() => document.body.dataset.status === 'ready');
  // panic_for_tests exists for this test only: nothing in the page calls it.
  await page.evaluate(() => setTimeout(() => window.wasmBindings.panic_for_tests('forced for the e2e test')));
  await page.waitForFunction(() => document.body.dataset.status === 'error');
  const message = page.locator('#message');
  assert.equal(await message.isVisible(), true, 'the message is shown');
  assert.equal(await message.getAttribute('role'), 'alert');
  const text = await message.textContent();
  assert.match(text, /internal error/);
  assert.match(text, /forced for the e2e test/, 'the panic\'s own message is shown');
  assert.ok(page.errors.some((e) => /forced for the e2e test/.test(e)), `the panic reached the console too: ${page.errors.join('\n')}`);
  await page.close();
});
