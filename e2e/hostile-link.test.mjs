// A hostile link: markup in values and keys, out-of-range numbers, an unknown key,
// a bad page key. The page names every problem as text, runs nothing from the
// link, keeps the good fields and still works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertChartsDrawn, assertNoErrors, closeServed, controlValues, openServedPage,
} from './support.mjs';

const HOSTILE =
  'vol=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E&k=-5&paths=999999999' +
  '&bogus=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&s=120&path=%3Cb%3E';

// The defaults of the link format (README, "The scenario link format").
const DEFAULTS = { vol: '0.2', k: '100', paths: '2000' };

let server;
let browser;
let page;

before(async () => {
  ({ server, browser, page } = await openServedPage((s) => s.url(HOSTILE)));
});

after(() => closeServed({ server, browser }));

test('the message is visible and names every bad field', async () => {
  const message = page.locator('#message');
  assert.equal(await message.isVisible(), true, '#message is shown');
  const text = await message.textContent();
  const lines = text.split('\n');
  for (const field of ['vol', 'k', 'paths', 'bogus', 'path']) {
    assert.ok(
      lines.some((line) => line.replace(/^"|"(?=:)/g, '').startsWith(`${field}:`)),
      `the message names ${field}:\n${text}`,
    );
  }
  assert.ok(!lines.some((line) => /^"?s"?:/.test(line)), `the good field s is not reported:\n${text}`);
});

test('nothing from the link runs or becomes markup', async () => {
  // Give a would-be onerror handler time to fire.
  await page.waitForTimeout(200);
  const dom = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    messageChildren: document.querySelectorAll('#message *').length,
    imgX: Array.from(document.images).filter((img) => img.getAttribute('src') === 'x').length,
    imgs: document.images.length,
    hostileScripts: Array.from(document.scripts).filter((s) => s.textContent.includes('__pwned')).length,
    bold: document.querySelectorAll('body b').length,
  }));
  assert.equal(dom.pwned, 'undefined', 'window.__pwned was never set');
  assert.equal(dom.messageChildren, 0, '#message holds only text');
  assert.equal(dom.imgX, 0, 'no <img src=x>');
  assert.equal(dom.imgs, 0, 'the page has no images at all');
  assert.equal(dom.hostileScripts, 0, 'no script from the link');
  assert.equal(dom.bold, 0, 'no <b> from the path key');
  assertNoErrors(assert, page);
});

test('the good field is applied and the bad ones show their defaults', async () => {
  const values = await controlValues(page);
  assert.equal(values.s, '120', 'spot from the link');
  for (const [key, value] of Object.entries(DEFAULTS)) {
    assert.equal(Number(values[key]), Number(value), `${key} shows its default ${value} (shows ${values[key]})`);
  }
  assert.equal(await page.locator('#path-index').inputValue(), '0', 'the first path is shown');
  const scenario = new URLSearchParams(await page.evaluate(() => window.hedgeExplorer.query()));
  assert.equal(scenario.get('s'), '120');
  for (const key of ['vol', 'k', 'paths', 'bogus']) assert.equal(scenario.get(key), null, `${key} is left at its default`);
  const address = new URL(page.url());
  assert.equal(address.searchParams.get('s'), '120', 'the address keeps the good field');
  assert.equal(address.searchParams.get('path'), null, 'and drops the bad ones');
});

test('the page still computes and draws', async () => {
  assert.equal(await page.evaluate(() => document.body.dataset.status), 'ready');
  await assertChartsDrawn(assert, page);
  assertNoErrors(assert, page);
});
