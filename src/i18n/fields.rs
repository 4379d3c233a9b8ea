//! Names of fields as operators know them.

use super::Lang;

/// (field path without indices, Italian, English)
const FIELDS: &[(&str, &str, &str)] = &[
    ("service", "servizio", "service"),
    ("referent", "referente", "referent"),
    ("user", "utente", "user"),
    ("display_name", "nome", "name"),
    ("role", "ruolo", "role"),
    ("name", "nome", "name"),
    ("kind", "tipo", "kind"),
    ("ambits", "ambiti", "ambits"),
    ("address", "indirizzo", "address"),
    ("phone", "telefono", "phone"),
    ("email", "e-mail", "e-mail"),
    ("notes", "note", "notes"),
    ("comuni", "comuni", "comuni"),
    ("districts.name", "nome del presidio", "district name"),
    ("districts.comuni", "comuni del presidio", "district comuni"),
    ("identity.adults", "adulti di riferimento", "reference adults"),
    ("identity.adults.name", "nome dell'adulto", "adult's name"),
    ("identity.adults.birth_year", "anno di nascita dell'adulto", "adult's birth year"),
    ("identity.address", "indirizzo", "address"),
    ("identity.phone", "telefono", "phone"),
    ("identity.email", "e-mail", "e-mail"),
    ("identity.given_name", "nome del minore", "child's given name"),
    ("identity.family_name", "cognome del minore", "child's family name"),
    ("identity.birth_date", "data di nascita", "birth date"),
    ("identity.fiscal_code", "codice fiscale", "fiscal code"),
    ("profile.comune", "comune", "comune"),
    ("profile.household.adults", "adulti nel nucleo", "adults in the household"),
    ("profile.household.children_birth_years", "anno di nascita dei figli", "children's birth year"),
    ("profile.household.pets", "animali", "pets"),
    ("profile.household.spare_rooms", "stanze libere", "spare rooms"),
    ("profile.kinds", "tipi di affido", "kinds of placement"),
    ("profile.ages", "fascia d'età", "age range"),
    ("profile.sex_preference", "preferenza di sesso", "sex preference"),
    ("profile.max_children", "massimo minori accolti", "maximum children"),
    ("profile.siblings_accepted", "fratelli accolti", "siblings accepted"),
    ("profile.special_needs_accepted", "bisogni speciali accolti", "special needs accepted"),
    ("profile.languages", "lingue", "languages"),
    ("profile.time_slots", "disponibilità di tempo", "time availability"),
    ("profile.max_distance_km", "distanza massima (km)", "maximum distance (km)"),
    ("profile.training_completed_on", "corso di formazione concluso il", "training completed on"),
    ("profile.status", "stato", "status"),
    ("profile.approved_on", "data di idoneità", "approval date"),
    ("profile.review_on", "data di revisione", "review date"),
    ("profile.confirmed_on", "disponibilità confermata il", "availability confirmed on"),
    ("profile.notes", "note", "notes"),
    ("placement.sex", "sesso", "sex"),
    ("placement.siblings", "fratelli", "siblings"),
    ("placement.kind", "tipo di affido", "kind of placement"),
    ("placement.legal", "consensuale/giudiziale", "consensual/judicial"),
    ("placement.legal.court", "tribunale", "court"),
    ("placement.legal.decree", "decreto", "decree"),
    ("placement.urgency", "urgenza", "urgency"),
    ("placement.desired_start", "inizio desiderato", "desired start"),
    ("placement.duration_months", "durata prevista (mesi)", "expected duration (months)"),
    ("placement.special_needs", "bisogni speciali", "special needs"),
    ("placement.languages", "lingue", "languages"),
    ("placement.cultural_notes", "note culturali/religiose", "cultural/religious notes"),
    ("placement.comune", "comune del minore", "child's comune"),
    ("placement.origin_comune", "comune della famiglia d'origine", "comune of the family of origin"),
    ("placement.contact", "rapporti con la famiglia d'origine", "contact with the family of origin"),
    ("placement.school_comune", "comune della scuola", "school comune"),
    ("placement.status", "stato", "status"),
    ("placement.closing_reason", "motivo di chiusura", "closing reason"),
    ("reason", "motivo", "reason"),
    ("placement.notes", "note", "notes"),
    ("note", "nota", "note"),
    ("plan.start", "inizio dell'affido", "start of the placement"),
    ("plan.expected_end", "fine prevista", "expected end"),
    ("plan.duration_months", "durata (mesi)", "duration (months)"),
    ("plan.contact", "incontri con la famiglia d'origine", "contact with the family of origin"),
    ("plan.contact_notes", "note sugli incontri", "notes on contact"),
    ("plan.review_dates", "verifica prevista", "planned review"),
    ("plan.commitments", "impegni", "commitments"),
    ("review.date", "data della verifica", "review date"),
    ("review.note", "esito della verifica", "review note"),
    ("closing.date", "data di chiusura", "closing date"),
    ("closing.note", "nota di chiusura", "closing note"),
    ("closing.by", "chi ha chiuso", "closed by"),
    ("reviews.note", "esito della verifica", "review note"),
    ("reviews.by", "chi ha fatto la verifica", "reviewed by"),
    ("steps.note", "nota del passaggio", "step's note"),
    ("steps.by", "autore del passaggio", "step's author"),
    ("series", "serie di numerazione", "numbering series"),
    ("query", "ricerca", "search"),
];

/// "fascia d'età" for `profile.ages`; indices are dropped (`identity.adults[1].name`).
pub fn field_label(field: &str, lang: Lang) -> String {
    let plain = strip_indices(field);
    let index = field.find('[').and_then(|i| field[i + 1..].split(']').next()).and_then(|n| n.parse::<usize>().ok());
    match FIELDS.iter().find(|(f, _, _)| *f == plain) {
        Some((_, it, en)) => match index {
            Some(i) => format!("{} n. {}", lang.pick(it, en), i + 1),
            None => lang.pick(it, en).to_string(),
        },
        None => field.to_string(),
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

/// An audit entry's fields as an operator reads them: field names in
/// words, or the reason an administrator gave (an emergency read) or the
/// store found (a quarantine).
pub fn audit_fields(entry: &crate::api::AuditEntry, lang: Lang) -> Vec<String> {
    use crate::api::AuditAction;
    match entry.action {
        AuditAction::EmergencyRead | AuditAction::Quarantine => {
            entry.fields.iter().map(|r| format!("{} {r}", lang.pick("motivo:", "reason:"))).collect()
        }
        _ => entry.fields.iter().map(|f| field_label(f, lang)).collect(),
    }
}

#[cfg(test)]
pub(crate) fn all_fields() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|(f, _, _)| *f)
}
