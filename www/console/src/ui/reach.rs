//! How a site reaches visitors who left (admins): a push to their devices, then an email,
//! each after a reply has waited unread for a while, and never more often than a set gap.

use confab_protocol::reach::ReachSettings;
use confab_protocol::SiteId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::login::ErrorText;
use crate::api;
use crate::logic::format::{minutes, parse_minutes};
use crate::state::Console;
use crate::texts::t;

/// One channel's row in the form, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ChannelRow {
    on: bool,
    after: String,
    gap: String,
}

#[derive(Clone, Copy)]
enum Which {
    Push,
    Email,
}

impl ChannelRow {
    fn of(settings: &ReachSettings, which: Which) -> Self {
        let (on, after, gap) = match which {
            Which::Push => (
                settings.push,
                settings.push_after_seconds,
                settings.push_gap_seconds,
            ),
            Which::Email => (
                settings.email,
                settings.email_after_seconds,
                settings.email_gap_seconds,
            ),
        };
        ChannelRow {
            on,
            after: minutes(after),
            gap: minutes(gap),
        }
    }

    /// (on, after, gap) in seconds, or what is wrong with the row.
    fn read(&self, name: &str) -> Result<(bool, u64, u64), String> {
        match (parse_minutes(&self.after), parse_minutes(&self.gap)) {
            (Some(after), Some(gap)) => Ok((self.on, after, gap)),
            _ => Err(t().minutes_as_numbers.replace("{name}", name)),
        }
    }
}

#[component]
pub fn ReachForm(site: SiteId, team: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let site = StoredValue::new(site);
    let push = RwSignal::new(ChannelRow::of(&ReachSettings::default(), Which::Push));
    let email = RwSignal::new(ChannelRow::of(&ReachSettings::default(), Which::Email));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let show = move |settings: ReachSettings| {
        push.set(ChannelRow::of(&settings, Which::Push));
        email.set(ChannelRow::of(&settings, Which::Email));
    };
    spawn_local(async move {
        match api::reach(&site.get_value()).await {
            Ok(settings) => show(settings),
            Err(failure) => error.set(Some(console.failed(&failure))),
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let settings = match read_form(&push.get_untracked(), &email.get_untracked()) {
            Ok(settings) => settings,
            Err(why) => {
                error.set(Some(why));
                return;
            }
        };
        error.set(None);
        spawn_local(async move {
            match api::save_reach(&site.get_value(), settings).await {
                Ok(settings) => {
                    show(settings);
                    saved.set(true);
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    let id = move |part: &str| format!("reach-{}-{part}", site.get_value());
    view! {
        <form class="reach" on:submit=submit>
            <h3>{t().reach_title.replace("{team}", &team)}</h3>
            <p class="hint">
                {t().reach_hint}
            </p>
            <ChannelFields row=push id=id("push") label=t().reach_push />
            <ChannelFields row=email id=id("email") label=t().reach_email />
            <ErrorText error />
            <button type="submit" class="primary">{t().save}</button>
            {move || saved.get().then(|| view! { <span role="status" class="saved">{t().saved}</span> })}
        </form>
    }
}

/// One channel: on or off, how long a reply waits unread before it, how often at most.
#[component]
fn ChannelFields(row: RwSignal<ChannelRow>, id: String, label: &'static str) -> impl IntoView {
    let after = format!("{id}-after");
    let gap = format!("{id}-gap");
    view! {
        <fieldset class="channel">
            <legend>
                <label class="check">
                    <input type="checkbox" id=id prop:checked=move || row.get().on
                        on:change=move |ev| row.update(|r| r.on = event_target_checked(&ev)) />
                    {label}
                </label>
            </legend>
            <label for=after.clone()>{t().reach_after}</label>
            <input id=after type="number" min="0" step="any" inputmode="decimal"
                disabled=move || !row.get().on
                prop:value=move || row.get().after
                on:input=move |ev| row.update(|r| r.after = event_target_value(&ev)) />
            <label for=gap.clone()>{t().reach_gap}</label>
            <input id=gap type="number" min="0" step="any" inputmode="decimal"
                disabled=move || !row.get().on
                prop:value=move || row.get().gap
                on:input=move |ev| row.update(|r| r.gap = event_target_value(&ev)) />
        </fieldset>
    }
}

/// The settings the form describes, or what is wrong with them.
fn read_form(push: &ChannelRow, email: &ChannelRow) -> Result<ReachSettings, String> {
    let (push, push_after_seconds, push_gap_seconds) = push.read(t().push)?;
    let (email, email_after_seconds, email_gap_seconds) = email.read(t().email)?;
    let settings = ReachSettings {
        push,
        push_after_seconds,
        push_gap_seconds,
        email,
        email_after_seconds,
        email_gap_seconds,
    };
    settings
        .validate()
        .map_err(|_| t().at_most_7_days.to_owned())?;
    Ok(settings)
}
