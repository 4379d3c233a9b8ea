//! Needs: create, update, read (the child's identity for its own service
//! only, every such read audited), list. Sibling groups are kept whole and
//! symmetric: naming a sibling puts both in one group.
//!
//! An update by a caller who may not read the child's identity (an
//! administrator handing a need over) sends it blank
//! (`hidden_child_identity`), and the stored identity is kept. Anything
//! else it sends there, a birth date included, is refused.

use std::collections::BTreeSet;

use crate::access::{Operation, Subject};
use crate::model::*;
use crate::store::audit::AuditAction;
use crate::store::TreeId;

use super::families::{normalized_languages, ContactCache};
use super::index::{self, NEED};
use super::write::{Stored, WriteSet};
use super::*;

impl Stored for Need {
    const KIND: RecordKind = RecordKind::Need;

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
        Some(index::need_entries(self))
    }

    /// Matching ranks families for it, or forgets it once closed.
    fn matched(&self, index: &mut crate::matching::MatchIndex, comuni: &Comuni) {
        index.upsert_need(self, comuni);
    }

    fn counted(&self, index: &mut crate::figures::FigureIndex) {
        index.upsert_need(self);
    }

    fn searched(&self, index: &mut crate::search::SearchIndex) {
        index.upsert_need(self);
    }

    fn involved(&self) -> Involved {
        Involved::Service(self.service)
    }
}

/// A sibling need the same transaction rewrites.
struct SiblingChange {
    revision: u64,
    old: Need,
    new: Need,
}

