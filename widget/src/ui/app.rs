use confab_protocol::Author;
use leptos::prelude::*;

use super::launcher::Launcher;
use super::panel::Panel;
use crate::chat::Chat;
use crate::config::Config;

#[component]
pub fn App(config: Config) -> impl IntoView {
    let texts = config.texts;
    let chat = Chat::new(&config);
    // Set once per page: leaked, so the panel can borrow them for as long as it lives.
    let team: &'static str = config.team.clone().leak();
    let availability: &'static str = config.availability.clone().leak();
    chat.start();
    crate::account::serve_host_commands(chat, &config.host);
    // A resume or sign-in link brought the visitor here: sign in and show the thread.
    if let Some(way) = crate::account::take_from_address() {
        chat.open.set(true);
        leptos::task::spawn_local(async move {
            let _ = crate::account::sign_in(chat, way).await;
        });
    }
    // Opening the panel reads what is there; unread replies show in the title meanwhile.
    Effect::new(move |_| {
        let unread = chat
            .thread
            .with(|t| t.unread_after(Author::Visitor, chat.seen.get()));
        crate::attention::mark_title(unread);
        // Nothing is unread while the panel is open, as the launcher says.
        crate::host::thread_changed(chat, if chat.open.get() { 0 } else { unread });
        if chat.open.get() {
            chat.mark_seen();
        }
    });
    view! {
        {move || chat.open.get().then(|| view! { <Panel chat texts team availability /> })}
        <Launcher chat texts />
    }
}
