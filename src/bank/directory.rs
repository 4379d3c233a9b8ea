//! The directory: ambiti with their presidi, services, operators. Written
//! by administrators, read by everyone.

use time::OffsetDateTime;

use crate::access::{Operation, Subject};
use crate::model::comune::normalize;
use crate::model::*;
use crate::store::audit::{changed_fields, AuditAction};
use crate::store::TreeId;

use super::*;

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
        let now = self.clock.now();
        let (revision, record, changed) = match existing {
            Some((rev, old)) => {
                let new = Ambit { details: input, meta: old.meta.touched(now, &who.user) };
                let changed = changed_fields(&old.details, &new.details);
                if changed.is_empty() {
                    return Ok(Reply::Saved(Saved {
                        code: new.details.name,
                        revision: rev,
                        changed,
                        also_changed: vec![],
                    }));
                }
                (rev + 1, new, changed)
            }
            None => (1, Ambit { details: input, meta: Meta::new(now, &who.user) }, vec![]),
        };
        let action = if revision == 1 { AuditAction::Create } else { AuditAction::Update };
        self.store.transact(|tx| {
            tx.put(TreeId::Ambits, key.as_bytes(), revision, &record)?;
            tx.audit::<BankError>(now, &who.user, action, &record.details.name, changed.clone())?;
            Ok(())
        })?;
        if let Err(e) = self.reindex_areas() {
            tracing::error!("matching index, ambiti: {e}");
        }
        Ok(Reply::Saved(Saved { code: record.details.name, revision, changed, also_changed: vec![] }))
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
        let mut problems = input.validate();
        self.check_service(&mut problems, &input, None)?;
        finish(problems)?;
        let now = self.clock.now();
        let service = self.store.transact(|tx| {
            let code = ServiceCode(tx.next_number::<BankError>("S")?);
            let service = Service { code, details: input.clone(), meta: Meta::new(now, &who.user) };
            tx.put(TreeId::Services, &code.key(), 1, &service)?;
            tx.audit(now, &who.user, AuditAction::Create, &code.to_string(), vec![])?;
            Ok(service)
        })?;
        self.reindex(&[service.code.to_string()]);
        Ok(Reply::Saved(Saved { code: service.code.to_string(), revision: 1, changed: vec![], also_changed: vec![] }))
    }

    pub(super) fn update_service(
        &self,
        who: &Principal,
        code: ServiceCode,
        base: u64,
        input: ServiceInput,
    ) -> Response {
        self.require(who, Operation::Update, Subject::Directory, None, "service.update")?;
        let _w = self.write_lock();
        let (revision, old) = self
            .store
            .get::<Service>(TreeId::Services, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        if base != revision {
            return Err(conflict(code.to_string(), base, revision, &old.meta));
        }
        let mut problems = input.validate();
        self.check_service(&mut problems, &input, Some(code))?;
        finish(problems)?;
        let changed = changed_fields(&old.details, &input);
        if changed.is_empty() {
            return Ok(Reply::Saved(Saved { code: code.to_string(), revision, changed, also_changed: vec![] }));
        }
        let now = self.clock.now();
        let new = Service { code, details: input, meta: old.meta.touched(now, &who.user) };
        self.store.transact(|tx| {
            tx.put(TreeId::Services, &code.key(), revision + 1, &new)?;
            tx.audit::<BankError>(now, &who.user, AuditAction::Update, &code.to_string(), changed.clone())?;
            Ok(())
        })?;
        self.reindex(&[code.to_string()]);
        Ok(Reply::Saved(Saved { code: code.to_string(), revision: revision + 1, changed, also_changed: vec![] }))
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

    fn check_operator_service(&self, problems: &mut Problems, input: &OperatorInput) -> Result<(), BankError> {
        if let Some(code) = input.service {
            if self.store.get::<Service>(TreeId::Services, &code.key())?.is_none() {
                problems.push(Field::Service, Reason::UnknownService { code: code.to_string() });
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
        let now = self.clock.now();
        let op = Operator { user: user.to_string(), details: input, meta: Meta::new(now, &who.user) };
        self.store.transact(|tx| {
            tx.put(TreeId::Operators, op.user.as_bytes(), 1, &op)?;
            tx.audit::<BankError>(now, &who.user, AuditAction::Create, &op.user, vec![])?;
            Ok(())
        })?;
        self.reindex_operator(&op.user);
        Ok(Reply::Saved(Saved { code: op.user, revision: 1, changed: vec![], also_changed: vec![] }))
    }

    pub(super) fn update_operator(&self, who: &Principal, user: &str, base: u64, input: OperatorInput) -> Response {
        self.require(who, Operation::Update, Subject::Directory, None, "operator.update")?;
        let _w = self.write_lock();
        let (revision, old) = self
            .store
            .get::<Operator>(TreeId::Operators, user.as_bytes())?
            .ok_or_else(|| BankError::NotFound { code: user.to_string() })?;
        if base != revision {
            return Err(conflict(user.to_string(), base, revision, &old.meta));
        }
        let mut problems = input.validate(user);
        self.check_operator_service(&mut problems, &input)?;
        let was_admin = old.details.role == Role::Admin && old.details.active;
        let stays_admin = input.role == Role::Admin && input.active;
        if was_admin && !stays_admin && self.active_admins()? <= 1 {
            // Nobody could manage the bank any more.
            problems.push(Field::Role, Reason::LastAdmin);
        }
        finish(problems)?;
        let changed = changed_fields(&old.details, &input);
        if changed.is_empty() {
            return Ok(Reply::Saved(Saved { code: user.to_string(), revision, changed, also_changed: vec![] }));
        }
        let now = self.clock.now();
        let new = Operator { user: user.to_string(), details: input, meta: old.meta.touched(now, &who.user) };
        self.store.transact(|tx| {
            tx.put(TreeId::Operators, user.as_bytes(), revision + 1, &new)?;
            tx.audit::<BankError>(now, &who.user, AuditAction::Update, user, changed.clone())?;
            Ok(())
        })?;
        self.reindex_operator(user);
        Ok(Reply::Saved(Saved { code: user.to_string(), revision: revision + 1, changed, also_changed: vec![] }))
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
