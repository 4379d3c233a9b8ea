//! The directory: ambiti with their presidi, services, operators. Written
//! by administrators, read by everyone.

use time::OffsetDateTime;

use crate::access::{Operation, Subject};
use crate::model::comune::normalize;
use crate::model::*;
use crate::store::audit::changed_fields;
use crate::store::TreeId;

use super::write::{Stored, WriteSet};
use super::*;

impl Stored for Service {
    const KIND: RecordKind = RecordKind::Service;

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

    /// Named by what was entered: `name`, not `details.name`; a
    /// declaration of vacancies by its own parts.
    fn changed(old: &Self, new: &Self) -> Vec<String> {
        let mut fields = changed_fields(&old.details, &new.details);
        let part = |v: &Option<Vacancy>| {
            v.as_ref().map(|v| (Some(v.places), Some(v.declared_on), v.note.clone(), v.by.clone())).unwrap_or_default()
        };
        let (a, b) = (part(&old.vacancy), part(&new.vacancy));
        if a != b {
            for (differs, field) in [
                (a.0 != b.0, "vacancy.places"),
                (a.1 != b.1, "vacancy.declared_on"),
                (a.2 != b.2 || a.3 != b.3, "vacancy.note"),
            ] {
                if differs {
                    fields.push(field.to_string());
                }
            }
        }
        fields
    }

    fn searched(&self, index: &mut crate::search::SearchIndex) {
        index.upsert_service(self);
    }

    /// A reception service is ranked with its places at once.
    fn matched(&self, index: &mut crate::matching::MatchIndex, comuni: &Comuni) {
        index.upsert_service(self, comuni);
    }

    fn counted(&self, index: &mut crate::figures::FigureIndex) {
        index.upsert_service(self);
    }
}

impl Stored for Operator {
    const KIND: RecordKind = RecordKind::Operator;

    fn key(&self) -> Vec<u8> {
        self.user.as_bytes().to_vec()
    }

    fn code(&self) -> String {
        self.user.clone()
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }

    fn changed(old: &Self, new: &Self) -> Vec<String> {
        changed_fields(&old.details, &new.details)
    }

    fn searched(&self, index: &mut crate::search::SearchIndex) {
        index.upsert_operator(self);
    }
}

impl Stored for Ambit {
    const KIND: RecordKind = RecordKind::Ambit;

    /// Its name as compared: one ambito per name, whatever the case.
    fn key(&self) -> Vec<u8> {
        self.details.key().into_bytes()
    }

    fn code(&self) -> String {
        self.details.name.clone()
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }

    fn changed(old: &Self, new: &Self) -> Vec<String> {
        changed_fields(&old.details, &new.details)
    }

    /// "Same ambito" follows at once.
    fn matched(&self, index: &mut crate::matching::MatchIndex, _: &Comuni) {
        index.upsert_ambit(self);
    }
}

/// The Ambito di Dalmine as published (data/ambiti.csv), for a new bank.
pub(super) fn seed_dalmine(comuni: &Comuni, now: OffsetDateTime, by: &str) -> Option<Ambit> {
    let input = ambits_from_csv(include_str!("../../data/ambiti.csv"), comuni).ok()?.into_iter().next()?;
    Some(Ambit { details: input, meta: Meta::new(now, by) })
}

/// Reads `istat,comune,ambito,presidio` rows into ambiti, in file order.
pub fn ambits_from_csv(text: &str, comuni: &Comuni) -> Result<Vec<AmbitInput>, String> {
    let mut out: Vec<AmbitInput> = Vec::new();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("line {}: {e}", i + 2))?;
        let code = ComuneCode::parse(row.get(0).unwrap_or(""))
            .filter(|c| comuni.get(*c).is_some())
            .ok_or_else(|| format!("line {}: unknown comune", i + 2))?;
        let ambit = row.get(2).unwrap_or("").trim().to_string();
        let district = row.get(3).unwrap_or("").trim().to_string();
        let idx = match out.iter().position(|a| a.name == ambit) {
            Some(idx) => idx,
            None => {
                out.push(AmbitInput { name: ambit, comuni: vec![], districts: vec![] });
                out.len() - 1
            }
        };
        let a = &mut out[idx];
        a.comuni.push(code);
        if !district.is_empty() {
            match a.districts.iter_mut().find(|d| d.name == district) {
                Some(d) => d.comuni.push(code),
                None => a.districts.push(District { name: district, comuni: vec![code] }),
            }
        }
    }
    Ok(out)
}

