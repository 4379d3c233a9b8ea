//! Privacy rules through real requests (docs/privacy.md):
//!
//! - the shared view of a family carries no private part (identity,
//!   contacts, notes, pets, the household's own children);
//! - an administrator reads no identity in an ordinary read, list, search
//!   or ranking; only an emergency read with a reason, on record with it;
//!   the coordination never reads a child's identity;
//! - an update by a caller who may not read the identity keeps it as stored;
//! - `init` and `import` into an empty bank: the server's own user only;
//! - names shown in search hits go on record once per operator, record and
//!   day (a restart included), soon after the search, and before the bank closes.

mod common;

use banca::api::{AuditAction, AuditEntry, BankError, FamilyFilter, NeedFilter, Reply, Request};
use banca::bank::MAX_REASON;
use banca::i18n::{describe_error, Lang};
use banca::model::*;
use banca::search::HitKind;
use common::*;

struct World {
    fx: Fixture,
    family: FamilyCode,
    need: NeedCode,
}

/// A family and a need of S-001 (anna's), with every private field filled.
fn world() -> World {
    let fx = fixture();
    let mut f = family_input();
    f.profile.notes = "Nota privata: il signor Prova lavora di notte".into();
    f.profile.household.pets = "un pappagallo di nome Ettore".into();
    f.profile.household.children_birth_years = vec![2011, 2014];
    let family = fx.create_family(ANNA, f);
    let mut n = need_input();
    n.identity.fiscal_code = Some(fiscal_code::synthesize("Esempio", "Bimbo", 2019, 5, 15, false, "A794"));
    let need = fx.create_need(ANNA, n);
    World { fx, family, need }
}

fn audit(fx: &Fixture, record: &str) -> Vec<AuditEntry> {
    match fx.ok(ADMIN, Request::AuditList { record: Some(record.into()), limit: 100, after: None }) {
        Reply::Audit(e) => e.items,
        other => panic!("expected Audit, got {other:?}"),
    }
}

fn json(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap()
}

#[test]
fn the_shared_view_of_a_family_carries_no_private_part() {
    let w = world();
    for user in [BRUNO, DARIO, ADMIN] {
        let reply = w.fx.ok(user, Request::FamilyGet { code: w.family });
        let Reply::Family(v) = &reply else { panic!("{reply:?}") };
        assert!(v.private.is_none(), "{user}");
        let text = json(&reply);
        for secret in [
            "Giulia Esempio",
            "Via delle Prove",
            "035 123 4567",
            "famiglia.esempio",
            "pappagallo",
            "lavora di notte",
            "2011",
            "2014",
        ] {
            assert!(!text.contains(secret), "{user} received {secret}: {text}");
        }
        // What other services match on is there.
        assert_eq!(v.profile.household.adults, 2);
        assert_eq!(v.profile.languages, ["italiano"]);
    }
    // The family's own service and the coordination see all of it.
    for user in [ANNA, CARLA] {
        let v = w.fx.family(user, w.family);
        let p = v.private.expect(user);
        assert_eq!(p.pets, "un pappagallo di nome Ettore");
        assert_eq!(p.children_birth_years, [2011, 2014]);
        assert!(p.notes.contains("lavora di notte"));
        assert_eq!(p.identity.phone, "035 123 4567");
    }
}

