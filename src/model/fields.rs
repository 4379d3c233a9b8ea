//! The fields of records as validation names them: each path once, with
//! its label in each language and the CLI flag that sets it, so a problem
//! the core reports reads the same in the interface, the CLI's message and
//! its hint of which flag to correct.

use super::Lang;

/// A field's dotted path (without list indices), its names and its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPath {
    pub path: &'static str,
    pub it: &'static str,
    pub en: &'static str,
    /// The CLI flag, when it is not the path's last segment with dashes.
    flag: Option<&'static str>,
}

impl FieldPath {
    /// The field a problem's path names (`identity.adults[1].name` → `identity.adults.name`).
    pub fn of(path: &str) -> Option<&'static FieldPath> {
        let plain = strip_indices(path);
        FIELDS.iter().find(|f| f.path == plain)
    }

    /// Its label; `None` for a path that has a flag and no words of its own.
    pub fn label(&self, lang: Lang) -> Option<&'static str> {
        (!self.it.is_empty()).then(|| lang.pick(self.it, self.en))
    }

    /// The CLI flag (without dashes) that sets this field: `profile.ages` → `ages`.
    pub fn flag(&self) -> String {
        flag_of(self.path, self.flag)
    }
}

/// The CLI flag for any path, known or not: its last segment with dashes.
pub fn flag_for(path: &str) -> String {
    match FieldPath::of(path) {
        Some(f) => f.flag(),
        None => flag_of(&strip_indices(path), None),
    }
}

fn flag_of(plain: &str, special: Option<&'static str>) -> String {
    match special {
        Some(flag) => flag.to_string(),
        None => plain.rsplit('.').next().unwrap_or(plain).replace('_', "-"),
    }
}

