//! Reaching the visitor when an agent's reply goes unread: the ladder of
//! `confab_protocol::reach`, run on the object's alarm.
//!
//! The ladder's state lives in the thread's `meta` table and changes in the same steps
//! as the message log: a reply starts it, the visitor's read marker (from any device)
//! stops it. When the alarm rings, each due step asks the Visitor object to push or mail,
//! and is marked taken once that answered, so a runtime restarted between steps neither
//! skips nor repeats one. A step that reached the visitor is also kept as a record that
//! agents see in the thread ("pushed to the visitor's devices"). (A runtime that dies inside a step sends that step again: push
//! services and notifications collapse it by topic and tag.)

use std::cell::RefCell;

use confab_protocol::reach::{keep_reached, Channel, ReachSettings, ReachState, Reached};
use confab_protocol::visitor::PushPayload;
use confab_protocol::{Author, SiteId};
use worker::{console_error, Date, Env, Result};

use super::log::{Identity, Log};
use super::wake::Wake;
use crate::clients::inbox::{self, InboxCommand};
use crate::clients::visitor::{self, VisitorCommand};

/// How long a site's settings are kept before asking its inbox again.
const SETTINGS_FOR_MS: f64 = 60_000.0;

/// A step that failed (the Visitor object unreachable) is tried again after this.
const RETRY_MS: f64 = 30_000.0;

/// Most replies one email quotes.
const TEXTS_PER_EMAIL: u32 = 20;

/// How much of the reply a push shows.
const PUSH_CHARS: usize = 140;

pub struct Reach {
    env: Env,
    wake: Wake,
    /// The site's settings and when they were read.
    settings: RefCell<Option<(ReachSettings, f64)>>,
}

fn now() -> f64 {
    Date::now().as_millis() as f64
}

impl Reach {
    pub fn new(env: Env, wake: Wake) -> Self {
        Reach {
            env,
            wake,
            settings: RefCell::new(None),
        }
    }

    fn state(log: &Log) -> Result<ReachState> {
        Ok(log.meta_json("reach")?.unwrap_or_default())
    }

    fn store(log: &Log, state: &ReachState) -> Result<()> {
        log.set_meta_json("reach", state)
    }

    /// In the step that commits an agent's reply. A reply joining a running ladder
    /// changes nothing, so it writes nothing.
    pub fn agent_wrote(&self, log: &Log) -> Result<()> {
        let before = Self::state(log)?;
        let mut state = before.clone();
        state.agent_wrote(now() as u64);
        if state != before {
            Self::store(log, &state)?;
            self.wake_for(&state);
        }
        Ok(())
    }

    /// In the step that moves the visitor's read marker to `read_seq`.
    pub fn visitor_read(&self, log: &Log, read_seq: u64) -> Result<()> {
        let mut state = Self::state(log)?;
        if state.waiting_since.is_none() {
            return Ok(());
        }
        let last_reply = log.last_seq_by(Author::Agent)?;
        state.visitor_read(read_seq, last_reply, now() as u64);
        Self::store(log, &state)?;
        self.wake_for(&state);
        Ok(())
    }

    /// Sets the alarm for the next step; without the site's settings yet, at once (the
    /// alarm reads them).
    fn wake_for(&self, state: &ReachState) {
        let cached = self.settings.borrow().as_ref().map(|(s, _)| s.clone());
        let at = match cached {
            Some(settings) => state.next_at(&settings).map(|at| at as f64),
            None => state.waiting_since.map(|_| now()),
        };
        if let Some(at) = at {
            self.wake.by(at);
        }
    }

    async fn settings(&self, site: &SiteId) -> Option<ReachSettings> {
        if let Some((settings, read_at)) = self.settings.borrow().as_ref() {
            if now() - read_at < SETTINGS_FOR_MS {
                return Some(settings.clone());
            }
        }
        match inbox::ask_for::<ReachSettings>(&self.env, site, InboxCommand::Reach).await {
            Ok(settings) => {
                *self.settings.borrow_mut() = Some((settings.clone(), now()));
                Some(settings)
            }
            Err(e) => {
                console_error!("reach settings not read: {}", e.message);
                None
            }
        }
    }

    /// The steps that reached the visitor, oldest first, for agents' timelines.
    pub fn records(log: &Log) -> Result<Vec<Reached>> {
        Ok(log.meta_json("reached")?.unwrap_or_default())
    }

    /// From the alarm: takes every step that is due, then sets the alarm for the next.
    /// Each step that reached the visitor is recorded and given to `on_reached`.
    pub async fn run(&self, log: &Log, on_reached: impl Fn(Reached)) -> Result<()> {
        let Some(identity) = log.identity()? else {
            return Ok(());
        };
        if Self::state(log)?.waiting_since.is_none() {
            return Ok(());
        }
        let Some(settings) = self.settings(&identity.owner.site).await else {
            self.wake.by(now() + RETRY_MS);
            return Ok(());
        };
        loop {
            let before = Self::state(log)?;
            let Some(channel) = before.due(&settings, now() as u64) else {
                break;
            };
            let reached = match self.take(log, &identity, channel).await {
                Ok(reached) => reached,
                Err(e) => {
                    console_error!("reach step failed, retrying: {}", e.message);
                    self.wake.by(now() + RETRY_MS);
                    return Ok(());
                }
            };
            // The visitor may have read while the step was on its way: only the ladder
            // that was due is marked.
            let mut state = Self::state(log)?;
            if state.waiting_since == before.waiting_since {
                let at = now() as u64;
                state.took(channel, reached, at);
                Self::store(log, &state)?;
                if reached {
                    let after_seq = log.last_seq()?;
                    let record = Reached {
                        channel,
                        after_seq,
                        at,
                    };
                    let mut records = Self::records(log)?;
                    keep_reached(&mut records, record.clone());
                    log.set_meta_json("reached", &records)?;
                    on_reached(record);
                }
            }
        }
        if let Some(at) = Self::state(log)?.next_at(&settings) {
            self.wake.by(at as f64);
        }
        Ok(())
    }

    /// One step: the Visitor object pushes to their devices or mails them. Answers
    /// whether anyone was reached.
    async fn take(
        &self,
        log: &Log,
        identity: &Identity,
        channel: Channel,
    ) -> std::result::Result<bool, confab_protocol::ApiError> {
        let internal = crate::reply::internal;
        let texts = log.unread_agent_texts(TEXTS_PER_EMAIL).map_err(internal)?;
        let Some(latest) = texts.last() else {
            return Ok(false);
        };
        let page = log.context().map_err(internal)?.page;
        let team = crate::sites::team(&self.env, &identity.owner.site).await;
        let command = match channel {
            Channel::Push => VisitorCommand::Push {
                conversation: identity.id.clone(),
                payload: PushPayload {
                    title: team.unwrap_or_else(|| "New reply".to_owned()),
                    body: latest.chars().take(PUSH_CHARS).collect(),
                    url: confab_protocol::visitor::thread_page(&page),
                    tag: format!("confab-{}", identity.id),
                },
            },
            Channel::Email => VisitorCommand::MailReplies {
                conversation: identity.id.clone(),
                team: team.unwrap_or_else(|| "the team".to_owned()),
                texts,
                page,
            },
        };
        #[derive(serde::Deserialize)]
        struct Reached {
            reached: bool,
        }
        let answer: Reached = visitor::ask(
            &self.env,
            &identity.owner.site,
            &identity.owner.visitor,
            &command,
        )
        .await?;
        Ok(answer.reached)
    }
}
