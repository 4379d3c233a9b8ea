//! A family's pathway (percorso): from the first contact through
//! information, training and assessment to idoneità, and after it the
//! suspensions, the revisions and the way out. Each step has a date, who
//! did it and a note; the family's status follows from the steps, never
//! from a status typed by hand. Also the support log (diario di
//! sostegno): what the service does for a foster family, during and
//! between placements.

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes::EventCode;
use super::fields::Field;
use super::limits;
use super::meta::Context;
use super::problem::{Problems, Reason};
use super::vocabulary::{fold_token, FamilyStatus};
use super::Lang;

vocabulary! {
    /// How a family came to the service.
    pub enum EnquirySource {
        InformationEvening => ("information_evening", "serata_informativa", "serata informativa", "information evening"),
        Campaign => ("campaign", "campagna", "campagna di sensibilizzazione", "awareness campaign"),
        WordOfMouth => ("word_of_mouth", "passaparola", "passaparola", "word of mouth"),
        AnotherFamily => ("another_family", "altra_famiglia", "un'altra famiglia affidataria", "another foster family"),
        Referral => ("referral", "segnalazione", "segnalazione di un servizio", "referred by a service"),
        Association => ("association", "associazione", "associazione", "association"),
        Web => ("web", "web", "sito o social", "website or social media"),
        Other => ("other", "altro", "altro", "other"),
    }
}

vocabulary! {
    /// A step of the pathway. Variant order is storage order: append only.
    pub enum StepKind {
        Enquiry => ("enquiry", "primo_contatto", "primo contatto", "enquiry"),
        Information => ("information", "informazione", "incontro informativo", "information meeting"),
        Training => ("training", "formazione", "corso di formazione", "training course"),
        AssessmentStart => ("assessment_start", "avvio_valutazione", "avvio della valutazione", "assessment start"),
        Interview => ("interview", "colloquio", "colloquio di valutazione", "assessment interview"),
        HomeVisit => ("home_visit", "visita_domiciliare", "visita domiciliare", "home visit"),
        Report => ("report", "relazione", "relazione di valutazione", "assessment report"),
        Approval => ("approval", "idoneita", "idoneità", "approval"),
        NotApproved => ("not_approved", "non_idoneita", "non idoneità", "not approved"),
        Suspension => ("suspension", "sospensione", "sospensione", "suspension"),
        Resumption => ("resumption", "riattivazione", "riattivazione", "resumption"),
        Withdrawal => ("withdrawal", "ritiro", "ritiro", "withdrawal"),
        Revision => ("revision", "revisione", "revisione dell'idoneità", "approval review"),
    }
}

vocabulary! {
    /// Why a family was suspended, not approved or withdrew.
    pub enum StepReason {
        FamilyCircumstances => ("family_circumstances", "motivi_familiari", "motivi familiari (nascita, lutto, lavoro)", "family circumstances (birth, loss, work)"),
        Health => ("health", "salute", "motivi di salute", "health"),
        MovedAway => ("moved_away", "trasferimento", "trasferimento", "moved away"),
        ChoseAdoption => ("chose_adoption", "scelta_adottiva", "scelta adottiva", "chose adoption"),
        NotReady => ("not_ready", "non_pronta", "motivazione o preparazione non sufficiente", "motivation or readiness not sufficient"),
        HouseholdUnsuitable => ("household_unsuitable", "contesto_non_adeguato", "contesto familiare non adeguato", "household not suitable"),
        Rested => ("rested", "pausa_dopo_affido", "pausa dopo un affido", "a rest after a placement"),
        LostContact => ("lost_contact", "irreperibile", "non più reperibile", "no longer reachable"),
        ServiceDecision => ("service_decision", "decisione_servizio", "decisione del servizio", "the service's decision"),
        Other => ("other", "altro", "altro (vedi nota)", "other (see note)"),
    }
}

vocabulary! {
    /// What kind of support a service gave a foster family.
    pub enum SupportKind {
        Contact => ("contact", "contatto", "colloquio o telefonata", "talk or phone call"),
        HomeVisit => ("home_visit", "visita", "visita domiciliare", "home visit"),
        Supervision => ("supervision", "supervisione", "supervisione", "supervision"),
        Group => ("group", "gruppo", "gruppo di sostegno", "support group"),
        Other => ("other", "altro", "altro", "other"),
    }
}

