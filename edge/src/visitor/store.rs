//! One visitor's records in their object's SQLite database: device sessions, threads,
//! profile (identity, email, where they were merged to), emailed sign-in links and the
//! devices' push subscriptions.

use confab_protocol::identity::VerifiedUser;
use confab_protocol::visitor::Device;
use confab_protocol::{ConversationId, SessionId};
use confab_push::Subscription;
use serde::Deserialize;
use worker::{Result, SqlStorage};

use crate::key_value::KeyValue;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id           TEXT PRIMARY KEY,
    browser      TEXT NOT NULL,
    signed_in_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS conversations (
    id       TEXT PRIMARY KEY,
    added_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS links (
    digest     TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    session  TEXT NOT NULL,
    p256dh   TEXT NOT NULL,
    auth     TEXT NOT NULL
);";

/// Most push subscriptions one session may hold (a browser has one; more are stale).
const SUBSCRIPTIONS_PER_SESSION: i64 = 3;

/// A session's last sighting is written at most this often, not on every request.
const LAST_SEEN_EVERY_MS: u64 = 60_000;

#[derive(Deserialize)]
struct SessionRow {
    last_seen_at: f64,
    revoked: i64,
}

#[derive(Deserialize)]
struct DeviceRow {
    id: String,
    browser: String,
    signed_in_at: f64,
    last_seen_at: f64,
    push: f64,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Deserialize)]
struct CountRow {
    n: f64,
}

pub struct Store {
    sql: SqlStorage,
    profile: KeyValue,
}

/// What a session check found.
pub enum SessionState {
    Live,
    /// Signed out, or never started here.
    Gone,
}

