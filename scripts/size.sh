#!/usr/bin/env bash
# Prints what a visitor downloads: gzip and brotli sizes of the loader and the widget.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
cargo run --quiet --locked -p confab-tests --bin size-report
