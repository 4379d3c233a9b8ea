//! The audit log (registro): every change and every read of a child's
//! identity is on record with who, when and what; the chain shows any
//! edit made behind the bank's back; and only the coordination and the
//! administrators may look at it.

mod common;

use banca::api::{AuditEntry, BankError, NeedFilter, Reply, Request};
use banca::model::*;
use banca::store::audit::{AuditAction, AuditEntry as StoredEntry, ChainBreak};
use banca::store::TreeId;
use common::*;

fn audit(fx: &Fixture, user: &str, record: Option<&str>, limit: usize) -> Vec<AuditEntry> {
    match fx.ok(user, Request::AuditList { record: record.map(str::to_string), limit, after: None }) {
        Reply::Audit(entries) => entries.items,
        other => panic!("expected Audit, got {other:?}"),
    }
}

/// Entries about one record, oldest first.
fn history(fx: &Fixture, record: &str) -> Vec<AuditEntry> {
    let mut entries = audit(fx, ADMIN, Some(record), 1000);
    entries.reverse();
    entries
}

fn summary(entries: &[AuditEntry]) -> Vec<(AuditAction, String, String)> {
    entries.iter().map(|e| (e.action, e.actor.clone(), e.record.clone())).collect()
}

#[test]
fn setting_up_the_bank_is_on_record_entry_by_entry() {
    let fx = fixture();
    let mut all = audit(&fx, ADMIN, None, 100);
    all.reverse();
    let s = |a, r: &str| (a, ADMIN.to_string(), r.to_string());
    assert_eq!(
        summary(&all),
        vec![
            s(AuditAction::Init, ADMIN),
            s(AuditAction::Create, DALMINE_AMBIT),
            s(AuditAction::Create, BERGAMO_AMBIT),
            s(AuditAction::Create, "S-001"),
            s(AuditAction::Create, "S-002"),
            s(AuditAction::Create, ANNA),
            s(AuditAction::Create, BRUNO),
            s(AuditAction::Create, CARLA),
            s(AuditAction::Create, DARIO),
        ]
    );
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=FIXTURE_AUDIT_ENTRIES).collect::<Vec<_>>());
    assert!(all.iter().all(|e| e.at == NOW && e.fields.is_empty()));
}

#[test]
fn creating_a_family_is_on_record_with_who_when_and_the_code() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let h = history(&fx, &code.to_string());
    assert_eq!(h.len(), 1);
    let e = &h[0];
    assert_eq!((e.action, e.actor.as_str(), e.record.as_str(), e.at), (AuditAction::Create, ANNA, "F-2026-0001", NOW));
    assert_eq!(e.seq, FIXTURE_AUDIT_ENTRIES + 1);
    assert!(e.fields.is_empty());
}

#[test]
fn an_update_is_on_record_at_its_own_time_with_the_names_of_the_changed_fields() {
    let clock = StepClock::new(NOW);
    let fx = fixture_with_clock(clock.clone());
    let code = fx.create_family(ANNA, family_input());
    let later = clock.advance(time::Duration::hours(2));

    let (rev, mut input) = fx.family_as_input(code);
    input.identity.phone = "035 999 8888".into();
    input.profile.max_children = 1;
    let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: rev, input });
    assert_eq!(saved.changed, vec!["identity.phone".to_string(), "profile.max_children".to_string()]);

    let h = history(&fx, &code.to_string());
    assert_eq!(
        summary(&h),
        vec![
            (AuditAction::Create, ANNA.into(), code.to_string()),
            (AuditAction::Update, ANNA.into(), code.to_string()),
        ]
    );
    assert_eq!(h[0].at, NOW);
    assert_eq!(h[1].at, later);
    assert_eq!(h[1].fields, vec!["identity.phone".to_string(), "profile.max_children".to_string()]);
    // The record itself says the same.
    let f = fx.family(ANNA, code);
    assert_eq!((f.meta.created_at, f.meta.updated_at, f.meta.updated_by.as_str()), (NOW, later, ANNA));
}

#[test]
fn a_need_update_names_its_changed_fields_too() {
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    let (rev, mut input) = fx.need_as_input(code);
    input.placement.status = NeedStatus::Matching;
    input.placement.urgency = Urgency::Emergency { needed_by: time::macros::date!(2026 - 12 - 01) };
    input.identity.address = "Via Nuova 5".into();
    fx.saved(ANNA, Request::NeedUpdate { code, base_revision: rev, input });
    let last = history(&fx, &code.to_string()).pop().unwrap();
    assert_eq!(last.action, AuditAction::Update);
    assert_eq!(last.fields, vec!["identity.address", "placement.status", "placement.urgency"]);
}

#[test]
fn saving_a_family_without_changes_writes_no_revision_and_no_entry() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let before = fx.audit_len();
    let (rev, input) = fx.family_as_input(code);
    let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: rev, input });
    assert_eq!((saved.revision, saved.changed.len()), (1, 0));
    assert_eq!(fx.audit_len(), before);
    assert_eq!(fx.family(ANNA, code).revision, 1);
}

