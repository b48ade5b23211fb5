//! The thread's small records in its `meta` table: who it belongs to, where the visitor
//! is, and what its parts keep (the inbox sync's marks, the reach ladder). What every
//! message needs (identity, context) is read once and then kept in memory.

use confab_protocol::console::VisitorContext;
use confab_protocol::{ConversationId, SiteId, VisitorId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Date, Result, SqlStorage, SqlStorageValue};

use super::log::{Identity, Log};
use crate::clients::conversation::Owner;

/// A row of the thread's `meta` table.
#[derive(Deserialize)]
pub(super) struct MetaRow {
    pub key: String,
    pub value: String,
}

/// Sets values of the thread's `meta` table, in one statement.
pub fn write_meta(sql: &SqlStorage, values: &[(&str, &str)]) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let rows = vec!["(?, ?)"; values.len()].join(", ");
    let args: Vec<SqlStorageValue> = values
        .iter()
        .flat_map(|(key, value)| [(*key).into(), (*value).into()])
        .collect();
    sql.exec(
        &format!(
            "INSERT INTO meta (key, value) VALUES {rows}
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        args,
    )?;
    Ok(())
}

impl Log {
    /// Who the thread belongs to and its id, once it has been opened. Read from storage
    /// once, then kept (and changed only by [`Log::set_visitor`]).
    pub fn identity(&self) -> Result<Option<Identity>> {
        if let Some(identity) = self.identity.borrow().as_ref() {
            return Ok(Some(identity.clone()));
        }
        let rows: Vec<MetaRow> = self
            .sql
            .exec(
                "SELECT key, value FROM meta WHERE key IN ('id', 'site', 'visitor')",
                None,
            )?
            .to_array()?;
        let get = |k: &str| rows.iter().find(|r| r.key == k).map(|r| r.value.clone());
        let identity = match (get("id"), get("site"), get("visitor")) {
            (Some(id), Some(site), Some(visitor)) => Identity {
                id: ConversationId::parse(&id).ok_or("stored id is invalid")?,
                owner: Owner {
                    site: SiteId::parse(&site).ok_or("stored site is invalid")?,
                    visitor: VisitorId::parse(&visitor).ok_or("stored visitor is invalid")?,
                },
            },
            _ => return Ok(None),
        };
        *self.identity.borrow_mut() = Some(identity.clone());
        Ok(Some(identity))
    }

    pub fn set_owner(
        &self,
        owner: &Owner,
        id: &ConversationId,
        context: &VisitorContext,
    ) -> Result<()> {
        let now = Date::now().as_millis().to_string();
        let stored_context = serde_json::to_string(context).unwrap_or_default();
        write_meta(
            &self.sql,
            &[
                ("id", id.as_str()),
                ("site", owner.site.as_str()),
                ("visitor", owner.visitor.as_str()),
                ("created_at", &now),
                ("context", &stored_context),
            ],
        )?;
        *self.identity.borrow_mut() = Some(Identity {
            id: id.clone(),
            owner: owner.clone(),
        });
        *self.context.borrow_mut() = Some(context.clone());
        Ok(())
    }

    /// Gives the thread to another visitor (an anonymous one who signed in).
    pub fn set_visitor(&self, visitor: &VisitorId) -> Result<()> {
        self.sql.exec(
            "UPDATE meta SET value = ? WHERE key = 'visitor'",
            vec![visitor.as_str().into()],
        )?;
        if let Some(identity) = self.identity.borrow_mut().as_mut() {
            identity.owner.visitor = visitor.clone();
        }
        Ok(())
    }

    /// Where the visitor is, as of their latest message.
    pub fn context(&self) -> Result<VisitorContext> {
        if let Some(context) = self.context.borrow().as_ref() {
            return Ok(context.clone());
        }
        let context = self
            .meta_json::<VisitorContext>("context")?
            .unwrap_or_default();
        *self.context.borrow_mut() = Some(context.clone());
        Ok(context)
    }

    /// Stores the context a visitor's message brings, when it changes what is stored
    /// (`VisitorContext::updated_by`). Says whether it did.
    pub fn update_context(&self, incoming: VisitorContext, page_checked: bool) -> Result<bool> {
        match self.context()?.updated_by(incoming, page_checked) {
            Some(next) => {
                self.set_meta_json("context", &next)?;
                *self.context.borrow_mut() = Some(next);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// A value of the thread's `meta` table (where it keeps small records).
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.metas(&[key])?.into_iter().next().map(|r| r.value))
    }

    /// Values of the thread's `meta` table, those of `keys` that are set.
    pub fn metas(&self, keys: &[&str]) -> Result<Vec<MetaRow>> {
        let marks = vec!["?"; keys.len()].join(", ");
        self.sql
            .exec(
                &format!("SELECT key, value FROM meta WHERE key IN ({marks})"),
                keys.iter()
                    .map(|k| (*k).into())
                    .collect::<Vec<SqlStorageValue>>(),
            )?
            .to_array()
    }

    pub fn set_meta(&self, values: &[(&str, &str)]) -> Result<()> {
        write_meta(&self.sql, values)
    }

    pub fn remove_meta(&self, key: &str) -> Result<()> {
        self.sql
            .exec("DELETE FROM meta WHERE key = ?", vec![key.into()])?;
        Ok(())
    }

    /// A record kept as JSON in `meta`; none when missing or unreadable.
    pub fn meta_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        Ok(self.meta(key)?.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub fn set_meta_json<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        self.set_meta(&[(key, &serde_json::to_string(value)?)])
    }
}
