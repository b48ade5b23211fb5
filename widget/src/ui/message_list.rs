use confab_protocol::linkify::{segments, Segment};
use confab_protocol::thread::{Announcer, Delivery, Entry};
use confab_protocol::Author;
use leptos::either::Either;
use leptos::html::Ol;
use leptos::prelude::*;

use crate::chat::Chat;
use crate::texts::Texts;

/// The thread, oldest first, kept scrolled to the newest message.
#[component]
pub fn MessageList(chat: Chat, texts: &'static Texts) -> impl IntoView {
    let list = NodeRef::<Ol>::new();
    Effect::new(move |_| {
        chat.thread.track();
        if let Some(list) = list.get() {
            list.set_scroll_top(list.scroll_height());
        }
    });
    view! {
        // Each new reply is said once (protocol's `Announcer`): a plain cell and a derived
        // text, as signals of new types would cost the download about 2 KB.
        <p class="visually-hidden" aria-live="polite">{
            let announcer = std::cell::Cell::new(Announcer::default());
            move || chat.thread.with(|t| {
                let mut a = announcer.get();
                let said = a.next(t, Author::Visitor).map(|e| e.body.clone());
                announcer.set(a);
                said.unwrap_or_default()
            })
        }</p>
        <ol class="messages" node_ref=list>
            {move || chat.has_earlier().then(|| view! {
                <li class="earlier">
                    <button type="button" on:click=move |_| chat.load_earlier()>
                        {texts.earlier}
                    </button>
                </li>
            })}
            <li class="message from-team greeting">
                <p class="body">{texts.greeting}</p>
            </li>
            // Redrawn whole on change: a keyed list would cost the download more than
            // redrawing a page of messages costs the browser.
            {move || {
                let agent_read = chat.agent_read.get();
                chat.thread.with(|t| {
                    t.entries()
                        .iter()
                        .map(|entry| {
                            let seen = entry.seq.is_some_and(|s| s <= agent_read);
                            view! { <MessageItem entry=entry.clone() seen chat texts /> }
                        })
                        .collect_view()
                })
            }}
        </ol>
        {move || chat.load_failed.get().then(|| view! {
            <p class="notice" role="status">{texts.load_failed}</p>
        })}
    }
}

#[component]
fn MessageItem(entry: Entry, seen: bool, chat: Chat, texts: &'static Texts) -> impl IntoView {
    let mine = entry.author == Author::Visitor;
    let who = if mine { texts.you } else { texts.team };
    let status = match entry.delivery {
        Delivery::Sending => texts.sending.to_owned(),
        Delivery::Retrying => texts.retrying.to_owned(),
        Delivery::Sent => {
            let time = entry.sent_at.map(clock_time).unwrap_or_default();
            if mine && seen {
                format!("{time} · {}", texts.seen)
            } else {
                time
            }
        }
        Delivery::Failed => texts.failed.to_owned(),
    };
    let failed = entry.delivery == Delivery::Failed;
    view! {
        <li
            class="message"
            class:from-visitor=mine
            class:from-team=!mine
            class:failed=failed
            data-seq=entry.seq.map(|s| s.to_string())
            data-delivery=entry.delivery.as_str()
        >
            <span class="visually-hidden">{who}": "</span>
            <p class="body">{body_view(&entry.body, texts)}</p>
            <span class="meta">
                {status}
                {failed.then(|| view! {
                    <button class="retry" type="button" on:click=move |_| chat.retry()>
                        {texts.retry}
                    </button>
                })}
            </span>
        </li>
    }
}

/// Text as text nodes, never markup; only http(s) links become links.
fn body_view(body: &str, texts: &'static Texts) -> impl IntoView {
    segments(body)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => Either::Left(text.to_owned()),
            Segment::Link(link) => Either::Right(view! {
                <a href=link.to_owned() target="_blank" rel="noopener noreferrer nofollow ugc" title=texts.link_hint>
                    {link.to_owned()}
                </a>
            }),
        })
        .collect_view()
}

/// "14:05" in the visitor's own clock and locale.
fn clock_time(millis: u64) -> String {
    let date = js_sys::Date::new(&(millis as f64).into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options("default", &options)
        .as_string()
        .unwrap_or_default()
}
