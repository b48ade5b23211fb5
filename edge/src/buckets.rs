//! Token buckets kept in an object's SQLite storage, so that neither eviction nor a
//! restart gives a caller a fresh allowance. A bucket is kept only until it is full
//! again: the table holds the callers being slowed down, nobody else.

use confab_protocol::rate::{Bucket, Rate};
use worker::SqlStorage;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS buckets (
    key TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    last_ms REAL NOT NULL,
    full_at_ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS buckets_full_at ON buckets (full_at_ms);
";

pub struct Buckets {
    sql: SqlStorage,
}

#[derive(serde::Deserialize)]
struct Row {
    tokens: f64,
    last_ms: f64,
}

impl Buckets {
    pub fn open(sql: SqlStorage) -> worker::Result<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(Buckets { sql })
    }

    fn load(&self, key: &str, rate: Rate, now_ms: f64) -> worker::Result<Bucket> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT tokens, last_ms FROM buckets WHERE key = ?",
                vec![key.into()],
            )?
            .to_array()?;
        Ok(rows.first().map_or_else(
            || Bucket::new(rate, now_ms),
            |r| Bucket::from_parts(r.tokens, r.last_ms),
        ))
    }

    /// Whether `key` could take a token now (`Err` is the wait in ms), taking nothing.
    pub fn peek(&self, key: &str, rate: Rate, now_ms: f64) -> worker::Result<Result<(), u64>> {
        Ok(self.load(key, rate, now_ms)?.peek(rate, now_ms))
    }

    /// Takes a token for `key` (`Err` is the wait in ms), and forgets buckets that are
    /// full again.
    pub fn take(&self, key: &str, rate: Rate, now_ms: f64) -> worker::Result<Result<(), u64>> {
        let mut bucket = self.load(key, rate, now_ms)?;
        let taken = bucket.take(rate, now_ms);
        self.sql.exec(
            "DELETE FROM buckets WHERE full_at_ms < ?",
            vec![now_ms.into()],
        )?;
        self.sql.exec(
            "INSERT INTO buckets (key, tokens, last_ms, full_at_ms) VALUES (?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens,
                 last_ms = excluded.last_ms, full_at_ms = excluded.full_at_ms",
            vec![
                key.into(),
                bucket.tokens().into(),
                bucket.last_ms().into(),
                bucket.full_at_ms(rate).into(),
            ],
        )?;
        Ok(taken)
    }
}