/// The pathway of one family. Stored with the family (one record, one
/// revision: a step and the status it moves are saved together).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pathway {
    /// How the family came, when the service knows.
    pub source: Option<EnquirySource>,
    /// Which campaign, which family, which evening: a few words.
    pub source_note: String,
    /// The assessors named when the assessment started.
    pub assessors: Assessors,
    /// Whether the family has said what it can offer (kinds, ages,
    /// places, times). Until it has, the profile shows "not yet known".
    pub availability_known: bool,
    /// In date order (the order of recording for one day).
    pub steps: Vec<PathwayStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Assessors {
    pub social_worker: String,
    pub psychologist: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathwayStep {
    pub kind: StepKind,
    pub date: Date,
    /// Who did it, as the service names them ("A. Rota, assistente sociale").
    pub by: String,
    pub note: String,
    /// Required when the step closes or suspends (`StepKind::needs_reason`).
    pub reason: Option<StepReason>,
    /// The network's event the family attended for this step.
    pub event: Option<EventCode>,
    /// The operator who recorded it (from the kernel).
    pub recorded_by: String,
}

/// One entry of a family's support log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportEntry {
    pub kind: SupportKind,
    pub date: Date,
    pub note: String,
    /// A support group's meeting, when it was one of the network's events.
    pub event: Option<EventCode>,
    pub recorded_by: String,
}

/// What an operator sends to record a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    pub kind: StepKind,
    pub date: Date,
    /// Empty: the operator recording it.
    pub by: String,
    pub note: String,
    pub reason: Option<StepReason>,
    pub event: Option<EventCode>,
    /// For `AssessmentStart`: who assesses.
    pub assessors: Option<Assessors>,
}

/// What an operator sends for a first contact: only what is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnquiryInput {
    /// Required for admin and coordination; operators record in their own service.
    pub service: Option<super::codes::ServiceCode>,
    /// The adults' names, as they gave them.
    pub names: Vec<String>,
    pub phone: String,
    pub email: String,
    pub comune: super::comune::ComuneCode,
    /// The day of the first contact.
    pub date: Date,
    pub source: Option<EnquirySource>,
    pub source_note: String,
    /// The information evening where the family was met, if any.
    pub event: Option<EventCode>,
    pub note: String,
}

pub use limits::{MAX_PATHWAY_STEPS, MAX_STEP_TEXT, MAX_SUPPORT_ENTRIES};

impl StepKind {
    /// The status after this step from `from`; `None` when the step is not
    /// one the family can take from there.
    pub fn leads_to(self, from: FamilyStatus) -> Option<FamilyStatus> {
        use FamilyStatus::*;
        use StepKind::*;
        match (self, from) {
            (Information | Training, Enquiring) => Some(Enquiring),
            (Training, UnderAssessment) => Some(UnderAssessment),
            (AssessmentStart, Enquiring) => Some(UnderAssessment),
            (Interview | HomeVisit | Report, UnderAssessment) => Some(UnderAssessment),
            (Approval, UnderAssessment) => Some(Approved),
            (StepKind::NotApproved, UnderAssessment | Approved | Suspended) => Some(FamilyStatus::NotApproved),
            (Suspension, Approved) => Some(Suspended),
            (Resumption, Suspended) => Some(Approved),
            (Withdrawal, Enquiring | UnderAssessment | Approved | Suspended) => Some(Withdrawn),
            (Revision, Approved | Suspended) => Some(from),
            _ => None,
        }
    }

    /// "colloquio di valutazione (colloquio)": what the step is, and what to type for it.
    pub fn named(self, lang: Lang) -> String {
        format!("{} ({})", self.label(lang), self.typed(lang))
    }

    /// Steps that close or suspend a pathway say why, from the vocabulary.
    pub fn needs_reason(self) -> bool {
        matches!(self, StepKind::NotApproved | StepKind::Suspension | StepKind::Withdrawal)
    }

    /// What an event of this kind may stand for in a pathway.
    pub fn event_kind(self) -> Option<super::event::EventKind> {
        use super::event::EventKind;
        match self {
            StepKind::Enquiry | StepKind::Information => Some(EventKind::InformationEvening),
            StepKind::Training => Some(EventKind::TrainingCourse),
            _ => None,
        }
    }
}

/// What is still missing before a step may be taken, besides the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The assessment needs at least one interview, a home visit and then a report.
    Interview,
    HomeVisit,
    Report,
}

impl Missing {
    pub fn step(self) -> StepKind {
        match self {
            Missing::Interview => StepKind::Interview,
            Missing::HomeVisit => StepKind::HomeVisit,
            Missing::Report => StepKind::Report,
        }
    }
}

impl Pathway {
    /// The pathway of a family recorded before pathways were: its profile
    /// was entered whole, so its availability is known.
    pub fn before_pathways() -> Pathway {
        Pathway { availability_known: true, ..Pathway::default() }
    }

    /// The steps since the last assessment started (the current one).
    fn current_assessment(&self) -> &[PathwayStep] {
        let start = self.steps.iter().rposition(|s| s.kind == StepKind::AssessmentStart).unwrap_or(0);
        &self.steps[start..]
    }

