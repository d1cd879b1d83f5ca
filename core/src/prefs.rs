//! A resident's display preferences (language, 长辈版), remembered on the device.
//!
//! Pure: the shell reads the stored strings, calls [`Prefs::restore`], and writes
//! [`Prefs::stored`] back after each [`Prefs::apply`].

use crate::i18n::Lang;

/// Storage key of the chosen language.
pub const LANG_KEY: &str = "linli.lang";
/// Storage key of the 长辈版 switch; the early script in `index.html` reads it too.
pub const ELDER_KEY: &str = "linli.elder";

/// What a resident chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    /// Interface language.
    pub lang: Lang,
    /// 长辈版 (elder mode) on.
    pub elder: bool,
}

/// A change a resident makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefsAction {
    /// Switch language.
    SetLang(Lang),
    /// Turn 长辈版 on or off.
    SetElder(bool),
}

impl Prefs {
    /// Rebuilds preferences from stored strings; anything unreadable (an older
    /// version's value, a hand-edited one) falls back to the deployment's default.
    pub fn restore(lang: Option<&str>, elder: Option<&str>, default_lang: Lang) -> Prefs {
        Prefs {
            lang: lang.and_then(Lang::from_code).unwrap_or(default_lang),
            elder: elder == Some("1"),
        }
    }

    /// The preferences after one change.
    pub fn apply(self, action: PrefsAction) -> Prefs {
        match action {
            PrefsAction::SetLang(lang) => Prefs { lang, ..self },
            PrefsAction::SetElder(elder) => Prefs { elder, ..self },
        }
    }

    /// The (key, value) pairs to store.
    pub fn stored(&self) -> [(&'static str, &'static str); 2] {
        [
            (LANG_KEY, self.lang.code()),
            (ELDER_KEY, if self.elder { "1" } else { "0" }),
        ]
    }
}

/// A byte count for people: `0 B`, `512 B`, `1.5 KB`, `23.4 MB`, `2.0 GB`.
/// Integer arithmetic only (float formatting costs kilobytes of WASM).
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut unit = 0;
    let mut scale: u64 = 1024;
    while unit + 1 < UNITS.len() && bytes >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    // Tenths, rounded half up; `rem * 10` cannot overflow as rem < scale <= 2^40.
    let (mut whole, rem) = (bytes / scale, bytes % scale);
    let mut tenth = (rem * 10 + scale / 2) / scale;
    if tenth == 10 {
        whole += 1;
        tenth = 0;
    }
    format!("{whole}.{tenth} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_reads_what_was_stored() {
        let p = Prefs {
            lang: Lang::En,
            elder: true,
        };
        let [(_, lang), (_, elder)] = p.stored();
        assert_eq!(Prefs::restore(Some(lang), Some(elder), Lang::ZhCn), p);
    }

    #[test]
    fn restore_falls_back_on_missing_or_foreign_values() {
        let p = Prefs::restore(None, None, Lang::En);
        assert_eq!(
            p,
            Prefs {
                lang: Lang::En,
                elder: false
            }
        );
        let p = Prefs::restore(Some("fr"), Some("yes"), Lang::ZhCn);
        assert_eq!(
            p,
            Prefs {
                lang: Lang::ZhCn,
                elder: false
            }
        );
    }

    #[test]
    fn apply_changes_one_thing() {
        let p = Prefs::default().apply(PrefsAction::SetElder(true));
        assert_eq!(
            p,
            Prefs {
                lang: Lang::ZhCn,
                elder: true
            }
        );
        let p = p.apply(PrefsAction::SetLang(Lang::En));
        assert_eq!(
            p,
            Prefs {
                lang: Lang::En,
                elder: true
            }
        );
    }

    #[test]
    fn bytes_are_written_for_people() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1023), "1023 B");
        assert_eq!(format_bytes(1024), "1.0 KB");
        assert_eq!(format_bytes(1536), "1.5 KB");
        assert_eq!(format_bytes(1024 * 1024 - 1), "1024.0 KB");
        assert_eq!(format_bytes(5 * 1024 * 1024 * 1024), "5.0 GB");
        assert_eq!(format_bytes(u64::MAX), "16777216.0 TB");
    }
}
