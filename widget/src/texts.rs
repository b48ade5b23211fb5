//! Every text a visitor reads, in their language. The words are data
//! (`widget/texts/<lang>.json`), sent by the edge with the site's settings in the visitor's
//! language only: the download carries none of them, and a language costs nothing to
//! visitors who do not read it.

/// Declares the texts once: the struct, and the list of keys every file must have.
macro_rules! texts {
    ($($key:ident),* $(,)?) => {
        #[derive(Debug)]
        pub struct Texts {
            $(pub $key: &'static str,)*
        }

        /// The keys of every `widget/texts/<lang>.json`, in the struct's order.
        pub const KEYS: &[&str] = &[$(stringify!($key)),*];

        impl Texts {
            /// The texts the loader handed over (a JSON object of strings), kept for the
            /// life of the page; `None` when one is missing.
            pub fn from_js(object: &wasm_bindgen::JsValue) -> Option<&'static Texts> {
                let mut read = KEYS.iter().map(|key| {
                    js_sys::Reflect::get(object, &(*key).into())
                        .ok()
                        .and_then(|text| text.as_string())
                        .map(|text| &*text.leak())
                });
                let texts = Texts { $($key: read.next()??,)* };
                Some(Box::leak(Box::new(texts)))
            }
        }
    };
}

texts! {
    open, close, title, greeting, placeholder, send, sending, failed, retry, you, team,
    load_failed, retrying, seen, earlier, offline, typing, unread, link_hint, menu, threads,
    new_thread, other_device, show_code, code_hint, qr, have_code, use_code, email, send_link,
    link_sent, devices, this_device, sign_out, sign_out_all, not_now, refused, notify,
    notify_on, notify_blocked,
}

#[cfg(test)]
mod tests {
    use super::KEYS;
    use std::collections::BTreeSet;

    /// A translation that misses a text (or has one the widget does not know) fails here,
    /// not on a visitor's screen.
    #[test]
    fn every_language_has_every_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("texts");
        let keys: BTreeSet<String> = KEYS.iter().map(|k| k.to_string()).collect();
        let mut languages = 0;
        for entry in std::fs::read_dir(&dir).expect("widget/texts") {
            let path = entry.expect("a file").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let file = std::fs::read_to_string(&path).expect("readable");
            let texts: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&file).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let found: BTreeSet<String> = texts.keys().cloned().collect();
            assert_eq!(
                (
                    keys.difference(&found).collect::<Vec<_>>(),
                    found.difference(&keys).collect::<Vec<_>>()
                ),
                (vec![], vec![]),
                "{}: (missing, unknown) texts",
                path.display()
            );
            assert!(
                texts
                    .values()
                    .all(|t| t.as_str().is_some_and(|t| !t.is_empty())),
                "{}: every text is a non-empty string",
                path.display()
            );
            languages += 1;
        }
        assert!(languages >= 4, "en, fr, de and es at least");
    }
}