#[test]
fn joining_a_sibling_group_is_on_record_for_every_need_it_touched() {
    in_own_process("joining_a_sibling_group_is_on_record_for_every_need_it_touched", joining_a_sibling_group);
}

fn joining_a_sibling_group() {
    let fx = fixture();
    let r1 = fx.create_need(ANNA, need_input());
    let mut second = need_input();
    second.placement.siblings = vec![r1];
    let r2 = fx.create_need(ANNA, second);
    let h1 = history(&fx, &r1.to_string());
    let last = h1.last().unwrap();
    assert_eq!((last.action, last.actor.as_str()), (AuditAction::Update, ANNA));
    assert_eq!(last.fields, vec!["placement.siblings"]);
    assert_eq!(summary(&history(&fx, &r2.to_string())), vec![(AuditAction::Create, ANNA.into(), r2.to_string())]);
}

#[test]
fn reading_a_childs_identity_in_ones_own_service_is_on_record() {
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    let before = fx.audit_len();
    let view = fx.need(ANNA, code);
    assert!(view.identity.is_some());
    assert_eq!(fx.audit_len(), before + 1);
    let e = history(&fx, &code.to_string()).pop().unwrap();
    assert_eq!((e.action, e.actor.as_str(), e.at), (AuditAction::ReadIdentity, ANNA, NOW));
    assert!(e.fields.is_empty());
}

#[test]
fn an_administrators_emergency_read_is_on_record_with_its_reason() {
    let fx = fixture();
    let code = fx.create_need(BRUNO, need_input());
    let before = fx.audit_len();
    // An ordinary read shows the administrator no identity, and records nothing.
    assert!(fx.need(ADMIN, code).identity.is_none());
    assert_eq!(fx.audit_len(), before);
    let reason = "segnalazione urgente della questura, turno di notte";
    match fx.ok(ADMIN, Request::EmergencyRead { code: code.to_string(), reason: reason.into() }) {
        Reply::Need(v) => assert_eq!(v.identity.map(|i| i.given_name).as_deref(), Some("Bimbo")),
        other => panic!("expected Need, got {other:?}"),
    }
    assert_eq!(fx.audit_len(), before + 1);
    let e = history(&fx, &code.to_string()).pop().unwrap();
    assert_eq!(
        (e.action, e.actor.as_str(), e.fields.as_slice()),
        (AuditAction::EmergencyRead, ADMIN, &[reason.to_string()][..])
    );
}

#[test]
fn reading_only_the_shared_view_of_a_need_leaves_no_entry() {
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    let before = fx.audit_len();
    // Another service, the coordination, and a reader of the same service.
    for user in [BRUNO, CARLA, DARIO] {
        let view = fx.need(user, code);
        assert!(view.identity.is_none(), "{user} must not see the child's identity");
        // Born 15/05/2019, today 23/11/2026: 90 whole months, but other
        // services count from May 2019 to October 2026 (89), so the age
        // never turns on a day that gives the birth date away.
        assert_eq!(view.age_months, 89, "{user} sees the age");
    }
    // Lists carry shared views only, whoever asks.
    match fx.ok(ANNA, Request::NeedList { filter: NeedFilter::default() }) {
        Reply::Needs(v) => assert!(v.iter().all(|n| n.identity.is_none())),
        other => panic!("{other:?}"),
    }
    assert_eq!(fx.audit_len(), before);
}

#[test]
fn reading_a_familys_identity_leaves_no_entry() {
    // Only children's identities are audited on read.
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let before = fx.audit_len();
    assert!(fx.family(ANNA, code).private.is_some());
    assert!(fx.family(CARLA, code).private.is_some());
    assert_eq!(fx.audit_len(), before);
}

#[test]
fn an_export_is_on_record() {
    let fx = fixture();
    fx.ok(ADMIN, Request::Export);
    let newest = &audit(&fx, ADMIN, None, 1)[0];
    assert_eq!((newest.action, newest.actor.as_str(), newest.record.as_str()), (AuditAction::Export, ADMIN, "*"));
}

#[test]
fn the_log_lists_the_newest_first_and_stops_at_the_limit() {
    let fx = fixture();
    let entries = audit(&fx, CARLA, None, 3);
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![9, 8, 7]);
    assert_eq!(audit(&fx, CARLA, Some("s-001"), 10).len(), 1, "record codes match in any case");
}

// ------------------------------------------------------------------ tampering

/// A log of 12 entries: the fixture's 9, then anna creates and updates a
/// family and bruno creates one.
fn busy_bank() -> Fixture {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let (rev, mut input) = fx.family_as_input(code);
    input.identity.phone = "035 777 6666".into();
    fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: rev, input });
    fx.create_family(BRUNO, family_input());
    assert_eq!(fx.audit_len(), 12);
    fx
}

fn raw_audit(fx: &Fixture) -> &sled::Tree {
    fx.bank.store().tree(TreeId::Audit)
}

