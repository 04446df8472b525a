// Sharing: the embed snippet, the height an embedded page posts to its host,
// and copying text to the clipboard.

/** In an embedding frame, tell the host page how tall the content is. */
export function postHeight(app) {
  if (!app.embed || window.parent === window) return;
  // The content's height: the document's scrollHeight never drops below the
  // frame's own height, so the frame could grow but never shrink.
  const height = Math.ceil(document.body.getBoundingClientRect().height);
  window.parent.postMessage({ type: 'hedge-explorer:height', height }, '*');
}

/**
 * The <iframe> markup that embeds the scenario `query`. Sandboxed: the frame may
 * run its scripts (the engine, its Web Workers) as its own origin, and nothing
 * else — no popups, no forms, no navigating the article. (Its Copy link and
 * Embed buttons are hidden in embed mode, so it needs no clipboard.)
 */
export function embedSnippet(query) {
  const base = location.href.split(/[?#]/)[0];
  const src = `${base}?${query}&embed=1`;
  const escaped = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${escaped}" title="hedge-explorer: dynamic hedging simulator" width="100%" height="780" style="border:0" loading="lazy" sandbox="allow-scripts allow-same-origin"></iframe>`;
}

/** Copy `text`, and say so on `button` for a moment. */
export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = label; }, 1200);
}
