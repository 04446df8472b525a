// The page audited by axe-core (node_modules/axe-core, a dev dependency) in
// light mode, dark mode and embed mode, with the advanced controls and the trade
// ledger open: no violation of impact 'serious' or 'critical'. The counts of
// every impact found are printed (the README quotes them).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, closeServed, launchBrowser, openPage, startServer } from './support.mjs';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];

let server;
let browser;

before(async () => {
  server = await startServer();
  // axe is injected as a script of its own, which the page's
  // Content-Security-Policy would refuse: this audit is about accessibility.
  browser = await launchBrowser({ bypassCSP: true });
});

after(() => closeServed({ server, browser }));

/** Open `query` in `colorScheme`, open every part of the page, run axe; returns its violations. */
async function audit(query, colorScheme) {
  const opened = await openPageIn(query, colorScheme);
  await opened.evaluate(() => {
    document.getElementById('advanced').open = true;
    document.getElementById('ledger-details').open = true;
  });
  await opened.waitForTimeout(300);
  await opened.addScriptTag({ path: AXE });
  const violations = await opened.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    // What axe could not decide (e.g. text over a gradient) is listed, for a person to check.
    const incomplete = result.incomplete.map((v) => `${v.id} (${v.nodes.length})`);
    return [incomplete, result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1, 2).join('').trim()})` : ''}`),
    }))];
  });
  await opened.close();
  return violations;
}

async function openPageIn(query, colorScheme) {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme });
  page.errors = [];
  await page.goto(server.url(query));
  await page.waitForFunction(() => document.body.dataset.status === 'ready', null, { timeout: 60_000 });
  return page;
}

/** Prints the counts by impact (rules and elements) and asserts none is serious or critical. */
function report(mode, [incomplete, violations]) {
  const counts = IMPACTS.map((impact) => {
    const rules = violations.filter((v) => v.impact === impact);
    return `${impact} ${rules.length} (${rules.reduce((n, v) => n + v.nodes, 0)} elements)`;
  });
  console.log(`axe ${mode}: ${counts.join(', ')}; to review by hand: ${incomplete.join(', ') || 'none'}`);
  for (const v of violations) console.log(`  ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`);
  const bad = violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.targets.join(', ')}`), [], `${mode}: serious or critical violations`);
}

for (const [mode, query, colorScheme] of [
  ['light', 'v=1&paths=300', 'light'],
  ['dark', 'v=1&paths=300', 'dark'],
  ['embed', 'v=1&paths=300&embed=1', 'light'],
  ['dark embed', 'v=1&paths=300&embed=1', 'dark'],
]) {
  test(`axe finds nothing serious or critical in ${mode} mode`, async () => {
    report(mode, await audit(query, colorScheme));
  });
}

/** Every chart canvas' role and text alternative, by id. */
const chartLabels = (page) => page.evaluate(() => Object.fromEntries(
  Array.from(document.querySelectorAll('canvas')).map((c) => [c.id, { role: c.getAttribute('role'), label: c.getAttribute('aria-label') }]),
));

/** The summary panel's value for `label`. */
const summaryValue = (page, label) => page.evaluate((l) => Array.from(document.querySelectorAll('#summary > div'))
  .find((d) => d.querySelector('dt').textContent === l).querySelector('dd').textContent, label);

test('every chart has a text alternative with its key numbers, renewed by each run', async () => {
  const page = await openPageIn('v=1&paths=300', 'light');
  const first = await chartLabels(page);
  for (const [id, { role, label }] of Object.entries(first)) {
    assert.equal(role, 'img', `#${id} is an image to assistive technology`);
    assert.ok(label && label.length > 40, `#${id} has a text alternative: ${label}`);
  }
  // The histogram states the summary panel's numbers; the comparison, each row's SD.
  const histogram = first['chart-histogram'].label;
  for (const name of ['Mean P&L', 'SD of P&L', 'VaR 95%', 'ES 95%']) {
    const value = await summaryValue(page, name);
    assert.ok(histogram.includes(value), `the histogram's alternative has the ${name} ${value}: ${histogram}`);
  }
  assert.match(histogram, /over 300 paths/);
  const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#compare-table tbody tr'))
    .map((tr) => Array.from(tr.cells).map((td) => td.textContent)));
  assert.ok(rows.length >= 3);
  for (const [rule, mean, sd] of rows) {
    assert.ok(first['chart-compare'].label.includes(`${rule}: mean ${mean}, SD ${sd}`), `the comparison's alternative has ${rule}'s mean and SD: ${first['chart-compare'].label}`);
  }
  assert.match(first['chart-frontier'].label, /for \d+ settings of every, from every 1: mean costs [\d.,]+, SD [\d.,]+ to every \d+/);
  assert.match(first['chart-frontier'].label, /your setting, every 1: /);
  // The one-path charts name the path on show and its outcome line's numbers.
  const outcome = await page.locator('#path-outcome').textContent(); // "P&L x · n trades · costs y"
  const [, pnl, trades] = outcome.match(/P&L (\S+) · (\d+) trades/);
  for (const id of ['chart-spot', 'chart-hedge', 'chart-greeks', 'chart-pnl']) {
    assert.ok(first[id].label.includes('path 0') && first[id].label.includes(`final P&L ${pnl}, ${trades} trades`), `#${id}: ${first[id].label}`);
  }
  assert.match(first['chart-smile'].label, /hedger's vol is \S+/);

  // A slider moves (vol 0.3): the run's and the path's alternatives change with the charts.
  await page.evaluate(() => window.hedgeExplorer.set('v=1&paths=300&vol=0.3'));
  await page.waitForFunction(() => document.body.dataset.status === 'ready' && window.hedgeExplorer.query().includes('vol=0.3'));
  const second = await chartLabels(page);
  for (const id of ['chart-histogram', 'chart-compare', 'chart-frontier', 'chart-spot', 'chart-hedge', 'chart-greeks', 'chart-pnl']) {
    assert.notEqual(second[id].label, first[id].label, `#${id}'s alternative changed with the run`);
  }
  assert.ok(second['chart-histogram'].label.includes(await summaryValue(page, 'SD of P&L')));

  // Back-tests: the timeline names the window on show.
  await page.evaluate(() => window.hedgeExplorer.set('v=1&hist=sp500&from=1987-10-16'));
  await page.waitForFunction(() => document.body.dataset.status === 'ready' && window.hedgeExplorer.query().includes('hist=sp500'));
  const history = await chartLabels(page);
  assert.match(history['chart-timeline'].label, /on show: path 0 \(1987-10-16 to 1988-01-15\)/);
  await page.close();
});

