//! The closed vocabularies of foster-care practice: kinds of affido, special
//! needs, statuses… Each term has an English identifier (code, JSON, storage
//! order), an Italian and an English token an operator may type, and a label
//! for each language.

use super::Lang;
use serde::{Deserialize, Serialize};

/// Declares a vocabulary enum. Variant order is part of the storage format
/// (bincode stores the index): append new variants, never reorder.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $variant:ident => ($en:literal, $it:literal, $label_it:literal, $label_en:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $variant, )+ }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// English identifier, as in JSON and the glossary.
            pub fn token(self) -> &'static str {
                match self { $( $name::$variant => $en, )+ }
            }

            /// Italian token, what an Italian operator types.
            pub fn token_it(self) -> &'static str {
                match self { $( $name::$variant => $it, )+ }
            }

            /// The token an operator types in `lang`.
            pub fn typed(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::It => self.token_it(),
                    Lang::En => self.token(),
                }
            }

            /// Its labels, as the completeness test reads them.
            pub const CATALOGUE: crate::model::catalogue::Catalogue = crate::model::catalogue::Catalogue {
                name: concat!(module_path!(), "::", stringify!($name)),
                entries: || vec![$( crate::model::catalogue::Entry { key: stringify!($variant), it: $label_it, en: $label_en }, )+],
            };

            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( ($name::$variant, Lang::It) => $label_it,
                       ($name::$variant, Lang::En) => $label_en, )+
                }
            }

            /// Accepts the Italian or English token, in any case, with spaces
            /// or hyphens for underscores and with or without accents.
            pub fn parse(input: &str) -> Option<$name> {
                let wanted = crate::model::vocabulary::fold_token(input);
                $name::ALL.iter().copied().find(|v| {
                    fold_token(v.token()) == wanted || fold_token(v.token_it()) == wanted
                })
            }

            /// The tokens to show in an error message, in the given language.
            pub fn choices(lang: Lang) -> String {
                $name::ALL
                    .iter()
                    .map(|v| match lang { Lang::It => v.token_it(), Lang::En => v.token() })
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    };
}

pub(crate) fn fold_token(input: &str) -> String {
    crate::model::comune::normalize(input).replace(' ', "_")
}

vocabulary! {
    /// Kind of affido (placement) a need asks for and a family accepts.
    pub enum PlacementKind {
        Residential => ("residential", "residenziale", "residenziale", "residential"),
        Daytime => ("daytime", "diurno", "diurno / part-time", "daytime / part-time"),
        Respite => ("respite", "tempo_libero", "tempo libero (weekend e vacanze)", "respite (weekends, holidays)"),
        Emergency => ("emergency", "pronto_intervento", "pronto intervento", "emergency"),
        LightSupport => ("light_support", "affido_leggero", "affido leggero", "light support"),
        ParentAndChild => ("parent_and_child", "genitore_bambino", "genitore-bambino", "parent and child"),
        YoungAdult => ("young_adult", "neomaggiorenni", "neomaggiorenni (18-21)", "young adult (18-21)"),
    }
}

vocabulary! {
    /// Special needs a child may have and a family may accept.
    pub enum SpecialNeed {
        Disability => ("disability", "disabilita", "disabilità", "disability"),
        ChronicIllness => ("chronic_illness", "malattia_cronica", "malattia cronica", "chronic illness"),
        Behavioural => ("behavioural", "difficolta_comportamentali", "difficoltà comportamentali", "behavioural difficulties"),
        Trauma => ("trauma", "trauma", "trauma", "trauma"),
        Infant => ("infant", "neonato", "neonato (0-24 mesi)", "infant (0-24 months)"),
        UnaccompaniedMinor => ("unaccompanied_minor", "msna", "MSNA (minore straniero non accompagnato)", "unaccompanied foreign minor"),
        ParentWithChild => ("parent_with_child", "genitore_con_bambino", "genitore con bambino", "parent with child"),
        Psychiatric => ("psychiatric", "fragilita_psichiatrica", "fragilità psichiatrica", "psychiatric fragility"),
    }
}

