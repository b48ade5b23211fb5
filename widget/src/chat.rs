//! The visitor's side of the thread: what is shown, and getting what they write delivered.
//!
//! Every message goes to the outbox in localStorage first, then over the WebSocket when it
//! is up, or over HTTP when it is not. It leaves the outbox only once acknowledged, so a
//! closed tab or a lost network loses nothing: the next page load or reconnect sends it
//! again with the same `client_id`, which the edge never stores twice. Until the thread
//! exists, messages go one at a time over HTTP so the first one opens it.

use confab_protocol::attachments::Attachment;
use confab_protocol::thread::{Delivery, Thread};
use confab_protocol::{Author, ClientId, ConversationId, Message, SiteId};
use std::cell::RefCell;

use confab_live::LiveSocket;
use wasm_bindgen_futures::spawn_local;

use crate::api::{Api, Failure};
use crate::config::Config;
use crate::saved::{Pending, Saved};

/// The state of the live connection, as the visitor sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Link {
    /// No thread yet: nothing to connect to.
    #[default]
    Idle,
    Connecting,
    Online,
    /// The connection dropped; retrying with backoff.
    Offline,
}

/// What the visitor sees. Changed only through `Chat::show`, which has the screen redrawn.
#[derive(Default)]
pub struct Shown {
    pub thread: Thread,
    /// Counts the changes of `thread`: the message list is redrawn when it moves.
    pub thread_changes: u64,
    /// The saved thread could not be loaded.
    pub load_failed: bool,
    pub link: Link,
    /// How far the team has read (the visitor's messages up to it are "seen").
    pub agent_read: u64,
    pub agent_typing: bool,
    /// How far the visitor has read: the badge counts replies after it.
    pub seen: u64,
    pub open: bool,
    /// The panel shows the visitor's threads and devices instead of one thread.
    pub home: bool,
    /// Counts the host page's `prefill` calls: the composer takes `Inner::draft` on each.
    pub prefills: u64,
}

impl Shown {
    /// Changes the thread, and says so to the message list (never change `thread` but
    /// through this).
    pub fn change_thread(&mut self, change: impl FnOnce(&mut Thread)) {
        change(&mut self.thread);
        self.thread_changes += 1;
    }
}

