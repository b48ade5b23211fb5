//! The sites of a deployment, as admins manage them in the console: each site's name, the
//! team's name visitors see, the pages that may embed it, and its look. A site is created
//! once under an id that never changes (it is in every visitor's token and in the script
//! tag); it can be renamed, removed (its widget stops, its data stays) and restored, and
//! only a removed site's data can be deleted.

use serde::{Deserialize, Serialize};

use crate::{origins, ApiError, ErrorCode, SiteId};

mod look;
pub use look::*;

/// The longest site or team name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// The most origin patterns one site lists.
pub const MAX_ORIGINS: usize = 20;

/// A site's settings, as stored and as the console edits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// What the console calls the site ("Acme shop").
    #[serde(default)]
    pub name: String,
    /// The team's name as visitors see it ("Acme support").
    #[serde(default)]
    pub team: String,
    /// The line under the team's name while nothing is measured, in any language the
    /// site's own words do not cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// The page origins that may embed the widget (see `origins`); `None`: only this
    /// machine's own pages, as on a new local deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    #[serde(default)]
    pub look: Look,
    /// Whether a visitor who writes while nobody is online is answered at once
    /// (`crate::away`); on unless the site's owner turns it off.
    #[serde(default = "on", skip_serializing_if = "is_on")]
    pub away_replies: bool,
    /// What the team says first, and to whom (`crate::proactive`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proactive: Vec<crate::proactive::Rule>,
}

fn on() -> bool {
    true
}

fn is_on(value: &bool) -> bool {
    *value
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            name: String::new(),
            team: String::new(),
            availability: None,
            origins: None,
            look: Look::default(),
            away_replies: true,
            proactive: Vec::new(),
        }
    }
}

/// Where a site stands: live; removed by an admin (its widget refused, its data kept); or
/// deleted (its data erased, its id kept so that no new site takes it: old visitors'
/// tokens and cached pages name it). Lists leave deleted sites out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteState {
    #[default]
    Live,
    Removed,
    Deleted,
}

/// What an admin does to a site's standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Remove,
    Restore,
    Delete,
}

/// The site's state after `change`, or why it cannot happen. Removing is the only way to
/// deletion, and deletion needs the id typed again (`confirm`): data goes only on purpose.
pub fn after(
    site: &SiteId,
    now: SiteState,
    change: Standing,
    confirm: Option<&str>,
) -> Result<SiteState, ApiError> {
    let refused = |why: &str| Err(ApiError::new(ErrorCode::Conflict, why));
    match (now, change) {
        // Said again, a removal or a deletion is done again (what follows it, closing the
        // widgets or erasing the data, is retried), never undone.
        (SiteState::Deleted, Standing::Delete) if confirm == Some(site.as_str()) => {
            Ok(SiteState::Deleted)
        }
        (SiteState::Deleted, _) => Err(ApiError::new(ErrorCode::NotFound, "no such site")),
        (SiteState::Live | SiteState::Removed, Standing::Remove) => Ok(SiteState::Removed),
        (SiteState::Removed, Standing::Restore) => Ok(SiteState::Live),
        (SiteState::Removed, Standing::Delete) if confirm == Some(site.as_str()) => {
            Ok(SiteState::Deleted)
        }
        (SiteState::Removed, Standing::Delete) => Err(ApiError::invalid(
            "confirm",
            &format!("type the site's id, {site}, to delete its data"),
        )),
        (SiteState::Live, Standing::Delete) => {
            refused("remove the site first: only a removed site's data can be deleted")
        }
        (SiteState::Live, Standing::Restore) => refused("the site is not removed"),
    }
}

/// One site, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub site: SiteId,
    pub state: SiteState,
    pub settings: SiteSettings,
}

/// `GET /api/console/sites`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteList {
    pub sites: Vec<Site>,
}

/// `POST /api/console/sites`: a new site, under an id no site ever had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSiteRequest {
    pub v: u32,
    pub site: String,
    pub settings: SiteSettings,
}

/// `PUT /api/console/sites/{site}`: every setting at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettingsRequest {
    pub v: u32,
    pub settings: SiteSettings,
}

/// `POST /api/console/sites/{site}/standing`: remove, restore or delete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandingRequest {
    pub v: u32,
    pub change: Standing,
    /// For `delete`: the site's id, typed again.
    #[serde(default)]
    pub confirm: Option<String>,
}

/// The id a new site asks for, refused naming the field.
pub fn new_id(id: &str) -> Result<SiteId, ApiError> {
    SiteId::parse(id).ok_or_else(|| {
        ApiError::invalid(
            "site",
            &format!(
                "must be 1 to {} characters of a-z, 0-9 or -",
                crate::limits::MAX_SITE_LEN
            ),
        )
    })
}

