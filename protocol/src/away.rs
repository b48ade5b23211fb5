//! The away reply: a visitor who writes while nobody from the team is there hears back at
//! once, in their language, with an honest promise of when a person will answer (the
//! opening time, or the reply time measured from the team's own history).
//!
//! At most once per conversation per absence: an absence starts when the last agent leaves
//! (or the console is away), and a conversation keeps which absence its last away reply
//! answered. Away is what the widget's header says: not while an agent is online, even
//! outside business hours, so the thread never contradicts its own header.

use serde::{Deserialize, Serialize};

use crate::availability::{self, Availability, Within};

/// The away reply's texts, in every language file of the widget's texts; only the edge
/// uses them. `{time}` and `{duration}` are filled in as in the header's line.
pub const KEYS: &[&str] = &["away_reply", "away_back", "away_within"];

/// The team's presence as the inbox last saw it change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    /// An agent was online (console open, not away).
    pub present: bool,
    /// When the last agent left: the absence's name. 0 while nobody has been online.
    pub since: u64,
}

impl Absence {
    /// The presence changed to `online` at `now`: the last agent leaving starts a new
    /// absence; anything else keeps the one there is.
    pub fn after(self, online: bool, now: u64) -> Absence {
        match (self.present, online) {
            (true, false) => Absence {
                present: false,
                since: now,
            },
            (_, present) => Absence { present, ..self },
        }
    }

    /// Whether a conversation whose visitor just wrote gets an away reply now: the team
    /// is not online (`availability`, as the header says it), and the conversation's last
    /// away reply (`replied_in`, the absence it answered) was not in this absence.
    pub fn reply_due(&self, availability: &Availability, replied_in: Option<u64>) -> bool {
        *availability != Availability::OnlineNow && replied_in != Some(self.since)
    }
}

/// The away reply: the site's own words (`own`) or the language's (`text("away_reply")`),
/// then when a person will answer, if that is known. `back_at` and `count` are formatted
/// for the visitor, as for the header's line (`availability::sentence`). `None` when the
/// language's texts lack the words.
pub fn reply(
    availability: &Availability,
    own: Option<&str>,
    text: impl Fn(&str) -> Option<String>,
    back_at: &str,
    count: impl Fn(Within) -> Option<String>,
) -> Option<String> {
    let words = match own {
        Some(own) => own.to_owned(),
        None => text("away_reply")?,
    };
    // The promise is the header's sentence, worded for a reply.
    let promise_text = |key: &str| match key {
        "back_at" => text("away_back"),
        "replies_within" => text("away_within"),
        other => text(other),
    };
    Some(
        match availability::sentence(availability, promise_text, back_at, count) {
            Some(promise) => format!("{words} {promise}"),
            None => words,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absence_starts_when_the_last_agent_leaves() {
        let start = Absence::default();
        assert_eq!(start.since, 0, "nobody has been online yet");
        let online = start.after(true, 100);
        assert_eq!(
            online,
            Absence {
                present: true,
                since: 0
            }
        );
        let left = online.after(false, 500);
        assert_eq!(
            left,
            Absence {
                present: false,
                since: 500
            }
        );
        // Still away (another console closed, a reload): the same absence.
        assert_eq!(left.after(false, 900), left);
        assert_eq!(left.after(true, 1000).after(false, 2000).since, 2000);
    }

    #[test]
    fn once_per_conversation_per_absence_and_never_while_online() {
        let away = Absence {
            present: false,
            since: 500,
        };
        let closed = Availability::BackAt;
        assert!(away.reply_due(&closed, None));
        assert!(!away.reply_due(&closed, Some(500)), "already answered");
        assert!(
            away.reply_due(&closed, Some(0)),
            "answered in an earlier absence"
        );
        let measured = Availability::RepliesWithin { minutes: 30 };
        assert!(away.reply_due(&measured, Some(10)));
        assert!(away.reply_due(&Availability::Unknown, None));
        assert!(!away.reply_due(&Availability::OnlineNow, None));
        // Nobody ever online: the one absence since the start.
        let never = Absence::default();
        assert!(never.reply_due(&closed, None));
        assert!(!never.reply_due(&closed, Some(0)));
    }

    fn english(key: &str) -> Option<String> {
        Some(
            match key {
                "away_reply" => "Thanks! Nobody is here right now.",
                "away_back" => "We are back {time}.",
                "away_within" => "We usually reply within {duration}.",
                "few_minutes" => "a few minutes",
                _ => return None,
            }
            .to_owned(),
        )
    }

    fn hours(within: Within) -> Option<String> {
        match within {
            Within::Hours(n) => Some(format!("{n} hours")),
            _ => None,
        }
    }

    #[test]
    fn the_reply_promises_what_is_known() {
        let closed = reply(&Availability::BackAt, None, english, "Monday 9:00", hours);
        assert_eq!(
            closed.unwrap(),
            "Thanks! Nobody is here right now. We are back Monday 9:00."
        );
        let measured = Availability::RepliesWithin { minutes: 100 };
        assert_eq!(
            reply(&measured, Some("Back soon!"), english, "", hours).unwrap(),
            "Back soon! We usually reply within 2 hours."
        );
        // Nothing measured, no hours: the words alone, no promise made up.
        assert_eq!(
            reply(&Availability::Unknown, None, english, "", hours).unwrap(),
            "Thanks! Nobody is here right now."
        );
        assert_eq!(
            reply(&Availability::BackAt, None, |_| None, "", hours),
            None
        );
    }
}
