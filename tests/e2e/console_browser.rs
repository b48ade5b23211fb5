//! The console in Chromium: two agents and a visitor, three separate profiles.

use confab_protocol::console::{InboxRow, Status};
use confab_protocol::ConversationId;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::{DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;

use confab_tests::host::Page;
use serde_json::json;

use crate::Ctx;

const PASSWORD: &str = "correct horse battery";

/// A browser signed in to the console through its form, showing all conversations.
async fn console_for(ctx: &Ctx, email: &str) -> Browser {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.sign_in_to_console(&ctx.demo, email, PASSWORD).await;
    browser.click("[data-view=\"all\"]").await;
    browser
}

async fn row(ctx: &Ctx, id: &ConversationId) -> Option<InboxRow> {
    let answer = ctx
        .admin()
        .get(&format!("/api/console/sites/demo/conversations/{id}"))
        .await;
    (answer.status == 200)
        .then(|| serde_json::from_value(answer.body["conversation"].clone()).unwrap())
}

pub async fn two_agents_and_a_visitor_share_a_conversation(ctx: &Ctx) {
    let admin = ctx.admin();
    let anna = admin.new_agent("anna@example.com", "Anna", PASSWORD).await;
    admin.new_agent("ben@example.com", "Ben", PASSWORD).await;
    let agent_a = console_for(ctx, "anna@example.com").await;
    // Ben allowed notifications when the console asked.
    let agent_b = Browser::open(&ctx.driver, Device::Desktop).await;
    agent_b.record_notifications().await;
    agent_b.allow(ctx.demo_origin(), "notifications").await;
    agent_b
        .sign_in_to_console(&ctx.demo, "ben@example.com", PASSWORD)
        .await;
    agent_b.click("[data-view=\"all\"]").await;

    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor.record_received().await;
    visitor.goto(&ctx.page(Page::Plain)).await;
    let question = "My order 9911 has not arrived";
    visitor.open_and_send(question).await;
    let saved = visitor.saved("demo").await;
    let id = ConversationId::parse(saved["conversation_id"].as_str().unwrap()).unwrap();
    let item = format!("[data-conversation=\"{id}\"]");

    // Both agents see it appear in their list, live.
    for agent in [&agent_a, &agent_b] {
        agent
            .wait_for_text(&format!("{item} .preview"), question)
            .await;
    }
    agent_a.click(&item).await;
    agent_b.click(&item).await;
    agent_a
        .wait_for_text("[data-seq=\"1\"] .body", question)
        .await;

    // Anna takes it: Ben's list shows her as the assignee.
    agent_a.click("#assign-me").await;
    agent_b
        .wait_for_text(&format!("{item} .assignee"), "Anna")
        .await;
    eventually(30, "Anna assigned", || async {
        row(ctx, &id)
            .await
            .filter(|r| r.assignee.as_ref() == Some(&anna.agent.id))
    })
    .await;

    // Anna replies: Ben and the visitor see it live.
    let answer = "Sorry about that! It ships today.";
    agent_a.type_into("#composer", answer).await;
    agent_a.click("#send").await;
    agent_b.wait_for_text("[data-seq] .body", answer).await;
    visitor.committed_message(answer).await;

    // An internal note reaches Ben, never the visitor.
    let note = "Courier lost it, refund shipping";
    agent_a.click("#mode-note").await;
    agent_a.type_into("#composer", note).await;
    agent_a.click("#send").await;
    agent_b.wait_for_text(".note .body", note).await;
    agent_a.click("#mode-reply").await;
    let after = "You will get a tracking link.";
    agent_a.type_into("#composer", after).await;
    agent_a.click("#send").await;
    visitor.committed_message(after).await;
    let shown = visitor.texts_in_widget(".message .body").await;
    assert!(!shown.iter().any(|t| t.contains("Courier")), "{shown:?}");
    let received = visitor.received().await;
    assert!(
        received.iter().any(|r| r.contains(after)),
        "the recorder saw the replies"
    );
    assert!(
        !received.iter().any(|r| r.contains("Courier")),
        "no frame or response carried the note"
    );

    // Ben goes to another tab: his console is hidden behind it.
    let console_tab = agent_b.client.window().await.expect("Ben's tab");
    let other = agent_b.client.new_window(true).await.expect("a new tab");
    agent_b
        .client
        .switch_to_window(other.handle)
        .await
        .expect("the new tab in front");

    // Resolved, then the visitor writes again: open again, for both agents.
    agent_a.click("#resolve").await;
    eventually(30, "resolved", || async {
        row(ctx, &id).await.filter(|r| r.status == Status::Resolved)
    })
    .await;
    visitor
        .write("One more thing: can I change the address?")
        .await;
    visitor
        .committed_message("One more thing: can I change the address?")
        .await;
    eventually(30, "reopened", || async {
        row(ctx, &id).await.filter(|r| r.status == Status::Open)
    })
    .await;
    agent_a.wait_for_text("#status", "pen").await;

    // Back on the console, Ben finds the message, and the notification it raised meanwhile.
    agent_b
        .client
        .switch_to_window(console_tab)
        .await
        .expect("Ben's console in front");
    agent_b
        .wait_for_text("[data-seq] .body", "change the address")
        .await;
    let notified = agent_b.notifications().await;
    assert!(
        notified.iter().any(|n| n["body"]
            .as_str()
            .unwrap_or("")
            .contains("change the address")
            && n["tag"] == format!("#/c/demo/{id}")),
        "a notification while the console was hidden: {notified:?}"
    );

    for browser in [agent_a, agent_b, visitor] {
        browser.close().await;
    }
}

/// The outlet site's ladder, as the API gives it.
async fn outlet_reach(ctx: &Ctx) -> serde_json::Value {
    let answer = ctx.admin().get("/api/console/sites/outlet/reach").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

/// Replaces what the field `css` holds with `text`.
async fn retype(browser: &Browser, css: &str, text: &str) {
    let field = browser.find(css).await;
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

pub async fn an_admin_sets_how_visitors_who_left_are_reached(ctx: &Ctx) {
    let admin = Browser::open(&ctx.driver, Device::Desktop).await;
    admin
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    admin.open_site_settings(&ctx.demo, "outlet").await;
    const FORM: &str = "form.reach:has(#reach-outlet-push)";
    let save = format!("{FORM} button[type=submit]");

    // The outlet site still has the defaults: push after 1 minute, email after 10.
    let value = |css: &'static str| {
        let admin = &admin;
        async move {
            admin
                .find(css)
                .await
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    eventually(30, "the settings loaded", || async {
        (value("#reach-outlet-email-after").await == "10").then_some(())
    })
    .await;
    assert_eq!(value("#reach-outlet-push-after").await, "1");
    assert_eq!(value("#reach-outlet-email-gap").await, "60");

    // No push; email after 2 minutes, at most every half hour.
    admin.click("#reach-outlet-push").await;
    retype(&admin, "#reach-outlet-email-after", "2").await;
    retype(&admin, "#reach-outlet-email-gap", "30").await;
    admin.click(&save).await;
    admin
        .wait_for_text(&format!("{FORM} .saved"), "Saved")
        .await;
    let saved = outlet_reach(ctx).await;
    assert_eq!(saved["push"], false, "{saved}");
    assert_eq!(saved["email"], true, "{saved}");
    assert_eq!(saved["email_after_seconds"], 120, "{saved}");
    assert_eq!(saved["email_gap_seconds"], 1800, "{saved}");

    // More than a week is refused in the form and changes nothing.
    retype(&admin, "#reach-outlet-email-after", "20000").await;
    admin.click(&save).await;
    admin
        .wait_for_text(&format!("{FORM} .error"), "at most 7 days")
        .await;
    assert_eq!(outlet_reach(ctx).await, saved);

    // A reload shows what is stored.
    admin.client.refresh().await.expect("reload");
    eventually(30, "the stored settings", || async {
        (value("#reach-outlet-email-after").await == "2").then_some(())
    })
    .await;
    assert_eq!(value("#reach-outlet-email-gap").await, "30");
    let push_on = admin
        .find("#reach-outlet-push")
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(push_on.as_deref(), Some("false"));
    admin.close().await;
}

pub async fn an_agent_works_the_inbox_from_a_phone(ctx: &Ctx) {
    let mut visitor = confab_tests::account::Device::new(&ctx.base, confab_tests::account::PHONE);
    let id = visitor
        .open_thread("phone-agent-1", "Is the shop open on Sunday?")
        .await;
    let id = ConversationId::parse(&id).unwrap();
    let agent = Browser::open(&ctx.driver, Device::Phone).await;
    agent
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    let shown = |css: &'static str| {
        let agent = &agent;
        async move { agent.find(css).await.is_displayed().await.unwrap_or(false) }
    };
    // The sidebar is folded away; the list has the screen.
    assert!(!shown("#sidebar").await, "the sidebar is folded away");
    agent.click(".menu-toggle").await;
    assert!(shown("#sidebar").await, "Menu shows the sidebar");
    agent.click("[data-view=\"all\"]").await;
    assert!(!shown("#sidebar").await, "choosing a view folds it again");
    let item = format!("[data-conversation=\"{id}\"]");
    agent.click(&item).await;
    agent.find("#composer").await;
    assert!(shown("#composer").await, "the conversation has the screen");
    assert!(!shown(".list").await, "the list makes way");
    let answer = "Yes, from 10 to 4.";
    agent.type_into("#composer", answer).await;
    agent.click("#send").await;
    eventually(20, "the reply to reach the visitor", || async {
        let answer_seen = visitor
            .get(&format!("/api/conversations/{id}/messages"))
            .await;
        answer_seen.body.to_string().contains(answer).then_some(())
    })
    .await;
    agent.click(".back").await;
    eventually(10, "back to the list", || async {
        shown(".list").await.then_some(())
    })
    .await;
    agent.close().await;
}

/// The team page is a chunk of its own, fetched when first opened (or on idle before): a
/// chunk that cannot load says so with a button that tries again, and the inbox goes on.
pub async fn a_page_whose_chunk_cannot_load_offers_to_try_again(ctx: &Ctx) {
    let admin = Browser::open(&ctx.driver, Device::Desktop).await;
    admin.cdp("Network.enable", json!({})).await;
    let block = |urls: Vec<&str>| admin.cdp("Network.setBlockedURLs", json!({ "urls": urls }));
    block(vec!["*split_team_page.*"]).await;
    admin
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    admin.goto(&format!("{}console/#/team", ctx.demo)).await;
    admin
        .wait_for_text("p.error[role=alert]", "could not load")
        .await;
    // The rest of the console still works: the inbox is one click away.
    admin.click("a[href='#/']").await;
    admin.find("section.list .rows").await;
    // Still blocked, the page says so again; with the network back, "Try again" brings it.
    admin.click("a[href='#/team']").await;
    admin
        .wait_for_text("p.error[role=alert]", "could not load")
        .await;
    block(vec![]).await;
    admin.click("p.error[role=alert] button").await;
    admin.find("#invite-email").await;
    admin.close().await;
}

/// The console speaks the agent's language: its words are data, one file per language
/// (www/console/texts), fetched for the browser's language only; English otherwise.
pub async fn the_console_speaks_the_agents_language(ctx: &Ctx) {
    let agent = Browser::open(&ctx.driver, Device::Desktop).await;
    // A browser set to French: its `navigator.language` and the language it asks pages for.
    agent.goto(&format!("{}console/", ctx.demo)).await;
    let user_agent = agent.script("return navigator.userAgent").await;
    agent
        .cdp(
            "Network.setUserAgentOverride",
            json!({ "userAgent": user_agent, "acceptLanguage": "fr-FR" }),
        )
        .await;
    agent.goto(&format!("{}console/?fr", ctx.demo)).await;
    assert_eq!(
        agent.script("return navigator.language").await,
        json!("fr-FR")
    );
    agent.wait_for_text("#login", "Se connecter").await;
    assert_eq!(
        agent.texts("label[for=password]").await,
        vec!["Mot de passe"]
    );
    assert_eq!(
        agent.script("return document.documentElement.lang").await,
        json!("fr")
    );
    agent.type_into("#email", DEV_ADMIN_EMAIL).await;
    agent.type_into("#password", DEV_ADMIN_PASSWORD).await;
    agent.click("#login").await;
    agent.wait_for_text("#logout", "Se déconnecter").await;
    agent.wait_for_text("section.list", "").await;
    let fetched = agent
        .script("return performance.getEntriesByType('resource').map(function (e) { return e.name }).filter(function (n) { return n.indexOf('/texts/') >= 0 })")
        .await;
    assert!(
        fetched.as_array().is_some_and(|f| f.len() == 1
            && f[0]
                .as_str()
                .is_some_and(|n| n.ends_with("/console/texts/fr.json"))),
        "one language's words, French: {fetched}"
    );
    agent.close().await;
}

/// An admin writes a French welcome for the outlet site in the team page's words form: the
/// French default shows as the field's placeholder until then, and the text is saved.
pub async fn an_admin_writes_what_a_site_says_in_a_language(ctx: &Ctx) {
    let admin = Browser::open(&ctx.driver, Device::Desktop).await;
    admin
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    admin.open_site_settings(&ctx.demo, "outlet").await;
    admin.find("#words-outlet-lang option[value=fr]").await;
    admin
        .script(
            "var s = document.querySelector('#words-outlet-lang'); s.value = 'fr'; \
             s.dispatchEvent(new Event('change')); return true",
        )
        .await;
    let french = confab_tests::widget_texts("fr");
    eventually(10, "the French default as placeholder", || async {
        let field = admin.find("#words-outlet-welcome").await;
        let placeholder = field.attr("placeholder").await.ok().flatten();
        (placeholder.as_deref() == french["greeting"].as_str()).then_some(())
    })
    .await;
    let welcome = "Bienvenue au magasin d'usine !";
    retype(&admin, "#words-outlet-welcome", welcome).await;
    admin
        .click("form.words:has(#words-outlet-lang) button[type=submit]")
        .await;
    admin
        .wait_for_text("form.words:has(#words-outlet-lang) .saved", "Saved")
        .await;
    let path = "/api/console/sites/outlet/words";
    let saved = ctx.admin().get(path).await;
    assert_eq!(
        saved.body["words"]["fr"]["welcome"], welcome,
        "{}",
        saved.body
    );
    let cleared = ctx
        .admin()
        .call(
            reqwest::Method::PUT,
            path,
            Some(&json!({"v": 1, "words": {}})),
        )
        .await;
    assert_eq!(cleared.status, 200);
    admin.close().await;
}
