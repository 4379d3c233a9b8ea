//! `banca doctor`: checks the whole bank — every record decodes, the index
//! trees match the records both ways, the code counters are above every
//! code in use, the audit chain verifies — and lists the quarantine. With
//! `repair`, rebuilds what can be rebuilt (index entries from the records,
//! counters from the codes) and sets aside in the quarantine what cannot.
//!
//! A damaged record is never rebuilt from the audit log: the log holds who
//! changed which record when and the *names* of the changed fields, never
//! their values, so it does not hold enough to rebuild one. The way back
//! for such a record is the last backup (its line in the export).
//!
//! The run holds the writer's lock: it sees, and repairs, one state of the
//! bank, with no write landing in between.

use std::collections::{BTreeMap, BTreeSet};

use crate::access::{Operation, Subject};
use crate::model::*;
use crate::store::audit::AuditAction;
use crate::store::quarantine::{record_label, INDEX_TREES, RECORD_TREES};
use crate::store::{codec, meta_key, StoreError, TreeId, Versioned};

use super::index::{self, FAMILY, NEED};
use super::*;

/// One pass over the bank: what was found, before any repair.
#[derive(Default)]
struct Pass {
    examined: u64,
    /// Records that do not decode: tree, key, why.
    damaged: Vec<(TreeId, Vec<u8>, String)>,
    /// Index keys the sound families and needs call for, by index tree.
    expected: BTreeMap<usize, Vec<Vec<u8>>>,
    /// The highest number in use of each code series.
    highest: BTreeMap<String, u32>,
}

impl Bank {
    /// `Request::Doctor`: administrators and the server's own user only.
    pub(super) fn doctor(&self, actor: &Actor, repair: bool) -> Response {
        let by = self.doctor_allowed(actor, "doctor")?;
        let _w = self.write_lock();
        let mut pass = Pass::default();
        for tree in RECORD_TREES {
            self.examine(tree, &mut pass)?;
        }
        // A code in quarantine is still taken: numbering must go past it.
        for q in self.store.quarantined().filter_map(readable) {
            if let Some((series, n)) = TreeId::from_name(&q.tree).and_then(|t| series_of(t, &q.key)) {
                raise(&mut pass.highest, series, n);
            }
        }

        let mut records = RecordsCheck { examined: pass.examined, damaged: Vec::new() };
        let moved = if repair { self.quarantine_logged(pass.damaged.clone(), &by) } else { Vec::new() };
        let mut unrepaired = BTreeSet::new();
        for (i, (tree, key, reason)) in pass.damaged.iter().enumerate() {
            let quarantined = moved.get(i).copied().unwrap_or(false);
            if !quarantined {
                unrepaired.insert((*tree as usize, key.clone()));
            }
            records.damaged.push(DamagedRecord {
                tree: tree.name().to_string(),
                record: record_label(*tree, key),
                reason: crate::store::quarantine::plain_reason(reason),
                quarantined,
            });
        }

        let indexes = self.check_indexes(&mut pass.expected, &unrepaired, repair)?;
        let counters = self.check_counters(&pass.highest, repair, &by)?;
        if repair && (indexes.repaired > 0 || counters.repaired > 0) {
            self.store.flush()?;
        }
        let audit = match self.store.verify_audit() {
            Ok(verified) => AuditCheck { entries: verified.entries, broken: None },
            Err(b) => AuditCheck { entries: self.store.tree(TreeId::Audit).len() as u64, broken: Some(b) },
        };
        let quarantine = self.store.quarantined().filter_map(readable).collect();
        let report = DoctorReport { repair, records, indexes, counters, audit, quarantine };
        if report.changed() {
            self.rebuild_index()?;
            tracing::warn!(by = %by, "doctor repaired the bank: {}", summary(&report));
        }
        Ok(Reply::Doctor(Box::new(report)))
    }

    /// `Request::QuarantineExport`: every quarantined record with its raw
    /// bytes, for an administrator to inspect. The bytes may hold personal
    /// data, so the export is on record.
    pub(super) fn quarantine_export(&self, actor: &Actor) -> Response {
        let by = self.doctor_allowed(actor, "doctor.export_quarantine")?;
        if !actor.server_user {
            // Raw bytes may hold identities: whoever may take the backup, as for `Export`.
            let who = self.principal(actor)?;
            self.require(&who, Operation::ReadIdentity, Subject::Backup, None, "doctor.export_quarantine")?;
        }
        let records = self
            .store
            .quarantined_raw()
            .map(|r| r.map(|(record, raw)| QuarantinedRaw { record, raw_hex: hex::encode(raw) }))
            .collect::<Result<Vec<_>, _>>()?;
        let _w = self.write_lock();
        let now = self.clock.now();
        self.store.transact(|tx| {
            tx.audit::<BankError>(now, &by, AuditAction::Export, "quarantine", vec![])?;
            Ok(())
        })?;
        Ok(Reply::Quarantine(records))
    }

