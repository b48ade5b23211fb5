//! The widget on the pages site owners really have: another origin, a strict
//! Content-Security-Policy, Trusted Types, hostile CSS and globals, a single-page app, a
//! phone. Each page is served by the test's host site (tests/src/host.rs).

use confab_tests::browser::{Browser, Device};
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::{json, Value};

use crate::Ctx;

/// Keeps every Content-Security-Policy violation of the page in `window.__violations`.
const VIOLATIONS: &str = r#"
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"#;

pub const IN_WIDGET: &str = "document.querySelector('confab-widget').shadowRoot";

/// A desktop browser on `url` that keeps what the page's policy refuses (`no_violations`).
pub async fn open_watching_the_policy(ctx: &Ctx, url: &str) -> Browser {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": VIOLATIONS }),
        )
        .await;
    browser.goto_widget(url).await;
    browser
}

/// The page's policy refused nothing since it was opened.
pub async fn no_violations(browser: &Browser, what: &str) {
    let violations = browser.script("return window.__violations").await;
    assert_eq!(
        violations,
        json!([]),
        "{what}: the page's policy refused nothing"
    );
}

/// On `url`: the launcher is where it belongs and answers a click, a message is committed
/// and found again after a reload, and the page's policy refused nothing.
async fn writes_and_reloads(ctx: &Ctx, url: &str, what: &str) -> Browser {
    let browser = open_watching_the_policy(ctx, url).await;
    // In the bottom right corner of the screen, whatever the page does to its body.
    let corner = browser
        .script(&format!(
            "var r = {IN_WIDGET}.querySelector('.launcher').getBoundingClientRect(); \
             var d = document.documentElement; return [Math.round(d.clientWidth - r.right), Math.round(d.clientHeight - r.bottom), Math.round(r.width)]"
        ))
        .await;
    assert_eq!(
        corner,
        json!([20, 20, 56]),
        "{what}: the launcher's place and size"
    );
    let text = format!("Hello from the {what} page");
    // A WebDriver click is refused when anything of the page covers the launcher.
    browser.open_and_send(&text).await;
    browser.client.refresh().await.expect("reload");
    browser.click_in_widget(".launcher").await;
    browser.committed_message(&text).await;
    // The ☰ screens: a wasm chunk of their own, fetched from the deployment as the panel
    // opens, and written as markup (through the widget's Trusted Types policy).
    eventually(20, "the ☰ chunk to be prefetched", || async {
        let fetched = browser
            .script("return performance.getEntriesByType('resource').some(function (e) { return /split_home_screen\\.[0-9a-f]+\\.wasm$/.test(e.name) })")
            .await;
        (fetched == true).then_some(())
    })
    .await;
    browser.click_in_widget(".menu").await;
    browser.in_widget(".home .new-thread").await;
    browser.click_in_widget(".menu").await;
    no_violations(&browser, what).await;
    browser
}

pub async fn on_the_deployments_own_demo_page(ctx: &Ctx) {
    writes_and_reloads(ctx, &ctx.demo, "demo")
        .await
        .close()
        .await;
}

pub async fn on_a_plain_page_of_another_origin(ctx: &Ctx) {
    let browser = writes_and_reloads(ctx, &ctx.page(Page::Plain), "plain").await;
    // The header came from the deployment, across origins.
    assert_eq!(
        browser.texts_in_widget(".panel-header h2").await,
        ["Acme Outfitters"]
    );
    browser.close().await;
}

pub async fn under_a_strict_content_security_policy(ctx: &Ctx) {
    writes_and_reloads(ctx, &ctx.page(Page::Strict), "strict")
        .await
        .close()
        .await;
}

pub async fn under_trusted_types(ctx: &Ctx) {
    writes_and_reloads(ctx, &ctx.page(Page::TrustedTypes), "trusted-types")
        .await
        .close()
        .await;
}

pub async fn on_a_hostile_page(ctx: &Ctx) {
    let browser = writes_and_reloads(ctx, &ctx.page(Page::Hostile), "hostile").await;
    // The page's own globals are the page's: untouched, and its AMD `define` never called.
    assert_eq!(browser.script("return window.Confab.mine").await, true);
    // The page's fonts and direction stay out: the widget's text keeps its own size.
    let looks = browser
        .script(&format!(
            "var c = getComputedStyle({IN_WIDGET}.querySelector('.composer textarea')); \
             return [c.fontSize, c.direction, c.display]"
        ))
        .await;
    assert_eq!(looks, json!(["15px", "ltr", "block"]));
    browser.close().await;
}

