//! Proactive messages on a site owner's page of another origin, under a strict policy:
//! a rule on time on the page shows its teaser after its delay and not before, once a day
//! across reloads; a `set` cart value shows the cart rule; answering it opens a thread
//! that starts with it, which agents see named by its rule; an event rule waits while a
//! conversation is open. The rules' API refuses what is wrong and changes nothing.

use confab_protocol::{Author, Auto, ConversationId, HistoryPage};
use confab_tests::api::Api;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::{Console, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::{json, Value};

use crate::Ctx;

/// How long the pricing rule waits, in seconds.
const DELAY: u64 = 6;

fn rules() -> Value {
    json!([
        {"id": "pricing", "name": "Pricing readers", "from": "Anna",
         "when": [{"kind": "page", "pattern": "/strict*"},
                  {"kind": "time_on_page", "seconds": DELAY}],
         "message": {"en": "Questions about our prices?", "fr": "Des questions sur nos prix ?"}},
        {"id": "cart", "name": "Cart over 100",
         "when": [{"kind": "attribute", "name": "cart_value", "op": "gt", "value": "100"}],
         "message": {"en": "Free shipping on this cart: want a hand?"}},
        {"id": "failed", "name": "Checkout failed",
         "when": [{"kind": "event", "name": "checkout_failed"}],
         "message": {"en": "Your payment did not go through: we can help."}},
        {"id": "quiet", "name": "Paused", "paused": true,
         "when": [{"kind": "time_on_page", "seconds": 1}],
         "message": {"en": "You should never read this."}}
    ])
}

async fn settings(admin: &Console, site: &str) -> Value {
    admin.site(site).await["settings"].clone()
}

async fn put_settings(admin: &Console, site: &str, settings: &Value) -> confab_tests::api::Answer {
    let path = format!("/api/console/sites/{site}");
    let body = json!({"v": 1, "settings": settings});
    admin.call(reqwest::Method::PUT, &path, Some(&body)).await
}

/// The rules' figures in the site's report of the last 30 days: (shown, answered).
async fn counts(admin: &Console, site: &str, rule: &str) -> (u64, u64) {
    let report = admin
        .get(&format!("/api/console/sites/{site}/reports?days=30"))
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    let list = report.body["proactive"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.iter().find(|c| c["rule"] == rule).map_or((0, 0), |c| {
        (
            c["shown"].as_u64().unwrap(),
            c["answered"].as_u64().unwrap(),
        )
    })
}

/// The teasers the page heard of (`Confab('on', 'teaser', …)`): rule and when, in ms
/// since the page's start.
async fn heard(browser: &Browser) -> Vec<(String, f64)> {
    let heard = browser.script("return window.heardTeasers || []").await;
    heard
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|t| (t[0].as_str().unwrap().to_owned(), t[1].as_f64().unwrap()))
        .collect()
}

async fn listen_for_teasers(browser: &Browser) {
    browser
        .script(
            "window.heardTeasers = [];
             Confab('on', 'teaser', r => window.heardTeasers.push([r, performance.now()]));
             return true",
        )
        .await;
}

/// Waits until the page has been open `seconds`.
async fn page_age(browser: &Browser, seconds: u64) {
    eventually(60, "the page to age", || async {
        let now = browser.script("return performance.now()").await;
        (now.as_f64().unwrap_or(0.0) > seconds as f64 * 1000.0).then_some(())
    })
    .await;
}

async fn teaser_text(browser: &Browser) -> String {
    browser.in_widget(".teaser .teaser-open").await;
    eventually(30, "the teaser's words", || async {
        let texts = browser.texts_in_widget(".teaser .teaser-open").await;
        texts.into_iter().find(|t| !t.is_empty())
    })
    .await
}

pub async fn a_teaser_shows_in_time_once_a_day_and_opens_the_thread(ctx: &Ctx) {
    let admin = ctx.admin();
    let site = format!("pro-{}", std::process::id());
    let created = admin
        .post(
            "/api/console/sites",
            // Without away replies: the thread holds only what this test counts.
            &json!({"v": 1, "site": site,
                    "settings": {"name": "Shop", "team": "Shop team", "away_replies": false}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);

    // Wrong rules are refused by their field, and change nothing.
    let mut wrong = settings(&admin, &site).await;
    let mut bad_rules = rules();
    bad_rules[1]["when"][0]["value"] = json!("a lot");
    wrong["proactive"] = bad_rules;
    let refused = put_settings(&admin, &site, &wrong).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("settings.proactive.1.when.0.value"),
        "{}",
        refused.body
    );
    let mut twice = rules();
    twice[1]["id"] = json!("pricing");
    wrong["proactive"] = twice;
    assert_eq!(put_settings(&admin, &site, &wrong).await.status, 400);
    assert!(settings(&admin, &site).await.get("proactive").is_none());
    let mut good = settings(&admin, &site).await;
    good["proactive"] = rules();
    let saved = put_settings(&admin, &site, &good).await;
    assert_eq!(saved.status, 200, "{}", saved.body);

    // The widget gets the live rules only, in its language.
    let api = Api::new(&ctx.base);
    let header = api
        .get(&format!("/api/sites/{site}?lang=fr-CA"), None)
        .await;
    let served: Vec<(&str, &str)> = header.body["proactive"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["rule"].as_str().unwrap(), t["body"].as_str().unwrap()))
        .collect();
    assert_eq!(
        served,
        [
            ("pricing", "Des questions sur nos prix ?"),
            ("cart", "Free shipping on this cart: want a hand?"),
            ("failed", "Your payment did not go through: we can help."),
        ]
    );
    assert_eq!(header.body["proactive"][1]["from"], "Shop team");

    // Counting a teaser: only the site's rules, only from its pages.
    let shown = |rule: &str| json!({"v": 1, "rule": rule});
    let path = format!("/api/sites/{site}/proactive");
    assert_eq!(api.post(&path, None, &shown("nope")).await.status, 404);
    let bad = api.post(&path, None, &json!({"v": 1, "rule": 7})).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let foreign = reqwest::Client::new()
        .post(format!("{}{path}", ctx.base))
        .header("Origin", "https://elsewhere.example")
        .header("content-type", "application/json")
        .body(shown("pricing").to_string())
        .send()
        .await
        .expect("the runtime answers");
    assert_eq!(foreign.status(), 403);
    assert_eq!(counts(&admin, &site, "pricing").await, (0, 0));

    // On the owner's page: the pricing rule's teaser, after its delay and not before.
    let page = confab_tests::host::page_url(&ctx.host, Page::Strict, &ctx.base, &site);
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto_widget(&page).await;
    listen_for_teasers(&browser).await;
    let words = teaser_text(&browser).await;
    confab_tests::axe::assert_clean(&browser, "confab-widget", "the teaser").await;
    assert!(words.contains("Anna"), "{words}");
    assert!(words.contains("Questions about our prices?"), "{words}");
    let first = heard(&browser).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].0, "pricing");
    assert!(
        first[0].1 >= (DELAY * 1000) as f64,
        "shown at {} ms, before its {DELAY} s",
        first[0].1
    );
    // Nothing about the visitor is kept but the cap; no session was made.
    assert!(browser.saved(&site).await.is_null());
    let caps = browser
        .script(&format!(
            "return localStorage.getItem('confab:{site}:teasers')"
        ))
        .await;
    assert!(caps.as_str().unwrap().starts_with("pricing:"), "{caps}");
    eventually(30, "the teaser counted", || async {
        (counts(&admin, &site, "pricing").await == (1, 0)).then_some(())
    })
    .await;
    // Dismissed, it goes.
    browser.click_in_widget(".teaser .teaser-close").await;
    eventually(10, "the teaser gone", || async {
        browser
            .texts_in_widget(".teaser")
            .await
            .is_empty()
            .then_some(())
    })
    .await;

    // Reloaded: the pricing rule is capped for the day. A cart of 50 is no cart of 100;
    // one of 150 shows the cart rule (which the pricing rule, listed first, would have
    // taken had its cap not held).
    browser.goto_widget(&page).await;
    listen_for_teasers(&browser).await;
    browser
        .script("Confab('set', {cart_value: 50}); return true")
        .await;
    page_age(&browser, DELAY + 3).await;
    assert!(heard(&browser).await.is_empty(), "capped, and 50 < 100");
    assert!(browser.texts_in_widget(".teaser").await.is_empty());
    browser
        .script("Confab('set', {cart_value: 150}); return true")
        .await;
    let words = teaser_text(&browser).await;
    assert!(words.contains("Free shipping on this cart"), "{words}");
    assert!(words.contains("Shop team"), "{words}");
    let now = heard(&browser).await;
    assert_eq!(
        now.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(),
        ["cart"]
    );

    // Answered: the thread opens with the rule's message, then the visitor's.
    browser.click_in_widget(".teaser .teaser-open").await;
    browser
        .wait_for_text_in_widget(".message.from-team .body", "Free shipping on this cart")
        .await;
    browser.write("Does it ship to Lyon?").await;
    browser.committed_message("Does it ship to Lyon?").await;
    browser
        .wait_for_text_in_widget(".message.from-team[data-seq='1'] .body", "Free shipping")
        .await;
    let saved = browser.saved(&site).await;
    let id = ConversationId::parse(saved["conversation_id"].as_str().unwrap()).unwrap();
    let history: HistoryPage = admin
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json();
    let said: Vec<(u64, Author, Option<Auto>, &str)> = history
        .messages
        .iter()
        .map(|m| (m.seq, m.author, m.auto, m.body.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                1,
                Author::System,
                Some(Auto::Proactive),
                "Free shipping on this cart: want a hand?"
            ),
            (2, Author::Visitor, None, "Does it ship to Lyon?"),
        ]
    );
    // Agents see which rule started it; the report counts it answered.
    let detail = eventually(30, "the inbox's row", || async {
        let path = format!("/api/console/sites/{site}/conversations/{id}");
        let answer = admin.get(&path).await;
        (answer.status == 200 && !answer.body["conversation"]["proactive"].is_null())
            .then_some(answer.body)
    })
    .await;
    assert_eq!(
        detail["conversation"]["proactive"],
        json!({"rule": "cart", "name": "Cart over 100"})
    );
    assert_eq!(
        detail["conversation"]["preview"], "Does it ship to Lyon?",
        "the preview stays on what a person wrote"
    );
    eventually(30, "the cart rule counted", || async {
        (counts(&admin, &site, "cart").await == (1, 1)).then_some(())
    })
    .await;

    // While the conversation is open, the event rule waits; resolved, it speaks.
    browser.goto_widget(&page).await;
    listen_for_teasers(&browser).await;
    browser
        .script("Confab('event', 'checkout_failed'); return true")
        .await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(heard(&browser).await.is_empty(), "a conversation is open");
    let status = format!("/api/console/sites/{site}/conversations/{id}/status");
    let resolved = admin
        .post(&status, &json!({"v": 1, "status": "resolved"}))
        .await;
    assert_eq!(resolved.status, 200, "{}", resolved.body);
    // The rating's question reaches the closed widget live: the thread is settled.
    let words = teaser_text(&browser).await;
    assert!(words.contains("Your payment did not go through"), "{words}");

    // A thread opened naming a rule the site does not have opens without it.
    let session = api.new_session_from(Some("10.23.0.1"), &site).await;
    let token = session.body["token"].as_str().unwrap().to_owned();
    let opened = api
        .post(
            "/api/conversations",
            Some(&token),
            &json!({"v": 1, "client_id": "pro-unknown", "body": "Hello",
                    "proactive": {"rule": "invented", "lang": "en"}}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    assert_eq!(opened.body["message"]["seq"], 1, "{}", opened.body);
    let odd = api
        .post(
            "/api/conversations",
            Some(&token),
            &json!({"v": 1, "client_id": "pro-odd", "body": "Hello", "proactive": "cart"}),
        )
        .await;
    assert_eq!(odd.status, 400, "{}", odd.body);
    browser.close().await;
}

async fn retype(browser: &Browser, css: &str, text: &str) {
    let field = browser.find(css).await;
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

/// The site's rules as stored.
async fn stored_rules(admin: &Console, site: &str) -> Value {
    settings(admin, site).await["proactive"].clone()
}

pub async fn an_admin_writes_pauses_and_deletes_a_rule_in_the_console(ctx: &Ctx) {
    let admin = ctx.admin();
    let site = format!("rules-{}", std::process::id());
    let created = admin
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site, "settings": {"name": "Rules", "team": "Rules team"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    browser.open_site_settings(&ctx.demo, &site).await;
    let block = format!("details.site[data-site={site}]");
    browser
        .wait_for_text(&format!("{block} .proactive .rules"), "No rules yet.")
        .await;

    // A new rule: about to leave after 20 s on the page, from Anna, in English and French.
    browser.click(&format!("{block} .new-rule")).await;
    let form = format!("{block} .rule-form");
    browser
        .type_into(&format!("{form} input[name=name]"), "Leaving the cart")
        .await;
    browser
        .type_into(&format!("{form} input[name=from]"), "Anna")
        .await;
    retype(&browser, &format!("{form} input[name=value-0]"), "20").await;
    browser.click(&format!("{form} .add-condition")).await;
    browser
        .click(&format!(
            "{form} select[name=kind-1] option[value=exit_intent]"
        ))
        .await;
    assert!(
        !browser
            .find(&format!("{form} input[name=value-1]"))
            .await
            .is_displayed()
            .await
            .unwrap(),
        "an exit needs no value"
    );
    browser
        .type_into(
            &format!("{form} textarea[name=message-en]"),
            "Before you go: questions?",
        )
        .await;
    browser
        .type_into(
            &format!("{form} textarea[name=message-fr]"),
            "Avant de partir : des questions ?",
        )
        .await;
    confab_tests::axe::assert_clean(&browser, "document", "the rule form").await;
    browser.click(&format!("{form} .save-rule")).await;
    let rule = format!("{block} li.rule[data-rule=leaving-the-cart]");
    browser.wait_for_text(&rule, "Leaving the cart").await;
    browser.wait_for_text(&rule, "Shown 0 · answered 0").await;
    assert_eq!(
        stored_rules(&admin, &site).await,
        json!([{"id": "leaving-the-cart", "name": "Leaving the cart", "from": "Anna",
                "when": [{"kind": "time_on_page", "seconds": 20}, {"kind": "exit_intent"}],
                "message": {"en": "Before you go: questions?",
                            "fr": "Avant de partir : des questions ?"}}])
    );

    // Paused, it stays, and the widget no longer gets it.
    browser.click(&format!("{rule} .pause-rule")).await;
    browser.wait_for_text(&rule, "Paused").await;
    assert_eq!(stored_rules(&admin, &site).await[0]["paused"], true);
    let header = Api::new(&ctx.base)
        .get(&format!("/api/sites/{site}?lang=en"), None)
        .await;
    assert!(header.body.get("proactive").is_none(), "{}", header.body);

    // A wrong value is refused by its field, and changes nothing.
    let before = stored_rules(&admin, &site).await;
    browser.click(&format!("{rule} .edit-rule")).await;
    retype(&browser, &format!("{form} input[name=value-0]"), "0").await;
    browser.click(&format!("{form} .save-rule")).await;
    browser
        .wait_for_text(&format!("{block} .proactive .error"), "when.0.seconds")
        .await;
    assert_eq!(stored_rules(&admin, &site).await, before);
    // Renamed, it keeps its id; resumed, it is live again.
    retype(&browser, &format!("{form} input[name=value-0]"), "25").await;
    retype(&browser, &format!("{form} input[name=name]"), "Leaving").await;
    browser.click(&format!("{form} .save-rule")).await;
    eventually(30, "the rule renamed", || async {
        let texts = browser.texts(&rule).await;
        texts
            .first()
            .is_some_and(|t| t.contains("Leaving") && !t.contains("the cart"))
            .then_some(())
    })
    .await;
    browser.click(&format!("{rule} .pause-rule")).await;
    browser.wait_for_text(&rule, "Live").await;
    let rules = stored_rules(&admin, &site).await;
    assert_eq!(rules[0]["name"], "Leaving");
    assert_eq!(rules[0]["when"][0]["seconds"], 25);
    assert!(rules[0].get("paused").is_none(), "{rules}");

    // Deleted, it is gone.
    browser.click(&format!("{rule} .delete-rule")).await;
    browser
        .wait_for_text(&format!("{block} .proactive .rules"), "No rules yet.")
        .await;
    assert!(stored_rules(&admin, &site).await.is_null());
    browser.close().await;
}
