//! End-to-end tests: the real runtime (`wrangler dev`), real HTTP, real headless Chromium.
//!
//! One runtime and one chromedriver serve every test that can share them (each test works
//! in conversations of its own); tests that stop the runtime start their own. Everything
//! started here is stopped when the run ends, whether tests passed or not.

mod accessibility;
mod attention_browser;
mod availability;
mod away_replies;
mod browser;
mod console_api;
mod console_browser;
mod deploy;
mod devices;
mod devices_browser;
mod durability;
mod email_replies;
mod embedding;
mod files_api;
mod files_browser;
mod hardening;
mod http;
mod inbox_api;
mod languages;
mod origins;
mod proactive;
mod ratings;
mod reach;
mod realtime;
mod reports;
mod restart;
mod sites;
mod sites_api;
mod size;
mod visitor_live;

use std::future::Future;
use std::sync::OnceLock;

use confab_tests::browser::Chromedriver;
use confab_tests::console::Console;
use confab_tests::host::{HostSite, Page};
use confab_tests::runtime::Runtime;
use libtest_mimic::{Arguments, Trial};

/// What the shared processes offer to tests.
pub struct Ctx {
    /// The API's base URL.
    pub base: String,
    /// The demo page, as a visitor opens it: on the deployment's own origin.
    pub demo: String,
    /// The site owner's pages, on an origin of their own.
    pub host: String,
    /// chromedriver, for [`confab_tests::browser::Browser::open`].
    pub driver: String,
    /// The demo admin's session cookie and account.
    admin_cookie: String,
    admin: confab_protocol::console::Agent,
}

impl Ctx {
    /// The demo page's origin, as permissions are granted to it.
    pub fn demo_origin(&self) -> &str {
        self.demo.trim_end_matches('/')
    }

    /// A page of the site owner's, on another origin, embedding the demo site.
    pub fn page(&self, page: Page) -> String {
        confab_tests::host::page_url(&self.host, page, &self.base, "demo")
    }

    /// The demo admin, signed in (one session shared by the tests).
    pub fn admin(&self) -> Console {
        Console::with_session(&self.base, &self.admin_cookie, self.admin.clone())
    }
}

static CTX: OnceLock<Ctx> = OnceLock::new();

fn trial<F, Fut>(name: &str, test: F) -> Trial
where
    F: FnOnce(&'static Ctx) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    Trial::test(name, move || {
        let ctx = CTX.get().expect("shared processes are up");
        tokio::runtime::Runtime::new()
            .expect("tokio runtime")
            .block_on(test(ctx));
        Ok(())
    })
}

macro_rules! trials {
    ($($module:ident :: $test:ident),* $(,)?) => {
        vec![$(trial(concat!(stringify!($module), "::", stringify!($test)), $module::$test)),*]
    };
}

