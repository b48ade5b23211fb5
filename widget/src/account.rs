//! The visitor's account from the widget: signing this device in (a resume code, an
//! emailed link, the host's `Confab('identify', …)`), the list of threads and devices,
//! and forgetting this device (`Confab('reset')`, signing out).
//!
//! The edge does the work; this file calls it and moves the chat to what it answers.

use confab_protocol::{ConversationId, PROTOCOL_VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use crate::api::{Api, Failure};
use crate::chat::Chat;
use crate::json::JsonOut;

/// One of the visitor's threads in the list.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadItem {
    pub id: ConversationId,
    pub preview: String,
    pub unread: u64,
}

/// One signed-in browser.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceItem {
    pub session: String,
    pub browser: String,
    pub current: bool,
}

/// A resume code to show: the code, the link and its QR code (SVG).
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    pub code: String,
    pub link: String,
    pub qr_svg: String,
}

/// The host page, without a fragment: where links return to.
fn page() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

impl Api {
    /// A sign-in call: the new token, sent with this device's token (if any) so its
    /// anonymous threads come along.
    async fn sign_in(
        &self,
        path: &str,
        token: Option<&str>,
        body: JsonOut,
    ) -> Result<String, Failure> {
        let answer = self
            .call("POST", path, token, Some(body.set("v", PROTOCOL_VERSION)))
            .await?;
        answer.string("token").ok_or(Failure::Network)
    }

    pub async fn threads(&self, token: &str) -> Result<Vec<ThreadItem>, Failure> {
        let answer = self
            .call("GET", "api/visitor/conversations", Some(token), None)
            .await?;
        Ok(answer
            .array("conversations")
            .iter()
            .filter_map(|c| {
                let last = c.field("last").and_then(|m| m.message());
                Some(ThreadItem {
                    id: c.conversation_id("id")?,
                    preview: last.map(|m| m.body).unwrap_or_default(),
                    unread: c.number("unread").unwrap_or(0),
                })
            })
            .collect())
    }

    pub async fn devices(&self, token: &str) -> Result<(Vec<DeviceItem>, Option<String>), Failure> {
        let answer = self
            .call("GET", "api/visitor/devices", Some(token), None)
            .await?;
        let devices = answer
            .array("devices")
            .iter()
            .filter_map(|d| {
                Some(DeviceItem {
                    session: d.string("session")?,
                    browser: d.string("browser")?,
                    current: d.bool("current"),
                })
            })
            .collect();
        Ok((devices, answer.string("email")))
    }

    pub async fn new_code(&self, token: &str) -> Result<Code, Failure> {
        let body = JsonOut::new()
            .set("v", PROTOCOL_VERSION)
            .set("page", page());
        let answer = self
            .call("POST", "api/visitor/codes", Some(token), Some(body))
            .await?;
        Ok(Code {
            code: answer.string("code").ok_or(Failure::Network)?,
            link: answer.string("link").ok_or(Failure::Network)?,
            qr_svg: answer.string("qr_svg").ok_or(Failure::Network)?,
        })
    }

    pub async fn email_link(&self, token: &str, email: &str) -> Result<(), Failure> {
        let body = JsonOut::new()
            .set("v", PROTOCOL_VERSION)
            .set("email", email)
            .set("page", page());
        self.call("POST", "api/visitor/email", Some(token), Some(body))
            .await?;
        Ok(())
    }

    /// Signs out one device (`session`), or this one (`None`), or all of them.
    pub async fn sign_out(
        &self,
        token: &str,
        session: Option<&str>,
        everywhere: bool,
    ) -> Result<(), Failure> {
        let mut body = JsonOut::new()
            .set("v", PROTOCOL_VERSION)
            .set("everywhere", everywhere);
        if let Some(session) = session {
            body = body.set("session", session);
        }
        self.call("POST", "api/visitor/sign-out", Some(token), Some(body))
            .await?;
        Ok(())
    }
}

/// How this device signs in.
pub enum Way {
    Code(String),
    /// The token of an emailed link.
    Link(String),
    /// `Confab('identify', …)`: the host's fields as given.
    Identify(JsValue),
}

