//! The site owner's per-site settings, from the `SITES` variable in wrangler.toml:
//! `SITES = { acme = { team = "Acme support", availability = "We reply within hours" } }`.

use std::collections::HashMap;

use confab_protocol::{SiteId, SiteInfo};
use worker::Env;

use crate::reply::{self, Reply};

/// How long browsers may keep a site's settings.
const CACHE_SECONDS: u32 = 300;

pub fn info(env: &Env, site: &SiteId) -> SiteInfo {
    env.object_var::<HashMap<String, SiteInfo>>("SITES")
        .ok()
        .and_then(|mut sites| sites.remove(site.as_str()))
        .unwrap_or_default()
}

pub fn answer(env: &Env, site: &SiteId) -> Reply {
    let mut response = reply::json(200, &info(env, site))?;
    let _ = response
        .headers_mut()
        .set("Cache-Control", &format!("public, max-age={CACHE_SECONDS}"));
    Ok(response)
}
