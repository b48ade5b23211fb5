//! Which pages may embed a site's widget: the origins its owner lists.
//!
//! A browser names the page's origin in every cross-origin request and every WebSocket
//! handshake (`Origin: https://shop.example`); a script tag copied onto someone else's page
//! therefore arrives with their origin and is refused, so it opens no threads in your inbox.
//! A request without `Origin` is not from a page of another origin (a same-origin `GET`,
//! or no browser at all, which could claim any origin anyway) and passes.
//!
//! A pattern is an exact origin (`https://shop.example`, `http://localhost:8080`), or has
//! `*` as its first host label (`https://*.shop.example`: any subdomain, not the bare
//! domain) or as its port (`http://localhost:*`).

/// Allowed when a site lists no origins: pages served from this machine, so local
/// development works out of the box while a deployed site accepts no stranger.
pub const LOCAL_ORIGINS: &[&str] = &[
    "http://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
    "https://localhost:*",
    "https://127.0.0.1:*",
    "https://[::1]:*",
];

/// Whether a page of `origin` may use a site that allows `allowed` (`None`: the site lists
/// none, see [`LOCAL_ORIGINS`]). `own` is the deployment's origin (the demo page and the
/// console), always allowed.
pub fn allows(allowed: Option<&[String]>, origin: &str, own: &str) -> bool {
    let Some(origin) = Origin::parse(origin) else {
        // Includes "null": sandboxed frames and files have no origin to list.
        return false;
    };
    if Origin::parse(own).is_some_and(|own| own == origin) {
        return true;
    }
    match allowed {
        Some(list) => list.iter().any(|p| matches(p, &origin)),
        None => LOCAL_ORIGINS.iter().any(|p| matches(p, &origin)),
    }
}

/// The origin of a page's address: `https://shop.example:8443/a?b` gives
/// `https://shop.example:8443`.
pub fn origin_of(page: &str) -> &str {
    let after_scheme = page.find("://").map_or(0, |i| i + 3);
    let end = page[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(page.len(), |i| after_scheme + i);
    &page[..end]
}

/// A pattern that can never match anything, or matches more than its owner meant, is a
/// mistake in the site's settings: `https://*.` or `https://shop.example/` are refused.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    let valid = pattern.split_once("://").is_some_and(|(scheme, rest)| {
        let Some((host, port)) = split_port(rest) else {
            return false;
        };
        let name = host.strip_prefix("*.").unwrap_or(host);
        (scheme == "http" || scheme == "https")
            && !name.is_empty()
            && !name.ends_with('.')
            && !name.starts_with('.')
            && !name.contains('*')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b))
            && port.is_none_or(|p| p == "*" || p.parse::<u16>().is_ok())
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{pattern:?} is not an origin such as https://shop.example, https://*.shop.example \
             or http://localhost:*"
        ))
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn parse(input: &str) -> Option<Origin> {
        let (scheme, rest) = input.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let (host, port) = split_port(rest)?;
        let port = match port {
            None => default_port,
            Some(p) => p.parse().ok()?,
        };
        let host = host.to_ascii_lowercase();
        let valid = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
        valid.then_some(Origin { scheme, host, port })
    }
}

/// "host:port" into host and port, with IPv6 hosts in brackets; no path allowed.
fn split_port(rest: &str) -> Option<(&str, Option<&str>)> {
    if rest.contains('/') {
        return None;
    }
    let port_colon = match rest.rfind(':') {
        Some(i) if !rest[i..].contains(']') => Some(i),
        _ => None,
    };
    Some(match port_colon {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    })
}

fn matches(pattern: &str, origin: &Origin) -> bool {
    let Some((scheme, rest)) = pattern.trim().split_once("://") else {
        return false;
    };
    let Some((host, port)) = split_port(rest) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case(&origin.scheme) {
        return false;
    }
    let port_ok = match port {
        Some("*") => true,
        Some(p) => p.parse::<u16>().ok() == Some(origin.port),
        None => origin.port == if origin.scheme == "https" { 443 } else { 80 },
    };
    let host = host.to_ascii_lowercase();
    let host_ok = match host.strip_prefix("*.") {
        Some(domain) => origin
            .host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
        None => host == origin.host,
    };
    port_ok && host_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://chat.example";

    fn list(patterns: &[&str]) -> Vec<String> {
        patterns.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn listed_origins_and_nothing_else() {
        let allowed = list(&["https://shop.example", "https://*.blog.example"]);
        let yes = |o: &str| allows(Some(&allowed), o, OWN);
        assert!(yes("https://shop.example"));
        assert!(yes("https://SHOP.example:443"));
        assert!(yes("https://www.blog.example"));
        assert!(yes("https://a.b.blog.example"));
        assert!(!yes("https://blog.example"), "a wildcard is a subdomain");
        assert!(!yes("https://evilblog.example"));
        assert!(!yes("http://shop.example"), "the scheme counts");
        assert!(!yes("https://shop.example:8443"), "the port counts");
        assert!(!yes("https://shop.example.evil.example"));
        assert!(!yes("null"));
        assert!(!yes(""));
        assert!(!yes("https://shop.example/path"));
        assert!(yes(OWN), "the deployment's own pages");
        assert!(!yes("http://localhost:8080"), "a list replaces the default");
    }

    #[test]
    fn without_a_list_only_this_machine() {
        for origin in [
            "http://localhost:8787",
            "http://127.0.0.1:41234",
            "http://[::1]:3000",
            OWN,
        ] {
            assert!(allows(None, origin, OWN), "{origin}");
        }
        for origin in [
            "https://shop.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example:80",
        ] {
            assert!(!allows(None, origin, OWN), "{origin}");
        }
    }

    #[test]
    fn ports_and_wildcard_ports() {
        let allowed = list(&["http://localhost:*", "http://dev.example:8080"]);
        assert!(allows(Some(&allowed), "http://localhost:1", OWN));
        assert!(allows(Some(&allowed), "http://localhost", OWN));
        assert!(allows(Some(&allowed), "http://dev.example:8080", OWN));
        assert!(!allows(Some(&allowed), "http://dev.example", OWN));
        assert!(!allows(Some(&allowed), "http://dev.example:99999", OWN));
    }

    #[test]
    fn the_origin_of_a_page() {
        assert_eq!(
            origin_of("https://shop.example:8443/a/b?c#d"),
            "https://shop.example:8443"
        );
        assert_eq!(origin_of("https://shop.example?x"), "https://shop.example");
        assert_eq!(origin_of("https://shop.example"), "https://shop.example");
        let allowed = list(&["https://shop.example"]);
        assert!(!allows(
            Some(&allowed),
            origin_of("https://shop.example.evil/x"),
            OWN
        ));
        assert!(!allows(
            Some(&allowed),
            origin_of("https://shop.example@evil.example/"),
            OWN
        ));
    }

    #[test]
    fn patterns_are_checked() {
        for good in [
            "https://shop.example",
            "http://localhost:*",
            "https://*.a.example",
        ] {
            assert!(check_pattern(good).is_ok(), "{good}");
        }
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://",
            "https://a.example/x",
            "https://shop.example/",
            "https://shop.example.",
            "https://*.",
            "https://*",
            "https://a.*.example",
            "https://shop.example:http",
            "https://shop.example:99999",
            "https://shop example",
        ] {
            assert!(check_pattern(bad).is_err(), "{bad}");
        }
    }
}
