//! Files in the thread. Those the visitor attaches, picked with the paperclip, pasted or
//! dropped on the panel, are each uploaded with its progress shown and a button to stop
//! it, and those that arrived are sent together as one message (through the outbox, like
//! any message). Those in messages show as thumbnails or named chips.
//!
//! All of it but `attached` and `show` is in the chunk of what is seldom done
//! (`seldom.rs`), fetched the first time a file is attached or shown.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use confab_live::Upload;
use confab_protocol::attachments::{Attachment, Kind, MAX_FILES_PER_MESSAGE, MAX_FILE_BYTES};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event};

use crate::chat::Chat;
use crate::dom;
use crate::json::Json;
use crate::seldom::Seldom;
use crate::texts::Texts;

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Uploads the files `event` brought, if it brought any, into the thread shown in
/// `container`: the file input's own list, or what was pasted or dropped. Pasted text and
/// dropped links are left to the browser.
pub fn attached(chat: Chat, texts: &'static Texts, container: &Element, event: &Event) {
    let value: &JsValue = event.as_ref();
    // (What is dragged cannot be read before it is dropped.)
    if get(value, "type") == "dragover" {
        return event.prevent_default();
    }
    let holder = ["target", "clipboardData", "dataTransfer"]
        .map(|key| get(value, key))
        .into_iter()
        .find(|holder| get(holder, "files").is_object());
    let Some(holder) = holder else { return };
    let files = Array::from(&get(&holder, "files"));
    let list = dom::find(container, ".uploads");
    let (Some(list), false) = (list, files.length() == 0 || chat.shown(|s| s.home)) else {
        return;
    };
    event.prevent_default();
    // The list is copied: the input is emptied so that the same file can be picked again.
    let _ = Reflect::set(&holder, &"value".into(), &"".into());
    spawn_local(async move {
        let work = Seldom::Attach {
            chat,
            texts,
            list: list.clone(),
            files,
        };
        if crate::seldom::run(work).await.is_err() {
            dom::add_text(&list, "li", &[("class", "upload why")], texts.refused);
        }
    });
}

/// Fills `list`, a message's, with its `files` once the chunk is there; `base` is the
/// API's, which their links are relative to.
pub fn show(list: Element, files: Vec<Attachment>, base: String, texts: &'static Texts) {
    spawn_local(async move {
        // Offline with the chunk not fetched yet: the message's text still shows.
        let work = Seldom::ShowFiles {
            list,
            files,
            base,
            texts,
        };
        let _ = crate::seldom::run(work).await;
    });
}

/// `show`, in the chunk.
pub(crate) fn show_files(list: &Element, files: &[Attachment], base: &str, texts: &Texts) {
    for file in files {
        add_file(&dom::add(list, "li", &[]), file, base, texts);
    }
}

/// A picture as a thumbnail that opens it whole, anything else as its name and size, to
/// download.
fn add_file(item: &Element, file: &Attachment, base: &str, texts: &Texts) {
    let tenths = file.size.div_ceil(100_000);
    let label = format!("{} · {}.{} MB", file.name, tenths / 10, tenths % 10);
    let href = format!("{base}{}", file.link);
    let image = Kind::from_mime(&file.kind).is_some_and(Kind::is_image);
    // A pending message's files have no link yet: their names show.
    if file.link.is_empty() {
        dom::add_text(item, "span", &[("class", "file")], &label);
        return;
    }
    let link = [
        ("class", if image { "picture" } else { "file" }),
        ("href", href.as_str()),
        ("target", "_blank"),
        ("rel", "noopener noreferrer"),
        ("title", texts.link_hint),
    ];
    let link = dom::add(item, "a", &link);
    match image {
        true => drop(dom::add(&link, "img", &[("src", &href), ("alt", &label)])),
        false => link.set_text_content(Some(&label)),
    }
}

/// One upload's row.
struct Row {
    element: Element,
    upload: RefCell<Option<Upload>>,
    cancelled: Cell<bool>,
}

/// The files attached together, sent as one message once each has arrived or failed.
struct Batch {
    chat: Chat,
    left: Cell<usize>,
    stored: RefCell<Vec<Option<Attachment>>>,
}

