//! Time in a demo bank: when it was founded, office hours, Italian
//! daylight saving, and "now" as the upper bound of every timestamp.

use rand::Rng;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// The history of a demo bank starts on the first Monday of 2019, unless
/// "now" is earlier than that.
const FOUNDING: (i32, Month, u8) = (2019, Month::January, 7);

/// Records start a week after the directory was set up.
const FIRST_RECORDS_AFTER_DAYS: i64 = 7;

pub(super) struct Calendar {
    /// "Now" truncated to the minute: no timestamp goes past it.
    latest: OffsetDateTime,
    founding: Date,
    /// Italian time (CET/CEST) when "now" is in it; otherwise "now"'s offset all year.
    italian: bool,
    offset: UtcOffset,
    /// Summer-time spans of the years of the bank's history, computed once.
    summers: Vec<(i32, Date, Date)>,
}

impl Calendar {
    pub(super) fn new(now: OffsetDateTime) -> Calendar {
        let latest = now.replace_second(0).and_then(|t| t.replace_nanosecond(0)).unwrap_or(now);
        let standard = Date::from_calendar_date(FOUNDING.0, FOUNDING.1, FOUNDING.2).unwrap_or(Date::MIN);
        // A bank "founded" after now would put every record in the future.
        let founding = standard.min(add_days(latest.date(), -365));
        let (h, m, s) = now.offset().as_hms();
        let summers = (founding.year()..=latest.year())
            .map(|y| (y, last_sunday(y, Month::March), last_sunday(y, Month::October)))
            .collect();
        Calendar { latest, founding, italian: m == 0 && s == 0 && (h == 1 || h == 2), offset: now.offset(), summers }
    }

    pub(super) fn latest(&self) -> OffsetDateTime {
        self.latest
    }

    pub(super) fn today(&self) -> Date {
        self.latest.date()
    }

    /// When the administrator set the bank up (09:00 on the founding day).
    pub(super) fn founding(&self) -> OffsetDateTime {
        self.at(self.founding, 9 * 60)
    }

    /// The first day records of families and needs may carry.
    pub(super) fn first_day(&self) -> Date {
        add_days(self.founding, FIRST_RECORDS_AFTER_DAYS).min(self.today())
    }

    pub(super) fn days_ago(&self, days: i64) -> Date {
        add_days(self.today(), -days).max(self.first_day())
    }

    /// `minute` minutes after midnight of `date`, local time, never after now.
    pub(super) fn at(&self, date: Date, minute: u16) -> OffsetDateTime {
        let time = Time::from_hms((minute / 60).min(23) as u8, (minute % 60) as u8, 0).unwrap_or(Time::MIDNIGHT);
        PrimitiveDateTime::new(date, time).assume_offset(self.offset_on(date)).min(self.latest)
    }

    /// A moment in office hours (08:30–17:59) of `date`, never after now.
    pub(super) fn office_hours(&self, rng: &mut impl Rng, date: Date) -> OffsetDateTime {
        self.at(date, rng.gen_range(8 * 60 + 30..18 * 60))
    }

    /// `minutes` after `t`, never after now.
    pub(super) fn later(&self, t: OffsetDateTime, minutes: i64) -> OffsetDateTime {
        t.saturating_add(Duration::minutes(minutes)).min(self.latest)
    }

    fn offset_on(&self, date: Date) -> UtcOffset {
        if !self.italian {
            return self.offset;
        }
        // EU summer time: from the last Sunday of March to the last Sunday of October.
        let year = date.year();
        let (start, end) = match self.summers.binary_search_by_key(&year, |s| s.0) {
            Ok(i) => (self.summers[i].1, self.summers[i].2),
            Err(_) => (last_sunday(year, Month::March), last_sunday(year, Month::October)),
        };
        let summer = date >= start && date < end;
        UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(self.offset)
    }
}

fn last_sunday(year: i32, month: Month) -> Date {
    let last = Date::from_calendar_date(year, month, time::util::days_in_month(month, year)).unwrap_or(Date::MIN);
    add_days(last, -i64::from(last.weekday().number_days_from_sunday()))
}

pub(super) fn add_days(d: Date, days: i64) -> Date {
    d.saturating_add(Duration::days(days))
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(super) fn days_between(a: Date, b: Date) -> i64 {
    (b - a).whole_days()
}

/// A day in `lo..=hi`, or `lo` when the range is empty.
pub(super) fn day_between(rng: &mut impl Rng, lo: Date, hi: Date) -> Date {
    let span = days_between(lo, hi);
    if span <= 0 {
        lo
    } else {
        add_days(lo, rng.gen_range(0..=span))
    }
}

/// The working day on or before `d`: offices are closed at weekends.
pub(super) fn workday(d: Date) -> Date {
    match d.weekday() {
        Weekday::Saturday => add_days(d, -1),
        Weekday::Sunday => add_days(d, -2),
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn italian_offsets_follow_summer_time() {
        let cal = Calendar::new(datetime!(2026-03-16 10:00:30.5 +01:00));
        assert_eq!(cal.latest(), datetime!(2026-03-16 10:00 +01:00));
        assert_eq!(cal.at(date!(2025 - 07 - 01), 600).offset(), UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(cal.at(date!(2025 - 10 - 26), 600).offset(), UtcOffset::from_hms(1, 0, 0).unwrap());
        assert_eq!(cal.at(date!(2026 - 03 - 17), 600), cal.latest(), "never after now");
        assert_eq!(cal.founding(), datetime!(2019-01-07 09:00 +01:00));
    }

    #[test]
    fn a_young_now_moves_the_founding_back() {
        let cal = Calendar::new(datetime!(2018-06-01 12:00 UTC));
        assert!(cal.founding() < cal.latest());
        assert!(cal.first_day() <= cal.today());
    }
}
