//! The few DOM calls the widget draws itself with. Elements are made one by one and text
//! is set as text, never parsed as markup, so nothing a message says can become markup.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// Made once for widget and console (`confab_live::dom`).
pub use confab_live::dom::{add, add_text, document, make};

/// Keeps the element in `slot` while `shown`: made and placed by `place` when it is to
/// appear, removed when it is to go. Says whether it went.
pub fn keep(slot: &mut Option<Element>, shown: bool, place: impl FnOnce() -> Element) -> bool {
    match (shown, slot.take()) {
        (true, None) => *slot = Some(place()),
        (false, Some(element)) => {
            element.remove();
            return true;
        }
        (_, kept) => *slot = kept,
    }
    false
}

/// Sets or removes a boolean attribute (`hidden`).
pub fn flag(element: &Element, name: &str, on: bool) {
    let _ = match on {
        true => element.set_attribute(name, ""),
        false => element.remove_attribute(name),
    };
}

/// Listeners live as long as the page; the live crate has the one piece of code for it.
pub use confab_live::listen;

/// The element an event happened on.
pub fn target(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

/// The nearest element from `element` up that matches `selector`.
pub fn closest(element: &Element, selector: &str) -> Option<Element> {
    element.closest(selector).ok().flatten()
}

pub fn find(parent: &Element, selector: &str) -> Option<Element> {
    parent.query_selector(selector).ok().flatten()
}
