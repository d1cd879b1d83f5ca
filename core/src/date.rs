//! Calendar dates written `YYYY-MM-DD`, as used in notices and (later) menus.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1–9999.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD`, checking the day exists (leap years included).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = text.get(range)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let year = num(0..4)?;
        let month = u8::try_from(num(5..7)?).ok()?;
        let day = u8::try_from(num(8..10)?).ok()?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl Date {
    /// The date `days` after 1970-01-01 (negative: before), by Howard Hinnant's
    /// civil-from-days algorithm; `None` outside years 1–9999.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Some(Date {
            year: u16::try_from(year)
                .ok()
                .filter(|y| (1..=9999).contains(y))?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }
}

impl Date {
    /// Days since 1970-01-01 (negative before); the inverse of [`Date::from_unix_days`]
    /// (Howard Hinnant's days-from-civil).
    pub fn unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The instant (ms since the epoch) of `minute_of_day` (0 = midnight) on this date
    /// in a deployment `offset_minutes` east of UTC: a notice going up at the start of
    /// its day, a time staff typed, a meal's cut-off.
    pub fn local_instant(self, minute_of_day: i64, offset_minutes: i64) -> i64 {
        (self.unix_days() * 1_440 + minute_of_day - offset_minutes) * 60_000
    }

    /// The date `days` later (earlier when negative); `None` outside years 1–9999.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_unix_days(self.unix_days() + days)
    }
}

/// A Unix time in ms written as `YYYY-MM-DD HH:MM` at a fixed UTC offset (China has
/// one time zone and no daylight saving: +480 minutes).
pub fn format_timestamp(ms: i64, offset_minutes: i64) -> String {
    let minutes = ms.div_euclid(60_000) + offset_minutes;
    let (days, minute_of_day) = (minutes.div_euclid(1_440), minutes.rem_euclid(1_440));
    match Date::from_unix_days(days) {
        Some(date) => format!("{date} {:02}:{:02}", minute_of_day / 60, minute_of_day % 60),
        None => "—".to_owned(),
    }
}

/// The calendar date at `ms` (ms since the epoch) in a deployment `offset_minutes`
/// east of UTC: "today" for the widget, the shell and the server alike. `None` only
/// outside the years 1970–9999.
pub fn date_at(ms: i64, offset_minutes: i64) -> Option<Date> {
    Date::from_unix_days((ms.div_euclid(60_000) + offset_minutes).div_euclid(1_440))
}

/// China Standard Time, UTC+8, in minutes.
pub const CHINA_OFFSET_MINUTES: i64 = 480;

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_back() {
        let d = Date::parse("2026-11-28").unwrap();
        assert_eq!((d.year, d.month, d.day), (2026, 11, 28));
        assert_eq!(d.to_string(), "2026-11-28");
    }

    #[test]
    fn leap_day_only_in_leap_years() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2026-02-29").is_none());
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-1x",
            "+026-01-01",
            "",
            "0000-01-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_days_become_calendar_dates() {
        assert_eq!(Date::from_unix_days(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(-1).unwrap().to_string(), "1969-12-31");
        assert_eq!(
            Date::from_unix_days(11_016).unwrap().to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Date::from_unix_days(20_420).unwrap().to_string(),
            "2025-11-28"
        );
    }

    #[test]
    fn unix_days_round_trip_across_leap_years() {
        for days in [-719_162, -1, 0, 1, 11_016, 20_420, 2_900_000] {
            let d = Date::from_unix_days(days).unwrap();
            assert_eq!(d.unix_days(), days, "{d}");
        }
        let d = Date::parse("2024-02-28").unwrap();
        assert_eq!(d.add_days(1).unwrap().to_string(), "2024-02-29");
        assert_eq!(d.add_days(2).unwrap().to_string(), "2024-03-01");
        assert_eq!(
            Date::parse("2027-01-01")
                .unwrap()
                .add_days(-1)
                .unwrap()
                .to_string(),
            "2026-12-31"
        );
    }

    #[test]
    fn timestamps_are_written_in_china_time() {
        // 2026-11-28 10:04 UTC is 18:04 in Beijing.
        let ms = 1_795_860_240_000;
        assert_eq!(format_timestamp(ms, 0), "2026-11-28 10:04");
        assert_eq!(
            format_timestamp(ms, CHINA_OFFSET_MINUTES),
            "2026-11-28 18:04"
        );
        // Across midnight.
        assert_eq!(
            format_timestamp(ms + 6 * 3_600_000, CHINA_OFFSET_MINUTES),
            "2026-11-29 00:04"
        );
    }

    #[test]
    fn orders_chronologically() {
        assert!(Date::parse("2026-01-31").unwrap() < Date::parse("2026-02-01").unwrap());
    }
}
