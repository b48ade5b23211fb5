//! The open panel: a header (team, availability, ☰, ×), a banner while offline, and either
//! the thread (message list, typing line, composer) or the ☰ view.

use web_sys::{Element, Node};

use super::message_list::MessageList;
use super::Words;
use crate::chat::{Chat, Link};
use crate::dom;

pub struct Panel {
    words: Words,
    section: Element,
    header: Element,
    menu: Element,
    banner: Option<Element>,
    home: Option<Element>,
    thread_view: Element,
    list: MessageList,
    typing: Element,
    composer: Element,
    /// The host page's `prefill` calls taken into the composer.
    prefills: Option<u64>,
    /// The page behind was made `inert` by this panel.
    made_inert: bool,
}

impl Panel {
    /// Builds the panel before the launcher in `container`.
    pub fn open(words: Words, container: &Element) -> Panel {
        let texts = words.texts;
        super::home::prefetch();
        let fragment: Node = dom::document().create_document_fragment().into();
        let section = dom::add(
            &fragment,
            "section",
            &[
                ("class", "panel"),
                ("role", "dialog"),
                ("aria-label", texts.title),
            ],
        );
        let header = dom::add(&section, "header", &[("class", "panel-header")]);
        // The site's logo beside the team's name, which says the same: no text of its own.
        if !words.logo.is_empty() {
            dom::add(
                &header,
                "img",
                &[("class", "logo"), ("src", words.logo), ("alt", "")],
            );
        }
        let names = dom::add(&header, "div", &[]);
        let team = if words.team.is_empty() {
            texts.title
        } else {
            words.team
        };
        dom::add_text(&names, "h2", &[], team);
        dom::add_text(
            &names,
            "p",
            &[("class", "availability")],
            words.availability,
        );
        let menu = dom::add_text(
            &header,
            "button",
            &[
                ("class", "menu"),
                ("type", "button"),
                ("aria-label", texts.menu),
            ],
            "☰",
        );
        dom::add_text(
            &header,
            "button",
            &[
                ("class", "close"),
                ("type", "button"),
                ("aria-label", texts.close),
            ],
            "×",
        );
        let thread_view = dom::add(&section, "div", &[("class", "thread-view")]);
        let list = MessageList::new(&thread_view, texts);
        let typing = dom::add(
            &thread_view,
            "p",
            &[("class", "typing"), ("aria-live", "polite")],
        );
        let composer = super::composer::add(&thread_view, texts);
        let _ = container.insert_before(&fragment, container.first_child().as_ref());
        let made_inert = hold_focus();
        Panel {
            words,
            section,
            header,
            menu,
            banner: None,
            home: None,
            thread_view,
            list,
            typing,
            composer,
            prefills: None,
            made_inert,
        }
    }

    pub fn draw(&mut self, chat: Chat) {
        let texts = self.words.texts;
        let (home, offline, typing, prefills) =
            chat.shown(|s| (s.home, s.link == Link::Offline, s.agent_typing, s.prefills));
        let _ = self
            .menu
            .set_attribute("aria-pressed", if home { "true" } else { "false" });
        dom::keep(&mut self.banner, offline, || {
            let banner = dom::make("p", &[("class", "banner offline"), ("role", "status")]);
            banner.set_text_content(Some(texts.offline));
            let _ = self.header.after_with_node_1(&banner);
            banner
        });
        let thread_view = &self.thread_view;
        let went = dom::keep(&mut self.home, home, || {
            let view = dom::make("div", &[("class", "home")]);
            let _ = thread_view.before_with_node_1(&view);
            super::home::show(chat, texts, view.clone());
            view
        });
        dom::flag(&self.thread_view, "hidden", home);
        self.list.draw(chat, texts);
        // Back from ☰: the thread shows its end, as when it opened.
        if went {
            super::home::closed();
            self.list.scroll_to_end();
        }
        let typing = if typing { texts.typing } else { "" };
        if self.typing.text_content().as_deref() != Some(typing) {
            self.typing.set_text_content(Some(typing));
        }
        // Opened, and at each `prefill`: the composer takes the focus, with the host page's
        // text if it gave one.
        if self.prefills != Some(prefills) {
            self.prefills = Some(prefills);
            super::composer::focus(chat, &self.composer);
        }
    }

    /// Takes the panel away, and gives the page back what it held.
    pub fn close(self) {
        if self.home.is_some() {
            super::home::closed();
        }
        self.section.remove();
        if self.made_inert {
            if let Some(body) = dom::document().body() {
                let _ = body.remove_attribute("inert");
            }
        }
    }
}

/// On a phone, where the panel is the whole screen, the page behind is made `inert` (out
/// of reach of Tab and screen readers, as behind a modal dialog). Says whether it did.
fn hold_focus() -> bool {
    let phone = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 480.0);
    let body = dom::document().body();
    match body {
        Some(body) if phone && !body.has_attribute("inert") => {
            let _ = body.set_attribute("inert", "");
            true
        }
        _ => false,
    }
}
