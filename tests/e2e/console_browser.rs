//! The console in Chromium: two agents and a visitor, three separate profiles.

use confab_protocol::console::{InboxRow, Status};
use confab_protocol::ConversationId;
use confab_tests::browser::{Browser, Device};
use confab_tests::eventually;

use crate::Ctx;

const PASSWORD: &str = "correct horse battery";

/// A browser signed in to the console through its form.
async fn console_for(ctx: &Ctx, email: &str) -> Browser {
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto(&format!("{}console/", ctx.demo)).await;
    browser.type_into("#email", email).await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("#login").await;
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
    let agent_b = console_for(ctx, "ben@example.com").await;

    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor.record_received().await;
    visitor.goto(&ctx.demo).await;
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

    // Ben's tab goes to the background (notifications allowed): a visitor message now
    // raises a desktop notification there.
    agent_b
        .script(
            "Object.defineProperty(document, 'hidden', { get: () => true, configurable: true });
             window.__notified = [];
             window.Notification = function (title, options) {
               window.__notified.push(title + ': ' + (options && options.body));
             };
             window.Notification.permission = 'granted';
             return true",
        )
        .await;

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
    agent_b
        .wait_for_text("[data-seq] .body", "change the address")
        .await;
    agent_a.wait_for_text("#status", "pen").await;
    let notified = agent_b.script("return window.__notified").await;
    assert!(
        notified.to_string().contains("change the address"),
        "a notification in the hidden tab: {notified}"
    );

    for browser in [agent_a, agent_b, visitor] {
        browser.close().await;
    }
}
