//! What a site says to its visitors, per language: the welcome, the away message shown
//! outside business hours, the line under the team's name, the away reply. Each field
//! shows the widget's default as its placeholder; emptied, it is the default again. The words are kept as
//! the browser's JSON (see `api::words`).

use confab_protocol::SiteId;
use js_sys::{Object, Reflect};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::login::ErrorText;
use crate::api;
use crate::state::Console;
use crate::texts::t;

/// The fields of one language's words, as the API names them.
const FIELDS: [&str; 4] = ["welcome", "away", "availability", "away_reply"];

/// `object[key]`, or `undefined`.
fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `object[key]`, made an object if it is not one yet.
fn object_at(object: &JsValue, key: &str) -> JsValue {
    let found = get(object, key);
    if found.is_object() {
        return found;
    }
    let made: JsValue = Object::new().into();
    let _ = Reflect::set(object, &key.into(), &made);
    made
}

#[component]
pub fn WordsForm(site: SiteId, team: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let site = StoredValue::new(site);
    // The site's words and the defaults, as the API gave them.
    let answer = StoredValue::new_local(JsValue::UNDEFINED);
    let languages = RwSignal::new(Vec::<String>::new());
    let lang = RwSignal::new("en".to_owned());
    let values = FIELDS.map(|_| RwSignal::new(String::new()));
    let placeholders = FIELDS.map(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // The fields show the chosen language's words.
    let show = move || {
        let code = lang.get_untracked();
        answer.with_value(|a| {
            for (i, field) in FIELDS.iter().enumerate() {
                let text = |of: &str| get(&get(&get(a, of), &code), field).as_string();
                values[i].set(text("words").unwrap_or_default());
                placeholders[i].set(text("defaults").unwrap_or_default());
            }
        });
    };
    // What is typed goes into the words of the language it was typed for.
    let keep = move || {
        let code = lang.get_untracked();
        answer.with_value(|a| {
            let own = object_at(&object_at(a, "words"), &code);
            for (i, field) in FIELDS.iter().enumerate() {
                let _ = Reflect::set(&own, &(*field).into(), &values[i].get_untracked().into());
            }
        });
    };
    let loaded = move |got: JsValue| {
        let codes = js_sys::Object::keys(&get(&got, "defaults").into())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        answer.set_value(got);
        languages.set(codes);
        show();
    };
    spawn_local(async move {
        match api::words(&site.get_value()).await {
            Ok(got) => loaded(got),
            Err(failure) => error.set(Some(console.failed(&failure))),
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        error.set(None);
        keep();
        let words = answer.with_value(|a| get(a, "words"));
        spawn_local(async move {
            match api::save_words(&site.get_value(), &words).await {
                Ok(got) => {
                    loaded(got);
                    saved.set(true);
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    let id = move |part: &str| format!("words-{}-{part}", site.get_value());
    let labels = [
        t().words_welcome,
        t().words_away,
        t().words_availability,
        t().words_away_reply,
    ];
    view! {
        <form class="words" on:submit=submit>
            <h3>{t().words_title.replace("{team}", &team)}</h3>
            <p class="hint">{t().words_hint}</p>
            <label for=id("lang")>{t().language}</label>
            <select id=id("lang") on:change=move |ev| {
                keep();
                lang.set(event_target_value(&ev));
                show();
            }>
                {move || languages.get().into_iter().map(|code| {
                    let selected = code == lang.get_untracked();
                    view! { <option value=code.clone() selected=selected>{code.clone()}</option> }
                }).collect_view()}
            </select>
            {FIELDS.iter().enumerate().map(|(i, field)| view! {
                <label for=id(field)>{labels[i]}</label>
                <textarea id=id(field) rows="2" maxlength="500"
                    prop:value=move || values[i].get()
                    placeholder=move || placeholders[i].get()
                    on:input=move |ev| values[i].set(event_target_value(&ev))></textarea>
            }).collect_view()}
            <ErrorText error />
            <button type="submit" class="primary">{t().save_words}</button>
            {move || saved.get().then(|| view! { <span role="status" class="saved">{t().saved}</span> })}
        </form>
    }
}
