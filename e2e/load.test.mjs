// Under load: 200 moves of the volatility slider in two seconds. The last move
// wins (the address, the controls and the summary are its scenario's); every
// summary the page showed while the slider moved was the one of the link it
// was shown with (the CLI's numbers for that link: never an older scenario's
// numbers labelled as the new one); and the engine's memory and the JS heap
// come back within 10 % of their size before the moves.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliSummary, closeServed, openServedPage } from './support.mjs';

let served;
let page;

before(async () => {
  served = await openServedPage((server) => server.url('v=1&paths=2000'));
  page = served.page;
});

after(async () => closeServed(served));

/** The page's money format (www/format.js), for the CLI's numbers. */
const money = (x) => {
  const abs = Math.abs(x);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** Memory after a full garbage collection (through the DevTools protocol). */
async function settledMemory() {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
  return page.evaluate(() => window.hedgeExplorer.memory());
}

/** Moves the vol slider `moves` times, one every `gap` ms; resolves when the page is ready after the last. */
async function drag(moves, gap) {
  return page.evaluate(async ([n, ms]) => {
    const shown = [];
    const observer = new MutationObserver(() => {
      if (document.body.dataset.status !== 'ready') return;
      const entries = Object.fromEntries(Array.from(document.querySelectorAll('#summary > div'))
        .map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent]));
      shown.push({ query: window.hedgeExplorer.query(), mean: entries['Mean P&L'], sd: entries['SD of P&L'] });
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-status'] });
    const slider = document.querySelector('#controls [name=vol]');
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      slider.value = String((0.1 + (i % 37) * 0.01).toFixed(2));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      // Move i + 1 is due at start + (i + 1)·ms: a busy page gets them back to back.
      const due = start + (i + 1) * ms - performance.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    }
    const elapsed = performance.now() - start;
    await new Promise((resolve) => {
      const wait = () => (document.body.dataset.status === 'ready' ? resolve() : setTimeout(wait, 20));
      wait();
    });
    observer.disconnect();
    return { shown, elapsed, last: slider.value };
  }, [moves, gap]);
}

test('200 slider moves in two seconds: the last wins, no stale numbers, memory comes back', async () => {
  await drag(20, 10); // warm-up: the first moves size the page's buffers
  const before = await settledMemory();
  const { shown, elapsed, last } = await drag(200, 10);
  assert.ok(shown.length >= 1, 'the page became ready at least once');
  const final = shown.at(-1);
  assert.match(final.query, new RegExp(`&vol=${last}(&|$)`), `the last move (${last}) wins: ${final.query}`);
  await page.waitForTimeout(150);
  assert.equal(await page.evaluate(() => location.search.slice(1)), final.query, 'the address is the last move\'s link');
  // Every summary shown is the CLI's for the link it was shown with.
  for (const { query, mean, sd } of shown) {
    const cli = JSON.parse(cliSummary(query));
    assert.deepEqual({ mean, sd }, { mean: money(cli.pnl.mean), sd: money(cli.pnl.sd) }, query);
  }
  const after = await settledMemory();
  console.log(`load: 200 moves in ${elapsed.toFixed(0)} ms, ${shown.length} summaries shown; ` +
    `wasm ${before.wasm} → ${after.wasm} bytes, JS heap ${before.jsHeap} → ${after.jsHeap} bytes`);
  assert.ok(after.wasm <= before.wasm * 1.1, `wasm memory ${before.wasm} → ${after.wasm}`);
  assert.ok(after.jsHeap <= before.jsHeap * 1.1, `JS heap ${before.jsHeap} → ${after.jsHeap}`);
});