/// `identity.adults[1].name` → `identity.adults.name`.
pub fn strip_indices(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut depth = 0;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every field a problem or a change names.
pub const FIELDS: &[FieldPath] = &[
    FieldPath { path: "service", it: "servizio", en: "service", flag: None },
    FieldPath { path: "referent", it: "referente", en: "referent", flag: None },
    FieldPath { path: "user", it: "utente", en: "user", flag: None },
    FieldPath { path: "display_name", it: "nome", en: "name", flag: Some("name") },
    FieldPath { path: "role", it: "ruolo", en: "role", flag: None },
    FieldPath { path: "name", it: "nome", en: "name", flag: None },
    FieldPath { path: "kind", it: "tipo", en: "kind", flag: None },
    FieldPath { path: "ambits", it: "ambiti", en: "ambits", flag: None },
    FieldPath { path: "address", it: "indirizzo", en: "address", flag: None },
    FieldPath { path: "phone", it: "telefono", en: "phone", flag: None },
    FieldPath { path: "email", it: "e-mail", en: "e-mail", flag: None },
    FieldPath { path: "notes", it: "note", en: "notes", flag: None },
    FieldPath { path: "comuni", it: "comuni", en: "comuni", flag: None },
    FieldPath { path: "districts.name", it: "nome del presidio", en: "district name", flag: Some("district") },
    FieldPath { path: "districts.comuni", it: "comuni del presidio", en: "district comuni", flag: Some("district") },
    FieldPath { path: "identity.adults", it: "adulti di riferimento", en: "reference adults", flag: Some("adult") },
    FieldPath { path: "identity.adults.name", it: "nome dell'adulto", en: "adult's name", flag: Some("adult") },
    FieldPath {
        path: "identity.adults.birth_year",
        it: "anno di nascita dell'adulto",
        en: "adult's birth year",
        flag: Some("adult"),
    },
    FieldPath { path: "identity.address", it: "indirizzo", en: "address", flag: None },
    FieldPath { path: "identity.phone", it: "telefono", en: "phone", flag: None },
    FieldPath { path: "identity.email", it: "e-mail", en: "e-mail", flag: None },
    FieldPath { path: "identity.given_name", it: "nome del minore", en: "child's given name", flag: None },
    FieldPath { path: "identity.family_name", it: "cognome del minore", en: "child's family name", flag: None },
    FieldPath { path: "identity.birth_date", it: "data di nascita", en: "birth date", flag: None },
    FieldPath { path: "identity.fiscal_code", it: "codice fiscale", en: "fiscal code", flag: None },
    FieldPath { path: "profile.comune", it: "comune", en: "comune", flag: None },
    FieldPath {
        path: "profile.household.adults",
        it: "adulti nel nucleo",
        en: "adults in the household",
        flag: Some("household-adults"),
    },
    FieldPath {
        path: "profile.household.children_birth_years",
        it: "anno di nascita dei figli",
        en: "children's birth year",
        flag: Some("children-born"),
    },
    FieldPath { path: "profile.household.pets", it: "animali", en: "pets", flag: None },
    FieldPath { path: "profile.household.spare_rooms", it: "stanze libere", en: "spare rooms", flag: None },
    FieldPath { path: "profile.kinds", it: "tipi di affido", en: "kinds of placement", flag: None },
    FieldPath { path: "profile.ages", it: "fascia d'età", en: "age range", flag: None },
    FieldPath { path: "profile.sex_preference", it: "preferenza di sesso", en: "sex preference", flag: None },
    FieldPath { path: "profile.max_children", it: "massimo minori accolti", en: "maximum children", flag: None },
    FieldPath {
        path: "profile.siblings_accepted",
        it: "fratelli accolti",
        en: "siblings accepted",
        flag: Some("accepts-siblings"),
    },
    FieldPath {
        path: "profile.special_needs_accepted",
        it: "bisogni speciali accolti",
        en: "special needs accepted",
        flag: Some("special-needs"),
    },
    FieldPath { path: "profile.languages", it: "lingue", en: "languages", flag: None },
    FieldPath {
        path: "profile.time_slots", it: "disponibilità di tempo", en: "time availability", flag: Some("time")
    },
    FieldPath {
        path: "profile.max_distance_km",
        it: "distanza massima (km)",
        en: "maximum distance (km)",
        flag: Some("max-distance"),
    },
    FieldPath {
        path: "profile.training_completed_on",
        it: "corso di formazione concluso il",
        en: "training completed on",
        flag: Some("training-completed"),
    },
    FieldPath { path: "profile.status", it: "stato", en: "status", flag: None },
    FieldPath { path: "profile.approved_on", it: "data di idoneità", en: "approval date", flag: None },
    FieldPath { path: "profile.review_on", it: "data di revisione", en: "review date", flag: None },
    FieldPath {
        path: "profile.confirmed_on",
        it: "disponibilità confermata il",
        en: "availability confirmed on",
        flag: None,
    },
    FieldPath { path: "profile.notes", it: "note", en: "notes", flag: None },
    FieldPath { path: "closing.outcome", it: "esito", en: "outcome", flag: None },
    FieldPath { path: "placement.sex", it: "sesso", en: "sex", flag: None },
    FieldPath { path: "placement.siblings", it: "fratelli", en: "siblings", flag: None },
    FieldPath { path: "placement.kind", it: "tipo di affido", en: "kind of placement", flag: None },
    FieldPath { path: "placement.legal", it: "consensuale/giudiziale", en: "consensual/judicial", flag: None },
    FieldPath { path: "placement.legal.court", it: "tribunale", en: "court", flag: None },
    FieldPath { path: "placement.legal.decree", it: "decreto", en: "decree", flag: None },
    FieldPath { path: "placement.urgency", it: "urgenza", en: "urgency", flag: Some("emergency-by") },
    FieldPath { path: "placement.desired_start", it: "inizio desiderato", en: "desired start", flag: None },
    FieldPath {
        path: "placement.duration_months",
        it: "durata prevista (mesi)",
        en: "expected duration (months)",
        flag: None,
    },
    FieldPath { path: "placement.special_needs", it: "bisogni speciali", en: "special needs", flag: None },
    FieldPath { path: "placement.languages", it: "lingue", en: "languages", flag: None },
    FieldPath {
        path: "placement.cultural_notes",
        it: "note culturali/religiose",
        en: "cultural/religious notes",
        flag: None,
    },
    FieldPath { path: "placement.comune", it: "comune del minore", en: "child's comune", flag: None },
    FieldPath {
        path: "placement.origin_comune",
        it: "comune della famiglia d'origine",
        en: "comune of the family of origin",
        flag: None,
    },
    FieldPath {
        path: "placement.contact",
        it: "rapporti con la famiglia d'origine",
        en: "contact with the family of origin",
        flag: Some("contact"),
    },
    FieldPath { path: "placement.school_comune", it: "comune della scuola", en: "school comune", flag: None },
    FieldPath { path: "placement.status", it: "stato", en: "status", flag: None },
    FieldPath { path: "placement.closing_reason", it: "motivo di chiusura", en: "closing reason", flag: None },
    FieldPath { path: "reason", it: "motivo", en: "reason", flag: Some("emergency") },
    FieldPath { path: "placement.notes", it: "note", en: "notes", flag: None },
    FieldPath { path: "note", it: "nota", en: "note", flag: None },
    FieldPath { path: "plan.start", it: "inizio dell'affido", en: "start of the placement", flag: None },
    FieldPath { path: "plan.expected_end", it: "fine prevista", en: "expected end", flag: None },
    FieldPath { path: "plan.duration_months", it: "durata (mesi)", en: "duration (months)", flag: None },
    FieldPath {
        path: "plan.contact",
        it: "incontri con la famiglia d'origine",
        en: "contact with the family of origin",
        flag: Some("contact"),
    },
    FieldPath { path: "plan.contact_notes", it: "note sugli incontri", en: "notes on contact", flag: None },
    FieldPath { path: "plan.review_dates", it: "verifica prevista", en: "planned review", flag: Some("review-on") },
    FieldPath { path: "plan.commitments", it: "impegni", en: "commitments", flag: None },
    FieldPath { path: "review.date", it: "data della verifica", en: "review date", flag: None },
    FieldPath { path: "review.note", it: "esito della verifica", en: "review note", flag: None },
    FieldPath { path: "closing.date", it: "data di chiusura", en: "closing date", flag: None },
    FieldPath { path: "closing.note", it: "nota di chiusura", en: "closing note", flag: None },
    FieldPath { path: "closing.by", it: "chi ha chiuso", en: "closed by", flag: None },
    FieldPath { path: "reviews.note", it: "esito della verifica", en: "review note", flag: None },
    FieldPath { path: "reviews.by", it: "chi ha fatto la verifica", en: "reviewed by", flag: None },
    FieldPath { path: "steps.note", it: "nota del passaggio", en: "step's note", flag: None },
    FieldPath { path: "steps.by", it: "autore del passaggio", en: "step's author", flag: None },
    FieldPath { path: "series", it: "serie di numerazione", en: "numbering series", flag: None },
    FieldPath { path: "query", it: "ricerca", en: "search", flag: None },
    FieldPath { path: "identity", it: "", en: "", flag: Some("adult") },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_has_its_words_and_its_flag() {
        let f = FieldPath::of("profile.max_children").unwrap();
        assert_eq!(f.label(Lang::It), Some("massimo minori accolti"));
        assert_eq!(f.flag(), "max-children");
        assert_eq!(flag_for("profile.siblings_accepted"), "accepts-siblings");
        assert_eq!(flag_for("identity.adults[2].birth_year"), "adult");
        assert_eq!(flag_for("something.unknown_here"), "unknown-here");
        assert_eq!(FieldPath::of("identity.adults[1].name").unwrap().label(Lang::En), Some("adult's name"));
    }

    #[test]
    fn each_path_is_named_once() {
        let paths: std::collections::BTreeSet<&str> = FIELDS.iter().map(|f| f.path).collect();
        assert_eq!(paths.len(), FIELDS.len());
    }
}
