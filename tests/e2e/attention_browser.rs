//! A reply that arrives while the visitor looks at another tab: the page's title counts it
//! and, once the visitor allowed notifications, the system shows it. Headless Chromium
//! hides a tab that is behind another one, as a desktop browser does.

use confab_protocol::ConversationId;
use confab_tests::browser::{Browser, Device};
use confab_tests::eventually;

use confab_tests::host::Page;

use crate::Ctx;

use confab_tests::host::TITLE as PAGE_TITLE;

/// The address of the page's service worker, or null.
const SERVICE_WORKER: &str = "return navigator.serviceWorker.getRegistration().then((r) => \
     ((r && (r.active || r.waiting || r.installing)) || {}).scriptURL || null)";

/// A visitor on the demo page who allows notifications when asked, with a thread opened by
/// `text`.
async fn visitor_with_a_thread(ctx: &Ctx, text: &str) -> (Browser, ConversationId) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.record_notifications().await;
    browser.allow(&ctx.host, "notifications").await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.open_and_send(text).await;
    let saved = browser.saved("demo").await;
    let id = ConversationId::parse(saved["conversation_id"].as_str().expect("a thread")).unwrap();
    (browser, id)
}

pub async fn a_reply_in_a_hidden_tab_marks_the_title_and_notifies(ctx: &Ctx) {
    let admin = ctx.admin();
    let (browser, id) = visitor_with_a_thread(ctx, "Is the blue tent back in stock?").await;

    // No service worker until the visitor asks for notifications.
    assert_eq!(
        browser.script(SERVICE_WORKER).await,
        serde_json::Value::Null
    );

    // "Notify me of replies", in the menu, asks and confirms.
    browser.click_in_widget(".menu").await;
    browser.click_in_widget("[data-do=notify]").await;
    browser
        .wait_for_text_in_widget(".home .note", "You will be notified of replies")
        .await;
    // The site serves Confab's service worker: asking registered it, for push.
    eventually(30, "the service worker", || async {
        let worker = browser.script(SERVICE_WORKER).await;
        worker
            .as_str()
            .is_some_and(|url| url.ends_with("/confab-sw.js"))
            .then_some(())
    })
    .await;
    browser.click_in_widget(".menu").await;
    browser.click_in_widget(".close").await;

    // The visitor goes to another tab; two replies come.
    let page = browser.client.window().await.expect("this tab");
    let other = browser.client.new_window(true).await.expect("a new tab");
    browser
        .client
        .switch_to_window(other.handle)
        .await
        .expect("the new tab in front");
    for (n, text) in [(1, "Yes, since Monday."), (2, "Shall I hold one?")] {
        let answer = admin.reply(&id, &format!("r{n}"), text).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        let marked = format!("({n}) {PAGE_TITLE}");
        eventually(30, &format!("the title {marked:?}"), || async {
            browser.tab_titles().await.contains(&marked).then_some(())
        })
        .await;
    }

    // Back on the page: its own title again, and the two notifications it showed.
    browser
        .client
        .switch_to_window(page)
        .await
        .expect("the page in front");
    eventually(30, "the page's own title", || async {
        (browser.client.title().await.ok()? == PAGE_TITLE).then_some(())
    })
    .await;
    let shown = browser.notifications().await;
    assert_eq!(shown.len(), 2, "one notification per reply: {shown:?}");
    for (notification, body) in shown
        .iter()
        .zip(["Yes, since Monday.", "Shall I hold one?"])
    {
        assert_eq!(notification["title"], "Acme Outfitters");
        assert_eq!(notification["body"], body);
        // One tag per thread: the second replaced the first, as a later push would.
        assert_eq!(notification["tag"], format!("confab-{id}"));
    }
    let badge = browser.texts_in_widget(".launcher .badge").await;
    assert_eq!(badge, ["2"], "both replies wait on the launcher");
    browser.close().await;
}

pub async fn a_reply_read_in_view_neither_marks_nor_notifies(ctx: &Ctx) {
    let admin = ctx.admin();
    let (browser, id) = visitor_with_a_thread(ctx, "Do you repair zips?").await;

    // The visitor is looking at the open thread: the reply is simply there.
    assert_eq!(admin.reply(&id, "r1", "We do.").await.status, 201);
    browser.committed_message("We do.").await;
    assert_eq!(browser.client.title().await.unwrap(), PAGE_TITLE);
    assert!(browser.notifications().await.is_empty());
    assert!(browser.texts_in_widget(".launcher .badge").await.is_empty());
    browser.close().await;
}
