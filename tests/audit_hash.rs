//! The audit chain's hash: taken over a canonical encoding of its own, so
//! the record codec can change without breaking a chain, and chains written
//! before hash versions (hashed over bincode's bytes) still verify.
//!
//! tests/golden/audit_chain.hash-v0.hex holds a chain of five entries as the
//! code before hash versions stored them (one envelope a line, hex): it is
//! evidence on disk in every existing bank. Never regenerate it.

use banca::store::audit::{verify, AuditAction, AuditEntry, ChainBreak, HashSegment, HashVersion};
use banca::store::audit_hash::canonical_v1;
use banca::store::codec::{decode, encode};
use time::macros::datetime;

/// The golden chain, decoded as the store decodes it.
fn golden_chain() -> Vec<AuditEntry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/audit_chain.hash-v0.hex");
    let text = std::fs::read_to_string(path).expect("the golden chain is in the repository");
    text.lines()
        .map(|line| {
            let bytes = hex::decode(line).expect("hex");
            let (revision, entry) = decode::<AuditEntry>(&bytes).expect("an entry stored before hash versions decodes");
            assert_eq!(revision, 1);
            entry
        })
        .collect()
}

fn checked(entries: &[AuditEntry]) -> Result<u64, ChainBreak> {
    let head = entries.last().map(|e| (e.seq, e.hash));
    verify(entries.iter().map(|e| (e.seq, Ok(e.clone()))), head).map(|v| v.entries)
}

#[test]
fn a_chain_stored_before_hash_versions_still_verifies() {
    let chain = golden_chain();
    assert_eq!(chain.len(), 5);
    assert!(chain.iter().all(|e| e.hash_version == HashVersion::Bincode));
    assert_eq!(chain[3].action, AuditAction::EmergencyRead);
    assert_eq!(chain[3].fields, vec!["Minore in pericolo: serve il telefono ☎ subito".to_string()]);
    assert_eq!(checked(&chain), Ok(5));
    assert_eq!(
        hex::encode(chain[4].hash),
        "9648aa30fa7a7b45ea31a0ee8bdc4fd8897b8a3c2b553e99d01d15a3aeaf3c21",
        "the newest hash of the golden chain, as its last stored bytes hold it"
    );
}

#[test]
fn an_old_entry_changed_is_still_caught() {
    let mut chain = golden_chain();
    chain[2].fields[1] = "identity.address".into();
    assert_eq!(checked(&chain), Err(ChainBreak::Altered { seq: 3 }));
}

#[test]
fn new_entries_chain_on_after_old_ones_with_the_canonical_hash() {
    let mut chain = golden_chain();
    let last = chain.last().unwrap();
    let next = AuditEntry::chained(
        Some((last.seq, last.hash)),
        datetime!(2026-12-06 10:00 +01:00),
        "dp_anna",
        AuditAction::Update,
        "F-2026-0001",
        vec!["profile.status".into()],
    );
    assert_eq!(next.seq, 6);
    assert_eq!(next.hash_version, HashVersion::Canonical1);
    chain.push(next);
    assert_eq!(checked(&chain), Ok(6));
    // The verification says which entries rest on which hash.
    let head = Some((chain[5].seq, chain[5].hash));
    let verified = verify(chain.iter().map(|e| (e.seq, Ok(e.clone()))), head).expect("verifies");
    assert_eq!(
        verified.segments,
        vec![
            HashSegment { version: HashVersion::Bincode, first: 1, last: 5 },
            HashSegment { version: HashVersion::Canonical1, first: 6, last: 6 },
        ]
    );

    // Stored and read back, it keeps its version and its hash.
    let stored = encode(1, &chain[5]).expect("encodes");
    let (_, back) = decode::<AuditEntry>(&stored).expect("decodes");
    assert_eq!(back, chain[5]);

    // Relabelled as hashed the old way, the same content no longer verifies.
    chain[5].hash_version = HashVersion::Bincode;
    assert_eq!(checked(&chain), Err(ChainBreak::Altered { seq: 6 }));
}

