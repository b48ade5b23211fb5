//! Cross-origin access for the widget, which runs on the site owner's pages.
//!
//! Visitor calls carry a bearer token, never a cookie, so answering any origin exposes
//! nothing a caller does not already hold.

use worker::{Response, Result};

pub fn allow(mut response: Response, origin: Option<&str>) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("Access-Control-Allow-Origin", origin.unwrap_or("*"))?;
    headers.set("Vary", "Origin")?;
    headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")?;
    headers.set("Access-Control-Allow-Headers", "authorization, content-type")?;
    headers.set("Access-Control-Max-Age", "86400")?;
    Ok(response)
}
