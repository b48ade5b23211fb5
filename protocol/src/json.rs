//! The one way anything a client sends is read as JSON, for HTTP bodies and socket
//! frames alike: size first, then syntax, with no key given twice in any object and no
//! number that JavaScript cannot hold exactly (everything crosses JavaScript between the
//! Worker and its objects). Only then is the shape read, by the caller.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{ApiError, ErrorCode};
use crate::limits::{MAX_EXACT_INTEGER, MAX_REQUEST_BYTES};

/// Reads `bytes` (a request body or a frame, named `what` in errors) into a JSON value
/// that passed the rules above.
pub fn read(bytes: &[u8], what: &str) -> Result<Value, ApiError> {
    if bytes.len() > MAX_REQUEST_BYTES {
        return Err(ApiError::too_large(what));
    }
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let broke_rule = Cell::new(false);
    reader
        .deserialize_any(StrictVisitor(&broke_rule))
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|e| {
            // JSON that parses but breaks a rule above is a field's fault, not syntax.
            if broke_rule.get() {
                ApiError::new(ErrorCode::InvalidField, format!("{what}: {e}"))
            } else {
                ApiError::new(
                    ErrorCode::MalformedJson,
                    format!("{what} is not valid JSON: {e}"),
                )
            }
        })
}

/// Reads a checked value's shape into `T`; a mismatch is `code`.
pub fn shape<T: DeserializeOwned>(value: Value, code: ErrorCode) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::new(code, e.to_string()))
}

/// Builds a `Value`, noting in the cell when it refuses one for breaking a rule.
struct StrictVisitor<'a>(&'a Cell<bool>);

impl StrictVisitor<'_> {
    fn broke<E: de::Error>(&self, why: String) -> E {
        self.0.set(true);
        E::custom(why)
    }
}

impl<'de> Visitor<'de> for StrictVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_EXACT_INTEGER {
            return Err(self.broke(format!("the number {v} is out of range")));
        }
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_EXACT_INTEGER {
            return Err(self.broke(format!("the number {v} is out of range")));
        }
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // Integers too long for u64 arrive here; so do fractions, which are kept.
        if v.abs() > MAX_EXACT_INTEGER as f64 {
            return Err(self.broke(format!("the number {v} is out of range")));
        }
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.broke("not a finite number".to_owned()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Strict(self.0))?;
            if out.insert(key.clone(), value).is_some() {
                return Err(self.broke(format!("the key \"{key}\" is given twice")));
            }
        }
        Ok(Value::Object(out))
    }
}

struct Strict<'a>(&'a Cell<bool>);

impl<'de> de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(StrictVisitor(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(bytes: &str) -> Option<ErrorCode> {
        read(bytes.as_bytes(), "body").err().map(|e| e.code)
    }

    #[test]
    fn a_key_given_twice_is_refused_at_any_depth() {
        assert_eq!(code(r#"{"v":2,"v":1}"#), Some(ErrorCode::InvalidField));
        assert_eq!(
            code(r#"{"a":{"b":1,"b":1}}"#),
            Some(ErrorCode::InvalidField)
        );
        assert_eq!(code(r#"[{"b":1},{"b":1}]"#), None);
        // The same key after an escape is the same key.
        assert_eq!(
            code(r#"{"id":1,"\u0069d":2}"#),
            Some(ErrorCode::InvalidField)
        );
    }

    #[test]
    fn numbers_are_those_javascript_holds_exactly() {
        assert_eq!(code("9007199254740991"), None);
        assert_eq!(code("-9007199254740991"), None);
        assert_eq!(code("9007199254740992"), Some(ErrorCode::InvalidField));
        assert_eq!(code("-9007199254740992"), Some(ErrorCode::InvalidField));
        assert_eq!(
            code("99999999999999999999999"),
            Some(ErrorCode::InvalidField)
        );
        assert_eq!(code("1e300"), Some(ErrorCode::InvalidField));
        assert_eq!(read(b"12.5", "body").unwrap(), serde_json::json!(12.5));
    }

    #[test]
    fn syntax_and_size_come_first() {
        assert_eq!(code("{\"a\":1} x"), Some(ErrorCode::MalformedJson));
        assert_eq!(code(""), Some(ErrorCode::MalformedJson));
        let big = format!("\"{}\"", "a".repeat(MAX_REQUEST_BYTES));
        assert_eq!(code(&big), Some(ErrorCode::PayloadTooLarge));
        let value = read(br#" {"a":[1,true,null,"x"]} "#, "body").unwrap();
        assert_eq!(value, serde_json::json!({"a":[1,true,null,"x"]}));
    }
}
