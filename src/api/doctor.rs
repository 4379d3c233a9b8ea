//! What `banca doctor` found and did, check by check: plain data for the
//! wire, the CLI and `--json`; and a record in quarantine, as the store
//! keeps its header (JSON) and the wire carries it.

use serde::{Deserialize, Serialize};

use time::OffsetDateTime;

use super::ChainBreak;

/// At most this many examples of one kind of fault travel in a report;
/// the counts are always whole.
pub const MAX_EXAMPLES: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorReport {
    /// `--repair` was asked: what could be rebuilt was, the rest set aside.
    pub repair: bool,
    pub records: RecordsCheck,
    pub indexes: IndexesCheck,
    pub counters: CountersCheck,
    pub audit: AuditCheck,
    /// Every record in quarantine now (after the repair, if any).
    pub quarantine: Vec<Quarantined>,
}

/// Every record of every record tree decodes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsCheck {
    pub examined: u64,
    /// Records that do not decode, all of them.
    pub damaged: Vec<DamagedRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DamagedRecord {
    pub tree: String,
    pub record: String,
    pub reason: String,
    /// Set aside by this run (`--repair`).
    pub quarantined: bool,
}

/// The index trees list exactly the families and needs as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexesCheck {
    /// Index entries examined (those the records call for, and those found).
    pub examined: u64,
    /// Entries a record calls for that are not there.
    pub missing: u64,
    /// Entries that name no record, or a value the record no longer has.
    pub stale: u64,
    /// The first ones found, of both kinds.
    pub examples: Vec<IndexFault>,
    /// Entries added or removed by this run.
    pub repaired: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexFault {
    /// `idx_status`, `idx_service`, `idx_comune`, `idx_referent`.
    pub index: String,
    pub record: String,
    /// The indexed value as an operator reads it (a status, `S-003`, an ISTAT code, a user name).
    pub value: String,
    /// True: the record calls for it and it is missing; false: it is there and should not be.
    pub missing: bool,
}

/// Each code series' counter is at or above every code in use (records,
/// quarantine included), so no code is ever given twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountersCheck {
    /// Series examined (those with a counter or a code in use).
    pub examined: u64,
    pub behind: Vec<CounterFault>,
    /// Counters raised by this run.
    pub repaired: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterFault {
    /// `F/2026`, `R/2026`, `P/2026`, `A/2026`, `S`.
    pub series: String,
    pub counter: u32,
    /// The highest number in use.
    pub highest: u32,
}

/// The audit chain verifies from the first entry to the head.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheck {
    pub entries: u64,
    /// Where it breaks. Never repaired: a broken chain is evidence.
    pub broken: Option<ChainBreak>,
}

impl DoctorReport {
    /// Findings `--repair` would mend and that are still there.
    pub fn repairable(&self) -> bool {
        self.records.damaged.iter().any(|d| !d.quarantined)
            || (self.indexes.missing + self.indexes.stale) > self.indexes.repaired
            || self.counters.behind.len() as u64 > self.counters.repaired
    }

    /// What needs an administrator beyond a repair: records in quarantine,
    /// a broken audit chain.
    pub fn needs_attention(&self) -> bool {
        !self.quarantine.is_empty() || self.audit.broken.is_some()
    }

    /// Something was changed by this run.
    pub fn changed(&self) -> bool {
        self.records.damaged.iter().any(|d| d.quarantined) || self.indexes.repaired > 0 || self.counters.repaired > 0
    }
}

/// One quarantined record with its raw bytes, as `--export-quarantine`
/// asks for it. (No `serde(flatten)`: the wire's bincode cannot encode it.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedRaw {
    pub record: Quarantined,
    /// The bytes as they were stored, in hex.
    pub raw_hex: String,
}

/// One record in quarantine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    /// Name of the tree it was in (`families`).
    pub tree: String,
    /// Its key there, raw.
    #[serde(with = "hex_bytes")]
    pub key: Vec<u8>,
    /// The record's code as operators know it (`F-2026-0042`, `S-003`, a user name).
    pub record: String,
    /// Why it could not be read.
    pub reason: String,
    pub found_at: OffsetDateTime,
    /// Who set it aside: `(server)` when found while serving, else the administrator.
    pub found_by: String,
    /// Size of the raw value.
    pub size: u64,
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        hex::decode(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}
