//! Size budgets: a size is deterministic, so a test may hold it.

use confab_tests::repo_root;
use confab_tests::sizes::{report, totals, LOADER_BUDGET_GZIP, WIDGET_BUDGET_GZIP};

use crate::Ctx;

pub async fn downloads_stay_within_budget(_ctx: &Ctx) {
    let (loader, widget) = totals(&report());
    assert!(loader > 0 && widget > 0, "artifacts are built");
    assert!(
        loader <= LOADER_BUDGET_GZIP,
        "loader is {loader} B gzipped, over its {LOADER_BUDGET_GZIP} B budget"
    );
    assert!(
        widget <= WIDGET_BUDGET_GZIP,
        "widget is {widget} B gzipped, over its {WIDGET_BUDGET_GZIP} B budget"
    );

    // A string slice (`&s[a..b]`), `split_at`, or `replacen` / `find` with a `&str`
    // pattern compiles in a panic that formats characters, which brings `char`'s Debug and
    // its Unicode tables into the widget: 5 KB gzipped. `get`, `split_at_checked`,
    // `strip_prefix` and byte-wise searches cost nothing of the kind.
    let wasm = std::fs::read(repo_root().join("dist/widget/confab_widget_bg.wasm"))
        .expect("the widget is built");
    let marker = b"is not a char boundary";
    assert!(
        !wasm.windows(marker.len()).any(|w| w == marker),
        "the widget can panic slicing a string (5 KB gzipped): see tests/e2e/size.rs"
    );
}
