// A hostile link: markup in values and keys, out-of-range numbers, an unknown key,
// a bad page key. The page names every problem as text, runs nothing from the
// link, keeps the good fields and still works.
//
// Safe by construction: no script of the page inserts text as HTML (a check of
// www/*.js), and markup through every key of a link, through a CSV's date and
// price cells and through a CSV's file name stays text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT, assertChartsDrawn, assertNoErrors, closeServed, controlValues, openPage, openServedPage, waitForReady,
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

/** What markup from outside could have left in the page. */
const traces = (page) => page.evaluate(() => ({
  pwned: typeof window.__pwned,
  imgs: document.images.length,
  bold: document.querySelectorAll('body b').length,
  hostileScripts: Array.from(document.scripts).filter((el) => el.textContent.includes('__pwned')).length,
  messageChildren: document.querySelectorAll('#message *').length,
}));
const CLEAN = { pwned: 'undefined', imgs: 0, bold: 0, hostileScripts: 0, messageChildren: 0 };
const MARKUP = '<img src=x onerror=window.__pwned=1><b>b</b><script>window.__pwned=1</script>';

test('no script of the page inserts text as HTML', () => {
  const dir = path.join(ROOT, 'www');
  const sinks = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write(ln)?|createContextualFragment|DOMParser|srcdoc)\b|\beval\s*\(|new\s+Function\b/;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(files.length >= 10, files.join(', '));
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    const found = lines.map((line, i) => [i + 1, line]).filter(([, line]) => sinks.test(line.replace(/\/\/.*$/, '')));
    assert.deepEqual(found, [], `${file}: an HTML sink or eval`);
  }
});

test('markup in every key of a link stays text', async () => {
  const keys = await page.evaluate(() => Array.from(document.querySelectorAll('#controls [name]')).map((el) => el.name));
  assert.ok(keys.length > 30, `the engine's keys: ${keys.join(', ')}`);
  const query = ['v=1', ...keys.map((key) => `${key}=${encodeURIComponent(MARKUP)}`), `path=${encodeURIComponent(MARKUP)}`].join('&');
  const other = await openPage(browser.context, server.url(query));
  await other.waitForTimeout(200); // time for a would-be onerror
  assert.deepEqual(await traces(other), CLEAN);
  const message = await other.locator('#message').textContent();
  for (const key of ['vol', 'legs', 'px', 'from', 'hist', 'rule', 'path']) {
    assert.ok(message.split('\n').some((line) => line.startsWith(`${key}:`)), `the message names ${key}:\n${message}`);
  }
  await assertChartsDrawn(assert, other);
  assertNoErrors(assert, other);
  await other.close();
});

test('markup in a CSV\'s dates, prices and file name stays text', async () => {
  const other = await openPage(browser.context, server.url('v=1&paths=300'));
  const csvs = [
    [`${MARKUP}.csv`, `date,close\n2020-01-02,100\n${MARKUP},101\n2020-01-06,102\n`],
    ['prices.csv', `date,close\n2020-01-02,100\n2020-01-03,${MARKUP}\n2020-01-06,102\n`],
    ['header.csv', `${MARKUP},${MARKUP}\n2020-01-02,100\n2020-01-03,101\n`],
  ];
  for (const [name, csv] of csvs) {
    await other.setInputFiles('input[data-prices-file]', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await other.waitForFunction(() => !document.getElementById('message').hidden);
    await waitForReady(other);
    const message = await other.locator('#message').textContent();
    assert.match(message, /^Not applied[^]*\npx: /, `${name}: refused, named as text:\n${message}`);
    assert.ok(message.includes(`px: ${name}: `), `the file name shown as written: ${message}`);
    await other.waitForTimeout(200);
    assert.deepEqual(await traces(other), CLEAN, `${name}: nothing from the CSV became markup`);
  }
  assertNoErrors(assert, other);
  await other.close();
});
