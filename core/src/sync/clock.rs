//! Device clocks. A phone's clock can be minutes or days wrong; the server's is the
//! one that decides cut-offs and voting windows. The shell measures the difference
//! from each answer's `Date` header (RFC 9110 §6.6.1) and judges open and closed by
//! the server's time, and the server refuses a creation time no device could have
//! made: ahead of the server, or before the device was linked.

use crate::date::Date;

/// How far a device's stated creation time may be ahead of the server's clock, or
/// before the device was linked, and still be believed: network delay and the
/// one-second resolution of `Date` fit well inside it. Five minutes, in ms.
pub const CLOCK_TOLERANCE_MS: i64 = 5 * 60_000;

/// From how big a difference between the phone's clock and the server's the shell
/// tells the resident the phone's clock is wrong and corrects for it: two minutes, in
/// ms (less is network delay and the `Date` header's whole seconds).
pub const SKEW_NOTICE_MS: i64 = 2 * 60_000;

/// Why a submission's creation time is not believed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceTimeError {
    /// More than [`CLOCK_TOLERANCE_MS`] ahead of the server's clock.
    Ahead,
    /// More than [`CLOCK_TOLERANCE_MS`] before the device was linked to its household.
    BeforeLinked,
}

impl DeviceTimeError {
    /// The API's code: `device_clock`, whichever way it is wrong.
    pub fn code(self) -> &'static str {
        "device_clock"
    }
}

/// Checks a submission's `created_at` (device clock, ms since the epoch) against the
/// server's `received_at` and the time the device was linked (`linked_at`), all ms.
pub fn check_device_time(
    created_at: i64,
    received_at: i64,
    linked_at: i64,
) -> Result<(), DeviceTimeError> {
    if created_at > received_at.saturating_add(CLOCK_TOLERANCE_MS) {
        Err(DeviceTimeError::Ahead)
    } else if created_at < linked_at.saturating_sub(CLOCK_TOLERANCE_MS) {
        Err(DeviceTimeError::BeforeLinked)
    } else {
        Ok(())
    }
}

/// The correction to add to the phone's clock to get the server's (ms), from one
/// answer: the server's `Date` header (whole seconds) and the phone's clock when the
/// answer arrived. `None` when the difference is below [`SKEW_NOTICE_MS`]: the
/// phone's clock is right, and the header's rounding is not worth correcting.
pub fn skew(server_ms: i64, device_ms: i64) -> Option<i64> {
    let d = server_ms - device_ms;
    (d.abs() >= SKEW_NOTICE_MS).then_some(d)
}

/// Reads an HTTP date in the IMF-fixdate form every current server sends
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7) as ms since the epoch. The
/// obsolete RFC 850 and asctime forms are not read: `None`.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_ascii_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? + 1;
    let date = Date::parse(&format!("{year}-{month:02}-{day}"))?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|n| n.parse::<i64>().ok().filter(|_| n.len() == 2))
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    Some(((date.unix_days() * 24 + h) * 60 + m) * 60_000 + s * 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    #[test]
    fn a_creation_time_ahead_of_the_server_is_refused_beyond_five_minutes() {
        let linked = NOW - 86_400_000;
        assert_eq!(
            check_device_time(NOW + CLOCK_TOLERANCE_MS, NOW, linked),
            Ok(())
        );
        assert_eq!(
            check_device_time(NOW + CLOCK_TOLERANCE_MS + 1, NOW, linked),
            Err(DeviceTimeError::Ahead)
        );
        assert_eq!(
            check_device_time(NOW + 10 * 365 * 86_400_000, NOW, linked),
            Err(DeviceTimeError::Ahead)
        );
    }

    #[test]
    fn a_creation_time_before_the_device_was_linked_is_refused() {
        let linked = NOW - 3_600_000;
        assert_eq!(
            check_device_time(linked - CLOCK_TOLERANCE_MS, NOW, linked),
            Ok(())
        );
        assert_eq!(
            check_device_time(0, NOW, linked),
            Err(DeviceTimeError::BeforeLinked)
        );
        assert_eq!(check_device_time(NOW - 60_000, NOW, linked), Ok(()));
    }

    #[test]
    fn http_dates_read_as_the_instant_they_name() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(
            parse_http_date("Tue, 01 Dec 2026 14:21:41 GMT"),
            Some(1_796_134_901_000)
        );
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_skew_under_two_minutes_is_no_skew() {
        assert_eq!(skew(NOW, NOW - 119_000), None);
        assert_eq!(skew(NOW, NOW + 119_000), None);
        assert_eq!(skew(NOW, NOW - 2 * 86_400_000), Some(2 * 86_400_000));
        assert_eq!(skew(NOW, NOW + SKEW_NOTICE_MS), Some(-SKEW_NOTICE_MS));
    }
}
