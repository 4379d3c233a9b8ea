//! The languages a child or a family speaks: a closed vocabulary, so that
//! "arabic", "Arabo" and "arabo marocchino" are one language to matching,
//! and a slip ("arabbo") is refused with the closest names instead of
//! being stored as a language nobody else speaks.
//!
//! Each language has its canonical Italian name (lower case, what records
//! store), its English name and the other names a social worker types:
//! other spellings, the language's own name, and varieties. A variety is an
//! alias only where placing a child who speaks it with a family that
//! speaks the language is right (Moroccan Arabic → arabo, Dari → persiano,
//! Moldovan → rumeno); languages that are not mutually intelligible stay
//! apart even when people group them (Cantonese and Wenzhounese are not
//! cinese, which here means Mandarin; Kabyle, Tashelhit and Tarifit are not
//! one "berbero"; Sorani and Kurmanji are not one "curdo"; serbo, croato,
//! bosniaco and montenegrino stay four, as their speakers name them).
//! A nationality ("marocchino") is not a language and is not an alias:
//! its refusal suggests the languages people of that country speak.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fields::Field;
use super::fold::fold_char;
use super::limits::{MAX_LANGUAGE, MAX_LANGUAGES};
use super::problem::{Problems, Reason};
use super::Lang;

/// One language of the vocabulary: a handle on its row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(u8);

struct Row {
    name: &'static str,
    english: &'static str,
    aliases: &'static [&'static str],
}

const fn row(name: &'static str, english: &'static str, aliases: &'static [&'static str]) -> Row {
    Row { name, english, aliases }
}

