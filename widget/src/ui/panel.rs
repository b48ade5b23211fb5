use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::composer::Composer;
use super::home::Home;
use super::message_list::MessageList;
use crate::chat::{Chat, Link};
use crate::texts::Texts;

#[component]
pub fn Panel(
    chat: Chat,
    texts: &'static Texts,
    team: &'static str,
    availability: &'static str,
) -> impl IntoView {
    let team = if team.is_empty() { texts.title } else { team };
    super::home::prefetch();
    hold_focus();
    let open = chat.open;
    let close_on_escape = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    };
    view! {
        <section class="panel" role="dialog" aria-label=texts.title on:keydown=close_on_escape>
            <header class="panel-header">
                <div>
                    <h2>{team}</h2>
                    <p class="availability">{availability}</p>
                </div>
                <button
                    class="menu"
                    type="button"
                    aria-label=texts.menu
                    aria-pressed=move || chat.home.get().to_string()
                    on:click=move |_| chat.home.update(|h| *h = !*h)
                >
                    "☰"
                </button>
                <button
                    class="close"
                    type="button"
                    aria-label=texts.close
                    on:click=move |_| open.set(false)
                >
                    "×"
                </button>
            </header>
            {move || (chat.link.get() == Link::Offline).then(|| view! {
                <p class="banner offline" role="status">{texts.offline}</p>
            })}
            {move || chat.home.get().then(|| view! { <Home chat texts /> })}
            <div class="thread-view" hidden=move || chat.home.get()>
                <MessageList chat texts />
                <p class="typing" aria-live="polite">
                    {move || chat.agent_typing.get().then_some(texts.typing)}
                </p>
                <Composer chat texts />
            </div>
        </section>
    }
}

/// While the panel is open: on a phone, where it is the whole screen, the page behind is
/// `inert` (out of reach of Tab and screen readers, as behind a modal dialog). When it
/// closes, the page is itself again (and the launcher takes the focus back, see there).
fn hold_focus() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let phone = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 480.0);
    let body = document.body();
    let made_inert = phone && body.as_ref().is_some_and(|b| !b.has_attribute("inert"));
    if made_inert {
        if let Some(body) = &body {
            let _ = body.set_attribute("inert", "");
        }
    }
    on_cleanup(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if made_inert {
            if let Some(body) = document.body() {
                let _ = body.remove_attribute("inert");
            }
        }
    });
}
