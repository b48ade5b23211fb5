//! The deployment's sites, kept by the Team object beside the team that answers them.
//!
//! Admins create, rename, remove and restore sites in the console. `SITES` in
//! wrangler.toml is the starting set: an id written there is added the first time the
//! Team sees it, and from then on the console's edits win (a site deleted in the console
//! does not come back with the next deployment).

use std::cell::Cell;
use std::collections::BTreeMap;

use confab_protocol::console::sites::{self, Site, SiteSettings, SiteState};
use confab_protocol::{origins, SiteId};
use serde::Deserialize;
use worker::{Env, Result, SqlStorage};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sites (
    id       TEXT PRIMARY KEY,
    state    TEXT NOT NULL,
    settings TEXT NOT NULL
);";

#[derive(Deserialize)]
struct SiteRow {
    id: String,
    state: String,
    settings: String,
}

impl SiteRow {
    /// The site this row holds; `None`, and a line in the log, for one that cannot be read.
    fn into_site(self) -> Option<Site> {
        let read = || {
            Some(Site {
                site: SiteId::parse(&self.id)?,
                state: serde_json::from_value(self.state.clone().into()).ok()?,
                settings: serde_json::from_str(&self.settings).ok()?,
            })
        };
        let site = read();
        if site.is_none() {
            worker::console_error!("the stored site {} cannot be read", self.id);
        }
        site
    }
}

fn state_str(state: SiteState) -> &'static str {
    match state {
        SiteState::Live => "live",
        SiteState::Removed => "removed",
        SiteState::Deleted => "deleted",
    }
}

pub struct SiteStore {
    sql: SqlStorage,
    /// Whether wrangler.toml's sites were added in this object's life already.
    seeded: Cell<bool>,
}

impl SiteStore {
    pub fn open(sql: SqlStorage) -> Result<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(SiteStore {
            sql,
            seeded: Cell::new(false),
        })
    }

    /// Every site not deleted, wrangler.toml's new ones added first.
    pub fn all(&self, env: &Env) -> Result<Vec<Site>> {
        self.seed(env)?;
        let rows: Vec<SiteRow> = self
            .sql
            .exec(
                "SELECT id, state, settings FROM sites WHERE state != 'deleted' ORDER BY id",
                None,
            )?
            .to_array()?;
        Ok(rows.into_iter().filter_map(SiteRow::into_site).collect())
    }

    /// The site `site`, deleted ones too (their id stays taken).
    pub fn get(&self, env: &Env, site: &SiteId) -> Result<Option<Site>> {
        self.seed(env)?;
        let rows: Vec<SiteRow> = self
            .sql
            .exec(
                "SELECT id, state, settings FROM sites WHERE id = ?",
                vec![site.as_str().into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().and_then(SiteRow::into_site))
    }

    /// Adds `site` unless its id was ever taken; whether it was added.
    pub fn create(&self, env: &Env, site: &SiteId, settings: &SiteSettings) -> Result<bool> {
        self.seed(env)?;
        self.insert(site, settings)
    }

    fn insert(&self, site: &SiteId, settings: &SiteSettings) -> Result<bool> {
        let settings = serde_json::to_string(settings)?;
        let rows: Vec<serde_json::Value> = self
            .sql
            .exec(
                "INSERT INTO sites (id, state, settings) VALUES (?, 'live', ?)
                 ON CONFLICT (id) DO NOTHING RETURNING id",
                vec![site.as_str().into(), settings.into()],
            )?
            .to_array()?;
        Ok(!rows.is_empty())
    }

    pub fn save(&self, site: &Site) -> Result<()> {
        let settings = serde_json::to_string(&site.settings)?;
        self.sql.exec(
            "UPDATE sites SET state = ?, settings = ? WHERE id = ?",
            vec![
                state_str(site.state).into(),
                settings.into(),
                site.site.as_str().into(),
            ],
        )?;
        Ok(())
    }

    /// Adds the sites of wrangler.toml's `SITES` this Team never had. A mistaken entry is
    /// left out (a mistaken origin pattern alone is dropped), and the log says why.
    fn seed(&self, env: &Env) -> Result<()> {
        if self.seeded.replace(true) {
            return Ok(());
        }
        // No `SITES` at all is a deployment managed in the console alone.
        let Ok(written) = env.object_var::<serde_json::Value>("SITES") else {
            return Ok(());
        };
        let written: BTreeMap<String, SiteSettings> = match serde_json::from_value(written) {
            Ok(sites) => sites,
            Err(why) => {
                worker::console_error!("SITES in wrangler.toml: {why}");
                return Ok(());
            }
        };
        for (id, settings) in written {
            match starting_site(&id, settings) {
                Ok((site, settings)) => {
                    self.insert(&site, &settings)
                        .inspect_err(|_| self.seeded.set(false))?;
                }
                Err(why) => worker::console_error!("SITES.{id}: {why}"),
            }
        }
        Ok(())
    }
}

/// A site as wrangler.toml writes it, with what it leaves out filled in: the team's name
/// names the site, and the id names both when neither is written.
fn starting_site(
    id: &str,
    mut settings: SiteSettings,
) -> std::result::Result<(SiteId, SiteSettings), String> {
    let site = SiteId::parse(id).ok_or("the id must be a-z, 0-9 or -")?;
    if settings.team.trim().is_empty() {
        settings.team = id.to_owned();
    }
    if settings.name.trim().is_empty() {
        settings.name = settings.team.clone();
    }
    if let Some(list) = settings.origins.as_mut() {
        list.retain(|pattern| match origins::check_pattern(pattern) {
            Ok(()) => true,
            Err(why) => {
                worker::console_error!("SITES.{id}.origins: {why}");
                false
            }
        });
    }
    let settings = sites::checked(settings).map_err(|e| e.message)?;
    Ok((site, settings))
}
