// The page's features that only a browser can exercise: every preset loads its
// own link; *Copy link* copies the address; *Embed* gives a snippet that embeds
// the scenario on show; without Web Workers the page computes the same numbers
// on its main thread; the progress bar moves forward and ends full; a long run
// shows a labelled first estimate and marks the older results pending; a link's
// `path=` shows that path (and one out of range is named and falls back to 0);
// the first load's compute time leaves out the workers' start-up.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertChartsDrawn, assertNoErrors, closeServed, launchBrowser, newPage, openPage, openServedPage, recordStatus,
  summaryEntries, waitForReady, waitForRerun,
} from './support.mjs';

let served;
let page;

before(async () => {
  served = await openServedPage((server) => server.url('v=1&paths=300'));
  page = served.page;
});

after(async () => closeServed(served));

/** The address's query (written at most every 100 ms: wait for it). */
async function addressQuery(p = page) {
  await p.waitForTimeout(150);
  return p.evaluate(() => location.search.replace(/^\?/, ''));
}

/** The engine's canonical form of `query` (what the address must then hold). */
const canonical = (query) => page.evaluate((q) => window.wasmBindings.canonical_query(q), query);

/** The summary panel's entries but its compute time (which differs run to run). */
const numbers = async (p) => (await summaryEntries(p)).filter(([label]) => label !== 'Compute time');

/** The final P&L of the ledger on show (its last row's P&L column). */
async function ledgerFinalPnl(p) {
  await p.evaluate(() => { document.getElementById('ledger-details').open = true; });
  await p.waitForFunction(() => document.querySelectorAll('#ledger tbody tr').length > 0);
  return p.evaluate(() => {
    const headers = Array.from(document.querySelectorAll('#ledger thead th')).map((th) => th.textContent);
    const column = headers.findIndex((h) => /P&L/.test(h));
    const rows = document.querySelectorAll('#ledger tbody tr');
    return { column, value: rows[rows.length - 1].cells[column].textContent };
  });
}

test('every preset loads its own link: the address is its canonical form, no message, charts drawn', async () => {
  const presets = await page.evaluate(() => Array.from(document.querySelectorAll('#preset option'))
    .filter((o) => o.value).map((o) => ({ label: o.textContent, query: o.value })));
  assert.ok(presets.length >= 20, `presets: ${presets.length}`);
  for (const { label, query } of presets) {
    await recordStatus(page);
    await page.selectOption('#preset', query);
    await waitForRerun(page);
    assert.equal(await addressQuery(), await canonical(query), `${label}: the address holds the preset's link`);
    assert.equal(await page.evaluate(() => window.hedgeExplorer.query()), await canonical(query), `${label}: the engine holds it`);
    assert.equal(await page.locator('#message').isHidden(), true, `${label}: no message`);
    assert.equal(await page.inputValue('#preset'), '', `${label}: the menu returns to its prompt`);
    await assertChartsDrawn(assert, page);
  }
  assertNoErrors(assert, page);
});

test('Copy link copies the address and says so', async () => {
  await recordStatus(page);
  await page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&vol=0.31&path=4'));
  await waitForRerun(page);
  // The clipboard is replaced by a recorder: headless Chromium has no system clipboard.
  await page.evaluate(() => {
    window.__copied = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t) => { window.__copied.push(t); } } });
  });
  await page.waitForTimeout(150); // the address is written within 100 ms
  await page.click('#copy-link');
  const [copied] = await page.evaluate(() => window.__copied);
  assert.equal(copied, await page.evaluate(() => location.href));
  assert.match(copied, /[?&]vol=0\.31(&|$)/);
  assert.match(copied, /&path=4$/);
  assert.equal(await page.textContent('#copy-link'), 'Copied');
});

test('Embed shows a snippet whose frame opens the scenario on show in compact mode', async () => {
  await recordStatus(page);
  await page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&vol=0.27&cost=0.002'));
  await waitForRerun(page);
  await page.click('#embed-button');
  assert.equal(await page.evaluate(() => document.getElementById('embed-dialog').open), true);
  const snippet = await page.inputValue('#embed-code');
  assert.match(snippet, /^<iframe src="[^"]+" title="[^"]+" width="100%" height="\d+" style="border:0" loading="lazy" sandbox="allow-scripts allow-same-origin"><\/iframe>$/);
  const src = snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  const query = await page.evaluate(() => window.hedgeExplorer.query());
  assert.equal(src, `${served.server.url(query)}&embed=1`);
  await page.keyboard.press('Escape');

  // The snippet itself, pasted into an article, shows that scenario.
  const host = await newPage(served.browser.context);
  await host.setContent(`<!doctype html><html lang="en"><head><title>An article</title></head><body>${snippet.replace('loading="lazy"', '')}</body></html>`);
  const frame = await (await host.waitForSelector('iframe')).contentFrame();
  await frame.waitForURL(/embed=1/);
  await waitForReady(frame);
  assert.equal(await frame.evaluate(() => window.hedgeExplorer.query()), query);
  assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true);
  assert.deepEqual(await numbers(frame), await numbers(page));
  await host.close();
});

