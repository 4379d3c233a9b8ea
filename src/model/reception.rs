//! Reception services (servizi di accoglienza): the comunità, shelters,
//! flats and day services a child goes to when no family fits or a
//! community is what the child needs. They are services of the directory
//! (`Service` with a reception `ServiceKind`) with a profile of their own
//! and the vacancies they declare.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::age::{AgeRange, MAX_AGE_MONTHS};
use super::comune::ComuneCode;
use super::fields::Field;
use super::limits::{LICENSED_ON, MAX_LICENCE_TEXT, MAX_LICENSED_PLACES, MAX_NAME, MAX_VACANCY_NOTE};
use super::problem::{Problems, Reason};
use super::vocabulary::{fold_token, PlacementKind, ServiceKind, SexPreference, SpecialNeed};
use super::Lang;

vocabulary! {
    /// What a reception service is equipped for.
    pub enum Equipment {
        MotherAndInfant => ("mother_and_infant", "madre_bambino", "neonati con la madre", "infants with their mother"),
        Disability => ("disability", "disabilita", "disabilità", "disability"),
        Psychiatric => ("psychiatric", "fragilita_psichiatrica", "fragilità psichiatrica", "psychiatric fragility"),
        UnaccompaniedMinors => ("unaccompanied_minors", "msna", "MSNA", "unaccompanied foreign minors"),
        Adolescents => ("adolescents", "adolescenti", "adolescenti", "adolescents"),
        PastEighteen => ("past_eighteen", "oltre_18", "autonomia oltre i 18 anni", "autonomy past 18"),
    }
}

vocabulary! {
    /// The legal nature of a managing body (ente gestore).
    pub enum LegalNature {
        Ipab => ("ipab", "ipab", "IPAB / ASP", "public welfare body (IPAB / ASP)"),
        SocialCooperative => ("social_cooperative", "cooperativa_sociale", "cooperativa sociale", "social cooperative"),
        Association => ("association", "associazione", "associazione", "association"),
        Religious => ("religious", "ente_religioso", "ente religioso", "religious body"),
        Foundation => ("foundation", "fondazione", "fondazione", "foundation"),
        Public => ("public", "ente_pubblico", "ente pubblico", "public body"),
    }
}

/// The kinds of placement a kind of reception service takes children for:
/// the matching rule "type for the kind of need" (docs/matching.md).
pub fn serves(kind: ServiceKind, need: PlacementKind) -> bool {
    use PlacementKind as P;
    use ServiceKind as S;
    match kind {
        S::ResidentialCommunity | S::EducationalCommunity => matches!(need, P::Residential),
        S::FamilyCommunity => matches!(need, P::Residential | P::Respite),
        S::ParentAndChildCommunity => matches!(need, P::ParentAndChild),
        S::EmergencyShelter => matches!(need, P::Emergency | P::Residential),
        S::SemiIndependentFlat => matches!(need, P::YoungAdult),
        S::DayCentre => matches!(need, P::Daytime | P::LightSupport),
        S::FamilyNetwork => matches!(need, P::Respite | P::LightSupport | P::Daytime),
        S::Ambit | S::InterDistrict | S::Association => false,
    }
}

impl ServiceKind {
    /// A reception service (comunità, shelter, flat, day centre, network
    /// of families), as opposed to a foster service or an association.
    pub fn is_reception(self) -> bool {
        !matches!(self, ServiceKind::Ambit | ServiceKind::InterDistrict | ServiceKind::Association)
    }

    /// The kinds of reception service, in the directory's order.
    pub fn reception_kinds() -> impl Iterator<Item = ServiceKind> {
        ServiceKind::ALL.iter().copied().filter(|k| k.is_reception())
    }
}

/// What a child's special need asks of a reception service, if anything:
/// the rest (chronic illness, behaviour, trauma) every community takes on.
pub fn equipment_for(need: SpecialNeed) -> Option<Equipment> {
    match need {
        SpecialNeed::Infant | SpecialNeed::ParentWithChild => Some(Equipment::MotherAndInfant),
        SpecialNeed::Disability => Some(Equipment::Disability),
        SpecialNeed::UnaccompaniedMinor => Some(Equipment::UnaccompaniedMinors),
        SpecialNeed::Psychiatric => Some(Equipment::Psychiatric),
        SpecialNeed::ChronicIllness | SpecialNeed::Behavioural | SpecialNeed::Trauma => None,
    }
}

