//! How times, hours and browsers read in the console.

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

/// "Firefox on Windows", "Safari on iPhone": enough for an agent to picture the visitor.
pub fn describe_user_agent(ua: &str) -> String {
    if ua.trim().is_empty() {
        return "Unknown browser".to_owned();
    }
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("A browser", |(_, name)| name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let mobile = ua.contains("Mobile") && !matches!(system, Some("iPhone" | "Android"));
    match system {
        Some(system) if mobile => format!("{browser} on {system} (mobile)"),
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_owned(),
    }
}

/// A short, stable name for an anonymous visitor: "Visitor 3fa2".
pub fn visitor_name(visitor_id: &str) -> String {
    format!("Visitor {}", &visitor_id[..visitor_id.len().min(4)])
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
    fn user_agents_read_as_browser_and_system() {
        let chrome_win = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(describe_user_agent(chrome_win), "Chrome on Windows");
        let edge = format!("{chrome_win} Edg/120.0");
        assert_eq!(describe_user_agent(&edge), "Edge on Windows");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_user_agent(iphone), "Safari on iPhone");
        let firefox_mac =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(describe_user_agent(firefox_mac), "Firefox on macOS");
        assert_eq!(describe_user_agent(""), "Unknown browser");
        assert_eq!(describe_user_agent("curl/8"), "A browser");
    }

    #[test]
    fn visitor_names_are_short() {
        assert_eq!(visitor_name("3fa2bc"), "Visitor 3fa2");
        assert_eq!(visitor_name("ab"), "Visitor ab");
    }
}
