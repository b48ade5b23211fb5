//! The team's accounts and shared replies, as the console and the edge exchange them,
//! with the rules for what an agent may type.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::{AgentId, SiteId};
use crate::limits::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_SHORTCUT_CHARS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Invites and removes agents, sets business hours.
    Admin,
    Agent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: AgentId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Invited, but has not chosen a password yet.
    #[serde(default)]
    pub pending: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub v: u32,
    pub email: String,
    pub password: String,
}

/// Who is signed in, and the sites they answer for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub agent: Agent,
    pub sites: Vec<SiteEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteEntry {
    pub site: SiteId,
    pub team: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub v: u32,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResponse {
    pub agent: Agent,
    /// The link the new agent opens to choose a password (single use).
    pub invite_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInviteRequest {
    pub v: u32,
    pub token: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentList {
    pub agents: Vec<Agent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    /// Typed after `/` in the composer.
    pub shortcut: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveCannedRequest {
    pub v: u32,
    pub shortcut: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedList {
    pub replies: Vec<CannedReply>,
}

/// A normalised email address (trimmed, lowercase), or why it is not one.
pub fn email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim().to_lowercase();
    let valid = email.chars().count() <= MAX_EMAIL_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if valid {
        Ok(email)
    } else {
        Err(ApiError::invalid("email", "must be an email address"))
    }
}

/// A display name: trimmed, not empty, not too long, no control characters.
pub fn display_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::invalid(
            "name",
            &format!("must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name.to_owned())
}

/// A canned reply's shortcut: letters, digits, `-` and `_`, as typed after `/`.
pub fn shortcut(raw: &str) -> Result<String, ApiError> {
    let s = raw.trim().trim_start_matches('/').to_lowercase();
    let valid = !s.is_empty()
        && s.chars().count() <= MAX_SHORTCUT_CHARS
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(s)
    } else {
        Err(ApiError::invalid(
            "shortcut",
            "must be letters, digits, - or _, up to 32",
        ))
    }
}

/// The canned replies whose shortcut starts with what follows `/` in the composer: the
/// composer offers them while the text is `/` and a word.
pub fn canned_matches<'a>(text: &str, replies: &'a [CannedReply]) -> Vec<&'a CannedReply> {
    let Some(typed) = text.strip_prefix('/') else {
        return Vec::new();
    };
    if typed.contains(char::is_whitespace) {
        return Vec::new();
    }
    let typed = typed.to_lowercase();
    replies
        .iter()
        .filter(|r| r.shortcut.starts_with(&typed))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_names_and_shortcuts_are_checked() {
        assert_eq!(email("  Ann@Example.COM ").unwrap(), "ann@example.com");
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.io",
            "a b@x.io",
            "a@b@c.io",
            "a@localhost",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(display_name(" Ann ").unwrap(), "Ann");
        assert!(display_name("  ").is_err());
        assert!(display_name(&"x".repeat(81)).is_err());
        assert_eq!(shortcut("/Refund").unwrap(), "refund");
        assert!(shortcut("two words").is_err());
        assert!(shortcut("/").is_err());
    }

    #[test]
    fn canned_replies_match_what_follows_the_slash() {
        let replies = vec![
            CannedReply {
                shortcut: "refund".into(),
                body: "Refunds take 5 days.".into(),
            },
            CannedReply {
                shortcut: "return".into(),
                body: "Returns are free.".into(),
            },
        ];
        let names = |text: &str| {
            canned_matches(text, &replies)
                .iter()
                .map(|r| r.shortcut.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("/re"), ["refund", "return"]);
        assert_eq!(names("/RET"), ["return"]);
        assert_eq!(names("/"), ["refund", "return"]);
        assert!(names("re").is_empty());
        assert!(names("/refund now").is_empty());
    }
}
