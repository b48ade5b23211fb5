//! The Inbox Durable Object: one per site, the agents' index of its conversations.
//!
//! Conversations send it their state after every change ([`ConversationUpdate`], retried
//! by the conversation until it lands; a repeated or late one changes nothing). Agents
//! list it by view and search it, assign and resolve from it, and keep a WebSocket on it
//! that carries every changed row and the team's presence. It also knows, for the
//! widget's header, whether someone is online and how fast the team usually replies, and
//! answers a visitor who writes while nobody is (`away`).

mod away;
mod index;
mod live;
mod reports;
mod store;

use confab_protocol::availability::TeamFacts;
use confab_protocol::console::words::{checked, WordsResponse};
use confab_protocol::console::{ConversationDetail, InboxList, Status, View};
use confab_protocol::{ApiError, ConversationId, SiteId};
use worker::{
    durable_object, Date, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage,
};

use crate::clients::inbox::{InboxCommand, InboxRequest, UpdateAnswer};
use crate::objects;
use crate::reply::{self, internal, Reply};
use store::Store;

/// Most conversations one list returns.
const LIST_LIMIT: usize = 100;
/// How far back a removed site's open widgets are looked for, and how many at most.
const RECENT_MS: u64 = 3 * 24 * 3600 * 1000;
const RECENT_LIMIT: usize = 300;
/// How long a failed batch of the deletion waits before it is tried again.
const ERASE_RETRY_MS: u64 = 30_000;
/// Conversations deleted per alarm while the site's data is deleted (each is two calls).
const ERASE_BATCH: usize = 50;

#[durable_object]
pub struct Inbox {
    state: State,
    store: Store,
    env: Env,
}

fn now_ms() -> u64 {
    Date::now().as_millis()
}

