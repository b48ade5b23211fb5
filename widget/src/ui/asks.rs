//! What the team's automatic messages ask of the visitor, drawn under them in the seldom
//! chunk (most visits never need it): the away reply's ask to be told of the answer (an
//! address, or this device's notifications), and the rating of a resolved conversation,
//! which may be changed for the days the edge allows.

use confab_protocol::rating::Score;
use confab_protocol::{Auto, PROTOCOL_VERSION};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use crate::api::Failure;
use crate::chat::Chat;
use crate::dom;
use crate::json::JsonOut;
use crate::texts::Texts;

/// Draws what the message of kind `auto` asks into `place`.
pub(crate) fn draw(chat: Chat, texts: &'static Texts, place: Element, auto: Auto) {
    match auto {
        Auto::AwayAsk => ask_reach(chat, texts, &place),
        Auto::Rating => spawn_local(rating(chat, texts, place)),
        Auto::Away | Auto::Proactive => {}
    }
}

fn note(place: &Element) -> Element {
    dom::add(place, "p", &[("class", "note"), ("role", "status")])
}

fn said(note: &Element, result: Result<(), Failure>, done: &str, texts: &Texts) {
    let text = match result {
        Ok(()) => done,
        Err(Failure::Network) => texts.offline,
        Err(Failure::Refused(_)) => texts.refused,
    };
    note.set_text_content(Some(text));
}

/// "Want to hear when we answer?": an address to mail, or notifications on this device.
fn ask_reach(chat: Chat, texts: &'static Texts, place: &Element) {
    dom::add_text(place, "p", &[], texts.away_ask);
    let form = dom::add(place, "form", &[("class", "ask-email")]);
    let label = dom::add_text(&form, "label", &[], texts.email);
    let attributes = [
        ("type", "email"),
        ("name", "email"),
        ("autocomplete", "email"),
        ("required", ""),
    ];
    dom::add(&label, "input", &attributes);
    dom::add_text(&form, "button", &[("type", "submit")], texts.send_link);
    if crate::attention::can_notify() {
        let attributes = [("type", "button"), ("class", "ask-notify")];
        dom::add_text(place, "button", &attributes, texts.notify);
    }
    let shown = note(place);
    let on_submit = shown.clone();
    dom::listen(&form, "submit", move |ev| {
        ev.prevent_default();
        let typed = dom::target(&ev)
            .and_then(|f| dom::find(&f, "input"))
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default();
        let shown = on_submit.clone();
        spawn_local(async move {
            let result = match chat.session_token().await {
                Ok(token) => chat.api().email_link(&token, &typed).await,
                Err(e) => Err(e),
            };
            said(&shown, result, texts.link_sent, texts);
        });
    });
    dom::listen(place, "click", move |ev| {
        let notify = dom::target(&ev).and_then(|t| dom::closest(&t, ".ask-notify"));
        if notify.is_some() {
            crate::attention::turn_on(chat, texts, shown.clone());
        }
    });
}

/// Good, okay or bad, a comment, and the rating given so far (changeable until the edge
/// says it is too late).
async fn rating(chat: Chat, texts: &'static Texts, place: Element) {
    let (Some(token), Some(thread)) = (chat.saved().token, chat.saved().conversation_id) else {
        return;
    };
    let path = format!("api/conversations/{thread}/rating");
    let Ok(state) = chat.api().call("GET", &path, Some(&token), None).await else {
        return;
    };
    let given = state.field("rating");
    let chosen = given.as_ref().and_then(|r| r.string("score"));
    let open = state
        .number("changeable_until")
        .is_none_or(|until| until as f64 >= js_sys::Date::now());
    let group = dom::add(&place, "div", &[("class", "scores"), ("role", "group")]);
    let words = [texts.rate_good, texts.rate_okay, texts.rate_bad];
    for (score, word) in Score::ALL.into_iter().zip(words) {
        let pressed = (chosen.as_deref() == Some(score.as_str())).to_string();
        let attributes = [
            ("type", "button"),
            ("data-score", score.as_str()),
            ("aria-pressed", pressed.as_str()),
        ];
        let button = dom::add_text(&group, "button", &attributes, word);
        dom::flag(&button, "disabled", !open);
    }
    if !open {
        return;
    }
    let comment = dom::add(
        &place,
        "textarea",
        &[
            ("rows", "2"),
            ("maxlength", "1000"),
            ("aria-label", texts.rate_comment),
            ("placeholder", texts.rate_comment),
        ],
    );
    if let Some(text) = given.as_ref().and_then(|r| r.string("comment")) {
        comment.set_text_content(Some(&text));
    }
    dom::add_text(
        &place,
        "button",
        &[("type", "button"), ("class", "rate")],
        texts.rate_send,
    );
    let shown = note(&place);
    let form = place.clone();
    dom::listen(&place, "click", move |ev| {
        let Some(button) = dom::target(&ev).and_then(|t| dom::closest(&t, "button")) else {
            return;
        };
        if let Some(score) = button.get_attribute("data-score") {
            for other in Score::ALL {
                if let Some(b) = dom::find(&form, &format!("[data-score={}]", other.as_str())) {
                    let _ = b.set_attribute("aria-pressed", &(other.as_str() == score).to_string());
                }
            }
            return;
        }
        let picked =
            dom::find(&form, "[aria-pressed=true]").and_then(|b| b.get_attribute("data-score"));
        let (Some(score), true) = (picked, button.class_name() == "rate") else {
            return;
        };
        let comment = dom::find(&form, "textarea")
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default();
        let body = JsonOut::new()
            .set("v", PROTOCOL_VERSION)
            .set("score", score)
            .set("comment", comment);
        let (path, token, shown) = (path.clone(), token.clone(), shown.clone());
        spawn_local(async move {
            let sent = chat
                .api()
                .call("POST", &path, Some(&token), Some(body))
                .await;
            said(&shown, sent.map(|_| ()), texts.rate_thanks, texts);
        });
    });
}
