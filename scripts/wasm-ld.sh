#!/usr/bin/env bash
# The linker of the widget and the console: rust-lld, less the exports of wasm-streams
# (IntoUnderlyingSource, IntoUnderlyingByteSource, IntoUnderlyingSink). Leptos always brings
# them in through its server functions' streaming client, which neither uses; as exports they
# would keep that code and the futures machinery behind it in the download (about 8 KB
# gzipped).
# wasm-bindgen still writes their (never used) JS classes. Called by rustc as its linker.
set -euo pipefail

host="$(rustc -vV | sed -n 's/^host: //p')"
lld="$(rustc --print sysroot)/lib/rustlib/$host/bin/rust-lld"

args=()
for arg in "$@"; do
    case "$arg" in
        --export=*intounderlying*) ;;
        *intounderlying*)
            # `--export NAME`: drop the flag given just before the name too.
            if [[ "${args[-1]:-}" == "--export" ]]; then
                unset 'args[-1]'
            else
                args+=("$arg")
            fi
            ;;
        *) args+=("$arg") ;;
    esac
done
exec "$lld" "${args[@]}"
