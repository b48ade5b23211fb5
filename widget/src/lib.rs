//! The visitor's widget: a Leptos app mounted in the shadow root the loader created.
//!
//! The loader (`widget/loader/confab.js`) draws the launcher at once and loads this module
//! on idle or on the first interaction; `mount` then takes the launcher over.

mod account;
mod api;
mod attention;
mod chat;
mod config;
mod host;
mod json;
mod live;
mod saved;
mod texts;
mod ui;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRoot};

/// Mounts the widget into `root`. `config` is `{ site, api, open, texts, team, … }` from the
/// loader.
#[wasm_bindgen]
pub fn mount(root: ShadowRoot, config: JsValue) -> Result<(), JsValue> {
    attention::configure(&config);
    let config = config::Config::from_js(&config)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("confab");
    root.append_child(&container)?;
    leptos::mount::mount_to(container, move || {
        ui::app::App(ui::app::AppProps { config })
    })
    .forget();
    // The widget's own launcher now stands where the loader's did, with its focus.
    if let Some(placeholder) = root.query_selector("[data-confab-loader]")? {
        let had_focus = root.active_element().as_ref() == Some(&placeholder);
        placeholder.remove();
        if had_focus {
            if let Some(launcher) = root.query_selector(".launcher")? {
                let _ = launcher.unchecked_into::<HtmlElement>().focus();
            }
        }
    }
    Ok(())
}
