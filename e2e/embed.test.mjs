// Embed mode: in an article's iframe the page shows the charts and the four main
// sliders, and tells its host its height.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  SUB_PATH, assertChartsDrawn, assertNoErrors, launchBrowser, newPage, startServer, waitForReady,
} from './support.mjs';

const HOST_PATH = '/articles/host.html';
const FRAME_SRC = `${SUB_PATH}index.html?v=1&paths=300&embed=1`;
const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>An article</title></head>
<body>
<p>Some article text.</p>
<script>
  window.received = [];
  window.addEventListener('message', (event) => {
    const frame = document.getElementById('explorer');
    window.received.push({ data: event.data, fromFrame: event.source === frame.contentWindow, origin: event.origin });
    // The README's listener: the frame takes the height the page asks for.
    if (event.data && event.data.type === 'hedge-explorer:height') frame.style.height = event.data.height + 'px';
  });
</script>
<iframe id="explorer" src="${FRAME_SRC.replace(/&/g, '&amp;')}" title="hedge-explorer" width="900" height="780" style="border:0"></iframe>
</body></html>`;

let server;
let browser;
let page;
let frame;

before(async () => {
  server = await startServer({ routes: { [HOST_PATH]: { body: HOST_PAGE } } });
  browser = await launchBrowser();
  page = await newPage(browser.context);
  await page.goto(`${server.origin}${HOST_PATH}`);
  frame = await (await page.waitForSelector('#explorer')).contentFrame();
  await frame.waitForURL(/embed=1/);
  await waitForReady(frame);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the host receives the frame\'s height', async () => {
  await page.waitForFunction(() => window.received.some((m) => m.data && m.data.type === 'hedge-explorer:height'));
  const messages = (await page.evaluate(() => window.received)).filter((m) => m.data && m.data.type === 'hedge-explorer:height');
  for (const m of messages) {
    assert.deepEqual(Object.keys(m.data).sort(), ['height', 'type'], `message shape: ${JSON.stringify(m.data)}`);
    assert.ok(Number.isInteger(m.data.height) && m.data.height > 200, `height ${m.data.height} > 200`);
    assert.equal(m.fromFrame, true, 'sent by the embedded page');
    assert.equal(m.origin, server.origin);
  }
});

/** Waits until the host's iframe is exactly as tall as the embedded page's content. */
async function frameFitsContent() {
  const content = () => frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const iframe = () => page.evaluate(() => document.getElementById('explorer').getBoundingClientRect().height);
  const deadline = Date.now() + 10_000;
  let sizes;
  do {
    sizes = { content: await content(), iframe: await iframe() };
    if (Math.abs(sizes.content - sizes.iframe) <= 1) return sizes;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  assert.fail(`the iframe is ${sizes.iframe}px tall for ${sizes.content}px of content`);
}

test('with the README\'s listener the frame fits its content, growing and shrinking', async () => {
  const first = await frameFitsContent();
  assert.ok(first.content > 780, `the frame grew from 780px to ${first.content}px`);
  // A wider frame (a reader widens the window) lays out in more columns and is shorter.
  await page.evaluate(() => { document.getElementById('explorer').width = '1400'; });
  const wide = await frameFitsContent();
  assert.ok(wide.content < first.content - 50, `the frame shrank to its content (${first.content}px → ${wide.content}px)`);
  // And back.
  await page.evaluate(() => { document.getElementById('explorer').width = '900'; });
  const narrow = await frameFitsContent();
  assert.ok(Math.abs(narrow.content - first.content) <= 2, `${narrow.content}px again`);
  assertNoErrors(assert, page);
});

test('in the frame: header and advanced controls hidden, the four main sliders shown', async () => {
  assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true);
  assert.equal(await frame.locator('.site-header').isHidden(), true, 'the header is hidden');
  assert.equal(await frame.locator('#advanced').isHidden(), true, 'the advanced group is hidden');
  for (const name of ['vol', 'k', 'cost', 'band']) {
    assert.equal(await frame.locator(`input[name=${name}]`).isVisible(), true, `the ${name} slider is visible`);
  }
  assert.equal(new URL(frame.url()).searchParams.get('embed'), '1', 'the frame keeps embed=1 in its address');
  await assertChartsDrawn(assert, frame);
  assertNoErrors(assert, page);
});