pub async fn in_a_single_page_app_across_routes(ctx: &Ctx) {
    let browser = writes_and_reloads(ctx, &ctx.page(Page::App), "app").await;
    browser
        .script("window.__same_document = true; return 1")
        .await;
    browser.click("a[href='/app/pricing']").await;
    browser.wait_for_text("#route", "Pricing").await;
    let path = browser.script("return location.pathname").await;
    assert_eq!(path, "/app/pricing");
    // The same document: the widget stayed open, with its thread.
    assert_eq!(browser.script("return window.__same_document").await, true);
    assert!(browser.is_shown_in_widget(".panel").await, "still open");
    browser.committed_message("Hello from the app page").await;
    browser
        .script("Confab('set', {plan: 'pro', cart_value: 120, tags: ['x']}); return 1")
        .await;
    browser.write("Written on the pricing page").await;
    browser
        .committed_message("Written on the pricing page")
        .await;
    // Agents see the page the visitor is on now, and what the page set.
    let saved = browser.saved("demo").await;
    let id = saved["conversation_id"].as_str().unwrap().to_owned();
    let row = eventually(20, "the inbox to show the pricing page", || async {
        let answer = ctx
            .admin()
            .get(&format!("/api/console/sites/demo/conversations/{id}"))
            .await;
        let context = answer.body["conversation"]["context"].clone();
        context["page"]
            .as_str()
            .is_some_and(|p| p.contains("/app/pricing"))
            .then_some(context)
    })
    .await;
    assert_eq!(
        row["attributes"],
        json!({"plan": "pro", "cart_value": "120"}),
        "text and numbers kept, a list left out"
    );
    assert!(
        row["user_agent"].as_str().is_some_and(|ua| !ua.is_empty()),
        "the browser is still known: {row}"
    );
    browser.close().await;
}

pub async fn on_a_phone_the_panel_is_the_whole_screen(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Phone).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.script("window.scrollTo(0, 700); return 1").await;
    browser.click_in_widget(".launcher").await;
    browser.in_widget(".composer textarea").await;
    let panel = browser
        .script(&format!(
            "var r = {IN_WIDGET}.querySelector('.panel').getBoundingClientRect(); \
             return [r.left, r.top, r.width, r.height, innerWidth, innerHeight]"
        ))
        .await;
    let sizes: Vec<f64> = serde_json::from_value(panel).unwrap();
    assert_eq!(
        [sizes[0], sizes[1], sizes[2], sizes[3]],
        [0.0, 0.0, sizes[4], sizes[5]],
        "the panel covers the screen"
    );
    // Nothing lies on the composer: what is drawn at the Send button is the Send button.
    let send_is_on_top = browser
        .script(&format!(
            "var root = {IN_WIDGET}; var b = root.querySelector('.send').getBoundingClientRect(); \
             return root.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2) === root.querySelector('.send')"
        ))
        .await;
    assert_eq!(
        send_is_on_top, true,
        "the launcher does not float over Send"
    );
    assert!(!browser.is_shown_in_widget(".launcher").await);
    browser.write("Sent from a phone").await;
    browser.committed_message("Sent from a phone").await;

    // The on-screen keyboard leaves only part of the screen (the visual viewport) in view;
    // headless Chromium has no keyboard, so the page is zoomed instead, which shrinks the
    // visual viewport the same way. The composer stays in the part still seen.
    browser
        .cdp(
            "Emulation.setPageScaleFactor",
            json!({ "pageScaleFactor": 2.0 }),
        )
        .await;
    let composer_in_view = format!(
        "var v = visualViewport, r = {IN_WIDGET}.querySelector('.composer').getBoundingClientRect();          return v.height < innerHeight * 0.6 && r.top >= v.offsetTop - 1 && r.bottom <= v.offsetTop + v.height + 1"
    );
    eventually(
        10,
        "the composer within the visible part of the screen",
        || async { (browser.script(&composer_in_view).await == true).then_some(()) },
    )
    .await;
    browser
        .cdp(
            "Emulation.setPageScaleFactor",
            json!({ "pageScaleFactor": 1.0 }),
        )
        .await;

    // Closing returns to the page where the visitor was.
    browser.click_in_widget(".close").await;
    eventually(10, "the launcher back", || async {
        browser.is_shown_in_widget(".launcher").await.then_some(())
    })
    .await;
    assert_eq!(browser.script("return Math.round(scrollY)").await, 700);
    browser.close().await;
}