impl Batch {
    fn finished(&self, index: usize, file: Option<Attachment>) {
        self.stored.borrow_mut()[index] = file;
        self.left.set(self.left.get() - 1);
        if self.left.get() == 0 {
            let files: Vec<Attachment> = self.stored.take().into_iter().flatten().collect();
            if !files.is_empty() {
                self.chat.send(String::new(), files);
            }
        }
    }
}

/// `attached`, in the chunk.
pub(crate) fn upload_files(chat: Chat, texts: &'static Texts, list: Element, files: Array) {
    let count = files.length() as usize;
    let batch = Rc::new(Batch {
        chat,
        left: Cell::new(count),
        stored: RefCell::new(vec![None; count]),
    });
    let mut started = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let name = get(&file, "name").as_string().unwrap_or_default();
        let size = get(&file, "size").as_f64().unwrap_or(0.0);
        let row = Rc::new(new_row(&list, &name, size, texts));
        let cancel = row.clone();
        if let Some(button) = dom::find(&row.element, "button") {
            dom::listen(&button, "click", move |_| cancel.cancel());
        }
        // Refused here already, to spare a phone sending ten megabytes for nothing.
        if index >= MAX_FILES_PER_MESSAGE || size > MAX_FILE_BYTES as f64 {
            row.failed(texts.file_refused);
            batch.finished(index, None);
        } else {
            started.push((index, file, row));
        }
    }
    spawn_local(async move {
        let token = chat.session_token().await.ok();
        let base = chat.with_inner(|i| i.api_base.clone());
        for (index, file, row) in started {
            let name = get(&file, "name").as_string().unwrap_or_default();
            let url = format!(
                "{base}api/files?name={}",
                js_sys::encode_uri_component(&name)
            );
            let (shown, done, all) = (row.clone(), row.clone(), batch.clone());
            let upload = token.as_deref().map(|token| {
                Upload::start(
                    &url,
                    Some(token),
                    &file,
                    move |sent| shown.progressed(sent),
                    move |answer| all.finished(index, done.ended(answer, texts)),
                )
            });
            match upload {
                Some(Ok(upload)) => *row.upload.borrow_mut() = Some(upload),
                _ => {
                    row.failed(texts.failed);
                    batch.finished(index, None);
                }
            }
        }
    });
}

fn new_row(list: &Element, name: &str, size: f64, texts: &Texts) -> Row {
    let element = dom::add(list, "li", &[("class", "upload")]);
    dom::add_text(&element, "span", &[("class", "name")], name);
    // (Whole numbers: a float's formatting would weigh more than this chunk.)
    let size = (size as u64).to_string();
    let bar = [("max", size.as_str()), ("value", "0"), ("aria-label", name)];
    dom::add(&element, "progress", &bar);
    let button = [
        ("class", "cancel"),
        ("type", "button"),
        ("aria-label", texts.cancel),
    ];
    dom::add_text(&element, "button", &button, "×");
    Row {
        element,
        upload: RefCell::new(None),
        cancelled: Cell::new(false),
    }
}

impl Row {
    fn progressed(&self, sent: f64) {
        if let Some(bar) = dom::find(&self.element, "progress") {
            let _ = bar.set_attribute("value", &(sent as u64).to_string());
        }
    }

    /// Under way, the upload stops (and its row goes); done, the row goes.
    fn cancel(&self) {
        match self.upload.take() {
            Some(upload) => {
                self.cancelled.set(true);
                upload.cancel();
            }
            None => self.element.remove(),
        }
    }

    /// Says why the file is not sent; the row stays until the visitor takes it away.
    fn failed(&self, why: &str) {
        if let Some(bar) = dom::find(&self.element, "progress") {
            bar.remove();
        }
        dom::add_text(&self.element, "span", &[("class", "why")], why);
    }

    /// The file as stored, or `None` after saying why not.
    fn ended(&self, answer: confab_live::Answer, texts: &Texts) -> Option<Attachment> {
        self.upload.take();
        let file = match &answer {
            Some((201, text)) => Json::parse(text).and_then(|j| j.field("file")?.attachment()),
            _ => None,
        };
        match (file, answer) {
            (Some(file), _) => {
                self.element.remove();
                return Some(file);
            }
            _ if self.cancelled.get() => self.element.remove(),
            // Too big, or not a picture or PDF: trying again will not help.
            (None, Some((413 | 415, _))) => self.failed(texts.file_refused),
            _ => self.failed(texts.failed),
        }
        None
    }
}
