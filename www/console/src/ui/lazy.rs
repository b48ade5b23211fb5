//! Pages agents open rarely (the team and its settings, canned replies, reports, signing
//! in), each a
//! wasm chunk of its own (Leptos' code splitting): the inbox, where agents spend their day,
//! does not download them. A chunk that cannot load says so, with a button to try again,
//! instead of a page that never comes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_split_helpers::{wasm_split, SplitLoaderError};

use confab_protocol::{ConversationId, SiteId};

use super::canned::CannedPage;
use super::conversation::ConversationPane;
use super::login::{ChoosePassword, Login};
use super::reports::ReportsPage;
use super::team::TeamPage;
use crate::texts::t;

/// A page from a chunk: split functions answer a future of the page, or of the failure.
type Loading = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

/// Each page's view is built untracked (`untrack` in the split functions below): what it
/// reads while being built must not build it again, as the `Suspend` here would, losing a
/// half-typed reply with the old view.
///
/// Shows what `load` gives once its chunk is here, nothing meanwhile (a `Suspense` with a
/// fallback would cost the inbox 5 KB gzipped): the chunks are prefetched instead, so that
/// they are usually here before they are needed.
/// (`load` is boxed: one copy of this code serves every page.)
fn page(load: Arc<dyn Fn() -> Loading + Send + Sync>) -> impl IntoView {
    // u64, as the inbox list's clock: a signal of a type of its own costs about 1 KB.
    let attempt = RwSignal::new(0u64);
    move || {
        attempt.track();
        let load = load.clone();
        Suspend::new(SendWrapper::new(async move {
            match load().await {
                Ok(view) => view,
                Err(_) => view! {
                    <p class="error" role="alert">
                        {t().page_failed}
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {t().try_again}
                        </button>
                    </p>
                }
                .into_any(),
            }
        }))
    }
}

/// Fetches the sign-in page beside the check of the session, so that an agent signed out
/// does not wait for it after the check.
pub fn prefetch_login() {
    leptos::task::spawn_local(async {
        let _ = prefetch_login_page().await;
    });
}

/// Fetches the signed-in agent's rare pages once the inbox is up, so that opening one is
/// instant; fetched once, the split loader keeps them.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        let _ = prefetch_conversation_page().await;
        let _ = prefetch_team_page().await;
        let _ = prefetch_canned_page().await;
        let _ = prefetch_reports_page().await;
    });
}

pub fn team() -> impl IntoView {
    page(Arc::new(|| -> Loading { Box::pin(team_page()) }))
}

pub fn canned() -> impl IntoView {
    page(Arc::new(|| -> Loading { Box::pin(canned_page()) }))
}

pub fn reports() -> impl IntoView {
    page(Arc::new(|| -> Loading { Box::pin(reports_page()) }))
}

pub fn login() -> impl IntoView {
    page(Arc::new(|| -> Loading { Box::pin(login_page()) }))
}

/// The invitation's page, for `token`.
pub fn invite(token: String) -> impl IntoView {
    let token = SendWrapper::new(token);
    page(Arc::new(move || -> Loading {
        Box::pin(invite_page((*token).clone()))
    }))
}

/// One conversation, `id` of `site`.
pub fn conversation(site: SiteId, id: ConversationId) -> impl IntoView {
    page(Arc::new(move || -> Loading {
        Box::pin(conversation_page(site.clone(), id.clone()))
    }))
}

#[wasm_split(conversation_page, fallible, preload(prefetch_conversation_page))]
fn conversation_page(site: SiteId, id: ConversationId) -> Result<AnyView, SplitLoaderError> {
    Ok(untrack(move || {
        view! { <ConversationPane site id /> }.into_any()
    }))
}

#[wasm_split(team_page, fallible, preload(prefetch_team_page))]
fn team_page() -> Result<AnyView, SplitLoaderError> {
    Ok(untrack(move || view! { <TeamPage /> }.into_any()))
}

#[wasm_split(canned_page, fallible, preload(prefetch_canned_page))]
fn canned_page() -> Result<AnyView, SplitLoaderError> {
    Ok(untrack(move || view! { <CannedPage /> }.into_any()))
}

#[wasm_split(reports_page, fallible, preload(prefetch_reports_page))]
fn reports_page() -> Result<AnyView, SplitLoaderError> {
    Ok(untrack(move || view! { <ReportsPage /> }.into_any()))
}

#[wasm_split(login_page, fallible, preload(prefetch_login_page))]
fn login_page() -> Result<AnyView, SplitLoaderError> {
    Ok(untrack(move || view! { <Login /> }.into_any()))
}

#[wasm_split(invite_page, fallible)]
fn invite_page(token: String) -> Result<AnyView, SplitLoaderError> {
    Ok(untrack(move || {
        view! { <ChoosePassword token /> }.into_any()
    }))
}
