//! The fields of records as validation names them, declared once each in
//! the table below: its dotted path, its label in each language, the CLI
//! flag that sets it and whether its text may span lines. Validation names
//! a field by its typed `Field` (a misspelt name does not compile); a list's
//! item carries its index (`Field::AdultName.at(1)`), and prints as the
//! path the wire and the audit have always carried: `identity.adults[1].name`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::catalogue::{Catalogue, Entry};
use super::Lang;

/// Where a path says a list item's index goes: `identity.adults[].name`.
/// A path without it (`profile.languages`) is a list whose item is the
/// index at the end (`profile.languages[2]`).
const INDEX: &str = "[]";

/// Whether a field's text may span several lines (newline and tab allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Many,
}

/// What the table says of one field besides its labels (those are the
/// catalogue's: `Field::CATALOGUE`, `Field::label`).
struct Spec {
    path: &'static str,
    flag: Option<&'static str>,
    lines: Lines,
}

/// `-` in the flag column: no CLI flag sets this field (an import file's
/// part, a positional argument).
macro_rules! flag {
    (-) => {
        None
    };
    ($flag:literal) => {
        Some($flag)
    };
}

macro_rules! lines {
    () => {
        Lines::One
    };
    (multi_line) => {
        Lines::Many
    };
}

/// The one table: each row declares a `Field` variant with its path, its
/// Italian and English labels (a catalogue: `Field::CATALOGUE`), its flag,
/// and `multi_line` for notes.
macro_rules! fields {
    ($( $name:ident: $path:literal, $it:literal, $en:literal, $flag:tt $(, $lines:ident)?; )*) => {
        /// A field validation can name: one per row of the table in `model::fields`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field {
            $(
                #[doc = concat!("`", $path, "`: ", $en, ".")]
                $name,
            )*
        }

        impl Field {
            /// Every field, in the table's order.
            pub const ALL: &'static [Field] = &[$(Field::$name),*];

            /// The table's labels as a catalogue, for the completeness test
            /// (listed in `model::catalogue::CATALOGUES`).
            pub const CATALOGUE: Catalogue = Catalogue {
                name: concat!(module_path!(), "::Field"),
                entries: || vec![$(Entry { key: stringify!($name), it: $it, en: $en }),*],
            };

            fn spec(self) -> Spec {
                match self {
                    $(Field::$name => Spec {
                        path: $path,
                        flag: flag!($flag),
                        lines: lines!($($lines)?),
                    },)*
                }
            }

            /// Its label in `lang`: "fascia d'età" for `profile.ages`.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Field::$name, Lang::It) => $it,
                      (Field::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

fields! {
    // Any record: its code, as an audit entry may name it.
    Code: "code", "codice", "code", -;

    // Directory: services, operators, ambits.
    Service: "service", "servizio", "service", "service";
    Referent: "referent", "referente", "referent", "referent";
    User: "user", "utente", "user", -;
    DisplayName: "display_name", "nome", "name", "name";
    Role: "role", "ruolo", "role", "role";
    Name: "name", "nome", "name", "name";
    Kind: "kind", "tipo", "kind", "kind";
    Ambits: "ambits", "ambiti", "ambits", "ambits";
    Address: "address", "indirizzo", "address", "address";
    Phone: "phone", "telefono", "phone", "phone";
    Email: "email", "e-mail", "e-mail", "email";
    Notes: "notes", "note", "notes", "notes", multi_line;
    Active: "active", "attivo", "active", "active";
    OnCall: "on_call", "reperibilità", "on-call contact", -;
    OnCallName: "on_call.name", "nome del reperibile", "on-call name", "on-call-name";
    OnCallPhone: "on_call.phone", "telefono di reperibilità", "on-call phone", "on-call-phone";
    OnCallHours: "on_call.hours", "orari di reperibilità", "on-call hours", "on-call-hours";
    Reception: "reception", "servizio d'accoglienza", "reception service", -;
    ManagingBodyWhole: "reception.managing_body", "ente gestore", "managing body", -;
    Licence: "reception.licence", "autorizzazione al funzionamento", "operating licence", -;
    ManagingBody: "reception.managing_body.name", "ente gestore", "managing body", "managing-body";
    LegalNature: "reception.managing_body.nature", "natura giuridica dell'ente", "managing body's legal nature", "legal-nature";
    LicenceNumber: "reception.licence.number", "numero dell'autorizzazione", "licence number", "licence-number";
    LicenceDate: "reception.licence.date", "data dell'autorizzazione", "licence date", "licence-date";
    LicenceAuthority: "reception.licence.authority", "autorità che autorizza", "licensing authority", "licence-authority";
    LicensedPlaces: "reception.licence.places", "posti autorizzati", "licensed places", "licensed-places";
    ReceptionComune: "reception.comune", "comune", "comune", "comune";
    ReceptionReferent: "reception.referent", "referente", "referent", "referent";
    ReceptionAges: "reception.ages", "età accolte", "ages taken", "ages";
    ReceptionSex: "reception.sex", "sesso accolto", "sex taken", "sex-taken";
    Equipment: "reception.equipment", "attrezzato per", "equipped for", "equipped";
    ReceptionLanguages: "reception.languages", "lingue", "languages", "languages";
    VacantPlaces: "vacancy.places", "posti liberi", "vacant places", "places";
    DeclaredOn: "vacancy.declared_on", "dichiarati il", "declared on", "date";
    VacancyNote: "vacancy.note", "nota", "note", "note";
    ReportAt: "report.at", "alla data", "at date", "at";
    ReportFrom: "report.from", "dal", "from", "from";
    ReportTo: "report.to", "al", "to", "to";
    Comuni: "comuni", "comuni", "comuni", "comuni";
    Districts: "districts", "presidi", "districts", "district";
    DistrictName: "districts[].name", "nome del presidio", "district name", "district";
    DistrictComuni: "districts[].comuni", "comuni del presidio", "district comuni", "district";

    // A family's identity and availability.
    Identity: "identity", "dati identificativi", "identifying details", -;
    Adults: "identity.adults", "adulti di riferimento", "reference adults", "adult";
    AdultName: "identity.adults[].name", "nome dell'adulto", "adult's name", "adult";
    AdultBirthYear: "identity.adults[].birth_year", "anno di nascita dell'adulto", "adult's birth year", "adult";
    IdentityAddress: "identity.address", "indirizzo", "address", "address";
    IdentityPhone: "identity.phone", "telefono", "phone", "phone";
    IdentityEmail: "identity.email", "e-mail", "e-mail", "email";
    ProfileComune: "profile.comune", "comune", "comune", "comune";
    // The household as a whole: what an edit of any of its parts changed.
    Household: "profile.household", "nucleo familiare", "household", -;
    HouseholdAdults: "profile.household.adults", "adulti nel nucleo", "adults in the household", "household-adults";
    ChildrenBirthYears: "profile.household.children_birth_years", "anno di nascita dei figli", "children's birth year", "children-born";
    Pets: "profile.household.pets", "animali", "pets", "pets";
    SpareRooms: "profile.household.spare_rooms", "stanze libere", "spare rooms", "spare-rooms";
    ProfileKinds: "profile.kinds", "tipi di affido", "kinds of placement", "kinds";
    Ages: "profile.ages", "fascia d'età", "age range", "ages";
    SexPreference: "profile.sex_preference", "preferenza di sesso", "sex preference", "sex-preference";
    MaxChildren: "profile.max_children", "massimo minori accolti", "maximum children", "max-children";
    SiblingsAccepted: "profile.siblings_accepted", "fratelli accolti", "siblings accepted", "accepts-siblings";
    SpecialNeedsAccepted: "profile.special_needs_accepted", "bisogni speciali accolti", "special needs accepted", "special-needs";
    ProfileLanguages: "profile.languages", "lingue", "languages", "languages";
    TimeSlots: "profile.time_slots", "disponibilità di tempo", "time availability", "time";
    MaxDistance: "profile.max_distance_km", "distanza massima (km)", "maximum distance (km)", "max-distance";
    TrainingCompletedOn: "profile.training_completed_on", "corso di formazione concluso il", "training completed on", "training-completed";
    FamilyStatus: "profile.status", "stato", "status", "status";
    ApprovedOn: "profile.approved_on", "data di idoneità", "approval date", "approved-on";
    ReviewOn: "profile.review_on", "data di revisione", "review date", "review-on";
    ConfirmedOn: "profile.confirmed_on", "disponibilità confermata il", "availability confirmed on", "confirmed-on";
    ProfileNotes: "profile.notes", "note", "notes", "notes", multi_line;
    AvailableFrom: "profile.available_from", "disponibile dal", "available from", "available-from";
    AvailableUntil: "profile.available_until", "disponibile fino al", "available until", "available-until";

    // A child's identity and placement need.
    GivenName: "identity.given_name", "nome del minore", "child's given name", "given-name";
    FamilyName: "identity.family_name", "cognome del minore", "child's family name", "family-name";
    BirthDate: "identity.birth_date", "data di nascita", "birth date", "birth-date";
    FiscalCode: "identity.fiscal_code", "codice fiscale", "fiscal code", "fiscal-code";
    Sex: "placement.sex", "sesso", "sex", "sex";
    Siblings: "placement.siblings", "fratelli", "siblings", "siblings";
    PlacementKind: "placement.kind", "tipo di affido", "kind of placement", "kind";
    Legal: "placement.legal", "base giuridica", "legal basis", "legal";
    Court: "placement.legal.court", "tribunale", "court", "court";
    Decree: "placement.legal.decree", "decreto", "decree", "decree";
    OrderedOn: "placement.legal.ordered_on", "data del provvedimento (art. 403)", "date of the art. 403 order", "ordered-on";
    Urgency: "placement.urgency", "urgenza", "urgency", "emergency-by";
    DesiredStart: "placement.desired_start", "inizio desiderato", "desired start", "desired-start";
    DurationMonths: "placement.duration_months", "durata prevista (mesi)", "expected duration (months)", "duration-months";
    SpecialNeeds: "placement.special_needs", "bisogni speciali", "special needs", "special-needs";
    PlacementLanguages: "placement.languages", "lingue", "languages", "languages";
    CulturalNotes: "placement.cultural_notes", "note culturali/religiose", "cultural/religious notes", "cultural-notes", multi_line;
    PlacementComune: "placement.comune", "comune del minore", "child's comune", "comune";
    OriginComune: "placement.origin_comune", "comune della famiglia d'origine", "comune of the family of origin", "origin-comune";
    Contact: "placement.contact", "rapporti con la famiglia d'origine", "contact with the family of origin", "contact";
    SchoolComune: "placement.school_comune", "comune della scuola", "school comune", "school-comune";
    NeedStatus: "placement.status", "stato", "status", "status";
    ClosingReason: "placement.closing_reason", "motivo di chiusura", "closing reason", "closing-reason";
    PlacementNotes: "placement.notes", "note", "notes", "notes", multi_line;
    NeedTimeSlots: "placement.time_slots", "tempi richiesti", "time needed", "slots";
    // An administrator's reason for reading an identity (`--emergency`).
    Reason: "reason", "motivo", "reason", "emergency";

    // Proposals and placements.
    Note: "note", "nota", "note", "note", multi_line;
    Needs: "needs", "richieste", "needs", -;
    Family: "family", "famiglia", "family", -;
    Proposal: "proposal", "proposta", "proposal", -;
    Status: "status", "stato", "status", -;
    Score: "score", "punteggio", "score", -;
    NeedService: "need_service", "servizio della richiesta", "need's service", -;
    FamilyService: "family_service", "servizio della famiglia", "family's service", -;
    // The placement a proposal became.
    Placement: "placement", "affido", "placement", -;
    PlanStart: "plan.start", "inizio dell'affido", "start of the placement", "start";
    PlanExpectedEnd: "plan.expected_end", "fine prevista", "expected end", "expected-end";
    PlanDurationMonths: "plan.duration_months", "durata (mesi)", "duration (months)", "duration-months";
    PlanContact: "plan.contact", "incontri con la famiglia d'origine", "contact with the family of origin", "contact";
    PlanContactNotes: "plan.contact_notes", "note sugli incontri", "notes on contact", "contact-notes", multi_line;
    PlanReviewDates: "plan.review_dates", "verifica prevista", "planned review", "review-on";
    PlanCommitments: "plan.commitments", "impegni", "commitments", "commitments", multi_line;
    ReviewDate: "review.date", "data della verifica", "review date", "date";
    ReviewNote: "review.note", "esito della verifica", "review note", "note", multi_line;
    ClosingDate: "closing.date", "data di chiusura", "closing date", "date";
    ClosingOutcome: "closing.outcome", "esito", "outcome", "outcome";
    ClosingNote: "closing.note", "nota di chiusura", "closing note", "note", multi_line;
    ClosingBy: "closing.by", "chi ha chiuso", "closed by", -;
    Closing: "closing", "chiusura", "closing", -;
    Reviews: "reviews", "verifiche", "reviews", -;
    ReviewsDate: "reviews[].date", "data della verifica", "review date", -;
    ReviewsNote: "reviews[].note", "esito della verifica", "review note", -, multi_line;
    ReviewsBy: "reviews[].by", "chi ha fatto la verifica", "reviewed by", -;
    Steps: "steps", "passaggi", "steps", -;
    StepsNote: "steps[].note", "nota del passaggio", "step's note", -, multi_line;
    StepsBy: "steps[].by", "autore del passaggio", "step's author", -;
    StepsCause: "steps[].cause", "motivo del passaggio", "step's cause", -;

    // A backup's lines and the search.
    MetaCreatedBy: "meta.created_by", "creato da", "created by", -;
    MetaUpdatedBy: "meta.updated_by", "modificato da", "updated by", -;
    Series: "series", "serie di numerazione", "numbering series", -;
    Actor: "actor", "autore", "actor", -;
    Record: "record", "scheda", "record", -;
    AuditFields: "fields", "campi", "fields", -;
    Tree: "tree", "archivio", "tree", -;
    Key: "key", "chiave", "key", -;
    Raw: "raw", "contenuto", "raw bytes", -;
    Size: "size", "dimensione", "size", -;
    FoundBy: "found_by", "trovato da", "found by", -;
    Query: "query", "ricerca", "search", -;

    // The phone call's filters and profile: a child described, where to look.
    Near: "within.near", "vicino al comune", "near the comune", "near";
    ChildAge: "child.age", "età del minore", "child's age", "age";
    WithinKm: "within.km", "entro km", "within km", "km";
    WithinDistrict: "within.district", "presidio", "district", "district";
    WithinAmbit: "within.ambit", "ambito", "ambit", "ambit";

    // The family's pathway, its support log and the network's events.
    PathwaySource: "pathway.source", "come è arrivata", "how the family came", "source";
    PathwaySourceNote: "pathway.source_note", "dettaglio della provenienza", "source details", "source-note";
    PathwaySteps: "pathway.steps", "passi del percorso", "pathway steps", -;
    PathwayStepsBy: "pathway.steps[].by", "chi ha svolto il passo", "step done by", -;
    PathwayStepsNote: "pathway.steps[].note", "nota del passo", "step note", -, multi_line;
    StepKind: "step.kind", "passo", "step", -;
    StepDate: "step.date", "data del passo", "step date", "date";
    StepBy: "step.by", "chi l'ha svolto", "done by", "by";
    StepNote: "step.note", "nota", "note", "note", multi_line;
    StepReason: "step.reason", "motivo", "reason", "reason";
    StepEvent: "step.event", "incontro della rete", "network event", "event";
    PathwayAvailabilityKnown: "pathway.availability_known", "disponibilità dichiarata", "availability declared", -;
    Assessors: "pathway.assessors", "valutatori", "assessors", -;
    AssessorSocialWorker: "pathway.assessors.social_worker", "assistente sociale valutatore", "assessing social worker", "social-worker";
    AssessorPsychologist: "pathway.assessors.psychologist", "psicologo valutatore", "assessing psychologist", "psychologist";
    Support: "support", "diario di sostegno", "support log", -;
    SupportKind: "support.kind", "tipo di sostegno", "kind of support", "kind";
    SupportDate: "support.date", "data", "date", "date";
    SupportNote: "support.note", "nota", "note", "note", multi_line;
    SupportEvent: "support.event", "incontro del gruppo", "group meeting", "event";
    EventKind: "details.kind", "tipo di incontro", "kind of event", "kind";
    EventTitle: "details.title", "titolo", "title", "title";
    EventAssociation: "details.association", "associazione", "association", "association";
    EventDate: "details.date", "data", "date", "date";
    EventUntil: "details.until", "ultimo giorno", "last day", "until";
    EventComune: "details.comune", "comune", "comune", "comune";
    EventPlace: "details.place", "luogo", "place", "place";
    EventNotes: "details.notes", "note", "notes", "notes", multi_line;
    PlanRelationship: "plan.relationship", "affido intra o eterofamiliare", "kinship or non-kin", "relationship";
    ReviewKind: "review.kind", "tipo (verifica o contatto)", "kind (review or contact)", "kind";
    ExtensionUntil: "extension.until", "nuova fine prevista", "new expected end", "until";
    ExtensionDecidedOn: "extension.decided_on", "data della decisione", "date of the decision", "decided-on";
    ExtensionDecidedBy: "extension.decided_by", "chi ha deciso", "decided by", "decided-by";
    ExtensionNote: "extension.note", "nota", "note", "note", multi_line;
    Extensions: "extensions", "proroghe", "extensions", -;
    CourtReportDue: "court_report.due_on", "scadenza della relazione", "report due on", "due";
    CourtReportSent: "court_report.sent_on", "inviata il", "sent on", "sent";
    CourtReportNote: "court_report.note", "nota", "note", "note", multi_line;
    CourtReports: "court_reports", "relazioni al Tribunale", "court reports", -;
    Days: "days", "giorni", "days", "days";
}

impl Field {
    /// Its path as the table writes it (`identity.adults[].name`).
    fn path(self) -> &'static str {
        self.spec().path
    }

    /// The CLI flag (without dashes) that sets it; `None` for a part of an
    /// import file or a positional argument.
    pub fn flag(self) -> Option<&'static str> {
        self.spec().flag
    }

    /// Whether its text may span several lines: notes, reasons, review notes.
    pub fn is_multi_line(self) -> bool {
        self.spec().lines == Lines::Many
    }

    /// Item `index` of this list, or this field of that item
    /// (`Field::AdultName.at(1)` is `identity.adults[1].name`).
    pub fn at(self, index: usize) -> FieldRef {
        FieldRef { field: self, index: Some(index) }
    }

    /// Whether `self` is `outer` or a part of it (`identity.adults[].name`
    /// of `identity.adults`, `placement.legal.court` of `placement.legal`).
    pub fn is_within(self, outer: Field) -> bool {
        let (inner, outer) = (plain(self.path()), plain(outer.path()));
        inner == outer || inner.strip_prefix(outer.as_str()).is_some_and(|rest| rest.starts_with('.'))
    }
}

impl fmt::Display for Field {
    /// Its path without an index: `identity.adults.name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(self.path()))
    }
}

