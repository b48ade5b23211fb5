//! The thread outlives the process that served it.

use confab_tests::api::Api;
use confab_tests::console::{login, DEV_ADMIN_EMAIL};
use confab_tests::runtime::Runtime;
use serde_json::json;

use crate::Ctx;

pub async fn messages_survive_a_restart_of_the_runtime(_ctx: &Ctx) {
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    let api = Api::new(&runtime.base_url());
    let (token, id) = api
        .new_thread("before-1", "written before the restart")
        .await;
    assert_eq!(
        api.send(&token, &id, "before-2", "me too").await.status,
        201
    );
    // Throttles are stored: a guesser who ran out of tries gets none back from a restart
    // (nor from the objects' eviction, which drops the same memory).
    let base = runtime.base_url();
    let guesser = Some("10.62.0.1");
    for n in 0..5 {
        let answer = login(&base, DEV_ADMIN_EMAIL, &format!("guess {n}"), guesser).await;
        assert_eq!(answer.status, 401, "{}", answer.body);
    }
    let code_try = |base: String| async move {
        let request = reqwest::Client::new()
            .post(format!("{base}/api/visitor/codes/redeem"))
            .header("CF-Connecting-IP", "10.62.0.2")
            .body(json!({"v": 1, "site": "demo", "code": "ABCD-EFGH"}).to_string());
        request
            .send()
            .await
            .expect("the runtime answers")
            .status()
            .as_u16()
    };
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(code_try(base.clone()).await);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    runtime.stop();

    let runtime = Runtime::start(state.path()).await;
    let base = runtime.base_url();
    let answer = login(&base, "anyone@example.com", "any password", guesser).await;
    assert_eq!(answer.status, 429, "the address is still slowed down");
    let answer = login(
        &base,
        DEV_ADMIN_EMAIL,
        "yet another guess",
        Some("10.62.0.3"),
    )
    .await;
    assert_eq!(answer.status, 429, "the account is still slowed down");
    assert_eq!(
        code_try(base.clone()).await,
        429,
        "code tries are still counted"
    );
    let api = Api::new(&base);
    let page = api.history(&token, &id, "").await;
    let bodies: Vec<&str> = page.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["written before the restart", "me too"]);
    // The token still works, and a resend from before the restart is still recognised.
    let resend = api.send(&token, &id, "before-2", "me too").await;
    assert_eq!(resend.body["message"]["seq"], 2);
    let after = api.send(&token, &id, "after-1", "after the restart").await;
    assert_eq!(after.body["message"]["seq"], 3);
    runtime.stop();
}
