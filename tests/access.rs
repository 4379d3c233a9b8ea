//! Who may see and change what, checked through real requests against the
//! rules of `src/access.rs`:
//!
//! - admin: runs the bank and writes every record's shared part, but reads
//!   no identity, neither a child's nor a family's, except through an
//!   emergency read with a reason (tests/privacy.rs);
//! - coordinator: every family's identity, no child's identity, no writes;
//! - operator: its own service's records, identity included, read and
//!   write; the shared view of everyone else's;
//! - reader: shared views only, even of its own service.

mod common;

use banca::api::{BankError, FamilyFilter, NeedFilter, Reply, Request};
use banca::model::*;
use common::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Family,
    Need,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    ReadIdentity,
    ReadShared,
    Create,
    Update,
}

/// Whose record: the caller's own service (S-001) or another (S-002).
/// Admin and coordinator belong to no service: for them "own" is simply
/// S-001, and both columns must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Own,
    Other,
}

use Kind::*;
use Op::*;
use Whose::*;

const ALLOW: bool = true;
const DENY: bool = false;

/// The visibility rules, one row per case: role, record kind, operation, whose record, expected.
#[rustfmt::skip]
const TABLE: &[(Role, Kind, Op, Whose, bool)] = &[
    // admin: everything but identities
    (Role::Admin, Family, ReadIdentity, Own,   DENY),
    (Role::Admin, Family, ReadIdentity, Other, DENY),
    (Role::Admin, Family, ReadShared,   Own,   ALLOW),
    (Role::Admin, Family, ReadShared,   Other, ALLOW),
    (Role::Admin, Family, Create,       Own,   ALLOW),
    (Role::Admin, Family, Create,       Other, ALLOW),
    (Role::Admin, Family, Update,       Own,   ALLOW),
    (Role::Admin, Family, Update,       Other, ALLOW),
    (Role::Admin, Need,   ReadIdentity, Own,   DENY),
    (Role::Admin, Need,   ReadIdentity, Other, DENY),
    (Role::Admin, Need,   ReadShared,   Own,   ALLOW),
    (Role::Admin, Need,   ReadShared,   Other, ALLOW),
    (Role::Admin, Need,   Create,       Own,   ALLOW),
    (Role::Admin, Need,   Create,       Other, ALLOW),
    (Role::Admin, Need,   Update,       Own,   ALLOW),
    (Role::Admin, Need,   Update,       Other, ALLOW),
    // coordinator: families' identity, never a child's; no writes
    (Role::Coordinator, Family, ReadIdentity, Own,   ALLOW),
    (Role::Coordinator, Family, ReadIdentity, Other, ALLOW),
    (Role::Coordinator, Family, ReadShared,   Own,   ALLOW),
    (Role::Coordinator, Family, ReadShared,   Other, ALLOW),
    (Role::Coordinator, Family, Create,       Own,   DENY),
    (Role::Coordinator, Family, Create,       Other, DENY),
    (Role::Coordinator, Family, Update,       Own,   DENY),
    (Role::Coordinator, Family, Update,       Other, DENY),
    (Role::Coordinator, Need,   ReadIdentity, Own,   DENY),
    (Role::Coordinator, Need,   ReadIdentity, Other, DENY),
    (Role::Coordinator, Need,   ReadShared,   Own,   ALLOW),
    (Role::Coordinator, Need,   ReadShared,   Other, ALLOW),
    (Role::Coordinator, Need,   Create,       Own,   DENY),
    (Role::Coordinator, Need,   Create,       Other, DENY),
    (Role::Coordinator, Need,   Update,       Own,   DENY),
    (Role::Coordinator, Need,   Update,       Other, DENY),
    // operator: own service in full, others' shared view
    (Role::Operator, Family, ReadIdentity, Own,   ALLOW),
    (Role::Operator, Family, ReadIdentity, Other, DENY),
    (Role::Operator, Family, ReadShared,   Own,   ALLOW),
    (Role::Operator, Family, ReadShared,   Other, ALLOW),
    (Role::Operator, Family, Create,       Own,   ALLOW),
    (Role::Operator, Family, Create,       Other, DENY),
    (Role::Operator, Family, Update,       Own,   ALLOW),
    (Role::Operator, Family, Update,       Other, DENY),
    (Role::Operator, Need,   ReadIdentity, Own,   ALLOW),
    (Role::Operator, Need,   ReadIdentity, Other, DENY),
    (Role::Operator, Need,   ReadShared,   Own,   ALLOW),
    (Role::Operator, Need,   ReadShared,   Other, ALLOW),
    (Role::Operator, Need,   Create,       Own,   ALLOW),
    (Role::Operator, Need,   Create,       Other, DENY),
    (Role::Operator, Need,   Update,       Own,   ALLOW),
    (Role::Operator, Need,   Update,       Other, DENY),
    // reader: shared views only, even of its own service
    (Role::Reader, Family, ReadIdentity, Own,   DENY),
    (Role::Reader, Family, ReadIdentity, Other, DENY),
    (Role::Reader, Family, ReadShared,   Own,   ALLOW),
    (Role::Reader, Family, ReadShared,   Other, ALLOW),
    (Role::Reader, Family, Create,       Own,   DENY),
    (Role::Reader, Family, Create,       Other, DENY),
    (Role::Reader, Family, Update,       Own,   DENY),
    (Role::Reader, Family, Update,       Other, DENY),
    (Role::Reader, Need,   ReadIdentity, Own,   DENY),
    (Role::Reader, Need,   ReadIdentity, Other, DENY),
    (Role::Reader, Need,   ReadShared,   Own,   ALLOW),
    (Role::Reader, Need,   ReadShared,   Other, ALLOW),
    (Role::Reader, Need,   Create,       Own,   DENY),
    (Role::Reader, Need,   Create,       Other, DENY),
    (Role::Reader, Need,   Update,       Own,   DENY),
    (Role::Reader, Need,   Update,       Other, DENY),
];

