//! Export to JSON Lines and import into an empty bank: the backup, and the
//! path across a future change of storage format.
//!
//! The file is self-describing: a header line, then one record per line,
//! each tagged with its kind — counters, ambiti, services, operators,
//! families, needs, and the audit chain — in key order, so the same bank
//! always exports the same bytes. An import restores the bank exactly,
//! audit chain included (verified on the way in); it writes nothing unless
//! every line is valid.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::access::{Operation, Subject};
use crate::model::*;
use crate::store::audit::{AuditAction, AuditEntry, ChainBreak};
use crate::store::{meta_key, TreeId};

use super::index::{self, FAMILY, NEED};
use super::*;

/// 2: codes as text (`"F-2026-0042"`), proposals and placements. Version 1 files still import.
pub const EXPORT_VERSION: u32 = 2;
const EXPORT_FORMAT: &str = "banca-export";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportLine {
    Header {
        format: String,
        version: u32,
        store_format: u32,
    },
    Counter {
        series: String,
        value: u32,
    },
    Ambit {
        revision: u64,
        record: Ambit,
    },
    Service {
        revision: u64,
        record: Service,
    },
    Operator {
        revision: u64,
        record: Operator,
    },
    Family {
        revision: u64,
        record: Family,
    },
    Need {
        revision: u64,
        record: Need,
    },
    Proposal {
        revision: u64,
        record: Proposal,
    },
    Placement {
        revision: u64,
        record: Placement,
    },
    Audit {
        record: AuditEntry,
    },
    /// The last line: how many came before it, so a file cut short is refused.
    End {
        lines: u64,
    },
}

impl ExportLine {
    pub fn header() -> ExportLine {
        ExportLine::Header {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            store_format: crate::store::STORE_FORMAT,
        }
    }

    pub fn to_json(&self) -> String {
        // Lossless: bidi and C1 characters written as \u escapes, so `less` on a backup is safe.
        crate::model::plain::inert_json(&serde_json::to_string(self).expect("export lines are plain data")).into_owned()
    }
}

impl Bank {
    /// The administrator's backup: every record whole, identities included
    /// (the one read of identities that is not an emergency: the file is
    /// the bank itself, kept like the bank). On record as an export.
    pub(super) fn export(&self, who: &Principal) -> Response {
        self.require(who, Operation::ReadIdentity, Subject::Backup, None, "export")?;
        // Holding the writer lock makes the snapshot consistent: no write
        // lands between the first line and the last.
        let _w = self.write_lock();
        let mut lines = vec![ExportLine::header().to_json()];
        for kv in self.store.tree(TreeId::Meta).scan_prefix(meta_key::COUNTER_PREFIX) {
            let (k, v) = kv.map_err(StoreError::from)?;
            let series = String::from_utf8_lossy(&k[meta_key::COUNTER_PREFIX.len()..]).into_owned();
            let value = v.as_ref().try_into().map(u32::from_be_bytes).unwrap_or(0);
            lines.push(ExportLine::Counter { series, value }.to_json());
        }
        for item in self.store.iter::<Ambit>(TreeId::Ambits) {
            let (revision, record) = item?;
            lines.push(ExportLine::Ambit { revision, record }.to_json());
        }
        for item in self.store.iter::<Service>(TreeId::Services) {
            let (revision, record) = item?;
            lines.push(ExportLine::Service { revision, record }.to_json());
        }
        for item in self.store.iter::<Operator>(TreeId::Operators) {
            let (revision, record) = item?;
            lines.push(ExportLine::Operator { revision, record }.to_json());
        }
        for item in self.store.iter::<Family>(TreeId::Families) {
            let (revision, record) = item?;
            lines.push(ExportLine::Family { revision, record }.to_json());
        }
        for item in self.store.iter::<Need>(TreeId::Needs) {
            let (revision, record) = item?;
            lines.push(ExportLine::Need { revision, record }.to_json());
        }
        for item in self.store.iter::<Proposal>(TreeId::Proposals) {
            let (revision, record) = item?;
            lines.push(ExportLine::Proposal { revision, record }.to_json());
        }
        for item in self.store.iter::<Placement>(TreeId::Placements) {
            let (revision, record) = item?;
            lines.push(ExportLine::Placement { revision, record }.to_json());
        }
        for item in self.store.iter::<AuditEntry>(TreeId::Audit) {
            let (_, record) = item?;
            lines.push(ExportLine::Audit { record }.to_json());
        }
        let count = lines.len() as u64;
        lines.push(ExportLine::End { lines: count }.to_json());
        // The export itself carries every child's identity: on record.
        let now = self.clock.now();
        self.store.transact(|tx| {
            tx.audit::<BankError>(now, &who.user, AuditAction::Export, "*", vec![])?;
            Ok(())
        })?;
        Ok(Reply::Export { lines })
    }

