//! Wire types of the sync protocol, version 1 (`/api/v1`).
//!
//! Encoded by hand to and from [`Value`], the same tree config checking uses, so the
//! browser needs no serde and a bad body gets a located error (`payload.lines[2]`).

use std::fmt;

use crate::json::{Kind, Value};

/// The protocol version in every path: `/api/v1/…`.
pub const API_VERSION: &str = "v1";

/// A client-made id (a UUID, 36 characters), unique per submission; the server keeps it
/// unique too, so a replay is recognised and acknowledged, never stored twice.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubmissionId(String);

impl SubmissionId {
    /// Formats 16 random bytes as a version-4 UUID. The caller supplies the bytes
    /// (crypto.getRandomValues in the browser), keeping this function pure.
    pub fn from_random(mut bytes: [u8; 16]) -> SubmissionId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        SubmissionId(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// Accepts a UUID in its canonical lowercase 8-4-4-4-12 form.
    pub fn parse(text: &str) -> Option<SubmissionId> {
        let ok = text.len() == 36
            && text.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            });
        ok.then(|| SubmissionId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SubmissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = u64;

/// What a device sends: one submission of one kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// Client id, also the `Idempotency-Key`.
    pub id: SubmissionId,
    /// What it is (`meal_order`, `ballot`, `feedback`, `form_answer`, …).
    pub kind: String,
    /// The scenario's own body, checked by that scenario's core rules.
    pub payload: Value,
    /// When the resident made it, by the device's clock.
    pub created_at: Millis,
    /// The device it came from (an opaque id chosen at first start).
    pub device: String,
}

/// The server's receipt: stored, with its place in the server's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ack {
    /// The submission acknowledged.
    pub id: SubmissionId,
    /// Monotonic sequence number on the server.
    pub server_seq: u64,
    /// When the server first stored it.
    pub received_at: Millis,
}

/// An error body: a stable code for programs, a sentence for people, the field if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    /// Stable machine code (`invalid_payload`, `unknown_kind`, `unauthorized`, …).
    pub code: String,
    /// A human sentence.
    pub message: String,
    /// The field at fault (`payload.lines[2].qty`), when there is one.
    pub field: Option<String>,
}

/// Why a wire body could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    /// The field at fault; empty for the body as a whole.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for WireError {}

impl WireError {
    /// What is wrong, in `lang`: the codec's messages are written in English for
    /// developers and logs; an API answer in Chinese says them in Chinese.
    pub fn text(&self, lang: crate::Lang) -> String {
        localized(&self.message, lang)
    }
}

