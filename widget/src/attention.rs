//! Calling the visitor back when a reply arrives and they are not looking: the unread
//! count in the page title while the tab is hidden, a short chime when the site turned
//! sound on, and a system notification when the visitor allowed them. Asking for
//! notifications also subscribes this device to Web Push, when the site serves the
//! service worker, so replies reach it with the page closed. Reading stops all of it, on
//! the edge too: a read said with no socket open goes over HTTP.

use confab_protocol::{Author, Message, PROTOCOL_VERSION};
use wasm_bindgen::prelude::*;

use crate::chat::Chat;
use crate::texts::Texts;

// In widget/js/attention.js, joined to the JS glue by the build.
#[wasm_bindgen]
extern "C" {
    /// Hands over the loader's settings: `team`, `api`, `sound` (`data-sound`) and `push`
    /// (`data-push-worker`, where the site serves Confab's service worker).
    #[wasm_bindgen(js_name = confabConfigure)]
    pub fn configure(config: &JsValue);
    #[wasm_bindgen(js_name = confabCanNotify)]
    pub fn can_notify() -> bool;
    #[wasm_bindgen(js_name = confabReplyArrived)]
    fn chime_and_notify(body: &str, thread: &str);
    #[wasm_bindgen(js_name = confabMarkTitle)]
    pub fn mark_title(unread: usize);
    #[wasm_bindgen(js_name = confabTurnOn)]
    fn ask_and_subscribe(token: &str, v: u32, note: &web_sys::Element, on: &str, blocked: &str);
    #[wasm_bindgen(js_name = confabRead)]
    fn post_read(token: &str, thread: &str, v: u32, seq: f64);
}

/// A reply older than this when it reaches the page was not "just now": no chime.
const FRESH_MS: u64 = 60_000;

/// A reply just reached the page: chime (when the site turned sound on) and, with the tab
/// hidden, notify, unless the visitor is reading.
pub fn reply_arrived(chat: Chat, message: &Message) {
    let now = js_sys::Date::now() as u64;
    if message.author != Author::Agent || chat.in_view() || message.sent_at + FRESH_MS < now {
        return;
    }
    let thread = chat.saved().conversation_id.map(|c| c.to_string());
    chime_and_notify(&message.body, &thread.unwrap_or_default());
}

/// "Notify me of replies": asks the visitor's permission, then subscribes this device to
/// push when the site serves the service worker. The outcome is written to `note` from
/// JS: awaiting it here cost the download 800 bytes.
pub fn turn_on(chat: Chat, texts: &Texts, note: web_sys::Element) {
    let token = chat.saved().token.unwrap_or_default();
    let (on, blocked) = (texts.notify_on, texts.notify_blocked);
    ask_and_subscribe(&token, PROTOCOL_VERSION, &note, on, blocked);
}

/// The visitor read up to `seq` with no socket open: said over HTTP instead.
pub fn read_without_socket(chat: Chat, seq: u64) {
    let saved = chat.saved();
    if let (Some(token), Some(thread)) = (saved.token, saved.conversation_id) {
        post_read(&token, thread.as_str(), PROTOCOL_VERSION, seq as f64);
    }
}
