//! Families: create, update, read (the private part where allowed), list.
//!
//! An update by a caller who may not read the family's private part (an
//! administrator handing a family over, changing its referent or profile)
//! sends that part empty, and the stored one is kept: it can neither wipe
//! nor change what it cannot see. A private part it sends anyway is refused.

use crate::access::{allowed, Operation, Subject};
use crate::model::*;
use crate::store::TreeId;

use super::index::{self, FAMILY};
use super::write::{Stored, WriteSet};
use super::*;

impl Stored for Family {
    const KIND: RecordKind = RecordKind::Family;

    fn key(&self) -> Vec<u8> {
        self.code.key().to_vec()
    }

    fn code(&self) -> String {
        self.code.to_string()
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }

    fn entries(&self) -> Option<index::Entries> {
        Some(index::family_entries(self))
    }

    /// Matching ranks it as saved (its load from the proposals and placements known).
    fn matched(&self, index: &mut crate::matching::MatchIndex, comuni: &Comuni) {
        index.upsert_family(self, comuni);
    }

    fn counted(&self, index: &mut crate::figures::FigureIndex) {
        index.upsert_family(self);
    }

    fn searched(&self, index: &mut crate::search::SearchIndex) {
        index.upsert_family(self);
    }

    fn involved(&self) -> Involved {
        Involved::Service(self.service)
    }
}

