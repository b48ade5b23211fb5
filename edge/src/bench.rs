//! The benchmark's two floors, only when the `BENCH_ECHO` variable is "on" (local runs):
//! a bare WebSocket echo in the Worker (what the runtime costs before any Confab logic),
//! and an echo through a Durable Object holding a hibernating socket (what any design
//! with an object per thread pays before doing anything).

use futures_util::StreamExt;
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, WebsocketEvent,
};

use confab_protocol::{ApiError, ErrorCode};

use crate::http::Call;
use crate::reply::{internal, Reply};

pub fn enabled(env: &Env) -> std::result::Result<(), ApiError> {
    let on = env
        .var("BENCH_ECHO")
        .map(|v| v.to_string())
        .unwrap_or_default()
        == "on";
    if on {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::NotFound, "no such API route"))
    }
}

/// `GET /api/bench/echo`: the Worker answers each frame with itself.
pub async fn echo(_call: Call<'_>) -> Reply {
    let pair = WebSocketPair::new().map_err(internal)?;
    let server = pair.server;
    server.accept().map_err(internal)?;
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(mut events) = server.events() else {
            return;
        };
        while let Some(Ok(event)) = events.next().await {
            match event {
                WebsocketEvent::Message(message) => {
                    if let Some(text) = message.text() {
                        let _ = server.send_with_str(text);
                    }
                }
                WebsocketEvent::Close(_) => break,
            }
        }
    });
    Response::from_websocket(pair.client).map_err(internal)
}

/// `GET /api/bench/echo-object?n=K`: the same through echo object number K.
pub async fn echo_object(call: Call<'_>) -> Reply {
    let n = crate::reply::query_param(&call.req, "n").unwrap_or_default();
    let objects = call
        .env
        .durable_object("BENCH_ECHO_OBJECT")
        .map_err(internal)?;
    let stub = objects
        .id_from_name(&format!("echo:{n}"))
        .and_then(|id| id.get_stub())
        .map_err(internal)?;
    stub.fetch_with_request(call.req).await.map_err(internal)
}

#[durable_object]
pub struct EchoObject {
    state: State,
}

impl DurableObject for EchoObject {
    fn new(state: State, _env: Env) -> Self {
        EchoObject { state }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        self.state.accept_web_socket(&pair.server);
        Response::from_websocket(pair.client)
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        if let WebSocketIncomingMessage::String(text) = message {
            let _ = ws.send_with_str(text);
        }
        Ok(())
    }
}
