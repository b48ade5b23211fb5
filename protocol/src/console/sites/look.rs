//! How a site's widget looks: its accent colour, where the launcher sits, what it says, the
//! theme and the header's logo. The loader applies it before it draws anything, so a
//! visitor never sees the default look first.

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// WCAG 2 AA for normal text: white text on the accent (the launcher's icon, the visitor's
/// bubbles, buttons) must reach this contrast.
pub const MIN_CONTRAST: f64 = 4.5;
/// The furthest the launcher may sit from the screen's edges, in CSS pixels.
pub const MAX_OFFSET_PX: u16 = 200;
/// The longest launcher label, in characters.
pub const MAX_LABEL_CHARS: usize = 30;
/// Confab's own accent (lighter in dark mode): a site without one of its own has this.
pub const DEFAULT_ACCENT: &str = "#3b5bdb";
/// The longest logo address.
pub const MAX_LOGO_LEN: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    /// `#rrggbb`; `None`: Confab's own blue (lighter in dark mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    #[serde(default)]
    pub side: Side,
    /// From the screen's side edge and bottom edge.
    #[serde(default = "default_offset")]
    pub offset_x: u16,
    #[serde(default = "default_offset")]
    pub offset_y: u16,
    /// Words beside the launcher's icon ("Chat with us"); `None`: the icon alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    /// An image shown in the panel's header, beside the team's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

fn default_offset() -> u16 {
    20
}

impl Default for Look {
    fn default() -> Self {
        Look {
            accent: None,
            side: Side::Right,
            offset_x: default_offset(),
            offset_y: default_offset(),
            label: None,
            theme: Theme::Auto,
            logo: None,
        }
    }
}

/// The screen side the launcher sits on, for left-to-right languages; right-to-left ones
/// mirror it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    Right,
    Left,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// The visitor's system setting.
    #[default]
    Auto,
    Light,
    Dark,
}

/// The look as CSS for the widget's shadow root, after the loader's own rules: the accent
/// (`--site-accent`, which the launcher and the panel use), the theme, the corner (left
/// sites move to the right in right-to-left languages, as right ones move left) and the
/// launcher's label. Everything in it was checked (`checked`): the label is escaped as a
/// CSS string, the rest are numbers, a hex colour and fixed words.
pub fn css(look: &Look) -> String {
    let mut css = String::new();
    if let Some(accent) = &look.accent {
        css += &format!(":host{{--site-accent:{accent}}}");
    }
    match look.theme {
        Theme::Auto => {}
        Theme::Light => css += ":host{color-scheme:light!important}",
        Theme::Dark => css += ":host{color-scheme:dark!important}",
    }
    let (x, y) = (look.offset_x, look.offset_y);
    let right = format!("{{inset:auto {x}px {y}px auto!important}}");
    let left = format!("{{inset:auto auto {y}px {x}px!important}}");
    let (ltr, rtl) = match look.side {
        Side::Right => (right, left),
        Side::Left => {
            // The panel opens above the launcher, on its side.
            css += ":host .confab{align-items:flex-start}";
            (left, right)
        }
    };
    css += &format!(":host{ltr}:host([dir]){rtl}");
    // Higher up, the panel above the launcher is shorter, so that it stays on the screen
    // (phones show it full screen whatever the offsets).
    if y != default_offset() {
        let room = u32::from(y) + 90;
        css += &format!(
            "@media (min-width:481px){{:host .panel{{height:min(600px,calc(100vh - {room}px))}}}}"
        );
    }
    if let Some(label) = &look.label {
        let mut quoted = String::from("\"");
        for c in label.chars() {
            if c == '"' || c == '\\' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        css += &format!(
            ".launcher{{width:auto;border-radius:28px;padding:0 20px 0 16px;display:flex;gap:8px;\
             font:600 15px system-ui,sans-serif}}.launcher:after{{content:{quoted}}}"
        );
    }
    css
}

/// The look as stored, or refused naming its field.
pub fn checked(mut look: Look) -> Result<Look, ApiError> {
    if let Some(accent) = look.accent.as_mut() {
        *accent = accent.trim().to_ascii_lowercase();
        let rgb = parse_hex(accent).ok_or_else(|| {
            ApiError::invalid("settings.look.accent", "must be a colour written #rrggbb")
        })?;
        let contrast = contrast_with_white(rgb);
        if contrast < MIN_CONTRAST {
            return Err(ApiError::invalid(
                "settings.look.accent",
                &format!(
                    "white text on {accent} has a contrast of {contrast:.1}:1, and WCAG AA \
                     needs {MIN_CONTRAST}:1; choose a darker colour"
                ),
            ));
        }
    }
    for (field, offset) in [("offset_x", look.offset_x), ("offset_y", look.offset_y)] {
        if offset > MAX_OFFSET_PX {
            return Err(ApiError::invalid(
                &format!("settings.look.{field}"),
                &format!("must be 0 to {MAX_OFFSET_PX} pixels"),
            ));
        }
    }
    look.label = look
        .label
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|l| !l.is_empty());
    if look
        .label
        .as_ref()
        .is_some_and(|l| l.chars().count() > MAX_LABEL_CHARS)
    {
        return Err(ApiError::invalid(
            "settings.look.label",
            &format!("is longer than {MAX_LABEL_CHARS} characters"),
        ));
    }
    look.logo = look
        .logo
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty());
    if let Some(logo) = &look.logo {
        // https only: an http image on an https page is mixed content, and is blocked.
        let web = logo.starts_with("https://");
        let plain = logo.len() <= MAX_LOGO_LEN
            && !logo
                .chars()
                .any(|c| c.is_whitespace() || "\"'<>\\".contains(c));
        if !web || !plain {
            return Err(ApiError::invalid(
                "settings.look.logo",
                &format!(
                    "must be an https:// address of an image, at most {MAX_LOGO_LEN} characters"
                ),
            ));
        }
    }
    Ok(look)
}

fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2's contrast ratio of white against `rgb`.
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb.map(channel);
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_accent(accent: &str) -> Result<Look, ApiError> {
        checked(Look {
            accent: Some(accent.into()),
            ..Look::default()
        })
    }

    #[test]
    fn contrast_is_wcag_s() {
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((contrast_with_white([255, 255, 255]) - 1.0).abs() < 1e-9);
        // Confab's own blue passes; the WCAG reference grey #767676 is just above 4.5.
        assert!(contrast_with_white([0x3b, 0x5b, 0xdb]) > MIN_CONTRAST);
        assert!(contrast_with_white([0x76, 0x76, 0x76]) > MIN_CONTRAST);
        assert!(contrast_with_white([0x77, 0x77, 0x77]) < MIN_CONTRAST);
    }

    #[test]
    fn an_unreadable_accent_is_refused_with_its_contrast() {
        assert_eq!(
            with_accent(" #0B7285 ").unwrap().accent.as_deref(),
            Some("#0b7285")
        );
        let error = with_accent("#ffd43b").unwrap_err();
        assert!(error.message.contains("settings.look.accent"));
        assert!(error.message.contains("1.4:1"), "{}", error.message);
        for wrong in ["blue", "#fff", "#12345g", "rgb(0,0,0)"] {
            assert!(with_accent(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn css_says_the_look_and_nothing_else() {
        assert_eq!(
            css(&Look::default()),
            ":host{inset:auto 20px 20px auto!important}:host([dir]){inset:auto auto 20px 20px!important}"
        );
        let look = checked(Look {
            accent: Some("#0b7285".into()),
            side: Side::Left,
            offset_x: 8,
            offset_y: 90,
            label: Some("Say \"hi\" \\ }\n".into()),
            theme: Theme::Dark,
            logo: None,
        })
        .unwrap();
        let css = css(&look);
        assert!(css.starts_with(":host{--site-accent:#0b7285}:host{color-scheme:dark!important}"));
        assert!(css.contains(":host{inset:auto auto 90px 8px!important}:host([dir]){inset:auto 8px 90px auto!important}"));
        assert!(css.contains(".confab{align-items:flex-start}"));
        assert!(
            css.contains("calc(100vh - 180px)"),
            "the panel fits above: {css}"
        );
        // The label cannot leave its string: quotes and backslashes escaped, controls gone.
        assert!(
            css.ends_with(r#".launcher:after{content:"Say \"hi\" \\ }"}"#),
            "{css}"
        );
    }

    #[test]
    fn offsets_labels_and_logos_are_bounded() {
        let far = Look {
            offset_y: MAX_OFFSET_PX + 1,
            ..Look::default()
        };
        assert!(checked(far).unwrap_err().message.contains("offset_y"));
        let label = Look {
            label: Some("  Chat with us ".into()),
            ..Look::default()
        };
        assert_eq!(
            checked(label).unwrap().label.as_deref(),
            Some("Chat with us")
        );
        for logo in [
            "http://a.example/logo.png",
            "javascript:alert(1)",
            "https://a.example/x\" onerror=\"x",
            "data:image/png;base64,AA",
        ] {
            let look = Look {
                logo: Some(logo.into()),
                ..Look::default()
            };
            assert!(checked(look).is_err(), "{logo}");
        }
    }
}
