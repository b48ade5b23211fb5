//! The team page: who is on the team; for admins, inviting and removing agents, and the
//! deployment's sites with everything each one sets (`sites`).

use confab_protocol::console::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::login::ErrorText;
use super::sites::SitesSection;
use crate::api;
use crate::state::Console;
use crate::texts::t;

#[component]
pub fn TeamPage() -> impl IntoView {
    super::styles::add("team-styles", include_str!("team.css"));
    let console = expect_context::<Console>();
    console.refresh_team();
    let error = RwSignal::new(None::<String>);
    // The admin's part is drawn again only if the role changes, not each time `/me` is
    // asked again (after a site changes), which would lose what is being typed.
    let admin = Memo::new(move |_| console.is_admin());
    let me = console.me_id();
    let remove = move |agent: confab_protocol::console::Agent| {
        spawn_local(async move {
            match api::remove_agent(&agent.id).await {
                Ok(()) => {
                    error.set(None);
                    console.agents.update(|a| a.retain(|x| x.id != agent.id));
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    view! {
        <section class="page team">
            <h2>{t().team}</h2>
            {move || (!admin.get()).then(|| view! {
                <p class="hint">{t().admins_only}</p>
            })}
            <ErrorText error />
            <table class="agents">
                <thead><tr><th>{t().name}</th><th>{t().email}</th><th>{t().role}</th><th><span class="visually-hidden">{t().actions}</span></th></tr></thead>
                <tbody>
                    {move || console.agents.get().into_iter().map(|agent| {
                        let is_me = Some(&agent.id) == me.as_ref();
                        let label = t().remove_agent.replace("{name}", &agent.name);
                        let target = agent.clone();
                        view! {
                            <tr data-agent=agent.id.to_string()>
                                <td>{agent.name.clone()}{agent.pending.then_some(" (invited)")}</td>
                                <td>{agent.email.clone()}</td>
                                <td>{match agent.role { Role::Admin => t().admin, Role::Agent => t().agent }}</td>
                                <td>
                                    {(!is_me && admin.get()).then(|| view! {
                                        <button type="button" class="remove quiet" aria-label=label
                                            on:click=move |_| remove(target.clone())>{t().remove}</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || admin.get().then(|| view! {
                <InviteForm />
                <SitesSection />
            })}
        </section>
    }
}

#[component]
fn InviteForm() -> impl IntoView {
    let console = expect_context::<Console>();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Agent);
    let error = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        spawn_local(async move {
            let answer = api::invite(
                &email.get_untracked(),
                &name.get_untracked(),
                role.get_untracked(),
            )
            .await;
            match answer {
                Ok(invited) => {
                    link.set(Some(invited.invite_url));
                    email.set(String::new());
                    name.set(String::new());
                    console.agents.update(|a| {
                        a.retain(|x| x.id != invited.agent.id);
                        a.push(invited.agent);
                    });
                }
                Err(failure) => error.set(Some(console.failed(&failure))),
            }
        });
    };
    view! {
        <form class="invite" on:submit=submit>
            <h3>{t().invite_agent}</h3>
            <label for="invite-email">{t().email}</label>
            <input id="invite-email" type="email" required
                prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
            <label for="invite-name">{t().name}</label>
            <input id="invite-name" type="text" required
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <label for="invite-role">{t().role}</label>
            <select id="invite-role" on:change=move |ev| {
                role.set(if event_target_value(&ev) == "admin" { Role::Admin } else { Role::Agent });
            }>
                <option value="agent" selected=move || role.get() == Role::Agent>{t().agent}</option>
                <option value="admin" selected=move || role.get() == Role::Admin>{t().admin}</option>
            </select>
            <ErrorText error />
            <button id="invite-send" type="submit" class="primary">{t().send_invite}</button>
            {move || link.get().map(|url| view! {
                <p class="invite-link">
                    {t().invite_link}
                    <code id="invite-url">{url}</code>
                </p>
            })}
        </form>
    }
}
