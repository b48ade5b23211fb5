//! Who the visitor is, as far as their browser told: the page, browser and device,
//! language, their local time, and their earlier conversations.

use confab_protocol::console::InboxRow;
use confab_protocol::SiteId;
use leptos::prelude::*;

use super::inbox_list::status_text;
use crate::browser;
use crate::inbox::Inbox;
use crate::logic::format::relative_time;
use crate::logic::route::Route;
use crate::texts::t;
use confab_protocol::user_agent::describe_user_agent;

#[component]
pub fn ContextPanel(site: SiteId, earlier: RwSignal<Vec<InboxRow>>) -> impl IntoView {
    let inbox = expect_context::<Inbox>();
    let now = RwSignal::new(browser::now_ms());
    browser::keep_time(now);
    let context = move || {
        inbox
            .open_row
            .with(|r| r.as_ref().map(|r| r.context.clone()))
    };
    let field = move |read: fn(&confab_protocol::console::VisitorContext) -> String| {
        move || context().map(|c| read(&c)).filter(|v| !v.is_empty())
    };
    let page = field(|c| c.page.clone());
    let browser_name = field(|c| describe_user_agent(&c.user_agent));
    let language = field(|c| c.lang.clone());
    let local_time = move || {
        let zone = context().map(|c| c.time_zone).filter(|z| !z.is_empty())?;
        let time = browser::format_date(
            now.get(),
            &[
                ("timeZone", &zone),
                ("weekday", "short"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
        );
        (!time.is_empty()).then(|| format!("{time} ({zone})"))
    };
    let started_by = move || {
        inbox
            .open_row
            .with(|r| r.as_ref().and_then(|r| r.proactive.clone()))
    };
    let site = StoredValue::new(site);
    view! {
        <aside id="visitor-context" class="context" aria-label=t().visitor>
            <h3>{t().visitor}</h3>
            <dl>
                <dt>{t().page}</dt>
                <dd>{move || match page() {
                    Some(url) if url.starts_with("https://") || url.starts_with("http://") => view! {
                        <a href=url.clone() target="_blank" rel="noopener noreferrer nofollow ugc">{url.clone()}</a>
                    }.into_any(),
                    Some(text) => text.into_any(),
                    None => t().unknown.into_any(),
                }}</dd>
                <dt>{t().browser}</dt>
                <dd>{move || browser_name().unwrap_or_else(|| t().unknown.to_owned())}</dd>
                <dt>{t().language}</dt>
                <dd>{move || language().unwrap_or_else(|| t().unknown.to_owned())}</dd>
                <dt>{t().local_time}</dt>
                <dd>{move || local_time().unwrap_or_else(|| t().unknown.to_owned())}</dd>
                // What the site's page `set` (Confab('set', …)): plan, cart value…
                {move || context().map(|c| c.attributes).unwrap_or_default().into_iter().map(|(key, value)| view! {
                    <dt class="attribute">{key}</dt>
                    <dd>{value}</dd>
                }).collect_view()}
                {move || started_by().map(|started| view! {
                    <dt>{crate::texts::f().started_by}</dt>
                    <dd class="started-by" data-rule=started.rule>{started.name}</dd>
                })}
            </dl>
            <h3>{t().earlier_conversations}</h3>
            {move || {
                let rows = earlier.get();
                if rows.is_empty() {
                    view! { <p class="empty">{t().none}</p> }.into_any()
                } else {
                    view! {
                        <ul class="earlier-conversations">
                            {rows.into_iter().map(|row| {
                                let href = Route::Conversation {
                                    site: site.get_value(),
                                    id: row.conversation_id.clone(),
                                }
                                .href();
                                view! {
                                    <li>
                                        <a href=href>
                                            <span class="earlier-preview">{row.preview.clone()}</span>
                                            <span class="meta">
                                                {format!("{} · {}", status_text(&row), relative_time(now.get_untracked(), row.updated_at))}
                                            </span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}
