//! The timeline of the open conversation: messages, internal notes and when the visitor was
//! reached while away, oldest first, with "Earlier messages" above and the visitor's "Seen"
//! under the last reply they read.

use confab_protocol::console::Note;
use confab_protocol::reach::{Channel, Reached};
use confab_protocol::thread::{Announcer, Delivery, Entry};
use confab_protocol::{Author, Auto};
use leptos::html::Ol;
use leptos::prelude::*;

use super::files::files_view;
use super::text::body_view;
use crate::browser;
use crate::live::conversation::{Conversation, PendingNote};
use crate::logic::timeline::{interleave, Item};
use crate::texts::t;

/// How close to the bottom (px) still counts as reading the newest messages.
const BOTTOM_SLACK: i32 = 80;

#[component]
pub fn Messages(conversation: Conversation) -> impl IntoView {
    let console = conversation.console;
    let list = NodeRef::<Ol>::new();
    let at_bottom = StoredValue::new(true);
    // Each new visitor message is said once by the region below (protocol's `Announcer`).
    let heard = RwSignal::new(String::new());
    let announcer = StoredValue::new(Announcer::default());
    Effect::new(move |_| {
        conversation.thread.with(|t| {
            announcer.update_value(|a| {
                if let Some(entry) = a.next(t, Author::Agent) {
                    heard.set(entry.body.clone());
                }
            })
        });
    });
    // New messages keep the newest in view, unless the agent scrolled up to read.
    Effect::new(move |_| {
        conversation.thread.track();
        conversation.notes.track();
        conversation.reached.track();
        conversation.pending_notes.track();
        if let (true, Some(list)) = (at_bottom.get_value(), list.get()) {
            list.set_scroll_top(list.scroll_height());
        }
    });
    let on_scroll = move |_| {
        if let Some(list) = list.get() {
            let gap = list.scroll_height() - list.scroll_top() - list.client_height();
            at_bottom.set_value(gap < BOTTOM_SLACK);
        }
    };
    let name_of = move |entry: &Entry| -> String {
        match entry.author {
            Author::Visitor => t().visitor.to_owned(),
            Author::System => match entry.auto {
                Some(Auto::Away | Auto::AwayAsk) => crate::texts::f().auto_away.to_owned(),
                Some(Auto::Proactive) => crate::texts::f().auto_proactive.to_owned(),
                _ => "Confab".to_owned(),
            },
            Author::Agent => {
                let writer = entry
                    .seq
                    .and_then(|seq| conversation.writers.with(|w| w.get(&seq).cloned()))
                    .or_else(|| entry.seq.is_none().then(|| console.me_id()).flatten());
                writer.map_or_else(|| t().team.to_owned(), |a| console.agent_name(&a))
            }
        }
    };
    view! {
        <p class="visually-hidden" aria-live="polite">{heard}</p>
        <ol class="timeline" aria-label=t().messages tabindex="0" node_ref=list on:scroll=on_scroll>
            {move || conversation.has_earlier.get().then(|| view! {
                <li class="earlier">
                    <button id="earlier" type="button" on:click=move |_| conversation.load_earlier()>
                        {t().earlier_messages}
                    </button>
                </li>
            })}
            {move || conversation.loading.get().then(|| view! { <li class="loading">{t().loading}</li> })}
            {move || {
                let visitor_read = conversation.visitor_read.get();
                conversation.thread.with(|thread| {
                    let notes = conversation.notes.get();
                    let reached = conversation.reached.get();
                    let asides = asides(&notes, &reached);
                    let entries = thread.entries();
                        // "Seen" goes once, under the newest reply the visitor has read.
                        let seen_seq = entries
                            .iter()
                            .filter(|e| e.author == Author::Agent)
                            .filter_map(|e| e.seq)
                            .filter(|s| *s <= visitor_read)
                            .max();
                        interleave(entries, |e| e.seq, &asides, Aside::after_seq, thread.first_seq())
                            .into_iter()
                            .map(|item| match item {
                                Item::Message(entry) => {
                                    let seen = entry.seq.is_some() && entry.seq == seen_seq;
                                    message_view(conversation, entry, name_of(entry), seen).into_any()
                                }
                                Item::Aside(Aside::Note(note)) => {
                                    note_view(note, console.agent_name(&note.agent)).into_any()
                                }
                                Item::Aside(Aside::Reached(record)) => reached_view(record).into_any(),
                            })
                            .collect_view()
                })
            }}
            {move || conversation
                .pending_notes
                .get()
                .into_iter()
                .map(|note| pending_note_view(conversation, note))
                .collect_view()}
        </ol>
    }
}

