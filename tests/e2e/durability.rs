//! No message lost or doubled: through a crash of the runtime, and under many writers.

use std::collections::HashSet;

use confab_tests::api::Api;
use confab_tests::console::Console;
use confab_tests::eventually;
use confab_tests::runtime::Runtime;
use confab_tests::socket::{visitor_and_agent, Socket};
use futures_util::future::join_all;
use serde_json::json;

use crate::Ctx;

/// A client streams 200 messages; the runtime is killed with SIGKILL part way; after the
/// restart the client resends everything it has no ack for, with the same client ids.
pub async fn a_killed_runtime_loses_and_doubles_nothing(_ctx: &Ctx) {
    const TOTAL: usize = 200;
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    let port = runtime.port();
    let api = Api::new(&runtime.base_url());
    let (token, id) = api.new_thread("stream-open", "streaming").await;
    let url = format!(
        "{}/api/conversations/{id}/socket?token={token}",
        confab_tests::ws_url(&runtime.base_url())
    );

    let mut socket = Socket::connect(&url).await.expect("socket");
    socket.hello(1, 0).await;
    let client_id = |n: usize| format!("stream-{n:03}");
    for n in 0..TOTAL {
        socket
            .send(
                &json!({"type": "send", "client_id": client_id(n), "body": format!("message {n}")}),
            )
            .await;
    }
    // Some acks arrive, then the runtime dies without warning.
    let mut acked = HashSet::new();
    while acked.len() < 40 {
        let frame = socket.next().await;
        if frame["type"] == "ack" {
            acked.insert(frame["client_id"].as_str().unwrap().to_owned());
        }
    }
    runtime.kill();
    drop(socket);

    let runtime = Runtime::start_on(state.path(), port).await;
    let mut socket = Socket::connect(&url).await.expect("socket after restart");
    socket.hello(0, 0).await;
    // Resend what has no ack, as a client does, pausing when the edge says to slow down.
    loop {
        let unacked: Vec<usize> = (0..TOTAL)
            .filter(|n| !acked.contains(&client_id(*n)))
            .collect();
        if unacked.is_empty() {
            break;
        }
        for n in &unacked {
            socket
                .send(&json!({"type": "send", "client_id": client_id(*n), "body": format!("message {n}")}))
                .await;
        }
        let mut answers = 0;
        while answers < unacked.len() {
            let frame = socket.next().await;
            match frame["type"].as_str() {
                Some("ack") => {
                    acked.insert(frame["client_id"].as_str().unwrap().to_owned());
                    answers += 1;
                }
                Some("error") => {
                    assert_eq!(frame["code"], "rate_limited", "{frame}");
                    answers += 1;
                }
                _ => {}
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }

    let mut messages = Vec::new();
    let mut after = 0;
    loop {
        let page = api
            .history(&token, &id, &format!("after={after}&limit=100"))
            .await;
        if page.messages.is_empty() {
            break;
        }
        after = page.messages.last().unwrap().seq;
        messages.extend(page.messages);
    }
    let seqs: Vec<u64> = messages.iter().map(|m| m.seq).collect();
    assert_eq!(
        seqs,
        (1..=TOTAL as u64 + 1).collect::<Vec<_>>(),
        "dense seq, no gaps"
    );
    let ids: HashSet<&str> = messages.iter().map(|m| m.client_id.as_str()).collect();
    assert_eq!(ids.len(), TOTAL + 1, "every client id exactly once");
    for n in 0..TOTAL {
        assert!(
            ids.contains(client_id(n).as_str()),
            "{} is stored",
            client_id(n)
        );
    }

    // The agents' inbox ends exact: every message counted once as unread, every text
    // searchable, whatever the kill interrupted.
    let admin = Console::admin(&runtime.base_url()).await;
    eventually(60, "the inbox to catch up", || async {
        let answer = admin
            .get(&format!("/api/console/sites/demo/conversations/{id}"))
            .await;
        let row = &answer.body["conversation"];
        (row["last_seq"] == TOTAL as u64 + 1 && row["unread"] == TOTAL as u64 + 1).then_some(())
    })
    .await;
    let found = admin
        .get("/api/console/sites/demo/conversations?q=message%20199")
        .await;
    assert_eq!(
        found.body["conversations"][0]["conversation_id"],
        id.as_str()
    );
    runtime.stop();
}

/// 50 visitors write 20 messages each at once; each thread's agent receives them live.
pub async fn fifty_visitors_twenty_messages_each(ctx: &Ctx) {
    const VISITORS: usize = 50;
    const MESSAGES: u64 = 20;
    let api = Api::new(&ctx.base);
    let admin = ctx.admin();
    let runs = (0..VISITORS).map(|v| {
        let api = &api;
        let admin = &admin;
        async move {
            let token = api.new_visitor().await;
            let id = api.open(&token, "crowd-open", &format!("visitor {v}")).await.conversation_id;
            let (mut visitor, mut agent) = visitor_and_agent(admin, &token, &id).await;
            for n in 0..MESSAGES {
                visitor
                    .send(&json!({"type": "send", "client_id": format!("crowd-{n}"), "body": format!("{v}/{n}")}))
                    .await;
            }
            let mut acks = Vec::new();
            while acks.len() < MESSAGES as usize {
                let frame = visitor.next().await;
                if frame["type"] == "ack" {
                    acks.push(frame["seq"].as_u64().unwrap());
                }
            }
            assert_eq!(acks, (2..=MESSAGES + 1).collect::<Vec<_>>(), "acked in order");
            let mut received = Vec::new();
            while received.len() < MESSAGES as usize {
                let frame = agent.next().await;
                if frame["type"] == "message" {
                    received.push(frame["message"]["body"].as_str().unwrap().to_owned());
                }
            }
            let expected: Vec<String> = (0..MESSAGES).map(|n| format!("{v}/{n}")).collect();
            assert_eq!(received, expected, "the agent got each once, in order");
            let page = api.history(&token, &id, "limit=100").await;
            assert_eq!(page.messages.len() as u64, MESSAGES + 1);
        }
    });
    join_all(runs).await;
}
