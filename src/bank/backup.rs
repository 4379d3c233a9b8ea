//! Export to JSON Lines, and the checks every line of an import passes:
//! the backup, and the path across a future change of storage format.
//!
//! The file is self-describing: a header line, then one record per line,
//! each tagged with its kind — counters, ambiti, services, operators,
//! families, needs, proposals, placements, and the audit chain — in key
//! order, so the same bank always exports the same bytes. The closing line
//! counts the lines before it and carries their SHA-256 digest. An export
//! is written line by line to any `Write` (the server spools it to a file),
//! never held whole. The restore itself, line by line, is `restore.rs`.

use std::io::Write;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::access::{Operation, Subject};
use crate::model::*;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::{meta_key, TreeId};

use super::*;

/// 6: a need's `time_slots`, a family's `available_from` and
/// `available_until`, a service's `on_call`, and the legal basis `art403`.
/// Files of version 5 (and 4, 3) are still restored: the new fields read
/// as empty.
/// 5: a proposal's step the bank took by itself carries its `cause` (a
/// step without one has no such key, as in version 4). Files of versions 4
/// and 3 are still restored.
/// 4: an audit entry hashed with the canonical encoding carries its
/// `hash_version` (one hashed over bincode's bytes, version 0, has no such
/// key, as in version 3). Files of version 3 are still restored.
/// 3: the closing line carries the SHA-256 of every line before it; a file
/// must be exactly as banca wrote it. Versions 1 and 2 have no digest and
/// are refused (restore them with the banca that wrote them, then export
/// again with this one: the store format is the same).
/// 2: codes as text (`"F-2026-0042"`), proposals and placements.
pub const EXPORT_VERSION: u32 = 8;
/// The last version before reception services (a service's profile and
/// vacancies, links to a reception service): restored as it is, re-exported
/// as the current one.
pub(super) const EXPORT_VERSION_NO_RECEPTION: u32 = 7;
/// The last version before pathways, events and placement follow-up:
/// restored as it is (families read as recorded whole, reviews as formal,
/// no extension, court report or event), re-exported as the current one.
pub(super) const EXPORT_VERSION_NO_PATHWAYS: u32 = 6;
/// The last version before the facts of issue 14: restored as it is (the
/// new fields empty), re-exported as the current one.
pub(super) const EXPORT_VERSION_NO_PRACTICE_FIELDS: u32 = 5;
/// The last version before steps' causes: restored as it is (no step has
/// one), re-exported as the current one.
pub(super) const EXPORT_VERSION_NO_STEP_CAUSES: u32 = 4;
/// The last version before audit hash versions: restored as it is (its
/// entries are all of hash version 0), re-exported as the current one.
pub(super) const EXPORT_VERSION_NO_HASH_VERSIONS: u32 = 3;
pub(super) const EXPORT_FORMAT: &str = "banca-export";
/// Places of the audit entries and of the closing line in an export's order.
pub(super) const AUDIT_RANK: u8 = 11;
pub(super) const END_RANK: u8 = 12;

