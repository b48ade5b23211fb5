//! Size budgets: a size is deterministic, so a test may hold it.

use confab_tests::sizes::{
    locate, report, totals, Piece, FIRST_OPEN_BUDGET_GZIP, LOADER_BUDGET_GZIP,
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
        .filter(|(a, _)| a.path.ends_with(".wasm") || matches!(a.piece, Piece::Chunk(_)))
    {
        let wasm = std::fs::read(locate(artifact)).expect("the widget is built");
        assert!(
            !wasm.windows(marker.len()).any(|w| w == marker),
            "{} can panic slicing a string (5 KB gzipped): see tests/e2e/size.rs",
            artifact.name
        );
    }
}
