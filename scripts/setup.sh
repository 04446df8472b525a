#!/usr/bin/env bash
# Installs what the project needs and is missing, and nothing else. Idempotent.
#   scripts/setup.sh rust   the Rust toolchain parts (rustfmt, clippy, wasm32 target)
set -euo pipefail
cd "$(dirname "$0")/.."

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

for part in "${@:-rust}"; do
    case "$part" in
        rust) need_rust ;;
        *) echo "setup.sh: unknown part '$part'" >&2; exit 2 ;;
    esac
done
