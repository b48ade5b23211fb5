#!/usr/bin/env bash
# Builds and starts everything locally: the demo page at http://localhost:8787/, the API under /api.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
exec wrangler dev --port "${PORT:-8787}" "$@"
