//! The site's settings, kept with its inbox: which site the object serves, its business
//! hours, how its absent visitors are reached.

use confab_protocol::console::words::SiteWords;
use confab_protocol::hours::BusinessHours;
use confab_protocol::reach::ReachSettings;
use confab_protocol::SiteId;
use worker::Result;

use super::Store;

impl Store {
    pub fn set_site(&self, site: &SiteId) -> Result<()> {
        if self.site.borrow().as_ref() != Some(site) {
            self.settings.set("site", site.as_str())?;
            *self.site.borrow_mut() = Some(site.clone());
        }
        Ok(())
    }

    pub fn hours(&self) -> Result<Option<BusinessHours>> {
        Ok(self
            .settings
            .get("hours")?
            .and_then(|h| serde_json::from_str(&h).ok()))
    }

    pub fn set_hours(&self, hours: Option<&BusinessHours>) -> Result<()> {
        match hours {
            Some(hours) => self
                .settings
                .set("hours", &serde_json::to_string(hours).unwrap_or_default()),
            None => self.settings.remove("hours"),
        }
    }

    /// How this site reaches visitors who left (the defaults until an admin sets them).
    pub fn reach(&self) -> Result<ReachSettings> {
        Ok(self
            .settings
            .get("reach")?
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default())
    }

    pub fn set_reach(&self, reach: &ReachSettings) -> Result<()> {
        self.settings
            .set("reach", &serde_json::to_string(reach).unwrap_or_default())
    }

    /// What the site says to visitors in each language (none until an admin sets some).
    pub fn words(&self) -> Result<SiteWords> {
        Ok(self
            .settings
            .get("words")?
            .and_then(|w| serde_json::from_str(&w).ok())
            .unwrap_or_default())
    }

    pub fn set_words(&self, words: &SiteWords) -> Result<()> {
        self.settings
            .set("words", &serde_json::to_string(words).unwrap_or_default())
    }
}
