//! Which of the languages Confab speaks a visitor gets, from a BCP 47 tag such as `fr-CA`.

/// The language everything falls back to, and that every text exists in.
pub const DEFAULT: &str = "en";

/// The tag's primary language, lowercased: `fr-CA` and `FR_ca` are both `fr`.
pub fn primary(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The language of `available` that serves `tag`, or [`DEFAULT`] when none does.
pub fn choose<'a>(tag: &str, available: impl IntoIterator<Item = &'a str>) -> &'a str {
    let wanted = primary(tag);
    available
        .into_iter()
        .find(|lang| *lang == wanted)
        .unwrap_or(DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPOKEN: [&str; 3] = ["en", "fr", "de"];

    #[test]
    fn a_region_or_case_does_not_change_the_language() {
        assert_eq!(choose("fr-CA", SPOKEN), "fr");
        assert_eq!(choose("DE_at", SPOKEN), "de");
        assert_eq!(choose(" fr ", SPOKEN), "fr");
    }

    #[test]
    fn an_unknown_or_missing_language_is_the_default() {
        assert_eq!(choose("ja-JP", SPOKEN), DEFAULT);
        assert_eq!(choose("", SPOKEN), DEFAULT);
        assert_eq!(choose("-", SPOKEN), DEFAULT);
        // A prefix is not a language: "f" is not French, nor "fra" (a three-letter tag).
        assert_eq!(choose("f", SPOKEN), DEFAULT);
    }
}
