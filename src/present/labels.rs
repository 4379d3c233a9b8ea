//! The words of the documents, each in Italian and English: one catalogue,
//! so a test can check that none lacks a language.

use crate::i18n::Lang;

macro_rules! labels {
    ($($key:ident => $it:expr, $en:expr;)*) => {
        /// A label or a fixed phrase of a document.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum L { $($key),* }

        impl L {
            pub const ALL: &'static [L] = &[$(L::$key),*];

            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((L::$key, Lang::It) => $it,
                      (L::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

labels! {
    // Records.
    RevisionWord => "revisione", "revision";
    Service => "Servizio", "Service";
    Contacts => "Contatti", "Contacts";
    Referent => "Referente", "Referent";
    FamilyIdentity => "Identità (visibile al servizio e al coordinamento)", "Identity (visible to the service and the coordination)";
    FamilyIdentityReserved => "Identità, contatti, note, animali e figli: riservati al servizio titolare e al coordinamento.", "Identity, contacts, notes, pets and children: reserved to the owning service and the coordination.";
    Adults => "Adulti", "Adults";
    Address => "Indirizzo", "Address";
    Phone => "Telefono", "Phone";
    Email => "E-mail", "E-mail";
    ChildrenBorn => "Figli nati nel", "Children born";
    Pets => "Animali", "Pets";
    Notes => "Note", "Notes";
    Availability => "Disponibilità", "Availability";
    Kinds => "Tipi di affido", "Kinds";
    Ages => "Fascia d'età", "Ages";
    Sex => "Sesso", "Sex";
    MaxChildren => "Minori insieme (max)", "Children at once (max)";
    Siblings => "Fratelli", "Siblings";
    SpecialNeeds => "Bisogni speciali", "Special needs";
    Languages => "Lingue", "Languages";
    Time => "Tempo", "Time";
    MaxDistance => "Distanza massima", "Maximum distance";
    NoLimit => "nessun limite", "no limit";
    Household => "Nucleo", "Household";
    AdultsWord => "adulti", "adults";
    SpareRooms => "stanze libere", "spare rooms";
    TrainingCompleted => "Formazione conclusa", "Training completed";
    ApprovedOn => "Idonea dal", "Approved on";
    ReviewOn => "Revisione", "Review";
    ConfirmedOn => "Confermata il", "Confirmed on";
    ToConfirmAgain => "da riconfermare", "to be confirmed again";
    NeverConfirmed => "mai confermata", "never confirmed";
    CreatedOn => "Creata il", "Created on";
    ChangedOn => "modificata il", "changed on";
    By => "da", "by";
    ChildIdentity => "Identità del minore (riservata al servizio; lettura registrata)", "Child's identity (reserved to the service; this read is on record)";
    ChildIdentityReserved => "Identità del minore: riservata al servizio titolare.", "Child's identity: reserved to the owning service.";
    Name => "Nome", "Name";
    BornOn => "Nato/a il", "Born on";
    FiscalCode => "Codice fiscale", "Fiscal code";
    Need => "Richiesta", "Need";
    Needs => "Richieste", "Needs";
    NeedSection => "Bisogno", "Need";
    Kind => "Tipo di affido", "Kind";
    LegalBasis => "Base", "Legal basis";
    Consensual => "consensuale", "consensual";
    Judicial => "giudiziale", "judicial";
    Urgency => "Urgenza", "Urgency";
    Ordinary => "ordinaria", "ordinary";
    EmergencyBy => "pronto intervento entro il", "emergency by";
    DesiredStart => "Inizio desiderato", "Desired start";
    ExpectedDuration => "Durata prevista", "Expected duration";
    Months => "mesi", "months";
    CulturalNotes => "Note culturali", "Cultural notes";
    OriginIn => "Famiglia d'origine a", "Family of origin in";
    Contact => "Incontri", "Contact";
    Supervised => ", incontri facilitati", ", supervised";
    SchoolIn => "Scuola a", "School in";
    ClosedBecause => "Chiusa per", "Closed because";
    Family => "Famiglia", "Family";
    ChildService => "Servizio del minore", "Child's service";
    FamilyService => "Servizio della famiglia", "Family's service";
    Score => "Punteggio", "Score";
    WhenProposed => "alla proposta", "when proposed";
    Placement => "Affido", "Placement";
    Steps => "Passaggi", "Steps";
    Ongoing => "in corso", "ongoing";
    ClosedOn => "chiuso il", "closed on";
    Child => "Minore", "Child";
    Children => "Minori", "Children";
    Proposal => "Proposta", "Proposal";
    FosterPlan => "Progetto di affido", "Foster plan";
    Start => "Inizio", "Start";
    ExpectedEnd => "Fine prevista", "Expected end";
    Duration => "Durata", "Duration";
    Overdue => "scaduta, da fare", "overdue";
    Next => "prossima", "next";
    PlannedReviews => "Verifiche previste", "Planned reviews";
    ContactNotes => "Note sugli incontri", "Notes on contact";
    Commitments => "Impegni", "Commitments";
    Reviews => "Verifiche", "Reviews";
    NoneYet => "nessuna ancora", "none yet";
    Closing => "Chiusura", "Closing";
    Date => "Data", "Date";
    Outcome => "Esito", "Outcome";
    ClosedBy => "Chiuso da", "Closed by";
    RecordedOn => "Registrato il", "Recorded on";
    LastChangedOn => "ultima modifica il", "last changed on";
    // Matching.
    ToBePlacedTogether => "da collocare insieme", "to be placed together";
    Status => "Stato", "Status";
    NoCandidateFamilies => "Nessuna famiglia candidata.", "No candidate families.";
    NoNeedFits => "Nessuna richiesta aperta compatibile.", "No open need fits.";
    AlreadyProposed => "Già proposta:", "Already proposed:";
    SiblingsPlacedTogether => "Fratelli da collocare insieme:", "Siblings placed together:";
    WhyNotHint => "Per una famiglia precisa: --why-not F-… spiega ogni regola che non rispetta.", "For one family: --why-not F-… explains every rule it fails.";
    DistanceUnknown => "distanza sconosciuta", "distance unknown";
    StaleSince => "DA RICONFERMARE: disponibilità non confermata dal", "STALE: availability not confirmed since";
    StaleNever => "DA RICONFERMARE: disponibilità mai confermata", "STALE: availability never confirmed";
    ReferentWord => "referente", "referent";
    PhoneWord => "tel.", "phone";
    // Directory.
    KindWord => "Tipo", "Kind";
    Ambits => "Ambiti", "Ambits";
    Active => "Attivo", "Active";
    Operators => "Operatori", "Operators";
    Role => "Ruolo", "Role";
    ComuniWord => "comuni", "comuni";
    District => "Presidio", "District";
    Comuni => "Comuni", "Comuni";
    NoDistrict => "Senza presidio", "No district";
    Yes => "sì", "yes";
    No => "no", "no";
    NoneOf => "nessuno", "none";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_reads_in_italian_and_english() {
        for l in L::ALL {
            for lang in [Lang::It, Lang::En] {
                assert!(!l.get(lang).trim().is_empty(), "{l:?} has no {lang:?} text");
            }
        }
    }
}
