//! Calendar dates as day numbers: the proleptic Gregorian calendar, day 0 =
//! 1970-01-01, parsed from and printed as ISO `YYYY-MM-DD`.
//!
//! A day number makes a date's difference an integer subtraction, which is all the
//! history clock needs (a step's length is its count of calendar days / 365). The
//! conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`
//! (public domain), exact for every year 0 … 9999.
//!
//! **Tested by** `tests/history.rs`: known day numbers (1970-01-01 = 0,
//! 2000-03-01, leap days), weekdays of known dates, round trips of every day
//! from 1800 to 2100, and the rejection of impossible dates.

use core::fmt;

/// A calendar date: the number of days since 1970-01-01 (negative before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    /// The date of `year`-`month`-`day`, or `None` when there is no such day
    /// (month outside 1 … 12, day outside the month, year outside 0 … 9999).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(0..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Hinnant: shift the year to start in March so the leap day is last.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400; // 0 … 399
        let shifted_month = (month + 9) % 12; // March = 0
        let day_of_year = (153 * shifted_month + 2) / 5 + day - 1; // 0 … 365
        let day_of_era =
            year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year as i32;
        Some(Date(era * 146_097 + day_of_era - 719_468))
    }

    /// The date's `(year, month, day)`.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097; // 0 … 146096
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u32;
        let year = year_of_era + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }

    /// The date written `YYYY-MM-DD` (four-digit year, two-digit month and day),
    /// or `None` for any other text or an impossible date.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: core::ops::Range<usize>| -> Option<u32> {
            let digits = &bytes[range];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
        };
        Date::from_ymd(number(0..4)? as i32, number(5..7)?, number(8..10)?)
    }

    /// The day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The number of calendar days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.0 - earlier.0
    }
}

/// The number of days in `month` of `year` (Gregorian leap years).
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Written as its ISO text, `YYYY-MM-DD` (the ledger's `date` column).
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}
