//! The widget's screen: a launcher and, when open, a panel (header, then a thread's message
//! list and composer, or the visitor's threads and devices).
//!
//! Drawn with the DOM's own calls (`dom.rs`), not a UI framework: Leptos' runtime alone
//! was about 40% of the widget's code, more than a first open on a slow phone should carry.
//! The state is `Chat`'s (`chat.rs`); each change asks for a redraw, done once per burst of
//! changes in a microtask, where each part compares what it shows with what is now true and
//! redraws what differs. One listener per kind of event serves the panel and the launcher
//! (the ☰ view has its own, in its chunk).

pub(crate) mod asks;
mod composer;
mod home;
mod launcher;
mod message_list;
mod panel;
pub(crate) mod teaser;
pub(crate) mod uploads;

use std::cell::{Cell, RefCell};

use confab_protocol::Author;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, KeyboardEvent, ShadowRoot};

use crate::chat::Chat;
use crate::config::Config;
use crate::dom;
use crate::texts::Texts;

thread_local! {
    static SCREEN: RefCell<Option<Screen>> = const { RefCell::new(None) };
    static REDRAW_ASKED: Cell<bool> = const { Cell::new(false) };
}

/// What is on screen, and the page-long facts it is drawn from.
struct Screen {
    chat: Chat,
    words: Words,
    container: Element,
    launcher: launcher::Launcher,
    panel: Option<panel::Panel>,
}

/// The texts and the site's header, the same for the whole page.
#[derive(Clone, Copy)]
pub struct Words {
    pub texts: &'static Texts,
    pub team: &'static str,
    pub availability: &'static str,
    pub logo: &'static str,
}

/// Draws the widget in `root`, where its launcher takes the loader's place.
pub fn start(chat: Chat, config: &Config, root: &ShadowRoot) -> Result<(), JsValue> {
    // The language's direction (its texts file says it): right-to-left scripts mirror the
    // panel, and the host goes to the left, where the loader put it if the browser knew.
    let direction = config.texts.direction;
    let attributes = [
        ("class", "confab"),
        ("dir", direction),
        ("lang", config.texts.lang),
    ];
    let container = dom::add(root, "div", &attributes);
    // (The host's `dir` is set for right-to-left alone: see the loader's style.)
    match direction {
        "rtl" => root.host().set_attribute("dir", "rtl")?,
        _ => root.host().remove_attribute("dir")?,
    }
    let launcher = launcher::Launcher::take_over(root, &container, &config.label)?;
    let words = Words {
        texts: config.texts,
        team: config.team.clone().leak(),
        availability: config.availability.clone().leak(),
        logo: config.logo.clone().leak(),
    };
    dom::listen(&container, "click", move |ev| clicked(chat, &ev));
    dom::listen(&container, "keydown", move |ev| {
        key_pressed(chat, ev.unchecked_into())
    });
    dom::listen(&container, "submit", move |ev| {
        if let Some(form) = dom::target(&ev).filter(|f| f.class_name() == "composer") {
            ev.prevent_default();
            composer::submit(chat, &form);
        }
    });
    // Files picked, pasted or dropped; a file dragged over the panel is to be dropped
    // there, not opened in the host page's tab.
    for event in ["change", "paste", "drop", "dragover"] {
        let (texts, panel) = (config.texts, container.clone());
        dom::listen(&container, event, move |ev| {
            uploads::attached(chat, texts, &panel, &ev)
        });
    }
    dom::listen(&container, "input", move |ev| {
        if dom::target(&ev).is_some_and(|t| t.tag_name() == "TEXTAREA") {
            crate::live::send_typing(chat);
        }
    });
    SCREEN.set(Some(Screen {
        chat,
        words,
        container,
        launcher,
        panel: None,
    }));
    draw();
    Ok(())
}

/// Has the screen follow the state, in a moment: a burst of changes draws once.
pub fn redraw_soon() {
    if !REDRAW_ASKED.replace(true) {
        wasm_bindgen_futures::spawn_local(async {
            REDRAW_ASKED.set(false);
            draw();
        });
    }
}

/// Draws what changed, then tells the page: its listeners run after the drawing, so
/// whatever they call finds the widget whole.
fn draw() {
    let Some(drawn) = SCREEN.with_borrow_mut(|s| s.as_mut().map(Screen::draw)) else {
        return;
    };
    let Drawn {
        chat,
        event,
        open,
        unread,
    } = drawn;
    if let Some(event) = event {
        crate::host::emit(chat, event, JsValue::UNDEFINED);
    }
    // Unread replies show in the title; the page hears what the launcher shows; what the
    // open panel shows is read.
    crate::attention::mark_title(unread);
    crate::host::thread_changed(chat, launcher::shown_unread(open, unread));
    if open {
        chat.mark_seen();
    }
}

/// What a redraw showed.
struct Drawn {
    chat: Chat,
    /// `open` or `close` if the panel just did.
    event: Option<&'static str>,
    open: bool,
    /// The team's replies after the visitor's read marker.
    unread: usize,
}

impl Screen {
    fn draw(&mut self) -> Drawn {
        let chat = self.chat;
        let (open, unread) =
            chat.shown(|s| (s.open, s.thread.unread_after(Author::Visitor, s.seen)));
        match (open, self.panel.take()) {
            (true, None) => {
                self.panel = Some(panel::Panel::open(self.words, &self.container));
            }
            (true, Some(panel)) => self.panel = Some(panel),
            (false, Some(panel)) => panel.close(),
            (false, None) => {}
        }
        if let Some(panel) = &mut self.panel {
            panel.draw(chat);
        }
        // After the panel: closed, it gives its focus back to the launcher.
        let event = self.launcher.draw(self.words.texts, open, unread);
        Drawn {
            chat,
            event,
            open,
            unread,
        }
    }
}

fn clicked(chat: Chat, ev: &Event) {
    let Some(button) = dom::target(ev).and_then(|t| dom::closest(&t, "button")) else {
        return;
    };
    // The ☰ view answers its own buttons.
    if dom::closest(&button, ".home").is_some() {
        return;
    }
    match button.class_name().as_str() {
        "launcher" => chat.show(|s| s.open = !s.open),
        "menu" => chat.show(|s| s.home = !s.home),
        "close" => chat.show(|s| s.open = false),
        "retry" => chat.retry(),
        _ if dom::closest(&button, ".earlier").is_some() => chat.load_earlier(),
        _ => {}
    }
}

/// Escape closes the panel; in the composer, Enter sends and Shift+Enter starts a new line.
fn key_pressed(chat: Chat, ev: KeyboardEvent) {
    let Some(target) = dom::target(&ev) else {
        return;
    };
    let key = ev.key();
    if ev.is_composing() {
        return;
    }
    if key == "Escape" && dom::closest(&target, ".panel").is_some() {
        chat.show(|s| s.open = false);
    } else if key == "Enter" && !ev.shift_key() {
        if let Some(form) =
            dom::closest(&target, ".composer").filter(|_| target.tag_name() == "TEXTAREA")
        {
            ev.prevent_default();
            composer::submit(chat, &form);
        }
    }
}
