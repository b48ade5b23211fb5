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

    /// CPU time spent so far by the group's living processes (user and system), from
    /// their own accounting in `/proc`.
    pub fn cpu_seconds(&self) -> f64 {
        let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        let group = self.child.id() as i64;
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return 0.0;
        };
        let ticks: u64 = entries
            .flatten()
            .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
            .filter_map(|stat| {
                // The fields after the command name, which is in parentheses and may hold spaces.
                let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
                let pgrp: i64 = fields.get(2)?.parse().ok()?;
                let user: u64 = fields.get(11)?.parse().ok()?;
                let system: u64 = fields.get(12)?.parse().ok()?;
                (pgrp == group).then_some(user + system)
            })
            .sum();
        ticks as f64 / ticks_per_second
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

/// A TCP port nobody listens on right now, and that nobody else in this run will be given.
///
/// Ports come from below the kernel's ephemeral range (32768 and up): a port taken from that
/// range can become the local end of some outgoing connection (a browser, a test's client)
/// before the runtime binds it, and the runtime then exits with "Address already in use".
pub fn free_port() -> u16 {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    const LOW: u32 = 20_000;
    const SPAN: u32 = 12_000;
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    let given = given.get_or_insert_with(HashSet::new);
    // Start at a place that differs between test processes, then walk.
    let start = std::process::id().wrapping_mul(7919) % SPAN;
    (0..SPAN)
        .map(|i| (LOW + (start + i * 13) % SPAN) as u16)
        .find(|port| !given.contains(port) && TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .inspect(|port| {
            given.insert(*port);
        })
        .expect("a free port below the ephemeral range")
}

/// The last `lines` lines of a log file, for failure messages.
pub fn tail(log: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
