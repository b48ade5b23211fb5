//! The round button in the corner, with the count of unread replies. It is a copy of the
//! loader's placeholder put in its place: the hand-over cannot be seen, and the icon is
//! drawn in one place.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::dom;
use crate::texts::Texts;

pub struct Launcher {
    button: Element,
    badge: Option<Element>,
    /// What the button says and shows now (`None` before the first draw).
    drawn: Option<(bool, usize)>,
    /// The site's label on the button ("Chat with us"), empty when it has none: its
    /// accessible name starts with it, as a voice command would say it.
    label: String,
}

impl Launcher {
    /// Puts a copy of the loader's placeholder (without its listeners) in its place in
    /// `container`, with the focus if the placeholder had it.
    pub fn take_over(
        root: &ShadowRoot,
        container: &Element,
        label: &str,
    ) -> Result<Launcher, JsValue> {
        let placeholder = root
            .query_selector("[data-confab-loader]")?
            .ok_or("confab: the loader's launcher is missing")?;
        let button: Element = placeholder.clone_node_with_deep(true)?.unchecked_into();
        button.remove_attribute("data-confab-loader")?;
        button.remove_attribute("aria-busy")?;
        container.append_child(&button)?;
        let had_focus = root.active_element().as_ref() == Some(&placeholder);
        placeholder.remove();
        if had_focus {
            let _ = button.unchecked_ref::<HtmlElement>().focus();
        }
        Ok(Launcher {
            label: label.to_owned(),
            button,
            badge: None,
            drawn: None,
        })
    }

    /// Says whether the panel is open and how many replies are unread; answers `open` or
    /// `close` when the panel just did, for the host page. Closed, the panel gives the focus
    /// it held back to the launcher.
    pub fn draw(&mut self, texts: &Texts, open: bool, unread: usize) -> Option<&'static str> {
        let unread = shown_unread(open, unread);
        if self.drawn == Some((open, unread)) {
            return None;
        }
        let mut label = match (open, unread) {
            (true, _) => texts.close.to_owned(),
            (false, 0) => texts.open.to_owned(),
            (false, n) => format!("{}, {n} {}", texts.open, texts.unread),
        };
        if !self.label.is_empty() {
            label = format!("{}: {label}", self.label);
        }
        let _ = self.button.set_attribute("aria-label", &label);
        let _ = self
            .button
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
        match (unread, &self.badge) {
            (0, Some(badge)) => {
                badge.remove();
                self.badge = None;
            }
            (0, None) => {}
            (n, Some(badge)) => badge.set_text_content(Some(&n.to_string())),
            (n, None) => {
                self.badge = Some(dom::add_text(
                    &self.button,
                    "span",
                    &[("class", "badge"), ("aria-hidden", "true")],
                    &n.to_string(),
                ));
            }
        }
        let was_open = self.drawn.map(|(was, _)| was);
        self.drawn = Some((open, unread));
        match was_open {
            Some(true) if !open => {
                self.take_focus_back();
                Some("close")
            }
            Some(false) if open => Some("open"),
            _ => None,
        }
    }

    /// Takes the focus if it was in the widget or lost with the panel, never when the
    /// visitor is somewhere else on the page.
    fn take_focus_back(&self) {
        let document = dom::document();
        let active = document.active_element();
        let host = document.query_selector("confab-widget").ok().flatten();
        let lost = active.is_none() || active == host || active == document.body().map(Into::into);
        if lost {
            let _ = self.button.unchecked_ref::<HtmlElement>().focus();
        }
    }
}

/// Nothing is unread while the panel is open: the visitor is looking at it.
pub fn shown_unread(open: bool, unread: usize) -> usize {
    if open {
        0
    } else {
        unread
    }
}
