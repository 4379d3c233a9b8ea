//! The store as operators rely on it: a refused change leaves no trace, two
//! people editing the same family do not overwrite each other, lists find
//! records by their current values, and a bank folder opens only when it
//! safely can.

mod common;

use banca::api::{BankError, FamilyFilter, NeedFilter, Reply, Request};
use banca::model::*;
use banca::store::{meta_key, StoreError, TreeId, STORE_FORMAT};
use common::*;

fn bad_family() -> FamilyInput {
    let mut f = family_input();
    f.profile.ages = AgeRange { min_months: 120, max_months: 36 };
    f
}

fn need_with_unknown_sibling() -> NeedInput {
    let mut n = need_input();
    n.placement.siblings = vec![NeedCode::new(2026, 99)];
    n
}

#[test]
fn a_refused_create_leaves_every_tree_byte_identical() {
    let fx = fixture();
    fx.create_family(ANNA, family_input());
    fx.create_need(ANNA, need_input());
    let before = fx.snapshot();

    let problems = fx.invalid(ANNA, Request::FamilyCreate { input: bad_family() });
    assert_eq!(problems[0].field, "profile.ages");
    let problems = fx.invalid(ANNA, Request::NeedCreate { input: need_with_unknown_sibling() });
    assert_eq!(problems[0].field, "placement.siblings");
    // Refused for want of rights, too.
    assert!(matches!(fx.err(BRUNO, Request::FamilyCreate { input: family_in(S1, ANNA) }), BankError::Forbidden { .. }));

    let after = fx.snapshot();
    for ((tree, b), (_, a)) in before.iter().zip(&after) {
        assert_eq!(b.len(), a.len(), "tree {tree} changed size");
        assert!(b == a, "tree {tree} changed content");
    }
    assert_eq!(fx.audit_verified(ADMIN), FIXTURE_AUDIT_ENTRIES + 2);
}

#[test]
fn a_refused_create_does_not_use_up_a_code() {
    let fx = fixture();
    assert_eq!(fx.create_family(ANNA, family_input()).to_string(), "F-2026-0001");
    assert_eq!(fx.create_need(ANNA, need_input()).to_string(), "R-2026-0001");
    fx.invalid(ANNA, Request::FamilyCreate { input: bad_family() });
    fx.invalid(ANNA, Request::NeedCreate { input: need_with_unknown_sibling() });
    assert_eq!(fx.create_family(ANNA, family_input()).to_string(), "F-2026-0002");
    assert_eq!(fx.create_need(ANNA, need_input()).to_string(), "R-2026-0002");
}

#[test]
fn the_audit_chain_still_verifies_after_refused_creates() {
    let fx = fixture();
    fx.invalid(ANNA, Request::FamilyCreate { input: bad_family() });
    fx.invalid(ANNA, Request::NeedCreate { input: need_with_unknown_sibling() });
    fx.create_family(ANNA, family_input());
    assert_eq!(fx.audit_verified(CARLA), FIXTURE_AUDIT_ENTRIES + 1);
}

/// A second operator of S-001, so that two people of the same service can edit one family.
fn with_elena(fx: &Fixture) {
    fx.saved(
        ADMIN,
        Request::OperatorCreate {
            user: "elena".into(),
            input: operator_input("Elena Operatrice", Role::Operator, Some(S1)),
        },
    );
}

#[test]
fn a_stale_update_is_refused_naming_who_changed_the_family_and_the_first_change_stays() {
    let fx = fixture();
    with_elena(&fx);
    let code = fx.create_family(ANNA, family_input());

    // Both open the family at revision 1.
    let (rev_anna, mut anna_sees) = fx.family_as_input(code);
    let (rev_elena, mut elena_sees) = fx.family_as_input(code);
    assert_eq!((rev_anna, rev_elena), (1, 1));

    anna_sees.identity.phone = "035 111 1111".into();
    let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: 1, input: anna_sees });
    assert_eq!(saved.revision, 2);

    elena_sees.identity.phone = "035 222 2222".into();
    let err = fx.err("elena", Request::FamilyUpdate { code, base_revision: 1, input: elena_sees.clone() });
    assert_eq!(
        err,
        BankError::Conflict {
            code: "F-2026-0001".into(),
            based_on: 1,
            current: 2,
            changed_by: ANNA.into(),
            changed_at: NOW,
        }
    );

    let stored = fx.family(ANNA, code);
    assert_eq!(stored.revision, 2);
    assert_eq!(stored.private.unwrap().identity.phone, "035 111 1111");
    assert_eq!(stored.meta.updated_by, ANNA);

    // Having reread it, elena's change goes through on top of anna's.
    let saved = fx.saved("elena", Request::FamilyUpdate { code, base_revision: 2, input: elena_sees });
    assert_eq!(saved.revision, 3);
    assert_eq!(fx.family(ANNA, code).private.unwrap().identity.phone, "035 222 2222");
}

