//! Reaching a visitor who left: when an agent's reply goes unread, a ladder of steps
//! (a push to their devices, then an email) runs on the conversation's alarm, each step
//! cancelled the moment the visitor reads on any device.
//!
//! The ladder's state is one small value stored with the thread and changed only in
//! steps that also store it, so a runtime restarted between two steps picks up where it
//! was: a step is marked done in the same write that records it was sent.

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The longest a site may wait before a step, and the longest gap it may set.
pub const MAX_DELAY_SECONDS: u64 = 7 * 24 * 3600;

/// How a site reaches visitors who left; each site's admin sets it in the console API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachSettings {
    /// Web Push to the visitor's subscribed devices.
    pub push: bool,
    /// How long a reply waits unread before the push.
    pub push_after_seconds: u64,
    /// At most one push per conversation this often.
    pub push_gap_seconds: u64,
    /// Email to the visitor's address, when they left one.
    pub email: bool,
    pub email_after_seconds: u64,
    /// At most one email per conversation this often.
    pub email_gap_seconds: u64,
}

/// `PUT /api/console/sites/{site}/reach`: every setting, with the protocol version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachRequest {
    pub v: u32,
    #[serde(flatten)]
    pub settings: ReachSettings,
    /// Keys that are not settings. Serde cannot refuse them itself next to `flatten`, so
    /// they are kept here and refused by `into_settings`.
    #[serde(flatten, skip_serializing)]
    unknown: serde_json::Map<String, serde_json::Value>,
}

impl ReachRequest {
    pub fn new(settings: ReachSettings) -> Self {
        ReachRequest {
            v: crate::PROTOCOL_VERSION,
            settings,
            unknown: Default::default(),
        }
    }

    /// The settings, unless the request named something else too.
    pub fn into_settings(self) -> Result<ReachSettings, ApiError> {
        match self.unknown.keys().next() {
            Some(key) => Err(ApiError::invalid(key, "is not a reach setting")),
            None => Ok(self.settings),
        }
    }
}

impl Default for ReachSettings {
    /// Push after a minute, email after ten (as the common widgets do), at most one push
    /// per five minutes and one email per hour.
    fn default() -> Self {
        ReachSettings {
            push: true,
            push_after_seconds: 60,
            push_gap_seconds: 300,
            email: true,
            email_after_seconds: 600,
            email_gap_seconds: 3600,
        }
    }
}

impl ReachSettings {
    pub fn validate(&self) -> Result<(), ApiError> {
        for (field, value) in [
            ("push_after_seconds", self.push_after_seconds),
            ("push_gap_seconds", self.push_gap_seconds),
            ("email_after_seconds", self.email_after_seconds),
            ("email_gap_seconds", self.email_gap_seconds),
        ] {
            if value > MAX_DELAY_SECONDS {
                return Err(ApiError::invalid(field, "is more than 7 days"));
            }
        }
        Ok(())
    }

    fn after_ms(&self, channel: Channel) -> u64 {
        1000 * match channel {
            Channel::Push => self.push_after_seconds,
            Channel::Email => self.email_after_seconds,
        }
    }

    fn gap_ms(&self, channel: Channel) -> u64 {
        1000 * match channel {
            Channel::Push => self.push_gap_seconds,
            Channel::Email => self.email_gap_seconds,
        }
    }

    fn enabled(&self, channel: Channel) -> bool {
        match channel {
            Channel::Push => self.push,
            Channel::Email => self.email,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Push,
    Email,
}

const CHANNELS: [Channel; 2] = [Channel::Push, Channel::Email];

/// A step that reached the visitor, as agents see it in the thread's timeline: after the
/// message `after_seq`, at `at` (ms).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reached {
    pub channel: Channel,
    pub after_seq: u64,
    pub at: u64,
}

/// Most reach records a thread keeps, newest last: enough for any timeline an agent reads.
pub const REACHED_KEPT: usize = 50;

/// Adds `record` to a thread's `records`, dropping the oldest beyond [`REACHED_KEPT`].
pub fn keep_reached(records: &mut Vec<Reached>, record: Reached) {
    records.push(record);
    let over = records.len().saturating_sub(REACHED_KEPT);
    records.drain(..over);
}

/// One thread's ladder and when it last reached the visitor on each channel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReachState {
    /// The running ladder: since when a reply has waited unread.
    pub waiting_since: Option<u64>,
    /// Steps of the running ladder already taken (sent, or nothing to send to).
    pub done: Vec<Channel>,
    pub last_push_at: Option<u64>,
    pub last_email_at: Option<u64>,
}

