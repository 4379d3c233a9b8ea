//! A restore into an empty bank, line by line, as the bytes of the file
//! arrive: each line is read (UTF-8, at most `MAX_LINE_BYTES`), checked
//! alone (`backup::check_line`: exactly as banca writes it, every record
//! valid), checked in its place (kinds in export order, keys rising, the
//! audit chain unbroken, references to records already read) and written
//! at once. The closing line's count and digest prove that nothing was
//! changed, added, removed or moved. Memory does not grow with the file.
//!
//! All or nothing: an `importing` marker is set before the first write; a
//! restore that fails (or is dropped half-way: the client left) clears
//! everything it wrote, and a process killed half-way leaves a bank that
//! refuses to open. A restore into a new bank goes further and works in a
//! staging folder renamed into place only when whole (`server::restore`).

use std::collections::BTreeMap;
use std::sync::MutexGuard;

use crate::model::*;
use crate::store::audit::{AuditEntry, ChainBreak, HashVersion};
use crate::store::{meta_key, TreeId};

use super::backup::{
    check_line, quarantine_problems, ExportLine, Seal, AUDIT_RANK, END_RANK, EXPORT_FORMAT, EXPORT_VERSION,
    EXPORT_VERSION_NO_HASH_VERSIONS, EXPORT_VERSION_NO_PRACTICE_FIELDS, EXPORT_VERSION_NO_STEP_CAUSES, MAX_LINE_BYTES,
};
use super::write::Stored;
use super::*;

/// Problems kept for the report; a file with more is refused all the same.
const MAX_FAULTS: usize = 100;

/// A restore under way. Holds the bank's writer lock until it ends.
pub struct Restore<'b> {
    bank: &'b Bank,
    actor: Actor,
    _writer: MutexGuard<'b, ()>,
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    /// The line being read is longer than allowed: skipped to its end.
    overlong: bool,
    /// Lines read so far (the number of the last one).
    line: usize,
    seal: Seal,
    /// The header named a version or format this banca does not restore:
    /// nothing after it is judged.
    foreign: bool,
    /// The file is of version 3, whose audit entries all predate hash versions.
    no_hash_versions: bool,
    /// The file is of version 4 or 3, whose proposals' steps all predate causes.
    no_step_causes: bool,
    /// The file is of version 5 or before, written before need time slots,
    /// availability periods, art. 403 and on-call contacts.
    no_practice_fields: bool,
    /// Which keys the file's lines have (its version).
    written_as: super::backup::WrittenAs,
    /// Rank and key of the last record line, for the order check.
    place: (u8, Vec<u8>),
    /// The closing line, once read.
    ended: bool,
    faults: Vec<LineProblem>,
    /// The store itself failed: the restore stops with this error.
    fatal: Option<BankError>,
    /// The counters' lines: every code must be within its series' counter.
    counters: BTreeMap<String, u32>,
    summary: ImportSummary,
    chain: Chain,
    /// Siblings named before their own line: (line, code), checked at the end.
    later_siblings: Vec<(usize, NeedCode)>,
    /// Active administrators in the file: an export always has one (only
    /// an administrator exports), and a bank without one cannot be run.
    administrators: u64,
    done: bool,
}

/// The audit chain, checked entry by entry as `store::audit::verify` does.
struct Chain {
    expected: u64,
    prev: [u8; 32],
    broken: bool,
}

