//! Small wrappers around the browser: timers, ids, the hash and the clock.
//!
//! These call into JavaScript, so they only work in the browser; the native build compiles
//! them but its tests never call them.

use confab_protocol::ClientId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// Timers and listeners are the live crate's, shared with the widget.
pub use confab_live::{after, cancel, listen, window};

pub fn document() -> web_sys::Document {
    window().document().expect("a window has a document")
}

/// Milliseconds since the Unix epoch, by this computer's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A fresh random id for a message or note: 16 random bytes as hex.
pub fn client_id() -> ClientId {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .is_ok();
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    ClientId::from_bytes(bytes)
}

pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

pub fn set_hash(hash: &str) {
    let _ = window().location().set_hash(hash);
}

pub fn page_hidden() -> bool {
    document().hidden()
}

/// The page's origin as a WebSocket base: `wss://host` on https, `ws://host` otherwise.
pub fn socket_origin() -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss:",
        _ => "ws:",
    };
    format!("{scheme}//{}", location.host().unwrap_or_default())
}

/// A value as text in the browser's locale, with `Intl.DateTimeFormat` `options`
/// (pairs of option name and value), for the instant `ms`.
pub fn format_date(ms: u64, options: &[(&str, &str)]) -> String {
    let opts = js_sys::Object::new();
    for (key, value) in options {
        let _ = js_sys::Reflect::set(&opts, &(*key).into(), &(*value).into());
    }
    // An unknown time zone throws: constructed through Reflect, the error is caught and
    // the caller gets an empty string.
    let format = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| js_sys::Reflect::get(&intl, &"DateTimeFormat".into()))
        .and_then(|ctor| {
            let args = js_sys::Array::of2(&JsValue::UNDEFINED, &opts);
            js_sys::Reflect::construct(ctor.unchecked_ref::<js_sys::Function>(), &args)
        });
    let Ok(format) = format else {
        return String::new();
    };
    let format: js_sys::Intl::DateTimeFormat = format.unchecked_into();
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format
        .format()
        .call1(&JsValue::NULL, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// "14:05" or "Mon 14:05" or "12 Mar 14:05" for a message's time, by how long ago it was.
pub fn message_time(ms: u64) -> String {
    let age = now_ms().saturating_sub(ms);
    if age < 20 * 3600 * 1000 {
        format_date(ms, &[("hour", "2-digit"), ("minute", "2-digit")])
    } else if age < 6 * 24 * 3600 * 1000 {
        format_date(
            ms,
            &[
                ("weekday", "short"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
        )
    } else {
        format_date(
            ms,
            &[
                ("day", "numeric"),
                ("month", "short"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
        )
    }
}

/// The instant of the next 9:00 tomorrow, by this computer's clock and zone.
pub fn tomorrow_at_nine() -> u64 {
    let date = js_sys::Date::new_0();
    date.set_date(date.get_date() + 1);
    date.set_hours(9);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0);
    date.get_time() as u64
}

/// How often relative times ("5 min ago") and the visitor's clock are redrawn.
const CLOCK_TICK_MS: u64 = 30_000;

/// Keeps `now` current, until the view that owns it is gone.
pub fn keep_time(now: leptos::prelude::RwSignal<u64>) {
    use leptos::prelude::Set;
    after(CLOCK_TICK_MS, move || {
        if now.try_set(now_ms()).is_none() {
            keep_time(now);
        }
    });
}
