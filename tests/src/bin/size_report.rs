//! `npm run size`: prints what a visitor downloads, raw, gzip and brotli.

use confab_tests::sizes::{report, totals, LOADER_BUDGET_GZIP, WIDGET_BUDGET_GZIP};

fn main() {
    let report = report();
    println!(
        "{:<22} {:>10} {:>10} {:>10}",
        "artifact", "raw", "gzip", "brotli"
    );
    for (artifact, size) in &report {
        println!(
            "{:<22} {:>10} {:>10} {:>10}",
            artifact.name, size.raw, size.gzip, size.brotli
        );
    }
    let (loader, widget) = totals(&report);
    let widget_br: usize = report
        .iter()
        .filter(|(a, _)| a.widget)
        .map(|(_, s)| s.brotli)
        .sum();
    println!(
        "{:<22} {:>10} {:>10} {:>10}",
        "widget total", "", widget, widget_br
    );
    println!();
    println!("budgets (gzip): loader {loader} / {LOADER_BUDGET_GZIP} B, widget {widget} / {WIDGET_BUDGET_GZIP} B");
}
