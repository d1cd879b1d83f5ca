//! The password policy for staff accounts (OWASP ASVS 5.0, V6.2): at least 8
//! characters (12 for admin), at most 128, not the account's name, not a common
//! password from the list shipped with the server. No composition rules.

use std::collections::HashSet;
use std::sync::LazyLock;

use linli_core::{Lang, Role, StaffText};

/// The longest password accepted, in characters.
pub const MAX_PASSWORD_CHARS: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordProblem {
    /// Shorter than the role allows.
    TooShort {
        /// The least, in characters.
        min: usize,
    },
    /// Longer than [`MAX_PASSWORD_CHARS`].
    TooLong,
    /// On the list of common passwords.
    Common,
    /// The account's own name.
    SameAsName,
}

impl PasswordProblem {
    /// The reason in `lang`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            PasswordProblem::TooShort { min } => {
                lang.fill(StaffText::PwTooShort, &[("min", &min.to_string())])
            }
            PasswordProblem::TooLong => lang.fill(
                StaffText::PwTooLong,
                &[("max", &MAX_PASSWORD_CHARS.to_string())],
            ),
            PasswordProblem::Common => lang.t(StaffText::PwCommon).to_owned(),
            PasswordProblem::SameAsName => lang.t(StaffText::PwSameAsName).to_owned(),
        }
    }
}

/// Checks a new password for an account of `role` named `username`.
pub fn check_password(role: Role, username: &str, password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    let min = role.min_password_chars();
    if chars < min {
        return Err(PasswordProblem::TooShort { min });
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if lower == username.to_lowercase() {
        return Err(PasswordProblem::SameAsName);
    }
    if COMMON.contains(lower.as_str()) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_need_twelve_characters_and_others_eight() {
        assert_eq!(
            check_password(Role::Admin, "li", "Qingshan-26"),
            Err(PasswordProblem::TooShort { min: 12 })
        );
        assert_eq!(check_password(Role::Admin, "li", "Qingshan-2026"), Ok(()));
        assert_eq!(
            check_password(Role::Kitchen, "chef", "饭堂锅铲汤勺碗筷"),
            Ok(())
        );
        assert_eq!(
            check_password(Role::Kitchen, "chef", "短密码"),
            Err(PasswordProblem::TooShort { min: 8 })
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        for p in [
            "password123",
            "PASSWORD123",
            "1qaz2wsx",
            "woaini1314",
            "linli-demo",
            "Iloveyou",
        ] {
            assert_eq!(
                check_password(Role::Staff, "wang", p),
                Err(PasswordProblem::Common),
                "{p}"
            );
        }
        assert!(
            COMMON.len() > 10_000,
            "the list shipped is {}",
            COMMON.len()
        );
    }

    #[test]
    fn the_name_and_overlong_passwords_are_refused() {
        assert_eq!(
            check_password(Role::Staff, "wangxiaoming", "WangXiaoMing"),
            Err(PasswordProblem::SameAsName)
        );
        assert_eq!(
            check_password(Role::Staff, "w", &"x".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
    }
}
