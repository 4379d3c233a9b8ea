//! Where a fiscal code says someone was born: its codice catastale names a
//! comune of today (`Comuni`), a comune since merged or renamed away
//! (`data/comuni_cessati.csv`), or a foreign state (`data/stati_esteri.csv`,
//! the `Z` codes). Both files come from the ANPR tables as shipped in the
//! PyPI package python-codicefiscale 0.12.1 (MIT); `data/README.md` says how.

use std::collections::HashMap;
use std::sync::OnceLock;

use time::Date;

use super::comune::Comuni;
use super::dates::parse_date;

const STATES_CSV: &str = include_str!("../../data/stati_esteri.csv");
const FORMER_COMUNI_CSV: &str = include_str!("../../data/comuni_cessati.csv");

/// A birthplace found by its codice catastale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Birthplace {
    /// A comune of today's table.
    Comune { name: String },
    /// A comune no longer in today's table: `ceased_on` is None when ANPR
    /// already lists it but the embedded comuni table does not yet.
    FormerComune { name: String, ceased_on: Option<Date> },
    /// A foreign state; `ceased_on` for states that no longer exist
    /// (Jugoslavia, Cecoslovacchia…).
    State { name: String, ceased_on: Option<Date> },
}

impl Birthplace {
    pub fn name(&self) -> &str {
        match self {
            Birthplace::Comune { name } | Birthplace::FormerComune { name, .. } | Birthplace::State { name, .. } => {
                name
            }
        }
    }

    /// The day it stopped being a place one could be born in, if it did.
    pub fn ceased_on(&self) -> Option<Date> {
        match self {
            Birthplace::Comune { .. } => None,
            Birthplace::FormerComune { ceased_on, .. } | Birthplace::State { ceased_on, .. } => *ceased_on,
        }
    }
}

/// A row of the embedded tables: name and the day it ceased.
struct Place {
    name: &'static str,
    ceased_on: Option<Date>,
}

/// Finds the place a codice catastale names (upper case, "Z100", "D245").
pub fn find(cadastral: &str, comuni: &Comuni) -> Option<Birthplace> {
    if let Some(c) = comuni.by_cadastral(cadastral) {
        return Some(Birthplace::Comune { name: c.label() });
    }
    if let Some(p) = states().get(cadastral) {
        return Some(Birthplace::State { name: p.name.to_string(), ceased_on: p.ceased_on });
    }
    former_comuni()
        .get(cadastral)
        .map(|p| Birthplace::FormerComune { name: p.name.to_string(), ceased_on: p.ceased_on })
}

fn states() -> &'static HashMap<&'static str, Place> {
    static STATES: OnceLock<HashMap<&'static str, Place>> = OnceLock::new();
    STATES.get_or_init(|| table(STATES_CSV, |f| (f[1], f[3])))
}

fn former_comuni() -> &'static HashMap<&'static str, Place> {
    static FORMER: OnceLock<HashMap<&'static str, Place>> = OnceLock::new();
    FORMER.get_or_init(|| table(FORMER_COMUNI_CSV, |f| (f[1], f[3])))
}

/// Reads `cadastral,name,…,ceased_on` rows; names with commas are quoted.
fn table(csv: &'static str, pick: fn(&[&'static str]) -> (&'static str, &'static str)) -> HashMap<&'static str, Place> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let fields = split_csv(line);
            if fields.len() < 4 {
                return None;
            }
            let (name, ceased) = pick(&fields);
            Some((fields[0], Place { name, ceased_on: parse_date(ceased) }))
        })
        .collect()
}

/// Splits one CSV line; a quoted field keeps its text without the quotes
/// (the embedded files have no doubled quotes inside a field).
fn split_csv(line: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let (field, tail) = match rest.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"').unwrap_or(quoted.len());
                (&quoted[..end], quoted.get(end + 1..).unwrap_or("").strip_prefix(','))
            }
            None => match rest.split_once(',') {
                Some((field, tail)) => (field, Some(tail)),
                None => (rest, None),
            },
        };
        out.push(field);
        match tail {
            Some(tail) => rest = tail,
            None => return out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn every_row_of_the_embedded_tables_is_read() {
        // The header aside: 222 states, 1 968 former comuni.
        assert_eq!(states().len(), STATES_CSV.lines().count() - 1);
        assert_eq!(former_comuni().len(), FORMER_COMUNI_CSV.lines().count() - 1);
        assert!(states().keys().all(|k| k.len() == 4 && k.starts_with('Z')));
    }

    #[test]
    fn states_comuni_and_former_comuni_are_found() {
        let comuni = Comuni::embedded();
        assert_eq!(find("Z100", comuni), Some(Birthplace::State { name: "Albania".into(), ceased_on: None }));
        assert_eq!(
            find("Z118", comuni),
            Some(Birthplace::State { name: "Jugoslavia".into(), ceased_on: Some(date!(2003 - 02 - 04)) })
        );
        assert_eq!(find("D245", comuni), Some(Birthplace::Comune { name: "Dalmine (BG)".into() }));
        assert_eq!(find("H501", comuni).map(|b| b.name().to_string()), Some("Roma (RM)".into()));
        assert_eq!(
            find("A002", comuni),
            Some(Birthplace::FormerComune {
                name: "Abbadia Sopra Adda".into(),
                ceased_on: Some(date!(1928 - 03 - 06))
            })
        );
        assert_eq!(find("Z999", comuni), None);
        assert_eq!(find("Q000", comuni), None);
    }

    #[test]
    fn quoted_fields_keep_their_commas() {
        assert_eq!(split_csv(r#"Z1,"Corea, Repubblica",Korea,"#), vec!["Z1", "Corea, Repubblica", "Korea", ""]);
        assert_eq!(split_csv("A,b,,"), vec!["A", "b", "", ""]);
    }
}