    /// Restores into an empty bank; only the server's own user (or root)
    /// may, as with `init`: an empty bank has nobody else to ask.
    pub(super) fn import(&self, actor: &Actor, lines: Vec<String>) -> Response {
        let _w = self.write_lock();
        if !self.store.is_empty() {
            return Err(BankError::NotEmpty);
        }
        if !actor.server_user {
            return Err(BankError::ServerUserOnly { action: "import".into() });
        }
        let parsed = parse_and_check(&lines, self.comuni)?;
        self.write_import(&parsed, actor)?;
        self.rebuild_index()?;
        Ok(Reply::Imported(parsed.summary()))
    }

    /// Writes a checked import. A marker makes it all or nothing: a bank
    /// whose import was cut short refuses to open.
    fn write_import(&self, p: &Parsed, actor: &Actor) -> Result<(), BankError> {
        let tree = |t| self.store.tree(t);
        let err = |e: sled::Error| BankError::from(StoreError::from(e));
        // Every record is encoded, and proved readable, before anything is written.
        let mut pending = PendingWrites::default();
        for (rev, a) in &p.ambits {
            pending.record(TreeId::Ambits, a.details.key().as_bytes(), *rev, a)?;
        }
        for (rev, s) in &p.services {
            pending.record(TreeId::Services, &s.code.key(), *rev, s)?;
        }
        for (rev, o) in &p.operators {
            pending.record(TreeId::Operators, o.user.as_bytes(), *rev, o)?;
        }
        for (rev, f) in &p.families {
            let key = f.code.key();
            pending.record(TreeId::Families, &key, *rev, f)?;
            pending.index(FAMILY, &index::family_entries(f), &key);
        }
        for (rev, n) in &p.needs {
            let key = n.code.key();
            pending.record(TreeId::Needs, &key, *rev, n)?;
            pending.index(NEED, &index::need_entries(n), &key);
        }
        for (rev, x) in &p.proposals {
            pending.record(TreeId::Proposals, &x.code.key(), *rev, x)?;
        }
        for (rev, x) in &p.placements {
            pending.record(TreeId::Placements, &x.code.key(), *rev, x)?;
        }
        for e in &p.audit {
            pending.record(TreeId::Audit, &AuditEntry::key(e.seq), 1, e)?;
        }
        let mut meta = sled::Batch::default();
        for (series, value) in &p.counters {
            meta.insert(crate::store::counter_key(series), &value.to_be_bytes());
        }
        if let Some(last) = p.audit.last() {
            let mut head = last.seq.to_be_bytes().to_vec();
            head.extend_from_slice(&last.hash);
            meta.insert(meta_key::AUDIT_HEAD, head);
        }
        let now = self.clock.now();
        let stamp = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        meta.insert(meta_key::RESTORED, format!("{} {}", actor.user, stamp).as_bytes());
        // Plain inserts, not `transact`: the disk's reserve is checked here.
        self.store.check_writable()?;
        tree(TreeId::Meta).insert(meta_key::IMPORTING, &[1u8]).map_err(err)?;
        self.store.flush()?;
        pending.write(&self.store)?;
        tree(TreeId::Meta).apply_batch(meta).map_err(err)?;
        self.store.flush()?;
        tree(TreeId::Meta).remove(meta_key::IMPORTING).map_err(err)?;
        self.store.flush()?;
        Ok(())
    }
}

