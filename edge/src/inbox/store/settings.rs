//! The site's settings, kept with its inbox: which site the object serves, its business
//! hours, how its absent visitors are reached, what it says to them.

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

    /// The site this inbox serves, once a request has named it.
    pub fn site(&self) -> Option<SiteId> {
        self.site.borrow().clone()
    }

    pub fn hours(&self) -> Result<Option<BusinessHours>> {
        self.settings.get_json("hours")
    }

    pub fn set_hours(&self, hours: Option<&BusinessHours>) -> Result<()> {
        match hours {
            Some(hours) => self.settings.set_json("hours", hours),
            None => self.settings.remove("hours"),
        }
    }

    /// How this site reaches visitors who left (the defaults until an admin sets them).
    pub fn reach(&self) -> Result<ReachSettings> {
        Ok(self.settings.get_json("reach")?.unwrap_or_default())
    }

    pub fn set_reach(&self, reach: &ReachSettings) -> Result<()> {
        self.settings.set_json("reach", reach)
    }

    /// What the site says to visitors in each language (none until an admin sets some).
    pub fn words(&self) -> Result<SiteWords> {
        Ok(self.settings.get_json("words")?.unwrap_or_default())
    }

    pub fn set_words(&self, words: &SiteWords) -> Result<()> {
        self.settings.set_json("words", words)
    }
}
