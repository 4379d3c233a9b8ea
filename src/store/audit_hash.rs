//! The audit chain's hash, and the encoding it is taken over.
//!
//! An entry's hash must not move when the record codec does, or a change of
//! codec would break every chain on disk. So the hash is taken over a
//! canonical encoding of its own, written out here field by field
//! (docs/storage.md, "The audit chain's hash"), and each entry records the
//! version it was hashed with. Version 0 is what banks written before this
//! existed hold: the hash over the codec's (bincode 2) bytes of the entry. It
//! is still verified, never written again.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::audit::{AuditAction, AuditEntry};
use super::codec::canonical_bytes;

pub use crate::api::HashVersion;

/// The hash of `entry` as its own hash version takes it.
pub fn hash_of(entry: &AuditEntry) -> [u8; 32] {
    let bytes = match entry.hash_version {
        HashVersion::Bincode => bincode_bytes(entry),
        HashVersion::Canonical1 => canonical_v1(entry),
    };
    Sha256::digest(bytes).into()
}

/// Version 1 of the canonical encoding: the bytes the hash of a version 1
/// entry is taken over. Integers little-endian; a text is its UTF-8 length
/// as u64 then its bytes; a list is its length as u64 then its items. The
/// field `hash` is not covered (it is the result).
pub fn canonical_v1(e: &AuditEntry) -> Vec<u8> {
    let mut out = Canonical::with_capacity(128);
    out.byte(HashVersion::Canonical1.number());
    out.u64(e.seq);
    out.instant(e.at);
    out.text(&e.actor);
    out.text(action_name(e.action));
    out.text(&e.record);
    out.u64(e.fields.len() as u64);
    for field in &e.fields {
        out.text(field);
    }
    out.raw(&e.prev_hash);
    out.0
}

/// The action as the canonical encoding spells it. Written out, not taken
/// from serde, so that renaming a variant cannot change a hash.
fn action_name(action: AuditAction) -> &'static str {
    match action {
        AuditAction::Init => "init",
        AuditAction::Create => "create",
        AuditAction::Update => "update",
        AuditAction::ReadIdentity => "read_identity",
        AuditAction::EmergencyRead => "emergency_read",
        AuditAction::Export => "export",
        AuditAction::ProposalStep => "proposal_step",
        AuditAction::Quarantine => "quarantine",
        AuditAction::Repair => "repair",
        AuditAction::VacancyDeclared => "vacancy_declared",
    }
}

/// The fields a version 0 hash covers, as bincode encoded them: everything
/// but the hash (and the hash version, which version 0 entries did not have).
#[derive(Serialize)]
struct Version0<'a> {
    seq: u64,
    at: &'a OffsetDateTime,
    actor: &'a str,
    action: AuditAction,
    record: &'a str,
    fields: &'a [String],
    prev_hash: &'a [u8; 32],
}

fn bincode_bytes(e: &AuditEntry) -> Vec<u8> {
    canonical_bytes(&Version0 {
        seq: e.seq,
        at: &e.at,
        actor: &e.actor,
        action: e.action,
        record: &e.record,
        fields: &e.fields,
        prev_hash: &e.prev_hash,
    })
}

/// A writer of the canonical encoding.
struct Canonical(Vec<u8>);

impl Canonical {
    fn with_capacity(n: usize) -> Canonical {
        Canonical(Vec::with_capacity(n))
    }

    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    /// Seconds since 1970-01-01 UTC (i64), nanoseconds (u32), the offset
    /// from UTC in seconds (i32): the instant and the clock it was read on.
    fn instant(&mut self, at: OffsetDateTime) {
        self.0.extend_from_slice(&at.unix_timestamp().to_le_bytes());
        self.0.extend_from_slice(&at.nanosecond().to_le_bytes());
        self.0.extend_from_slice(&at.offset().whole_seconds().to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}
