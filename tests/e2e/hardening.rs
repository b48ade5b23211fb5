//! Refused requests change nothing, every body and number is read by one strict rule,
//! and opening threads is throttled per visitor and per address.

use confab_tests::account::{Device, DESKTOP, PHONE};
use confab_tests::api::{Answer, Api};
use confab_tests::console::Console;
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

/// Bodies no route may accept, each with the error code it gets.
fn bad_bodies() -> Vec<(Vec<u8>, &'static [&'static str])> {
    vec![
        (b"{\"v\":1,".to_vec(), &["malformed_json"]),
        (b"{\"v\":1,\"v\":1}".to_vec(), &["invalid_field"]),
        (b"{\"v\":9007199254740993}".to_vec(), &["invalid_field"]),
        (b"{\"v\":2}".to_vec(), &["unsupported_version"]),
        (b"[1,2]".to_vec(), &["unsupported_version"]),
        (b"{\"v\":1,\"surprise\":true}".to_vec(), &["invalid_field"]),
        (
            format!("{{\"v\":1,\"body\":\"{}\"}}", "x".repeat(30_000)).into_bytes(),
            &["payload_too_large"],
        ),
    ]
}

fn is_json_refusal(answer: &Answer, codes: &[&str], what: &str) {
    assert!(
        (400..500).contains(&answer.status) && answer.status != 404 || codes.is_empty(),
        "{what}: {} {}",
        answer.status,
        answer.body
    );
    assert!(
        codes.contains(&answer.error_code()),
        "{what}: {} {}",
        answer.status,
        answer.body
    );
    assert!(!answer.body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .is_empty());
}

/// What a visitor and the agents can see of thread `id`.
async fn what_is_stored(visitor: &Device, admin: &Console, id: &str) -> Vec<serde_json::Value> {
    let row = admin
        .get(&format!("/api/console/sites/demo/conversations/{id}"))
        .await;
    vec![
        json!(visitor.thread_ids().await),
        visitor.get("/api/visitor/devices").await.body,
        visitor
            .get(&format!("/api/conversations/{id}/messages"))
            .await
            .body,
        admin
            .get(&format!("/api/console/conversations/{id}/messages"))
            .await
            .body,
        row.body["row"].clone(),
        // The demo site's settings (other tests add sites of their own meanwhile).
        admin.site("demo").await,
    ]
}

/// Every route that reads a body, visitor's and console's, refuses each bad body with a
/// JSON error and stores nothing: the thread, its notes, its state and the visitor's
/// lists are as they were.
pub async fn every_route_refuses_bad_bodies_and_stores_nothing(ctx: &Ctx) {
    let mut visitor = Device::new(&ctx.base, DESKTOP);
    let id = visitor.open_thread("sweep-1", "the one message").await;
    let admin = ctx.admin();
    let token = visitor.token.clone();
    let before = what_is_stored(&visitor, &admin, &id).await;
    let visitor_routes = [
        "/api/sessions".to_owned(),
        "/api/conversations".to_owned(),
        format!("/api/conversations/{id}/messages"),
        format!("/api/conversations/{id}/read"),
        "/api/visitor/codes".to_owned(),
        "/api/visitor/codes/redeem".to_owned(),
        "/api/visitor/email".to_owned(),
        "/api/visitor/sign-in".to_owned(),
        "/api/visitor/identify".to_owned(),
        "/api/visitor/sign-out".to_owned(),
        "/api/visitor/push".to_owned(),
        "/api/visitor/push/remove".to_owned(),
    ];
    let console_routes = [
        (Method::POST, "/api/console/login".to_owned()),
        (Method::POST, "/api/console/invites/accept".to_owned()),
        (Method::POST, "/api/console/agents".to_owned()),
        (Method::POST, "/api/console/canned".to_owned()),
        (Method::PUT, "/api/console/sites/demo/hours".to_owned()),
        (Method::PUT, "/api/console/sites/demo/reach".to_owned()),
        (Method::PUT, "/api/console/sites/demo/words".to_owned()),
        (Method::POST, "/api/console/sites".to_owned()),
        // A site that does not exist: a bad body that ever passed would change no real one.
        (Method::PUT, "/api/console/sites/nowhere".to_owned()),
        (
            Method::POST,
            "/api/console/sites/nowhere/standing".to_owned(),
        ),
        (
            Method::POST,
            format!("/api/console/sites/demo/conversations/{id}/assign"),
        ),
        (
            Method::POST,
            format!("/api/console/sites/demo/conversations/{id}/status"),
        ),
        (
            Method::POST,
            format!("/api/console/conversations/{id}/messages"),
        ),
        (
            Method::POST,
            format!("/api/console/conversations/{id}/notes"),
        ),
    ];
    let mut tried = 0;
    for (body, codes) in bad_bodies() {
        for route in &visitor_routes {
            let answer = visitor
                .api
                .request(Method::POST, route, token.as_deref(), Some(body.clone()))
                .await;
            is_json_refusal(&answer, codes, &format!("POST {route}"));
            tried += 1;
        }
        for (method, route) in &console_routes {
            let answer = admin
                .call_raw(method.clone(), route, Some(body.clone()))
                .await;
            is_json_refusal(&answer, codes, &format!("{method} {route}"));
            tried += 1;
        }
    }
    // Queries: numbers past range, and what is not a number.
    for query in [
        "after=9007199254740992",
        "before=-1",
        "limit=x",
        "after=1&before=2",
    ] {
        for answer in [
            visitor
                .get(&format!("/api/conversations/{id}/messages?{query}"))
                .await,
            admin
                .get(&format!("/api/console/conversations/{id}/messages?{query}"))
                .await,
        ] {
            is_json_refusal(&answer, &["invalid_field", "bad_request"], query);
            tried += 1;
        }
    }
    assert!(tried > 150, "{tried} bad requests");

    let after = what_is_stored(&visitor, &admin, &id).await;
    assert_eq!(after, before, "a refused request changed something");
}

