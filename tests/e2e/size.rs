//! Size budgets: a size is deterministic, so a test may hold it.

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
}
