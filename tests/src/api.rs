//! A plain HTTP client for the API, as a visitor's browser or an attacker would call it.

use confab_protocol::{ConversationId, HistoryPage, NewSessionResponse, SendMessageResponse};
use serde_json::{json, Value};

pub struct Api {
    pub base: String,
    http: reqwest::Client,
}

/// A response's status and JSON body (`Value::Null` when the body is not JSON).
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    /// The body as text, for answers that are not JSON.
    pub text: String,
}

impl Answer {
    pub async fn from(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("read body");
        Answer {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The `error.code` of an error body.
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or("<no error code>")
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected body ({e}): {}", self.body))
    }
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Answer {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        Answer::from(request.send().await.expect("the runtime answers")).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.request(
            reqwest::Method::POST,
            path,
            token,
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.request(reqwest::Method::GET, path, token, None).await
    }

    /// `POST /api/sessions` as from client address `ip` (the header Cloudflare sets; the
    /// local runtime passes it through), or from this machine.
    pub async fn new_session_from(&self, ip: Option<&str>, site: &str) -> Answer {
        let mut request = self
            .http
            .post(format!("{}/api/sessions", self.base))
            .header("content-type", "application/json")
            .body(json!({"v": 1, "site": site}).to_string());
        if let Some(ip) = ip {
            request = request.header("CF-Connecting-IP", ip);
        }
        Answer::from(request.send().await.expect("the runtime answers")).await
    }

    /// A new anonymous visitor's token.
    pub async fn new_visitor(&self) -> String {
        let answer = self.new_session_from(None, "demo").await;
        assert_eq!(answer.status, 201, "new session: {}", answer.body);
        answer.json::<NewSessionResponse>().token
    }

    /// Opens a thread with a first message; returns its id.
    pub async fn open(&self, token: &str, client_id: &str, body: &str) -> SendMessageResponse {
        self.open_from(None, token, client_id, body).await
    }

    /// The same as from client address `ip` (see [`Api::new_session_from`]).
    pub async fn open_from(
        &self,
        ip: Option<&str>,
        token: &str,
        client_id: &str,
        body: &str,
    ) -> SendMessageResponse {
        let mut request = self
            .http
            .post(format!("{}/api/conversations", self.base))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(json!({"v": 1, "client_id": client_id, "body": body}).to_string());
        if let Some(ip) = ip {
            request = request.header("CF-Connecting-IP", ip);
        }
        let answer = Answer::from(request.send().await.expect("the runtime answers")).await;
        assert_eq!(answer.status, 201, "open conversation: {}", answer.body);
        answer.json()
    }

    /// A new visitor and the thread they open with `body`: their token and its id.
    pub async fn new_thread(&self, client_id: &str, body: &str) -> (String, ConversationId) {
        let token = self.new_visitor().await;
        let id = self.open(&token, client_id, body).await.conversation_id;
        (token, id)
    }

    pub async fn send(
        &self,
        token: &str,
        id: &ConversationId,
        client_id: &str,
        body: &str,
    ) -> Answer {
        self.post(
            &format!("/api/conversations/{id}/messages"),
            Some(token),
            &json!({"v": 1, "client_id": client_id, "body": body}),
        )
        .await
    }

    /// A reply from the team (the dev agent token).
    pub async fn history(&self, token: &str, id: &ConversationId, query: &str) -> HistoryPage {
        let answer = self
            .get(
                &format!("/api/conversations/{id}/messages?{query}"),
                Some(token),
            )
            .await;
        assert_eq!(answer.status, 200, "history: {}", answer.body);
        answer.json()
    }
}
