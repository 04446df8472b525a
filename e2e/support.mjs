// Shared helpers of the end-to-end browser tests (`node --test e2e/`).
//
// - serve dist/ from a static server on 127.0.0.1 under a sub-path (proves the
//   page's URLs are relative),
// - launch the system Chromium headless through playwright-core,
// - open pages, wait for `document.body.dataset.status === 'ready'` (failing fast
//   on 'error' with the page's #message), collect console and page errors,
// - measure what a canvas shows.
//
// The tests assume dist/ is built (`bash scripts/build-web.sh`).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const SINGLE_FILE = path.join(DIST, 'hedge-explorer.html');

/** The sub-path the test server mounts dist/ under. */
export const SUB_PATH = '/some/sub/path/';

/** Generous per-wait limit: a default run takes a few seconds. */
export const READY_TIMEOUT_MS = 60_000;

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The six canvases of the page. */
export const CHARTS = ['#chart-histogram', '#chart-compare', '#chart-frontier', '#chart-spot', '#chart-hedge', '#chart-greeks', '#chart-pnl', '#chart-smile'];

/** Throws a clear message when dist/ has not been built. */
export function requireDist() {
  const missing = [path.join(DIST, 'index.html'), SINGLE_FILE].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `dist/ is not built (missing ${missing.map((f) => path.relative(ROOT, f)).join(', ')}). ` +
        'Run `bash scripts/build-web.sh` before `node --test e2e/`.',
    );
  }
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const wasm = html.match(/href="\.\/([^"]+\.wasm)"/);
  if (wasm && !fs.existsSync(path.join(DIST, wasm[1]))) {
    throw new Error(`dist/index.html refers to ${wasm[1]}, which is missing: rebuild with \`bash scripts/build-web.sh\`.`);
  }
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A static server for dist/ under SUB_PATH on 127.0.0.1 (a free port).
 * `routes` maps absolute URL paths to `{ type, body }` for extra pages (e.g. an
 * embedding host). Every request path is recorded in `requests`.
 */