#[test]
fn an_administrator_reads_no_identity_in_reads_lists_searches_or_rankings() {
    let w = world();
    let fx = &w.fx;
    assert!(fx.family(ADMIN, w.family).private.is_none());
    assert!(fx.need(ADMIN, w.need).identity.is_none());
    let replies = [
        fx.ok(ADMIN, Request::FamilyList { filter: FamilyFilter::default() }),
        fx.ok(ADMIN, Request::NeedList { filter: NeedFilter::default() }),
        fx.ok(ADMIN, Request::Search { query: "esempio".into(), limit: 50 }),
        fx.ok(ADMIN, Request::Search { query: w.need.to_string(), limit: 50 }),
        fx.ok(ADMIN, Request::MatchFamily { family: w.family, limit: 10 }),
    ];
    for reply in &replies {
        let text = json(reply);
        for secret in ["Bimbo", "Giulia", "Via delle Prove", "2019-05-15", "pappagallo"] {
            assert!(!text.contains(secret), "the administrator received {secret}: {text}");
        }
    }
    match &replies[2] {
        Reply::Found(r) => {
            let by_name = |h: &&banca::search::Hit| matches!(h.kind, HitKind::Family | HitKind::Need);
            assert_eq!(r.hits.iter().filter(by_name).count(), 0, "no name is found by an administrator: {r:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_emergency_read_needs_a_reason_and_goes_on_record_with_it() {
    let w = world();
    let fx = &w.fx;
    let need = w.need.to_string();
    let before = audit(fx, &need).len();
    for reason in ["", "   "] {
        let problems = fx.invalid(ADMIN, Request::EmergencyRead { code: need.clone(), reason: reason.into() });
        assert_eq!(problems, vec![Problem::new(Field::Reason, Reason::Required)]);
    }
    let long = "x".repeat(MAX_REASON + 1);
    let problems = fx.invalid(ADMIN, Request::EmergencyRead { code: need.clone(), reason: long });
    assert_eq!(problems, vec![Problem::new(Field::Reason, Reason::TooLong { max: MAX_REASON })]);
    assert_eq!(audit(fx, &need).len(), before, "a refused emergency read leaves nothing");

    let reason = "minore irreperibile, richiesta della procura";
    match fx.ok(ADMIN, Request::EmergencyRead { code: need.clone(), reason: reason.into() }) {
        Reply::Need(v) => assert_eq!(v.identity.expect("the identity").given_name, "Bimbo"),
        other => panic!("{other:?}"),
    }
    match fx.ok(ADMIN, Request::EmergencyRead { code: w.family.to_string(), reason: reason.into() }) {
        Reply::Family(v) => assert_eq!(v.private.expect("the private part").pets, "un pappagallo di nome Ettore"),
        other => panic!("{other:?}"),
    }
    let e = &audit(fx, &need)[0];
    assert_eq!(
        (e.action, e.actor.as_str(), e.fields.clone()),
        (AuditAction::EmergencyRead, ADMIN, vec![reason.to_string()])
    );
    let e = &audit(fx, &w.family.to_string())[0];
    assert_eq!((e.action, e.fields.clone()), (AuditAction::EmergencyRead, vec![reason.to_string()]));
    // The coordination reads the log, reason included.
    match fx.ok(CARLA, Request::AuditList { record: Some(need.clone()), limit: 5, after: None }) {
        Reply::Audit(entries) => assert_eq!(entries[0].fields, [reason]),
        other => panic!("{other:?}"),
    }
    // A code that names nothing: not found; nothing on record.
    assert_eq!(
        fx.err(ADMIN, Request::EmergencyRead { code: "R-2026-0999".into(), reason: reason.into() }),
        BankError::NotFound { code: "R-2026-0999".into() }
    );
    assert_eq!(fx.audit_verified(ADMIN), fx.audit_len() as u64);
}

#[test]
fn nobody_but_an_administrator_reads_in_an_emergency_not_even_the_coordination() {
    let w = world();
    for user in [CARLA, ANNA, BRUNO, DARIO] {
        for code in [w.need.to_string(), w.family.to_string()] {
            let e = w.fx.err(user, Request::EmergencyRead { code: code.clone(), reason: "urgente".into() });
            assert_eq!(e, BankError::Forbidden { action: "emergency_read".into() }, "{user} {code}");
        }
    }
    assert!(audit(&w.fx, &w.need.to_string()).iter().all(|e| e.action != AuditAction::EmergencyRead));
    // The refusal says so in plain words.
    let e = BankError::Forbidden { action: "emergency_read".into() };
    assert!(describe_error(&e, Lang::It).contains("emergency_read"));
}

#[test]
fn an_update_by_a_caller_who_cannot_read_the_identity_keeps_it() {
    let w = world();
    let fx = &w.fx;
    let (_, stored_family) = fx.family_as_input(w.family);
    let (_, stored_need) = fx.need_as_input(w.need);

    // The administrator hands both over to S-002, with what it sees.
    let v = fx.family(ADMIN, w.family);
    let mut input = v.as_input();
    assert!(input.private_is_empty());
    input.service = Some(S2);
    input.referent = Some(BRUNO.into());
    input.profile.max_children = 3;
    let saved = fx.saved(ADMIN, Request::FamilyUpdate { code: w.family, base_revision: v.revision, input });
    assert_eq!(saved.changed, ["profile.max_children", "referent", "service"]);
    let (_, now) = fx.family_as_input(w.family);
    assert_eq!(
        (now.identity, now.profile.notes, now.profile.household),
        (stored_family.identity.clone(), stored_family.profile.notes.clone(), stored_family.profile.household.clone())
    );

    let v = fx.need(ADMIN, w.need);
    let mut input = v.as_input();
    input.placement.notes = "passa al servizio di Bergamo".into();
    input.service = Some(S2);
    input.referent = Some(BRUNO.into());
    input.placement.comune = bergamo();
    fx.saved(ADMIN, Request::NeedUpdate { code: w.need, base_revision: v.revision, input });
    let (rev, now) = fx.need_as_input(w.need);
    assert_eq!(now.identity, stored_need.identity, "the child's identity is kept whole");
    assert_eq!(fx.need(BRUNO, w.need).identity.map(|i| i.given_name).as_deref(), Some("Bimbo"));

    // An identity sent anyway is refused, naming it, and nothing changes.
    let before = fx.snapshot();
    let mut input = fx.need(ADMIN, w.need).as_input();
    input.identity.given_name = "Altro".into();
    let problems = fx.invalid(ADMIN, Request::NeedUpdate { code: w.need, base_revision: rev, input });
    let hidden = vec![Problem::new(Field::Identity, Reason::NotExpected { condition: "identity=hidden".into() })];
    assert_eq!(problems, hidden);
    let mut input = fx.need(ADMIN, w.need).as_input();
    input.identity.birth_date = time::macros::date!(2018 - 01 - 01);
    assert_eq!(fx.invalid(ADMIN, Request::NeedUpdate { code: w.need, base_revision: rev, input }), hidden);
    let v = fx.family(ADMIN, w.family);
    let mut input = v.as_input();
    input.profile.household.pets = String::new();
    input.profile.notes = "una nota".into();
    let problems = fx.invalid(ADMIN, Request::FamilyUpdate { code: w.family, base_revision: v.revision, input });
    assert_eq!(problems[0].field, "identity");
    assert_eq!(fx.snapshot(), before);
    let text = describe_error(&BankError::Invalid(problems), Lang::It);
    assert!(text.contains("non puoi leggere l'identità di questo record"), "{text}");
}

#[test]
fn only_the_servers_own_user_initialises_or_imports_an_empty_bank() {
    let (_dir, bank) = empty_bank();
    let bank = std::sync::Arc::new(bank);
    let refused = ask(&bank, "mallory", Request::Init { admin: None }).unwrap_err();
    assert_eq!(refused, BankError::ServerUserOnly { action: "init".into() });
    assert!(describe_error(&refused, Lang::It).contains("Solo l'utente del server"), "{refused:?}");
    assert!(describe_error(&refused, Lang::En).contains("Only the bank server's own user"));
    let refused = ask(&bank, "mallory", Request::Import { lines: vec![] }).unwrap_err();
    assert_eq!(refused, BankError::ServerUserOnly { action: "import".into() });
    assert!(bank.store().is_empty(), "nothing written");

    // The server's user names the first administrator, who need not be itself.
    ask_server_user(&bank, "banca", Request::Init { admin: Some("gina".into()) }).expect("init");
    match ask(&bank, "gina", Request::Whoami) {
        Ok(Reply::Whoami(p)) => assert_eq!(p.role, Role::Admin),
        other => panic!("{other:?}"),
    }
    assert_eq!(ask(&bank, "banca", Request::Whoami).unwrap_err(), BankError::UnknownUser { user: "banca".into() });
    // An invalid name is refused like any user name.
    let (_dir, other) = empty_bank();
    let other = std::sync::Arc::new(other);
    assert_eq!(
        ask_server_user(&other, "banca", Request::Init { admin: Some("Gina Rossi".into()) }).unwrap_err(),
        BankError::Invalid(vec![Problem::new(Field::User, Reason::InvalidUserName)])
    );
}

#[test]
fn a_name_shown_by_search_goes_on_record_once_a_day_soon_after_and_before_the_bank_closes() {
    let w = world();
    let need = w.need.to_string();
    // Typing "bimbo esempio", one keystroke at a time.
    let query = "bimbo esempio";
    for end in 1..=query.len() {
        match w.fx.ok(ANNA, Request::Search { query: query[..end].into(), limit: 20 }) {
            Reply::Found(_) => {}
            other => panic!("{other:?}"),
        }
    }
    // On record soon after, once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let reads = |fx: &Fixture| {
        audit(fx, &need).into_iter().filter(|e| e.action == AuditAction::ReadIdentity && e.fields == ["search"]).count()
    };
    while reads(&w.fx) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(reads(&w.fx), 1);

    // By code, without the name (the coordination): nothing. And a name
    // shown just before the bank closes is on record when it opens again.
    w.fx.ok(CARLA, Request::Search { query: need.clone(), limit: 5 });
    assert_eq!(reads(&w.fx), 1);
    let mut input = need_input();
    input.identity.given_name = "Zeno".into();
    let zeno = w.fx.create_need(ANNA, input).to_string();
    w.fx.ok(ANNA, Request::Search { query: "zeno".into(), limit: 5 });
    let path = w.fx.path();
    let Fixture { dir, bank } = w.fx;
    drop(bank);
    let fx = Fixture { dir, bank: std::sync::Arc::new(open_bank(&path, false).expect("reopens")) };
    let zeno_reads = |fx: &Fixture| {
        audit(fx, &zeno).into_iter().filter(|e| e.action == AuditAction::ReadIdentity && e.actor == ANNA).count()
    };
    assert_eq!(zeno_reads(&fx), 1);
    // The same day, after the restart: still once.
    fx.ok(ANNA, Request::Search { query: "zeno".into(), limit: 5 });
    fx.bank.flush_identity_reads();
    assert_eq!(zeno_reads(&fx), 1);
    assert_eq!(fx.audit_verified(ADMIN), fx.audit_len() as u64);
}

#[test]
fn a_need_moved_by_another_services_step_does_not_name_who_took_it() {
    let w = world();
    // Bruno's approved family (S-002), a candidate for anna's child (S-001).
    let mut f = family_input();
    f.profile.comune = bergamo();
    f.profile.status = FamilyStatus::Approved;
    f.profile.approved_on = Some(time::macros::date!(2025 - 02 - 01));
    f.profile.kinds = std::collections::BTreeSet::from([PlacementKind::Residential, PlacementKind::Daytime]);
    f.profile.max_distance_km = None;
    let family = w.fx.create_family(BRUNO, f);
    let proposal = w.fx.saved(ANNA, Request::ProposalCreate { need: w.need, family, note: String::new() });
    let code = ProposalCode::parse(&proposal.code).expect("a proposal code");
    w.fx.saved(
        BRUNO,
        Request::ProposalStep { code, base_revision: 1, to: ProposalStatus::Accepted, note: String::new() },
    );
    // The need is now matched; its record names the proposal that moved it, not bruno,
    // so whoever reads its shared view cannot tell which service's operator took the step.
    for user in [CARLA, DARIO, ANNA] {
        let view = w.fx.need(user, w.need);
        assert_eq!(view.placement.status, NeedStatus::Matched, "{user}");
        assert_eq!(view.meta.updated_by, proposal.code, "{user}");
    }
    // The audit log still says who it was.
    assert!(audit(&w.fx, &w.need.to_string()).iter().any(|e| e.actor == BRUNO));
}
