//! The page a visitor's request comes from must be one its site allows (protocol's
//! `origins`: the site's `origins` in its settings, or this machine's pages by default).

use confab_protocol::{origins, ApiError, ErrorCode, SiteId};
use worker::{Env, Request};

/// Refuses a request whose `Origin` the site `site` does not list.
pub fn check(env: &Env, req: &Request, site: &SiteId) -> Result<(), ApiError> {
    let Some(origin) = req.headers().get("Origin").ok().flatten() else {
        return Ok(());
    };
    let own = req
        .url()
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let allowed = crate::sites::all(env).remove(site).and_then(|s| s.origins);
    if origins::allows(allowed.as_deref(), &origin, &own) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::OriginNotAllowed,
        format!(
            "pages of {origin} may not embed the site {site}: add the origin to the site's \
             `origins` (README: Allowed origins)"
        ),
    ))
}
