//! The bounds of a whole stored record: every text within its length and
//! plain, every list within its count, every date within the years a
//! record can carry. Validation checks what an operator submits; this
//! checks what arrives whole — a restore's record lines — so that no input
//! path can store a record larger than the codec reads back. It judges
//! nothing by today: a stored record is history.

use time::Date;

use super::limits::*;
use super::placement::FosterPlan;
use super::problem::{DateLimit, Problems, Reason};
use super::{Ambit, Family, Meta, Need, Operator, Placement, Proposal, Service};

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

fn date(p: &mut Problems, field: &str, value: Date, latest: Date) {
    if value < EARLIEST || value > latest {
        p.push(field, Reason::DateOutOfRange { earliest: DateLimit::On(EARLIEST), latest: DateLimit::On(latest) });
    }
}

/// Items of a list: its count, then each of the first `max` items.
fn each<T>(p: &mut Problems, field: &str, items: &[T], max: usize, mut check: impl FnMut(&mut Problems, String, &T)) {
    p.limit_count(field, items.len(), max);
    for (i, item) in items.iter().enumerate().take(max) {
        check(p, format!("{field}[{i}]"), item);
    }
}

fn meta(p: &mut Problems, m: &Meta) {
    p.limit_text("meta.created_by", &m.created_by, MAX_USER);
    p.limit_text("meta.updated_by", &m.updated_by, MAX_USER);
}

impl Bounded for Family {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        p.limit_text("referent", &self.referent, MAX_USER);
        let id = &self.identity;
        each(&mut p, "identity.adults", &id.adults, MAX_ADULTS, |p, f, a| {
            p.limit_text(&format!("{f}.name"), &a.name, MAX_NAME);
        });
        p.limit_text("identity.address", &id.address, MAX_ADDRESS);
        p.limit_text("identity.phone", &id.phone, MAX_PHONE);
        p.limit_text("identity.email", &id.email, MAX_EMAIL);
        let pr = &self.profile;
        p.limit_count("profile.household.children_birth_years", pr.household.children_birth_years.len(), MAX_CHILDREN);
        p.limit_text("profile.household.pets", &pr.household.pets, MAX_PETS);
        each(&mut p, "profile.languages", &pr.languages, MAX_LANGUAGES, |p, f, l| {
            p.limit_text(&f, l, MAX_LANGUAGE);
        });
        for (field, d) in [
            ("profile.training_completed_on", pr.training_completed_on),
            ("profile.approved_on", pr.approved_on),
            ("profile.review_on", pr.review_on),
            ("profile.confirmed_on", pr.confirmed_on),
        ] {
            if let Some(d) = d {
                date(&mut p, field, d, latest);
            }
        }
        p.limit_text("profile.notes", &pr.notes, MAX_NOTES);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Need {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        p.limit_text("referent", &self.referent, MAX_USER);
        let id = &self.identity;
        p.limit_text("identity.given_name", &id.given_name, MAX_CHILD_NAME);
        p.limit_text("identity.family_name", &id.family_name, MAX_CHILD_NAME);
        date(&mut p, "identity.birth_date", id.birth_date, latest);
        if let Some(cf) = &id.fiscal_code {
            p.limit_text("identity.fiscal_code", cf, MAX_FISCAL_CODE);
        }
        p.limit_text("identity.address", &id.address, MAX_ADDRESS);
        let pl = &self.placement;
        p.limit_count("placement.siblings", pl.siblings.len(), MAX_SIBLINGS);
        if let super::LegalBasis::Judicial { court, decree } = &pl.legal {
            p.limit_text("placement.legal.court", court, MAX_COURT);
            p.limit_text("placement.legal.decree", decree, MAX_DECREE);
        }
        if let Some(d) = pl.desired_start {
            date(&mut p, "placement.desired_start", d, latest);
        }
        if let super::Urgency::Emergency { needed_by } = pl.urgency {
            date(&mut p, "placement.urgency", needed_by, latest);
        }
        each(&mut p, "placement.languages", &pl.languages, MAX_LANGUAGES, |p, f, l| {
            p.limit_text(&f, l, MAX_LANGUAGE);
        });
        p.limit_text("placement.cultural_notes", &pl.cultural_notes, MAX_CULTURAL_NOTES);
        p.limit_text("placement.notes", &pl.notes, MAX_NOTES);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Service {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let s = &self.details;
        p.limit_text("name", &s.name, MAX_NAME);
        each(&mut p, "ambits", &s.ambits, MAX_AMBITS, |p, f, a| {
            p.limit_text(&f, a, MAX_AMBIT_NAME);
        });
        p.limit_text("address", &s.address, MAX_ADDRESS);
        p.limit_text("phone", &s.phone, MAX_PHONE);
        p.limit_text("email", &s.email, MAX_EMAIL);
        p.limit_text("notes", &s.notes, MAX_NOTES);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Operator {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        p.limit_text("user", &self.user, MAX_USER);
        p.limit_text("display_name", &self.details.display_name, MAX_NAME);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Ambit {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let a = &self.details;
        p.limit_text("name", &a.name, MAX_AMBIT_NAME);
        p.limit_count("comuni", a.comuni.len(), MAX_AMBIT_COMUNI);
        each(&mut p, "districts", &a.districts, MAX_DISTRICTS, |p, f, d| {
            p.limit_text(&format!("{f}.name"), &d.name, MAX_AMBIT_NAME);
        });
        // Presidi share the ambit's comuni: together no more than it may hold.
        let in_districts: usize = a.districts.iter().map(|d| d.comuni.len()).sum();
        p.limit_count("districts.comuni", in_districts, MAX_AMBIT_COMUNI);
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Proposal {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        p.limit_count("needs", self.needs.len(), MAX_PLACED_TOGETHER);
        each(&mut p, "steps", &self.steps, MAX_PROPOSAL_STEPS, |p, f, s| {
            p.limit_text(&format!("{f}.by"), &s.by, MAX_USER);
            p.limit_text(&format!("{f}.note"), &s.note, MAX_STEP_NOTE);
        });
        meta(&mut p, &self.meta);
        p
    }
}

impl Bounded for Placement {
    fn bounds(&self) -> Problems {
        let mut p = Problems::new();
        let latest = latest_for(&self.meta);
        p.limit_count("needs", self.needs.len(), MAX_PLACED_TOGETHER);
        plan_bounds(&mut p, &self.plan, latest);
        each(&mut p, "reviews", &self.reviews, MAX_REVIEWS, |p, f, r| {
            date(p, &format!("{f}.date"), r.date, latest);
            p.limit_text(&format!("{f}.note"), &r.note, MAX_PLAN_TEXT);
            p.limit_text(&format!("{f}.by"), &r.by, MAX_USER);
        });
        if let Some(c) = &self.closing {
            date(&mut p, "closing.date", c.date, latest);
            p.limit_text("closing.note", &c.note, MAX_PLAN_TEXT);
            p.limit_text("closing.by", &c.by, MAX_USER);
        }
        meta(&mut p, &self.meta);
        p
    }
}

fn plan_bounds(p: &mut Problems, plan: &FosterPlan, latest: Date) {
    date(p, "plan.start", plan.start, latest);
    if let Some(end) = plan.expected_end {
        date(p, "plan.expected_end", end, latest);
    }
    p.limit_text("plan.contact_notes", &plan.contact_notes, MAX_PLAN_TEXT);
    p.limit_text("plan.commitments", &plan.commitments, MAX_PLAN_TEXT);
    each(p, "plan.review_dates", &plan.review_dates, MAX_REVIEW_DATES, |p, f, d| date(p, &f, *d, latest));
}

#[cfg(test)]
mod tests;
