//! The visitor API over plain HTTP: what a browser (or an attacker) can do with it.

use confab_protocol::limits::{MAX_MESSAGE_CHARS, MAX_REQUEST_BYTES};
use confab_protocol::{Author, ConversationId, SessionClaims, SessionId, SiteId, VisitorId};
use confab_tests::api::Api;
use serde_json::json;

use crate::Ctx;

pub async fn a_visitor_opens_a_thread_and_reads_it_back(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let token = api.new_visitor().await;
    let opened = api
        .open(&token, "first-1", "Hello, do you ship to Norway?")
        .await;
    assert_eq!(opened.message.seq, 1);
    assert_eq!(opened.message.author, Author::Visitor);
    let id = opened.conversation_id;

    let second = api.send(&token, &id, "second-1", "And to Iceland?").await;
    assert_eq!(second.status, 201, "{}", second.body);
    assert_eq!(second.body["message"]["seq"], 2);

    let page = api.history(&token, &id, "").await;
    let bodies: Vec<&str> = page.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["Hello, do you ship to Norway?", "And to Iceland?"]);
    assert_eq!(
        page.messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(page.last_seq, 2);
    assert!(page.messages.iter().all(|m| m.sent_at > 1_700_000_000_000));
}

pub async fn a_resent_message_is_stored_once(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let token = api.new_visitor().await;
    let opened = api.open(&token, "open-a", "first").await;
    let id = opened.conversation_id.clone();

    // The answer to the opening message was lost: the retry reaches the same thread.
    let again = api.open(&token, "open-a", "first").await;
    assert_eq!(again.conversation_id, id);
    assert_eq!(again.message.seq, 1);

    let first = api.send(&token, &id, "dup-1", "only once").await;
    let resend = api.send(&token, &id, "dup-1", "only once").await;
    assert_eq!(first.status, 201);
    assert_eq!(resend.status, 201);
    assert_eq!(
        first.body["message"], resend.body["message"],
        "a resend gets the original"
    );

    let page = api.history(&token, &id, "").await;
    assert_eq!(page.messages.len(), 2, "{:?}", page.messages);
    assert_eq!(page.last_seq, 2);
}

pub async fn history_pages_by_seq(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("p1", "message 1").await;
    for n in 2..=7 {
        let answer = api
            .send(&token, &id, &format!("p{n}"), &format!("message {n}"))
            .await;
        assert_eq!(answer.status, 201);
    }
    let seqs = |page: confab_protocol::HistoryPage| -> Vec<u64> {
        page.messages.iter().map(|m| m.seq).collect()
    };
    assert_eq!(seqs(api.history(&token, &id, "limit=3").await), [5, 6, 7]);
    assert_eq!(
        seqs(api.history(&token, &id, "before=5&limit=3").await),
        [2, 3, 4]
    );
    assert_eq!(
        seqs(api.history(&token, &id, "before=2&limit=3").await),
        [1]
    );
    assert_eq!(seqs(api.history(&token, &id, "after=5").await), [6, 7]);
    assert_eq!(
        seqs(api.history(&token, &id, "after=7").await),
        Vec::<u64>::new()
    );
    let bad = api
        .get(
            &format!("/api/conversations/{id}/messages?after=x"),
            Some(&token),
        )
        .await;
    assert_eq!((bad.status, bad.error_code()), (400, "invalid_field"));
}

pub async fn tokens_are_checked_and_nothing_is_stored_without_one(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let token = api.new_visitor().await;
    let opened = api.open(&token, "mine-1", "my thread").await;
    let id = opened.conversation_id;
    let path = format!("/api/conversations/{id}/messages");
    let body = json!({"v": 1, "client_id": "intruder", "body": "let me in"});

    // A token with another visitor's id, signed with a key that is not the server's.
    let forged = SessionClaims::new(
        SiteId::parse("demo").unwrap(),
        VisitorId::from_bytes([1; 16]),
        SessionId::from_bytes([2; 16]),
        1_700_000_000,
    )
    .sign(b"a guess at the server secret, long enough");
    // A real token with one character changed.
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();

    for bad in [
        None,
        Some("garbage"),
        Some(forged.as_str()),
        Some(tampered.as_str()),
    ] {
        let sent = api.post(&path, bad, &body).await;
        assert_eq!(
            (sent.status, sent.error_code()),
            (401, "unauthorized"),
            "{bad:?}"
        );
        let read = api.get(&path, bad).await;
        assert_eq!(
            (read.status, read.error_code()),
            (401, "unauthorized"),
            "{bad:?}"
        );
        let opened = api.post("/api/conversations", bad, &body).await;
        assert_eq!(opened.status, 401, "{bad:?}");
    }
    let page = api.history(&token, &id, "").await;
    assert_eq!(
        page.messages.len(),
        1,
        "nothing was stored: {:?}",
        page.messages
    );
}

