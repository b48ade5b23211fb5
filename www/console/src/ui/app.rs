//! The root: the sign-in forms until there is a session, then the workspace.

use leptos::prelude::*;

use super::lazy;
use super::workspace::Workspace;
use crate::logic::route::Route;
use crate::state::Console;
use crate::texts::t;

/// What the root shows. A memo of it keeps the workspace (and its sockets) alive while
/// the hash moves between pages.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    Invite(String),
    Checking,
    SignedOut,
    SignedIn,
}

#[component]
pub fn App() -> impl IntoView {
    let console = Console::new();
    provide_context(console);
    // An invitation link is for someone without an account yet: no session to check.
    if !matches!(console.route.get_untracked(), Route::Invite(_)) {
        console.check_session();
        lazy::prefetch_login();
    }
    let stage = Memo::new(move |_| match console.route.get() {
        Route::Invite(token) => Stage::Invite(token),
        _ => match console.me.with(|me| me.as_ref().map(Option::is_some)) {
            None => Stage::Checking,
            Some(false) => Stage::SignedOut,
            Some(true) => Stage::SignedIn,
        },
    });
    move || match stage.get() {
        Stage::Invite(token) => lazy::invite(token).into_any(),
        Stage::Checking => view! { <p class="loading">{t().loading}</p> }.into_any(),
        Stage::SignedOut => lazy::login().into_any(),
        Stage::SignedIn => view! { <Workspace /> }.into_any(),
    }
}