impl ReachState {
    /// An agent's reply was committed at `now`. A running ladder takes it along (one
    /// email carries every unread reply); a finished one starts again.
    pub fn agent_wrote(&mut self, now: u64) {
        if self.waiting_since.is_none() || self.done.len() == CHANNELS.len() {
            self.waiting_since = Some(now);
            self.done.clear();
        }
    }

    /// The visitor read up to `read_seq`: the ladder stops. Replies after it (written
    /// while the visitor was reading) start a new one.
    pub fn visitor_read(&mut self, read_seq: u64, last_agent_seq: u64, now: u64) {
        self.waiting_since = None;
        self.done.clear();
        if last_agent_seq > read_seq {
            self.agent_wrote(now);
        }
    }

    /// When `channel`'s step is due, if it is still to be taken.
    fn due_at(&self, settings: &ReachSettings, channel: Channel) -> Option<u64> {
        let since = self.waiting_since?;
        if !settings.enabled(channel) || self.done.contains(&channel) {
            return None;
        }
        let last = match channel {
            Channel::Push => self.last_push_at,
            Channel::Email => self.last_email_at,
        };
        let after_gap = last.map_or(0, |at| at + settings.gap_ms(channel));
        Some((since + settings.after_ms(channel)).max(after_gap))
    }

    /// The step to take now, earliest first.
    pub fn due(&self, settings: &ReachSettings, now: u64) -> Option<Channel> {
        CHANNELS
            .into_iter()
            .filter_map(|c| Some((self.due_at(settings, c)?, c)))
            .filter(|(at, _)| *at <= now)
            .min_by_key(|(at, _)| *at)
            .map(|(_, c)| c)
    }

    /// When the alarm should ring for the next step, if any is left.
    pub fn next_at(&self, settings: &ReachSettings) -> Option<u64> {
        CHANNELS
            .into_iter()
            .filter_map(|c| self.due_at(settings, c))
            .min()
    }

    /// `channel`'s step was taken at `now`; `reached` says whether anything was sent
    /// (a visitor with no subscribed device or no address gets nothing, and the gap does
    /// not start).
    pub fn took(&mut self, channel: Channel, reached: bool, now: u64) {
        if self.waiting_since.is_none() || self.done.contains(&channel) {
            return;
        }
        self.done.push(channel);
        if reached {
            match channel {
                Channel::Push => self.last_push_at = Some(now),
                Channel::Email => self.last_email_at = Some(now),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reach_request_names_every_setting_and_nothing_else() {
        let full = r#"{"v":1,"push":true,"push_after_seconds":60,"push_gap_seconds":300,"email":false,"email_after_seconds":600,"email_gap_seconds":3600}"#;
        let request: ReachRequest = crate::decode_request(full.as_bytes()).unwrap();
        assert!(!request.clone().into_settings().unwrap().email);
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            serde_json::from_str::<serde_json::Value>(full).unwrap()
        );
        let extra = full.replace("\"v\":1,", "\"v\":1,\"surprise\":true,");
        let request: ReachRequest = crate::decode_request(extra.as_bytes()).unwrap();
        assert!(request.into_settings().is_err());
        let partial = r#"{"v":1,"push":false}"#;
        assert!(crate::decode_request::<ReachRequest>(partial.as_bytes()).is_err());
    }

    const MIN: u64 = 60_000;

    fn settings() -> ReachSettings {
        ReachSettings::default()
    }

    #[test]
    fn a_thread_keeps_its_newest_reach_records() {
        let mut records = Vec::new();
        for at in 0..(REACHED_KEPT as u64 + 3) {
            let channel = if at % 2 == 0 {
                Channel::Push
            } else {
                Channel::Email
            };
            keep_reached(
                &mut records,
                Reached {
                    channel,
                    after_seq: 1,
                    at,
                },
            );
        }
        assert_eq!(records.len(), REACHED_KEPT);
        assert_eq!(records.first().map(|r| r.at), Some(3));
        assert_eq!(records.last().map(|r| r.at), Some(REACHED_KEPT as u64 + 2));
        let json = serde_json::to_value(&records[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"channel": "email", "after_seq": 1, "at": 3})
        );
    }

    #[test]
    fn a_reply_left_unread_is_pushed_after_a_minute_then_emailed_after_ten() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        assert_eq!(state.due(&settings(), MIN - 1), None);
        assert_eq!(state.next_at(&settings()), Some(MIN));
        assert_eq!(state.due(&settings(), MIN), Some(Channel::Push));
        state.took(Channel::Push, true, MIN);
        assert_eq!(state.due(&settings(), MIN), None);
        assert_eq!(state.next_at(&settings()), Some(10 * MIN));
        state.took(Channel::Email, true, 10 * MIN);
        assert_eq!(state.next_at(&settings()), None);
    }

