//! The reports screen's figures, from facts each site's inbox keeps per conversation as it
//! changes (when it started, in the site's own time, when the team first answered and
//! whether that was within business hours, when it was resolved): a view reads those rows
//! for its range, never the messages.

use serde::{Deserialize, Serialize};

use crate::rating::Score;

const MS_PER_DAY: u64 = 86_400_000;

/// The ranges the screen offers, in days.
pub const RANGES: [u32; 3] = [7, 30, 90];

/// What the inbox keeps of one conversation for reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub started_at: u64,
    /// Its start in the site's zone: day (since the Unix epoch), weekday (0 = Monday), hour.
    pub local: LocalTime,
    pub first_reply_at: Option<u64>,
    /// The first reply came while the team was open (by its business hours; always, for
    /// a site without any).
    pub replied_in_hours: bool,
    pub resolved_at: Option<u64>,
    /// How the visitor rated it, if they did.
    #[serde(default)]
    pub rating: Option<Score>,
}

/// A moment in the site's zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalTime {
    pub day: u32,
    pub weekday: u8,
    pub hour: u8,
}

impl LocalTime {
    /// `at_ms` in a zone whose clock there reads `weekday` (0 = Monday) and `minute` of
    /// the day, as the runtime's time zone database says: the zone's offset follows from
    /// the difference to the same instant in UTC.
    pub fn of(at_ms: u64, weekday: usize, minute: u16) -> LocalTime {
        let week = 7 * 1440i64;
        let utc_minutes = (at_ms / 60_000) as i64;
        // 1970-01-01 was a Thursday: 3 days after a Monday.
        let utc_in_week = (utc_minutes + 3 * 1440).rem_euclid(week);
        let local_in_week = weekday as i64 * 1440 + i64::from(minute);
        let mut offset = (local_in_week - utc_in_week).rem_euclid(week);
        if offset > week / 2 {
            offset -= week;
        }
        let local_minutes = utc_minutes + offset;
        LocalTime {
            day: local_minutes.div_euclid(1440) as u32,
            weekday: weekday as u8,
            hour: (minute / 60) as u8,
        }
    }

    /// `at_ms` in UTC, for a site without business hours.
    pub fn utc(at_ms: u64) -> LocalTime {
        let minutes = at_ms / 60_000;
        LocalTime {
            day: (at_ms / MS_PER_DAY) as u32,
            weekday: ((minutes / 1440 + 3) % 7) as u8,
            hour: ((minutes % 1440) / 60) as u8,
        }
    }
}

/// A spread of durations, in seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub count: u32,
    pub median_seconds: Option<u64>,
    pub p90_seconds: Option<u64>,
}

impl Spread {
    fn of(mut values: Vec<u64>) -> Spread {
        values.sort_unstable();
        // Nearest rank: the smallest value at or above the share asked for.
        let rank = |share: f64| {
            let n = values.len();
            (n > 0).then(|| values[((share * n as f64).ceil() as usize).clamp(1, n) - 1] / 1000)
        };
        Spread {
            count: values.len() as u32,
            median_seconds: rank(0.5),
            p90_seconds: rank(0.9),
        }
    }
}

/// One day of the range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// `YYYY-MM-DD`, in the site's zone.
    pub date: String,
    pub started: u32,
    pub answered: u32,
    pub resolved: u32,
    /// Ratings of the day's conversations: good, okay, bad.
    #[serde(default)]
    pub ratings: [u32; 3],
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub days: Vec<Day>,
    pub started: u32,
    /// From a conversation's start to the team's first reply.
    pub first_reply: Spread,
    /// From a conversation's start to its resolution.
    pub resolution: Spread,
    /// Of the conversations answered, how many were first answered within business hours.
    pub answered_in_hours: u32,
    /// Conversations started per weekday (Monday first) and hour, in the site's zone.
    pub busiest: Vec<Vec<u32>>,
    /// Ratings of the range's conversations: good, okay, bad.
    #[serde(default)]
    pub ratings: [u32; 3],
    /// Each proactive rule's teasers shown and conversations started in the range.
    #[serde(default)]
    pub proactive: Vec<crate::proactive::Counts>,
}

