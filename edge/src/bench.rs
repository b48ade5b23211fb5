//! A bare WebSocket echo in the Worker, for the benchmark's floor: what the runtime costs
//! before any Confab logic. Only when the `BENCH_ECHO` variable is "on" (local runs).

use futures_util::StreamExt;
use worker::{Env, Response, WebSocketPair, WebsocketEvent};

use confab_protocol::{ApiError, ErrorCode};

use crate::reply::{internal, Reply};

pub fn echo(env: &Env) -> Reply {
    let enabled = env
        .var("BENCH_ECHO")
        .map(|v| v.to_string())
        .unwrap_or_default()
        == "on";
    if !enabled {
        return Err(ApiError::new(ErrorCode::NotFound, "no such API route"));
    }
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
