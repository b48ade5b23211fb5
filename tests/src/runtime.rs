//! The real runtime: `wrangler dev` (workerd, SQLite-backed Durable Objects) on a free port,
//! with its state in a directory the test chooses, so a restart finds the same data.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{free_port, tail, Group};
use crate::{build, repo_root, tool_path};

pub struct Runtime {
    group: Group,
    port: u16,
    log: PathBuf,
}

enum Ready {
    Answering,
    AddressInUse,
    Exited,
}

/// `wrangler.toml` without its `[build]` section, beside it (so its paths and `.dev.vars`
/// still resolve): the harness builds once itself, and a runtime under test must not
/// rebuild and reload because someone edits a source file while it runs.
fn config_without_build() -> PathBuf {
    static CONFIG: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let root = repo_root();
            let original =
                std::fs::read_to_string(root.join("wrangler.toml")).expect("read wrangler.toml");
            let mut in_build = false;
            let kept: Vec<&str> = original
                .lines()
                .filter(|line| {
                    if line.starts_with('[') {
                        in_build = line.trim() == "[build]";
                    }
                    !in_build
                })
                .collect();
            let path = root.join("wrangler.test.toml");
            let temporary = root.join(format!("wrangler.test.toml.{}", std::process::id()));
            std::fs::write(&temporary, kept.join("\n")).expect("write the test config");
            std::fs::rename(&temporary, &path).expect("place the test config");
            path
        })
        .clone()
}

/// `wrangler dev` on `port`, its state under `state_dir`, its V8 inspector on `inspector`.
fn wrangler_dev(state_dir: &Path, port: u16, inspector: u16) -> Command {
    let mut command = Command::new(repo_root().join("node_modules/.bin/wrangler"));
    command
        .arg("dev")
        .arg("--config")
        .arg(config_without_build())
        .args(["--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &inspector.to_string()])
        .arg("--persist-to")
        .arg(state_dir)
        .args([
            "--show-interactive-dev-session=false",
            "--log-level",
            "warn",
        ])
        .current_dir(repo_root())
        .env("PATH", tool_path())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true");
    command
}

impl Runtime {
    /// Starts `wrangler dev` with its state under `state_dir` and waits until it answers.
    pub async fn start(state_dir: &Path) -> Runtime {
        Runtime::start_on(state_dir, free_port()).await
    }

    /// The same on a given port: a restarted runtime where pages already point.
    ///
    /// A port can still be held for a moment by what the last runtime left behind; a start
    /// that finds its address in use is tried again (with a new inspector port), a few times.
    pub async fn start_on(state_dir: &Path, port: u16) -> Runtime {
        build();
        std::fs::create_dir_all(state_dir).expect("create state dir");
        let mut attempt = 0;
        loop {
            attempt += 1;
            let log = state_dir.join(format!("wrangler-{port}-{attempt}.log"));
            let inspector = free_port();
            let command = wrangler_dev(state_dir, port, inspector);
            let group = Group::spawn("wrangler dev", command, &log);
            let mut runtime = Runtime { group, port, log };
            match runtime.wait_until_ready().await {
                Ready::Answering => return runtime,
                Ready::AddressInUse if attempt < 4 => {
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                Ready::AddressInUse | Ready::Exited => panic!(
                    "wrangler dev exited before answering (attempt {attempt}):\n{}",
                    runtime.log_tail()
                ),
            }
        }
    }

    async fn wait_until_ready(&mut self) -> Ready {
        let client = reqwest::Client::new();
        let url = format!("{}/api/health", self.base_url());
        for _ in 0..1200 {
            if self.group.has_exited() {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                return if log.contains("Address already in use") {
                    Ready::AddressInUse
                } else {
                    Ready::Exited
                };
            }
            if let Ok(response) = client.get(&url).send().await {
                if response.status().is_success() {
                    return Ready::Answering;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "wrangler dev did not answer within 120 s:\n{}",
            tail(&self.log, 40)
        );
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The demo page as a person opens it (localhost is a secure context, like https).
    pub fn demo_url(&self) -> String {
        format!("http://localhost:{}/", self.port)
    }

    /// A clean stop (SIGTERM to the runtime and its children).
    pub fn stop(mut self) {
        self.group.stop();
    }

    /// A crash: SIGKILL to the runtime and its children.
    pub fn kill(mut self) {
        self.group.kill();
    }

    /// CPU seconds the runtime's processes (wrangler, workerd) have used so far.
    pub fn cpu_seconds(&self) -> f64 {
        self.group.cpu_seconds()
    }

    pub fn log_tail(&self) -> String {
        tail(&self.log, 40)
    }
}