vocabulary! {
    /// When a family can be there for a child.
    pub enum TimeSlot {
        FullTime => ("full_time", "tempo_pieno", "tempo pieno", "full time"),
        Weekdays => ("weekdays", "feriali", "giorni feriali", "weekdays"),
        Afternoons => ("afternoons", "pomeriggi", "pomeriggi", "afternoons"),
        Weekends => ("weekends", "weekend", "weekend", "weekends"),
        Holidays => ("holidays", "vacanze", "vacanze", "holidays"),
        OnCall => ("on_call", "su_chiamata", "su chiamata (emergenze)", "on call (emergencies)"),
    }
}

vocabulary! {
    pub enum Sex {
        Female => ("female", "f", "F", "F"),
        Male => ("male", "m", "M", "M"),
    }
}

vocabulary! {
    /// Which children a family prefers to welcome.
    pub enum SexPreference {
        Any => ("any", "indifferente", "indifferente", "any"),
        Female => ("female", "femmine", "femmine", "girls"),
        Male => ("male", "maschi", "maschi", "boys"),
    }
}

vocabulary! {
    /// Assessment status of a family.
    pub enum FamilyStatus {
        Enquiring => ("enquiring", "interessata", "interessata", "enquiring"),
        UnderAssessment => ("under_assessment", "in_valutazione", "in valutazione", "under assessment"),
        Approved => ("approved", "idonea", "idonea", "approved"),
        Suspended => ("suspended", "sospesa", "sospesa", "suspended"),
        Withdrawn => ("withdrawn", "ritirata", "ritirata", "withdrawn"),
        NotApproved => ("not_approved", "non_idonea", "non idonea", "not approved"),
    }
}

impl FamilyStatus {
    /// The lifecycle: interessata → in_valutazione → idonea ⇄ sospesa, and
    /// out to ritirata (any time the family steps back) or non_idonea (after
    /// assessment). Ritirata and non_idonea are final.
    pub fn can_become(self, next: FamilyStatus) -> bool {
        use FamilyStatus::*;
        self == next
            || matches!(
                (self, next),
                (Enquiring, UnderAssessment)
                    | (UnderAssessment, Approved)
                    | (UnderAssessment, NotApproved)
                    | (Approved, Suspended)
                    | (Suspended, Approved)
                    | (Enquiring | UnderAssessment | Approved | Suspended, Withdrawn)
            )
    }
}

vocabulary! {
    /// Status of a need.
    pub enum NeedStatus {
        Open => ("open", "aperta", "aperta", "open"),
        Matching => ("matching", "in_abbinamento", "in abbinamento", "matching"),
        Matched => ("matched", "abbinata", "abbinata", "matched"),
        Closed => ("closed", "chiusa", "chiusa", "closed"),
    }
}

impl NeedStatus {
    /// aperta → in_abbinamento → abbinata → chiusa; a proposal that falls
    /// through steps back one state; any open state may be closed.
    pub fn can_become(self, next: NeedStatus) -> bool {
        use NeedStatus::*;
        self == next
            || matches!(
                (self, next),
                (Open, Matching)
                    | (Matching, Open)
                    | (Matching, Matched)
                    | (Matched, Matching)
                    | (Open | Matching | Matched, Closed)
            )
    }
}

vocabulary! {
    /// Why a need was closed.
    pub enum ClosingReason {
        PlacementStarted => ("placement_started", "affido_avviato", "affido avviato", "placement started"),
        OtherSolution => ("other_solution", "altra_soluzione", "altra soluzione (es. comunità)", "other solution (e.g. residential community)"),
        ReturnHome => ("return_home", "rientro_in_famiglia", "rientro in famiglia", "return home"),
        Cancelled => ("cancelled", "annullata", "annullata", "cancelled"),
    }
}

