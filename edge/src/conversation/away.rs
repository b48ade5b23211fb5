//! Posting the away reply the site's inbox asked for (its `away` rule): kept in `meta` as
//! the sync's answer arrives, then posted from the alarm, so a runtime that dies in
//! between still posts it. It is a message of the team's side (`Author::System`) under the
//! sender of its kind and a client id named by the absence, so it is committed once.
//!
//! A visitor the team could not tell of its answer (no address, no push subscription)
//! gets the kind that makes the widget ask them how.

use confab_protocol::{Author, Auto, ClientId};
use worker::{console_error, Date, Result};

use super::log::Log;
use super::wake::Wake;
use super::Conversation;
use crate::clients::inbox::AwayReply;

const OWED: &str = "away_owed";
/// How long a reply that could not be posted waits before it is tried again.
const RETRY_MS: f64 = 30_000.0;

/// The inbox answered an update with an away reply: kept, and posted on the alarm.
pub(super) fn owe(log: &Log, wake: &Wake, away: &AwayReply) -> Result<()> {
    log.set_meta_json(OWED, away)?;
    wake.by(Date::now().as_millis() as f64);
    Ok(())
}

impl Conversation {
    /// Posts the away reply owed, if any.
    pub(super) async fn post_owed_away_reply(&self) -> Result<()> {
        let Some(away) = self.log.meta_json::<AwayReply>(OWED)? else {
            return Ok(());
        };
        let Some(identity) = self.log.identity()? else {
            return self.log.remove_meta(OWED);
        };
        let client_id = ClientId::parse(&format!("away-{}", away.absence)).ok_or("client id")?;
        // Both kinds name the same reply: a repeat after a lost step finds the first.
        for sender in [Auto::Away, Auto::AwayAsk] {
            if self.log.find(&sender.sender(), &client_id)?.is_some() {
                return self.log.remove_meta(OWED);
            }
        }
        let owner = &identity.owner;
        let kind = match crate::clients::visitor::reachable(&self.env, &owner.site, &owner.visitor)
            .await
        {
            Ok(false) => Auto::AwayAsk,
            Ok(true) => Auto::Away,
            // Not known: no ask, rather than asking someone already reachable.
            Err(error) => {
                console_error!("visitor's reach not known: {}", error.message);
                Auto::Away
            }
        };
        let posted = self.commit_as(
            &kind.sender(),
            Author::System,
            &client_id,
            &away.body,
            &[],
            None,
        );
        match posted {
            Ok(_) => self.log.remove_meta(OWED),
            // Kept, and tried again on a later alarm.
            Err(error) => {
                console_error!("away reply not posted: {}", error.message);
                self.wake.by(Date::now().as_millis() as f64 + RETRY_MS);
                Ok(())
            }
        }
    }
}