/// A field as a problem names it: with the list index when it is an item's.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldRef {
    field: Field,
    index: Option<usize>,
}

impl From<Field> for FieldRef {
    fn from(field: Field) -> FieldRef {
        FieldRef { field, index: None }
    }
}

impl FieldRef {
    pub fn field(self) -> Field {
        self.field
    }

    pub fn index(self) -> Option<usize> {
        self.index
    }

    /// The field a path names: `identity.adults[1].name`,
    /// `profile.languages[2]`, `identity.adults.name` (no index). `None`
    /// for a path the table does not hold.
    pub fn parse(text: &str) -> Option<FieldRef> {
        let (shape, index) = match (text.find('['), text.find(']')) {
            (None, None) => (text.to_string(), None),
            (Some(open), Some(close)) if open < close => {
                let index = text[open + 1..close].parse::<usize>().ok()?;
                (format!("{}{INDEX}{}", &text[..open], &text[close + 1..]), Some(index))
            }
            _ => return None,
        };
        if shape.matches('[').count() > 1 || shape.matches(']').count() > 1 {
            return None;
        }
        let find = |path: &str| Field::ALL.iter().copied().find(|f| f.path() == path);
        let field = find(&shape)
            .or_else(|| shape.strip_suffix(INDEX).and_then(find))
            .or_else(|| index.is_none().then(|| Field::ALL.iter().copied().find(|f| plain(f.path()) == shape))?)?;
        Some(FieldRef { field, index })
    }

