//! The end-to-end harness: the real runtime (`wrangler dev`), headless Chromium through
//! chromedriver, and an HTTP client for the API. Every process started here is stopped
//! with all its children when its handle drops, also when a test fails.

pub mod account;
pub mod api;
pub mod axe;
pub mod browser;
pub mod console;
pub mod host;
pub mod inbound_mail;
pub mod process;
pub mod push_service;
pub mod runtime;
pub mod sizes;
pub mod socket;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Once;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// The widget's texts in `lang`, as the repository has them (`widget/texts/<lang>.json`).
pub fn widget_texts(lang: &str) -> serde_json::Value {
    let path = repo_root().join(format!("widget/texts/{lang}.json"));
    let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&file).expect("a texts file is JSON")
}

/// The weekday in UTC `days` days from today, Monday = 0, as business hours number them.
pub fn weekday_in_utc(days: u64) -> usize {
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        / 86_400;
    // 1970-01-01 was a Thursday.
    ((today + 3 + days) % 7) as usize
}

/// Runs the one build entry point (fast when nothing changed), once per test process.
pub fn build() {
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let status = Command::new("bash")
            .arg(repo_root().join("scripts/build.sh"))
            .current_dir(repo_root())
            .status()
            .expect("run scripts/build.sh");
        assert!(status.success(), "scripts/build.sh failed");
    });
}

/// The WebSocket base (`ws://…`) of an HTTP base URL.
pub fn ws_url(http_base: &str) -> String {
    http_base.replacen("http://", "ws://", 1)
}

/// PATH with the pinned npm tools (wrangler, Node 22) first.
pub fn tool_path() -> String {
    let root = repo_root();
    let home = std::env::var("HOME").unwrap_or_default();
    format!(
        "{}:{home}/.cargo/bin:{}",
        root.join("node_modules/.bin").display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Polls `check` every 100 ms until it returns `Some` or `seconds` pass.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {seconds} s waiting for {what}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
