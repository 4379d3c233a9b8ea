//! Human codes of records: `F-2026-0042` (family), `R-2026-0017` (need,
//! "richiesta"), `P-2026-0003` (proposal), `A-2026-0002` (placement, "affido"), `E-2026-0004` (a network event),
//! `S-003` (service). Stored as numbers so keys sort in
//! numeric order even past 9 999 a year.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::RecordKind;

/// A yearly numbered code: prefix, year and a sequence number within the year.
macro_rules! yearly_code {
    ($name:ident, $kind:expr) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name {
            pub year: u16,
            pub number: u32,
        }

        /// JSON (exports, `--json`) carries the code as operators write it,
        /// `"F-2026-0042"`; storage keeps the two numbers (same bytes as ever).
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    s.collect_str(self)
                } else {
                    YearNumber { year: self.year, number: self.number }.serialize(s)
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let YearNumber { year, number } = if d.is_human_readable() {
                    match TextOrNumbers::deserialize(d)? {
                        TextOrNumbers::Text(t) => {
                            let (year, number) = parse_yearly(&t, Self::PREFIX).ok_or_else(|| {
                                serde::de::Error::custom(format!("{t:?} is not a code like {}-2026-0001", Self::PREFIX))
                            })?;
                            YearNumber { year, number }
                        }
                        // Exports written before codes were text.
                        TextOrNumbers::Numbers(n) => n,
                    }
                } else {
                    YearNumber::deserialize(d)?
                };
                Ok($name { year, number })
            }
        }

        impl $name {
            pub const KIND: RecordKind = $kind;
            pub const PREFIX: char = $kind.code_prefix();

            pub fn new(year: u16, number: u32) -> $name {
                $name { year, number }
            }

            /// Parses `F-2026-0042`, case-insensitive, ignoring surrounding spaces.
            pub fn parse(s: &str) -> Option<$name> {
                let (year, number) = parse_yearly(s, Self::PREFIX)?;
                Some($name { year, number })
            }

            /// Storage key: big-endian year then number, so keys sort by code.
            pub fn key(&self) -> [u8; 6] {
                let mut k = [0u8; 6];
                k[..2].copy_from_slice(&self.year.to_be_bytes());
                k[2..].copy_from_slice(&self.number.to_be_bytes());
                k
            }

            pub fn from_key(k: &[u8]) -> Option<$name> {
                let year = u16::from_be_bytes(k.get(..2)?.try_into().ok()?);
                let number = u32::from_be_bytes(k.get(2..6)?.try_into().ok()?);
                Some($name { year, number })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}-{}-{:04}", Self::PREFIX, self.year, self.number)
            }
        }
    };
}

yearly_code!(FamilyCode, RecordKind::Family);
yearly_code!(NeedCode, RecordKind::Need);
yearly_code!(ProposalCode, RecordKind::Proposal);
yearly_code!(PlacementCode, RecordKind::Placement);
yearly_code!(EventCode, RecordKind::Event);

/// How yearly codes are stored (and were once written in JSON).
#[derive(Serialize, Deserialize)]
#[serde(rename = "Code")]
struct YearNumber {
    year: u16,
    number: u32,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TextOrNumbers {
    Text(String),
    Numbers(YearNumber),
}

fn parse_yearly(s: &str, prefix: char) -> Option<(u16, u32)> {
    let s = s.trim();
    let mut parts = s.split('-');
    let p = parts.next()?;
    if !p.eq_ignore_ascii_case(&prefix.to_string()) {
        return None;
    }
    let year = parts.next()?;
    let number = parts.next()?;
    if parts.next().is_some() || year.len() != 4 || number.len() < 4 {
        return None;
    }
    if !year.bytes().chain(number.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = number.parse().ok()?;
    (number > 0).then_some((year.parse().ok()?, number))
}

/// A service's code, `S-003`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceCode(pub u32);

/// `"S-003"` in JSON, the number in storage (as ever).
impl Serialize for ServiceCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_newtype_struct("ServiceCode", &self.0)
        }
    }
}

impl<'de> Deserialize<'de> for ServiceCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ServiceCode, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum TextOrNumber {
            Text(String),
            Number(u32),
        }
        #[derive(Deserialize)]
        #[serde(rename = "ServiceCode")]
        struct Stored(u32);
        if d.is_human_readable() {
            match TextOrNumber::deserialize(d)? {
                TextOrNumber::Text(t) => ServiceCode::parse(&t)
                    .ok_or_else(|| serde::de::Error::custom(format!("{t:?} is not a service code like S-001"))),
                TextOrNumber::Number(n) => Ok(ServiceCode(n)),
            }
        } else {
            Stored::deserialize(d).map(|Stored(n)| ServiceCode(n))
        }
    }
}

