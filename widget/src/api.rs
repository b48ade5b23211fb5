//! The visitor's HTTP calls to the edge.

use confab_protocol::{
    ApiError, ClientId, ConversationId, ErrorBody, HistoryPage, NewSessionRequest,
    NewSessionResponse, SendMessageRequest, SendMessageResponse, SiteId, PROTOCOL_VERSION,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

/// Why a call did not succeed.
#[derive(Clone, Debug)]
pub enum Failure {
    /// No answer (offline, server down): worth trying again later.
    Network,
    /// The server answered no: trying the same again will not help.
    Refused(ApiError),
}


#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Api {
            base: base.to_owned(),
        }
    }

    pub async fn new_session(&self, site: &SiteId) -> Result<NewSessionResponse, Failure> {
        let body = NewSessionRequest {
            v: PROTOCOL_VERSION,
            site: site.clone(),
        };
        send(Request::post(&self.url("api/sessions")).json(&body)).await
    }

    /// Sends a message: opens a new thread when `conversation` is `None`.
    pub async fn send_message(
        &self,
        token: &str,
        conversation: Option<&ConversationId>,
        client_id: &ClientId,
        body: &str,
    ) -> Result<SendMessageResponse, Failure> {
        let url = match conversation {
            Some(id) => self.url(&format!("api/conversations/{id}/messages")),
            None => self.url("api/conversations"),
        };
        let body = SendMessageRequest {
            v: PROTOCOL_VERSION,
            client_id: client_id.clone(),
            body: body.to_owned(),
        };
        send(authorized(Request::post(&url), token).json(&body)).await
    }

    /// The newest page of a thread.
    pub async fn latest(&self, token: &str, id: &ConversationId) -> Result<HistoryPage, Failure> {
        let url = self.url(&format!("api/conversations/{id}/messages"));
        send(authorized(Request::get(&url), token).build()).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

fn authorized(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, Failure> {
    let response = request
        .map_err(|_| Failure::Network)?
        .send()
        .await
        .map_err(|_| Failure::Network)?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    if response.ok() {
        return response.json().await.map_err(|_| Failure::Network);
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(Failure::Refused(body.error)),
        // A proxy's HTML error page or a cut connection: not the server's word.
        Err(_) => Err(Failure::Network),
    }
}
