//! The widget's words in each language it speaks (`widget/texts/*.json`, found by
//! `build.rs`), sent with a site's settings: a visitor downloads their own language only,
//! and a new language costs the others nothing.

use confab_protocol::console::words::{self, SiteWords, Words};
use confab_protocol::{availability, away, language};
use serde_json::Value;

/// Each language's tag and its file, sorted by tag.
const WIDGET: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/widget_texts.rs"));

thread_local! {
    /// Each file read once per isolate, not on every page view (files change only with a
    /// deployment, which starts new isolates).
    static READ: std::cell::OnceCell<Vec<(&'static str, Value)>> = const { std::cell::OnceCell::new() };
}

/// The language that serves `tag` (English when the widget does not speak it), as its
/// file is named.
pub fn language_of(tag: &str) -> &'static str {
    language::choose(tag, languages())
}

/// The whole file of the language that serves `tag`, as a JSON object.
pub fn file(tag: &str) -> Value {
    let lang = language_of(tag);
    READ.with(|read| {
        read.get_or_init(|| {
            WIDGET
                .iter()
                .map(|(lang, file)| (*lang, serde_json::from_str(file).unwrap_or_default()))
                .collect()
        })
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, texts)| texts.clone())
        .unwrap_or_default()
    })
}

/// The languages the widget speaks, as their files are named.
pub fn languages() -> impl Iterator<Item = &'static str> + Clone {
    WIDGET.iter().map(|(lang, _)| *lang)
}

/// Each language's default welcome and away message, for the console.
pub fn defaults() -> SiteWords {
    languages()
        .map(|lang| {
            let file = file(lang);
            let text = |key: &str| file.get(key).and_then(|t| t.as_str()).map(str::to_owned);
            let words = Words {
                welcome: text("greeting"),
                away: text("away"),
                availability: None,
                away_reply: text("away_reply"),
            };
            (lang.to_owned(), words)
        })
        .collect()
}

/// The locale to word times and counts in for `tag`: the tag itself when the widget
/// speaks its language (`fr-CA`), else the language the widget answers in.
pub fn locale(tag: &str) -> String {
    let lang = language_of(tag);
    if language::primary(tag) == lang {
        tag.trim().to_owned()
    } else {
        lang.to_owned()
    }
}

/// A language's file as the widget gets it: without the texts only the edge uses (the
/// header's availability line, the away message and reply).
pub fn for_widget(mut texts: Value) -> Value {
    if let Some(texts) = texts.as_object_mut() {
        let edge_only = |key: &str| {
            availability::KEYS.contains(&key)
                || words::KEYS.contains(&key)
                || away::KEYS.contains(&key)
                || confab_protocol::rating::KEYS.contains(&key)
        };
        texts.retain(|key, _| !edge_only(key));
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widget_of(tag: &str) -> Value {
        for_widget(file(tag))
    }

    #[test]
    fn each_language_is_a_file_and_english_is_the_default() {
        assert!(WIDGET.iter().any(|(lang, _)| *lang == language::DEFAULT));
        assert_eq!(widget_of("fr-CA")["send"], "Envoyer");
        assert_eq!(widget_of("ja")["send"], "Send");
        assert_eq!(widget_of("")["send"], "Send");
        // The header's words stay at the edge.
        assert!(widget_of("en").get("online_now").is_none());
        assert_eq!(file("fr")["online_now"], "En ligne");
        assert_eq!(locale("fr-CA"), "fr-CA");
        assert_eq!(locale("ja-JP"), "en");
    }
}
