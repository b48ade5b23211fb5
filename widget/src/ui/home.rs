//! The ☰ view: the visitor's threads, the ways onto another device, their signed-in devices.
//!
//! Written as markup, with one click and one submit handler for the whole view that read
//! what was clicked from `data-` attributes, and an effect per list that rewrites it: with
//! Leptos' typed views this screen cost the download about 20 KB gzipped, which the
//! widget's budget has no room for. All of it but its element is a wasm chunk of its own
//! (Leptos' `#[lazy]`), fetched when the visitor first opens ☰, not with the first open.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_split_helpers::{wasm_split, SplitLoaderError};
use web_sys::{Element, HtmlElement, HtmlInputElement};

use crate::account::{self, Code, DeviceItem, ThreadItem, Way};
use crate::api::Failure;
use crate::chat::Chat;
use crate::texts::Texts;
use confab_protocol::ConversationId;

#[component]
pub fn Home(chat: Chat, texts: &'static Texts) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    // Run under this view's owner, so its effects and listeners go when the view does.
    root.on_load(move |el| {
        let el: HtmlElement = el.into();
        leptos::task::spawn_local_scoped(async move {
            // Offline, or the deployment is gone: say so; ☰ again tries again.
            if home_screen(chat, texts, el.clone()).await.is_err() {
                el.set_text_content(Some(texts.refused));
            }
        })
    });
    view! { <div class="home" node_ref=root></div> }
}

/// Fetches the ☰ chunk as the panel opens, beside the thread's history, so the first tap
/// on ☰ shows it at once; fetched once, the split loader keeps it. (Waiting for the
/// browser to be idle would cost the first open 500 B.)
pub fn prefetch() {
    spawn_local(async {
        let _ = prefetch_home_screen().await;
    });
}

/// Fills `root` with the ☰ view and answers its clicks and forms. Its chunk failing to load
/// is an error, not a panic (which would end the whole widget).
#[wasm_split(home_screen, fallible, preload(prefetch_home_screen))]
fn home_screen(
    chat: Chat,
    texts: &'static Texts,
    root: HtmlElement,
) -> Result<(), SplitLoaderError> {
    let threads = RwSignal::new(Vec::<ThreadItem>::new());
    let devices = RwSignal::new(Vec::<DeviceItem>::new());
    let code = RwSignal::new(None::<Code>);
    let note = RwSignal::new("");
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
    // `session` is another device's; `None` is this one.
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
    let show_code = move || {
        let Some(token) = token() else { return };
        let api = chat.api();
        spawn_local(async move {
            match api.new_code(&token).await {
                Ok(new) => code.set(Some(new)),
                Err(e) => done(Err(e), ""),
            }
        });
    };

    let notice = root.clone();
    let click = move |ev: web_sys::Event| {
        let Some(button) = target(&ev).and_then(|t| t.closest("button").ok().flatten()) else {
            return;
        };
        let row = |attribute| {
            let row = button.closest(&format!("[{attribute}]")).ok()??;
            row.get_attribute(attribute)
        };
        if let Some(id) = row("data-thread") {
            open_thread(ConversationId::parse(&id));
        } else if let Some(session) = row("data-session") {
            sign_out((!session.is_empty()).then_some(session), false);
        } else {
            match button.get_attribute("data-do").as_deref() {
                Some("new") => open_thread(None),
                Some("code") => show_code(),
                Some("all") => sign_out(None, true),
                Some("notify") => {
                    if let Some(shown) = notice.query_selector(".note").ok().flatten() {
                        crate::attention::turn_on(chat, texts, shown);
                    }
                }
                _ => {}
            }
        }
    };
    let submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        let Some(form) = target(&ev) else {
            return;
        };
        let typed = form
            .query_selector("input")
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default();
        if form.class_name() == "enter-code" {
            spawn_local(async move {
                let result = account::sign_in(chat, Way::Code(typed)).await;
                if result.is_ok() {
                    chat.home.set(false);
                }
                done(result, "");
            });
        } else if let Some(token) = token() {
            let api = chat.api();
            spawn_local(async move { done(api.email_link(&token, &typed).await, texts.link_sent) });
        }
    };

    // The parts that change, each rewritten whole when its signal does.
    let parts = root.clone();
    let fill = move |selector: &str, html: String| {
        if let Some(part) = parts.query_selector(selector).ok().flatten() {
            part.set_inner_html(&html);
        }
    };
    Effect::new(move || {
        fill(".threads", threads.with(|t| thread_rows(t, texts)));
        fill(".devices", devices.with(|d| device_rows(d, texts)));
        fill(".resume", code.with(|c| resume(c.as_ref(), texts)));
        fill(".note", note.get().to_owned());
    });

    root.set_inner_html(&skeleton(texts, token().is_some()));
    listen(&root, "click", Box::new(click));
    listen(&root, "submit", Box::new(submit));
    Ok(())
}

