//! Points in time as the Kubernetes API writes them: UTC, RFC 3339, whole seconds.
//!
//! The library never reads a clock. Every function that depends on time takes a [`Time`] built by
//! the caller (`now`), and callers promise that `now` never goes backwards between calls.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A UTC instant at second precision, as `metav1.Time` serializes it (`2024-05-01T12:34:56Z`).
///
/// Internally the number of seconds since the Unix epoch, clamped to the years 0001–9999 that
/// RFC 3339 can print. Sub-second parts of parsed times are dropped, as the API server does when it
/// stores an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(i64);

/// Why a string is not an RFC 3339 time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid RFC 3339 time {input:?}: {reason}")]
pub struct TimeError {
    /// The text that failed to parse.
    pub input: String,
    /// What was wrong with it.
    pub reason: TimeErrorReason,
}

/// The ways a time can fail to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeErrorReason {
    /// Not of the form `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    #[error("expected YYYY-MM-DDTHH:MM:SS followed by Z or an offset")]
    Syntax,
    /// A component is out of range (month 13, February 30th, hour 24, ...).
    #[error("a date or time component is out of range")]
    OutOfRange,
    /// The instant is outside the years 0001–9999.
    #[error("the year must be between 0001 and 9999")]
    YearOutOfRange,
}

impl Time {
    /// 0001-01-01T00:00:00Z, the earliest instant RFC 3339 can write.
    pub const MIN: Time = Time(-62_135_596_800);
    /// 9999-12-31T23:59:59Z, the latest instant RFC 3339 can write.
    pub const MAX: Time = Time(253_402_300_799);
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Time = Time(0);

    /// The instant `secs` seconds after the Unix epoch, clamped to [`Time::MIN`]..=[`Time::MAX`].
    #[must_use]
    pub const fn from_unix(secs: i64) -> Time {
        if secs < Self::MIN.0 {
            Self::MIN
        } else if secs > Self::MAX.0 {
            Self::MAX
        } else {
            Time(secs)
        }
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// The instant at the given UTC calendar date and wall-clock time.
    pub fn from_ymd_hms(
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Result<Time, TimeErrorReason> {
        if !(1..=9999).contains(&year) {
            return Err(TimeErrorReason::YearOutOfRange);
        }
        let month = time::Month::try_from(month).map_err(|_| TimeErrorReason::OutOfRange)?;
        let date = time::Date::from_calendar_date(year, month, day)
            .map_err(|_| TimeErrorReason::OutOfRange)?;
        let clock =
            time::Time::from_hms(hour, minute, second).map_err(|_| TimeErrorReason::OutOfRange)?;
        Ok(Time(
            time::PrimitiveDateTime::new(date, clock)
                .assume_utc()
                .unix_timestamp(),
        ))
    }

    /// Parses RFC 3339 (`2016-05-20T02:00:00Z`, `2024-05-01T12:34:56.789+02:00`); the result is
    /// converted to UTC and truncated to whole seconds.
    pub fn parse_rfc3339(input: &str) -> Result<Time, TimeError> {
        let err = |reason| TimeError {
            input: input.to_owned(),
            reason,
        };
        if let Some(t) = parse_fast(input.as_bytes()) {
            return t.map_err(err);
        }
        let parsed =
            time::OffsetDateTime::parse(input, &time::format_description::well_known::Rfc3339)
                .map_err(|e| {
                    err(match e {
                        time::error::Parse::TryFromParsed(_) => TimeErrorReason::OutOfRange,
                        _ => TimeErrorReason::Syntax,
                    })
                })?;
        let secs = parsed.unix_timestamp();
        if !(Self::MIN.0..=Self::MAX.0).contains(&secs) {
            return Err(err(TimeErrorReason::YearOutOfRange));
        }
        Ok(Time(secs))
    }

    /// This instant plus `secs` seconds (negative goes back), clamped to the printable range.
    #[must_use]
    pub const fn add_seconds(self, secs: i64) -> Time {
        Time::from_unix(self.0.saturating_add(secs))
    }

    /// This instant plus a duration (whole seconds; the fraction is dropped), clamped.
    #[must_use]
    pub fn add_duration(self, d: Duration) -> Time {
        self.add_seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    /// Seconds from `earlier` to `self` (negative when `earlier` is later).
    #[must_use]
    pub const fn seconds_since(self, earlier: Time) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The duration from `earlier` to `self`, or zero when `earlier` is not earlier.
    #[must_use]
    pub fn duration_since(self, earlier: Time) -> Duration {
        Duration::from_secs(u64::try_from(self.seconds_since(earlier)).unwrap_or(0))
    }
}

/// Fast path for the canonical `YYYY-MM-DDTHH:MM:SSZ` form every API server writes.
/// `None` means "not this shape, use the general parser".
fn parse_fast(b: &[u8]) -> Option<Result<Time, TimeErrorReason>> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let (month, day) = (
        u8::try_from(num(5..7)?).ok()?,
        u8::try_from(num(8..10)?).ok()?,
    );
    let (hour, minute) = (
        u8::try_from(num(11..13)?).ok()?,
        u8::try_from(num(14..16)?).ok()?,
    );
    let second = u8::try_from(num(17..19)?).ok()?;
    if second == 60 {
        // A leap second: let the general parser decide.
        return None;
    }
    Some(civil_to_time(year, month, day, hour, minute, second))
}

/// [`Time::from_ymd_hms`] by plain arithmetic (days from the civil calendar), for the fast path.
fn civil_to_time(
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
) -> Result<Time, TimeErrorReason> {
    if !(1..=9999).contains(&year) {
        return Err(TimeErrorReason::YearOutOfRange);
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(TimeErrorReason::OutOfRange),
    };
    if day == 0 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return Err(TimeErrorReason::OutOfRange);
    }
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil; years here are positive).
    let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(Time(
        days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second),
    ))
}

