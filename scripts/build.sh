#!/usr/bin/env bash
# The one build: edge worker, widget, loader, console, static site, into edge/build and dist/site.
# Each step is skipped when its inputs have not changed since it last succeeded.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

SITE="dist/site"
# The widget's files as built, before they are published under hashed names.
WIDGET="dist/widget"
STAMPS=".build-stamps"
mkdir -p "$STAMPS" "$SITE/widget" "$WIDGET"

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
    hash="$(fingerprint "$@" scripts/build.sh scripts/env.sh package-lock.json)"
    if [[ -e "$output" && -f "$STAMPS/$name" && "$(cat "$STAMPS/$name")" == "$hash" ]]; then
        return
    fi
    say "building $name"
    "build_$name"
    echo "$hash" > "$STAMPS/$name"
}

# optimize FILE [PASSES...]: wasm-opt for size (PASSES, or -Oz), through a temporary file, so
# that an interrupted or overlapping build never leaves a half-written wasm behind.
optimize() {
    local passes=("${@:2}")
    [[ ${#passes[@]} -gt 0 ]] || passes=(-Oz)
    wasm-opt "${passes[@]}" --strip-debug --strip-producers "$1" -o "$1.tmp"
    mv "$1.tmp" "$1"
}

# short_names WASM JS [SPLIT_JS]: one- or two-letter names for the wasm's imports and exports, in both
# files (wasm-bindgen's carry a 16-digit hash each, which gzip cannot shrink).
short_names() {
    wasm-opt --minify-imports-and-exports-and-modules "$1" -o "$1.tmp" > "$1.names.json"
    node scripts/short-wasm-names.mjs "$1.names.json" "${@:2}"
    rm "$1.names.json"
    mv "$1.tmp" "$1"
}

RUST_COMMON=(Cargo.toml Cargo.lock protocol/src protocol/Cargo.toml)

# For the widget and the console alike (so they share their compiled dependencies): shorter
# panic locations in the download, crate paths without the registry prefix; a linker that
# drops exports nothing calls (see scripts/wasm-ld.sh) and keeps the relocations the
# splitter reads.
BROWSER_RUSTFLAGS="-C linker=$ROOT/scripts/wasm-ld.sh -C link-args=--emit-relocs --remap-path-prefix=$HOME/.cargo/registry/src/= --remap-path-prefix=$ROOT/="

build_edge() {
    (cd edge && worker-build --release)
}

# split_bind CRATE OUT: CRATE's linked wasm, split at Leptos' `#[lazy]` functions into a main
# wasm and chunks loaded on first use by `__wasm_split.js` (wasm-split-cli), bound to its JS
# glue (wasm-bindgen), optimized for size with short names, into OUT; each chunk under its
# content hash (served immutable), named so in the split loader, which the caller bundles.
split_bind() {
    local crate="$1" out="$2" split="target/$1-split"
    RUSTFLAGS="$BROWSER_RUSTFLAGS" cargo build --release --target wasm32-unknown-unknown -p "${crate//_/-}"
    rm -rf "$split"
    rm -f "$out/$crate"* "$out"/split_* "$out"/chunk_*
    wasm-split-cli "target/wasm32-unknown-unknown/release/$crate.wasm" "$split" --out-name "$crate"
    wasm-bindgen "$split/$crate.wasm" --keep-lld-exports --target web --no-typescript --out-dir "$out"
    cp "$split/__wasm_split.js" "$out/"
    # The glue imports the split loader only when there are chunks.
    local loader=("$out/__wasm_split.js")
    grep -q "__wasm_split.js" "$out/$crate.js" || loader=()
    # Control flow flattened and rebuilt by the relooper before -Oz, twice: 1 KB smaller
    # gzipped than -Oz alone (for the widget). Repeated until it stops shrinking, the widget
    # loses 165 B more; the console would gain 200.
    local passes=(--flatten --rereloop -Oz -Oz)
    [[ "$crate" != confab_widget ]] || passes+=(--converge)
    optimize "$out/${crate}_bg.wasm" "${passes[@]}"
    short_names "$out/${crate}_bg.wasm" "$out/$crate.js" "${loader[@]}"
    local chunk name hashed
    for chunk in "$split"/split_*.wasm "$split"/chunk_*.wasm; do
        [[ -e "$chunk" ]] || continue
        name="$(basename "$chunk" .wasm)"
        cp "$chunk" "$out/$name.wasm"
        optimize "$out/$name.wasm"
        hashed="$name.$(sha256sum "$out/$name.wasm" | cut -c1-10).wasm"
        mv "$out/$name.wasm" "$out/$hashed"
        grep -q "\"./$name.wasm\"" "$out/__wasm_split.js"
        sed -i "s|\"./$name.wasm\"|\"./$hashed\"|" "$out/__wasm_split.js"
    done
}

build_widget() {
    # The main wasm is what the first open downloads; the ☰ screens are a chunk.
    split_bind confab_widget "$WIDGET"
    node scripts/trusted-html.mjs "$WIDGET/confab_widget.js"
    # The widget's own JS (widget/js) joins the glue: the glue calls its functions by name
    # as if they were globals, and esbuild's inject binds those names to the file's exports.
    esbuild "$WIDGET/confab_widget.js" --inject:widget/js/attention.js --bundle --minify \
        --format=esm --log-level=warning --outfile="$WIDGET/confab_widget.js" --allow-overwrite
    rm "$WIDGET/__wasm_split.js"
}

build_css() {
    # Bundled: widget.css imports the other files of widget/style.
    esbuild widget/style/widget.css --bundle --minify --log-level=warning --outfile="$WIDGET/confab.css"
}

# publish FILE: copies a built widget file into the site under a name that carries its
# content hash (served immutable, see www/_headers) and prints that name.
publish() {
    local name ext hash
    name="$(basename "$1")"
    ext="${name##*.}"
    hash="$(sha256sum "$1" | cut -c1-10)"
    cp "$1" "$SITE/widget/${name%.*}.$hash.$ext"
    echo "widget/${name%.*}.$hash.$ext"
}

build_loader() {
    local js wasm css chunk chunks=()
    js="$(publish "$WIDGET/confab_widget.js")"
    wasm="$(publish "$WIDGET/confab_widget_bg.wasm")"
    css="$(publish "$WIDGET/confab.css")"
    # Lazy chunks carry their hash already: the glue names them.
    for chunk in "$WIDGET"/split_*.wasm "$WIDGET"/chunk_*.wasm; do
        [[ -e "$chunk" ]] || continue
        cp "$chunk" "$SITE/widget/"
        chunks+=("widget/$(basename "$chunk")")
    done
    # This build's files stay, and the previous build's: a page opened before a deploy
    # still fetches its chunks (and the visitor's next page gets the new loader).
    local now file previous="$STAMPS/published"
    now="$(printf '%s\n' "$js" "$wasm" "$css" "${chunks[@]}")"
    for file in "$SITE"/widget/*; do
        file="widget/$(basename "$file")"
        grep -qxF "$file" <<< "$now" || grep -qxF "$file" "$previous" 2>/dev/null || rm -f "$SITE/$file"
    done
    echo "$now" > "$previous"
    # The loader is the one file without a hash (short-cached): it names the others.
    # Not bundled, and already a function called at once: no `--format=iife`, whose wrapper
    # would wrap it a second time.
    esbuild widget/loader/confab.js --minify --target=es2019 --log-level=warning \
        --define:CONFAB_JS="\"$js\"" --define:CONFAB_WASM="\"$wasm\"" --define:CONFAB_CSS="\"$css\"" \
        --outfile="$SITE/confab.js"
    # Site owners copy the service worker to their own origin; the demo serves it here.
    cp widget/loader/confab-sw.js "$SITE/confab-sw.js"
}

build_console() {
    local built="dist/console" pkg="$SITE/console/pkg"
    mkdir -p "$built" "$pkg"
    split_bind confab_console "$built"
    esbuild "$built/confab_console.js" --bundle --minify --format=esm --log-level=warning \
        --outfile="$built/confab_console.js" --allow-overwrite
    rm "$built/__wasm_split.js"
    # A console opened before this build still fetches its chunks: this build's and the
    # previous build's are served.
    local now file previous="$STAMPS/console-chunks"
    now="$(cd "$built" && ls split_* chunk_* 2>/dev/null || true)"
    for file in "$pkg"/split_* "$pkg"/chunk_*; do
        [[ -e "$file" ]] || continue
        file="$(basename "$file")"
        grep -qxF "$file" <<< "$now" || grep -qxF "$file" "$previous" 2>/dev/null || rm -f "$pkg/$file"
    done
    cp "$built"/* "$pkg/"
    echo "$now" > "$previous"
    cp www/console/index.html www/console/console.css "$SITE/console/"
    # The words, one file per language, fetched by index.html in the agent's language.
    rm -rf "$SITE/console/texts"
    cp -r www/console/texts "$SITE/console/texts"
}

build_www() {
    # Only the pages: www/console holds the console's Rust sources, built by its own step.
    cp www/index.html www/_headers "$SITE/"
}

step edge edge/build/worker/shim.mjs "${RUST_COMMON[@]}" push edge/src edge/Cargo.toml edge/build.rs widget/texts
step widget "$WIDGET/confab_widget_bg.wasm" "${RUST_COMMON[@]}" live texts widget/src widget/js widget/Cargo.toml \
    scripts/wasm-ld.sh scripts/short-wasm-names.mjs scripts/trusted-html.mjs
step css "$WIDGET/confab.css" widget/style
step loader "$SITE/confab.js" widget/loader "$WIDGET"
step console "$SITE/console/pkg/confab_console_bg.wasm" "${RUST_COMMON[@]}" live texts www/console \
    scripts/wasm-ld.sh scripts/short-wasm-names.mjs
step www "$SITE/index.html" www
