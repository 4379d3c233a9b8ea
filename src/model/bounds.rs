//! The bounds of a whole stored record: every text within its length and
//! plain, every list within its count, every date within the years a
//! record can carry. Validation checks what an operator submits; this
//! checks what arrives whole — a restore's record lines — so that no input
//! path can store a record larger than the codec reads back. It judges
//! nothing by today: a stored record is history.

use time::Date;

use super::fields::{Field, FieldRef};
use super::limits::*;
use super::placement::FosterPlan;
use super::problem::{DateLimit, Problems, Reason};
use super::{Ambit, Family, Meta, Need, NetworkEvent, Operator, Placement, Proposal, Service};

/// A stored record whose texts, lists and dates can be checked against `limits`.
pub trait Bounded {
    /// Every bound the record breaks, by field (empty when within bounds).
    fn bounds(&self) -> Problems;
}

/// The latest date a stored record may carry: a plan's expected end or
/// planned review, at most 25 years after the record's last change.
fn latest_for(meta: &Meta) -> Date {
    PLACEMENT_PLANNED.latest.resolve(meta.updated_at.date())
}

fn date(p: &mut Problems, field: impl Into<FieldRef>, value: Date, latest: Date) {
    if value < EARLIEST || value > latest {
        p.push(field, Reason::DateOutOfRange { earliest: DateLimit::On(EARLIEST), latest: DateLimit::On(latest) });
    }
}

/// Items of a list: its count, then each of the first `max` items.
fn each<T>(p: &mut Problems, field: Field, items: &[T], max: usize, mut check: impl FnMut(&mut Problems, usize, &T)) {
    p.limit_count(field, items.len(), max);
    for (i, item) in items.iter().enumerate().take(max) {
        check(p, i, item);
    }
}

fn meta(p: &mut Problems, m: &Meta) {
    p.limit_text(Field::MetaCreatedBy, &m.created_by, MAX_USER);
    p.limit_text(Field::MetaUpdatedBy, &m.updated_by, MAX_USER);
}