    /// "nome dell'adulto n. 2" for `identity.adults[1].name`: an index is
    /// said as a number from 1.
    pub fn label(self, lang: Lang) -> String {
        let label = self.field.label(lang);
        match self.index {
            Some(i) => format!("{label} n. {}", i + 1),
            None => label.to_string(),
        }
    }

    pub fn flag(self) -> Option<&'static str> {
        self.field.flag()
    }

    pub fn is_multi_line(self) -> bool {
        self.field.is_multi_line()
    }

    /// Whether `self` is `outer` or a part of it, in the same list item
    /// when `outer` names one (`identity.adults[1].name` is within
    /// `identity.adults` and `identity.adults[1]`, not `identity.adults[0]`).
    pub fn is_within(self, outer: FieldRef) -> bool {
        self.field.is_within(outer.field) && (outer.index.is_none() || outer.index == self.index)
    }
}

impl fmt::Display for FieldRef {
    /// The path on the wire and in the audit: `identity.adults[1].name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.field.path();
        match (path.split_once(INDEX), self.index) {
            (Some((head, tail)), Some(i)) => write!(f, "{head}[{i}]{tail}"),
            (Some((head, tail)), None) => write!(f, "{head}{tail}"),
            (None, Some(i)) => write!(f, "{path}[{i}]"),
            (None, None) => f.write_str(path),
        }
    }
}

