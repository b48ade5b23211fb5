//! What the widget keeps in the browser, under one localStorage key that names the site.
//! Nothing is written before the visitor sends their first message.

use confab_protocol::ConversationId;
use web_sys::Storage;

use crate::json::{Json, JsonOut};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Saved {
    /// This device's session token.
    pub token: Option<String>,
    pub conversation_id: Option<ConversationId>,
}

fn key(site: &str) -> String {
    format!("confab:{site}")
}

/// `None` where storage is blocked (some private modes, sandboxed frames).
fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Saved {
    /// The saved state, or nothing when storage is empty, unreadable or blocked.
    pub fn load(site: &str) -> Saved {
        storage()
            .and_then(|s| s.get_item(&key(site)).ok().flatten())
            .and_then(|text| Json::parse(&text))
            .map(|json| Saved {
                token: json.string("token"),
                conversation_id: json.conversation_id("conversation_id"),
            })
            .unwrap_or_default()
    }

    /// Best effort: a browser that blocks storage still gets a working widget for this page.
    pub fn store(&self, site: &str) {
        let json = JsonOut::new().set("token", self.token.clone()).set(
            "conversation_id",
            self.conversation_id.as_ref().map(|id| id.to_string()),
        );
        if let Some(storage) = storage() {
            let _ = storage.set_item(&key(site), &json.stringify());
        }
    }
}
