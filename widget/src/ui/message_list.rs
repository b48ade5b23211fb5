//! The thread, oldest first, kept scrolled to the newest message, and each new reply said
//! once to screen readers.

use confab_protocol::linkify::{segments, Segment};
use confab_protocol::thread::{Announcer, Delivery, Entry};
use confab_protocol::{Author, ClientId};
use web_sys::{Element, Node};

use crate::chat::Chat;
use crate::dom;
use crate::texts::Texts;

pub struct MessageList {
    said: Element,
    list: Element,
    /// "Load earlier", shown while older messages exist.
    earlier: Element,
    /// Each message's row as drawn, and what it was drawn from.
    rows: Vec<(Row, Element)>,
    notice: Option<Element>,
    announcer: Announcer,
    /// The thread's change count and the team's read mark the list was drawn with.
    drawn: Option<(u64, u64)>,
}

/// What a row shows that can change: a row is drawn again only when this does, so focus,
/// a selection and what a screen reader is on stay where they are.
#[derive(Clone, PartialEq)]
struct Row {
    seq: Option<u64>,
    client_id: ClientId,
    delivery: Delivery,
    seen: bool,
}

impl MessageList {
    pub fn new(parent: &Element, texts: &Texts) -> MessageList {
        let said = dom::add(
            parent,
            "p",
            &[("class", "visually-hidden"), ("aria-live", "polite")],
        );
        let list = dom::add(parent, "ol", &[("class", "messages")]);
        let earlier = dom::add(&list, "li", &[("class", "earlier"), ("hidden", "")]);
        dom::add_text(&earlier, "button", &[("type", "button")], texts.earlier);
        let greeting = dom::add(&list, "li", &[("class", "message from-team greeting")]);
        dom::add_text(&greeting, "p", &[("class", "body")], texts.greeting);
        MessageList {
            said,
            list,
            earlier,
            rows: Vec::new(),
            notice: None,
            announcer: Announcer::default(),
            drawn: None,
        }
    }

    pub fn draw(&mut self, chat: Chat, texts: &'static Texts) {
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
        // Copied out: drawing can make the page run code (a focused button that goes fires
        // `focusout`), which may call `Confab(…)` and change the chat.
        let (entries, said) = chat.shown(|s| {
            let said = thread_moved
                .then(|| self.announcer.next(&s.thread, Author::Visitor))
                .flatten()
                .map(|e| e.body.clone());
            (s.thread.entries().to_vec(), said)
        });
        if thread_moved {
            self.said.set_text_content(Some(&said.unwrap_or_default()));
        }
        dom::flag(&self.earlier, "hidden", !chat.has_earlier());
        // Files' links are relative to the API.
        let base = chat.with_inner(|i| i.api_base.clone());

        let list = &self.list;
        let (top, height) = (list.scroll_top(), list.scroll_height());
        let first_seq = |rows: &[(Row, Element)]| rows.first().and_then(|(r, _)| r.seq);
        let last_id =
            |rows: &[(Row, Element)]| rows.last().map(|(r, _)| (r.seq, r.client_id.clone()));
        let (first_before, last_before) = (first_seq(&self.rows), last_id(&self.rows));
        for (i, entry) in entries.iter().enumerate() {
            let row = Row {
                seq: entry.seq,
                client_id: entry.client_id.clone(),
                delivery: entry.delivery,
                // Only the visitor's own say "Seen": the team's rows are not drawn again
                // when agents read (their asks keep what the visitor entered).
                seen: entry.author == Author::Visitor
                    && entry.seq.is_some_and(|seq| seq <= agent_read),
            };
            match self.rows.get_mut(i) {
                Some((drawn, _)) if *drawn == row => {}
                Some((drawn, element)) => {
                    let new = message(chat, entry, row.seen, texts, &base);
                    let _ = element.replace_with_with_node_1(&new);
                    (*drawn, *element) = (row, new);
                }
                None => {
                    let new = message(chat, entry, row.seen, texts, &base);
                    let _ = list.append_child(&new);
                    self.rows.push((row, new));
                }
            }
        }
        for (_, gone) in self.rows.drain(entries.len()..) {
            gone.remove();
        }
        // Older messages came in above: what the visitor was reading stays in place. A
        // new message at the end: it is shown.
        let earlier_came = first_before
            .zip(first_seq(&self.rows))
            .is_some_and(|(b, a)| a < b);
        if earlier_came {
            list.set_scroll_top(top + list.scroll_height() - height);
        } else if last_id(&self.rows) != last_before {
            self.scroll_to_end();
        }
    }

    pub fn scroll_to_end(&self) {
        self.list.set_scroll_top(self.list.scroll_height());
    }
}

/// One message's row.
fn message(chat: Chat, entry: &Entry, seen: bool, texts: &'static Texts, base: &str) -> Element {
    let mine = entry.author == Author::Visitor;
    let failed = entry.delivery == Delivery::Failed;
    let class = match (mine, failed) {
        (true, false) => "message from-visitor",
        (true, true) => "message from-visitor failed",
        (false, _) => "message from-team",
    };
    let item = dom::make(
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
    if !entry.body.is_empty() {
        let body = dom::add(&item, "p", &[("class", "body")]);
        add_body(&body, &entry.body, texts);
    }
    if !entry.files.is_empty() {
        let files = dom::add(&item, "ul", &[("class", "files")]);
        super::uploads::show(files, entry.files.clone(), base.to_owned(), texts);
    }
    if let Some(auto) = entry.auto.filter(|a| a.asks()) {
        let place = dom::add(&item, "div", &[("class", "ask")]);
        wasm_bindgen_futures::spawn_local(async move {
            let work = crate::seldom::Seldom::Ask {
                chat,
                texts,
                place,
                auto,
            };
            let _ = crate::seldom::run(work).await;
        });
    }
    let status = match entry.delivery {
        Delivery::Sending => texts.sending.to_owned(),
        Delivery::Retrying => texts.retrying.to_owned(),
        Delivery::Sent => {
            let time = entry
                .sent_at
                .map(|at| clock_time(at, texts.lang))
                .unwrap_or_default();
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
    item
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

/// "14:05" in the visitor's own clock, as the widget's language writes it (`Intl`).
fn clock_time(millis: u64, lang: &str) -> String {
    let date = js_sys::Date::new(&(millis as f64).into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options(lang, &options)
        .as_string()
        .unwrap_or_default()
}
