//! The host page's side of the widget: the events its listeners hear
//! (`Confab('on', event, fn)`, kept by the loader, which also tells `ready`), the text it
//! puts in the composer, and the attributes it `set`s.

use confab_protocol::Author;
use wasm_bindgen::{JsCast, JsValue};

use confab_protocol::limits::MAX_ATTRIBUTES_JSON_BYTES;

use crate::chat::Chat;

/// Calls the page's listeners of `event` with `detail`.
pub fn emit(chat: Chat, event: &str, detail: JsValue) {
    let emit = chat.with_inner(|i| js_sys::Reflect::get(&i.host, &"e".into()));
    if let Ok(emit) = emit.and_then(|e| e.dyn_into::<js_sys::Function>()) {
        let _ = emit.call2(&JsValue::NULL, &event.into(), &detail);
    }
}

/// What changed in the thread, for the page: `unread` with the count when it changes, and
/// `message` with the text of each new reply (not the thread's history). Called after
/// each redraw (`ui::draw`).
pub fn thread_changed(chat: Chat, unread: usize) {
    let (told, announcer) = chat.with_inner(|i| (i.unread_told, i.announcer));
    if told != Some(unread) {
        if told.is_some() {
            emit(chat, "unread", (unread as f64).into());
        }
        chat.update_inner(|i| i.unread_told = Some(unread));
    }
    let mut announcer = announcer;
    let reply = chat.shown(|s| {
        announcer
            .next(&s.thread, Author::Visitor)
            .map(|e| e.body.clone())
    });
    chat.update_inner(|i| i.announcer = announcer);
    if let Some(reply) = reply {
        emit(chat, "message", reply.into());
    }
}

/// `Confab('prefill', text)`: the panel opens on the thread with `text` in the composer.
pub fn prefill(chat: Chat, text: JsValue) {
    chat.update_inner(|i| i.draft = text.as_string().unwrap_or_default());
    chat.show(|s| {
        s.home = false;
        s.open = true;
        s.prefills += 1;
    });
}

/// The host page's text for the composer, once.
pub fn take_draft(chat: Chat) -> String {
    let mut draft = String::new();
    chat.update_inner(|i| std::mem::swap(&mut draft, &mut i.draft));
    draft
}

/// `Confab('event', 'checkout_failed')`: the page tells of something that happened, for
/// the proactive rules that wait for it (on this page only: nothing is kept or sent).
pub fn event(chat: Chat, name: JsValue) {
    if let Some(name) = name.as_string().filter(|n| n.len() <= 40) {
        chat.update_inner(|i| i.events.push(name));
    }
}

/// `Confab('set', {plan: "pro", cart_value: 120})`: attributes agents see beside the thread
/// from the visitor's next message on; later calls add to (or replace) earlier ones. They
/// ride on every message, so they must be JSON (a BigInt or a loop would stop every send)
/// and small; a call that breaks either rule changes nothing (README: the host page's API).
pub fn set(chat: Chat, fields: JsValue) {
    let merged = js_sys::Object::new();
    chat.with_inner(|i| js_sys::Object::assign(&merged, i.attributes.unchecked_ref()));
    js_sys::Object::assign(&merged, fields.unchecked_ref());
    let json = js_sys::JSON::stringify(&merged)
        .ok()
        .and_then(|j| j.as_string())
        .filter(|_| fields.is_object());
    if json.is_some_and(|j| j.len() <= MAX_ATTRIBUTES_JSON_BYTES) {
        chat.update_inner(|i| i.attributes = merged.into());
    }
}