/// No line of an export is longer: a record is at most 1 MiB in the store
/// (the codec's limit), its JSON at most about twice that (escaped quotes),
/// and a quarantined record travels as hex of at most
/// `limits::MAX_QUARANTINE_RAW` bytes. A longer line is refused by its
/// number without being read; one line at a time is held.
pub const MAX_LINE_BYTES: usize = 2 * crate::model::limits::MAX_QUARANTINE_RAW + (64 << 10);

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
    Event {
        revision: u64,
        record: NetworkEvent,
    },
    Audit {
        record: AuditEntry,
    },
    /// A record in quarantine: it did not decode, so it travels as it was
    /// stored (hex), and a restore puts it back in quarantine.
    Quarantined {
        record: crate::store::quarantine::Quarantined,
        raw: String,
    },
    /// The last line: how many came before it and their SHA-256 (hex, over
    /// the exact bytes of every line before it, newline included), so a
    /// file cut short, or with any line changed, added, removed or moved,
    /// is refused.
    End {
        lines: u64,
        sha256: String,
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

    /// The line as an export of version 5 wrote it: without the keys
    /// version 6 added, when they hold nothing (a record holding something
    /// there is refused by the restore as having a key its version lacks).
    /// Each of them closes its object, and a JSON string escapes every `"`,
    /// so the text cut is that key and nothing else.
    pub(super) fn to_json_before_practice_fields(&self) -> String {
        Self::before_practice_fields(self.to_json_before_pathways(), self)
    }

    fn before_practice_fields(json: String, line: &ExportLine) -> String {
        let cut = match line {
            ExportLine::Need { record, .. } if record.placement.time_slots.is_empty() => r#","time_slots":[]}"#,
            ExportLine::Family { record, .. }
                if record.profile.available_from.is_none() && record.profile.available_until.is_none() =>
            {
                r#","available_from":null,"available_until":null}"#
            }
            ExportLine::Service { record, .. } if record.details.on_call.is_none() => r#","on_call":null}"#,
            _ => return json,
        };
        json.replacen(cut, "}", 1)
    }

    /// The line as an export of version 6 wrote it: without the keys
    /// version 7 added (a family's pathway and support log; a placement's
    /// kinship, review kinds, extensions and court reports) when they hold
    /// what a record of then reads as. Each cut closes its object, and a
    /// JSON string escapes every `"`, so the text cut is that key alone.
    /// As version 7 wrote the line: a service without the keys of a
    /// reception service (it could have none).
    pub(super) fn to_json_before_reception(&self) -> String {
        let mut json = self.to_json();
        if let ExportLine::Service { record, .. } = self {
            if record.details.reception.is_none() && record.vacancy.is_none() {
                json = json.replacen(r#","reception":null}"#, "}", 1);
                if let Some(at) = json.rfind(r#","vacancy":null}"#) {
                    json.replace_range(at..at + r#","vacancy":null"#.len(), "");
                }
            }
        }
        json
    }

    pub(super) fn to_json_before_pathways(&self) -> String {
        let mut json = self.to_json_before_reception();
        match self {
            ExportLine::Family { record, .. }
                if record.pathway == crate::model::Pathway::before_pathways() && record.support.is_empty() =>
            {
                let tail = ExportLine::pathway_tail();
                json = json.replacen(&tail, "}", 1);
            }
            ExportLine::Placement { record, .. }
                if record.extensions.is_empty()
                    && record.court_reports.is_empty()
                    && record.plan.relationship.is_none()
                    && record.reviews.iter().all(|r| r.kind == crate::model::ReviewKind::Formal) =>
            {
                json = json
                    .replacen(r#","extensions":[],"court_reports":[]}"#, "}", 1)
                    .replacen(r#","relationship":null}"#, "}", 1)
                    .replace(r#","kind":"formal"}"#, "}");
            }
            _ => {}
        }
        json
    }

    /// What a family recorded before pathways carries at its end.
    fn pathway_tail() -> String {
        let pathway = serde_json::to_string(&crate::model::Pathway::before_pathways()).expect("plain data");
        format!(r#","pathway":{pathway},"support":[]}}"#)
    }

    /// Where the line goes in an export: its kind's rank, then its key.
    /// Lines come in rank order, and within a rank in strictly rising key
    /// order (as the store iterates them). Audit entries are ordered by the
    /// chain's own check.
    pub(super) fn place(&self) -> (u8, Vec<u8>) {
        match self {
            ExportLine::Header { .. } => (0, vec![]),
            ExportLine::Counter { series, .. } => (1, series.as_bytes().to_vec()),
            // Before the records: a record may name one in quarantine.
            ExportLine::Quarantined { record, .. } => (2, quarantine_place(record)),
            ExportLine::Ambit { record, .. } => (3, record.details.key().into_bytes()),
            ExportLine::Service { record, .. } => (4, record.code.key().to_vec()),
            ExportLine::Operator { record, .. } => (5, record.user.as_bytes().to_vec()),
            // Before the families: a family's step may name one.
            ExportLine::Event { record, .. } => (6, record.code.key().to_vec()),
            ExportLine::Family { record, .. } => (7, record.code.key().to_vec()),
            ExportLine::Need { record, .. } => (8, record.code.key().to_vec()),
            ExportLine::Proposal { record, .. } => (9, record.code.key().to_vec()),
            ExportLine::Placement { record, .. } => (10, record.code.key().to_vec()),
            ExportLine::Audit { record } => (AUDIT_RANK, AuditEntry::key(record.seq).to_vec()),
            ExportLine::End { .. } => (END_RANK, vec![]),
        }
    }

    /// The line's kind as its tag reads (`family`), and the record it names.
    pub(super) fn kind_and_name(&self) -> (&'static str, String) {
        match self {
            ExportLine::Header { .. } => ("header", String::new()),
            ExportLine::Counter { series, .. } => ("counter", format!("counter {series}")),
            ExportLine::Ambit { record, .. } => ("ambit", format!("ambit {}", record.details.key())),
            ExportLine::Service { record, .. } => ("service", record.code.to_string()),
            ExportLine::Operator { record, .. } => ("operator", format!("operator {}", record.user)),
            ExportLine::Family { record, .. } => ("family", record.code.to_string()),
            ExportLine::Need { record, .. } => ("need", record.code.to_string()),
            ExportLine::Proposal { record, .. } => ("proposal", record.code.to_string()),
            ExportLine::Placement { record, .. } => ("placement", record.code.to_string()),
            ExportLine::Event { record, .. } => ("event", record.code.to_string()),
            ExportLine::Quarantined { record, .. } => {
                ("quarantined", format!("quarantined {} {}", record.tree, record.record))
            }
            ExportLine::Audit { record } => ("audit", format!("audit {}", record.seq)),
            ExportLine::End { .. } => ("end", String::new()),
        }
    }

    /// A record's revision (0 for lines that have none).
    fn revision(&self) -> Option<u64> {
        match self {
            ExportLine::Ambit { revision, .. }
            | ExportLine::Service { revision, .. }
            | ExportLine::Operator { revision, .. }
            | ExportLine::Family { revision, .. }
            | ExportLine::Need { revision, .. }
            | ExportLine::Proposal { revision, .. }
            | ExportLine::Placement { revision, .. }
            | ExportLine::Event { revision, .. } => Some(*revision),
            _ => None,
        }
    }
}

/// The count and digest of the lines written so far: what the closing line says.
#[derive(Default, Clone)]
pub struct Seal {
    digest: Sha256,
    lines: u64,
}

impl Seal {
    /// One line, as its bytes stand in the file (without its newline).
    pub fn add(&mut self, line: &[u8]) {
        self.part(line);
        self.close_line();
    }

    /// Part of a line too long to hold: its bytes as they come.
    pub(super) fn part(&mut self, bytes: &[u8]) {
        self.digest.update(bytes);
    }

    /// The newline after the parts of a line.
    pub(super) fn close_line(&mut self) {
        self.digest.update(b"\n");
        self.lines += 1;
    }

    pub fn lines(&self) -> u64 {
        self.lines
    }

    pub fn hex(&self) -> String {
        hex::encode(self.digest.clone().finalize())
    }

    /// The closing line for the lines added so far.
    pub fn end(&self) -> ExportLine {
        ExportLine::End { lines: self.lines, sha256: self.hex() }
    }
}

/// Writes export lines, one JSON object and a newline each, then the
/// closing line with their count and digest.
pub struct ExportWriter<W: Write> {
    out: W,
    seal: Seal,
    bytes: u64,
}

impl<W: Write> ExportWriter<W> {
    pub fn new(out: W) -> ExportWriter<W> {
        ExportWriter { out, seal: Seal::default(), bytes: 0 }
    }

    pub fn line(&mut self, line: &ExportLine) -> std::io::Result<()> {
        let json = line.to_json();
        self.seal.add(json.as_bytes());
        self.out.write_all(json.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.bytes += json.len() as u64 + 1;
        Ok(())
    }

    /// Writes the closing line; gives the writer back, and the whole file's lines and bytes.
    pub fn finish(mut self) -> std::io::Result<(W, u64, u64)> {
        let end = self.seal.end().to_json();
        self.out.write_all(end.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok((self.out, self.seal.lines() + 1, self.bytes + end.len() as u64 + 1))
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    pub lines: u64,
    pub bytes: u64,
}

impl Bank {
    /// The administrator's backup: every record whole, identities included
    /// (the one read of identities that is not an emergency: the file is
    /// the bank itself, kept like the bank). On record as an export.
    /// Written line by line to `out`: memory does not grow with the bank.
    pub fn export_into(&self, actor: &Actor, out: &mut dyn Write) -> Result<Exported, BankError> {
        let who = self.principal(actor)?;
        self.require(&who, Operation::ReadIdentity, Subject::Backup, None, "export")?;
        // Holding the writer lock makes the snapshot consistent: no write
        // lands between the first line and the last.
        let _w = self.write_lock();
        let io = |e: std::io::Error| BankError::Storage(format!("export: {e}"));
        let mut w = ExportWriter::new(out);
        w.line(&ExportLine::header()).map_err(io)?;
        for kv in self.store.tree(TreeId::Meta).scan_prefix(meta_key::COUNTER_PREFIX) {
            let (k, v) = kv.map_err(StoreError::from)?;
            let series = String::from_utf8_lossy(&k[meta_key::COUNTER_PREFIX.len()..]).into_owned();
            let value = v.as_ref().try_into().map(u32::from_be_bytes).unwrap_or(0);
            w.line(&ExportLine::Counter { series, value }).map_err(io)?;
        }
        // Records in quarantine come first: records after them may name them.
        for item in self.store.quarantined_raw() {
            let (record, raw) = item?;
            w.line(&ExportLine::Quarantined { record, raw: hex::encode(raw) }).map_err(io)?;
        }
        macro_rules! records {
            ($tree:expr, $ty:ty, $variant:ident) => {
                for item in self.store.iter::<$ty>($tree) {
                    let (revision, record) = item?;
                    w.line(&ExportLine::$variant { revision, record }).map_err(io)?;
                }
            };
        }
        records!(TreeId::Ambits, Ambit, Ambit);
        records!(TreeId::Services, Service, Service);
        records!(TreeId::Operators, Operator, Operator);
        records!(TreeId::Events, NetworkEvent, Event);
        records!(TreeId::Families, Family, Family);
        records!(TreeId::Needs, Need, Need);
        records!(TreeId::Proposals, Proposal, Proposal);
        records!(TreeId::Placements, Placement, Placement);
        for item in self.store.iter::<AuditEntry>(TreeId::Audit) {
            let (_, record) = item?;
            w.line(&ExportLine::Audit { record }).map_err(io)?;
        }
        let (_, lines, bytes) = w.finish().map_err(io)?;
        // The export itself carries every child's identity: on record.
        let now = self.clock.now();
        self.store.transact(|tx| {
            tx.audit::<BankError>(now, &who.user, AuditAction::Export, "*", vec![])?;
            Ok(())
        })?;
        Ok(Exported { lines, bytes })
    }

    /// `Request::Export` in-process: the lines in memory (tests, small
    /// banks). The server streams `export_into` instead.
    pub(super) fn export(&self, actor: &Actor) -> Response {
        let mut bytes = Vec::new();
        self.export_into(actor, &mut bytes)?;
        let text = String::from_utf8(bytes).map_err(|e| BankError::Storage(e.to_string()))?;
        Ok(Reply::Export { lines: text.lines().map(str::to_string).collect() })
    }
}

/// Which keys the lines of a file have, by the version that wrote it
/// (oldest first: a file is before everything later versions added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum WrittenAs {
    /// Version 5 or before: none of the keys versions 6 and 7 added.
    BeforePracticeFields,
    /// Version 6: none of the keys version 7 added.
    BeforePathways,
    /// Version 7: none of the keys version 8 added.
    BeforeReception,
    Current,
}

impl WrittenAs {
    pub(super) fn of(version: u32) -> WrittenAs {
        if version <= EXPORT_VERSION_NO_PRACTICE_FIELDS {
            WrittenAs::BeforePracticeFields
        } else if version <= EXPORT_VERSION_NO_PATHWAYS {
            WrittenAs::BeforePathways
        } else if version <= EXPORT_VERSION_NO_RECEPTION {
            WrittenAs::BeforeReception
        } else {
            WrittenAs::Current
        }
    }
}

/// What is wrong with one line of an import, judged alone: parsed, exactly
/// as banca writes it, and every record valid as its form would have it.
/// `Err` when the line is not a record at all; `Ok((line, problems))`
/// otherwise, with the line's faults (empty when it is good).
/// `before_practice_fields`: the file is of version 5 or before, whose
/// lines have none of the keys version 6 added.
pub(super) fn check_line(
    text: &str,
    comuni: &Comuni,
    written_as: WrittenAs,
) -> Result<(ExportLine, Vec<LineFault>), LineFault> {
    let line: ExportLine = serde_json::from_str(text).map_err(|e| unreadable(text, e))?;
    let mut faults = Vec::new();
    let canonical = match written_as {
        WrittenAs::BeforePracticeFields => line.to_json_before_practice_fields(),
        WrittenAs::BeforePathways => line.to_json_before_pathways(),
        WrittenAs::BeforeReception => line.to_json_before_reception(),
        WrittenAs::Current => line.to_json(),
    };
    if let Some(f) = canonical_fault(text, &canonical) {
        faults.push(f);
    }
    if line.revision() == Some(0) {
        faults.push(LineFault::RevisionZero);
    }
    let problems = record_problems(&line, comuni);
    if !problems.is_empty() {
        faults.push(LineFault::Invalid(problems));
    }
    Ok((line, faults))
}

/// A line serde refuses: a key it does not know is named as such.
fn unreadable(text: &str, e: serde_json::Error) -> LineFault {
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        if let Some((tag, _)) = value.as_object().and_then(|o| o.iter().next()) {
            const TAGS: [&str; 12] = [
                "header",
                "counter",
                "ambit",
                "service",
                "operator",
                "family",
                "need",
                "proposal",
                "placement",
                "quarantined",
                "audit",
                "end",
            ];
            if !TAGS.contains(&tag.as_str()) || value.as_object().is_some_and(|o| o.len() != 1) {
                return LineFault::UnknownKey { key: tag.clone() };
            }
        }
    }
    LineFault::Unreadable(e.to_string())
}

/// The line must be byte for byte what banca writes for the record it
/// parsed to: no key unknown, none missing (no default may fill it in),
/// in banca's order, spacing and escapes.
fn canonical_fault(text: &str, canonical: &str) -> Option<LineFault> {
    if canonical == text {
        return None;
    }
    let (Ok(given), Ok(wanted)) =
        (serde_json::from_str::<serde_json::Value>(text), serde_json::from_str::<serde_json::Value>(canonical))
    else {
        return Some(LineFault::NotCanonical);
    };
    Some(key_difference("", &given, &wanted).unwrap_or(LineFault::NotCanonical))
}

/// The first key present on one side only, as a dotted path.
fn key_difference(path: &str, given: &serde_json::Value, wanted: &serde_json::Value) -> Option<LineFault> {
    use serde_json::Value::{Array, Object};
    let at = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (given, wanted) {
        (Object(g), Object(w)) => {
            if let Some(k) = g.keys().find(|k| !w.contains_key(*k)) {
                return Some(LineFault::UnknownKey { key: at(k) });
            }
            if let Some(k) = w.keys().find(|k| !g.contains_key(*k)) {
                return Some(LineFault::MissingKey { key: at(k) });
            }
            g.iter().find_map(|(k, v)| key_difference(&at(k), v, &w[k]))
        }
        (Array(g), Array(w)) => {
            g.iter().zip(w).enumerate().find_map(|(i, (a, b))| key_difference(&format!("{path}[{i}]"), a, b))
        }
        _ => None,
    }
}

/// Every record checked as its form checks it, plus the bookkeeping of
/// who made it. The one place where a line's record is judged on its own.
pub(super) fn record_problems(line: &ExportLine, comuni: &Comuni) -> Vec<Problem> {
    let problems = form_problems(line, comuni);
    // The same bounds as the forms, on the whole stored record.
    super::line_bounds::merge(problems, Bounded::bounds(line))
}

fn form_problems(line: &ExportLine, comuni: &Comuni) -> Vec<Problem> {
    let cx_at = |at: OffsetDateTime| Context { today: at.date(), comuni };
    match line {
        ExportLine::Header { .. } | ExportLine::End { .. } => vec![],
        ExportLine::Counter { series, .. } => {
            let mut problems = Problems::new();
            if !is_series(series) {
                problems.push(Field::Series, Reason::UnknownCode { code: series.clone() });
            }
            problems.into_vec()
        }
        ExportLine::Ambit { record, .. } => {
            let mut problems = record.details.validate(&cx_at(record.meta.updated_at)).into_vec();
            problems.extend(meta_problems(&record.meta));
            problems
        }
        ExportLine::Service { record, .. } => {
            // Checked as on the day it was last saved, as an ambit is.
            let mut problems = record.details.validate_at(None, record.meta.updated_at.date()).into_vec();
            if let (Some(v), Some(r)) = (&record.vacancy, &record.details.reception) {
                let declared = VacancyInput { places: v.places, declared_on: v.declared_on, note: v.note.clone() };
                problems.extend(declared.validate(r.licence.places, v.declared_on).into_vec());
            }
            if record.vacancy.is_some() && record.details.reception.is_none() {
                problems.push(Problem::new(Field::VacantPlaces, Reason::NotReception));
            }
            if let Some(r) = &record.details.reception {
                if comuni.get(r.comune).is_none() {
                    problems.push(Problem::new(
                        Field::ReceptionComune,
                        Reason::UnknownComune { code: r.comune.to_string() },
                    ));
                }
            }
            problems.extend(meta_problems(&record.meta));
            problems
        }
        ExportLine::Operator { record, .. } => {
            let mut problems = record.details.validate(&record.user).into_vec();
            problems.extend(meta_problems(&record.meta));
            problems
        }
        ExportLine::Family { record, .. } => {
            let input = FamilyInput {
                service: Some(record.service),
                referent: Some(record.referent.clone()),
                identity: record.identity.clone(),
                profile: record.profile.clone(),
            };
            let mut problems = input.validate_since(&cx_at(record.meta.updated_at), Some(&record.profile)).into_vec();
            problems.extend(meta_problems(&record.meta));
            problems
        }
        ExportLine::Need { record, .. } => {
            let input = NeedInput {
                service: Some(record.service),
                referent: Some(record.referent.clone()),
                identity: record.identity.clone(),
                placement: record.placement.clone(),
            };
            let mut problems = input.validate_since(&cx_at(record.meta.updated_at), Some(&record.placement)).into_vec();
            problems.extend(meta_problems(&record.meta));
            problems
        }
        ExportLine::Proposal { record, .. } => {
            let mut problems = meta_problems(&record.meta);
            if record.needs.is_empty() {
                problems.push(Problem::new(Field::Needs, Reason::Required));
            }
            problems.extend(step_problems(record));
            if record.steps.last().is_none_or(|s| s.status != record.status) {
                problems.push(Problem::new(
                    Field::Steps,
                    Reason::StatusTransition { from: "?".into(), to: record.status.token().into() },
                ));
            }
            problems
        }
        ExportLine::Placement { record, .. } => {
            let mut problems = record.plan.validate(&cx_at(record.meta.created_at)).into_vec();
            problems.extend(meta_problems(&record.meta));
            problems.extend(placement_text_problems(record));
            if record.needs.is_empty() {
                problems.push(Problem::new(Field::Needs, Reason::Required));
            }
            problems
        }
        ExportLine::Event { record, .. } => {
            let mut problems = record.details.validate(&cx_at(record.meta.updated_at)).into_vec();
            problems.extend(meta_problems(&record.meta));
            problems
        }
        ExportLine::Audit { record } => audit_text_problems(record),
        ExportLine::Quarantined { record, raw } => quarantine_problems(record, raw).0,
    }
}

/// Where a quarantined record sorts among the others of its kind: by the
/// tree it was in, then its key, as the quarantine tree keeps them.
fn quarantine_place(q: &crate::store::quarantine::Quarantined) -> Vec<u8> {
    let mut place = q.tree.as_bytes().to_vec();
    place.push(0);
    place.extend_from_slice(&q.key);
    place
}

/// A record in quarantine as an export carries it: a record tree, its code
/// agreeing with its key, plain texts, and the raw bytes (hex) of the size told.
pub(super) fn quarantine_problems(q: &crate::store::quarantine::Quarantined, raw: &str) -> (Vec<Problem>, Vec<u8>) {
    let mut p = Problems::new();
    match TreeId::from_name(&q.tree).filter(|t| crate::store::quarantine::RECORD_TREES.contains(t)) {
        None => p.push(Field::Tree, Reason::UnknownCode { code: q.tree.clone() }),
        Some(tree) if crate::store::quarantine::record_label(tree, &q.key) != q.record => {
            p.push(Field::Record, Reason::UnknownCode { code: q.record.clone() })
        }
        Some(_) => {}
    }
    // Its length is a bound (`line_bounds`); here only that there is one.
    if q.key.is_empty() {
        p.push(Field::Key, Reason::Required);
    }
    p.require_text(Field::Reason, &q.reason, crate::model::limits::MAX_NOTES);
    p.require_text(Field::FoundBy, &q.found_by, crate::model::limits::MAX_USER);
    let raw = hex::decode(raw).unwrap_or_else(|_| {
        p.push(Field::Raw, Reason::UnknownCode { code: "hex".into() });
        Vec::new()
    });
    if raw.len() as u64 != q.size {
        p.push(Field::Size, Reason::UnknownCode { code: q.size.to_string() });
    }
    (p.into_vec(), raw)
}

/// The texts of a proposal's steps: each note plain, within bounds, as
/// `ProposalStep` requests check them; a cause names one of the
/// proposal's own needs, or another proposal.
fn step_problems(proposal: &Proposal) -> Vec<Problem> {
    let mut p = Problems::new();
    for (i, s) in proposal.steps.iter().enumerate() {
        p.limit_text(Field::StepsNote.at(i), &s.note, crate::model::proposal::MAX_STEP_NOTE);
        p.require_text(Field::StepsBy.at(i), &s.by, 32);
        let stranger = match s.cause {
            Some(StepCause::NeedClosed { need, .. }) => (!proposal.needs.contains(&need)).then(|| need.to_string()),
            Some(StepCause::PlacedElsewhere { proposal: other, .. }) => {
                (other == proposal.code).then(|| other.to_string())
            }
            // The family is the proposal's own; what took its places is another proposal.
            Some(StepCause::NoPlaceLeft { family, .. }) if Some(family) != proposal.family => Some(family.to_string()),
            Some(StepCause::NoPlaceLeft { by, .. }) => {
                (by == PlaceTaker::Proposal(proposal.code)).then(|| proposal.code.to_string())
            }
            None => None,
        };
        if let Some(code) = stranger {
            p.push(Field::StepsCause.at(i), Reason::UnknownCode { code });
        }
    }
    p.into_vec()
}

/// The texts of a placement's reviews and closing, as their requests check them.
/// (Dates are history here: a review recorded then is not judged by today.)
fn placement_text_problems(x: &Placement) -> Vec<Problem> {
    let mut p = Problems::new();
    for (i, r) in x.reviews.iter().enumerate() {
        p.require_text(Field::ReviewsNote.at(i), &r.note, crate::model::placement::MAX_PLAN_TEXT);
        p.require_text(Field::ReviewsBy.at(i), &r.by, 32);
    }
    if let Some(c) = &x.closing {
        p.limit_text(Field::ClosingNote, &c.note, crate::model::placement::MAX_PLAN_TEXT);
        p.require_text(Field::ClosingBy, &c.by, 32);
    }
    p.into_vec()
}

/// A numbering series: `S` for services, `F/2026`, `R/2026`, `P/2026`, `A/2026`.
fn is_series(series: &str) -> bool {
    series == "S"
        || series.split_once('/').is_some_and(|(kind, year)| {
            ["F", "R", "P", "A", "E"].contains(&kind) && year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
        })
}

/// An audit entry's texts: who (a user name), which record, which fields.
/// The chain's hashes prove only that the file agrees with itself.
fn audit_text_problems(e: &AuditEntry) -> Vec<Problem> {
    let mut p = Problems::new();
    p.require_text(Field::Actor, &e.actor, crate::model::operator::MAX_USER);
    p.limit_text(Field::Record, &e.record, 200);
    for (i, f) in e.fields.iter().enumerate() {
        // A field's name, or a reason written by an operator: notes' rules.
        if f.chars().count() > crate::model::family::MAX_NOTES {
            p.push(Field::AuditFields.at(i), Reason::TooLong { max: crate::model::family::MAX_NOTES });
        } else if let Err(fault) = crate::model::plain::check(f, true) {
            p.push(Field::AuditFields.at(i), Reason::from(fault));
        }
    }
    p.into_vec()
}

/// Who last changed a record and who made it: user names, plain.
fn meta_problems(m: &Meta) -> Vec<Problem> {
    let mut p = Problems::new();
    p.require_text(Field::MetaCreatedBy, &m.created_by, crate::model::operator::MAX_USER);
    p.require_text(Field::MetaUpdatedBy, &m.updated_by, crate::model::operator::MAX_USER);
    p.into_vec()
}
