//! `npm run size`: prints what a visitor downloads, raw, gzip and brotli.

use confab_tests::sizes::{
    report, total, totals, Piece, CONSOLE_BUDGET_GZIP, FIRST_OPEN_BUDGET_GZIP, LOADER_BUDGET_GZIP,
};

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
        .filter(|(a, _)| a.piece == Piece::FirstOpen)
        .map(|(_, s)| s.brotli)
        .sum();
    println!(
        "{:<22} {:>10} {:>10} {:>10}",
        "first open", "", widget, widget_br
    );
    let console = total(&report, Piece::Console);
    println!("{:<22} {:>10} {:>10}", "console inbox", "", console);
    println!();
    print!("budgets (gzip): loader {loader} / {LOADER_BUDGET_GZIP} B, first open {widget} / {FIRST_OPEN_BUDGET_GZIP} B, console inbox {console} / {CONSOLE_BUDGET_GZIP} B");
    for (artifact, size) in &report {
        if let Piece::Chunk(budget) = artifact.piece {
            print!(", {} {} / {budget} B", artifact.name, size.gzip);
        }
    }
    println!();
}