impl Bank {
    pub(super) fn create_family(&self, who: &Principal, input: FamilyInput) -> Response {
        let _w = self.write_lock();
        let mut problems = input.validate(&self.context());
        let service = self.owning_service(who, input.service, &mut problems)?;
        self.require(who, Operation::Create, Subject::Family, service, "family.create")?;
        let referent = input.referent.clone().unwrap_or_else(|| who.user.clone());
        if let Some(service) = service {
            self.check_referent(&mut problems, service, &referent)?;
        }
        finish(problems)?;
        let service = service.expect("validated above");
        let now = self.clock.now();
        let year = now.year() as u16;
        let written = self.commit_numbered(&format!("F/{year}"), |number| {
            let mut set = WriteSet::new(now, &who.user);
            set.create(Family {
                code: FamilyCode::new(year, number),
                service,
                referent: referent.clone(),
                identity: input.identity.clone(),
                profile: normalized_profile(&input.profile),
                meta: Meta::new(now, &who.user),
                pathway: pathway_of_new(&input.profile, who, now.date()),
                support: vec![],
            });
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn update_family(&self, who: &Principal, code: FamilyCode, base: u64, input: FamilyInput) -> Response {
        let may =
            |old: &Family| self.require(who, Operation::Update, Subject::Family, Some(old.service), "family.update");
        self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &Family, _| {
            let input = if allowed(who, Operation::ReadIdentity, Subject::Family, Some(old.service)) {
                input
            } else if input.private_is_empty() {
                with_stored_private(input, old)
            } else {
                return Err(BankError::invalid(
                    Field::Identity,
                    Reason::NotExpected { condition: IDENTITY_HIDDEN.into() },
                ));
            };
            let mut problems = input.validate_since(&self.context(), Some(&old.profile));
            let service = input.service.unwrap_or(old.service);
            if service != old.service {
                // Moving a family to another service hands it over: admin only.
                self.require(who, Operation::Create, Subject::Family, Some(service), "family.transfer")?;
                self.owning_service(who, Some(service), &mut problems)?;
            }
            let referent = input.referent.clone().unwrap_or_else(|| old.referent.clone());
            self.check_referent(&mut problems, service, &referent)?;
            // The idoneità and its revision are the steps' to set, until the family is approved.
            let approved = matches!(old.profile.status, FamilyStatus::Approved | FamilyStatus::Suspended);
            if !approved && input.profile.approved_on != old.profile.approved_on {
                problems.push(Field::ApprovedOn, Reason::SetByStep { step: StepKind::Approval.token().into() });
            }
            if !approved && input.profile.review_on != old.profile.review_on {
                problems.push(Field::ReviewOn, Reason::SetByStep { step: StepKind::Approval.token().into() });
            }
            if old.profile.status != input.profile.status {
                // The status moves with a step of the pathway, which records
                // when, who and why: the refusal names the steps possible now.
                let next = old.pathway.next_steps(old.profile.status).iter().map(|s| s.token().to_string()).collect();
                problems.push(
                    Field::FamilyStatus,
                    Reason::StatusByStep {
                        from: old.profile.status.token().into(),
                        to: input.profile.status.token().into(),
                        next,
                    },
                );
            }
            finish(problems)?;
            let profile = normalized_profile(&input.profile);
            let mut pathway = old.pathway.clone();
            // Saying what the family offers makes it known; correcting a
            // phone number does not.
            pathway.availability_known |= offers_changed(&old.profile, &profile);
            Ok(Family {
                code,
                service,
                referent,
                identity: input.identity,
                profile,
                meta: old.meta.clone(),
                pathway,
                support: old.support.clone(),
            })
        })
    }

    pub(super) fn get_family(&self, who: &Principal, code: FamilyCode) -> Response {
        let (revision, family) = self
            .store
            .get::<Family>(TreeId::Families, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        self.require(who, Operation::ReadShared, Subject::Family, Some(family.service), "family.read")?;
        let show_private = allowed(who, Operation::ReadIdentity, Subject::Family, Some(family.service));
        // The support log is case work of the family's own service.
        let show_support = show_private && who.service == Some(family.service);
        Ok(Reply::Family(self.family_view(revision, family, show_private, show_support)?))
    }

    /// An administrator's emergency read of a family's private part; the
    /// caller has checked the reason and will put it on record.
    pub(super) fn emergency_family(&self, code: FamilyCode) -> Result<FamilyView, BankError> {
        let (revision, family) = self
            .store
            .get::<Family>(TreeId::Families, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        self.family_view(revision, family, true, false)
    }

    pub(super) fn list_families(&self, who: &Principal, filter: &FamilyFilter) -> Response {
        let mut page = super::paging::Pager::new(&self.config, filter.limit);
        let full = self.walk_families(who, filter, &mut page)?;
        let index = self.index();
        for view in page.items_mut() {
            view.free_places = index.family(view.code).map(|f| f.free_places());
        }
        drop(index);
        Ok(Reply::Families(page.page(full)))
    }

    /// How many families `list_families` would give over all its pages.
    pub(super) fn count_families(&self, who: &Principal, filter: &FamilyFilter) -> Result<u64, BankError> {
        // What the matching index knows of every family answers all but the
        // referent: counted there, no record read.
        // Everyone who may list families lists them all (shared views).
        let query = self.family_query(filter)?;
        if query.facts_suffice() {
            self.require(who, Operation::ReadShared, Subject::Family, None, "family.list")?;
            let (today, stale_after) = (self.today(), self.config.stale_after_months);
            let index = self.index();
            return Ok(index.families().filter(|f| query.keeps_facts(f, today, stale_after)).count() as u64);
        }
        let mut count = super::paging::Pager::counting();
        self.walk_families(who, filter, &mut count)?;
        Ok(count.kept())
    }

    /// The families the caller may list that `filter` keeps, into `page`;
    /// true when the page filled before the end.
    fn walk_families(
        &self,
        who: &Principal,
        filter: &FamilyFilter,
        page: &mut super::paging::Pager<FamilyView>,
    ) -> Result<bool, BankError> {
        self.require(who, Operation::ReadShared, Subject::Family, None, "family.list")?;
        let query = self.family_query(filter)?;
        let today = self.today();
        let stale_after = self.config.stale_after_months;
        // A family the matching index does not hold counts as free, as in its view.
        let free = |code: FamilyCode| {
            if query.counts_places() {
                self.index().family(code).map(|f| f.free_places())
            } else {
                None
            }
        };
        let keep = |f: &Family| query.keeps_record(f, free(f.code), today, stale_after);
        let mut contacts = ContactCache::default();
        let query = &query;
        let mut look = |page: &mut super::paging::Pager<FamilyView>, key, found: Option<(u64, Family)>| {
            let build = found.filter(|(_, f)| keep(f)).map(|(revision, f)| {
                let contacts = &mut contacts;
                move || {
                    let contact = contacts.get(self, f.service, &f.referent)?;
                    let distance_m = query.distance_m(f.profile.comune);
                    let mut view = self.shared_family_view(revision, f, contact);
                    view.distance_m = distance_m;
                    Ok::<_, BankError>(view)
                }
            });
            page.look_with(key, build)
        };
        if filter.sort == FamilySort::Distance {
            return self.walk_families_by_distance(query, look, page);
        }
        let index = index::most_selective(
            filter.comune,
            filter.referent.as_ref(),
            filter.service,
            filter.status.map(|s| s.token()),
        );
        let after = filter.after.as_ref();
        match index {
            Some((tree, value)) => {
                for key in self.index_keys_after(tree, FAMILY, &value, after) {
                    let key = key?;
                    // An index entry whose record is gone is looked at all the same: the cursor moves on.
                    let found = self.store.get::<Family>(TreeId::Families, &key)?;
                    if !look(page, key, found)? {
                        return Ok(true);
                    }
                }
            }
            None => {
                for kv in self.entries_after(TreeId::Families, after, super::paging::Order::Up) {
                    let (key, rev, f) = super::paging::decoded::<Family>(TreeId::Families, kv)?;
                    if !look(page, key, Some((rev, f)))? {
                        return Ok(true);
                    }
                }
            }
        }
        Ok(false)
    }

    fn family_view(
        &self,
        revision: u64,
        family: Family,
        show_private: bool,
        show_support: bool,
    ) -> Result<FamilyView, BankError> {
        let contact = self.contact(family.service, &family.referent)?;
        let private = show_private.then(|| FamilyPrivate::of(&family));
        let pathway = show_private.then(|| PathwayView {
            next_steps: family.pathway.next_steps(family.profile.status),
            pathway: family.pathway.clone(),
        });
        let support = show_support.then(|| family.support.clone());
        let mut view = self.shared_family_view(revision, family, contact);
        view.pathway = pathway;
        view.support = support;
        view.free_places = self.index().family(view.code).map(|f| f.free_places());
        view.private = private;
        Ok(view)
    }

    /// What every service sees of a family: nothing of its private part.
    pub(super) fn shared_family_view(&self, revision: u64, family: Family, contact: Contact) -> FamilyView {
        FamilyView {
            code: family.code,
            revision,
            contact,
            private: None,
            stale: family.is_stale(self.today(), self.config.stale_after_months),
            free_places: None,
            distance_m: None,
            profile: SharedProfile {
                availability_known: family.pathway.availability_known,
                ..SharedProfile::of(&family.profile)
            },
            pathway: None,
            support: None,
            meta: family.meta,
        }
    }
}

/// The pathway of a family entered with the whole form: what it offers is
/// known; an enquiring one starts with its first contact, today.
fn pathway_of_new(profile: &AvailabilityProfile, who: &Principal, today: time::Date) -> Pathway {
    let mut pathway = Pathway::before_pathways();
    if profile.status == FamilyStatus::Enquiring {
        pathway.steps.push(PathwayStep {
            kind: StepKind::Enquiry,
            date: today,
            by: who.display_name.clone(),
            note: String::new(),
            reason: None,
            event: None,
            recorded_by: who.user.clone(),
        });
    }
    pathway
}

/// Whether a change touches what the family offers (kinds, ages, places, times).
fn offers_changed(old: &AvailabilityProfile, new: &AvailabilityProfile) -> bool {
    old.kinds != new.kinds
        || old.ages != new.ages
        || old.sex_preference != new.sex_preference
        || old.max_children != new.max_children
        || old.siblings_accepted != new.siblings_accepted
        || old.special_needs_accepted != new.special_needs_accepted
        || old.time_slots != new.time_slots
        || old.languages != new.languages
}

/// The condition of the problem refusing a private part from a caller who may not read it.
pub(super) const IDENTITY_HIDDEN: &str = "identity=hidden";

/// `input` with the stored private part in place of the empty one sent.
fn with_stored_private(mut input: FamilyInput, stored: &Family) -> FamilyInput {
    input.identity = stored.identity.clone();
    let (h, old) = (&mut input.profile.household, &stored.profile.household);
    h.children_birth_years = old.children_birth_years.clone();
    h.pets = old.pets.clone();
    input.profile.notes = stored.profile.notes.clone();
    input
}

/// Languages are stored by their canonical name, whoever typed them and how.
fn normalized_profile(p: &AvailabilityProfile) -> AvailabilityProfile {
    let mut p = p.clone();
    p.languages = normalized_languages(&p.languages);
    p
}

pub(super) fn normalized_languages(langs: &[String]) -> Vec<String> {
    crate::model::languages::normalized(langs)
}

/// Lists name the same few services and referents over and over.
#[derive(Default)]
pub(super) struct ContactCache(std::collections::HashMap<(ServiceCode, String), Contact>);

impl ContactCache {
    pub(super) fn get(&mut self, bank: &Bank, service: ServiceCode, referent: &str) -> Result<Contact, BankError> {
        if let Some(c) = self.0.get(&(service, referent.to_string())) {
            return Ok(c.clone());
        }
        let c = bank.contact(service, referent)?;
        self.0.insert((service, referent.to_string()), c.clone());
        Ok(c)
    }
}
