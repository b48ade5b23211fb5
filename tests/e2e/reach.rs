//! Reaching visitors who left: an agent's reply left unread is pushed to the visitor's
//! subscribed devices, then emailed with a link back into the thread; reading stops it.
//!
//! The push service is a local stand-in (none exists offline) that checks each push's
//! VAPID signature and decrypts its payload with the subscription's private key.

use confab_protocol::ConversationId;
use confab_tests::account::{link_in, mail_with, mails_with, Device, DESKTOP};
use confab_tests::browser::{self, Browser};
use confab_tests::console::{Console, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::push_service::PushService;
use confab_tests::runtime::Runtime;
use confab_tests::socket::Socket;
use serde_json::{json, Value};

use confab_tests::host::Page;

use crate::Ctx;

/// Short steps, so the ladder runs within a test: push after 1 s, email after 2 s.
fn quick_settings(email_after: u64) -> Value {
    json!({
        "v": 1,
        "push": true, "push_after_seconds": 1, "push_gap_seconds": 0,
        "email": true, "email_after_seconds": email_after, "email_gap_seconds": 0,
    })
}

async fn set_quick_steps(admin: &Console, email_after: u64) {
    set_quick_steps_on(admin, "demo", email_after).await;
}

/// The same on `site`.
pub async fn set_quick_steps_on(admin: &Console, site: &str, email_after: u64) {
    let answer = admin
        .call(
            reqwest::Method::PUT,
            &format!("/api/console/sites/{site}/reach"),
            Some(&quick_settings(email_after)),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// A visitor on `page` with a thread, a push subscription at `push` and an address.
async fn visitor_who_leaves(
    base: &str,
    push: &PushService,
    page: &str,
    email: &str,
) -> (Device, ConversationId, String) {
    let mut visitor = Device::new(base, DESKTOP);
    let answer = visitor
        .sign_in("/api/sessions", &json!({"v": 1, "site": "demo"}))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let answer = visitor
        .post(
            "/api/conversations",
            &json!({"v": 1, "client_id": "ask-1", "body": "Where is my parcel?",
                    "context": {"page": page}}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let id = ConversationId::parse(answer.body["conversation_id"].as_str().unwrap()).unwrap();
    let subscription = push.subscribe();
    let answer = visitor
        .post(
            "/api/visitor/push",
            &json!({"v": 1, "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer = visitor
        .post(
            "/api/visitor/email",
            &json!({"v": 1, "email": email, "page": page}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    (visitor, id, subscription.endpoint)
}

fn pushes_to(push: &PushService, endpoint: &str) -> Vec<Value> {
    push.received()
        .into_iter()
        .filter(|r| r.endpoint == endpoint)
        .map(|r| r.payload)
        .collect()
}

async fn device_takes_push(visitor: &Device) -> bool {
    let devices = visitor.get("/api/visitor/devices").await;
    devices.body["devices"][0]["push"] == true
}

/// The reach records an agent's socket gets when it says hello: everything up to the
/// answer to a frame sent after the hello (frames keep their order).
async fn reach_records(admin: &Console, id: &ConversationId) -> Vec<Value> {
    let mut socket = admin.conversation_socket(id).await.expect("agent socket");
    socket.hello(0, 0).await;
    socket.send(&json!({"type": "no-such-frame"})).await;
    socket
        .until(|f| f["type"] == "error")
        .await
        .into_iter()
        .filter(|f| f["type"] == "reached")
        .map(|f| f["reached"].clone())
        .collect()
}

pub async fn an_unread_reply_is_pushed_then_emailed_and_the_link_opens_the_thread(ctx: &Ctx) {
    let admin = ctx.admin();
    set_quick_steps(&admin, 2).await;
    let push = PushService::start().await;
    let (visitor, id, endpoint) = visitor_who_leaves(
        &ctx.base,
        &push,
        &ctx.page(Page::Plain),
        "parcel@example.com",
    )
    .await;
    assert!(device_takes_push(&visitor).await);

    // Agents watching the thread see each step that reached the visitor.
    let mut agents = admin.conversation_socket(&id).await.expect("agent socket");
    agents.hello(1, 0).await;
    let answer = admin.reply(&id, "reply-1", "Your parcel left today").await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let reply_seq = answer.body["message"]["seq"].as_u64().unwrap();

    let pushed = eventually(30, "the push", || async {
        pushes_to(&push, &endpoint).into_iter().next()
    })
    .await;
    assert_eq!(pushed["title"], "Acme Outfitters");
    assert_eq!(pushed["body"], "Your parcel left today");
    assert_eq!(pushed["tag"], format!("confab-{id}"));
    assert_eq!(pushed["url"], format!("{}#confab", ctx.page(Page::Plain)));
    let received = push.received();
    let first = received.iter().find(|r| r.endpoint == endpoint).unwrap();
    assert_eq!(first.topic.as_deref(), Some(id.as_str()));
    assert!(first.ttl.is_some_and(|ttl| ttl > 0));

    // Then the email, quoting the reply, with a link that signs a fresh browser in.
    let mail = mail_with("> Your parcel left today").await;
    assert_eq!(pushes_to(&push, &endpoint).len(), 1, "pushed once");
    let pushed = agents
        .until(|f| f["type"] == "reached")
        .await
        .pop()
        .unwrap();
    assert_eq!(pushed["reached"]["channel"], "push", "{pushed}");
    assert_eq!(pushed["reached"]["after_seq"], reply_seq, "{pushed}");
    let emailed = agents
        .until(|f| f["type"] == "reached")
        .await
        .pop()
        .unwrap();
    assert_eq!(emailed["reached"]["channel"], "email", "{emailed}");
    assert_eq!(
        reach_records(&admin, &id).await,
        [pushed["reached"].clone(), emailed["reached"].clone()],
        "an agent opening the thread later sees the same"
    );
    // And the console shows them in the thread, after the reply.
    let console = Browser::open(&ctx.driver, browser::Device::Desktop).await;
    console
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    console
        .goto(&format!("{}console/#/c/demo/{id}", ctx.demo))
        .await;
    let timeline = ".timeline > li[data-seq], .timeline > li.reached";
    let items = eventually(30, "the reach records in the console", || async {
        let items = console.texts(timeline).await;
        items.last()?.contains("emailed").then_some(items)
    })
    .await;
    let reply = items
        .iter()
        .position(|i| i.contains("Your parcel left today"));
    let pushed = items
        .iter()
        .position(|i| i.contains("Push notification sent"));
    assert_eq!(
        (reply.map(|r| r + 1), reply.map(|r| r + 2)),
        (pushed, Some(items.len() - 1)),
        "the reply, then the push, then the email: {items:?}"
    );
    console.close().await;
    let fresh = Browser::open(&ctx.driver, browser::Device::Desktop).await;
    fresh.goto(&link_in(&mail)).await;
    fresh.committed_message("Your parcel left today").await;
    fresh.close().await;

    // A subscription the push service says is gone is dropped.
    push.answer(&endpoint, 410);
    admin.reply(&id, "reply-2", "It arrives tomorrow").await;
    eventually(30, "the gone subscription dropped", || async {
        (!device_takes_push(&visitor).await).then_some(())
    })
    .await;
}

pub async fn a_visitor_who_reads_in_time_gets_no_push_and_no_email(ctx: &Ctx) {
    let admin = ctx.admin();
    set_quick_steps(&admin, 2).await;
    let push = PushService::start().await;
    let (reader, read_id, read_endpoint) =
        visitor_who_leaves(&ctx.base, &push, &ctx.demo, "reader@example.com").await;
    let url = format!(
        "{}/api/conversations/{read_id}/socket?token={}",
        confab_tests::ws_url(&ctx.base),
        reader.token.as_ref().unwrap()
    );
    let mut socket = Socket::connect(&url).await.expect("visitor socket");
    socket.hello(1, 0).await;
    // The agents' socket shows when the read is stored.
    let mut agents = admin
        .conversation_socket(&read_id)
        .await
        .expect("agent socket");
    agents.hello(1, 0).await;
    let answer = admin.reply(&read_id, "read-1", "Read me right away").await;
    let seq = answer.body["message"]["seq"].as_u64().unwrap();
    socket.send(&json!({"type": "read", "seq": seq})).await;
    agents
        .until(|f| f["type"] == "read" && f["by"] == "visitor")
        .await;

    // Another reads on a page without a live socket, over HTTP.
    let (http_reader, http_id, http_endpoint) =
        visitor_who_leaves(&ctx.base, &push, &ctx.demo, "http-reader@example.com").await;
    let answer = admin.reply(&http_id, "read-2", "Read me over HTTP").await;
    let seq = answer.body["message"]["seq"].as_u64().unwrap();
    let path = format!("/api/conversations/{http_id}/read");
    let answer = http_reader.post(&path, &json!({"v": 1, "seq": seq})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["visitor_read"], seq);

    // A visitor who does not read, answered after: once their email is out, the reader's
    // steps (due earlier) would have been taken too.
    let (_, other_id, other_endpoint) =
        visitor_who_leaves(&ctx.base, &push, &ctx.demo, "other@example.com").await;
    admin.reply(&other_id, "other-1", "Unread on purpose").await;
    mail_with("> Unread on purpose").await;
    assert_eq!(pushes_to(&push, &other_endpoint).len(), 1);

    assert!(pushes_to(&push, &read_endpoint).is_empty());
    assert!(mails_with("> Read me right away").is_empty());
    assert!(pushes_to(&push, &http_endpoint).is_empty());
    assert!(mails_with("> Read me over HTTP").is_empty());
}

pub async fn bad_reads_are_refused_and_change_nothing(ctx: &Ctx) {
    let push = PushService::start().await;
    let (mut visitor, id, _) =
        visitor_who_leaves(&ctx.base, &push, &ctx.demo, "bad-reads@example.com").await;
    let (stranger, _, _) =
        visitor_who_leaves(&ctx.base, &push, &ctx.demo, "stranger@example.com").await;
    let path = format!("/api/conversations/{id}/read");
    let admin = ctx.admin();
    admin.reply(&id, "unread-1", "Not read yet").await;

    for (body, code) in [
        (json!({"seq": 2}), "unsupported_version"),
        (json!({"v": 1, "seq": "two"}), "invalid_field"),
        (json!({"v": 1, "seq": 2, "extra": true}), "invalid_field"),
    ] {
        let answer = visitor.post(&path, &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(
            answer.body["error"]["code"], code,
            "{body}: {}",
            answer.body
        );
    }
    let answer = stranger.post(&path, &json!({"v": 1, "seq": 2})).await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    let token = visitor.token.take();
    assert_eq!(
        visitor.post(&path, &json!({"v": 1, "seq": 2})).await.status,
        401
    );
    visitor.token = token;
    let get = visitor.get(&path).await;
    assert_eq!(get.status, 405, "{}", get.body);

    // Nothing of that was a read; a read past the end counts up to the last message.
    let mut agents = admin.conversation_socket(&id).await.expect("agent socket");
    let welcome = agents.hello(0, 0).await.pop().unwrap();
    assert_eq!(welcome["visitor_read"], 0, "{welcome}");
    let answer = visitor.post(&path, &json!({"v": 1, "seq": 99})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["visitor_read"], 2);
    let read = agents
        .until(|f| f["type"] == "read" && f["by"] == "visitor")
        .await;
    assert_eq!(read.last().unwrap()["seq"], 2);
}

pub async fn settings_are_checked_and_subscriptions_validated(ctx: &Ctx) {
    let admin = ctx.admin();
    let mut settings = quick_settings(2);
    settings["email_after_seconds"] = json!(8 * 24 * 3600);
    let answer = admin
        .call(
            reqwest::Method::PUT,
            "/api/console/sites/demo/reach",
            Some(&settings),
        )
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    let current = admin.get("/api/console/sites/demo/reach").await;
    assert_eq!(current.status, 200);
    assert!(current.body["email_after_seconds"].as_u64().unwrap() <= 7 * 24 * 3600);

    let key = Device::new(&ctx.base, DESKTOP).get("/api/push/key").await;
    assert_eq!(key.status, 200);
    assert_eq!(key.body["public_key"].as_str().unwrap().len(), 87);

    let mut visitor = Device::new(&ctx.base, DESKTOP);
    let bad_key = json!({"v": 1, "endpoint": "https://push.example/x",
                         "keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}});
    assert_eq!(
        visitor.post("/api/visitor/push", &bad_key).await.status,
        400
    );
    visitor
        .sign_in("/api/sessions", &json!({"v": 1, "site": "demo"}))
        .await;
    let answer = visitor.post("/api/visitor/push", &bad_key).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    let push = PushService::start().await;
    let good = push.subscribe();
    let mut anonymous = Device::new(&ctx.base, DESKTOP);
    anonymous.token = Some("not-a-token".into());
    let body = json!({"v": 1, "endpoint": good.endpoint,
                      "keys": {"p256dh": good.p256dh, "auth": good.auth}});
    assert_eq!(anonymous.post("/api/visitor/push", &body).await.status, 401);
    assert!(!device_takes_push(&visitor).await);
}

pub async fn the_ladder_resumes_after_a_restart_without_repeating_a_step(_ctx: &Ctx) {
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    let base = runtime.base_url();
    let port = runtime.port();
    let admin = Console::admin(&base).await;
    // The email waits long enough for the runtime to go down and come back in between.
    set_quick_steps(&admin, 15).await;
    let push = PushService::start().await;
    let (_, id, endpoint) = visitor_who_leaves(
        &base,
        &push,
        "http://localhost:4000/help",
        "restart@example.com",
    )
    .await;
    let mut agents = admin.conversation_socket(&id).await.expect("agent socket");
    agents.hello(1, 0).await;
    admin
        .reply(&id, "restart-1", "Sent before the restart")
        .await;
    // The step is marked taken in the write that records it for agents: once they see
    // it, the restart comes between two steps.
    agents
        .until(|f| f["type"] == "reached" && f["reached"]["channel"] == "push")
        .await;
    assert_eq!(pushes_to(&push, &endpoint).len(), 1);
    runtime.stop();

    let runtime = Runtime::start_on(state.path(), port).await;
    mail_with("> Sent before the restart").await;
    assert_eq!(mails_with("> Sent before the restart").len(), 1);
    assert_eq!(
        pushes_to(&push, &endpoint).len(),
        1,
        "the push was not repeated"
    );
    // The email is marked taken a moment after the mail is written.
    let records = eventually(30, "the email recorded", || async {
        let records = reach_records(&admin, &id).await;
        (records.len() >= 2).then_some(records)
    })
    .await;
    let channels: Vec<&Value> = records.iter().map(|r| &r["channel"]).collect();
    assert_eq!(channels, ["push", "email"]);
    runtime.stop();
}
