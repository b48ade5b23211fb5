//! Cross-origin access for the widget, which runs on the site owner's pages.
//!
//! Visitor calls carry a bearer token, never a cookie, so answering any origin exposes
//! nothing a caller does not already hold.

use worker::{Headers, Response, Result};

pub fn allow(response: Response, origin: Option<&str>) -> Result<Response> {
    // A Durable Object's response has immutable headers: copy them into new ones.
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.set(&name, &value)?;
    }
    headers.set("Access-Control-Allow-Origin", origin.unwrap_or("*"))?;
    headers.set("Vary", "Origin")?;
    headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")?;
    headers.set(
        "Access-Control-Allow-Headers",
        "authorization, content-type",
    )?;
    headers.set("Access-Control-Max-Age", "86400")?;
    Ok(response.with_headers(headers))
}