impl Bounded for Family {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        p.limit_text(Field::Referent, &self.referent, MAX_USER);
        let id = &self.identity;
        each(&mut p, Field::Adults, &id.adults, MAX_ADULTS, |p, i, a| {
            p.limit_text(Field::AdultName.at(i), &a.name, MAX_NAME);
        });
        p.limit_text(Field::IdentityAddress, &id.address, MAX_ADDRESS);
        p.limit_text(Field::IdentityPhone, &id.phone, MAX_PHONE);
        p.limit_text(Field::IdentityEmail, &id.email, MAX_EMAIL);
        let pr = &self.profile;
        p.limit_count(Field::ChildrenBirthYears, pr.household.children_birth_years.len(), MAX_CHILDREN);
        p.limit_text(Field::Pets, &pr.household.pets, MAX_PETS);
        each(&mut p, Field::ProfileLanguages, &pr.languages, MAX_LANGUAGES, |p, i, l| {
            p.limit_text(Field::ProfileLanguages.at(i), l, MAX_LANGUAGE);
        });
        for (field, d) in [
            (Field::TrainingCompletedOn, pr.training_completed_on),
            (Field::ApprovedOn, pr.approved_on),
            (Field::ReviewOn, pr.review_on),
            (Field::ConfirmedOn, pr.confirmed_on),
            (Field::AvailableFrom, pr.available_from),
            (Field::AvailableUntil, pr.available_until),
        ] {
            if let Some(d) = d {
                date(&mut p, field, d, latest);
            }
        }
        p.limit_text(Field::ProfileNotes, &pr.notes, MAX_NOTES);
        let pw = &self.pathway;
        p.limit_text(Field::PathwaySourceNote, &pw.source_note, MAX_NAME);
        p.limit_text(Field::AssessorSocialWorker, &pw.assessors.social_worker, MAX_NAME);
        p.limit_text(Field::AssessorPsychologist, &pw.assessors.psychologist, MAX_NAME);
        each(&mut p, Field::PathwaySteps, &pw.steps, MAX_PATHWAY_STEPS, |p, i, s| {
            date(p, Field::PathwaySteps.at(i), s.date, latest);
            p.limit_text(Field::PathwayStepsBy.at(i), &s.by, MAX_NAME);
            p.limit_text(Field::PathwayStepsNote.at(i), &s.note, MAX_STEP_TEXT);
            p.limit_text(Field::PathwaySteps.at(i), &s.recorded_by, MAX_USER);
        });
        each(&mut p, Field::Support, &self.support, MAX_SUPPORT_ENTRIES, |p, i, e| {
            date(p, Field::Support.at(i), e.date, latest);
            p.limit_text(Field::Support.at(i), &e.note, MAX_STEP_TEXT);
            p.limit_text(Field::Support.at(i), &e.recorded_by, MAX_USER);
        });
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Need {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        p.limit_text(Field::Referent, &self.referent, MAX_USER);
        let id = &self.identity;
        p.limit_text(Field::GivenName, &id.given_name, MAX_CHILD_NAME);
        p.limit_text(Field::FamilyName, &id.family_name, MAX_CHILD_NAME);
        date(&mut p, Field::BirthDate, id.birth_date, latest);
        if let Some(cf) = &id.fiscal_code {
            p.limit_text(Field::FiscalCode, cf, MAX_FISCAL_CODE);
        }
        p.limit_text(Field::IdentityAddress, &id.address, MAX_ADDRESS);
        let pl = &self.placement;
        p.limit_count(Field::Siblings, pl.siblings.len(), MAX_SIBLINGS);
        match &pl.legal {
            super::LegalBasis::Judicial { court, decree } => {
                p.limit_text(Field::Court, court, MAX_COURT);
                p.limit_text(Field::Decree, decree, MAX_DECREE);
            }
            super::LegalBasis::Art403 { ordered_on } => date(&mut p, Field::OrderedOn, *ordered_on, latest),
            super::LegalBasis::Consensual => {}
        }
        if let Some(d) = pl.desired_start {
            date(&mut p, Field::DesiredStart, d, latest);
        }
        if let super::Urgency::Emergency { needed_by } = pl.urgency {
            date(&mut p, Field::Urgency, needed_by, latest);
        }
        each(&mut p, Field::PlacementLanguages, &pl.languages, MAX_LANGUAGES, |p, i, l| {
            p.limit_text(Field::PlacementLanguages.at(i), l, MAX_LANGUAGE);
        });
        p.limit_text(Field::CulturalNotes, &pl.cultural_notes, MAX_CULTURAL_NOTES);
        p.limit_text(Field::PlacementNotes, &pl.notes, MAX_NOTES);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Service {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let s = &self.details;
        p.limit_text(Field::Name, &s.name, MAX_NAME);
        each(&mut p, Field::Ambits, &s.ambits, MAX_AMBITS, |p, i, a| {
            p.limit_text(Field::Ambits.at(i), a, MAX_AMBIT_NAME);
        });
        p.limit_text(Field::Address, &s.address, MAX_ADDRESS);
        p.limit_text(Field::Phone, &s.phone, MAX_PHONE);
        p.limit_text(Field::Email, &s.email, MAX_EMAIL);
        p.limit_text(Field::Notes, &s.notes, MAX_NOTES);
        if let Some(c) = &s.on_call {
            p.limit_text(Field::OnCallName, &c.name, MAX_NAME);
            p.limit_text(Field::OnCallPhone, &c.phone, MAX_PHONE);
            p.limit_text(Field::OnCallHours, &c.hours, MAX_ON_CALL_HOURS);
        }
        if let Some(r) = &s.reception {
            p.limit_text(Field::ManagingBody, &r.managing_body.name, MAX_NAME);
            p.limit_text(Field::LicenceNumber, &r.licence.number, MAX_LICENCE_TEXT);
            p.limit_text(Field::LicenceAuthority, &r.licence.authority, MAX_LICENCE_TEXT);
            p.limit_text(Field::ReceptionReferent, &r.referent, MAX_NAME);
            each(&mut p, Field::ReceptionLanguages, &r.languages, MAX_LANGUAGES, |p, i, l| {
                p.limit_text(Field::ReceptionLanguages.at(i), l, MAX_LANGUAGE);
            });
        }
        if let Some(v) = &self.vacancy {
            p.limit_text(Field::VacancyNote, &v.note, MAX_VACANCY_NOTE);
            p.limit_text(Field::MetaUpdatedBy, &v.by, MAX_USER);
        }
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Operator {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        p.limit_text(Field::User, &self.user, MAX_USER);
        p.limit_text(Field::DisplayName, &self.details.display_name, MAX_NAME);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Ambit {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let a = &self.details;
        p.limit_text(Field::Name, &a.name, MAX_AMBIT_NAME);
        p.limit_count(Field::Comuni, a.comuni.len(), MAX_AMBIT_COMUNI);
        each(&mut p, Field::Districts, &a.districts, MAX_DISTRICTS, |p, i, d| {
            p.limit_text(Field::DistrictName.at(i), &d.name, MAX_AMBIT_NAME);
        });
        // Presidi share the ambit's comuni: together no more than it may hold.
        let in_districts: usize = a.districts.iter().map(|d| d.comuni.len()).sum();
        p.limit_count(Field::DistrictComuni, in_districts, MAX_AMBIT_COMUNI);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Proposal {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        p.limit_count(Field::Needs, self.needs.len(), MAX_PLACED_TOGETHER);
        each(&mut p, Field::Steps, &self.steps, MAX_PROPOSAL_STEPS, |p, i, s| {
            p.limit_text(Field::StepsBy.at(i), &s.by, MAX_USER);
            p.limit_text(Field::StepsNote.at(i), &s.note, MAX_STEP_NOTE);
        });
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Placement {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        p.limit_count(Field::Needs, self.needs.len(), MAX_PLACED_TOGETHER);
        plan_bounds(&mut p, &self.plan, latest);
        let contacts = self.reviews.iter().filter(|r| r.kind == super::ReviewKind::Contact).count();
        p.limit_count(Field::ReviewKind, contacts, MAX_CONTACT_NOTES);
        let formal = self.reviews.len() - contacts;
        p.limit_count(Field::Reviews, formal, MAX_REVIEWS);
        // Each of the reviews and notes the two counts allow.
        for (i, r) in self.reviews.iter().enumerate().take(MAX_REVIEWS + MAX_CONTACT_NOTES) {
            date(&mut p, Field::ReviewsDate.at(i), r.date, latest);
            let max = if r.kind == super::ReviewKind::Contact { MAX_CONTACT_NOTE } else { MAX_PLAN_TEXT };
            p.limit_text(Field::ReviewsNote.at(i), &r.note, max);
            p.limit_text(Field::ReviewsBy.at(i), &r.by, MAX_USER);
        }
        if let Some(c) = &self.closing {
            date(&mut p, Field::ClosingDate, c.date, latest);
            p.limit_text(Field::ClosingNote, &c.note, MAX_PLAN_TEXT);
            p.limit_text(Field::ClosingBy, &c.by, MAX_USER);
        }
        each(&mut p, Field::Extensions, &self.extensions, MAX_EXTENSIONS, |p, i, e| {
            date(p, Field::Extensions.at(i), e.decided_on, latest);
            date(p, Field::Extensions.at(i), e.until, latest);
            p.limit_text(Field::Extensions.at(i), &e.note, MAX_FOLLOW_UP_NOTE);
            p.limit_text(Field::Extensions.at(i), &e.by, MAX_USER);
        });
        each(&mut p, Field::CourtReports, &self.court_reports, MAX_COURT_REPORTS, |p, i, r| {
            date(p, Field::CourtReports.at(i), r.due_on, latest);
            if let Some(d) = r.sent_on {
                date(p, Field::CourtReports.at(i), d, latest);
            }
            p.limit_text(Field::CourtReports.at(i), &r.note, MAX_FOLLOW_UP_NOTE);
            p.limit_text(Field::CourtReports.at(i), &r.by, MAX_USER);
        });
        meta(&mut p, &self.meta);
        p
    }
}

fn plan_bounds(p: &mut Problems, plan: &FosterPlan, latest: Date) {
    date(p, Field::PlanStart, plan.start, latest);
    if let Some(end) = plan.expected_end {
        date(p, Field::PlanExpectedEnd, end, latest);
    }
    p.limit_text(Field::PlanContactNotes, &plan.contact_notes, MAX_PLAN_TEXT);
    p.limit_text(Field::PlanCommitments, &plan.commitments, MAX_PLAN_TEXT);
    each(p, Field::PlanReviewDates, &plan.review_dates, MAX_REVIEW_DATES, |p, i, d| {
        date(p, Field::PlanReviewDates.at(i), *d, latest)
    });
}

#[cfg(test)]
mod tests;

impl Bounded for NetworkEvent {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        let d = &self.details;
        p.limit_text(Field::EventTitle, &d.title, MAX_NAME);
        p.limit_text(Field::EventAssociation, &d.association, MAX_NAME);
        date(&mut p, Field::EventDate, d.date, latest);
        if let Some(u) = d.until {
            date(&mut p, Field::EventUntil, u, latest);
        }
        p.limit_text(Field::EventPlace, &d.place, MAX_ADDRESS);
        p.limit_text(Field::EventNotes, &d.notes, MAX_NOTES);
        meta(&mut p, &self.meta);
        p
    }
}
