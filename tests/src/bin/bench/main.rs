//! `npm run bench`: what a message costs the local runtime, beside two floors measured in
//! the same run: a bare WebSocket echo in the Worker, and an echo through a Durable Object
//! with a hibernating socket (what any design with an object per thread pays).
//!
//! - `paced`: conversations at a human pace (one visitor message every 2 s each, for 40 s),
//!   at 100 and 500 conversations: delivery latency visitor to agent, CPU per message from
//!   the runtime processes' own accounting, and the backlog left when the senders stop.
//! - `burst`: each conversation sends 20 messages one after another: latency and
//!   throughput at 1, 50 and 500 conversations.
//!
//! - `upload`: a 10 MB file uploaded, beside the same bytes read whole and refused.
//! - `reports`: the reports of a site with 10,000 conversations, beside a call to the same
//!   inbox that reads one setting.
//!
//! Prints tables; checks only that each call got its answer. `npm run bench -- paced`, `-- burst`,
//! `-- upload` or `-- reports` runs one;
//! `CONFAB_BENCH_SIZES=100` runs the paced scenario at 100 conversations only.

mod burst;
mod paced;
mod reports;
mod upload;

use std::time::Duration;

use confab_tests::api::Api;
use confab_tests::console::Console;
use confab_tests::runtime::Runtime;
use confab_tests::socket::{visitor_and_agent, Socket};

/// Latencies of one run, in milliseconds.
pub struct Latencies(Vec<f64>);

impl Latencies {
    pub fn new(mut ms: Vec<f64>) -> Self {
        ms.sort_by(f64::total_cmp);
        Latencies(ms)
    }

    pub fn percentile(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let index = ((p * self.0.len() as f64).ceil() as usize).clamp(1, self.0.len()) - 1;
        self.0[index]
    }

    pub fn count(&self) -> usize {
        self.0.len()
    }
}

/// A visitor and an agent socket on a fresh conversation, caught up.
pub async fn conversation(base: &str, admin: &Console) -> (Socket, Socket) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static VISITORS: AtomicUsize = AtomicUsize::new(0);
    let n = VISITORS.fetch_add(1, Ordering::Relaxed);
    let api = Api::new(base);
    // One address per simulated visitor, as on the internet.
    let ip = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    let session = api.new_session_from(Some(&ip), "demo").await;
    let token = session.body["token"]
        .as_str()
        .unwrap_or_else(|| panic!("a session: {} {}", session.status, session.body))
        .to_owned();
    let id = api
        .open_from(Some(&ip), &token, "bench-open", "hello")
        .await
        .conversation_id;
    visitor_and_agent(admin, &token, &id).await
}

/// The longest a benchmark waits for a frame before it counts the message as lost.
pub const GIVE_UP: Duration = Duration::from_secs(120);

#[tokio::main]
async fn main() {
    let only = std::env::args().nth(1);
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    match only.as_deref() {
        Some("paced") => paced::run(&runtime).await,
        Some("burst") => burst::run(&runtime).await,
        Some("upload") => upload::run(&runtime).await,
        Some("reports") => reports::run(&runtime).await,
        _ => {
            paced::run(&runtime).await;
            burst::run(&runtime).await;
            upload::run(&runtime).await;
            reports::run(&runtime).await;
        }
    }
    runtime.stop();
}
