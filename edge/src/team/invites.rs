//! Invitations: an admin invites by email, the invitee sets a password through the
//! link's one-time token and is signed in.

use confab_protocol::console::{self, Agent, Role};
use confab_protocol::limits::INVITE_SECONDS;
use confab_protocol::{password, AgentId, ApiError, ErrorCode};

use super::store::TokenTable;
use super::{now_secs, random_token, Team};
use crate::auth::random_bytes;
use crate::clients::team::{Invited, SignedIn};
use crate::reply::internal;

impl Team {
    pub(super) fn invite(
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

    pub(super) async fn accept(
        &self,
        token: &str,
        password: &str,
    ) -> std::result::Result<SignedIn, ApiError> {
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
