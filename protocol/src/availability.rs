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

/// The texts the line is made of, in every language file of the widget's texts
/// (`widget/texts/<lang>.json`): the edge writes the line, the widget only shows it.
/// `{time}` and `{duration}` are filled in, formatted for the visitor.
pub const KEYS: &[&str] = &["online_now", "back_at", "replies_within", "few_minutes"];

/// How long a reply usually takes, rounded up as people say it. A count with its unit is
/// worded by the runtime's `Intl` in the visitor's language (plural rules included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    FewMinutes,
    Minutes(u64),
    Hours(u64),
    Days(u64),
}

impl Within {
    pub fn of(minutes: u64) -> Within {
        match minutes {
            0..=5 => Within::FewMinutes,
            6..=59 => Within::Minutes(minutes.div_ceil(5) * 5),
            60..=1380 => Within::Hours(minutes.div_ceil(60)),
            _ => Within::Days(1),
        }
    }
}

/// The line for `availability`: `text` gives the visitor's language's texts by key,
/// `back_at` is the opening time and `count` words a count of units, both formatted for
/// the visitor. `None` when there is nothing to say (or a text is missing).
pub fn sentence(
    availability: &Availability,
    text: impl Fn(&str) -> Option<String>,
    back_at: &str,
    count: impl Fn(Within) -> Option<String>,
) -> Option<String> {
    match availability {
        Availability::OnlineNow => text("online_now"),
        Availability::BackAt => Some(text("back_at")?.replace("{time}", back_at)),
        Availability::RepliesWithin { minutes } => {
            let within = match Within::of(*minutes) {
                Within::FewMinutes => text("few_minutes")?,
                counted => count(counted)?,
            };
            Some(text("replies_within")?.replace("{duration}", &within))
        }
        Availability::Unknown => None,
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
    fn replies_are_promised_in_rounded_units() {
        assert_eq!(Within::of(1), Within::FewMinutes);
        assert_eq!(Within::of(5), Within::FewMinutes);
        assert_eq!(Within::of(12), Within::Minutes(15));
        assert_eq!(Within::of(59), Within::Minutes(60));
        assert_eq!(Within::of(60), Within::Hours(1));
        assert_eq!(Within::of(61), Within::Hours(2));
        assert_eq!(Within::of(23 * 60), Within::Hours(23));
        assert_eq!(Within::of(23 * 60 + 1), Within::Days(1));
    }

    #[test]
    fn the_line_is_made_of_the_language_texts() {
        let english = |key: &str| {
            Some(
                match key {
                    "online_now" => "Online now",
                    "back_at" => "Back {time}",
                    "replies_within" => "Usually replies within {duration}",
                    "few_minutes" => "a few minutes",
                    _ => return None,
                }
                .to_owned(),
            )
        };
        let count = |within: Within| match within {
            Within::Hours(n) => Some(format!("{n} hours")),
            _ => None,
        };
        let line = |a: Availability| sentence(&a, english, "Monday 9:00 AM", count);
        assert_eq!(line(Availability::OnlineNow).unwrap(), "Online now");
        assert_eq!(line(Availability::BackAt).unwrap(), "Back Monday 9:00 AM");
        assert_eq!(
            line(Availability::RepliesWithin { minutes: 3 }).unwrap(),
            "Usually replies within a few minutes"
        );
        assert_eq!(
            line(Availability::RepliesWithin { minutes: 61 }).unwrap(),
            "Usually replies within 2 hours"
        );
        assert_eq!(line(Availability::Unknown), None);
        // A missing text says nothing rather than half a sentence.
        assert_eq!(line(Availability::RepliesWithin { minutes: 30 }), None);
    }

    #[test]
    fn the_median_is_the_lower_middle() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 30, 20]), Some(20));
    }
}