// WCAG 1.4.10 (reflow): at 320 CSS px, with every part of the page open, the
// page itself never scrolls sideways; only the wide data tables scroll, each
// in a focusable region of its own.
test('at 320 px the page reflows: nothing but the data tables scrolls sideways', async () => {
  for (const [query, colorScheme] of [['v=1&paths=300', 'light'], ['v=1&paths=300&insure=cppi', 'dark']]) {
    const page = await openPageIn(query, colorScheme);
    await page.setViewportSize({ width: 320, height: 700 });
    await page.evaluate(() => {
      document.getElementById('advanced').open = true;
      document.getElementById('ledger-details').open = true;
    });
    await page.waitForTimeout(300);
    const layout = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const inScroller = (el) => el.closest('.table-scroll') !== null;
      const past = Array.from(document.querySelectorAll('body *'))
        .filter((el) => !inScroller(el) && el.getBoundingClientRect().width > 0)
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}`);
      const scrollers = Array.from(document.querySelectorAll('.table-scroll'))
        .map((el) => ({ tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'), label: el.getAttribute('aria-label') }));
      return { overflow: document.documentElement.scrollWidth - width, past, scrollers };
    });
    assert.equal(layout.overflow, 0, `${query}: the page scrolls sideways; past the edge: ${layout.past.slice(0, 8).join(', ')}`);
    assert.deepEqual(layout.past, [], `${query}: elements past the edge`);
    for (const s of layout.scrollers) {
      assert.equal(s.tabindex, '0', 'a scrolling table can be reached by keyboard');
      assert.equal(s.role, 'region');
      assert.match(s.label, /scrolls/);
    }
    assert.ok(layout.scrollers.length >= 2, 'the comparison and the ledger each scroll in a region');
    await page.close();
  }
});
