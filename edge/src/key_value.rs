//! A `key → value` text table in an object's SQLite database: the inbox's settings, a
//! visitor's profile.

use serde::Deserialize;
use worker::{Result, SqlStorage};

#[derive(Deserialize)]
struct ValueRow {
    value: String,
}

pub struct KeyValue {
    sql: SqlStorage,
    table: &'static str,
}

impl KeyValue {
    /// The table `table`, created if missing.
    pub fn open(sql: SqlStorage, table: &'static str) -> Result<Self> {
        sql.exec(
            &format!(
                "CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            ),
            None,
        )?;
        Ok(KeyValue { sql, table })
    }

    /// The table again, after the object's storage was deleted.
    pub fn recreate(&self) -> Result<()> {
        Self::open(self.sql.clone(), self.table).map(|_| ())
    }

    pub fn get(&self, key: &str) -> Result<Option<String>> {
        let rows: Vec<ValueRow> = self
            .sql
            .exec(
                &format!("SELECT value FROM {} WHERE key = ?", self.table),
                vec![key.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|row| row.value))
    }

    pub fn set(&self, key: &str, value: &str) -> Result<()> {
        self.sql.exec(
            &format!(
                "INSERT INTO {} (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                self.table
            ),
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }

    /// The value of `key` read as JSON; `None` when absent or no longer of type `T`.
    pub fn get_json<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        Ok(self.get(key)?.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub fn set_json<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<()> {
        self.set(key, &serde_json::to_string(value)?)
    }

    pub fn remove(&self, key: &str) -> Result<()> {
        self.sql.exec(
            &format!("DELETE FROM {} WHERE key = ?", self.table),
            vec![key.into()],
        )?;
        Ok(())
    }
}
