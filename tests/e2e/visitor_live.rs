//! The thread as a visitor lives it: replies arrive live, are counted after the tab was
//! closed, and nothing written while offline is lost or doubled.

use confab_protocol::ConversationId;
use confab_tests::api::Api;
use confab_tests::browser::{Browser, Device};
use confab_tests::eventually;
use confab_tests::runtime::Runtime;
use serde_json::json;

use confab_tests::host::Page;

use crate::Ctx;

/// The host page embedding the demo site of a runtime of the test's own.
fn page_of(runtime: &Runtime, ctx: &Ctx) -> String {
    confab_tests::host::page_url(&ctx.host, Page::Plain, &runtime.base_url(), "demo")
}

async fn conversation_of(browser: &Browser) -> (String, ConversationId) {
    let saved = browser.saved("demo").await;
    let token = saved["token"].as_str().expect("a token").to_owned();
    let id = ConversationId::parse(saved["conversation_id"].as_str().expect("a thread")).unwrap();
    (token, id)
}

pub async fn replies_arrive_live_and_are_counted_after_the_tab_was_closed(ctx: &Ctx) {
    let admin = ctx.admin();
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.open_and_send("Do you ship to Norway?").await;
    let (_, id) = conversation_of(&browser).await;

    // A reply shows up without a reload.
    assert_eq!(
        admin.reply(&id, "r1", "Yes, in 3 to 5 days.").await.status,
        201
    );
    browser.committed_message("Yes, in 3 to 5 days.").await;

    // The visitor selects the reply's text (to copy it, say).
    let select_reply = "var root = document.querySelector('confab-widget').shadowRoot, \
        body = root.querySelector('.message.from-team:not(.greeting) .body'), \
        range = document.createRange(); range.selectNodeContents(body); \
        getSelection().removeAllRanges(); getSelection().addRange(range); \
        return getSelection().toString()";
    assert_eq!(browser.script(select_reply).await, "Yes, in 3 to 5 days.");

    // The team reads the visitor's message: it shows as seen.
    let mut agent = admin.conversation_socket(&id).await.expect("agent socket");
    agent.hello(0, 2).await;
    agent.send(&json!({"type": "read", "seq": 1})).await;
    eventually(30, "the visitor's message to show as seen", || async {
        let meta = browser.texts_in_widget(".message.from-visitor .meta").await;
        meta.iter().any(|m| m.contains("Seen")).then_some(())
    })
    .await;
    // Only the row that changed was drawn again: the reply and its selection stay.
    assert_eq!(
        browser.script("return getSelection().toString()").await,
        "Yes, in 3 to 5 days.",
        "a read receipt leaves the visitor's selection alone"
    );

    // The visitor leaves; the team answers; the visitor comes back to a badge.
    browser.goto("about:blank").await;
    assert_eq!(admin.reply(&id, "r2", "Anything else?").await.status, 201);
    browser.goto(&ctx.page(Page::Plain)).await;
    let badge = eventually(30, "the unread badge", || async {
        let texts = browser.texts_in_widget(".launcher .badge").await;
        texts.into_iter().next().filter(|t| !t.is_empty())
    })
    .await;
    assert_eq!(badge, "1", "one reply came while the visitor was away");
    let label = browser
        .in_widget(".launcher")
        .await
        .attr("aria-label")
        .await
        .unwrap();
    assert!(label.unwrap_or_default().contains("1 unread"));

    // Opening reads it: the badge goes, the reply is there.
    browser.click_in_widget(".launcher").await;
    browser.committed_message("Anything else?").await;
    assert!(browser.texts_in_widget(".launcher .badge").await.is_empty());
    browser.close().await;
}

