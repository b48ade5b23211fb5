//! What the team says by itself in the visitor's language and zone, worded at the edge
//! from what the site's inbox knows right now: the widget header's availability line, and
//! the away reply (`confab_protocol::away`), which promises the same times.

use confab_protocol::availability::{self, Availability, TeamFacts, Within};
use confab_protocol::console::words::Words;
use serde_json::Value;
use worker::Date;

/// Times and counts for `facts`, worded in the language the texts are in (the visitor's
/// own tag when it is that language, for its regional ways), never half in another.
struct Wording {
    lang: String,
    back_at: String,
}

impl Wording {
    fn new(facts: &TeamFacts, lang: &str, zone: &str) -> Wording {
        let lang = crate::texts::locale(lang);
        let back_at = match facts.minutes_until_open {
            Some(minutes) if minutes > 0 => {
                let at = Date::now().as_millis() as f64 + f64::from(minutes) * 60_000.0;
                crate::clock::weekday_and_time(at, &lang, zone)
            }
            _ => String::new(),
        };
        Wording { lang, back_at }
    }

    fn count(&self, within: Within) -> Option<String> {
        match within {
            Within::Minutes(n) => crate::clock::units(n, "minute", &self.lang),
            Within::Hours(n) => crate::clock::units(n, "hour", &self.lang),
            Within::Days(n) => crate::clock::units(n, "day", &self.lang),
            Within::FewMinutes => None,
        }
    }
}

fn text(file: &Value) -> impl Fn(&str) -> Option<String> + '_ {
    |key: &str| file.get(key)?.as_str().map(str::to_owned)
}

/// The header's line measured now, when there is one (the site's own line serves while
/// nothing is measured). `file` is the visitor's language's texts file.
pub fn availability_line(
    facts: &TeamFacts,
    file: &Value,
    lang: &str,
    zone: &str,
) -> Option<String> {
    let availability = facts.availability();
    if availability == Availability::Unknown {
        return None;
    }
    let wording = Wording::new(facts, lang, zone);
    let count = |within| wording.count(within);
    availability::sentence(&availability, text(file), &wording.back_at, count)
}

/// The away reply for a visitor writing in `lang` from `zone`: the site's own words
/// (`own`, in that language) or the default, then when a person will answer.
pub fn away_reply(
    facts: &TeamFacts,
    own: Option<&Words>,
    lang: &str,
    zone: &str,
) -> Option<String> {
    let file = crate::texts::file(lang);
    let wording = Wording::new(facts, lang, zone);
    let own = own.and_then(|w| w.away_reply.as_deref());
    let count = |within| wording.count(within);
    confab_protocol::away::reply(
        &facts.availability(),
        own,
        text(&file),
        &wording.back_at,
        count,
    )
}