/// A codec message (`is longer than 200 characters`, `expected a string, found
/// number`, …) in `lang`. English is returned as written; in Chinese every message
/// the codecs write has its translation, and anything else (a parser's own words)
/// reads "格式不对" rather than leave English in a Chinese answer.
pub fn localized(message: &str, lang: crate::Lang) -> String {
    if lang == crate::Lang::En {
        return message.to_owned();
    }
    let kind = |w: &str| -> &'static str {
        match w.trim().trim_start_matches("an ").trim_start_matches("a ") {
            "string" | "short non-empty text" => "字符串",
            "number" | "whole number" => "数字",
            "boolean" | "true or false" => "真或假",
            "array" => "数组",
            "object" => "对象",
            "null" => "空值",
            _ => "其他类型",
        }
    };
    let number = |rest: &str| -> Option<String> {
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        (!n.is_empty()).then_some(n)
    };
    let quoted = |m: &str| -> Option<String> {
        let start = m.find('"')?;
        let end = m.rfind('"')?;
        (end > start).then(|| m[start + 1..end].to_owned())
    };
    let fixed = match message {
        "is missing" => Some("缺少此字段"),
        "unknown field" => Some("未知字段"),
        "must not be empty" | "must be a non-empty string" => Some("不能为空"),
        "is too large" => Some("数值太大"),
        "expected a whole number from 0 to 2^53" => Some("应为 0 到 2^53 之间的整数"),
        "expected a short non-empty text" => Some("应为不空的短文字"),
        "dietary data needs consent" => Some("饮食信息须先单独同意"),
        "does not match the Idempotency-Key header" => Some("与 Idempotency-Key 请求头不一致"),
        "does not match envelope.id" => Some("与 envelope.id 不一致"),
        "contains a control character" => Some("含有控制字符"),
        "a household with this label exists" => Some("已有同名的住户"),
        _ => None,
    };
    if let Some(t) = fixed {
        return t.to_owned();
    }
    // A limit in the message: its English start, and the Chinese around the number.
    for (prefix, before, after) in [
        ("is longer than ", "超过 ", " 个字"),
        ("must be 1 to ", "应为 1 到 ", " 个字"),
        ("has more than ", "不能多于 ", " 项"),
        ("is more than ", "不能大于 ", ""),
    ] {
        if let Some(n) = message.strip_prefix(prefix).and_then(number) {
            return format!("{before}{n}{after}");
        }
    }
    if let Some(what) = message.strip_suffix(" already exists") {
        let what = match what {
            "username" => "用户名",
            "unit label" => "住户名称",
            "key file" => "密钥文件",
            "backup file" => "备份文件",
            _ => "同名的记录",
        };
        return format!("{what}已存在");
    }
    if let Some(rest) = message.strip_prefix("expected ") {
        if let Some((want, found)) = rest.split_once(", found ") {
            return format!("应为{}，实际为{}", kind(want), kind(found));
        }
        return format!("应为{}", kind(rest));
    }
    for (marker, zh) in [
        ("is not a YYYY-MM-DD date", "不是 YYYY-MM-DD 格式的日期"),
        ("is not a lowercase UUID", "不是小写的 UUID"),
        ("is not a kind name", "不是有效的事项类型名"),
    ] {
        if message.ends_with(marker) {
            return format!("“{}”{zh}", quoted(message).unwrap_or_default());
        }
    }
    for (prefix, zh) in [
        ("unknown way", "未知的取餐方式"),
        ("unknown tag", "未知的标签"),
        ("unknown status", "未知的状态"),
        ("unknown state", "未知的状态"),
    ] {
        if message.starts_with(prefix) {
            return format!("{zh}“{}”", quoted(message).unwrap_or_default());
        }
    }
    "格式不对".to_owned()
}

/// A located error (crate-internal helper for the hand-written codecs).
pub(crate) fn err(field: &str, message: impl Into<String>) -> WireError {
    WireError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Reads the members of an object, refusing unknown ones.
pub(crate) fn members<'v>(
    value: &'v Value,
    known: &[&str],
) -> Result<&'v [(String, Value)], WireError> {
    members_of(value, &[known])
}

/// Reads the members of an object, refusing any not in one of the `known` lists (a
/// declared type's own fields and its flattened part's).
pub(crate) fn members_of<'v>(
    value: &'v Value,
    known: &[&[&str]],
) -> Result<&'v [(String, Value)], WireError> {
    let Value::Object(m) = value else {
        return Err(err(
            "",
            format!("expected an object, found {}", value.kind()),
        ));
    };
    let knows = |k: &str| known.iter().any(|list| list.contains(&k));
    if let Some((k, _)) = m.iter().find(|(k, _)| !knows(k)) {
        return Err(err(k, "unknown field"));
    }
    Ok(m)
}

pub(crate) fn get<'v>(m: &'v [(String, Value)], key: &str) -> Result<&'v Value, WireError> {
    m.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .ok_or_else(|| err(key, "is missing"))
}

pub(crate) fn string(m: &[(String, Value)], key: &str, max: usize) -> Result<String, WireError> {
    match get(m, key)? {
        Value::String(s) if s.is_empty() => Err(err(key, "must not be empty")),
        Value::String(s) if s.chars().count() > max => {
            Err(err(key, format!("is longer than {max} characters")))
        }
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong(key, Kind::String, other)),
    }
}

fn wrong(key: &str, expected: Kind, found: &Value) -> WireError {
    err(key, format!("expected {expected}, found {}", found.kind()))
}

/// The largest integer JSON numbers carry exactly (2^53).
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