    /// The server's own user, or an active administrator: who may examine
    /// and repair the whole bank. The name the audit log gives them.
    fn doctor_allowed(&self, actor: &Actor, action: &str) -> Result<String, BankError> {
        if actor.server_user {
            return Ok(actor.user.clone());
        }
        let who = self.principal(actor)?;
        if who.role != Role::Admin {
            return Err(BankError::Forbidden { action: action.into() });
        }
        Ok(who.user)
    }

    /// Decodes every record of a tree; notes what the sound ones call for.
    fn examine(&self, tree: TreeId, pass: &mut Pass) -> Result<(), StoreError> {
        match tree {
            TreeId::Families => self.scan::<Family>(tree, pass, |pass, key, f| {
                expect(pass, FAMILY, key, &index::family_entries(&f));
            }),
            TreeId::Needs => self.scan::<Need>(tree, pass, |pass, key, n| {
                expect(pass, NEED, key, &index::need_entries(&n));
            }),
            TreeId::Services => self.scan::<Service>(tree, pass, |_, _, _| {}),
            TreeId::Operators => self.scan::<Operator>(tree, pass, |_, _, _| {}),
            TreeId::Ambits => self.scan::<Ambit>(tree, pass, |_, _, _| {}),
            TreeId::Proposals => self.scan::<Proposal>(tree, pass, |_, _, _| {}),
            TreeId::Placements => self.scan::<Placement>(tree, pass, |_, _, _| {}),
            TreeId::Events => self.scan::<NetworkEvent>(tree, pass, |_, _, _| {}),
            _ => Ok(()),
        }
    }

    fn scan<T: Versioned>(
        &self,
        tree: TreeId,
        pass: &mut Pass,
        mut sound: impl FnMut(&mut Pass, &[u8], T),
    ) -> Result<(), StoreError> {
        for kv in self.store.tree(tree).iter() {
            let (key, value) = kv?;
            pass.examined += 1;
            if let Some((series, n)) = series_of(tree, &key) {
                raise(&mut pass.highest, series, n);
            }
            match codec::decode::<T>(&value) {
                Ok((_, record)) => sound(pass, &key, record),
                Err(e) => pass.damaged.push((tree, key.to_vec(), e.to_string())),
            }
        }
        Ok(())
    }

    /// Compares each index tree with what the records call for, both ways;
    /// with `repair`, adds what is missing and removes what is stale, one
    /// batch per index tree. Entries of a damaged record left in place are
    /// not counted: the record is the finding.
    fn check_indexes(
        &self,
        expected: &mut BTreeMap<usize, Vec<Vec<u8>>>,
        damaged: &BTreeSet<(usize, Vec<u8>)>,
        repair: bool,
    ) -> Result<IndexesCheck, StoreError> {
        let mut check = IndexesCheck::default();
        for tree in INDEX_TREES {
            let mut want = expected.remove(&(tree as usize)).unwrap_or_default();
            want.sort_unstable();
            want.dedup();
            let mut batch = crate::store::Batch::default();
            let mut changes = 0u64;
            let mut wanted = want.iter().peekable();
            let mut note = |check: &mut IndexesCheck, key: &[u8], missing: bool| {
                if missing {
                    check.missing += 1;
                    batch.insert(key, &[] as &[u8]);
                } else {
                    check.stale += 1;
                    batch.remove(key);
                }
                changes += 1;
                if check.examples.len() < MAX_EXAMPLES {
                    check.examples.push(index_fault(tree, key, missing));
                }
            };
            for kv in self.store.tree(tree).iter() {
                let (have, _) = kv?;
                check.examined += 1;
                while let Some(w) = wanted.next_if(|w| w.as_slice() < have.as_ref()) {
                    note(&mut check, w, true);
                }
                if wanted.next_if(|w| w.as_slice() == have.as_ref()).is_some() {
                    continue;
                }
                if !of_damaged(&have, damaged) {
                    note(&mut check, &have, false);
                }
            }
            for w in wanted {
                check.examined += 1;
                note(&mut check, w, true);
            }
            if repair && changes > 0 {
                self.store.apply(tree, batch)?;
                check.repaired += changes;
            }
        }
        Ok(check)
    }

