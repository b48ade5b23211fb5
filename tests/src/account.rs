//! The visitor's account API as a device calls it: resume codes, emailed links, identity,
//! devices; and the mail the runtime wrote.

use std::path::PathBuf;
use std::time::Duration;

pub use confab_protocol::identity::user_hash;
use confab_protocol::NewSessionResponse;
use serde_json::{json, Value};

use crate::api::{Answer, Api};

/// The identity secret of local runs (`.dev.vars`), as the host site's server holds it.
pub const DEV_IDENTITY_SECRET: &[u8] = b"dev-only-identity-secret-0123456789abcdef";

/// A device: a client that keeps its own session token, with its own browser name.
pub struct Device {
    pub api: Api,
    pub token: Option<String>,
    user_agent: &'static str,
}

pub const DESKTOP: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
pub const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";

impl Device {
    pub fn new(base: &str, user_agent: &'static str) -> Device {
        Device {
            api: Api::new(base),
            token: None,
            user_agent,
        }
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Answer {
        self.call_from(method, path, body, None).await
    }

    /// The same, as from client address `ip`.
    pub async fn call_from(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        ip: Option<&str>,
    ) -> Answer {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.api.base))
            .header("User-Agent", self.user_agent);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(ip) = ip {
            request = request.header("CF-Connecting-IP", ip);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        Answer::from(request.send().await.expect("the runtime answers")).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// Keeps the token of a successful sign-in and returns the answer.
    pub async fn sign_in(&mut self, path: &str, body: &Value) -> Answer {
        let answer = self.post(path, body).await;
        if answer.status == 200 || answer.status == 201 {
            self.token = Some(answer.json::<NewSessionResponse>().token);
        }
        answer
    }

    /// Starts an anonymous visitor and opens a thread on the demo site: its id.
    pub async fn open_thread(&mut self, client_id: &str, body: &str) -> String {
        self.open_thread_on("demo", client_id, body).await
    }

    /// The same on `site`.
    pub async fn open_thread_on(&mut self, site: &str, client_id: &str, body: &str) -> String {
        let answer = self
            .sign_in("/api/sessions", &json!({"v": 1, "site": site}))
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        let answer = self
            .post(
                "/api/conversations",
                &json!({"v": 1, "client_id": client_id, "body": body}),
            )
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer.body["conversation_id"].as_str().unwrap().to_owned()
    }

    /// The ids of the threads the widget would list.
    pub async fn thread_ids(&self) -> Vec<String> {
        let answer = self.get("/api/visitor/conversations").await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// A new resume code for this visitor: the code and the link.
    pub async fn resume_code(&self) -> (String, String) {
        let answer = self
            .post(
                "/api/visitor/codes",
                &json!({"v": 1, "page": "http://localhost:4000/help"}),
            )
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        (
            answer.body["code"].as_str().unwrap().to_owned(),
            answer.body["link"].as_str().unwrap().to_owned(),
        )
    }

    /// Signs in with a resume code, as the phone does after it was typed.
    pub async fn redeem(&mut self, code: &str) -> Answer {
        self.sign_in(
            "/api/visitor/codes/redeem",
            &json!({"v": 1, "site": "demo", "code": code}),
        )
        .await
    }

    /// `Confab('identify', …)` as the host's page makes it, with a correct `userHash`.
    pub async fn identify(&mut self, user_id: &str) -> Answer {
        let hash = user_hash(DEV_IDENTITY_SECRET, user_id);
        self.sign_in(
            "/api/visitor/identify",
            &json!({"v": 1, "site": "demo", "user_id": user_id, "user_hash": hash}),
        )
        .await
    }

    /// This device's visitor id, read from its token's claims.
    pub fn visitor_id(&self) -> String {
        visitor_in_token(self.token.as_deref().expect("signed in"))
    }
}

/// The visitor id in a session token's claims.
pub fn visitor_in_token(token: &str) -> String {
    use base64::Engine;
    let payload = token.split('.').next().unwrap();
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims: Value = serde_json::from_slice(&claims).unwrap();
    claims["visitor"].as_str().unwrap().to_owned()
}

/// Where `wrangler dev` writes the text of each message sent through `send_email`.
fn mail_dir() -> PathBuf {
    crate::repo_root().join(".wrangler/tmp/email")
}

/// The text of the sign-in mail for `visitor`, waiting until the runtime has written it.
pub async fn mail_for(visitor: &str) -> String {
    mail_with(&format!("confab-link={visitor}.")).await
}

/// The text of a mail containing `needle`, waiting (up to a minute) until the runtime
/// has written it.
pub async fn mail_with(needle: &str) -> String {
    for _ in 0..600 {
        if let Some(mail) = mails_with(needle).into_iter().next() {
            return mail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no mail with {needle:?} under {}", mail_dir().display());
}

/// Every mail written so far that contains `needle`.
pub fn mails_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![mail_dir()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                if text.contains(needle) {
                    found.push(text);
                }
            }
        }
    }
    found
}

/// The sign-in link in a mail's text.
pub fn link_in(mail: &str) -> String {
    mail.split_whitespace()
        .find(|word| word.contains("#confab-link="))
        .expect("a sign-in link in the mail")
        .to_owned()
}