#[test]
fn a_stale_need_update_is_refused_as_a_conflict_too() {
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    let (_, mut input) = fx.need_as_input(code);
    input.placement.notes = "prima modifica".into();
    assert_eq!(fx.saved(ANNA, Request::NeedUpdate { code, base_revision: 1, input: input.clone() }).revision, 2);
    input.placement.notes = "seconda modifica".into();
    match fx.err(ANNA, Request::NeedUpdate { code, base_revision: 1, input }) {
        BankError::Conflict { based_on: 1, current: 2, changed_by, .. } => assert_eq!(changed_by, ANNA),
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(fx.need(ANNA, code).placement.notes, "prima modifica");
}

#[test]
fn lists_find_a_family_by_its_new_status_comune_and_referent_and_not_by_the_old_ones() {
    let fx = fixture();
    with_elena(&fx);
    let code = fx.create_family(ANNA, family_input());
    let by_status = |s| FamilyFilter { status: Some(s), ..FamilyFilter::default() };
    let by_comune = |c| FamilyFilter { comune: Some(c), ..FamilyFilter::default() };
    let by_referent = |r: &str| FamilyFilter { referent: Some(r.into()), ..FamilyFilter::default() };
    assert_eq!(fx.families(DARIO, by_status(FamilyStatus::Enquiring)), vec![code]);
    assert_eq!(fx.families(DARIO, by_comune(dalmine())), vec![code]);
    assert_eq!(fx.families(DARIO, by_referent(ANNA)), vec![code]);

    fx.take_step(ANNA, code, StepKind::AssessmentStart);
    let (rev, mut input) = fx.family_as_input(code);
    input.profile.comune = stezzano();
    input.referent = Some("elena".into());
    fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: rev, input });

    assert_eq!(fx.families(DARIO, by_status(FamilyStatus::Enquiring)), vec![]);
    assert_eq!(fx.families(DARIO, by_comune(dalmine())), vec![]);
    assert_eq!(fx.families(DARIO, by_referent(ANNA)), vec![]);
    assert_eq!(fx.families(DARIO, by_status(FamilyStatus::UnderAssessment)), vec![code]);
    assert_eq!(fx.families(DARIO, by_comune(stezzano())), vec![code]);
    assert_eq!(fx.families(DARIO, by_referent("elena")), vec![code]);
    assert_eq!(fx.families(DARIO, FamilyFilter { service: Some(S1), ..FamilyFilter::default() }), vec![code]);

    // No stale index entry is left behind for the old values.
    let store = fx.bank.store();
    let count = |tree, value: &[u8]| store.index_keys(tree, b'F', value).count();
    assert_eq!(count(TreeId::IdxStatus, b"enquiring"), 0);
    assert_eq!(count(TreeId::IdxStatus, b"under_assessment"), 1);
    assert_eq!(count(TreeId::IdxComune, &dalmine().as_u32().to_be_bytes()), 0);
    assert_eq!(count(TreeId::IdxComune, &stezzano().as_u32().to_be_bytes()), 1);
    assert_eq!(count(TreeId::IdxReferent, b"anna"), 0);
    assert_eq!(count(TreeId::IdxReferent, b"elena"), 1);
    for tree in [TreeId::IdxStatus, TreeId::IdxService, TreeId::IdxComune, TreeId::IdxReferent] {
        assert_eq!(store.tree(tree).len(), 1, "{} holds one entry for the one family", tree.name());
    }
}

#[test]
fn lists_find_a_need_by_its_new_status_and_comune_only() {
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    let (rev, mut input) = fx.need_as_input(code);
    input.placement.status = NeedStatus::Matching;
    input.placement.comune = stezzano();
    fx.saved(ANNA, Request::NeedUpdate { code, base_revision: rev, input });
    let needs = |filter| match fx.ok(DARIO, Request::NeedList { filter }) {
        Reply::Needs(v) => v.into_iter().map(|n| n.code).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(needs(NeedFilter { status: Some(NeedStatus::Open), ..NeedFilter::default() }), vec![]);
    assert_eq!(needs(NeedFilter { status: Some(NeedStatus::Matching), ..NeedFilter::default() }), vec![code]);
    assert_eq!(needs(NeedFilter { comune: Some(dalmine()), ..NeedFilter::default() }), vec![]);
    assert_eq!(needs(NeedFilter { comune: Some(stezzano()), ..NeedFilter::default() }), vec![code]);
    assert_eq!(fx.bank.store().index_keys(TreeId::IdxStatus, b'R', b"open").count(), 0);
}

#[test]
fn a_bank_open_in_one_place_cannot_be_opened_a_second_time() {
    let fx = fixture();
    match open_bank(&fx.path(), false) {
        Err(StoreError::Locked { path }) => assert_eq!(path, fx.path()),
        Err(e) => panic!("expected Locked, got {e:?}"),
        Ok(_) => panic!("a second open succeeded while the first is open"),
    }
    // The first one is unaffected.
    fx.create_family(ANNA, family_input());
}

#[test]
fn a_folder_with_other_files_is_not_taken_for_a_bank() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("appunti.txt"), "niente da vedere").unwrap();
    for create in [false, true] {
        match open_bank(dir.path(), create) {
            Err(StoreError::NotABank { .. }) => {}
            other => panic!("create={create}: expected NotABank, got {:?}", other.err()),
        }
    }
    // And nothing was written into it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("appunti.txt")]);
}

