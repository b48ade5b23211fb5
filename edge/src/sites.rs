//! The site owner's per-site settings, from the `SITES` variable in wrangler.toml:
//! `SITES = { acme = { team = "Acme support", availability = "We reply within hours" } }`,
//! and the widget's header line, written from what the site's inbox knows right now.

use std::collections::BTreeMap;

use confab_protocol::availability::{self, Availability, TeamFacts, Within};
use confab_protocol::console::words;
use confab_protocol::{origins, ApiError, ErrorCode, SiteId, SiteInfo};
use worker::{Date, Env, Request};

use crate::clients::inbox::{self, Front, InboxCommand};
use crate::reply::{self, Reply};

/// How long browsers may keep a site's header: short, since it says who is online.
const CACHE_SECONDS: u32 = 60;

thread_local! {
    /// `SITES` as read once per isolate: variables only change with a new deployment,
    /// which starts new isolates, so every request need not parse (and log) it again.
    static SITES: std::cell::OnceCell<BTreeMap<SiteId, SiteInfo>> = const { std::cell::OnceCell::new() };
}

/// Every site of this deployment.
pub fn all(env: &Env) -> BTreeMap<SiteId, SiteInfo> {
    SITES.with(|sites| sites.get_or_init(|| read(env)).clone())
}

fn read(env: &Env) -> BTreeMap<SiteId, SiteInfo> {
    env.object_var::<BTreeMap<String, SiteInfo>>("SITES")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, mut info)| {
            // A mistaken origin pattern allows nothing (never more than the owner meant),
            // and the deployment's log says which one.
            if let Some(list) = info.origins.as_mut() {
                list.retain(|pattern| match origins::check_pattern(pattern) {
                    Ok(()) => true,
                    Err(why) => {
                        worker::console_error!("SITES.{name}.origins: {why}");
                        false
                    }
                });
            }
            Some((SiteId::parse(&name)?, info))
        })
        .collect()
}

/// Refuses a site this deployment does not have: no session, no header, nothing stored.
pub fn known(env: &Env, site: &SiteId) -> Result<SiteInfo, ApiError> {
    all(env).remove(site).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("this deployment has no site {site} (SITES in wrangler.toml)"),
        )
    })
}

/// The team's name for `site`, as its owner set it.
pub fn team(env: &Env, site: &SiteId) -> Option<String> {
    all(env).remove(site).and_then(|info| info.team)
}

/// `GET /api/sites/{site}?lang=…&tz=…`: the team's name and availability, in the
/// visitor's language and time zone, and the widget's texts in that language.
pub async fn answer(env: &Env, req: &Request, site: &SiteId) -> Reply {
    // `fr_FR`, as some pages write it, is `fr-FR` to `Intl`.
    let lang = reply::query_param(req, "lang")
        .unwrap_or_default()
        .replace('_', "-");
    let zone = reply::query_param(req, "tz").unwrap_or_else(|| "UTC".into());
    let mut info = known(env, site)?;
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
    // Away when the header says the team is back later, not while an agent is online.
    let closed = front.facts.availability() == Availability::BackAt;
    let greeting = words::greeting(own, closed, default("greeting"), default("away"));
    texts["greeting"] = greeting.into();
    if let Some(line) = own.and_then(|w| w.availability.clone()) {
        info.availability = Some(line);
    }
    if let Some(line) = availability_line(&front.facts, &file, &lang, &zone) {
        info.availability = Some(line);
    }
    let header = Header { info: &info, texts };
    let mut response = reply::json(200, &header)?;
    let _ = response
        .headers_mut()
        .set("Cache-Control", &format!("public, max-age={CACHE_SECONDS}"));
    Ok(response)
}

/// What the widget shows before anything else: the site's header, and its own words in the
/// visitor's language.
#[derive(serde::Serialize)]
struct Header<'a> {
    #[serde(flatten)]
    info: &'a SiteInfo,
    texts: serde_json::Value,
}

/// The availability line measured now, when there is one (the site's own line serves
/// while nothing is measured).
fn availability_line(
    facts: &TeamFacts,
    words: &serde_json::Value,
    lang: &str,
    zone: &str,
) -> Option<String> {
    let availability = facts.availability();
    if availability == Availability::Unknown {
        return None;
    }
    // Times and counts in the language the words are in (the visitor's own tag when it is
    // that language, for its regional ways), never half in another.
    let lang = &crate::texts::locale(lang);
    let back_at = match facts.minutes_until_open {
        Some(minutes) if minutes > 0 => {
            let at = Date::now().as_millis() as f64 + f64::from(minutes) * 60_000.0;
            crate::clock::weekday_and_time(at, lang, zone)
        }
        _ => String::new(),
    };
    let count = |within: Within| match within {
        Within::Minutes(n) => crate::clock::units(n, "minute", lang),
        Within::Hours(n) => crate::clock::units(n, "hour", lang),
        Within::Days(n) => crate::clock::units(n, "day", lang),
        Within::FewMinutes => None,
    };
    let text = |key: &str| words.get(key)?.as_str().map(str::to_owned);
    availability::sentence(&availability, text, &back_at, count)
}
