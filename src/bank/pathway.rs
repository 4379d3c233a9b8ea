//! A family's pathway: the first contact with only what is known, each
//! step after it (the status follows from the steps), and the support log.

use time::Date;

use crate::access::{Operation, Subject};
use crate::model::limits::{MAX_PATHWAY_STEPS, MAX_SUPPORT_ENTRIES};
use crate::model::*;
use crate::store::TreeId;

use super::write::WriteSet;
use super::*;

impl Bank {
    pub(super) fn create_enquiry(&self, who: &Principal, input: EnquiryInput) -> Response {
        let _w = self.write_lock();
        let mut problems = input.validate(&self.context());
        let service = self.owning_service(who, input.service, &mut problems)?;
        self.require(who, Operation::Create, Subject::Family, service, "family.create")?;
        if let Some(event) = input.event {
            self.check_event(&mut problems, Field::StepEvent, event, StepKind::Enquiry.event_kind(), input.date)?;
        }
        finish(problems)?;
        let service = service.expect("validated above");
        let names: Vec<String> = input.names.iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
        let adults = names.len().clamp(1, usize::from(u8::MAX)) as u8;
        let now = self.clock.now();
        let year = now.year() as u16;
        let step = PathwayStep {
            kind: StepKind::Enquiry,
            date: input.date,
            by: who.display_name.clone(),
            note: input.note.trim().to_string(),
            reason: None,
            event: input.event,
            recorded_by: who.user.clone(),
        };
        let written = self.commit_numbered(&format!("F/{year}"), |number| {
            let mut set = WriteSet::new(now, &who.user);
            set.create(Family {
                code: FamilyCode::new(year, number),
                service,
                referent: who.user.clone(),
                identity: FamilyIdentity {
                    adults: names.iter().map(|n| Adult { name: n.clone(), birth_year: Adult::UNKNOWN_YEAR }).collect(),
                    address: String::new(),
                    phone: input.phone.trim().to_string(),
                    email: input.email.trim().to_string(),
                },
                profile: unknown_profile(input.comune, adults),
                meta: Meta::new(now, &who.user),
                pathway: Pathway {
                    source: input.source,
                    source_note: input.source_note.trim().to_string(),
                    assessors: Assessors::default(),
                    availability_known: false,
                    steps: vec![step.clone()],
                },
                support: vec![],
            });
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn step_family(&self, who: &Principal, code: FamilyCode, base: u64, input: StepInput) -> Response {
        let may =
            |old: &Family| self.require(who, Operation::Update, Subject::Family, Some(old.service), "family.step");
        self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &Family, _| {
            let cx = self.context();
            let mut problems = input.validate(&cx);
            let status = old.profile.status;
            if input.kind != StepKind::Enquiry {
                match input.kind.leads_to(status) {
                    None => {
                        let next = old.pathway.next_steps(status).iter().map(|s| s.token().to_string()).collect();
                        problems.push(
                            Field::StepKind,
                            Reason::StepNotAllowed {
                                step: input.kind.token().into(),
                                status: status.token().into(),
                                next,
                            },
                        );
                    }
                    Some(_) => {
                        if let Some(missing) = old.pathway.missing_for(input.kind, status) {
                            problems.push(
                                Field::StepKind,
                                Reason::StepWaitsFor {
                                    step: input.kind.token().into(),
                                    missing: missing.step().token().into(),
                                },
                            );
                        }
                    }
                }
            }
            if let Some(event) = input.event {
                self.check_event(&mut problems, Field::StepEvent, event, input.kind.event_kind(), input.date)?;
            }
            // The last places are kept for the steps that end a pathway: a
            // family can always withdraw or be found not suitable.
            let room = if ends_pathway(input.kind) { MAX_PATHWAY_STEPS } else { MAX_PATHWAY_STEPS - 2 };
            problems.limit_count(Field::PathwaySteps, old.pathway.steps.len() + 1, room);
            // Nothing before the pathway's last turn (the first contact, an
            // approval, a suspension…): the steps tell a story in order.
            if let Some(since) = old.pathway.last_turn() {
                if input.date < since {
                    problems.push(
                        Field::StepDate,
                        Reason::DateOutOfRange { earliest: DateLimit::On(since), latest: DateLimit::Today },
                    );
                }
            }
            finish(problems)?;
            let mut new = old.clone();
            apply_step(&mut new, &input, who, u32::from(self.config.care.revision_months));
            // The status reached must hold as a whole: an approved family
            // says what it offers; an assessed one gives the first adult's year.
            let mut problems = Problems::new();
            if new.profile.status == FamilyStatus::Approved && !new.pathway.availability_known {
                problems.push(Field::ProfileKinds, Reason::RequiredWhen { condition: "status=approved".into() });
            }
            let whole = FamilyInput {
                service: Some(new.service),
                referent: Some(new.referent.clone()),
                identity: new.identity.clone(),
                profile: new.profile.clone(),
            };
            for p in whole.validate_since(&cx, Some(&old.profile)).into_vec() {
                if !problems.as_slice().contains(&p) {
                    problems.push(p.field, p.reason);
                }
            }
            finish(problems)?;
            Ok(new)
        })
    }

    pub(super) fn support_family(&self, who: &Principal, code: FamilyCode, base: u64, entry: SupportEntry) -> Response {
        let may =
            |old: &Family| self.require(who, Operation::Update, Subject::Family, Some(old.service), "family.support");
        self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &Family, _| {
            let mut problems = entry.validate(&self.context());
            if let Some(event) = entry.event {
                self.check_event(&mut problems, Field::SupportEvent, event, Some(EventKind::SupportGroup), entry.date)?;
            }
            problems.limit_count(Field::Support, old.support.len() + 1, MAX_SUPPORT_ENTRIES);
            finish(problems)?;
            let mut new = old.clone();
            let entry = SupportEntry { note: entry.note.trim().to_string(), recorded_by: who.user.clone(), ..entry };
            let at = new.support.partition_point(|e| e.date <= entry.date);
            new.support.insert(at, entry);
            Ok(new)
        })
    }

    /// The event named exists, is of the kind the step or entry stands
    /// for, and had begun by the day attended (`on`).
    fn check_event(
        &self,
        problems: &mut Problems,
        field: Field,
        code: EventCode,
        kind: Option<EventKind>,
        on: Date,
    ) -> Result<(), BankError> {
        match self.store.get::<NetworkEvent>(TreeId::Events, &code.key())? {
            None => problems.push(field, Reason::UnknownCode { code: code.to_string() }),
            Some((_, e)) => {
                if let Some(kind) = kind.filter(|k| *k != e.details.kind) {
                    problems.push(field, Reason::EventKindMismatch { expected: kind.token().into() });
                } else if e.details.date > on {
                    problems.push(field, Reason::EventNotYetHeld { on: e.details.date });
                }
            }
        }
        Ok(())
    }
}

/// Steps after which the pathway is over.
fn ends_pathway(kind: StepKind) -> bool {
    matches!(kind, StepKind::Withdrawal | StepKind::NotApproved)
}

/// The family after `input`: the step in its place, the status it leads
/// to, and the profile's dates that follow from it.
fn apply_step(family: &mut Family, input: &StepInput, who: &Principal, revision_months: u32) {
    let from = family.profile.status;
    let p = &mut family.profile;
    p.status = input.kind.leads_to(from).unwrap_or(from);
    match input.kind {
        StepKind::Training => p.training_completed_on = p.training_completed_on.max(Some(input.date)),
        StepKind::Approval => {
            p.approved_on = Some(input.date);
            p.review_on = Some(crate::model::dates::add_months(input.date, revision_months));
            p.confirmed_on = p.confirmed_on.max(Some(input.date));
        }
        StepKind::Revision => {
            p.review_on = Some(crate::model::dates::add_months(input.date, revision_months));
            p.confirmed_on = p.confirmed_on.max(Some(input.date));
        }
        _ => {}
    }
    if let Some(a) = &input.assessors {
        family.pathway.assessors =
            Assessors { social_worker: a.social_worker.trim().into(), psychologist: a.psychologist.trim().into() };
    }
    let by = match input.by.trim() {
        "" => who.display_name.clone(),
        by => by.to_string(),
    };
    family.pathway.insert(PathwayStep {
        kind: input.kind,
        date: input.date,
        by,
        note: input.note.trim().to_string(),
        reason: input.reason,
        event: input.event,
        recorded_by: who.user.clone(),
    });
}

/// The profile of a family that has not said yet what it offers: the
/// fields hold their widest values, shown as "not yet known".
pub(super) fn unknown_profile(comune: ComuneCode, adults: u8) -> AvailabilityProfile {
    AvailabilityProfile {
        comune,
        household: Household { adults, ..Household::default() },
        kinds: Default::default(),
        ages: AgeRange { min_months: 0, max_months: crate::model::age::MAX_AGE_MONTHS },
        sex_preference: SexPreference::Any,
        max_children: 1,
        siblings_accepted: false,
        special_needs_accepted: Default::default(),
        languages: vec![],
        time_slots: Default::default(),
        max_distance_km: None,
        training_completed_on: None,
        status: FamilyStatus::Enquiring,
        approved_on: None,
        review_on: None,
        confirmed_on: None,
        notes: String::new(),
        available_from: None,
        available_until: None,
    }
}