/// Signs this device in, then shows the visitor's newest thread. Answers the edge's
/// refusal, if any, for the widget to show.
pub async fn sign_in(chat: Chat, way: Way) -> Result<(), Failure> {
    crate::seldom::run(crate::seldom::Seldom::SignIn(chat, way)).await
}

/// `sign_in`, in the chunk of what is seldom done.
pub(crate) async fn signing_in(chat: Chat, way: Way) -> Result<(), Failure> {
    let api = chat.api();
    let site = chat.site();
    let token = chat.saved().token;
    let base = JsonOut::new().set("site", site.as_str());
    let (path, body) = match way {
        Way::Code(code) => ("api/visitor/codes/redeem", base.set("code", code)),
        Way::Link(link) => ("api/visitor/sign-in", base.set("link", link)),
        Way::Identify(fields) => {
            let get = |key: &str| {
                js_sys::Reflect::get(&fields, &key.into()).unwrap_or(JsValue::UNDEFINED)
            };
            let body = base
                .set("user_id", get("userId"))
                .set("user_hash", get("userHash"))
                .set("jwt", get("jwt"))
                .set("email", get("email"))
                .set("name", get("name"));
            ("api/visitor/identify", body)
        }
    };
    let token = api.sign_in(path, token.as_deref(), body).await?;
    chat.use_token(token.clone());
    if chat.saved().conversation_id.is_none() {
        if let Some(newest) = api.threads(&token).await?.into_iter().next() {
            chat.switch_to(Some(newest.id));
        }
    }
    Ok(())
}

/// A link that brought the visitor here: `#confab=CODE` or `#confab-link=TOKEN`. It is
/// taken out of the address at once, so it is neither bookmarked nor shared by mistake.
pub fn take_from_address() -> Option<Way> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let way = if let Some(code) = hash.strip_prefix("#confab=") {
        Way::Code(code.to_owned())
    } else if let Some(link) = hash.strip_prefix("#confab-link=") {
        Way::Link(link.to_owned())
    } else {
        return None;
    };
    let _ = window
        .history()
        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&page())));
    Some(way)
}

/// `window.Confab(command, fields)` for the host page, once the widget runs; the calls it
/// queued before are run first.
pub fn serve_host_commands(chat: Chat, host: &JsValue) {
    let run = move |command: JsValue, fields: JsValue| match command.as_string().as_deref() {
        Some("identify") => identify(chat, fields),
        Some("reset") => reset(chat),
        Some("prefill") => crate::host::prefill(chat, fields),
        Some("set") => crate::host::set(chat, fields),
        Some("event") => crate::host::event(chat, fields),
        _ => web_sys::console::warn_1(&"confab: unknown command".into()),
    };
    // The loader's `Confab` function keeps the calls made before now in `q`, and hands
    // every later one to `run`.
    let queued = js_sys::Reflect::get(host, &"q".into())
        .ok()
        .filter(|q| q.is_object())
        .map(|q| js_sys::Array::from(&q));
    let handler = Closure::<dyn Fn(JsValue, JsValue)>::new(run);
    let _ = js_sys::Reflect::set(host, &"run".into(), handler.as_ref().unchecked_ref());
    handler.forget();
    for call in queued.iter().flat_map(|q| q.iter()) {
        let call = js_sys::Array::from(&call);
        run(call.get(0), call.get(1));
    }
}

/// Verified, the device joins the user's visitor. Refused, the device forgets everything,
/// so a page that says "this is user X" never shows someone else's thread.
fn identify(chat: Chat, fields: JsValue) {
    let user = js_sys::Reflect::get(&fields, &"userId".into())
        .ok()
        .and_then(|v| v.as_string());
    if user.is_some() && user == chat.saved().user {
        return;
    }
    spawn_local(async move {
        match sign_in(chat, Way::Identify(fields)).await {
            Ok(()) => chat.update_saved(|s| s.user = user),
            Err(Failure::Refused(code)) => {
                web_sys::console::error_2(&"confab: identify refused:".into(), &code.into());
                chat.forget();
            }
            Err(Failure::Network) => {}
        }
    });
}

/// `Confab('reset')`, for the host's logout: this device signs out and forgets the visitor.
pub fn reset(chat: Chat) {
    if let Some(token) = chat.saved().token {
        let api = chat.api();
        spawn_local(async move {
            let _ = api.sign_out(&token, None, false).await;
        });
    }
    chat.forget();
}
