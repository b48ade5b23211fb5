//! Allowed origins: a script tag copied onto a page the site does not list opens nothing.
//! The `studio` site lists https://studio.example and its subdomains; the `demo` site
//! lists none, so it takes pages of this machine only.

use confab_tests::browser::{Browser, Device};
use confab_tests::host::{page_url, Page};
use confab_tests::socket::Socket;
use confab_tests::{eventually, ws_url};
use serde_json::{json, Value};

use crate::Ctx;

const FOREIGN: &str = "https://copycat.example";
const LISTED: &str = "https://www.studio.example";

/// A request as a page of `origin` makes it: status, body and the CORS header it got.
async fn from_page(
    ctx: &Ctx,
    origin: &str,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value, Option<String>) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", ctx.base))
        .header("Origin", origin);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the runtime answers");
    let status = response.status().as_u16();
    let cors = response
        .headers()
        .get("Access-Control-Allow-Origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, cors)
}

fn refused(answer: &(u16, Value, Option<String>), what: &str) {
    assert_eq!(answer.0, 403, "{what}: {}", answer.1);
    assert_eq!(answer.1["error"]["code"], "origin_not_allowed", "{what}");
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(FOREIGN)),
        "{what}: the message names the origin: {}",
        answer.1
    );
    // The page can read why, so the site owner sees it in the console.
    assert_eq!(
        answer.2.as_deref(),
        Some(FOREIGN),
        "{what}: CORS on the refusal"
    );
}

pub async fn pages_the_site_does_not_list_are_refused_and_nothing_is_stored(ctx: &Ctx) {
    use reqwest::Method;
    let session = json!({"v": 1, "site": "studio"});
    let header = from_page(ctx, FOREIGN, Method::GET, "/api/sites/studio", None, None).await;
    refused(&header, "the site's header");
    let minted = from_page(
        ctx,
        FOREIGN,
        Method::POST,
        "/api/sessions",
        None,
        Some(session.clone()),
    )
    .await;
    refused(&minted, "a new session");

    let header = from_page(ctx, LISTED, Method::GET, "/api/sites/studio", None, None).await;
    assert_eq!((header.0, &header.1["team"]), (200, &json!("Acme Studio")));
    let minted = from_page(
        ctx,
        LISTED,
        Method::POST,
        "/api/sessions",
        None,
        Some(session),
    )
    .await;
    assert_eq!(minted.0, 201, "{}", minted.1);
    let token = minted.1["token"].as_str().unwrap().to_owned();

    // A token taken to a page of another origin: refused, and no thread is opened.
    let message = json!({"v": 1, "client_id": "copy-1", "body": "hello from a copy"});
    let sent = from_page(
        ctx,
        FOREIGN,
        Method::POST,
        "/api/conversations",
        Some(&token),
        Some(message.clone()),
    )
    .await;
    refused(&sent, "a first message");
    let listed = from_page(
        ctx,
        LISTED,
        Method::GET,
        "/api/visitor/conversations",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(listed.1["conversations"], json!([]), "nothing was stored");

    let opened = from_page(
        ctx,
        LISTED,
        Method::POST,
        "/api/conversations",
        Some(&token),
        Some(message),
    )
    .await;
    assert_eq!(opened.0, 201, "{}", opened.1);
    let id = opened.1["conversation_id"].as_str().unwrap().to_owned();
    let path = format!("/api/conversations/{id}/messages");
    let read = from_page(ctx, FOREIGN, Method::GET, &path, Some(&token), None).await;
    refused(&read, "reading the thread");
    let more = json!({"v": 1, "client_id": "copy-2", "body": "second"});
    let sent = from_page(ctx, FOREIGN, Method::POST, &path, Some(&token), Some(more)).await;
    refused(&sent, "a second message");
    let read = from_page(ctx, LISTED, Method::GET, &path, Some(&token), None).await;
    assert_eq!(
        read.1["messages"].as_array().map(Vec::len),
        Some(1),
        "{}",
        read.1
    );

    // Links that carry a sign-in secret lead only to the site's pages, whoever asks.
    for (path, body) in [
        (
            "/api/visitor/codes",
            json!({"v": 1, "page": format!("{FOREIGN}/login")}),
        ),
        (
            "/api/visitor/email",
            json!({"v": 1, "email": "ada@example.com", "page": format!("{FOREIGN}/")}),
        ),
    ] {
        let asked = from_page(ctx, LISTED, Method::POST, path, Some(&token), Some(body)).await;
        assert_eq!(asked.0, 403, "{path}: {}", asked.1);
        assert_eq!(asked.1["error"]["code"], "origin_not_allowed", "{path}");
    }
    let code = json!({"v": 1, "page": format!("{LISTED}/pricing")});
    let issued = from_page(
        ctx,
        LISTED,
        Method::POST,
        "/api/visitor/codes",
        Some(&token),
        Some(code),
    )
    .await;
    assert_eq!(issued.0, 201, "{}", issued.1);

    // Sockets: the browser names the page in the handshake.
    let url = format!(
        "{}/api/conversations/{id}/socket?token={token}",
        ws_url(&ctx.base)
    );
    assert_eq!(
        Socket::connect_with(&url, "Origin", FOREIGN).await.err(),
        Some(403)
    );
    let mut socket = Socket::connect_with(&url, "Origin", LISTED)
        .await
        .expect("a listed page connects");
    socket
        .send(&json!({"type": "hello", "v": 1, "last_seq": 0}))
        .await;

    // Without a list, pages of this machine only.
    let demo = json!({"v": 1, "site": "demo"});
    let local = from_page(
        ctx,
        &ctx.host,
        Method::POST,
        "/api/sessions",
        None,
        Some(demo.clone()),
    )
    .await;
    assert_eq!(local.0, 201, "{}", local.1);
    let stranger = from_page(
        ctx,
        FOREIGN,
        Method::POST,
        "/api/sessions",
        None,
        Some(demo),
    )
    .await;
    refused(&stranger, "a session for a site without a list");
}

pub async fn a_page_the_site_does_not_list_shows_no_widget(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    // The host site's origin (127.0.0.1 on a port of its own) is not one studio lists.
    browser
        .goto(&page_url(&ctx.host, Page::Plain, &ctx.base, "studio"))
        .await;
    eventually(30, "the widget to take itself off the page", || async {
        let gone = browser
            .script("return document.readyState == 'complete' && !document.querySelector('confab-widget')")
            .await;
        (gone == true).then_some(())
    })
    .await;
    browser.close().await;
}
