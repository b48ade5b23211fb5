//! Signing in, and choosing a password from an invitation link.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use confab_protocol::password::{check_new, MIN_PASSWORD_CHARS};

use crate::api;
use crate::logic::route::Route;
use crate::state::Console;
use crate::texts::t;

#[component]
pub fn Login() -> impl IntoView {
    let console = expect_context::<Console>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = api::login(&email.get_untracked(), &password.get_untracked()).await;
            busy.set(false);
            match answer {
                Ok(me) => console.signed_in(me),
                Err(failure) => {
                    password.set(String::new());
                    error.set(Some(failure.message));
                }
            }
        });
    };
    view! {
        <section class="auth">
            <h1>{t().console_title}</h1>
            <form on:submit=submit>
                <label for="email">{t().email}</label>
                <input id="email" type="email" autocomplete="username" required
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev)) />
                <label for="password">{t().password}</label>
                <input id="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                <ErrorText error />
                <button id="login" type="submit" class="primary" disabled=move || busy.get()>
                    {t().sign_in}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn ChoosePassword(token: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let token = StoredValue::new(token);
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Err(why) = check_new(&password.get_untracked()) {
            error.set(Some(
                t().password_invalid
                    .replace("{why}", why.message.trim_start_matches("password: ")),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = api::accept_invite(&token.get_value(), &password.get_untracked()).await;
            busy.set(false);
            match answer {
                Ok(me) => {
                    console.signed_in(me);
                    console.go(Route::Inbox);
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    };
    view! {
        <section class="auth">
            <h1>{t().welcome}</h1>
            <form on:submit=submit>
                <label for="new-password">{t().choose_password}</label>
                <input id="new-password" type="password" autocomplete="new-password" required
                    aria-describedby="password-rule"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                <p id="password-rule" class="hint">{t().password_rule.replace("{count}", &MIN_PASSWORD_CHARS.to_string())}</p>
                <ErrorText error />
                <button id="accept-invite" type="submit" class="primary" disabled=move || busy.get()>
                    {t().set_password}
                </button>
            </form>
        </section>
    }
}

/// An error message, announced to screen readers when it appears.
#[component]
pub fn ErrorText(error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|message| view! { <p class="error" role="alert">{message}</p> })
    }
}
