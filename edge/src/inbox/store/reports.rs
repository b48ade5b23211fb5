//! The facts reports are drawn from, one row per conversation, kept as the conversation
//! changes (`confab_protocol::console::reports`): a report reads the rows of its range.

use confab_protocol::console::reports::{Facts, LocalTime};
use confab_protocol::rating::Score;
use confab_protocol::ConversationId;
use serde::Deserialize;
use worker::Result;

use super::{opt_int, Store};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS facts (
    conversation     TEXT PRIMARY KEY,
    started_at       INTEGER NOT NULL,
    day              INTEGER NOT NULL,
    weekday          INTEGER NOT NULL,
    hour             INTEGER NOT NULL,
    first_reply_at   INTEGER,
    replied_in_hours INTEGER NOT NULL DEFAULT 0,
    resolved_at      INTEGER
);
CREATE INDEX IF NOT EXISTS facts_by_day ON facts (day);";

#[derive(Deserialize)]
struct Row {
    started_at: f64,
    day: f64,
    weekday: f64,
    hour: f64,
    first_reply_at: Option<f64>,
    replied_in_hours: f64,
    resolved_at: Option<f64>,
    score: Option<String>,
}

/// What the inbox knows already of a conversation's facts.
pub enum Known {
    Nothing,
    Started,
    Answered,
}

impl Store {
    pub fn facts_known(&self, id: &ConversationId) -> Result<Known> {
        #[derive(Deserialize)]
        struct Answered {
            answered: f64,
        }
        let rows: Vec<Answered> = self
            .sql
            .exec(
                "SELECT first_reply_at IS NOT NULL AS answered FROM facts WHERE conversation = ?",
                vec![id.as_str().into()],
            )?
            .to_array()?;
        Ok(match rows.first() {
            None => Known::Nothing,
            Some(row) if row.answered > 0.0 => Known::Answered,
            Some(_) => Known::Started,
        })
    }

    pub fn add_facts(&self, id: &ConversationId, started_at: u64, local: LocalTime) -> Result<()> {
        self.sql.exec(
            "INSERT OR IGNORE INTO facts (conversation, started_at, day, weekday, hour)
             VALUES (?, ?, ?, ?, ?)",
            vec![
                id.as_str().into(),
                (started_at as i64).into(),
                i64::from(local.day).into(),
                i64::from(local.weekday).into(),
                i64::from(local.hour).into(),
            ],
        )?;
        Ok(())
    }

    /// The team's first reply, once.
    pub fn answered(&self, id: &ConversationId, at: u64, in_hours: bool) -> Result<()> {
        self.sql.exec(
            "UPDATE facts SET first_reply_at = ?, replied_in_hours = ?
             WHERE conversation = ? AND first_reply_at IS NULL",
            vec![
                (at as i64).into(),
                i64::from(in_hours).into(),
                id.as_str().into(),
            ],
        )?;
        Ok(())
    }

    /// Resolved at `at`, or (`None`) open again.
    pub fn resolved(&self, id: &ConversationId, at: Option<u64>) -> Result<()> {
        self.sql.exec(
            "UPDATE facts SET resolved_at = ? WHERE conversation = ?",
            vec![opt_int(at), id.as_str().into()],
        )?;
        Ok(())
    }

    /// The facts of conversations started from site day `first` on.
    pub fn facts_since(&self, first: u32) -> Result<Vec<Facts>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT started_at, day, weekday, hour, first_reply_at, replied_in_hours,
                        resolved_at, ratings.score AS score
                 FROM facts LEFT JOIN ratings ON ratings.conversation = facts.conversation
                 WHERE day >= ?",
                vec![i64::from(first).into()],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| Facts {
                started_at: r.started_at as u64,
                local: LocalTime {
                    day: r.day as u32,
                    weekday: r.weekday as u8,
                    hour: r.hour as u8,
                },
                first_reply_at: r.first_reply_at.map(|t| t as u64),
                replied_in_hours: r.replied_in_hours > 0.0,
                resolved_at: r.resolved_at.map(|t| t as u64),
                rating: r.score.as_deref().and_then(Score::parse),
            })
            .collect())
    }
}
