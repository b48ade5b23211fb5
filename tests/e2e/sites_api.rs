//! The sites API refuses every wrong change with its reason, and changes nothing then.

use reqwest::Method;
use serde_json::{json, Value};

use crate::Ctx;

/// Every refused change names its reason and leaves every site as it was.
pub async fn site_changes_are_checked_and_refused_ones_change_nothing(ctx: &Ctx) {
    let admin = ctx.admin();
    // The demo site, as other tests do not change it (they add sites of their own).
    let before = admin.site("demo").await;
    assert_eq!(before["state"], "live", "{before}");
    let settings = |look: Value| json!({"name": "Acme", "team": "Acme support", "look": look});
    let refusals: Vec<(Method, &str, Value, u16, &str, &str)> = vec![
        (
            Method::POST,
            "/api/console/sites",
            json!({"v": 1, "site": "Not An Id", "settings": settings(json!({}))}),
            400,
            "invalid_field",
            "site:",
        ),
        (
            Method::POST,
            "/api/console/sites",
            json!({"v": 1, "site": "demo", "settings": settings(json!({}))}),
            409,
            "conflict",
            "exists",
        ),
        (
            Method::POST,
            "/api/console/sites",
            json!({"v": 1, "site": "blank", "settings": {"name": " ", "team": "x"}}),
            400,
            "invalid_field",
            "settings.name",
        ),
        (
            Method::PUT,
            "/api/console/sites/demo",
            json!({"v": 1, "settings": settings(json!({"accent": "#ffd43b"}))}),
            400,
            "invalid_field",
            "contrast of 1.4:1",
        ),
        (
            Method::PUT,
            "/api/console/sites/demo",
            json!({"v": 1, "settings": settings(json!({"logo": "javascript:alert(1)"}))}),
            400,
            "invalid_field",
            "settings.look.logo",
        ),
        (
            Method::PUT,
            "/api/console/sites/demo",
            json!({"v": 1, "settings": {"name": "A", "team": "B", "origins": ["https://*."]}}),
            400,
            "invalid_field",
            "settings.origins.0",
        ),
        (
            Method::PUT,
            "/api/console/sites/nowhere",
            json!({"v": 1, "settings": settings(json!({}))}),
            404,
            "not_found",
            "no such site",
        ),
        (
            Method::POST,
            "/api/console/sites/demo/standing",
            json!({"v": 1, "change": "delete", "confirm": "demo"}),
            409,
            "conflict",
            "remove the site first",
        ),
        (
            Method::POST,
            "/api/console/sites/demo/standing",
            json!({"v": 1, "change": "restore"}),
            409,
            "conflict",
            "not removed",
        ),
    ];
    for (method, path, body, status, code, says) in refusals {
        let answer = admin.call(method.clone(), path, Some(&body)).await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (status, code),
            "{method} {path} {body}: {}",
            answer.body
        );
        let message = answer.body["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(says), "{method} {path}: {message}");
    }
    // An agent who is not an admin changes no site.
    let agent = admin
        .new_agent("sites-agent@example.com", "Sites agent", "correct horse 7")
        .await;
    let answer = agent
        .call(
            Method::PUT,
            "/api/console/sites/demo",
            Some(&json!({"v": 1, "settings": settings(json!({}))})),
        )
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    let listed = agent.get("/api/console/sites").await;
    assert_eq!(listed.status, 403, "{}", listed.body);
    assert_eq!(admin.site("demo").await, before, "nothing changed");
    assert_eq!(
        admin.site("blank").await,
        Value::Null,
        "no site was created"
    );
}