impl Bank {
    pub(super) fn save_ambit(&self, who: &Principal, input: AmbitInput, base: Option<u64>) -> Response {
        self.require(who, Operation::Update, Subject::Directory, None, "ambit.save")?;
        let _w = self.write_lock();
        let key = input.key();
        let existing = self.store.get::<Ambit>(TreeId::Ambits, key.as_bytes())?;
        match (&existing, base) {
            (Some((rev, old)), Some(b)) if *rev != b => return Err(conflict(input.name.clone(), b, *rev, &old.meta)),
            (Some(_), None) => {
                return Err(BankError::invalid(Field::Name, Reason::Duplicate { value: input.name.clone() }))
            }
            (None, Some(_)) => return Err(BankError::NotFound { code: input.name.clone() }),
            _ => {}
        }
        let mut problems = input.validate(&self.context());
        // A comune belongs to one ambito only.
        for item in self.store.iter::<Ambit>(TreeId::Ambits) {
            let (_, other) = item?;
            if other.details.key() == key {
                continue;
            }
            for c in &input.comuni {
                if other.details.comuni.contains(c) {
                    problems.push(
                        Field::Comuni,
                        Reason::ComuneInOtherAmbit { comune: c.to_string(), ambit: other.details.name.clone() },
                    );
                }
            }
        }
        finish(problems)?;
        let mut set = WriteSet::new(self.clock.now(), &who.user);
        match existing {
            Some((revision, old)) => {
                let new = Ambit { details: input, meta: old.meta.clone() };
                set.update(revision, old, new)
            }
            None => set.create(Ambit { details: input, meta: Meta::new(set.now, &who.user) }),
        };
        Ok(self.commit(set)?.saved())
    }

