//! sRGB colours and the WCAG 2 contrast ratio used to vet a deployment's brand.

use std::fmt;

/// An opaque sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Colour {
    /// White, the default text colour on the brand colour.
    pub const WHITE: Colour = Colour::rgb(255, 255, 255);

    /// A colour from its channels.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Colour {
        Colour { r, g, b }
    }

    /// Parses `#rrggbb` or `#rgb` (hex digits in either case).
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        match hex.len() {
            3 => Some(Colour::rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => {
                let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
                Some(Colour::rgb(byte(0)?, byte(2)?, byte(4)?))
            }
            _ => None,
        }
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        fn channel(c: u8) -> f64 {
            let s = f64::from(c) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                pow_2_4((s + 0.055) / 1.055)
            }
        }
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG contrast ratio between two colours, 1 to 21.
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

/// `x^2.4` for `x` in `[0, 1]`, as `x² · (x²)^(1/5)` with the fifth root by Newton's
/// method: `f64::powf` would pull libm's `pow` (2 KB) into the WASM.
fn pow_2_4(x: f64) -> f64 {
    let square = x * x;
    if square <= 0.0 {
        return 0.0;
    }
    // Newton from above descends monotonically to the root; stop when it stalls.
    let mut y = 1.0_f64;
    for _ in 0..100 {
        let next = 0.8 * y + 0.2 * square / (y * y * y * y);
        if next >= y {
            break;
        }
        y = next;
    }
    square * y
}

/// The smallest contrast DESIGN.md allows for body text (WCAG AA).
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// A contrast ratio written with two decimals, rounded down so a failing ratio never
/// prints as the passing threshold (4.499 shows as 4.49). Integer formatting only:
/// float formatting would add kilobytes to the WASM.
pub fn ratio_text(ratio: f64) -> String {
    let centi = (ratio * 100.0).floor() as u32;
    format!("{}.{:02}", centi / 100, centi % 100)
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_long_and_short_forms() {
        assert_eq!(
            Colour::parse("#C8161D"),
            Some(Colour::rgb(0xc8, 0x16, 0x1d))
        );
        assert_eq!(Colour::parse("#fff"), Some(Colour::WHITE));
        assert_eq!(Colour::parse("#0a0"), Some(Colour::rgb(0, 0xaa, 0)));
    }

    #[test]
    fn rejects_what_is_not_a_hex_colour() {
        for bad in [
            "#12", "#1234", "#12345g", "123456", "", "#", "red", "#ffffff0", "#+12",
        ] {
            assert_eq!(Colour::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn black_on_white_is_21_to_1() {
        let r = Colour::rgb(0, 0, 0).contrast(Colour::WHITE);
        assert!((r - 21.0).abs() < 1e-9, "{r}");
        assert_eq!(ratio_text(r), "21.00");
    }

    #[test]
    fn contrast_is_symmetric_and_known_values_match_wcag() {
        let grey = Colour::parse("#767676").unwrap();
        // #767676 on white is the classic 4.54:1 AA boundary colour.
        assert_eq!(ratio_text(grey.contrast(Colour::WHITE)), "4.54");
        assert_eq!(grey.contrast(Colour::WHITE), Colour::WHITE.contrast(grey));
        let light = Colour::parse("#777777").unwrap();
        assert!(light.contrast(Colour::WHITE) < MIN_TEXT_CONTRAST);
    }

    #[test]
    fn pow_2_4_matches_powf_on_every_channel_value() {
        for c in 0..=255u8 {
            let x = (f64::from(c) / 255.0 + 0.055) / 1.055;
            let (ours, reference) = (pow_2_4(x), x.powf(2.4));
            assert!(
                (ours - reference).abs() < 1e-12,
                "{c}: {ours} vs {reference}"
            );
        }
        assert_eq!(pow_2_4(0.0), 0.0);
    }

    #[test]
    fn ratio_text_rounds_down() {
        assert_eq!(ratio_text(4.4999), "4.49");
        assert_eq!(ratio_text(1.0), "1.00");
    }

    #[test]
    fn displays_as_lowercase_long_hex() {
        assert_eq!(Colour::parse("#ABC").unwrap().to_string(), "#aabbcc");
    }
}
