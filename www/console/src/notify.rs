//! Telling an agent in another tab that a visitor wrote: a desktop notification (once
//! they allowed it, from a button: browsers ignore or punish asking on load) and a short
//! tone made on the spot, so there is no sound file to fetch.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    AudioContext, Notification, NotificationOptions, NotificationPermission, OscillatorType,
};

/// Whether notifications exist here and what the agent said about them.
pub fn permission() -> Option<NotificationPermission> {
    let has_api = js_sys::Reflect::has(&js_sys::global(), &"Notification".into()).unwrap_or(false);
    has_api.then(Notification::permission)
}

/// Asks for permission; `done` gets the answer.
pub fn ask(done: impl FnOnce(NotificationPermission) + 'static) {
    let Ok(promise) = Notification::request_permission() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        done(Notification::permission());
    });
}

/// A visitor's new message, while the console's tab is hidden.
pub fn visitor_wrote(title: &str, body: &str, href: &str) {
    beep();
    if permission() != Some(NotificationPermission::Granted) {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    // One notification per conversation: a newer message replaces the older one.
    options.set_tag(href);
    let Ok(notification) = Notification::new_with_options(title, &options) else {
        return;
    };
    let href = href.to_owned();
    let on_click = Closure::once_into_js(move || {
        let window = crate::browser::window();
        let _ = window.focus();
        crate::browser::set_hash(&href);
    });
    notification.set_onclick(Some(on_click.unchecked_ref()));
}

/// A soft two-tone chime, about a third of a second long.
pub fn beep() {
    let Ok(context) = AudioContext::new() else {
        return;
    };
    let start = context.current_time();
    let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else {
        return;
    };
    oscillator.set_type(OscillatorType::Sine);
    let frequency = oscillator.frequency();
    frequency.set_value_at_time(880.0, start).ok();
    frequency.set_value_at_time(660.0, start + 0.15).ok();
    let volume = gain.gain();
    volume.set_value_at_time(0.0001, start).ok();
    volume
        .exponential_ramp_to_value_at_time(0.2, start + 0.02)
        .ok();
    volume
        .exponential_ramp_to_value_at_time(0.0001, start + 0.35)
        .ok();
    let wired = oscillator
        .connect_with_audio_node(&gain)
        .and_then(|_| gain.connect_with_audio_node(&context.destination()));
    if wired.is_ok() {
        let _ = oscillator.start();
        let _ = oscillator.stop_with_when(start + 0.4);
    }
    // Let the browser free the context once the tone is over.
    crate::browser::after(1_000, move || {
        let _ = context.close();
    });
}
