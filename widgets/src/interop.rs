//! Between JavaScript values and the core's JSON value tree, both ways: what an app
//! embedding the widgets needs to hand them what the server sent. The browser's own
//! `JSON.parse` (or IndexedDB's structured clone) does the parsing; no JSON parser in
//! the WASM. A board for [`crate::meals::MealOrdering`]:
//!
//! ```no_run
//! use linli_core::meals::Board;
//! use linli_widgets::interop::parse;
//!
//! fn board_of(text: &str) -> Option<Board> {
//!     Board::from_value(&parse(text)).ok()
//! }
//! ```

use js_sys::{Array, Object};
use linli_core::json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// What `JSON.parse` (or IndexedDB) returned, as a core value.
pub fn from_js(v: &JsValue) -> Value {
    if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Value::Number(n)
    } else if let Some(s) = v.as_string() {
        Value::String(s)
    } else if Array::is_array(v) {
        Value::Array(Array::from(v).iter().map(|item| from_js(&item)).collect())
    } else if let Some(obj) = v.dyn_ref::<Object>() {
        Value::Object(
            Object::entries(obj)
                .iter()
                .map(|pair| {
                    let pair = Array::from(&pair);
                    (
                        pair.get(0).as_string().unwrap_or_default(),
                        from_js(&pair.get(1)),
                    )
                })
                .collect(),
        )
    } else {
        Value::Null
    }
}

/// A core value as a plain JavaScript value (objects, arrays, strings, numbers).
pub fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(members) => {
            let obj = Object::new();
            for (k, v) in members {
                let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &to_js(v));
            }
            obj.into()
        }
    }
}

/// JSON text as a value tree (`Null` if it is not JSON), parsed by the browser.
pub fn parse(text: &str) -> Value {
    js_sys::JSON::parse(text)
        .map(|v| from_js(&v))
        .unwrap_or(Value::Null)
}

/// The message of a thrown JavaScript value.
pub fn error_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
