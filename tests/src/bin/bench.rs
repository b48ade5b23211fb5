//! `npm run bench`: delivery latency visitor -> agent and throughput at 1, 50 and 500
//! concurrent conversations on the local runtime, beside a bare WebSocket echo through the
//! same runtime (the floor). Prints a table; asserts nothing.

use std::time::{Duration, Instant};

use confab_tests::api::Api;
use confab_tests::console::Console;
use confab_tests::runtime::Runtime;
use confab_tests::socket::{visitor_and_agent, Socket};
use futures_util::future::join_all;
use serde_json::json;

/// Messages each conversation sends, one after the other (within one sender's burst).
const MESSAGES: usize = 20;

struct Run {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Run {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let index = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[index].as_secs_f64() * 1000.0
    }

    fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
}

/// A visitor and an agent socket on a fresh conversation, caught up.
async fn conversation(base: &str, admin: &Console, n: usize) -> (Socket, Socket) {
    let api = Api::new(base);
    // One address per simulated visitor, as on the internet.
    let ip = format!("10.{}.{}.1", n / 256, n % 256);
    let session = api.new_session_from(Some(&ip), "bench").await;
    let token = session.body["token"]
        .as_str()
        .expect("a session")
        .to_owned();
    let id = api
        .open(&token, "bench-open", "hello")
        .await
        .conversation_id;
    visitor_and_agent(admin, &token, &id).await
}

async fn confab(base: &str, conversations: usize) -> Run {
    let admin = Console::admin(base).await;
    let pairs = join_all((0..conversations).map(|n| conversation(base, &admin, n))).await;
    let started = Instant::now();
    let runs = pairs.into_iter().map(|(mut visitor, mut agent)| async move {
        let mut latencies = Vec::with_capacity(MESSAGES);
        for m in 0..MESSAGES {
            let sent = Instant::now();
            visitor
                .send(&json!({"type": "send", "client_id": format!("bench-{m}"), "body": "How much is shipping?"}))
                .await;
            agent.until(|f| f["type"] == "message").await;
            latencies.push(sent.elapsed());
        }
        latencies
    });
    let latencies = join_all(runs).await.into_iter().flatten().collect();
    Run {
        latencies,
        elapsed: started.elapsed(),
    }
}

async fn echo(base: &str, sockets: usize) -> Run {
    let url = format!("{}/api/bench/echo", confab_tests::ws_url(base));
    let connected = join_all((0..sockets).map(|_| Socket::connect(&url))).await;
    let started = Instant::now();
    let runs = connected.into_iter().map(|socket| async move {
        let mut socket = socket.expect("echo socket (BENCH_ECHO=on in .dev.vars)");
        let mut latencies = Vec::with_capacity(MESSAGES);
        for m in 0..MESSAGES {
            let sent = Instant::now();
            socket.send(&json!({"m": m})).await;
            socket.next().await;
            latencies.push(sent.elapsed());
        }
        latencies
    });
    let latencies = join_all(runs).await.into_iter().flatten().collect();
    Run {
        latencies,
        elapsed: started.elapsed(),
    }
}

#[tokio::main]
async fn main() {
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    let base = runtime.base_url();
    println!("{MESSAGES} messages per conversation, sent one after another; latency in ms, throughput in messages/s");
    println!();
    println!(
        "| {:>13} | {:>26} | {:>10} | {:>26} | {:>10} | {:>9} | {:>12} |",
        "conversations",
        "confab p50 / p95 / p99",
        "confab/s",
        "echo p50 / p95 / p99",
        "echo/s",
        "p50 ratio",
        "thru. ratio"
    );
    println!(
        "|{}|",
        [
            "---------------:",
            "---------------------------:",
            "-----------:",
            "---------------------------:",
            "-----------:",
            "----------:",
            "-------------:"
        ]
        .join("|")
    );
    for n in [1, 50, 500] {
        let c = confab(&base, n).await;
        let e = echo(&base, n).await;
        println!(
            "| {:>13} | {:>7.2} / {:>7.2} / {:>7.2} | {:>10.0} | {:>7.2} / {:>7.2} / {:>7.2} | {:>10.0} | {:>9.1} | {:>12.2} |",
            n,
            c.percentile(0.50), c.percentile(0.95), c.percentile(0.99), c.throughput(),
            e.percentile(0.50), e.percentile(0.95), e.percentile(0.99), e.throughput(),
            c.percentile(0.50) / e.percentile(0.50),
            c.throughput() / e.throughput(),
        );
    }
    runtime.stop();
}