/// The widget's state, one per page: what is shown, and what is not.
#[derive(Clone, Copy)]
pub struct Chat(&'static State);

pub struct State {
    shown: RefCell<Shown>,
    inner: RefCell<Inner>,
}

pub(crate) struct Inner {
    pub socket: Option<LiveSocket>,
    /// A long-poll loop is running (the socket cannot connect).
    pub polling: bool,
    delivering: bool,
    /// Outbox entries this tab sends; another tab's are shown, not sent.
    mine: Vec<ClientId>,
    saved: Saved,
    api: Api,
    pub api_base: String,
    site: SiteId,
    /// The loader's `Confab` function: its `e` calls the host page's listeners.
    pub host: wasm_bindgen::JsValue,
    /// Text the host page put in the composer (`Confab('prefill', text)`).
    pub draft: String,
    /// The unread count the host page was last told, and the replies it heard of.
    pub unread_told: Option<usize>,
    pub announcer: confab_protocol::thread::Announcer,
    /// What the host page `set` (`Confab('set', {plan: "pro"})`), for the agents.
    pub attributes: wasm_bindgen::JsValue,
    /// What the host page told of (`Confab('event', 'checkout_failed')`), for the
    /// proactive rules.
    pub events: Vec<String>,
    /// The proactive teaser the visitor answered (`{rule, lang}`), sent with the message
    /// that opens the thread.
    pub opening: wasm_bindgen::JsValue,
}

impl Chat {
    pub fn new(config: &Config) -> Self {
        let saved = Saved::load(&config.site);
        let shown = Shown {
            seen: saved.seen,
            open: config.open,
            ..Shown::default()
        };
        let inner = Inner {
            socket: None,
            polling: false,
            delivering: false,
            mine: Vec::new(),
            saved,
            api: Api::new(&config.api_base),
            api_base: config.api_base.clone(),
            site: SiteId::parse(&config.site).expect("checked in Config"),
            host: config.host.clone(),
            draft: String::new(),
            unread_told: None,
            attributes: js_sys::Object::new().into(),
            announcer: Default::default(),
            events: Vec::new(),
            opening: wasm_bindgen::JsValue::UNDEFINED,
        };
        // Lives as long as the page.
        Chat(Box::leak(Box::new(State {
            shown: RefCell::new(shown),
            inner: RefCell::new(inner),
        })))
    }

    /// Reads what is shown.
    pub fn shown<T>(self, read: impl FnOnce(&Shown) -> T) -> T {
        read(&self.0.shown.borrow())
    }

    /// Changes what is shown; the screen follows in a moment (once for a burst of changes).
    pub fn show(self, change: impl FnOnce(&mut Shown)) {
        change(&mut self.0.shown.borrow_mut());
        crate::ui::redraw_soon();
    }

    pub(crate) fn with_inner<T>(self, f: impl FnOnce(&Inner) -> T) -> T {
        f(&self.0.inner.borrow())
    }

    pub(crate) fn update_inner(self, f: impl FnOnce(&mut Inner)) {
        f(&mut self.0.inner.borrow_mut())
    }

    pub(crate) fn api(self) -> Api {
        self.with_inner(|i| i.api.clone())
    }

    /// Shows the saved thread and what is still in the outbox, then goes live.
    pub fn start(self) {
        let saved = self.saved();
        self.adopt_outbox(&saved, true);
        if saved.conversation_id.is_some() {
            self.load_latest();
            crate::live::connect(self);
        }
        crate::live::watch_browser(self);
        self.deliver_pending();
    }

    pub fn saved(self) -> Saved {
        self.with_inner(|i| i.saved.clone())
    }

    pub fn site(self) -> SiteId {
        self.with_inner(|i| i.site.clone())
    }

    /// Shows outbox entries not yet in the thread; `send` also makes this tab send them.
    fn adopt_outbox(self, saved: &Saved, send: bool) {
        if saved.outbox.is_empty() {
            return;
        }
        self.show(|s| {
            s.change_thread(|t| {
                for p in &saved.outbox {
                    t.add_pending(
                        p.client_id.clone(),
                        Author::Visitor,
                        p.body.clone(),
                        p.files.clone(),
                    );
                }
            })
        });
        if send {
            self.update_inner(|i| {
                i.mine
                    .extend(saved.outbox.iter().map(|p| p.client_id.clone()));
            });
        }
    }

    /// Another tab changed the saved state: show its messages, follow its thread.
    pub fn saved_elsewhere(self, saved: Saved) {
        let before = self.saved();
        let had_thread = before.conversation_id.is_some();
        // Another tab signed in or moved on: the socket opened with the old token or thread
        // would go on retrying with it.
        let moved = had_thread
            && (before.token != saved.token || before.conversation_id != saved.conversation_id);
        self.adopt_outbox(&saved, false);
        self.show(|s| s.seen = s.seen.max(saved.seen));
        let has_thread = saved.conversation_id.is_some();
        self.update_inner(|i| i.saved = saved);
        if moved {
            self.drop_socket();
        }
        if has_thread && (moved || !had_thread) {
            crate::live::connect(self);
        }
    }

    fn load_latest(self) {
        let saved = self.saved();
        let (Some(token), Some(id)) = (saved.token, saved.conversation_id) else {
            return;
        };
        let api = self.api();
        spawn_local(async move {
            let answer = api.page(&token, &id, None).await;
            if !self.shows(&id) {
                return;
            }
            match answer {
                Ok(messages) => {
                    self.show(|s| {
                        s.load_failed = false;
                        s.change_thread(|t| messages.into_iter().for_each(|m| t.commit(m)));
                    });
                }
                Err(_) => self.show(|s| s.load_failed = true),
            }
        });
    }

    /// Whether thread `id` is still the one shown: an answer that arrives after the visitor
    /// switched threads or was forgotten (`Confab('reset')`) belongs to nobody on screen.
    pub fn shows(self, id: &ConversationId) -> bool {
        self.with_inner(|i| i.saved.conversation_id.as_ref() == Some(id))
    }

    /// Whether older messages exist than the ones shown.
    pub fn has_earlier(self) -> bool {
        self.shown(|s| s.thread.first_seq().is_some_and(|seq| seq > 1))
    }

    pub fn load_earlier(self) {
        let saved = self.saved();
        let (Some(token), Some(id)) = (saved.token, saved.conversation_id) else {
            return;
        };
        let before = self.shown(|s| s.thread.first_seq());
        let api = self.api();
        spawn_local(async move {
            let answer = api.page(&token, &id, before).await;
            if let (Ok(messages), true) = (answer, self.shows(&id)) {
                self.show(|s| s.change_thread(|t| messages.into_iter().for_each(|m| t.commit(m))));
            }
        });
    }

    /// Sends `text`, with `files` already uploaded (`ui/uploads.rs`).
    pub fn send(self, text: String, files: Vec<Attachment>) {
        let client_id = ClientId::from_bytes(random_bytes());
        self.show(|s| {
            s.change_thread(|t| {
                t.add_pending(
                    client_id.clone(),
                    Author::Visitor,
                    text.clone(),
                    files.clone(),
                )
            })
        });
        self.update_inner(|i| i.mine.push(client_id.clone()));
        self.update_saved(|s| {
            s.outbox.push(Pending {
                client_id,
                body: text,
                files,
            })
        });
        self.deliver_pending();
    }

    /// Sends again what the server refused, in case the reason has passed.
    pub fn retry(self) {
        self.set_all(Delivery::Failed, Delivery::Sending);
        self.deliver_pending();
    }

    /// A committed message, from an ack, a push or history.
    pub fn committed(self, message: Message) {
        let mine = message.author == Author::Visitor;
        let client_id = message.client_id.clone();
        self.show(|s| s.change_thread(|t| t.commit(message)));
        if mine {
            self.forget_sent(&client_id);
        }
    }

    pub fn acknowledged(self, client_id: &ClientId, seq: u64) {
        let now = js_sys::Date::now() as u64;
        self.show(|s| s.change_thread(|t| t.acknowledge(Author::Visitor, client_id, seq, now)));
        self.forget_sent(client_id);
    }

    pub fn refused(self, client_id: &ClientId) {
        self.show(|s| {
            s.change_thread(|t| t.set_delivery(Author::Visitor, client_id, Delivery::Failed))
        });
        self.forget_sent(client_id);
    }

    fn forget_sent(self, client_id: &ClientId) {
        if self.with_inner(|i| i.saved.outbox.iter().any(|p| &p.client_id == client_id)) {
            self.update_saved(|s| s.outbox.retain(|p| &p.client_id != client_id));
        }
    }

    /// Whether the visitor can see the thread: the panel is open and the tab is shown.
    pub fn in_view(self) -> bool {
        self.shown(|s| s.open)
            && web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| !d.hidden())
    }

    /// Marks everything shown as read, when the visitor can actually see it.
    pub fn mark_seen(self) {
        if !self.in_view() {
            return;
        }
        let (last, seen) = self.shown(|s| (s.thread.last_seq(), s.seen));
        if last > seen {
            self.show(|s| s.seen = last);
            self.update_saved(|s| s.seen = last);
            crate::live::send_read(self, last);
        }
    }

    /// Delivers what this tab has pending: over the socket if it is up, else over HTTP.
    /// Files go over HTTP (the socket carries text), and what follows them too, so that
    /// messages keep the order they were written in.
    pub fn deliver_pending(self) {
        let pending = self.to_send();
        if crate::live::is_online(self) && pending.iter().all(|p| p.files.is_empty()) {
            for p in pending {
                crate::live::send_message(self, &p.client_id, &p.body);
            }
            return;
        }
        if self.with_inner(|i| i.delivering) {
            return;
        }
        self.update_inner(|i| i.delivering = true);
        spawn_local(async move {
            while let Some(Pending {
                client_id,
                body,
                files,
            }) = self.to_send().into_iter().next()
            {
                match self.deliver_over_http(&client_id, &body, &files).await {
                    Ok(message) => self.committed(message),
                    Err(Failure::Refused(code)) => {
                        web_sys::console::warn_2(&"confab: message refused:".into(), &code.into());
                        self.refused(&client_id);
                    }
                    Err(Failure::Network) => {
                        self.set_all(Delivery::Sending, Delivery::Retrying);
                        break;
                    }
                }
            }
            self.update_inner(|i| i.delivering = false);
        });
    }

    /// This tab's pending messages that are to be sent, oldest first.
    fn to_send(self) -> Vec<Pending> {
        let mine = self.with_inner(|i| i.mine.clone());
        self.shown(|s| {
            s.thread
                .pending()
                .filter(|e| matches!(e.delivery, Delivery::Sending | Delivery::Retrying))
                .filter(|e| mine.contains(&e.client_id))
                .map(|e| Pending {
                    client_id: e.client_id.clone(),
                    body: e.body.clone(),
                    files: e.files.clone(),
                })
                .collect()
        })
    }

    fn set_all(self, from: Delivery, to: Delivery) {
        self.show(|s| {
            s.change_thread(|t| {
                let ids: Vec<ClientId> = t
                    .pending()
                    .filter(|e| e.delivery == from)
                    .map(|e| e.client_id.clone())
                    .collect();
                for id in ids {
                    t.set_delivery(Author::Visitor, &id, to);
                }
            })
        });
    }

    /// One message over HTTP: a session first if this device has none, then the message,
    /// which opens the thread if there is none yet (and then the socket connects).
    async fn deliver_over_http(
        self,
        client_id: &ClientId,
        body: &str,
        files: &[Attachment],
    ) -> Result<Message, Failure> {
        let token = self.session_token().await?;
        let api = self.api();
        let mut saved = self.saved();
        let opening = saved.conversation_id.is_none();
        let (attributes, teaser) = self.with_inner(|i| (i.attributes.clone(), i.opening.clone()));
        let sent = api
            .send_message(
                &token,
                saved.conversation_id.as_ref(),
                client_id,
                body,
                files,
                (&attributes, &teaser),
            )
            .await?;
        if opening {
            self.update_inner(|i| i.opening = wasm_bindgen::JsValue::UNDEFINED);
            saved.conversation_id = Some(sent.conversation_id.clone());
            self.update_saved(|s| s.conversation_id = Some(sent.conversation_id));
            // The teaser came before the visitor's message (`seq` 1): the socket, told of
            // the visitor's, would send only what follows it.
            if !teaser.is_undefined() {
                self.load_latest();
            }
            crate::live::connect(self);
        }
        Ok(sent.message)
    }

    /// This device's session token, asked for first if it has none (a first message or
    /// upload).
    pub async fn session_token(self) -> Result<String, Failure> {
        if let Some(token) = self.saved().token {
            return Ok(token);
        }
        let token = self.api().new_session(&self.site()).await?;
        // A message and an upload may both have asked: the first token kept is the one.
        if let Some(kept) = self.saved().token {
            return Ok(kept);
        }
        self.update_saved(|s| s.token = Some(token.clone()));
        Ok(token)
    }

    /// Changes the saved state and stores it. Storage is read once per page: other tabs'
    /// writes arrive through storage events (`saved_elsewhere`).
    pub(crate) fn update_saved(self, change: impl FnOnce(&mut Saved)) {
        self.update_inner(|i| {
            change(&mut i.saved);
            i.saved.store(i.site.as_str());
        });
    }
}