/// The agents' sockets read frames by the same rule as the visitor's: each bad frame
/// gets an error frame, and the socket goes on working.
pub async fn agents_sockets_refuse_bad_frames_and_stay_usable(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("agent-frames-1", "hello").await;
    let admin = ctx.admin();
    let bad = [
        ("{\"type\":", "malformed_json"),
        (
            r#"{"type":"presence","away":true,"away":false}"#,
            "invalid_field",
        ),
        (r#"{"type":"read","seq":9007199254740992}"#, "invalid_field"),
        (
            r#"{"type":"note","client_id":"n","body":"a","body":"b"}"#,
            "invalid_field",
        ),
        (r#"{"type":"dance"}"#, "bad_request"),
    ];
    let mut inbox = admin.inbox_socket("demo").await.expect("inbox socket");
    let mut agent = admin.conversation_socket(&id).await.expect("agent socket");
    agent.hello(1, 0).await;
    for socket in [&mut inbox, &mut agent] {
        for (frame, _) in bad {
            socket.send_text(frame).await;
            let error = socket.until(|f| f["type"] == "error").await.pop().unwrap();
            assert!(error["code"].is_string(), "{frame}: {error}");
        }
    }
    // The conversation's socket names the rule each frame broke.
    for (frame, code) in &bad[2..] {
        agent.send_text(frame).await;
        let error = agent.until(|f| f["type"] == "error").await.pop().unwrap();
        assert_eq!(error["code"], json!(code), "{frame}: {error}");
    }
    agent
        .send(&json!({"type": "send", "client_id": "agent-frames-2", "body": "still here"}))
        .await;
    let ack = agent.until(|f| f["type"] == "ack").await.pop().unwrap();
    assert_eq!(ack["seq"], json!(2));
    let page = api.history(&token, &id, "").await;
    let bodies: Vec<_> = page.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["hello", "still here"], "no bad frame was stored");
}

/// A code cannot sign anyone in as a visitor who is no more: one merged into another
/// (its threads moved on), or one who signed out everywhere. Before, such a code was
/// used up and then failed, and the device's own threads went to the merged visitor.
pub async fn codes_end_with_their_visitor(ctx: &Ctx) {
    let mut laptop = Device::new(&ctx.base, DESKTOP);
    laptop.open_thread("end-laptop", "From the laptop").await;
    let (laptops_code, _) = laptop.resume_code().await;
    let mut desktop = Device::new(&ctx.base, DESKTOP);
    desktop.open_thread("end-desk", "From the desk").await;
    let (desktops_code, _) = desktop.resume_code().await;
    // The laptop signs in as the desktop's visitor: the laptop's visitor is merged.
    assert_eq!(laptop.redeem(&desktops_code).await.status, 200);

    let mut phone = Device::new(&ctx.base, PHONE);
    let phones = phone.open_thread("end-phone", "From the phone").await;
    let late = phone.redeem(&laptops_code).await;
    refused(&late, 401, "unauthorized", "a code of a merged visitor");
    assert_eq!(
        phone.thread_ids().await,
        [phones],
        "the phone keeps its thread"
    );

    let mut leaving = Device::new(&ctx.base, DESKTOP);
    leaving.open_thread("end-leave", "Bye").await;
    let (code, _) = leaving.resume_code().await;
    let out = leaving
        .post(
            "/api/visitor/sign-out",
            &json!({"v": 1, "everywhere": true}),
        )
        .await;
    assert_eq!(out.status, 200, "{}", out.body);
    let mut other = Device::new(&ctx.base, PHONE);
    refused(
        &other.redeem(&code).await,
        401,
        "unauthorized",
        "a code of a visitor signed out everywhere",
    );
}