/// Italian first, then the languages of the families and children foster
/// services in Lombardy meet, grouped roughly by where they are spoken.
/// Append freely; a name once stored in records must stay a name or alias.
const TABLE: &[Row] = &[
    row("italiano", "Italian", &[]),
    row(
        "lingua dei segni italiana",
        "Italian Sign Language",
        &["lis", "lingua italiana dei segni", "lingua dei segni"],
    ),
    // Europe
    row("inglese", "English", &[]),
    row("francese", "French", &["français"]),
    row("spagnolo", "Spanish", &["castigliano", "castellano", "español"]),
    row("portoghese", "Portuguese", &["português", "portoghese brasiliano", "brazilian portuguese"]),
    row("tedesco", "German", &["deutsch"]),
    row("olandese", "Dutch", &["neerlandese", "nederlands", "fiammingo", "flemish"]),
    row("svedese", "Swedish", &[]),
    row("danese", "Danish", &[]),
    row("norvegese", "Norwegian", &[]),
    row("finlandese", "Finnish", &[]),
    row("greco", "Greek", &["greco moderno", "modern greek"]),
    row("maltese", "Maltese", &[]),
    // Moldovan is Romanian by another name (Moldova itself says so since 2023).
    row("rumeno", "Romanian", &["romeno", "moldavo", "moldovan", "română"]),
    row("albanese", "Albanian", &["shqip"]),
    row("ucraino", "Ukrainian", &[]),
    row("russo", "Russian", &[]),
    row("bielorusso", "Belarusian", &[]),
    row("polacco", "Polish", &["polski"]),
    row("ceco", "Czech", &[]),
    row("slovacco", "Slovak", &[]),
    row("ungherese", "Hungarian", &["magiaro", "magyar"]),
    row("sloveno", "Slovenian", &["slovene"]),
    row("lituano", "Lithuanian", &[]),
    row("lettone", "Latvian", &[]),
    row("estone", "Estonian", &[]),
    row("serbo", "Serbian", &[]),
    row("croato", "Croatian", &[]),
    row("bosniaco", "Bosnian", &[]),
    row("montenegrino", "Montenegrin", &[]),
    row("macedone", "Macedonian", &[]),
    row("bulgaro", "Bulgarian", &[]),
    row("romanes", "Romani", &["romanì", "romani", "lingua romanì"]),
    // The Sinti's own Romani, far from the Balkan varieties.
    row("sinto", "Sinti Romani", &["sinti", "sintitikes", "sintikes"]),
    // Caucasus, Middle East, Central Asia
    row("georgiano", "Georgian", &[]),
    row("armeno", "Armenian", &[]),
    row("turco", "Turkish", &[]),
    row("curdo", "Kurdish", &["kurdo"]),
    row("kurmanji", "Kurmanji Kurdish", &["curdo kurmanji"]),
    row("sorani", "Sorani Kurdish", &["curdo sorani", "central kurdish"]),
    row("ebraico", "Hebrew", &[]),
    // Dari and Hazaragi are Persian as spoken in Afghanistan: understood both ways.
    row("persiano", "Persian", &["farsi", "parsi", "dari", "hazaragi"]),
    row("pashto", "Pashto", &["pashtu", "pushto", "pukhto"]),
    // Arabic and its spoken varieties: a child speaking one is placed well
    // with a family speaking Arabic.
    row(
        "arabo",
        "Arabic",
        &[
            "arabo marocchino",
            "moroccan arabic",
            "darija",
            "arabo algerino",
            "algerian arabic",
            "arabo tunisino",
            "tunisian arabic",
            "arabo libico",
            "libyan arabic",
            "arabo egiziano",
            "egyptian arabic",
            "arabo sudanese",
            "sudanese arabic",
            "arabo siriano",
            "syrian arabic",
            "arabo levantino",
            "levantine arabic",
            "arabo iracheno",
            "iraqi arabic",
            "arabo classico",
            "arabo standard",
            "fusha",
        ],
    ),
    row("berbero", "Berber", &["tamazight", "amazigh", "berber"]),
    row("cabilo", "Kabyle", &["kabyle", "taqbaylit", "berbero cabilo"]),
    row("tashelhit", "Tashelhit", &["tachelhit", "shilha", "chleuh", "soussi"]),
    row("tarifit", "Tarifit", &["rifano", "riffian", "tarifiyt", "berbero rifano"]),
    // South Asia
    row("urdu", "Urdu", &[]),
    row("hindi", "Hindi", &[]),
    row("punjabi", "Punjabi", &["panjabi"]),
    row("bengalese", "Bengali", &["bangla"]),
    row("nepalese", "Nepali", &["nepali"]),
    row("gujarati", "Gujarati", &[]),
    row("tamil", "Tamil", &[]),
    row("malayalam", "Malayalam", &[]),
    row("singalese", "Sinhala", &["cingalese", "sinhalese", "singhalese"]),
    // East and South-East Asia. "cinese" is Mandarin, the standard language.
    row("cinese", "Chinese", &["mandarino", "cinese mandarino", "mandarin", "mandarin chinese", "putonghua"]),
    row("cantonese", "Cantonese", &["cinese cantonese", "yue"]),
    // Most Chinese families in Lombardy come from around Wenzhou; its Wu
    // speech is not understood by Mandarin speakers.
    row("wenzhounese", "Wenzhounese", &["wenzhouese", "dialetto di wenzhou"]),
    row("tagalog", "Tagalog", &["filippino", "filipino", "pilipino"]),
    row("cebuano", "Cebuano", &["sugbuanon"]),
    row("ilocano", "Ilocano", &["ilokano"]),
    row("vietnamita", "Vietnamese", &[]),
    row("thailandese", "Thai", &["tailandese"]),
    row("coreano", "Korean", &[]),
    row("giapponese", "Japanese", &[]),
    // Horn of Africa
    row("tigrino", "Tigrinya", &["tigrinya", "tigrigna"]),
    row("tigre", "Tigre", &["tigré"]),
    row("amarico", "Amharic", &["amharico", "amarigna", "amharigna"]),
    row("oromo", "Oromo", &["afaan oromoo", "oromiffa", "oromifa"]),
    row("somalo", "Somali", &["af soomaali", "soomaali"]),
    // West Africa
    row("wolof", "Wolof", &[]),
    row("serer", "Serer", &["sereer"]),
    row("jola", "Jola", &["diola", "jola fonyi"]),
    // Fula is one language across the Sahel under many names.
    row("fula", "Fula", &["peul", "peulh", "fulani", "fulbe", "fulfulde", "pulaar", "pular"]),
    row("mandinka", "Mandinka", &["mandingo", "mandinga", "mandinko"]),
    row("bambara", "Bambara", &["bamanankan"]),
    row("dioula", "Dyula", &["diula", "jula", "dyula"]),
    row("malinke", "Maninka", &["malinké", "maninka"]),
    row("soninke", "Soninke", &["soninké", "sarakolé", "serahule", "sarahule"]),
    row("susu", "Susu", &["soussou", "sosso"]),
    row("krio", "Krio", &[]),
    row("mende", "Mende", &[]),
    row("temne", "Temne", &[]),
    row("akan", "Akan", &["twi", "asante twi", "ashanti", "fante", "fanti"]),
    row("ewe", "Ewe", &[]),
    row("ga", "Ga", &[]),
    row("baoule", "Baoulé", &["baoulé", "baule"]),
    row("hausa", "Hausa", &[]),
    row("yoruba", "Yoruba", &[]),
    row("igbo", "Igbo", &["ibo"]),
    row("edo", "Edo", &["bini"]),
    row("esan", "Esan", &["ishan"]),
    row("pidgin nigeriano", "Nigerian Pidgin", &["pidgin", "naija", "pidgin english"]),
    // Central and East Africa
    row("lingala", "Lingala", &[]),
    row("kinyarwanda", "Kinyarwanda", &[]),
    row("swahili", "Swahili", &["kiswahili"]),
    // Latin America
    row("quechua", "Quechua", &["quichua"]),
];

