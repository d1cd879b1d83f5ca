//! Wire types declared once: `wire_type!` takes a struct's wire fields, each with the
//! kind of value it is and its limit, and writes `to_value` and a `decode` that reads
//! the fields back with located errors (`lines[2].qty: is more than 20`) and refuses
//! unknown members. A field's name in Rust is its name on the wire.
//!
//! Kinds (the functions in [`put`] and [`take`], same name each side):
//! `text(max)` a required string, trimmed-equal, ≤ max characters; `note(max)` an
//! optional string ("" when absent); `date` YYYY-MM-DD; `flag` true / false;
//! `count(max)` a whole number ≤ max; `way` a fulfilment id; `tags` tag ids; `names`
//! short texts (≤ 20 of ≤ 40 characters); `uuid` a submission id; `lines` order
//! lines (≤ 20).
//!
//! Measured (ARCHITECTURE.md): the macro costs no more than the hand-written codec it
//! replaced, where serde derive with serde-wasm-bindgen added 12.0 KB brotli to the
//! whole app for the board alone.

/// Declares a wire type; see the module docs. `extra` fields are not on the wire and
/// are given to `decode` by the caller (who placed an order: the server knows it).
macro_rules! wire_type {
    (
        $ty:ident { $($field:ident : $kind:ident $(($($arg:expr),*))?),* $(,)? }
        $(extra { $($extra:ident : $extra_ty:ty),* })?
    ) => {
        impl $ty {
            /// Encodes for the wire.
            pub fn to_value(&self) -> $crate::json::Value {
                $crate::json::Value::object(vec![
                    $((stringify!($field), $crate::meals::declare::put::$kind(&self.$field))),*
                ])
            }

            /// Decodes from the wire: every field, located errors, no unknown members.
            fn decode(
                value: &$crate::json::Value
                $($(, $extra: $extra_ty)*)?
            ) -> Result<$ty, $crate::sync::wire::WireError> {
                let m = $crate::sync::wire::members(value, &[$(stringify!($field)),*])?;
                Ok($ty {
                    $($field: $crate::meals::declare::take::$kind(m, stringify!($field) $(, $($arg),*)?)?,)*
                    $($($extra,)*)?
                })
            }
        }
    };
}
pub(crate) use wire_type;

/// Writing each kind of field.
pub(crate) mod put {
    use crate::date::Date;
    use crate::json::Value;
    use crate::meals::{Fulfilment, Line, Tag};
    use crate::sync::wire::SubmissionId;

    /// A string.
    #[inline(always)]
    pub fn text(s: &str) -> Value {
        Value::String(s.to_owned())
    }
    /// An optional string, written as a string ("" when empty).
    #[inline(always)]
    pub fn note(s: &str) -> Value {
        text(s)
    }
    /// YYYY-MM-DD.
    #[inline(always)]
    pub fn date(d: &Date) -> Value {
        Value::String(d.to_string())
    }
    /// true / false.
    #[inline(always)]
    pub fn flag(b: &bool) -> Value {
        Value::Bool(*b)
    }
    /// A whole number.
    #[inline(always)]
    pub fn count(n: &u32) -> Value {
        Value::Number(f64::from(*n))
    }
    /// A fulfilment id.
    #[inline(always)]
    pub fn way(f: &Fulfilment) -> Value {
        Value::String(f.id().to_owned())
    }
    /// Tag ids.
    #[inline(always)]
    pub fn tags(list: &[Tag]) -> Value {
        Value::Array(
            list.iter()
                .map(|t| Value::String(t.id().to_owned()))
                .collect(),
        )
    }
    /// Short texts.
    #[inline(always)]
    pub fn names(list: &[String]) -> Value {
        Value::Array(list.iter().map(|s| text(s)).collect())
    }
    /// A submission id.
    #[inline(always)]
    pub fn uuid(id: &SubmissionId) -> Value {
        Value::String(id.as_str().to_owned())
    }
    /// Order lines.
    #[inline(always)]
    pub fn lines(list: &[Line]) -> Value {
        Value::Array(list.iter().map(Line::to_value).collect())
    }
}

/// Reading each kind of field from an object's members, errors located at the key.
pub(crate) mod take {
    use crate::json::Value;
    pub(crate) use crate::meals::wire::{date, tags};
    use crate::meals::wire::{each, small, string_list};
    use crate::meals::{Fulfilment, Line, MAX_LINES};
    use crate::sync::wire::{err, id, string, SubmissionId, WireError};

    type Members = [(String, Value)];

    /// A required string of at most `max` characters.
    #[inline(always)]
    pub fn text(m: &Members, key: &str, max: usize) -> Result<String, WireError> {
        string(m, key, max)
    }
    /// An optional string ("" when absent), trimmed, at most `max` characters.
    #[inline(always)]
    pub fn note(m: &Members, key: &str, max: usize) -> Result<String, WireError> {
        crate::meals::wire::note(m, key, max)
    }
    /// true / false.
    #[inline(always)]
    pub fn flag(m: &Members, key: &str) -> Result<bool, WireError> {
        crate::meals::wire::boolean(m, key)
    }
    /// A whole number at most `max`.
    #[inline(always)]
    pub fn count(m: &Members, key: &str, max: u64) -> Result<u32, WireError> {
        small(m, key, max)
    }
    /// A fulfilment id.
    #[inline(always)]
    pub fn way(m: &Members, key: &str) -> Result<Fulfilment, WireError> {
        let t = string(m, key, 20)?;
        Fulfilment::from_id(&t).ok_or_else(|| err(key, format!("unknown way \"{t}\"")))
    }
    /// At most 20 short texts.
    #[inline(always)]
    pub fn names(m: &Members, key: &str) -> Result<Vec<String>, WireError> {
        string_list(m, key)
    }
    /// A submission id.
    #[inline(always)]
    pub fn uuid(m: &Members, key: &str) -> Result<SubmissionId, WireError> {
        id(m, key)
    }
    /// At most [`MAX_LINES`] order lines.
    #[inline(always)]
    pub fn lines(m: &Members, key: &str) -> Result<Vec<Line>, WireError> {
        each(m, key, MAX_LINES, Line::from_value)
    }
}
