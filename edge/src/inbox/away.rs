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

    /// The away reply `update` is to post, if one is due (`landed`: how it landed, `None`
    /// for a repeat). Kept as sent in this absence, for the visitor's message it answers:
    /// the same update again (its answer was lost) gets the same reply again, which the
    /// conversation posts once, under the absence's name. A failure here costs the reply,
    /// never the update.
    pub(super) async fn away_reply(
        &self,
        update: &ConversationUpdate,
        landed: Option<Landing>,
    ) -> Option<AwayReply> {
        match self.away_reply_due(update, landed).await {
            Ok(reply) => reply,
            Err(error) => {
                worker::console_error!("no away reply: {}", error.message);
                None
            }
        }
    }

    async fn away_reply_due(
        &self,
        update: &ConversationUpdate,
        landed: Option<Landing>,
    ) -> Result<Option<AwayReply>, ApiError> {
        // Most updates are an agent's reply or a read: nothing to answer, nothing read.
        if landed.is_some_and(|l| !l.visitor_wrote) {
            return Ok(None);
        }
        let replied = self
            .store
            .away_replied_in(&update.conversation)
            .map_err(internal)?;
        // A repeat is answered again only when it is the update a reply answered.
        if landed.is_none() && replied.is_none_or(|(_, seq)| seq != update.visitor_last_seq) {
            return Ok(None);
        }
        let facts = self.facts()?;
        // The stored presence follows the live one (consoles opened before it was kept).
        let stored = self.store.absence().map_err(internal)?;
        let absence = stored.after(facts.agents_online, now_ms());
        if absence != stored {
            self.store.set_absence(&absence).map_err(internal)?;
        }
        let again = landed.is_none() && replied == Some((absence.since, update.visitor_last_seq));
        let due = landed.is_some_and(|l| l.visitor_wrote)
            && absence.reply_due(&facts.availability(), replied.map(|(absence, _)| absence));
        if !(again || due) {
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
            .away_replied(&update.conversation, absence.since, update.visitor_last_seq)
            .map_err(internal)?;
        Ok(Some(AwayReply {
            body,
            absence: absence.since,
        }))
    }
}