/// A nationality is not a language, but the refusal of one suggests the
/// languages most people of that country in Italy speak (main ones first).
const NATIONALITIES: &[(&str, &[&str])] = &[
    ("marocchino", &["arabo", "berbero", "tashelhit", "tarifit"]),
    ("algerino", &["arabo", "cabilo", "francese"]),
    ("tunisino", &["arabo"]),
    ("egiziano", &["arabo"]),
    ("libico", &["arabo"]),
    ("sudanese", &["arabo"]),
    ("siriano", &["arabo", "curdo"]),
    ("iracheno", &["arabo", "sorani", "kurmanji"]),
    ("iraniano", &["persiano"]),
    ("afghano", &["persiano", "pashto"]),
    ("pakistano", &["urdu", "punjabi", "pashto"]),
    ("indiano", &["punjabi", "hindi", "malayalam", "tamil", "gujarati"]),
    ("bangladese", &["bengalese"]),
    ("srilankese", &["singalese", "tamil"]),
    ("eritreo", &["tigrino", "tigre", "arabo"]),
    ("etiope", &["amarico", "oromo", "tigrino"]),
    ("senegalese", &["wolof", "fula", "serer", "francese"]),
    ("gambiano", &["mandinka", "wolof", "fula", "soninke"]),
    ("maliano", &["bambara", "fula", "soninke", "francese"]),
    ("guineano", &["fula", "malinke", "susu", "francese"]),
    ("ivoriano", &["francese", "dioula", "baoule"]),
    ("ghanese", &["akan", "ewe", "ga", "inglese"]),
    ("nigeriano", &["pidgin nigeriano", "edo", "igbo", "yoruba", "hausa"]),
    ("sierraleonese", &["krio", "mende", "temne"]),
    ("camerunense", &["francese", "inglese"]),
    ("congolese", &["lingala", "francese", "swahili"]),
    ("kosovaro", &["albanese", "serbo"]),
    ("peruviano", &["spagnolo", "quechua"]),
    ("ecuadoriano", &["spagnolo"]),
    ("brasiliano", &["portoghese"]),
];

// A `Language` is a `u8` index into the table.
const _: () = assert!(TABLE.len() <= u8::MAX as usize);

impl Language {
    /// Every language of the vocabulary, Italian first.
    pub fn all() -> impl ExactSizeIterator<Item = Language> + Clone {
        (0..TABLE.len()).map(|i| Language(i as u8))
    }

    fn row(self) -> &'static Row {
        &TABLE[self.0 as usize]
    }

    /// The canonical Italian name, lower case: what records store.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// Its English name.
    pub fn english(self) -> &'static str {
        self.row().english
    }

    /// Other names it is known by.
    pub fn aliases(self) -> &'static [&'static str] {
        self.row().aliases
    }

    /// Its name for a reader of `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::It => self.name(),
            Lang::En => self.english(),
        }
    }
}

/// Stored languages as a reader of `lang` names them ("arabo, inglese"
/// reads "Arabic, English" in English); a name outside the vocabulary
/// (kept from before it) as stored.
pub fn labels(stored: &[String], lang: Lang) -> String {
    let names: Vec<&str> = stored.iter().map(|l| canonical(l).map_or(l.as_str(), |c| c.label(lang))).collect();
    names.join(", ")
}

