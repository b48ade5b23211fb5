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
