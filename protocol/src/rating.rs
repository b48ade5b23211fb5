//! Ratings: when agents resolve a conversation, the visitor is asked how it went (good,
//! okay or bad, with a comment if they like). A conversation keeps one rating; its visitor
//! may change it for [`CHANGE_DAYS`] after first giving it, and never without being asked.

use serde::{Deserialize, Serialize};

use crate::{ApiError, ErrorCode};

/// The question, in every language file of the widget's texts: the edge asks it in the
/// thread, in the visitor's language.
pub const KEYS: &[&str] = &["rate_ask"];

/// How long a rating may be changed after it was first given.
pub const CHANGE_DAYS: u64 = 7;
const CHANGE_MS: u64 = CHANGE_DAYS * 24 * 3600 * 1000;

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    Good,
    Okay,
    Bad,
}

impl Score {
    pub const ALL: [Score; 3] = [Score::Good, Score::Okay, Score::Bad];

    pub fn as_str(self) -> &'static str {
        match self {
            Score::Good => "good",
            Score::Okay => "okay",
            Score::Bad => "bad",
        }
    }

    pub fn parse(s: &str) -> Option<Score> {
        Score::ALL.into_iter().find(|score| score.as_str() == s)
    }
}

/// A conversation's rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub score: Score,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When it was first given: the change window runs from here.
    pub rated_at: u64,
    /// When it was last given or changed.
    pub changed_at: u64,
}

impl Rating {
    /// Until when the visitor may change it.
    pub fn changeable_until(&self) -> u64 {
        self.rated_at + CHANGE_MS
    }
}

/// `POST /api/conversations/{id}/rating`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    pub v: u32,
    pub score: Score,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The answer to a rating, and to `GET …/rating`: whether the visitor was asked, the
/// rating if given, and until when it may be changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingState {
    pub asked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changeable_until: Option<u64>,
}

impl RatingState {
    pub fn new(asked: bool, rating: Option<Rating>) -> Self {
        RatingState {
            asked,
            changeable_until: rating.as_ref().map(Rating::changeable_until),
            rating,
        }
    }
}

/// The rating after the visitor gives `score` and `comment` at `now`: refused, changing
/// nothing, when they were not asked, the change window is over, or the comment is too long.
/// A blank comment is none.
pub fn rate(
    asked: bool,
    current: Option<&Rating>,
    score: Score,
    comment: Option<&str>,
    now: u64,
) -> Result<Rating, ApiError> {
    if !asked {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "this conversation has not been resolved: there is nothing to rate yet",
        ));
    }
    if current.is_some_and(|r| now > r.changeable_until()) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("a rating can be changed for {CHANGE_DAYS} days after it was given"),
        ));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if let Some(comment) = comment {
        let chars = comment.chars().count();
        if chars > MAX_COMMENT_CHARS {
            return Err(ApiError::invalid(
                "comment",
                &format!("is {chars} characters long, the limit is {MAX_COMMENT_CHARS}"),
            ));
        }
        if crate::message::has_controls(comment) {
            return Err(ApiError::invalid(
                "comment",
                "must not contain control characters",
            ));
        }
    }
    Ok(Rating {
        score,
        comment: comment.map(str::to_owned),
        rated_at: current.map_or(now, |r| r.rated_at),
        changed_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 24 * 3600 * 1000;

    #[test]
    fn only_an_asked_visitor_rates() {
        let refused = rate(false, None, Score::Good, None, 10).unwrap_err();
        assert_eq!(refused.code, ErrorCode::Conflict);
        let given = rate(true, None, Score::Good, Some("  Quick and kind \n"), 10).unwrap();
        assert_eq!(given.comment.as_deref(), Some("Quick and kind"));
        assert_eq!((given.rated_at, given.changed_at), (10, 10));
    }

    #[test]
    fn a_rating_changes_for_seven_days_from_when_it_was_given() {
        let first = rate(true, None, Score::Bad, None, 1_000).unwrap();
        let changed = rate(true, Some(&first), Score::Okay, Some(" "), 1_000 + 7 * DAY).unwrap();
        assert_eq!(changed.score, Score::Okay);
        assert_eq!(changed.comment, None, "a blank comment is none");
        assert_eq!(changed.rated_at, 1_000, "the window does not move");
        assert_eq!(changed.changed_at, 1_000 + 7 * DAY);
        let late = rate(true, Some(&changed), Score::Good, None, 1_001 + 7 * DAY);
        assert_eq!(late.unwrap_err().code, ErrorCode::Conflict);
    }

    #[test]
    fn long_or_control_comments_are_refused() {
        let long = "é".repeat(MAX_COMMENT_CHARS + 1);
        let error = rate(true, None, Score::Good, Some(&long), 1).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidField);
        assert!(rate(true, None, Score::Good, Some(&long[2..]), 1).is_ok());
        assert!(rate(true, None, Score::Good, Some("bell\u{7}"), 1).is_err());
    }

    #[test]
    fn scores_read_back_and_the_state_says_until_when() {
        for score in Score::ALL {
            assert_eq!(Score::parse(score.as_str()), Some(score));
        }
        assert_eq!(Score::parse("great"), None);
        let rating = rate(true, None, Score::Good, None, 5).unwrap();
        let state = RatingState::new(true, Some(rating));
        assert_eq!(state.changeable_until, Some(5 + 7 * DAY));
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["rating"]["score"], "good");
    }
}