/// The language `input` names: an Italian or English name or an alias, in
/// any case, with or without accents, spaces, hyphens or apostrophes;
/// "lingua araba" and "araba" name arabo too.
pub fn canonical(input: &str) -> Option<Language> {
    let keys = keys();
    let key = key_of(input);
    if let Some(l) = keys.get(&key) {
        return Some(*l);
    }
    let bare = without_lingua(&key);
    if let Some(l) = keys.get(bare) {
        return Some(*l);
    }
    // The feminine of an adjective ("araba", "russa", "tedesca").
    let masculine = bare.strip_suffix('a').map(|stem| format!("{stem}o"))?;
    keys.get(&masculine).copied()
}

/// A stored language as matching should compare it: its canonical name
/// when the vocabulary knows it, else the text as stored (lower case,
/// trimmed), so that records written before the vocabulary still compare.
pub fn canonical_name(stored: &str) -> std::borrow::Cow<'_, str> {
    match canonical(stored) {
        Some(l) => std::borrow::Cow::Borrowed(l.name()),
        None => std::borrow::Cow::Owned(stored.trim().to_lowercase()),
    }
}

/// Are two language texts the same to the vocabulary (or, outside it, the
/// same once folded)? How an edit recognises a stored value sent back.
pub fn same(a: &str, b: &str) -> bool {
    key_of(a) == key_of(b)
}

/// The closest few languages to an unknown `input`, best first: for a
/// nationality its languages; else names it begins or is part of, then
/// names within a letter or two of it.
pub fn suggestions(input: &str) -> Vec<Language> {
    const MAX: usize = 3;
    let key = key_of(input);
    let given = without_lingua(&key);
    let len = given.chars().count();
    if len == 0 {
        return Vec::new();
    }
    let masculine = given.strip_suffix('a').map(|stem| format!("{stem}o"));
    if let Some((_, spoken)) = NATIONALITIES.iter().find(|(n, _)| *n == given || masculine.as_deref() == Some(*n)) {
        return spoken.iter().filter_map(|l| canonical(l)).collect();
    }
    // Edits forgiven: one in a short word, two from 6 letters, three from 10.
    let allowed = match len {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    };
    let mut best: HashMap<Language, (u8, usize)> = HashMap::new();
    for (k, l) in keys() {
        let rank = if len >= 3 && k.starts_with(given) {
            Some((0, k.len() - given.len()))
        } else if len >= 4 && k.contains(given) {
            Some((1, k.len() - given.len()))
        } else if k.len() >= 5 && given.contains(k.as_str()) {
            // "serbo-croato": serbo, croato.
            Some((1, given.len() - k.len()))
        } else {
            let d = edit_distance(given, k);
            (d <= allowed).then_some((2, d))
        };
        if let Some(rank) = rank {
            let e = best.entry(*l).or_insert(rank);
            *e = (*e).min(rank);
        }
    }
    let mut out: Vec<(Language, (u8, usize))> = best.into_iter().collect();
    out.sort_by_key(|(l, rank)| (*rank, *l));
    // Only as good as the best, or one edit worse: "cingalesse" is singalese, not inglese.
    let Some(&(_, (kind, edits))) = out.first() else { return Vec::new() };
    out.into_iter()
        .take_while(|(_, rank)| rank.0 == kind && (kind < 2 || rank.1 <= edits + 1))
        .take(MAX)
        .map(|(l, _)| l)
        .collect()
}

/// Checks a record's list of languages (`field`): at most `MAX_LANGUAGES`,
/// each visible plain text of at most `MAX_LANGUAGE` characters and, when
/// it is, a language of the vocabulary or one already on the record
/// (`stored`, see `refusal`).
pub fn check_list(p: &mut Problems, field: Field, languages: &[String], stored: &[String]) {
    p.limit_count(field, languages.len(), MAX_LANGUAGES);
    for (i, l) in languages.iter().enumerate().take(MAX_LANGUAGES) {
        let found = p.as_slice().len();
        p.require_text(field.at(i), l, MAX_LANGUAGE);
        if p.as_slice().len() == found {
            if let Some(reason) = refusal(l, stored) {
                p.push(field.at(i), reason);
            }
        }
    }
}

