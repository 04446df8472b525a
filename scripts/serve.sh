#!/usr/bin/env bash
# Builds the explorer and serves it on http://127.0.0.1:8080 (rebuilds on change;
# reload the page to see a rebuild).
# Any other static server works too: dist/ is plain files with relative URLs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true TRUNK_OFFLINE=true
echo "hedge-explorer: building, then serving on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C to stop)"
# No auto-reload: Trunk would inject it as an inline script, which the page's
# Content-Security-Policy (www/index.html) refuses. Reload by hand after a rebuild.
exec trunk serve --offline --release --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
