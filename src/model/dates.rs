//! Dates as Italian operators type them (`gg/mm/aaaa`) and as scripts do (ISO).

use time::{Date, Month};

/// Parses `23/11/2026`, `23-11-2026`, `23.11.2026` or `2026-11-23`.
pub fn parse_date(input: &str) -> Option<Date> {
    let s = input.trim();
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else {
        return None;
    };
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// A date as typed, or a word for one relative to `today` (the bank's
/// clock): `oggi`/`today`, `ieri`/`yesterday`, `domani`/`tomorrow`, in
/// either language and any case.
pub fn parse_date_or_word(input: &str, today: Date) -> Option<Date> {
    match input.trim().to_lowercase().as_str() {
        "oggi" | "today" => Some(today),
        "ieri" | "yesterday" => today.previous_day(),
        "domani" | "tomorrow" => today.next_day(),
        _ => parse_date(input),
    }
}

/// `23/11/2026`, the way dates are read in Italy (and in the UK).
pub fn format_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
pub fn months_between(from: Date, to: Date) -> u32 {
    let mut months = (to.year() - from.year()) * 12 + (u8::from(to.month()) as i32 - u8::from(from.month()) as i32);
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

/// The same day `months` later, clamped to the month's last day.
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (u8::from(d.month()) as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_italian_and_iso_dates() {
        assert_eq!(parse_date("23/11/2026"), Some(date!(2026 - 11 - 23)));
        assert_eq!(parse_date("2026-11-23"), Some(date!(2026 - 11 - 23)));
        assert_eq!(parse_date("3.2.2020"), Some(date!(2020 - 02 - 03)));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("11/23/26"), None);
        assert_eq!(parse_date("oggi"), None);
    }

    #[test]
    fn words_for_days_count_from_the_given_today() {
        let today = date!(2026 - 03 - 01);
        assert_eq!(parse_date_or_word(" Oggi ", today), Some(today));
        assert_eq!(parse_date_or_word("ieri", today), Some(date!(2026 - 02 - 28)));
        assert_eq!(parse_date_or_word("tomorrow", today), Some(date!(2026 - 03 - 02)));
        assert_eq!(parse_date_or_word("5/3/2026", today), Some(date!(2026 - 03 - 05)));
        assert_eq!(parse_date_or_word("dopodomani", today), None);
    }

    #[test]
    fn months_count_whole_months_only() {
        assert_eq!(months_between(date!(2020 - 05 - 15), date!(2026 - 11 - 23)), 78);
        assert_eq!(months_between(date!(2026 - 10 - 24), date!(2026 - 11 - 23)), 0);
        assert_eq!(months_between(date!(2027 - 01 - 01), date!(2026 - 11 - 23)), 0);
        assert_eq!(add_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
    }
}
