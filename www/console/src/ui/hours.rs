//! A site's business hours: its time zone, and for each day open and close times or
//! closed. The widget uses them to tell visitors when the team is back.

use confab_protocol::hours::{BusinessHours, OpenHours};
use confab_protocol::SiteId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::login::ErrorText;
use crate::api;
use crate::logic::format::{clock, parse_clock};
use crate::state::Console;
use crate::texts::t;

/// The days of the week, Monday first, as the form lists them.
fn days_of_week() -> [&'static str; 7] {
    let t = t();
    [
        t.monday,
        t.tuesday,
        t.wednesday,
        t.thursday,
        t.friday,
        t.saturday,
        t.sunday,
    ]
}

/// One day's row in the form, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DayRow {
    open: bool,
    from: String,
    to: String,
}

impl DayRow {
    fn of(hours: Option<OpenHours>) -> Self {
        match hours {
            Some(h) => DayRow {
                open: true,
                from: clock(h.open),
                to: clock(h.close),
            },
            None => DayRow {
                open: false,
                from: "09:00".into(),
                to: "17:00".into(),
            },
        }
    }
}

#[component]
pub fn HoursForm(site: SiteId, team: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let site = StoredValue::new(site);
    let enabled = RwSignal::new(false);
    let zone = RwSignal::new(String::new());
    let days = RwSignal::new(vec![DayRow::of(None); 7]);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let show = move |hours: Option<BusinessHours>| {
        enabled.set(hours.is_some());
        let hours = hours.unwrap_or(BusinessHours {
            time_zone: local_zone(),
            days: vec![None; 7],
        });
        zone.set(hours.time_zone);
        days.set(
            (0..7)
                .map(|i| DayRow::of(hours.days.get(i).copied().flatten()))
                .collect(),
        );
    };
    spawn_local(async move {
        match api::hours(&site.get_value()).await {
            Ok(answer) => show(answer.hours),
            Err(failure) => error.set(Some(console.failed(&failure))),
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let hours = match read_form(
            enabled.get_untracked(),
            zone.get_untracked(),
            &days.get_untracked(),
        ) {
            Ok(hours) => hours,
            Err(why) => {
                error.set(Some(why));
                return;
            }
        };
        error.set(None);
        spawn_local(async move {
            match api::save_hours(&site.get_value(), hours).await {
                Ok(answer) => {
                    show(answer.hours);
                    saved.set(true);
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    let id = move |part: &str| format!("hours-{}-{part}", site.get_value());
    view! {
        <form class="hours" on:submit=submit>
            <h3>{t().business_hours.replace("{team}", &team)}</h3>
            <label class="check">
                <input type="checkbox" prop:checked=move || enabled.get()
                    on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                {t().set_business_hours}
            </label>
            <fieldset disabled=move || !enabled.get()>
                <label for=id("zone")>{t().time_zone}</label>
                <input id=id("zone") type="text" placeholder="Europe/Paris"
                    prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev)) />
                <table>
                    <tbody>
                        {days_of_week().into_iter().enumerate().map(|(i, day)| {
                            let row = move || days.with(|d| d[i].clone());
                            let edit = move |f: fn(&mut DayRow, String), value: String| days.update(|d| f(&mut d[i], value));
                            view! {
                                <tr>
                                    <th scope="row">{day}</th>
                                    <td>
                                        <label class="check">
                                            <input type="checkbox" prop:checked=move || row().open
                                                on:change=move |ev| {
                                                    let open = event_target_checked(&ev);
                                                    days.update(|d| d[i].open = open);
                                                } />
                                            {t().open_day}
                                        </label>
                                    </td>
                                    <td>
                                        <input type="time" aria-label=t().day_opens.replace("{day}", day)
                                            disabled=move || !row().open
                                            prop:value=move || row().from
                                            on:input=move |ev| edit(|r, v| r.from = v, event_target_value(&ev)) />
                                    </td>
                                    <td>
                                        <input type="time" aria-label=t().day_closes.replace("{day}", day)
                                            disabled=move || !row().open
                                            prop:value=move || row().to
                                            on:input=move |ev| edit(|r, v| r.to = v, event_target_value(&ev)) />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </fieldset>
            <ErrorText error />
            <button type="submit" class="primary">{t().save_hours}</button>
            {move || saved.get().then(|| view! { <span role="status" class="saved">{t().saved}</span> })}
        </form>
    }
}

/// The hours the form describes, or what is wrong with them.
fn read_form(
    enabled: bool,
    zone: String,
    days: &[DayRow],
) -> Result<Option<BusinessHours>, String> {
    if !enabled {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(7);
    for (row, day) in days.iter().zip(days_of_week()) {
        if !row.open {
            out.push(None);
            continue;
        }
        let (Some(open), Some(close)) = (parse_clock(&row.from, false), parse_clock(&row.to, true))
        else {
            return Err(t().day_needs_times.replace("{day}", day));
        };
        out.push(Some(OpenHours { open, close }));
    }
    let hours = BusinessHours {
        time_zone: zone.trim().to_owned(),
        days: out,
    };
    hours.validate().map_err(|e| e.message)?;
    Ok(Some(hours))
}

/// This computer's time zone, as a starting point for a new schedule.
fn local_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}
