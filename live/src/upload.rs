//! A file sent as a request's whole body, with its progress: the widget's and the console's
//! uploads. `fetch` cannot tell how much of a body has gone, and a 10 MB photo on a phone's
//! network takes long enough that a person wants to see it move (and to be able to stop it).
//!
//! `XMLHttpRequest` is reached through `Reflect` rather than web-sys' typed bindings: the
//! widget's JS glue is one file for its first open and its chunks alike, and the typed
//! bindings would add their glue to that first download.

use crate::property as get;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::EventTarget;

/// An upload under way.
#[derive(Clone)]
pub struct Upload(JsValue);

/// How an upload ended: the status and the answer's text, or `None` if no answer came (cut
/// off, offline, or cancelled).
pub type Answer = Option<(u16, String)>;

/// `target.method(a, b)`; unused arguments are `undefined`. (One of js-sys' calls only, and
/// no type checks: each adds its glue to every page.)
fn call(target: &JsValue, method: &str, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    let method: Function = get(target, method).unchecked_into();
    method.call2(target, &a, &b)
}

impl Upload {
    /// POSTs `file` (a `File` or `Blob`) to `url`, with `token` as its bearer if there is
    /// one (the console's session is its cookie): `progress` hears the bytes sent so far (a
    /// number),
    /// `done` how it ended, once.
    pub fn start(
        url: &str,
        token: Option<&str>,
        file: &JsValue,
        mut progress: impl FnMut(JsValue) + 'static,
        done: impl FnOnce(Answer) + 'static,
    ) -> Result<Upload, JsValue> {
        let class: Function = get(&js_sys::global(), "XMLHttpRequest").unchecked_into();
        let xhr = Reflect::construct(&class, &Array::new())?;
        call(&xhr, "open", "POST".into(), url.into())?;
        if let Some(token) = token {
            let bearer = format!("Bearer {token}").into();
            call(&xhr, "setRequestHeader", "Authorization".into(), bearer)?;
        }
        let upload: EventTarget = get(&xhr, "upload").unchecked_into();
        crate::listen(&upload, "progress", move |event| {
            progress(get(event.as_ref(), "loaded"));
        });
        let mut done = Some(done);
        let answered = xhr.clone();
        crate::listen(xhr.unchecked_ref(), "loadend", move |_| {
            // 0: the request never got an answer.
            let status = get(&answered, "status").as_f64().unwrap_or(0.0) as u16;
            let text = get(&answered, "responseText")
                .as_string()
                .unwrap_or_default();
            if let Some(done) = done.take() {
                done((status != 0).then_some((status, text)));
            }
        });
        call(&xhr, "send", file.clone(), JsValue::UNDEFINED)?;
        Ok(Upload(xhr))
    }

    /// Stops it: `done` hears that no answer came.
    pub fn cancel(&self) {
        let _ = call(&self.0, "abort", JsValue::UNDEFINED, JsValue::UNDEFINED);
    }
}