#[test]
fn a_plain_file_is_not_taken_for_a_bank() {
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("banca.db");
    std::fs::write(&file, "x").unwrap();
    assert!(matches!(open_bank(&file, true), Err(StoreError::NotABank { .. })));
}

#[test]
fn a_missing_folder_is_no_bank_unless_asked_to_create_one() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("nuova");
    assert!(matches!(open_bank(&path, false), Err(StoreError::NoBank { .. })));
    assert!(!path.exists(), "opening without create must not create the folder");
    let empty = dir.path().join("vuota");
    std::fs::create_dir(&empty).unwrap();
    assert!(matches!(open_bank(&empty, false), Err(StoreError::NoBank { .. })));
    let bank = open_bank(&path, true).expect("created");
    assert!(bank.store().is_empty());
}

#[test]
fn a_bank_written_by_a_newer_banca_is_refused_with_both_versions() {
    let fx = fixture();
    let path = fx.path();
    fx.bank.store().tree(TreeId::Meta).insert(meta_key::FORMAT, &(STORE_FORMAT + 1).to_be_bytes()).unwrap();
    fx.bank.store().flush().unwrap();
    let Fixture { dir, bank } = fx;
    drop(bank);
    match open_bank(&path, false) {
        Err(StoreError::NewerFormat { found, supported, .. }) => {
            assert_eq!((found, supported), (STORE_FORMAT + 1, STORE_FORMAT));
        }
        other => panic!("expected NewerFormat, got {:?}", other.err()),
    }
    drop(dir);
}

#[test]
fn a_bank_whose_import_was_cut_short_refuses_to_open() {
    let fx = fixture();
    let path = fx.path();
    fx.bank.store().tree(TreeId::Meta).insert(meta_key::IMPORTING, &[1u8]).unwrap();
    fx.bank.store().flush().unwrap();
    let Fixture { dir, bank } = fx;
    drop(bank);
    assert!(matches!(open_bank(&path, false), Err(StoreError::IncompleteImport { .. })));
    drop(dir);
}

#[test]
fn a_saved_family_is_still_there_after_the_bank_is_closed_and_reopened() {
    let fx = fixture();
    let path = fx.path();
    let mut input = family_input();
    input.profile.notes = "Disponibili da gennaio".into();
    let code = fx.create_family(ANNA, input);
    let need = fx.create_need(ANNA, need_input());
    let Fixture { dir, bank } = fx;
    drop(bank);

    let bank = open_bank(&path, false).expect("reopens");
    let fx = Fixture { dir, bank: std::sync::Arc::new(bank) };
    let f = fx.family(ANNA, code);
    let private = f.private.expect("anna's own family");
    assert_eq!(private.notes, "Disponibili da gennaio");
    assert_eq!(private.identity.adults[0].name, "Giulia Esempio");
    assert_eq!(fx.need(ANNA, need).identity.unwrap().given_name, "Bimbo");
    // Numbering goes on where it was.
    assert_eq!(fx.create_family(ANNA, family_input()).to_string(), "F-2026-0002");
    // Created: family, need, family; read: the child's identity.
    assert_eq!(fx.audit_verified(ADMIN), FIXTURE_AUDIT_ENTRIES + 4);
}

/// A record the decoder could never read back (over its 1 MiB body limit),
/// written past every form's validation straight into a transaction: the
/// store refuses it before committing, so the bank keeps opening and listing.
#[test]
fn a_record_that_could_not_be_read_back_is_never_committed() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let (revision, mut family) = fx.bank.store().get::<Family>(TreeId::Families, &code.key()).unwrap().unwrap();
    family.identity.email = "x".repeat(2 << 20);
    let before = fx.snapshot();
    let refused = fx.bank.store().transact::<_, BankError, _>(|tx| {
        tx.put::<Family, BankError>(TreeId::Families, &code.key(), revision + 1, &family)?;
        Ok(())
    });
    let message = format!("{:?}", refused.expect_err("an unreadable record is refused"));
    assert!(
        message.contains("cannot be stored, nothing was saved") && message.contains("over the 1048576-byte limit"),
        "{message}"
    );
    let after = fx.snapshot();
    assert!(before == after, "nothing of the refused write is in the store");
    // The bank still lists the family as it was.
    let listed = fx.families(ANNA, FamilyFilter::default());
    assert_eq!(listed, vec![code]);
}