    pub(super) fn get_ambit(&self, who: &Principal, name: &str) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "ambit.read")?;
        let (revision, record) = self
            .store
            .get::<Ambit>(TreeId::Ambits, normalize(name).as_bytes())?
            .ok_or_else(|| BankError::NotFound { code: name.to_string() })?;
        Ok(Reply::Ambit(Revised { revision, record }))
    }

    pub(super) fn list_ambits(&self, who: &Principal, after: Option<Cursor>, limit: Option<usize>) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "ambit.list")?;
        Ok(Reply::Ambits(self.revised_page(TreeId::Ambits, after.as_ref(), limit, |_: &Ambit| true)?))
    }

    /// A page of a directory tree's records that `keep` says yes to.
    fn revised_page<T: crate::store::Versioned + serde::Serialize>(
        &self,
        tree: TreeId,
        after: Option<&Cursor>,
        limit: Option<usize>,
        keep: impl Fn(&T) -> bool,
    ) -> Result<Page<Revised<T>>, BankError> {
        let mut page = super::paging::Pager::new(&self.config, limit);
        for kv in self.entries_after(tree, after, super::paging::Order::Up) {
            let (k, revision, record) = super::paging::decoded::<T>(tree, kv)?;
            let item = keep(&record).then_some(Revised { revision, record });
            if !page.look(k, item) {
                return Ok(page.stopped());
            }
        }
        Ok(page.finished())
    }

    fn check_service(
        &self,
        problems: &mut Problems,
        input: &ServiceInput,
        this: Option<ServiceCode>,
    ) -> Result<(), BankError> {
        for item in self.store.iter::<Service>(TreeId::Services) {
            let (_, s) = item?;
            if Some(s.code) != this && normalize(&s.details.name) == normalize(&input.name) {
                problems.push(Field::Name, Reason::Duplicate { value: input.name.clone() });
            }
        }
        if let Some(r) = &input.reception {
            if self.comuni.get(r.comune).is_none() {
                problems.push(Field::ReceptionComune, Reason::UnknownComune { code: r.comune.to_string() });
            }
        }
        for a in &input.ambits {
            if !self.store.tree(TreeId::Ambits).contains_key(normalize(a).as_bytes()).map_err(StoreError::from)? {
                problems.push(Field::Ambits, Reason::UnknownAmbit { name: a.clone() });
            }
        }
        Ok(())
    }

    pub(super) fn create_service(&self, who: &Principal, input: ServiceInput) -> Response {
        self.require(who, Operation::Create, Subject::Directory, None, "service.create")?;
        let _w = self.write_lock();
        let mut problems = input.validate_at(None, self.today());
        self.check_service(&mut problems, &input, None)?;
        finish(problems)?;
        let now = self.clock.now();
        let written = self.commit_numbered("S", |number| {
            let mut set = WriteSet::new(now, &who.user);
            set.create(Service {
                code: ServiceCode(number),
                details: input.clone(),
                meta: Meta::new(now, &who.user),
                vacancy: None,
            });
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn update_service(
        &self,
        who: &Principal,
        code: ServiceCode,
        base: u64,
        input: ServiceInput,
    ) -> Response {
        self.require(who, Operation::Update, Subject::Directory, None, "service.update")?;
        self.update_record(
            who,
            &code.key(),
            &code.to_string(),
            base,
            |_: &Service| Ok(()),
            |old: &Service, _| {
                let mut problems = input.validate_at(Some(&old.details), self.today());
                self.check_service(&mut problems, &input, Some(code))?;
                finish(problems)?;
                // A declaration belongs to a reception service: it goes with the kind.
                let vacancy = old.vacancy.clone().filter(|_| input.kind.is_reception());
                Ok(Service { code, details: input, meta: old.meta.clone(), vacancy })
            },
        )
    }

    pub(super) fn get_service(&self, who: &Principal, code: ServiceCode) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "service.read")?;
        let (revision, record) = self
            .store
            .get::<Service>(TreeId::Services, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        Ok(Reply::Service(Revised { revision, record }))
    }

    pub(super) fn list_services(&self, who: &Principal, after: Option<Cursor>, limit: Option<usize>) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "service.list")?;
        Ok(Reply::Services(self.revised_page(TreeId::Services, after.as_ref(), limit, |_: &Service| true)?))
    }

    /// The service must exist; a reception service's operator belongs to
    /// a reception service, and only such an operator does.
    fn check_operator_service(&self, problems: &mut Problems, input: &OperatorInput) -> Result<(), BankError> {
        if let Some(code) = input.service {
            match self.store.get::<Service>(TreeId::Services, &code.key())? {
                None => problems.push(Field::Service, Reason::UnknownService { code: code.to_string() }),
                Some((_, s)) => {
                    let reception = s.details.kind.is_reception();
                    if (input.role == Role::Reception) != reception
                        && matches!(input.role, Role::Reception | Role::Operator)
                    {
                        problems.push(
                            Field::Service,
                            if reception {
                                Reason::NotExpected { condition: format!("role={}", input.role.token()) }
                            } else {
                                Reason::NotReception
                            },
                        );
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn create_operator(&self, who: &Principal, user: &str, input: OperatorInput) -> Response {
        self.require(who, Operation::Create, Subject::Directory, None, "operator.create")?;
        let _w = self.write_lock();
        let mut problems = input.validate(user);
        self.check_operator_service(&mut problems, &input)?;
        if self.store.get::<Operator>(TreeId::Operators, user.as_bytes())?.is_some() {
            problems.push(Field::User, Reason::Duplicate { value: user.to_string() });
        }
        finish(problems)?;
        let mut set = WriteSet::new(self.clock.now(), &who.user);
        set.create(Operator { user: user.to_string(), details: input, meta: Meta::new(set.now, &who.user) });
        Ok(self.commit(set)?.saved())
    }

    pub(super) fn update_operator(&self, who: &Principal, user: &str, base: u64, input: OperatorInput) -> Response {
        self.require(who, Operation::Update, Subject::Directory, None, "operator.update")?;
        self.update_record(
            who,
            user.as_bytes(),
            user,
            base,
            |_: &Operator| Ok(()),
            |old: &Operator, _| {
                let mut problems = input.validate(user);
                self.check_operator_service(&mut problems, &input)?;
                let was_admin = old.details.role == Role::Admin && old.details.active;
                let stays_admin = input.role == Role::Admin && input.active;
                if was_admin && !stays_admin && self.active_admins()? <= 1 {
                    // Nobody could manage the bank any more.
                    problems.push(Field::Role, Reason::LastAdmin);
                }
                finish(problems)?;
                Ok(Operator { user: user.to_string(), details: input, meta: old.meta.clone() })
            },
        )
    }

    fn active_admins(&self) -> Result<usize, BankError> {
        let mut n = 0;
        for item in self.store.iter::<Operator>(TreeId::Operators) {
            let (_, op) = item?;
            if op.details.role == Role::Admin && op.details.active {
                n += 1;
            }
        }
        Ok(n)
    }

    pub(super) fn get_operator(&self, who: &Principal, user: &str) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "operator.read")?;
        let (revision, record) = self
            .store
            .get::<Operator>(TreeId::Operators, user.as_bytes())?
            .ok_or_else(|| BankError::NotFound { code: user.to_string() })?;
        Ok(Reply::Operator(Revised { revision, record }))
    }

    pub(super) fn list_operators(
        &self,
        who: &Principal,
        service: Option<ServiceCode>,
        after: Option<Cursor>,
        limit: Option<usize>,
    ) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "operator.list")?;
        let keep = |op: &Operator| service.is_none_or(|s| op.details.service == Some(s));
        Ok(Reply::Operators(self.revised_page(TreeId::Operators, after.as_ref(), limit, keep)?))
    }
}
