#!/usr/bin/env bash
# One command for every speed figure (see the README's "Benchmarks"):
#   bash bench/run.sh
# Builds what it needs, then measures in one run on this machine:
#   - native: the criterion benchmark of hull-mc (cargo bench);
#   - wasm: the page's own wasm module, single-threaded in Node, on hull-mc (and,
#     for reference, the same on the main thread of headless Chromium);
#   - numpy: bench/reference_numpy.py (numpy + scipy in bench/.venv);
#   - browser: headless Chromium timings of the built page (bench/browser.mjs);
#   - scaling: time against paths and steps, natively on 1 thread and on every
#     core (the release CLI) and on the page's workers, and the page's memory
#     after a 100,000 × 252 run (bench/scaling.mjs);
# and prints one table with the ratios wasm/numpy and wasm/native.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-web.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
out=target/bench
mkdir -p "$out"

if ! bench/.venv/bin/python -c 'import numpy, scipy' 2>/dev/null; then
    echo "[bench] installing numpy and scipy into bench/.venv" >&2
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet numpy scipy
fi

echo "[bench] native (criterion)" >&2
cargo bench --bench engine -- 'hull-mc|books|models' --output-format bencher 2>/dev/null | tee "$out/criterion.txt" >&2
echo "[bench] numpy reference" >&2
bench/.venv/bin/python bench/reference_numpy.py 5 | tee "$out/numpy.json" >&2
echo "[bench] wasm in Node" >&2
node bench/wasm_node.mjs dist 9 | tee "$out/wasm.json" >&2
echo "[bench] wasm in Chromium, one thread" >&2
node bench/wasm_chromium.mjs 9 | tee "$out/wasm_chromium.json" >&2
echo "[bench] numpy reference, again (interleaved, best of both)" >&2
bench/.venv/bin/python bench/reference_numpy.py 5 | tee "$out/numpy2.json" >&2
echo "[bench] wasm in Node, again (interleaved, best of both, as for numpy)" >&2
node bench/wasm_node.mjs dist 9 | tee "$out/wasm2.json" >&2
echo "[bench] browser" >&2
node bench/browser.mjs | tee "$out/browser.json" >&2
echo "[bench] scaling: run sizes, threads, the page's memory" >&2
cargo build --release -p hedge-explorer-cli >&2 2>/dev/null
node bench/scaling.mjs target/release/hedge-explorer | tee "$out/scaling.json" >&2
node bench/report.mjs "$out"
