// Turns Trunk's dist/ into one self-contained HTML file (dist/hedge-explorer.html)
// that opens from file:// — what an author attaches to an article or keeps offline.
//
// Browsers load neither module scripts nor workers nor fetched files from file://.
// So this script inlines:
// - the wasm-bindgen glue into the loader's own module script (its `export`s
//   removed) and the wasm as base64, instantiated with `initSync`;
// - the page's ES modules (www/*.js, copied to dist/ by Trunk), bundled from
//   main.js into one inline module script (see `bundle` below);
// - the Web Workers' source — the glue, then www/worker.js, as one classic
//   script — in a <script type="text/plain" id="hedge-explorer-worker-source">,
//   which workers.js turns into a Blob URL (only in this file).
// - the stylesheet (www/style.css, a file of dist/) into a <style>.
// The served page's Content-Security-Policy (its <meta> in www/index.html) allows
// scripts and styles only from the page's own files, which a file:// page does
// not have: this file gets that policy with the inline scripts and the style
// allowed by their SHA-256 hashes (computed here, after inlining), workers from
// blob: URLs, and no network at all.
//
// Usage: node scripts/single-file.mjs [dist-dir]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dist = process.argv[2] || 'dist';
const htmlPath = path.join(dist, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');

// Trunk's tag for the wasm loader (Trunk.toml, pattern_script: www/loader.js).
const loader = html.match(/<script type="module" src="\.\/loader\.js" data-wasm-glue="\.\/([^"]+\.js)" data-wasm-module="\.\/([^"]+\.wasm)"><\/script>/);
if (!loader) throw new Error(`no wasm loader tag (<script … src="./loader.js" data-wasm-glue=…>) found in ${htmlPath}`);
const [, glueFile, wasmFile] = loader;
let glue = fs.readFileSync(path.join(dist, glueFile), 'utf8');
const wasm = fs.readFileSync(path.join(dist, wasmFile));

// Collect and strip the glue's exports so it can live inside an inline script.
const exported = new Set();
glue = glue.replace(/^export (class|function|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
  exported.add(name);
  return `${kind} ${name}`;
});
glue = glue.replace(/^export \{[^}]*\};?\s*$/gm, '');
exported.add('initSync');
if (/^\s*export\b/m.test(glue)) throw new Error('the wasm-bindgen glue has an export this script does not understand');

const names = [...exported].sort();
const loaderSource = `
${glue}
const wasmBase64 = "${wasm.toString('base64')}";
const wasmBytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
window.__hedgeExplorerWasmBytes = wasmBytes; // for the Web Workers
const instance = initSync({ module: wasmBytes });
window.wasmBindings = { ${names.join(', ')} };
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: instance } }));
`;
const loaderScript = `<script type="module">${loaderSource}</script>`;

/** The name a bundled module's exports go by. */
const moduleVar = (file) => `__hedgeExplorerModule_${file.replace(/\.js$/, '').replace(/\W/g, '_')}`;

/**
 * A tiny bundler for the page's own modules, which keep to a subset of ES
 * module syntax (it throws on anything else):
 *   import { a, b as c } from './file.js';          (relative, same folder)
 *   export function f / export async function f / export const x / export class C
 * Each module but the entry becomes a function scope returning its exports;
 * imports become destructurings of them, in dependency order (no cycles). The
 * modules share no mutable bindings, so copying exported values is faithful.
 * `import.meta` stays valid: the bundle is itself an inline module script.
 */
function bundle(dir, entry) {
  const order = [];
  const seen = new Map(); // file → 'visiting' | 'done'
  const visit = (file, chain) => {
    if (seen.get(file) === 'done') return;
    if (seen.get(file) === 'visiting') throw new Error(`import cycle: ${[...chain, file].join(' → ')}`);
    seen.set(file, 'visiting');
    let source = fs.readFileSync(path.join(dir, file), 'utf8');
    const deps = [];
    source = source.replace(/^import\s*\{([^}]*)\}\s*from\s*'\.\/([\w-]+\.js)';[ \t]*$/gm, (_, list, dep) => {
      deps.push(dep);
      const bindings = list.split(',').map((n) => n.trim()).filter(Boolean).map((n) => {
        const m = n.match(/^([\w$]+)(?:\s+as\s+([\w$]+))?$/);
        if (!m) throw new Error(`${file}: cannot bundle the import of ${JSON.stringify(n)}`);
        return m[2] ? `${m[1]}: ${m[2]}` : m[1];
      });
      return `const { ${bindings.join(', ')} } = ${moduleVar(dep)};`;
    });
    const exports = [];
    source = source.replace(/^export\s+(async\s+function|function|const|class)\s+([\w$]+)/gm, (_, kind, name) => {
      exports.push(name);
      return `${kind} ${name}`;
    });
    const left = source.match(/^\s*(import|export)\b(?!\s*\()[^\n]*/m);
    if (left) throw new Error(`${file}: this bundler does not understand ${JSON.stringify(left[0].trim())}`);
    for (const dep of deps) visit(dep, [...chain, file]);
    seen.set(file, 'done');
    order.push(file === entry
      ? `// ${file}\n${source}`
      : `// ${file}\nconst ${moduleVar(file)} = (() => {\n${source}\nreturn { ${exports.join(', ')} };\n})();`);
  };
  visit(entry, []);
  return order.join('\n');
}