/// The report of the `range` days up to `today` (site's days), from the facts of the
/// conversations started in them.
pub fn report(facts: &[Facts], today: u32, range: u32) -> Report {
    let first = today.saturating_sub(range.saturating_sub(1));
    let mut days: Vec<Day> = (first..=today)
        .map(|day| Day {
            date: date(day),
            ..Day::default()
        })
        .collect();
    let mut busiest = vec![vec![0u32; 24]; 7];
    let (mut replies, mut resolutions, mut in_hours) = (Vec::new(), Vec::new(), 0);
    let (mut started, mut ratings) = (0, [0u32; 3]);
    for f in facts
        .iter()
        .filter(|f| (first..=today).contains(&f.local.day))
    {
        started += 1;
        let day = &mut days[(f.local.day - first) as usize];
        day.started += 1;
        busiest[usize::from(f.local.weekday % 7)][usize::from(f.local.hour % 24)] += 1;
        if let Some(at) = f.first_reply_at {
            day.answered += 1;
            replies.push(at.saturating_sub(f.started_at));
            in_hours += u32::from(f.replied_in_hours);
        }
        if let Some(at) = f.resolved_at {
            day.resolved += 1;
            resolutions.push(at.saturating_sub(f.started_at));
        }
        if let Some(score) = f.rating {
            day.ratings[score as usize] += 1;
            ratings[score as usize] += 1;
        }
    }
    Report {
        days,
        started,
        first_reply: Spread::of(replies),
        resolution: Spread::of(resolutions),
        answered_in_hours: in_hours,
        busiest,
        ratings,
        // Counted apart (`Inbox::proactive_counts`): shows are not conversations.
        proactive: Vec::new(),
    }
}

/// A unit a duration is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// A duration as the screen shows it, in its two largest units ("1 h 5 min", "3 d 2 h",
/// "40 s"); the words for each unit are the console's texts.
pub fn duration_parts(seconds: u64) -> Vec<(u64, Unit)> {
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60);
    let parts = match seconds {
        0..=59 => vec![(seconds, Unit::Seconds)],
        60..=3_599 => vec![(minutes, Unit::Minutes)],
        3_600..=86_399 => vec![(hours, Unit::Hours), (minutes, Unit::Minutes)],
        _ => vec![(days, Unit::Days), (hours, Unit::Hours)],
    };
    parts
        .into_iter()
        .filter(|(n, _)| *n > 0 || seconds == 0)
        .collect()
}

/// The days of a report as a spreadsheet takes them.
pub fn csv(report: &Report) -> String {
    let mut out =
        String::from("date,started,answered,resolved,rated_good,rated_okay,rated_bad\r\n");
    for day in &report.days {
        let [good, okay, bad] = day.ratings;
        out.push_str(&format!(
            "{},{},{},{},{good},{okay},{bad}\r\n",
            day.date, day.started, day.answered, day.resolved
        ));
    }
    out
}

