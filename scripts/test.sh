#!/usr/bin/env bash
# Runs every check of the project — the one test command of the README and CI.
# Installs whatever is missing on a fresh machine first (see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh rust web browser
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lint (clippy, all targets, all features, warnings are errors)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "lint the wasm32 build: the library and its browser tests"
cargo clippy --target wasm32-unknown-unknown --lib --test web --test simd --test rng -- -D warnings

step "documentation builds without warnings (native and wasm32)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --workspace
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --lib --target wasm32-unknown-unknown

step "native tests"
cargo test --workspace --all-features

step "the library compiles for wasm32"
cargo check --lib --target wasm32-unknown-unknown

step "web layer tests in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown --test web --test simd --test rng

step "build the page (Trunk) and the single-file page"
bash scripts/build-web.sh

step "end-to-end tests in headless Chromium (playwright-core, node --test)"
cargo build --release -p hedge-explorer-cli
node --test e2e/

step "all checks passed"
