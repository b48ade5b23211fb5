//! The reports screen's figures for a site with 10,000 conversations, beside a floor
//! measured in the same run: the site's business hours, another call to the same inbox
//! that reads one setting. The difference is what drawing a report from its facts costs.

use std::time::Instant;

use confab_protocol::console::reports::Report;
use confab_tests::api::Api;
use confab_tests::console::Console;
use confab_tests::runtime::Runtime;
use futures_util::future::join_all;
use serde_json::json;

const CONVERSATIONS: usize = 10_000;
/// Conversations opened at once while seeding.
const AT_ONCE: usize = 50;
const ROUNDS: usize = 10;

/// Seconds for each of `ROUNDS` calls of `path`, asserting each answered.
async fn timed(admin: &Console, path: &str) -> Vec<f64> {
    let mut seconds = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let answer = admin.get(path).await;
        seconds.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    }
    seconds.sort_by(f64::total_cmp);
    seconds
}

pub async fn run(runtime: &Runtime) {
    let base = runtime.base_url();
    let admin = Console::admin(&base).await;
    let site = "bench-reports";
    let created = admin
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site,
                    "settings": {"name": "Bench", "team": "Bench team", "away_replies": false}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);

    // Each conversation from a visitor of its own, at an address of its own.
    let seeding = Instant::now();
    let api = Api::new(&base);
    for batch in (0..CONVERSATIONS).collect::<Vec<_>>().chunks(AT_ONCE) {
        join_all(batch.iter().map(|&n| {
            let api = &api;
            async move {
                let ip = format!("10.{}.{}.{}", 100 + (n >> 16), (n >> 8) & 255, n & 255);
                let session = api.new_session_from(Some(&ip), site).await;
                let token = session.body["token"]
                    .as_str()
                    .unwrap_or_else(|| panic!("a session: {} {}", session.status, session.body))
                    .to_owned();
                api.open_from(Some(&ip), &token, "bench-report", "hello")
                    .await;
            }
        }))
        .await;
    }
    let path = |days: u32| format!("/api/console/sites/{site}/reports?days={days}");
    // The inbox hears of each a moment after it opens.
    confab_tests::eventually(300, "every conversation in the report", || async {
        let report: Report = admin.get(&path(7)).await.json();
        (report.started as usize == CONVERSATIONS).then_some(())
    })
    .await;
    println!(
        "\nreports: {CONVERSATIONS} conversations seeded in {:.0} s",
        seeding.elapsed().as_secs_f64()
    );

    let floor = timed(&admin, &format!("/api/console/sites/{site}/hours")).await;
    let median = |s: &[f64]| s[s.len() / 2];
    println!("median of {ROUNDS} calls, ms (ratio to the floor)");
    let floor_ms = median(&floor);
    println!("{:<40} {:>8.1}", "floor: the site's hours", floor_ms);
    for days in [7, 30, 90] {
        let ms = median(&timed(&admin, &path(days)).await);
        let what = format!("report of {days} days");
        println!("{what:<40} {ms:>8.1} ({:.1})", ms / floor_ms);
    }
    let csv = median(&timed(&admin, &format!("{}&format=csv", path(90))).await);
    let what = "90 days as CSV";
    println!("{what:<40} {csv:>8.1} ({:.1})", csv / floor_ms);
}