impl Bank {
    /// Starts a restore into this bank, which must be empty; only the
    /// server's own user (or root) may, as with `init`: an empty bank has
    /// nobody else to ask.
    pub fn begin_restore(&self, actor: &Actor) -> Result<Restore<'_>, BankError> {
        let writer = self.write_lock();
        if !self.store.is_empty() {
            return Err(BankError::NotEmpty);
        }
        if !actor.server_user {
            return Err(BankError::ServerUserOnly { action: "import".into() });
        }
        // Plain inserts, not `transact`: the disk's reserve is checked here.
        self.store.check_writable()?;
        self.store.tree(TreeId::Meta).insert(meta_key::IMPORTING, &[1u8]).map_err(StoreError::from)?;
        self.store.flush()?;
        Ok(Restore {
            bank: self,
            actor: actor.clone(),
            _writer: writer,
            partial: Vec::new(),
            overlong: false,
            line: 0,
            seal: Seal::default(),
            foreign: false,
            no_hash_versions: false,
            no_step_causes: false,
            no_practice_fields: false,
            written_as: super::backup::WrittenAs::Current,
            place: (0, vec![]),
            ended: false,
            faults: Vec::new(),
            fatal: None,
            counters: BTreeMap::new(),
            summary: ImportSummary {
                ambits: 0,
                services: 0,
                operators: 0,
                families: 0,
                needs: 0,
                proposals: 0,
                placements: 0,
                audit_entries: 0,
                events: 0,
            },
            chain: Chain { expected: 1, prev: [0; 32], broken: false },
            later_siblings: Vec::new(),
            administrators: 0,
            done: false,
        })
    }

    /// Ends a restore, telling the listener of the new content.
    pub fn finish_restore(&self, restore: Restore<'_>) -> Response {
        let actor = restore.actor.clone();
        let response = restore.finish();
        if let Ok(reply) = &response {
            self.notify(&actor, changes::Writes::Bank, reply, &[]);
        }
        response
    }

    /// `Request::Import`: the lines in memory, each one as a line of the file.
    pub(super) fn import(&self, actor: &Actor, lines: Vec<String>) -> Response {
        let mut restore = self.begin_restore(actor)?;
        for l in &lines {
            restore.feed(l.as_bytes());
            restore.feed(b"\n");
        }
        restore.finish()
    }
}

