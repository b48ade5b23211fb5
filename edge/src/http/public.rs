//! What needs no session: the widget's site settings, the push key, the health check.

use super::Call;
use crate::reply::{self, Reply};

/// `GET /api/sites/{site}`: the widget's header and words, asked before any session.
pub async fn site(call: Call<'_>) -> Reply {
    let site = super::request::site_id(call.param("site"))?;
    let settings = call.site_page(&site)?;
    crate::sites::answer(call.env, &call.req, &site, settings).await
}

pub async fn push_key(call: Call<'_>) -> Reply {
    crate::push::public_key(call.env)
}

pub async fn health(_call: Call<'_>) -> Reply {
    reply::json(200, &serde_json::json!({ "ok": true }))
}
