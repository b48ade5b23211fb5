//! The agents' API as a test calls it: signed in with the session cookie, like the console.

use confab_protocol::console::Agent;
use confab_protocol::ConversationId;
use serde_json::{json, Value};

use crate::api::Answer;
use crate::socket::Socket;

/// The demo admin of local runs (`.dev.vars`).
pub const DEV_ADMIN_EMAIL: &str = "admin@example.com";
pub const DEV_ADMIN_PASSWORD: &str = "demo-admin-password";

/// A signed-in agent.
pub struct Console {
    pub base: String,
    pub cookie: String,
    pub agent: Agent,
    http: reqwest::Client,
}

/// `POST /api/console/login` as from client address `ip`, without a cookie jar: the raw answer.
pub async fn login(base: &str, email: &str, password: &str, ip: Option<&str>) -> Answer {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/api/console/login"))
        .header("content-type", "application/json")
        .body(json!({"v": 1, "email": email, "password": password}).to_string());
    if let Some(ip) = ip {
        request = request.header("CF-Connecting-IP", ip);
    }
    Answer::from(request.send().await.expect("the runtime answers")).await
}

/// The `name=value` part of an answer's Set-Cookie.
pub fn session_cookie(answer: &Answer) -> String {
    let header = answer
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no session cookie in {}", answer.body));
    header.split(';').next().unwrap_or_default().to_owned()
}

impl Console {
    fn from_answer(base: &str, answer: &Answer) -> Console {
        assert_eq!(answer.status, 200, "signed in: {}", answer.body);
        Console {
            base: base.trim_end_matches('/').to_owned(),
            cookie: session_cookie(answer),
            agent: serde_json::from_value(answer.body["agent"].clone()).expect("me.agent"),
            http: reqwest::Client::new(),
        }
    }

    /// A console on an existing session.
    pub fn with_session(base: &str, cookie: &str, agent: Agent) -> Console {
        Console {
            base: base.trim_end_matches('/').to_owned(),
            cookie: cookie.to_owned(),
            agent,
            http: reqwest::Client::new(),
        }
    }

    pub async fn sign_in(base: &str, email: &str, password: &str) -> Console {
        Console::from_answer(base, &login(base, email, password, None).await)
    }

    /// The demo admin, created from the secrets on first sign-in.
    pub async fn admin(base: &str) -> Console {
        Console::sign_in(base, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD).await
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Answer {
        let body = body.map(|b| b.to_string().into_bytes());
        self.call_raw(method, path, body).await
    }

    /// The same with a body of any bytes, as a broken or hostile client sends it.
    pub async fn call_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Cookie", &self.cookie);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        Answer::from(request.send().await.expect("the runtime answers")).await
    }

    /// Site `site` as the console's sites list has it (`null` when there is none).
    pub async fn site(&self, site: &str) -> Value {
        let list = self.get("/api/console/sites").await;
        list.body["sites"]
            .as_array()
            .and_then(|sites| sites.iter().find(|s| s["site"] == site).cloned())
            .unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// Invites an agent; returns the invitation's token (from its link).
    pub async fn invite(&self, email: &str, name: &str) -> (Agent, String) {
        let answer = self
            .post(
                "/api/console/agents",
                &json!({"v": 1, "email": email, "name": name, "role": "agent"}),
            )
            .await;
        assert_eq!(answer.status, 201, "invited: {}", answer.body);
        let url = answer.body["invite_url"].as_str().expect("invite_url");
        let token = url.split("#invite=").nth(1).expect("token in the link");
        (
            serde_json::from_value(answer.body["agent"].clone()).expect("agent"),
            token.to_owned(),
        )
    }

    /// Invites a new agent, who accepts with `password`: signed in as them.
    pub async fn new_agent(&self, email: &str, name: &str, password: &str) -> Console {
        let (_, token) = self.invite(email, name).await;
        let answer = Answer::from(
            reqwest::Client::new()
                .post(format!("{}/api/console/invites/accept", self.base))
                .header("content-type", "application/json")
                .body(json!({"v": 1, "token": token, "password": password}).to_string())
                .send()
                .await
                .expect("the runtime answers"),
        )
        .await;
        Console::from_answer(&self.base, &answer)
    }

    pub async fn reply(&self, id: &ConversationId, client_id: &str, body: &str) -> Answer {
        self.post(
            &format!("/api/console/conversations/{id}/messages"),
            &json!({"v": 1, "client_id": client_id, "body": body}),
        )
        .await
    }

    /// The agent's socket on conversation `id`.
    pub async fn conversation_socket(&self, id: &ConversationId) -> Result<Socket, u16> {
        let url = format!(
            "{}/api/console/conversations/{id}/socket",
            crate::ws_url(&self.base)
        );
        Socket::connect_with_cookie(&url, &self.cookie).await
    }

    /// The agent's socket on a site's inbox.
    pub async fn inbox_socket(&self, site: &str) -> Result<Socket, u16> {
        let url = format!(
            "{}/api/console/sites/{site}/socket",
            crate::ws_url(&self.base)
        );
        Socket::connect_with_cookie(&url, &self.cookie).await
    }
}
