//! Refused requests change nothing, every body and number is read by one strict rule,
//! and opening threads is throttled per visitor and per address.

use confab_tests::account::{Device, DESKTOP, PHONE};
use confab_tests::api::{Answer, Api};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;

use crate::Ctx;

/// The largest number a client may send, and the first one past it.
const MAX_EXACT: u64 = (1 << 53) - 1;

fn refused(answer: &Answer, status: u16, code: &str, what: &str) {
    assert_eq!(
        (answer.status, answer.error_code()),
        (status, code),
        "{what}: {}",
        answer.body
    );
}

/// A visitor who wrote to a thread that is not theirs, or that went away (an outbox
/// resend), keeps their list as it was, and a resume code still carries their threads.
pub async fn a_refused_write_changes_nothing(ctx: &Ctx) {
    let mut bob = Device::new(&ctx.base, DESKTOP);
    let bobs = bob.open_thread("hard-bob", "Bob's own").await;
    let mut phone = Device::new(&ctx.base, PHONE);
    let own = phone.open_thread("hard-own", "Mine").await;
    let gone = confab_protocol::ConversationId::from_bytes([0x6b; 16]).to_string();
    for target in [&bobs, &gone] {
        let answer = phone
            .post(
                &format!("/api/conversations/{target}/messages"),
                &json!({"v": 1, "client_id": "hard-x", "body": "let me in"}),
            )
            .await;
        refused(&answer, 404, "not_found", "a thread not the caller's");
    }
    assert_eq!(phone.thread_ids().await, std::slice::from_ref(&own));

    // The phone now signs in with a code from the desktop: its own thread comes along,
    // nobody else's, and Bob keeps his.
    let mut desktop = Device::new(&ctx.base, DESKTOP);
    let desktops = desktop.open_thread("hard-desk", "From my desk").await;
    let (code, _) = desktop.resume_code().await;
    let answer = phone.redeem(&code).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let mut listed = phone.thread_ids().await;
    listed.sort();
    let mut expected = vec![own, desktops];
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(bob.thread_ids().await, [bobs]);
}

/// Numbers past what JavaScript holds exactly are refused as bad input (before, they
/// reached the conversation's object and failed there with a 500).
pub async fn numbers_out_of_range_are_refused_as_bad_input(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("big-1", "counting").await;
    let stranger = api.new_visitor().await;
    let past = MAX_EXACT + 1;
    for who in [&token, &stranger] {
        for query in [format!("after={past}"), format!("before={past}")] {
            let answer = api
                .get(
                    &format!("/api/conversations/{id}/messages?{query}"),
                    Some(who),
                )
                .await;
            refused(&answer, 400, "invalid_field", &query);
        }
        let answer = api
            .post(
                &format!("/api/conversations/{id}/read"),
                Some(who),
                &json!({"v": 1, "seq": past}),
            )
            .await;
        refused(&answer, 400, "invalid_field", "read past the exact range");
    }
    let answer = api
        .get(
            &format!("/api/conversations/{id}/messages?after={MAX_EXACT}"),
            Some(&token),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["messages"], json!([]));
    let page = api.history(&token, &id, "").await;
    assert_eq!(page.messages.len(), 1);
}

