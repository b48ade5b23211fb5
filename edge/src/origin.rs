//! The page a visitor's request comes from must be one its site allows (protocol's
//! `origins`: the site's `origins` in its settings, or this machine's pages by default).

use confab_protocol::{origins, ApiError, ErrorCode, SiteId};
use worker::Request;

use crate::sites::Sites;

/// Refuses a request whose `Origin` the site `site` does not list.
pub fn check(sites: &Sites, req: &Request, site: &SiteId) -> Result<(), ApiError> {
    match req.headers().get("Origin").ok().flatten() {
        Some(origin) => check_origin(sites, req, site, &origin),
        None => Ok(()),
    }
}

/// Refuses a page address (where a sign-in link or code will take the visitor) on an
/// origin the site does not list: a link that carries a sign-in secret must lead only to
/// the site's own pages, whoever asked for it.
pub fn check_page(sites: &Sites, req: &Request, site: &SiteId, page: &str) -> Result<(), ApiError> {
    check_origin(sites, req, site, origins::origin_of(page))
}

fn check_origin(sites: &Sites, req: &Request, site: &SiteId, origin: &str) -> Result<(), ApiError> {
    let own = req
        .url()
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let allowed = sites.get(site).and_then(|s| s.settings.origins.as_deref());
    if origins::allows(allowed, origin, &own) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::OriginNotAllowed,
        format!(
            "pages of {origin} may not embed the site {site}: add the origin to the site's \
             allowed origins in the console (README: Allowed origins)"
        ),
    ))
}
