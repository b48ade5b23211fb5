//! Canned replies: saved answers any agent inserts by typing `/shortcut`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::login::ErrorText;
use crate::api;
use crate::state::Console;
use crate::texts::t;

#[component]
pub fn CannedPage() -> impl IntoView {
    super::styles::add("canned-styles", include_str!("canned.css"));
    let console = expect_context::<Console>();
    console.refresh_canned();
    let shortcut = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = shortcut.get_untracked();
        let clean = match confab_protocol::console::shortcut(&typed) {
            Ok(clean) => clean,
            Err(why) => {
                error.set(Some(
                    t().shortcut_invalid
                        .replace("{why}", why.message.trim_start_matches("shortcut: ")),
                ));
                return;
            }
        };
        error.set(None);
        spawn_local(async move {
            match api::save_canned(&clean, &body.get_untracked()).await {
                Ok(saved) => {
                    shortcut.set(String::new());
                    body.set(String::new());
                    console.canned.update(|c| {
                        c.retain(|r| r.shortcut != saved.shortcut);
                        c.push(saved);
                        c.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
                    });
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    let delete = move |name: String| {
        spawn_local(async move {
            match api::delete_canned(&name).await {
                Ok(()) => console.canned.update(|c| c.retain(|r| r.shortcut != name)),
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    view! {
        <section class="page canned">
            <h2>{t().canned_replies}</h2>
            <p class="hint">{t().canned_hint}</p>
            <form class="canned-form" on:submit=submit>
                <label for="canned-shortcut">{t().shortcut}</label>
                <input id="canned-shortcut" type="text" required placeholder="refund"
                    prop:value=move || shortcut.get() on:input=move |ev| shortcut.set(event_target_value(&ev)) />
                <label for="canned-body">{t().canned_body}</label>
                <textarea id="canned-body" rows="3" required
                    prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <ErrorText error />
                <button id="canned-save" type="submit" class="primary">{t().save}</button>
            </form>
            <ul class="canned-list">
                {move || console.canned.get().into_iter().map(|reply| {
                    let name = reply.shortcut.clone();
                    let label = t().delete_canned.replace("{shortcut}", &reply.shortcut);
                    view! {
                        <li data-canned=reply.shortcut.clone()>
                            <strong>{format!("/{}", reply.shortcut)}</strong>
                            <p>{reply.body}</p>
                            <button type="button" class="delete quiet" aria-label=label
                                on:click=move |_| delete(name.clone())>{t().delete}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || console.canned.with(|c| c.is_empty()).then(|| view! { <p class="empty">{t().no_canned}</p> })}
        </section>
    }
}