impl fmt::Debug for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// A client compares what it was told with a path it knows.
impl PartialEq<&str> for FieldRef {
    fn eq(&self, other: &&str) -> bool {
        FieldRef::parse(other) == Some(*self)
    }
}

// On the wire a field is its path, as it always was: a client parses it
// back into the table it was built with.
impl Serialize for FieldRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldRef, D::Error> {
        let text = String::deserialize(d)?;
        FieldRef::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown field {text:?}")))
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        let found = FieldRef::deserialize(d)?;
        match found.index {
            None => Ok(found.field),
            Some(_) => Err(serde::de::Error::custom(format!("a field, not a list item: {found}"))),
        }
    }
}

/// A path without its index marker: `identity.adults[].name` → `identity.adults.name`.
fn plain(path: &str) -> String {
    path.replace(INDEX, "")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_both_labels_and_a_well_formed_flag() {
        for f in Field::ALL {
            for lang in [Lang::It, Lang::En] {
                assert!(!f.label(lang).trim().is_empty(), "{f} has no {lang:?} label");
            }
            if let Some(flag) = f.flag() {
                let well_formed = !flag.is_empty()
                    && flag.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    && !flag.starts_with('-');
                assert!(well_formed, "{f}: flag {flag:?}");
            }
        }
    }

    #[test]
    fn the_labels_are_a_catalogue_listed_with_the_others() {
        let entries = (Field::CATALOGUE.entries)();
        assert_eq!(entries.len(), Field::ALL.len());
        let max = Entry { key: "MaxChildren", it: "massimo minori accolti", en: "maximum children" };
        assert_eq!(entries.iter().find(|e| e.key == "MaxChildren"), Some(&max));
        assert!(crate::catalogues().iter().any(|c| c.name == "banca::model::fields::Field"));
    }

    #[test]
    fn every_path_is_declared_once() {
        let paths: std::collections::BTreeSet<&str> = Field::ALL.iter().map(|f| f.path()).collect();
        assert_eq!(paths.len(), Field::ALL.len());
        let shown: std::collections::BTreeSet<String> = Field::ALL.iter().map(|f| f.to_string()).collect();
        assert_eq!(shown.len(), Field::ALL.len(), "two fields print alike without their index");
    }

    #[test]
    fn an_item_prints_its_index_where_the_path_puts_it() {
        assert_eq!(Field::AdultName.at(1).to_string(), "identity.adults[1].name");
        assert_eq!(Field::DistrictComuni.at(0).to_string(), "districts[0].comuni");
        assert_eq!(Field::ProfileLanguages.at(2).to_string(), "profile.languages[2]");
        assert_eq!(FieldRef::from(Field::MaxChildren).to_string(), "profile.max_children");
        assert_eq!(Field::AdultName.to_string(), "identity.adults.name");
    }

    #[test]
    fn every_path_reads_back_as_its_field() {
        for &f in Field::ALL {
            assert_eq!(FieldRef::parse(&f.to_string()), Some(f.into()), "{f}");
            assert_eq!(FieldRef::parse(&f.at(3).to_string()), Some(f.at(3)), "{f}");
        }
        assert_eq!(FieldRef::parse("identity.adults[1].birth_year"), Some(Field::AdultBirthYear.at(1)));
        assert_eq!(FieldRef::parse("profile.languages"), Some(Field::ProfileLanguages.into()));
        assert_eq!(FieldRef::parse("something.unknown_here"), None);
        assert_eq!(FieldRef::parse("identity.adults[x].name"), None);
        assert_eq!(FieldRef::parse("identity.adults[1].name[2]"), None);
    }

    #[test]
    fn a_field_has_its_words_and_its_flag() {
        assert_eq!(Field::MaxChildren.label(Lang::It), "massimo minori accolti");
        assert_eq!(Field::MaxChildren.flag(), Some("max-children"));
        assert_eq!(Field::SiblingsAccepted.flag(), Some("accepts-siblings"));
        assert_eq!(Field::AdultBirthYear.at(2).flag(), Some("adult"));
        assert_eq!(Field::AdultName.at(1).label(Lang::En), "adult's name n. 2");
        assert_eq!(Field::MetaCreatedBy.flag(), None);
    }

    #[test]
    fn multi_line_fields_are_the_notes_and_reasons() {
        use Field::*;
        for f in [ProfileNotes, PlacementNotes, CulturalNotes, Note, ReviewNote, PlanCommitments, StepsNote] {
            assert!(f.is_multi_line(), "{f}");
        }
        for f in [AdultName, Pets, IdentityAddress, DisplayName, Name, Reason] {
            assert!(!f.is_multi_line(), "{f}");
        }
    }

    #[test]
    fn a_part_is_within_its_whole() {
        assert!(Field::AdultName.is_within(Field::Adults));
        assert!(Field::Court.is_within(Field::Legal));
        assert!(Field::Adults.is_within(Field::Identity));
        assert!(!Field::Legal.is_within(Field::Court));
        assert!(!Field::IdentityAddress.is_within(Field::Address));
        assert!(Field::AdultName.at(1).is_within(Field::Adults.into()));
        assert!(Field::AdultName.at(1).is_within(Field::Adults.at(1)));
        assert!(Field::AdultName.at(1).is_within(Field::AdultName.at(1)));
        assert!(!Field::AdultName.at(1).is_within(Field::AdultName.at(0)));
    }

    #[test]
    fn on_the_wire_a_field_is_its_path() {
        let cfg = bincode::config::standard();
        let typed = bincode::serde::encode_to_vec(Field::AdultName.at(1), cfg).unwrap();
        assert_eq!(typed, bincode::serde::encode_to_vec("identity.adults[1].name", cfg).unwrap());
        let (back, _): (FieldRef, usize) = bincode::serde::decode_from_slice(&typed, cfg).unwrap();
        assert_eq!(back, Field::AdultName.at(1));
        let unknown = bincode::serde::encode_to_vec("nowhere.at_all", cfg).unwrap();
        assert!(bincode::serde::decode_from_slice::<FieldRef, _>(&unknown, cfg).is_err());
    }
}
