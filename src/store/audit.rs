//! The audit log (registro): append-only, hash-chained entries of who did
//! what to which record, and who read a child's identity.
//!
//! Each entry carries the hash of the one before; its own hash covers every
//! field and that link. The hash of the newest entry is also kept in the
//! meta tree, so cutting entries off the end is detected too.

use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

pub use super::audit_hash::HashVersion;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Init,
    Create,
    Update,
    ReadIdentity,
    /// An administrator read an identity in an emergency; the field carries the reason.
    EmergencyRead,
    Export,
    /// A step of a proposal (the field names its new state).
    ProposalStep,
    /// A record that no longer decodes was set aside (the field gives why).
    Quarantine,
    /// `banca doctor --repair` rebuilt index entries or counters (the fields name them).
    Repair,
}

impl AuditAction {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use AuditAction::*;
        match (self, lang) {
            (Init, l) => l.pick("creazione banca", "bank created"),
            (Create, l) => l.pick("creazione", "create"),
            (Update, l) => l.pick("modifica", "update"),
            (ReadIdentity, l) => l.pick("lettura identità", "identity read"),
            (EmergencyRead, l) => l.pick("lettura d'emergenza", "emergency read"),
            (Export, l) => l.pick("esportazione", "export"),
            (ProposalStep, l) => l.pick("passo dell'abbinamento", "proposal step"),
            (Quarantine, l) => l.pick("messo in quarantena", "quarantined"),
            (Repair, l) => l.pick("riparazione", "repair"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: OffsetDateTime,
    /// Unix user name of the operator.
    pub actor: String,
    pub action: AuditAction,
    /// Code or key of the record concerned (`F-2026-0042`, `S-003`, an operator's user name).
    pub record: String,
    /// Names of the changed fields (dotted paths), for updates; the reason
    /// of an emergency read; `search` for a name shown in search hits.
    pub fields: Vec<String>,
    #[serde(with = "hex_hash")]
    pub prev_hash: [u8; 32],
    #[serde(with = "hex_hash")]
    pub hash: [u8; 32],
    /// How `hash` was taken (`audit_hash`). Absent from the JSON of an entry
    /// of version 0, so exports of older banks read and re-export unchanged.
    #[serde(default)]
    pub hash_version: HashVersion,
}

/// Field by field as derived, except that JSON (and any human-readable
/// form) leaves out a hash version of 0; the stored form always has it.
impl Serialize for AuditEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let legacy_text = s.is_human_readable() && self.hash_version == HashVersion::Bincode;
        let mut out = s.serialize_struct("AuditEntry", if legacy_text { 8 } else { 9 })?;
        out.serialize_field("seq", &self.seq)?;
        out.serialize_field("at", &self.at)?;
        out.serialize_field("actor", &self.actor)?;
        out.serialize_field("action", &self.action)?;
        out.serialize_field("record", &self.record)?;
        out.serialize_field("fields", &self.fields)?;
        out.serialize_field("prev_hash", &hex_hash::Field(&self.prev_hash))?;
        out.serialize_field("hash", &hex_hash::Field(&self.hash))?;
        if legacy_text {
            out.skip_field("hash_version")?;
        } else {
            out.serialize_field("hash_version", &self.hash_version)?;
        }
        out.end()
    }
}

impl AuditEntry {
    /// A new entry chained after `prev` (`None` for the first one).
    pub fn chained(
        prev: Option<(u64, [u8; 32])>,
        at: OffsetDateTime,
        actor: &str,
        action: AuditAction,
        record: &str,
        fields: Vec<String>,
    ) -> AuditEntry {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, [0u8; 32]),
        };
        let mut e = AuditEntry {
            seq,
            at,
            actor: actor.to_string(),
            action,
            record: record.to_string(),
            fields,
            prev_hash,
            hash: [0; 32],
            hash_version: HashVersion::CURRENT,
        };
        e.hash = e.compute_hash();
        e
    }

    /// The hash the entry's content gives under its own hash version.
    pub fn compute_hash(&self) -> [u8; 32] {
        super::audit_hash::hash_of(self)
    }

    pub fn key(seq: u64) -> [u8; 8] {
        seq.to_be_bytes()
    }

    /// The entry's fields as an operator reads them: field names in words,
    /// or an emergency read's reason as the administrator gave it.
    pub fn fields_text(&self, lang: crate::i18n::Lang) -> Vec<String> {
        match self.action {
            AuditAction::EmergencyRead | AuditAction::Quarantine => {
                self.fields.iter().map(|r| format!("{} {r}", lang.pick("motivo:", "reason:"))).collect()
            }
            _ => self.fields.iter().map(|f| crate::i18n::field_label(f, lang)).collect(),
        }
    }
}

