//! The visitor's own account: their threads, their devices, and the ways onto a new
//! device (a resume code, an emailed link, the host site's verified identity).
//!
//! Every way in answers a [`crate::NewSessionResponse`]: a fresh token for this device.
//! A device that already holds an anonymous visitor's token sends it along, and that
//! visitor's threads join the one it signs in as.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::{ConversationId, SessionId, SiteId};
use crate::limits::MAX_EMAIL_CHARS;
use crate::message::Message;

/// Longest page address the widget may send for links back to the site.
pub const MAX_PAGE_CHARS: usize = 2048;

/// How long an emailed sign-in link stays valid.
pub const EMAIL_LINK_SECONDS: u64 = 24 * 3600;

/// Most threads the widget lists.
pub const MAX_LISTED_CONVERSATIONS: usize = 20;

/// `POST /api/visitor/codes`: a resume code for another device, with a link to `page`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCodeRequest {
    pub v: u32,
    /// The host page the link returns to; the code rides in its fragment.
    pub page: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCodeResponse {
    /// `ABCD-EFGH`.
    pub code: String,
    /// The page with `#confab=ABCD-EFGH`.
    pub link: String,
    /// The link as a QR code, an SVG document.
    pub qr_svg: String,
    /// Seconds since the Unix epoch.
    pub expires_at: u64,
}

/// `POST /api/visitor/codes/redeem`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeemCodeRequest {
    pub v: u32,
    pub site: SiteId,
    pub code: String,
}

/// `POST /api/visitor/email`: keep this address and send it a sign-in link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailLinkRequest {
    pub v: u32,
    pub email: String,
    pub page: String,
}

/// `POST /api/visitor/sign-in`: the token from an emailed link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub v: u32,
    pub site: SiteId,
    pub link: String,
}

/// `POST /api/visitor/identify`: the host site's signed-in user, vouched for by `user_hash`
/// or by `jwt`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentifyRequest {
    pub v: u32,
    pub site: SiteId,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub user_hash: Option<String>,
    #[serde(default)]
    pub jwt: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// One of the visitor's threads, as the widget lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub last: Option<Message>,
    /// Agent messages after the visitor's read marker.
    pub unread: u64,
}

/// `GET /api/visitor/conversations`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationList {
    pub conversations: Vec<ConversationSummary>,
}

/// One signed-in browser of the visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub session: SessionId,
    /// "Chrome on Android".
    pub browser: String,
    /// Milliseconds since the Unix epoch.
    pub signed_in_at: u64,
    pub last_seen_at: u64,
    /// The device asking.
    pub current: bool,
    /// The device takes push notifications.
    #[serde(default)]
    pub push: bool,
}

/// `GET /api/visitor/devices`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    pub devices: Vec<Device>,
    /// The address replies go to, when the visitor gave one.
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /api/visitor/sign-out`: this device, another one, or all of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOutRequest {
    pub v: u32,
    #[serde(default)]
    pub session: Option<SessionId>,
    #[serde(default)]
    pub everywhere: bool,
}

/// `POST /api/visitor/push`: this device's push subscription, as the browser's
/// `PushSubscription.toJSON()` gives it (plus `v`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscriptionRequest {
    pub v: u32,
    pub endpoint: String,
    pub keys: PushKeys,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// `POST /api/visitor/push/remove`: this device stops taking push notifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRemoveRequest {
    pub v: u32,
    pub endpoint: String,
}

/// `GET /api/push/key`: the key browsers subscribe with (`applicationServerKey`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeyResponse {
    pub public_key: String,
}

/// What a push notification carries, for the service worker to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPayload {
    pub title: String,
    pub body: String,
    /// Opens the thread: the page the visitor wrote from, with `#confab`.
    pub url: String,
    /// One notification per thread: a later one replaces it.
    pub tag: String,
}

/// An email address as a visitor types it: trimmed, one `@` with text on both sides and a
/// dot in the domain, no spaces, at most 254 characters.
pub fn email_address(input: &str) -> Result<String, ApiError> {
    let email = input.trim();
    let valid = email.chars().count() <= MAX_EMAIL_CHARS
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || crate::message::is_invisible(c))
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email.to_owned())
    } else {
        Err(ApiError::invalid("email", "is not an email address"))
    }
}

/// A page address the edge may put in a link: `http(s)`, no fragment (the link adds its
/// own), not too long.
pub fn link_page(input: &str) -> Result<String, ApiError> {
    let page = input.trim();
    let page = page.split_once('#').map_or(page, |(before, _)| before);
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| page.strip_prefix(scheme))
        .map(|rest| rest.split(['/', '?']).next().unwrap_or(""));
    let scheme_ok = host.is_some_and(|h| !h.is_empty());
    if !scheme_ok || page.chars().count() > MAX_PAGE_CHARS || page.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "page",
            "must be the http(s) address of a page",
        ));
    }
    Ok(page.to_owned())
}

/// Where a notification takes the visitor: the page they wrote from, with the widget
/// open (`#confab`). A thread with no page (opened through the API) goes to the site root.
pub fn thread_page(page: &str) -> String {
    link_page(page).map_or_else(|_| "/".to_owned(), |page| format!("{page}#confab"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notification_opens_the_widget_on_the_visitors_page() {
        use super::thread_page;
        assert_eq!(
            thread_page("https://shop.example/cart?x=1#top"),
            "https://shop.example/cart?x=1#confab"
        );
        assert_eq!(thread_page(""), "/");
        assert_eq!(thread_page("javascript:alert(1)"), "/");
    }

    #[test]
    fn pages_have_a_host_and_addresses_no_hidden_characters() {
        for bad in [
            "http://",
            "https://",
            "http:///x",
            "https://?a",
            "http://#confab",
        ] {
            assert!(link_page(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            link_page("https://shop.example/p#x").unwrap(),
            "https://shop.example/p"
        );
        for bad in ["ada\u{202E}@example.com", "ada@exa\u{200B}mple.com"] {
            assert!(email_address(bad).is_err(), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn emails_are_checked_loosely_but_surely() {
        assert_eq!(
            email_address(" ada@example.com ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
            "ada@example.com.",
            "ada@.example.com",
        ] {
            assert!(email_address(bad).is_err(), "{bad:?}");
        }
        assert!(email_address(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn pages_lose_their_fragment_and_need_http() {
        assert_eq!(
            link_page("https://shop.example/cart?x=1#confab=OLD").unwrap(),
            "https://shop.example/cart?x=1"
        );
        for bad in ["javascript:alert(1)", "ftp://x", "", "data:text/html,hi"] {
            assert!(link_page(bad).is_err(), "{bad:?}");
        }
    }
}
