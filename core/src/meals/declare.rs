//! Wire types declared once: `wire_type!` takes a struct's wire fields, each with the
//! kind of value it is and its limit, and writes `to_value` and a `decode` that reads
//! the fields back with located errors (`lines[2].qty: is more than 20`) and refuses
//! unknown members. A field's name in Rust is its name on the wire unless it says
//! `field as wire_name` (a dish's `daily_limit` is `limit` on the wire).
//!
//! A type may begin with one flattened field, `..field: Type` or `..field: Type(args)`:
//! the fields of that declared type (itself without a flattened field) sit in the same
//! JSON object as the type's own (a board's elder is the elder with the household's
//! view of her); a member neither knows is refused.
//!
//! Kinds (the functions in [`put`] and [`take`], same name each side):
//! `text(max)` a required string, trimmed-equal, ≤ max characters; `note(max)` an
//! optional string ("" when absent); `maybe_text(max)` an optional string (`null` when
//! absent); `date` YYYY-MM-DD; `flag` true / false; `count(max)` a whole number ≤ max;
//! `maybe_count(max)` the same or `null`; `int` a whole number (ms since the epoch, a
//! row id); `way` a fulfilment id; `status` an order status id; `tags` tag ids; `names`
//! short texts (≤ 20 of ≤ 40 characters); `uuid` a submission id; `taken` portions
//! taken per dish (`[{"dish", "qty"}]`); `one(T::decode)` a declared type as a nested
//! object; `list(max, T::decode)` at most `max` of them.
//!
//! Measured (ARCHITECTURE.md): the macro costs 0.3–0.5 KB brotli more for the whole app
//! than the hand-written codec it replaced, where serde derive with serde-wasm-bindgen
//! added 12.0 KB for the board alone.

use crate::json::Value;

/// A declared wire type's encoder, for the kinds that hold other declared types.
pub(crate) trait ToWire {
    /// Encodes for the wire.
    fn wire(&self) -> Value;
}

/// Declares a wire type; see the module docs. `extra` fields are not on the wire and
/// are given to `decode` by the caller (who placed an order: the server knows it).
macro_rules! wire_type {
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $wire:ident) => { stringify!($wire) };
    (
        $ty:ident {
            $(.. $flat:ident : $flat_ty:ident $(($($flat_arg:expr),*))? ,)?
            $($field:ident $(as $wire:ident)? : $kind:ident $(($($arg:expr),*))?),* $(,)?
        }
        $(extra { $($extra:ident : $extra_ty:ty),* })?
    ) => {
        impl $ty {
            /// Encodes for the wire.
            pub fn to_value(&self) -> $crate::json::Value {
                let own = $crate::json::Value::object(vec![$((
                    $crate::meals::declare::wire_type!(@name $field $($wire)?),
                    $crate::meals::declare::put::$kind(&self.$field),
                )),*]);
                $(let own = $crate::meals::declare::put::merge(self.$flat.to_value(), own);)?
                own
            }

            /// The members it reads, by their wire names (a flattened field's are its
            /// type's `FIELDS`).
            pub(crate) const FIELDS: &'static [&'static str] =
                &[$($crate::meals::declare::wire_type!(@name $field $($wire)?)),*];

            /// Decodes from the wire: every field, located errors, no unknown members.
            /// (A type only ever flattened into another never calls it.)
            #[allow(dead_code)]
            pub(crate) fn decode(
                value: &$crate::json::Value
                $($(, $extra: $extra_ty)*)?
            ) -> Result<$ty, $crate::sync::wire::WireError> {
                let m = $crate::sync::wire::members_of(value, &[$ty::FIELDS $(, $flat_ty::FIELDS)?])?;
                $ty::decode_from(m $($(, $extra)*)?)
            }

            /// Reads the fields from an object's members, whose names were checked.
            pub(crate) fn decode_from(
                m: &[(String, $crate::json::Value)]
                $($(, $extra: $extra_ty)*)?
            ) -> Result<$ty, $crate::sync::wire::WireError> {
                Ok($ty {
                    $($flat: $flat_ty::decode_from(m $(, $($flat_arg),*)?)?,)?
                    $($field: $crate::meals::declare::take::$kind(
                        m,
                        $crate::meals::declare::wire_type!(@name $field $($wire)?)
                        $(, $($arg),*)?
                    )?,)*
                    $($($extra,)*)?
                })
            }
        }

        impl $crate::meals::declare::ToWire for $ty {
            fn wire(&self) -> $crate::json::Value {
                self.to_value()
            }
        }
    };
}
pub(crate) use wire_type;