vocabulary! {
    pub enum ServiceKind {
        Ambit => ("ambit", "ambito", "servizio d'ambito", "ambit service"),
        InterDistrict => ("inter_district", "interdistrettuale", "servizio interdistrettuale", "inter-district service"),
        Association => ("association", "associazione", "associazione / terzo settore", "association / third sector"),
        ResidentialCommunity => ("residential_community", "comunita_alloggio", "comunità alloggio per minori", "residential community"),
        ParentAndChildCommunity => ("parent_and_child_community", "comunita_mamma_bambino", "comunità mamma-bambino", "parent-and-child community"),
        EmergencyShelter => ("emergency_shelter", "pronto_intervento", "pronto intervento (struttura)", "emergency shelter"),
        SemiIndependentFlat => ("semi_independent_flat", "alloggio_autonomia", "alloggio per l'autonomia", "semi-independent flat"),
        DayCentre => ("day_centre", "centro_diurno", "centro diurno / servizio educativo diurno", "day centre"),
        FamilyNetwork => ("family_network", "rete_famiglie", "rete di famiglie", "family network"),
        EducationalCommunity => ("educational_community", "comunita_educativa", "comunità educativa", "educational community"),
        FamilyCommunity => ("family_community", "comunita_familiare", "comunità familiare", "family-type community"),
    }
}

vocabulary! {
    /// What an operator may do; see `access`.
    pub enum Role {
        Admin => ("admin", "amministratore", "amministratore", "administrator"),
        Coordinator => ("coordinator", "coordinamento", "coordinamento provinciale", "provincial coordination"),
        Operator => ("operator", "operatore", "operatore", "operator"),
        Reader => ("reader", "lettore", "sola lettura", "reader"),
        Reception => ("reception", "accoglienza", "operatore di un servizio d'accoglienza", "reception service operator"),
    }
}

vocabulary! {
    /// How often the child meets the family of origin.
    pub enum ContactFrequency {
        None => ("none", "nessuno", "nessun incontro", "no contact"),
        Weekly => ("weekly", "settimanale", "settimanale", "weekly"),
        Fortnightly => ("fortnightly", "quindicinale", "quindicinale", "fortnightly"),
        Monthly => ("monthly", "mensile", "mensile", "monthly"),
        Occasional => ("occasional", "occasionale", "occasionale", "occasional"),
        ToBeDefined => ("to_be_defined", "da_definire", "da definire", "to be defined"),
    }
}

vocabulary! {
    /// Where a proposal (abbinamento) stands.
    pub enum ProposalStatus {
        Proposed => ("proposed", "proposta", "proposta", "proposed"),
        UnderReview => ("under_review", "in_valutazione", "in valutazione", "under review"),
        Accepted => ("accepted", "accettata", "accettata", "accepted"),
        Started => ("started", "avviata", "avviata (affido avviato)", "started (placement opened)"),
        Declined => ("declined", "rifiutata", "rifiutata", "declined"),
        Withdrawn => ("withdrawn", "ritirata", "ritirata", "withdrawn"),
    }
}

/// Which side of a proposal may take a step: the child's service proposes,
/// withdraws and starts; the family's service reviews, accepts and declines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalSide {
    NeedService,
    FamilyService,
}

impl ProposalStatus {
    /// proposta → in_valutazione → accettata → avviata; rifiutata from any
    /// step before avviata (a family may change its mind after accepting);
    /// ritirata likewise. Avviata, rifiutata and ritirata are final.
    pub fn can_become(self, next: ProposalStatus) -> bool {
        use ProposalStatus::*;
        matches!(
            (self, next),
            (Proposed, UnderReview)
                | (Proposed | UnderReview, Accepted)
                | (Accepted, Started)
                | (Proposed | UnderReview | Accepted, Declined)
                | (Proposed | UnderReview | Accepted, Withdrawn)
        )
    }

