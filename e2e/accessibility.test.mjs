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
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1, 2).join('').trim()})` : ''}`),
    }));
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
function report(mode, violations) {
  const counts = IMPACTS.map((impact) => {
    const rules = violations.filter((v) => v.impact === impact);
    return `${impact} ${rules.length} (${rules.reduce((n, v) => n + v.nodes, 0)} elements)`;
  });
  console.log(`axe ${mode}: ${counts.join(', ')}`);
  for (const v of violations) console.log(`  ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`);
  const bad = violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.targets.join(', ')}`), [], `${mode}: serious or critical violations`);
}

for (const [mode, query, colorScheme] of [
  ['light', 'v=1&paths=300', 'light'],
  ['dark', 'v=1&paths=300', 'dark'],
  ['embed', 'v=1&paths=300&embed=1', 'light'],
]) {
  test(`axe finds nothing serious or critical in ${mode} mode`, async () => {
    report(mode, await audit(query, colorScheme));
  });
}
