#!/usr/bin/env bash
# The whole test suite: unit tests, then end-to-end tests against the real runtime and Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh --browser
bash scripts/build.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked --quiet -- -D warnings
# Unit tests first, end to end last: its summary closes the run.
cargo test --workspace --locked --lib --bins
# At least 100,000 fuzzed bodies and frames through every decoder (protocol/tests/fuzz.rs).
cargo test --locked -p confab-protocol --test fuzz -- --nocapture
cargo test --locked -p confab-tests --test e2e -- "$@"
