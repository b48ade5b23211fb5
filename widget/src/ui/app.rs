use leptos::prelude::*;

use super::launcher::Launcher;
use super::panel::Panel;
use crate::chat::Chat;
use crate::config::Config;

#[component]
pub fn App(config: Config) -> impl IntoView {
    let texts = config.texts;
    let open = RwSignal::new(config.open);
    let chat = Chat::new(&config);
    chat.load();
    view! {
        <Show when=move || open.get()>
            <Panel chat texts open />
        </Show>
        <Launcher open texts />
    }
}
