//! The quarantine: records that no longer decode, set aside whole so the
//! rest of the bank opens, serves, lists and exports.
//!
//! A quarantined record leaves its tree, and its index entries, in one
//! transaction with an audit entry; its raw bytes are kept here untouched,
//! under the tree's name and the original key, with why and when, until an
//! administrator exports them (`banca doctor --export-quarantine`) and
//! decides. The value is a small JSON header, length-prefixed, then the raw
//! bytes: never bincode, so no size limit of the codec can make the
//! quarantine itself unreadable.

use time::OffsetDateTime;

use super::audit::AuditAction;
use super::{Store, StoreError, TreeId};

/// The record trees: the only ones whose values are set aside (a damaged
/// audit entry is evidence, kept where it is and reported).
pub const RECORD_TREES: [TreeId; 8] = [
    TreeId::Ambits,
    TreeId::Services,
    TreeId::Operators,
    TreeId::Families,
    TreeId::Needs,
    TreeId::Proposals,
    TreeId::Placements,
    TreeId::Events,
];

/// The index trees, which list families and needs by a value.
pub const INDEX_TREES: [TreeId; 4] = [TreeId::IdxStatus, TreeId::IdxService, TreeId::IdxComune, TreeId::IdxReferent];

/// Index entries of damaged records: (kind byte, record key) → (index tree, entry key).
type IndexEntries = std::collections::BTreeMap<(u8, Vec<u8>), Vec<(TreeId, Vec<u8>)>>;

/// The longest reason kept: a decoder's message, never an essay.
const MAX_REASON: usize = 500;

pub use crate::api::Quarantined;

/// What the quarantine tree stores in front of the raw bytes.
type Header = Quarantined;

impl TreeId {
    pub fn from_name(name: &str) -> Option<TreeId> {
        TreeId::ALL.iter().copied().find(|t| t.name() == name)
    }
}

/// The code an operator knows a record by, from its tree and key.
pub fn record_label(tree: TreeId, key: &[u8]) -> String {
    use crate::model::RecordKind;
    use crate::model::{EventCode, FamilyCode, NeedCode, PlacementCode, ProposalCode, ServiceCode};
    let code = match tree.kind() {
        Some(RecordKind::Family) => FamilyCode::from_key(key).map(|c| c.to_string()),
        Some(RecordKind::Need) => NeedCode::from_key(key).map(|c| c.to_string()),
        Some(RecordKind::Proposal) => ProposalCode::from_key(key).map(|c| c.to_string()),
        Some(RecordKind::Placement) => PlacementCode::from_key(key).map(|c| c.to_string()),
        Some(RecordKind::Event) => EventCode::from_key(key).map(|c| c.to_string()),
        Some(RecordKind::Service) => {
            (key.len() == 4).then(|| ServiceCode::from_key(key)).flatten().map(|c| c.to_string())
        }
        Some(RecordKind::Operator | RecordKind::Ambit) => {
            std::str::from_utf8(key).ok().map(|s| crate::model::plain::neutralise(s).into_owned())
        }
        None => None,
    };
    code.unwrap_or_else(|| hex::encode(key))
}

/// Where a record of `tree` under `key` sits in the quarantine tree.
pub fn quarantine_key(tree: TreeId, key: &[u8]) -> Vec<u8> {
    let mut k = tree.name().as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(key);
    k
}

fn encode_value(header: &Header, raw: &[u8]) -> Vec<u8> {
    let head = serde_json::to_vec(header).expect("a quarantine header is plain data");
    let mut v = Vec::with_capacity(4 + head.len() + raw.len());
    v.extend_from_slice(&(head.len() as u32).to_be_bytes());
    v.extend_from_slice(&head);
    v.extend_from_slice(raw);
    v
}

