#!/usr/bin/env bash
# Runs every check of the project — the one test command of the README and CI.
# Installs whatever is missing on a fresh machine first (see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh rust

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lint (clippy, all targets, all features, warnings are errors)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "native tests"
cargo test --workspace --all-features

step "the library compiles for wasm32"
cargo check --lib --target wasm32-unknown-unknown

step "all checks passed"
