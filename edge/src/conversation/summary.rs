//! The thread's summary for the inbox (`confab_protocol::console::summary`), loaded from
//! the log's tables once per wake of the object and then kept as messages commit and
//! agents read, so the sync after each message reads nothing back.

use confab_protocol::console::summary::{Last, Summary};
use confab_protocol::Author;
use serde::Deserialize;
use worker::Result;

use super::log::Log;

#[derive(Deserialize)]
struct Times {
    last_seq: Option<f64>,
    started_at: Option<f64>,
    visitor_last_seq: Option<f64>,
    first_reply_at: Option<f64>,
    agents_read: Option<f64>,
}

#[derive(Deserialize)]
struct LastRow {
    seq: f64,
    author: String,
    body: String,
    sent_at: f64,
}

#[derive(Deserialize)]
struct Seq {
    seq: f64,
}

impl Log {
    /// Reads the summary, loading it first if this wake has not yet.
    pub fn with_summary<R>(&self, read: impl FnOnce(&Summary) -> R) -> Result<R> {
        if self.summary.borrow().is_none() {
            let loaded = self.load_summary()?;
            *self.summary.borrow_mut() = Some(loaded);
        }
        let summary = self.summary.borrow();
        Ok(read(summary.as_ref().expect("loaded above")))
    }

    /// A committed message joins the summary (loaded before the commit took its `seq`).
    pub(super) fn summarise(&self, last: Last) {
        if let Some(summary) = self.summary.borrow_mut().as_mut() {
            summary.message(last);
        }
    }

    /// Agents have read up to `seq`.
    pub(super) fn summary_read(&self, seq: u64) {
        if let Some(summary) = self.summary.borrow_mut().as_mut() {
            summary.agents_read(seq);
        }
    }

    fn load_summary(&self) -> Result<Summary> {
        let times: Times = self
            .sql
            .exec(
                "SELECT (SELECT MAX(seq) FROM messages) AS last_seq,
                    (SELECT sent_at FROM messages WHERE seq = 1) AS started_at,
                    (SELECT MAX(seq) FROM messages WHERE author = 'visitor') AS visitor_last_seq,
                    (SELECT MIN(sent_at) FROM messages WHERE author = 'agent') AS first_reply_at,
                    (SELECT seq FROM reads WHERE side = 'agent') AS agents_read",
                None,
            )?
            .one()?;
        let last: Option<LastRow> = self
            .sql
            .exec(
                "SELECT seq, author, body, sent_at FROM messages WHERE author != 'system'
                 ORDER BY seq DESC LIMIT 1",
                None,
            )?
            .to_array::<LastRow>()?
            .into_iter()
            .next();
        let agents_read = times.agents_read.unwrap_or(0.0) as u64;
        let unread: Vec<u64> = self
            .sql
            .exec(
                "SELECT seq FROM messages WHERE author = 'visitor' AND seq > ? ORDER BY seq",
                vec![(agents_read as i64).into()],
            )?
            .to_array::<Seq>()?
            .into_iter()
            .map(|row| row.seq as u64)
            .collect();
        let last = last.as_ref().map(|row| Last {
            seq: row.seq as u64,
            author: Author::parse(&row.author).unwrap_or(Author::System),
            body: &row.body,
            sent_at: row.sent_at as u64,
        });
        Ok(Summary::loaded(
            last,
            times.last_seq.unwrap_or(0.0) as u64,
            times.started_at.map(|t| t as u64),
            times.first_reply_at.map(|t| t as u64),
            times.visitor_last_seq.unwrap_or(0.0) as u64,
            agents_read,
            unread,
        ))
    }
}
