use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::Textarea;
use leptos::prelude::*;

use confab_protocol::limits::MAX_MESSAGE_CHARS;

use crate::chat::Chat;
use crate::texts::Texts;

/// Enter sends, Shift+Enter starts a new line.
#[component]
pub fn Composer(chat: Chat, texts: &'static Texts) -> impl IntoView {
    let input = NodeRef::<Textarea>::new();
    let submit = move || {
        let Some(area) = input.get() else { return };
        let text = area.value();
        if text.trim().is_empty() {
            return;
        }
        area.set_value("");
        chat.send(text);
        let _ = area.focus();
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit();
        }
    };
    // Focus the composer when the panel opens, with the host page's text if it gave one.
    Effect::new(move |_| {
        chat.prefills.track();
        if let Some(area) = input.get() {
            let draft = crate::host::take_draft(chat);
            if !draft.is_empty() {
                area.set_value(&draft);
            }
            let _ = area.focus();
        }
    });
    view! {
        <form class="composer" on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            submit();
        }>
            <textarea
                node_ref=input
                rows="1"
                maxlength=MAX_MESSAGE_CHARS.to_string()
                placeholder=texts.placeholder
                aria-label=texts.placeholder
                on:keydown=on_key
                on:input=move |_| crate::live::send_typing(chat)
            ></textarea>
            <button class="send" type="submit">{texts.send}</button>
        </form>
    }
}
