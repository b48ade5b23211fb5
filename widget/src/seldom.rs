//! What the widget does seldom, fetched the first time it is needed: one wasm chunk
//! (`wasm_split`) for signing in, long polling while the socket cannot connect, files, and
//! what the team's automatic messages ask (`ui::asks`).
//! Most visits need none of it, and the first open stays light (its budget is in
//! `tests/src/sizes.rs`). One way in for all of them: each way into a chunk costs the first
//! open a loader of its own.

use std::future::{ready, Future};
use std::pin::Pin;

use confab_protocol::attachments::Attachment;
use js_sys::Array;
use wasm_split_helpers::{wasm_split, SplitLoaderError};
use web_sys::Element;

use crate::account::Way;
use crate::api::Failure;
use crate::chat::Chat;
use crate::texts::Texts;

pub enum Seldom {
    SignIn(Chat, Way),
    /// Fetch replies by long poll until the socket is back.
    Poll(Chat),
    /// Upload `files`, shown in `list`, then send them.
    Attach {
        chat: Chat,
        texts: &'static Texts,
        list: Element,
        files: Array,
    },
    /// Draw what an automatic message of kind `auto` asks, into `place`.
    Ask {
        chat: Chat,
        texts: &'static Texts,
        place: Element,
        auto: confab_protocol::Auto,
    },
    /// Show a message's `files` in `list`; their links are relative to `base`.
    ShowFiles {
        list: Element,
        files: Vec<Attachment>,
        base: String,
        texts: &'static Texts,
    },
}

type Work = Pin<Box<dyn Future<Output = Result<(), Failure>>>>;

/// Does `work` once its chunk is there. A chunk that cannot be fetched (offline, or the
/// deployment is gone) is a network failure, worth trying again later.
pub async fn run(work: Seldom) -> Result<(), Failure> {
    match seldom(work).await {
        Ok(work) => work.await,
        Err(_) => Err(Failure::Network),
    }
}

#[wasm_split(seldom, fallible)]
fn seldom(work: Seldom) -> Result<Work, SplitLoaderError> {
    Ok(match work {
        Seldom::SignIn(chat, way) => Box::pin(crate::account::signing_in(chat, way)),
        Seldom::Poll(chat) => Box::pin(crate::live::polling(chat)),
        Seldom::Attach {
            chat,
            texts,
            list,
            files,
        } => {
            crate::ui::uploads::upload_files(chat, texts, list, files);
            Box::pin(ready(Ok(())))
        }
        Seldom::Ask {
            chat,
            texts,
            place,
            auto,
        } => {
            crate::ui::asks::draw(chat, texts, place, auto);
            Box::pin(ready(Ok(())))
        }
        Seldom::ShowFiles {
            list,
            files,
            base,
            texts,
        } => {
            crate::ui::uploads::show_files(&list, &files, &base, texts);
            Box::pin(ready(Ok(())))
        }
    })
}
