//! Which agents have had which conversations open, so removing an agent closes every
//! socket they hold.

use confab_protocol::{AgentId, ConversationId};
use worker::Result;

use super::Store;

impl Store {
    pub fn watch(&self, agent: &AgentId, conversation: &ConversationId) -> Result<()> {
        self.sql.exec(
            "INSERT OR IGNORE INTO watchers (agent, conversation) VALUES (?, ?)",
            vec![agent.as_str().into(), conversation.as_str().into()],
        )?;
        Ok(())
    }

    /// The conversations `agent` has had open.
    pub fn watched(&self, agent: &AgentId) -> Result<Vec<ConversationId>> {
        self.ids(
            "SELECT conversation AS id FROM watchers WHERE agent = ?",
            vec![agent.as_str().into()],
        )
    }

    pub fn forget_watched(&self, agent: &AgentId) -> Result<()> {
        self.sql.exec(
            "DELETE FROM watchers WHERE agent = ?",
            vec![agent.as_str().into()],
        )?;
        Ok(())
    }
}
