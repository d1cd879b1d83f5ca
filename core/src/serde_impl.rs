//! `Serialize` / `Deserialize` for the wire types, behind the `serde` feature, for
//! host programs (a Rust client, an import tool) that use serde. Each goes through
//! the wire codec itself (`to_value` / `from_value`), so serde and the protocol can
//! never disagree, and a bad input keeps its located error
//! (`payload.lines[0].qty: is more than 20`).

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::Value;
use crate::meals::{Board, Cancel, MealOrder, Profile};
use crate::sync::outbox::Entry;
use crate::sync::wire::{Ack, Envelope, ErrorBody};

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            // Whole numbers as integers, as every JSON writer of ours prints them.
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Value::Number(n) => s.serialize_f64(*n),
            Value::String(t) => s.serialize_str(t),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }
    fn visit_str<E>(self, t: &str) -> Result<Value, E> {
        Ok(Value::String(t.to_owned()))
    }
    fn visit_string<E>(self, t: String) -> Result<Value, E> {
        Ok(Value::String(t))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            members.push((k, v));
        }
        Ok(Value::Object(members))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Serde through the wire codec: `$ty::to_value` out, `$read` in.
macro_rules! through_the_codec {
    ($($ty:ty => $read:expr;)*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_value().serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let value = Value::deserialize(d)?;
                let read: fn(&Value) -> Result<$ty, crate::sync::wire::WireError> = $read;
                read(&value).map_err(de::Error::custom)
            }
        }
    )*};
}

through_the_codec! {
    Envelope => Envelope::from_value;
    Ack => Ack::from_value;
    ErrorBody => ErrorBody::from_value;
    Entry => Entry::from_value;
    Board => Board::from_value;
    Cancel => Cancel::from_value;
    Profile => Profile::from_value;
    // Who placed an order is not on the wire (the server knows the device's
    // household): deserialized orders have `placed_by` 0.
    MealOrder => |v| MealOrder::from_value(v, 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::meals::{Fulfilment, Line, Tag};
    use crate::sync::wire::SubmissionId;

    fn order() -> MealOrder {
        MealOrder {
            elder: "e1".into(),
            date: Date::parse("2026-12-02").unwrap_or(Date {
                year: 2026,
                month: 12,
                day: 2,
            }),
            slot: "lunch".into(),
            lines: vec![Line {
                dish: "congee".into(),
                qty: 2,
            }],
            fulfilment: Fulfilment::DineIn,
            note: "少放盐".into(),
            placed_by: 0,
            confirmed_conflicts: true,
        }
    }

    #[test]
    fn serde_writes_exactly_what_the_wire_codec_writes() {
        let o = order();
        let by_serde = serde_json::to_string(&o).unwrap_or_default();
        let by_codec = crate::json::to_string(&o.to_value());
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&by_serde).ok(),
            serde_json::from_str::<serde_json::Value>(&by_codec).ok()
        );
        assert_eq!(serde_json::from_str::<MealOrder>(&by_serde).ok(), Some(o));
        let p = Profile {
            elder: "e1".into(),
            consent: true,
            needs: vec![Tag::Halal],
            allergies: vec!["花生".into()],
        };
        let back: Option<Profile> = serde_json::to_string(&p)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        assert_eq!(back, Some(p));
        let c = Cancel {
            order: SubmissionId::from_random([9; 16]),
        };
        let text = serde_json::to_string(&c).unwrap_or_default();
        assert_eq!(text, format!(r#"{{"order":"{}"}}"#, c.order));
    }

    #[test]
    fn serde_refuses_what_the_codec_refuses_and_says_where() {
        let too_many = r#"{"elder":"e1","date":"2026-12-02","slot":"lunch","lines":[{"dish":"congee","qty":21}],"fulfilment":"delivery","note":"","confirmed_conflicts":false}"#;
        let e = serde_json::from_str::<MealOrder>(too_many)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("lines[0].qty"), "{e}");
        let stray = r#"{"order":"x","extra":1}"#;
        assert!(serde_json::from_str::<Cancel>(stray).is_err());
    }
}
