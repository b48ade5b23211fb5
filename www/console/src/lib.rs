//! The agents' console: a Leptos app served at `/console/`, talking to the edge's
//! `/api/console/*` with the session cookie set at sign-in.
//!
//! `index.html` loads this module and the texts, and calls `start`.

mod api;
mod browser;
mod inbox;
mod live;
pub mod logic;
mod notify;
mod state;
mod texts;
mod ui;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Mounts the console into `<main id="app">` (or the body, if there is none). `texts` is
/// the agent's language's file (`www/console/texts/<lang>.json`), as `index.html` fetched it.
#[wasm_bindgen]
pub fn start(texts: JsValue) -> Result<(), JsValue> {
    let read = texts::Texts::from_js(&texts).ok_or("confab: the console's texts are incomplete")?;
    texts::set(read, texts);
    let document = browser::document();
    let mount_point: web_sys::HtmlElement = match document.get_element_by_id("app") {
        Some(element) => {
            element.set_inner_html("");
            element.unchecked_into()
        }
        None => document.body().expect("a page has a body"),
    };
    leptos::mount::mount_to(mount_point, ui::app::App).forget();
    Ok(())
}