pub async fn another_visitors_thread_is_not_found(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let alice = api.new_visitor().await;
    let bob = api.new_visitor().await;
    let id = api
        .open(&alice, "alice-1", "private to Alice")
        .await
        .conversation_id;

    let read = api
        .get(&format!("/api/conversations/{id}/messages"), Some(&bob))
        .await;
    let write = api.send(&bob, &id, "bob-1", "hi Alice").await;
    let unknown = ConversationId::from_bytes([0x5a; 16]);
    let missing = api
        .get(
            &format!("/api/conversations/{unknown}/messages"),
            Some(&bob),
        )
        .await;
    for answer in [&read, &write, &missing] {
        assert_eq!((answer.status, answer.error_code()), (404, "not_found"));
    }
    // Someone else's thread and no thread at all look exactly alike.
    assert_eq!(read.body, missing.body);
    assert!(!read.body.to_string().contains("Alice"));

    let page = api.history(&alice, &id, "").await;
    assert_eq!(page.messages.len(), 1);
    // Posting to a thread that does not exist does not create it.
    let created = api.send(&bob, &unknown, "bob-2", "hello?").await;
    assert_eq!(created.status, 404);
    let still_missing = api
        .get(
            &format!("/api/conversations/{unknown}/messages"),
            Some(&bob),
        )
        .await;
    assert_eq!(still_missing.status, 404);
}

pub async fn bad_bodies_are_refused_and_change_nothing(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("ok-1", "the only message").await;
    let path = format!("/api/conversations/{id}/messages");
    let post_raw = |body: Vec<u8>| {
        let api = &api;
        let path = &path;
        let token = &token;
        async move {
            api.request(reqwest::Method::POST, path, Some(token), Some(body))
                .await
        }
    };

    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{not json".to_vec(), 400, "malformed_json"),
        (b"".to_vec(), 400, "malformed_json"),
        (
            br#"{"client_id":"a1","body":"no version"}"#.to_vec(),
            400,
            "unsupported_version",
        ),
        (
            br#"{"v":2,"client_id":"a2","body":"future"}"#.to_vec(),
            400,
            "unsupported_version",
        ),
        (
            br#"{"v":1,"client_id":"has space","body":"x"}"#.to_vec(),
            400,
            "invalid_field",
        ),
        (br#"{"v":1,"body":"no id"}"#.to_vec(), 400, "invalid_field"),
        (
            br#"{"v":1,"client_id":"a3","body":"   "}"#.to_vec(),
            400,
            "invalid_field",
        ),
        (
            br#"{"v":1,"client_id":"a4","body":"x","author":"agent"}"#.to_vec(),
            400,
            "invalid_field",
        ),
        (
            br#"{"v":1,"client_id":"a5","body":"bell\u0007"}"#.to_vec(),
            400,
            "invalid_field",
        ),
        (
            json!({"v": 1, "client_id": "a6", "body": "x".repeat(MAX_MESSAGE_CHARS + 1)})
                .to_string()
                .into_bytes(),
            400,
            "invalid_field",
        ),
        (
            json!({"v": 1, "client_id": "a7", "body": "x".repeat(MAX_REQUEST_BYTES)})
                .to_string()
                .into_bytes(),
            413,
            "payload_too_large",
        ),
    ];
    for (body, status, code) in cases {
        let preview = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        let answer = post_raw(body).await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (status, code),
            "{preview}"
        );
        assert!(
            answer.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "an error explains itself: {}",
            answer.body
        );
    }
    let bad_site = api
        .post(
            "/api/sessions",
            None,
            &json!({"v": 1, "site": "Not A Site"}),
        )
        .await;
    assert_eq!(
        (bad_site.status, bad_site.error_code()),
        (400, "invalid_field")
    );

    let page = api.history(&token, &id, "").await;
    assert_eq!(
        page.messages.len(),
        1,
        "nothing was stored: {:?}",
        page.messages
    );
}

