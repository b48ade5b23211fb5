//! The agents' inbox over the API: views, search, assignment, status, notes, canned replies.

use confab_protocol::console::{ConversationDetail, InboxList, InboxRow, Status};
use confab_protocol::ConversationId;
use confab_tests::api::Api;
use confab_tests::console::Console;
use confab_tests::eventually;
use confab_tests::socket::Socket;
use serde_json::json;

use crate::Ctx;

pub async fn list(console: &Console, query: &str) -> Vec<InboxRow> {
    let answer = console
        .get(&format!("/api/console/sites/demo/conversations?{query}"))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json::<InboxList>().conversations
}

pub async fn row_in(console: &Console, query: &str, id: &ConversationId) -> Option<InboxRow> {
    list(console, query)
        .await
        .into_iter()
        .find(|r| &r.conversation_id == id)
}

async fn set_status(
    console: &Console,
    id: &ConversationId,
    body: serde_json::Value,
) -> confab_tests::api::Answer {
    console
        .post(
            &format!("/api/console/sites/demo/conversations/{id}/status"),
            &body,
        )
        .await
}

pub async fn the_inbox_lists_assigns_resolves_and_reopens(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let admin = ctx.admin();
    let token = api.new_visitor().await;
    let opened = confab_tests::api::Answer::from(
        reqwest::Client::new()
            .post(format!("{}/api/conversations", ctx.base))
            .bearer_auth(&token)
            .header("User-Agent", "Mozilla/5.0 (Linux; Android 14) Mobile")
            .json(&json!({"v": 1, "client_id": "inbox-1", "body": "Where is my parcel zebracorn-7?",
                    "context": {"page": "http://localhost:4000/boots", "lang": "fr-FR", "time_zone": "Europe/Paris"}}))
            .send()
            .await
            .expect("the runtime answers"),
    )
    .await;
    assert_eq!(opened.status, 201);
    let id: ConversationId =
        serde_json::from_value(opened.body["conversation_id"].clone()).unwrap();

    let row = eventually(30, "the conversation in the inbox", || async {
        row_in(&admin, "view=unassigned", &id).await
    })
    .await;
    assert_eq!((row.last_seq, row.unread, row.status), (1, 1, Status::Open));
    assert_eq!(row.preview, "Where is my parcel zebracorn-7?");
    assert_eq!(row.context.page, "http://localhost:4000/boots");
    assert_eq!(
        (row.context.lang.as_str(), row.context.time_zone.as_str()),
        ("fr-FR", "Europe/Paris")
    );
    assert!(
        !row.context.user_agent.is_empty(),
        "the edge records the browser"
    );

    // Search finds it by a word of its text, and only it.
    let found = list(&admin, "view=all&q=zebracorn").await;
    assert_eq!(
        found.iter().map(|r| &r.conversation_id).collect::<Vec<_>>(),
        [&id]
    );
    assert!(row_in(&admin, "view=all&q=nothing-like-this", &id)
        .await
        .is_none());

    // Assigned: in "mine", no longer unassigned.
    let assign = admin
        .post(
            &format!("/api/console/sites/demo/conversations/{id}/assign"),
            &json!({"v": 1, "assignee": admin.agent.id}),
        )
        .await;
    assert_eq!(assign.status, 200, "{}", assign.body);
    assert!(row_in(&admin, "view=mine", &id).await.is_some());
    assert!(row_in(&admin, "view=unassigned", &id).await.is_none());

    // Resolved: only under "resolved". The visitor writes again: open again, unread counted.
    assert_eq!(
        set_status(&admin, &id, json!({"v": 1, "status": "resolved"}))
            .await
            .status,
        200
    );
    assert!(row_in(&admin, "view=resolved", &id).await.is_some());
    assert!(row_in(&admin, "view=all", &id).await.is_none());
    // (Resolving asked the visitor for a rating: seq 2, in their thread.)
    api.send(&token, &id, "inbox-2", "Hello? Still waiting")
        .await;
    let reopened = eventually(30, "the conversation reopened", || async {
        row_in(&admin, "view=mine", &id)
            .await
            .filter(|r| r.last_seq == 3)
    })
    .await;
    assert_eq!((reopened.status, reopened.unread), (Status::Open, 2));

    // Snoozed until later; a visitor message wakes it early.
    let later = reopened.updated_at + 3_600_000;
    let snooze = set_status(
        &admin,
        &id,
        json!({"v": 1, "status": "snoozed", "snoozed_until": later}),
    )
    .await;
    assert_eq!(snooze.body["status"], "snoozed");
    api.send(&token, &id, "inbox-3", "Any news?").await;
    eventually(30, "the snooze ended by the visitor", || async {
        row_in(&admin, "view=all", &id)
            .await
            .filter(|r| r.status == Status::Open && r.last_seq == 4)
    })
    .await;

    // The agent reads: unread drops to zero (counted once, however many updates).
    let mut socket = admin.conversation_socket(&id).await.expect("agent socket");
    socket.hello(4, 0).await;
    socket.send(&json!({"type": "read", "seq": 4})).await;
    eventually(30, "unread back to zero", || async {
        row_in(&admin, "view=all", &id)
            .await
            .filter(|r| r.unread == 0)
    })
    .await;

    // The conversation's page: the same visitor's other threads.
    let second = api
        .open(&token, "inbox-other", "Another question")
        .await
        .conversation_id;
    let detail = eventually(30, "the visitor's earlier conversation", || async {
        let answer = admin
            .get(&format!("/api/console/sites/demo/conversations/{second}"))
            .await;
        let detail: ConversationDetail = (answer.status == 200).then(|| answer.json())?;
        (!detail.earlier.is_empty()).then_some(detail)
    })
    .await;
    assert_eq!(detail.earlier[0].conversation_id, id);

    // Refusals change nothing.
    let bad = [
        admin
            .post(
                &format!("/api/console/sites/demo/conversations/{id}/assign"),
                &json!({"v": 1, "assignee": "b".repeat(32)}),
            )
            .await,
        set_status(&admin, &id, json!({"v": 1, "status": "snoozed"})).await,
        set_status(&admin, &id, json!({"v": 1, "status": "asleep"})).await,
        admin
            .get("/api/console/sites/demo/conversations?view=everything")
            .await,
    ];
    for answer in bad {
        assert_eq!(answer.status, 400, "{}", answer.body);
    }
    let missing = admin
        .get("/api/console/sites/no-such-site/conversations")
        .await;
    assert_eq!(missing.status, 404);
    let row = row_in(&admin, "view=mine", &id).await.expect("still mine");
    assert_eq!(row.status, Status::Open);
}

