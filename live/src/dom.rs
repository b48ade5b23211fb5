//! The few DOM calls widget and console draw files with (and the widget draws everything
//! with). Elements are made one by one and text is set as text, never parsed as markup.

use web_sys::{Document, Element, Node};

pub fn document() -> Document {
    crate::window()
        .document()
        .expect("the widget and the console run in a page")
}

/// A new `tag` element with `attributes`.
pub fn make(tag: &str, attributes: &[(&str, &str)]) -> Element {
    let element = document()
        .create_element(tag)
        .expect("tag names are the widget's own");
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    element
}

/// A new `tag` element with `attributes`, appended to `parent`.
pub fn add(parent: &Node, tag: &str, attributes: &[(&str, &str)]) -> Element {
    let element = make(tag, attributes);
    let _ = parent.append_child(&element);
    element
}

/// Same as `add`, with `text` in it.
pub fn add_text(parent: &Node, tag: &str, attributes: &[(&str, &str)], text: &str) -> Element {
    let element = add(parent, tag, attributes);
    element.set_text_content(Some(text));
    element
}