export async function startServer({ routes = {} } = {}) {
  requireDist();
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url.pathname);
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, MIME['.txt'], 'method not allowed');
    if (routes[url.pathname]) {
      const { type = MIME['.html'], body } = routes[url.pathname];
      return send(200, type, body);
    }
    if (!url.pathname.startsWith(SUB_PATH)) return send(404, MIME['.txt'], `not found: ${url.pathname}`);
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(SUB_PATH.length)) || 'index.html';
    } catch {
      return send(400, MIME['.txt'], 'bad path');
    }
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST + path.sep)) return send(403, MIME['.txt'], 'forbidden');
    try {
      const body = await fsp.readFile(file);
      return send(200, MIME[path.extname(file).toLowerCase()] || 'application/octet-stream', body);
    } catch {
      return send(404, MIME['.txt'], `not found: ${url.pathname}`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    /** The page's base URL (ends with '/'). */
    base: `${origin}${SUB_PATH}`,
    /** The app page with a query string (without '?'). */
    url: (query = '') => `${origin}${SUB_PATH}index.html${query ? `?${query}` : ''}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

/**
 * Launches headless Chromium with a fresh profile; `close()` also removes the
 * profile. `options` go to the browser context (e.g. `{ bypassCSP: true }` for a
 * test that injects its own script).
 */
export async function launchBrowser(options = {}) {
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hedge-explorer-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        await fsp.rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A new page of `context` with its console errors, page errors and requests
 * recorded on `page.errors`, `page.warnings` and `page.requests`.
 */
export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.warnings = [];
  page.requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(`console.error: ${msg.text()}`);
    else if (msg.type() === 'warning') page.warnings.push(msg.text());
  });
  page.on('pageerror', (error) => page.errors.push(`page error: ${error.message}`));
  page.on('request', (request) => page.requests.push(request.url()));
  return page;
}

/** Opens `url` in a new page and waits until it is ready. */
export async function openPage(context, url) {
  const page = await newPage(context);
  await page.goto(url);
  await waitForReady(page);
  return page;
}

/**
 * A test file's usual fixture: a server for dist/, a browser, and the page at
 * `url(server)` (waited until ready). Close it with `closeServed`.
 */
export async function openServedPage(url) {
  const server = await startServer();
  const browser = await launchBrowser();
  const page = await openPage(browser.context, url(server));
  return { server, browser, page };
}

/** Closes what `openServedPage` (or a file's own setup) opened. */
export async function closeServed({ server, browser }) {
  await browser?.close();
  await server?.close();
}

/**
 * Waits until the page's (or frame's) status is 'ready'; throws at once, with
 * the #message text, if it becomes 'error'.
 */
export async function waitForReady(page, timeout = READY_TIMEOUT_MS) {
  const errors = () => (page.errors || []).join('\n');
  try {
    await page.waitForFunction(
      () => ['ready', 'error'].includes(document.body && document.body.dataset.status),
      null,
      { timeout },
    );
  } catch (error) {
    const status = await page.evaluate(() => document.body && document.body.dataset.status).catch(() => '?');
    throw new Error(`the page did not become ready (status ${status}): ${error.message}\n${errors()}`);
  }
  const { status, message } = await page.evaluate(() => ({
    status: document.body.dataset.status,
    message: document.getElementById('message').textContent,
  }));
  if (status === 'error') throw new Error(`the page failed: ${message}\n${errors()}`);
}

/**
 * Starts recording every change of the page's status into `window.__statusLog`.
 * Call before an action; then `waitForRerun` waits for busy → ready.
 */
export async function recordStatus(page) {
  await page.evaluate(() => {
    window.__statusLog = [];
    if (!window.__statusObserver) {
      window.__statusObserver = new MutationObserver(() => window.__statusLog.push(document.body.dataset.status));
      window.__statusObserver.observe(document.body, { attributes: true, attributeFilter: ['data-status'] });
    }
  });
}

/** Waits until the status went busy and then ready (after `recordStatus`); returns the log. */
export async function waitForRerun(page, timeout = READY_TIMEOUT_MS) {
  await page.waitForFunction(
    () => {
      const log = window.__statusLog;
      const status = document.body.dataset.status;
      return status === 'error' || (log.includes('busy') && status === 'ready');
    },
    null,
    { timeout },
  );
  await waitForReady(page, timeout);
  return page.evaluate(() => window.__statusLog.slice());
}

/**
 * What a canvas shows: its size, how many pixels differ clearly (any channel by
 * more than `margin`) from the colour of its top-left corner (the background),
 * that share, and its data URL.
 */
export async function canvasPixels(page, selector, margin = 40) {
  return page.evaluate(
    ([sel, m]) => {
      const canvas = document.querySelector(sel);
      if (!canvas) throw new Error(`no canvas ${sel}`);
      const { width, height } = canvas;
      const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      const bg = [data[0], data[1], data[2], data[3]];
      let different = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i] - bg[0]) > m ||
          Math.abs(data[i + 1] - bg[1]) > m ||
          Math.abs(data[i + 2] - bg[2]) > m ||
          Math.abs(data[i + 3] - bg[3]) > m
        ) {
          different += 1;
        }
      }
      const total = width * height;
      return {
        selector: sel,
        width,
        height,
        background: bg,
        different,
        fraction: total > 0 ? different / total : 0,
        dataURL: canvas.toDataURL('image/png'),
      };
    },
    [selector, margin],
  );
}

/**
 * Asserts that every chart on show shows a meaningful share of drawn pixels
 * (an insured portfolio hides the option hedge's greeks and P&L charts).
 */
export async function assertChartsDrawn(assert, page, minFraction = 0.01) {
  for (const selector of CHARTS) {
    const shown = await page.evaluate((sel) => document.querySelector(sel)?.checkVisibility() ?? false, selector);
    const insured = await page.evaluate(() => document.body.classList.contains('insured'));
    if (!shown && insured && ['#chart-greeks', '#chart-pnl'].includes(selector)) continue;
    const c = await canvasPixels(page, selector);
    assert.ok(c.width > 100 && c.height > 100, `${selector} has a real size (${c.width}×${c.height})`);
    assert.ok(
      c.fraction > minFraction,
      `${selector}: only ${(c.fraction * 100).toFixed(2)}% of ${c.width}×${c.height} pixels differ from the background ${c.background}`,
    );
  }
}

/** Values of every scenario control (`[name]` inside #controls), by name. */
export async function controlValues(page) {
  return page.evaluate(() =>
    Object.fromEntries(Array.from(document.querySelectorAll('#controls [name]')).map((el) => [el.name, el.value])),
  );
}

/** The text of the summary panel's entries as [label, value] pairs. */
export async function summaryEntries(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('#summary > div')).map((d) => [
      d.querySelector('dt').textContent,
      d.querySelector('dd').textContent,
    ]),
  );
}

/** Asserts that the page logged no console errors and threw no page errors. */
export function assertNoErrors(assert, page) {
  assert.deepEqual(page.errors, [], `console or page errors:\n${page.errors.join('\n')}`);
}

/** Newest modification time of the files the CLI is built from. */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of ['src', 'charts', 'cli/src', 'Cargo.toml', 'Cargo.lock', 'cli/Cargo.toml']) visit(path.join(ROOT, p));
  return newest;
}

/**
 * The CLI's stdout for `summary <query>`: $HEDGE_EXPLORER_CLI if set, else the
 * release binary if it is built and newer than the sources, else through cargo
 * (which builds it first).
 */
export function cliSummary(query) {
  const env = { ...process.env, PATH: `${path.join(os.homedir(), '.cargo', 'bin')}${path.delimiter}${process.env.PATH}` };
  const options = { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'pipe'] };
  if (process.env.HEDGE_EXPLORER_CLI) return execFileSync(process.env.HEDGE_EXPLORER_CLI, ['summary', query], options);
  const binary = path.join(ROOT, 'target', 'release', 'hedge-explorer');
  if (fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= newestSource()) {
    return execFileSync(binary, ['summary', query], options);
  }
  return execFileSync('cargo', ['run', '--release', '-q', '-p', 'hedge-explorer-cli', '--', 'summary', query], options);
}