/// A key given twice is refused in every body, as it is in frames: no "last one wins".
pub async fn keys_given_twice_are_refused(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("twice-1", "only this").await;
    let raw = |path: String, token: Option<String>, body: &'static str| {
        let api = &api;
        async move {
            api.request(
                Method::POST,
                &path,
                token.as_deref(),
                Some(body.as_bytes().to_vec()),
            )
            .await
        }
    };
    let sends = format!("/api/conversations/{id}/messages");
    let cases = [
        (
            "/api/sessions".to_owned(),
            None,
            r#"{"v":2,"v":1,"site":"demo"}"#,
        ),
        (
            sends.clone(),
            Some(token.clone()),
            r#"{"v":1,"client_id":"\u0000 bad","body":"x","client_id":"ok"}"#,
        ),
        (
            sends,
            Some(token.clone()),
            r#"{"v":1,"client_id":"twice-2","body":"x","context":{"page":"a","page":"b"}}"#,
        ),
        (
            "/api/conversations".to_owned(),
            Some(token.clone()),
            r#"{"v":1,"client_id":"twice-3","body":"a","body":"b"}"#,
        ),
        (
            "/api/console/login".to_owned(),
            None,
            r#"{"v":1,"email":"a@example.com","email":"b@example.com","password":"x"}"#,
        ),
    ];
    for (path, token, body) in cases {
        let answer = raw(path.clone(), token, body).await;
        refused(&answer, 400, "invalid_field", &format!("{path} {body}"));
        assert!(answer.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("twice"));
    }
    let page = api.history(&token, &id, "").await;
    assert_eq!(page.messages.len(), 1, "nothing was stored");
}

/// One visitor may open a handful of threads, then one a minute; a resend of an open
/// thread's first message is not a new thread; and one address is throttled over all
/// its visitors.
pub async fn opening_threads_is_throttled(ctx: &Ctx) {
    let mut visitor = Device::new(&ctx.base, DESKTOP);
    let first = visitor.open_thread("many-0", "first").await;
    let open = |client_id: String, ip: &'static str| {
        let visitor = &visitor;
        async move {
            visitor
                .call_from(
                    Method::POST,
                    "/api/conversations",
                    Some(&json!({"v": 1, "client_id": client_id, "body": "again"})),
                    Some(ip),
                )
                .await
        }
    };
    for n in 1..10 {
        let answer = open(format!("many-{n}"), "10.61.0.1").await;
        assert_eq!(answer.status, 201, "thread {n}: {}", answer.body);
    }
    let eleventh = open("many-10".to_owned(), "10.61.0.1").await;
    refused(&eleventh, 429, "rate_limited", "an eleventh thread at once");
    // Not counted: a resend of an open thread's first message, and writing in a thread.
    let resend = visitor
        .post(
            "/api/conversations",
            &json!({"v": 1, "client_id": "many-0", "body": "first"}),
        )
        .await;
    assert_eq!(resend.body["conversation_id"], json!(first));
    let write = visitor
        .post(
            &format!("/api/conversations/{first}/messages"),
            &json!({"v": 1, "client_id": "many-w", "body": "still here"}),
        )
        .await;
    assert_eq!(write.status, 201, "{}", write.body);
    assert_eq!(visitor.thread_ids().await.len(), 10);

    // 320 threads from one address, ten from each of 32 visitors: the address runs out.
    let mut visitors = Vec::new();
    for _ in 0..32 {
        let mut device = Device::new(&ctx.base, DESKTOP);
        let answer = device
            .sign_in("/api/sessions", &json!({"v": 1, "site": "demo"}))
            .await;
        assert_eq!(answer.status, 201);
        visitors.push(device);
    }
    let answers = join_all(visitors.iter().enumerate().map(|(v, device)| async move {
        let mut statuses = Vec::new();
        for n in 0..10 {
            let answer = device
                .call_from(
                    Method::POST,
                    "/api/conversations",
                    Some(&json!({"v": 1, "client_id": format!("office-{v}-{n}"), "body": "hi"})),
                    Some("10.61.0.2"),
                )
                .await;
            statuses.push((answer.status, answer.error_code().to_owned()));
        }
        statuses
    }))
    .await;
    let statuses: Vec<_> = answers.into_iter().flatten().collect();
    let throttled = statuses
        .iter()
        .filter(|(status, code)| *status == 429 && code == "rate_limited")
        .count();
    let opened = statuses.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(opened + throttled, statuses.len(), "{statuses:?}");
    assert!(throttled > 0, "320 threads at once from one address");
    let elsewhere = open("many-elsewhere".to_owned(), "10.61.0.3").await;
    refused(
        &elsewhere,
        429,
        "rate_limited",
        "the visitor's own allowance holds",
    );
}
