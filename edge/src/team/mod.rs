//! The Team Durable Object: one per deployment, the support team's accounts.
//!
//! It holds agents (email, name, role, password record), their console sessions and
//! invitations, the team's canned replies, and the deployment's sites (`sites`). Passwords are checked here, with
//! PBKDF2-SHA256 from WebCrypto; wrong ones are throttled per email and per address.
//! The first admin comes from the `ADMIN_EMAIL` and `ADMIN_PASSWORD` secrets: signing in
//! with them while no such agent exists creates that admin.

mod invites;
mod kdf;
mod sign_in;
mod sites;
mod store;

use confab_protocol::console::sites::{self as sites_rules, Site, SiteList, SiteState};
use confab_protocol::console::{self, Agent, AgentList, CannedList, CannedReply, Role};
use confab_protocol::{ids::hex, AgentId, ApiError, ErrorCode, SiteId};
use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::auth::random_bytes;
use crate::buckets::Buckets;
use crate::clients::team::TeamCommand;
use crate::reply::{self, internal, Reply};
use sites::SiteStore;
use store::{Store, TokenTable};

#[durable_object]
pub struct Team {
    store: Store,
    sites: SiteStore,
    /// Wrong passwords per `email:` and `from:` key, stored: neither eviction nor a
    /// restart gives a guesser a fresh handful of tries.
    failures: Buckets,
    env: Env,
}

impl DurableObject for Team {
    fn new(state: State, env: Env) -> Self {
        Team {
            store: Store::open(state.storage().sql()).expect("team schema"),
            sites: SiteStore::open(state.storage().sql()).expect("team sites schema"),
            failures: Buckets::open(state.storage().sql()).expect("team buckets schema"),
            env,
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        crate::objects::serve(req, async |command| self.run(command).await).await
    }
}

fn now_secs() -> u64 {
    Date::now().as_millis() / 1000
}

fn random_token() -> String {
    hex(&random_bytes::<32>())
}

impl Team {
    async fn run(&self, command: TeamCommand) -> Reply {
        match command {
            TeamCommand::Login {
                email,
                password,
                from,
            } => reply::json(200, &self.login(&email, &password, &from).await?),
            TeamCommand::Session { token } => {
                let agent = self
                    .store
                    .token_agent(TokenTable::Sessions, &token, now_secs())
                    .map_err(internal)?
                    .ok_or_else(ApiError::signed_out)?;
                reply::json(200, &agent)
            }
            TeamCommand::Logout { token } => {
                self.store
                    .drop_token(TokenTable::Sessions, &token)
                    .map_err(internal)?;
                reply::json(200, &serde_json::json!({}))
            }
            TeamCommand::Agents => reply::json(
                200,
                &AgentList {
                    agents: self.store.all().map_err(internal)?,
                },
            ),
            TeamCommand::Invite {
                by,
                email,
                name,
                role,
            } => {
                self.admin(&by)?;
                reply::json(201, &self.invite(&email, &name, role)?)
            }
            TeamCommand::AcceptInvite { token, password } => {
                reply::json(200, &self.accept(&token, &password).await?)
            }
            TeamCommand::Remove { by, agent } => {
                self.admin(&by)?;
                if by == agent {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "you cannot remove yourself: ask another admin",
                    ));
                }
                if let Some(removed) = self.store.by_id(&agent).map_err(internal)? {
                    self.store.remove(&removed).map_err(internal)?;
                    return reply::json(200, &removed);
                }
                match self.store.leaving(&agent).map_err(internal)? {
                    Some(leaving) => reply::json(200, &leaving),
                    None => Err(ApiError::new(ErrorCode::NotFound, "no such agent")),
                }
            }
            TeamCommand::Gone { agent } => {
                self.store.gone(&agent).map_err(internal)?;
                reply::json(200, &serde_json::json!({}))
            }
            TeamCommand::Canned => reply::json(
                200,
                &CannedList {
                    replies: self.store.canned().map_err(internal)?,
                },
            ),
            TeamCommand::SaveCanned { shortcut, body } => {
                let reply = CannedReply {
                    shortcut: console::shortcut(&shortcut)?,
                    body: confab_protocol::MessageBody::parse(&body)?.into_string(),
                };
                self.store.save_canned(&reply).map_err(internal)?;
                reply::json(201, &reply)
            }
            TeamCommand::DeleteCanned { shortcut } => {
                self.store
                    .delete_canned(&console::shortcut(&shortcut)?)
                    .map_err(internal)?;
                reply::json(200, &serde_json::json!({}))
            }
            TeamCommand::Sites => reply::json(
                200,
                &SiteList {
                    sites: self.sites.all(&self.env).map_err(internal)?,
                },
            ),
            TeamCommand::CreateSite { by, site, settings } => {
                self.admin(&by)?;
                let settings = sites_rules::checked(settings)?;
                if !self
                    .sites
                    .create(&self.env, &site, &settings)
                    .map_err(internal)?
                {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        format!("a site called {site} exists or existed: choose another id"),
                    ));
                }
                let state = SiteState::Live;
                reply::json(
                    201,
                    &Site {
                        site,
                        state,
                        settings,
                    },
                )
            }
            TeamCommand::UpdateSite { by, site, settings } => {
                self.admin(&by)?;
                let settings = sites_rules::checked(settings)?;
                let mut stored = self.live_or_removed(&site)?;
                stored.settings = settings;
                self.sites.save(&stored).map_err(internal)?;
                reply::json(200, &stored)
            }
            TeamCommand::SiteStanding {
                by,
                site,
                change,
                confirm,
            } => {
                self.admin(&by)?;
                let mut stored = self.stored(&site)?;
                stored.state = sites_rules::after(&site, stored.state, change, confirm.as_deref())?;
                self.sites.save(&stored).map_err(internal)?;
                reply::json(200, &stored)
            }
        }
    }

    /// Site `site` as stored, deleted ones too (a deletion can be said again).
    fn stored(&self, site: &SiteId) -> std::result::Result<Site, ApiError> {
        self.sites
            .get(&self.env, site)
            .map_err(internal)?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such site"))
    }

    fn live_or_removed(&self, site: &SiteId) -> std::result::Result<Site, ApiError> {
        Some(self.stored(site)?)
            .filter(|stored| stored.state != SiteState::Deleted)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such site"))
    }

    fn admin(&self, id: &AgentId) -> std::result::Result<Agent, ApiError> {
        match self.store.by_id(id).map_err(internal)? {
            Some(agent) if agent.role == Role::Admin => Ok(agent),
            Some(_) => Err(ApiError::forbidden("only an admin can do this")),
            None => Err(ApiError::signed_out()),
        }
    }
}
