//! The live connection: one `confab_live::LiveSocket` to the thread (reconnects, backoff
//! and ping are that crate's, shared with the console), said `hello` with the last `seq`
//! held so the server sends exactly what was missed. It is tried again at once when the tab
//! becomes visible, as after a laptop wakes up; replies come by long poll while it cannot
//! connect.

use std::cell::Cell;

use confab_live::{after, LiveSocket};
use confab_protocol::{backoff, frames, Author, ClientId, PROTOCOL_VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::StorageEvent;

use crate::chat::{Chat, Link};
use crate::json::{Json, JsonOut};
use crate::saved::{key, Saved};

/// How long "typing…" shows after the last typing frame.
const TYPING_SHOWN_MS: u64 = 6_000;
/// Failed socket attempts after which replies are fetched by long poll meanwhile (some
/// networks block WebSockets).
const POLL_AFTER_FAILED_ATTEMPTS: u32 = 2;

/// Pause before resending a message the edge asked to slow down.
const RATE_LIMITED_RETRY_MS: u64 = 2_000;
/// Least time between two typing frames from this visitor.
const TYPING_EVERY_MS: f64 = 3_000.0;

thread_local! {
    static LAST_TYPING_SENT: Cell<f64> = const { Cell::new(0.0) };
    /// Until when "typing…" shows: each typing frame moves it on.
    static TYPING_UNTIL: Cell<f64> = const { Cell::new(0.0) };
}

pub fn is_online(chat: Chat) -> bool {
    chat.with_inner(|i| i.socket.as_ref().is_some_and(LiveSocket::is_open))
        && chat.shown(|s| s.link) == Link::Online
}

/// Sends `frame` if the socket is open; says whether it went.
fn send(chat: Chat, frame: JsonOut) -> bool {
    chat.with_inner(|i| {
        i.socket
            .as_ref()
            .is_some_and(|s| s.send(&frame.stringify()))
    })
}

pub fn send_message(chat: Chat, client_id: &ClientId, body: &str) {
    let frame = JsonOut::new()
        .set("type", "send")
        .set("client_id", client_id.as_str())
        .set("body", body)
        .set(
            "context",
            crate::api::visitor_context(&chat.with_inner(|i| i.attributes.clone())),
        );
    send(chat, frame);
}

pub fn send_read(chat: Chat, seq: u64) {
    let frame = JsonOut::new().set("type", "read").set("seq", seq as f64);
    if !send(chat, frame) {
        crate::attention::read_without_socket(chat, seq);
    }
}

pub fn send_typing(chat: Chat) {
    let now = js_sys::Date::now();
    if now - LAST_TYPING_SENT.get() >= TYPING_EVERY_MS && is_online(chat) {
        LAST_TYPING_SENT.set(now);
        send(chat, JsonOut::new().set("type", "typing"));
    }
}

/// Opens the socket to the saved thread, unless it has one (which reconnects itself).
pub fn connect(chat: Chat) {
    if chat.with_inner(|i| i.socket.is_some()) {
        return;
    }
    let saved = chat.saved();
    let (Some(token), Some(id)) = (saved.token, saved.conversation_id) else {
        return;
    };
    let base = chat.with_inner(|i| i.api_base.clone());
    // `https://` becomes `wss://`, `http://` becomes `ws://`.
    let ws_base = match base.strip_prefix("http") {
        Some(rest) => format!("ws{rest}"),
        None => base,
    };
    let url = format!("{ws_base}api/conversations/{id}/socket?token={token}");
    chat.show(|s| {
        if s.link == Link::Idle {
            s.link = Link::Connecting;
        }
    });
    let socket = LiveSocket::open(
        url,
        move |socket| {
            chat.show(|s| s.link = Link::Online);
            let last_seq = chat.shown(|s| s.thread.last_seq());
            let hello = JsonOut::new()
                .set("type", "hello")
                .set("v", PROTOCOL_VERSION)
                .set("last_seq", last_seq as f64);
            socket.send(&hello.stringify());
            chat.deliver_pending();
        },
        move |text| on_frame(chat, text),
        move |socket, code| {
            // This device was signed out. Its token is dead: forget it, do not retry.
            if code == frames::CLOSE_SIGNED_OUT {
                socket.close();
                chat.forget();
                return;
            }
            // The site's admins removed it: the widget leaves the page, as on its next load.
            if code == frames::CLOSE_SITE_REMOVED {
                socket.close();
                if let Ok(Some(host)) = crate::dom::document().query_selector("confab-widget") {
                    host.remove();
                }
                return;
            }
            chat.show(|s| s.link = Link::Offline);
            if socket.failed_attempts() + 1 >= POLL_AFTER_FAILED_ATTEMPTS {
                poll_while_offline(chat);
            }
        },
    );
    chat.update_inner(|i| i.socket = Some(socket));
}

fn on_frame(chat: Chat, text: &str) {
    // `pong` and anything else that is not a JSON object is not for us.
    let Some(frame) = Json::parse(text) else {
        return;
    };
    let by_team = frame.string("by").as_deref() == Some(Author::Agent.as_str());
    match frame.string("type").as_deref() {
        Some("welcome") => {
            chat.show(|s| s.agent_read = frame.number("agent_read").unwrap_or(0));
            // A read that could not be said (offline) is said now.
            let seen = chat.shown(|s| s.seen);
            if seen > frame.number("visitor_read").unwrap_or(0) {
                send_read(chat, seen);
            }
        }
        Some("message") => {
            if let Some(message) = frame.field("message").and_then(|m| m.message()) {
                if message.author == Author::Agent {
                    chat.show(|s| s.agent_typing = false);
                }
                if chat.shown(|s| message.seq > s.thread.last_seq()) {
                    crate::attention::reply_arrived(chat, &message);
                }
                chat.committed(message);
            }
        }
        Some("ack") => {
            let client_id = frame.string("client_id").and_then(|c| ClientId::parse(&c));
            if let (Some(client_id), Some(seq)) = (client_id, frame.number("seq")) {
                chat.acknowledged(&client_id, seq);
            }
        }
        Some("read") if by_team => {
            let seq = frame.number("seq").unwrap_or(0);
            chat.show(|s| s.agent_read = s.agent_read.max(seq));
        }
        Some("typing") if by_team => {
            chat.show(|s| s.agent_typing = true);
            TYPING_UNTIL.set(js_sys::Date::now() + TYPING_SHOWN_MS as f64);
            after(TYPING_SHOWN_MS, move || {
                if js_sys::Date::now() >= TYPING_UNTIL.get() {
                    chat.show(|s| s.agent_typing = false);
                }
            });
        }
        Some("error") => {
            let client_id = frame.string("client_id").and_then(|c| ClientId::parse(&c));
            let passing = frame.string("code").as_deref() == Some("rate_limited");
            match (client_id, passing) {
                (Some(client_id), false) => chat.refused(&client_id),
                // Slowed down: still pending, sent again in a moment.
                (Some(_), true) => {
                    after(RATE_LIMITED_RETRY_MS, move || chat.deliver_pending());
                }
                (None, _) => {}
            }
        }
        _ => {}
    }
}

/// Fetches replies by long poll until the socket is back; sending goes over HTTP meanwhile.
fn poll_while_offline(chat: Chat) {
    if chat.with_inner(|i| i.polling) {
        return;
    }
    chat.update_inner(|i| i.polling = true);
    wasm_bindgen_futures::spawn_local(async move {
        // Its chunk not fetched (offline after all): the next drop tries again.
        let _ = crate::seldom::run(crate::seldom::Seldom::Poll(chat)).await;
        chat.update_inner(|i| i.polling = false);
    });
}

/// `poll_while_offline`'s loop, in the chunk of what is seldom done.
pub(crate) async fn polling(chat: Chat) -> Result<(), crate::api::Failure> {
    let mut failures = 0;
    while !is_online(chat) {
        let saved = chat.saved();
        let (Some(token), Some(id)) = (saved.token, saved.conversation_id) else {
            break;
        };
        let last_seq = chat.shown(|s| s.thread.last_seq());
        let answer = chat.api().poll(&token, &id, last_seq).await;
        if !chat.shows(&id) {
            break;
        }
        match answer {
            Ok(messages) => {
                failures = 0;
                messages.into_iter().for_each(|m| chat.committed(m));
                chat.deliver_pending();
            }
            Err(_) => {
                let wait = backoff::delay_ms(failures, js_sys::Math::random());
                failures += 1;
                sleep(wait).await;
            }
        }
    }
    Ok(())
}

async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        after(ms, move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Reacts to the browser: the tab shown again, another tab's changes.
pub fn watch_browser(chat: Chat) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(document) = window.document() {
        crate::dom::listen(&document, "visibilitychange", move |_| {
            chat.mark_seen();
            if chat.saved().conversation_id.is_some() && !is_online(chat) {
                match chat.with_inner(|i| i.socket.clone()) {
                    Some(socket) => socket.reconnect_now(),
                    None => connect(chat),
                }
            }
        });
    }
    let storage_key = key(chat.site().as_str());
    crate::dom::listen(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<StorageEvent>() else {
            return;
        };
        if event.key().as_deref() == Some(storage_key.as_str()) {
            let saved = event
                .new_value()
                .map(|v| Saved::parse(&v))
                .unwrap_or_default();
            chat.saved_elsewhere(saved);
        }
    });
}
