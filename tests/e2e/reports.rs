//! Reports: on a site of its own, a scripted day of conversations gives exact figures,
//! as JSON and as the CSV a spreadsheet opens; bad ranges are refused.

use confab_protocol::console::reports::{date, Report};
use confab_protocol::NewSessionResponse;
use confab_tests::api::Api;
use serde_json::json;

use crate::Ctx;

pub async fn a_scripted_day_gives_exact_figures(ctx: &Ctx) {
    let admin = ctx.admin();
    let site = format!("reports-{}", std::process::id());
    let created = admin
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site, "settings": {"name": "Reports", "team": "Reports team"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let path = format!("/api/console/sites/{site}/reports");
    let empty: Report = admin.get(&format!("{path}?days=7")).await.json();
    assert_eq!((empty.started, empty.days.len()), (0, 7));

    // Three visitors write; the team answers two and resolves one.
    let api = Api::new(&ctx.base);
    let mut threads = Vec::new();
    for n in 0..3 {
        let ip = format!("10.9.0.{n}");
        let session = api.new_session_from(Some(&ip), &site).await;
        assert_eq!(session.status, 201, "{}", session.body);
        let token = session.json::<NewSessionResponse>().token;
        let sent = api
            .open_from(Some(&ip), &token, &format!("r-{n}"), "Hello")
            .await;
        threads.push(sent.conversation_id);
    }
    for id in &threads[..2] {
        assert_eq!(admin.reply(id, "r-answer", "Hi!").await.status, 201);
    }
    // The inbox lists a conversation a moment after it opens: resolved once it is there.
    let resolve = format!(
        "/api/console/sites/{site}/conversations/{}/status",
        threads[0]
    );
    confab_tests::eventually(30, "the conversation resolved", || async {
        let answer = admin
            .post(&resolve, &json!({"v": 1, "status": "resolved"}))
            .await;
        (answer.status == 200).then_some(())
    })
    .await;

    // The inbox hears of each change a moment after it: the figures settle.
    let report = confab_tests::eventually(30, "the figures of the day", || async {
        let report: Report = admin.get(&format!("{path}?days=7")).await.json();
        (report.first_reply.count == 2 && report.resolution.count == 1).then_some(report)
    })
    .await;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    // The site keeps no business hours: its days are UTC's, and every reply is "in hours".
    let today = date((now_ms / 86_400_000) as u32);
    let last = report.days.last().unwrap();
    assert_eq!(
        (
            last.date.as_str(),
            last.started,
            last.answered,
            last.resolved
        ),
        (today.as_str(), 3, 2, 1)
    );
    assert_eq!(report.started, 3);
    assert_eq!(report.answered_in_hours, 2);
    assert!(report.first_reply.median_seconds.is_some_and(|s| s < 120));
    assert_eq!(report.busiest.iter().flatten().sum::<u32>(), 3);
    let month: Report = admin.get(&format!("{path}?days=30")).await.json();
    assert_eq!((month.days.len(), month.started), (30, 3));

    // The same days as a spreadsheet.
    let csv = admin.get(&format!("{path}?days=7&format=csv")).await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 8, "{}", csv.text);
    assert_eq!(
        lines[0],
        "date,started,answered,resolved,rated_good,rated_okay,rated_bad"
    );
    assert_eq!(lines[7], format!("{today},3,2,1,0,0,0"));

    // Ranges the screen does not offer, and callers who are not agents, are refused.
    for days in ["5", "x", "365"] {
        let refused = admin.get(&format!("{path}?days={days}")).await;
        assert_eq!(
            (refused.status, refused.error_code()),
            (400, "invalid_field"),
            "{days}"
        );
    }
    let anonymous = reqwest::get(format!("{}{path}?days=7", ctx.base))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