fn hand_built() -> AuditEntry {
    AuditEntry {
        seq: 7,
        at: datetime!(2026-03-02 09:30:15.25 +01:00),
        actor: "dp_anna".into(),
        action: AuditAction::Update,
        record: "F-2026-0042".into(),
        fields: vec!["profile.max_children".into(), "identity.phone".into()],
        prev_hash: [0xab; 32],
        hash: [0; 32],
        hash_version: HashVersion::Canonical1,
    }
}

#[test]
fn the_canonical_encoding_of_an_entry_is_written_out_field_by_field() {
    // docs/storage.md, "The audit chain's hash": no codec involved.
    let expected = [
        "01",                                                               // encoding version
        "0700000000000000",                                                 // seq 7, u64 LE
        "974aa56900000000",                                                 // 2026-03-02 08:30:15 UTC, i64 LE
        "80b2e60e",                                                         // 250 000 000 ns, u32 LE
        "100e0000",                                                         // +01:00 = 3600 s, i32 LE
        "0700000000000000",                                                 // "dp_anna": 7 bytes
        "64705f616e6e61",                                                   //
        "0600000000000000",                                                 // "update"
        "757064617465",                                                     //
        "0b00000000000000",                                                 // "F-2026-0042"
        "462d323032362d30303432",                                           //
        "0200000000000000",                                                 // two fields
        "1400000000000000",                                                 // "profile.max_children"
        "70726f66696c652e6d61785f6368696c6472656e",                         //
        "0e00000000000000",                                                 // "identity.phone"
        "6964656e746974792e70686f6e65",                                     //
        "abababababababababababababababababababababababababababababababab", // prev_hash, 32 bytes
    ]
    .concat();
    let entry = hand_built();
    assert_eq!(hex::encode(canonical_v1(&entry)), expected);
    // SHA-256 of exactly those bytes.
    assert_eq!(hex::encode(entry.compute_hash()), "f95da0ae39a1129337c9fe307e567440a692b26e7c5a3c5b891a089a4b5936a8");
}

#[test]
fn the_hash_covers_every_field_and_the_version() {
    let base = hand_built();
    let hash = base.compute_hash();
    let changes: Vec<fn(&mut AuditEntry)> = vec![
        |e| e.seq += 1,
        |e| e.at += time::Duration::nanoseconds(1),
        // The same instant read on another clock is another record of it.
        |e| e.at = e.at.to_offset(time::UtcOffset::UTC),
        |e| e.actor.push('x'),
        |e| e.action = AuditAction::Create,
        |e| e.record = "F-2026-0043".into(),
        |e| e.fields.pop().map(drop).unwrap_or(()),
        // Lengths are in the bytes: moving a character from one text to the next changes the hash.
        |e| {
            e.fields = vec!["profile.max_childrenidentity.phone".into()];
        },
        |e| e.prev_hash[31] ^= 1,
        |e| e.hash_version = HashVersion::Bincode,
    ];
    for (i, change) in changes.iter().enumerate() {
        let mut e = base.clone();
        change(&mut e);
        assert_ne!(e.compute_hash(), hash, "change {i} left the hash as it was");
    }
    // The hash field itself is the result, not an input.
    let mut e = base.clone();
    e.hash = [9; 32];
    assert_eq!(e.compute_hash(), hash);
}

#[test]
fn an_export_line_names_the_hash_version_only_for_canonical_entries() {
    let old = &golden_chain()[1];
    let json = serde_json::to_string(old).unwrap();
    assert!(!json.contains("hash_version"), "a version 0 entry exports as before: {json}");
    assert_eq!(serde_json::from_str::<AuditEntry>(&json).unwrap(), *old);

    let mut new = hand_built();
    new.hash = new.compute_hash();
    let json = serde_json::to_string(&new).unwrap();
    assert!(json.ends_with(",\"hash_version\":1}"), "{json}");
    assert_eq!(serde_json::from_str::<AuditEntry>(&json).unwrap(), new);

    // A version this banca does not know is refused, not read as another one.
    let future = json.replace("\"hash_version\":1", "\"hash_version\":9");
    let refused = serde_json::from_str::<AuditEntry>(&future).unwrap_err().to_string();
    assert!(refused.contains("audit hash version 9 is unknown"), "{refused}");
}
