//! Proactive teasers in the page: the site's live rules (`confab_protocol::proactive`),
//! evaluated against what the page is (its address, time on it, how far it is scrolled,
//! a pointer leaving it, what the host page `set` or told of), and the first that holds
//! shown by the launcher (`ui::teaser`). A wasm chunk of its own, fetched only on sites that
//! have live rules: the first open carries only the way into it.
//!
//! Nothing is sent before the visitor answers but an anonymous count of the teaser shown,
//! and nothing is kept but the caps (which rule showed when), in this browser only.

use std::cell::RefCell;
use std::rc::Rc;

use confab_protocol::proactive::{self, Caps, Condition, Op, Page, Quiet, Teaser};
use confab_protocol::{Auto, PROTOCOL_VERSION};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_split_helpers::{wasm_split, SplitLoaderError};
use web_sys::{Element, ShadowRoot};

use crate::chat::Chat;
use crate::json::{Json, JsonOut};
use crate::texts::Texts;

/// How often the rules are looked at again (time on page passes without an event).
const TICK_MS: i32 = 1_000;

/// Watches the page for `rules` (the site's answer's `proactive`), if there are any.
pub fn start(chat: Chat, texts: &'static Texts, root: &ShadowRoot, rules: JsValue) {
    if !Array::is_array(&rules) || Array::from(&rules).length() == 0 {
        return;
    }
    let root = root.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if watch(chat, texts, root, rules).await.is_err() {
            web_sys::console::warn_1(&"confab: the proactive rules did not load".into());
        }
    });
}

#[wasm_split(proactive, fallible)]
fn watch(
    chat: Chat,
    texts: &'static Texts,
    root: ShadowRoot,
    rules: JsValue,
) -> Result<(), SplitLoaderError> {
    let Some(container) = root.query_selector(".confab").ok().flatten() else {
        return Ok(());
    };
    let watcher = Rc::new(Watcher {
        chat,
        texts,
        container,
        teasers: Array::from(&rules)
            .iter()
            .filter_map(|r| teaser(&Json::of(r)))
            .collect(),
        tracked: RefCell::new(Tracked::default()),
    });
    watcher.listen();
    watcher.tick();
    Ok(())
}

/// A rule as the edge sent it; one with a condition this widget does not know never shows.
fn teaser(json: &Json) -> Option<Teaser> {
    let when = json
        .array("when")
        .iter()
        .map(condition)
        .collect::<Option<Vec<_>>>()?;
    Some(Teaser {
        rule: json.string("rule")?,
        when,
        body: json.string("body")?,
        from: json.string("from").unwrap_or_default(),
    })
}

fn condition(json: &Json) -> Option<Condition> {
    let whole = |key| json.number(key).map(|n| n as u32);
    Some(match json.string("kind")?.as_str() {
        "page" => Condition::Page {
            pattern: json.string("pattern")?,
        },
        "time_on_page" => Condition::TimeOnPage {
            seconds: whole("seconds")?,
        },
        "scroll" => Condition::Scroll {
            percent: whole("percent")?,
        },
        "exit_intent" => Condition::ExitIntent,
        "returning" => Condition::Returning,
        "attribute" => Condition::Attribute {
            name: json.string("name")?,
            op: Op::parse(&json.string("op")?)?,
            value: json.string("value")?,
        },
        "event" => Condition::Event {
            name: json.string("name")?,
        },
        _ => return None,
    })
}

pub(crate) struct Watcher {
    chat: Chat,
    texts: &'static Texts,
    container: Element,
    teasers: Vec<Teaser>,
    tracked: RefCell<Tracked>,
}

/// What the page did since the visitor came to its current address.
#[derive(Default)]
struct Tracked {
    url: String,
    /// `performance.now()` when the visitor came to `url` (0: the page's load).
    since: f64,
    scroll: u32,
    exit_intent: bool,
    /// The teaser on screen.
    shown: Option<Element>,
}