pub async fn the_host_page_opens_closes_shows_and_hides_the_widget(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser
        .in_widget(".launcher:not([data-confab-loader])")
        .await;
    let panel_shown = || async {
        browser
            .script(&format!("return !!{IN_WIDGET}.querySelector('.panel')"))
            .await
            == true
    };
    let until = |what: &'static str, want: bool| {
        let check = panel_shown;
        async move { eventually(10, what, || async { (check().await == want).then_some(()) }).await }
    };
    browser.script("Confab('open'); return 1").await;
    until("the panel opened by the page", true).await;
    browser.script("Confab('close'); return 1").await;
    until("the panel closed by the page", false).await;
    browser.script("Confab('toggle'); return 1").await;
    until("the panel toggled open", true).await;
    browser.script("Confab('toggle'); return 1").await;
    until("the panel toggled closed", false).await;

    browser.script("Confab('hide'); return 1").await;
    assert!(!browser.is_shown_in_widget(".launcher").await, "hidden");
    browser.script("Confab('show'); return 1").await;
    assert!(browser.is_shown_in_widget(".launcher").await, "shown again");

    // Called before the loader ran, through the README's stub: the last word counts.
    for (before, open) in [
        ("open", true),
        ("open,toggle", false),
        ("open,close,toggle", true),
    ] {
        let page = format!("{}&before={before}", ctx.page(Page::Plain));
        browser.goto(&page).await;
        browser
            .in_widget(".launcher:not([data-confab-loader])")
            .await;
        until("the queued calls to take effect", open).await;
        let expanded = browser
            .script(&format!(
                "return {IN_WIDGET}.querySelector('.launcher').getAttribute('aria-expanded')"
            ))
            .await;
        assert_eq!(expanded, open.to_string().as_str(), "{before}");
    }
    browser.close().await;
}

pub async fn a_chunk_that_cannot_load_leaves_the_widget_working(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.cdp("Network.enable", json!({})).await;
    let block = |urls: Vec<&str>| browser.cdp("Network.setBlockedURLs", json!({ "urls": urls }));
    block(vec!["*split_home_screen.*"]).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.open_and_send("Before the menu").await;
    browser.click_in_widget(".menu").await;
    browser
        .wait_for_text_in_widget(".home", "did not work")
        .await;
    // The rest of the widget goes on: back to the thread, and a message is committed.
    browser.click_in_widget(".menu").await;
    browser.write("After the menu failed").await;
    browser.committed_message("After the menu failed").await;
    // With the network back, ☰ again loads it.
    block(vec![]).await;
    browser.click_in_widget(".menu").await;
    browser.in_widget(".home .new-thread").await;
    browser.close().await;
}

pub async fn the_host_page_prefills_the_composer_and_hears_events(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    // `show` is queued through the README's stub with the listeners, before the loader runs.
    browser
        .goto(&format!("{}&before=show", ctx.page(Page::Plain)))
        .await;
    let heard = |want: Value| {
        let browser = &browser;
        async move {
            eventually(20, &format!("the page to hear {want}"), || async {
                let events = browser.script("return window.__events").await;
                events
                    .as_array()
                    .is_some_and(|e| e.contains(&want))
                    .then_some(())
            })
            .await
        }
    };
    heard(json!(["ready", null])).await;
    let text = "Question about order 77";
    browser
        .script(&format!("Confab('prefill', {text:?}); return 1"))
        .await;
    heard(json!(["open", null])).await;
    let composer = format!("return {IN_WIDGET}.querySelector('.composer textarea').value");
    eventually(10, "the composer to hold the page's text", || async {
        (browser.script(&composer).await == text).then_some(())
    })
    .await;
    browser.write("").await;
    browser.committed_message(text).await;
    let saved = browser.saved("demo").await;
    let id =
        confab_protocol::ConversationId::parse(saved["conversation_id"].as_str().unwrap()).unwrap();
    ctx.admin()
        .reply(&id, "host-1", "Order 77 left today")
        .await;
    heard(json!(["message", "Order 77 left today"])).await;
    browser.script("Confab('close'); return 1").await;
    heard(json!(["close", null])).await;
    // Only what happens while the panel is closed counts as unread.
    let earlier = browser
        .script("var e = window.__events; window.__events = []; return e")
        .await;
    assert!(
        !earlier.as_array().unwrap().contains(&json!(["unread", 1])),
        "a reply read in the open panel is not unread: {earlier}"
    );
    ctx.admin().reply(&id, "host-2", "It arrives Friday").await;
    heard(json!(["unread", 1])).await;
    let readies = earlier
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[0] == "ready")
        .count();
    assert_eq!(readies, 1, "ready once: {earlier}");
    browser.close().await;
}