/// Why `given`, one language of a record's list, is refused: unknown to
/// the vocabulary and not already on the record (`before`: what the record
/// held). A language stored before the vocabulary existed stays as it is
/// when the record is saved again, so fixing another field never forces a
/// decision about it; a new or changed one must be known.
pub fn refusal(given: &str, before: &[String]) -> Option<Reason> {
    if canonical(given).is_some() || before.iter().any(|b| same(b, given)) {
        return None;
    }
    Some(Reason::UnknownLanguage {
        given: given.trim().to_string(),
        suggestions: suggestions(given).into_iter().map(|l| l.name().to_string()).collect(),
    })
}

/// A list of languages as records store them: canonical names where the
/// vocabulary knows them (an older free text stays as typed, lower case),
/// trimmed, without blanks or repeats.
pub fn normalized(languages: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in languages {
        let l = canonical_name(l).into_owned();
        if !l.is_empty() && !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// Every name and alias, folded, to its language.
fn keys() -> &'static HashMap<String, Language> {
    static KEYS: OnceLock<HashMap<String, Language>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = HashMap::new();
        for l in Language::all() {
            for name in [l.name(), l.english()].into_iter().chain(l.aliases().iter().copied()) {
                keys.insert(key_of(name), l);
            }
        }
        keys
    })
}

/// Lower case, accents off, only letters and digits: "Af-Soomaali" → "afsoomaali".
fn key_of(text: &str) -> String {
    text.chars().map(fold_char).filter(|c| c.is_alphanumeric()).collect()
}