/// Every key and value of an import, by tree, written once all are encoded.
#[derive(Default)]
struct PendingWrites(BTreeMap<usize, Vec<KeyValue>>);

type KeyValue = (Vec<u8>, Vec<u8>);

impl PendingWrites {
    /// A record, encoded and proved readable (`store::encode_for`).
    fn record<T: crate::store::Versioned>(
        &mut self,
        tree: TreeId,
        key: &[u8],
        revision: u64,
        record: &T,
    ) -> Result<(), StoreError> {
        let value = crate::store::encode_for(tree, key, revision, record)?;
        self.put(tree, key, value);
        Ok(())
    }

    fn put(&mut self, tree: TreeId, key: &[u8], value: Vec<u8>) {
        self.0.entry(tree as usize).or_default().push((key.to_vec(), value));
    }

    /// Writes every tree, each in key order: sled fills its leaves
    /// sequentially. (Plain inserts: a sled batch of this size is several
    /// times slower and holds gigabytes; all-or-nothing comes from the
    /// import marker instead.)
    fn write(self, store: &crate::store::Store) -> Result<(), BankError> {
        for (t, mut entries) in self.0 {
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let tree = store.tree(TreeId::ALL[t]);
            for (k, v) in entries {
                tree.insert(k, v).map_err(StoreError::from)?;
            }
        }
        Ok(())
    }

    fn index(&mut self, kind: u8, entries: &index::Entries, key: &[u8]) {
        for (tree, value) in entries {
            let mut k = crate::store::index_key_prefix(kind, value);
            k.extend_from_slice(key);
            self.put(*tree, &k, vec![]);
        }
    }
}

/// An import file, read and checked, ready to write.
#[derive(Default)]
pub(crate) struct Parsed {
    counters: BTreeMap<String, u32>,
    ambits: Vec<(u64, Ambit)>,
    services: Vec<(u64, Service)>,
    operators: Vec<(u64, Operator)>,
    families: Vec<(u64, Family)>,
    needs: Vec<(u64, Need)>,
    proposals: Vec<(u64, Proposal)>,
    placements: Vec<(u64, Placement)>,
    audit: Vec<AuditEntry>,
}

impl Parsed {
    fn summary(&self) -> ImportSummary {
        ImportSummary {
            ambits: self.ambits.len() as u64,
            services: self.services.len() as u64,
            operators: self.operators.len() as u64,
            families: self.families.len() as u64,
            needs: self.needs.len() as u64,
            proposals: self.proposals.len() as u64,
            placements: self.placements.len() as u64,
            audit_entries: self.audit.len() as u64,
        }
    }
}

/// Checks an export without writing anything: what `Import` would restore,
/// or every bad line by number. (The reader the fuzz tests drive.)
pub fn check_import(lines: &[String], comuni: &Comuni) -> Result<ImportSummary, BankError> {
    parse_and_check(lines, comuni).map(|p| p.summary())
}

