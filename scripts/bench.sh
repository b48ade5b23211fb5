#!/usr/bin/env bash
# Prints delivery latency and throughput of Confab beside a bare WebSocket echo (the floor),
# on the local runtime. A measurement to run on purpose, not a test.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
cargo run --quiet --locked -p confab-tests --bin bench -- "$@"
