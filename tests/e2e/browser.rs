//! What a visitor does on the demo page, in headless Chromium.

use confab_tests::browser::{Browser, Device};

use confab_tests::host::Page;

use crate::Ctx;

pub async fn a_visitor_writes_and_finds_the_message_after_a_reload(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto(&ctx.demo).await;

    // The loader draws the launcher at once; nothing is stored before the visitor writes.
    assert!(
        browser.is_shown_in_widget(".launcher").await,
        "the launcher is visible"
    );
    let stored = browser
        .script("return localStorage.getItem('confab:demo')")
        .await;
    assert!(
        stored.is_null(),
        "nothing stored before interaction: {stored}"
    );

    browser.click_in_widget(".launcher").await;
    assert!(browser.is_shown_in_widget(".panel[role=dialog]").await);
    // The header is the site's, from its settings in wrangler.toml.
    assert_eq!(
        browser.texts_in_widget(".panel-header h2").await,
        ["Acme Outfitters"]
    );
    let availability = browser.texts_in_widget(".panel-header .availability").await;
    assert!(
        availability.len() == 1 && !availability[0].is_empty(),
        "the team's availability is shown: {availability:?}"
    );
    let text = "Hello! Do these boots come in size 46?";
    browser.write(text).await;
    browser.committed_message(text).await;

    let stored = browser
        .script("return JSON.parse(localStorage.getItem('confab:demo'))")
        .await;
    assert!(
        stored["token"].as_str().is_some_and(|t| t.contains('.')),
        "{stored}"
    );
    assert!(
        stored["conversation_id"]
            .as_str()
            .is_some_and(|id| id.len() == 32),
        "{stored}"
    );

    // A new page load: the thread is still there once the panel is opened.
    browser.client.refresh().await.expect("reload");
    browser.click_in_widget(".launcher").await;
    browser.committed_message(text).await;
    let seq = browser
        .in_widget(".message.from-visitor[data-seq]")
        .await
        .attr("data-seq")
        .await
        .unwrap();
    assert_eq!(seq.as_deref(), Some("1"));
    let own = browser.texts_in_widget(".message.from-visitor .body").await;
    assert_eq!(own, [text], "shown once, not duplicated");
    browser.close().await;
}

pub async fn hostile_text_is_shown_as_text(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Phone).await;
    browser.goto(&ctx.page(Page::Strict)).await;
    browser.click_in_widget(".launcher").await;
    let hostile = [
        r#"<img src=x onerror="window.__confab_pwned=1">"#,
        "<script>window.__confab_pwned=2</script>",
        "javascript:window.__confab_pwned=3",
        "\u{202e}gpj.exe 😀🧗‍♀️",
        "see https://acme.example/returns for returns",
    ];
    for text in hostile {
        browser.write(text).await;
        browser.committed_message(text).await;
    }
    let pwned = browser
        .script("return window.__confab_pwned === undefined")
        .await;
    assert_eq!(pwned, true, "no script from a message ran");
    let images = browser
        .script("return document.querySelector('confab-widget').shadowRoot.querySelectorAll('.messages img, .messages script').length")
        .await;
    assert_eq!(images, 0, "no element was made from message text");
    let links = browser
        .script(
            "return Array.from(document.querySelector('confab-widget').shadowRoot\
             .querySelectorAll('.messages a')).map(a => [a.getAttribute('href'), a.rel, a.target])",
        )
        .await;
    assert_eq!(
        links,
        serde_json::json!([[
            "https://acme.example/returns",
            "noopener noreferrer nofollow ugc",
            "_blank"
        ]]),
        "only the https link is a link, and it cannot reach back into the page"
    );
    // On a phone the panel covers the screen.
    let width = browser
        .script("return document.querySelector('confab-widget').shadowRoot.querySelector('.panel').getBoundingClientRect().width")
        .await;
    assert_eq!(width.as_f64().map(|w| w.round()), Some(390.0));
    browser.close().await;
}
