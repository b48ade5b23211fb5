//! The deployment's sites (admins, on the team page): a new site, and for each its
//! settings and look (`look`), the script tag to copy, its hours, words and reach, and its
//! standing (removed, restored, its data deleted).

use confab_protocol::console::sites::{script_tag, Site, SiteSettings, SiteState, Standing};
use confab_protocol::SiteId;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlFormElement;

use super::hours::HoursForm;
use super::login::ErrorText;
use super::look::{look_fields, Preview};
use super::proactive::ProactiveRules;
use super::reach::ReachForm;
use super::words::WordsForm;
use crate::api;
use crate::logic::site_form;
use crate::state::Console;
use crate::texts::{s, t};

#[component]
pub fn SitesSection() -> impl IntoView {
    let console = expect_context::<Console>();
    let list = RwSignal::new(Vec::<Site>::new());
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<&'static str>);
    spawn_local(async move {
        match api::sites().await {
            Ok(got) => list.set(got.sites),
            Err(failure) => error.set(Some(console.failed(&failure))),
        }
    });
    // A site changed: its row here, and the agent's own list of sites (the inbox's).
    let changed = Callback::new(move |site: Site| {
        notice.set((site.state == SiteState::Deleted).then_some(s().site_deleted));
        list.update(|sites| {
            sites.retain(|s| s.site != site.site);
            if site.state != SiteState::Deleted {
                sites.push(site);
                sites.sort_by(|a, b| a.site.as_str().cmp(b.site.as_str()));
            }
        });
        console.check_session();
    });
    view! {
        <section class="sites" aria-labelledby="sites-title">
            <h3 id="sites-title">{s().sites_title}</h3>
            <p class="hint">{s().sites_hint}</p>
            <ErrorText error />
            {move || notice.get().map(|text| view! { <p role="status">{text}</p> })}
            <NewSite changed />
            {move || list.get().into_iter().map(|site| view! { <SiteBlock site changed /> }).collect_view()}
        </section>
    }
}

/// The values of `form`'s fields, by name.
pub(super) fn fields(form: &HtmlFormElement) -> impl Fn(&str) -> String {
    let data = web_sys::FormData::new_with_form(form).ok();
    move |name| {
        data.as_ref()
            .and_then(|d| d.get(name).as_string())
            .unwrap_or_default()
    }
}

