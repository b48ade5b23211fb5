//! Where the visitor writes: Enter sends, Shift+Enter starts a new line (see `key_pressed`).

use confab_protocol::limits::MAX_MESSAGE_CHARS;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};

use crate::chat::Chat;
use crate::dom;
use crate::texts::Texts;

pub fn add(parent: &Element, texts: &Texts) -> Element {
    let form = dom::add(parent, "form", &[("class", "composer")]);
    let max = MAX_MESSAGE_CHARS.to_string();
    let attributes = [
        ("rows", "1"),
        ("maxlength", max.as_str()),
        ("placeholder", texts.placeholder),
        ("aria-label", texts.placeholder),
    ];
    dom::add(&form, "textarea", &attributes);
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
    chat.send(text);
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
