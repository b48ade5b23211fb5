//! Words as data. A part of Confab that people read in the browser (the widget, the console)
//! declares its texts once with [`texts!`]; their words live in one JSON file per language
//! (`<part>/texts/<lang>.json`), fetched in the reader's language only, so the download
//! carries no words and a language costs nothing to those who do not read it.
//! [`check_files`] is the test that every file has every text, and nothing else.

#[doc(hidden)]
pub use js_sys;
#[doc(hidden)]
pub use wasm_bindgen;

/// Declares a part's texts: `texts! { open, close, title }` makes `pub struct Texts` with a
/// `&'static str` per key, `pub const KEYS` (the keys every file must have) and
/// `Texts::from_js`, which reads a JSON object of strings (the file, as JavaScript parsed
/// it) once for the life of the page.
#[macro_export]
macro_rules! texts {
    ($($key:ident),* $(,)?) => {
        // `repr(C)`, of `&str` fields only: laid out as an array of them (`from_js`).
        #[derive(Debug)]
        #[repr(C)]
        pub struct Texts {
            $(pub $key: &'static str,)*
        }

        /// The keys of every texts file, in the struct's order.
        pub const KEYS: &[&str] = &[$(stringify!($key)),*];

        impl Texts {
            /// The texts of `object`, kept for the life of the page; `None` when one is
            /// missing or not a string.
            pub fn from_js(object: &$crate::wasm_bindgen::JsValue) -> Option<&'static Texts> {
                const _: () = assert!(
                    ::std::mem::size_of::<Texts>() == KEYS.len() * ::std::mem::size_of::<&str>()
                );
                let read: &'static [&'static str] =
                    Box::leak($crate::read_all(object, KEYS)?.into_boxed_slice());
                // SAFETY: `read` holds a text for each of `KEYS`, in the fields' order, and
                // `Texts` is laid out as that array (`repr(C)`, fields of one type, the size
                // checked above). Read in one loop rather than field by field: the
                // download then carries no code per text.
                Some(unsafe { &*read.as_ptr().cast::<Texts>() })
            }
        }
    };
}

/// The text of each of `keys` in `object`, in order, kept for the life of the page; `None`
/// when one is missing or not a string.
#[doc(hidden)]
pub fn read_all(object: &wasm_bindgen::JsValue, keys: &[&str]) -> Option<Vec<&'static str>> {
    let texts: Vec<&'static str> = keys
        .iter()
        .map(|key| {
            js_sys::Reflect::get(object, &(*key).into())
                .ok()?
                .as_string()
                .map(|text| &*text.leak())
        })
        .collect::<Option<_>>()?;
    // Every key read (a `None` above would have stopped it): the caller's layout needs it.
    debug_assert_eq!(texts.len(), keys.len());
    Some(texts)
}

/// Every `*.json` in `dir`, checked against `keys`: each must have exactly those texts, each
/// a non-empty string. Answers the number of languages found; panics with the file and the
/// keys at fault.
#[cfg(not(target_arch = "wasm32"))]
pub fn check_files(dir: &std::path::Path, keys: &[&str]) -> usize {
    use std::collections::BTreeSet;
    let keys: BTreeSet<&str> = keys.iter().copied().collect();
    let mut languages = 0;
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a file").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let file = std::fs::read_to_string(&path).expect("readable");
        let texts: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&file).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let found: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
        let missing: Vec<_> = keys.difference(&found).collect();
        let unknown: Vec<_> = found.difference(&keys).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "{}: missing texts {missing:?}, unknown texts {unknown:?}",
            path.display()
        );
        let empty: Vec<_> = texts
            .iter()
            .filter(|(_, t)| t.as_str().is_none_or(|t| t.trim().is_empty()))
            .map(|(k, _)| k)
            .collect();
        assert!(
            empty.is_empty(),
            "{}: empty or not text: {empty:?}",
            path.display()
        );
        languages += 1;
    }
    languages
}

#[cfg(test)]
mod tests {
    // Only its keys are used natively (`from_js` needs a browser).
    #[allow(dead_code)]
    mod example {
        crate::texts! { greeting, farewell }
    }

    #[test]
    fn the_keys_are_the_struct_in_order() {
        assert_eq!(example::KEYS, ["greeting", "farewell"]);
    }

    #[test]
    fn files_are_checked_against_the_keys() {
        let dir = std::env::temp_dir().join(format!("confab-texts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        std::fs::write(
            dir.join("en.json"),
            r#"{"greeting": "Hi", "farewell": "Bye"}"#,
        )
        .expect("write");
        assert_eq!(super::check_files(&dir, example::KEYS), 1);
        std::fs::write(dir.join("fr.json"), r#"{"greeting": "Salut"}"#).expect("write");
        let missing = std::panic::catch_unwind(|| super::check_files(&dir, example::KEYS));
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert!(missing.is_err(), "a file without `farewell` fails");
    }
}
