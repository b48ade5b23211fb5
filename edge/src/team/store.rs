//! The team's accounts in the Team object's SQLite database.
//!
//! Session and invitation tokens are random and stored only as their SHA-256, so a copy of
//! the database does not sign anyone in.

use confab_protocol::console::{Agent, CannedReply, Role};
use confab_protocol::AgentId;
use serde::Deserialize;
use worker::{Result, SqlStorage};

use crate::auth::token_hash;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS agents (
    id         TEXT PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    password   TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    hash       TEXT PRIMARY KEY,
    agent      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS invites (
    hash       TEXT PRIMARY KEY,
    agent      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS canned (
    shortcut TEXT PRIMARY KEY,
    body     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS leaving (
    id    TEXT PRIMARY KEY,
    agent TEXT NOT NULL
);";

#[derive(Deserialize)]
struct AgentRow {
    id: String,
    email: String,
    name: String,
    role: String,
    password: Option<String>,
}

impl AgentRow {
    fn into_agent(self) -> Option<(Agent, Option<String>)> {
        let role = match self.role.as_str() {
            "admin" => Role::Admin,
            "agent" => Role::Agent,
            _ => return None,
        };
        let agent = Agent {
            id: AgentId::parse(&self.id)?,
            email: self.email,
            name: self.name,
            role,
            pending: self.password.is_none(),
        };
        Some((agent, self.password))
    }
}

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Agent => "agent",
    }
}

pub struct Store {
    sql: SqlStorage,
}

const AGENT_COLUMNS: &str = "id, email, name, role, password";

impl Store {
    pub fn open(sql: SqlStorage) -> Result<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(Store { sql })
    }

    fn agents_where(
        &self,
        clause: &str,
        args: Vec<worker::SqlStorageValue>,
    ) -> Result<Vec<(Agent, Option<String>)>> {
        let rows: Vec<AgentRow> = self
            .sql
            .exec(
                &format!("SELECT {AGENT_COLUMNS} FROM agents {clause}"),
                args,
            )?
            .to_array()?;
        Ok(rows.into_iter().filter_map(AgentRow::into_agent).collect())
    }

    /// An agent and their password record (`None` until an invitation is accepted).
    pub fn by_email(&self, email: &str) -> Result<Option<(Agent, Option<String>)>> {
        Ok(self
            .agents_where("WHERE email = ?", vec![email.into()])?
            .into_iter()
            .next())
    }

    pub fn by_id(&self, id: &AgentId) -> Result<Option<Agent>> {
        Ok(self
            .agents_where("WHERE id = ?", vec![id.as_str().into()])?
            .into_iter()
            .next()
            .map(|(agent, _)| agent))
    }

    pub fn all(&self) -> Result<Vec<Agent>> {
        Ok(self
            .agents_where("ORDER BY created_at", vec![])?
            .into_iter()
            .map(|(agent, _)| agent)
            .collect())
    }

    pub fn insert(&self, agent: &Agent, password: Option<&str>, now: u64) -> Result<()> {
        self.sql.exec(
            "INSERT INTO agents (id, email, name, role, password, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            vec![
                agent.id.as_str().into(),
                agent.email.as_str().into(),
                agent.name.as_str().into(),
                role_str(agent.role).into(),
                password.map(str::to_owned).into(),
                (now as i64).into(),
            ],
        )?;
        Ok(())
    }

    pub fn set_password(&self, id: &AgentId, password: &str) -> Result<()> {
        self.sql.exec(
            "UPDATE agents SET password = ? WHERE id = ?",
            vec![password.into(), id.as_str().into()],
        )?;
        Ok(())
    }

    /// Removes an agent with every session and invitation they had.
    /// Removes `agent` from the team and keeps them as leaving, until `gone` says every
    /// connection of theirs is closed; a removal that failed half way can so be repeated.
    pub fn remove(&self, agent: &Agent) -> Result<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO leaving (id, agent) VALUES (?, ?)",
            vec![
                agent.id.as_str().into(),
                serde_json::to_string(agent).unwrap_or_default().into(),
            ],
        )?;
        self.delete(&agent.id)
    }

    /// An agent removed whose connections may still be open.
    pub fn leaving(&self, id: &AgentId) -> Result<Option<Agent>> {
        #[derive(Deserialize)]
        struct Row {
            agent: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT agent FROM leaving WHERE id = ?",
                vec![id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows
            .first()
            .and_then(|r| serde_json::from_str(&r.agent).ok()))
    }

    pub fn gone(&self, id: &AgentId) -> Result<()> {
        self.sql
            .exec("DELETE FROM leaving WHERE id = ?", vec![id.as_str().into()])?;
        Ok(())
    }

    fn delete(&self, id: &AgentId) -> Result<()> {
        for table in ["sessions", "invites"] {
            self.sql.exec(
                &format!("DELETE FROM {table} WHERE agent = ?"),
                vec![id.as_str().into()],
            )?;
        }
        self.sql
            .exec("DELETE FROM agents WHERE id = ?", vec![id.as_str().into()])?;
        Ok(())
    }

    /// Stores a token (session or invitation) for `agent` until `expires_at`.
    pub fn put_token(
        &self,
        table: TokenTable,
        token: &str,
        agent: &AgentId,
        expires_at: u64,
    ) -> Result<()> {
        self.sql.exec(
            &format!(
                "INSERT INTO {} (hash, agent, expires_at) VALUES (?, ?, ?)",
                table.name()
            ),
            vec![
                token_hash(token).into(),
                agent.as_str().into(),
                (expires_at as i64).into(),
            ],
        )?;
        Ok(())
    }

    /// The agent a token belongs to, if it exists and has not expired.
    pub fn token_agent(&self, table: TokenTable, token: &str, now: u64) -> Result<Option<Agent>> {
        #[derive(Deserialize)]
        struct Row {
            agent: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                &format!(
                    "SELECT agent FROM {} WHERE hash = ? AND expires_at > ?",
                    table.name()
                ),
                vec![token_hash(token).into(), (now as i64).into()],
            )?
            .to_array()?;
        match rows.first().and_then(|r| AgentId::parse(&r.agent)) {
            Some(id) => self.by_id(&id),
            None => Ok(None),
        }
    }

    pub fn drop_token(&self, table: TokenTable, token: &str) -> Result<()> {
        self.sql.exec(
            &format!("DELETE FROM {} WHERE hash = ?", table.name()),
            vec![token_hash(token).into()],
        )?;
        Ok(())
    }

    pub fn canned(&self) -> Result<Vec<CannedReply>> {
        self.sql
            .exec("SELECT shortcut, body FROM canned ORDER BY shortcut", None)?
            .to_array()
    }

    pub fn save_canned(&self, reply: &CannedReply) -> Result<()> {
        self.sql.exec(
            "INSERT INTO canned (shortcut, body) VALUES (?, ?)
             ON CONFLICT (shortcut) DO UPDATE SET body = excluded.body",
            vec![reply.shortcut.as_str().into(), reply.body.as_str().into()],
        )?;
        Ok(())
    }

    pub fn delete_canned(&self, shortcut: &str) -> Result<()> {
        self.sql.exec(
            "DELETE FROM canned WHERE shortcut = ?",
            vec![shortcut.into()],
        )?;
        Ok(())
    }
}

#[derive(Clone, Copy)]
pub enum TokenTable {
    Sessions,
    Invites,
}

impl TokenTable {
    fn name(self) -> &'static str {
        match self {
            TokenTable::Sessions => "sessions",
            TokenTable::Invites => "invites",
        }
    }
}
