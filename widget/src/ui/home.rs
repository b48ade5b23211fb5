//! The ☰ view: the visitor's threads, the ways onto another device, their signed-in devices.
//!
//! Written as markup, with one click and one submit handler for the whole view that read
//! what was clicked from `data-` attributes; each part is rewritten whole when it changes.
//! All of it but its element is a wasm chunk of its own (`wasm_split`), not in the first
//! open's download: it is fetched as the panel opens, so that ☰ shows at once.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use wasm_split_helpers::{wasm_split, SplitLoaderError};
use web_sys::{Element, Event, HtmlInputElement};

use crate::account::{self, Code, DeviceItem, ThreadItem, Way};
use crate::api::Failure;
use crate::chat::Chat;
use crate::dom;
use crate::texts::Texts;
use confab_protocol::ConversationId;

type Listener = Closure<dyn Fn(Event)>;

thread_local! {
    /// The open ☰ view's listeners, dropped with it.
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
}

/// Fills `root`, just added to the panel, with the ☰ view once its chunk is there.
pub fn show(chat: Chat, texts: &'static Texts, root: Element) {
    spawn_local(async move {
        // Offline, or the deployment is gone: say so; ☰ again tries again.
        if home_screen(chat, texts, root.clone()).await.is_err() {
            root.set_text_content(Some(texts.refused));
        }
    });
}

/// The ☰ view was taken away.
pub fn closed() {
    LISTENERS.with_borrow_mut(Vec::clear);
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
fn home_screen(chat: Chat, texts: &'static Texts, root: Element) -> Result<(), SplitLoaderError> {
    // Closed before its chunk came.
    if !root.is_connected() {
        return Ok(());
    }
    root.set_inner_html(&skeleton(texts, chat.saved().token.is_some()));
    let view = View { chat, texts, root };
    view.load();
    let (clicks, submits) = (view.clone(), view.clone());
    listen(&view.root, "click", Box::new(move |ev| clicks.clicked(&ev)));
    listen(
        &view.root,
        "submit",
        Box::new(move |ev| submits.submitted(&ev)),
    );
    Ok(())
}

/// The ☰ view on screen. Each part that changes is rewritten whole when it does.
#[derive(Clone)]
struct View {
    chat: Chat,
    texts: &'static Texts,
    root: Element,
}

impl View {
    fn fill(&self, selector: &str, html: &str) {
        if let Some(part) = dom::find(&self.root, selector) {
            part.set_inner_html(html);
        }
    }

    /// Says how a call ended: `success`, or that it did not work.
    fn done(&self, result: Result<(), Failure>, success: &str) {
        self.fill(
            ".note",
            if result.is_ok() {
                success
            } else {
                self.texts.refused
            },
        );
    }

    /// The visitor's threads and devices, fetched anew.
    fn load(&self) {
        let Some(token) = self.chat.saved().token else {
            return;
        };
        let view = self.clone();
        spawn_local(async move {
            let api = view.chat.api();
            if let Ok(list) = api.threads(&token).await {
                view.fill(".threads", &thread_rows(&list, view.texts));
            }
            if let Ok((list, _)) = api.devices(&token).await {
                view.fill(".devices", &device_rows(&list, view.texts));
            }
        });
    }

    fn open_thread(&self, id: Option<ConversationId>) {
        if !self.chat.switch_to(id) {
            self.fill(".note", self.texts.not_now);
        }
    }

    /// Signs out another device (`session`), this one (`None`), or all of them.
    fn sign_out(&self, session: Option<String>, everywhere: bool) {
        let Some(token) = self.chat.saved().token else {
            return;
        };
        let view = self.clone();
        spawn_local(async move {
            let chat = view.chat;
            let result = chat
                .api()
                .sign_out(&token, session.as_deref(), everywhere)
                .await;
            if result.is_ok() && (everywhere || session.is_none()) {
                chat.forget();
                chat.show(|s| s.home = false);
            } else {
                view.done(result, "");
                view.load();
            }
        });
    }

    fn show_code(&self) {
        let Some(token) = self.chat.saved().token else {
            return;
        };
        let view = self.clone();
        spawn_local(async move {
            match view.chat.api().new_code(&token).await {
                Ok(code) => view.fill(".resume", &resume(&code, view.texts)),
                Err(e) => view.done(Err(e), ""),
            }
        });
    }

    fn clicked(&self, ev: &Event) {
        let Some(button) = dom::target(ev).and_then(|t| dom::closest(&t, "button")) else {
            return;
        };
        let row = |attribute| {
            let row = button.closest(&format!("[{attribute}]")).ok()??;
            row.get_attribute(attribute)
        };
        if let Some(id) = row("data-thread") {
            self.open_thread(ConversationId::parse(&id));
        } else if let Some(session) = row("data-session") {
            self.sign_out((!session.is_empty()).then_some(session), false);
        } else {
            match button.get_attribute("data-do").as_deref() {
                Some("new") => self.open_thread(None),
                Some("code") => self.show_code(),
                Some("all") => self.sign_out(None, true),
                Some("notify") => {
                    if let Some(shown) = dom::find(&self.root, ".note") {
                        crate::attention::turn_on(self.chat, self.texts, shown);
                    }
                }
                _ => {}
            }
        }
    }

    fn submitted(&self, ev: &Event) {
        ev.prevent_default();
        let Some(form) = dom::target(ev) else {
            return;
        };
        let typed = dom::find(&form, "input")
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default();
        let view = self.clone();
        let chat = self.chat;
        if form.class_name() == "enter-code" {
            spawn_local(async move {
                let result = account::sign_in(chat, Way::Code(typed)).await;
                if result.is_ok() {
                    chat.show(|s| s.home = false);
                }
                view.done(result, "");
            });
        } else if let Some(token) = chat.saved().token {
            spawn_local(async move {
                let result = chat.api().email_link(&token, &typed).await;
                view.done(result, view.texts.link_sent);
            });
        }
    }
}

/// Calls `handler` for each `kind` event in `root`, until the view goes (`closed`).
fn listen(root: &Element, kind: &str, handler: Box<dyn Fn(Event)>) {
    let handler = Closure::wrap(handler);
    let _ = root.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    LISTENERS.with_borrow_mut(|l| l.push(handler));
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
fn resume(c: &Code, texts: &Texts) -> String {
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
