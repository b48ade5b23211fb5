//! Away replies: a visitor who writes at night hears back at once, once per absence, in
//! their language, with when the team is back; a visitor the team cannot tell of its
//! answer is asked how, in the widget, on a site owner's page under a strict policy.

use confab_protocol::{Auto, ConversationId, HistoryPage, Message, NewSessionResponse};
use confab_tests::api::Api;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::Console;
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::json;

use crate::Ctx;

/// A site of its own, closed now: open tomorrow 9:00 to 10:00 UTC only.
async fn closed_site(admin: &Console, site: &str) {
    let created = admin
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site, "settings": {"name": "Night", "team": "Night team"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let mut days = vec![serde_json::Value::Null; 7];
    days[confab_tests::weekday_in_utc(1)] = json!({"open": 540, "close": 600});
    let hours = json!({"v": 1, "hours": {"time_zone": "UTC", "days": days}});
    let path = format!("/api/console/sites/{site}/hours");
    let set = admin.call(reqwest::Method::PUT, &path, Some(&hours)).await;
    assert_eq!(set.status, 200, "{}", set.body);
}

async fn history(admin: &Console, id: &ConversationId) -> Vec<Message> {
    let page: HistoryPage = admin
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json();
    page.messages
}

/// The thread's automatic messages: their `seq` and kind.
async fn autos(admin: &Console, id: &ConversationId) -> Vec<(u64, Auto)> {
    history(admin, id)
        .await
        .into_iter()
        .filter_map(|m| Some((m.seq, m.auto?)))
        .collect()
}

/// Waits for the thread to hold `count` automatic messages, and gives them.
async fn autos_once(admin: &Console, id: &ConversationId, count: usize) -> Vec<(u64, Auto)> {
    let found = eventually(30, "the away replies", || async {
        let found = autos(admin, id).await;
        (found.len() >= count).then_some(found)
    })
    .await;
    // A second reply would follow the first within moments: it must not come.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(autos(admin, id).await, found, "one away reply per absence");
    found
}

pub async fn a_message_at_night_gets_the_away_reply_once(ctx: &Ctx) {
    let admin = ctx.admin();
    let site = format!("night-{}", std::process::id());
    closed_site(&admin, &site).await;

    // In the widget, on the owner's page: the reply says when the team is back, and asks
    // how to tell the visitor, who has given no address and has no push.
    let page = confab_tests::host::page_url(&ctx.host, Page::Strict, &ctx.base, &site);
    let browser = Browser::open(&ctx.driver, Device::Desktop).await;
    browser.goto_widget(&page).await;
    browser.open_and_send("Are you there?").await;
    browser
        .wait_for_text_in_widget(".message.from-team .body", "We are back")
        .await;
    let reply = browser.texts_in_widget(".message.from-team .body").await;
    assert!(
        reply
            .iter()
            .any(|r| r.starts_with("Thanks for your message! Nobody from the team is here")),
        "{reply:?}"
    );
    browser
        .wait_for_text_in_widget(".ask p", "Want to hear when we answer?")
        .await;
    let input = browser.in_widget(".ask input[type=email]").await;
    input
        .send_keys("night.owl@example.com")
        .await
        .expect("type");
    browser.click_in_widget(".ask form button").await;
    browser
        .wait_for_text_in_widget(".ask .note", "Sent: check your inbox.")
        .await;
    let saved = browser.saved(&site).await;
    let id = ConversationId::parse(saved["conversation_id"].as_str().unwrap()).unwrap();
    assert_eq!(autos_once(&admin, &id, 1).await, vec![(2, Auto::AwayAsk)]);

    // Writing again in the same absence: no second reply.
    browser.write("Anyone?").await;
    browser.committed_message("Anyone?").await;
    assert_eq!(autos_once(&admin, &id, 1).await, vec![(2, Auto::AwayAsk)]);

    // An agent comes and goes: a new absence, a new reply, now without the ask (the
    // visitor gave an address).
    let inbox = admin.inbox_socket(&site).await.expect("inbox socket");
    let api = Api::new(&ctx.base);
    let session = api.new_session_from(Some("10.19.0.1"), &site).await;
    let token = session.json::<NewSessionResponse>().token;
    let while_online = api
        .open_from(
            Some("10.19.0.1"),
            &token,
            "online-1",
            "Hello while you are here",
        )
        .await
        .conversation_id;
    // The inbox has it (so it was answered, or not, while the agent was online).
    eventually(30, "the inbox to list it", || async {
        let path = format!("/api/console/sites/{site}/conversations/{while_online}");
        (admin.get(&path).await.status == 200).then_some(())
    })
    .await;
    drop(inbox);
    eventually(10, "the agent gone", || async {
        let header = api.get(&format!("/api/sites/{site}?lang=en"), None).await;
        let line = header.body["availability"].as_str().unwrap_or_default();
        (!line.contains("Online")).then_some(())
    })
    .await;
    browser.write("Still there?").await;
    browser.committed_message("Still there?").await;
    let both = autos_once(&admin, &id, 2).await;
    assert_eq!(both[0], (2, Auto::AwayAsk));
    assert_eq!(both[1].1, Auto::Away, "no ask: the team can mail them now");
    // The one written while the agent was online got none; its next one does.
    let sent = api
        .send(&token, &while_online, "online-2", "Are you gone?")
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    assert_eq!(
        autos_once(&admin, &while_online, 1).await,
        vec![(3, Auto::AwayAsk)]
    );
    browser.close().await;

    // The site's own words in French, for a French visitor, with the time in French.
    let words = json!({"v": 1, "words": {"fr": {"away_reply": "Merci, nous revenons vite."}}});
    let path = format!("/api/console/sites/{site}/words");
    let set = admin.call(reqwest::Method::PUT, &path, Some(&words)).await;
    assert_eq!(set.status, 200, "{}", set.body);
    let session = api.new_session_from(Some("10.19.0.2"), &site).await;
    let token = session.json::<NewSessionResponse>().token;
    let opened = api
        .post(
            "/api/conversations",
            Some(&token),
            &json!({"v": 1, "client_id": "fr-1", "body": "Bonsoir",
                    "context": {"lang": "fr-FR", "time_zone": "Europe/Paris"}}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let id = ConversationId::parse(opened.body["conversation_id"].as_str().unwrap()).unwrap();
    autos_once(&admin, &id, 1).await;
    let body = history(&admin, &id).await[1].body.clone();
    assert!(
        body.starts_with("Merci, nous revenons vite. Nous serons de retour "),
        "{body}"
    );
}
