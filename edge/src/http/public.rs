//! What needs no session: the widget's site settings, the push key, the health check.

use confab_protocol::api::decode_request;
use confab_protocol::proactive::ShownRequest;
use confab_protocol::{ApiError, ErrorCode};

use super::Call;
use crate::clients::inbox::{self, InboxCommand};
use crate::reply::{self, Reply};

/// `GET /api/sites/{site}`: the widget's header and words, asked before any session.
pub async fn site(call: Call<'_>) -> Reply {
    let site = super::request::site_id(call.param("site"))?;
    let settings = call.site_page(&site)?;
    crate::sites::answer(call.env, &call.req, &site, settings).await
}

/// `POST /api/sites/{site}/proactive`: the widget showed a rule's teaser, counted for the
/// rule's figures. A rule the site does not have is refused, and nothing names the visitor.
pub async fn teaser_shown(mut call: Call<'_>) -> Reply {
    let site = super::request::site_id(call.param("site"))?;
    let request: ShownRequest = decode_request(&super::request::body(&mut call.req).await?)?;
    let settings = call.site_page(&site)?;
    if !settings.proactive.iter().any(|r| r.id == request.rule) {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "the site has no such rule",
        ));
    }
    crate::clients::limiter::take_teaser(call.env, &call.req).await?;
    let command = InboxCommand::ProactiveShown { rule: request.rule };
    inbox::ask(call.env, &site, command).await
}

pub async fn push_key(call: Call<'_>) -> Reply {
    crate::push::public_key(call.env)
}

pub async fn health(_call: Call<'_>) -> Reply {
    reply::json(200, &serde_json::json!({ "ok": true }))
}
