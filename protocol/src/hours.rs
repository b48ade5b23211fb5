//! Business hours: when the team answers, in the team's own time zone.
//!
//! Converting an instant to the zone's weekday and minute needs the time zone database,
//! which the runtime has (Intl); this module takes that local time and answers the
//! questions the widget's header asks.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// Open from `open` until `close`, in minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenHours {
    pub open: u16,
    pub close: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// An IANA zone, like `Europe/Paris`.
    pub time_zone: String,
    /// Monday first; `None` is a closed day.
    pub days: Vec<Option<OpenHours>>,
}

impl BusinessHours {
    /// Checks the shape; whether the zone exists is for the runtime to say.
    pub fn validate(&self) -> Result<(), ApiError> {
        let zone_ok = !self.time_zone.is_empty()
            && self.time_zone.len() <= 64
            && self
                .time_zone
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
        if !zone_ok {
            return Err(ApiError::invalid("time_zone", "must be an IANA zone name"));
        }
        if self.days.len() != 7 {
            return Err(ApiError::invalid("days", "must list 7 days, Monday first"));
        }
        for hours in self.days.iter().flatten() {
            if hours.open >= hours.close || hours.close > MINUTES_PER_DAY {
                return Err(ApiError::invalid(
                    "days",
                    "each day opens before it closes, within the day",
                ));
            }
        }
        Ok(())
    }

    /// Minutes from local `weekday` (0 = Monday) and `minute` until the team is open:
    /// 0 when open now, `None` when no day is open.
    pub fn minutes_until_open(&self, weekday: usize, minute: u16) -> Option<u32> {
        let now = u32::from(minute);
        for ahead in 0..8usize {
            let Some(Some(hours)) = self.days.get((weekday + ahead) % 7) else {
                continue;
            };
            let (open, close) = (u32::from(hours.open), u32::from(hours.close));
            let day_start = ahead as u32 * u32::from(MINUTES_PER_DAY);
            if ahead == 0 {
                if now < open {
                    return Some(open - now);
                }
                if now < close {
                    return Some(0);
                }
                continue;
            }
            return Some(day_start + open - now);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Monday to Friday, 9:00 to 17:00.
    fn office() -> BusinessHours {
        let day = Some(OpenHours {
            open: 9 * 60,
            close: 17 * 60,
        });
        BusinessHours {
            time_zone: "Europe/Paris".into(),
            days: vec![day, day, day, day, day, None, None],
        }
    }

    #[test]
    fn open_now_and_later_today() {
        assert_eq!(office().minutes_until_open(0, 10 * 60), Some(0));
        assert_eq!(office().minutes_until_open(0, 8 * 60), Some(60));
    }

    #[test]
    fn after_closing_the_next_open_day() {
        // Monday 17:00 → Tuesday 9:00 is 16 hours.
        assert_eq!(office().minutes_until_open(0, 17 * 60), Some(16 * 60));
        // Friday 18:00 → Monday 9:00 is 2 days 15 hours.
        assert_eq!(
            office().minutes_until_open(4, 18 * 60),
            Some((2 * 24 + 15) * 60)
        );
        // Saturday noon → Monday 9:00.
        assert_eq!(
            office().minutes_until_open(5, 12 * 60),
            Some((24 + 21) * 60)
        );
    }

    #[test]
    fn never_open_and_bad_shapes() {
        let closed = BusinessHours {
            time_zone: "UTC".into(),
            days: vec![None; 7],
        };
        assert_eq!(closed.minutes_until_open(2, 0), None);
        assert!(office().validate().is_ok());
        let mut bad = office();
        bad.days.pop();
        assert!(bad.validate().is_err());
        let mut bad = office();
        bad.days[0] = Some(OpenHours {
            open: 600,
            close: 500,
        });
        assert!(bad.validate().is_err());
        let mut bad = office();
        bad.time_zone = "Paris; DROP".into();
        assert!(bad.validate().is_err());
    }

    proptest! {
        #[test]
        fn the_answer_lands_inside_open_hours(weekday in 0usize..7, minute in 0u16..1440) {
            let hours = office();
            let wait = hours.minutes_until_open(weekday, minute).unwrap();
            let at = u32::from(minute) + wait;
            let day = (weekday + (at / 1440) as usize) % 7;
            let local = (at % 1440) as u16;
            let open = hours.days[day].unwrap();
            prop_assert!(open.open <= local && local < open.close);
            prop_assert!(wait < 7 * 1440);
        }
    }
}
