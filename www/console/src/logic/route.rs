//! The console's pages, as the URL's hash names them, so reloads and links land on the
//! same page: `#/`, `#/c/<site>/<conversation>`, `#/team`, `#/canned`, `#/reports`,
//! `#invite=<token>`.

use confab_protocol::{ConversationId, SiteId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Inbox,
    Conversation {
        site: SiteId,
        id: ConversationId,
    },
    Team,
    Canned,
    Reports,
    /// An invitation link: the new agent chooses a password.
    Invite(String),
}

impl Route {
    /// Reads `location.hash` (with or without its `#`). Anything unknown is the inbox.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        if let Some(token) = hash.strip_prefix("invite=") {
            if !token.is_empty() {
                return Route::Invite(token.to_owned());
            }
        }
        let parts: Vec<&str> = hash
            .trim_start_matches('/')
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            ["team"] => Route::Team,
            ["canned"] => Route::Canned,
            ["reports"] => Route::Reports,
            ["c", site, id] => match (SiteId::parse(site), ConversationId::parse(id)) {
                (Some(site), Some(id)) => Route::Conversation { site, id },
                _ => Route::Inbox,
            },
            _ => Route::Inbox,
        }
    }

    /// The hash that leads here, with its `#`.
    pub fn href(&self) -> String {
        match self {
            Route::Inbox => "#/".to_owned(),
            Route::Conversation { site, id } => format!("#/c/{site}/{id}"),
            Route::Team => "#/team".to_owned(),
            Route::Canned => "#/canned".to_owned(),
            Route::Reports => "#/reports".to_owned(),
            Route::Invite(token) => format!("#invite={token}"),
        }
    }

    /// The open conversation, if this page shows one.
    pub fn conversation(&self) -> Option<(SiteId, ConversationId)> {
        match self {
            Route::Conversation { site, id } => Some((site.clone(), id.clone())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_name_pages() {
        assert_eq!(Route::parse(""), Route::Inbox);
        assert_eq!(Route::parse("#/"), Route::Inbox);
        assert_eq!(Route::parse("#/team"), Route::Team);
        assert_eq!(Route::parse("#/canned"), Route::Canned);
        assert_eq!(Route::parse("#/reports"), Route::Reports);
        assert_eq!(
            Route::parse("#invite=abc.def"),
            Route::Invite("abc.def".into())
        );
        assert_eq!(Route::parse("#invite="), Route::Inbox);
        assert_eq!(Route::parse("#/nowhere"), Route::Inbox);
    }

    #[test]
    fn conversation_routes_round_trip_and_refuse_bad_ids() {
        let id = "0123456789abcdef0123456789abcdef";
        let route = Route::parse(&format!("#/c/demo/{id}"));
        assert_eq!(route.href(), format!("#/c/demo/{id}"));
        assert_eq!(Route::parse(&route.href()), route);
        assert!(route.conversation().is_some());
        assert_eq!(Route::parse("#/c/demo/nothex"), Route::Inbox);
        assert_eq!(Route::parse(&format!("#/c/Bad Site/{id}")), Route::Inbox);
    }
}
