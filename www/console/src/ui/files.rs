//! Files in a conversation: a message's, and those the agent attaches to a reply. Both are
//! drawn by the code the widget draws them with (`confab_live::files`): the same thumbnails
//! and chips, the same upload rows, and none of the weight Leptos' views of them had.

use std::cell::RefCell;
use std::rc::Rc;

use confab_live::files::{Outcome, Row};
use confab_protocol::attachments::{Attachment, ACCEPTED};
use confab_protocol::FileUploaded;
use leptos::html::Ul;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::texts::f;

/// A message's files. Their links are relative to the deployment, which is the console's.
pub fn files_view(files: &[Attachment]) -> impl IntoView {
    let list = NodeRef::<Ul>::new();
    let files = files.to_vec();
    list.on_load(move |list| confab_live::files::draw(&list, &files, "/", f().opens_in_new_tab));
    view! { <ul class="files" node_ref=list></ul> }
}

/// A file attached to the reply being written, and what it became once uploaded.
struct Staged {
    row: Rc<Row>,
    stored: Rc<RefCell<Option<Attachment>>>,
}

/// The files attached to the reply being written.
#[derive(Clone, Copy)]
pub struct Attached {
    staged: StoredValue<Vec<Staged>, LocalStorage>,
    list: NodeRef<Ul>,
}

impl Attached {
    pub fn new() -> Self {
        Attached {
            staged: StoredValue::new_local(Vec::new()),
            list: NodeRef::new(),
        }
    }

    /// Whether an upload is still under way: the reply waits for it.
    pub fn busy(self) -> bool {
        self.staged
            .with_value(|s| s.iter().any(|f| f.row.uploading()))
    }

    /// The files stored, taken for the reply being sent; their rows go with them.
    pub fn take(self) -> Vec<Attachment> {
        let mut taken = Vec::new();
        self.staged.update_value(|staged| {
            staged.retain(|file| {
                let stored = file.stored.borrow().clone();
                match stored {
                    Some(stored) if file.row.shown() => {
                        file.row.remove();
                        taken.push(stored);
                        false
                    }
                    _ => file.row.shown(),
                }
            })
        });
        taken
    }

    /// Uploads the files picked in `input`.
    fn add(self, input: &JsValue) {
        let Some(list) = self.list.get_untracked() else {
            return;
        };
        // The FileList read as the array-like it is, and the input emptied through Reflect
        // (so that the same file can be picked again): web-sys' typed calls would add to the
        // JS glue that the inbox and every chunk share.
        let picked: js_sys::Array = js_sys::Reflect::get(input, &"files".into())
            .unwrap_or_default()
            .unchecked_into();
        let files: Vec<JsValue> = (0..picked.length()).map(|i| picked.get(i)).collect();
        let _ = js_sys::Reflect::set(input, &"value".into(), &"".into());
        for file in files {
            let row = Row::add(&list, &file, f().remove_file);
            let count = self
                .staged
                .with_value(|s| s.iter().filter(|f| f.row.shown()).count());
            let stored = Rc::new(RefCell::new(None));
            let (shown, into) = (row.clone(), stored.clone());
            let done = move |outcome| {
                let why = match outcome {
                    Outcome::Stored(text) => match serde_json::from_str::<FileUploaded>(&text) {
                        Ok(uploaded) => {
                            *into.borrow_mut() = Some(uploaded.file);
                            return shown.say(f().attached, "ready");
                        }
                        Err(_) => f().file_failed,
                    },
                    Outcome::Refused => f().file_refused,
                    Outcome::Failed => f().file_failed,
                    Outcome::Cancelled => return,
                };
                shown.say(why, "why");
            };
            if !Row::fits(&file, count) {
                row.say(f().file_refused, "why");
            } else if !row.send("/api/console/files", None, &file, done) {
                row.say(f().file_failed, "why");
            }
            self.staged.update_value(|s| s.push(Staged { row, stored }));
        }
    }
}

/// The paperclip and the files attached to the reply.
#[component]
pub fn AttachFiles(attached: Attached) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(input) = ev.target() {
            attached.add(&input);
        }
    };
    view! {
        <label class="attach" title=f().attach>
            <input type="file" multiple accept=ACCEPTED class="visually-hidden"
                aria-label=f().attach on:change=on_change />
        </label>
        <ul class="uploads" aria-live="polite" node_ref=attached.list></ul>
    }
}
