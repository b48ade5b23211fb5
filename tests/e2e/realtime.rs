//! Live delivery over WebSockets between a visitor and an agent.

use confab_tests::api::Api;
use confab_tests::socket::Socket;
use serde_json::{json, Value};

use crate::Ctx;

fn ws(ctx: &Ctx, path: &str) -> String {
    format!("{}{path}", confab_tests::ws_url(&ctx.base))
}

/// A new visitor's thread, opened over HTTP with one message, and the visitor's socket on
/// it, caught up.
async fn visitor_on_new_thread(
    ctx: &Ctx,
    api: &Api,
    opening: &str,
) -> (String, confab_protocol::ConversationId, Socket) {
    let (token, id) = api.new_thread(opening, "first").await;
    let url = ws(
        ctx,
        &format!("/api/conversations/{id}/socket?token={token}"),
    );
    let mut socket = Socket::connect(&url).await.expect("visitor socket");
    socket.hello(1, 0).await;
    (token, id, socket)
}

fn is_message(seq: u64) -> impl Fn(&Value) -> bool {
    move |f: &Value| f["type"] == "message" && f["message"]["seq"] == seq
}

pub async fn visitor_and_agent_talk_live(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("live-1", "Hello, anyone there?").await;

    // The agent connects knowing nothing: it is sent the whole thread after `welcome`.
    let admin = ctx.admin();
    let mut agent = admin.conversation_socket(&id).await.expect("agent socket");
    let caught_up = agent.hello(0, 1).await;
    assert_eq!(
        caught_up[0],
        json!({"type": "welcome", "last_seq": 1, "visitor_read": 0, "agent_read": 0})
    );
    assert_eq!(caught_up[1]["message"]["body"], "Hello, anyone there?");

    // The visitor already holds seq 1: nothing is resent.
    let visitor_url = ws(
        ctx,
        &format!("/api/conversations/{id}/socket?token={token}"),
    );
    let mut visitor = Socket::connect(&visitor_url).await.expect("visitor socket");
    assert_eq!(
        visitor.hello(1, 0).await,
        [json!({"type": "welcome", "last_seq": 1, "visitor_read": 0, "agent_read": 0})]
    );

    // The visitor writes; the agent sees it live; the visitor gets the ack.
    visitor
        .send(&json!({"type": "send", "client_id": "live-2", "body": "I need help with my order"}))
        .await;
    let frames = visitor.until(|f| f["type"] == "ack").await;
    assert_eq!(
        frames.last().unwrap(),
        &json!({"type": "ack", "client_id": "live-2", "seq": 2})
    );
    let pushed = agent.until(is_message(2)).await;
    assert_eq!(pushed.last().unwrap()["message"]["author"], "visitor");

    // The agent reads and types: the visitor sees both.
    agent.send(&json!({"type": "read", "seq": 2})).await;
    agent.send(&json!({"type": "typing"})).await;
    let seen = visitor.until(|f| f["type"] == "typing").await;
    assert_eq!(
        seen,
        [
            json!({"type": "read", "by": "agent", "seq": 2}),
            json!({"type": "typing", "by": "agent", "agent": admin.agent.id})
        ]
    );
    agent.until(|f| f["type"] == "read").await;
    // A marker never moves back.
    agent.send(&json!({"type": "read", "seq": 1})).await;

    // The agent replies over HTTP; the visitor's open socket receives it.
    let reply = admin
        .reply(&id, "agent-1", "Sure, what is the order number?")
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let got = visitor.until(is_message(3)).await;
    let message = &got.last().unwrap()["message"];
    assert_eq!(
        (message["author"].as_str(), message["body"].as_str()),
        (Some("agent"), Some("Sure, what is the order number?"))
    );

    // The agent's own socket gets its reply too (other tabs of the agent see it), once.
    let own = agent.until(|f| f["type"] == "message").await;
    assert_eq!(own.last().unwrap()["message"]["seq"], 3);

    // A resend is acknowledged with the original seq and pushed to nobody: the next
    // message the agent receives is the next new one.
    visitor
        .send(&json!({"type": "send", "client_id": "live-2", "body": "I need help with my order"}))
        .await;
    let frames = visitor.until(|f| f["type"] == "ack").await;
    assert_eq!(frames.last().unwrap()["seq"], 2);
    visitor
        .send(&json!({"type": "send", "client_id": "live-3", "body": "It is 4471"}))
        .await;
    let next = agent.until(|f| f["type"] == "message").await;
    assert_eq!(
        next.last().unwrap()["message"]["seq"],
        4,
        "no duplicate was pushed"
    );

    let page = api.history(&token, &id, "").await;
    assert_eq!(
        page.messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
}

pub async fn bad_frames_get_error_frames_and_the_socket_stays_usable(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id, mut visitor) = visitor_on_new_thread(ctx, &api, "frames-1").await;

    let cases = [
        ("{not json".to_owned(), "malformed_json"),
        (json!({"type": "dance"}).to_string(), "bad_request"),
        (
            json!({"type": "hello", "v": 7, "last_seq": 0}).to_string(),
            "unsupported_version",
        ),
        (
            json!({"type": "send", "client_id": "bad id", "body": "x"}).to_string(),
            "bad_request",
        ),
        (
            json!({"type": "send", "client_id": "empty-1", "body": "  "}).to_string(),
            "invalid_field",
        ),
        (
            json!({"type": "send", "client_id": "long-1", "body": "x".repeat(4001)}).to_string(),
            "invalid_field",
        ),
        (
            json!({"type": "send", "client_id": "huge-1", "body": "x".repeat(30_000)}).to_string(),
            "payload_too_large",
        ),
        (
            r#"{"type":"send","client_id":"twice-1","body":"a","body":"b"}"#.to_owned(),
            "invalid_field",
        ),
        (
            r#"{"type":"read","seq":9007199254740992}"#.to_owned(),
            "invalid_field",
        ),
    ];
    for (frame, code) in cases {
        visitor.send_text(&frame).await;
        let answer = visitor.next().await;
        assert_eq!(
            (answer["type"].as_str(), answer["code"].as_str()),
            (Some("error"), Some(code)),
            "{answer}"
        );
    }
    // Still usable.
    visitor
        .send(&json!({"type": "send", "client_id": "after-1", "body": "still here"}))
        .await;
    let frames = visitor.until(|f| f["type"] == "ack").await;
    assert_eq!(frames.last().unwrap()["seq"], 2);
    let page = api.history(&token, &id, "").await;
    assert_eq!(page.messages.len(), 2, "only the good messages were stored");
}

