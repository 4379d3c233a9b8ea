//! Reception services in the bank: the directory (mappatura) as public
//! entries, declarations of vacancies, and their rankings for a need or a
//! child described on the phone.

use crate::access::{Operation, Subject};
use crate::matching::{MatchIndex, Scale, ServiceFacts, Unit};
use crate::model::*;
use crate::store::audit::AuditAction;
use crate::store::TreeId;

use super::*;

use crate::api::MAX_SERVICE_CANDIDATES;

impl Bank {
    /// A service as the directory shows it: public data, with a reception
    /// service's places as the bank knows them today.
    pub(super) fn directory_entry(&self, s: &Service, index: &MatchIndex, scale: &Scale) -> DirectoryEntry {
        let facts = index.service(s.code);
        let reception = s.details.reception.clone().filter(|_| s.details.kind.is_reception());
        let comune = reception.as_ref().map(|r| r.comune);
        let ambits = match comune.and_then(|c| index.areas().area(c)) {
            Some(a) if s.details.ambits.is_empty() => vec![index.areas().ambit_name(a).to_string()],
            _ => s.details.ambits.clone(),
        };
        let places = facts.map(|f| places_of(f, scale));
        DirectoryEntry {
            code: s.code,
            name: s.details.name.clone(),
            kind: s.details.kind,
            active: s.details.active,
            ambits,
            comune,
            address: s.details.address.clone(),
            phone: s.details.phone.clone(),
            email: s.details.email.clone(),
            on_call: s.details.on_call.clone(),
            reception,
            places,
        }
    }

