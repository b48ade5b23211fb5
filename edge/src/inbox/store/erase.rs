//! A removed site's recent conversations, whose widgets are told to leave; and deleting
//! the site's data: the inbox remembers it is erasing (an alarm takes it on
//! batch by batch, so a long list survives restarts), hands out its conversations a batch
//! at a time, and forgets each one only once it is gone.

use confab_protocol::{ConversationId, VisitorId};
use serde::Deserialize;
use worker::Result;

use super::Store;

#[derive(Deserialize)]
struct Pair {
    id: String,
    visitor: String,
}

impl Store {
    /// Up to `limit` conversations changed since `since_ms`, newest first.
    pub fn recent(&self, since_ms: u64, limit: usize) -> Result<Vec<ConversationId>> {
        let rows: Vec<Pair> = self
            .sql
            .exec(
                "SELECT id, visitor FROM conversations WHERE updated_at >= ?
                 ORDER BY updated_at DESC LIMIT ?",
                vec![(since_ms as i64).into(), (limit as i64).into()],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|p| ConversationId::parse(&p.id))
            .collect())
    }

    pub fn erasing(&self) -> Result<bool> {
        Ok(self.settings.get("erasing")?.is_some())
    }

    pub fn start_erasing(&self) -> Result<()> {
        self.settings.set("erasing", "1")
    }

    /// Up to `limit` conversations still to delete, with their visitors.
    pub fn to_erase(&self, limit: usize) -> Result<Vec<(ConversationId, VisitorId)>> {
        let rows: Vec<Pair> = self
            .sql
            .exec(
                "SELECT id, visitor FROM conversations LIMIT ?",
                vec![(limit as i64).into()],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|p| Some((ConversationId::parse(&p.id)?, VisitorId::parse(&p.visitor)?)))
            .collect())
    }

    /// The tables again, empty, after the object's storage was deleted: a request that
    /// still reaches this object finds an empty inbox, not missing tables.
    pub fn recreate(&self) -> Result<()> {
        super::create_tables(&self.sql)?;
        self.settings.recreate()
    }

    pub fn erased(&self, id: &ConversationId) -> Result<()> {
        self.sql.exec(
            "DELETE FROM texts WHERE conversation = ?",
            vec![id.as_str().into()],
        )?;
        self.sql.exec(
            "DELETE FROM conversations WHERE id = ?",
            vec![id.as_str().into()],
        )?;
        for table in ["facts", "away_replies", "ratings", "proactive_starts"] {
            self.sql.exec(
                &format!("DELETE FROM {table} WHERE conversation = ?"),
                vec![id.as_str().into()],
            )?;
        }
        Ok(())
    }
}