pub async fn sockets_refuse_strangers(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let alice = api.new_visitor().await;
    let bob = api.new_visitor().await;
    let id = api.open(&alice, "alice-s1", "mine").await.conversation_id;
    let url = |token: &str| {
        ws(
            ctx,
            &format!("/api/conversations/{id}/socket?token={token}"),
        )
    };
    assert_eq!(Socket::connect(&url("forged.token")).await.err(), Some(401));
    assert_eq!(Socket::connect(&url(&bob)).await.err(), Some(404));
    let agent = ws(ctx, &format!("/api/console/conversations/{id}/socket"));
    assert_eq!(Socket::connect(&agent).await.err(), Some(401));
    let reply = api
        .post(
            &format!("/api/console/conversations/{id}/messages"),
            Some(&alice),
            &json!({"v": 1, "client_id": "x1", "body": "I am an agent, honest"}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.error_code()),
        (401, "unauthorized"),
        "a visitor token is no agent session"
    );
    assert_eq!(api.history(&alice, &id, "").await.messages.len(), 1);
}

pub async fn a_flood_is_throttled_and_nothing_refused_is_stored(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id, mut visitor) = visitor_on_new_thread(ctx, &api, "flood-0").await;
    for n in 1..=100 {
        visitor
            .send(&json!({"type": "send", "client_id": format!("flood-{n}"), "body": "spam"}))
            .await;
    }
    let (mut acks, mut limited) = (0, 0);
    while acks + limited < 100 {
        let frame = visitor.next().await;
        match frame["type"].as_str() {
            Some("ack") => acks += 1,
            Some("error") => {
                assert_eq!(frame["code"], "rate_limited", "{frame}");
                assert!(
                    frame["client_id"].is_string(),
                    "the refused message is named"
                );
                limited += 1;
            }
            _ => {}
        }
    }
    assert!(limited > 0, "a flood of 100 at once is throttled");
    assert!(acks >= 59, "a burst is allowed: {acks}");
    // The same sender over HTTP is throttled too, with a 429. (The bucket refills a few
    // tokens a second, so a few may pass before the refusal.)
    let mut accepted_over_http = 0;
    let mut refusal = None;
    for n in 0..200 {
        let answer = api
            .send(&token, &id, &format!("flood-http-{n}"), "more spam")
            .await;
        if answer.status == 201 {
            accepted_over_http += 1;
        } else {
            refusal = Some((answer.status, answer.error_code().to_owned()));
            break;
        }
    }
    assert_eq!(refusal, Some((429, "rate_limited".to_owned())));
    let acks = acks + accepted_over_http;
    let page = api.history(&token, &id, "limit=100").await;
    assert_eq!(
        page.messages.len(),
        1 + acks,
        "only what was acknowledged is stored"
    );
}
