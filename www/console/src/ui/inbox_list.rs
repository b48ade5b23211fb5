//! The middle column: the conversations of the current view, newest first.

use confab_protocol::console::{InboxRow, Status};
use confab_protocol::rating::Score;
use confab_protocol::Author;
use leptos::prelude::*;

use crate::browser;
use crate::inbox::Inbox;
use crate::logic::format::{relative_time, visitor_name};
use crate::logic::route::Route;
use crate::state::Console;
use crate::texts::t;

#[component]
pub fn InboxList() -> impl IntoView {
    let inbox = expect_context::<Inbox>();
    let now = RwSignal::new(browser::now_ms());
    browser::keep_time(now);
    view! {
        <section class="list" aria-label=t().conversations>
            {move || (!inbox.live.get()).then(|| view! {
                <p class="banner" role="status">{t().reconnecting}</p>
            })}
            {move || inbox.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <ul class="rows">
                <For
                    each=move || inbox.rows.get()
                    key=|row| (row.conversation_id.clone(), row.last_seq, row.updated_at, row.unread, row.status.as_str(), row.assignee.clone(), row.snoozed_until)
                    children=move |row| view! { <RowItem row now /> }
                />
            </ul>
            {move || {
                let empty = inbox.rows.with(|r| r.is_empty()) && !inbox.loading.get();
                empty.then(|| view! { <p class="empty">{t().no_conversations}</p> })
            }}
        </section>
    }
}

#[component]
fn RowItem(row: InboxRow, now: RwSignal<u64>) -> impl IntoView {
    let console = expect_context::<Console>();
    let href = Route::Conversation {
        site: row.site.clone(),
        id: row.conversation_id.clone(),
    }
    .href();
    let id = row.conversation_id.clone();
    let current = move || {
        console
            .route
            .with(|r| r.conversation().is_some_and(|(_, open)| open == id))
    };
    let assignee = row.assignee.clone();
    let assignee_name = move || match &assignee {
        Some(agent) => console.agent_name(agent),
        None => t().unassigned.to_owned(),
    };
    let status = status_text(&row);
    let updated_at = row.updated_at;
    let from_team = row.last_author == Author::Agent;
    let has_unread = row.unread > 0;
    view! {
        <li data-conversation=row.conversation_id.to_string() class:current=current class:unread=has_unread>
            <a href=href>
                <span class="top">
                    <span class="visitor">{visitor_name(t().visitor, row.visitor_id.as_str())}</span>
                    <time>{move || relative_time(now.get(), updated_at)}</time>
                </span>
                <span class="line">
                    {from_team.then(|| view! { <span class="by-team">{t().team_said}</span> })}
                    <span class="preview">{row.preview.clone()}</span>
                </span>
                <span class="bottom">
                    <span class="status" data-status=row.status.as_str()>{status}</span>
                    <span class="assignee">{assignee_name}</span>
                    {row.rating.as_ref().map(|r| view! {
                        <span class="rating" data-score=r.score.as_str()>{rated_text(r.score)}</span>
                    })}
                    {(row.unread > 0).then(|| view! {
                        <span class="unread-count" aria-label=t().unread_count.replace("{count}", &row.unread.to_string())>{row.unread}</span>
                    })}
                </span>
            </a>
        </li>
    }
}

/// "Rated Good": how the visitor rated a conversation.
pub fn rated_text(score: Score) -> String {
    let word = match score {
        Score::Good => t().rating_good,
        Score::Okay => t().rating_okay,
        Score::Bad => t().rating_bad,
    };
    t().rated.replace("{score}", word)
}

/// "Open", "Resolved" or "Snoozed until Tue 09:00".
pub fn status_text(row: &InboxRow) -> String {
    match (row.status, row.snoozed_until) {
        (Status::Open, _) => t().status_open.to_owned(),
        (Status::Resolved, _) => t().status_resolved.to_owned(),
        (Status::Snoozed, Some(until)) => t().snoozed_until.replace(
            "{time}",
            &browser::format_date(
                until,
                &[
                    ("weekday", "short"),
                    ("hour", "2-digit"),
                    ("minute", "2-digit"),
                ],
            ),
        ),
        (Status::Snoozed, None) => t().snoozed.to_owned(),
    }
}