pub async fn errors_and_cors_have_the_documented_shape(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let unknown = api.get("/api/nothing-here", None).await;
    assert_eq!((unknown.status, unknown.error_code()), (404, "not_found"));
    let wrong_method = api
        .request(reqwest::Method::DELETE, "/api/conversations", None, None)
        .await;
    assert_eq!(
        (wrong_method.status, wrong_method.error_code()),
        (405, "method_not_allowed")
    );
    let token = api.new_visitor().await;
    let bad_id = api
        .get("/api/conversations/not-an-id/messages", Some(&token))
        .await;
    assert_eq!((bad_id.status, bad_id.error_code()), (404, "not_found"));

    // A host page on another origin may call the API (bearer token, no cookies).
    let preflight = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/conversations", ctx.base),
        )
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status().as_u16(), 204);
    let header = |name: &str| {
        preflight
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(
        header("access-control-allow-origin"),
        "https://shop.example"
    );
    assert!(header("access-control-allow-headers").contains("authorization"));
    assert!(header("access-control-allow-methods").contains("POST"));
    assert_eq!(
        unknown
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
}

pub async fn one_address_cannot_open_sessions_without_end(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    // Cloudflare sets the client's address at the edge; the local runtime passes it through.
    let open_from = |ip: &'static str| {
        let api = &api;
        async move {
            let answer = api.new_session_from(Some(ip), "demo").await;
            (answer.status, answer.error_code().to_owned())
        }
    };
    let mut refused = 0;
    for _ in 0..400 {
        let (status, code) = open_from("198.51.100.7").await;
        if status == 429 {
            assert_eq!(code, "rate_limited");
            refused += 1;
        } else {
            assert_eq!(status, 201);
        }
    }
    assert!(
        refused > 0,
        "400 sessions at once from one address are throttled"
    );
    assert_eq!(
        open_from("198.51.100.8").await.0,
        201,
        "another address is not"
    );
}

/// For networks that block WebSockets: a long poll answers as soon as something is
/// committed after the seq the client holds.
pub async fn a_long_poll_answers_with_the_next_message(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("poll-1", "anyone?").await;

    let idle = api.history(&token, &id, "after=1&wait=1").await;
    assert!(idle.messages.is_empty(), "nothing new: an empty page");
    assert_eq!(idle.last_seq, 1);

    let poll = api.history(&token, &id, "after=1&wait=25");
    let admin = ctx.admin();
    let reply = admin.reply(&id, "poll-r1", "Here!");
    let (page, reply) = tokio::join!(poll, reply);
    assert_eq!(reply.status, 201);
    let bodies: Vec<&str> = page.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["Here!"]);

    let stranger = api.new_visitor().await;
    let refused = api
        .get(
            &format!("/api/conversations/{id}/messages?after=0&wait=25"),
            Some(&stranger),
        )
        .await;
    assert_eq!((refused.status, refused.error_code()), (404, "not_found"));
    let no_after = api
        .get(
            &format!("/api/conversations/{id}/messages?wait=5"),
            Some(&token),
        )
        .await;
    assert_eq!(
        (no_after.status, no_after.error_code()),
        (400, "bad_request")
    );
}

pub async fn site_settings_are_served_to_the_widget(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let demo = api.get("/api/sites/demo", None).await;
    assert_eq!(demo.status, 200);
    assert_eq!(demo.body["team"], "Acme Outfitters");
    // The line under the name is measured (see `availability`); it is always there.
    assert!(demo.body["availability"]
        .as_str()
        .is_some_and(|line| !line.is_empty()));
    // The widget's texts, in the visitor's language only (English when it has none).
    assert_eq!(demo.body["texts"]["send"], "Send");
    let french = api.get("/api/sites/demo?lang=fr-CA", None).await;
    assert_eq!(french.body["texts"]["send"], "Envoyer");
    assert_eq!(french.body["texts"]["placeholder"], "Écrivez un message…");
    let unknown = api.get("/api/sites/demo?lang=ja-JP", None).await;
    assert_eq!(unknown.body["texts"]["send"], "Send");
    // Kept by browsers, and asked about again on each page: unchanged, it costs a 304.
    let header = |answer: &confab_tests::api::Answer, name: &str| {
        answer
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(header(&demo, "cache-control"), "no-cache");
    let tag = header(&demo, "etag");
    assert!(tag.starts_with('"') && tag.len() > 8, "{tag:?}");
    let again = reqwest::Client::new()
        .get(format!("{}/api/sites/demo", ctx.base))
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("the runtime answers");
    assert_eq!(again.status().as_u16(), 304);
    assert!(again.bytes().await.unwrap().is_empty(), "a 304 has no body");
    let changed = reqwest::Client::new()
        .get(format!("{}/api/sites/demo", ctx.base))
        .header("If-None-Match", "\"an-older-one\"")
        .send()
        .await
        .expect("the runtime answers");
    assert_eq!(changed.status().as_u16(), 200);
    // A site this deployment does not have: no header, and no session either; and the
    // refusal is never cached (the site may be created or restored).
    let unknown = api.get("/api/sites/nobody-configured-this", None).await;
    assert_eq!(header(&unknown, "cache-control"), "no-store");
    assert_eq!(
        (unknown.status, unknown.error_code()),
        (404, "not_found"),
        "{}",
        unknown.body
    );
    let session = api
        .post(
            "/api/sessions",
            None,
            &json!({"v": 1, "site": "nobody-configured-this"}),
        )
        .await;
    assert_eq!((session.status, session.error_code()), (404, "not_found"));
    let bad = api.get("/api/sites/Not%20A%20Site", None).await;
    assert_eq!((bad.status, bad.error_code()), (404, "not_found"));
}
