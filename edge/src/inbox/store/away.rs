//! What the away reply needs kept: the team's presence as it last changed (which names
//! the absence), and per conversation the absence its last away reply answered.

use confab_protocol::away::Absence;
use confab_protocol::ConversationId;
use serde::Deserialize;
use worker::Result;

use super::Store;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS away_replies (
    conversation TEXT PRIMARY KEY,
    absence      INTEGER NOT NULL,
    visitor_seq  INTEGER NOT NULL
);";

impl Store {
    pub fn absence(&self) -> Result<Absence> {
        Ok(self.settings.get_json("absence")?.unwrap_or_default())
    }

    pub fn set_absence(&self, absence: &Absence) -> Result<()> {
        self.settings.set_json("absence", absence)
    }

    /// The absence the conversation's last away reply answered, and the `seq` of the
    /// visitor's message it answered, if it had one.
    pub fn away_replied_in(&self, id: &ConversationId) -> Result<Option<(u64, u64)>> {
        #[derive(Deserialize)]
        struct Replied {
            absence: f64,
            visitor_seq: f64,
        }
        let rows: Vec<Replied> = self
            .sql
            .exec(
                "SELECT absence, visitor_seq FROM away_replies WHERE conversation = ?",
                vec![id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows
            .first()
            .map(|r| (r.absence as u64, r.visitor_seq as u64)))
    }

    pub fn away_replied(&self, id: &ConversationId, absence: u64, visitor_seq: u64) -> Result<()> {
        self.sql.exec(
            "INSERT INTO away_replies (conversation, absence, visitor_seq) VALUES (?, ?, ?)
             ON CONFLICT (conversation) DO UPDATE SET
                absence = excluded.absence, visitor_seq = excluded.visitor_seq",
            vec![
                id.as_str().into(),
                (absence as i64).into(),
                (visitor_seq as i64).into(),
            ],
        )?;
        Ok(())
    }
}
