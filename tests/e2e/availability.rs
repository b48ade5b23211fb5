//! The line under the team's name in the widget: online now, back at opening time, or the
//! measured reply time. On the `outlet` site, whose hours and presence no other test sets
//! (the console's words test writes its French welcome, which this line does not show).

use confab_tests::api::Api;
use confab_tests::eventually;
use serde_json::json;

use crate::Ctx;

async fn header(api: &Api, lang: &str) -> String {
    let answer = api
        .get(&format!("/api/sites/outlet?lang={lang}&tz=UTC"), None)
        .await;
    assert_eq!(answer.status, 200);
    // Newer ICU puts a narrow no-break space before AM/PM.
    answer.body["availability"]
        .as_str()
        .unwrap_or_default()
        .replace('\u{202f}', " ")
}

/// Tomorrow's weekday in UTC, Monday = 0, and its English name.
fn tomorrow() -> (usize, &'static str) {
    let index = confab_tests::weekday_in_utc(1);
    let names = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    (index, names[index])
}

pub async fn the_widget_says_when_a_reply_can_be_expected(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let admin = ctx.admin();
    // Nothing measured and nobody online: the owner's own line from wrangler.toml.
    assert_eq!(header(&api, "en").await, "We reply within a day");

    // An agent opens the console: online now, in the visitor's language.
    let mut inbox = admin.inbox_socket("outlet").await.expect("inbox socket");
    assert_eq!(header(&api, "en-GB").await, "Online now");
    assert_eq!(header(&api, "fr").await, "En ligne");
    inbox.send(&json!({"type": "presence", "away": true})).await;
    eventually(10, "the agent away", || async {
        (header(&api, "en").await == "We reply within a day").then_some(())
    })
    .await;

    // Business hours: open tomorrow 9:00 to 10:00 UTC only, so closed now.
    let (day, name) = tomorrow();
    let mut days = vec![serde_json::Value::Null; 7];
    days[day] = json!({"open": 540, "close": 600});
    let hours = json!({"v": 1, "hours": {"time_zone": "UTC", "days": days}});
    let set = admin
        .call(
            reqwest::Method::PUT,
            "/api/console/sites/outlet/hours",
            Some(&hours),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(header(&api, "en").await, format!("Back {name} 9:00 AM"));
    assert!(header(&api, "de").await.starts_with("Wieder da: "));

    // Bad hours are refused and change nothing.
    let mars = json!({"v": 1, "hours": {"time_zone": "Mars/Olympus_Mons", "days": days}});
    let refused = admin
        .call(
            reqwest::Method::PUT,
            "/api/console/sites/outlet/hours",
            Some(&mars),
        )
        .await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (400, "invalid_field")
    );
    let agent = admin
        .new_agent("hours.agent@example.com", "Hours Agent", "a long password!")
        .await;
    let not_admin = agent
        .call(
            reqwest::Method::PUT,
            "/api/console/sites/outlet/hours",
            Some(&hours),
        )
        .await;
    assert_eq!(not_admin.status, 403);
    assert_eq!(header(&api, "en").await, format!("Back {name} 9:00 AM"));

    // Without hours, the measured time to a first reply.
    let none = json!({"v": 1, "hours": null});
    let cleared = admin
        .call(
            reqwest::Method::PUT,
            "/api/console/sites/outlet/hours",
            Some(&none),
        )
        .await;
    assert_eq!(cleared.status, 200);
    let session = api.new_session_from(None, "outlet").await;
    let token = session.body["token"].as_str().unwrap().to_owned();
    let id = api
        .open(&token, "outlet-1", "Do you have boots in 46?")
        .await
        .conversation_id;
    assert_eq!(admin.reply(&id, "outlet-r1", "We do!").await.status, 201);
    eventually(30, "the measured reply time", || async {
        (header(&api, "en").await == "Usually replies within a few minutes").then_some(())
    })
    .await;
    assert_eq!(header(&api, "es").await, "Suele responder en unos minutos");
}