fn key(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

fn broken(fx: &Fixture) -> ChainBreak {
    match fx.err(ADMIN, Request::AuditVerify) {
        BankError::AuditBroken(b) => b,
        other => panic!("expected AuditBroken, got {other:?}"),
    }
}

#[test]
fn an_untouched_log_verifies_with_every_entry_counted() {
    let fx = busy_bank();
    assert_eq!(fx.audit_verified(ADMIN), 12);
    assert_eq!(fx.audit_verified(CARLA), 12);
}

#[test]
fn changing_one_byte_of_who_did_something_is_detected_at_that_entry() {
    let fx = busy_bank();
    let tree = raw_audit(&fx);
    let mut value = tree.get(key(10)).unwrap().unwrap().to_vec();
    // The actor is stored as its length then its bytes: "anna" becomes "anne".
    let at = value.windows(5).position(|w| w == b"\x04anna").expect("actor in the entry");
    value[at + 4] = b'e';
    tree.insert(key(10), value).unwrap();
    assert_eq!(broken(&fx), ChainBreak::Altered { seq: 10 });
}

#[test]
fn rewriting_an_entry_with_a_fresh_hash_breaks_the_link_to_the_next() {
    let fx = busy_bank();
    let tree = raw_audit(&fx);
    let (_, mut e): (u64, StoredEntry) = banca::store::codec::decode(&tree.get(key(10)).unwrap().unwrap()).unwrap();
    e.actor = "bruno".into();
    e.hash = e.compute_hash();
    tree.insert(key(10), banca::store::codec::encode(1, &e).unwrap()).unwrap();
    assert_eq!(broken(&fx), ChainBreak::BrokenLink { seq: 11 });
}

#[test]
fn rewriting_the_newest_entry_with_a_fresh_hash_is_reported_as_altered() {
    // The head kept in the meta tree still has the old hash. What the
    // operator must read is that entry 12 was altered, not that entries
    // were removed from the end (none were).
    let fx = busy_bank();
    let tree = raw_audit(&fx);
    let (_, mut e): (u64, StoredEntry) = banca::store::codec::decode(&tree.get(key(12)).unwrap().unwrap()).unwrap();
    e.actor = "anna".into();
    e.hash = e.compute_hash();
    tree.insert(key(12), banca::store::codec::encode(1, &e).unwrap()).unwrap();
    assert_eq!(broken(&fx), ChainBreak::Altered { seq: 12 });
}

#[test]
fn removing_an_entry_from_the_middle_is_detected_as_missing() {
    let fx = busy_bank();
    raw_audit(&fx).remove(key(10)).unwrap();
    assert_eq!(broken(&fx), ChainBreak::Missing { expected: 10, found: 11 });
}

#[test]
fn removing_the_first_entry_is_detected_as_missing() {
    let fx = busy_bank();
    raw_audit(&fx).remove(key(1)).unwrap();
    assert_eq!(broken(&fx), ChainBreak::Missing { expected: 1, found: 2 });
}

#[test]
fn swapping_two_entries_is_detected() {
    let fx = busy_bank();
    let tree = raw_audit(&fx);
    let a = tree.get(key(10)).unwrap().unwrap();
    let b = tree.get(key(11)).unwrap().unwrap();
    tree.insert(key(10), b).unwrap();
    tree.insert(key(11), a).unwrap();
    let b = broken(&fx);
    assert!(matches!(b, ChainBreak::Reordered { position: 10, seq: 11 } | ChainBreak::BrokenLink { seq: 10 }), "{b:?}");
}

#[test]
fn removing_the_newest_entry_is_detected_as_truncation() {
    let fx = busy_bank();
    raw_audit(&fx).remove(key(12)).unwrap();
    assert_eq!(broken(&fx), ChainBreak::Truncated { expected: 12, found: 11 });
}

#[test]
fn an_entry_that_no_longer_decodes_is_reported_as_unreadable() {
    let fx = busy_bank();
    raw_audit(&fx).insert(key(5), &b"garbage"[..]).unwrap();
    assert!(matches!(broken(&fx), ChainBreak::Unreadable { seq: 5, .. }));
}

// ------------------------------------------------------------------ who may look

#[test]
fn operators_and_readers_may_not_look_at_the_log() {
    let fx = fixture();
    for user in [ANNA, BRUNO, DARIO] {
        let req = Request::AuditList { record: None, limit: 10, after: None };
        assert!(matches!(fx.err(user, req), BankError::Forbidden { .. }), "{user} listed the log");
        assert!(matches!(fx.err(user, Request::AuditVerify), BankError::Forbidden { .. }), "{user} verified the log");
    }
}

#[test]
fn the_coordination_and_administrators_may_look_at_the_log() {
    let fx = fixture();
    for user in [CARLA, ADMIN] {
        assert_eq!(audit(&fx, user, None, 100).len() as u64, FIXTURE_AUDIT_ENTRIES, "{user}");
        assert_eq!(fx.audit_verified(user), FIXTURE_AUDIT_ENTRIES, "{user}");
    }
}