/// Reads every line and checks every record, reporting each bad line by number.
pub(crate) fn parse_and_check(lines: &[String], comuni: &Comuni) -> Result<Parsed, BankError> {
    let mut p = Parsed::default();
    let mut faults: Vec<LineProblem> = Vec::new();
    let mut fault = |line: usize, problem: LineFault| faults.push(LineProblem { line, problem });
    // Where each record was, to report cross-reference problems on its line.
    let mut family_lines = Vec::new();
    let mut need_lines = Vec::new();
    let mut proposal_lines = Vec::new();
    let mut placement_lines = Vec::new();
    let mut audit_lines = Vec::new();
    let mut seen = BTreeSet::new();

    let mut ended = false;
    // Lines of the file before `End`, blank ones aside: a blank line cannot
    // stand in for a record cut out.
    let mut counted = 0u64;
    for (i, text) in lines.iter().enumerate() {
        let n = i + 1;
        if text.trim().is_empty() {
            continue;
        }
        if ended {
            fault(n, LineFault::AfterEnd);
            continue;
        }
        // How many lines came before this one.
        let before_this = counted;
        counted += 1;
        let line: ExportLine = match serde_json::from_str(text) {
            Ok(l) => l,
            Err(e) => {
                fault(n, LineFault::Unreadable(e.to_string()));
                continue;
            }
        };
        if n == 1 {
            match line {
                ExportLine::Header { format, version, .. } if format == EXPORT_FORMAT && version <= EXPORT_VERSION => {}
                _ => fault(1, LineFault::BadHeader),
            }
            continue;
        }
        let cx_at = |at: OffsetDateTime| Context { today: at.date(), comuni };
        let mut unique = |key: String| {
            if seen.insert(key.clone()) {
                None
            } else {
                Some(LineFault::DuplicateRecord(key))
            }
        };
        let (problems, dup) = match line {
            ExportLine::Header { .. } => (vec![], Some(LineFault::BadHeader)),
            ExportLine::End { lines: count } => {
                ended = true;
                let fault =
                    (count != before_this).then_some(LineFault::Truncated { expected: count, found: before_this });
                (vec![], fault)
            }
            ExportLine::Counter { series, value } => {
                let mut problems = Problems::new();
                if !is_series(&series) {
                    problems.push("series", Reason::UnknownCode { code: series.clone() });
                }
                let dup = unique(format!("counter {series}"));
                p.counters.insert(series, value);
                (problems.into_vec(), dup)
            }
            ExportLine::Ambit { revision, record } => {
                let mut problems = record.details.validate(&cx_at(record.meta.updated_at)).into_vec();
                problems.extend(meta_problems(&record.meta));
                let dup = unique(format!("ambit {}", record.details.key()));
                p.ambits.push((revision, record));
                (problems, dup)
            }
            ExportLine::Service { revision, record } => {
                let mut problems = record.details.validate().into_vec();
                problems.extend(meta_problems(&record.meta));
                let dup = unique(record.code.to_string());
                p.services.push((revision, record));
                (problems, dup)
            }
            ExportLine::Operator { revision, record } => {
                let mut problems = record.details.validate(&record.user).into_vec();
                problems.extend(meta_problems(&record.meta));
                let dup = unique(format!("operator {}", record.user));
                p.operators.push((revision, record));
                (problems, dup)
            }
            ExportLine::Family { revision, record } => {
                let input = FamilyInput {
                    service: Some(record.service),
                    referent: Some(record.referent.clone()),
                    identity: record.identity.clone(),
                    profile: record.profile.clone(),
                };
                let mut problems = input.validate(&cx_at(record.meta.updated_at)).into_vec();
                problems.extend(meta_problems(&record.meta));
                let dup = unique(record.code.to_string());
                family_lines.push(n);
                p.families.push((revision, record));
                (problems, dup)
            }
            ExportLine::Need { revision, record } => {
                let input = NeedInput {
                    service: Some(record.service),
                    referent: Some(record.referent.clone()),
                    identity: record.identity.clone(),
                    placement: record.placement.clone(),
                };
                let mut problems = input.validate(&cx_at(record.meta.updated_at)).into_vec();
                problems.extend(meta_problems(&record.meta));
                let dup = unique(record.code.to_string());
                need_lines.push(n);
                p.needs.push((revision, record));
                (problems, dup)
            }
            ExportLine::Proposal { revision, record } => {
                let mut problems = Vec::new();
                problems.extend(meta_problems(&record.meta));
                if record.needs.is_empty() {
                    problems.push(Problem::new("needs", Reason::Required));
                }
                problems.extend(step_problems(&record.steps));
                if record.steps.last().is_none_or(|s| s.status != record.status) {
                    problems.push(Problem::new(
                        "steps",
                        Reason::StatusTransition { from: "?".into(), to: record.status.token().into() },
                    ));
                }
                let dup = unique(record.code.to_string());
                proposal_lines.push(n);
                p.proposals.push((revision, record));
                (problems, dup)
            }
            ExportLine::Placement { revision, record } => {
                let mut problems = record.plan.validate(&cx_at(record.meta.created_at)).into_vec();
                problems.extend(meta_problems(&record.meta));
                problems.extend(placement_text_problems(&record));
                if record.needs.is_empty() {
                    problems.push(Problem::new("needs", Reason::Required));
                }
                let dup = unique(record.code.to_string());
                placement_lines.push(n);
                p.placements.push((revision, record));
                (problems, dup)
            }
            ExportLine::Audit { record } => {
                let problems = audit_text_problems(&record);
                audit_lines.push(n);
                p.audit.push(record);
                (problems, None)
            }
        };
        if !problems.is_empty() {
            fault(n, LineFault::Invalid(problems));
        }
        if let Some(d) = dup {
            fault(n, d);
        }
    }

    // References between records of the file.
    let services: BTreeSet<ServiceCode> = p.services.iter().map(|(_, s)| s.code).collect();
    let operators: BTreeMap<&str, &Operator> = p.operators.iter().map(|(_, o)| (o.user.as_str(), o)).collect();
    let needs: BTreeSet<NeedCode> = p.needs.iter().map(|(_, n)| n.code).collect();
    let check_owner = |service: ServiceCode, referent: &str| {
        let mut problems = Vec::new();
        if !services.contains(&service) {
            problems.push(Problem::new("service", Reason::UnknownService { code: service.to_string() }));
        }
        if !operators.contains_key(referent) {
            problems.push(Problem::new("referent", Reason::UnknownOperator { user: referent.to_string() }));
        }
        problems
    };
    for ((_, f), line) in p.families.iter().zip(&family_lines) {
        let problems = check_owner(f.service, &f.referent);
        if !problems.is_empty() {
            fault(*line, LineFault::Invalid(problems));
        }
    }
    for ((_, n), line) in p.needs.iter().zip(&need_lines) {
        let mut problems = check_owner(n.service, &n.referent);
        for s in &n.placement.siblings {
            if !needs.contains(s) {
                problems.push(Problem::new("placement.siblings", Reason::UnknownCode { code: s.to_string() }));
            }
        }
        if !problems.is_empty() {
            fault(*line, LineFault::Invalid(problems));
        }
    }
    let families: BTreeSet<FamilyCode> = p.families.iter().map(|(_, f)| f.code).collect();
    let proposals: BTreeSet<ProposalCode> = p.proposals.iter().map(|(_, x)| x.code).collect();
    // A proposal or placement names needs, a family and two services of the file.
    let check_link = |linked: &[NeedCode], family: FamilyCode, services: [ServiceCode; 2]| {
        let mut problems = Vec::new();
        for n in linked {
            if !needs.contains(n) {
                problems.push(Problem::new("needs", Reason::UnknownCode { code: n.to_string() }));
            }
        }
        if !families.contains(&family) {
            problems.push(Problem::new("family", Reason::UnknownCode { code: family.to_string() }));
        }
        for s in services {
            if !p.services.iter().any(|(_, x)| x.code == s) {
                problems.push(Problem::new("service", Reason::UnknownService { code: s.to_string() }));
            }
        }
        problems
    };
    for ((_, x), line) in p.proposals.iter().zip(&proposal_lines) {
        let problems = check_link(&x.needs, x.family, [x.need_service, x.family_service]);
        if !problems.is_empty() {
            fault(*line, LineFault::Invalid(problems));
        }
    }
    for ((_, x), line) in p.placements.iter().zip(&placement_lines) {
        let mut problems = check_link(&x.needs, x.family, [x.need_service, x.family_service]);
        if !proposals.contains(&x.proposal) {
            problems.push(Problem::new("proposal", Reason::UnknownCode { code: x.proposal.to_string() }));
        }
        if !problems.is_empty() {
            fault(*line, LineFault::Invalid(problems));
        }
    }
    let head = p.audit.last().map(|e| (e.seq, e.hash));
    if let Err(b) = crate::store::audit::verify(p.audit.iter().map(|e| (e.seq, Ok(e.clone()))), head) {
        let seq = match &b {
            ChainBreak::Altered { seq } | ChainBreak::BrokenLink { seq } | ChainBreak::Unreadable { seq, .. } => *seq,
            ChainBreak::Missing { found, .. } => *found,
            ChainBreak::Reordered { position, .. } => *position,
            ChainBreak::Truncated { found, .. } => *found,
        };
        let line =
            p.audit.iter().position(|e| e.seq == seq).and_then(|i| audit_lines.get(i)).copied().unwrap_or(lines.len());
        fault(line, LineFault::AuditChain(b));
    }
    if lines.first().is_none_or(|l| l.trim().is_empty()) {
        fault(1, LineFault::BadHeader);
    }
    if !ended {
        let last = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(1, |i| i + 1);
        fault(last, LineFault::Truncated { expected: 0, found: last as u64 });
    }

    // Numbering goes on after the highest code, whatever the counters said.
    for (_, f) in &p.families {
        raise(&mut p.counters, format!("F/{}", f.code.year), f.code.number);
    }
    for (_, n) in &p.needs {
        raise(&mut p.counters, format!("R/{}", n.code.year), n.code.number);
    }
    for (_, s) in &p.services {
        raise(&mut p.counters, "S".into(), s.code.0);
    }
    for (_, x) in &p.proposals {
        raise(&mut p.counters, format!("P/{}", x.code.year), x.code.number);
    }
    for (_, x) in &p.placements {
        raise(&mut p.counters, format!("A/{}", x.code.year), x.code.number);
    }

    if faults.is_empty() {
        Ok(p)
    } else {
        faults.sort_by_key(|f| f.line);
        Err(BankError::ImportRejected(faults))
    }
}

