//! The proactive teaser on screen: a card above the launcher with who speaks and what
//! they say. Choosing it opens the panel on a new thread that starts with it (sent with the
//! visitor's first message, `Inner::opening`); × or Escape dismisses it. In the proactive
//! chunk (`crate::proactive`).

use std::rc::Rc;

use confab_protocol::proactive::Teaser;
use confab_protocol::ClientId;
use wasm_bindgen::prelude::*;
use web_sys::{Element, KeyboardEvent};

use crate::dom;
use crate::json::JsonOut;
use crate::proactive::Watcher;

/// Puts `teaser` above the launcher; answers its buttons.
pub fn show(watcher: Rc<Watcher>, teaser: Teaser) -> Element {
    let container = watcher.container();
    let texts = watcher.texts();
    // A polite live region, filled once it is on the page, so screen readers read it out
    // without taking the visitor's focus.
    let card = dom::make("div", &[("class", "teaser"), ("role", "status")]);
    let launcher = dom::find(container, ".launcher");
    let _ = container.insert_before(&card, launcher.as_ref().map(|l| l.unchecked_ref()));
    let open = dom::make("button", &[("class", "teaser-open"), ("type", "button")]);
    dom::add_text(&open, "strong", &[], &teaser.from);
    dom::add_text(&open, "span", &[], &teaser.body);
    let close = dom::make(
        "button",
        &[
            ("class", "teaser-close"),
            ("type", "button"),
            ("aria-label", texts.dismiss),
        ],
    );
    close.set_text_content(Some("×"));
    let filled = card.clone();
    let fill = Closure::once_into_js(move || {
        let _ = filled.append_child(&open);
        let _ = filled.append_child(&close);
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(fill.unchecked_ref(), 100);
    }
    let clicked = watcher.clone();
    dom::listen(&card, "click", move |ev| {
        let Some(button) = dom::target(&ev).and_then(|t| dom::closest(&t, "button")) else {
            return;
        };
        if button.class_name() == "teaser-open" {
            answer(&clicked, &teaser);
        }
        clicked.gone();
    });
    let pressed = watcher.clone();
    dom::listen(&card, "keydown", move |ev| {
        if ev.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
            pressed.gone();
        }
    });
    card
}

/// The visitor took the teaser up: a new thread, opening with it, in the open panel.
fn answer(watcher: &Watcher, teaser: &Teaser) {
    let chat = watcher.chat();
    // A thread the team resolved stays as it is; a message still unsent keeps the visitor
    // on its thread.
    if chat.saved().conversation_id.is_some() && !chat.switch_to(None) {
        chat.show(|s| s.open = true);
        return;
    }
    let Some(client_id) = ClientId::parse(&format!("proactive-{}", teaser.rule)) else {
        return;
    };
    let opening = JsonOut::new()
        .set("rule", teaser.rule.as_str())
        .set("lang", watcher.texts().lang)
        .into_value();
    chat.update_inner(|i| i.opening = opening);
    let body = teaser.body.clone();
    chat.show(|s| {
        s.change_thread(|t| t.add_teaser(client_id, body));
        s.home = false;
        s.open = true;
    });
}
