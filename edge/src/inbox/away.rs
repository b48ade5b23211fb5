//! Away replies (`confab_protocol::away`): the team's presence, as it changes, names each
//! absence; an update that brings a visitor's message while nobody is online is answered
//! with the away reply for its conversation to post, once per absence.

use confab_protocol::console::landing::Landing;
use confab_protocol::ApiError;
use worker::WebSocket;

use super::{live, now_ms, Inbox};
use crate::clients::inbox::{AwayReply, ConversationUpdate};
use crate::reply::internal;

impl Inbox {
    /// A console opened, closed or went away (or back): every console hears the team's
    /// presence, and the last agent leaving starts an absence.
    pub(super) fn presence_changed(&self, closing: Option<&WebSocket>) {
        let online = live::broadcast_presence(&self.state, closing);
        let kept = self.store.absence().and_then(|absence| {
            let next = absence.after(online, now_ms());
            match next == absence {
                true => Ok(()),
                false => self.store.set_absence(&next),
            }
        });
        if let Err(error) = kept {
            worker::console_error!("presence not kept: {error}");
        }
    }

    /// The away reply `update` is to post, if one is due; kept as sent in this absence
    /// (the conversation posts it under a name of the absence's, so once).
    pub(super) async fn away_reply(
        &self,
        update: &ConversationUpdate,
        landing: Landing,
    ) -> Result<Option<AwayReply>, ApiError> {
        if !landing.visitor_wrote {
            return Ok(None);
        }
        // The site's owner may have turned them off (read from this isolate's copy).
        let sites = crate::sites::all(&self.env).await?;
        if sites
            .get(&update.site)
            .is_some_and(|s| !s.settings.away_replies)
        {
            return Ok(None);
        }
        let facts = self.facts()?;
        let absence = self.store.absence().map_err(internal)?;
        let replied_in = self
            .store
            .away_replied_in(&update.conversation)
            .map_err(internal)?;
        if !absence.reply_due(&facts.availability(), replied_in) {
            return Ok(None);
        }
        let context = &update.context;
        let lang = crate::texts::language_of(&context.lang);
        let words = self.store.words().map_err(internal)?;
        let zone = match context.time_zone.as_str() {
            "" => "UTC",
            zone => zone,
        };
        let Some(body) =
            crate::team_words::away_reply(&facts, words.get(lang), &context.lang, zone)
        else {
            return Ok(None);
        };
        self.store
            .away_replied(&update.conversation, absence.since)
            .map_err(internal)?;
        Ok(Some(AwayReply {
            body,
            absence: absence.since,
        }))
    }
}
