//! Every Italian comune (ISTAT list after the 2024 mergers), embedded in the
//! binary so that addresses and distances work offline.
//!
//! Operators type comune names in every possible way, so lookups go through
//! [`normalize`] and [`Comuni::resolve`], never through exact string matches.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::sync::OnceLock;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The embedded data set; see `data/README.md` for sources and licences.
const EMBEDDED_CSV: &str = include_str!("../../data/comuni.csv");

/// Column order expected in the CSV header.
const HEADER: [&str; 9] = ["istat", "name", "province", "region", "cadastral", "lat", "lon", "population", "cap"];

/// Mean Earth radius (IUGG), in km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// How many suggestions a failed lookup offers at most.
const MAX_SUGGESTIONS: usize = 5;

/// ISTAT code of a comune (6 digits, the first three being the province).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComuneCode(u32);

impl ComuneCode {
    /// Parses exactly six ASCII digits (surrounding spaces are ignored).
    pub fn parse(s: &str) -> Option<ComuneCode> {
        let s = s.trim();
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok().map(ComuneCode)
        } else {
            None
        }
    }

    pub fn as_u32(self) -> u32 {
        self.0
    }

    /// No range check: meant for codes coming from trusted storage.
    pub fn from_u32(n: u32) -> ComuneCode {
        ComuneCode(n)
    }
}

impl fmt::Display for ComuneCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

/// Human-readable formats keep the leading zeros people recognise ("016091");
/// binary formats store the plain number.
impl Serialize for ComuneCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            serializer.serialize_u32(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for ComuneCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;

        impl de::Visitor<'_> for CodeVisitor {
            type Value = ComuneCode;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 6-digit ISTAT comune code")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ComuneCode, E> {
                ComuneCode::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ComuneCode, E> {
                match u32::try_from(v) {
                    Ok(n) if n <= 999_999 => Ok(ComuneCode(n)),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
        }

        if deserializer.is_human_readable() {
            deserializer.deserialize_str(CodeVisitor)
        } else {
            deserializer.deserialize_u32(CodeVisitor)
        }
    }
}

/// WGS84 coordinates of a comune's seat, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coords {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comune {
    pub code: ComuneCode,
    pub name: String,
    /// Province sigla, e.g. "BG".
    pub province: String,
    pub region: String,
    /// Codice catastale (Belfiore), as used in fiscal codes, e.g. "D245".
    pub cadastral: String,
    /// None for comuni born of recent mergers: distances to them are unknown.
    pub coords: Option<Coords>,
    pub population: Option<u32>,
    /// Postal codes (CAP).
    pub caps: Vec<String>,
}

impl Comune {
    /// "Osio Sotto (BG)": the form shown to operators and used in suggestions.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.province)
    }
}

/// A set of comuni with lookup indexes built once.
pub struct Comuni {
    /// Sorted by code, so lookup by code is a binary search.
    list: Vec<Comune>,
    /// `normalize(name)` of each comune, parallel to `list`, for suggestions.
    keys: Vec<String>,
    /// Normalized name, and each part of a bilingual name, to indexes in `list`.
    by_name: HashMap<String, Vec<usize>>,
    /// Lower-case province siglas, to recognise "Calliano TN".
    provinces: HashSet<String>,
    /// Codice catastale to index in `list`, for fiscal codes.
    by_cadastral: HashMap<String, usize>,
}

impl fmt::Debug for Comuni {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Comuni").field("len", &self.list.len()).finish_non_exhaustive()
    }
}

