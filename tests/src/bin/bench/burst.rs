//! Each conversation sends its messages one after another, as fast as they are delivered:
//! latency and throughput beside the bare echo.

use std::time::Instant;

use confab_tests::console::Console;
use confab_tests::runtime::Runtime;
use confab_tests::socket::Socket;
use futures_util::future::join_all;
use serde_json::json;

use crate::{conversation, Latencies, GIVE_UP};

/// Messages each conversation sends, one after the other.
const MESSAGES: usize = 20;

struct Run {
    latencies: Latencies,
    seconds: f64,
    /// The runtime's processes' CPU over the run, in seconds.
    cpu: f64,
}

impl Run {
    fn throughput(&self) -> f64 {
        self.latencies.count() as f64 / self.seconds
    }

    fn cpu_ms_per_message(&self) -> f64 {
        self.cpu * 1000.0 / self.latencies.count().max(1) as f64
    }
}

async fn confab(runtime: &Runtime, conversations: usize) -> Run {
    let base = &runtime.base_url();
    let admin = Console::admin(base).await;
    let pairs = join_all((0..conversations).map(|_| conversation(base, &admin))).await;
    let cpu = runtime.cpu_seconds();
    let started = Instant::now();
    let runs = pairs.into_iter().map(|(mut visitor, mut agent)| async move {
        let mut latencies = Vec::with_capacity(MESSAGES);
        for m in 0..MESSAGES {
            let sent = Instant::now();
            visitor
                .send(&json!({"type": "send", "client_id": format!("burst-{m}"), "body": "How much is shipping?"}))
                .await;
            while let Some(frame) = agent.next_within(GIVE_UP).await {
                if frame["type"] == "message" {
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    break;
                }
            }
        }
        latencies
    });
    let latencies = join_all(runs).await.into_iter().flatten().collect();
    Run {
        latencies: Latencies::new(latencies),
        seconds: started.elapsed().as_secs_f64(),
        cpu: runtime.cpu_seconds() - cpu,
    }
}

async fn echo(runtime: &Runtime, sockets: usize) -> Run {
    let url = format!(
        "{}/api/bench/echo",
        confab_tests::ws_url(&runtime.base_url())
    );
    let connected = join_all((0..sockets).map(|_| Socket::connect(&url))).await;
    let cpu = runtime.cpu_seconds();
    let started = Instant::now();
    let runs = connected.into_iter().map(|socket| async move {
        let mut socket = socket.expect("echo socket (BENCH_ECHO=on in .dev.vars)");
        let mut latencies = Vec::with_capacity(MESSAGES);
        for m in 0..MESSAGES {
            let sent = Instant::now();
            socket.send(&json!({"m": m})).await;
            if socket.next_within(GIVE_UP).await.is_some() {
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
        }
        latencies
    });
    let latencies = join_all(runs).await.into_iter().flatten().collect();
    Run {
        latencies: Latencies::new(latencies),
        seconds: started.elapsed().as_secs_f64(),
        cpu: runtime.cpu_seconds() - cpu,
    }
}

pub async fn run(runtime: &Runtime) {
    println!("burst: {MESSAGES} messages per conversation, sent one after another; latency in ms, throughput in messages/s, CPU in ms of the runtime's processes per message");
    println!();
    println!(
        "| {:>13} | {:>26} | {:>10} | {:>10} | {:>26} | {:>10} | {:>10} | {:>9} | {:>12} | {:>9} |",
        "conversations",
        "confab p50 / p95 / p99",
        "confab/s",
        "confab CPU",
        "echo p50 / p95 / p99",
        "echo/s",
        "echo CPU",
        "p50 ratio",
        "thru. ratio",
        "CPU ratio"
    );
    println!("|--------------:|---------------------------:|-----------:|-----------:|---------------------------:|-----------:|-----------:|----------:|-------------:|----------:|");
    for n in [1, 50, 500] {
        let c = confab(runtime, n).await;
        let e = echo(runtime, n).await;
        let (cl, el) = (&c.latencies, &e.latencies);
        println!(
            "| {:>13} | {:>7.2} / {:>7.2} / {:>7.2} | {:>10.0} | {:>10.2} | {:>7.2} / {:>7.2} / {:>7.2} | {:>10.0} | {:>10.2} | {:>9.1} | {:>12.2} | {:>9.1} |",
            n,
            cl.percentile(0.50), cl.percentile(0.95), cl.percentile(0.99), c.throughput(), c.cpu_ms_per_message(),
            el.percentile(0.50), el.percentile(0.95), el.percentile(0.99), e.throughput(), e.cpu_ms_per_message(),
            cl.percentile(0.50) / el.percentile(0.50),
            c.throughput() / e.throughput(),
            c.cpu_ms_per_message() / e.cpu_ms_per_message(),
        );
    }
    println!();
}
