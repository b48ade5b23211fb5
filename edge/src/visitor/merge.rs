//! Signing a visitor's devices out, and merging an anonymous visitor into the one they
//! sign in as: their threads change owner and join the other's list.

use confab_protocol::{ApiError, ErrorCode, SessionId, VisitorId};
use futures_util::future::try_join_all;

use super::Visitor;
use crate::clients::conversation;
use crate::clients::visitor::{ask, VisitorCommand};
use crate::reply::internal;

impl Visitor {
    /// Closes the sockets of `sessions` in every thread of this visitor.
    pub(super) async fn close_sessions(
        &self,
        sessions: &[SessionId],
    ) -> std::result::Result<(), ApiError> {
        let threads = self
            .store
            .conversations(usize::MAX >> 1)
            .map_err(internal)?;
        try_join_all(
            threads
                .iter()
                .map(|id| conversation::close_sessions(&self.env, id, sessions)),
        )
        .await?;
        Ok(())
    }

    /// Every step can be repeated: a merge that failed half way is finished by the next try.
    /// A visitor the host identified is never merged into another.
    pub(super) async fn merge_into(&self, target: &VisitorId) -> std::result::Result<(), ApiError> {
        let from = self.owner()?;
        if &from.visitor == target || self.store.get("user_id").map_err(internal)?.is_some() {
            return Ok(());
        }
        let listed = self
            .store
            .conversations(usize::MAX >> 1)
            .map_err(internal)?;
        // Moved first, then listed with the target: a thread that is not this visitor's
        // never reaches the target's list, and a retry finds the moved ones done.
        let from = &from;
        let moved = try_join_all(listed.iter().map(|id| async move {
            match conversation::reown(&self.env, id, from, target).await {
                Ok(()) => Ok(Some(id.clone())),
                Err(error) if error.code == ErrorCode::NotFound => Ok(None),
                Err(error) => Err(error),
            }
        }))
        .await?;
        let adopt = VisitorCommand::Adopt {
            conversations: moved.into_iter().flatten().collect(),
        };
        let _: serde_json::Value = ask(&self.env, &from.site, target, &adopt).await?;
        crate::clients::codes::cancel(&self.env, &from.site, &from.visitor).await?;
        self.store
            .set("merged_into", target.as_str())
            .map_err(internal)?;
        let revoked = self.store.revoke(None).map_err(internal)?;
        self.close_sessions(&revoked).await
    }
}