fn user_of(role: Role) -> &'static str {
    match role {
        Role::Admin => ADMIN,
        Role::Coordinator => CARLA,
        Role::Operator => ANNA,
        Role::Reader => DARIO,
        Role::Reception => unreachable!("the reception role's limits are tested in tests/reception.rs"),
    }
}

/// Ok(true) when allowed, Ok(false) when refused as Forbidden; any other
/// outcome is a broken test setup.
fn outcome<T: std::fmt::Debug>(r: Result<T, BankError>) -> Result<T, bool> {
    match r {
        Ok(v) => Ok(v),
        Err(BankError::Forbidden { .. }) => Err(false),
        Err(e) => panic!("neither allowed nor forbidden: {e:?}"),
    }
}

struct World {
    fx: Fixture,
    families: [FamilyCode; 2],
    needs: [NeedCode; 2],
}

fn world() -> World {
    let fx = fixture();
    let families = [fx.create_family(ANNA, family_input()), fx.create_family(BRUNO, family_in(S2, BRUNO))];
    let needs = [fx.create_need(ANNA, need_input()), fx.create_need(BRUNO, need_in(S2, BRUNO))];
    World { fx, families, needs }
}

/// Performs one operation and tells whether the bank allowed it.
fn attempt(w: &World, n: usize, user: &str, kind: Kind, op: Op, whose: Whose) -> bool {
    let fx = &w.fx;
    let i = if whose == Own { 0 } else { 1 };
    let (service, referent) = if whose == Own { (S1, ANNA) } else { (S2, BRUNO) };
    let note = format!("modifica {n} di {user}");
    match (kind, op) {
        (Family, ReadIdentity | ReadShared) => {
            match outcome(fx.handle(user, Request::FamilyGet { code: w.families[i] })) {
                Ok(Reply::Family(v)) => op == ReadShared || v.private.is_some(),
                Ok(other) => panic!("{other:?}"),
                Err(allowed) => allowed,
            }
        }
        (Need, ReadIdentity | ReadShared) => match outcome(fx.handle(user, Request::NeedGet { code: w.needs[i] })) {
            Ok(Reply::Need(v)) => op == ReadShared || v.identity.is_some(),
            Ok(other) => panic!("{other:?}"),
            Err(allowed) => allowed,
        },
        (Family, Create) => {
            let input = family_in(service, referent);
            outcome(fx.handle(user, Request::FamilyCreate { input })).is_ok()
        }
        (Need, Create) => {
            let input = need_in(service, referent);
            outcome(fx.handle(user, Request::NeedCreate { input })).is_ok()
        }
        (Family, Update) => {
            let code = w.families[i];
            // What the caller sees, sent back: without the private part where it may not read it.
            let view = fx.family(user, code);
            let (base_revision, mut input) = (view.revision, view.as_input());
            // A change of the shared profile: another language of the vocabulary each time.
            let languages = banca::model::languages::Language::all().collect::<Vec<_>>();
            input.profile.languages.push(languages[n % languages.len()].name().to_string());
            outcome(fx.handle(user, Request::FamilyUpdate { code, base_revision, input })).is_ok()
        }
        (Need, Update) => {
            let code = w.needs[i];
            let view = fx.need(user, code);
            let (base_revision, mut input) = (view.revision, view.as_input());
            input.placement.notes = note;
            outcome(fx.handle(user, Request::NeedUpdate { code, base_revision, input })).is_ok()
        }
    }
}

