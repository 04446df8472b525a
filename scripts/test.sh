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
cargo clippy --target wasm32-unknown-unknown --lib --test web --test simd --test rng --test link_numbers -- -D warnings

step "documentation builds without warnings (native and wasm32)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --workspace
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --lib --target wasm32-unknown-unknown

step "native tests"
cargo test --workspace --all-features

step "mutation testing: the mutants of the lines the last commit changed (cargo-mutants)"
# A change's own lines must be tested: up to MUTANTS_LIMIT (default 12) of the
# last commit's mutants, each must make a test fail (scripts/mutants.sh; the
# whole tree: `bash scripts/mutants.sh --all`). Mutants are made in place, so
# a tree with uncommitted changes in src/ or cli/ skips this step.
if [ -n "$(git status --porcelain -- src cli 2>/dev/null)" ]; then
    echo "skipped: src/ or cli/ has uncommitted changes (mutants are made in place)"
elif base=$(git rev-parse -q --verify HEAD^ 2>/dev/null); then
    MUTANTS_LIMIT="${MUTANTS_LIMIT:-12}" bash scripts/mutants.sh --in-diff "$base"
else
    echo "skipped: no previous commit to compare with"
fi

step "the library compiles for wasm32"
cargo check --lib --target wasm32-unknown-unknown

step "web layer tests in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown --test web --test simd --test rng --test link_numbers

step "build the page (Trunk) and the single-file page"
bash scripts/build-web.sh

step "end-to-end tests in headless Chromium (playwright-core, node --test)"
cargo build --release -p hedge-explorer-cli
node --test e2e/

step "all checks passed"
