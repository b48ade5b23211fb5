//! What the widget keeps in the browser, under one localStorage key that names the site:
//! the device's token, the thread's id, how far the visitor has read, and the outbox of
//! messages written but not yet acknowledged. Nothing is written before the first message.

use confab_protocol::attachments::Attachment;
use confab_protocol::{ClientId, ConversationId};
use js_sys::Array;
use wasm_bindgen::JsValue;
use web_sys::Storage;

use crate::json::{Json, JsonOut};

#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub client_id: ClientId,
    pub body: String,
    /// Uploaded already: only the message naming them is waiting.
    pub files: Vec<Attachment>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Saved {
    /// This device's session token.
    pub token: Option<String>,
    pub conversation_id: Option<ConversationId>,
    /// The visitor has seen everything up to this `seq` (for the unread badge).
    pub seen: u64,
    /// Written, not yet acknowledged: survives a closed tab and is sent on the next visit.
    pub outbox: Vec<Pending>,
    /// The host's user this device was verified as (`Confab('identify', …)`).
    pub user: Option<String>,
}

pub fn key(site: &str) -> String {
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
            .map(|text| Saved::parse(&text))
            .unwrap_or_default()
    }

    pub fn parse(text: &str) -> Saved {
        let Some(json) = Json::parse(text) else {
            return Saved::default();
        };
        Saved {
            token: json.string("token"),
            conversation_id: json.conversation_id("conversation_id"),
            seen: json.number("seen").unwrap_or(0),
            user: json.string("user"),
            outbox: json
                .array("outbox")
                .iter()
                .filter_map(|p| {
                    Some(Pending {
                        client_id: ClientId::parse(&p.string("client_id")?)?,
                        body: p.string("body")?,
                        files: p.attachments(),
                    })
                })
                .collect(),
        }
    }

    /// Best effort: a browser that blocks storage still gets a working widget for this page.
    pub fn store(&self, site: &str) {
        let outbox = Array::new();
        for pending in &self.outbox {
            let item = JsonOut::new()
                .set("client_id", pending.client_id.as_str())
                .set("body", pending.body.as_str())
                .set("files", JsonOut::attachments(&pending.files));
            outbox.push(&item.into_value());
        }
        let json = JsonOut::new()
            .set("token", self.token.clone())
            .set(
                "conversation_id",
                self.conversation_id.as_ref().map(|id| id.to_string()),
            )
            .set("seen", self.seen as f64)
            .set("user", self.user.clone())
            .set("outbox", JsValue::from(outbox));
        if let Some(storage) = storage() {
            let _ = storage.set_item(&key(site), &json.stringify());
        }
    }
}
