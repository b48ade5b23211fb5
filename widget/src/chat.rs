//! The visitor's side of the thread: what is shown, and getting what they write delivered.
//!
//! Messages are delivered one at a time, in the order written, so the first one opens the
//! thread before the next is sent into it. A failed delivery stops the queue and marks what
//! is left as not sent; retrying resends the same `client_id`s, which the edge never stores
//! twice.

use confab_protocol::thread::{Delivery, Thread};
use confab_protocol::{Author, ClientId, Message, SiteId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, Failure};
use crate::config::Config;
use crate::saved::Saved;

#[derive(Clone, Copy)]
pub struct Chat {
    pub thread: RwSignal<Thread>,
    /// The saved thread could not be loaded.
    pub load_failed: RwSignal<bool>,
    delivering: StoredValue<bool>,
    saved: StoredValue<Saved>,
    api: StoredValue<Api>,
    site: StoredValue<SiteId>,
}

impl Chat {
    pub fn new(config: &Config) -> Self {
        Chat {
            thread: RwSignal::new(Thread::default()),
            load_failed: RwSignal::new(false),
            delivering: StoredValue::new(false),
            saved: StoredValue::new(Saved::load(&config.site)),
            api: StoredValue::new(Api::new(&config.api_base)),
            site: StoredValue::new(SiteId::parse(&config.site).expect("checked in Config")),
        }
    }

    /// Shows the saved thread, if this browser has one.
    pub fn load(self) {
        let saved = self.saved.get_value();
        let (Some(token), Some(id)) = (saved.token, saved.conversation_id) else {
            return;
        };
        let api = self.api.get_value();
        spawn_local(async move {
            match api.latest(&token, &id).await {
                Ok(messages) => {
                    self.load_failed.set(false);
                    self.thread
                        .update(|t| messages.into_iter().for_each(|m| t.commit(m)));
                }
                Err(_) => self.load_failed.set(true),
            }
        });
    }

    pub fn send(self, text: String) {
        let client_id = ClientId::parse(&random_client_id()).expect("hex is a valid client id");
        self.thread
            .update(|t| t.add_pending(client_id, Author::Visitor, text));
        self.deliver_pending();
    }

    /// Sends again everything that was not sent, in order.
    pub fn retry(self) {
        self.thread.update(|t| {
            let failed: Vec<ClientId> = t
                .pending()
                .filter(|e| e.delivery == Delivery::Failed)
                .map(|e| e.client_id.clone())
                .collect();
            for id in failed {
                t.set_delivery(Author::Visitor, &id, Delivery::Sending);
            }
        });
        self.deliver_pending();
    }

    fn deliver_pending(self) {
        if self.delivering.get_value() {
            return;
        }
        self.delivering.set_value(true);
        spawn_local(async move {
            while let Some((client_id, body)) = self.next_to_send() {
                match self.deliver(&client_id, &body).await {
                    Ok(message) => self.thread.update(|t| t.commit(message)),
                    Err(failure) => {
                        if let Failure::Refused(code) = failure {
                            web_sys::console::warn_2(
                                &"confab: message refused:".into(),
                                &code.into(),
                            );
                        }
                        self.fail_pending();
                        break;
                    }
                }
            }
            self.delivering.set_value(false);
        });
    }

    fn next_to_send(self) -> Option<(ClientId, String)> {
        self.thread.with_untracked(|t| {
            t.pending()
                .find(|e| e.delivery == Delivery::Sending)
                .map(|e| (e.client_id.clone(), e.body.clone()))
        })
    }

    fn fail_pending(self) {
        self.thread.update(|t| {
            let sending: Vec<ClientId> = t.pending().map(|e| e.client_id.clone()).collect();
            for id in sending {
                t.set_delivery(Author::Visitor, &id, Delivery::Failed);
            }
        });
    }

    /// One message: a session first if this device has none, then the message, which opens
    /// the thread if there is none yet.
    async fn deliver(self, client_id: &ClientId, body: &str) -> Result<Message, Failure> {
        let api = self.api.get_value();
        let mut saved = self.saved.get_value();
        let token = match saved.token.clone() {
            Some(token) => token,
            None => {
                let token = api.new_session(&self.site.get_value()).await?;
                saved.token = Some(token.clone());
                self.save(saved.clone());
                token
            }
        };
        let sent = api
            .send_message(&token, saved.conversation_id.as_ref(), client_id, body)
            .await?;
        if saved.conversation_id.is_none() {
            saved.conversation_id = Some(sent.conversation_id);
            self.save(saved);
        }
        Ok(sent.message)
    }

    fn save(self, saved: Saved) {
        saved.store(self.site.get_value().as_str());
        self.saved.set_value(saved);
    }
}

/// 128 random bits in hex. `getRandomValues` works on plain-http pages too, unlike
/// `randomUUID`.
fn random_client_id() -> String {
    let mut bytes = [0u8; 16];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .expect("every browser the widget supports has crypto.getRandomValues");
    confab_protocol::ids::hex(&bytes)
}
