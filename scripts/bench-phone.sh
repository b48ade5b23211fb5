#!/usr/bin/env bash
# Prints what a visitor and an agent feel on an emulated slow phone (tests/src/bin/bench_phone.rs).
# A measurement to run on purpose, not a test.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh --browser
bash scripts/build.sh
cargo run --quiet --locked -p confab-tests --bin bench_phone