impl ServiceCode {
    pub const KIND: RecordKind = RecordKind::Service;
    pub const PREFIX: char = RecordKind::Service.code_prefix();

    pub fn parse(s: &str) -> Option<ServiceCode> {
        let s = s.trim();
        let mut chars = s.chars();
        let (letter, dash) = (chars.next()?, chars.next()?);
        if !letter.eq_ignore_ascii_case(&Self::PREFIX) || dash != '-' {
            return None;
        }
        let rest = chars.as_str();
        if rest.len() < 3 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = rest.parse().ok()?;
        (n > 0).then_some(ServiceCode(n))
    }

    pub fn key(&self) -> [u8; 4] {
        self.0.to_be_bytes()
    }

    pub fn from_key(k: &[u8]) -> Option<ServiceCode> {
        Some(ServiceCode(u32::from_be_bytes(k.get(..4)?.try_into().ok()?)))
    }
}

impl fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", Self::PREFIX, self.0)
    }
}

/// Any record an operator can name by its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordCode {
    Family(FamilyCode),
    Need(NeedCode),
    Service(ServiceCode),
    Proposal(ProposalCode),
    Placement(PlacementCode),
    Event(EventCode),
}

impl RecordCode {
    pub fn parse(s: &str) -> Option<RecordCode> {
        FamilyCode::parse(s)
            .map(RecordCode::Family)
            .or_else(|| NeedCode::parse(s).map(RecordCode::Need))
            .or_else(|| ServiceCode::parse(s).map(RecordCode::Service))
            .or_else(|| ProposalCode::parse(s).map(RecordCode::Proposal))
            .or_else(|| PlacementCode::parse(s).map(RecordCode::Placement))
            .or_else(|| EventCode::parse(s).map(RecordCode::Event))
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            RecordCode::Family(_) => RecordKind::Family,
            RecordCode::Need(_) => RecordKind::Need,
            RecordCode::Service(_) => RecordKind::Service,
            RecordCode::Proposal(_) => RecordKind::Proposal,
            RecordCode::Placement(_) => RecordKind::Placement,
            RecordCode::Event(_) => RecordKind::Event,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_and_parse_as_operators_read_them() {
        let f = FamilyCode::new(2026, 42);
        assert_eq!(f.to_string(), "F-2026-0042");
        assert_eq!(FamilyCode::parse(" f-2026-0042 "), Some(f));
        assert_eq!(NeedCode::new(2026, 12345).to_string(), "R-2026-12345");
        assert_eq!(ServiceCode::parse("S-003"), Some(ServiceCode(3)));
        assert_eq!(ServiceCode(3).to_string(), "S-003");
        assert_eq!(FamilyCode::parse("F-2026-42"), None, "four digits at least");
        assert_eq!(FamilyCode::parse("R-2026-0042"), None);
        assert_eq!(FamilyCode::parse("F-2026-0000"), None);
    }

    #[test]
    fn json_carries_codes_as_operators_write_them_and_reads_the_old_form_too() {
        let f = FamilyCode::new(2026, 42);
        assert_eq!(serde_json::to_string(&f).unwrap(), r#""F-2026-0042""#);
        assert_eq!(serde_json::from_str::<FamilyCode>(r#""F-2026-0042""#).unwrap(), f);
        assert_eq!(serde_json::from_str::<FamilyCode>(r#"{"year":2026,"number":42}"#).unwrap(), f);
        assert!(serde_json::from_str::<FamilyCode>(r#""R-2026-0042""#).is_err());
        assert_eq!(serde_json::to_string(&ServiceCode(3)).unwrap(), r#""S-003""#);
        assert_eq!(serde_json::from_str::<ServiceCode>("3").unwrap(), ServiceCode(3));
        assert_eq!(serde_json::from_str::<ServiceCode>(r#""S-003""#).unwrap(), ServiceCode(3));
    }

    #[test]
    fn keys_sort_in_numeric_order_past_four_digits() {
        assert!(FamilyCode::new(2026, 9999).key() < FamilyCode::new(2026, 10000).key());
        assert!(FamilyCode::new(2025, 99999).key() < FamilyCode::new(2026, 1).key());
        let c = NeedCode::new(2026, 17);
        assert_eq!(NeedCode::from_key(&c.key()), Some(c));
    }
}
