//! The line under the team's name in the widget: "Online now", "Usually replies within 2
//! hours", or, outside business hours, when the team is back. Written at the edge in the
//! visitor's language, so the widget carries no extra text for it.

use serde::{Deserialize, Serialize};

/// What the site's inbox knows about its team right now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamFacts {
    /// An agent has the console open and is not away.
    pub agents_online: bool,
    /// Median time to the first agent reply over recent conversations.
    pub median_first_reply_secs: Option<u64>,
    /// Minutes until business hours begin: 0 when open, `None` without hours set.
    pub minutes_until_open: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    OnlineNow,
    /// Closed: back at a time the edge formats in the visitor's zone and language.
    BackAt,
    RepliesWithin {
        minutes: u64,
    },
    /// Nothing measured yet: the site owner's own line, if any.
    Unknown,
}

impl TeamFacts {
    pub fn availability(&self) -> Availability {
        if self.agents_online {
            return Availability::OnlineNow;
        }
        if self.minutes_until_open.is_some_and(|m| m > 0) {
            return Availability::BackAt;
        }
        match self.median_first_reply_secs {
            Some(secs) => Availability::RepliesWithin {
                minutes: secs.div_ceil(60).max(1),
            },
            None => Availability::Unknown,
        }
    }
}

/// The languages the sentences are written in.
const SPOKEN: [&str; 4] = ["en", "fr", "de", "es"];

/// The sentence for `availability` in `lang`; `back_at` is the opening time, already
/// formatted for the visitor.
pub fn sentence(availability: &Availability, lang: &str, back_at: &str) -> Option<String> {
    let lang = crate::language::choose(lang, SPOKEN);
    Some(match availability {
        Availability::OnlineNow => match lang {
            "fr" => "En ligne".into(),
            "de" => "Jetzt online".into(),
            "es" => "En línea ahora".into(),
            _ => "Online now".into(),
        },
        Availability::BackAt => match lang {
            "fr" => format!("De retour {back_at}"),
            "de" => format!("Wieder da: {back_at}"),
            "es" => format!("De vuelta {back_at}"),
            _ => format!("Back {back_at}"),
        },
        Availability::RepliesWithin { minutes } => {
            let within = duration(*minutes, lang);
            match lang {
                "fr" => format!("Répond généralement en {within}"),
                "de" => format!("Antwortet meist innerhalb von {within}"),
                "es" => format!("Suele responder en {within}"),
                _ => format!("Usually replies within {within}"),
            }
        }
        Availability::Unknown => return None,
    })
}

/// A rounded-up duration, as people say it.
fn duration(minutes: u64, lang: &str) -> String {
    if minutes <= 5 {
        return match lang {
            "fr" => "quelques minutes",
            "de" => "wenigen Minuten",
            "es" => "unos minutos",
            _ => "a few minutes",
        }
        .into();
    }
    if minutes < 60 {
        let n = minutes.div_ceil(5) * 5;
        return match lang {
            "de" => format!("{n} Minuten"),
            "es" => format!("{n} minutos"),
            _ => format!("{n} minutes"),
        };
    }
    let hours = minutes.div_ceil(60);
    match (hours, lang) {
        (1, "fr") => "une heure".into(),
        (1, "de") => "einer Stunde".into(),
        (1, "es") => "una hora".into(),
        (1, _) => "an hour".into(),
        (2..=23, "fr") => format!("{hours} heures"),
        (2..=23, "de") => format!("{hours} Stunden"),
        (2..=23, "es") => format!("{hours} horas"),
        (2..=23, _) => format!("{hours} hours"),
        (_, "fr") => "un jour".into(),
        (_, "de") => "einem Tag".into(),
        (_, "es") => "un día".into(),
        _ => "a day".into(),
    }
}

/// The middle value (the lower middle for an even count): the team's usual first-reply
/// time from its recent ones.
pub fn median(mut values: Vec<u64>) -> Option<u64> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(online: bool, median: Option<u64>, until_open: Option<u32>) -> TeamFacts {
        TeamFacts {
            agents_online: online,
            median_first_reply_secs: median,
            minutes_until_open: until_open,
        }
    }

    #[test]
    fn online_beats_hours_and_hours_beat_the_median() {
        assert_eq!(
            facts(true, Some(600), Some(30)).availability(),
            Availability::OnlineNow
        );
        assert_eq!(
            facts(false, Some(600), Some(30)).availability(),
            Availability::BackAt
        );
        assert_eq!(
            facts(false, Some(600), Some(0)).availability(),
            Availability::RepliesWithin { minutes: 10 }
        );
        assert_eq!(
            facts(false, None, None).availability(),
            Availability::Unknown
        );
    }

    #[test]
    fn sentences_in_each_language() {
        let within = |m, lang| sentence(&Availability::RepliesWithin { minutes: m }, lang, "");
        assert_eq!(
            within(3, "en-US").unwrap(),
            "Usually replies within a few minutes"
        );
        assert_eq!(
            within(12, "en").unwrap(),
            "Usually replies within 15 minutes"
        );
        assert_eq!(within(61, "fr").unwrap(), "Répond généralement en 2 heures");
        assert_eq!(
            within(60, "de").unwrap(),
            "Antwortet meist innerhalb von einer Stunde"
        );
        assert_eq!(within(3000, "es").unwrap(), "Suele responder en un día");
        assert_eq!(
            sentence(&Availability::BackAt, "en", "Monday 9:00 AM").unwrap(),
            "Back Monday 9:00 AM"
        );
        assert_eq!(
            sentence(&Availability::OnlineNow, "xx", "").unwrap(),
            "Online now"
        );
        assert_eq!(sentence(&Availability::Unknown, "en", ""), None);
    }

    #[test]
    fn the_median_is_the_lower_middle() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 30, 20]), Some(20));
    }
}