impl Store {
    pub fn open(sql: SqlStorage) -> Result<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(Store {
            profile: KeyValue::open(sql.clone(), "profile")?,
            sql,
        })
    }

    pub fn add_session(&self, session: &SessionId, browser: &str, now: u64) -> Result<()> {
        self.sql.exec(
            "INSERT OR IGNORE INTO sessions (id, browser, signed_in_at, last_seen_at)
             VALUES (?, ?, ?, ?)",
            vec![
                session.as_str().into(),
                browser.into(),
                (now as i64).into(),
                (now as i64).into(),
            ],
        )?;
        Ok(())
    }

    /// Whether `session` may act, noting that it was seen.
    pub fn touch(&self, session: &SessionId, now: u64) -> Result<SessionState> {
        let rows: Vec<SessionRow> = self
            .sql
            .exec(
                "SELECT last_seen_at, revoked FROM sessions WHERE id = ?",
                vec![session.as_str().into()],
            )?
            .to_array()?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(SessionState::Gone);
        };
        if row.revoked != 0 {
            return Ok(SessionState::Gone);
        }
        if now.saturating_sub(row.last_seen_at as u64) >= LAST_SEEN_EVERY_MS {
            self.sql.exec(
                "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                vec![(now as i64).into(), session.as_str().into()],
            )?;
        }
        Ok(SessionState::Live)
    }

    /// Signed-in devices, newest first, `current` marked.
    pub fn devices(&self, current: &SessionId) -> Result<Vec<Device>> {
        let rows: Vec<DeviceRow> = self
            .sql
            .exec(
                "SELECT id, browser, signed_in_at, last_seen_at,
                    EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.session = s.id) AS push
                 FROM sessions s WHERE revoked = 0 ORDER BY last_seen_at DESC LIMIT 50",
                None,
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let session = SessionId::parse(&row.id)?;
                Some(Device {
                    current: &session == current,
                    session,
                    browser: row.browser,
                    signed_in_at: row.signed_in_at as u64,
                    last_seen_at: row.last_seen_at as u64,
                    push: row.push != 0.0,
                })
            })
            .collect())
    }

    /// Signs out `sessions` (all live ones when `None`) and returns those it signed out.
    pub fn revoke(&self, sessions: Option<&[SessionId]>) -> Result<Vec<SessionId>> {
        let live: Vec<IdRow> = self
            .sql
            .exec("SELECT id FROM sessions WHERE revoked = 0", None)?
            .to_array()?;
        let chosen: Vec<SessionId> = live
            .into_iter()
            .filter_map(|row| SessionId::parse(&row.id))
            .filter(|id| sessions.is_none_or(|wanted| wanted.contains(id)))
            .collect();
        for id in &chosen {
            self.sql.exec(
                "UPDATE sessions SET revoked = 1 WHERE id = ?",
                vec![id.as_str().into()],
            )?;
            self.sql.exec(
                "DELETE FROM push_subscriptions WHERE session = ?",
                vec![id.as_str().into()],
            )?;
        }
        Ok(chosen)
    }

    pub fn add_conversations(&self, ids: &[ConversationId], now: u64) -> Result<()> {
        for id in ids {
            self.sql.exec(
                "INSERT OR IGNORE INTO conversations (id, added_at) VALUES (?, ?)",
                vec![id.as_str().into(), (now as i64).into()],
            )?;
        }
        Ok(())
    }

    /// Whether thread `id` is in the visitor's list.
    pub fn lists(&self, id: &ConversationId) -> Result<bool> {
        let rows: Vec<IdRow> = self
            .sql
            .exec(
                "SELECT id FROM conversations WHERE id = ?",
                vec![id.as_str().into()],
            )?
            .to_array()?;
        Ok(!rows.is_empty())
    }

    /// The visitor's threads, newest first.
    pub fn conversations(&self, limit: usize) -> Result<Vec<ConversationId>> {
        let rows: Vec<IdRow> = self
            .sql
            .exec(
                "SELECT id FROM conversations ORDER BY added_at DESC, id LIMIT ?",
                vec![(limit as i64).into()],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|row| ConversationId::parse(&row.id))
            .collect())
    }

    pub fn get(&self, key: &str) -> Result<Option<String>> {
        self.profile.get(key)
    }

    pub fn set(&self, key: &str, value: &str) -> Result<()> {
        self.profile.set(key, value)
    }

    /// Records what the host site vouched for; the user id never changes once set.
    pub fn set_user(&self, user: &VerifiedUser) -> Result<()> {
        if self.get("user_id")?.is_none() {
            self.set("user_id", &user.user_id)?;
        }
        if let Some(email) = &user.email {
            self.set("email", email)?;
        }
        if let Some(name) = &user.name {
            self.set("name", name)?;
        }
        Ok(())
    }

    pub fn add_link(&self, digest: &str, expires_at: u64) -> Result<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO links (digest, expires_at) VALUES (?, ?)",
            vec![digest.into(), (expires_at as i64).into()],
        )?;
        Ok(())
    }

    /// Whether an emailed link with this digest is still valid at `now`.
    pub fn link_valid(&self, digest: &str, now: u64) -> Result<bool> {
        let rows: Vec<CountRow> = self
            .sql
            .exec(
                "SELECT COUNT(*) AS n FROM links WHERE digest = ? AND expires_at > ?",
                vec![digest.into(), (now as i64).into()],
            )?
            .to_array()?;
        Ok(rows.first().is_some_and(|row| row.n > 0.0))
    }

    /// Signing out everywhere also voids the links in the visitor's mailbox.
    pub fn forget_links(&self) -> Result<()> {
        self.sql.exec("DELETE FROM links", None)?;
        Ok(())
    }

    /// Keeps `session`'s push subscription (the same endpoint again replaces its keys),
    /// dropping the session's oldest beyond a few.
    pub fn subscribe(&self, session: &SessionId, subscription: &Subscription) -> Result<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO push_subscriptions (endpoint, session, p256dh, auth)
             VALUES (?, ?, ?, ?)",
            vec![
                subscription.endpoint.as_str().into(),
                session.as_str().into(),
                subscription.p256dh.as_str().into(),
                subscription.auth.as_str().into(),
            ],
        )?;
        self.sql.exec(
            "DELETE FROM push_subscriptions WHERE session = ?1 AND rowid NOT IN
                (SELECT rowid FROM push_subscriptions WHERE session = ?1
                 ORDER BY rowid DESC LIMIT ?2)",
            vec![session.as_str().into(), SUBSCRIPTIONS_PER_SESSION.into()],
        )?;
        Ok(())
    }

    /// Forgets a subscription: `session`'s own, or (with `None`) one the push service
    /// says is gone.
    pub fn unsubscribe(&self, endpoint: &str, session: Option<&SessionId>) -> Result<()> {
        match session {
            Some(session) => self.sql.exec(
                "DELETE FROM push_subscriptions WHERE endpoint = ? AND session = ?",
                vec![endpoint.into(), session.as_str().into()],
            )?,
            None => self.sql.exec(
                "DELETE FROM push_subscriptions WHERE endpoint = ?",
                vec![endpoint.into()],
            )?,
        };
        Ok(())
    }

    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        #[derive(Deserialize)]
        struct Row {
            endpoint: String,
            p256dh: String,
            auth: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT endpoint, p256dh, auth FROM push_subscriptions",
                None,
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| Subscription {
                endpoint: r.endpoint,
                p256dh: r.p256dh,
                auth: r.auth,
            })
            .collect())
    }
}
