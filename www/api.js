// The JS API for embedders (documented in the README): `window.hedgeExplorer`.
// It exists from the start; its methods wait for the engine to load.
import { readPageKeys, splitSearch } from './link.js';
import { apply, usePageKeys } from './page.js';
import { failWorkerForTests, summaryOnWorkers } from './workers.js';

/** Define `window.hedgeExplorer` on `app`; `ready` resolves once the engine is loaded. */
export function installApi(app, ready) {
  window.hedgeExplorer = {
    /** The exact JSON string the CLI's `summary` prints for `query` (throws on a bad query). */
    summary: async (query) => {
      await ready;
      return app.pool.workers.length > 0
        ? summaryOnWorkers(app.pool, app.bindings, String(query))
        : app.bindings.summary(String(query));
    },
    /** Apply a scenario link to the page; resolves to its canonical form. */
    set: async (query) => {
      await ready;
      const { scenario, page } = splitSearch(String(query));
      usePageKeys(app, readPageKeys({ ...page, embed: app.embed ? '1' : '0' }));
      return apply(app, scenario, { fromLink: true });
    },
    /**
     * Memory in use, in bytes: the page's wasm engine's linear memory (which
     * only grows) and the JS heap (Chromium's performance.memory, else null).
     */
    memory: () => ({
      wasm: app.bindings ? app.bindings.memory_bytes() : null,
      jsHeap: performance.memory ? performance.memory.usedJSHeapSize : null,
    }),
    /** The current scenario's canonical link. */
    query: () => (app.explorer ? app.explorer.query() : null),
    /** Resolves once the page has loaded its engine. */
    ready,
    /**
     * For the end-to-end tests of recovery only: `'page'` makes the page's
     * engine panic, `'panic'` a worker's engine, `'crash'` a worker's script.
     */
    failForTests: async (where) => {
      await ready;
      if (where === 'page') setTimeout(() => app.bindings.panic_for_tests('forced for the e2e test'));
      else failWorkerForTests(app.pool, where);
    },
  };
}
