//! What a site says to its visitors, per language, in place of the widget's defaults: the
//! welcome at the top of a new thread, the away message shown instead outside business
//! hours, the line under the team's name while nothing is measured, and the away reply. Agents' replies
//! are never translated; these are the site owner's own words.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The default away message's key in every widget texts file (`widget/texts/<lang>.json`),
/// beside `greeting`, the default welcome; the edge picks one for the widget.
pub const KEYS: &[&str] = &["away"];

/// The longest of these texts, in characters.
pub const MAX_WORDS_CHARS: usize = 500;

/// One language's words; `None` keeps the widget's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// The answer to a visitor who writes while nobody is there (`crate::away`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away_reply: Option<String>,
}

/// A site's words by language code (`nl`, as the widget's texts files are named).
pub type SiteWords = BTreeMap<String, Words>;

/// `PUT /api/console/sites/{site}/words`: every language's words at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordsRequest {
    pub v: u32,
    pub words: SiteWords,
}

/// A site's words, and each language's defaults for the console to show beside them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordsResponse {
    pub words: SiteWords,
    pub defaults: SiteWords,
}

impl Words {
    fn is_empty(&self) -> bool {
        self.welcome.is_none()
            && self.away.is_none()
            && self.availability.is_none()
            && self.away_reply.is_none()
    }
}

/// The words as stored: trimmed, blank ones dropped (back to the default), languages with
/// none left out. Refused, naming the field, when a language is not one of `spoken` or a
/// text is too long.
pub fn checked<'a>(
    words: SiteWords,
    spoken: impl IntoIterator<Item = &'a str> + Clone,
) -> Result<SiteWords, ApiError> {
    let mut kept = SiteWords::new();
    for (lang, words) in words {
        if !spoken.clone().into_iter().any(|s| s == lang) {
            return Err(ApiError::invalid(
                &format!("words.{lang}"),
                "is not a language the widget speaks",
            ));
        }
        let field = |name: &str, text: Option<String>| -> Result<Option<String>, ApiError> {
            let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
            if text
                .as_ref()
                .is_some_and(|t| t.chars().count() > MAX_WORDS_CHARS)
            {
                return Err(ApiError::invalid(
                    &format!("words.{lang}.{name}"),
                    &format!("is longer than {MAX_WORDS_CHARS} characters"),
                ));
            }
            Ok(text)
        };
        let words = Words {
            welcome: field("welcome", words.welcome)?,
            away: field("away", words.away)?,
            availability: field("availability", words.availability)?,
            away_reply: field("away_reply", words.away_reply)?,
        };
        if !words.is_empty() {
            kept.insert(lang, words);
        }
    }
    Ok(kept)
}

/// What the widget shows first: the site's welcome in `lang`, else the default; outside
/// business hours the away message instead (the site's, else the default).
pub fn greeting<'a>(
    site: Option<&'a Words>,
    closed: bool,
    default_welcome: &'a str,
    default_away: &'a str,
) -> &'a str {
    let own = |pick: fn(&'a Words) -> &'a Option<String>| site.and_then(|w| pick(w).as_deref());
    if closed {
        own(|w| &w.away).unwrap_or(default_away)
    } else {
        own(|w| &w.welcome).unwrap_or(default_welcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPOKEN: [&str; 3] = ["en", "nl", "ar"];

    fn words(welcome: &str) -> Words {
        Words {
            welcome: Some(welcome.into()),
            ..Words::default()
        }
    }

    #[test]
    fn words_are_trimmed_and_blank_ones_go_back_to_the_default() {
        let mut given = SiteWords::new();
        given.insert("nl".into(), words("  Welkom bij ons!  "));
        given.insert("ar".into(), words("   "));
        let kept = checked(given, SPOKEN).unwrap();
        assert_eq!(kept.len(), 1, "a language with nothing left is dropped");
        assert_eq!(kept["nl"].welcome.as_deref(), Some("Welkom bij ons!"));
    }

    #[test]
    fn unknown_languages_and_long_texts_are_refused_by_name() {
        let mut given = SiteWords::new();
        given.insert("xx".into(), words("Hi"));
        assert!(checked(given, SPOKEN)
            .unwrap_err()
            .message
            .contains("words.xx"));
        let mut given = SiteWords::new();
        given.insert("en".into(), words(&"a".repeat(MAX_WORDS_CHARS + 1)));
        let error = checked(given, SPOKEN).unwrap_err();
        assert!(
            error.message.contains("words.en.welcome"),
            "{}",
            error.message
        );
        let mut given = SiteWords::new();
        given.insert("en".into(), words(&"é".repeat(MAX_WORDS_CHARS)));
        assert!(
            checked(given, SPOKEN).is_ok(),
            "characters are counted, not bytes"
        );
    }

    #[test]
    fn the_greeting_is_the_sites_else_the_default_and_away_when_closed() {
        let own = Words {
            welcome: Some("Welkom!".into()),
            away: None,
            availability: None,
            away_reply: None,
        };
        assert_eq!(greeting(Some(&own), false, "Hi", "Away"), "Welkom!");
        assert_eq!(greeting(Some(&own), true, "Hi", "Away"), "Away");
        assert_eq!(greeting(None, false, "Hi", "Away"), "Hi");
    }
}
