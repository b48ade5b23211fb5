//! What the widget keeps in the browser, under one localStorage key that names the site.
//! Nothing is written before the visitor sends their first message.

use confab_protocol::ConversationId;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// This device's session token.
    pub token: Option<String>,
    pub conversation_id: Option<ConversationId>,
}

fn key(site: &str) -> String {
    format!("confab:{site}")
}

impl Saved {
    /// The saved state, or nothing when storage is empty, unreadable or blocked.
    pub fn load(site: &str) -> Saved {
        LocalStorage::get(key(site)).unwrap_or_default()
    }

    /// Best effort: a browser that blocks storage still gets a working widget for this page.
    pub fn store(&self, site: &str) {
        let _ = LocalStorage::set(key(site), self);
    }
}
