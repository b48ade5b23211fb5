//! Accessibility, measured: axe-core's WCAG 2.1 A/AA rules over every screen of the
//! widget and the console, in light and dark, on a desktop and a phone; and what a
//! keyboard or screen reader user meets.

use confab_protocol::ConversationId;
use confab_tests::axe::assert_clean;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::{DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::json;

use crate::Ctx;

const WIDGET: &str = "confab-widget";

/// Light or dark, as the visitor's system asks.
async fn color_scheme(browser: &Browser, scheme: &str) {
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
}

pub async fn every_widget_screen_passes_axe(ctx: &Ctx) {
    for (device, scheme) in [(Device::Desktop, "light"), (Device::Phone, "dark")] {
        let visitor = Browser::open(&ctx.driver, device).await;
        color_scheme(&visitor, scheme).await;
        visitor.goto(&ctx.page(Page::Plain)).await;
        let screen = |name: &str| format!("widget, {device:?}, {scheme}: {name}");
        visitor
            .in_widget(".launcher:not([data-confab-loader])")
            .await;
        assert_clean(&visitor, WIDGET, &screen("launcher")).await;

        visitor.open_and_send("Do the boots come in size 46?").await;
        let saved = visitor.saved("demo").await;
        let id = ConversationId::parse(saved["conversation_id"].as_str().unwrap()).unwrap();
        let reply = "They do, see https://example.com/boots";
        ctx.admin().reply(&id, "axe-1", reply).await;
        visitor
            .wait_for_text_in_widget(".message.from-team .body", "They do")
            .await;
        assert_clean(&visitor, WIDGET, &screen("thread")).await;
        // Said once: one live region holds the reply, and the list itself is not live.
        let live_with = |part: &str| {
            format!(
                "return Array.from({IN_WIDGET}.querySelectorAll('[aria-live], [role=log], [role=status]'))\
                 .filter(function (e) {{ return e.textContent.indexOf({part:?}) >= 0 }}).length"
            )
        };
        assert_eq!(
            visitor.script(&live_with("They do")).await,
            1,
            "{}",
            screen("live")
        );
        ctx.admin().reply(&id, "axe-2", "Anything else?").await;
        visitor
            .wait_for_text_in_widget(".message.from-team .body", "Anything else?")
            .await;
        eventually(10, "the second reply to be said", || async {
            (visitor.script(&live_with("Anything else?")).await == 1).then_some(())
        })
        .await;
        assert_eq!(
            visitor.script(&live_with("They do")).await,
            0,
            "said once, then replaced"
        );

        visitor.click_in_widget(".menu").await;
        visitor.in_widget(".home .new-thread").await;
        assert_clean(&visitor, WIDGET, &screen("☰ threads and devices")).await;
        visitor.click_in_widget("[data-do=\"code\"]").await;
        visitor.in_widget(".resume .code").await;
        assert_clean(&visitor, WIDGET, &screen("☰ resume code")).await;
        visitor.close().await;
    }
}

pub async fn every_console_screen_passes_axe(ctx: &Ctx) {
    // A conversation to look at.
    let mut visitor = confab_tests::account::Device::new(&ctx.base, confab_tests::account::DESKTOP);
    let answer = visitor
        .sign_in("/api/sessions", &json!({"v": 1, "site": "demo"}))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let opened = visitor
        .post(
            "/api/conversations",
            &json!({"v": 1, "client_id": "axe-console", "body": "Where is my parcel?",
                    "context": {"page": "http://localhost:4000/orders", "lang": "en-GB", "time_zone": "Europe/London",
                                "attributes": {"plan": "Pro", "cart_value": 120}}}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let id = opened.body["conversation_id"].as_str().unwrap().to_owned();

    for (device, scheme) in [(Device::Desktop, "light"), (Device::Phone, "dark")] {
        let agent = Browser::open(&ctx.driver, device).await;
        color_scheme(&agent, scheme).await;
        let screen = |name: &str| format!("console, {device:?}, {scheme}: {name}");
        // An invited agent's first screen: choosing a password.
        let (_, token) = ctx
            .admin()
            .invite(&format!("axe-{scheme}@example.com"), "Axe")
            .await;
        agent
            .goto(&format!("{}console/#invite={token}", ctx.demo))
            .await;
        agent.find("input[type=password]").await;
        assert_clean(&agent, "document", &screen("invitation")).await;
        agent.goto(&format!("{}console/", ctx.demo)).await;
        agent.client.refresh().await.expect("reload");
        agent.find("#email").await;
        assert_clean(&agent, "document", &screen("sign-in")).await;
        agent
            .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
            .await;
        if matches!(device, Device::Phone) {
            agent.click(".menu-toggle").await;
            assert_clean(&agent, "document", &screen("menu")).await;
        }
        agent.click("[data-view=\"all\"]").await;
        agent.find(&format!("[data-conversation=\"{id}\"]")).await;
        assert_clean(&agent, "document", &screen("inbox")).await;
        agent
            .goto(&format!("{}console/#/c/demo/{id}", ctx.demo))
            .await;
        agent
            .wait_for_text(".context", "localhost:4000/orders")
            .await;
        assert_clean(&agent, "document", &screen("conversation")).await;
        agent.goto(&format!("{}console/#/canned", ctx.demo)).await;
        agent.find(".page.canned").await;
        assert_clean(&agent, "document", &screen("canned replies")).await;
        agent.goto(&format!("{}console/#/reports", ctx.demo)).await;
        agent.find(".page.reports .figures").await;
        agent.click(".page.reports details summary").await;
        assert_clean(&agent, "document", &screen("reports")).await;
        agent.goto(&format!("{}console/#/team", ctx.demo)).await;
        agent.find(".page.team").await;
        assert_clean(&agent, "document", &screen("team and settings")).await;
        // A site opened: its settings, look and preview, script tag, hours, words, reach.
        agent.open_site_settings(&ctx.demo, "demo").await;
        agent.find("details[data-site=demo] .look-preview").await;
        agent.find("#words-demo-lang option").await;
        assert_clean(&agent, "document", &screen("a site's settings")).await;
        agent.close().await;
    }
}

/// Waits until the element focused (inside the widget's shadow root, or on the page)
/// matches `css`.
async fn focus_is_on(browser: &Browser, css: &str) {
    let script = format!(
        "var a = document.activeElement; \
         if (a && a.shadowRoot) a = a.shadowRoot.activeElement; \
         return !!a && a.matches({css:?})"
    );
    eventually(10, &format!("focus on {css}"), || async {
        (browser.script(&script).await == true).then_some(())
    })
    .await;
}

/// Presses `keys` as a person does, on whatever has focus: each key down then up, the
/// ones in `held` (such as Shift) held down around them.
async fn press_with(browser: &Browser, held: &[char], keys: &str) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".to_owned());
    for &value in held {
        actions = actions.then(KeyAction::Down { value });
    }
    for value in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    for &value in held {
        actions = actions.then(KeyAction::Up { value });
    }
    browser
        .client
        .perform_actions(actions)
        .await
        .expect("keys pressed");
}

async fn press(browser: &Browser, keys: &str) {
    press_with(browser, &[], keys).await;
}

pub async fn the_keyboard_alone_opens_writes_sends_and_closes(ctx: &Ctx) {
    use fantoccini::key::Key;
    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor.goto(&ctx.page(Page::Plain)).await;
    visitor
        .in_widget(".launcher:not([data-confab-loader])")
        .await;
    // Tab goes through the page's own link, then reaches the launcher.
    press(&visitor, &Key::Tab.to_string()).await;
    focus_is_on(&visitor, "#help").await;
    press(&visitor, &Key::Tab.to_string()).await;
    focus_is_on(&visitor, ".launcher").await;
    press(&visitor, &Key::Enter.to_string()).await;
    focus_is_on(&visitor, ".composer textarea").await;
    press(&visitor, "Sent without a mouse").await;
    press(&visitor, &Key::Enter.to_string()).await;
    visitor.committed_message("Sent without a mouse").await;
    // Back to the header's ☰ with Shift+Tab, through the thread's controls.
    eventually(10, "Shift+Tab to reach ☰", || async {
        press_with(&visitor, &[Key::Shift.into()], &Key::Tab.to_string()).await;
        let on_menu = visitor
            .script(
                "var a = document.activeElement.shadowRoot.activeElement; \
                 return !!a && a.matches('.menu')",
            )
            .await;
        (on_menu == true).then_some(())
    })
    .await;
    press(&visitor, &Key::Enter.to_string()).await;
    visitor.in_widget(".home").await;
    press(&visitor, &Key::Escape.to_string()).await;
    eventually(10, "Escape to close the panel", || async {
        let open = visitor
            .script(&format!("return !!{IN_WIDGET}.querySelector('.panel')"))
            .await;
        (open == false).then_some(())
    })
    .await;
    focus_is_on(&visitor, ".launcher").await;
    visitor.close().await;
}

pub async fn on_a_phone_focus_stays_in_the_panel_and_returns_to_the_launcher(ctx: &Ctx) {
    use fantoccini::key::Key;
    let visitor = Browser::open(&ctx.driver, Device::Phone).await;
    visitor.goto(&ctx.page(Page::Plain)).await;
    visitor
        .in_widget(".launcher:not([data-confab-loader])")
        .await;
    visitor.click_in_widget(".launcher").await;
    focus_is_on(&visitor, ".composer textarea").await;
    let page_inert = "return document.body.inert";
    assert_eq!(
        visitor.script(page_inert).await,
        true,
        "the page behind is out of reach"
    );
    for step in 0..12 {
        press(&visitor, &Key::Tab.to_string()).await;
        let inside = visitor
            .script("var a = document.activeElement; return a == document.querySelector('confab-widget') || a == document.body || a.outerHTML.slice(0, 80)")
            .await;
        // In the panel, or passing through the browser's own controls; never the page's link.
        assert_eq!(inside, true, "Tab {step} stays in the panel");
    }
    visitor.click_in_widget(".close").await;
    focus_is_on(&visitor, ".launcher").await;
    assert_eq!(
        visitor.script(page_inert).await,
        false,
        "the page is itself again"
    );
    visitor.close().await;
}

const IN_WIDGET: &str = "document.querySelector('confab-widget').shadowRoot";
