//! The visitor's widget, drawn in the shadow root the loader created.
//!
//! The loader (`widget/loader/confab.js`) draws the launcher at once and loads this module
//! on idle or on the first interaction; `mount` then takes the launcher over.

mod account;
mod api;
mod attention;
mod chat;
mod config;
mod dom;
mod host;
mod json;
mod live;
mod proactive;
mod saved;
mod seldom;
mod texts;
mod ui;

use wasm_bindgen::prelude::*;

// The page's one thread; grows the wasm memory as needed.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use web_sys::ShadowRoot;

/// Mounts the widget into `root`. `config` is `{ site, api, open, texts, team, … }` from the
/// loader.
#[wasm_bindgen]
pub fn mount(root: ShadowRoot, config: JsValue) -> Result<(), JsValue> {
    attention::configure(&config);
    let config = config::Config::from_js(&config)?;
    let chat = chat::Chat::new(&config);
    chat.start();
    account::serve_host_commands(chat, &config.host);
    // A resume or sign-in link brought the visitor here: sign in and show the thread.
    if let Some(way) = account::take_from_address() {
        chat.show(|s| s.open = true);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = account::sign_in(chat, way).await;
        });
    }
    // Drawn last, as the page's queued calls left it: the page hears no `open` for a panel
    // that opens with the widget.
    ui::start(chat, &config, &root)?;
    proactive::start(chat, config.texts, &root, config.proactive);
    Ok(())
}