/// What sits between the messages for the team only: notes, and when the visitor was
/// reached while away.
enum Aside<'a> {
    Note(&'a Note),
    Reached(&'a Reached),
}

impl Aside<'_> {
    fn after_seq(&self) -> u64 {
        match self {
            Aside::Note(note) => note.after_seq,
            Aside::Reached(record) => record.after_seq,
        }
    }

    fn at(&self) -> u64 {
        match self {
            Aside::Note(note) => note.sent_at,
            Aside::Reached(record) => record.at,
        }
    }
}

/// Notes and reach records in the order they happened (the timeline keeps it among
/// those after the same message).
fn asides<'a>(notes: &'a [Note], reached: &'a [Reached]) -> Vec<Aside<'a>> {
    let mut asides: Vec<Aside> = notes.iter().map(Aside::Note).collect();
    asides.extend(reached.iter().map(Aside::Reached));
    asides.sort_by_key(|a| (a.after_seq(), a.at()));
    asides
}

fn message_view(
    conversation: Conversation,
    entry: &Entry,
    name: String,
    seen: bool,
) -> impl IntoView {
    let side = match entry.author {
        Author::Visitor => "from-visitor",
        Author::Agent => "from-team",
        Author::System => "from-system",
    };
    let meta = match entry.delivery {
        Delivery::Sent => entry.sent_at.map(browser::message_time).unwrap_or_default(),
        Delivery::Sending | Delivery::Retrying => t().sending.to_owned(),
        Delivery::Failed => t().not_sent.to_owned(),
    };
    let failed = entry.delivery == Delivery::Failed;
    view! {
        <li
            class=format!("message {side}")
            class:failed=entry.delivery == Delivery::Failed
            data-seq=entry.seq.map(|s| s.to_string())
            data-delivery=entry.delivery.as_str()
        >
            <span class="who">{name}</span>
            {match entry.auto {
                Some(Auto::Rating) => rating_view().into_any(),
                _ => view! { <p class="body">{body_view(&entry.body)}</p> }.into_any(),
            }}
            {files_view(&entry.files)}
            <span class="meta">
                {meta}
                {entry.by_email.then(|| view! { <span class="by-email">{crate::texts::f().by_email}</span> })}
                {entry.auto.is_some().then(|| view! { <span class="automatic">{crate::texts::f().automatic}</span> })}
                {seen.then(|| view! { <span class="seen">{t().seen}</span> })}
                {failed.then(|| {
                    let client_id = entry.client_id.clone();
                    view! {
                        " "
                        <button class="retry" type="button"
                            on:click=move |_| conversation.retry_reply(client_id.clone())>
                            {t().retry}
                        </button>
                    }
                })}
            </span>
        </li>
    }
}

/// The thread asked the visitor for a rating: said so, with the rating once given (the
/// inbox's row carries it, live).
fn rating_view() -> impl IntoView {
    let inbox = expect_context::<crate::inbox::Inbox>();
    let rating = move || {
        inbox
            .open_row
            .with(|row| row.as_ref().and_then(|r| r.rating.clone()))
    };
    view! {
        <p class="body">{crate::texts::f().auto_rating}</p>
        {move || rating().map(|r| view! {
            <p class="rating" data-score=r.score.as_str()>
                <strong>{super::inbox_list::rated_text(r.score)}</strong>
                {r.comment.map(|c| view! { " · " {crate::texts::f().rating_comment.replace("{comment}", &c)} })}
            </p>
        })}
    }
}

fn note_view(note: &Note, name: String) -> impl IntoView {
    view! {
        <li class="note" data-note=note.id.to_string()>
            <span class="who">{t().note_by.replace("{name}", &name)}</span>
            <p class="body">{body_view(&note.body)}</p>
            <span class="meta">{browser::message_time(note.sent_at)}</span>
        </li>
    }
}

fn reached_view(record: &Reached) -> impl IntoView {
    let (channel, what) = match record.channel {
        Channel::Push => ("push", t().reached_push),
        Channel::Email => ("email", t().reached_email),
    };
    view! {
        <li class="reached" data-reached=channel>
            <span class="body">{what}</span>
            <span class="meta">{browser::message_time(record.at)}</span>
        </li>
    }
}

fn pending_note_view(conversation: Conversation, note: PendingNote) -> impl IntoView {
    let client_id = note.client_id.clone();
    view! {
        <li class="note pending" class:failed=note.failed>
            <span class="who">{t().mode_note}</span>
            <p class="body">{body_view(&note.body)}</p>
            <span class="meta">
                {if note.failed { t().not_saved } else { t().saving }}
                {note.failed.then(|| view! {
                    " "
                    <button class="retry" type="button"
                        on:click=move |_| conversation.retry_note(client_id.clone())>
                        {t().retry}
                    </button>
                })}
            </span>
        </li>
    }
}
