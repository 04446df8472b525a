// Loads the wasm engine, as Trunk's own loader would, from a file rather than an
// inline script: the page's Content-Security-Policy allows no inline script.
// Trunk writes this module's tag (Trunk.toml, pattern_script) with the hashed
// names of the wasm-bindgen glue and the wasm module; the exports go on
// window.wasmBindings and TrunkApplicationStarted fires, as with Trunk's loader
// (main.js waits for either). scripts/single-file.mjs replaces this tag by an
// inline loader in the single file.
const tag = document.querySelector('script[data-wasm-glue]');
const bindings = await import(new URL(tag.dataset.wasmGlue, document.baseURI).href);
const wasm = await bindings.default({ module_or_path: new URL(tag.dataset.wasmModule, document.baseURI) });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