    /// The side whose operators take the step into this state.
    pub fn taken_by(self) -> ProposalSide {
        use ProposalStatus::*;
        match self {
            Proposed | Withdrawn | Started => ProposalSide::NeedService,
            UnderReview | Accepted | Declined => ProposalSide::FamilyService,
        }
    }

    /// A step into this state carries a reason: the other service reads it in its history.
    pub fn needs_reason(self) -> bool {
        matches!(self, ProposalStatus::Declined | ProposalStatus::Withdrawn)
    }

    /// Still holding the family's attention: proposed, under review, or accepted.
    pub fn is_active(self) -> bool {
        matches!(self, ProposalStatus::Proposed | ProposalStatus::UnderReview | ProposalStatus::Accepted)
    }

    pub fn is_final(self) -> bool {
        !self.is_active()
    }
}

vocabulary! {
    /// How a placement ended (esito).
    pub enum PlacementOutcome {
        ReturnHome => ("return_home", "rientro_famiglia_origine", "rientro in famiglia d'origine", "return home"),
        Adoption => ("adoption", "adozione", "affido preadottivo / adozione", "adoption"),
        OtherFamily => ("other_family", "altra_famiglia", "altra famiglia", "another family"),
        ResidentialCare => ("residential_care", "comunita", "comunità", "residential care"),
        IndependentLiving => ("independent_living", "autonomia", "autonomia", "independent living"),
        Breakdown => ("breakdown", "interruzione_anticipata", "interruzione anticipata", "breakdown"),
        Other => ("other", "altro", "altro", "other"),
    }
}

/// Consensual (agreed with the parents) or judicial (ordered by the court).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consensual,
    Judicial {
        court: String,
        decree: String,
    },
    /// Urgent protective placement by the public authority under art. 403
    /// c.c., on the date it was ordered. Appended: stored records keep the
    /// indices of the variants before it.
    Art403 {
        ordered_on: time::Date,
    },
}

/// Ordinary, or pronto intervento with the date the child needs a family by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Ordinary,
    Emergency { needed_by: time::Date },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_parse_in_both_languages_and_any_spelling() {
        assert_eq!(PlacementKind::parse("pronto intervento"), Some(PlacementKind::Emergency));
        assert_eq!(PlacementKind::parse("Emergency"), Some(PlacementKind::Emergency));
        assert_eq!(SpecialNeed::parse("disabilità"), Some(SpecialNeed::Disability));
        assert_eq!(FamilyStatus::parse("IN-VALUTAZIONE"), Some(FamilyStatus::UnderAssessment));
        assert_eq!(FamilyStatus::parse("idonea?"), None);
    }

    #[test]
    fn family_lifecycle_follows_the_assessment_path() {
        use FamilyStatus::*;
        assert!(Enquiring.can_become(UnderAssessment));
        assert!(!Enquiring.can_become(Approved), "no approval without assessment");
        assert!(Approved.can_become(Suspended) && Suspended.can_become(Approved));
        assert!(!Withdrawn.can_become(Approved), "withdrawn is final");
        assert!(!NotApproved.can_become(UnderAssessment), "non idonea is final");
    }

    #[test]
    fn proposal_lifecycle_ends_in_started_declined_or_withdrawn() {
        use ProposalStatus::*;
        assert!(Proposed.can_become(UnderReview) && UnderReview.can_become(Accepted));
        assert!(Accepted.can_become(Started));
        assert!(!Proposed.can_become(Started), "a placement starts only from an accepted proposal");
        assert!(!Declined.can_become(Accepted) && !Withdrawn.can_become(Proposed) && !Started.can_become(Withdrawn));
        assert_eq!(Accepted.taken_by(), ProposalSide::FamilyService);
        assert_eq!(Withdrawn.taken_by(), ProposalSide::NeedService);
    }

    #[test]
    fn need_lifecycle_allows_stepping_back_but_not_reopening() {
        use NeedStatus::*;
        assert!(Open.can_become(Matching) && Matching.can_become(Open));
        assert!(!Open.can_become(Matched));
        assert!(!Closed.can_become(Open));
    }
}
