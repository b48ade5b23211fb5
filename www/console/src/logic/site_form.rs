//! A site's settings as its form in the console says them. The form's fields are plain
//! inputs read together (one reader for typing, the preview and saving), by their names.

use confab_protocol::console::sites::{Look, Side, SiteSettings, Theme, DEFAULT_ACCENT};

/// The settings the form's fields say; `get(name)` is a field's value ("" when missing).
/// What the form does not show (the availability line) stays as in `base`; an offset that
/// is not a number keeps its last value, and the edge checks everything again.
pub fn settings(get: impl Fn(&str) -> String, base: &SiteSettings) -> SiteSettings {
    let text = |name: &str| Some(get(name).trim().to_owned()).filter(|t| !t.is_empty());
    let offset = |name: &str, before: u16| get(name).trim().parse().unwrap_or(before);
    let origins: Vec<String> = get("origins")
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    SiteSettings {
        name: get("name"),
        team: get("team"),
        availability: base.availability.clone(),
        // Written in their own form (`ui::proactive`).
        proactive: base.proactive.clone(),
        // A checkbox is in the form only while checked.
        away_replies: get("away_replies") == "on",
        origins: (!origins.is_empty()).then_some(origins),
        look: Look {
            // A colour field always has a colour: Confab's own means none of the site's, so
            // dark mode keeps its lighter blue.
            accent: text("accent").filter(|a| !a.eq_ignore_ascii_case(DEFAULT_ACCENT)),
            side: if get("side") == "left" {
                Side::Left
            } else {
                Side::Right
            },
            offset_x: offset("offset_x", base.look.offset_x),
            offset_y: offset("offset_y", base.look.offset_y),
            label: text("label"),
            theme: match get("theme").as_str() {
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => Theme::Auto,
            },
            logo: text("logo"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_make_settings() {
        let base = SiteSettings {
            availability: Some("Within a day".into()),
            ..SiteSettings::default()
        };
        let form = |name: &str| {
            match name {
                "name" => "Shop",
                "team" => "Shop team",
                "origins" => " https://shop.example \n\n https://*.shop.example",
                "accent" => "#0b7285",
                "side" => "left",
                "offset_x" => "12",
                "offset_y" => "lots",
                "label" => "  ",
                "theme" => "dark",
                _ => "",
            }
            .to_owned()
        };
        let read = settings(form, &base);
        assert_eq!(read.name, "Shop");
        assert_eq!(read.availability.as_deref(), Some("Within a day"));
        assert!(!read.away_replies, "unchecked, the box is not in the form");
        assert_eq!(
            read.origins,
            Some(vec![
                "https://shop.example".into(),
                "https://*.shop.example".into()
            ])
        );
        assert_eq!(read.look.accent.as_deref(), Some("#0b7285"));
        assert_eq!(read.look.side, Side::Left);
        assert_eq!((read.look.offset_x, read.look.offset_y), (12, 20));
        assert_eq!(read.look.label, None);
        assert_eq!(read.look.theme, Theme::Dark);
        assert_eq!(read.look.logo, None);
        let default = settings(
            |n| {
                if n == "accent" {
                    DEFAULT_ACCENT.into()
                } else {
                    String::new()
                }
            },
            &base,
        );
        assert_eq!(
            default.look.accent, None,
            "Confab's own accent is none of the site's"
        );
        let empty = settings(|_| String::new(), &base);
        assert_eq!(empty.origins, None);
        assert_eq!(empty.look.side, Side::Right);
    }
}