/// The widget's files this page view fetched from the deployment: (name, bytes over the
/// network), 0 bytes when the browser's cache answered.
async fn widget_downloads(browser: &Browser, deployment: &str) -> Vec<(String, u64)> {
    let entries = browser
        .script(&format!(
            "return performance.getEntriesByType('resource')
               .filter(function (e) {{ return e.name.indexOf({deployment:?}) == 0 && /\\.(js|wasm|css)$/.test(e.name) }})
               .map(function (e) {{ return [e.name.slice({len}), e.transferSize] }})",
            len = deployment.len()
        ))
        .await;
    serde_json::from_value(entries).expect("name and size pairs")
}

pub async fn a_returning_visitor_downloads_nothing_again(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    let mut views = Vec::new();
    for view in ["first", "second"] {
        browser.goto(&ctx.page(Page::Plain)).await;
        browser.click_in_widget(".launcher").await;
        browser.in_widget(".composer textarea").await;
        browser.click_in_widget(".menu").await;
        browser.in_widget(".home .new-thread").await;
        let files = eventually(20, "the widget's files and the ☰ chunk", || async {
            let files = widget_downloads(&browser, ctx.base.trim_end_matches('/')).await;
            (files.len() >= 5).then_some(files)
        })
        .await;
        let bytes: u64 = files.iter().map(|(_, size)| size).sum();
        println!("{view} page view: {bytes} B over the network for {files:?}");
        views.push(files);
    }
    let first: u64 = views[0].iter().map(|(_, size)| size).sum();
    assert!(
        first > 50_000,
        "the first view downloads the widget: {first} B"
    );
    for (name, size) in &views[1] {
        // Within its five minutes the loader comes from the cache too; after them, a
        // revalidation answers 304 with headers only.
        let most = if name.ends_with("confab.js") {
            1_000
        } else {
            0
        };
        assert!(*size <= most, "{name}: {size} B on the second view");
    }
    browser.close().await;
}

/// A French page gets the widget in French, its words sent with the site's settings: the
/// page's `lang` wins over the browser's language (the script tag's `data-lang` would win
/// over both).
pub async fn the_widget_speaks_the_pages_language(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser
        .goto(&format!("{}&lang=fr-CA", ctx.page(Page::Plain)))
        .await;
    browser.click_in_widget(".launcher").await;
    let composer = browser.in_widget(".composer textarea").await;
    assert_eq!(
        composer.attr("placeholder").await.expect("an attribute"),
        Some("Écrivez un message…".into())
    );
    assert_eq!(
        browser.texts_in_widget(".composer .send").await,
        vec!["Envoyer"]
    );
    let launcher = browser.in_widget(".launcher").await;
    assert_eq!(
        launcher.attr("aria-label").await.expect("an attribute"),
        Some("Fermer la messagerie".into())
    );
    // The browser's own language is English: the page's language decided.
    let asked = browser
        .script("return performance.getEntriesByType('resource').map(function (e) { return e.name }).filter(function (n) { return n.indexOf('/api/sites/') >= 0 })")
        .await;
    assert!(
        asked.as_array().is_some_and(|a| a
            .iter()
            .any(|n| n.as_str().is_some_and(|n| n.contains("lang=fr-CA")))),
        "the settings were asked in the page's language: {asked}"
    );
    browser.close().await;
}

/// The widget cannot speak without its words (sent with the site's settings): when they
/// cannot be fetched, the launcher stays closed and says so to assistive technology, and the
/// next click tries again and opens the thread.
pub async fn a_failed_load_is_tried_again_on_the_next_click(ctx: &Ctx) {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.cdp("Network.enable", json!({})).await;
    let block = |urls: Vec<&str>| browser.cdp("Network.setBlockedURLs", json!({ "urls": urls }));
    block(vec!["*/api/sites/*"]).await;
    browser.goto(&ctx.page(Page::Plain)).await;
    browser.click_in_widget(".launcher").await;
    let closed = || async {
        let state = browser
            .script(&format!(
                "var b = {IN_WIDGET}.querySelector('.launcher'); \
                 return [b.getAttribute('aria-expanded'), b.hasAttribute('aria-busy'), !!{IN_WIDGET}.querySelector('.panel')]"
            ))
            .await;
        (state == json!(["false", false, false])).then_some(())
    };
    eventually(20, "the failed load to leave the launcher closed", closed).await;
    block(vec![]).await;
    browser.click_in_widget(".launcher").await;
    browser.in_widget(".composer textarea").await;
    let sheets = browser
        .script(&format!(
            "return {IN_WIDGET}.querySelectorAll('link').length"
        ))
        .await;
    assert_eq!(
        sheets,
        json!(1),
        "one stylesheet, however many loads were tried"
    );
    browser.close().await;
}