impl Comuni {
    /// The embedded data, parsed on first use.
    ///
    /// # Panics
    /// Only if the embedded file is broken, which the tests rule out.
    pub fn embedded() -> &'static Comuni {
        static EMBEDDED: OnceLock<Comuni> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            let list =
                parse_rows(EMBEDDED_CSV.as_bytes()).unwrap_or_else(|e| panic!("embedded comuni.csv is broken: {e}"));
            Comuni::from_list(list)
        })
    }

    /// "Dalmine (BG)" for a code of the embedded data, without building
    /// `embedded()`'s indexes (a command that prints a few rows starts in
    /// microseconds, not the 15 ms those take). The embedded file has no
    /// quoted fields, so its rows split on commas (a test checks it).
    pub fn embedded_label(code: ComuneCode) -> Option<String> {
        static ROWS: OnceLock<Vec<(ComuneCode, &'static str)>> = OnceLock::new();
        let rows = ROWS.get_or_init(|| {
            let mut rows: Vec<_> = EMBEDDED_CSV
                .lines()
                .skip(1)
                .filter_map(|line| Some((ComuneCode::parse(line.get(..6)?)?, line)))
                .collect();
            rows.sort_by_key(|r| r.0);
            rows
        });
        let line = rows.binary_search_by_key(&code, |r| r.0).ok().map(|i| rows[i].1)?;
        let mut fields = line.split(',').skip(1);
        Some(format!("{} ({})", fields.next()?, fields.next()?))
    }

    /// Reads a CSV with the same columns as `data/comuni.csv`.
    pub fn from_csv<R: Read>(r: R) -> Result<Comuni, ComuniDataError> {
        parse_rows(r).map(Comuni::from_list)
    }

    /// Builds the indexes; `list` must hold unique codes.
    fn from_list(mut list: Vec<Comune>) -> Comuni {
        list.sort_by_key(|c| c.code);
        let keys: Vec<String> = list.iter().map(|c| normalize(&c.name)).collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in list.iter().enumerate() {
            // Each part of a bilingual name ("Bolzano/Bozen") is an alias.
            let aliases = std::iter::once(keys[i].clone()).chain(c.name.split('/').map(normalize));
            for key in aliases.filter(|k| !k.is_empty()) {
                let entry = by_name.entry(key).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
            }
        }
        let provinces = list.iter().map(|c| c.province.to_lowercase()).collect();
        let by_cadastral = list.iter().enumerate().map(|(i, c)| (c.cadastral.clone(), i)).collect();
        Comuni { list, keys, by_name, provinces, by_cadastral }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// In ISTAT code order.
    pub fn iter(&self) -> impl Iterator<Item = &Comune> {
        self.list.iter()
    }

    /// The comune whose codice catastale is `cadastral` ("D245").
    pub fn by_cadastral(&self, cadastral: &str) -> Option<&Comune> {
        self.by_cadastral.get(cadastral).map(|&i| &self.list[i])
    }

    pub fn get(&self, code: ComuneCode) -> Option<&Comune> {
        self.list.binary_search_by_key(&code, |c| c.code).ok().map(|i| &self.list[i])
    }

    /// The comuni named `key` exactly (`normalize`d, or one part of a bilingual name).
    pub fn named(&self, key: &str) -> impl Iterator<Item = ComuneCode> + '_ {
        self.by_name.get(key).into_iter().flatten().map(|&i| self.list[i].code)
    }

    /// Resolves what an operator typed: an ISTAT code ("016091"), a name in
    /// any case, with or without accents ("Cantu"), either part of a
    /// bilingual name ("Bozen"), optionally followed by the province to
    /// disambiguate ("Livo (CO)", "Livo CO", "Livo, TN").
    pub fn resolve(&self, query: &str) -> Result<&Comune, ComuneLookupError> {
        if let Some(code) = ComuneCode::parse(query) {
            return self.get(code).ok_or_else(|| ComuneLookupError::NotFound {
                query: query.trim().to_string(),
                suggestions: Vec::new(),
            });
        }
        // Parentheses only ever wrap the province: treat them as separators.
        let cleaned = query.replace(['(', ')'], " ");
        let key = normalize(&cleaned);
        if let Some(found) = self.by_name.get(&key) {
            return self.pick(query, &simplify(&cleaned, false), found);
        }
        // "Name PR": the last word is a province sigla.
        if let Some((name_key, prov)) = key.rsplit_once(' ') {
            if self.provinces.contains(prov) {
                let in_prov: Vec<usize> = self
                    .by_name
                    .get(name_key)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| self.list[i].province.eq_ignore_ascii_case(prov))
                    .collect();
                if !in_prov.is_empty() {
                    let typed = simplify(&cleaned, false);
                    let typed = typed.rsplit_once(' ').map_or("", |(name, _)| name);
                    return self.pick(query, typed, &in_prov);
                }
                return Err(self.not_found(query, name_key));
            }
        }
        Err(self.not_found(query, &key))
    }

    /// Chooses among comuni sharing a normalized name. An accented query
    /// ("Paternò") picks the comune spelled that way over its unaccented twin
    /// ("Paterno"); an unaccented one stays ambiguous, since operators often
    /// cannot type accents. `typed` is the name as typed, simplified but with
    /// its accents kept.
    fn pick(&self, query: &str, typed: &str, found: &[usize]) -> Result<&Comune, ComuneLookupError> {
        if let [only] = found {
            return Ok(&self.list[*only]);
        }
        if typed != normalize(typed) {
            let mut exact = found.iter().filter(|&&i| {
                let c = &self.list[i];
                simplify(&c.name, false) == typed || c.name.split('/').any(|p| simplify(p, false) == typed)
            });
            if let (Some(&i), None) = (exact.next(), exact.next()) {
                return Ok(&self.list[i]);
            }
        }
        let mut candidates: Vec<String> = found.iter().map(|&i| self.list[i].label()).collect();
        candidates.sort();
        Err(ComuneLookupError::Ambiguous { query: query.trim().to_string(), candidates })
    }

    /// Suggests comuni whose name starts with, then contains, the query.
    fn not_found(&self, query: &str, key: &str) -> ComuneLookupError {
        let mut suggestions = Vec::new();
        if !key.is_empty() {
            let mut prefixed: Vec<usize> = Vec::new();
            let mut containing: Vec<usize> = Vec::new();
            for (i, k) in self.keys.iter().enumerate() {
                if k.starts_with(key) {
                    prefixed.push(i);
                } else if k.contains(key) {
                    containing.push(i);
                }
            }
            let by_key = |a: &usize, b: &usize| self.keys[*a].cmp(&self.keys[*b]);
            prefixed.sort_by(by_key);
            containing.sort_by(by_key);
            suggestions =
                prefixed.into_iter().chain(containing).take(MAX_SUGGESTIONS).map(|i| self.list[i].label()).collect();
        }
        ComuneLookupError::NotFound { query: query.trim().to_string(), suggestions }
    }

    /// None if either comune is unknown or has no coordinates, never 0.
    pub fn distance_km(&self, a: ComuneCode, b: ComuneCode) -> Option<f64> {
        distance_km(self.get(a)?, self.get(b)?)
    }
}