/// Writing each kind of field.
pub(crate) mod put {
    use super::ToWire;
    use crate::date::Date;
    use crate::json::Value;
    use crate::meals::{Fulfilment, Status, Tag};
    use crate::sync::wire::SubmissionId;

    /// A string.
    pub fn text(s: &str) -> Value {
        Value::String(s.to_owned())
    }
    /// An optional string, written as a string ("" when empty).
    pub fn note(s: &str) -> Value {
        text(s)
    }
    /// YYYY-MM-DD.
    pub fn date(d: &Date) -> Value {
        Value::String(d.to_string())
    }
    /// true / false.
    pub fn flag(b: &bool) -> Value {
        Value::Bool(*b)
    }
    /// A whole number.
    pub fn count(n: &u32) -> Value {
        Value::Number(f64::from(*n))
    }
    /// A fulfilment id.
    pub fn way(f: &Fulfilment) -> Value {
        Value::String(f.id().to_owned())
    }
    /// Tag ids.
    pub fn tags(list: &[Tag]) -> Value {
        Value::Array(
            list.iter()
                .map(|t| Value::String(t.id().to_owned()))
                .collect(),
        )
    }
    /// Short texts.
    pub fn names(list: &[String]) -> Value {
        Value::Array(list.iter().map(|s| text(s)).collect())
    }
    /// A submission id.
    pub fn uuid(id: &SubmissionId) -> Value {
        Value::String(id.as_str().to_owned())
    }
    /// An optional string, `null` when absent.
    pub fn maybe_text(s: &Option<String>) -> Value {
        s.as_deref().map_or(Value::Null, text)
    }
    /// An optional whole number, `null` when absent.
    pub fn maybe_count(n: &Option<u32>) -> Value {
        n.as_ref().map_or(Value::Null, count)
    }
    /// A whole number (ms, a row id).
    pub fn int(n: &i64) -> Value {
        Value::Number(*n as f64)
    }
    /// An order status id.
    pub fn status(s: &Status) -> Value {
        Value::String(s.id().to_owned())
    }
    /// Portions taken per dish.
    pub fn taken(list: &[(String, u32)]) -> Value {
        Value::Array(
            list.iter()
                .map(|(d, n)| Value::object(vec![("dish", text(d)), ("qty", count(n))]))
                .collect(),
        )
    }
    /// A flattened type's members followed by the type's own.
    pub fn merge(inner: Value, own: Value) -> Value {
        match (inner, own) {
            (Value::Object(mut all), Value::Object(own)) => {
                all.extend(own);
                Value::Object(all)
            }
            (_, own) => own,
        }
    }
    /// A feedback case's state id.
    pub fn case_state(s: &crate::feedback::State) -> Value {
        Value::String(s.id().to_owned())
    }
    /// A rating id.
    pub fn rating(r: &crate::feedback::Rating) -> Value {
        Value::String(r.id().to_owned())
    }
    /// An optional rating id (`null` when absent).
    pub fn maybe_rating(r: &Option<crate::feedback::Rating>) -> Value {
        r.as_ref().map_or(Value::Null, rating)
    }
    /// A measured service's id (`meals`, `notices`, …).
    pub fn service(s: &crate::evaluation::Service) -> Value {
        Value::String(s.id().to_owned())
    }
    /// A score, 1–5.
    pub fn score(s: &crate::evaluation::Score) -> Value {
        Value::Number(f64::from(s.get()))
    }
    /// Photos as base64 strings.
    pub fn photos(list: &[String]) -> Value {
        Value::Array(list.iter().map(|s| Value::String(s.clone())).collect())
    }
    /// An owner's choice (`agree`, `oppose`, `abstain`).
    pub fn choice(c: &crate::voting::Choice) -> Value {
        Value::String(c.id().to_owned())
    }
    /// A vote's stage id.
    pub fn stage(s: &crate::voting::Stage) -> Value {
        Value::String(s.id().to_owned())
    }
    /// An optional whole number, `null` when absent.
    pub fn maybe_int(n: &Option<i64>) -> Value {
        n.as_ref().map_or(Value::Null, int)
    }
    /// An optional declared type, `null` when absent.
    pub fn maybe_one<T: ToWire>(v: &Option<T>) -> Value {
        v.as_ref().map_or(Value::Null, ToWire::wire)
    }
    /// A declared type, as a nested object.
    pub fn one(v: &impl ToWire) -> Value {
        v.wire()
    }
    /// Declared types.
    pub fn list<T: ToWire>(list: &[T]) -> Value {
        Value::Array(list.iter().map(ToWire::wire).collect())
    }
}

