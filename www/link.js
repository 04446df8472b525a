// The address: a link's scenario keys (for the engine) apart from the page's own
// keys (`path`, `embed`), and the address bar kept in step with the page without
// flooding the browser's history API.

/** Keys of the address that belong to the page, not to the scenario. */
export const PAGE_KEYS = ['embed', 'path'];

/**
 * Split a query string into the scenario's part (pairs kept as written, for the
 * engine to judge) and the page's keys (decoded).
 */
export function splitSearch(search) {
  const scenario = [];
  const page = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const [rawKey, ...rest] = pair.split('=');
    let key = rawKey;
    try { key = decodeURIComponent(rawKey); } catch { /* keep it raw */ }
    if (PAGE_KEYS.includes(key)) {
      let value = rest.join('=');
      try { value = decodeURIComponent(value); } catch { /* keep it raw */ }
      page[key] = value;
    } else {
      scenario.push(pair);
    }
  }
  return { scenario: scenario.join('&'), page };
}

/** The page's keys read: `{ embed, pathIndex, errors: [{ field, message }] }`. */
export function readPageKeys(page) {
  const errors = [];
  const embed = page.embed === '1';
  if ('embed' in page && !['0', '1'].includes(page.embed)) {
    errors.push({ field: 'embed', message: 'must be 1 (compact mode) or 0' });
  }
  let pathIndex = 0;
  if ('path' in page) {
    if (/^\d{1,9}$/.test(page.path)) {
      pathIndex = Number(page.path);
    } else {
      errors.push({ field: 'path', message: 'must be a whole number: the index of the path to show' });
    }
  }
  return { embed, pathIndex, errors };
}

/** The page's keys as they follow the scenario in the address. */
export function pageSuffix({ pathIndex, embed }) {
  let suffix = '';
  if (pathIndex > 0) suffix += `&path=${pathIndex}`;
  if (embed) suffix += '&embed=1';
  return suffix;
}

/**
 * The address follows every change, but a dragged slider fires dozens of events
 * a second and browsers throttle history updates: `write` records the newest
 * address and writes it at most every 100 ms; `flush` writes it now (the page
 * flushes whenever it stops being busy).
 */
export function createAddressWriter() {
  let pending = null;
  let timer = 0;
  const flush = () => {
    clearTimeout(timer);
    timer = 0;
    if (pending === null) return;
    try {
      history.replaceState(null, '', pending);
    } catch {
      // Some file:// pages refuse history changes; the link still works by copy.
    }
    pending = null;
  };
  const write = (query, page) => {
    pending = `?${query}${pageSuffix(page)}`;
    if (!timer) timer = setTimeout(flush, 100);
  };
  return { write, flush };
}