    /// One service's directory entry, read now.
    pub(super) fn directory_entry_of(&self, code: ServiceCode) -> Result<DirectoryEntry, BankError> {
        let (_, s) = self
            .store
            .get::<Service>(TreeId::Services, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        let index = self.index();
        let scale = self.scale(&index);
        Ok(self.directory_entry(&s, &index, &scale))
    }

    pub(super) fn directory(&self, who: &Principal, filter: &DirectoryFilter) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "directory")?;
        let ambit = match &filter.ambit {
            Some(name) => Some(
                self.index()
                    .ambit_comuni(name)
                    .ok_or_else(|| BankError::invalid(Field::Ambits, Reason::UnknownAmbit { name: name.clone() }))?,
            ),
            None => None,
        };
        let wanted_ambit = filter.ambit.as_deref().map(crate::model::comune::normalize);
        let mut out = Vec::new();
        for item in self.store.iter::<Service>(TreeId::Services) {
            let (_, s) = item?;
            if filter.code.is_some_and(|c| c != s.code) {
                continue;
            }
            let index = self.index();
            let scale = self.scale(&index);
            let e = self.directory_entry(&s, &index, &scale);
            drop(index);
            let keep = (filter.inactive || e.active)
                && filter.kind.is_none_or(|k| k == e.kind)
                && (!filter.reception || e.kind.is_reception())
                && filter.comune.is_none_or(|c| e.comune == Some(c))
                && (!filter.vacant || e.places.as_ref().is_some_and(|p| p.free > 0))
                && match (&ambit, &wanted_ambit) {
                    (Some(comuni), Some(name)) => {
                        e.comune.is_some_and(|c| comuni.contains(&c))
                            || e.ambits.iter().any(|a| crate::model::comune::normalize(a) == *name)
                    }
                    _ => true,
                };
            if keep {
                out.push(e);
                if out.len() == crate::api::MAX_DIRECTORY_ENTRIES {
                    break;
                }
            }
        }
        // By kind (foster services first, in the vocabulary's order), then name.
        out.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
        Ok(Reply::Directory(out))
    }

    /// A reception service declares its vacant places: its own operators,
    /// the coordination, administrators. A new fact, not an edit: based on
    /// the revision read here, so a concurrent change is still refused.
    pub(super) fn declare_vacancy(&self, who: &Principal, code: ServiceCode, input: VacancyInput) -> Response {
        self.require(who, Operation::Update, Subject::Vacancy, Some(code), "vacancy.declare")?;
        let (revision, _) = self
            .store
            .get::<Service>(TreeId::Services, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        let today = self.today();
        self.update_record(
            who,
            &code.key(),
            &code.to_string(),
            revision,
            |_: &Service| Ok(()),
            |old: &Service, also| {
                let Some(r) = old.details.reception.as_ref().filter(|_| old.details.kind.is_reception()) else {
                    return Err(BankError::invalid(Field::Code, Reason::NotReception));
                };
                let mut problems = input.validate(r.licence.places, today);
                // A declaration dated before the latest one would put an older fact over a newer one.
                if let Some(latest) = old.vacancy.as_ref().map(|v| v.declared_on).filter(|d| input.declared_on < *d) {
                    problems.push(
                        Field::DeclaredOn,
                        Reason::DateOutOfRange { earliest: DateLimit::On(latest), latest: DateLimit::Today },
                    );
                }
                finish(problems)?;
                let mut fields = vec!["vacancy.places"];
                if old.vacancy.as_ref().is_none_or(|v| v.declared_on != input.declared_on) {
                    fields.push("vacancy.declared_on");
                }
                if old.vacancy.as_ref().is_none_or(|v| v.note != input.note.trim()) && !input.note.trim().is_empty() {
                    fields.push("vacancy.note");
                }
                also.record_as_step(AuditAction::VacancyDeclared, &fields);
                let mut new = old.clone();
                new.vacancy = Some(Vacancy {
                    places: input.places,
                    declared_on: input.declared_on,
                    by: who.user.clone(),
                    note: input.note.trim().to_string(),
                });
                Ok(new)
            },
        )
    }

    /// The reception services for a unit, as the wire carries them.
    pub(super) fn rank_services(
        &self,
        index: &MatchIndex,
        unit: &Unit,
        scale: &Scale,
        limit: usize,
        place: Option<&crate::matching::Place>,
    ) -> Result<ServiceRanking, BankError> {
        let (top, total, tally) = index.rank_services(unit, scale, limit.min(MAX_SERVICE_CANDIDATES), place);
        let active: Vec<_> = unit.codes().iter().flat_map(|n| index.active_proposals_of_need(*n)).collect();
        let mut candidates = Vec::with_capacity(top.len());
        for (i, r) in top.into_iter().enumerate() {
            let Some((_, s)) = self.store.get::<Service>(TreeId::Services, &r.code.key())? else { continue };
            candidates.push(ServiceCandidate {
                rank: i as u32 + 1,
                service: self.directory_entry(&s, index, scale),
                score: r.scored.score,
                criteria: r.scored.criteria,
                free_places: r.free_places,
                stale: r.stale,
                deci_km: r.distance_km.map(crate::matching::deci_km),
                proposed: active
                    .iter()
                    .find(|(_, h, _)| *h == crate::matching::Host::Service(r.code))
                    .map(|(p, _, st)| (*p, *st)),
            });
        }
        Ok(ServiceRanking {
            considered: tally.considered,
            excluded: tally.excluded.iter().map(|(r, n)| (*r, *n)).collect(),
            candidates_total: total,
            candidates,
        })
    }

    /// Reception services with a place for a child described by profile:
    /// the same rules and score as for a recorded need, storing nothing.
    pub(super) fn places(&self, who: &Principal, profile: ChildProfile, limit: usize) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "places")?;
        let problems = profile.problems(self.today());
        if !problems.is_empty() {
            return Err(BankError::Invalid(problems.into_vec()));
        }
        let index = self.index();
        let place = self.profile_place(&index, &profile)?;
        let scale = self.scale(&index);
        let unit = Unit::of_profile(&profile, self.comuni, scale.today);
        let ranking = self.rank_services(&index, &unit, &scale, limit, place.as_ref())?;
        Ok(Reply::Places(Box::new(ranking)))
    }
}

/// A reception service's places today.
fn places_of(f: &ServiceFacts, scale: &Scale) -> Places {
    Places {
        licensed: f.licensed,
        occupied: f.occupied(),
        held: f.held,
        declared: f.declared.map(|d| d.0),
        declared_on: f.declared.map(|d| d.1),
        free: f.free_places(),
        stale: crate::matching::is_stale(f, scale),
    }
}