/// The managing body (ente gestore).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagingBody {
    pub name: String,
    pub nature: LegalNature,
}

/// The operating licence (autorizzazione al funzionamento).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub number: String,
    pub date: Option<Date>,
    pub authority: String,
    /// Licensed places.
    pub places: u16,
}

/// What a reception service is, besides what every service has (name,
/// address, phone, e-mail, on-call contact): public directory data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionProfile {
    pub managing_body: ManagingBody,
    pub licence: Licence,
    pub comune: ComuneCode,
    /// Who answers for the service (a name, a role).
    pub referent: String,
    pub ages: AgeRange,
    pub sex: SexPreference,
    pub equipment: BTreeSet<Equipment>,
    pub languages: Vec<String>,
}

impl ReceptionProfile {
    /// Checks the profile; `stored` are the languages it had (kept as written).
    pub fn validate(&self, p: &mut Problems, stored_languages: &[String], today: Date) {
        p.require_text(Field::ManagingBody, &self.managing_body.name, MAX_NAME);
        p.limit_text(Field::LicenceNumber, &self.licence.number, MAX_LICENCE_TEXT);
        p.limit_text(Field::LicenceAuthority, &self.licence.authority, MAX_LICENCE_TEXT);
        if let Some(d) = self.licence.date {
            p.check_date(Field::LicenceDate, d, LICENSED_ON, today);
        }
        if self.licence.places == 0 || self.licence.places > MAX_LICENSED_PLACES {
            p.check_range(Field::LicensedPlaces, self.licence.places as i64, 1, MAX_LICENSED_PLACES as i64);
        }
        p.limit_text(Field::ReceptionReferent, &self.referent, MAX_NAME);
        if self.ages.min_months > self.ages.max_months {
            p.push(
                Field::ReceptionAges,
                Reason::AgeRangeInverted { min_months: self.ages.min_months, max_months: self.ages.max_months },
            );
        }
        if self.ages.max_months > MAX_AGE_MONTHS {
            // Said in years, as the ages are typed.
            p.check_range(Field::ReceptionAges, (self.ages.max_months / 12) as i64, 0, (MAX_AGE_MONTHS / 12) as i64);
        }
        super::languages::check_list(p, Field::ReceptionLanguages, &self.languages, stored_languages);
    }

    /// A starting profile for a new service in `comune`: every age, either sex.
    pub fn new(comune: ComuneCode, places: u16) -> ReceptionProfile {
        ReceptionProfile {
            managing_body: ManagingBody { name: String::new(), nature: LegalNature::SocialCooperative },
            licence: Licence { number: String::new(), date: None, authority: String::new(), places },
            comune,
            referent: String::new(),
            ages: AgeRange::ANY,
            sex: SexPreference::Any,
            equipment: BTreeSet::new(),
            languages: Vec::new(),
        }
    }
}

/// The vacancies a reception service declares: how many places are free,
/// on which day, said by whom. Kept on the service record; every
/// declaration is in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vacancy {
    pub places: u16,
    pub declared_on: Date,
    pub by: String,
    pub note: String,
}

/// What an operator submits to declare vacancies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VacancyInput {
    pub places: u16,
    pub declared_on: Date,
    pub note: String,
}

impl VacancyInput {
    pub fn validate(&self, licensed: u16, today: Date) -> Problems {
        let mut p = Problems::new();
        if self.places > licensed {
            p.push(Field::VacantPlaces, Reason::OverLicensed { places: self.places, licensed });
        }
        p.check_date(Field::DeclaredOn, self.declared_on, super::limits::DECLARED_ON, today);
        p.limit_text(Field::VacancyNote, &self.note, MAX_VACANCY_NOTE);
        p
    }
}