fn decode_value(v: &[u8]) -> Result<(Header, &[u8]), String> {
    let len = v.get(..4).map(|b| u32::from_be_bytes(b.try_into().expect("four bytes")) as usize);
    let len = len.ok_or("quarantine entry shorter than its header")?;
    let head = v.get(4..4 + len).ok_or("quarantine entry cut short")?;
    let header: Header = serde_json::from_slice(head).map_err(|e| e.to_string())?;
    Ok((header, &v[4 + len..]))
}

/// The reason as it is kept: one plain line, bounded.
pub fn plain_reason(reason: &str) -> String {
    let one = crate::model::plain::neutralise(reason);
    one.chars().take(MAX_REASON).collect()
}

/// A value found damaged: where, its bytes, why it does not decode, and
/// the kind byte of its index entries (families and needs).
#[derive(Debug, Clone)]
pub struct Damage {
    pub tree: TreeId,
    pub key: Vec<u8>,
    pub raw: Vec<u8>,
    pub reason: String,
    pub index_kind: Option<u8>,
}

/// A damaged value made ready to move: its place and value in the
/// quarantine, its code, the kept reason, its index entries.
struct Prepared {
    qkey: Vec<u8>,
    value: Vec<u8>,
    record: String,
    reason: String,
    entries: Vec<(TreeId, Vec<u8>)>,
}

/// What setting a record aside did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Moved to the quarantine, with this many index entries removed.
    Moved { index_entries: u64 },
    /// The value had changed (or gone) since it was found damaged: left alone.
    Changed,
}

impl Store {
    /// Moves damaged values to the quarantine, in one transaction with the
    /// removal of their index entries and an audit entry each by `actor`.
    /// A value is moved only if it is still the bytes found: a record
    /// written again since is not set aside. The index trees are scanned
    /// once for all of them (a transaction cannot scan).
    pub fn quarantine(&self, damages: &[Damage], at: OffsetDateTime, actor: &str) -> Result<Vec<Outcome>, StoreError> {
        let mut index_keys = self.index_entries_of(damages)?;
        let prepared: Vec<Prepared> = damages
            .iter()
            .map(|d| {
                let record = record_label(d.tree, &d.key);
                let header = Header {
                    tree: d.tree.name().to_string(),
                    key: d.key.clone(),
                    record: record.clone(),
                    reason: plain_reason(&d.reason),
                    found_at: at,
                    found_by: actor.to_string(),
                    size: d.raw.len() as u64,
                };
                let value = encode_value(&header, &d.raw);
                let entries = d.index_kind.and_then(|k| index_keys.remove(&(k, d.key.clone()))).unwrap_or_default();
                Prepared { qkey: quarantine_key(d.tree, &d.key), value, record, reason: header.reason, entries }
            })
            .collect();
        let result = self.transact(|tx| {
            let mut outcomes = Vec::with_capacity(damages.len());
            for (d, Prepared { qkey, value, record, reason, entries }) in damages.iter().zip(&prepared) {
                if tx.raw(d.tree, &d.key)?.as_deref() != Some(d.raw.as_slice()) {
                    outcomes.push(Outcome::Changed);
                    continue;
                }
                tx.raw_remove(d.tree, &d.key)?;
                for (index, k) in entries {
                    tx.raw_remove(*index, k)?;
                }
                tx.raw_put(TreeId::Quarantine, qkey, value)?;
                tx.audit::<StoreError>(at, actor, AuditAction::Quarantine, record, vec![reason.clone()])?;
                outcomes.push(Outcome::Moved { index_entries: entries.len() as u64 });
            }
            Ok(outcomes)
        });
        match result {
            Ok(o) => Ok(o),
            Err(super::TxError::Aborted(e)) | Err(super::TxError::Store(e)) => Err(e),
        }
    }

