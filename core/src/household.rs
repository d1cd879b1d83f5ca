//! Households (units, 户): the limits on what staff type about them, and how their
//! labels and addresses are masked for anyone but the household itself.

use crate::sync::wire::WireError;

/// The longest unit label ("3幢2单元401"), in characters. Boards carry labels in
/// fields of at most this length, so a longer one could never be read back.
pub const MAX_LABEL_CHARS: usize = 40;
/// The longest building name, in characters.
pub const MAX_BUILDING_CHARS: usize = 20;

/// A label or building name as staff typed it: trimmed, non-empty, at most `max`
/// characters, no control characters. The error names `field`.
pub fn check_name(field: &str, text: &str, max: usize) -> Result<String, WireError> {
    let t = text.trim();
    let problem = if t.is_empty() {
        Some("must not be empty".to_owned())
    } else if t.chars().count() > max {
        Some(format!("is longer than {max} characters"))
    } else if t.chars().any(char::is_control) {
        Some("contains a control character".to_owned())
    } else {
        None
    };
    match problem {
        Some(message) => Err(WireError {
            field: field.to_owned(),
            message,
        }),
        None => Ok(t.to_owned()),
    }
}

/// An address or unit label with its middle hidden, as helpers and other households
/// see it (个人信息保护法: the minimum). The building (up to 幢/栋) and the last
/// character stay: "1幢2单元101" → "1幢*****1".
pub fn mask_address(address: &str) -> String {
    let chars: Vec<char> = address.chars().collect();
    let keep_front = chars
        .iter()
        .position(|c| *c == '幢' || *c == '栋')
        .map_or(2, |i| i + 1);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_front.min(chars.len().saturating_sub(2)) || i + 1 == chars.len() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_capped_with_the_field_named() {
        assert_eq!(check_name("label", " 1幢101 ", 40).unwrap(), "1幢101");
        let long = "楼".repeat(41);
        let e = check_name("label", &long, 40).unwrap_err();
        assert_eq!(e.field, "label");
        assert!(check_name("label", "  ", 40).is_err());
        assert!(check_name("label", "a\u{7}b", 40).is_err());
    }
}
