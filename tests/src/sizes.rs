//! What a visitor downloads, measured compressed as a CDN would serve it.

use std::io::Write;
use std::path::Path;

use crate::repo_root;

/// The loader must draw the launcher fast on any network.
pub const LOADER_BUDGET_GZIP: usize = 2 * 1024;
/// Everything the widget fetches once the loader asks for it.
pub const WIDGET_BUDGET_GZIP: usize = 100 * 1024;

pub struct Artifact {
    pub name: &'static str,
    /// Under `dist/`: the loader as served, the widget's files as built (the site serves
    /// them under names with their content hash).
    pub path: &'static str,
    /// Part of the widget proper (fetched lazily), not the loader.
    pub widget: bool,
}

pub const ARTIFACTS: &[Artifact] = &[
    Artifact {
        name: "loader (confab.js)",
        path: "site/confab.js",
        widget: false,
    },
    Artifact {
        name: "widget wasm",
        path: "widget/confab_widget_bg.wasm",
        widget: true,
    },
    Artifact {
        name: "widget JS glue",
        path: "widget/confab_widget.js",
        widget: true,
    },
    Artifact {
        name: "widget CSS",
        path: "widget/confab.css",
        widget: true,
    },
];

pub struct Size {
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

pub fn measure(path: &Path) -> Size {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/build.sh)", path.display()));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).expect("gzip");
    let gzip = gz.finish().expect("gzip").len();
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        writer.write_all(&bytes).expect("brotli");
    }
    Size {
        raw: bytes.len(),
        gzip,
        brotli: br.len(),
    }
}

/// Every artifact with its sizes, from the built site.
pub fn report() -> Vec<(&'static Artifact, Size)> {
    let dist = repo_root().join("dist");
    ARTIFACTS
        .iter()
        .map(|a| (a, measure(&dist.join(a.path))))
        .collect()
}

/// Gzipped bytes of the loader, and of the widget's files together.
pub fn totals(report: &[(&'static Artifact, Size)]) -> (usize, usize) {
    let loader = report
        .iter()
        .filter(|(a, _)| !a.widget)
        .map(|(_, s)| s.gzip)
        .sum();
    let widget = report
        .iter()
        .filter(|(a, _)| a.widget)
        .map(|(_, s)| s.gzip)
        .sum();
    (loader, widget)
}
