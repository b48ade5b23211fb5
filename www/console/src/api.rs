//! The console's HTTP calls to the edge: JSON bodies from `confab_protocol` types, on the
//! browser's `fetch`. The session is an HttpOnly cookie the browser sends by itself
//! (same origin); no token is ever held here.

use confab_protocol::console::*;
use confab_protocol::reach::{ReachRequest, ReachSettings};
use confab_protocol::{
    AgentId, ConversationId, ErrorCode, HistoryPage, SendMessageRequest, SendMessageResponse,
    SiteId, PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

use crate::browser::window;

/// Why a call did not succeed, in words an agent can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status; `None` when there was no answer at all (offline, server down).
    pub status: Option<u16>,
    pub message: String,
}

impl Failure {
    fn network() -> Self {
        Failure {
            status: None,
            message: "The server could not be reached. Check the connection and try again."
                .to_owned(),
        }
    }

    /// The session is gone: the console shows the sign-in form.
    pub fn signed_out(&self) -> bool {
        self.status == Some(ErrorCode::Unauthorized.status())
    }
}

/// The part of the error shape (`{"error":{"code":"…","message":"…"}}`) the console reads:
/// the status says what kind of failure it is, and deserializing every code would cost the
/// download about 2 KB.
#[derive(Deserialize)]
struct ErrorReply {
    error: ErrorMessage,
}

#[derive(Deserialize)]
struct ErrorMessage {
    message: String,
}

pub type Answer<T> = Result<T, Failure>;

const BASE: &str = "/api/console";

pub async fn login(email: &str, password: &str) -> Answer<Me> {
    let body = LoginRequest {
        v: PROTOCOL_VERSION,
        email: email.to_owned(),
        password: password.to_owned(),
    };
    call("POST", "/login", Some(&body)).await
}

pub async fn logout() -> Answer<()> {
    call_empty("POST", "/logout").await
}

pub async fn me() -> Answer<Me> {
    call::<(), _>("GET", "/me", None).await
}

pub async fn accept_invite(token: &str, password: &str) -> Answer<Me> {
    let body = AcceptInviteRequest {
        v: PROTOCOL_VERSION,
        token: token.to_owned(),
        password: password.to_owned(),
    };
    call("POST", "/invites/accept", Some(&body)).await
}

pub async fn agents() -> Answer<AgentList> {
    call::<(), _>("GET", "/agents", None).await
}

pub async fn invite(email: &str, name: &str, role: Role) -> Answer<InviteResponse> {
    let body = InviteRequest {
        v: PROTOCOL_VERSION,
        email: email.to_owned(),
        name: name.to_owned(),
        role,
    };
    call("POST", "/agents", Some(&body)).await
}

pub async fn remove_agent(id: &AgentId) -> Answer<()> {
    call_empty("DELETE", &format!("/agents/{id}")).await
}

pub async fn canned() -> Answer<CannedList> {
    call::<(), _>("GET", "/canned", None).await
}

pub async fn save_canned(shortcut: &str, body: &str) -> Answer<CannedReply> {
    let request = SaveCannedRequest {
        v: PROTOCOL_VERSION,
        shortcut: shortcut.to_owned(),
        body: body.to_owned(),
    };
    call("POST", "/canned", Some(&request)).await
}

pub async fn delete_canned(shortcut: &str) -> Answer<()> {
    call_empty("DELETE", &format!("/canned/{}", encode(shortcut))).await
}

pub async fn conversations(site: &SiteId, view: View, query: &str) -> Answer<InboxList> {
    let mut path = format!("/sites/{site}/conversations?view={}", view_name(view));
    if !query.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(query.trim())));
    }
    call::<(), _>("GET", &path, None).await
}

pub async fn conversation(site: &SiteId, id: &ConversationId) -> Answer<ConversationDetail> {
    call::<(), _>("GET", &format!("/sites/{site}/conversations/{id}"), None).await
}

pub async fn assign(site: &SiteId, id: &ConversationId, to: Option<AgentId>) -> Answer<InboxRow> {
    let body = AssignRequest {
        v: PROTOCOL_VERSION,
        assignee: to,
    };
    let path = format!("/sites/{site}/conversations/{id}/assign");
    call("POST", &path, Some(&body)).await
}

pub async fn set_status(
    site: &SiteId,
    id: &ConversationId,
    status: Status,
    snoozed_until: Option<u64>,
) -> Answer<InboxRow> {
    let body = StatusRequest {
        v: PROTOCOL_VERSION,
        status,
        snoozed_until,
    };
    let path = format!("/sites/{site}/conversations/{id}/status");
    call("POST", &path, Some(&body)).await
}

/// A site's words (`WordsResponse`) as the browser parsed them: the form reads and
/// writes them with `Reflect`, as typed values they cost the team page 10 KB gzipped.
pub async fn words(site: &SiteId) -> Answer<JsValue> {
    let text = fetch_text("GET", &format!("/sites/{site}/words"), None).await?;
    js_sys::JSON::parse(&text).map_err(|_| Failure::network())
}

/// Saves `words` (a `SiteWords` object); answers as [`words`].
pub async fn save_words(site: &SiteId, words: &JsValue) -> Answer<JsValue> {
    let body = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&body, &"v".into(), &PROTOCOL_VERSION.into());
    let _ = js_sys::Reflect::set(&body, &"words".into(), words);
    let body: String = js_sys::JSON::stringify(&body)
        .map(Into::into)
        .map_err(|_| Failure::network())?;
    let text = fetch_text("PUT", &format!("/sites/{site}/words"), Some(&body)).await?;
    js_sys::JSON::parse(&text).map_err(|_| Failure::network())
}

