//! Talking to Durable Objects: each object takes JSON commands over `fetch` and answers
//! JSON, or the documented error body.

use confab_protocol::{ApiError, ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::worker_sys::{DurableObjectStorage, WebSocketRequestResponsePair};
use worker::{js_sys, Method, Request, RequestInit, Response, State, Stub};

use crate::reply::{self, internal, Reply};

/// Sends `command` to the object behind `stub` and returns its answer as is.
pub async fn ask<C: Serialize>(stub: &Stub, command: &C) -> Reply {
    let body = serde_json::to_string(command).map_err(|e| internal(e.into()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let request = Request::new_with_init("https://object/command", &init).map_err(internal)?;
    stub.fetch_with_request(request).await.map_err(internal)
}

/// Like [`ask`], reading a successful answer as `T` and an error answer as its error.
pub async fn ask_for<C: Serialize, T: DeserializeOwned>(
    stub: &Stub,
    command: &C,
) -> Result<T, ApiError> {
    let mut response = ask(stub, command).await?;
    if response.status_code() >= 400 {
        let body: ErrorBody = response.json().await.map_err(internal)?;
        return Err(body.error);
    }
    response.json().await.map_err(internal)
}

/// Like [`ask_for`], for a command whose only answer is that it was done.
pub async fn tell<C: Serialize>(stub: &Stub, command: &C) -> Result<(), ApiError> {
    let _: serde_json::Value = ask_for(stub, command).await?;
    Ok(())
}

/// Hands a WebSocket upgrade to the object behind `stub`, at `url`, naming the caller the
/// Worker authenticated in the internal header `header`.
pub async fn upgrade(stub: &Stub, req: &Request, url: &str, header: &str, caller: &str) -> Reply {
    let headers = req.headers().clone();
    headers.set(header, caller).map_err(internal)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let request = Request::new_with_init(url, &init).map_err(internal)?;
    stub.fetch_with_request(request).await.map_err(internal)
}

/// Reads a command from the Worker, runs it, and turns its result into a response.
pub async fn serve<C: DeserializeOwned>(
    mut req: Request,
    run: impl AsyncFnOnce(C) -> Reply,
) -> worker::Result<Response> {
    let command: C = match req.json().await {
        Ok(command) => command,
        Err(e) => {
            return reply::error(&ApiError::new(
                ErrorCode::Internal,
                format!("unreadable command: {e}"),
            ))
        }
    };
    match run(command).await {
        Ok(response) => Ok(response),
        Err(error) => reply::error(&error),
    }
}

/// Sets the object's alarm in the current step, so it is stored with whatever the step
/// writes (the Rust API's `set_alarm` would only start when first polled).
pub fn arm_alarm(storage: &DurableObjectStorage, at_ms: f64) {
    let _ = storage.set_alarm(js_sys::Date::new(&at_ms.into()), js_sys::Object::new());
}

/// Deletes everything the object stores, its alarm too (its site's data is being deleted).
pub async fn erase_storage(state: &State) -> Result<(), ApiError> {
    let storage = state.storage();
    storage.delete_alarm().await.map_err(internal)?;
    storage.delete_all().await.map_err(internal)
}

/// The object's storage as the runtime's own type, for [`arm_alarm`].
pub fn raw_storage(state: &State) -> Option<DurableObjectStorage> {
    state.as_raw().storage().ok()
}

/// `ping` is answered by the runtime without waking the object.
pub fn answer_pings(state: &State) {
    if let Ok(pair) = WebSocketRequestResponsePair::new("ping", "pong") {
        state.set_websocket_auto_response(&pair);
    }
}
