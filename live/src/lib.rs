//! The live connection the widget and the console share: a WebSocket that stays open. It
//! reconnects with backoff and jitter when it drops (at once when the browser is back
//! online, or when its owner asks, as when a tab is shown again after a laptop slept), and
//! says `ping` every so often so proxies keep it open; the edge answers `pong` without
//! waking anything. What the frames mean is the owner's: this crate carries text.
//!
//! Delivery stays the owner's choice too: `send` says whether a frame went, and what did
//! not go is sent over HTTP (the outbox keeps it until it is acknowledged).

mod browser;
pub mod dom;
pub mod files;
mod upload;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use confab_protocol::backoff;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

pub use browser::{after, cancel, listen, property, window};
pub use upload::{Answer, Upload};

/// The close code of a connection that never opened or broke without a close frame.
const ABNORMAL_CLOSURE: u16 = 1006;

/// Keeps idle connections open through proxies.
const PING_EVERY_MS: i32 = 25_000;

type Handler = Rc<dyn Fn(&LiveSocket)>;
type TextHandler = Rc<dyn Fn(&str)>;
type DownHandler = Rc<dyn Fn(&LiveSocket, u16)>;

/// A handle to the connection; clones share it.
#[derive(Clone)]
pub struct LiveSocket(Rc<RefCell<Inner>>);

impl PartialEq for LiveSocket {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

struct Inner {
    url: String,
    ws: Option<WebSocket>,
    /// Failed attempts since the socket was last open.
    attempt: u32,
    retry_timer: Option<i32>,
    closed: bool,
    on_open: Handler,
    on_text: TextHandler,
    on_down: DownHandler,
    ping: Option<(i32, Closure<dyn FnMut()>)>,
}

impl LiveSocket {
    /// Connects to `url`. `on_open` runs on every (re)connect, `on_text` on every frame,
    /// `on_down` with the close code whenever the connection drops (a retry follows,
    /// unless `on_down` closes the socket for good).
    pub fn open(
        url: String,
        on_open: impl Fn(&LiveSocket) + 'static,
        on_text: impl Fn(&str) + 'static,
        on_down: impl Fn(&LiveSocket, u16) + 'static,
    ) -> LiveSocket {
        let socket = LiveSocket(Rc::new(RefCell::new(Inner {
            url,
            ws: None,
            attempt: 0,
            retry_timer: None,
            closed: false,
            on_open: Rc::new(on_open),
            on_text: Rc::new(on_text),
            on_down: Rc::new(on_down),
            ping: None,
        })));
        socket.start_pinging();
        let weak = Rc::downgrade(&socket.0);
        listen(&window(), "online", move |_| {
            if let Some(socket) = upgrade(&weak) {
                socket.reconnect_now();
            }
        });
        socket.connect();
        socket
    }

    pub fn is_open(&self) -> bool {
        self.0
            .borrow()
            .ws
            .as_ref()
            .is_some_and(|ws| ws.ready_state() == WebSocket::OPEN)
    }

    /// Attempts that failed since the socket was last open: an owner may fetch by HTTP
    /// meanwhile (some networks block WebSockets).
    pub fn failed_attempts(&self) -> u32 {
        self.0.borrow().attempt
    }

    /// Sends `text` if the socket is open; says whether it was.
    pub fn send(&self, text: &str) -> bool {
        let inner = self.0.borrow();
        match inner.ws.as_ref() {
            Some(ws) if ws.ready_state() == WebSocket::OPEN => ws.send_with_str(text).is_ok(),
            _ => false,
        }
    }

    /// Tries again right away.
    pub fn reconnect_now(&self) {
        if self.0.borrow().closed || self.is_open() {
            return;
        }
        if let Some(timer) = self.0.borrow_mut().retry_timer.take() {
            cancel(timer);
        }
        self.0.borrow_mut().attempt = 0;
        self.connect();
    }

    /// Closes the connection for good: no more reconnects, pings or handlers.
    pub fn close(&self) {
        let mut inner = self.0.borrow_mut();
        inner.closed = true;
        if let Some(timer) = inner.retry_timer.take() {
            cancel(timer);
        }
        if let Some((id, _closure)) = inner.ping.take() {
            window().clear_interval_with_handle(id);
        }
        if let Some(ws) = inner.ws.take() {
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close();
        }
    }

    fn connect(&self) {
        let busy =
            self.0.borrow().ws.as_ref().is_some_and(|ws| {
                matches!(ws.ready_state(), WebSocket::OPEN | WebSocket::CONNECTING)
            });
        if busy || self.0.borrow().closed {
            return;
        }
        let url = self.0.borrow().url.clone();
        let Ok(ws) = WebSocket::new(&url) else {
            // Refused before it opened (a network or page that blocks WebSockets): the
            // same as a drop, so the owner can fall back to HTTP.
            let handler = self.0.borrow().on_down.clone();
            handler(self, ABNORMAL_CLOSURE);
            self.retry_later();
            return;
        };
        // The handlers hold the socket weakly: once its owner lets go, it is gone. Each
        // checks that its WebSocket is still the current one: frames of one let go can
        // still arrive while it closes.
        let weak = Rc::downgrade(&self.0);
        let current =
            move |ws: &WebSocket| upgrade(&weak).filter(|s| s.0.borrow().ws.as_ref() == Some(ws));
        let on_open = Closure::<dyn FnMut()>::new({
            let (current, ws) = (current.clone(), ws.clone());
            move || {
                if let Some(socket) = current(&ws) {
                    socket.0.borrow_mut().attempt = 0;
                    let handler = socket.0.borrow().on_open.clone();
                    handler(&socket);
                }
            }
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let (current, ws) = (current.clone(), ws.clone());
            move |event: MessageEvent| {
                let (Some(socket), Some(text)) = (current(&ws), event.data().as_string()) else {
                    return;
                };
                let handler = socket.0.borrow().on_text.clone();
                handler(&text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new({
            let ws = ws.clone();
            move |event: CloseEvent| {
                let Some(socket) = current(&ws) else { return };
                socket.0.borrow_mut().ws = None;
                let handler = socket.0.borrow().on_down.clone();
                handler(&socket, event.code());
                socket.retry_later();
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // One set per connection, which lives as long as the page: small, and never
        // freed while the browser might still call them.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        self.0.borrow_mut().ws = Some(ws);
    }

    fn retry_later(&self) {
        let attempt = {
            let mut inner = self.0.borrow_mut();
            if inner.closed {
                return;
            }
            inner.attempt = inner.attempt.saturating_add(1);
            inner.attempt - 1
        };
        let delay = backoff::delay_ms(attempt, js_sys::Math::random());
        let weak = Rc::downgrade(&self.0);
        let timer = after(delay, move || {
            if let Some(socket) = upgrade(&weak) {
                socket.0.borrow_mut().retry_timer = None;
                socket.connect();
            }
        });
        self.0.borrow_mut().retry_timer = Some(timer);
    }

    fn start_pinging(&self) {
        let weak = Rc::downgrade(&self.0);
        let ping = Closure::<dyn FnMut()>::new(move || {
            if let Some(socket) = upgrade(&weak) {
                socket.send("ping");
            }
        });
        let id = window()
            .set_interval_with_callback_and_timeout_and_arguments_0(
                ping.as_ref().unchecked_ref(),
                PING_EVERY_MS,
            )
            .unwrap_or(0);
        self.0.borrow_mut().ping = Some((id, ping));
    }
}

fn upgrade(weak: &Weak<RefCell<Inner>>) -> Option<LiveSocket> {
    weak.upgrade().map(LiveSocket)
}
