//! The few calls on the browser a live page needs, once for widget and console: timers
//! and event listeners that live as long as the page.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// Runs `f` once after `ms`; returns the timer, for `cancel`.
pub fn after(ms: u64, f: impl FnOnce() + 'static) -> i32 {
    let callback = Closure::once_into_js(f);
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            ms.min(i32::MAX as u64) as i32,
        )
        .unwrap_or(0)
}

/// `target[key]`, or `undefined`: for what is read without typed bindings (each of
/// those adds to the JS glue of the widget's first open).
pub fn property(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn cancel(timer: i32) {
    window().clear_timeout_with_handle(timer);
}

/// Calls `f` on every `event` at `target`, for as long as the page lives.
pub fn listen(target: &EventTarget, event: &str, f: impl FnMut(Event) + 'static) {
    let callback = Closure::<dyn FnMut(Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    callback.forget();
}
