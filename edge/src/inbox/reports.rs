//! Reports: the facts of each conversation kept as it lands and changes status, and the
//! figures of a range drawn from them (`confab_protocol::console::reports`), in the
//! site's own time zone (its business hours' zone, else UTC).

use confab_protocol::console::reports::{self, LocalTime, Report, RANGES};
use confab_protocol::console::Status;
use confab_protocol::proactive::Started;
use confab_protocol::{ApiError, ConversationId};
use worker::Result;

use super::store::Known;
use super::{now_ms, Inbox};
use crate::clients::inbox::ConversationUpdate;
use crate::reply::internal;

impl Inbox {
    /// `at` in the site's zone.
    fn local(&self, at: u64) -> Result<LocalTime> {
        let hours = self.store.hours()?;
        let local = hours.and_then(|h| crate::clock::local_time(&h.time_zone, at as f64));
        Ok(match local {
            Some((weekday, minute)) => LocalTime::of(at, weekday, minute),
            None => LocalTime::utc(at),
        })
    }

    /// Whether the team was open at `at` (always, for a site without business hours).
    fn open_at(&self, at: u64) -> Result<bool> {
        let Some(hours) = self.store.hours()? else {
            return Ok(true);
        };
        Ok(crate::clock::local_time(&hours.time_zone, at as f64)
            .and_then(|(weekday, minute)| hours.minutes_until_open(weekday, minute))
            == Some(0))
    }

    /// A conversation's update landed: its start, then its first reply, are kept once.
    pub(super) fn keep_facts(&self, update: &ConversationUpdate) -> Result<()> {
        let id = &update.conversation;
        let known = self.store.facts_known(id)?;
        if let Known::Nothing = known {
            let local = self.local(update.started_at)?;
            self.store.add_facts(id, update.started_at, local)?;
        }
        match (known, update.first_reply_at) {
            (Known::Answered, _) | (_, None) => Ok(()),
            (_, Some(at)) => self.store.answered(id, at, self.open_at(at)?),
        }
    }

    /// Resolving stamps the time; opening again (or snoozing) takes it away.
    pub(super) fn status_facts(&self, id: &ConversationId, status: Status) -> Result<()> {
        let at = (status == Status::Resolved).then(now_ms);
        self.store.resolved(id, at)
    }

    /// A teaser showed today, in the site's day.
    pub(super) fn count_shown(&self, rule: &str) -> Result<()> {
        let today = self.local(now_ms())?.day;
        self.store.count_shown(rule, today)
    }

    /// A conversation a rule started, counted on the day it started.
    pub(super) fn keep_start(&self, id: &ConversationId, started: &Started, at: u64) -> Result<()> {
        let day = self.local(at)?.day;
        self.store.keep_start(id, started, day)
    }

    /// The figures of the last `days` days, today included.
    pub(super) fn report(&self, days: u32) -> std::result::Result<Report, ApiError> {
        if !RANGES.contains(&days) {
            return Err(ApiError::invalid("days", "is 7, 30 or 90"));
        }
        let today = self.local(now_ms()).map_err(internal)?.day;
        let first = today.saturating_sub(days - 1);
        let facts = self.store.facts_since(first).map_err(internal)?;
        let mut report = reports::report(&facts, today, days);
        report.proactive = self.store.proactive_counts(first).map_err(internal)?;
        Ok(report)
    }
}
