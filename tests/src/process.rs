//! Child processes in their own process group, so that stopping one stops everything it
//! started (wrangler starts workerd; chromedriver starts Chromium).

use std::fs::File;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Group {
    child: Child,
    name: String,
}

impl Group {
    /// Starts `command` in a new process group, its output going to `log`.
    pub fn spawn(name: &str, mut command: Command, log: &Path) -> Group {
        use std::os::unix::process::CommandExt;
        let out = File::create(log).expect("create log file");
        let err = out.try_clone().expect("clone log file");
        command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {name}: {e}"));
        Group {
            child,
            name: name.to_owned(),
        }
    }

    pub fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// SIGTERM to the whole group, then SIGKILL to whatever is left after a grace period.
    pub fn stop(&mut self) {
        self.signal(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.has_exited() && !self.group_alive() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
    }

    /// SIGKILL to the whole group: a crash, with no chance to clean up.
    pub fn kill(&mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.group_alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, signal: i32) {
        // The group id is the leader's pid (process_group(0)).
        unsafe {
            libc::kill(-(self.child.id() as i32), signal);
        }
    }

    fn group_alive(&self) -> bool {
        unsafe { libc::kill(-(self.child.id() as i32), 0) == 0 }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if !self.has_exited() || self.group_alive() {
            self.kill();
        }
    }
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}

/// The last `lines` lines of a log file, for failure messages.
pub fn tail(log: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