fn main() {
    let args = Arguments::from_args();
    let trials = trials![
        http::a_visitor_opens_a_thread_and_reads_it_back,
        reach::an_unread_reply_is_pushed_then_emailed_and_the_link_opens_the_thread,
        reach::a_visitor_who_reads_in_time_gets_no_push_and_no_email,
        reach::settings_are_checked_and_subscriptions_validated,
        reach::bad_reads_are_refused_and_change_nothing,
        reach::the_ladder_resumes_after_a_restart_without_repeating_a_step,
        http::a_resent_message_is_stored_once,
        http::history_pages_by_seq,
        http::tokens_are_checked_and_nothing_is_stored_without_one,
        http::another_visitors_thread_is_not_found,
        http::bad_bodies_are_refused_and_change_nothing,
        http::errors_and_cors_have_the_documented_shape,
        http::one_address_cannot_open_sessions_without_end,
        http::a_long_poll_answers_with_the_next_message,
        http::site_settings_are_served_to_the_widget,
        hardening::a_refused_write_changes_nothing,
        hardening::numbers_out_of_range_are_refused_as_bad_input,
        hardening::keys_given_twice_are_refused,
        hardening::opening_threads_is_throttled,
        hardening::every_route_refuses_bad_bodies_and_stores_nothing,
        hardening::agents_sockets_refuse_bad_frames_and_stay_usable,
        hardening::codes_end_with_their_visitor,
        realtime::visitor_and_agent_talk_live,
        realtime::bad_frames_get_error_frames_and_the_socket_stays_usable,
        realtime::sockets_refuse_strangers,
        realtime::a_flood_is_throttled_and_nothing_refused_is_stored,
        console_api::console_apis_need_an_agent_session,
        console_api::sessions_are_cookies_that_sign_out,
        console_api::wrong_passwords_are_refused_then_throttled,
        inbox_api::the_inbox_lists_assigns_resolves_and_reopens,
        inbox_api::notes_reach_agents_and_never_the_visitor,
        console_api::a_removed_agent_is_cut_off_at_once,
        inbox_api::canned_replies_are_shared_by_the_team,
        availability::the_widget_says_when_a_reply_can_be_expected,
        devices::a_resume_code_carries_the_thread_to_a_phone,
        devices::wrong_codes_are_refused_and_guessing_locks,
        devices::an_emailed_link_opens_the_thread_anywhere,
        devices::identified_users_share_threads_and_forgeries_get_nothing,
        devices::a_signed_out_device_is_cut_off_at_once,
        devices_browser::a_thread_moves_to_a_phone_by_code_and_by_email,
        devices_browser::the_host_identifies_its_users_on_every_device,
        console_browser::two_agents_and_a_visitor_share_a_conversation,
        console_browser::an_admin_sets_how_visitors_who_left_are_reached,
        console_browser::an_admin_writes_what_a_site_says_in_a_language,
        console_browser::an_agent_works_the_inbox_from_a_phone,
        console_browser::a_page_whose_chunk_cannot_load_offers_to_try_again,
        console_browser::the_console_speaks_the_agents_language,
        browser::a_visitor_writes_and_finds_the_message_after_a_reload,
        embedding::on_the_deployments_own_demo_page,
        embedding::on_a_plain_page_of_another_origin,
        embedding::under_a_strict_content_security_policy,
        embedding::under_trusted_types,
        embedding::on_a_hostile_page,
        embedding::in_a_single_page_app_across_routes,
        embedding::on_a_phone_the_panel_is_the_whole_screen,
        embedding::the_host_page_opens_closes_shows_and_hides_the_widget,
        embedding::a_chunk_that_cannot_load_leaves_the_widget_working,
        embedding::the_host_page_prefills_the_composer_and_hears_events,
        embedding::a_returning_visitor_downloads_nothing_again,
        embedding::the_widget_speaks_the_pages_language,
        languages::dutch_and_arabic_visitors_read_their_language_the_right_way_round,
        languages::a_sites_own_welcome_reaches_its_visitors_in_their_language,
        languages::outside_business_hours_visitors_are_told_the_team_is_away,
        embedding::a_failed_load_is_tried_again_on_the_next_click,
        sites::an_admin_creates_a_site_that_works_at_once_with_its_copied_tag,
        sites::a_removed_site_stops_and_its_data_goes_only_when_deleted,
        sites_api::site_changes_are_checked_and_refused_ones_change_nothing,
        files_api::files_are_checked_sent_once_and_served_only_by_link,
        files_browser::a_visitor_sends_photos_and_gets_the_teams_pdf,
        files_browser::an_agent_sees_the_photo_live_and_answers_with_a_pdf,
        email_replies::a_reply_by_email_lands_in_the_thread_once_with_its_photo,
        email_replies::forged_foreign_old_and_refused_mail_stores_nothing,
        reports::a_scripted_day_gives_exact_figures,
        away_replies::a_message_at_night_gets_the_away_reply_once,
        ratings::a_resolved_conversation_asks_for_a_rating_and_the_console_shows_it,
        proactive::a_teaser_shows_in_time_once_a_day_and_opens_the_thread,
        proactive::an_admin_writes_pauses_and_deletes_a_rule_in_the_console,
        origins::pages_the_site_does_not_list_are_refused_and_nothing_is_stored,
        origins::a_page_the_site_does_not_list_shows_no_widget,
        browser::hostile_text_is_shown_as_text,
        attention_browser::a_reply_in_a_hidden_tab_marks_the_title_and_notifies,
        attention_browser::a_reply_read_in_view_neither_marks_nor_notifies,
        visitor_live::replies_arrive_live_and_are_counted_after_the_tab_was_closed,
        visitor_live::two_tabs_stay_in_sync_without_double_sends,
        visitor_live::without_websockets_replies_arrive_by_long_poll,
        visitor_live::messages_written_while_the_runtime_is_down_arrive_once_in_order,
        durability::fifty_visitors_twenty_messages_each,
        durability::a_killed_runtime_loses_and_doubles_nothing,
        restart::messages_survive_a_restart_of_the_runtime,
        deploy::the_deploy_bundle_builds_offline,
        size::downloads_stay_within_budget,
        size::the_download_carries_no_language,
        accessibility::every_widget_screen_passes_axe,
        accessibility::every_console_screen_passes_axe,
        accessibility::the_keyboard_alone_opens_writes_sends_and_closes,
        accessibility::on_a_phone_focus_stays_in_the_panel_and_returns_to_the_launcher,
    ];

    confab_tests::build();
    let tokio = tokio::runtime::Runtime::new().expect("tokio runtime");
    let state = tempfile::tempdir().expect("state dir");
    let runtime = tokio.block_on(Runtime::start(state.path()));
    let driver = tokio.block_on(Chromedriver::start());
    // Served from the main runtime's worker threads while the tests run.
    let host = tokio.block_on(HostSite::start());
    let admin = tokio.block_on(Console::admin(&runtime.base_url()));
    let _ = CTX.set(Ctx {
        base: runtime.base_url(),
        demo: runtime.demo_url(),
        host: host.origin().to_owned(),
        driver: driver.url(),
        admin_cookie: admin.cookie.clone(),
        admin: admin.agent.clone(),
    });
    drop(admin);

    let conclusion = libtest_mimic::run(&args, trials);
    if conclusion.has_failed() {
        eprintln!("shared runtime log (last lines):\n{}", runtime.log_tail());
    }
    runtime.stop();
    drop(driver);
    drop(host);
    drop(state);
    conclusion.exit();
}