/// The settings as stored: names trimmed and required, origins checked, the look checked
/// (a colour white text cannot be read on is refused, with its contrast). Refused naming
/// the first field that is wrong; nothing is half applied.
pub fn checked(mut settings: SiteSettings) -> Result<SiteSettings, ApiError> {
    settings.name = name("settings.name", &settings.name)?;
    settings.team = name("settings.team", &settings.team)?;
    settings.availability = match settings.availability.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(line) if line.chars().count() > crate::console::words::MAX_WORDS_CHARS => {
            return Err(ApiError::invalid(
                "settings.availability",
                &format!(
                    "is longer than {} characters",
                    crate::console::words::MAX_WORDS_CHARS
                ),
            ))
        }
        Some(line) => Some(line.to_owned()),
    };
    if let Some(list) = settings.origins.as_mut() {
        list.iter_mut().for_each(|p| *p = p.trim().to_owned());
        list.retain(|p| !p.is_empty());
        if list.len() > MAX_ORIGINS {
            return Err(ApiError::invalid(
                "settings.origins",
                &format!("lists more than {MAX_ORIGINS} origins"),
            ));
        }
        for (i, pattern) in list.iter().enumerate() {
            origins::check_pattern(pattern)
                .map_err(|why| ApiError::invalid(&format!("settings.origins.{i}"), &why))?;
        }
    }
    settings.look = look::checked(settings.look)?;
    settings.proactive = crate::proactive::checked(settings.proactive)?;
    Ok(settings)
}

fn name(field: &str, name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid(field, "is required"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid(
            field,
            &format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name.to_owned())
}

/// The tag a site owner pastes into their pages, for a deployment at `base`
/// (`https://chat.example.com/`).
pub fn script_tag(base: &str, site: &SiteId) -> String {
    let base = base.trim_end_matches('/');
    format!(r#"<script async src="{base}/confab.js" data-site="{site}"></script>"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SiteSettings {
        SiteSettings {
            name: " Acme shop ".into(),
            team: "Acme support".into(),
            origins: Some(vec![" https://shop.example ".into(), "".into()]),
            ..SiteSettings::default()
        }
    }

    #[test]
    fn names_are_trimmed_and_required() {
        let kept = checked(settings()).unwrap();
        assert_eq!(kept.name, "Acme shop");
        assert_eq!(kept.origins, Some(vec!["https://shop.example".into()]));
        let mut blank = settings();
        blank.team = "  ".into();
        let error = checked(blank).unwrap_err();
        assert!(error.message.contains("settings.team"), "{}", error.message);
        let mut long = settings();
        long.name = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(checked(long).unwrap_err().message.contains("settings.name"));
    }

    #[test]
    fn a_mistaken_origin_is_refused_by_its_place() {
        let mut wrong = settings();
        wrong.origins = Some(vec!["https://shop.example".into(), "https://*.".into()]);
        let error = checked(wrong).unwrap_err();
        assert!(
            error.message.contains("settings.origins.1"),
            "{}",
            error.message
        );
        let mut many = settings();
        many.origins = Some(vec!["https://a.example".into(); MAX_ORIGINS + 1]);
        assert!(checked(many).is_err());
    }

    #[test]
    fn data_goes_only_through_removal_and_the_typed_id() {
        let site = new_id("acme").unwrap();
        let after = |now, change, confirm| after(&site, now, change, confirm);
        use {SiteState::*, Standing::*};
        assert_eq!(after(Live, Remove, None), Ok(Removed));
        assert_eq!(after(Removed, Restore, None), Ok(Live));
        assert_eq!(after(Removed, Delete, Some("acme")), Ok(Deleted));
        let conflict = after(Live, Delete, Some("acme")).unwrap_err();
        assert_eq!(conflict.code, ErrorCode::Conflict);
        for mistyped in [None, Some("acme "), Some("ACME")] {
            let error = after(Removed, Delete, mistyped).unwrap_err();
            assert!(error.message.contains("confirm"), "{}", error.message);
        }
        for change in [Remove, Restore] {
            let gone = after(Deleted, change, Some("acme")).unwrap_err();
            assert_eq!(gone.code, ErrorCode::NotFound);
        }
        assert!(after(Deleted, Delete, Some("other")).is_err());
        // Said again, they are done again: what follows them is retried.
        assert_eq!(after(Removed, Remove, None), Ok(Removed));
        assert_eq!(after(Deleted, Delete, Some("acme")), Ok(Deleted));
        assert!(after(Live, Restore, None).is_err());
    }

    #[test]
    fn ids_are_checked_and_the_tag_names_the_site() {
        assert!(new_id("Acme Shop").is_err());
        let site = new_id("acme-shop").unwrap();
        assert_eq!(
            script_tag("https://chat.example.com/", &site),
            r#"<script async src="https://chat.example.com/confab.js" data-site="acme-shop"></script>"#
        );
    }
}
