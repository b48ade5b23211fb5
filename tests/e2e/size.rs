//! Size budgets: a size is deterministic, so a test may hold it.

use confab_tests::sizes::{
    locate, report, total, totals, Piece, CONSOLE_BUDGET_GZIP, FIRST_OPEN_BUDGET_GZIP,
    LOADER_BUDGET_GZIP,
};

use crate::Ctx;

pub async fn downloads_stay_within_budget(_ctx: &Ctx) {
    let report = report();
    let (loader, widget) = totals(&report);
    assert!(loader > 0 && widget > 0, "artifacts are built");
    assert!(
        loader <= LOADER_BUDGET_GZIP,
        "loader is {loader} B gzipped, over its {LOADER_BUDGET_GZIP} B budget"
    );
    assert!(
        widget <= FIRST_OPEN_BUDGET_GZIP,
        "the first open is {widget} B gzipped, over its {FIRST_OPEN_BUDGET_GZIP} B budget"
    );
    let console = total(&report, Piece::Console);
    assert!(
        console <= CONSOLE_BUDGET_GZIP,
        "the console's inbox is {console} B gzipped, over its {CONSOLE_BUDGET_GZIP} B budget"
    );
    for (artifact, size) in &report {
        if let Piece::Chunk(budget) = artifact.piece {
            assert!(
                size.gzip <= budget,
                "{} is {} B gzipped, over its {budget} B budget",
                artifact.name,
                size.gzip
            );
        }
    }

    // A string slice (`&s[a..b]`), `split_at`, or `replacen` / `find` with a `&str`
    // pattern compiles in a panic that formats characters, which brings `char`'s Debug and
    // its Unicode tables into the widget: 5 KB gzipped. `get`, `split_at_checked`,
    // `strip_prefix` and byte-wise searches cost nothing of the kind.
    let marker = b"is not a char boundary";
    for (artifact, _) in report
        .iter()
        .filter(|(a, _)| a.is_widget() && a.piece != Piece::Loader)
    {
        let wasm = std::fs::read(locate(artifact)).expect("the widget is built");
        assert!(
            !wasm.windows(marker.len()).any(|w| w == marker),
            "{} can panic slicing a string (5 KB gzipped): see tests/e2e/size.rs",
            artifact.name
        );
    }
}

/// The widget's words are data sent in the visitor's language (widget/texts), so a
/// language costs the download nothing: no text of any language is in the widget's files.
pub async fn the_download_carries_no_language(_ctx: &Ctx) {
    let dir = confab_tests::repo_root().join("widget/texts");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("widget/texts") {
        let file = std::fs::read_to_string(entry.expect("a file").path()).expect("readable");
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&file).expect("a JSON object");
        // Long enough not to be a word the code uses for something else ("Team", "Send").
        texts.extend(
            map.values()
                .filter_map(|t| t.as_str())
                .filter(|t| t.chars().count() >= 12)
                .map(str::to_owned),
        );
    }
    assert!(texts.len() > 100, "the texts of every language were read");
    for (artifact, _) in report().iter().filter(|(a, _)| a.is_widget()) {
        let bytes = std::fs::read(locate(artifact)).expect("the widget is built");
        for text in &texts {
            let text = text.as_bytes();
            assert!(
                !bytes.windows(text.len()).any(|w| w == text),
                "{} carries the text {:?}: texts belong in widget/texts",
                artifact.name,
                String::from_utf8_lossy(text)
            );
        }
    }
}