#[test]
fn every_role_sees_and_changes_exactly_what_the_visibility_table_says() {
    // The table covers every case once.
    assert_eq!(TABLE.len(), 4 * 2 * 4 * 2);
    for (i, a) in TABLE.iter().enumerate() {
        for b in &TABLE[i + 1..] {
            assert!((a.0, a.1, a.2, a.3) != (b.0, b.1, b.2, b.3), "row {a:?} appears twice");
        }
    }
    let w = world();
    let mut wrong = Vec::new();
    for (n, &(role, kind, op, whose, expected)) in TABLE.iter().enumerate() {
        let user = user_of(role);
        let got = attempt(&w, n, user, kind, op, whose);
        if got != expected {
            let word = |b| if b { "allowed" } else { "denied" };
            wrong.push(format!(
                "{role:?} ({user}) {kind:?} {op:?} {whose:?}: expected {}, was {}",
                word(expected),
                word(got)
            ));
        }
    }
    assert!(wrong.is_empty(), "{} cases differ from the table:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn lists_show_shared_views_only_whoever_asks() {
    let w = world();
    for user in [ADMIN, CARLA, ANNA, BRUNO, DARIO] {
        match w.fx.ok(user, Request::FamilyList { filter: FamilyFilter::default() }) {
            Reply::Families(v) => {
                assert_eq!(v.len(), 2, "{user} sees every family");
                assert!(v.iter().all(|f| f.private.is_none()), "{user} saw an identity in a list");
            }
            other => panic!("{other:?}"),
        }
        match w.fx.ok(user, Request::NeedList { filter: NeedFilter::default() }) {
            Reply::Needs(v) => {
                assert_eq!(v.len(), 2, "{user} sees every need");
                assert!(v.iter().all(|n| n.identity.is_none()), "{user} saw a child's identity in a list");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_shared_view_of_a_family_still_says_whom_to_call() {
    let w = world();
    let v = w.fx.family(ANNA, w.families[1]);
    assert!(v.private.is_none());
    assert_eq!(v.contact.service, S2);
    assert_eq!(v.contact.service_name, S2_NAME);
    assert_eq!(v.contact.referent, BRUNO);
    assert_eq!(v.contact.referent_name, "Bruno Operatore");
    assert_eq!(v.contact.phone, "035 000 0001");
}

#[test]
fn an_operator_cannot_hand_a_family_over_to_another_service() {
    let w = world();
    let code = w.families[0];
    let (rev, mut input) = w.fx.family_as_input(code);
    input.service = Some(S2);
    input.referent = Some(BRUNO.into());
    assert!(matches!(
        w.fx.err(ANNA, Request::FamilyUpdate { code, base_revision: rev, input: input.clone() }),
        BankError::Forbidden { .. }
    ));
    assert_eq!(w.fx.family(ADMIN, code).contact.service, S1);
    // The administrator can, with what it sees: the private part empty, kept as stored.
    let mut input = w.fx.family(ADMIN, code).as_input();
    input.service = Some(S2);
    input.referent = Some(BRUNO.into());
    w.fx.saved(ADMIN, Request::FamilyUpdate { code, base_revision: rev, input });
    assert_eq!(w.fx.family(ADMIN, code).contact.service, S2);
    assert!(w.fx.family(ANNA, code).private.is_none(), "no longer anna's");
    let private = w.fx.family(BRUNO, code).private.expect("now bruno's");
    assert_eq!(private.identity, family_input().identity, "handed over whole");
    assert_eq!(private.pets, "un gatto");
}

#[test]
fn an_operator_creating_without_naming_a_service_creates_in_its_own() {
    let fx = fixture();
    let code = fx.create_family(BRUNO, family_input());
    let v = fx.family(BRUNO, code);
    assert_eq!((v.contact.service, v.contact.referent.as_str()), (S2, BRUNO));
}

#[test]
fn the_coordination_is_refused_a_create_even_without_naming_a_service() {
    // The coordination may not write: it must hear "not allowed", not be
    // asked for a service it could never use.
    let fx = fixture();
    for req in [Request::FamilyCreate { input: family_input() }, Request::NeedCreate { input: need_input() }] {
        match fx.err(CARLA, req) {
            BankError::Forbidden { .. } => {}
            other => panic!("expected Forbidden, got {other:?}"),
        }
    }
}

#[test]
fn a_refused_write_changes_nothing() {
    let w = world();
    let before = w.fx.snapshot();
    for (kind, op, whose) in [(Family, Update, Own), (Need, Update, Own), (Family, Create, Own), (Need, Create, Own)] {
        assert!(!attempt(&w, 0, DARIO, kind, op, whose));
        assert!(!attempt(&w, 0, CARLA, kind, op, whose));
    }
    // Only the audit log and the meta tree may have moved.
    let after = w.fx.snapshot();
    for ((tree, b), (_, a)) in before.iter().zip(&after) {
        if *tree != "audit" && *tree != "meta" {
            assert!(b == a, "tree {tree} changed");
        }
    }
}

// ------------------------------------------------------------------ directory

fn directory_writes(fx: &Fixture) -> Vec<(&'static str, Request)> {
    let svc_rev = match fx.ok(ADMIN, Request::ServiceGet { code: S1 }) {
        Reply::Service(r) => r.revision,
        other => panic!("{other:?}"),
    };
    let mut ambit = bergamo_ambit();
    ambit.name = "Ambito Nuovo".into();
    ambit.comuni = vec![comune("016091")];
    let mut bergamo = bergamo_ambit();
    bergamo.comuni.pop();
    vec![
        ("service.create", Request::ServiceCreate { input: service_input("Servizio Nuovo", DALMINE_AMBIT) }),
        (
            "service.update",
            Request::ServiceUpdate {
                code: S1,
                base_revision: svc_rev,
                input: service_input("Servizio Rinominato", DALMINE_AMBIT),
            },
        ),
        (
            "operator.create",
            Request::OperatorCreate { user: "zeno".into(), input: operator_input("Zeno", Role::Operator, Some(S1)) },
        ),
        (
            "operator.update",
            Request::OperatorUpdate {
                user: DARIO.into(),
                base_revision: 1,
                input: operator_input("Dario", Role::Operator, Some(S1)),
            },
        ),
        ("ambit.create", Request::AmbitSave { input: ambit, base_revision: None }),
        ("ambit.update", Request::AmbitSave { input: bergamo, base_revision: Some(1) }),
    ]
}

#[test]
fn only_administrators_write_services_operators_and_ambiti() {
    let fx = fixture();
    for user in [CARLA, ANNA, BRUNO, DARIO] {
        for (what, req) in directory_writes(&fx) {
            match fx.handle(user, req) {
                Err(BankError::Forbidden { .. }) => {}
                other => panic!("{user} {what}: expected Forbidden, got {other:?}"),
            }
        }
    }
    for (what, req) in directory_writes(&fx) {
        if what == "ambit.create" {
            // Dalmine already belongs to the Ambito di Dalmine: refused, but as invalid, not forbidden.
            assert!(matches!(fx.handle(ADMIN, req), Err(BankError::Invalid(_))));
            continue;
        }
        fx.handle(ADMIN, req).unwrap_or_else(|e| panic!("admin {what}: {e:?}"));
    }
}

#[test]
fn everybody_reads_services_operators_and_ambiti() {
    let fx = fixture();
    for user in [ADMIN, CARLA, ANNA, BRUNO, DARIO] {
        match fx.ok(user, Request::ServiceList { after: None, limit: None }) {
            Reply::Services(v) => assert_eq!(v.len(), 2, "{user}"),
            other => panic!("{other:?}"),
        }
        match fx.ok(user, Request::ServiceGet { code: S2 }) {
            Reply::Service(s) => assert_eq!(s.record.details.name, S2_NAME),
            other => panic!("{other:?}"),
        }
        match fx.ok(user, Request::OperatorList { service: Some(S1), after: None, limit: None }) {
            Reply::Operators(v) => {
                let users: Vec<_> = v.iter().map(|o| o.record.user.as_str()).collect();
                assert_eq!(users, vec![ANNA, DARIO], "{user}");
            }
            other => panic!("{other:?}"),
        }
        match fx.ok(user, Request::OperatorGet { user: BRUNO.into() }) {
            Reply::Operator(o) => assert_eq!(o.record.details.service, Some(S2)),
            other => panic!("{other:?}"),
        }
        match fx.ok(user, Request::AmbitList { after: None, limit: None }) {
            Reply::Ambits(v) => assert_eq!(v.len(), 2, "{user}"),
            other => panic!("{other:?}"),
        }
        match fx.ok(user, Request::AmbitGet { name: "dalmine".into() }) {
            Reply::Ambit(a) => assert_eq!(a.record.details.comuni.len(), 17, "{user}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn only_administrators_export_the_bank() {
    let fx = fixture();
    for user in [CARLA, ANNA, BRUNO, DARIO] {
        assert!(matches!(fx.err(user, Request::Export), BankError::Forbidden { .. }), "{user} exported");
    }
    assert!(matches!(fx.ok(ADMIN, Request::Export), Reply::Export { .. }));
}

// ------------------------------------------------------------------ who is asking

#[test]
fn the_bank_says_who_it_takes_the_caller_for() {
    let fx = fixture();
    match fx.ok(ANNA, Request::Whoami) {
        Reply::Whoami(p) => {
            assert_eq!(
                (p.user.as_str(), p.display_name.as_str(), p.role, p.service),
                (ANNA, "Anna Operatrice", Role::Operator, Some(S1))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_unix_user_who_is_not_an_operator_is_refused_by_name() {
    let fx = fixture();
    assert_eq!(fx.err("zeno", Request::Whoami), BankError::UnknownUser { user: "zeno".into() });
    assert_eq!(
        fx.err("zeno", Request::FamilyList { filter: FamilyFilter::default() }),
        BankError::UnknownUser { user: "zeno".into() }
    );
}

#[test]
fn a_deactivated_operator_is_refused_until_reactivated() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let mut off = operator_input("Dario Lettore", Role::Reader, Some(S1));
    off.active = false;
    fx.saved(ADMIN, Request::OperatorUpdate { user: DARIO.into(), base_revision: 1, input: off });
    assert_eq!(fx.err(DARIO, Request::FamilyGet { code }), BankError::InactiveUser { user: DARIO.into() });
    assert_eq!(fx.err(DARIO, Request::Whoami), BankError::InactiveUser { user: DARIO.into() });
    fx.saved(
        ADMIN,
        Request::OperatorUpdate {
            user: DARIO.into(),
            base_revision: 2,
            input: operator_input("Dario Lettore", Role::Reader, Some(S1)),
        },
    );
    fx.family(DARIO, code);
}

#[test]
fn a_bank_without_operators_asks_to_be_initialised() {
    let (_dir, bank) = empty_bank();
    let bank = std::sync::Arc::new(bank);
    for req in [
        Request::Whoami,
        Request::FamilyList { filter: FamilyFilter::default() },
        Request::ServiceList { after: None, limit: None },
        Request::Export,
    ] {
        assert_eq!(ask(&bank, ADMIN, req).unwrap_err(), BankError::NotInitialized);
    }
}

#[test]
fn the_first_to_initialise_becomes_administrator_and_nobody_can_do_it_again() {
    let (_dir, bank) = empty_bank();
    let bank = std::sync::Arc::new(bank);
    ask_server_user(&bank, "gina", Request::Init { admin: None }).expect("init");
    match ask(&bank, "gina", Request::Whoami) {
        Ok(Reply::Whoami(p)) => assert_eq!((p.role, p.service), (Role::Admin, None)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ask_server_user(&bank, "gina", Request::Init { admin: None }).unwrap_err(),
        BankError::AlreadyInitialized
    );
    assert_eq!(ask(&bank, "mallory", Request::Init { admin: None }).unwrap_err(), BankError::AlreadyInitialized);
    match ask(&bank, "gina", Request::AmbitGet { name: DALMINE_AMBIT.into() }) {
        Ok(Reply::Ambit(a)) => assert_eq!(a.record.details.districts.len(), 3),
        other => panic!("{other:?}"),
    }
}
