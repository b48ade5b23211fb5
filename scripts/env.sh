# Sourced by the other scripts: where the pinned tools live.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false
# worker-build would download these; point it at the pinned copies instead.
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
WORKER_BUILD_VERSION="0.8.7"
# Splits the widget's wasm at Leptos' `#[lazy]` functions (scripts/build.sh).
WASM_SPLIT_VERSION="0.2.4"
# The CLI must match the wasm-bindgen library exactly: read its version from Cargo.lock.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