impl Chat {
    /// This device signed in anew: the same thread, on the new token's socket.
    pub fn use_token(self, token: String) {
        self.update_saved(|s| s.token = Some(token));
        self.drop_socket();
        crate::live::connect(self);
    }

    /// Shows thread `id`, or an empty one that the next message opens. Not while a
    /// message is still unsent: it belongs to the thread shown.
    pub fn switch_to(self, id: Option<ConversationId>) -> bool {
        if !self.saved().outbox.is_empty() {
            return false;
        }
        self.drop_socket();
        self.show(|s| {
            s.change_thread(|t| *t = Thread::default());
            s.agent_read = 0;
            s.seen = 0;
            s.link = Link::Idle;
            s.home = false;
        });
        self.update_saved(|s| {
            s.conversation_id = id;
            s.seen = 0;
        });
        self.load_latest();
        crate::live::connect(self);
        true
    }

    /// Forgets the visitor on this device: signed out, or `Confab('reset')`.
    pub fn forget(self) {
        self.drop_socket();
        self.show(|s| {
            s.change_thread(|t| *t = Thread::default());
            s.link = Link::Idle;
            s.seen = 0;
        });
        self.update_saved(|s| *s = Saved::default());
    }

    /// Closes the socket without the reconnect a drop would start.
    fn drop_socket(self) {
        let socket = self.with_inner(|i| i.socket.clone());
        self.update_inner(|i| i.socket = None);
        if let Some(socket) = socket {
            socket.close();
        }
    }
}

/// 128 random bits in hex. `getRandomValues` works on plain-http pages too, unlike
/// `randomUUID`.
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .expect("every browser the widget supports has crypto.getRandomValues");
    bytes
}