    fn done_in_assessment(&self, kind: StepKind) -> bool {
        self.current_assessment().iter().any(|s| s.kind == kind)
    }

    /// What `step` still waits for, in the order practice does it.
    pub fn missing_for(&self, step: StepKind, status: FamilyStatus) -> Option<Missing> {
        if status != FamilyStatus::UnderAssessment {
            return None;
        }
        let needs = match step {
            StepKind::Report => &[Missing::Interview, Missing::HomeVisit][..],
            StepKind::Approval | StepKind::NotApproved => {
                &[Missing::Interview, Missing::HomeVisit, Missing::Report][..]
            }
            _ => &[][..],
        };
        needs.iter().copied().find(|m| !self.done_in_assessment(m.step()))
    }

    /// The steps the family may take now, the expected one first.
    pub fn next_steps(&self, status: FamilyStatus) -> Vec<StepKind> {
        use StepKind::*;
        let order: &[StepKind] = match status {
            FamilyStatus::Enquiring => {
                let informed = self.steps.iter().any(|s| s.kind == Information);
                let trained = self.steps.iter().any(|s| s.kind == Training);
                match (informed, trained) {
                    (false, _) => &[Information, Training, AssessmentStart, Withdrawal],
                    (true, false) => &[Training, AssessmentStart, Information, Withdrawal],
                    (true, true) => &[AssessmentStart, Information, Training, Withdrawal],
                }
            }
            FamilyStatus::UnderAssessment => match self.missing_for(Approval, status) {
                Some(Missing::Interview) => &[Interview, HomeVisit, Training, Withdrawal],
                Some(Missing::HomeVisit) => &[HomeVisit, Interview, Training, Withdrawal],
                Some(Missing::Report) => &[Report, Interview, HomeVisit, Training, Withdrawal],
                None => &[Approval, StepKind::NotApproved, Interview, HomeVisit, Report, Withdrawal],
            },
            FamilyStatus::Approved => &[Revision, Suspension, StepKind::NotApproved, Withdrawal],
            FamilyStatus::Suspended => &[Resumption, Revision, StepKind::NotApproved, Withdrawal],
            FamilyStatus::Withdrawn | FamilyStatus::NotApproved => &[],
        };
        order.to_vec()
    }

    /// The day of the last step that moved the pathway on (the first
    /// contact, the start of the assessment, an approval, a suspension…):
    /// no step is dated before it.
    pub fn last_turn(&self) -> Option<Date> {
        use StepKind::*;
        self.steps
            .iter()
            .filter(|s| {
                matches!(
                    s.kind,
                    Enquiry
                        | AssessmentStart
                        | Approval
                        | NotApproved
                        | Suspension
                        | Resumption
                        | Withdrawal
                        | Revision
                )
            })
            .map(|s| s.date)
            .max()
    }

    /// The date of the last step; the first contact's when there is none.
    pub fn last_step_on(&self) -> Option<Date> {
        self.steps.iter().map(|s| s.date).max()
    }

    /// The day the family first came, when the pathway records it.
    pub fn enquiry_on(&self) -> Option<Date> {
        self.steps.iter().find(|s| s.kind == StepKind::Enquiry).map(|s| s.date)
    }

    /// The day of the latest approval, when the pathway records one.
    pub fn approved_on(&self) -> Option<Date> {
        self.steps.iter().rev().find(|s| s.kind == StepKind::Approval).map(|s| s.date)
    }

    /// Puts a step in date order, after the steps of the same day.
    pub fn insert(&mut self, step: PathwayStep) {
        let at = self.steps.partition_point(|s| s.date <= step.date);
        self.steps.insert(at, step);
    }

    /// The bounds of what a restore or an old record may carry.
    pub fn validate(&self, p: &mut Problems) {
        p.limit_text(Field::PathwaySourceNote, &self.source_note, limits::MAX_NAME);
        p.limit_text(Field::AssessorSocialWorker, &self.assessors.social_worker, limits::MAX_NAME);
        p.limit_text(Field::AssessorPsychologist, &self.assessors.psychologist, limits::MAX_NAME);
        p.limit_count(Field::PathwaySteps, self.steps.len(), MAX_PATHWAY_STEPS);
        for (i, s) in self.steps.iter().enumerate().take(MAX_PATHWAY_STEPS) {
            p.limit_text(Field::PathwayStepsBy.at(i), &s.by, limits::MAX_NAME);
            p.limit_text(Field::PathwayStepsNote.at(i), &s.note, MAX_STEP_TEXT);
        }
    }
}