/// Great-circle (haversine) distance between the seats of two comuni; None
/// when either lacks coordinates.
pub fn distance_km(a: &Comune, b: &Comune) -> Option<f64> {
    let (p, q) = (a.coords?, b.coords?);
    let (lat1, lat2) = (p.lat.to_radians(), q.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (q.lon - p.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    Some(2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin())
}

/// The key used for names everywhere in the product: lower case, accents
/// folded ("Cantù" → "cantu", "ß" → "ss"), apostrophes, hyphens, dots,
/// commas and slashes turned into spaces, spaces collapsed and trimmed.
pub fn normalize(s: &str) -> String {
    simplify(s, true)
}

/// [`normalize`], optionally keeping accents (to tell "Paternò" from "Paterno").
fn simplify(s: &str, fold_accents: bool) -> String {
    let lower = s.to_lowercase();
    let mut chars = String::with_capacity(lower.len());
    if fold_accents {
        for c in lower.nfd().filter(|c| !is_combining_mark(*c)) {
            match c {
                'ß' => chars.push_str("ss"),
                _ => chars.push(c),
            }
        }
    } else {
        chars.extend(lower.nfc());
    }
    let mut out = String::with_capacity(chars.len());
    let separator = |c: char| c.is_whitespace() || "'’‘`´-‐–—.,/".contains(c);
    for word in chars.split(separator).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComuneLookupError {
    #[error("no comune called \"{query}\"")]
    NotFound {
        query: String,
        /// Up to 5 labels "Name (PR)" of comuni whose name starts with or
        /// contains the query; may be empty.
        suggestions: Vec<String>,
    },
    #[error("\"{query}\" names more than one comune: give the province")]
    Ambiguous {
        query: String,
        /// Labels "Name (PR)", sorted.
        candidates: Vec<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ComuniDataError {
    /// `line` counts from 1 = the header, as in a text editor.
    #[error("comuni data, line {line}: {reason}")]
    Row { line: u64, reason: String },
    #[error("comuni data: {0}")]
    Csv(#[from] csv::Error),
}

/// Parses and checks every row; codes must be unique.
fn parse_rows<R: Read>(r: R) -> Result<Vec<Comune>, ComuniDataError> {
    let mut reader = csv::Reader::from_reader(r);
    let header = reader.headers()?;
    if !header.iter().eq(HEADER) {
        return Err(ComuniDataError::Row { line: 1, reason: format!("header must be {}", HEADER.join(",")) });
    }
    let mut list = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let comune = parse_row(&record).map_err(|reason| ComuniDataError::Row { line, reason })?;
        if !seen.insert(comune.code) {
            return Err(ComuniDataError::Row { line, reason: format!("duplicate ISTAT code {}", comune.code) });
        }
        list.push(comune);
    }
    Ok(list)
}

fn parse_row(record: &csv::StringRecord) -> Result<Comune, String> {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let code = ComuneCode::parse(field(0)).ok_or_else(|| format!("ISTAT code \"{}\" is not 6 digits", field(0)))?;
    let name = field(1);
    if name.is_empty() {
        return Err("empty name".into());
    }
    let province = field(2);
    if !(province.len() == 2 && province.bytes().all(|b| b.is_ascii_uppercase())) {
        return Err(format!("province \"{province}\" is not a 2-letter sigla"));
    }
    let region = field(3);
    if region.is_empty() {
        return Err("empty region".into());
    }
    let cadastral = field(4);
    let cb = cadastral.as_bytes();
    if !(cb.len() == 4 && cb[0].is_ascii_uppercase() && cb[1..].iter().all(u8::is_ascii_digit)) {
        return Err(format!("cadastral code \"{cadastral}\" is not a letter and 3 digits"));
    }
    let coords = match (field(5), field(6)) {
        ("", "") => None,
        (lat, lon) => {
            let lat: f64 = lat.parse().map_err(|_| format!("bad latitude \"{lat}\""))?;
            let lon: f64 = lon.parse().map_err(|_| format!("bad longitude \"{lon}\""))?;
            if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
                return Err(format!("coordinates {lat},{lon} out of range"));
            }
            Some(Coords { lat, lon })
        }
    };
    let population = match field(7) {
        "" => None,
        p => Some(p.parse().map_err(|_| format!("bad population \"{p}\""))?),
    };
    let caps: Vec<String> = match field(8) {
        "" => Vec::new(),
        caps => caps.split('|').map(|c| c.trim().to_string()).collect(),
    };
    if let Some(bad) = caps.iter().find(|c| !(c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()))) {
        return Err(format!("postal code \"{bad}\" is not 5 digits"));
    }
    Ok(Comune {
        code,
        name: name.to_string(),
        province: province.to_string(),
        region: region.to_string(),
        cadastral: cadastral.to_string(),
        coords,
        population,
        caps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comuni() -> &'static Comuni {
        Comuni::embedded()
    }

    fn code(s: &str) -> ComuneCode {
        ComuneCode::parse(s).expect("test code")
    }

    #[test]
    fn embedded_data_loads_every_comune() {
        assert_eq!(comuni().len(), 7896);
        assert!(!comuni().is_empty());
        let codes: Vec<ComuneCode> = comuni().iter().map(|c| c.code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        // Only the four comuni born of 2024–2025 mergers lack coordinates.
        assert_eq!(comuni().iter().filter(|c| c.coords.is_none()).count(), 4);
    }

    #[test]
    fn the_quick_label_is_the_parsed_one_for_every_comune() {
        for c in comuni().iter() {
            assert_eq!(Comuni::embedded_label(c.code), Some(c.label()));
        }
        assert_eq!(Comuni::embedded_label(code("999999")), None);
    }

    #[test]
    fn embedded_names_are_clean() {
        for c in comuni().iter() {
            assert!(!c.name.chars().any(|ch| ch.is_control() || ch == '?'), "{}", c.label());
        }
        assert_eq!(comuni().resolve("Duino Aurisina-Devin Nabrezina").map(|c| c.code), Ok(code("032001")));
    }

    #[test]
    fn dalmine_and_milano() {
        let dalmine = comuni().get(code("016091")).expect("Dalmine");
        assert_eq!(dalmine.name, "Dalmine");
        assert_eq!(dalmine.label(), "Dalmine (BG)");
        assert_eq!(dalmine.cadastral, "D245");
        assert_eq!(dalmine.caps, vec!["24044".to_string()]);
        let c = dalmine.coords.expect("coords");
        assert!((c.lat - 45.649).abs() < 0.001 && (c.lon - 9.606).abs() < 0.001);

        let milano = comuni().get(code("015146")).expect("Milano");
        assert_eq!(milano.name, "Milano");
        assert!(milano.caps.len() > 30);

        let d = comuni().distance_km(dalmine.code, milano.code).expect("km");
        assert!((d - 38.4).abs() < 0.3, "{d}");
        assert_eq!(comuni().distance_km(dalmine.code, dalmine.code), Some(0.0));
    }

    #[test]
    fn unknown_distance_is_none_not_zero() {
        let sovizzo = comuni().resolve("Sovizzo").expect("Sovizzo");
        assert!(sovizzo.coords.is_none());
        assert_eq!(comuni().distance_km(sovizzo.code, code("016091")), None);
        assert_eq!(comuni().distance_km(code("016091"), code("999999")), None);
        let dalmine = comuni().get(code("016091")).expect("Dalmine");
        assert_eq!(distance_km(sovizzo, dalmine), None);
    }

    #[test]
    fn resolves_names_loosely() {
        let r = |q: &str| comuni().resolve(q).map(|c| c.code.to_string());
        assert_eq!(r("osio sotto"), Ok("016153".into()));
        assert_eq!(r("  OSIO   SOTTO "), Ok("016153".into()));
        assert_eq!(r("016091"), Ok("016091".into()));
        assert_eq!(comuni().resolve("Cantu").map(|c| c.name.as_str()), Ok("Cantù"));
        let omobono = comuni().resolve("SANT'OMOBONO TERME").expect("Sant'Omobono");
        assert_eq!(omobono.name, "Sant'Omobono Terme");
        assert_eq!(r("Sant’Omobono Terme"), Ok(omobono.code.to_string()));
        assert_eq!(r("sant omobono-terme"), Ok(omobono.code.to_string()));
        // Bilingual names match either part.
        let bolzano = r("Bolzano/Bozen").expect("Bolzano");
        assert_eq!(r("bolzano"), Ok(bolzano.clone()));
        assert_eq!(r("Bozen"), Ok(bolzano));
        assert_eq!(r("Appiano sulla strada del vino"), r("eppan an der weinstrasse"));
    }

    #[test]
    fn partial_name_suggests() {
        match comuni().resolve("Osio") {
            Err(ComuneLookupError::NotFound { suggestions, .. }) => {
                assert!(suggestions.contains(&"Osio Sopra (BG)".to_string()));
                assert!(suggestions.contains(&"Osio Sotto (BG)".to_string()));
            }
            other => panic!("{other:?}"),
        }
        match comuni().resolve("   ") {
            Err(ComuneLookupError::NotFound { suggestions, .. }) => assert!(suggestions.is_empty()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(comuni().resolve("999999"), Err(ComuneLookupError::NotFound { .. })));
        let a = comuni().resolve("a");
        assert!(matches!(a, Err(ComuneLookupError::NotFound { suggestions, .. }) if suggestions.len() == 5));
    }

    #[test]
    fn shared_names_need_the_province() {
        match comuni().resolve("Livo") {
            Err(ComuneLookupError::Ambiguous { candidates, .. }) => {
                assert_eq!(candidates, vec!["Livo (CO)", "Livo (TN)"]);
            }
            other => panic!("{other:?}"),
        }
        let prov = |q: &str| comuni().resolve(q).map(|c| c.province.as_str());
        assert_eq!(prov("Livo (CO)"), Ok("CO"));
        assert_eq!(prov("livo tn"), Ok("TN"));
        assert_eq!(prov("Castro, LE"), Ok("LE"));
        assert_eq!(prov("San Teodoro (SS)"), Ok("SS"));
        assert_eq!(prov("Samone(TO)"), Ok("TO"));
        // Names ending in "Po" (also Prato's sigla) still resolve.
        assert_eq!(prov("Arena Po"), Ok("PV"));
        assert_eq!(prov("Arena Po (PV)"), Ok("PV"));
        // Wrong province: not found, but the right one is suggested.
        match comuni().resolve("Dalmine (MI)") {
            Err(ComuneLookupError::NotFound { suggestions, .. }) => {
                assert_eq!(suggestions, vec!["Dalmine (BG)"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accents_decide_between_twins() {
        assert!(matches!(comuni().resolve("Paterno"), Err(ComuneLookupError::Ambiguous { .. })));
        assert_eq!(comuni().resolve("Paternò").map(|c| c.province.as_str()), Ok("CT"));
        assert_eq!(comuni().resolve("Paterno PZ").map(|c| c.name.as_str()), Ok("Paterno"));
    }

    #[test]
    fn normalize_folds() {
        assert_eq!(normalize("  Sant’Omobono--Terme "), "sant omobono terme");
        assert_eq!(normalize("CANTÙ"), "cantu");
        assert_eq!(normalize("Bolzano/Bozen"), "bolzano bozen");
        assert_eq!(normalize("S. Maria, Capua"), "s maria capua");
        assert_eq!(normalize("Weinstraße"), "weinstrasse");
    }

    #[test]
    fn code_parse_and_display() {
        assert_eq!(ComuneCode::parse(" 016091 ").map(ComuneCode::as_u32), Some(16091));
        assert_eq!(ComuneCode::parse("16091"), None);
        assert_eq!(ComuneCode::parse("0160911"), None);
        assert_eq!(ComuneCode::parse("01609a"), None);
        assert_eq!(ComuneCode::parse("+16091"), None);
        assert_eq!(ComuneCode::from_u32(1001).to_string(), "001001");
    }

    #[test]
    fn code_serde() {
        let c = code("016091");
        let json = serde_json::to_string(&c).expect("json");
        assert_eq!(json, "\"016091\"");
        assert_eq!(serde_json::from_str::<ComuneCode>(&json).ok(), Some(c));
        assert!(serde_json::from_str::<ComuneCode>("\"16091\"").is_err());
        assert!(serde_json::from_str::<ComuneCode>("\"abcdef\"").is_err());

        let cfg = bincode::config::standard();
        let bytes = bincode::serde::encode_to_vec(c, cfg).expect("bincode");
        let (back, _): (ComuneCode, usize) = bincode::serde::decode_from_slice(&bytes, cfg).expect("bincode");
        assert_eq!(back, c);
        assert_eq!(bytes, bincode::serde::encode_to_vec(16091u32, cfg).expect("u32"));
    }

    #[test]
    fn csv_errors_give_the_line() {
        let head = HEADER.join(",");
        let ok = format!("{head}\n016091,Dalmine,BG,Lombardia,D245,45.6,9.6,23316,24044\n");
        assert_eq!(Comuni::from_csv(ok.as_bytes()).map(|c| c.len()).ok(), Some(1));

        let bad = format!("{ok}016092,X,BG,Lombardia,D245,45.6,,1,24044\n");
        match Comuni::from_csv(bad.as_bytes()) {
            Err(ComuniDataError::Row { line, reason }) => {
                assert_eq!(line, 3);
                assert!(reason.contains("longitude"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let dup = format!("{ok}016091,Dalmine,BG,Lombardia,D245,,,,\n");
        assert!(matches!(Comuni::from_csv(dup.as_bytes()), Err(ComuniDataError::Row { line: 3, .. })));
        let short = format!("{ok}016092,X\n");
        assert!(matches!(Comuni::from_csv(short.as_bytes()), Err(ComuniDataError::Csv(_))));
        assert!(matches!(Comuni::from_csv("a,b\n".as_bytes()), Err(ComuniDataError::Row { line: 1, .. })));
    }
}