impl DurableObject for Inbox {
    fn new(state: State, env: Env) -> Self {
        crate::objects::answer_pings(&state);
        Inbox {
            store: Store::open(state.storage().sql()).expect("inbox schema"),
            state,
            env,
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        if req.path() == "/socket" {
            let site = crate::reply::query_param(&req, "site").and_then(|s| SiteId::parse(&s));
            if let Some(site) = site {
                self.store.set_site(&site)?;
            }
            return match live::accept(&self.state, &req) {
                Ok(response) => {
                    self.presence_changed(None);
                    Ok(response)
                }
                Err(error) => reply::error(&error),
            };
        }
        objects::serve(req, async |request: InboxRequest| {
            self.store.set_site(&request.site).map_err(internal)?;
            // The alarm wakes snoozes on time; what agents read just before it rings is kept
            // right here. Widget loads and conversation updates do not pay for it.
            if matches!(
                request.command,
                InboxCommand::List { .. } | InboxCommand::Detail { .. }
            ) {
                self.wake_snoozed();
            }
            self.run(request.command).await
        })
        .await
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        if live::on_frame(&ws, message) {
            self.presence_changed(None);
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _clean: bool,
    ) -> Result<()> {
        self.presence_changed(Some(&ws));
        let _ = ws.close(Some(1000), Some("closing"));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        self.presence_changed(Some(&ws));
        Ok(())
    }

    async fn alarm(&self) -> Result<Response> {
        if self.store.erasing()? {
            // A batch that failed is tried again later, for as long as it takes: the
            // runtime gives up on an alarm that keeps failing.
            if let Err(error) = self.erase_batch().await {
                worker::console_error!("erasing the site's data: {error}; trying again");
                if let Some(raw) = objects::raw_storage(&self.state) {
                    objects::arm_alarm(&raw, (now_ms() + ERASE_RETRY_MS) as f64);
                }
            }
            return Response::empty();
        }
        self.wake_snoozed();
        self.arm_next_wake();
        Response::empty()
    }
}

impl Inbox {
    async fn run(&self, command: InboxCommand) -> Reply {
        match command {
            // A late update of a conversation being deleted must not bring its row back.
            InboxCommand::Update { .. } if self.store.erasing().map_err(internal)? => {
                reply::json(200, &serde_json::json!({}))
            }
            InboxCommand::Update { update } => {
                let landed = index::apply(&self.store, &update.site, &update);
                let mut landed_as = None;
                if let Some((row, landing)) = landed.map_err(internal)? {
                    if let Some(rating) = &update.rating {
                        self.store
                            .keep_rating(&update.conversation, rating)
                            .map_err(internal)?;
                    }
                    if let Some(started) = &update.proactive {
                        self.keep_start(&update.conversation, started, update.started_at)
                            .map_err(internal)?;
                    }
                    live::broadcast_row(&self.state, row);
                    landed_as = Some(landing);
                }
                self.keep_facts(&update).map_err(internal)?;
                let answer = UpdateAnswer {
                    away: self.away_reply(&update, landed_as).await,
                };
                reply::json(200, &answer)
            }
            InboxCommand::List {
                agent,
                view,
                search,
            } => {
                let search = search.filter(|s| !s.trim().is_empty());
                let conversations = self
                    .store
                    .newest(view == View::Resolved, search.as_deref().map(str::trim))
                    .map_err(internal)?
                    .into_iter()
                    .filter(|row| view.shows(row, &agent))
                    .take(LIST_LIMIT)
                    .collect();
                reply::json(200, &InboxList { conversations })
            }
            InboxCommand::Detail { conversation } => {
                let row = self.row(&conversation)?;
                let earlier = self
                    .store
                    .of_visitor(&row.visitor_id)
                    .map_err(internal)?
                    .into_iter()
                    .filter(|r| r.conversation_id != conversation)
                    .collect();
                reply::json(
                    200,
                    &ConversationDetail {
                        conversation: row,
                        earlier,
                    },
                )
            }
            InboxCommand::Assign {
                conversation,
                assignee,
            } => {
                self.row(&conversation)?;
                self.store
                    .set_assignee(&conversation, assignee.as_ref())
                    .map_err(internal)?;
                reply::json(200, &self.announce(&conversation)?)
            }
            InboxCommand::SetStatus {
                conversation,
                status,
                snoozed_until,
            } => {
                self.row(&conversation)?;
                let until = match (status, snoozed_until) {
                    (Status::Snoozed, Some(until)) if until > now_ms() => Some(until),
                    (Status::Snoozed, _) => {
                        return Err(ApiError::invalid(
                            "snoozed_until",
                            "a snooze needs a time in the future",
                        ))
                    }
                    _ => None,
                };
                self.store
                    .set_status(&conversation, status, until)
                    .map_err(internal)?;
                self.status_facts(&conversation, status).map_err(internal)?;
                self.arm_next_wake();
                reply::json(200, &self.announce(&conversation)?)
            }
            InboxCommand::Report { days } => reply::json(200, &self.report(days)?),
            InboxCommand::ProactiveShown { rule } => {
                self.count_shown(&rule).map_err(internal)?;
                reply::json(200, &serde_json::json!({}))
            }

            InboxCommand::Reach => reply::json(200, &self.store.reach().map_err(internal)?),
            InboxCommand::SetReach { settings } => {
                settings.validate()?;
                self.store.set_reach(&settings).map_err(internal)?;
                reply::json(200, &settings)
            }
            InboxCommand::Hours => reply::json(
                200,
                &confab_protocol::console::HoursResponse {
                    hours: self.store.hours().map_err(internal)?,
                },
            ),
            InboxCommand::SetHours { hours } => {
                if let Some(hours) = &hours {
                    hours.validate()?;
                    if !crate::clock::zone_exists(&hours.time_zone) {
                        return Err(ApiError::invalid(
                            "time_zone",
                            "is not a time zone this runtime knows",
                        ));
                    }
                }
                self.store.set_hours(hours.as_ref()).map_err(internal)?;
                reply::json(200, &confab_protocol::console::HoursResponse { hours })
            }
            InboxCommand::Front => {
                let front = crate::clients::inbox::Front {
                    facts: self.facts()?,
                    words: self.store.words().map_err(internal)?,
                };
                reply::json(200, &front)
            }
            InboxCommand::Words => self.words(),
            InboxCommand::SetWords { words } => {
                let words = checked(words, crate::texts::languages())?;
                self.store.set_words(&words).map_err(internal)?;
                self.words()
            }
            InboxCommand::Watch {
                agent,
                conversation,
            } => {
                self.store.watch(&agent, &conversation).map_err(internal)?;
                reply::json(200, &serde_json::json!({}))
            }
            InboxCommand::CutOff { agent } => {
                live::cut_off(&self.state, &agent);
                self.presence_changed(None);
                for conversation in self.store.watched(&agent).map_err(internal)? {
                    crate::clients::conversation::cut_off(&self.env, &conversation, &agent).await?;
                }
                // Forgotten only once every socket is closed: a failure is retried whole.
                self.store.forget_watched(&agent).map_err(internal)?;
                // Their conversations go back to the team.
                for id in self.store.unassign_all(&agent).map_err(internal)? {
                    let _ = self.announce(&id);
                }
                reply::json(200, &serde_json::json!({}))
            }
            InboxCommand::SiteRemoved => {
                // Sockets open are on conversations of the last days; older ones have none
                // worth a wake-up. Bounded, so one removal stays one request's work.
                let since = now_ms().saturating_sub(RECENT_MS);
                for id in self.store.recent(since, RECENT_LIMIT).map_err(internal)? {
                    crate::clients::conversation::site_removed(&self.env, &id).await?;
                }
                reply::json(200, &serde_json::json!({}))
            }
            InboxCommand::Erase => {
                self.store.start_erasing().map_err(internal)?;
                live::cut_off_all(&self.state);
                if let Some(storage) = objects::raw_storage(&self.state) {
                    objects::arm_alarm(&storage, now_ms() as f64);
                }
                reply::json(202, &serde_json::json!({}))
            }
        }
    }

    /// One batch of the site's deletion; the alarm rings again until nothing is left, then
    /// the inbox's own storage goes.
    async fn erase_batch(&self) -> Result<()> {
        let batch = self.store.to_erase(ERASE_BATCH)?;
        let site = self.store.site();
        for (id, visitor) in &batch {
            crate::clients::conversation::erase(&self.env, id)
                .await
                .map_err(|e| worker::Error::RustError(e.message))?;
            if let Some(site) = &site {
                crate::clients::visitor::erase(&self.env, site, visitor)
                    .await
                    .map_err(|e| worker::Error::RustError(e.message))?;
            }
            self.store.erased(id)?;
        }
        let storage = self.state.storage();
        if batch.len() == ERASE_BATCH {
            if let Some(raw) = objects::raw_storage(&self.state) {
                objects::arm_alarm(&raw, now_ms() as f64);
            }
        } else {
            storage.delete_all().await?;
            // Empty tables again, still marked: a late update brings nothing back.
            self.store.recreate()?;
            self.store.start_erasing()?;
        }
        Ok(())
    }

    fn row(
        &self,
        id: &ConversationId,
    ) -> std::result::Result<confab_protocol::console::InboxRow, ApiError> {
        self.store
            .get(id)
            .map_err(internal)?
            .ok_or_else(ApiError::conversation_not_found)
    }

    /// Sends a changed row to every open console, and returns it.
    fn announce(
        &self,
        id: &ConversationId,
    ) -> std::result::Result<confab_protocol::console::InboxRow, ApiError> {
        let row = self.row(id)?;
        live::broadcast_row(&self.state, row.clone());
        Ok(row)
    }

    fn wake_snoozed(&self) {
        let Ok(woken) = self.store.wake(now_ms()) else {
            return;
        };
        for id in woken {
            let _ = self.announce(&id);
        }
    }

    /// The alarm rings when the next snoozed conversation is due.
    fn arm_next_wake(&self) {
        if let Ok(Some(next)) = self.store.next_wake() {
            if let Some(storage) = objects::raw_storage(&self.state) {
                objects::arm_alarm(&storage, next as f64);
            }
        }
    }

    /// The site's words, with each language's defaults beside them.
    fn words(&self) -> Reply {
        let answer = WordsResponse {
            words: self.store.words().map_err(internal)?,
            defaults: crate::texts::defaults(),
        };
        reply::json(200, &answer)
    }

    fn facts(&self) -> std::result::Result<TeamFacts, ApiError> {
        let minutes_until_open = self.store.hours().map_err(internal)?.and_then(|hours| {
            let (weekday, minute) = crate::clock::local_time(&hours.time_zone, now_ms() as f64)?;
            hours.minutes_until_open(weekday, minute)
        });
        Ok(TeamFacts {
            agents_online: live::presence(&self.state, None).iter().any(|p| !p.away),
            median_first_reply_secs: confab_protocol::availability::median(
                self.store.recent_first_replies().map_err(internal)?,
            ),
            minutes_until_open,
        })
    }
}