impl StepInput {
    /// The step's own rules; whether the family may take it is the bank's
    /// (`Pathway::next_steps`, `Pathway::missing_for`).
    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        p.check_date(Field::StepDate, self.date, limits::PATHWAY_EVENT, cx.today);
        p.limit_text(Field::StepBy, &self.by, limits::MAX_NAME);
        p.limit_text(Field::StepNote, &self.note, MAX_STEP_TEXT);
        if self.kind.needs_reason() && self.reason.is_none() {
            p.push(Field::StepReason, Reason::RequiredWhen { condition: format!("step={}", self.kind.token()) });
        }
        if !self.kind.needs_reason() && self.reason.is_some() {
            p.push(Field::StepReason, Reason::NotExpected { condition: format!("step={}", self.kind.token()) });
        }
        if self.kind == StepKind::AssessmentStart {
            match &self.assessors {
                None => p.push(Field::Assessors, Reason::RequiredWhen { condition: "step=assessment_start".into() }),
                Some(a) => {
                    p.require_text(Field::AssessorSocialWorker, &a.social_worker, limits::MAX_NAME);
                    p.require_text(Field::AssessorPsychologist, &a.psychologist, limits::MAX_NAME);
                }
            }
        } else if self.assessors.is_some() {
            p.push(Field::Assessors, Reason::NotExpected { condition: format!("step={}", self.kind.token()) });
        }
        if self.event.is_some() && self.kind.event_kind().is_none() {
            p.push(Field::StepEvent, Reason::NotExpected { condition: format!("step={}", self.kind.token()) });
        }
        if self.kind == StepKind::Enquiry {
            // The first contact is the record's creation (`EnquiryInput`).
            p.push(Field::StepKind, Reason::NotExpected { condition: "step=enquiry".into() });
        }
        p
    }
}

impl SupportEntry {
    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        p.check_date(Field::SupportDate, self.date, limits::PATHWAY_EVENT, cx.today);
        p.require_text(Field::SupportNote, &self.note, MAX_STEP_TEXT);
        if self.event.is_some() && self.kind != SupportKind::Group {
            p.push(Field::SupportEvent, Reason::NotExpected { condition: format!("kind={}", self.kind.token()) });
        }
        p
    }
}

impl EnquiryInput {
    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        if self.names.iter().all(|n| n.trim().is_empty()) {
            p.push(Field::Adults, Reason::Required);
        }
        p.limit_count(Field::Adults, self.names.len(), limits::MAX_ADULTS);
        for (i, n) in self.names.iter().enumerate().take(limits::MAX_ADULTS) {
            if i == 0 || !n.trim().is_empty() {
                p.require_text(Field::AdultName.at(i), n, limits::MAX_NAME);
            }
        }
        p.check_phone(Field::IdentityPhone, &self.phone);
        p.check_email(Field::IdentityEmail, &self.email);
        if self.phone.trim().is_empty() && self.email.trim().is_empty() {
            p.push(Field::IdentityPhone, Reason::RequiredWhen { condition: "email=empty".into() });
        }
        if cx.comuni.get(self.comune).is_none() {
            p.push(Field::ProfileComune, Reason::UnknownComune { code: self.comune.to_string() });
        }
        p.check_date(Field::StepDate, self.date, limits::PATHWAY_EVENT, cx.today);
        p.limit_text(Field::PathwaySourceNote, &self.source_note, limits::MAX_NAME);
        p.limit_text(Field::StepNote, &self.note, MAX_STEP_TEXT);
        p
    }
}

/// "colloquio, visita domiciliare" in the caller's language.
pub fn step_list(steps: &[StepKind], lang: Lang) -> String {
    steps.iter().map(|s| s.label(lang)).collect::<Vec<_>>().join(", ")
}

/// When the reminders fall due (`[care]` in the configuration file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CareConfig {
    /// An enquiry or an assessment with no step for this long is due a call.
    pub idle_weeks: u16,
    /// An approved family never proposed, not heard for this long, is due a call.
    pub waiting_days: u16,
    /// How long before a placement's expected end it shows as due.
    pub end_notice_days: u16,
    /// Months from an approval (or its revision) to the next revision.
    pub revision_months: u16,
}

impl Default for CareConfig {
    fn default() -> Self {
        CareConfig { idle_weeks: 6, waiting_days: 90, end_notice_days: 60, revision_months: 24 }
    }
}

impl CareConfig {
    /// Every threshold within sense (a zero would make everything due at once).
    pub fn check(&self) -> Result<(), String> {
        for (key, value, max) in [
            ("care.idle_weeks", self.idle_weeks, 104),
            ("care.waiting_days", self.waiting_days, 730),
            ("care.end_notice_days", self.end_notice_days, 365),
            ("care.revision_months", self.revision_months, 120),
        ] {
            if !(1..=max).contains(&value) {
                return Err(format!("{key} = {value}: must be between 1 and {max}"));
            }
        }
        Ok(())
    }
}
