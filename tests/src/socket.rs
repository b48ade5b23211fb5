//! A WebSocket client for the conversation sockets, speaking JSON frames.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Socket {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Longest wait for a frame the test expects: a guard against hanging, not a speed check.
const PATIENCE: Duration = Duration::from_secs(15);

impl Socket {
    /// Connects to `url` (`ws://…`). A refused upgrade gives its HTTP status.
    pub async fn connect(url: &str) -> Result<Socket, u16> {
        Socket::open(url.into_client_request().expect("a WebSocket URL")).await
    }

    /// Connects with a `Cookie` header, as a signed-in console does.
    pub async fn connect_with_cookie(url: &str, cookie: &str) -> Result<Socket, u16> {
        Socket::connect_with(url, "Cookie", cookie).await
    }

    /// Connects with one more header, such as the `Origin` a browser sends.
    pub async fn connect_with(url: &str, header: &'static str, value: &str) -> Result<Socket, u16> {
        let mut request = url.into_client_request().expect("a WebSocket URL");
        request
            .headers_mut()
            .insert(header, value.parse().expect("a header value"));
        Socket::open(request).await
    }

    async fn open(
        request: tokio_tungstenite::tungstenite::handshake::client::Request,
    ) -> Result<Socket, u16> {
        let url = request.uri().to_string();
        match tokio_tungstenite::connect_async(request).await {
            Ok((stream, _)) => Ok(Socket { stream }),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                Err(response.status().as_u16())
            }
            Err(e) => panic!("WebSocket connection to {url} failed: {e}"),
        }
    }

    pub async fn send(&mut self, frame: &Value) {
        self.send_text(&frame.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream
            .send(Message::text(text))
            .await
            .expect("send a frame");
    }

    /// The next JSON frame.
    pub async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.stream.next())
                .await
                .expect("a frame arrives")
                .expect("the socket is open")
                .expect("a readable frame");
            if let Message::Text(text) = message {
                return serde_json::from_str(&text).expect("frames are JSON");
            }
        }
    }

    /// The next JSON frame if one arrives within `patience` (a benchmark's own wait).
    pub async fn next_within(&mut self, patience: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let message = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??
                .ok()?;
            if let Message::Text(text) = message {
                return serde_json::from_str(&text).ok();
            }
        }
    }

    /// Whether the server closes the socket (within the test's patience), skipping any
    /// frames still in flight.
    pub async fn closed(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Frames up to and including the first one for which `done` holds.
    pub async fn until(&mut self, done: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut frames = Vec::new();
        loop {
            let frame = self.next().await;
            let last = done(&frame);
            frames.push(frame);
            if last {
                return frames;
            }
        }
    }

    /// Says hello with the last `seq` held; returns the frames up to `welcome` and the
    /// messages that follow it (all of them, once `expect` messages have arrived).
    pub async fn hello(&mut self, last_seq: u64, expect: usize) -> Vec<Value> {
        self.send(&serde_json::json!({"type": "hello", "v": 1, "last_seq": last_seq}))
            .await;
        let mut frames = self.until(|f| f["type"] == "welcome").await;
        for _ in 0..expect {
            frames.push(self.next().await);
        }
        frames
    }
}

/// A visitor's and an agent's socket on thread `id`, which holds one message, both caught
/// up.
pub async fn visitor_and_agent(
    console: &crate::console::Console,
    token: &str,
    id: &confab_protocol::ConversationId,
) -> (Socket, Socket) {
    let ws = crate::ws_url(&console.base);
    let mut agent = console.conversation_socket(id).await.expect("agent socket");
    agent.hello(1, 0).await;
    let mut visitor = Socket::connect(&format!("{ws}/api/conversations/{id}/socket?token={token}"))
        .await
        .expect("visitor socket");
    visitor.hello(1, 0).await;
    (visitor, agent)
}
