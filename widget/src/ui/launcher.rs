use confab_protocol::Author;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chat::Chat;
use crate::texts::Texts;

/// The round button in the corner, with the count of unread replies. Same markup and class
/// as the loader's placeholder, so the hand-over cannot be seen.
#[component]
pub fn Launcher(chat: Chat, texts: &'static Texts) -> impl IntoView {
    let open = chat.open;
    let unread = move || {
        if open.get() {
            0
        } else {
            chat.thread
                .with(|t| t.unread_after(Author::Visitor, chat.seen.get()))
        }
    };
    let label = move || match (open.get(), unread()) {
        (true, _) => texts.close.to_owned(),
        (false, 0) => texts.open.to_owned(),
        (false, n) => format!("{}, {n} {}", texts.open, texts.unread),
    };
    // Closed, the panel gives the focus it held back to the launcher (run after the panel
    // is gone, so on a phone the launcher is shown again and can take it). The host page
    // hears `open` and `close`.
    Effect::new(move |was_open: Option<bool>| {
        let now = open.get();
        if was_open.is_some_and(|was| was != now) {
            let event = if now { "open" } else { "close" };
            crate::host::emit(chat, event, wasm_bindgen::JsValue::UNDEFINED);
            if !now {
                take_focus_back();
            }
        }
        now
    });
    view! {
        <button
            class="launcher"
            type="button"
            aria-label=label
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
            </svg>
            {move || {
                let n = unread();
                (n > 0).then(|| view! { <span class="badge" aria-hidden="true">{n}</span> })
            }}
        </button>
    }
}

/// Focuses the launcher if the focus was in the widget or lost with the panel, never when
/// the visitor is somewhere else on the page.
fn take_focus_back() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(host) = document.query_selector("confab-widget").ok().flatten() else {
        return;
    };
    let launcher = host
        .shadow_root()
        .and_then(|r| r.query_selector(".launcher").ok().flatten());
    let active = document.active_element();
    let lost =
        active.is_none() || active == Some(host) || active == document.body().map(Into::into);
    if let (true, Some(launcher)) = (lost, launcher) {
        let _ = launcher.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
