#!/usr/bin/env bash
# Installs what the project needs and is missing, and nothing else. Idempotent.
#   scripts/setup.sh rust      the Rust toolchain parts (rustfmt, clippy, wasm32 target)
#   scripts/setup.sh web       what builds the page: Trunk, wasm-bindgen CLI, wasm-opt (npm binaryen)
#   scripts/setup.sh browser   what tests the page: Debian's Chromium + ChromeDriver, playwright-core
#   scripts/setup.sh mutants   cargo-mutants, for scripts/mutants.sh
# Pinned versions (measured to work together on these machines):
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
CARGO_MUTANTS_VERSION=27.0.0
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

log() { printf '[setup] %s\n' "$*" >&2; }

need_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo is not installed: install Rust with rustup first (https://rustup.rs)" >&2
        exit 1
    fi
    local components
    components=$(rustup component list --installed 2>/dev/null || true)
    for c in rustfmt clippy; do
        if ! grep -q "^$c" <<<"$components"; then
            rustup component add "$c"
        fi
    done
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        rustup target add wasm32-unknown-unknown
    fi
}

need_node_modules() {
    if ! command -v npm >/dev/null 2>&1; then
        log "installing Node.js and npm (Debian)"
        apt_install nodejs npm
    fi
    if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
        || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        log "installing npm tools (binaryen's wasm-opt, playwright-core)"
        npm ci --no-audit --no-fund --loglevel=error
    fi
}

need_web() {
    need_rust
    if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
        log "installing trunk $TRUNK_VERSION (takes several minutes once)"
        CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
            cargo install --locked "trunk@$TRUNK_VERSION"
    fi
    if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
        log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
        # Not --locked: its lock file pins crates this toolchain cannot build.
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
    need_node_modules
}

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_browser() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        log "installing Debian's chromium and chromium-driver"
        apt_install chromium chromium-driver
    fi
    need_node_modules
}

need_mutants() {
    need_rust
    if ! cargo mutants --version 2>/dev/null | grep -q "$CARGO_MUTANTS_VERSION"; then
        log "installing cargo-mutants $CARGO_MUTANTS_VERSION (takes a few minutes once)"
        CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
            cargo install --locked "cargo-mutants@$CARGO_MUTANTS_VERSION"
    fi
}

for part in "${@:-rust}"; do
    case "$part" in
        rust) need_rust ;;
        web) need_web ;;
        browser) need_browser ;;
        mutants) need_mutants ;;
        *) echo "setup.sh: unknown part '$part'" >&2; exit 2 ;;
    esac
done
