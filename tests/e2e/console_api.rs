//! The agents' API: accounts, sessions, passwords and removal.

use confab_protocol::ConversationId;
use confab_tests::api::Api;
use confab_tests::console::{login, session_cookie, Console, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::socket::Socket;
use serde_json::json;

use crate::inbox_api::row_in;
use crate::Ctx;

/// Every console route, as method and path, for conversation `id`.
fn console_routes(id: &ConversationId) -> Vec<(reqwest::Method, String)> {
    use reqwest::Method;
    vec![
        (Method::GET, "/api/console/me".into()),
        (Method::GET, "/api/console/agents".into()),
        (Method::POST, "/api/console/agents".into()),
        (
            Method::DELETE,
            format!("/api/console/agents/{}", "a".repeat(32)),
        ),
        (Method::GET, "/api/console/canned".into()),
        (Method::POST, "/api/console/canned".into()),
        (Method::GET, "/api/console/sites/demo/conversations".into()),
        (
            Method::GET,
            format!("/api/console/sites/demo/conversations/{id}"),
        ),
        (
            Method::POST,
            format!("/api/console/sites/demo/conversations/{id}/assign"),
        ),
        (
            Method::POST,
            format!("/api/console/sites/demo/conversations/{id}/status"),
        ),
        (Method::GET, "/api/console/sites/demo/hours".into()),
        (Method::PUT, "/api/console/sites/demo/hours".into()),
        (Method::GET, "/api/console/sites/demo/words".into()),
        (Method::PUT, "/api/console/sites/demo/words".into()),
        (Method::GET, "/api/console/sites".into()),
        (Method::POST, "/api/console/sites".into()),
        (Method::PUT, "/api/console/sites/demo".into()),
        (Method::POST, "/api/console/sites/demo/standing".into()),
        (
            Method::GET,
            format!("/api/console/conversations/{id}/messages"),
        ),
        (
            Method::POST,
            format!("/api/console/conversations/{id}/messages"),
        ),
        (
            Method::POST,
            format!("/api/console/conversations/{id}/notes"),
        ),
    ]
}

pub async fn console_apis_need_an_agent_session(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (visitor, id) = api.new_thread("console-auth-1", "Hello").await;
    let http = reqwest::Client::new();
    let body = json!({"v": 1, "client_id": "sneaky", "body": "I am the team now"}).to_string();
    for (method, path) in console_routes(&id) {
        // No session, a visitor's token (as bearer, query and cookie), a forged cookie.
        let attempts = [
            http.request(method.clone(), format!("{}{path}", ctx.base)),
            http.request(method.clone(), format!("{}{path}", ctx.base))
                .bearer_auth(&visitor),
            http.request(
                method.clone(),
                format!("{}{path}?token={visitor}", ctx.base),
            ),
            http.request(method.clone(), format!("{}{path}", ctx.base))
                .header("Cookie", format!("confab_agent={visitor}")),
            http.request(method.clone(), format!("{}{path}", ctx.base))
                .header("Cookie", format!("confab_agent={}", "f".repeat(64))),
        ];
        for attempt in attempts {
            let answer = confab_tests::api::Answer::from(
                attempt
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("the runtime answers"),
            )
            .await;
            assert_eq!(
                (answer.status, answer.error_code()),
                (401, "unauthorized"),
                "{method} {path} without an agent session"
            );
        }
    }
    let ws = confab_tests::ws_url(&ctx.base);
    for path in [
        format!("/api/console/conversations/{id}/socket"),
        "/api/console/sites/demo/socket".to_string(),
    ] {
        assert_eq!(
            Socket::connect(&format!("{ws}{path}")).await.err(),
            Some(401)
        );
        let with_token = format!("{ws}{path}?token={visitor}");
        assert_eq!(Socket::connect(&with_token).await.err(), Some(401));
    }
    // Nothing the attempts sent was stored.
    assert_eq!(api.history(&visitor, &id, "").await.messages.len(), 1);
}

pub async fn sessions_are_cookies_that_sign_out(ctx: &Ctx) {
    let answer = login(&ctx.base, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let set_cookie = answer.headers["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/console"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    assert_eq!(answer.body["agent"]["role"], "admin");
    let console = Console::with_session(
        &ctx.base,
        &session_cookie(&answer),
        serde_json::from_value(answer.body["agent"].clone()).unwrap(),
    );
    assert_eq!(console.get("/api/console/me").await.status, 200);

    // Another site's page cannot use the session, nor sign in.
    let cross = reqwest::Client::new()
        .get(format!("{}/api/console/me", ctx.base))
        .header("Cookie", &console.cookie)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);

    let out = console.post("/api/console/logout", &json!({})).await;
    assert_eq!(out.status, 204);
    assert_eq!(
        console.get("/api/console/me").await.status,
        401,
        "signed out"
    );
}

pub async fn wrong_passwords_are_refused_then_throttled(ctx: &Ctx) {
    let admin = ctx.admin();
    let email = "throttled.agent@example.com";
    let password = "a long enough password";
    admin.new_agent(email, "Throttled Agent", password).await;

    // Wrong password and unknown account get the same answer.
    let wrong = login(&ctx.base, email, "not my password", Some("10.77.0.1")).await;
    assert_eq!((wrong.status, wrong.error_code()), (401, "unauthorized"));
    let unknown = login(
        &ctx.base,
        "nobody@example.com",
        "whatever it is",
        Some("10.77.0.2"),
    )
    .await;
    assert_eq!(
        unknown.body["error"]["message"],
        wrong.body["error"]["message"]
    );
    assert!(unknown.headers.get("set-cookie").is_none());

    // Five wrong tries in all lock the account, even for the right password from elsewhere.
    for n in 0..4 {
        let answer = login(&ctx.base, email, &format!("guess {n}"), Some("10.77.0.1")).await;
        assert_eq!(answer.status, 401);
    }
    let locked = login(&ctx.base, email, password, Some("10.77.0.3")).await;
    assert_eq!((locked.status, locked.error_code()), (429, "rate_limited"));
    assert!(locked.headers.get("set-cookie").is_none());

    // The guessing address is locked too, whichever account it tries.
    let from_guesser = login(
        &ctx.base,
        "another@example.com",
        "any password",
        Some("10.77.0.1"),
    )
    .await;
    assert_eq!(from_guesser.status, 429);
    // Everyone else still signs in.
    let elsewhere = login(
        &ctx.base,
        DEV_ADMIN_EMAIL,
        DEV_ADMIN_PASSWORD,
        Some("10.77.0.9"),
    )
    .await;
    assert_eq!(elsewhere.status, 200);
}

pub async fn a_removed_agent_is_cut_off_at_once(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let admin = ctx.admin();
    let agent = admin
        .new_agent(
            "leaving.agent@example.com",
            "Leaving Agent",
            "my password is long",
        )
        .await;
    assert_eq!(agent.agent.role, confab_protocol::console::Role::Agent);
    let (_, id) = api.new_thread("cut-1", "Hi there").await;

    // An agent is no admin.
    let invite = agent
        .post(
            "/api/console/agents",
            &json!({"v": 1, "email": "friend@example.com", "name": "Friend", "role": "admin"}),
        )
        .await;
    assert_eq!((invite.status, invite.error_code()), (403, "forbidden"));
    let remove_admin = agent
        .call(
            reqwest::Method::DELETE,
            &format!("/api/console/agents/{}", admin.agent.id),
            None,
        )
        .await;
    assert_eq!(remove_admin.status, 403);

    // The agent holds a conversation: after the removal it goes back to the team.
    eventually(30, "the thread in the inbox", || async {
        row_in(&admin, "view=all", &id).await
    })
    .await;
    let assign = admin
        .post(
            &format!("/api/console/sites/demo/conversations/{id}/assign"),
            &json!({"v": 1, "assignee": agent.agent.id}),
        )
        .await;
    assert_eq!(assign.status, 200);

    let mut inbox = agent.inbox_socket("demo").await.expect("inbox socket");
    let mut conversation = agent
        .conversation_socket(&id)
        .await
        .expect("conversation socket");
    conversation.hello(1, 0).await;

    let removed = admin
        .call(
            reqwest::Method::DELETE,
            &format!("/api/console/agents/{}", agent.agent.id),
            None,
        )
        .await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    assert!(inbox.closed().await, "the inbox socket is closed");
    assert!(
        conversation.closed().await,
        "the conversation socket is closed"
    );
    assert_eq!(agent.get("/api/console/me").await.status, 401);
    assert_eq!(agent.conversation_socket(&id).await.err(), Some(401));
    let again = login(
        &ctx.base,
        "leaving.agent@example.com",
        "my password is long",
        Some("10.78.0.1"),
    )
    .await;
    assert_eq!(again.status, 401);
    let listed = admin.get("/api/console/agents").await;
    assert!(!listed
        .body
        .to_string()
        .contains("leaving.agent@example.com"));
}