/// Reading each kind of field from an object's members, errors located at the key.
pub(crate) mod take {
    use crate::json::Value;
    pub(crate) use crate::meals::wire::{date, tags};
    use crate::meals::wire::{each, optional, small, string_list};
    use crate::meals::{Fulfilment, Status};
    use crate::sync::wire::{
        err, get, id, integer, members, nest, string, SubmissionId, WireError,
    };

    type Members = [(String, Value)];

    /// A required string of at most `max` characters.
    pub fn text(m: &Members, key: &str, max: usize) -> Result<String, WireError> {
        string(m, key, max)
    }
    /// An optional string ("" when absent), trimmed, at most `max` characters.
    pub fn note(m: &Members, key: &str, max: usize) -> Result<String, WireError> {
        crate::meals::wire::note(m, key, max)
    }
    /// true / false.
    pub fn flag(m: &Members, key: &str) -> Result<bool, WireError> {
        crate::meals::wire::boolean(m, key)
    }
    /// A whole number at most `max`.
    pub fn count(m: &Members, key: &str, max: u64) -> Result<u32, WireError> {
        small(m, key, max)
    }
    /// A fulfilment id.
    pub fn way(m: &Members, key: &str) -> Result<Fulfilment, WireError> {
        let t = string(m, key, 20)?;
        Fulfilment::from_id(&t).ok_or_else(|| err(key, format!("unknown way \"{t}\"")))
    }
    /// At most 20 short texts.
    pub fn names(m: &Members, key: &str) -> Result<Vec<String>, WireError> {
        string_list(m, key)
    }
    /// A submission id.
    pub fn uuid(m: &Members, key: &str) -> Result<SubmissionId, WireError> {
        id(m, key)
    }
    /// An optional string (absent or `null`) of at most `max` characters.
    pub fn maybe_text(m: &Members, key: &str, max: usize) -> Result<Option<String>, WireError> {
        optional(m, key).map(|_| string(m, key, max)).transpose()
    }
    /// An optional whole number (absent or `null`) at most `max`.
    pub fn maybe_count(m: &Members, key: &str, max: u64) -> Result<Option<u32>, WireError> {
        optional(m, key).map(|_| small(m, key, max)).transpose()
    }
    /// A whole number, 0 to 2^53 (ms, a row id).
    pub fn int(m: &Members, key: &str) -> Result<i64, WireError> {
        integer(m, key).map(|n| n as i64)
    }
    /// An order status id.
    pub fn status(m: &Members, key: &str) -> Result<Status, WireError> {
        let t = string(m, key, 20)?;
        Status::from_id(&t).ok_or_else(|| err(key, format!("unknown status \"{t}\"")))
    }
    /// Portions taken per dish, for at most 50 dishes.
    pub fn taken(m: &Members, key: &str) -> Result<Vec<(String, u32)>, WireError> {
        each(m, key, 50, |v| {
            let o = members(v, &["dish", "qty"])?;
            Ok((
                text(o, "dish", super::super::wire::MAX_NAME)?,
                small(o, "qty", 100_000)?,
            ))
        })
    }
    /// A declared type, as a nested object; its errors are located under `key`.
    pub fn one<T>(
        m: &Members,
        key: &str,
        decode: fn(&Value) -> Result<T, WireError>,
    ) -> Result<T, WireError> {
        decode(get(m, key)?).map_err(|e| nest(key, e))
    }
    /// A feedback case's state id.
    pub fn case_state(m: &Members, key: &str) -> Result<crate::feedback::State, WireError> {
        let t = string(m, key, 20)?;
        crate::feedback::State::from_id(&t)
            .ok_or_else(|| err(key, format!("unknown state \"{t}\"")))
    }
    /// A rating id (`satisfied`, `basically_satisfied`, `dissatisfied`).
    pub fn rating(m: &Members, key: &str) -> Result<crate::feedback::Rating, WireError> {
        let t = string(m, key, 30)?;
        crate::feedback::Rating::from_id(&t)
            .ok_or_else(|| err(key, format!("unknown rating \"{t}\"")))
    }
    /// A measured service's id.
    pub fn service(m: &Members, key: &str) -> Result<crate::evaluation::Service, WireError> {
        let t = string(m, key, 20)?;
        crate::evaluation::Service::from_id(&t)
            .ok_or_else(|| err(key, format!("unknown service \"{t}\"")))
    }
    /// A score, a whole number 1–5.
    pub fn score(m: &Members, key: &str) -> Result<crate::evaluation::Score, WireError> {
        let n = small(m, key, 5)?;
        u8::try_from(n)
            .ok()
            .and_then(crate::evaluation::Score::new)
            .ok_or_else(|| err(key, "must be a whole number from 1 to 5"))
    }
    /// An optional rating id (absent or `null`).
    pub fn maybe_rating(
        m: &Members,
        key: &str,
    ) -> Result<Option<crate::feedback::Rating>, WireError> {
        optional(m, key).map(|_| rating(m, key)).transpose()
    }
    /// At most [`crate::feedback::MAX_PHOTOS`] photos, each standard base64 of at most
    /// [`crate::feedback::MAX_PHOTO_BYTES`]; errors located at `key[i]`.
    pub fn photos(m: &Members, key: &str) -> Result<Vec<String>, WireError> {
        if optional(m, key).is_none() {
            return Ok(Vec::new());
        }
        each(m, key, crate::feedback::MAX_PHOTOS, |v| match v {
            Value::String(s) if s.len() > crate::feedback::MAX_PHOTO_BASE64 => Err(err(
                "",
                format!(
                    "is larger than {} KB",
                    crate::feedback::MAX_PHOTO_BYTES / 1024
                ),
            )),
            Value::String(s)
                if !s.is_empty()
                    && s.len() % 4 == 0
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) =>
            {
                Ok(s.clone())
            }
            Value::String(_) => Err(err("", "is not a base64 JPEG")),
            other => Err(err(
                "",
                format!("expected a string, found {}", other.kind()),
            )),
        })
    }
    /// An owner's choice (`agree`, `oppose`, `abstain`; the Chinese words too).
    pub fn choice(m: &Members, key: &str) -> Result<crate::voting::Choice, WireError> {
        let t = string(m, key, 20)?;
        crate::voting::Choice::parse(&t).ok_or_else(|| err(key, format!("unknown choice \"{t}\"")))
    }
    /// A vote's stage id.
    pub fn stage(m: &Members, key: &str) -> Result<crate::voting::Stage, WireError> {
        let t = string(m, key, 20)?;
        crate::voting::Stage::from_id(&t).ok_or_else(|| err(key, format!("unknown stage \"{t}\"")))
    }
    /// An optional whole number (absent or `null`), 0 to 2^53.
    pub fn maybe_int(m: &Members, key: &str) -> Result<Option<i64>, WireError> {
        optional(m, key).map(|_| int(m, key)).transpose()
    }
    /// An optional declared type (absent or `null`), errors located under `key`.
    pub fn maybe_one<T>(
        m: &Members,
        key: &str,
        decode: fn(&Value) -> Result<T, WireError>,
    ) -> Result<Option<T>, WireError> {
        optional(m, key).map(|_| one(m, key, decode)).transpose()
    }
    /// At most `max` of a declared type, errors located at `key[i]`.
    pub fn list<T>(
        m: &Members,
        key: &str,
        max: usize,
        decode: fn(&Value) -> Result<T, WireError>,
    ) -> Result<Vec<T>, WireError> {
        each(m, key, max, decode)
    }
}
