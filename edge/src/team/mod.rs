//! The Team Durable Object: one per deployment, the support team's accounts.
//!
//! It holds agents (email, name, role, password record), their console sessions and
//! invitations, and the team's canned replies. Passwords are checked here, with
//! PBKDF2-SHA256 from WebCrypto; wrong ones are throttled per email and per address.
//! The first admin comes from the `ADMIN_EMAIL` and `ADMIN_PASSWORD` secrets: signing in
//! with them while no such agent exists creates that admin.

mod kdf;
mod store;

use confab_protocol::console::{self, Agent, AgentList, CannedList, CannedReply, Role};
use confab_protocol::limits::{AGENT_SESSION_SECONDS, INVITE_SECONDS, LOGIN_FAILURES};
use confab_protocol::password::{self, PasswordRecord, ITERATIONS};
use confab_protocol::{ids::hex, AgentId, ApiError, ErrorCode};
use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::auth::random_bytes;
use crate::buckets::Buckets;
use crate::clients::team::{Invited, SignedIn, TeamCommand};
use crate::reply::{self, internal, Reply};
use store::{Store, TokenTable};

#[durable_object]
pub struct Team {
    store: Store,
    /// Wrong passwords per `email:` and `from:` key, stored: neither eviction nor a
    /// restart gives a guesser a fresh handful of tries.
    failures: Buckets,
    env: Env,
}

impl DurableObject for Team {
    fn new(state: State, env: Env) -> Self {
        Team {
            store: Store::open(state.storage().sql()).expect("team schema"),
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
        }
    }

    fn admin(&self, id: &AgentId) -> std::result::Result<Agent, ApiError> {
        match self.store.by_id(id).map_err(internal)? {
            Some(agent) if agent.role == Role::Admin => Ok(agent),
            Some(_) => Err(ApiError::forbidden("only an admin can do this")),
            None => Err(ApiError::signed_out()),
        }
    }

    async fn login(
        &self,
        email: &str,
        password: &str,
        from: &str,
    ) -> std::result::Result<SignedIn, ApiError> {
        let email = console::email(email).unwrap_or_default();
        let keys = [format!("email:{email}"), format!("from:{from}")];
        self.check_throttle(&keys)?;
        self.bootstrap_admin(&email, password).await?;
        let record = self
            .store
            .by_email(&email)
            .map_err(internal)?
            .and_then(|(agent, stored)| Some((agent, PasswordRecord::decode(&stored?)?)));
        // An unknown email costs the same derivation, so timing does not tell which exist.
        let (salt, iterations) = match &record {
            Some((_, r)) => (r.salt.clone(), r.iterations),
            None => (vec![0; 16], ITERATIONS),
        };
        let derived = kdf::derive(password, &salt, iterations)
            .await
            .map_err(internal)?;
        match record {
            Some((agent, r)) if r.matches(&derived) => self.new_session(agent),
            _ => {
                self.count_failure(&keys)?;
                Err(ApiError::new(
                    ErrorCode::Unauthorized,
                    "wrong email or password",
                ))
            }
        }
    }

    fn check_throttle(&self, keys: &[String]) -> std::result::Result<(), ApiError> {
        let now = Date::now().as_millis() as f64;
        for key in keys {
            // Peek: only a wrong password takes a token.
            let peeked = self.failures.peek(key, LOGIN_FAILURES, now);
            if let Err(wait_ms) = peeked.map_err(internal)? {
                return Err(ApiError::new(
                    ErrorCode::RateLimited,
                    format!(
                        "too many wrong passwords: try again in {} s",
                        wait_ms.div_ceil(1000)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn count_failure(&self, keys: &[String]) -> std::result::Result<(), ApiError> {
        let now = Date::now().as_millis() as f64;
        for key in keys {
            let _ = self
                .failures
                .take(key, LOGIN_FAILURES, now)
                .map_err(internal)?;
        }
        Ok(())
    }

    /// Creates the first admin from the deployment's secrets, on their first sign-in.
    async fn bootstrap_admin(
        &self,
        email: &str,
        password: &str,
    ) -> std::result::Result<(), ApiError> {
        let secret = |name: &str| self.env.secret(name).map(|s| s.to_string()).ok();
        let (Some(admin_email), Some(admin_password)) =
            (secret("ADMIN_EMAIL"), secret("ADMIN_PASSWORD"))
        else {
            return Ok(());
        };
        let Ok(admin_email) = console::email(&admin_email) else {
            return Ok(());
        };
        let same = password::same_bytes(admin_password.as_bytes(), password.as_bytes());
        if email != admin_email || !same || password::check_new(password).is_err() {
            return Ok(());
        }
        if self.store.by_email(email).map_err(internal)?.is_some() {
            return Ok(());
        }
        let record = self.hash(password).await?;
        let agent = Agent {
            id: AgentId::from_bytes(random_bytes()),
            email: email.to_owned(),
            name: "Admin".to_owned(),
            role: Role::Admin,
            pending: false,
        };
        self.store
            .insert(&agent, Some(&record), now_secs())
            .map_err(internal)
    }

    async fn hash(&self, password: &str) -> std::result::Result<String, ApiError> {
        let salt = random_bytes::<16>().to_vec();
        let key = kdf::derive(password, &salt, ITERATIONS)
            .await
            .map_err(internal)?;
        Ok(PasswordRecord {
            iterations: ITERATIONS,
            salt,
            key,
        }
        .encode())
    }

    fn new_session(&self, agent: Agent) -> std::result::Result<SignedIn, ApiError> {
        let token = random_token();
        self.store
            .put_token(
                TokenTable::Sessions,
                &token,
                &agent.id,
                now_secs() + AGENT_SESSION_SECONDS,
            )
            .map_err(internal)?;
        Ok(SignedIn { agent, token })
    }

    fn invite(
        &self,
        email: &str,
        name: &str,
        role: Role,
    ) -> std::result::Result<Invited, ApiError> {
        let email = console::email(email)?;
        let name = console::display_name(name)?;
        if self.store.by_email(&email).map_err(internal)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "an agent with this email address is already on the team",
            ));
        }
        let agent = Agent {
            id: AgentId::from_bytes(random_bytes()),
            email,
            name,
            role,
            pending: true,
        };
        self.store
            .insert(&agent, None, now_secs())
            .map_err(internal)?;
        let token = random_token();
        self.store
            .put_token(
                TokenTable::Invites,
                &token,
                &agent.id,
                now_secs() + INVITE_SECONDS,
            )
            .map_err(internal)?;
        Ok(Invited { agent, token })
    }

    async fn accept(&self, token: &str, password: &str) -> std::result::Result<SignedIn, ApiError> {
        let invalid = || {
            ApiError::new(
                ErrorCode::NotFound,
                "this invitation link is used, expired or wrong",
            )
        };
        self.store
            .token_agent(TokenTable::Invites, token, now_secs())
            .map_err(internal)?
            .ok_or_else(invalid)?;
        password::check_new(password)?;
        let record = self.hash(password).await?;
        // Taken again after the await: a second use racing this one finds it gone.
        let mut agent = self
            .store
            .token_agent(TokenTable::Invites, token, now_secs())
            .map_err(internal)?
            .ok_or_else(invalid)?;
        self.store
            .drop_token(TokenTable::Invites, token)
            .map_err(internal)?;
        self.store
            .set_password(&agent.id, &record)
            .map_err(internal)?;
        agent.pending = false;
        self.new_session(agent)
    }
}
