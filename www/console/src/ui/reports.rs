//! The reports page: how the team is doing on the current site, over 7, 30 or 90 days.
//! Each chart is drawn as SVG with its numbers in a table beside it, for screen readers
//! and for anyone who wants them; the days download as CSV.

use confab_protocol::console::reports::{duration_parts, Report, Spread, Unit, RANGES};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::state::Console;
use crate::texts::{r, t};

#[component]
pub fn ReportsPage() -> impl IntoView {
    super::styles::add("reports-styles", include_str!("reports.css"));
    let console = expect_context::<Console>();
    let days = RwSignal::new(30u32);
    let report = RwSignal::new(None::<Report>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let (Some(site), range) = (console.site.get(), days.get()) else {
            return;
        };
        spawn_local(async move {
            match api::report(&site, range).await {
                Ok(figures) => {
                    error.set(None);
                    report.set(Some(figures));
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    });
    let csv = move || {
        console
            .site
            .get()
            .map(|site| api::href(&api::report_path(&site, days.get(), true)))
    };
    view! {
        <section class="page reports">
            <h2>{t().reports}</h2>
            <div class="ranges" role="group" aria-label=r().range>
                {RANGES.map(|n| view! {
                    <button type="button" data-days=n
                        aria-pressed=move || (days.get() == n).to_string()
                        on:click=move |_| days.set(n)>
                        {r().last_days.replace("{n}", &n.to_string())}
                    </button>
                }).collect_view()}
            </div>
            <a class="csv" href=csv download>{r().download_csv}</a>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || report.get().map(|report| view! {
                <Figures report=report.clone() />
                <PerDay report=report.clone() />
                <Ratings report=report.clone() />
                <Proactive report=report.clone() />
                <Busiest report />
            })}
        </section>
    }
}

fn duration(seconds: u64) -> String {
    let words = r();
    let parts: Vec<String> = duration_parts(seconds)
        .into_iter()
        .map(|(n, unit)| {
            let text = match unit {
                Unit::Seconds => words.seconds_short,
                Unit::Minutes => words.minutes_short,
                Unit::Hours => words.hours_short,
                Unit::Days => words.days_short,
            };
            text.replace("{n}", &n.to_string())
        })
        .collect();
    parts.join(" ")
}

/// "10 min (median) · 90% within 2 h", or that there is none yet.
fn spread(spread: &Spread) -> String {
    match (spread.median_seconds, spread.p90_seconds) {
        (Some(median), Some(p90)) => format!(
            "{} ({}) · {} {}",
            duration(median),
            r().median,
            r().p90,
            duration(p90)
        ),
        _ => r().none_yet.to_owned(),
    }
}

#[component]
fn Figures(report: Report) -> impl IntoView {
    let answered = report.first_reply.count;
    let in_hours = match (report.answered_in_hours * 100).checked_div(answered) {
        None => r().none_yet.to_owned(),
        Some(share) => r()
            .answered_share
            .replace("{share}", &share.to_string())
            .replace("{count}", &report.answered_in_hours.to_string())
            .replace("{of}", &answered.to_string()),
    };
    view! {
        <dl class="figures">
            <div data-figure="started"><dt>{r().started}</dt><dd>{report.started}</dd></div>
            <div data-figure="first-reply"><dt>{r().first_reply}</dt><dd>{spread(&report.first_reply)}</dd></div>
            <div data-figure="resolution"><dt>{r().resolution}</dt><dd>{spread(&report.resolution)}</dd></div>
            <div data-figure="in-hours"><dt>{r().answered_in_hours}</dt><dd>{in_hours}</dd></div>
        </dl>
    }
}

/// Conversations started per day: bars, and the same days as a table.
#[component]
fn PerDay(report: Report) -> impl IntoView {
    let most = report
        .days
        .iter()
        .map(|d| d.started)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = report.days.len() * 12;
    let bars = report
        .days
        .iter()
        .enumerate()
        .map(|(n, day)| {
            let height = day.started * 100 / most;
            view! {
                <rect x=n * 12 + 1 y=100 - height width=10 height=height>
                    <title>{format!("{}: {}", day.date, day.started)}</title>
                </rect>
            }
        })
        .collect_view();
    let rows = report
        .days
        .iter()
        .map(|day| {
            view! {
                <tr><th scope="row">{day.date.clone()}</th><td>{day.started}</td><td>{day.answered}</td><td>{day.resolved}</td></tr>
            }
        })
        .collect_view();
    view! {
        <figure class="per-day">
            <figcaption id="per-day-title">{r().per_day}</figcaption>
            <svg role="img" aria-labelledby="per-day-title" viewBox=format!("0 0 {width} 100")
                preserveAspectRatio="none">{bars}</svg>
            <details>
                <summary>{r().show_numbers}</summary>
                <table>
                    <caption>{r().per_day_hint}</caption>
                    <thead><tr><th scope="col">{r().date}</th><th scope="col">{r().started}</th>
                        <th scope="col">{r().answered}</th><th scope="col">{r().resolved}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// How visitors rated the range's conversations: each day's ratings stacked (good at the
/// bottom), the totals, and the same days as a table.
#[component]
fn Ratings(report: Report) -> impl IntoView {
    let names = [r().rated_good, r().rated_okay, r().rated_bad];
    let kinds = ["good", "okay", "bad"];
    let most = report
        .days
        .iter()
        .map(|d| d.ratings.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = report.days.len() * 12;
    let bars = report
        .days
        .iter()
        .enumerate()
        .flat_map(|(n, day)| {
            let mut top = 100;
            (0..3)
                .filter(|&k| day.ratings[k] > 0)
                .map(|k| {
                    let height = day.ratings[k] * 100 / most;
                    top -= height;
                    view! {
                        <rect class=kinds[k] x=n * 12 + 1 y=top width=10 height=height>
                            <title>{format!("{}: {} {}", day.date, day.ratings[k], names[k])}</title>
                        </rect>
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect_view();
    let rows = report
        .days
        .iter()
        .filter(|day| day.ratings.iter().any(|&n| n > 0))
        .map(|day| {
            let [good, okay, bad] = day.ratings;
            view! {
                <tr><th scope="row">{day.date.clone()}</th><td>{good}</td><td>{okay}</td><td>{bad}</td></tr>
            }
        })
        .collect_view();
    let totals = (0..3)
        .map(|k| view! { <li data-score=kinds[k]>{names[k]}": "{report.ratings[k]}</li> })
        .collect_view();
    view! {
        <figure class="ratings">
            <figcaption id="ratings-title">{r().ratings}</figcaption>
            <ul class="totals">{totals}</ul>
            <svg role="img" aria-labelledby="ratings-title" viewBox=format!("0 0 {width} 100")
                preserveAspectRatio="none">{bars}</svg>
            <details>
                <summary>{r().show_numbers}</summary>
                <table>
                    <caption>{r().ratings_hint}</caption>
                    <thead><tr><th scope="col">{r().date}</th><th scope="col">{names[0]}</th>
                        <th scope="col">{names[1]}</th><th scope="col">{names[2]}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// Each proactive rule: teasers shown, conversations started, and the share answered,
/// as bars of that share.
#[component]
fn Proactive(report: Report) -> impl IntoView {
    let rate = |shown: u32, answered: u32| match shown {
        0 => 0,
        n => (answered * 100 / n).min(100),
    };
    let height = report.proactive.len().max(1) * 14;
    let bars = report
        .proactive
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let share = rate(c.shown, c.answered);
            view! {
                <rect x=0 y=n * 14 + 2 width=share height=10>
                    <title>{format!("{}: {share}%", c.name)}</title>
                </rect>
            }
        })
        .collect_view();
    let rows = report
        .proactive
        .iter()
        .map(|c| {
            let share = format!("{}%", rate(c.shown, c.answered));
            view! {
                <tr><th scope="row">{c.name.clone()}</th><td>{c.shown}</td><td>{c.answered}</td><td>{share}</td></tr>
            }
        })
        .collect_view();
    view! {
        <figure class="proactive-report">
            <figcaption id="proactive-title">{r().proactive_report}</figcaption>
            {if report.proactive.is_empty() {
                view! { <p>{r().none_yet}</p> }.into_any()
            } else {
                view! {
                    <svg role="img" aria-labelledby="proactive-title" viewBox=format!("0 0 100 {height}")
                        preserveAspectRatio="none">{bars}</svg>
                }.into_any()
            }}
            <table>
                <caption>{r().proactive_report_hint}</caption>
                <thead><tr><th scope="col">{r().rule}</th><th scope="col">{r().shown}</th>
                    <th scope="col">{r().answered}</th><th scope="col">{r().answer_rate}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

/// When conversations start: a week of hours, each cell its count, shaded by it.
#[component]
fn Busiest(report: Report) -> impl IntoView {
    let most = report
        .busiest
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let days = [
        t().monday,
        t().tuesday,
        t().wednesday,
        t().thursday,
        t().friday,
        t().saturday,
        t().sunday,
    ];
    let rows = report
        .busiest
        .iter()
        .zip(days)
        .map(|(hours, day)| {
            let cells = hours
                .iter()
                .map(|&n| {
                    // At most 60% of the accent: the count stays readable on it.
                    let shade = format!("--shade: {}%", n * 60 / most);
                    view! { <td style=shade>{n}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{day}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        // Scrolls sideways on a phone: focusable, so the keyboard scrolls it too.
        <div class="busiest" tabindex="0" role="region" aria-label=r().busiest_hours>
            <table>
                <caption>{r().busiest_hours}</caption>
                <thead><tr><td></td>{(0..24).map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