/// Calls `handler` for each `kind` event on `root`, until the view goes.
fn listen(root: &HtmlElement, kind: &str, handler: Box<dyn Fn(web_sys::Event)>) {
    let handler = Closure::wrap(handler);
    let _ = root.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    let handler = send_wrapper::SendWrapper::new(handler);
    on_cleanup(move || drop(handler));
}

/// The element an event happened on.
fn target(ev: &web_sys::Event) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()
}

/// The view's fixed markup. The rest (what needs a token) shows once this device has one.
fn skeleton(texts: &Texts, signed_in: bool) -> String {
    let notify = if crate::attention::can_notify() {
        format!(
            "<button class=\"notify\" type=\"button\" data-do=\"notify\">{}</button>",
            texts.notify
        )
    } else {
        String::new()
    };
    let account = if signed_in {
        format!(
            "<form class=\"email-link\"><label>{}<input type=\"email\" name=\"email\" \
             autocomplete=\"email\"></label><button type=\"submit\">{}</button></form>\
             <h3>{}</h3><ul class=\"devices\"></ul>\
             <button class=\"sign-out-everywhere\" type=\"button\" data-do=\"all\">{}</button>",
            texts.email, texts.send_link, texts.devices, texts.sign_out_all
        )
    } else {
        String::new()
    };
    format!(
        "<h3>{}</h3><button class=\"new-thread\" type=\"button\" data-do=\"new\">{}</button>\
         <ul class=\"threads\"></ul>\
         <h3>{}</h3><button class=\"show-code\" type=\"button\" data-do=\"code\">{}</button>\
         <div class=\"resume\"></div>\
         <form class=\"enter-code\"><label>{}<input name=\"code\" autocomplete=\"one-time-code\" \
         maxlength=\"12\"></label><button type=\"submit\">{}</button></form>\
         {account}{notify}<p class=\"note\" role=\"status\"></p>",
        texts.threads,
        texts.new_thread,
        texts.other_device,
        texts.show_code,
        texts.have_code,
        texts.use_code,
    )
}

fn thread_rows(threads: &[ThreadItem], texts: &Texts) -> String {
    let mut html = String::new();
    for t in threads {
        html += &format!(
            "<li><button class=\"thread\" type=\"button\" data-thread=\"{}\">\
             <span class=\"preview\">{}</span>",
            t.id,
            escape(&t.preview)
        );
        if t.unread > 0 {
            html += &format!(
                "<span class=\"unread-count\">{} {}</span>",
                t.unread, texts.unread
            );
        }
        html += "</button></li>";
    }
    html
}

/// This device's row carries an empty `data-session`: signing it out forgets it here.
fn device_rows(devices: &[DeviceItem], texts: &Texts) -> String {
    let mut html = String::new();
    for d in devices {
        let (session, mark) = match d.current {
            true => ("", format!("<em>{}</em>", texts.this_device)),
            false => (d.session.as_str(), String::new()),
        };
        html += &format!(
            "<li data-session=\"{}\"><span>{}</span>{mark}\
             <button class=\"sign-out\" type=\"button\">{}</button></li>",
            escape(session),
            escape(&d.browser),
            texts.sign_out
        );
    }
    html
}

/// The code to type on the other device, its link, and the link as a QR code.
fn resume(code: Option<&Code>, texts: &Texts) -> String {
    let Some(c) = code else {
        return String::new();
    };
    format!(
        "<p class=\"code\">{}</p><img class=\"qr\" width=\"180\" height=\"180\" alt=\"{}\" \
         src=\"data:image/svg+xml,{}\"><a class=\"resume-link\" href=\"{link}\">{link}</a>\
         <p class=\"hint\">{}</p>",
        escape(&c.code),
        texts.qr,
        String::from(js_sys::encode_uri_component(&c.qr_svg)),
        texts.code_hint,
        link = escape(&c.link),
    )
}

/// Text made safe to place in markup, between tags or in a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            '\'' => out += "&#39;",
            c => out.push(c),
        }
    }
    out
}
