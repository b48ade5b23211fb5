//! The left column: site, views with their counts, search, presence, the other pages,
//! notifications and signing out.

use confab_protocol::console::View;
use confab_protocol::SiteId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::NotificationPermission;

use crate::api;
use crate::browser;
use crate::inbox::Inbox;
use crate::logic::route::Route;
use crate::notify;
use crate::state::Console;
use crate::texts::t;

/// Wait after the last keystroke before searching.
const SEARCH_DELAY_MS: u64 = 300;

#[component]
pub fn Sidebar() -> impl IntoView {
    let console = expect_context::<Console>();
    let inbox = expect_context::<Inbox>();
    let sites = move || console.sites();
    let name = move || {
        console.me.with(|me| {
            me.as_ref()
                .and_then(|m| m.as_ref())
                .map(|m| m.agent.name.clone())
                .unwrap_or_default()
        })
    };
    let views = [
        (View::Mine, t().view_mine),
        (View::Unassigned, t().unassigned),
        (View::All, t().view_all),
        (View::Resolved, t().view_resolved),
    ];
    // A plain cell: nothing follows it (a stored value of its own type costs about 1 KB).
    let search_timer = std::cell::Cell::new(None::<i32>);
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(timer) = search_timer.take() {
            browser::cancel(timer);
        }
        let timer = browser::after(SEARCH_DELAY_MS, move || inbox.query.set(text));
        search_timer.set(Some(timer));
    };
    let online = move || {
        inbox.presence.with(|p| {
            p.iter()
                .filter(|p| !p.away)
                .map(|p| console.agent_name(&p.agent))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::logout().await;
            console.signed_out();
            console.go(Route::Inbox);
        });
    };
    view! {
        <nav class="sidebar" id="sidebar" aria-label=t().inbox>
            <p class="who">{name}</p>
            {move || {
                let sites = sites();
                (sites.len() > 1).then(|| view! {
                    <label for="site">{t().site}</label>
                    <select id="site" on:change=move |ev| {
                        console.site.set(SiteId::parse(&event_target_value(&ev)));
                        console.go(Route::Inbox);
                    }>
                        {sites.into_iter().map(|s| {
                            let selected = console.site.get_untracked().as_ref() == Some(&s.site);
                            view! { <option value=s.site.to_string() selected=selected>{s.team}</option> }
                        }).collect_view()}
                    </select>
                })
            }}
            <button
                id="presence"
                type="button"
                class="presence"
                class:away=move || inbox.away.get()
                aria-pressed=move || (!inbox.away.get()).to_string()
                title=t().switch_presence
                on:click=move |_| inbox.set_away(!inbox.away.get_untracked())
            >
                {move || if inbox.away.get() { t().away } else { t().online }}
            </button>
            <ul class="views">
                {views.into_iter().map(|(view, label)| {
                    let count = move || {
                        let counts = inbox.counts();
                        match view {
                            View::Mine => Some(counts.mine),
                            View::Unassigned => Some(counts.unassigned),
                            View::All => Some(counts.all),
                            View::Resolved => None,
                        }
                    };
                    view! {
                        <li>
                            <button
                                type="button"
                                data-view=api::view_name(view)
                                class:current=move || inbox.view.get() == view
                                aria-current=move || (inbox.view.get() == view).then_some("true")
                                on:click=move |_| {
                                    inbox.view.set(view);
                                    if console.route.with_untracked(|r| matches!(r, Route::Team | Route::Canned | Route::Reports)) {
                                        console.go(Route::Inbox);
                                    }
                                }
                            >
                                <span>{label}</span>
                                {move || count().map(|n| view! { <span class="count">{n}</span> })}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label for="search">{t().search}</label>
            <input id="search" type="search" placeholder=t().search_placeholder on:input=on_search />
            <p class="online" aria-live="polite">
                {move || {
                    let names = online();
                    if names.is_empty() { String::new() } else { t().online_names.replace("{names}", &names) }
                }}
            </p>
            <ul class="pages">
                <li><a href="#/">{t().inbox}</a></li>
                <li><a href="#/canned">{t().canned_replies}</a></li>
                <li><a href="#/reports">{t().reports}</a></li>
                {move || console.is_admin().then(|| view! { <li><a href="#/team">{t().team}</a></li> })}
            </ul>
            <NotifyButton />
            <button id="logout" type="button" class="quiet" on:click=sign_out>{t().sign_out}</button>
        </nav>
    }
}

/// Asks for notification permission, only when the agent clicks.
#[component]
fn NotifyButton() -> impl IntoView {
    let permission = RwSignal::new(notify::permission());
    let label = move || match permission.get() {
        None => t().notify_unavailable,
        Some(NotificationPermission::Granted) => t().notify_on,
        Some(NotificationPermission::Denied) => t().notify_blocked,
        Some(_) => t().notify_turn_on,
    };
    view! {
        <button
            id="notify"
            type="button"
            class="quiet"
            disabled=move || !matches!(permission.get(), Some(NotificationPermission::Default))
            on:click=move |_| {
                notify::ask(move |answer| permission.set(Some(answer)));
                // The tone's audio context may only start after a click: this one unlocks it.
                notify::beep();
            }
        >
            {label}
        </button>
    }
}
