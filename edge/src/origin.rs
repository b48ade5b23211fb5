//! The page a visitor's request comes from must be one its site allows (protocol's
//! `origins`: the site's `origins` in its settings, or this machine's pages by default).

use confab_protocol::{origins, ApiError, ErrorCode, SiteId};
use worker::{Env, Request};

/// Refuses a request whose `Origin` the site `site` does not list.
pub fn check(env: &Env, req: &Request, site: &SiteId) -> Result<(), ApiError> {
    match req.headers().get("Origin").ok().flatten() {
        Some(origin) => check_origin(env, req, site, &origin),
        None => Ok(()),
    }
}

/// Refuses a page address (where a sign-in link or code will take the visitor) on an
/// origin the site does not list: a link that carries a sign-in secret must lead only to
/// the site's own pages, whoever asked for it.
pub fn check_page(env: &Env, req: &Request, site: &SiteId, page: &str) -> Result<(), ApiError> {
    check_origin(env, req, site, origins::origin_of(page))
}

fn check_origin(env: &Env, req: &Request, site: &SiteId, origin: &str) -> Result<(), ApiError> {
    let own = req
        .url()
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let allowed = crate::sites::all(env).remove(site).and_then(|s| s.origins);
    if origins::allows(allowed.as_deref(), origin, &own) {
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
