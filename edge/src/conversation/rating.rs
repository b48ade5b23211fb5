//! Ratings (`confab_protocol::rating`): agents resolving the thread ask the visitor in it,
//! in their language; the visitor's answer is kept in `meta` and carried to the inbox (its
//! rows, which consoles see live, and its reports) by the next sync.

use confab_protocol::rating::{self, Rating, RatingState, Score};
use confab_protocol::{Author, Auto, ClientId, ConversationId};
use worker::Date;

use super::Conversation;
use crate::clients::conversation::{Caller, Owner};
use crate::reply::{self, internal, Reply};

/// The rating, in `meta`.
pub(super) const KEY: &str = "rating";
/// Set once the thread has asked.
const ASKED: &str = "rating_asked";

impl Conversation {
    /// Agents resolved the thread: unless the visitor rated it already, or the thread's
    /// last message asks already, it asks them.
    pub(super) fn ask_rating(&self) -> Reply {
        self.check_exists()?;
        let rated = self.log.meta(KEY).map_err(internal)?.is_some();
        let last = self.log.page(None, None, 1).map_err(internal)?.pop();
        let asking = last.as_ref().is_some_and(|m| m.auto == Some(Auto::Rating));
        if !rated && !asking {
            let lang = self.log.context().map_err(internal)?.lang;
            let file = crate::texts::file(&lang);
            let ask = file["rate_ask"]
                .as_str()
                .unwrap_or("How was this conversation?");
            // Named by where it asks: resolving again later asks again, once.
            let after = last.map_or(0, |m| m.seq);
            let client_id = ClientId::parse(&format!("rating-{after}")).ok_or_else(|| {
                confab_protocol::ApiError::new(confab_protocol::ErrorCode::Internal, "client id")
            })?;
            let sender = Auto::Rating.sender();
            self.commit_as(&sender, Author::System, &client_id, ask, &[], None)?;
            // Only once it is there to answer.
            self.log.set_meta(&[(ASKED, "1")]).map_err(internal)?;
        }
        reply::json(200, &serde_json::json!({}))
    }

    /// Whether the visitor was asked, and their rating.
    pub(super) fn rating_state(&self, owner: &Owner, conversation: &ConversationId) -> Reply {
        self.check_visitor(owner, conversation, None)?;
        reply::json(200, &self.current_rating()?)
    }

    /// The visitor rates, or changes their rating.
    pub(super) fn visitor_rates(
        &self,
        owner: Owner,
        conversation: &ConversationId,
        score: Score,
        comment: Option<String>,
    ) -> Reply {
        self.check_visitor(&owner, conversation, None)?;
        let state = self.current_rating()?;
        let now = Date::now().as_millis();
        let rating = rating::rate(
            state.asked,
            state.rating.as_ref(),
            score,
            comment.as_deref(),
            now,
        )?;
        self.within_rate(&Caller::Visitor(owner).sender_key())?;
        self.log.set_meta_json(KEY, &rating).map_err(internal)?;
        // Agents see it with the inbox's row, which the sync brings.
        self.sync.changed(&self.state);
        reply::json(200, &RatingState::new(true, Some(rating)))
    }

    fn current_rating(&self) -> Result<RatingState, confab_protocol::ApiError> {
        let asked = self.log.meta(ASKED).map_err(internal)?.is_some();
        let rating: Option<Rating> = self.log.meta_json(KEY).map_err(internal)?;
        Ok(RatingState::new(asked, rating))
    }
}