pub(crate) fn integer(m: &[(String, Value)], key: &str) -> Result<u64, WireError> {
    match get(m, key)? {
        Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= MAX_SAFE => Ok(*n as u64),
        Value::Number(_) => Err(err(key, "expected a whole number from 0 to 2^53")),
        other => Err(wrong(key, Kind::Number, other)),
    }
}

pub(crate) fn id(m: &[(String, Value)], key: &str) -> Result<SubmissionId, WireError> {
    let text = string(m, key, 36)?;
    SubmissionId::parse(&text)
        .ok_or_else(|| err(key, format!("\"{text}\" is not a lowercase UUID")))
}

pub(crate) fn object(members: Vec<(&str, Value)>) -> Value {
    Value::object(members)
}

/// Kind names: lowercase letters, digits and underscores, like `meal_order`.
fn kind_name(m: &[(String, Value)]) -> Result<String, WireError> {
    let kind = string(m, "kind", 40)?;
    if kind
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(kind)
    } else {
        Err(err("kind", format!("\"{kind}\" is not a kind name")))
    }
}

impl Envelope {
    /// Encodes for the wire.
    pub fn to_value(&self) -> Value {
        object(vec![
            ("id", Value::String(self.id.0.clone())),
            ("kind", Value::String(self.kind.clone())),
            ("payload", self.payload.clone()),
            ("created_at", Value::Number(self.created_at as f64)),
            ("device", Value::String(self.device.clone())),
        ])
    }

    /// Decodes from the wire, with the field at fault on error.
    pub fn from_value(value: &Value) -> Result<Envelope, WireError> {
        let m = members(value, &["id", "kind", "payload", "created_at", "device"])?;
        Ok(Envelope {
            id: id(m, "id")?,
            kind: kind_name(m)?,
            payload: get(m, "payload")?.clone(),
            created_at: integer(m, "created_at")?,
            device: string(m, "device", 64)?,
        })
    }
}

impl Ack {
    /// Encodes for the wire.
    pub fn to_value(&self) -> Value {
        object(vec![
            ("id", Value::String(self.id.0.clone())),
            ("server_seq", Value::Number(self.server_seq as f64)),
            ("received_at", Value::Number(self.received_at as f64)),
        ])
    }

    /// Decodes from the wire.
    pub fn from_value(value: &Value) -> Result<Ack, WireError> {
        let m = members(value, &["id", "server_seq", "received_at"])?;
        Ok(Ack {
            id: id(m, "id")?,
            server_seq: integer(m, "server_seq")?,
            received_at: integer(m, "received_at")?,
        })
    }
}

impl ErrorBody {
    /// Encodes for the wire (`field` omitted when absent).
    pub fn to_value(&self) -> Value {
        let mut fields = vec![
            ("code", Value::String(self.code.clone())),
            ("message", Value::String(self.message.clone())),
        ];
        if let Some(field) = &self.field {
            fields.push(("field", Value::String(field.clone())));
        }
        object(fields)
    }

    /// Decodes from the wire.
    pub fn from_value(value: &Value) -> Result<ErrorBody, WireError> {
        let m = members(value, &["code", "message", "field"])?;
        Ok(ErrorBody {
            code: string(m, "code", 64)?,
            message: string(m, "message", 2000)?,
            field: match m.iter().find(|(k, _)| k == "field") {
                Some(_) => Some(string(m, "field", 200)?),
                None => None,
            },
        })
    }
}