impl Restore<'_> {
    /// The next bytes of the file, cut anywhere.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let (piece, rest, complete) = match bytes.iter().position(|b| *b == b'\n') {
                Some(i) => (&bytes[..i], &bytes[i + 1..], true),
                None => (bytes, &[][..], false),
            };
            if !self.overlong && self.partial.len() + piece.len() > MAX_LINE_BYTES {
                // Not held: only its digest goes on (no closing line is this long).
                self.overlong = true;
                self.seal.part(&std::mem::take(&mut self.partial));
            }
            if self.overlong {
                self.seal.part(piece);
            } else {
                self.partial.extend_from_slice(piece);
            }
            if complete {
                self.end_of_line();
            }
            bytes = rest;
        }
    }

    /// True once the file is refused whatever follows: the report is full,
    /// or the first line is already longer than any header. The rest need
    /// not be read (an endless stream, `/dev/zero`, would never end).
    pub fn settled(&self) -> bool {
        self.faults.len() >= MAX_FAULTS || (self.line == 0 && self.overlong)
    }

    /// Bytes the restore itself holds now: the line being read and the
    /// sibling references waiting for their need (the store's own cache aside).
    pub fn held(&self) -> usize {
        self.partial.capacity() + self.later_siblings.capacity() * std::mem::size_of::<(usize, NeedCode)>()
    }

    /// The restore's outcome: a summary once everything is written and
    /// durable, or every problem found by line (and nothing left behind).
    pub fn finish(self) -> Response {
        self.conclude(true)
    }

    /// As `finish`, for a bank closed right after (a staging folder): the
    /// in-memory indexes are not built, the server that opens it builds them.
    pub fn finish_for_closing(self) -> Response {
        self.conclude(false)
    }

    fn conclude(mut self, index: bool) -> Response {
        if !self.partial.is_empty() || self.overlong {
            // A last line without its newline: not as banca writes a file.
            self.end_of_line();
            self.fault(self.line, LineFault::NoFinalNewline);
        }
        if self.line == 0 {
            self.fault(1, LineFault::BadHeader);
        } else if !self.ended && !self.foreign {
            self.fault(self.line, LineFault::Truncated { expected: 0, found: self.line as u64 });
        } else if self.administrators == 0 && !self.foreign {
            self.fault(self.line, LineFault::NoAdministrator);
        }
        for (line, code) in std::mem::take(&mut self.later_siblings) {
            if !self.exists(TreeId::Needs, &code.key()) {
                let problem = Problem::new(Field::Siblings, Reason::UnknownCode { code: code.to_string() });
                self.fault(line, LineFault::Invalid(vec![problem]));
            }
        }
        let outcome = match (self.fatal.take(), self.faults.is_empty()) {
            (Some(e), _) => Err(e),
            (None, false) => {
                let mut faults = std::mem::take(&mut self.faults);
                faults.sort_by_key(|f| f.line);
                Err(BankError::ImportRejected(faults))
            }
            (None, true) => self.commit(index).map(|()| Reply::Imported(self.summary.clone())),
        };
        if outcome.is_err() {
            self.roll_back();
        }
        self.done = true;
        outcome
    }

    fn fault(&mut self, line: usize, problem: LineFault) {
        if self.faults.len() < MAX_FAULTS {
            self.faults.push(LineProblem { line, problem });
        }
    }

    fn end_of_line(&mut self) {
        self.line += 1;
        let bytes = std::mem::take(&mut self.partial);
        if std::mem::take(&mut self.overlong) {
            self.seal.close_line();
            self.fault(self.line, LineFault::TooLong { max: MAX_LINE_BYTES });
            return;
        }
        if self.foreign {
            return;
        }
        if self.ended {
            self.fault(self.line, LineFault::AfterEnd);
            return;
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            self.seal.add(&bytes);
            self.fault(self.line, LineFault::NotUtf8);
            return;
        };
        if text.trim().is_empty() {
            self.seal.add(&bytes);
            self.fault(self.line, LineFault::Blank);
            return;
        }
        let (parsed, faults) = match check_line(text, self.bank.comuni, self.written_as) {
            Ok(checked) => checked,
            Err(fault) => {
                self.seal.add(&bytes);
                self.fault(self.line, fault);
                return;
            }
        };
        if !matches!(parsed, ExportLine::End { .. }) {
            self.seal.add(&bytes);
        }
        let n = self.line;
        let mut faults = faults;
        self.check_place(&parsed, &mut faults);
        let mut problems = match faults.iter().position(|f| matches!(f, LineFault::Invalid(_))) {
            Some(i) => match faults.remove(i) {
                LineFault::Invalid(p) => p,
                _ => unreachable!("matched above"),
            },
            None => vec![],
        };
        problems.extend(self.reference_problems(&parsed, n));
        if !problems.is_empty() {
            faults.push(LineFault::Invalid(problems));
        }
        self.take(parsed, &mut faults);
        for f in faults {
            self.fault(n, f);
        }
    }

    /// The header first, then kinds in export order, keys rising within a kind.
    fn check_place(&mut self, line: &ExportLine, faults: &mut Vec<LineFault>) {
        let (rank, key) = line.place();
        if self.line == 1 {
            match line {
                ExportLine::Header { format, .. } if format != EXPORT_FORMAT => faults.push(LineFault::BadHeader),
                ExportLine::Header { version, .. }
                    if ![
                        EXPORT_VERSION,
                        super::backup::EXPORT_VERSION_NO_RECEPTION,
                        super::backup::EXPORT_VERSION_NO_PATHWAYS,
                        EXPORT_VERSION_NO_PRACTICE_FIELDS,
                        EXPORT_VERSION_NO_STEP_CAUSES,
                        EXPORT_VERSION_NO_HASH_VERSIONS,
                    ]
                    .contains(version) =>
                {
                    self.foreign = true;
                    faults.push(if *version < EXPORT_VERSION {
                        LineFault::Undigested { version: *version }
                    } else {
                        LineFault::UnsupportedVersion { version: *version, supported: EXPORT_VERSION }
                    });
                }
                ExportLine::Header { store_format, .. } if *store_format != crate::store::STORE_FORMAT => {
                    self.foreign = true;
                    faults.push(LineFault::StoreFormat { found: *store_format, supported: crate::store::STORE_FORMAT });
                }
                ExportLine::Header { version, .. } => {
                    self.no_hash_versions = *version == EXPORT_VERSION_NO_HASH_VERSIONS;
                    self.no_step_causes = *version <= EXPORT_VERSION_NO_STEP_CAUSES;
                    self.no_practice_fields = *version <= EXPORT_VERSION_NO_PRACTICE_FIELDS;
                    self.written_as = super::backup::WrittenAs::of(*version);
                }
                _ => faults.push(LineFault::BadHeader),
            }
            self.place = (0, vec![]);
            return;
        }
        let (kind, name) = line.kind_and_name();
        let (last_rank, last_key) = &self.place;
        if rank == 0 || rank < *last_rank {
            faults.push(LineFault::Misplaced { kind: kind.into() });
            return;
        }
        // Audit entries: the chain's own check names what is wrong.
        if rank == *last_rank && rank != AUDIT_RANK && rank != END_RANK {
            if key == *last_key {
                faults.push(LineFault::DuplicateRecord(name));
                return;
            }
            if key < *last_key {
                faults.push(LineFault::OutOfOrder { record: name });
                return;
            }
        }
        self.place = (rank, key);
    }

    /// References to records the file has already given: services,
    /// operators, needs, families, proposals. Siblings may come later.
    fn reference_problems(&mut self, line: &ExportLine, n: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        let service = |s: ServiceCode, problems: &mut Vec<Problem>| {
            if !self.exists(TreeId::Services, &s.key()) {
                problems.push(Problem::new(Field::Service, Reason::UnknownService { code: s.to_string() }));
            }
        };
        match line {
            ExportLine::Family { record, .. } => {
                service(record.service, &mut problems);
                self.referent(&record.referent, &mut problems);
            }
            ExportLine::Need { record, .. } => {
                service(record.service, &mut problems);
                self.referent(&record.referent, &mut problems);
                for s in &record.placement.siblings {
                    if s.key() > record.code.key() {
                        self.later_siblings.push((n, *s));
                    } else if !self.exists(TreeId::Needs, &s.key()) {
                        problems.push(Problem::new(Field::Siblings, Reason::UnknownCode { code: s.to_string() }));
                    }
                }
            }
            ExportLine::Proposal { record, .. } => {
                problems =
                    self.link_problems(&record.needs, record.family, [record.need_service, record.family_service])
            }
            ExportLine::Placement { record, .. } => {
                problems =
                    self.link_problems(&record.needs, record.family, [record.need_service, record.family_service]);
                if !self.exists(TreeId::Proposals, &record.proposal.key()) {
                    problems
                        .push(Problem::new(Field::Proposal, Reason::UnknownCode { code: record.proposal.to_string() }));
                }
            }
            _ => {}
        }
        problems
    }

    fn referent(&self, user: &str, problems: &mut Vec<Problem>) {
        if !self.exists(TreeId::Operators, user.as_bytes()) {
            problems.push(Problem::new(Field::Referent, Reason::UnknownOperator { user: user.to_string() }));
        }
    }

    /// A proposal or placement names needs, a family and two services of the file.
    /// A link's needs, family (none: to a reception service) and services must be in the file.
    fn link_problems(
        &self,
        needs: &[NeedCode],
        family: Option<FamilyCode>,
        services: [ServiceCode; 2],
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        for n in needs {
            if !self.exists(TreeId::Needs, &n.key()) {
                problems.push(Problem::new(Field::Needs, Reason::UnknownCode { code: n.to_string() }));
            }
        }
        if let Some(family) = family.filter(|f| !self.exists(TreeId::Families, &f.key())) {
            problems.push(Problem::new(Field::Family, Reason::UnknownCode { code: family.to_string() }));
        }
        for s in services {
            if !self.exists(TreeId::Services, &s.key()) {
                problems.push(Problem::new(Field::Service, Reason::UnknownService { code: s.to_string() }));
            }
        }
        problems
    }

    /// A record of the file already read: written, or in quarantine (a
    /// record in quarantine still holds its code, and is restored as it was).
    fn exists(&self, tree: TreeId, key: &[u8]) -> bool {
        let store = &self.bank.store;
        store.tree(tree).contains_key(key).unwrap_or(false)
            || store
                .tree(TreeId::Quarantine)
                .contains_key(crate::store::quarantine::quarantine_key(tree, key))
                .unwrap_or(false)
    }

    /// Takes a parsed line in: the closing line is compared with what came
    /// before it; a record is written (even one with problems, so that the
    /// lines after it are judged against it: the restore is refused anyway).
    fn take(&mut self, line: ExportLine, faults: &mut Vec<LineFault>) {
        let n = self.line;
        let stored = match line {
            ExportLine::Header { .. } => Ok(()),
            ExportLine::End { lines, sha256 } => {
                self.ended = true;
                if lines != self.seal.lines() {
                    faults.push(LineFault::Truncated { expected: lines, found: self.seal.lines() });
                } else if sha256 != self.seal.hex() {
                    faults.push(LineFault::DigestMismatch);
                }
                Ok(())
            }
            ExportLine::Counter { series, value } => {
                self.counters.insert(series, value);
                Ok(())
            }
            ExportLine::Ambit { revision, record } => {
                self.summary.ambits += 1;
                self.put_record(revision, &record)
            }
            ExportLine::Service { revision, record } => {
                self.summary.services += 1;
                self.numbered("S".into(), record.code.0, faults);
                if self.no_practice_fields && record.details.on_call.is_some() {
                    faults.push(LineFault::UnknownKey { key: "service.details.on_call".into() });
                }
                let reception = record.details.reception.is_some() || record.vacancy.is_some();
                if self.written_as < super::backup::WrittenAs::Current && reception {
                    faults.push(LineFault::UnknownKey { key: "service.details.reception".into() });
                }
                self.put_record(revision, &record)
            }
            ExportLine::Operator { revision, record } => {
                self.summary.operators += 1;
                if record.details.active && record.details.role == Role::Admin {
                    self.administrators += 1;
                }
                self.put_record(revision, &record)
            }
            ExportLine::Family { revision, record } => {
                self.summary.families += 1;
                let p = &record.profile;
                if self.no_practice_fields && (p.available_from.is_some() || p.available_until.is_some()) {
                    faults.push(LineFault::UnknownKey { key: "family.profile.available_from".into() });
                }
                let before_pathways = self.written_as < super::backup::WrittenAs::BeforeReception;
                if before_pathways && (record.pathway != Pathway::before_pathways() || !record.support.is_empty()) {
                    faults.push(LineFault::UnknownKey { key: "family.pathway".into() });
                }
                self.numbered(format!("F/{}", record.code.year), record.code.number, faults);
                self.put_record(revision, &record)
            }
            ExportLine::Need { revision, record } => {
                self.summary.needs += 1;
                if self.no_practice_fields && !record.placement.time_slots.is_empty() {
                    faults.push(LineFault::UnknownKey { key: "need.placement.time_slots".into() });
                }
                if self.no_practice_fields && matches!(record.placement.legal, LegalBasis::Art403 { .. }) {
                    faults.push(LineFault::UnknownKey { key: "need.placement.legal.art403".into() });
                }
                self.numbered(format!("R/{}", record.code.year), record.code.number, faults);
                self.put_record(revision, &record)
            }
            ExportLine::Proposal { revision, record } => {
                self.summary.proposals += 1;
                if self.written_as < super::backup::WrittenAs::Current && record.family.is_none() {
                    faults.push(LineFault::UnknownKey { key: "proposal.reception".into() });
                }
                self.numbered(format!("P/{}", record.code.year), record.code.number, faults);
                if self.no_step_causes && record.steps.iter().any(|s| s.cause.is_some()) {
                    faults.push(LineFault::UnknownKey { key: "proposal.steps.cause".into() });
                }
                self.put_record(revision, &record)
            }
            ExportLine::Placement { revision, record } => {
                self.summary.placements += 1;
                if self.written_as < super::backup::WrittenAs::Current && record.family.is_none() {
                    faults.push(LineFault::UnknownKey { key: "placement.reception".into() });
                }
                let before_pathways = self.written_as < super::backup::WrittenAs::BeforeReception;
                let followed = record.plan.relationship.is_some()
                    || !record.extensions.is_empty()
                    || !record.court_reports.is_empty()
                    || record.reviews.iter().any(|r| r.kind != ReviewKind::Formal);
                if before_pathways && followed {
                    faults.push(LineFault::UnknownKey { key: "placement.follow_up".into() });
                }
                self.numbered(format!("A/{}", record.code.year), record.code.number, faults);
                self.put_record(revision, &record)
            }
            ExportLine::Event { revision, record } => {
                self.summary.events += 1;
                if self.written_as < super::backup::WrittenAs::BeforeReception {
                    faults.push(LineFault::UnknownKey { key: "event".into() });
                }
                self.numbered(format!("E/{}", record.code.year), record.code.number, faults);
                self.put_record(revision, &record)
            }
            ExportLine::Quarantined { record, raw } => {
                // Its problems were judged with the line; the bytes go back as they were.
                let (_, raw) = quarantine_problems(&record, &raw);
                if let (None, Some((key, value))) = (&self.fatal, crate::store::quarantine::stored_entry(&record, &raw))
                {
                    self.bank.store.tree(TreeId::Quarantine).insert(key, value).map(|_| ()).map_err(StoreError::from)
                } else {
                    Ok(())
                }
            }
            ExportLine::Audit { record } => {
                self.summary.audit_entries += 1;
                if self.no_hash_versions && record.hash_version != HashVersion::Bincode {
                    faults.push(LineFault::UnknownKey { key: "audit.hash_version".into() });
                }
                if let Some(b) = self.chain.next(&record) {
                    faults.push(LineFault::AuditChain(b));
                }
                self.put(TreeId::Audit, &AuditEntry::key(record.seq), 1, &record)
            }
        };
        match stored {
            Ok(()) => {}
            // A record its own checks refused is unstorable for the same reason: said once.
            Err(StoreError::Unstorable { reason, .. }) => {
                if !faults.iter().any(|f| matches!(f, LineFault::Invalid(_))) {
                    faults.push(LineFault::Unstorable { reason })
                }
            }
            Err(e) if self.fatal.is_none() => {
                tracing::error!(line = n, "restore: {e}");
                self.fatal = Some(e.into());
            }
            Err(_) => {}
        }
    }

    /// A code's number is within its series' counter, as in every bank:
    /// numbering goes on after the counter, never over a code in use.
    fn numbered(&self, series: String, number: u32, faults: &mut Vec<LineFault>) {
        let counter = self.counters.get(&series).copied();
        if counter.is_none_or(|c| c < number) {
            faults.push(LineFault::BeyondCounter { series, counter: counter.unwrap_or(0) });
        }
    }

    /// A record, encoded and proved readable (`store::encode_for`), then written.
    fn put<T: crate::store::Versioned>(
        &self,
        tree: TreeId,
        key: &[u8],
        revision: u64,
        record: &T,
    ) -> Result<(), StoreError> {
        let value = crate::store::encode_for(tree, key, revision, record)?;
        if self.fatal.is_none() {
            self.bank.store.tree(tree).insert(key, value)?;
        }
        Ok(())
    }

    /// A record under its key in its tree, with its index entries, as the
    /// write path keeps them (`write::Stored`).
    fn put_record<T: Stored>(&self, revision: u64, record: &T) -> Result<(), StoreError> {
        let key = record.key();
        self.put(TreeId::of(T::KIND), &key, revision, record)?;
        if self.fatal.is_some() {
            return Ok(());
        }
        for (tree, value) in record.entries().iter().flatten() {
            let mut k = crate::store::index_key_prefix(T::KIND.code_prefix() as u8, value);
            k.extend_from_slice(&key);
            self.bank.store.tree(*tree).insert(k, &[])?;
        }
        Ok(())
    }

    /// Everything was read and is good: counters, the audit head and who
    /// restored, then the marker goes, each step flushed.
    fn commit(&self, index: bool) -> Result<(), BankError> {
        let store = &self.bank.store;
        let mut meta = crate::store::Batch::default();
        for (series, value) in &self.counters {
            meta.insert(crate::store::counter_key(series), value.to_be_bytes());
        }
        if self.chain.expected > 1 {
            let mut head = (self.chain.expected - 1).to_be_bytes().to_vec();
            head.extend_from_slice(&self.chain.prev);
            meta.insert(meta_key::AUDIT_HEAD, head);
        }
        let now = self.bank.clock.now();
        let stamp = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        meta.insert(meta_key::RESTORED, format!("{} {}", self.actor.user, stamp).as_bytes());
        store.apply(TreeId::Meta, meta)?;
        store.flush()?;
        store.remove(TreeId::Meta, meta_key::IMPORTING)?;
        store.flush()?;
        if index {
            self.bank.rebuild_index()?;
        }
        Ok(())
    }

    /// Clears whatever was written: the bank is empty again, as it was.
    fn roll_back(&self) {
        let store = &self.bank.store;
        let cleared = (|| -> Result<(), StoreError> {
            for t in TreeId::ALL.iter().filter(|t| **t != TreeId::Meta) {
                store.tree(*t).clear()?;
            }
            let meta = store.tree(TreeId::Meta);
            for key in meta.iter().keys() {
                let key = key?;
                let kept = [meta_key::MARKER, meta_key::FORMAT, meta_key::IMPORTING];
                if !kept.contains(&key.as_ref()) {
                    meta.remove(key)?;
                }
            }
            store.flush()?;
            meta.remove(meta_key::IMPORTING)?;
            store.flush()
        })();
        if let Err(e) = cleared {
            // The marker stays: the bank refuses to open rather than show half a restore.
            tracing::error!("a failed restore could not be cleared: {e}");
        }
    }
}

impl Drop for Restore<'_> {
    /// A restore abandoned half-way (the client left) leaves nothing.
    fn drop(&mut self) {
        if !self.done {
            self.roll_back();
        }
    }
}

impl Chain {
    /// The next entry of the file, or how it breaks the chain (once).
    fn next(&mut self, e: &AuditEntry) -> Option<ChainBreak> {
        if self.broken {
            return None;
        }
        let fault = if e.seq != self.expected {
            Some(ChainBreak::Missing { expected: self.expected, found: e.seq })
        } else if e.compute_hash() != e.hash {
            Some(ChainBreak::Altered { seq: e.seq })
        } else if e.prev_hash != self.prev {
            Some(ChainBreak::BrokenLink { seq: e.seq })
        } else {
            None
        };
        self.broken = fault.is_some();
        self.prev = e.hash;
        self.expected += 1;
        fault
    }
}
