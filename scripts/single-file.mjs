// Turns Trunk's dist/ into one self-contained HTML file (dist/hedge-explorer.html)
// that opens from file:// — what an author attaches to an article or keeps offline.
//
// Trunk's page loads the wasm-bindgen glue as a module and fetches the .wasm file;
// browsers block both from file://. This script inlines the glue into the page's
// own module script (with its `export`s removed) and the wasm as base64, which is
// instantiated with `initSync`. Everything else (CSS, app.js) is already inline.
//
// Usage: node scripts/single-file.mjs [dist-dir]
import fs from 'node:fs';
import path from 'node:path';

const dist = process.argv[2] || 'dist';
const htmlPath = path.join(dist, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');

const loader = html.match(/<script type="module"[^>]*>\s*import init, \* as bindings from '\.\/([^']+\.js)';[\s\S]*?<\/script>/);
if (!loader) throw new Error(`no Trunk loader script found in ${htmlPath}`);
const glueFile = loader[1];
const wasmFile = glueFile.replace(/\.js$/, '_bg.wasm');
let glue = fs.readFileSync(path.join(dist, glueFile), 'utf8');
const wasm = fs.readFileSync(path.join(dist, wasmFile));

// Collect and strip the glue's exports so it can live inside an inline module.
const exported = new Set();
glue = glue.replace(/^export (class|function|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
  exported.add(name);
  return `${kind} ${name}`;
});
glue = glue.replace(/^export \{[^}]*\};?\s*$/gm, '');
exported.add('initSync');
if (/^\s*export\b/m.test(glue)) throw new Error('the wasm-bindgen glue has an export this script does not understand');

const names = [...exported].sort();
const script = `<script type="module">
${glue}
const wasmBase64 = "${wasm.toString('base64')}";
const wasmBytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
window.__hedgeExplorerWasmBytes = wasmBytes; // for the Web Workers
const instance = initSync({ module: wasmBytes });
window.wasmBindings = { ${names.join(', ')} };
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: instance } }));
</script>`;

// The Web Workers run the same glue: keep a copy as text for them.
if (glue.includes('</script')) throw new Error('the glue contains </script and cannot be inlined');
const workerGlue = `<script type="text/plain" id="hedge-explorer-worker-glue">${glue}</script>`;
html = html.replace(loader[0], () => workerGlue + script);
// The preload hints point at files the single file does not need.
html = html.replace(/<link rel="(modulepreload|preload)"[^>]*>/g, '');
const out = path.join(dist, 'hedge-explorer.html');
fs.writeFileSync(out, html);
console.log(`wrote ${out} (${(html.length / 1024).toFixed(0)} KiB, exports: ${names.join(', ')})`);
