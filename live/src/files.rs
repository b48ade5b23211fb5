//! Files in a thread on screen, the same in the widget and the console: a message's files
//! (pictures as thumbnails that open whole, anything else as a named chip with its size,
//! to download), and the rows of files being uploaded, each with its progress, a button
//! to stop it or take it away, and why it was not sent.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use confab_protocol::attachments::{
    label, Attachment, Kind, MAX_FILES_PER_MESSAGE, MAX_FILE_BYTES,
};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use crate::dom;
use crate::property as get;
use crate::upload::{Answer, Upload};

/// Fills `list` with a message's `files`; their links are relative to `base`.
pub fn draw(list: &Element, files: &[Attachment], base: &str, link_hint: &str) {
    for file in files {
        let item = dom::add(list, "li", &[]);
        let label = label(file);
        // Files of a message still in the outbox after a reload have no link (links
        // expire): their names show.
        if file.link.is_empty() {
            dom::add_text(&item, "span", &[("class", "file")], &label);
            continue;
        }
        let href = format!("{base}{}", file.link);
        let image = Kind::from_mime(&file.kind).is_some_and(Kind::is_image);
        let link = [
            ("class", if image { "picture" } else { "file" }),
            ("href", href.as_str()),
            ("target", "_blank"),
            ("rel", "noopener noreferrer"),
            ("title", link_hint),
        ];
        let link = dom::add(&item, "a", &link);
        match image {
            true => drop(dom::add(&link, "img", &[("src", &href), ("alt", &label)])),
            false => link.set_text_content(Some(&label)),
        }
    }
}

/// How an upload ended.
pub enum Outcome {
    /// Stored: the answer's JSON (`FileUploaded`).
    Stored(String),
    /// Too big, or not a picture or PDF: trying again will not help.
    Refused,
    /// Cut off or failed: worth trying again.
    Failed,
    /// Stopped by its button.
    Cancelled,
}

/// One file's row in a list of uploads.
pub struct Row {
    element: Element,
    bar: Element,
    upload: RefCell<Option<Upload>>,
    cancelled: Cell<bool>,
    gone: Cell<bool>,
}

/// Sets `element`'s property `key` to `value` as it is: numbers stay numbers in JavaScript.
fn set(element: &Element, key: &str, value: &JsValue) {
    let _ = Reflect::set(element, &key.into(), value);
}

impl Row {
    /// A row for `file` (a `File`) in `list`, its button labelled `cancel`.
    pub fn add(list: &Element, file: &JsValue, cancel: &str) -> Rc<Row> {
        let name = get(file, "name").as_string().unwrap_or_default();
        let element = dom::add(list, "li", &[("class", "upload")]);
        dom::add_text(&element, "span", &[("class", "name")], &name);
        let bar = dom::add(
            &element,
            "progress",
            &[("value", "0"), ("aria-label", &name)],
        );
        set(&bar, "max", &get(file, "size"));
        let label = format!("{cancel} {name}");
        let button = [
            ("class", "cancel"),
            ("type", "button"),
            ("aria-label", &label),
        ];
        let button = dom::add_text(&element, "button", &button, "×");
        let row = Rc::new(Row {
            element,
            bar,
            upload: RefCell::new(None),
            cancelled: Cell::new(false),
            gone: Cell::new(false),
        });
        let clicked = row.clone();
        crate::listen(&button, "click", move |_| clicked.cancel());
        row
    }

    /// Whether `file` fits in a message that has `before` files already: refused here, a
    /// phone is spared sending ten megabytes for nothing (the edge checks it all again).
    pub fn fits(file: &JsValue, before: usize) -> bool {
        before < MAX_FILES_PER_MESSAGE
            && get(file, "size").as_f64().unwrap_or(0.0) <= MAX_FILE_BYTES as f64
    }

    /// Uploads `file` to `url` (`?name=` is added), its progress shown; `done` hears how it
    /// ended. Says whether it could start.
    pub fn send(
        self: &Rc<Self>,
        url: &str,
        token: Option<&str>,
        file: &JsValue,
        done: impl FnOnce(Outcome) + 'static,
    ) -> bool {
        let name = get(file, "name").as_string().unwrap_or_default();
        let url = format!("{url}?name={}", js_sys::encode_uri_component(&name));
        let (shown, ended) = (self.clone(), self.clone());
        let progress = move |sent: JsValue| set(&shown.bar, "value", &sent);
        let finished = move |answer: Answer| done(ended.ended(answer));
        match Upload::start(&url, token, file, progress, finished) {
            Ok(upload) => {
                *self.upload.borrow_mut() = Some(upload);
                true
            }
            Err(_) => false,
        }
    }

    pub fn uploading(&self) -> bool {
        self.upload.borrow().is_some()
    }

    /// Whether the row is still shown (its button takes it away).
    pub fn shown(&self) -> bool {
        !self.gone.get()
    }

    /// Under way, the upload stops (and its row goes); done, the row goes.
    fn cancel(&self) {
        match self.upload.take() {
            Some(upload) => {
                self.cancelled.set(true);
                upload.cancel();
            }
            None => self.remove(),
        }
    }

    /// Says `what` instead of the progress: why the file is not sent, or that it is ready.
    pub fn say(&self, what: &str, class: &str) {
        self.bar.remove();
        dom::add_text(&self.element, "span", &[("class", class)], what);
    }

    pub fn remove(&self) {
        self.gone.set(true);
        self.keep_focus();
        self.element.remove();
    }

    /// A row that goes with the keyboard's focus in it hands the focus on: to the next or
    /// the previous row's button, else to the composer, so that it is not lost to the page.
    /// (Through Reflect: typed calls would add to the glue of the widget's first open.)
    fn keep_focus(&self) {
        let row: &JsValue = self.element.as_ref();
        let call = |target: &JsValue, method: &str, arg: &JsValue| {
            let method: js_sys::Function = get(target, method).unchecked_into();
            method
                .call2(target, arg, &JsValue::UNDEFINED)
                .unwrap_or(JsValue::UNDEFINED)
        };
        let root = call(row, "getRootNode", &JsValue::UNDEFINED);
        let focused = get(&root, "activeElement");
        if !focused.is_object() || !call(row, "contains", &focused).is_truthy() {
            return;
        }
        let (selector, around) = match ["nextElementSibling", "previousElementSibling"]
            .map(|key| get(row, key))
            .into_iter()
            .find(JsValue::is_object)
        {
            Some(neighbour) => ("button", neighbour),
            None => ("textarea", get(&get(row, "parentElement"), "parentElement")),
        };
        if around.is_object() {
            let next = call(&around, "querySelector", &selector.into());
            if next.is_object() {
                call(&next, "focus", &JsValue::UNDEFINED);
            }
        }
    }

    fn ended(&self, answer: Answer) -> Outcome {
        self.upload.take();
        match answer {
            _ if self.cancelled.get() => {
                self.remove();
                Outcome::Cancelled
            }
            Some((201, text)) => Outcome::Stored(text),
            Some((413 | 415, _)) => Outcome::Refused,
            _ => Outcome::Failed,
        }
    }
}
