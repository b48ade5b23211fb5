//! Conversations at a human pace: each visitor sends one message every 2 s for 40 s, the
//! senders spread evenly over the 2 s. The same pace through the two floors. For each:
//! delivery latency (also without each conversation's first message: "warm"), CPU per
//! message delivered (the runtime processes' own accounting,
//! over the whole run), and the backlog: how long after the last send the last message
//! arrived, and how many never did.

use std::time::{Duration, Instant};

use confab_tests::console::Console;
use confab_tests::runtime::Runtime;
use confab_tests::socket::Socket;
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::{conversation, Latencies, GIVE_UP};

const EVERY: Duration = Duration::from_secs(2);
const MESSAGES: usize = 20;

struct Run {
    latencies: Latencies,
    /// Every message but each conversation's first, which may wake an object that
    /// hibernated while the others were set up.
    warm: Latencies,
    cpu_ms_per_message: f64,
    lost: usize,
    drain_ms: f64,
}

/// Where the visitor sends, and where the agent reads (the same socket for an echo).
struct Pair {
    send: Socket,
    receive: Option<Socket>,
}

/// What a sender sends as message `m`, and whether a frame is that message arriving.
trait Shape: Copy {
    fn frame(self, m: usize) -> Value;
    fn arrived(self, frame: &Value) -> Option<usize>;
}

#[derive(Clone, Copy)]
struct Confab;

impl Shape for Confab {
    fn frame(self, m: usize) -> Value {
        json!({"type": "send", "client_id": format!("paced-{m}"), "body": "How much is shipping?"})
    }

    fn arrived(self, frame: &Value) -> Option<usize> {
        if frame["type"] != "message" {
            return None;
        }
        frame["message"]["client_id"]
            .as_str()?
            .strip_prefix("paced-")?
            .parse()
            .ok()
    }
}

#[derive(Clone, Copy)]
struct Echo;

impl Shape for Echo {
    fn frame(self, m: usize) -> Value {
        json!({ "m": m })
    }

    fn arrived(self, frame: &Value) -> Option<usize> {
        frame["m"].as_u64().map(|m| m as usize)
    }
}

async fn measure(runtime: &Runtime, pairs: Vec<Pair>, shape: impl Shape) -> Run {
    let count = pairs.len();
    let cpu_before = runtime.cpu_seconds();
    let started = Instant::now();
    let runs = pairs
        .into_iter()
        .enumerate()
        .map(|(n, mut pair)| async move {
            let mut next_send = started + EVERY.mul_f64(n as f64 / count as f64);
            let mut sent_at: Vec<Instant> = Vec::with_capacity(MESSAGES);
            let mut latencies = Vec::with_capacity(MESSAGES);
            let mut last_arrival = started;
            while latencies.len() < MESSAGES {
                let receiver = match pair.receive.as_mut() {
                    Some(receiver) => receiver,
                    None => &mut pair.send,
                };
                tokio::select! {
                    _ = tokio::time::sleep_until(next_send.into()), if sent_at.len() < MESSAGES => {
                        let m = sent_at.len();
                        sent_at.push(Instant::now());
                        pair.send.send(&shape.frame(m)).await;
                        next_send += EVERY;
                    }
                    frame = receiver.next_within(GIVE_UP) => {
                        let Some(frame) = frame else { break };
                        if let Some(sent) = shape.arrived(&frame).and_then(|m| sent_at.get(m)) {
                            let now = Instant::now();
                            latencies.push((now - *sent).as_secs_f64() * 1000.0);
                            last_arrival = now;
                        }
                    }
                }
            }
            (latencies, last_arrival)
        });
    let results = join_all(runs).await;
    let cpu = runtime.cpu_seconds() - cpu_before;
    let last_send = started + EVERY * (MESSAGES as u32 - 1) + EVERY;
    let last_arrival = results.iter().map(|(_, at)| *at).max().unwrap_or(started);
    let warm: Vec<f64> = results
        .iter()
        .flat_map(|(l, _)| l.iter().skip(1).copied())
        .collect();
    let latencies: Vec<f64> = results.into_iter().flat_map(|(l, _)| l).collect();
    let delivered = latencies.len().max(1);
    Run {
        cpu_ms_per_message: cpu * 1000.0 / delivered as f64,
        lost: count * MESSAGES - latencies.len(),
        drain_ms: last_arrival
            .saturating_duration_since(last_send)
            .as_secs_f64()
            * 1000.0,
        latencies: Latencies::new(latencies),
        warm: Latencies::new(warm),
    }
}

async fn confab_pairs(base: &str, n: usize) -> Vec<Pair> {
    let admin = Console::admin(base).await;
    join_all((0..n).map(|_| conversation(base, &admin)))
        .await
        .into_iter()
        .map(|(send, receive)| Pair {
            send,
            receive: Some(receive),
        })
        .collect()
}

/// Echo sockets: each answers on the socket it was sent on.
async fn echo_pairs(base: &str, path: &str, n: usize) -> Vec<Pair> {
    let ws = confab_tests::ws_url(base);
    join_all((0..n).map(|k| {
        let url = format!("{ws}{path}?n={k}");
        async move {
            let socket = Socket::connect(&url)
                .await
                .expect("echo socket (BENCH_ECHO=on in .dev.vars)");
            Pair {
                send: socket,
                receive: None,
            }
        }
    }))
    .await
}

pub async fn run(runtime: &Runtime) {
    let base = runtime.base_url();
    println!(
        "paced: one message every {} s per conversation for {} s; latency in ms; CPU in ms of the runtime's processes per message delivered",
        EVERY.as_secs(),
        EVERY.as_secs() * MESSAGES as u64
    );
    println!();
    println!("| conversations | path | p50 | p99 | p99 warm | CPU ms/msg | lost | last arrival after last send, ms | p50 × echo | p99 × echo | p99 warm × echo | CPU × echo |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes() {
        let echo = measure(runtime, echo_pairs(&base, "/api/bench/echo", n).await, Echo).await;
        let object = measure(
            runtime,
            echo_pairs(&base, "/api/bench/echo-object", n).await,
            Echo,
        )
        .await;
        let confab = measure(runtime, confab_pairs(&base, n).await, Confab).await;
        for (name, run) in [
            ("bare echo", &echo),
            ("echo through an object", &object),
            ("confab, visitor to agent", &confab),
        ] {
            println!(
                "| {n} | {name} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
                run.latencies.percentile(0.5),
                run.latencies.percentile(0.99),
                run.warm.percentile(0.99),
                run.cpu_ms_per_message,
                run.lost,
                run.drain_ms,
                run.latencies.percentile(0.5) / echo.latencies.percentile(0.5),
                run.latencies.percentile(0.99) / echo.latencies.percentile(0.99),
                run.warm.percentile(0.99) / echo.warm.percentile(0.99),
                run.cpu_ms_per_message / echo.cpu_ms_per_message,
            );
        }
    }
    println!();
}

/// The conversation counts to run: `CONFAB_BENCH_SIZES=100` (comma-separated) for a quick
/// what-if, 100 and 500 otherwise.
fn sizes() -> Vec<usize> {
    std::env::var("CONFAB_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![100, 500])
}
