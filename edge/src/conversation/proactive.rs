//! A thread that answers a proactive teaser opens with the rule's message
//! (`confab_protocol::proactive`), posted by the team's side before the visitor's first
//! message, and remembers which rule started it: agents see it, and reports count it.

use confab_protocol::{ApiError, Author, Auto, ClientId};

use super::Conversation;
use crate::clients::conversation::Opening;
use crate::reply::internal;

/// The meta key of the rule that started the thread.
pub const KEY: &str = "proactive";

impl Conversation {
    /// Posts the rule's message once (its client id names the rule: a resent first
    /// message finds it), and records the rule.
    pub(super) fn open_with(&self, opening: &Opening) -> std::result::Result<(), ApiError> {
        let client_id = ClientId::parse(&format!("proactive-{}", opening.started.rule))
            .ok_or_else(|| ApiError::invalid("proactive.rule", "is not a rule's id"))?;
        self.commit_as(
            &Auto::Proactive.sender(),
            Author::System,
            &client_id,
            &opening.body,
            &[],
            None,
        )?;
        self.log
            .set_meta_json(KEY, &opening.started)
            .map_err(internal)
    }
}