/// Puts a nested value's error under its parent field: `kind` in `envelope` becomes
/// `envelope.kind`.
pub(crate) fn nest(parent: &str, e: WireError) -> WireError {
    WireError {
        field: if e.field.is_empty() {
            parent.to_owned()
        } else {
            format!("{parent}.{}", e.field)
        },
        message: e.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_codec_message_reads_in_chinese_without_english_words() {
        use crate::Lang;
        for message in [
            "is missing",
            "unknown field",
            "must not be empty",
            "is longer than 200 characters",
            "has more than 20 items",
            "is more than 20",
            "is too large",
            "expected a string, found number",
            "expected string, found object",
            "expected true or false, found null",
            "expected a whole number from 0 to 2^53",
            "\"2026-13-01\" is not a YYYY-MM-DD date",
            "\"x\" is not a lowercase UUID",
            "unknown way \"fly\"",
            "unknown tag \"spicy\"",
            "dietary data needs consent",
            "contains a control character",
            "a household with this label exists",
            "username already exists",
            "must be 1 to 64 characters",
            "expected an object",
            "must be a non-empty string",
            "does not match the Idempotency-Key header",
            "expected value at line 1 column 2",
        ] {
            let zh = localized(message, Lang::ZhCn);
            // What the sender wrote and the names of formats may stay as they are.
            let mut rest = zh.clone();
            for kept in [
                "YYYY-MM-DD",
                "UUID",
                "Idempotency-Key",
                "“fly”",
                "“spicy”",
                "“x”",
            ] {
                rest = rest.replace(kept, "");
            }
            assert!(
                !rest.chars().any(|c| c.is_ascii_alphabetic()),
                "{message} -> {zh}"
            );
            assert_eq!(localized(message, Lang::En), message);
        }
        assert_eq!(
            localized("is longer than 200 characters", Lang::ZhCn),
            "超过 200 个字"
        );
        assert_eq!(
            localized("expected a string, found number", Lang::ZhCn),
            "应为字符串，实际为数字"
        );
    }

    fn id1() -> SubmissionId {
        SubmissionId::from_random([0xab; 16])
    }

    #[test]
    fn random_bytes_make_a_version_4_uuid() {
        let id = id1();
        assert_eq!(id.as_str(), "abababab-abab-4bab-abab-abababababab");
        assert_eq!(SubmissionId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn parse_refuses_what_is_not_a_canonical_uuid() {
        for bad in [
            "",
            "ABABABAB-ABAB-4BAB-ABAB-ABABABABABAB",
            "abababab-abab-4bab-abab-ababababab",
            "abababababab-4bab-abab-abababababab",
            "abababab-abab-4bab-abab-abababababag",
        ] {
            assert_eq!(SubmissionId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn envelope_round_trips() {
        let e = Envelope {
            id: id1(),
            kind: "meal_order".into(),
            payload: Value::Object(vec![("n".into(), Value::Number(2.0))]),
            created_at: 1_764_300_000_000,
            device: "dev-1".into(),
        };
        assert_eq!(Envelope::from_value(&e.to_value()), Ok(e));
    }

    #[test]
    fn ack_and_error_round_trip() {
        let a = Ack {
            id: id1(),
            server_seq: 42,
            received_at: 1_764_300_000_123,
        };
        assert_eq!(Ack::from_value(&a.to_value()), Ok(a));
        let e = ErrorBody {
            code: "invalid_payload".into(),
            message: "数量必须大于 0".into(),
            field: Some("payload.lines[0].qty".into()),
        };
        assert_eq!(ErrorBody::from_value(&e.to_value()), Ok(e.clone()));
        let bare = ErrorBody { field: None, ..e };
        assert_eq!(ErrorBody::from_value(&bare.to_value()), Ok(bare));
    }

    #[test]
    fn bad_envelopes_name_the_field() {
        let good = Envelope {
            id: id1(),
            kind: "ballot".into(),
            payload: Value::Null,
            created_at: 1,
            device: "d".into(),
        }
        .to_value();
        let with = |key: &str, v: Value| {
            let Value::Object(mut m) = good.clone() else {
                unreachable!()
            };
            match m.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = v,
                None => m.push((key.into(), v)),
            }
            Envelope::from_value(&Value::Object(m))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            with("id", Value::String("x".into())),
            "id: \"x\" is not a lowercase UUID"
        );
        assert_eq!(
            with("kind", Value::String("Meal Order".into())),
            "kind: \"Meal Order\" is not a kind name"
        );
        assert_eq!(
            with("created_at", Value::Number(-1.0)),
            "created_at: expected a whole number from 0 to 2^53"
        );
        assert_eq!(
            with("created_at", Value::String("1".into())),
            "created_at: expected number, found string"
        );
        assert_eq!(with("extra", Value::Null), "extra: unknown field");
        assert_eq!(
            Envelope::from_value(&Value::Array(vec![]))
                .unwrap_err()
                .to_string(),
            "expected an object, found array"
        );
    }
}
