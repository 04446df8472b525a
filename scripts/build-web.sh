#!/usr/bin/env bash
# Builds the explorer page into dist/ (Trunk, release, relative URLs) and the
# self-contained single file dist/hedge-explorer.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true TRUNK_OFFLINE=true
trunk build --offline --release
node scripts/single-file.mjs dist
