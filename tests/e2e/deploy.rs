//! What a site owner deploys is what the tests run: the deploy bundle builds offline.

use std::process::Command;

use confab_tests::{repo_root, tool_path};

use crate::Ctx;

pub async fn the_deploy_bundle_builds_offline(_ctx: &Ctx) {
    let out = tempfile::tempdir().expect("out dir");
    let output = Command::new(repo_root().join("node_modules/.bin/wrangler"))
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(out.path())
        .current_dir(repo_root())
        .env("PATH", tool_path())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .output()
        .expect("run wrangler deploy --dry-run");
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "dry run failed:\n{log}");
    assert!(
        log.contains("CONVERSATION"),
        "the Durable Object binding is listed:\n{log}"
    );
    let bundled: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        bundled
            .iter()
            .any(|f| f.ends_with(".mjs") || f.ends_with(".js")),
        "{bundled:?}"
    );
    assert!(bundled.iter().any(|f| f.ends_with(".wasm")), "{bundled:?}");
}