    #[test]
    fn reading_on_any_device_cancels_every_step() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        state.visitor_read(5, 5, 30_000);
        assert_eq!(state.next_at(&settings()), None);
        assert_eq!(state.due(&settings(), 20 * MIN), None);
    }

    #[test]
    fn a_reply_written_while_reading_starts_a_new_ladder() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        state.visitor_read(5, 6, 30_000);
        assert_eq!(state.next_at(&settings()), Some(30_000 + MIN));
    }

    #[test]
    fn later_replies_join_the_running_ladder() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        state.took(Channel::Push, true, MIN);
        state.agent_wrote(2 * MIN);
        assert_eq!(state.next_at(&settings()), Some(10 * MIN));
    }

    #[test]
    fn gaps_hold_the_next_push_and_email_back() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        state.took(Channel::Push, true, MIN);
        state.took(Channel::Email, true, 10 * MIN);
        // A new reply 11 minutes in: the push waits a minute, the email until the hour.
        state.agent_wrote(11 * MIN);
        assert_eq!(state.due(&settings(), 12 * MIN), Some(Channel::Push));
        state.took(Channel::Push, true, 12 * MIN);
        assert_eq!(state.next_at(&settings()), Some(70 * MIN));
    }

    #[test]
    fn a_step_with_no_one_to_reach_does_not_start_the_gap() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        state.took(Channel::Push, false, MIN);
        state.took(Channel::Email, true, 10 * MIN);
        state.agent_wrote(11 * MIN);
        assert_eq!(state.due(&settings(), 12 * MIN), Some(Channel::Push));
    }

    #[test]
    fn a_step_is_taken_once_even_if_told_twice() {
        let mut state = ReachState::default();
        state.agent_wrote(0);
        state.took(Channel::Push, true, MIN);
        state.took(Channel::Push, true, 2 * MIN);
        assert_eq!(state.last_push_at, Some(MIN));
        assert_eq!(state.done, vec![Channel::Push]);
    }

    #[test]
    fn channels_switched_off_are_skipped() {
        let settings = ReachSettings {
            push: false,
            ..settings()
        };
        let mut state = ReachState::default();
        state.agent_wrote(0);
        assert_eq!(state.next_at(&settings), Some(10 * MIN));
        assert_eq!(state.due(&settings, 10 * MIN), Some(Channel::Email));
    }

    #[test]
    fn the_state_survives_storage() {
        let mut state = ReachState::default();
        state.agent_wrote(7);
        state.took(Channel::Push, true, 9);
        let stored = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<ReachState>(&stored).unwrap(), state);
    }

    #[test]
    fn settings_over_a_week_are_refused() {
        let settings = ReachSettings {
            email_after_seconds: MAX_DELAY_SECONDS + 1,
            ..settings()
        };
        assert!(settings.validate().is_err());
        assert!(ReachSettings::default().validate().is_ok());
    }
}
