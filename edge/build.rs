//! Finds the widget's texts, one file per language (`widget/texts/<lang>.json`), so that
//! adding the widget's words in a language is adding a file: `src/texts.rs` serves whatever
//! is there. The same files hold the words of the header's availability line, which the
//! edge writes (`protocol/src/availability.rs`).

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../widget/texts");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let lang = path.file_stem()?.to_str()?.to_owned();
            (path.extension()? == "json").then_some(())?;
            // A file is named by the language alone (`pt.json`), as the visitor's tag is
            // matched by its primary language (`protocol/src/language.rs`).
            let named =
                (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
            assert!(
                named,
                "{}: name a texts file by its language alone, in lowercase (pt.json)",
                path.display()
            );
            Some((lang, path.display().to_string()))
        })
        .collect();
    files.sort();
    let mut list = String::from("&[");
    for (lang, path) in files {
        write!(list, "({lang:?}, include_str!({path:?})),").expect("a string");
    }
    list.push(']');
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("widget_texts.rs");
    std::fs::write(out, list).expect("write widget_texts.rs");
}
