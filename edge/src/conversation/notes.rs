//! Internal notes: the agents' side channel in a thread. They live in their own table, so
//! nothing that reads the visitor's messages can ever return one.

use confab_protocol::console::Note;
use confab_protocol::{AgentId, ClientId};
use serde::Deserialize;
use worker::{Date, Result, SqlStorage};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS notes (
    id        INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL,
    agent     TEXT NOT NULL,
    body      TEXT NOT NULL,
    after_seq INTEGER NOT NULL,
    sent_at   INTEGER NOT NULL,
    UNIQUE (agent, client_id)
);";

/// Most notes sent to an agent's socket when it says hello.
const NOTES_LIMIT: i64 = 500;

#[derive(Deserialize)]
struct Row {
    id: f64,
    client_id: String,
    agent: String,
    body: String,
    after_seq: f64,
    sent_at: f64,
}

impl Row {
    fn into_note(self) -> Option<Note> {
        Some(Note {
            id: self.id as u64,
            client_id: ClientId::parse(&self.client_id)?,
            agent: AgentId::parse(&self.agent)?,
            body: self.body,
            after_seq: self.after_seq as u64,
            sent_at: self.sent_at as u64,
        })
    }
}

const COLUMNS: &str = "id, client_id, agent, body, after_seq, sent_at";

pub struct Notes {
    sql: SqlStorage,
}

impl Notes {
    pub fn open(sql: SqlStorage) -> Result<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(Notes { sql })
    }

    fn select(&self, clause: &str, args: Vec<worker::SqlStorageValue>) -> Result<Vec<Note>> {
        let rows: Vec<Row> = self
            .sql
            .exec(&format!("SELECT {COLUMNS} FROM notes {clause}"), args)?
            .to_array()?;
        Ok(rows.into_iter().filter_map(Row::into_note).collect())
    }

    /// Stores a note, or returns the one already stored under the same client id; the
    /// flag says whether this call stored it.
    pub fn add(
        &self,
        agent: &AgentId,
        client_id: &ClientId,
        body: &str,
        after_seq: u64,
    ) -> Result<(Note, bool)> {
        let existing = self.select(
            "WHERE agent = ? AND client_id = ?",
            vec![agent.as_str().into(), client_id.as_str().into()],
        )?;
        if let Some(note) = existing.into_iter().next() {
            return Ok((note, false));
        }
        let now = Date::now().as_millis() as i64;
        let added = self.select_inserted(agent, client_id, body, after_seq, now)?;
        Ok((added, true))
    }

    fn select_inserted(
        &self,
        agent: &AgentId,
        client_id: &ClientId,
        body: &str,
        after_seq: u64,
        now: i64,
    ) -> Result<Note> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                &format!(
                    "INSERT INTO notes (client_id, agent, body, after_seq, sent_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING {COLUMNS}"
                ),
                vec![
                    client_id.as_str().into(),
                    agent.as_str().into(),
                    body.into(),
                    (after_seq as i64).into(),
                    now.into(),
                ],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .and_then(Row::into_note)
            .ok_or_else(|| "note not stored".into())
    }

    /// The most recent notes, oldest first.
    pub fn recent(&self) -> Result<Vec<Note>> {
        let mut notes = self.select("ORDER BY id DESC LIMIT ?", vec![NOTES_LIMIT.into()])?;
        notes.reverse();
        Ok(notes)
    }
}
