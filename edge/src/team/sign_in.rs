//! Signing agents in: passwords checked with PBKDF2-SHA256, wrong ones throttled per
//! email and per address, the first admin created from the deployment's secrets, and
//! the console session a sign-in opens.

use confab_protocol::console::{self, Agent, Role};
use confab_protocol::limits::{AGENT_SESSION_SECONDS, LOGIN_FAILURES};
use confab_protocol::password::{self, PasswordRecord, ITERATIONS};
use confab_protocol::{AgentId, ApiError, ErrorCode};
use worker::Date;

use super::store::TokenTable;
use super::{kdf, now_secs, random_token, Team};
use crate::auth::random_bytes;
use crate::clients::team::SignedIn;
use crate::reply::internal;

impl Team {
    pub(super) async fn login(
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

    pub(super) async fn hash(&self, password: &str) -> std::result::Result<String, ApiError> {
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

    pub(super) fn new_session(&self, agent: Agent) -> std::result::Result<SignedIn, ApiError> {
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
}
