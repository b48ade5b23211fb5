//! What a visitor downloads, measured compressed as a CDN would serve it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::repo_root;

/// The loader must draw the launcher fast on any network.
pub const LOADER_BUDGET_GZIP: usize = 2 * 1024;
/// What the first open downloads: the widget's main wasm, its JS glue and its CSS.
pub const FIRST_OPEN_BUDGET_GZIP: usize = 60_000;
/// The ☰ screens' chunk, fetched when they are first opened.
pub const HOME_CHUNK_BUDGET_GZIP: usize = 8 * 1024;
/// The chunk of what is seldom done (signing in, long polling, files, what automatic
/// messages ask: an address or notifications, a rating), fetched when first needed.
pub const SELDOM_CHUNK_BUDGET_GZIP: usize = 12 * 1024;
/// The proactive rules' chunk (evaluating them, the teaser), fetched on sites with live
/// rules only. (Rust's float parsing and formatting, Unicode case tables and a string
/// slice's panic would have made it 57 KB: numbers are read in `proactive::number` and
/// written by JavaScript, addresses matched byte by byte.)
pub const PROACTIVE_CHUNK_BUDGET_GZIP: usize = 10 * 1024;
/// What an agent's browser downloads for the console's inbox: its main wasm, glue and CSS.
/// (200,000 until files came: the upload's and the file list's glue, shared by every
/// chunk, cost the inbox 77 B; 200,500 until reports: their link, route and the loading
/// of their chunk cost it about 500 B; 201,000 until ratings and automatic messages: rows
/// and messages that carry them, the rating in the list, cost it 5.5 KB, of which 3.7 KB
/// were won back by reading the texts in one loop; 203,000 until proactive messages: the
/// rule that started a row, the rules in the sites' settings and their texts, 1 KB.)
pub const CONSOLE_BUDGET_GZIP: usize = 204_500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    Loader,
    FirstOpen,
    /// A lazy chunk, with its budget.
    Chunk(usize),
    /// The console's inbox, its first screen.
    Console,
}

pub struct Artifact {
    pub name: &'static str,
    /// Under `dist/`: the loader as served, the widget's and the console's files as built
    /// (the site serves them beside the previous build's). A chunk's name ends in its own hash, so
    /// it is found by the start of its name.
    pub path: &'static str,
    pub piece: Piece,
}

pub const ARTIFACTS: &[Artifact] = &[
    Artifact {
        name: "loader (confab.js)",
        path: "site/confab.js",
        piece: Piece::Loader,
    },
    Artifact {
        name: "widget wasm",
        path: "widget/confab_widget_bg.wasm",
        piece: Piece::FirstOpen,
    },
    Artifact {
        name: "widget JS glue",
        path: "widget/confab_widget.js",
        piece: Piece::FirstOpen,
    },
    Artifact {
        name: "widget CSS",
        path: "widget/confab.css",
        piece: Piece::FirstOpen,
    },
    Artifact {
        name: "☰ screens chunk",
        path: "widget/split_home_screen.",
        piece: Piece::Chunk(HOME_CHUNK_BUDGET_GZIP),
    },
    Artifact {
        name: "seldom chunk (sign-in, polling, files)",
        path: "widget/split_seldom.",
        piece: Piece::Chunk(SELDOM_CHUNK_BUDGET_GZIP),
    },
    Artifact {
        name: "proactive chunk (rules, teaser)",
        path: "widget/split_proactive.",
        piece: Piece::Chunk(PROACTIVE_CHUNK_BUDGET_GZIP),
    },
    Artifact {
        name: "console wasm",
        path: "console/confab_console_bg.wasm",
        piece: Piece::Console,
    },
    Artifact {
        name: "console JS glue",
        path: "console/confab_console.js",
        piece: Piece::Console,
    },
    Artifact {
        name: "console CSS",
        path: "site/console/console.css",
        piece: Piece::Console,
    },
    Artifact {
        name: "console conversation chunk",
        path: "console/split_conversation_page.",
        // 100 KiB until files came: showing and attaching them cost 7.8 KB, even drawn
        // with the widget's DOM code rather than Leptos' views (which cost 13.6 KB); 108
        // KiB until automatic messages and the rating showed in the thread (4 KB).
        piece: Piece::Chunk(113 * 1024),
    },
    Artifact {
        name: "console sign-in chunk",
        path: "console/split_login_page.",
        piece: Piece::Chunk(6 * 1024),
    },
    Artifact {
        name: "console invite chunk",
        path: "console/split_invite_page.",
        piece: Piece::Chunk(7 * 1024),
    },
    Artifact {
        name: "console team chunk",
        path: "console/split_team_page.",
        // The team and the deployment's sites with everything each sets, for admins,
        // fetched when the page is first opened (or on idle). 72 KiB once the site's words
        // form (+7.8 KB) joined hours and reach; 108 KiB since sites are managed here
        // (create, settings, look with its preview, standing: +40 KB, mostly Leptos'
        // reactive code instantiated for each new form); 148 KiB since proactive rules are
        // written here: the rule form, its condition rows and the list with counts cost 44 KB,
        // again mostly Leptos' view code (the rules' own logic is 17 KB of it, raw).
        piece: Piece::Chunk(148 * 1024),
    },
    Artifact {
        name: "console canned chunk",
        path: "console/split_canned_page.",
        piece: Piece::Chunk(16 * 1024),
    },
    Artifact {
        name: "console reports chunk",
        path: "console/split_reports_page.",
        // Figures, the chart per day and the week's heat map, with their tables.
        piece: Piece::Chunk(32 * 1024),
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

/// The file an artifact names: its path, or for a chunk the one file whose name starts so.
pub fn locate(artifact: &Artifact) -> PathBuf {
    let path = repo_root().join("dist").join(artifact.path);
    if !matches!(artifact.piece, Piece::Chunk(_)) {
        return path;
    }
    let dir = path.parent().expect("a folder");
    let start = path
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/build.sh)", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&start))
        })
        .collect();
    assert_eq!(found.len(), 1, "one chunk named {start}…: {found:?}");
    found.into_iter().next().expect("one")
}

/// Every artifact with its sizes, from the built site.
pub fn report() -> Vec<(&'static Artifact, Size)> {
    ARTIFACTS.iter().map(|a| (a, measure(&locate(a)))).collect()
}

/// Gzipped bytes of `piece`'s files together.
pub fn total(report: &[(&'static Artifact, Size)], piece: Piece) -> usize {
    report
        .iter()
        .filter(|(a, _)| a.piece == piece)
        .map(|(_, s)| s.gzip)
        .sum()
}

/// Gzipped bytes of the loader, and of the first open's files together.
pub fn totals(report: &[(&'static Artifact, Size)]) -> (usize, usize) {
    (
        total(report, Piece::Loader),
        total(report, Piece::FirstOpen),
    )
}

impl Artifact {
    /// One of the widget's files (what a visitor downloads), not the loader nor the console.
    pub fn is_widget(&self) -> bool {
        self.path.starts_with("widget/")
    }
}
