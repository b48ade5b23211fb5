//! What the loader tells the widget.

use wasm_bindgen::JsValue;

use crate::texts::Texts;

#[derive(Clone, Debug)]
pub struct Config {
    /// `data-site` of the script tag.
    pub site: String,
    /// Origin and path of the Confab deployment, ending with `/`.
    pub api_base: String,
    /// The visitor clicked the launcher before the widget had loaded.
    pub open: bool,
    /// In the visitor's language, sent by the edge with the site's settings.
    pub texts: &'static Texts,
    /// The team's name and a line on when to expect a reply, from the site's settings
    /// (fetched by the loader while the widget downloads).
    pub team: String,
    pub availability: String,
    /// From the site's look: the address of its logo for the header, and the launcher's
    /// label (drawn by the loader's CSS, named here for screen readers); each may be empty.
    pub logo: String,
    pub label: String,
    /// The loader's `Confab` function, which the host page calls.
    pub host: JsValue,
    /// The site's live proactive rules, as the edge sent them (`proactive::Teaser`), read
    /// only in the chunk that evaluates them.
    pub proactive: JsValue,
}

impl Config {
    pub fn from_js(value: &JsValue) -> Result<Self, JsValue> {
        let get = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok();
        let info = get("info").unwrap_or_default();
        let of_info = |key: &str| js_sys::Reflect::get(&info, &JsValue::from_str(key)).ok();
        let string = |key: &str| get(key).and_then(|v| v.as_string()).unwrap_or_default();
        let info_string = |key: &str| of_info(key).and_then(|v| v.as_string()).unwrap_or_default();
        let look = |key: &str| {
            of_info("look")
                .and_then(|look| js_sys::Reflect::get(&look, &key.into()).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let site = string("site");
        if confab_protocol::SiteId::parse(&site).is_none() {
            return Err(JsValue::from_str("confab: data-site must be a-z, 0-9 or -"));
        }
        let mut api_base = string("api");
        if !api_base.ends_with('/') {
            api_base.push('/');
        }
        Ok(Config {
            site,
            api_base,
            open: get("open").and_then(|v| v.as_bool()).unwrap_or(false),
            texts: Texts::from_js(&of_info("texts").unwrap_or_default())
                .ok_or("confab: the widget's texts did not load")?,
            team: info_string("team"),
            availability: info_string("availability"),
            logo: look("logo"),
            label: look("label"),
            host: get("host").unwrap_or_default(),
            proactive: of_info("proactive").unwrap_or_default(),
        })
    }
}
