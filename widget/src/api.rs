//! The visitor's HTTP calls to the edge, on the browser's own `fetch`.

use confab_protocol::attachments::Attachment;
use confab_protocol::{ClientId, ConversationId, Message, SiteId, PROTOCOL_VERSION};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::json::{Json, JsonOut};

/// Why a call did not succeed.
#[derive(Clone, Debug)]
pub enum Failure {
    /// No answer (offline, server down): worth trying again later.
    Network,
    /// The server answered no, with this error code: the same again will not help.
    Refused(String),
}

#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

/// A committed message and the thread it is in.
pub struct Sent {
    pub conversation_id: ConversationId,
    pub message: Message,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Api {
            base: base.to_owned(),
        }
    }

    /// A new anonymous visitor: this device's session token.
    pub async fn new_session(&self, site: &SiteId) -> Result<String, Failure> {
        let body = JsonOut::new()
            .set("v", PROTOCOL_VERSION)
            .set("site", site.as_str());
        let answer = self.call("POST", "api/sessions", None, Some(body)).await?;
        answer.string("token").ok_or(Failure::Network)
    }

    /// Sends a message: opens a new thread when `conversation` is `None`.
    pub async fn send_message(
        &self,
        token: &str,
        conversation: Option<&ConversationId>,
        client_id: &ClientId,
        body: &str,
        files: &[Attachment],
        // What the host page `set`, and the teaser the thread answers (`Inner`).
        (attributes, teaser): (&JsValue, &JsValue),
    ) -> Result<Sent, Failure> {
        let path = match conversation {
            Some(id) => format!("api/conversations/{id}/messages"),
            None => "api/conversations".to_owned(),
        };
        let body = JsonOut::new()
            .set("v", PROTOCOL_VERSION)
            .set("client_id", client_id.as_str())
            .set("body", body)
            .set("files", ids(files))
            .set("context", visitor_context(attributes))
            // Undefined, it is left out.
            .set("proactive", teaser.clone());
        let answer = self.call("POST", &path, Some(token), Some(body)).await?;
        Ok(Sent {
            conversation_id: answer
                .conversation_id("conversation_id")
                .ok_or(Failure::Network)?,
            message: answer
                .field("message")
                .and_then(|m| m.message())
                .ok_or(Failure::Network)?,
        })
    }

    /// A page of a thread: the newest, or the one before `before`.
    pub async fn page(
        &self,
        token: &str,
        id: &ConversationId,
        before: Option<u64>,
    ) -> Result<Vec<Message>, Failure> {
        let path = match before {
            Some(seq) => format!("api/conversations/{id}/messages?before={seq}"),
            None => format!("api/conversations/{id}/messages"),
        };
        self.messages(token, &path).await
    }

    /// Long poll: messages after `after`, held by the edge until one is committed.
    pub async fn poll(
        &self,
        token: &str,
        id: &ConversationId,
        after: u64,
    ) -> Result<Vec<Message>, Failure> {
        let path = format!(
            "api/conversations/{id}/messages?after={after}&wait={}",
            confab_protocol::limits::MAX_WAIT_SECONDS
        );
        self.messages(token, &path).await
    }

    /// The messages of a history page at `path`.
    async fn messages(&self, token: &str, path: &str) -> Result<Vec<Message>, Failure> {
        let answer = self.call("GET", path, Some(token), None).await?;
        Ok(answer
            .array("messages")
            .iter()
            .filter_map(Json::message)
            .collect())
    }

    pub(crate) async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<JsonOut>,
    ) -> Result<Json, Failure> {
        let url = format!("{}{path}", self.base);
        let (status, text) = fetch(method, &url, token, body)
            .await
            .map_err(|_| Failure::Network)?;
        // A proxy's HTML error page or a cut connection is not the server's word.
        let json = Json::parse(&text).ok_or(Failure::Network)?;
        if (200..300).contains(&status) {
            return Ok(json);
        }
        match json.field("error").and_then(|e| e.string("code")) {
            Some(code) => Err(Failure::Refused(code)),
            None => Err(Failure::Network),
        }
    }
}

async fn fetch(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<JsonOut>,
) -> Result<(u16, String), JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(&body.stringify()));
    }
    let request = Request::new_with_str_and_init(url, &init)?;
    if body.is_some() {
        request.headers().set("Content-Type", "application/json")?;
    }
    if let Some(token) = token {
        request
            .headers()
            .set("Authorization", &format!("Bearer {token}"))?;
    }
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .unchecked_into();
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// The ids of the files a message carries.
fn ids(files: &[Attachment]) -> JsValue {
    files
        .iter()
        .map(|f| JsValue::from_str(f.id.as_str()))
        .collect::<js_sys::Array>()
        .into()
}

/// Where the visitor is, for the agents: the page, the browser's language and time zone,
/// and what the host page `set`. Sent with every message: a single-page app changes its
/// page without reloading.
pub fn visitor_context(attributes: &JsValue) -> JsValue {
    let window = web_sys::window().expect("a window");
    // Without its fragment (sign-in tokens travel there); an address too long to carry on
    // every message is sent as its origin alone.
    // Whole: the edge keeps it without its fragment, at most 512 characters (protocol).
    let page = window.location().href().unwrap_or_default();
    let lang = window.navigator().language().unwrap_or_default();
    JsonOut::new()
        .set("page", page)
        .set("lang", lang)
        .set("time_zone", time_zone())
        .set("attributes", attributes)
        .into_value()
}

/// `Intl.DateTimeFormat().resolvedOptions().timeZone`, read through Reflect (cheaper in
/// the download than the typed Intl bindings).
fn time_zone() -> JsValue {
    let get = |target: &JsValue, key: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    };
    let call = |f: JsValue, this: &JsValue| {
        f.dyn_into::<js_sys::Function>()
            .ok()
            .and_then(|f| f.call0(this).ok())
            .unwrap_or(JsValue::UNDEFINED)
    };
    let intl = get(&js_sys::global(), "Intl");
    let format = call(get(&intl, "DateTimeFormat"), &intl);
    let options = call(get(&format, "resolvedOptions"), &format);
    get(&options, "timeZone")
}