const entryTag = html.match(/<script type="module" src="\.\/([\w-]+\.js)"><\/script>/);
if (!entryTag) throw new Error(`no page module script (<script type="module" src="./main.js">) in ${htmlPath}`);
const pageBundle = bundle(dist, entryTag[1]);

// The Web Workers run the same glue, then worker.js, as one classic script: the
// glue's default loader mentions import.meta, which classic scripts do not have
// (it is never called: workers use initSync).
const workerMain = fs.readFileSync(path.join(dist, 'worker.js'), 'utf8');
if (/^\s*(import|export)\b(?!\s*\()/m.test(workerMain)) throw new Error('worker.js must also run as a classic script: no static import or export');
const workerSource = [
  glue.replace(/import\.meta\.url/g, 'self.location.href'),
  `self.hedgeExplorerGlue = { initSync, WorkerEngine, on_panic, panic_for_tests };`,
  workerMain,
].join('\n');

for (const [name, text] of [['the glue', glue], ['the page modules', pageBundle], ['the worker', workerSource]]) {
  if (/<\/script/i.test(text)) throw new Error(`${name} contains </script and cannot be inlined`);
}
const workerScript = `<script type="text/plain" id="hedge-explorer-worker-source">${workerSource}</script>`;
html = html.replace(loader[0], () => workerScript + loaderScript);
const pageSource = `\n${pageBundle}\n`;
html = html.replace(entryTag[0], () => `<script type="module">${pageSource}</script>`);
// The preload hints point at files the single file does not need.
html = html.replace(/<link rel="(modulepreload|preload)"[^>]*>/g, '');
const styleLink = html.match(/<link rel="stylesheet" href="\.\/([\w.-]+\.css)"[^>]*>/);
if (!styleLink) throw new Error(`no stylesheet link found in ${htmlPath}`);
const css = fs.readFileSync(path.join(dist, styleLink[1]), 'utf8');
if (/<\/style/i.test(css)) throw new Error('the stylesheet contains </style and cannot be inlined');
html = html.replace(styleLink[0], () => `<style>${css}</style>`);
html = withSingleFilePolicy(html, [loaderSource, pageSource], [css]);
const out = path.join(dist, 'hedge-explorer.html');
fs.writeFileSync(out, html);
console.log(`wrote ${out} (${(html.length / 1024).toFixed(0)} KiB, exports: ${names.join(', ')})`);

/**
 * `page` with its Content-Security-Policy <meta> rewritten for file://: the
 * served policy's directives, but the inline module scripts and stylesheets
 * whose texts are `scripts` and `styles` allowed by hash (the worker source is
 * text/plain, never run as such), workers from blob: URLs, the data: favicon,
 * and nothing fetched.
 */
function withSingleFilePolicy(page, scriptTexts, styleTexts) {
  const meta = page.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  if (!meta) throw new Error('no Content-Security-Policy <meta> in the page');
  const hash = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const scripts = scriptTexts.map(hash);
  const styles = styleTexts.map(hash);
  const tags = page.replace(/<!--[\s\S]*?-->/g, '').match(/<script[^>]*>/g);
  if (tags.length !== scriptTexts.length + 1 || tags.some((t) => /\ssrc=/.test(t))) {
    throw new Error(`the single file's scripts are not the ones its policy covers: ${tags.join(' ')}`);
  }
  const directives = new Map(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  directives.set('script-src', [...scripts, "'wasm-unsafe-eval'"]);
  directives.set('style-src', styles);
  directives.set('worker-src', ['blob:']);
  directives.set('connect-src', ["'none'"]);
  directives.set('img-src', ['data:']);
  const policy = [...directives].map(([name, values]) => [name, ...values].join(' ')).join('; ');
  return page.replace(meta[0], () => `<meta http-equiv="Content-Security-Policy" content="${policy}">`);
}
