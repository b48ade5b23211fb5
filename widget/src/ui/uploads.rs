//! Files in the thread. Those the visitor attaches, picked with the paperclip, pasted or
//! dropped on the panel, are each uploaded with its progress shown and a button to stop
//! it, and those that arrived are sent together as one message (through the outbox, like
//! any message). Those in messages show as thumbnails or named chips.
//!
//! All of it but `attached` and `show` is in the chunk of what is seldom done
//! (`seldom.rs`), fetched the first time a file is attached or shown.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use confab_live::files::{Outcome, Row};
use confab_live::property as get;
use confab_protocol::attachments::Attachment;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event};

use crate::chat::Chat;
use crate::dom;
use crate::json::Json;
use crate::seldom::Seldom;
use crate::texts::Texts;

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
    if files.length() == 0 {
        return;
    }
    // Copied from a document, text comes with a picture of itself: the text is pasted.
    // (Only a paste's holder has `types`: `Array.from` throws on nothing.)
    let pasted = get(value, "type") == "paste";
    if pasted
        && Array::from(&get(&holder, "types"))
            .iter()
            .any(|t| t == "text/plain")
    {
        return;
    }
    // Dropped on the ☰ view too, a file stays out of the host page's tab.
    event.prevent_default();
    let list = dom::find(container, ".uploads");
    let (Some(list), false) = (list, chat.shown(|s| s.home)) else {
        return;
    };
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
    confab_live::files::draw(list, files, base, texts.link_hint);
}

/// The files attached together, sent as one message once each has arrived or failed
/// (those that failed say why, and stay out of it). Until then, the stored ones keep their
/// rows, and can still be taken away.
struct Batch {
    chat: Chat,
    left: Cell<usize>,
    stored: RefCell<Vec<Option<Stored>>>,
}

/// A file stored, and its row.
type Stored = (Attachment, Rc<Row>);

impl Batch {
    fn finished(&self, index: usize, file: Option<Stored>) {
        self.stored.borrow_mut()[index] = file;
        self.left.set(self.left.get() - 1);
        if self.left.get() > 0 {
            return;
        }
        let mut files = Vec::new();
        for (file, row) in self.stored.take().into_iter().flatten() {
            if row.shown() {
                row.remove();
                files.push(file);
            }
        }
        if !files.is_empty() {
            self.chat.send(String::new(), files);
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
        let row = Row::add(&list, &file, texts.cancel);
        if !Row::fits(&file, index) {
            row.say(texts.file_refused, "why");
            batch.finished(index, None);
        } else {
            started.push((index, file, row));
        }
    }
    spawn_local(async move {
        let token = chat.session_token().await.ok();
        let url = chat.with_inner(|i| format!("{}api/files", i.api_base));
        for (index, file, row) in started {
            // Taken away while the session was asked for.
            if !row.shown() {
                batch.finished(index, None);
                continue;
            }
            let (shown, all) = (row.clone(), batch.clone());
            let done = move |outcome| {
                let file = stored(&shown, outcome, texts);
                all.finished(index, file.map(|file| (file, shown)));
            };
            let sent = token
                .as_deref()
                .is_some_and(|token| row.send(&url, Some(token), &file, done));
            if !sent {
                row.say(texts.failed, "why");
                batch.finished(index, None);
            }
        }
    });
}

/// The file as stored; or `None`, its row saying why.
fn stored(row: &Row, outcome: Outcome, texts: &Texts) -> Option<Attachment> {
    let why = match outcome {
        Outcome::Stored(text) => {
            let file = Json::parse(&text).and_then(|j| j.field("file")?.attachment());
            if file.is_some() {
                return file;
            }
            texts.failed
        }
        Outcome::Refused => texts.file_refused,
        Outcome::Failed => texts.failed,
        Outcome::Cancelled => return None,
    };
    row.say(why, "why");
    None
}
