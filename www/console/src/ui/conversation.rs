//! The right column: one conversation, its actions, the composer and the visitor.

use confab_protocol::console::InboxRow;
use confab_protocol::{ConversationId, SiteId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::actions::Actions;
use super::composer::Composer;
use super::context::ContextPanel;
use super::messages::Messages;
use crate::api;
use crate::inbox::Inbox;
use crate::live::conversation::Conversation;
use crate::logic::format::visitor_name;
use crate::logic::route::Route;
use crate::texts::t;

#[component]
pub fn ConversationPane(site: SiteId, id: ConversationId) -> impl IntoView {
    super::styles::add("conversation-styles", include_str!("conversation.css"));
    let inbox = expect_context::<Inbox>();
    let console = inbox.console;
    let conversation = Conversation::new(console, id.clone());
    conversation.start();
    on_cleanup(move || {
        conversation.stop();
        inbox.open_row.try_set(None);
    });
    // Until the details arrive, the list's copy of the row stands in.
    let listed = inbox
        .rows
        .with_untracked(|rows| rows.iter().find(|r| r.conversation_id == id).cloned());
    inbox.open_row.set(listed);
    let earlier = RwSignal::new(Vec::<InboxRow>::new());
    {
        let (site, id) = (site.clone(), id.clone());
        spawn_local(async move {
            match api::conversation(&site, &id).await {
                Ok(detail) => {
                    inbox.open_row.try_set(Some(detail.conversation));
                    earlier.try_set(detail.earlier);
                }
                Err(failure) => {
                    conversation.error.try_set(Some(console.failed(&failure)));
                }
            }
        });
    }
    // Read receipts: what is on screen, while the tab is visible.
    Effect::new(move |_| {
        conversation.thread.track();
        if console.visible.get() {
            conversation.mark_read();
        }
    });
    let title = move || {
        inbox.open_row.with(|row| {
            row.as_ref()
                .map(|r| visitor_name(t().visitor, r.visitor_id.as_str()))
                .unwrap_or_else(|| t().conversation.to_owned())
        })
    };
    view! {
        <section class="conversation" aria-labelledby="conversation-title">
            <header class="conversation-header">
                <a class="back" href=Route::Inbox.href() aria-label=t().back_to_list>"←"</a>
                <h2 id="conversation-title">{title}</h2>
                <Actions site=site.clone() id=id.clone() />
            </header>
            {move || conversation.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="conversation-body">
                <div class="thread-column">
                    <Messages conversation />
                    <p id="typing" class="typing" aria-live="polite">{move || conversation.typing.get()}</p>
                    <Composer conversation />
                </div>
                <ContextPanel site earlier />
            </div>
        </section>
    }
}