impl Bank {
    pub(super) fn create_need(&self, who: &Principal, input: NeedInput) -> Response {
        let _w = self.write_lock();
        let mut problems = input.validate(&self.context());
        let service = self.owning_service(who, input.service, &mut problems)?;
        self.require(who, Operation::Create, Subject::Need, service, "need.create")?;
        let referent = input.referent.clone().unwrap_or_else(|| who.user.clone());
        if let Some(service) = service {
            self.check_referent(&mut problems, service, &referent)?;
            self.check_siblings(&mut problems, None, service, &input.placement.siblings)?;
        }
        finish(problems)?;
        let service = service.expect("validated above");
        let now = self.clock.now();
        let year = now.year() as u16;
        // Read outside the transaction: a plain read inside one deadlocks
        // on sled's process-wide concurrency lock.
        let loaded = self.load_group(&input.placement.siblings, &[])?;
        let written = self.commit_numbered(&format!("R/{year}"), |number| {
            let mut need = Need {
                code: NeedCode::new(year, number),
                service,
                referent: referent.clone(),
                identity: normalized_identity(&input.identity),
                placement: normalized_placement(&input.placement),
                meta: Meta::new(now, &who.user),
            };
            let siblings = regroup_siblings(&mut need, &[], &loaded);
            let mut set = WriteSet::new(now, &who.user);
            set.create(need);
            for s in siblings {
                set.update(s.revision, s.old, s.new);
            }
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn update_need(&self, who: &Principal, code: NeedCode, base: u64, input: NeedInput) -> Response {
        let may = |old: &Need| self.require(who, Operation::Update, Subject::Need, Some(old.service), "need.update");
        self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &Need, also| {
            let mut input = input;
            if !crate::access::allowed(who, Operation::ReadIdentity, Subject::Need, Some(old.service)) {
                if !input.identity_is_blank() {
                    let condition = super::families::IDENTITY_HIDDEN.into();
                    return Err(BankError::invalid(Field::Identity, Reason::NotExpected { condition }));
                }
                input.identity = old.identity.clone();
            }
            let mut problems = input.validate_since(&self.context(), Some(&old.placement));
            let service = input.service.unwrap_or(old.service);
            if service != old.service {
                self.require(who, Operation::Create, Subject::Need, Some(service), "need.transfer")?;
                self.owning_service(who, Some(service), &mut problems)?;
            }
            let referent = input.referent.clone().unwrap_or_else(|| old.referent.clone());
            self.check_referent(&mut problems, service, &referent)?;
            self.check_siblings(&mut problems, Some(code), service, &input.placement.siblings)?;
            if !old.placement.status.can_become(input.placement.status) {
                problems.push(
                    Field::NeedStatus,
                    Reason::StatusTransition {
                        from: old.placement.status.token().into(),
                        to: input.placement.status.token().into(),
                    },
                );
            }
            finish(problems)?;

            let mut new = Need {
                code,
                service,
                referent,
                identity: normalized_identity(&input.identity),
                placement: normalized_placement(&input.placement),
                meta: old.meta.clone(),
            };
            let loaded = self.load_group(&new.placement.siblings, &old.placement.siblings)?;
            let mut siblings = regroup_siblings(&mut new, &old.placement.siblings, &loaded);
            let mut withdrawn = Vec::new();
            let mut freed = Vec::new();
            if new.placement.status == NeedStatus::Closed && old.placement.status != NeedStatus::Closed {
                withdrawn = self.proposals_withdrawn_by_closing(&new, also.now, &also.by)?;
                freed = self.needs_freed_by_closing(code, &withdrawn)?;
            }
            // A sibling regrouped and freed in the same edit is written once, with both changes.
            freed.retain(|(_, m)| match siblings.iter_mut().find(|s| s.new.code == m.new.code) {
                Some(s) => {
                    s.new.placement.status = m.new.placement.status;
                    false
                }
                None => true,
            });
            for s in siblings {
                also.update(s.revision, s.old, s.new);
            }
            for (revision, old, withdrawn) in withdrawn {
                also.step(revision, old, withdrawn, AuditAction::ProposalStep, &["withdrawn"]);
            }
            for (through, m) in freed {
                m.stage(also, &through.to_string());
            }
            Ok(new)
        })
    }

    /// A need closed by its service takes its pending proposals with it:
    /// withdrawn, with the reason, so no family keeps a place for it.
    /// Each with its revision, as it is and as it becomes.
    fn proposals_withdrawn_by_closing(
        &self,
        need: &Need,
        now: time::OffsetDateTime,
        by: &str,
    ) -> Result<Vec<(u64, Proposal, Proposal)>, BankError> {
        let cause = StepCause::NeedClosed { need: need.code, reason: need.placement.closing_reason };
        let mut out = Vec::new();
        for (code, _, _) in self.index().active_proposals_of_need(need.code) {
            let (revision, old) = self.load_proposal(code)?;
            let mut p = old.clone();
            p.status = ProposalStatus::Withdrawn;
            p.steps.push(ProposalStep {
                status: ProposalStatus::Withdrawn,
                at: now,
                by: by.to_string(),
                note: String::new(),
                cause: Some(cause),
            });
            out.push((revision, old, p));
        }
        Ok(out)
    }

    /// The other needs of the proposals a closing withdraws (the closed
    /// need's siblings) move as a withdrawal moves them (`step_proposal`):
    /// a sibling matched only through them is open again. Each with the
    /// proposal it is moved through.
    fn needs_freed_by_closing(
        &self,
        closed: NeedCode,
        withdrawn: &[(u64, Proposal, Proposal)],
    ) -> Result<Vec<(ProposalCode, super::proposals::NeedMove)>, BankError> {
        let codes: Vec<ProposalCode> = withdrawn.iter().map(|(_, _, p)| p.code).collect();
        let others: BTreeSet<NeedCode> =
            withdrawn.iter().flat_map(|(_, _, p)| p.needs.iter().copied()).filter(|n| *n != closed).collect();
        let others: Vec<NeedCode> = others.into_iter().collect();
        let moves = self.need_moves(&others, &codes, ProposalStatus::Withdrawn)?;
        Ok(moves
            .into_iter()
            .map(|m| {
                let through = withdrawn
                    .iter()
                    .map(|(_, _, p)| p)
                    .find(|p| p.needs.contains(&m.new.code))
                    .map_or(codes[0], |p| p.code);
                (through, m)
            })
            .collect())
    }

    /// A need as `who` may see it; with `identity`, the child's identity
    /// where the rules allow it, and that read on record.
    pub(super) fn get_need(&self, who: &Principal, code: NeedCode, identity: bool) -> Response {
        let (revision, need) = self
            .store
            .get::<Need>(TreeId::Needs, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        self.require(who, Operation::ReadShared, Subject::Need, Some(need.service), "need.read")?;
        let show_identity =
            identity && crate::access::allowed(who, Operation::ReadIdentity, Subject::Need, Some(need.service));
        if show_identity {
            // A child's identity is special-category data: every read is on record.
            let _w = self.write_lock();
            let now = self.clock.now();
            self.store.transact(|tx| {
                tx.audit::<BankError>(now, &who.user, AuditAction::ReadIdentity, &code.to_string(), vec![])?;
                Ok(())
            })?;
        }
        let contact = self.contact(need.service, &need.referent)?;
        let mut view = self.shared_need_view(revision, need.clone(), contact);
        if show_identity {
            view.age_months = need.identity.age_months(self.today());
            view.identity = Some(need.identity);
        }
        Ok(Reply::Need(view))
    }

    /// An administrator's emergency read of a child's identity; the caller
    /// has checked the reason and will put it on record.
    pub(super) fn emergency_need(&self, code: NeedCode) -> Result<NeedView, BankError> {
        let (revision, need) = self
            .store
            .get::<Need>(TreeId::Needs, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        let contact = self.contact(need.service, &need.referent)?;
        let mut view = self.shared_need_view(revision, need.clone(), contact);
        view.identity = Some(need.identity);
        Ok(view)
    }

    pub(super) fn list_needs(&self, who: &Principal, filter: &NeedFilter) -> Response {
        let mut page = super::paging::Pager::new(&self.config, filter.limit);
        let full = self.walk_needs(who, filter, &mut page)?;
        Ok(Reply::Needs(page.page(full)))
    }

    /// How many needs `list_needs` would give over all its pages.
    pub(super) fn count_needs(&self, who: &Principal, filter: &NeedFilter) -> Result<u64, BankError> {
        let mut count = super::paging::Pager::counting();
        self.walk_needs(who, filter, &mut count)?;
        Ok(count.kept())
    }

    /// The needs the caller may list that `filter` keeps, into `page`;
    /// true when the page filled before the end.
    fn walk_needs(
        &self,
        who: &Principal,
        filter: &NeedFilter,
        page: &mut super::paging::Pager<NeedView>,
    ) -> Result<bool, BankError> {
        self.require(who, Operation::ReadShared, Subject::Need, None, "need.list")?;
        let keep = |n: &Need| {
            filter.status.is_none_or(|s| n.placement.status == s)
                && filter.kind.is_none_or(|k| n.placement.kind == k)
                && filter.service.is_none_or(|s| n.service == s)
                && filter.comune.is_none_or(|c| n.placement.comune == c)
                && filter.referent.as_ref().is_none_or(|r| &n.referent == r)
                && filter.emergency.is_none_or(|e| n.placement.is_emergency() == e)
        };
        let mut contacts = ContactCache::default();
        let index = index::most_selective(
            filter.comune,
            filter.referent.as_ref(),
            filter.service,
            filter.status.map(|s| s.token()),
        );
        let after = filter.after.as_ref();
        // Each record with its key; `None` for an index entry whose record is gone.
        type Found = Result<(crate::store::Bytes, Option<(u64, Need)>), BankError>;
        let records: Box<dyn Iterator<Item = Found>> = match index {
            Some((tree, value)) => Box::new(self.index_keys_after(tree, NEED, &value, after).map(|key| {
                let key = key?;
                let found = self.store.get::<Need>(TreeId::Needs, &key)?;
                Ok((key, found))
            })),
            None => Box::new(self.entries_after(TreeId::Needs, after, super::paging::Order::Up).map(|kv| {
                let (key, rev, n) = super::paging::decoded::<Need>(TreeId::Needs, kv)?;
                Ok((key, Some((rev, n))))
            })),
        };
        for item in records {
            let (key, found) = item?;
            let build = found.filter(|(_, n)| keep(n)).map(|(rev, n)| {
                let contacts = &mut contacts;
                move || {
                    let contact = contacts.get(self, n.service, &n.referent)?;
                    Ok::<_, BankError>(self.shared_need_view(rev, n, contact))
                }
            });
            if !page.look_with(key, build)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub(super) fn shared_need_view(&self, revision: u64, need: Need, contact: Contact) -> NeedView {
        NeedView {
            code: need.code,
            revision,
            contact,
            identity: None,
            age_months: need.identity.shared_age_months(self.today()),
            overdue: need.placement.is_overdue(self.today()),
            placement: need.placement,
            meta: need.meta,
        }
    }

    /// Siblings must exist, belong to the same service, be open, and not be the need itself.
    fn check_siblings(
        &self,
        problems: &mut Problems,
        this: Option<NeedCode>,
        service: ServiceCode,
        siblings: &[NeedCode],
    ) -> Result<(), BankError> {
        for s in siblings {
            let field = Field::Siblings;
            if Some(*s) == this {
                problems.push(field, Reason::SiblingIsSelf);
                continue;
            }
            match self.store.get::<Need>(TreeId::Needs, &s.key())? {
                None => problems.push(field, Reason::UnknownCode { code: s.to_string() }),
                Some((_, n)) if n.service != service => {
                    problems.push(field, Reason::SiblingOtherService { code: s.to_string() })
                }
                Some((_, n)) if n.placement.status == NeedStatus::Closed => {
                    problems.push(field, Reason::SiblingClosed { code: s.to_string() })
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The needs a regrouping may touch: the named siblings, their own
    /// siblings, and the previous ones.
    fn load_group(&self, named: &[NeedCode], previous: &[NeedCode]) -> Result<Loaded, BankError> {
        let mut out = Loaded::new();
        for c in named.iter().chain(previous) {
            self.load_into(*c, &mut out)?;
        }
        let members: Vec<NeedCode> =
            named.iter().filter_map(|s| out.get(s)).flat_map(|(_, n)| n.placement.siblings.clone()).collect();
        for c in members {
            self.load_into(c, &mut out)?;
        }
        Ok(out)
    }

    fn load_into(&self, code: NeedCode, out: &mut Loaded) -> Result<(), BankError> {
        if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(code) {
            if let Some(r) = self.store.get::<Need>(TreeId::Needs, &code.key())? {
                slot.insert(r);
            }
        }
        Ok(())
    }
}

type Loaded = std::collections::BTreeMap<NeedCode, (u64, Need)>;

/// Makes the group whole: this need joins its named siblings and their
/// own siblings; every member lists all the others. Members that left
/// the group drop this need. Returns the other needs to rewrite.
fn regroup_siblings(need: &mut Need, previous: &[NeedCode], loaded: &Loaded) -> Vec<SiblingChange> {
    let mut group: BTreeSet<NeedCode> = need.placement.siblings.iter().copied().collect();
    for s in &need.placement.siblings {
        if let Some((_, n)) = loaded.get(s) {
            group.extend(n.placement.siblings.iter().copied());
        }
    }
    group.remove(&need.code);
    need.placement.siblings = group.iter().copied().collect();

    let mut changes = Vec::new();
    let touched: BTreeSet<NeedCode> = group.iter().chain(previous.iter()).copied().collect();
    for code in touched {
        let Some((revision, old)) = loaded.get(&code).cloned() else {
            continue;
        };
        let mut new = old.clone();
        new.placement.siblings = if group.contains(&code) {
            group
                .iter()
                .copied()
                .filter(|c| *c != code)
                .chain(std::iter::once(need.code))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        } else {
            old.placement.siblings.iter().copied().filter(|c| *c != need.code).collect()
        };
        if new.placement.siblings != old.placement.siblings {
            changes.push(SiblingChange { revision, old, new });
        }
    }
    changes
}

fn normalized_identity(id: &ChildIdentity) -> ChildIdentity {
    let mut id = id.clone();
    id.fiscal_code =
        id.fiscal_code.as_deref().map(|cf| crate::model::fiscal_code::validate(cf).unwrap_or_else(|_| cf.to_string()));
    id
}

fn normalized_placement(p: &PlacementNeed) -> PlacementNeed {
    let mut p = p.clone();
    p.languages = normalized_languages(&p.languages);
    p
}