/// "linguaaraba" → "araba"; the key itself when it is only "lingua".
fn without_lingua(key: &str) -> &str {
    match key.strip_prefix("lingua") {
        Some(rest) if !rest.is_empty() => rest,
        _ => key,
    }
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(input: &str) -> Option<&'static str> {
        canonical(input).map(Language::name)
    }

    #[test]
    fn names_aliases_and_spellings_find_the_canonical_name() {
        let table: &[(&str, &str)] = &[
            ("italiano", "italiano"),
            ("Italiano", "italiano"),
            ("  ITALIANO ", "italiano"),
            ("Italian", "italiano"),
            ("lingua italiana", "italiano"),
            ("arabo", "arabo"),
            ("Arabic", "arabo"),
            ("araba", "arabo"),
            ("lingua araba", "arabo"),
            ("arabo marocchino", "arabo"),
            ("Arabo-Marocchino", "arabo"),
            ("ARABO  marocchino", "arabo"),
            ("darija", "arabo"),
            ("Moroccan Arabic", "arabo"),
            ("arabo egiziano", "arabo"),
            ("arabo tunisino", "arabo"),
            ("romeno", "rumeno"),
            ("moldavo", "rumeno"),
            ("Romanian", "rumeno"),
            ("română", "rumeno"),
            ("romena", "rumeno"),
            ("Shqip", "albanese"),
            ("mandarino", "cinese"),
            ("Chinese", "cinese"),
            ("cantonese", "cantonese"),
            ("wenzhouese", "wenzhounese"),
            ("farsi", "persiano"),
            ("dari", "persiano"),
            ("Persian", "persiano"),
            ("pashtu", "pashto"),
            ("peul", "fula"),
            ("Pulaar", "fula"),
            ("fulfulde", "fula"),
            ("sarakolé", "soninke"),
            ("sarakole", "soninke"),
            ("Soninké", "soninke"),
            ("tigrigna", "tigrino"),
            ("Tigrinya", "tigrino"),
            ("tigre", "tigre"),
            ("amharic", "amarico"),
            ("af-soomaali", "somalo"),
            ("Somali", "somalo"),
            ("twi", "akan"),
            ("bini", "edo"),
            ("naija", "pidgin nigeriano"),
            ("Nigerian Pidgin", "pidgin nigeriano"),
            ("cingalese", "singalese"),
            ("Sinhala", "singalese"),
            ("bangla", "bengalese"),
            ("Bengali", "bengalese"),
            ("filippino", "tagalog"),
            ("amazigh", "berbero"),
            ("kabyle", "cabilo"),
            ("romanì", "romanes"),
            ("LIS", "lingua dei segni italiana"),
            ("lingua dei segni", "lingua dei segni italiana"),
            ("español", "spagnolo"),
            ("espanol", "spagnolo"),
            ("français", "francese"),
            ("Deutsch", "tedesco"),
            ("tedesca", "tedesco"),
            ("inglese", "inglese"),
            ("English", "inglese"),
            ("ukrainian", "ucraino"),
            ("serbo", "serbo"),
            ("croato", "croato"),
        ];
        for (input, expected) in table {
            assert_eq!(name(input), Some(*expected), "{input}");
        }
    }

    #[test]
    fn distinct_languages_stay_apart() {
        // Varieties one cannot place a child with as if they were the other.
        for (a, b) in [
            ("cinese", "cantonese"),
            ("cinese", "wenzhounese"),
            ("berbero", "cabilo"),
            ("curdo", "sorani"),
            ("serbo", "croato"),
            ("hindi", "urdu"),
            ("romanes", "rumeno"),
            ("tigre", "tigrino"),
            ("bambara", "dioula"),
        ] {
            assert_ne!(canonical(a), canonical(b), "{a} / {b}");
        }
        for unknown in ["klingon", "marocchino", "", "lingua", "dialetto", "ar"] {
            assert_eq!(name(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn every_name_and_alias_names_one_language_only() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for l in Language::all() {
            assert_eq!(l.name(), l.name().to_lowercase(), "canonical names are lower case");
            assert!(l.name().chars().count() <= super::super::limits::MAX_LANGUAGE);
            let mut own: Vec<String> =
                [l.name(), l.english()].into_iter().chain(l.aliases().iter().copied()).map(key_of).collect();
            own.sort();
            own.dedup();
            for k in own {
                if let Some(other) = seen.insert(k.clone(), l.name()) {
                    panic!("{k} names both {other} and {}", l.name());
                }
            }
        }
        assert_eq!(Language::all().next().map(Language::name), Some("italiano"));
    }

    #[test]
    fn an_unknown_name_gets_the_closest_languages() {
        let names = |input: &str| suggestions(input).into_iter().map(Language::name).collect::<Vec<_>>();
        assert_eq!(names("arabbo").first(), Some(&"arabo"));
        assert_eq!(names("rumenno").first(), Some(&"rumeno"));
        assert_eq!(names("albaneze").first(), Some(&"albanese"));
        assert_eq!(names("marocchino"), vec!["arabo", "berbero", "tashelhit", "tarifit"]);
        assert_eq!(names("Nigeriana"), vec!["pidgin nigeriano", "edo", "igbo", "yoruba", "hausa"]);
        assert_eq!(names("serbo-croato"), vec!["croato", "serbo"]);
        assert_eq!(names("cingalesse"), vec!["singalese"]);
        assert_eq!(names("bengal").first(), Some(&"bengalese"));
        assert!(names("ucrainao").contains(&"ucraino"));
        assert!(names("xq").is_empty());
        assert!(names("").is_empty());
        assert!(names("italianoo").len() <= 3);
    }

    #[test]
    fn a_nationality_is_no_language_and_suggests_real_ones() {
        for (nationality, spoken) in NATIONALITIES {
            assert_eq!(canonical(nationality), None, "{nationality} is not a language");
            for l in *spoken {
                assert_eq!(name(l), Some(*l), "{nationality}: {l} is a canonical name");
            }
        }
    }

    #[test]
    fn a_stored_text_compares_by_its_canonical_name() {
        assert_eq!(canonical_name("Arabic"), "arabo");
        assert_eq!(canonical_name(" Dialetto Bergamasco "), "dialetto bergamasco");
        assert!(same("Arabbo", "arabbo "));
        assert!(!same("arabo", "arabbo"));
    }

    #[test]
    fn only_a_new_unknown_language_is_refused() {
        assert_eq!(refusal("Arabic", &[]), None);
        assert_eq!(
            refusal(" arabbo ", &[]),
            Some(Reason::UnknownLanguage { given: "arabbo".into(), suggestions: vec!["arabo".into()] })
        );
        // Stored before the vocabulary, sent back unchanged: kept.
        assert_eq!(refusal("Arabbo", &["arabbo".to_string()]), None);
        assert_eq!(
            normalized(&["Arabic".into(), " arabo ".into(), "Dialetto bergamasco".into(), " ".into()]),
            vec!["arabo".to_string(), "dialetto bergamasco".to_string()]
        );
    }
}