/** The progress bar's width in per cent, from a transform it was given (`scaleX(f)`). */
const percent = (transform) => Number(/scaleX\(([^)]*)\)/.exec(transform)?.[1]) * 100;

test('without Web Workers the page computes on its main thread: same numbers, progress, charts', async () => {
  const browser = await launchBrowser();
  try {
    const query = 'v=1&paths=4000&steps=126&cost=0.001';
    await browser.context.addInitScript(() => {
      // As in a browser without workers; record every width the progress bar takes.
      delete window.Worker;
      window.__progress = [];
      document.addEventListener('DOMContentLoaded', () => {
        const bar = document.getElementById('progress-bar');
        new MutationObserver(() => window.__progress.push(bar.style.transform)).observe(bar, { attributes: true, attributeFilter: ['style'] });
      });
    });
    const alone = await openPage(browser.context, served.server.url(query));
    assert.equal(await alone.evaluate(() => typeof Worker), 'undefined');
    assert.ok(!alone.requests.some((u) => u.endsWith('/worker.js')), 'no worker script is loaded');
    await assertChartsDrawn(assert, alone);
    const widths = (await alone.evaluate(() => window.__progress)).map(percent);
    assert.ok(widths.length >= 3, `the bar moved in steps: ${widths}`);
    for (let i = 1; i < widths.length; i++) assert.ok(widths[i] >= widths[i - 1], `progress never goes back: ${widths}`);
    assert.ok(widths.some((w) => w > 0 && w < 100), `a width between empty and full: ${widths}`);
    assert.equal(widths.at(-1), 100);

    // The same link on workers: the same summary panel and the same bytes.
    await recordStatus(page);
    await page.evaluate((q) => window.hedgeExplorer.set(q), query);
    await waitForRerun(page);
    assert.deepEqual(await numbers(alone), await numbers(page));
    const bytes = (p) => p.evaluate((q) => window.hedgeExplorer.summary(q), query);
    assert.equal(await bytes(alone), await bytes(page));
    assertNoErrors(assert, alone);
  } finally {
    await browser.close();
  }
});

test('the first load\'s compute time starts once the workers are up, not with their start-up', async () => {
  const fresh = await newPage(served.browser.context);
  await fresh.goto(served.server.url('v=1&paths=300'));
  await waitForReady(fresh);
  const [ready, run] = await fresh.evaluate(() => [
    performance.getEntriesByName('hedge-explorer:workers-ready')[0]?.startTime,
    performance.getEntriesByName('hedge-explorer:monte-carlo')[0],
  ].map((e) => (typeof e === 'number' ? e : e && { start: e.startTime, duration: e.duration })));
  assert.ok(ready > 0, 'the workers-ready mark is set');
  assert.ok(run.start >= ready, `the run is timed from ${run.start} ms, after the workers were up at ${ready} ms`);
  // What the summary says is that measure.
  const shown = (await summaryEntries(fresh)).find(([label]) => label === 'Compute time')[1];
  assert.match(shown, new RegExp(`^${Math.round(run.duration)} ms, \\d+ workers`), shown);
  await fresh.close();
});

test('the progress bar on workers moves forward and ends full', async () => {
  await page.evaluate(() => {
    window.__progress = [];
    const bar = document.getElementById('progress-bar');
    new MutationObserver(() => window.__progress.push(bar.style.transform)).observe(bar, { attributes: true, attributeFilter: ['style'] });
  });
  await recordStatus(page);
  await page.evaluate(() => window.hedgeExplorer.set('v=1&paths=20000&steps=252'));
  await waitForRerun(page);
  const widths = (await page.evaluate(() => window.__progress)).map(percent);
  assert.ok(widths.some((w) => w > 0 && w < 100), `a width between empty and full: ${widths}`);
  for (let i = 1; i < widths.length; i++) assert.ok(widths[i] >= widths[i - 1], `progress never goes back: ${widths}`);
  assert.equal(widths.at(-1), 100);
});

