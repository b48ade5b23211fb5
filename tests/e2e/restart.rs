//! The thread outlives the process that served it.

use confab_tests::api::Api;
use confab_tests::runtime::Runtime;

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
    runtime.stop();

    let runtime = Runtime::start(state.path()).await;
    let api = Api::new(&runtime.base_url());
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
