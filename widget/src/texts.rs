//! Every text a visitor reads, in their language. The words are data
//! (`widget/texts/<lang>.json`), sent by the edge with the site's settings in the visitor's
//! language only: the download carries none of them, and a language costs nothing to
//! visitors who do not read it.

confab_texts::texts! {
    open, close, title, greeting, placeholder, send, sending, failed, retry, you, team,
    load_failed, retrying, seen, earlier, offline, typing, unread, link_hint, menu, threads,
    new_thread, other_device, show_code, code_hint, qr, have_code, use_code, email, send_link,
    link_sent, devices, this_device, sign_out, sign_out_all, not_now, refused, notify,
    notify_on, notify_blocked,
}

#[cfg(test)]
mod tests {
    /// A translation that misses a text (or has one the widget does not know) fails here,
    /// not on a visitor's screen.
    #[test]
    fn every_language_has_every_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("texts");
        assert!(
            confab_texts::check_files(&dir, super::KEYS) >= 4,
            "en, fr, de and es at least"
        );
    }
}
