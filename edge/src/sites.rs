//! The deployment's sites as every request sees them: the Team object keeps them
//! (`crate::team::sites`, managed in the console), and each isolate keeps a copy for a few
//! seconds, so that a visitor's request does not wake the Team. A change made through this
//! isolate is seen here at once, and everywhere within [`FRESH_MS`].
//! Also the widget's header: the site's look and words, and the team's line under its name.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use confab_protocol::availability::Availability;
use confab_protocol::console::sites::{Site, SiteList, SiteSettings, SiteState};
use confab_protocol::console::words;
use confab_protocol::{ApiError, ErrorCode, SiteId, SiteInfo};
use worker::{Date, Env, Request};

use crate::clients::inbox::{self, Front, InboxCommand};
use crate::clients::team::{self, TeamCommand};
use crate::reply::{self, Reply};

/// How long an isolate trusts its copy of the sites.
pub const FRESH_MS: u64 = 5_000;

/// The sites not deleted, removed ones included (their widgets are told why they stop).
pub type Sites = BTreeMap<SiteId, Site>;

thread_local! {
    static COPY: RefCell<Option<(u64, Rc<Sites>)>> = const { RefCell::new(None) };
}

/// Every site of this deployment, from this isolate's copy while it is fresh.
pub async fn all(env: &Env) -> Result<Rc<Sites>, ApiError> {
    let now = Date::now().as_millis();
    let fresh = COPY.with_borrow(|copy| {
        copy.as_ref()
            .filter(|(at, _)| now.saturating_sub(*at) < FRESH_MS)
            .map(|(_, sites)| sites.clone())
    });
    if let Some(sites) = fresh {
        return Ok(sites);
    }
    let list: SiteList = crate::objects::ask_for(&team::stub(env)?, &TeamCommand::Sites).await?;
    let sites: Rc<Sites> = Rc::new(
        list.sites
            .into_iter()
            .map(|s| (s.site.clone(), s))
            .collect(),
    );
    COPY.with_borrow_mut(|copy| *copy = Some((now, sites.clone())));
    Ok(sites)
}

/// Drops this isolate's copy, after a change made through it.
pub fn forget() {
    COPY.with_borrow_mut(|copy| *copy = None);
}

/// A site visitors may use: refused when this deployment has no such site, or its admins
/// removed it. Nothing is stored for a refused site.
pub fn live<'a>(sites: &'a Sites, site: &SiteId) -> Result<&'a SiteSettings, ApiError> {
    match sites.get(site) {
        Some(found) if found.state == SiteState::Live => Ok(&found.settings),
        Some(_) => Err(ApiError::new(
            ErrorCode::SiteRemoved,
            format!("the site {site} was removed by its admins: its widget is off"),
        )),
        None => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("this deployment has no site {site}: admins create sites in the console"),
        )),
    }
}

/// The team's name for `site`, as its owner set it.
pub async fn team(env: &Env, site: &SiteId) -> Option<String> {
    let sites = all(env).await.ok()?;
    sites.get(site).map(|s| s.settings.team.clone())
}

/// `GET /api/sites/{site}?lang=…&tz=…`: the team's name and availability, in the
/// visitor's language and time zone, and the widget's texts in that language.
pub async fn answer(env: &Env, req: &Request, site: &SiteId, settings: &SiteSettings) -> Reply {
    // `fr_FR`, as some pages write it, is `fr-FR` to `Intl`.
    let lang = reply::query_param(req, "lang")
        .unwrap_or_default()
        .replace('_', "-");
    let zone = reply::query_param(req, "tz").unwrap_or_else(|| "UTC".into());
    let mut info = SiteInfo {
        team: settings.team.clone(),
        availability: settings.availability.clone(),
        look: settings.look.clone(),
        proactive: Vec::new(),
    };
    let front: Front = inbox::ask_for(env, site, InboxCommand::Front)
        .await
        .unwrap_or_default();
    // The language's file, read once: the widget's texts, the defaults the site's own
    // words replace, the words of the availability line.
    let file = crate::texts::file(&lang);
    let mut texts = crate::texts::for_widget(file.clone());
    // The site's own words in the language the widget answers in, over the defaults.
    let default = |key: &str| file.get(key).and_then(|t| t.as_str()).unwrap_or("");
    let own = front.words.get(default("lang"));
    // In the language of the widget's texts, which the widget names when answered.
    info.proactive =
        confab_protocol::proactive::teasers(&settings.proactive, default("lang"), &settings.team);
    // Away when the header says the team is back later, not while an agent is online.
    let closed = front.facts.availability() == Availability::BackAt;
    let greeting = words::greeting(own, closed, default("greeting"), default("away"));
    texts["greeting"] = greeting.into();
    if let Some(line) = own.and_then(|w| w.availability.clone()) {
        info.availability = Some(line);
    }
    if let Some(line) = crate::team_words::availability_line(&front.facts, &file, &lang, &zone) {
        info.availability = Some(line);
    }
    let css = confab_protocol::console::sites::css(&info.look);
    let header = Header {
        info: &info,
        texts,
        css,
    };
    revalidated(req, &header)
}

/// The answer, which browsers keep but ask again about on every load (`no-cache`): a
/// change of look or words shows on the visitor's next page, and an unchanged answer
/// costs a `304` without a body.
fn revalidated(req: &Request, header: &Header) -> Reply {
    use sha2::{Digest, Sha256};
    let body = serde_json::to_string(header).map_err(|e| reply::internal(e.into()))?;
    let digest = confab_protocol::ids::hex(&Sha256::digest(body.as_bytes()));
    let tag = format!("\"{}\"", &digest[..16]);
    // A proxy that compresses may weaken the tag (`W/"…"`), and a list may name several.
    let asked = req.headers().get("If-None-Match").ok().flatten();
    let known = asked.is_some_and(|list| {
        list.split(',')
            .any(|t| t.trim().trim_start_matches("W/") == tag)
    });
    let mut response = if known {
        worker::Response::empty()
            .map_err(reply::internal)?
            .with_status(304)
    } else {
        let response = worker::Response::ok(body).map_err(reply::internal)?;
        let _ = response.headers().set("Content-Type", "application/json");
        response
    };
    let headers = response.headers_mut();
    let _ = headers.set("Cache-Control", "no-cache");
    let _ = headers.set("ETag", &tag);
    Ok(response)
}

/// What the widget shows before anything else: the site's header, and its own words in the
/// visitor's language.
#[derive(serde::Serialize)]
struct Header<'a> {
    #[serde(flatten)]
    info: &'a SiteInfo,
    texts: serde_json::Value,
    /// The look as the loader applies it before it draws (`console::sites::css`).
    css: String,
}