/// The texts of a proposal's steps: each note plain, within bounds, as
/// `ProposalStep` requests check them.
fn step_problems(steps: &[ProposalStep]) -> Vec<Problem> {
    let mut p = Problems::new();
    for (i, s) in steps.iter().enumerate() {
        p.limit_text(&format!("steps[{i}].note"), &s.note, crate::model::proposal::MAX_STEP_NOTE);
        p.require_text(&format!("steps[{i}].by"), &s.by, 32);
    }
    p.into_vec()
}

/// The texts of a placement's reviews and closing, as their requests check them.
/// (Dates are history here: a review recorded then is not judged by today.)
fn placement_text_problems(x: &Placement) -> Vec<Problem> {
    let mut p = Problems::new();
    for (i, r) in x.reviews.iter().enumerate() {
        p.require_text(&format!("reviews[{i}].note"), &r.note, crate::model::placement::MAX_PLAN_TEXT);
        p.require_text(&format!("reviews[{i}].by"), &r.by, 32);
    }
    if let Some(c) = &x.closing {
        p.limit_text("closing.note", &c.note, crate::model::placement::MAX_PLAN_TEXT);
        p.require_text("closing.by", &c.by, 32);
    }
    p.into_vec()
}

/// A numbering series: `S` for services, `F/2026`, `R/2026`, `P/2026`, `A/2026`.
fn is_series(series: &str) -> bool {
    series == "S"
        || series.split_once('/').is_some_and(|(kind, year)| {
            ["F", "R", "P", "A"].contains(&kind) && year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
        })
}

