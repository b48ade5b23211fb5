//! Proactive rules' counts: teasers shown per rule and day (the site's day), and which
//! rule started which conversation (shown in its row, counted as answered on its day).

use confab_protocol::proactive::{Counts, Started};
use confab_protocol::ConversationId;
use serde::Deserialize;
use worker::Result;

use super::Store;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS proactive_shown (
    rule  TEXT NOT NULL,
    day   INTEGER NOT NULL,
    shown INTEGER NOT NULL,
    PRIMARY KEY (rule, day)
);
CREATE TABLE IF NOT EXISTS proactive_starts (
    conversation TEXT PRIMARY KEY,
    rule         TEXT NOT NULL,
    started      TEXT NOT NULL,
    day          INTEGER NOT NULL
);";

#[derive(Deserialize)]
struct Count {
    rule: String,
    n: f64,
}

impl Store {
    pub fn count_shown(&self, rule: &str, day: u32) -> Result<()> {
        self.sql.exec(
            "INSERT INTO proactive_shown (rule, day, shown) VALUES (?, ?, 1)
             ON CONFLICT (rule, day) DO UPDATE SET shown = shown + 1",
            vec![rule.into(), (day as i64).into()],
        )?;
        Ok(())
    }

    /// Once per conversation: a later update of it changes nothing.
    pub fn keep_start(&self, id: &ConversationId, started: &Started, day: u32) -> Result<()> {
        self.sql.exec(
            "INSERT INTO proactive_starts (conversation, rule, started, day) VALUES (?, ?, ?, ?)
             ON CONFLICT (conversation) DO NOTHING",
            vec![
                id.as_str().into(),
                started.rule.as_str().into(),
                serde_json::to_string(started)?.into(),
                (day as i64).into(),
            ],
        )?;
        Ok(())
    }

    /// Each rule's teasers shown and conversations started from day `first` on.
    pub fn proactive_counts(&self, first: u32) -> Result<Vec<Counts>> {
        let load = |query: &str| -> Result<Vec<Count>> {
            self.sql
                .exec(query, vec![(first as i64).into()])?
                .to_array()
        };
        let shown =
            load("SELECT rule, SUM(shown) AS n FROM proactive_shown WHERE day >= ? GROUP BY rule")?;
        let answered =
            load("SELECT rule, COUNT(*) AS n FROM proactive_starts WHERE day >= ? GROUP BY rule")?;
        let pairs = |list: Vec<Count>| list.into_iter().map(|c| (c.rule, c.n as u32));
        Ok(confab_protocol::proactive::counts(
            pairs(shown),
            pairs(answered),
        ))
    }
}
