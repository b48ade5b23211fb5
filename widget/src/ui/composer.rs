//! Where the visitor writes: Enter sends, Shift+Enter starts a new line (see `key_pressed`);
//! the paperclip attaches files (`uploads.rs`), whose uploads show above it.

use confab_protocol::attachments::ACCEPTED;
use confab_protocol::limits::MAX_MESSAGE_CHARS;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};

use crate::chat::Chat;
use crate::dom;
use crate::texts::Texts;

pub fn add(parent: &Element, texts: &Texts) -> Element {
    dom::add(
        parent,
        "ul",
        &[("class", "uploads"), ("aria-live", "polite")],
    );
    let form = dom::add(parent, "form", &[("class", "composer")]);
    let max = MAX_MESSAGE_CHARS.to_string();
    let attributes = [
        ("rows", "1"),
        ("maxlength", max.as_str()),
        ("placeholder", texts.placeholder),
        ("aria-label", texts.placeholder),
    ];
    dom::add(&form, "textarea", &attributes);
    // A label around a hidden input: the browser's own picker, camera on phones included.
    let attach = dom::add(
        &form,
        "label",
        &[("class", "attach"), ("title", texts.attach)],
    );
    let input = [
        ("type", "file"),
        ("multiple", ""),
        ("accept", ACCEPTED),
        ("class", "visually-hidden"),
        ("aria-label", texts.attach),
    ];
    dom::add(&attach, "input", &input);
    dom::add_text(
        &form,
        "button",
        &[("class", "send"), ("type", "submit")],
        texts.send,
    );
    form
}

fn text_area(form: &Element) -> Option<HtmlTextAreaElement> {
    dom::find(form, "textarea")?.dyn_into().ok()
}

/// Sends what is written, unless it is only blanks.
pub fn submit(chat: Chat, form: &Element) {
    let Some(area) = text_area(form) else { return };
    let text = area.value();
    if text.trim().is_empty() {
        return;
    }
    area.set_value("");
    chat.send(text, Vec::new());
    let _ = area.focus();
}

/// Focuses the composer, with the host page's text in it if it gave one.
pub fn focus(chat: Chat, form: &Element) {
    let Some(area) = text_area(form) else { return };
    let draft = crate::host::take_draft(chat);
    if !draft.is_empty() {
        area.set_value(&draft);
    }
    let _ = area.focus();
}
