#!/usr/bin/env bash
# The one build: edge worker, widget, loader, static site, into edge/build and dist/site.
# Each step is skipped when its inputs have not changed since it last succeeded.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

SITE="dist/site"
STAMPS=".build-stamps"
mkdir -p "$STAMPS" "$SITE/widget"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# fingerprint FILES_OR_DIRS...: one hash over the content and names of every input file.
fingerprint() {
    find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# step NAME OUTPUT INPUTS... -- runs `build_NAME` unless OUTPUT exists and INPUTS are unchanged.
step() {
    local name="$1" output="$2"
    shift 2
    local hash
    hash="$(fingerprint "$@" scripts/build.sh)"
    if [[ -e "$output" && -f "$STAMPS/$name" && "$(cat "$STAMPS/$name")" == "$hash" ]]; then
        return
    fi
    say "building $name"
    "build_$name"
    echo "$hash" > "$STAMPS/$name"
}

RUST_COMMON=(Cargo.toml Cargo.lock protocol/src protocol/Cargo.toml)

build_edge() {
    (cd edge && worker-build --release)
}

build_widget() {
    # Shorter panic locations in the download: crate paths without the registry prefix.
    RUSTFLAGS="--remap-path-prefix=$HOME/.cargo/registry/src/= --remap-path-prefix=$ROOT/=" \
        cargo build --release --target wasm32-unknown-unknown -p confab-widget
    wasm-bindgen target/wasm32-unknown-unknown/release/confab_widget.wasm \
        --target web --no-typescript --out-dir "$SITE/widget"
    wasm-opt -Oz --strip-debug --strip-producers \
        "$SITE/widget/confab_widget_bg.wasm" -o "$SITE/widget/confab_widget_bg.wasm"
    esbuild "$SITE/widget/confab_widget.js" --minify --format=esm --log-level=warning \
        --outfile="$SITE/widget/confab_widget.js" --allow-overwrite
}

build_loader() {
    esbuild widget/loader/confab.js --minify --format=iife --target=es2019 --log-level=warning \
        --outfile="$SITE/confab.js"
    esbuild widget/style/widget.css --minify --log-level=warning --outfile="$SITE/widget/confab.css"
}

build_www() {
    cp -R www/. "$SITE/"
}

step edge edge/build/worker/shim.mjs "${RUST_COMMON[@]}" edge/src edge/Cargo.toml
step widget "$SITE/widget/confab_widget_bg.wasm" "${RUST_COMMON[@]}" widget/src widget/Cargo.toml
step loader "$SITE/confab.js" widget/loader widget/style
step www "$SITE/index.html" www
