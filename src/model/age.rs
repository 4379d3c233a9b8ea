//! Ages of children: in months under two years, in years after.

use super::catalogue::catalogue;
use super::Lang;
use serde::{Deserialize, Serialize};

/// Oldest age the bank deals with: young adults up to their 21st birthday.
pub const MAX_AGE_MONTHS: u16 = 21 * 12 + 11;

/// An inclusive range of ages in months. A bound typed in years covers the
/// whole year: "3-10" accepts a child of 10 years and 11 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRange {
    pub min_months: u16,
    pub max_months: u16,
}

impl AgeRange {
    pub const ANY: AgeRange = AgeRange { min_months: 0, max_months: 17 * 12 + 11 };

    pub fn contains(&self, age_months: u32) -> bool {
        (self.min_months as u32..=self.max_months as u32).contains(&age_months)
    }

    /// Parses what an operator types: `3-10` (years), `0-24m` (months),
    /// `6m-4` (six months to four years). A unit on the second bound also
    /// applies to a bare first bound. Order is not checked here (validation
    /// reports an inverted range with both values).
    pub fn parse(input: &str) -> Option<AgeRange> {
        let s = input.trim().to_lowercase();
        let (a, b) = s.split_once('-')?;
        let (a, b) = (a.trim(), b.trim());
        let unit_of = |t: &str| {
            if t.ends_with('m') {
                Some('m')
            } else if t.ends_with('a') || t.ends_with('y') {
                Some('y')
            } else {
                None
            }
        };
        let number = |t: &str| t.trim_end_matches(['m', 'a', 'y']).trim().parse::<u16>().ok();
        let unit_b = unit_of(b).unwrap_or('y');
        let unit_a = unit_of(a).unwrap_or(unit_b);
        let (na, nb) = (number(a)?, number(b)?);
        let min = if unit_a == 'm' { na } else { na.checked_mul(12)? };
        let max = if unit_b == 'm' { nb } else { nb.checked_mul(12)?.checked_add(11)? };
        Some(AgeRange { min_months: min, max_months: max })
    }

    /// "3–10 anni", "0–24 mesi", "6 mesi – 4 anni".
    pub fn describe(&self, lang: Lang) -> String {
        let whole_years = self.min_months % 12 == 0 && self.max_months % 12 == 11;
        if whole_years {
            AgeWords::Range.fill(lang, &[("min", &(self.min_months / 12)), ("max", &(self.max_months / 12))])
        } else {
            format!("{} – {}", describe_bound(self.min_months, lang), describe_bound(self.max_months, lang))
        }
    }

    /// The range in the form `parse` reads back.
    pub fn to_input(&self) -> String {
        if self.min_months % 12 == 0 && self.max_months % 12 == 11 {
            format!("{}-{}", self.min_months / 12, self.max_months / 12)
        } else {
            format!("{}m-{}m", self.min_months, self.max_months)
        }
    }
}

catalogue!(
    /// Ages and ranges of age.
    AgeWords {
        Range => "{min}–{max} anni", "{min}–{max} years";
        Years => "{n} anni", "{n} years";
        Months => "{n} mesi", "{n} months";
    }
);

/// One bound of a range: "6 anni", "18 mesi".
pub fn describe_bound(months: u16, lang: Lang) -> String {
    if (months % 12 == 0 || months % 12 == 11) && months >= 24 {
        AgeWords::Years.fill(lang, &[("n", &(months / 12))])
    } else {
        AgeWords::Months.fill(lang, &[("n", &months)])
    }
}

/// A child's age as shown in the shared view: months under two years.
pub fn describe_age(age_months: u32, lang: Lang) -> String {
    if age_months < 24 {
        AgeWords::Months.fill(lang, &[("n", &age_months)])
    } else {
        AgeWords::Years.fill(lang, &[("n", &(age_months / 12))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_years_months_and_mixed_ranges() {
        assert_eq!(AgeRange::parse("3-10"), Some(AgeRange { min_months: 36, max_months: 131 }));
        assert_eq!(AgeRange::parse("0-24m"), Some(AgeRange { min_months: 0, max_months: 24 }));
        assert_eq!(AgeRange::parse("6m-4"), Some(AgeRange { min_months: 6, max_months: 59 }));
        assert_eq!(AgeRange::parse("dieci"), None);
        let r = AgeRange::parse("3-10").unwrap();
        assert!(r.contains(131) && !r.contains(132) && !r.contains(35));
        assert_eq!(r.describe(Lang::It), "3–10 anni");
        assert_eq!(AgeRange::parse(&r.to_input()), Some(r));
    }

    #[test]
    fn ages_under_two_are_in_months() {
        assert_eq!(describe_age(7, Lang::It), "7 mesi");
        assert_eq!(describe_age(30, Lang::En), "2 years");
    }
}
