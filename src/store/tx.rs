//! Typed access to the trees inside one transaction.

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use time::OffsetDateTime;

use super::audit::{AuditAction, AuditEntry};
use super::codec::Versioned;
use super::{decode_at, encode_for, meta_key, StoreError, TreeId};

pub struct StoreTx<'a> {
    trees: &'a [TransactionalTree],
}

/// What a step inside a transaction returns: its value, or why the
/// transaction stops (`TxAbort::Abort` with the caller's error, or the
/// store's own conflict or failure).
pub type TxResult<T, E> = Result<T, TxAbort<E>>;

/// Why a transaction stops (sled's, named here so no caller names sled).
pub type TxAbort<E> = ConflictableTransactionError<E>;

fn abort<E: From<StoreError>>(e: StoreError) -> ConflictableTransactionError<E> {
    ConflictableTransactionError::Abort(E::from(e))
}

impl<'a> StoreTx<'a> {
    pub(super) fn new(trees: &'a [TransactionalTree]) -> StoreTx<'a> {
        StoreTx { trees }
    }

    fn tree(&self, id: TreeId) -> &TransactionalTree {
        &self.trees[id as usize]
    }

    pub fn get<T: Versioned, E: From<StoreError>>(&self, id: TreeId, key: &[u8]) -> TxResult<Option<(u64, T)>, E> {
        match self.tree(id).get(key)? {
            Some(v) => decode_at(id, key, &v).map(Some).map_err(abort),
            None => Ok(None),
        }
    }

    pub fn exists<E>(&self, id: TreeId, key: &[u8]) -> TxResult<bool, E> {
        Ok(self.tree(id).get(key)?.is_some())
    }

    pub fn put<T: Versioned, E: From<StoreError>>(
        &self,
        id: TreeId,
        key: &[u8],
        revision: u64,
        record: &T,
    ) -> TxResult<(), E> {
        self.tree(id).insert(key, encode_for(id, key, revision, record).map_err(abort)?)?;
        Ok(())
    }

    pub fn index_add<E>(&self, index: TreeId, kind: u8, value: &[u8], key: &[u8]) -> TxResult<(), E> {
        let mut k = index_prefix(kind, value);
        k.extend_from_slice(key);
        self.tree(index).insert(k, &[] as &[u8])?;
        Ok(())
    }

    pub fn index_remove<E>(&self, index: TreeId, kind: u8, value: &[u8], key: &[u8]) -> TxResult<(), E> {
        let mut k = index_prefix(kind, value);
        k.extend_from_slice(key);
        self.tree(index).remove(k)?;
        Ok(())
    }

    /// Next number of a code series (`F/2026`): numbers are never reused.
    pub fn next_number<E>(&self, series: &str) -> TxResult<u32, E> {
        let key = counter_key(series);
        let meta = self.tree(TreeId::Meta);
        let current = meta.get(&key)?.and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes)).unwrap_or(0);
        let next = current + 1;
        meta.insert(key, &next.to_be_bytes())?;
        Ok(next)
    }

    /// Raises a counter to at least `n` (import keeps numbering going).
    pub fn raise_counter<E>(&self, series: &str, n: u32) -> TxResult<(), E> {
        let key = counter_key(series);
        let meta = self.tree(TreeId::Meta);
        let current = meta.get(&key)?.and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes)).unwrap_or(0);
        if n > current {
            meta.insert(key, &n.to_be_bytes())?;
        }
        Ok(())
    }

    /// Appends one entry to the audit chain.
    pub fn audit<E: From<StoreError>>(
        &self,
        at: OffsetDateTime,
        actor: &str,
        action: AuditAction,
        record: &str,
        fields: Vec<String>,
    ) -> TxResult<u64, E> {
        let meta = self.tree(TreeId::Meta);
        let head = meta.get(meta_key::AUDIT_HEAD)?.and_then(|v| parse_head(&v));
        let entry = AuditEntry::chained(head, at, actor, action, record, fields);
        self.append_audit(&entry)?;
        Ok(entry.seq)
    }

    /// Stores an already chained entry and moves the head to it.
    pub fn append_audit<E: From<StoreError>>(&self, entry: &AuditEntry) -> TxResult<(), E> {
        self.tree(TreeId::Audit).insert(
            &AuditEntry::key(entry.seq),
            encode_for(TreeId::Audit, &AuditEntry::key(entry.seq), 1, entry).map_err(abort)?,
        )?;
        let mut head = entry.seq.to_be_bytes().to_vec();
        head.extend_from_slice(&entry.hash);
        self.tree(TreeId::Meta).insert(meta_key::AUDIT_HEAD, head)?;
        Ok(())
    }

    pub fn meta_put<E>(&self, key: &[u8], value: &[u8]) -> TxResult<(), E> {
        self.tree(TreeId::Meta).insert(key, value)?;
        Ok(())
    }

    pub fn meta_remove<E>(&self, key: &[u8]) -> TxResult<(), E> {
        self.tree(TreeId::Meta).remove(key)?;
        Ok(())
    }

    /// The raw value under a key, undecoded (the quarantine's check).
    pub(crate) fn raw<E>(&self, id: TreeId, key: &[u8]) -> TxResult<Option<sled::IVec>, E> {
        Ok(self.tree(id).get(key)?)
    }

    pub(crate) fn raw_remove<E>(&self, id: TreeId, key: &[u8]) -> TxResult<(), E> {
        self.tree(id).remove(key)?;
        Ok(())
    }

    pub(crate) fn raw_put<E>(&self, id: TreeId, key: &[u8], value: &[u8]) -> TxResult<(), E> {
        self.tree(id).insert(key, value)?;
        Ok(())
    }
}

pub(crate) fn counter_key(series: &str) -> Vec<u8> {
    let mut k = meta_key::COUNTER_PREFIX.to_vec();
    k.extend_from_slice(series.as_bytes());
    k
}

/// Index keys: kind byte, value length, value, then the record key; so a
/// prefix scan finds exactly one value even when values share bytes.
pub(crate) fn index_prefix(kind: u8, value: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(2 + value.len() + 8);
    k.push(kind);
    k.push(value.len().min(255) as u8);
    k.extend_from_slice(&value[..value.len().min(255)]);
    k
}

pub(crate) fn parse_head(v: &[u8]) -> Option<(u64, [u8; 32])> {
    if v.len() != 40 {
        return None;
    }
    let seq = u64::from_be_bytes(v[..8].try_into().ok()?);
    let hash: [u8; 32] = v[8..].try_into().ok()?;
    Some((seq, hash))
}
