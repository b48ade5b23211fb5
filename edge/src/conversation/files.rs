//! Which files the thread's messages carry: kept beside the log, so the thread's room is
//! counted without R2, its messages are served with fresh signed links, and deleting the
//! thread knows what to delete.

use std::collections::HashMap;

use confab_protocol::attachments::check_room;
use confab_protocol::{ApiError, ErrorCode, Message};
use serde::Deserialize;
use worker::{Date, Result};

use super::log::Log;
use crate::files::Stored;
use crate::reply::internal;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS files (
    key      TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL,
    position INTEGER NOT NULL,
    size     INTEGER NOT NULL,
    stored   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_seq ON files (seq, position);";

#[derive(Deserialize)]
struct Row {
    seq: f64,
    stored: String,
}

#[derive(Deserialize)]
struct Total {
    total: Option<f64>,
}

impl Log {
    /// Refuses files the thread has no room for, or that a message carries already.
    pub(super) fn check_files(&self, files: &[Stored]) -> std::result::Result<(), ApiError> {
        let rows: Vec<Total> = self
            .sql
            .exec("SELECT SUM(size) AS total FROM files", None)
            .and_then(|c| c.to_array())
            .map_err(internal)?;
        let mut held = rows.first().and_then(|r| r.total).unwrap_or(0.0) as u64;
        for (n, file) in files.iter().enumerate() {
            check_room(file.size, n, held)?;
            held += file.size;
        }
        let marks = vec!["?"; files.len()].join(", ");
        let keys: Vec<worker::SqlStorageValue> = files.iter().map(|f| f.key().into()).collect();
        let sent: Vec<Total> = self
            .sql
            .exec(
                &format!("SELECT COUNT(*) AS total FROM files WHERE key IN ({marks})"),
                keys,
            )
            .and_then(|c| c.to_array())
            .map_err(internal)?;
        if sent.first().and_then(|r| r.total).unwrap_or(0.0) > 0.0 {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "this file was sent already: upload it again to send it again",
            ));
        }
        Ok(())
    }

    /// Records that the message `seq` carries `files`.
    pub(super) fn keep_files(&self, seq: u64, files: &[Stored]) -> Result<()> {
        for (position, file) in files.iter().enumerate() {
            let stored = serde_json::to_string(file).map_err(|e| e.to_string())?;
            self.sql.exec(
                "INSERT INTO files (key, seq, position, size, stored) VALUES (?, ?, ?, ?, ?)",
                vec![
                    file.key().into(),
                    (seq as i64).into(),
                    (position as i64).into(),
                    (file.size as i64).into(),
                    stored.into(),
                ],
            )?;
        }
        Ok(())
    }

    /// Gives `messages` (in `seq` order) their files, with links signed for now.
    pub(super) fn with_files(&self, messages: &mut [Message]) -> Result<()> {
        let (Some(first), Some(last)) = (messages.first(), messages.last()) else {
            return Ok(());
        };
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT seq, stored FROM files WHERE seq BETWEEN ? AND ? ORDER BY seq, position",
                vec![(first.seq as i64).into(), (last.seq as i64).into()],
            )?
            .to_array()?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut by_seq: HashMap<u64, Vec<Stored>> = HashMap::new();
        for row in rows {
            let stored: Stored = serde_json::from_str(&row.stored).map_err(|e| e.to_string())?;
            by_seq.entry(row.seq as u64).or_default().push(stored);
        }
        for message in messages {
            if let Some(files) = by_seq.remove(&message.seq) {
                message.files = self.shown(&files);
            }
        }
        Ok(())
    }

    /// `files` as the thread's visitor and agents are given them.
    pub(super) fn shown(&self, files: &[Stored]) -> Vec<confab_protocol::attachments::Attachment> {
        let now = Date::now().as_millis();
        files
            .iter()
            .map(|f| f.shown(&self.link_secret, now))
            .collect()
    }

    /// Every file the thread holds, to delete with it.
    pub(super) fn file_keys(&self) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Key {
            key: String,
        }
        let rows: Vec<Key> = self.sql.exec("SELECT key FROM files", None)?.to_array()?;
        Ok(rows.into_iter().map(|r| r.key).collect())
    }
}

/// What the inbox and the visitor's list show of a message of files only.
pub(super) fn preview(files: &[Stored]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    format!("📎 {}", names.join(", "))
}