impl Watcher {
    fn listen(self: &Rc<Self>) {
        let window = web_sys::window().expect("a window");
        let this = self.clone();
        crate::dom::listen(&window, "scroll", move |_| this.scrolled());
        // Exit intent: the pointer leaves the page by its top edge, toward the tabs. Only
        // with a mouse: on a phone a touch near the top means nothing of the kind.
        let fine = window
            .match_media("(pointer: fine)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if fine {
            let this = self.clone();
            let document: web_sys::EventTarget = crate::dom::document().into();
            crate::dom::listen(&document, "mouseout", move |ev| {
                let ev: web_sys::MouseEvent = ev.unchecked_into();
                if ev.related_target().is_none() && ev.client_y() <= 0 {
                    this.tracked.borrow_mut().exit_intent = true;
                    this.tick();
                }
            });
        }
        let this = self.clone();
        let tick = Closure::<dyn Fn()>::new(move || this.tick());
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            TICK_MS,
        );
        tick.forget();
    }

    fn scrolled(&self) {
        let scroll = scrolled_percent();
        let mut tracked = self.tracked.borrow_mut();
        tracked.scroll = tracked.scroll.max(scroll);
    }

    /// Looks at the rules again; shows the first due.
    fn tick(self: &Rc<Self>) {
        let now = js_sys::Date::now() as u64;
        let chat = self.chat;
        let (open, settled) = chat.shown(|s| (s.open, settled(&s.thread)));
        let saved = chat.saved();
        // The visitor opened the panel themselves: the teaser has done its part.
        if open {
            if let Some(shown) = self.tracked.borrow_mut().shown.take() {
                shown.remove();
            }
        }
        let answered = chat.with_inner(|i| !i.opening.is_undefined());
        let quiet = Quiet {
            conversation_open: saved.conversation_id.is_some() && !settled,
            busy: open || answered || self.tracked.borrow().shown.is_some(),
        };
        let page = self.page(saved.token.is_some());
        let caps = Caps::read(&read_caps(&chat), now);
        let Some(teaser) = proactive::due(&self.teasers, &page, &caps, quiet, now) else {
            return;
        };
        let mut caps = caps;
        caps.shown(&teaser.rule, now);
        write_caps(&chat, &caps.write());
        let shown = crate::ui::teaser::show(self.clone(), teaser.clone());
        self.tracked.borrow_mut().shown = Some(shown);
        count_shown(chat, &teaser.rule);
        crate::host::emit(chat, "teaser", teaser.rule.as_str().into());
    }

    /// The page as it is now; a single-page app that moved to another address starts
    /// its time and scroll anew.
    fn page(&self, returning: bool) -> Page {
        let window = web_sys::window().expect("a window");
        let url = window.location().href().unwrap_or_default();
        let now = window.performance().map_or(0.0, |p| p.now());
        let mut tracked = self.tracked.borrow_mut();
        if tracked.url != url {
            if !tracked.url.is_empty() {
                tracked.since = now;
                tracked.scroll = 0;
                tracked.exit_intent = false;
            }
            tracked.url = url.clone();
            tracked.scroll = tracked.scroll.max(scrolled_percent());
        }
        let (attributes, events) = self
            .chat
            .with_inner(|i| (i.attributes.clone(), i.events.clone()));
        Page {
            url,
            seconds: ((now - tracked.since) / 1000.0) as u32,
            scroll: tracked.scroll,
            exit_intent: tracked.exit_intent,
            returning,
            attributes: texts_of(&attributes),
            events,
        }
    }

    pub(crate) fn chat(&self) -> Chat {
        self.chat
    }

    pub(crate) fn texts(&self) -> &'static Texts {
        self.texts
    }

    pub(crate) fn container(&self) -> &Element {
        &self.container
    }

    /// The teaser went (answered or dismissed): another may show, from another rule.
    pub(crate) fn gone(&self) {
        if let Some(shown) = self.tracked.borrow_mut().shown.take() {
            shown.remove();
        }
    }
}

/// Whether the team resolved the thread shown: its last message asks for a rating.
fn settled(thread: &confab_protocol::thread::Thread) -> bool {
    thread
        .entries()
        .iter()
        .rev()
        .find(|e| e.seq.is_some())
        .is_some_and(|e| e.auto == Some(Auto::Rating))
}

/// How far down the page the visitor has seen, in percent (a page shorter than the
/// window is seen whole).
fn scrolled_percent() -> u32 {
    let Some(window) = web_sys::window() else {
        return 0;
    };
    let height = crate::dom::document()
        .document_element()
        .map_or(0, |e| e.scroll_height()) as f64;
    let seen = window.scroll_y().unwrap_or(0.0)
        + window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
    if height <= 0.0 {
        return 100;
    }
    ((seen / height * 100.0).round() as u32).min(100)
}

/// The host page's attributes as text, as the edge keeps them for agents (numbers written
/// by JavaScript: Rust's float formatting would weigh more than this chunk).
fn texts_of(attributes: &JsValue) -> Vec<(String, String)> {
    Object::entries(attributes.unchecked_ref())
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            let value = pair.get(1);
            let text = match (value.as_string(), value.as_f64(), value.as_bool()) {
                (Some(text), _, _) => text,
                (_, Some(_), _) => js_sys::Number::from(value)
                    .to_string_with_radix(10)
                    .ok()?
                    .into(),
                (_, _, Some(flag)) => if flag { "true" } else { "false" }.to_owned(),
                _ => return None,
            };
            Some((pair.get(0).as_string()?, text))
        })
        .collect()
}

fn caps_key(chat: &Chat) -> String {
    format!("confab:{}:teasers", chat.site())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_caps(chat: &Chat) -> String {
    storage()
        .and_then(|s| s.get_item(&caps_key(chat)).ok().flatten())
        .unwrap_or_default()
}

fn write_caps(chat: &Chat, text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&caps_key(chat), text);
    }
}

/// Counts the teaser for the rule's figures: the site and the rule, nothing of the visitor.
fn count_shown(chat: Chat, rule: &str) {
    let body = JsonOut::new().set("v", PROTOCOL_VERSION).set("rule", rule);
    let path = format!("api/sites/{}/proactive", chat.site());
    wasm_bindgen_futures::spawn_local(async move {
        let _ = chat.api().call("POST", &path, None, Some(body)).await;
    });
}
