//! Every text an agent reads in the console, in their language. The words are data
//! (`www/console/texts/<lang>.json`), fetched by `index.html` in the agent's language only
//! and handed to `start`: the download carries none of them. A text with a `{name}` in it
//! is filled with `replace`.

use std::cell::Cell;

confab_texts::texts! {
    unassigned, assign_to_me, unassign, assign_to, assign_to_choose, resolve, reopen, snooze_hour, snooze_tomorrow, loading, shortcut_invalid, canned_replies, canned_hint, shortcut, canned_body, save, delete_canned, delete, no_canned, write_a, mode_reply, mode_note, internal_note, reply_to_visitor, reply_placeholder, note_placeholder, add_note, send, visitor, page, unknown, browser, language, local_time, earlier_conversations, none, conversation, back_to_list, monday, tuesday, wednesday, thursday, friday, saturday, sunday, day_needs_times, business_hours, set_business_hours, time_zone, open_day, day_opens, day_closes, save_hours, saved, conversations, reconnecting, no_conversations, team_said, unread_count, status_open, status_resolved, snoozed_until, snoozed, page_failed, try_again, console_title, email, password, sign_in, welcome, choose_password, password_rule, set_password, password_invalid, team, messages, earlier_messages, sending, not_sent, seen, retry, note_by, reached_push, reached_email, not_saved, saving, reach_title, reach_hint, reach_push, reach_email, reach_after, reach_gap, push, minutes_as_numbers, at_most_7_days, view_mine, view_all, view_resolved, inbox, site, switch_presence, away, online, search, search_placeholder, online_names, sign_out, notify_unavailable, notify_on, notify_blocked, notify_turn_on, admins_only, name, role, actions, remove_agent, admin, agent, remove, invite_agent, send_invite, invite_link, menu, pick_conversation, an_agent, words_title, words_hint, words_welcome, words_away, words_availability, words_away_reply, save_words, reports, rating_good, rating_okay, rating_bad, rated
}

/// The sites' texts, read from the same file only when the team page first needs them:
/// the inbox's download does not carry the code that reads them.
pub mod sites {
    confab_texts::texts! {
        sites_title, sites_hint, site_id, site_name, site_team, create_site, site_removed, script_tag, copy, copied, origins, look_title, accent, side, side_right, side_left, offset_x, offset_y, launcher_label, theme, theme_auto, theme_light, theme_dark, logo, preview, save_site, remove_site, remove_hint, restore_site, delete_confirm, delete_site, site_deleted, preview_message, away_replies, proactive_title, proactive_hint, no_rules, new_rule, edit_rule, rule_name, rule_from, rule_when, rule_kind, kind_page, kind_time_on_page, kind_scroll, kind_exit_intent, kind_returning, kind_attribute, kind_event, rule_pattern, rule_event, rule_attribute, rule_op, rule_value, rule_seconds, rule_percent, add_condition, remove_condition, rule_message, save_rule, cancel_rule, pause_rule, resume_rule, delete_rule, rule_live, rule_paused, rule_shown, rule_answered, last_30_days
    }
}

/// The files' texts, read the same way when a conversation first shows.
pub mod files {
    confab_texts::texts! {
        attach, attached, file_refused, file_failed, remove_file, opens_in_new_tab, by_email, automatic, auto_away, auto_rating, rating_comment, auto_proactive, started_by
    }
}

/// The reports' texts, read the same way when the reports page first shows.
pub mod reports {
    confab_texts::texts! {
        range, last_days, download_csv, started, first_reply, resolution, median, p90, answered_in_hours, answered_share, per_day, per_day_hint, show_numbers, busiest_hours, date, answered, resolved, ratings, ratings_hint, rated_good, rated_okay, rated_bad, proactive_report, proactive_report_hint, rule, shown, answer_rate, none_yet, seconds_short, minutes_short, hours_short, days_short
    }
}

thread_local! {
    static FILES: std::cell::OnceCell<Option<&'static files::Texts>> = const { std::cell::OnceCell::new() };
    static TEXTS: Cell<Option<&'static Texts>> = const { Cell::new(None) };
    static FILE: std::cell::OnceCell<wasm_bindgen::JsValue> = const { std::cell::OnceCell::new() };
    static SITES: std::cell::OnceCell<Option<&'static sites::Texts>> = const { std::cell::OnceCell::new() };
    static REPORTS: std::cell::OnceCell<Option<&'static reports::Texts>> = const { std::cell::OnceCell::new() };
}

/// Keeps the texts `start` was given (and their file, for [`s`]), for the life of the page.
pub fn set(texts: &'static Texts, file: wasm_bindgen::JsValue) {
    TEXTS.set(Some(texts));
    FILE.with(|f| f.set(file).ok());
}

/// The sites' texts in the agent's language.
pub fn s() -> &'static sites::Texts {
    SITES
        .with(|s| *s.get_or_init(|| FILE.with(|f| f.get().and_then(sites::Texts::from_js))))
        .expect("the texts file has the sites' texts (a test checks every file)")
}

/// The reports' texts in the agent's language.
pub fn r() -> &'static reports::Texts {
    REPORTS
        .with(|s| *s.get_or_init(|| FILE.with(|f| f.get().and_then(reports::Texts::from_js))))
        .expect("the texts file has the reports' texts (a test checks every file)")
}

/// The files' texts in the agent's language.
pub fn f() -> &'static files::Texts {
    FILES
        .with(|s| *s.get_or_init(|| FILE.with(|f| f.get().and_then(files::Texts::from_js))))
        .expect("the texts file has the files' texts (a test checks every file)")
}

/// The console's texts in the agent's language.
pub fn t() -> &'static Texts {
    TEXTS
        .get()
        .expect("start() is given the texts before anything is drawn")
}

#[cfg(test)]
mod tests {
    /// A translation that misses a text (or has one the console does not know) fails here.
    #[test]
    fn every_language_has_every_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("texts");
        assert!(
            confab_texts::check_files(
                &dir,
                &[
                    super::KEYS,
                    super::sites::KEYS,
                    super::files::KEYS,
                    super::reports::KEYS
                ]
                .concat()
            ) >= 2,
            "en and fr at least"
        );
    }
}