    /// The index entries of damaged families and needs, by (kind byte, record key).
    fn index_entries_of(&self, damages: &[Damage]) -> Result<IndexEntries, StoreError> {
        let wanted: std::collections::BTreeSet<(u8, &[u8])> =
            damages.iter().filter_map(|d| d.index_kind.map(|k| (k, d.key.as_slice()))).collect();
        let kinds: std::collections::BTreeSet<u8> = wanted.iter().map(|(k, _)| *k).collect();
        let mut out = IndexEntries::new();
        for index in INDEX_TREES {
            for kind in &kinds {
                for kv in self.tree(index).scan_prefix([*kind]) {
                    let (k, _) = kv?;
                    let value_len = k.get(1).copied().unwrap_or(0) as usize;
                    let Some(record) = k.get(2 + value_len..) else { continue };
                    if wanted.contains(&(*kind, record)) {
                        out.entry((*kind, record.to_vec())).or_default().push((index, k.to_vec()));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every record in quarantine, oldest key first, without its raw bytes.
    pub fn quarantined(&self) -> impl Iterator<Item = Result<Quarantined, StoreError>> + '_ {
        self.quarantined_raw().map(|r| r.map(|(q, _)| q))
    }

    /// Every record in quarantine with its raw bytes.
    pub fn quarantined_raw(&self) -> impl Iterator<Item = Result<(Quarantined, Vec<u8>), StoreError>> + '_ {
        self.tree(TreeId::Quarantine).iter().map(|kv| {
            let (k, v) = kv?;
            let (header, raw) = decode_value(&v).map_err(|reason| StoreError::Corrupt {
                tree: TreeId::Quarantine.name(),
                key: hex::encode(&k),
                raw_key: k.to_vec(),
                reason,
            })?;
            Ok((header, raw.to_vec()))
        })
    }

    /// The quarantined record an operator names by its code, if any.
    pub fn quarantined_record(&self, code: &str) -> Result<Option<Quarantined>, StoreError> {
        let code = code.trim();
        for q in self.quarantined() {
            let q = q?;
            if q.record.eq_ignore_ascii_case(code) {
                return Ok(Some(q));
            }
        }
        Ok(None)
    }
}

/// The key and value a quarantined record is stored under (an import puts
/// back what an export carried); `None` for a tree that holds no records.
pub fn stored_entry(q: &Quarantined, raw: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let tree = TreeId::from_name(&q.tree).filter(|t| RECORD_TREES.contains(t))?;
    Some((quarantine_key(tree, &q.key), encode_value(q, raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_trees_are_those_of_every_kind_of_record() {
        let mut of_kinds: Vec<TreeId> = crate::model::RecordKind::ALL.into_iter().map(TreeId::of).collect();
        let mut record_trees = RECORD_TREES.to_vec();
        of_kinds.sort_by_key(|t| t.name());
        record_trees.sort_by_key(|t| t.name());
        assert_eq!(record_trees, of_kinds);
        assert!(RECORD_TREES.iter().all(|t| t.kind().is_some_and(|k| TreeId::of(k) == *t)));
        assert_eq!(TreeId::Audit.kind(), None);
    }

    #[test]
    fn a_header_and_raw_bytes_read_back_whole() {
        let h = Header {
            tree: "families".into(),
            key: vec![7, 234, 0, 0, 0, 3],
            record: "F-2026-0003".into(),
            reason: "LimitExceeded".into(),
            found_at: time::macros::datetime!(2026-12-06 08:00 UTC),
            found_by: "(server)".into(),
            size: 3,
        };
        let v = encode_value(&h, &[0xde, 0xad, 0x00]);
        let (back, raw) = decode_value(&v).unwrap();
        assert_eq!(back, h);
        assert_eq!(raw, &[0xde, 0xad, 0x00]);
        assert!(decode_value(&v[..3]).is_err());
    }

    #[test]
    fn codes_are_told_as_operators_know_them() {
        let key = crate::model::FamilyCode::new(2026, 42).key();
        assert_eq!(record_label(TreeId::Families, &key), "F-2026-0042");
        assert_eq!(record_label(TreeId::Operators, b"maria"), "maria");
        assert_eq!(record_label(TreeId::Families, &[1]), "01");
    }
}