/// An audit entry's texts: who (a user name), which record, which fields.
/// The chain's hashes prove only that the file agrees with itself.
fn audit_text_problems(e: &AuditEntry) -> Vec<Problem> {
    let mut p = Problems::new();
    p.require_text("actor", &e.actor, crate::model::operator::MAX_USER);
    p.limit_text("record", &e.record, 200);
    for (i, f) in e.fields.iter().enumerate() {
        // A field's name, or a reason written by an operator: notes' rules.
        if f.chars().count() > crate::model::family::MAX_NOTES {
            p.push(format!("fields[{i}]"), Reason::TooLong { max: crate::model::family::MAX_NOTES });
        } else if let Err(fault) = crate::model::plain::check(f, true) {
            p.push(format!("fields[{i}]"), Reason::from(fault));
        }
    }
    p.into_vec()
}

/// Who last changed a record and who made it: user names, plain.
fn meta_problems(m: &Meta) -> Vec<Problem> {
    let mut p = Problems::new();
    p.require_text("meta.created_by", &m.created_by, crate::model::operator::MAX_USER);
    p.require_text("meta.updated_by", &m.updated_by, crate::model::operator::MAX_USER);
    p.into_vec()
}

fn raise(counters: &mut BTreeMap<String, u32>, series: String, n: u32) {
    let c = counters.entry(series).or_insert(0);
    *c = (*c).max(n);
}
