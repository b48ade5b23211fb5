//! What an agent does to a conversation: take it, hand it over, resolve, reopen, snooze.

use confab_protocol::console::{InboxRow, Status};
use confab_protocol::{AgentId, ConversationId, SiteId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::inbox_list::status_text;
use crate::api::{self, Answer};
use crate::browser;
use crate::inbox::Inbox;
use crate::texts::t;

const HOUR_MS: u64 = 3_600_000;

#[component]
pub fn Actions(site: SiteId, id: ConversationId) -> impl IntoView {
    let inbox = expect_context::<Inbox>();
    let console = inbox.console;
    let target = StoredValue::new((site, id));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let done = move |answer: Answer<InboxRow>| {
        busy.set(false);
        match answer {
            Ok(row) => {
                error.set(None);
                inbox.open_row.set(Some(row.clone()));
                inbox.apply(row);
            }
            Err(failure) => error.set(Some(console.failed(&failure))),
        }
    };
    let assign = move |to: Option<AgentId>| {
        busy.set(true);
        let (site, id) = target.get_value();
        spawn_local(async move { done(api::assign(&site, &id, to).await) });
    };
    let set_status = move |status: Status, until: Option<u64>| {
        busy.set(true);
        let (site, id) = target.get_value();
        spawn_local(async move { done(api::set_status(&site, &id, status, until).await) });
    };
    let row = move || inbox.open_row.get();
    let status = move || row().map(|r| r.status);
    let assignee = move || row().and_then(|r| r.assignee);
    let mine = move || assignee().is_some() && assignee() == console.me_id();
    let assignee_name = move || match assignee() {
        Some(agent) => console.agent_name(&agent),
        None => t().unassigned.to_owned(),
    };
    let pick_assignee = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        assign(AgentId::parse(&value));
    };
    view! {
        <div class="actions">
            <p class="state">
                <span id="status">{move || row().map(|r| status_text(&r)).unwrap_or_default()}</span>
                " · "
                <span id="assignee">{assignee_name}</span>
            </p>
            <div class="buttons">
                <button id="assign-me" type="button" disabled=move || busy.get() || mine()
                    on:click=move |_| assign(console.me_id())>{t().assign_to_me}</button>
                <button id="unassign" type="button" disabled=move || busy.get() || assignee().is_none()
                    on:click=move |_| assign(None)>{t().unassign}</button>
                <label for="assignee-select" class="visually-hidden">{t().assign_to}</label>
                <select id="assignee-select" on:change=pick_assignee disabled=move || busy.get()>
                    <option value="" selected=move || assignee().is_none()>{t().assign_to_choose}</option>
                    {move || console.agents.get().into_iter().filter(|a| !a.pending).map(|agent| {
                        let selected = assignee().as_ref() == Some(&agent.id);
                        view! { <option value=agent.id.to_string() selected=selected>{agent.name}</option> }
                    }).collect_view()}
                </select>
                <button id="resolve" type="button"
                    disabled=move || busy.get() || status() == Some(Status::Resolved)
                    on:click=move |_| set_status(Status::Resolved, None)>{t().resolve}</button>
                <button id="reopen" type="button"
                    disabled=move || busy.get() || status() == Some(Status::Open)
                    on:click=move |_| set_status(Status::Open, None)>{t().reopen}</button>
                <button id="snooze-hour" type="button"
                    disabled=move || busy.get() || status() == Some(Status::Resolved)
                    on:click=move |_| set_status(Status::Snoozed, Some(browser::now_ms() + HOUR_MS))>
                    {t().snooze_hour}
                </button>
                <button id="snooze-tomorrow" type="button"
                    disabled=move || busy.get() || status() == Some(Status::Resolved)
                    on:click=move |_| set_status(Status::Snoozed, Some(browser::tomorrow_at_nine()))>
                    {t().snooze_tomorrow}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}