/// Every site, removed ones too (admins).
pub async fn sites() -> Answer<sites::SiteList> {
    call::<(), _>("GET", "/sites", None).await
}

pub async fn create_site(site: &str, settings: sites::SiteSettings) -> Answer<sites::Site> {
    let body = sites::CreateSiteRequest {
        v: PROTOCOL_VERSION,
        site: site.to_owned(),
        settings,
    };
    call("POST", "/sites", Some(&body)).await
}

pub async fn save_site(site: &SiteId, settings: sites::SiteSettings) -> Answer<sites::Site> {
    let body = sites::SiteSettingsRequest {
        v: PROTOCOL_VERSION,
        settings,
    };
    call("PUT", &format!("/sites/{site}"), Some(&body)).await
}

/// The reports' figures of `site` over the last `days` days.
pub async fn report(site: &SiteId, days: u32) -> Answer<reports::Report> {
    call::<(), _>("GET", &report_path(site, days, false), None).await
}

/// Where the report is, as JSON or (`csv`) the days as a spreadsheet.
pub fn report_path(site: &SiteId, days: u32, csv: bool) -> String {
    let format = if csv { "&format=csv" } else { "" };
    format!("/sites/{site}/reports?days={days}{format}")
}

/// The address of a path of this API, for links the browser follows itself.
pub fn href(path: &str) -> String {
    format!("{BASE}{path}")
}

/// Removes, restores or deletes `site` (`confirm`: its id typed again, to delete).
pub async fn site_standing(
    site: &SiteId,
    change: sites::Standing,
    confirm: Option<String>,
) -> Answer<sites::Site> {
    let body = sites::StandingRequest {
        v: PROTOCOL_VERSION,
        change,
        confirm,
    };
    call("POST", &format!("/sites/{site}/standing"), Some(&body)).await
}

pub async fn hours(site: &SiteId) -> Answer<HoursResponse> {
    call::<(), _>("GET", &format!("/sites/{site}/hours"), None).await
}

pub async fn save_hours(
    site: &SiteId,
    hours: Option<confab_protocol::hours::BusinessHours>,
) -> Answer<HoursResponse> {
    let body = HoursRequest {
        v: PROTOCOL_VERSION,
        hours,
    };
    call("PUT", &format!("/sites/{site}/hours"), Some(&body)).await
}

pub async fn reach(site: &SiteId) -> Answer<ReachSettings> {
    call::<(), _>("GET", &format!("/sites/{site}/reach"), None).await
}

pub async fn save_reach(site: &SiteId, settings: ReachSettings) -> Answer<ReachSettings> {
    let body = ReachRequest::new(settings);
    call("PUT", &format!("/sites/{site}/reach"), Some(&body)).await
}

/// A page of the thread: the newest, or the one before `before`.
pub async fn history(id: &ConversationId, before: Option<u64>, limit: u32) -> Answer<HistoryPage> {
    let path = match before {
        Some(seq) => format!("/conversations/{id}/messages?before={seq}&limit={limit}"),
        None => format!("/conversations/{id}/messages?limit={limit}"),
    };
    call::<(), _>("GET", &path, None).await
}

/// A reply over HTTP, for when the conversation's socket is down.
pub async fn send_reply(
    id: &ConversationId,
    request: &SendMessageRequest,
) -> Answer<SendMessageResponse> {
    call(
        "POST",
        &format!("/conversations/{id}/messages"),
        Some(request),
    )
    .await
}

pub async fn send_note(id: &ConversationId, request: &SendMessageRequest) -> Answer<NoteResponse> {
    call("POST", &format!("/conversations/{id}/notes"), Some(request)).await
}

pub fn view_name(view: View) -> &'static str {
    match view {
        View::Mine => "mine",
        View::Unassigned => "unassigned",
        View::All => "all",
        View::Resolved => "resolved",
    }
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

async fn call<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Answer<T> {
    let text = fetch_checked(method, path, body).await?;
    serde_json::from_str(&text).map_err(|_| Failure::network())
}

/// A call answered `204 No Content`.
async fn call_empty(method: &str, path: &str) -> Answer<()> {
    fetch_checked::<()>(method, path, None).await.map(|_| ())
}

/// The body of a 2xx answer, or the server's error.
async fn fetch_checked<B: Serialize>(method: &str, path: &str, body: Option<&B>) -> Answer<String> {
    let body = body.map(|b| serde_json::to_string(b).expect("request bodies serialize"));
    fetch_text(method, path, body.as_deref()).await
}

/// The same for a body already written.
async fn fetch_text(method: &str, path: &str, body: Option<&str>) -> Answer<String> {
    let (status, text) = fetch(method, &format!("{BASE}{path}"), body)
        .await
        .map_err(|_| Failure::network())?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    // A proxy's HTML error page is not the server's word.
    match serde_json::from_str::<ErrorReply>(&text) {
        Ok(ErrorReply { error }) => Err(Failure {
            status: Some(status),
            message: error.message,
        }),
        Err(_) => Err(Failure::network()),
    }
}

async fn fetch(method: &str, url: &str, body: Option<&str>) -> Result<(u16, String), JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(url, &init)?;
    if body.is_some() {
        request.headers().set("Content-Type", "application/json")?;
    }
    let response: Response = JsFuture::from(window().fetch_with_request(&request))
        .await?
        .unchecked_into();
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}
