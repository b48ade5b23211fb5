//! JSON through the browser's own `JSON` object, read and written field by field.
//!
//! Serde's generic (de)serializers cost the download more than the rest of the widget's
//! logic together, so the few wire types the widget reads are read here by hand. The
//! end-to-end tests hold these readers to the protocol crate's types.

use confab_protocol::attachments::Attachment;
use confab_protocol::{Author, ClientId, ConversationId, FileId, Message};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// A JSON object being read.
pub struct Json(JsValue);

impl Json {
    /// A value already parsed (the loader's settings).
    pub fn of(value: JsValue) -> Json {
        Json(value)
    }

    pub fn parse(text: &str) -> Option<Json> {
        JSON::parse(text).ok().filter(|v| v.is_object()).map(Json)
    }

    pub fn field(&self, key: &str) -> Option<Json> {
        Reflect::get(&self.0, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
            .map(Json)
    }

    pub fn string(&self, key: &str) -> Option<String> {
        self.field(key)?.0.as_string()
    }

    /// A whole number that JavaScript holds exactly (every `seq` and time is one).
    pub fn number(&self, key: &str) -> Option<u64> {
        let n = self.field(key)?.0.as_f64()?;
        (n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0).then_some(n as u64)
    }

    pub fn bool(&self, key: &str) -> bool {
        self.field(key).is_some_and(|v| v.0.is_truthy())
    }

    pub fn array(&self, key: &str) -> Vec<Json> {
        self.field(key)
            .map(|v| Array::from(&v.0).iter().map(Json).collect())
            .unwrap_or_default()
    }

    pub fn message(&self) -> Option<Message> {
        Some(Message {
            seq: self.number("seq")?,
            client_id: ClientId::parse(&self.string("client_id")?)?,
            author: Author::parse(&self.string("author")?)?,
            body: self.string("body")?,
            sent_at: self.number("sent_at")?,
            agent: None,
            files: self.attachments(),
            // The visitor knows how they wrote it.
            by_email: false,
            auto: self
                .string("auto")
                .and_then(|a| confab_protocol::Auto::parse(&a)),
        })
    }

    /// A message's `files` (a pending one's, in the outbox, have no link yet).
    pub fn attachments(&self) -> Vec<Attachment> {
        self.array("files")
            .iter()
            .filter_map(Json::attachment)
            .collect()
    }

    pub fn attachment(&self) -> Option<Attachment> {
        Some(Attachment {
            id: FileId::parse(&self.string("id")?)?,
            name: self.string("name")?,
            kind: self.string("kind")?,
            size: self.number("size")?,
            link: self.string("link").unwrap_or_default(),
        })
    }

    pub fn conversation_id(&self, key: &str) -> Option<ConversationId> {
        ConversationId::parse(&self.string(key)?)
    }
}

/// Builds a JSON object to send.
pub struct JsonOut(Object);

impl JsonOut {
    pub fn new() -> Self {
        JsonOut(Object::new())
    }

    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    /// Files as `attachments` reads them back, without their links (which expire).
    pub fn attachments(files: &[Attachment]) -> JsValue {
        let list = Array::new();
        for file in files {
            let item = JsonOut::new()
                .set("id", file.id.as_str())
                .set("name", file.name.as_str())
                .set("kind", file.kind.as_str())
                .set("size", file.size as f64);
            list.push(&item.into_value());
        }
        list.into()
    }

    pub fn into_value(self) -> JsValue {
        self.0.into()
    }

    pub fn stringify(&self) -> String {
        JSON::stringify(&self.0)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}