pub async fn messages_written_while_the_runtime_is_down_arrive_once_in_order(ctx: &Ctx) {
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    let port = runtime.port();
    let driver = confab_tests::browser::Chromedriver::start().await;
    let browser = Browser::open(&driver.url(), Device::Phone).await;
    browser.goto(&page_of(&runtime, ctx)).await;
    browser.open_and_send("before the outage").await;

    runtime.stop();
    let offline = ["offline 1", "offline 2", "offline 3"];
    for text in offline {
        browser.write(text).await;
    }
    eventually(30, "three messages waiting in the outbox", || async {
        let saved = browser.saved("demo").await;
        (saved["outbox"].as_array().map(|o| o.len()) == Some(3)).then_some(())
    })
    .await;
    let waiting = browser
        .texts_in_widget(".message[data-delivery=retrying] .body")
        .await;
    assert_eq!(waiting, offline, "shown as waiting, in order");

    let runtime = Runtime::start_on(state.path(), port).await;
    for text in offline {
        browser.committed_message(text).await;
    }
    let (token, id) = conversation_of(&browser).await;
    let api = Api::new(&runtime.base_url());
    let page = api.history(&token, &id, "").await;
    let stored: Vec<(u64, &str)> = page
        .messages
        .iter()
        .map(|m| (m.seq, m.body.as_str()))
        .collect();
    assert_eq!(
        stored,
        [
            (1, "before the outage"),
            (2, "offline 1"),
            (3, "offline 2"),
            (4, "offline 3")
        ],
        "each exactly once, in order"
    );
    assert_eq!(browser.saved("demo").await["outbox"], json!([]));
    browser.close().await;
    runtime.stop();
}

pub async fn two_tabs_stay_in_sync_without_double_sends(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.open_and_send("from tab A").await;
    let tab_a = browser.client.window().await.unwrap();

    let tab_b = browser.client.new_window(true).await.unwrap().handle;
    browser.client.switch_to_window(tab_b).await.unwrap();
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.click_in_widget(".launcher").await;
    browser.committed_message("from tab A").await;
    browser.write("from tab B").await;
    browser.committed_message("from tab B").await;

    browser.client.switch_to_window(tab_a).await.unwrap();
    browser.committed_message("from tab B").await;
    let bodies = browser.texts_in_widget(".message .body").await;
    let count = |text: &str| bodies.iter().filter(|b| *b == text).count();
    assert_eq!(
        (count("from tab A"), count("from tab B")),
        (1, 1),
        "{bodies:?}"
    );

    let (token, id) = conversation_of(&browser).await;
    let page = Api::new(&ctx.base).history(&token, &id, "").await;
    assert_eq!(page.messages.len(), 2, "stored once each");
    browser.close().await;
}

pub async fn without_websockets_replies_arrive_by_long_poll(ctx: &Ctx) {
    let admin = ctx.admin();
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    // A network that lets no WebSocket through.
    browser
        .script("window.WebSocket = function () { throw new Error('blocked by the network'); }; return true")
        .await;
    browser.open_and_send("Is anyone there?").await;
    let (_, id) = conversation_of(&browser).await;

    assert_eq!(
        admin.reply(&id, "lp-1", "Yes, we are here.").await.status,
        201
    );
    browser.committed_message("Yes, we are here.").await;
    browser.write("Great, thanks").await;
    browser.committed_message("Great, thanks").await;
    assert_eq!(
        admin.reply(&id, "lp-2", "You are welcome.").await.status,
        201
    );
    browser.committed_message("You are welcome.").await;

    // Reading with the panel open is said over HTTP: the team sees the replies read (and
    // no push or email follows for them).
    let mut agent = admin.conversation_socket(&id).await.expect("agent socket");
    let welcome = agent.hello(0, 0).await.pop().unwrap();
    let mut visitor_read = welcome["visitor_read"].as_u64().unwrap();
    while visitor_read < 4 {
        let frame = agent
            .until(|f| f["type"] == "read" && f["by"] == "visitor")
            .await;
        visitor_read = frame.last().unwrap()["seq"].as_u64().unwrap();
    }
    assert_eq!(visitor_read, 4, "read up to the last reply");
    browser.close().await;
}
