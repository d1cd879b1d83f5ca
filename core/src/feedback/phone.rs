//! The contact phone a resident may leave: a mainland mobile number, `^1[3-9]\d{9}$`
//! after removing spaces, dashes and the country code (`+86`, `0086`, `86`). No carrier
//! list: numbers move between carriers and new prefixes appear.

/// Why a phone number is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Not 11 digits starting 13–19 once normalised.
    NotMobile,
}

/// The number as stored (`13812345678`), or why not. Spaces (any width), dashes,
/// parentheses and a leading `+86`, `0086` or `86` (on a 13-digit number) are removed.
pub fn normalise_phone(text: &str) -> Result<String, PhoneError> {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '(' | ')' | '（' | '）'))
        .collect();
    let digits = kept
        .strip_prefix("+86")
        .or_else(|| kept.strip_prefix("0086"))
        .or_else(|| kept.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&kept);
    let b = digits.as_bytes();
    let mobile = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if mobile {
        Ok(digits.to_owned())
    } else {
        Err(PhoneError::NotMobile)
    }
}

/// A stored number as others see it: `138****5678`. Anything else is masked whole.
pub fn mask_phone(phone: &str) -> String {
    match (phone.get(..3), phone.get(7..)) {
        (Some(head), Some(tail)) if phone.len() == 11 => format!("{head}****{tail}"),
        _ => "*".repeat(phone.chars().count()),
    }
}
