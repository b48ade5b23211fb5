//! The thread, oldest first, kept scrolled to the newest message, and each new reply said
//! once to screen readers.

use confab_protocol::linkify::{segments, Segment};
use confab_protocol::thread::{Announcer, Delivery, Entry};
use confab_protocol::Author;
use web_sys::{Element, Node};

use crate::chat::Chat;
use crate::dom;
use crate::texts::Texts;

pub struct MessageList {
    said: Element,
    list: Element,
    notice: Option<Element>,
    announcer: Announcer,
    /// The thread's change count and the team's read mark the list was drawn with.
    drawn: Option<(u64, u64)>,
}

impl MessageList {
    pub fn new(parent: &Element) -> MessageList {
        MessageList {
            said: dom::add(
                parent,
                "p",
                &[("class", "visually-hidden"), ("aria-live", "polite")],
            ),
            list: dom::add(parent, "ol", &[("class", "messages")]),
            notice: None,
            announcer: Announcer::default(),
            drawn: None,
        }
    }

    pub fn draw(&mut self, chat: Chat, texts: &Texts) {
        let (changes, agent_read, load_failed) =
            chat.shown(|s| (s.thread_changes, s.agent_read, s.load_failed));
        dom::keep(&mut self.notice, load_failed, || {
            let notice = dom::make("p", &[("class", "notice"), ("role", "status")]);
            notice.set_text_content(Some(texts.load_failed));
            let _ = self.list.after_with_node_1(&notice);
            notice
        });
        if self.drawn == Some((changes, agent_read)) {
            return;
        }
        let thread_moved = self.drawn.map(|(c, _)| c) != Some(changes);
        self.drawn = Some((changes, agent_read));
        chat.shown(|s| {
            if thread_moved {
                let said = self.announcer.next(&s.thread, Author::Visitor);
                self.said
                    .set_text_content(Some(said.map(|e| e.body.as_str()).unwrap_or_default()));
            }
            // Redrawn whole on change: keeping rows would cost the download more than
            // redrawing a page of messages costs the browser.
            let list = &self.list;
            list.set_text_content(None);
            if chat.has_earlier() {
                let earlier = dom::add(list, "li", &[("class", "earlier")]);
                dom::add_text(&earlier, "button", &[("type", "button")], texts.earlier);
            }
            let greeting = dom::add(list, "li", &[("class", "message from-team greeting")]);
            dom::add_text(&greeting, "p", &[("class", "body")], texts.greeting);
            for entry in s.thread.entries() {
                let seen = entry.seq.is_some_and(|seq| seq <= agent_read);
                add_message(list, entry, seen, texts);
            }
        });
        self.list.set_scroll_top(self.list.scroll_height());
    }
}

fn add_message(list: &Element, entry: &Entry, seen: bool, texts: &Texts) {
    let mine = entry.author == Author::Visitor;
    let failed = entry.delivery == Delivery::Failed;
    let class = match (mine, failed) {
        (true, false) => "message from-visitor",
        (true, true) => "message from-visitor failed",
        (false, _) => "message from-team",
    };
    let item = dom::add(
        list,
        "li",
        &[("class", class), ("data-delivery", entry.delivery.as_str())],
    );
    if let Some(seq) = entry.seq {
        let _ = item.set_attribute("data-seq", &seq.to_string());
    }
    let who = if mine { texts.you } else { texts.team };
    dom::add_text(
        &item,
        "span",
        &[("class", "visually-hidden")],
        &format!("{who}: "),
    );
    add_body(
        &dom::add(&item, "p", &[("class", "body")]),
        &entry.body,
        texts,
    );
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
    let meta = dom::add_text(&item, "span", &[("class", "meta")], &status);
    if failed {
        dom::add_text(
            &meta,
            "button",
            &[("class", "retry"), ("type", "button")],
            texts.retry,
        );
    }
}

/// Text as text nodes, never markup; only http(s) links become links.
fn add_body(body: &Node, text: &str, texts: &Texts) {
    for segment in segments(text) {
        match segment {
            Segment::Text(text) => {
                let _ = body.append_child(&dom::document().create_text_node(text));
            }
            Segment::Link(link) => {
                let attributes = [
                    ("href", link),
                    ("target", "_blank"),
                    ("rel", "noopener noreferrer nofollow ugc"),
                    ("title", texts.link_hint),
                ];
                dom::add_text(body, "a", &attributes, link);
            }
        }
    }
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