#[component]
fn NewSite(changed: Callback<Site>) -> impl IntoView {
    let console = expect_context::<Console>();
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let form: HtmlFormElement = event_target(&ev);
        let get = fields(&form);
        let settings = SiteSettings {
            name: get("name"),
            team: get("team"),
            ..SiteSettings::default()
        };
        let id = get("site");
        spawn_local(async move {
            match api::create_site(id.trim(), settings).await {
                Ok(site) => {
                    form.reset();
                    changed.run(site);
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    view! {
        <form class="new-site" on:submit=submit>
            <h4>{s().create_site}</h4>
            <label for="new-site-id">{s().site_id}</label>
            <input id="new-site-id" name="site" type="text" required pattern="[a-z0-9-]+" maxlength="40"
                autocomplete="off" spellcheck="false" />
            <label for="new-site-name">{s().site_name}</label>
            <input id="new-site-name" name="name" type="text" required maxlength="80" />
            <label for="new-site-team">{s().site_team}</label>
            <input id="new-site-team" name="team" type="text" required maxlength="80" />
            <ErrorText error />
            <button id="new-site-create" type="submit" class="primary">{s().create_site}</button>
        </form>
    }
}

#[component]
fn SiteBlock(site: Site, changed: Callback<Site>) -> impl IntoView {
    let console = expect_context::<Console>();
    let id = site.site.clone();
    let tag = id.to_string();
    let named = tag.clone();
    let live = site.state == SiteState::Live;
    let settings = site.settings;
    // The form as it is now, for the preview; saved, the settings as the edge kept them.
    let draft = RwSignal::new(settings.clone());
    // As the edge last kept them: the rules' form saves over these.
    let kept = RwSignal::new(settings.clone());
    let title = RwSignal::new(settings.name.clone());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let site_id = StoredValue::new(id.clone());
    let read = move |ev: &leptos::ev::Event| {
        let Some(form) = ev.current_target() else {
            return;
        };
        let form: HtmlFormElement = form.unchecked_into();
        draft.set(site_form::settings(fields(&form), &draft.get_untracked()));
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        error.set(None);
        read(&ev);
        let mut settings = draft.get_untracked();
        // The rules as their own form last saved them.
        settings.proactive = kept.get_untracked().proactive;
        spawn_local(async move {
            match api::save_site(&site_id.get_value(), settings).await {
                Ok(site) => {
                    title.set(site.settings.name.clone());
                    kept.set(site.settings.clone());
                    saved.set(true);
                    // The inbox's list names the team as saved.
                    console.check_session();
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    let field = move |part: &str| format!("site-{}-{part}", site_id.get_value());
    let origins = settings.origins.clone().unwrap_or_default().join("\n");
    let team = settings.team.clone();
    view! {
        <details class="site" data-site=tag>
            <summary>
                {move || title.get()} " (" {named} ")"
                {(!live).then(|| view! { " " <span class="removed">{s().site_removed}</span> })}
            </summary>
            <ScriptTag site=id.clone() />
            <form class="site-settings" on:input=move |ev| read(&ev) on:change=move |ev| read(&ev)
                on:submit=submit>
                <label for=field("name")>{s().site_name}</label>
                <input id=field("name") name="name" type="text" required maxlength="80"
                    value=settings.name.clone() />
                <label for=field("team")>{s().site_team}</label>
                <input id=field("team") name="team" type="text" required maxlength="80"
                    value=settings.team.clone() />
                <label for=field("origins")>{s().origins}</label>
                <textarea id=field("origins") name="origins" rows="3" spellcheck="false">{origins}</textarea>
                <label class="check">
                    <input type="checkbox" name="away_replies" checked=settings.away_replies />
                    {s().away_replies}
                </label>
                {look_fields(&settings.look, field)}
                <Preview draft />
                <ErrorText error />
                <button type="submit" class="primary">{s().save_site}</button>
                {move || saved.get().then(|| view! { <span role="status" class="saved">{t().saved}</span> })}
            </form>
            {live.then(|| view! {
                <HoursForm site=id.clone() team=team.clone() />
                <WordsForm site=id.clone() team=team.clone() />
                <ReachForm site=id.clone() team=team.clone() />
                <ProactiveRules site=id.clone() kept />
            })}
            <StandingForm site=id state=site.state changed />
        </details>
    }
}

/// The tag to paste into the site's pages, with a button that copies it.
#[component]
fn ScriptTag(site: SiteId) -> impl IntoView {
    let origin = crate::browser::window()
        .location()
        .origin()
        .unwrap_or_default();
    let tag = script_tag(&origin, &site);
    let copied = RwSignal::new(false);
    let text = tag.clone();
    let copy = move |_| {
        let clipboard = crate::browser::window().navigator().clipboard();
        let promise = clipboard.write_text(&text);
        spawn_local(async move {
            copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
    };
    view! {
        <div class="script-tag">
            <p>{s().script_tag}</p>
            <code>{tag}</code>
            <button type="button" class="copy" on:click=copy>{s().copy}</button>
            {move || copied.get().then(|| view! { <span role="status" class="saved">{s().copied}</span> })}
        </div>
    }
}

/// Remove (the widget stops, the data stays), restore, or delete the data of a removed
/// site, with its id typed again.
#[component]
fn StandingForm(site: SiteId, state: SiteState, changed: Callback<Site>) -> impl IntoView {
    let console = expect_context::<Console>();
    let error = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(String::new());
    let site = StoredValue::new(site);
    let act = move |change: Standing| {
        error.set(None);
        let typed = (change == Standing::Delete).then(|| confirm.get_untracked());
        spawn_local(async move {
            match api::site_standing(&site.get_value(), change, typed).await {
                Ok(site) => changed.run(site),
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    let id = move || format!("site-{}-confirm", site.get_value());
    let prompt = s()
        .delete_confirm
        .replace("{site}", site.get_value().as_str());
    view! {
        <div class="standing">
            {match state {
                SiteState::Live => view! {
                    <p class="hint">{s().remove_hint}</p>
                    <button type="button" class="remove-site" on:click=move |_| act(Standing::Remove)>
                        {s().remove_site}
                    </button>
                }.into_any(),
                _ => view! {
                    <button type="button" class="restore-site" on:click=move |_| act(Standing::Restore)>
                        {s().restore_site}
                    </button>
                    <label for=id()>{prompt}</label>
                    <input id=id() type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || confirm.get()
                        on:input=move |ev| confirm.set(event_target_value(&ev)) />
                    <button type="button" class="delete-site danger" on:click=move |_| act(Standing::Delete)>
                        {s().delete_site}
                    </button>
                }.into_any(),
            }}
            <ErrorText error />
        </div>
    }
}
