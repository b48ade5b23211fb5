use leptos::prelude::*;

use crate::texts::Texts;

/// The round button in the corner. Same markup and class as the loader's placeholder, so
/// the hand-over cannot be seen.
#[component]
pub fn Launcher(open: RwSignal<bool>, texts: &'static Texts) -> impl IntoView {
    view! {
        <button
            class="launcher"
            type="button"
            aria-label=move || if open.get() { texts.close } else { texts.open }
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
            </svg>
        </button>
    }
}