/// Where the chain breaks, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ChainBreak {
    #[error("entry {seq} was altered: its hash does not match its content")]
    Altered { seq: u64 },
    #[error("entry {expected} is missing (next found: {found})")]
    Missing { expected: u64, found: u64 },
    #[error("entry at position {position} carries number {seq}: entries were moved")]
    Reordered { position: u64, seq: u64 },
    #[error("entry {seq} does not follow the entry before it")]
    BrokenLink { seq: u64 },
    #[error(
        "the log ends at entry {found} but the bank recorded {expected} entries: entries were removed from the end"
    )]
    Truncated { expected: u64, found: u64 },
    #[error("entry {seq} does not decode: {reason}")]
    Unreadable { seq: u64, reason: String },
}

/// A run of consecutive entries hashed with the same version: an old bank's
/// chain starts with entries hashed over bincode's bytes (version 0), and
/// goes on with the canonical encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashSegment {
    pub version: HashVersion,
    pub first: u64,
    pub last: u64,
}

/// A chain that verified: how many entries, and which hash version each run used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: u64,
    pub segments: Vec<HashSegment>,
}

/// Checks a chain read in key order. `entries` yields (key seq, decoded
/// entry); `head` is the (seq, hash) the bank recorded for the newest.
pub fn verify<I>(entries: I, head: Option<(u64, [u8; 32])>) -> Result<Verified, ChainBreak>
where
    I: IntoIterator<Item = (u64, Result<AuditEntry, String>)>,
{
    let mut segments: Vec<HashSegment> = Vec::new();
    let mut expected = 1u64;
    let mut prev = [0u8; 32];
    for (key_seq, entry) in entries {
        let entry = entry.map_err(|reason| ChainBreak::Unreadable { seq: key_seq, reason })?;
        if key_seq != expected {
            return Err(ChainBreak::Missing { expected, found: key_seq });
        }
        if entry.seq != key_seq {
            return Err(ChainBreak::Reordered { position: key_seq, seq: entry.seq });
        }
        if entry.compute_hash() != entry.hash {
            return Err(ChainBreak::Altered { seq: key_seq });
        }
        if entry.prev_hash != prev {
            return Err(ChainBreak::BrokenLink { seq: key_seq });
        }
        prev = entry.hash;
        match segments.last_mut() {
            Some(run) if run.version == entry.hash_version => run.last = key_seq,
            _ => segments.push(HashSegment { version: entry.hash_version, first: key_seq, last: key_seq }),
        }
        expected += 1;
    }
    let last = expected - 1;
    match head {
        // The newest entry was rewritten (with a fresh hash): the head still has the old one.
        Some((seq, hash)) if seq == last && last > 0 && hash != prev => Err(ChainBreak::Altered { seq: last }),
        Some((seq, hash)) if seq != last || (last > 0 && hash != prev) => {
            Err(ChainBreak::Truncated { expected: seq, found: last })
        }
        None if last > 0 => Err(ChainBreak::Truncated { expected: 0, found: last }),
        _ => Ok(Verified { entries: last, segments }),
    }
}

/// Field paths that differ between two versions of a record, compared as
/// JSON two levels deep (`profile.status`, `identity.phone`); `meta` is
/// bookkeeping, not a change.
pub fn changed_fields<T: Serialize>(old: &T, new: &T) -> Vec<String> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(old), serde_json::to_value(new)) else {
        return vec!["*".into()];
    };
    let mut out = Vec::new();
    diff("", &a, &b, 0, &mut out);
    out.retain(|f| f != "meta" && !f.starts_with("meta."));
    out
}

fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value, depth: usize, out: &mut Vec<String>) {
    use serde_json::Value::Object;
    match (a, b) {
        (Object(x), Object(y)) if depth < 2 => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let null = serde_json::Value::Null;
                let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                diff(&child, x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null), depth + 1, out);
            }
        }
        _ if a != b => out.push(path.to_string()),
        _ => {}
    }
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    /// A hash to hand to `serialize_field`, written as `serialize` below writes it.
    pub struct Field<'a>(pub &'a [u8; 32]);

    impl serde::Serialize for Field<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, s)
        }
    }

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&hex::encode(h))
        } else {
            serde::Serialize::serialize(h, s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            let v = hex::decode(&s).map_err(serde::de::Error::custom)?;
            v.try_into().map_err(|_| serde::de::Error::custom("a hash is 32 bytes"))
        } else {
            <[u8; 32]>::deserialize(d)
        }
    }
}