impl fmt::Display for Time {
    /// RFC 3339 in UTC with a `Z` suffix, as the API server writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match time::OffsetDateTime::from_unix_timestamp(self.0) {
            Ok(t) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            // Unreachable: constructors clamp to the printable range.
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl FromStr for Time {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Time::parse_rfc3339(s)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 time string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Time, E> {
                Time::parse_rfc3339(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_canonical_form() {
        let t: Time = "2016-05-20T02:00:00Z".parse().unwrap();
        assert_eq!(t.unix(), 1_463_709_600);
        assert_eq!(t.to_string(), "2016-05-20T02:00:00Z");
    }

    #[test]
    fn general_forms_convert_to_utc_and_truncate() {
        let t: Time = "2024-05-01T12:34:56.999+02:00".parse().unwrap();
        assert_eq!(t.to_string(), "2024-05-01T10:34:56Z");
        let t: Time = "2024-05-01t12:34:56z".parse().unwrap();
        assert_eq!(t.to_string(), "2024-05-01T12:34:56Z");
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "",
            "yesterday",
            "2016-13-01T00:00:00Z",
            "2016-02-30T00:00:00Z",
            "2016-05-20T24:00:00Z",
            "2016-05-20 02:00:00",
            "0000-01-01T00:00:00Z",
        ] {
            assert!(Time::parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fast_path_agrees_with_the_calendar() {
        for (y, m, d) in [
            (1, 1, 1),
            (1970, 1, 1),
            (2000, 2, 29),
            (2024, 12, 31),
            (9999, 12, 31),
            (1600, 3, 1),
        ] {
            for (h, mi, se) in [(0, 0, 0), (23, 59, 59), (12, 34, 56)] {
                assert_eq!(
                    civil_to_time(y, m, d, h, mi, se),
                    Time::from_ymd_hms(y, m, d, h, mi, se),
                    "{y}-{m}-{d} {h}:{mi}:{se}"
                );
            }
        }
        for (y, m, d) in [
            (1900, 2, 29),
            (2023, 2, 29),
            (2024, 4, 31),
            (2024, 13, 1),
            (2024, 0, 1),
            (0, 1, 1),
        ] {
            assert_eq!(
                civil_to_time(y, m, d, 0, 0, 0),
                Time::from_ymd_hms(y, m, d, 0, 0, 0)
            );
        }
    }

    #[test]
    fn arithmetic_saturates_at_the_printable_range() {
        assert_eq!(Time::MAX.add_seconds(10), Time::MAX);
        assert_eq!(Time::MIN.add_seconds(-10), Time::MIN);
        assert_eq!(Time::from_unix(i64::MIN), Time::MIN);
        assert_eq!(Time::MAX.to_string(), "9999-12-31T23:59:59Z");
        assert_eq!(Time::MIN.to_string(), "0001-01-01T00:00:00Z");
        let a = Time::from_unix(100);
        assert_eq!(a.add_seconds(5).seconds_since(a), 5);
        assert_eq!(a.duration_since(a.add_seconds(5)), Duration::ZERO);
    }
}
