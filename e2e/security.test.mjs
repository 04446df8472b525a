// Safe by construction: the page's Content-Security-Policy (its <meta> in
// www/index.html) and the sandboxed embed. The served page loads, computes and
// draws under the policy without a single violation, and refuses eval and
// new Function; so does the single file under its own policy of hashes; the
// Embed dialog's snippet, sandbox and all, works in an article.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DIST, SINGLE_FILE, assertChartsDrawn, assertNoErrors, launchBrowser, newPage, startServer, waitForReady,
} from './support.mjs';

const HOST_PATH = '/articles/host.html';
const routes = {};
let server;
let browser;

before(async () => {
  server = await startServer({ routes });
  browser = await launchBrowser();
  // Every page records the policy violations it sees (before any of its scripts run).
  await browser.context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The policy of an HTML text: its CSP <meta>'s directives, by name. */
function policyOf(html) {
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  assert.ok(meta, 'the page has a Content-Security-Policy <meta>');
  return Object.fromEntries(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

/**
 * eval and new Function in the page: what each did. They run in a task of the
 * page's own (a timer), not in the test's evaluation, which DevTools exempts
 * from the policy's eval check.
 */
const tryEval = (page) => page.evaluate(() => new Promise((resolve) => {
  const attempt = (f) => { try { f(); return 'ran'; } catch (e) { return e.name; } };
  setTimeout(() => resolve({
    eval: attempt(() => window.eval('1 + 1')),
    function: attempt(() => new Function('return 1')()),
  }), 0);
}));

test('the served page: a policy in its first <meta>, every script a file, no inline handler', () => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
  assert.match(head.replace(/<!--[\s\S]*?-->/g, ''), /^<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"/,
    'the policy comes before anything it governs');
  const policy = policyOf(html);
  assert.deepEqual(policy['default-src'], ["'none'"]);
  assert.deepEqual(policy['script-src'], ["'self'", "'wasm-unsafe-eval'"], 'scripts: the page\'s own files, wasm, no eval, nothing inline');
  assert.deepEqual(policy['style-src'], ["'self'"]);
  assert.equal(policy['style-src-attr'], undefined, 'no style attributes (chart text is measured on the canvas)');
  assert.deepEqual(policy['worker-src'], ["'self'"]);
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g);
  assert.ok(scripts.length >= 2);
  for (const script of scripts) assert.match(script, /^<script type="module" src="\.\/[\w.-]+\.js"[^>]*><\/script>$/, `a script file, not inline: ${script.slice(0, 120)}`);
  assert.doesNotMatch(html.replace(/<!--[\s\S]*?-->/g, ''), /\son[a-z]+\s*=/i, 'no inline event handler');
  assert.doesNotMatch(html, /<style/i, 'no inline stylesheet');
});

test('the served page computes and draws under its policy without a violation, and refuses eval', async () => {
  const page = await newPage(browser.context);
  await page.goto(server.url('v=1&paths=300'));
  await waitForReady(page);
  await assertChartsDrawn(assert, page);
  // The workers ran: no policy stopped them.
  const workers = await page.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');
  assert.ok(Number(workers) >= 1, `computed on Web Workers (${workers})`);
  // The Embed dialog's Close (a method="dialog" form) works under form-action 'none'.
  await page.click('#embed-button');
  await page.click('#embed-dialog form button:not(#embed-copy)');
  await page.waitForFunction(() => !document.getElementById('embed-dialog').open);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assertNoErrors(assert, page);
  assert.deepEqual(await tryEval(page), { eval: 'EvalError', function: 'EvalError' });
  const refused = await page.evaluate(() => window.__violations);
  assert.ok(refused.length >= 1 && refused.every((v) => v.startsWith('script-src blocked eval')), refused.join('\n'));
  await page.close();
});

test('the single file has its own policy of hashes, computes under it and refuses eval', async () => {
  const html = fs.readFileSync(SINGLE_FILE, 'utf8');
  const policy = policyOf(html);
  assert.ok(policy['script-src'].length === 3 && policy['script-src'].slice(0, 2).every((s) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(s)),
    `its two inline module scripts by hash, and wasm: ${policy['script-src'].join(' ')}`);
  assert.equal(policy['script-src'][2], "'wasm-unsafe-eval'");
  assert.ok(!Object.values(policy).flat().some((v) => ["'unsafe-eval'", "'self'"].includes(v)), 'no eval, nothing from the file system');
  assert.deepEqual(policy['worker-src'], ['blob:']);
  assert.deepEqual(policy['connect-src'], ["'none'"]);
  const page = await newPage(browser.context);
  await page.goto(`${pathToFileURL(SINGLE_FILE).href}?v=1&paths=300`);
  await waitForReady(page);
  await assertChartsDrawn(assert, page);
  const workers = await page.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');
  assert.ok(Number(workers) >= 1, `computed on Web Workers from blob: URLs (${workers})`);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assertNoErrors(assert, page);
  assert.deepEqual(await tryEval(page), { eval: 'EvalError', function: 'EvalError' });
  await page.close();
});

test('the Embed snippet, sandbox and all, runs in an article: ready, drawn, no violation', async () => {
  const page = await newPage(browser.context);
  await page.goto(server.url('v=1&paths=300&vol=0.25'));
  await waitForReady(page);
  await page.click('#embed-button');
  const snippet = await page.inputValue('#embed-code');
  await page.close();
  assert.match(snippet, / sandbox="allow-scripts allow-same-origin"/);
  // The snippet exactly as an author pastes it, on a page of another origin
  // (localhost, not 127.0.0.1).
  routes[HOST_PATH] = {
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>An article</title></head><body><p>Text.</p>${snippet}</body></html>`,
  };
  const host = await newPage(browser.context);
  await host.goto(`${server.origin.replace('127.0.0.1', 'localhost')}${HOST_PATH}`);
  const iframe = await host.waitForSelector('iframe');
  assert.equal(await iframe.getAttribute('sandbox'), 'allow-scripts allow-same-origin');
  await iframe.scrollIntoViewIfNeeded(); // loading="lazy"
  const frame = await iframe.contentFrame();
  await frame.waitForURL(/embed=1/);
  await waitForReady(frame);
  assert.equal(new URLSearchParams(await frame.evaluate(() => window.hedgeExplorer.query())).get('vol'), '0.25');
  await assertChartsDrawn(assert, frame);
  const workers = await frame.evaluate(() => document.querySelector('#summary').textContent.match(/(\d+) workers/)?.[1] ?? '0');
  assert.ok(Number(workers) >= 1, `the sandboxed frame computes on Web Workers (${workers})`);
  assert.deepEqual(await frame.evaluate(() => window.__violations), []);
  assertNoErrors(assert, host);
  await host.close();
});