test('a long run shows a labelled first estimate, and never the older numbers as the new scenario\'s', async () => {
  // Watch the summary panel: every state it is in while the run goes on.
  await page.evaluate(() => {
    window.__states = [];
    const record = () => {
      const paths = Array.from(document.querySelectorAll('#summary > div')).find((d) => d.textContent.startsWith('Paths'));
      window.__states.push({
        status: document.body.dataset.status,
        pending: document.getElementById('summary').classList.contains('pending'),
        busy: document.querySelector('.results').getAttribute('aria-busy'),
        paths: paths ? `${paths.querySelector('dt').textContent}|${paths.querySelector('dd').textContent}` : '',
      });
    };
    new MutationObserver(record).observe(document.getElementById('summary'), { childList: true, attributes: true, attributeFilter: ['class'] });
  });
  await recordStatus(page);
  const total = 60000;
  // At once (in the same task as the change): the older results are marked
  // pending (they fade after a moment) and the results busy.
  const first = await page.evaluate(async (q) => {
    await window.hedgeExplorer.set(q);
    return {
      pending: document.getElementById('summary').classList.contains('pending'),
      busy: document.querySelector('.results').getAttribute('aria-busy'),
    };
  }, `v=1&paths=${total}&steps=252`);
  assert.deepEqual(first, { pending: true, busy: 'true' });
  await waitForRerun(page, 120_000);
  const states = await page.evaluate(() => window.__states);
  const estimates = states.filter((st) => st.paths.startsWith('Paths (an estimate'));
  assert.ok(estimates.length > 0, `a first estimate before the run ended: ${JSON.stringify(states)}`);
  let previous = 0;
  for (const st of estimates) {
    // "12,345 of 60,000 so far", from more paths each time, never all of them.
    const [, shown, of] = st.paths.match(/\|([\d,]+) of ([\d,]+) so far$/).map((x) => Number(String(x).replace(/,/g, '')));
    assert.equal(of, total);
    assert.ok(shown > previous && shown < total, `${shown} of ${of} after ${previous}`);
    assert.equal(st.status, 'busy');
    assert.equal(st.pending, false, 'an estimate of the new scenario is not faded');
    previous = shown;
  }
  // While busy the panel is the new run's (an estimate, or the whole run's
  // while the frontier is still computing) or else marked pending.
  const whole = `Paths|${total.toLocaleString('en-US')}`;
  for (const st of states.filter((x) => x.status === 'busy')) {
    assert.ok(st.pending || st.paths.startsWith('Paths (an estimate') || st.paths === whole, JSON.stringify(st));
  }
  const last = await page.evaluate(() => ({
    pending: document.querySelectorAll('.pending').length,
    busy: document.querySelector('.results').getAttribute('aria-busy'),
  }));
  assert.deepEqual(last, { pending: 0, busy: 'false' });
  const entries = new Map(await summaryEntries(page));
  assert.equal(entries.get('Paths'), total.toLocaleString('en-US'));
});

test('a link\'s path= shows that path, and one out of range is named and shows path 0', async () => {
  const browser = await launchBrowser();
  try {
    const withPath = await openPage(browser.context, served.server.url('v=1&paths=300&path=7'));
    assert.equal(await withPath.inputValue('#path-index'), '7');
    assert.match(await addressQuery(withPath), /&path=7$/);
    const seventh = await ledgerFinalPnl(withPath);

    const plain = await openPage(browser.context, served.server.url('v=1&paths=300'));
    const first = await ledgerFinalPnl(plain);
    await plain.fill('#path-index', '7');
    await plain.dispatchEvent('#path-index', 'change');
    await plain.waitForFunction(() => /path=7/.test(location.search));
    assert.deepEqual(await ledgerFinalPnl(plain), seventh, 'path=7 in the link shows what choosing path 7 shows');
    assert.notDeepEqual(first, seventh, 'and that is not path 0');

    const beyond = await openPage(browser.context, served.server.url('v=1&paths=300&path=300'));
    assert.match(await beyond.textContent('#message'), /path: must be below the number of paths \(300\)/);
    assert.equal(await beyond.inputValue('#path-index'), '0');
    assert.deepEqual(await ledgerFinalPnl(beyond), first);
  } finally {
    await browser.close();
  }
});
