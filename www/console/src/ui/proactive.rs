//! A site's proactive rules (admins, in the site's settings): each rule with its teasers
//! shown and answered in the last 30 days, live or paused, and the form that writes one.
//! Saved with the site's settings (`kept`, the settings as the edge last kept them).

use confab_protocol::console::sites::SiteSettings;
use confab_protocol::proactive::{Counts, Rule};
use confab_protocol::SiteId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlFormElement;

use super::login::ErrorText;
use crate::api;
use crate::logic::proactive_form::{self as form, KINDS, OPS};
use crate::state::Console;
use crate::texts::s;

#[component]
pub fn ProactiveRules(site: SiteId, kept: RwSignal<SiteSettings>) -> impl IntoView {
    let console = expect_context::<Console>();
    let site = StoredValue::new(site);
    let counts = RwSignal::new(Vec::<Counts>::new());
    let languages = RwSignal::new(vec!["en".to_owned()]);
    // The rule in the form, and whether it is a new one.
    let editing = RwSignal::new(None::<(Rule, bool)>);
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(report) = api::report(&site.get_value(), 30).await {
            counts.set(report.proactive);
        }
        // The languages the widget speaks: those the site's words may be written in.
        if let Ok(words) = api::words(&site.get_value()).await {
            let defaults = js_sys::Reflect::get(&words, &"defaults".into()).unwrap_or_default();
            if defaults.is_object() {
                let mut codes: Vec<String> = js_sys::Object::keys(&defaults.into())
                    .iter()
                    .filter_map(|k| k.as_string())
                    .collect();
                // English first: a rule's text falls back to it.
                codes.sort_by_key(|c| (c != "en", c.clone()));
                languages.set(codes);
            }
        }
    });
    let save = move |rules: Vec<Rule>| {
        error.set(None);
        let mut settings = kept.get_untracked();
        settings.proactive = rules;
        spawn_local(async move {
            match api::save_site(&site.get_value(), settings).await {
                Ok(saved) => {
                    kept.set(saved.settings);
                    editing.set(None);
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    // The rules with `rule` in its place (or added), or without the rule `removed`.
    let with = move |rule: Option<Rule>, removed: Option<String>| {
        let mut rules = kept.get_untracked().proactive;
        if let Some(id) = removed {
            rules.retain(|r| r.id != id);
        }
        if let Some(rule) = rule {
            match rules.iter_mut().find(|r| r.id == rule.id) {
                Some(place) => *place = rule,
                None => rules.push(rule),
            }
        }
        save(rules);
    };
    let start_new = move |_| {
        let rules = kept.get_untracked().proactive;
        let taken: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        let rule = Rule {
            id: form::new_id("", &taken),
            name: String::new(),
            paused: false,
            when: vec![confab_protocol::proactive::Condition::TimeOnPage { seconds: 30 }],
            message: Default::default(),
            from: String::new(),
        };
        editing.set(Some((rule, true)));
    };
    let field = move |part: &str| format!("rules-{}-{part}", site.get_value());
    view! {
        <section class="proactive" aria-labelledby=field("title")>
            <h3 id=field("title")>{s().proactive_title}</h3>
            <p class="hint">{s().proactive_hint}</p>
            <ul class="rules">
                {move || {
                    let rules = kept.get().proactive;
                    if rules.is_empty() {
                        return view! { <li class="empty">{s().no_rules}</li> }.into_any();
                    }
                    rules.into_iter().map(|rule| {
                        let line = counts.with(|c| {
                            form::counts_line(
                                c.iter().find(|c| c.rule == rule.id),
                                s().rule_shown,
                                s().rule_answered,
                            )
                        });
                        let (edited, toggled, removed) = (rule.clone(), rule.clone(), rule.id.clone());
                        view! {
                            <li class="rule" data-rule=rule.id.clone()>
                                <strong>{rule.name.clone()}</strong>
                                " "
                                <span class="state">
                                    {if rule.paused { s().rule_paused } else { s().rule_live }}
                                </span>
                                <span class="meta">{format!("{line} · {}", s().last_30_days)}</span>
                                <button type="button" class="edit-rule"
                                    on:click=move |_| editing.set(Some((edited.clone(), false)))>
                                    {s().edit_rule}
                                </button>
                                <button type="button" class="pause-rule" on:click=move |_| {
                                    let mut rule = toggled.clone();
                                    rule.paused = !rule.paused;
                                    with(Some(rule), None);
                                }>
                                    {if rule.paused { s().resume_rule } else { s().pause_rule }}
                                </button>
                                <button type="button" class="delete-rule danger"
                                    on:click=move |_| with(None, Some(removed.clone()))>
                                    {s().delete_rule}
                                </button>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
            {move || match editing.get() {
                None => view! {
                    <button type="button" class="new-rule" on:click=start_new>{s().new_rule}</button>
                }.into_any(),
                Some((rule, new)) => view! {
                    <RuleForm rule new site=site.get_value() languages=languages.get()
                        kept save=Callback::new(move |rule| with(Some(rule), None))
                        cancel=Callback::new(move |_: ()| editing.set(None)) />
                }.into_any(),
            }}
            <ErrorText error />
        </section>
    }
}

/// The form of one rule; `new`, its id follows the name it is given.
#[component]
fn RuleForm(
    rule: Rule,
    new: bool,
    site: SiteId,
    languages: Vec<String>,
    kept: RwSignal<SiteSettings>,
    save: Callback<Rule>,
    cancel: Callback<()>,
) -> impl IntoView {
    let next = StoredValue::new(rule.when.len());
    // Each condition row: its number in the form's field names, and its kind.
    let rows = RwSignal::new(
        rule.when
            .iter()
            .enumerate()
            .map(|(i, c)| (i, form::row_of(c)))
            .collect::<Vec<_>>(),
    );
    let (id, paused) = (StoredValue::new(rule.id.clone()), rule.paused);
    let codes = StoredValue::new(languages.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form_element: HtmlFormElement = event_target(&ev);
        let get = super::sites::fields(&form_element);
        let numbers: Vec<usize> = rows.with_untracked(|r| r.iter().map(|(i, _)| *i).collect());
        let mut rule = form::rule(get, &id.get_value(), paused, &numbers, &codes.get_value());
        if new {
            let rules = kept.get_untracked().proactive;
            let taken: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
            rule.id = form::new_id(&rule.name, &taken);
        }
        save.run(rule);
    };
    let add = move |_| {
        let i = next.get_value();
        next.set_value(i + 1);
        let row = (
            "time_on_page",
            String::new(),
            confab_protocol::proactive::Op::Gt,
            String::new(),
        );
        rows.update(|r| r.push((i, row)));
    };
    let site = StoredValue::new(site.to_string());
    let f = move |part: &str| format!("rule-{}-{part}", site.get_value());
    view! {
        <form class="rule-form" on:submit=submit>
            <h4>{if new { s().new_rule } else { s().edit_rule }}</h4>
            <label for=f("name")>{s().rule_name}</label>
            <input id=f("name") name="name" type="text" required maxlength="80" value=rule.name.clone() />
            <label for=f("from")>{s().rule_from}</label>
            <input id=f("from") name="from" type="text" maxlength="80" value=rule.from.clone()
                placeholder=kept.get_untracked().team />
            <fieldset class="conditions">
                <legend>{s().rule_when}</legend>
                <For each=move || rows.get() key=|(i, _)| *i let:row>
                    <ConditionRow number=row.0 initial=row.1 prefix=f("when")
                        remove=Callback::new(move |n: usize| rows.update(|r| r.retain(|(i, _)| *i != n))) />
                </For>
                <button type="button" class="add-condition" on:click=add>{s().add_condition}</button>
            </fieldset>
            <fieldset class="messages">
                <legend>{s().rule_message}</legend>
                {languages.into_iter().map(|lang| {
                    let name = format!("message-{lang}");
                    let text = rule.message.get(&lang).cloned().unwrap_or_default();
                    let required = lang == "en";
                    view! {
                        <label for=f(&name)>{lang.clone()}</label>
                        <textarea id=f(&name) name=name rows="2" maxlength="500" required=required>{text}</textarea>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary save-rule">{s().save_rule}</button>
            <button type="button" class="cancel-rule" on:click=move |_| cancel.run(())>{s().cancel_rule}</button>
        </form>
    }
}

#[component]
fn ConditionRow(
    number: usize,
    initial: (&'static str, String, confab_protocol::proactive::Op, String),
    prefix: String,
    remove: Callback<usize>,
) -> impl IntoView {
    let (kind0, subject, op, value) = initial;
    let kind = RwSignal::new(kind0.to_owned());
    let shows = move |part: usize| {
        let (subject, op, value) = form::inputs(&kind.get());
        ![subject, op, value][part]
    };
    let id = move |part: &str| format!("{prefix}-{number}-{part}");
    let labels = move || match kind.get().as_str() {
        "page" => (s().rule_pattern, s().rule_value),
        "event" => (s().rule_event, s().rule_value),
        "time_on_page" => (s().rule_pattern, s().rule_seconds),
        "scroll" => (s().rule_pattern, s().rule_percent),
        _ => (s().rule_attribute, s().rule_value),
    };
    view! {
        <div class="condition">
            <label for=id("kind")>{s().rule_kind}</label>
            <select id=id("kind") name=format!("kind-{number}")
                on:change=move |ev| kind.set(event_target_value(&ev))>
                {KINDS.iter().map(|k| view! {
                    <option value=*k selected=*k == kind0>{kind_name(k)}</option>
                }).collect_view()}
            </select>
            <label for=id("subject") hidden=move || shows(0)>{move || labels().0}</label>
            <input id=id("subject") name=format!("subject-{number}") type="text" maxlength="512"
                value=subject hidden=move || shows(0) spellcheck="false" />
            <label for=id("op") hidden=move || shows(1)>{s().rule_op}</label>
            <select id=id("op") name=format!("op-{number}") hidden=move || shows(1)>
                {OPS.iter().map(|(name, o)| view! {
                    <option value=*name selected=*o == op>{*name}</option>
                }).collect_view()}
            </select>
            <label for=id("value") hidden=move || shows(2)>{move || labels().1}</label>
            <input id=id("value") name=format!("value-{number}") type="text" maxlength="200"
                value=value hidden=move || shows(2) />
            <button type="button" class="remove-condition" on:click=move |_| remove.run(number)>
                {s().remove_condition}
            </button>
        </div>
    }
}

fn kind_name(kind: &str) -> &'static str {
    match kind {
        "page" => s().kind_page,
        "time_on_page" => s().kind_time_on_page,
        "scroll" => s().kind_scroll,
        "exit_intent" => s().kind_exit_intent,
        "returning" => s().kind_returning,
        "attribute" => s().kind_attribute,
        _ => s().kind_event,
    }
}
