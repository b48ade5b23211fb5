use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::{self, Code, DeviceItem, ThreadItem, Way};
use crate::api::Failure;
use crate::chat::Chat;
use crate::texts::Texts;

/// The visitor's threads, the ways onto another device, and their signed-in devices.
#[component]
pub fn Home(chat: Chat, texts: &'static Texts) -> impl IntoView {
    let threads = RwSignal::new(Vec::<ThreadItem>::new());
    let devices = RwSignal::new(Vec::<DeviceItem>::new());
    let code = RwSignal::new(None::<Code>);
    let note = RwSignal::new("");
    let code_input = NodeRef::<Input>::new();
    let email_input = NodeRef::<Input>::new();
    let token = move || chat.saved().token;

    let load = move || {
        let Some(token) = token() else { return };
        let api = chat.api();
        spawn_local(async move {
            if let Ok(list) = api.threads(&token).await {
                threads.set(list);
            }
            if let Ok((list, _)) = api.devices(&token).await {
                devices.set(list);
            }
        });
    };
    load();
    // Says how a call ended.
    let done = move |result: Result<(), Failure>, success: &'static str| {
        note.set(if result.is_ok() {
            success
        } else {
            texts.refused
        })
    };

    let open_thread = move |id| {
        if !chat.switch_to(id) {
            note.set(texts.not_now);
        }
    };
    let show_code = move |_| {
        let Some(token) = token() else { return };
        let api = chat.api();
        spawn_local(async move {
            match api.new_code(&token).await {
                Ok(new) => code.set(Some(new)),
                Err(e) => done(Err(e), ""),
            }
        });
    };
    let use_code = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(input) = code_input.get() else {
            return;
        };
        let typed = input.value();
        spawn_local(async move {
            let result = account::sign_in(chat, Way::Code(typed)).await;
            if result.is_ok() {
                chat.home.set(false);
            }
            done(result, "");
        });
    };
    let send_link = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (Some(input), Some(token)) = (email_input.get(), token()) else {
            return;
        };
        let email = input.value();
        let api = chat.api();
        spawn_local(async move { done(api.email_link(&token, &email).await, texts.link_sent) });
    };
    let sign_out = move |session: Option<String>, everywhere: bool| {
        let Some(token) = token() else { return };
        let api = chat.api();
        spawn_local(async move {
            let result = api.sign_out(&token, session.as_deref(), everywhere).await;
            if result.is_ok() && (everywhere || session.is_none()) {
                chat.forget();
                chat.home.set(false);
            } else {
                done(result, "");
                load();
            }
        });
    };

    view! {
        <div class="home">
            <h3>{texts.threads}</h3>
            <button class="new-thread" type="button" on:click=move |_| open_thread(None)>
                {texts.new_thread}
            </button>
            <ul class="threads">
                {move || threads.get().into_iter().map(|t| {
                    let id = t.id.clone();
                    view! {
                        <li>
                            <button
                                class="thread"
                                type="button"
                                data-thread=t.id.to_string()
                                on:click=move |_| open_thread(Some(id.clone()))
                            >
                                <span class="preview">{t.preview}</span>
                                <span class="unread-count" hidden=t.unread == 0>
                                    {format!("{} {}", t.unread, texts.unread)}
                                </span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>

            <h3>{texts.other_device}</h3>
            <button class="show-code" type="button" on:click=show_code>{texts.show_code}</button>
            {move || code.get().map(|c| {
                let src = format!("data:image/svg+xml,{}", js_sys::encode_uri_component(&c.qr_svg));
                let href = c.link.clone();
                view! {
                    <div class="resume">
                        <p class="code">{c.code}</p>
                        <img class="qr" src=src alt=texts.qr width="180" height="180" />
                        <a class="resume-link" href=href>{c.link}</a>
                        <p class="hint">{texts.code_hint}</p>
                    </div>
                }
            })}
            <form class="enter-code" on:submit=use_code>
                <label>
                    {texts.have_code}
                    <input node_ref=code_input name="code" autocomplete="one-time-code" maxlength="12" />
                </label>
                <button type="submit">{texts.use_code}</button>
            </form>
            <div hidden=token().is_none()>
                <form class="email-link" on:submit=send_link>
                    <label>
                        {texts.email}
                        <input node_ref=email_input type="email" name="email" autocomplete="email" />
                    </label>
                    <button type="submit">{texts.send_link}</button>
                </form>
                <h3>{texts.devices}</h3>
                <ul class="devices">
                    {move || devices.get().into_iter().map(|d| {
                        let session = d.session.clone();
                        view! {
                            <li data-session=d.session.clone()>
                                <span>{d.browser}</span>
                                <em hidden=!d.current>{texts.this_device}</em>
                                <button class="sign-out" type="button" on:click=move |_| {
                                    sign_out((!d.current).then(|| session.clone()), false)
                                }>{texts.sign_out}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button class="sign-out-everywhere" type="button" on:click=move |_| sign_out(None, true)>
                    {texts.sign_out_all}
                </button>
            </div>
            <p class="note" role="status">{move || note.get()}</p>
        </div>
    }
}