/// `YYYY-MM-DD` of a day since the Unix epoch (the proleptic Gregorian calendar).
pub fn date(day: u32) -> String {
    // Days to civil date, after Howard Hinnant's algorithm.
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;
    const HOUR: u64 = 60 * MIN;
    /// Monday 2026-12-07 00:00 UTC.
    const MONDAY: u64 = 20_794 * MS_PER_DAY;

    fn started(
        at: u64,
        reply_after: Option<u64>,
        in_hours: bool,
        resolved_after: Option<u64>,
    ) -> Facts {
        Facts {
            started_at: at,
            local: LocalTime::utc(at),
            first_reply_at: reply_after.map(|d| at + d),
            replied_in_hours: in_hours,
            resolved_at: resolved_after.map(|d| at + d),
            rating: None,
        }
    }

    #[test]
    fn days_are_dated_in_the_sites_zone() {
        assert_eq!(date(20_794), "2026-12-07");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(19_782), "2024-02-29");
        assert_eq!(
            LocalTime::utc(MONDAY + 10 * HOUR),
            LocalTime {
                day: 20_794,
                weekday: 0,
                hour: 10
            }
        );
        // 23:30 UTC on Monday is 08:30 on Tuesday in Tokyo, 18:30 on Monday in New York.
        let late = MONDAY + 23 * HOUR + 30 * MIN;
        assert_eq!(
            LocalTime::of(late, 1, 8 * 60 + 30),
            LocalTime {
                day: 20_795,
                weekday: 1,
                hour: 8
            }
        );
        assert_eq!(
            LocalTime::of(late, 0, 18 * 60 + 30),
            LocalTime {
                day: 20_794,
                weekday: 0,
                hour: 18
            }
        );
        // 00:30 UTC on Monday is Sunday evening in New York.
        let early = MONDAY + 30 * MIN;
        assert_eq!(
            LocalTime::of(early, 6, 19 * 60 + 30),
            LocalTime {
                day: 20_793,
                weekday: 6,
                hour: 19
            }
        );
    }

    #[test]
    fn a_scripted_week_gives_exact_figures() {
        let tuesday = MONDAY + MS_PER_DAY;
        let facts = vec![
            // Monday 09:00: answered in 2 minutes within hours, resolved after an hour.
            started(MONDAY + 9 * HOUR, Some(2 * MIN), true, Some(HOUR)),
            // Monday 09:30: answered in 10 minutes within hours, still open.
            started(MONDAY + 9 * HOUR + 30 * MIN, Some(10 * MIN), true, None),
            // Monday 22:00: answered the next morning, outside hours; resolved after 12 h.
            started(MONDAY + 22 * HOUR, Some(11 * HOUR), false, Some(12 * HOUR)),
            // Tuesday 09:00: not answered yet.
            started(tuesday + 9 * HOUR, None, false, None),
            // Long before the range: left out.
            started(MONDAY - 40 * MS_PER_DAY, Some(MIN), true, Some(MIN)),
        ];
        // The two resolved on Monday were rated good and bad; the old one good.
        let mut facts = facts;
        facts[0].rating = Some(Score::Good);
        facts[2].rating = Some(Score::Bad);
        facts[4].rating = Some(Score::Good);
        let report = report(&facts, 20_795, 7);
        assert_eq!(report.days.len(), 7);
        assert_eq!(report.days[0].date, "2026-12-02");
        let monday = &report.days[5];
        assert_eq!(
            (
                monday.date.as_str(),
                monday.started,
                monday.answered,
                monday.resolved
            ),
            ("2026-12-07", 3, 3, 2)
        );
        assert_eq!((report.days[6].started, report.days[6].answered), (1, 0));
        assert_eq!(report.started, 4);
        assert_eq!(
            report.first_reply,
            Spread {
                count: 3,
                median_seconds: Some(600),
                p90_seconds: Some(39_600)
            }
        );
        assert_eq!(
            report.resolution,
            Spread {
                count: 2,
                median_seconds: Some(3_600),
                p90_seconds: Some(43_200)
            }
        );
        assert_eq!(report.answered_in_hours, 2);
        assert_eq!(report.busiest[0][9], 2);
        assert_eq!(report.busiest[0][22], 1);
        assert_eq!(report.busiest[1][9], 1);
        assert_eq!(report.busiest.iter().flatten().sum::<u32>(), 4);
        assert_eq!(
            csv(&report).lines().skip(6).collect::<Vec<_>>(),
            ["2026-12-07,3,3,2,1,0,1", "2026-12-08,1,0,0,0,0,0"]
        );
        assert_eq!(report.ratings, [1, 0, 1], "the old one is out of range");
        assert_eq!(monday.ratings, [1, 0, 1]);
    }

    #[test]
    fn durations_show_in_their_two_largest_units() {
        use Unit::*;
        assert_eq!(duration_parts(0), [(0, Seconds)]);
        assert_eq!(duration_parts(42), [(42, Seconds)]);
        assert_eq!(duration_parts(600), [(10, Minutes)]);
        assert_eq!(duration_parts(3_900), [(1, Hours), (5, Minutes)]);
        assert_eq!(duration_parts(7_200), [(2, Hours)]);
        assert_eq!(
            duration_parts(3 * 86_400 + 2 * 3_600 + 59),
            [(3, Days), (2, Hours)]
        );
    }

    #[test]
    fn an_empty_range_has_its_days_and_no_figures() {
        let report = report(&[], 20_795, 30);
        assert_eq!(report.days.len(), 30);
        assert_eq!(report.first_reply, Spread::default());
        assert!(report.days.iter().all(|d| d.started == 0));
    }
}
