// Keyboard and motion: Tab reaches every control of the main group and the
// header's preset menu and buttons, each showing a visible focus indicator;
// the Embed dialog opens with Enter or Space and closes with Escape; with
// prefers-reduced-motion the page neither transitions nor scrolls smoothly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoErrors, closeServed, launchBrowser, newPage, startServer, waitForReady } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Record how the page asks to scroll (smoothly or not).
  await browser.context.addInitScript(() => {
    window.__scrolls = [];
    const scrollIntoView = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (options) {
      window.__scrolls.push(options && typeof options === 'object' ? options.behavior ?? 'auto' : 'auto');
      return scrollIntoView.call(this, options);
    };
  });
});

after(() => closeServed({ server, browser }));

async function open(query, media = {}) {
  const page = await newPage(browser.context);
  await page.emulateMedia(media);
  await page.goto(server.url(query));
  await waitForReady(page);
  return page;
}

/** The focused element: a name for it and how its focus shows. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    name: el.id || el.name || el.tagName,
    outline: style.outlineStyle === 'none' ? 'none' : `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    outlineWidth: parseFloat(style.outlineWidth),
    boxShadow: style.boxShadow,
  };
});

test('Tab reaches the header\'s menu and buttons and every main control, each with a visible focus', async () => {
  const page = await open('v=1&paths=300');
  const wanted = ['preset', 'reroll', 'copy-link', 'embed-button',
    ...await page.evaluate(() => Array.from(document.querySelectorAll('[data-group=main] [name]'))
      .filter((el) => el.type !== 'hidden' && !el.disabled && el.checkVisibility()).map((el) => el.id))];
  assert.ok(wanted.length >= 8, `the main group has its controls: ${wanted.join(', ')}`);
  const reached = [];
  for (let i = 0; i < 60 && !wanted.every((id) => reached.some((r) => r.name === id)); i++) {
    await page.keyboard.press('Tab');
    reached.push(await focused(page));
  }
  console.log(`Tab order: ${reached.map((r) => r.name).join(' → ')}`);
  for (const id of wanted) {
    const stop = reached.find((r) => r.name === id);
    assert.ok(stop, `Tab reaches #${id} (reached: ${reached.map((r) => r.name).join(', ')})`);
    assert.ok((stop.outline !== 'none' && stop.outlineWidth >= 2) || stop.boxShadow !== 'none',
      `#${id} shows its focus (outline ${stop.outline}, box-shadow ${stop.boxShadow})`);
  }
  // In the order of the page: the header's actions first, then the form.
  const order = wanted.map((id) => reached.findIndex((r) => r.name === id));
  assert.deepEqual(order, [...order].sort((a, b) => a - b), `Tab follows the page's order: ${wanted.join(', ')}`);
  assertNoErrors(assert, page);
  await page.close();
});

test('the focus ring keeps 3:1 against the page and the panels in both themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await open('v=1&paths=300', { colorScheme });
    const colours = await page.evaluate(() => {
      document.getElementById('embed-button').focus({ focusVisible: true });
      const parse = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
      const panel = getComputedStyle(document.querySelector('.panel')).backgroundColor;
      return {
        ring: parse(getComputedStyle(document.activeElement).outlineColor),
        page: parse(getComputedStyle(document.body).backgroundColor),
        panel: parse(panel),
      };
    });
    // WCAG 2 relative luminance and contrast ratio.
    const luminance = (rgb) => {
      const [r, g, b] = rgb.map((v) => v / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    for (const background of ['page', 'panel']) {
      const ratio = contrast(colours.ring, colours[background]);
      console.log(`${colorScheme}: focus ring ${colours.ring} on the ${background} ${colours[background]}: ${ratio.toFixed(2)}:1`);
      assert.ok(ratio >= 3, `${colorScheme}: the focus ring ${colours.ring} against the ${background} ${colours[background]}: ${ratio.toFixed(2)}:1`);
    }
    await page.close();
  }
});

test('the Embed dialog opens with Enter or Space and closes with Escape', async () => {
  const page = await open('v=1&paths=300');
  const isOpen = () => page.evaluate(() => document.getElementById('embed-dialog').open);
  for (const key of ['Enter', 'Space']) {
    await page.focus('#embed-button');
    await page.keyboard.press(key);
    await page.waitForFunction(() => document.getElementById('embed-dialog').open);
    assert.match(await page.inputValue('#embed-code'), /^<iframe /, `${key}: the snippet is shown`);
    // The focus moved into the dialog.
    assert.equal(await page.evaluate(() => document.getElementById('embed-dialog').contains(document.activeElement)), true);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('embed-dialog').open);
    assert.equal(await isOpen(), false, `${key}: Escape closed it`);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'embed-button', 'the focus went back to Embed');
  }
  assertNoErrors(assert, page);
  await page.close();
});

/** Click the histogram's middle (a bar near the mean): the page shows that path and scrolls to it. */
async function clickHistogram(page) {
  await page.evaluate(() => { window.__scrolls = []; });
  const box = await page.locator('#chart-histogram').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => window.__scrolls.length > 0);
  return page.evaluate(() => window.__scrolls);
}

test('with prefers-reduced-motion: no transition, no smooth scrolling', async () => {
  const still = await open('v=1&paths=300', { reducedMotion: 'reduce' });
  assert.equal(await still.evaluate(() => getComputedStyle(document.getElementById('progress-bar')).transitionDuration), '0s');
  assert.deepEqual(await clickHistogram(still), ['auto'], 'the jump to the path is instant');
  const moving = await open('v=1&paths=300', { reducedMotion: 'no-preference' });
  assert.equal(await moving.evaluate(() => getComputedStyle(document.getElementById('progress-bar')).transitionDuration), '0.1s');
  assert.deepEqual(await clickHistogram(moving), ['smooth'], 'without the preference, the page scrolls smoothly');
  for (const page of [still, moving]) {
    assertNoErrors(assert, page);
    await page.close();
  }
});
