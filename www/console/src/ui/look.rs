//! A site's look in its settings form: accent colour, the launcher's side, distances and
//! label, the theme and the header's logo, with a preview that follows every change. The
//! fields are plain inputs the form reads by name (`logic::site_form`); the edge refuses
//! an accent white text cannot be read on, saying its contrast.

use confab_protocol::console::sites::{Look, Side, SiteSettings, Theme, DEFAULT_ACCENT};
use leptos::prelude::*;

use crate::texts::s;

/// The look's fields, showing `look`; `field` names each one's id.
pub fn look_fields(look: &Look, field: impl Fn(&str) -> String) -> impl IntoView {
    let accent = look.accent.clone().unwrap_or_else(|| DEFAULT_ACCENT.into());
    let left = look.side == Side::Left;
    let themes = [
        (Theme::Auto, "auto", s().theme_auto),
        (Theme::Light, "light", s().theme_light),
        (Theme::Dark, "dark", s().theme_dark),
    ];
    let theme = look.theme;
    view! {
        <fieldset class="look">
            <legend>{s().look_title}</legend>
            <label for=field("accent")>{s().accent}</label>
            <input id=field("accent") name="accent" type="color" value=accent />
            <label for=field("side")>{s().side}</label>
            <select id=field("side") name="side">
                <option value="right" selected=!left>{s().side_right}</option>
                <option value="left" selected=left>{s().side_left}</option>
            </select>
            <label for=field("offset-x")>{s().offset_x}</label>
            <input id=field("offset-x") name="offset_x" type="number" min="0" max="200"
                value=look.offset_x.to_string() />
            <label for=field("offset-y")>{s().offset_y}</label>
            <input id=field("offset-y") name="offset_y" type="number" min="0" max="200"
                value=look.offset_y.to_string() />
            <label for=field("label")>{s().launcher_label}</label>
            <input id=field("label") name="label" type="text" maxlength="30"
                value=look.label.clone().unwrap_or_default() />
            <label for=field("theme")>{s().theme}</label>
            <select id=field("theme") name="theme">
                {themes.map(|(each, value, text)| view! {
                    <option value=value selected=each == theme>{text}</option>
                })}
            </select>
            <label for=field("logo")>{s().logo}</label>
            <input id=field("logo") name="logo" type="url" maxlength="500" placeholder="https://"
                value=look.logo.clone().unwrap_or_default() />
        </fieldset>
    }
}

/// The widget's header, a visitor's message and the launcher as visitors will see them,
/// from the form as it is now.
#[component]
pub fn Preview(draft: RwSignal<SiteSettings>) -> impl IntoView {
    let look = move |read: fn(&Look) -> Option<String>| move || draft.with(|d| read(&d.look));
    let accent = move || {
        draft.with(|d| {
            d.look
                .accent
                .clone()
                .unwrap_or_else(|| DEFAULT_ACCENT.into())
        })
    };
    let scheme = look(|l| {
        let scheme = match l.theme {
            Theme::Auto => "light dark",
            Theme::Light => "light",
            Theme::Dark => "dark",
        };
        Some(scheme.to_owned())
    });
    let side = look(|l| {
        Some(
            if l.side == Side::Left {
                "flex-start"
            } else {
                "flex-end"
            }
            .into(),
        )
    });
    let logo = look(|l| l.logo.clone().filter(|l| l.starts_with("https://")));
    view! {
        <figure class="look-preview" style:color-scheme=scheme style:align-items=side>
            <figcaption>{s().preview}</figcaption>
            <div class="preview-panel">
                <div class="preview-header" style:background=accent>
                    {move || logo().map(|src| view! { <img src=src alt="" /> })}
                    <strong>{move || draft.with(|d| d.team.clone())}</strong>
                </div>
                <p class="preview-bubble" style:background=accent>{s().preview_message}</p>
            </div>
            <span class="preview-launcher" style:background=accent aria-hidden="true">
                <svg viewBox="0 0 24 24">
                    <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
                </svg>
                {look(|l| l.label.clone())}
            </span>
        </figure>
    }
}
