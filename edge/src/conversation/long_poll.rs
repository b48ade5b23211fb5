//! Long poll: a visitor's history call that waits for the next message, for networks that
//! block WebSockets.

use confab_protocol::ApiError;
use futures_channel::oneshot;
use futures_util::future::select;
use std::time::Duration;
use worker::{Delay, Result};

use super::Conversation;
use crate::clients::conversation::{Command, Owner};
use crate::reply::internal;

impl Conversation {
    /// For a long poll with nothing new yet: waits for the next commit or the time limit.
    /// Access is checked first, so a stranger is answered at once.
    pub(super) async fn long_poll(&self, command: &Command) -> Result<(), ApiError> {
        let Command::VisitorReads {
            site,
            visitor,
            conversation,
            after: Some(after),
            wait,
            ..
        } = command
        else {
            return Ok(());
        };
        if *wait == 0 {
            return Ok(());
        }
        let owner = Owner {
            site: site.clone(),
            visitor: visitor.clone(),
        };
        self.check_visitor(&owner, conversation, None)?;
        if self.log.last_seq().map_err(internal)? > *after {
            return Ok(());
        }
        let (sender, receiver) = oneshot::channel();
        self.waiters.borrow_mut().push(sender);
        let timeout = Delay::from(Duration::from_secs(u64::from(*wait)));
        let _ = select(receiver, timeout).await;
        Ok(())
    }
}
