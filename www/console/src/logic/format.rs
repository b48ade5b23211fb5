//! How times, hours and visitors read in the console.

/// "now", "5m", "3h", "2d", "6w": how long ago `then` was, compactly, for the list.
pub fn relative_time(now_ms: u64, then_ms: u64) -> String {
    let minutes = now_ms.saturating_sub(then_ms) / 60_000;
    match minutes {
        0 => "now".to_owned(),
        1..=59 => format!("{minutes}m"),
        60..=1439 => format!("{}h", minutes / 60),
        1440..=10_079 => format!("{}d", minutes / 1440),
        _ => format!("{}w", minutes / 10_080),
    }
}

/// "09:30" for minutes after midnight, as `<input type="time">` wants it. The end of the
/// day (1440) reads "00:00", as a closing time.
pub fn clock(minutes: u16) -> String {
    let minutes = minutes % 1440;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight from "HH:MM". A closing time of "00:00" is the end of the day.
pub fn parse_clock(text: &str, closing: bool) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    let minutes = h * 60 + m;
    Some(if closing && minutes == 0 {
        1440
    } else {
        minutes
    })
}

/// "10" or "0.5": a delay in seconds as the minutes a form shows.
pub fn minutes(seconds: u64) -> String {
    if seconds.is_multiple_of(60) {
        (seconds / 60).to_string()
    } else {
        let text = format!("{:.2}", seconds as f64 / 60.0);
        text.trim_end_matches('0').to_owned()
    }
}

/// Seconds from minutes as typed ("10", "0.5", "1,5"); none for anything else.
pub fn parse_minutes(text: &str) -> Option<u64> {
    let minutes: f64 = text.trim().replace(',', ".").parse().ok()?;
    (minutes.is_finite() && minutes >= 0.0).then(|| (minutes * 60.0).round() as u64)
}

/// A short, stable name for an anonymous visitor: "Visitor 3fa2" (`word` is "Visitor" in
/// the agent's language).
pub fn visitor_name(word: &str, visitor_id: &str) -> String {
    format!("{word} {}", &visitor_id[..visitor_id.len().min(4)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let min = 60_000;
        assert_eq!(relative_time(10 * min, 10 * min), "now");
        assert_eq!(relative_time(10 * min, 5 * min), "5m");
        assert_eq!(relative_time(200 * min, 20 * min), "3h");
        assert_eq!(relative_time(3 * 1440 * min, 0), "3d");
        assert_eq!(relative_time(15 * 1440 * min, 0), "2w");
        // A clock a little behind the server's is "now", not a panic.
        assert_eq!(relative_time(0, 5 * min), "now");
    }

    #[test]
    fn clocks_round_trip() {
        assert_eq!(clock(9 * 60 + 5), "09:05");
        assert_eq!(clock(1440), "00:00");
        assert_eq!(parse_clock("09:05", false), Some(545));
        assert_eq!(parse_clock("00:00", false), Some(0));
        assert_eq!(parse_clock("00:00", true), Some(1440));
        assert_eq!(parse_clock("17:30:00", true), Some(1050));
        for bad in ["", "9", "24:00", "12:60", "ab:cd"] {
            assert_eq!(parse_clock(bad, false), None, "{bad}");
        }
        for m in [0u16, 1, 599, 1439] {
            assert_eq!(parse_clock(&clock(m), false), Some(m));
        }
    }

    #[test]
    fn minutes_round_trip() {
        assert_eq!(minutes(600), "10");
        assert_eq!(minutes(0), "0");
        assert_eq!(minutes(30), "0.5");
        assert_eq!(minutes(1), "0.02");
        assert_eq!(parse_minutes(" 10 "), Some(600));
        assert_eq!(parse_minutes("0.5"), Some(30));
        assert_eq!(parse_minutes("1,5"), Some(90));
        for bad in ["", "-1", "ten", "NaN", "inf"] {
            assert_eq!(parse_minutes(bad), None, "{bad}");
        }
        for s in [0u64, 60, 90, 3600, 7 * 24 * 3600] {
            assert_eq!(parse_minutes(&minutes(s)), Some(s));
        }
    }

    #[test]
    fn visitor_names_are_short() {
        assert_eq!(visitor_name("Visitor", "3fa2bc"), "Visitor 3fa2");
        assert_eq!(visitor_name("Visiteur", "ab"), "Visiteur ab");
    }
}
