//! Every text a visitor reads, in their language. The words are data
//! (`widget/texts/<lang>.json`), sent by the edge with the site's settings in the visitor's
//! language only: the download carries none of them, and a language costs nothing to
//! visitors who do not read it.

confab_texts::texts! {
    open, close, title, greeting, placeholder, send, sending, failed, retry, you, team,
    load_failed, retrying, seen, earlier, offline, typing, unread, link_hint, menu, threads,
    new_thread, other_device, show_code, code_hint, qr, have_code, use_code, email, send_link,
    link_sent, devices, this_device, sign_out, sign_out_all, not_now, refused, notify,
    notify_on, notify_blocked, attach, cancel, file_refused, direction, lang, away_ask,
    rate_good, rate_okay, rate_bad, rate_comment, rate_send, rate_thanks, dismiss,
}

#[cfg(test)]
mod tests {
    /// A translation that misses a text (or has one the widget does not know) fails here,
    /// not on a visitor's screen.
    #[test]
    fn every_language_has_every_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("texts");
        // The files also hold the words the edge writes the header's availability with.
        let keys: Vec<&str> = super::KEYS
            .iter()
            .chain(confab_protocol::availability::KEYS)
            .chain(confab_protocol::console::words::KEYS)
            .chain(confab_protocol::away::KEYS)
            .chain(confab_protocol::rating::KEYS)
            .copied()
            .collect();
        assert!(
            confab_texts::check_files(&dir, &keys) >= 9,
            "en, fr, es, de, nl, it, pt, ar and he at least"
        );
    }

    /// Each file says its language and which way its script runs; the widget tells
    /// screen readers the one and lays itself out by the other.
    #[test]
    fn every_language_says_its_direction() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("texts");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let file: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let lang = path.file_stem().unwrap().to_str().unwrap();
            let rtl = ["ar", "he", "fa", "ur"].contains(&lang);
            let expected = if rtl { "rtl" } else { "ltr" };
            assert_eq!(file["direction"], expected, "{}", path.display());
            assert_eq!(file["lang"], lang, "{}", path.display());
        }
    }
}