    /// Compares every counter with the highest code in use; with `repair`,
    /// raises those behind, in one transaction with an audit entry.
    fn check_counters(
        &self,
        highest: &BTreeMap<String, u32>,
        repair: bool,
        by: &str,
    ) -> Result<CountersCheck, BankError> {
        let mut counters = BTreeMap::new();
        for kv in self.store.tree(TreeId::Meta).scan_prefix(meta_key::COUNTER_PREFIX) {
            let (k, v) = kv.map_err(StoreError::from)?;
            let series = String::from_utf8_lossy(&k[meta_key::COUNTER_PREFIX.len()..]).into_owned();
            counters.insert(series, v.as_ref().try_into().map(u32::from_be_bytes).unwrap_or(0));
        }
        let series: BTreeSet<&String> = counters.keys().chain(highest.keys()).collect();
        let mut check = CountersCheck { examined: series.len() as u64, ..Default::default() };
        for (s, top) in highest {
            let counter = counters.get(s).copied().unwrap_or(0);
            if counter < *top {
                check.behind.push(CounterFault { series: s.clone(), counter, highest: *top });
            }
        }
        if repair && !check.behind.is_empty() {
            let now = self.clock.now();
            let fields: Vec<String> = check.behind.iter().map(|b| format!("counter {}", b.series)).collect();
            self.store.transact(|tx| {
                for b in &check.behind {
                    tx.raise_counter::<BankError>(&b.series, b.highest)?;
                }
                tx.audit::<BankError>(now, by, AuditAction::Repair, "*", fields.clone())?;
                Ok(())
            })?;
            check.repaired = check.behind.len() as u64;
        }
        Ok(check)
    }
}

/// The index keys a sound family or need calls for.
fn expect(pass: &mut Pass, kind: u8, key: &[u8], entries: &index::Entries) {
    for (tree, value) in entries {
        let mut k = crate::store::index_key_prefix(kind, value);
        k.extend_from_slice(key);
        pass.expected.entry(*tree as usize).or_default().push(k);
    }
}

/// The kind byte, value and record key of an index key.
fn split_index_key(key: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let kind = *key.first()?;
    let len = *key.get(1)? as usize;
    let value = key.get(2..2 + len)?;
    Some((kind, value, &key[2 + len..]))
}

fn of_damaged(index_key: &[u8], damaged: &BTreeSet<(usize, Vec<u8>)>) -> bool {
    let Some((kind, _, record)) = split_index_key(index_key) else { return false };
    let tree = if kind == FAMILY { TreeId::Families } else { TreeId::Needs };
    damaged.contains(&(tree as usize, record.to_vec()))
}

fn index_fault(tree: TreeId, key: &[u8], missing: bool) -> IndexFault {
    let (record, value) = match split_index_key(key) {
        Some((kind, value, record)) => {
            let records = if kind == FAMILY { TreeId::Families } else { TreeId::Needs };
            (record_label(records, record), index_value(tree, value))
        }
        None => (hex::encode(key), String::new()),
    };
    IndexFault { index: tree.name().to_string(), record, value, missing }
}

/// An indexed value as an operator reads it.
fn index_value(tree: TreeId, value: &[u8]) -> String {
    let text = || crate::model::plain::neutralise(&String::from_utf8_lossy(value)).into_owned();
    match tree {
        TreeId::IdxService => ServiceCode::from_key(value).map(|c| c.to_string()).unwrap_or_else(|| hex::encode(value)),
        TreeId::IdxComune => match <[u8; 4]>::try_from(value) {
            Ok(b) => ComuneCode::from_u32(u32::from_be_bytes(b)).to_string(),
            Err(_) => hex::encode(value),
        },
        _ => text(),
    }
}

/// The code series and number a record key holds (`F/2026`, 42).
fn series_of(tree: TreeId, key: &[u8]) -> Option<(String, u32)> {
    match tree {
        TreeId::Families => FamilyCode::from_key(key).map(|c| (format!("F/{}", c.year), c.number)),
        TreeId::Needs => NeedCode::from_key(key).map(|c| (format!("R/{}", c.year), c.number)),
        TreeId::Proposals => ProposalCode::from_key(key).map(|c| (format!("P/{}", c.year), c.number)),
        TreeId::Placements => PlacementCode::from_key(key).map(|c| (format!("A/{}", c.year), c.number)),
        TreeId::Events => EventCode::from_key(key).map(|c| (format!("E/{}", c.year), c.number)),
        TreeId::Services if key.len() == 4 => ServiceCode::from_key(key).map(|c| ("S".to_string(), c.0)),
        _ => None,
    }
}

/// A quarantine entry, or `None` (logged) when even its header does not
/// read: the doctor goes on, as the bank does.
fn readable(
    q: Result<crate::store::quarantine::Quarantined, StoreError>,
) -> Option<crate::store::quarantine::Quarantined> {
    q.map_err(|e| tracing::error!("quarantine entry unreadable: {e}")).ok()
}

fn raise(highest: &mut BTreeMap<String, u32>, series: String, n: u32) {
    let h = highest.entry(series).or_insert(0);
    *h = (*h).max(n);
}

/// One line for the server's log.
fn summary(r: &DoctorReport) -> String {
    format!(
        "{} records quarantined, {} index entries and {} counters repaired",
        r.records.damaged.iter().filter(|d| d.quarantined).count(),
        r.indexes.repaired,
        r.counters.repaired
    )
}
