//! Each conversation's rating as its last update brought it: shown in the inbox's rows
//! (read with them) and counted in reports by the conversation's start day.

use confab_protocol::rating::Rating;
use confab_protocol::ConversationId;
use worker::Result;

use super::Store;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ratings (
    conversation TEXT PRIMARY KEY,
    score        TEXT NOT NULL,
    rating       TEXT NOT NULL
);";

impl Store {
    pub fn keep_rating(&self, id: &ConversationId, rating: &Rating) -> Result<()> {
        self.sql.exec(
            "INSERT INTO ratings (conversation, score, rating) VALUES (?, ?, ?)
             ON CONFLICT (conversation) DO UPDATE SET
                score = excluded.score, rating = excluded.rating",
            vec![
                id.as_str().into(),
                rating.score.as_str().into(),
                serde_json::to_string(rating)?.into(),
            ],
        )?;
        Ok(())
    }
}
