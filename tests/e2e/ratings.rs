//! Ratings: resolving a conversation asks its visitor in the widget, on a site owner's
//! page; their rating shows in the console's conversation and list and in the reports,
//! may be changed, and bad or foreign ratings are refused and change nothing.

use confab_protocol::console::reports::Report;
use confab_protocol::console::InboxList;
use confab_protocol::rating::{RatingState, Score};
use confab_protocol::{Auto, ConversationId, HistoryPage};
use confab_tests::api::Api;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::{DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::json;

use crate::Ctx;

pub async fn a_resolved_conversation_asks_for_a_rating_and_the_console_shows_it(ctx: &Ctx) {
    let admin = ctx.admin();
    let site = format!("rated-{}", std::process::id());
    let created = admin
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site, "settings": {"name": "Rated", "team": "Rated team"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);

    // A visitor writes from a single-page app of the owner's; the team answers, resolves.
    let page = confab_tests::host::page_url(&ctx.host, Page::App, &ctx.base, &site);
    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor.goto_widget(&page).await;
    visitor.open_and_send("My order is late").await;
    let saved = visitor.saved(&site).await;
    let id = ConversationId::parse(saved["conversation_id"].as_str().unwrap()).unwrap();
    let token = saved["token"].as_str().unwrap().to_owned();
    assert_eq!(
        admin
            .reply(&id, "rated-reply", "It ships today.")
            .await
            .status,
        201
    );
    let status = format!("/api/console/sites/{site}/conversations/{id}/status");
    eventually(30, "the conversation resolved", || async {
        let answer = admin
            .post(&status, &json!({"v": 1, "status": "resolved"}))
            .await;
        (answer.status == 200).then_some(())
    })
    .await;

    // The thread asks, once, in the visitor's language.
    visitor
        .wait_for_text_in_widget(".message.from-team .body", "How was this conversation?")
        .await;
    visitor.click_in_widget(".ask [data-score=good]").await;
    let comment = visitor.in_widget(".ask textarea").await;
    comment.send_keys("Quick and kind").await.expect("type");
    visitor.click_in_widget(".ask .rate").await;
    visitor
        .wait_for_text_in_widget(".ask .note", "Thanks: your rating is in.")
        .await;
    // Resolving again asks nothing more.
    let again = admin
        .post(&status, &json!({"v": 1, "status": "resolved"}))
        .await;
    assert_eq!(again.status, 200);
    let history: HistoryPage = admin
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json();
    let asks: Vec<_> = history
        .messages
        .iter()
        .filter(|m| m.auto == Some(Auto::Rating))
        .collect();
    assert_eq!(asks.len(), 1, "{:?}", history.messages);

    // As stored, and refused when bad, foreign, or not asked for.
    let api = Api::new(&ctx.base);
    let rating = format!("/api/conversations/{id}/rating");
    let state: RatingState = api.get(&rating, Some(&token)).await.json();
    let given = state.rating.clone().expect("rated");
    assert_eq!(
        (given.score, given.comment.as_deref()),
        (Score::Good, Some("Quick and kind"))
    );
    for bad in [
        json!({"v": 1, "score": "great"}),
        json!({"v": 1, "score": "good", "stars": 5}),
        json!({"v": 1, "score": "good", "comment": "a".repeat(1001)}),
        json!({"v": 1}),
    ] {
        let refused = api.post(&rating, Some(&token), &bad).await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.body);
        assert!(refused.body["error"]["message"].is_string());
    }
    let stranger = api.new_visitor().await;
    let foreign = api
        .post(&rating, Some(&stranger), &json!({"v": 1, "score": "bad"}))
        .await;
    assert_eq!(foreign.status, 404, "{}", foreign.body);
    let own = api.open(&stranger, "unrated-1", "Hi").await.conversation_id;
    let unasked = api
        .post(
            &format!("/api/conversations/{own}/rating"),
            Some(&stranger),
            &json!({"v": 1, "score": "bad"}),
        )
        .await;
    assert_eq!(unasked.status, 409, "{}", unasked.body);
    let anonymous = api
        .post(&rating, None, &json!({"v": 1, "score": "bad"}))
        .await;
    assert_eq!(anonymous.status, 401);
    let unchanged: RatingState = api.get(&rating, Some(&token)).await.json();
    assert_eq!(unchanged, state, "refusals change nothing");

    // Changed within the week: the window stays from the first rating.
    let changed = api
        .post(&rating, Some(&token), &json!({"v": 1, "score": "okay"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let changed: RatingState = changed.json();
    let now = changed.rating.clone().unwrap();
    assert_eq!((now.score, now.comment), (Score::Okay, None));
    assert_eq!(now.rated_at, given.rated_at);
    assert_eq!(changed.changeable_until, state.changeable_until);

    // The inbox's list has it, and the reports count it.
    let list = format!("/api/console/sites/{site}/conversations?view=resolved");
    eventually(30, "the rating in the list", || async {
        let rows: InboxList = admin.get(&list).await.json();
        let score = rows.conversations.first()?.rating.as_ref()?.score;
        (score == Score::Okay).then_some(())
    })
    .await;
    let report: Report = admin
        .get(&format!("/api/console/sites/{site}/reports?days=7"))
        .await
        .json();
    assert_eq!(report.ratings, [0, 1, 0]);
    assert_eq!(report.days.last().unwrap().ratings, [0, 1, 0]);

    // The console shows it in the list and in the conversation, beside the ask.
    let agent = Browser::open(&ctx.driver, Device::Desktop).await;
    agent
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    agent
        .goto(&format!("{}console/#/c/{site}/{id}", ctx.demo))
        .await;
    agent
        .wait_for_text(".timeline .from-system .rating", "Rated Okay")
        .await;
    agent
        .wait_for_text(".timeline .from-system .body", "Asked the visitor to rate")
        .await;
    // The visitor changes it again: the open conversation follows, live.
    let good = api
        .post(
            &rating,
            Some(&token),
            &json!({"v": 1, "score": "good", "comment": "Fixed now"}),
        )
        .await;
    assert_eq!(good.status, 200, "{}", good.body);
    agent
        .wait_for_text(".timeline .from-system .rating", "Fixed now")
        .await;
    agent.close().await;
    visitor.close().await;
}