pub async fn notes_reach_agents_and_never_the_visitor(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let admin = ctx.admin();
    let (token, id) = api.new_thread("note-1", "Can I return worn boots?").await;
    let ws = confab_tests::ws_url(&ctx.base);
    let mut visitor = Socket::connect(&format!("{ws}/api/conversations/{id}/socket?token={token}"))
        .await
        .expect("visitor socket");
    visitor.hello(1, 0).await;
    let mut agent = admin.conversation_socket(&id).await.expect("agent socket");
    agent.hello(1, 0).await;

    let secret = "Internal: customer returned twice already";
    agent
        .send(&json!({"type": "note", "client_id": "n1", "body": secret}))
        .await;
    let frames = agent.until(|f| f["type"] == "note").await;
    let note = &frames.last().unwrap()["note"];
    assert_eq!(
        (note["body"].as_str(), note["after_seq"].as_u64()),
        (Some(secret), Some(1))
    );
    let by_http = admin
        .post(
            &format!("/api/console/conversations/{id}/notes"),
            &json!({"v": 1, "client_id": "n2", "body": "Second internal note"}),
        )
        .await;
    assert_eq!(by_http.status, 201, "{}", by_http.body);

    // A visitor cannot write a note.
    visitor
        .send(&json!({"type": "note", "client_id": "v-n", "body": "let me in"}))
        .await;
    let refused = visitor.until(|f| f["type"] == "error").await;
    assert_eq!(refused.last().unwrap()["code"], "forbidden");

    // Then a reply: the visitor's next frame is that reply, nothing of the notes before it.
    assert_eq!(
        admin.reply(&id, "r1", "Yes, within 30 days.").await.status,
        201
    );
    let received = visitor.until(|f| f["type"] == "message").await;
    let everything = format!("{received:?}");
    assert!(!everything.contains("internal"), "{everything}");
    assert!(!everything.contains("Internal"), "{everything}");
    // A new visitor socket, the history and a long poll: no note either.
    let mut fresh = Socket::connect(&format!("{ws}/api/conversations/{id}/socket?token={token}"))
        .await
        .expect("visitor socket");
    let caught_up = fresh.hello(0, 2).await;
    let page = api.history(&token, &id, "").await;
    let poll = api.history(&token, &id, "after=0&wait=1").await;
    for seen in [
        format!("{caught_up:?}"),
        format!("{page:?}"),
        format!("{poll:?}"),
    ] {
        assert!(!seen.to_lowercase().contains("internal"), "{seen}");
    }
    // Agents find both notes when they connect.
    let mut other = admin.conversation_socket(&id).await.expect("agent socket");
    let frames = other.hello(2, 2).await;
    let notes: Vec<&str> = frames
        .iter()
        .filter_map(|f| f["note"]["body"].as_str())
        .collect();
    assert_eq!(notes, [secret, "Second internal note"]);
}

pub async fn canned_replies_are_shared_by_the_team(ctx: &Ctx) {
    let admin = ctx.admin();
    let agent = admin
        .new_agent(
            "canned.agent@example.com",
            "Canned Agent",
            "another long password",
        )
        .await;
    let saved = agent
        .post(
            "/api/console/canned",
            &json!({"v": 1, "shortcut": "/Returns", "body": "Returns are free within 30 days."}),
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.body);
    assert_eq!(saved.body["shortcut"], "returns");
    let listed = admin.get("/api/console/canned").await;
    assert!(listed.body["replies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["shortcut"] == "returns" && r["body"] == "Returns are free within 30 days."));
    for bad in [
        json!({"v": 1, "shortcut": "two words", "body": "x"}),
        json!({"v": 1, "shortcut": "empty", "body": "   "}),
    ] {
        assert_eq!(admin.post("/api/console/canned", &bad).await.status, 400);
    }
    let deleted = agent
        .call(reqwest::Method::DELETE, "/api/console/canned/returns", None)
        .await;
    assert_eq!(deleted.status, 200);
    let listed = admin.get("/api/console/canned").await;
    assert!(!listed.body.to_string().contains("Returns are free"));
}
