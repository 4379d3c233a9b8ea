//! The live event stream obeys the access table: only active operators
//! subscribe, each hears only of what it may read, a deactivated operator's
//! subscription is closed, and no event carries a name. Driven from outside,
//! as real Unix users running `banca watch --json` against a real server.

mod common;
mod live;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use banca::api::Request;
use banca::client::Client;
use banca::model::{FamilyCode, FamilyStatus, NeedCode, ProposalCode, ProposalStatus, Role, ServiceCode};

use common::*;
use live::{as_root, saved, Place, Running, Server, UnixAccounts};

const S3: ServiceCode = ServiceCode(3);
/// Bank-only operators (no Unix user): referents of S-002 and S-003.
const ETTORE: &str = "ettore";
/// A child's given name that must never reach an event.
const CHILD: &str = "Zefirina";

/// A server with services S-001 (Dalmine), S-002 and S-003 (Bergamo), their
/// referents, and each Unix user an operator of the service given (or none).
fn market(group: &'static str, users: &'static [&'static str], operators: &[(&str, ServiceCode)]) -> Market {
    let accounts = UnixAccounts::create(group, users);
    let place = Place::new();
    let server = place.start(group, &[]);
    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    saved(&mut admin, Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
    for (name, ambit) in
        [(S1_NAME, DALMINE_AMBIT), (S2_NAME, BERGAMO_AMBIT), ("Consultorio Familiare di Prova", BERGAMO_AMBIT)]
    {
        saved(&mut admin, Request::ServiceCreate { input: service_input(name, ambit) });
    }
    let referents = [(ANNA, S1), (BRUNO, S2), (ETTORE, S3)];
    for (user, service) in referents.iter().chain(operators) {
        let input = operator_input(&format!("Operatore {user}"), Role::Operator, Some(*service));
        saved(&mut admin, Request::OperatorCreate { user: (*user).into(), input });
    }
    Market { admin, _server: server, place, _accounts: accounts, group }
}

struct Market {
    // Dropped in this order: the client, the server, the folder, the Unix users.
    admin: Client,
    _server: Server,
    place: Place,
    _accounts: UnixAccounts,
    group: &'static str,
}

impl Market {
    fn watch(&self, user: &str) -> Running {
        self.place.spawn_as(user, self.group, &["watch", "--json"])
    }

    /// A new family of S-001: an event every role hears.
    fn marker(&mut self) -> FamilyCode {
        let code = saved(&mut self.admin, Request::FamilyCreate { input: family_in(S1, ANNA) }).code;
        FamilyCode::parse(&code).expect("a family code")
    }

    /// Makes markers until every watcher has printed one: they are all listening.
    fn until_listening(&mut self, watchers: &mut [&mut Running]) {
        let started = Instant::now();
        for w in watchers.iter_mut() {
            loop {
                let code = self.marker().to_string();
                if w.wait_for(Duration::from_millis(500), |l| l.contains(&code)) {
                    break;
                }
                assert!(started.elapsed() < Duration::from_secs(20), "{} never heard a marker: {:?}", w.user, w.seen);
            }
        }
    }

    /// A marker after everything else, and every watcher has printed it:
    /// whatever it was going to hear before, it has heard.
    fn settle(&mut self, watchers: &mut [&mut Running]) {
        let code = self.marker().to_string();
        for w in watchers.iter_mut() {
            assert!(w.wait_for(Duration::from_secs(10), |l| l.contains(&code)), "{}: {:?}", w.user, w.seen);
        }
    }
}

/// The JSON lines a watcher printed, each checked to carry only the event's fields.
fn heard(w: &Running) -> Vec<serde_json::Value> {
    let fields: BTreeSet<&str> = ["at", "by", "code", "kind", "revision"].into();
    w.seen
        .iter()
        .map(|line| {
            assert!(!line.contains(CHILD), "{} printed a child's name: {line}", w.user);
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: not JSON ({e}): {line}", w.user));
            let keys: BTreeSet<&str> = v.as_object().expect("an object").keys().map(String::as_str).collect();
            assert_eq!(keys, fields, "{}: {line}", w.user);
            v
        })
        .collect()
}

fn about(lines: &[serde_json::Value], kind: &str, code: &str) -> usize {
    lines.iter().filter(|v| v["kind"] == kind && v["code"] == code).count()
}

#[test]
fn an_operator_of_a_third_service_hears_nothing_of_a_proposal_between_two_others() {
    if !as_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    const A: &str = "bc_a";
    const B: &str = "bc_b";
    const C: &str = "bc_c";
    let mut m = market("bc_ev", &[A, B, C], &[(A, S1), (B, S2), (C, S3)]);
    let (mut a, mut b, mut c) = (m.watch(A), m.watch(B), m.watch(C));
    m.until_listening(&mut [&mut a, &mut b, &mut c]);

    // A child of S-002 proposed for a family of S-001.
    let mut family = family_in(S1, ANNA);
    family.profile.status = FamilyStatus::Approved;
    family.profile.approved_on = Some(time::macros::date!(2026 - 01 - 10));
    family.profile.max_children = 2;
    let family = FamilyCode::parse(&saved(&mut m.admin, Request::FamilyCreate { input: family }).code).unwrap();
    let mut need = need_in(S2, BRUNO);
    need.identity.given_name = CHILD.into();
    let need = NeedCode::parse(&saved(&mut m.admin, Request::NeedCreate { input: need }).code).unwrap();
    let proposal = saved(&mut m.admin, Request::ProposalCreate { need, family, note: "Proposta di prova.".into() });
    let proposal = ProposalCode::parse(&proposal.code).unwrap().to_string();
    m.settle(&mut [&mut a, &mut b, &mut c]);
    let third = heard(&c);
    assert_eq!(about(&third, "proposal", &proposal), 0, "a third service (S-003) heard of it: {third:?}");

    // The operator of S-003 moves to S-001, the family's service: from the
    // next step on, it hears of the proposal, on the same subscription.
    let input = operator_input(&format!("Operatore {C}"), Role::Operator, Some(S1));
    saved(&mut m.admin, Request::OperatorUpdate { user: C.into(), base_revision: 1, input });
    let code = ProposalCode::parse(&proposal).unwrap();
    let step = Request::ProposalStep { code, base_revision: 1, to: ProposalStatus::UnderReview, note: String::new() };
    assert_eq!(saved(&mut m.admin, step).revision, 2);
    m.settle(&mut [&mut a, &mut b, &mut c]);
    let moved = heard(&c);
    let about_it: Vec<u64> =
        moved.iter().filter(|v| v["code"] == proposal.as_str()).filter_map(|v| v["revision"].as_u64()).collect();
    assert_eq!(about_it, [2], "after moving to S-001, {C} hears the step, not what came before: {moved:?}");

    let (a, b, c) = (heard(&a), heard(&b), heard(&c));
    let line = a.iter().find(|v| v["code"] == proposal.as_str()).expect("the family's service heard of it");
    assert_eq!((line["kind"].as_str(), line["revision"].as_u64()), (Some("proposal"), Some(1)), "{line}");
    assert_eq!(about(&a, "proposal", &proposal), 2, "the family's service (S-001): {a:?}");
    assert_eq!(about(&b, "proposal", &proposal), 2, "the child's service (S-002): {b:?}");
    // The shared views are everyone's: all three heard of the new family and need.
    for (who, lines) in [(A, &a), (B, &b), (C, &c)] {
        assert_eq!(about(lines, "family", &family.to_string()), 1, "{who}: {lines:?}");
        assert!(about(lines, "need", &need.to_string()) >= 1, "{who}: {lines:?}");
    }
    eprintln!("S-001 heard {} events, S-002 {}, S-003 {}", a.len(), b.len(), c.len());
    drop(m);
}

#[test]
fn a_member_without_an_operator_record_and_a_deactivated_operator_hear_nothing() {
    if !as_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    const NOBODY: &str = "bc_n";
    const LEAVING: &str = "bc_d";
    let mut m = market("bc_ev2", &[NOBODY, LEAVING], &[(LEAVING, S1)]);
    let group = m.group;

    // In the operators' group, but no operator record: refused, no event.
    let out = m.place.banca_as(NOBODY, group, &["--lang", "en", "watch", "--json"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "watch as a user with no record: {said}");
    assert!(out.stdout.is_empty(), "events for a user with no record: {}", String::from_utf8_lossy(&out.stdout));
    assert!(said.contains(NOBODY), "the refusal names the user: {said}");

    // An active operator listens, then is deactivated: its watch ends at once.
    let mut watch = m.watch(LEAVING);
    m.until_listening(&mut [&mut watch]);
    let mut input = operator_input(&format!("Operatore {LEAVING}"), Role::Operator, Some(S1));
    input.active = false;
    let deactivated = Instant::now();
    saved(&mut m.admin, Request::OperatorUpdate { user: LEAVING.into(), base_revision: 1, input });
    let after = m.marker().to_string();
    let Some((code, said)) = watch.ended_within(Duration::from_secs(5)) else {
        panic!("the deactivated operator's watch still runs 5 s later; it printed {:?}", watch.seen)
    };
    eprintln!("the deactivated operator's watch ended {:?} after the change", deactivated.elapsed());
    assert_eq!(code, Some(3), "a closed watch ends as a lost connection does: {said}");
    assert!(!watch.seen.iter().any(|l| l.contains(&after)), "heard {after} after deactivation: {:?}", watch.seen);

    // Deactivated: refused from now on.
    let out = m.place.banca_as(LEAVING, group, &["--lang", "en", "watch", "--json"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "watch as a deactivated operator: {said}");
    assert!(out.stdout.is_empty(), "events for a deactivated operator: {}", String::from_utf8_lossy(&out.stdout));
    drop(m);
}

#[test]
fn records_moved_by_a_placement_start_are_heard_with_their_new_revision() {
    if !as_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    const A: &str = "ev2_a";
    const B: &str = "ev2_b";
    let mut m = market("ev2_ev", &[A, B], &[(A, S1), (B, S2)]);
    let (mut a, mut b) = (m.watch(A), m.watch(B));
    m.until_listening(&mut [&mut a, &mut b]);

    // A child of S-002 proposed for a family of S-001, accepted, started.
    let mut family = family_in(S1, ANNA);
    family.profile.status = FamilyStatus::Approved;
    family.profile.approved_on = Some(time::macros::date!(2026 - 01 - 10));
    family.profile.max_children = 2;
    let family = FamilyCode::parse(&saved(&mut m.admin, Request::FamilyCreate { input: family }).code).unwrap();
    let need = NeedCode::parse(&saved(&mut m.admin, Request::NeedCreate { input: need_in(S2, BRUNO) }).code).unwrap();
    let proposal = saved(&mut m.admin, Request::ProposalCreate { need, family, note: "Proposta di prova.".into() });
    let code = ProposalCode::parse(&proposal.code).unwrap();
    let step = Request::ProposalStep { code, base_revision: 1, to: ProposalStatus::Accepted, note: String::new() };
    assert_eq!(saved(&mut m.admin, step).revision, 2);
    let plan = banca::model::FosterPlan {
        start: time::macros::date!(2026 - 11 - 02),
        expected_end: None,
        duration_months: None,
        contact: banca::model::OriginContact { frequency: banca::model::ContactFrequency::Monthly, supervised: true },
        contact_notes: String::new(),
        review_dates: vec![],
        commitments: "scuola".into(),
        relationship: Some(banca::model::Relationship::NonKin),
    };
    let started = saved(&mut m.admin, Request::PlacementStart { proposal: code, base_revision: 2, plan });
    assert!(started.also_changed.contains(&proposal.code), "{started:?}");
    m.settle(&mut [&mut a, &mut b]);

    for (who, lines) in [(A, heard(&a)), (B, heard(&b))] {
        let revisions = |kind: &str, code: &str| -> Vec<u64> {
            lines
                .iter()
                .filter(|v| v["kind"] == kind && v["code"] == code)
                .filter_map(|v| v["revision"].as_u64())
                .collect()
        };
        // Created, accepted, started (alongside the placement): each with its revision.
        assert_eq!(revisions("proposal", &proposal.code), [1, 2, 3], "{who}: {lines:?}");
        // Created, then moved alongside the proposal, its acceptance and the placement.
        assert_eq!(revisions("need", &need.to_string()), [1, 2, 3, 4], "{who}: {lines:?}");
        assert_eq!(revisions("placement", &started.code), [1], "{who}: {lines:?}");
    }
    drop(m);
}

/// `banca ARGS` as `user`, which must succeed: its standard output.
fn run_ok(m: &Market, user: &str, args: &[&str]) -> String {
    let out = m.place.banca_as(user, m.group, args);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "banca {args:?} as {user}: {stdout}{stderr}");
    stdout.into_owned()
}

/// The proposal code `banca propose` printed first ("Proposta P-…: R-… → F-…").
fn proposed_code(stdout: &str) -> String {
    let code = stdout.split_whitespace().nth(1).expect("a code").trim_end_matches(':');
    ProposalCode::parse(code).unwrap_or_else(|| panic!("no proposal code in {stdout}")).to_string()
}

#[test]
fn the_race_for_the_last_place_withdraws_the_loser_and_its_service_hears_and_reads_why() {
    if !as_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    const F: &str = "em_f"; // S-001: the family's service
    const W: &str = "em_w"; // S-002: its child wins the last place
    const L: &str = "em_l"; // S-003: its child loses it
    let mut m = market("em_race", &[F, W, L], &[(F, S1), (W, S2), (L, S3)]);
    let mut heard_by_l = m.watch(L);
    m.until_listening(&mut [&mut heard_by_l]);

    // A family of S-001 with one place; a child of S-002 and one of S-003.
    let mut family = family_in(S1, ANNA);
    family.profile.status = FamilyStatus::Approved;
    family.profile.approved_on = Some(time::macros::date!(2026 - 01 - 10));
    family.profile.max_children = 1;
    let family = saved(&mut m.admin, Request::FamilyCreate { input: family }).code;
    let need_w = saved(&mut m.admin, Request::NeedCreate { input: need_in(S2, BRUNO) }).code;
    let need_l = saved(&mut m.admin, Request::NeedCreate { input: need_in(S3, ETTORE) }).code;

    // Both services propose the family for their child, each from its own login.
    let p_w = proposed_code(&run_ok(&m, W, &["propose", &need_w, &family]));
    let p_l = proposed_code(&run_ok(&m, L, &["propose", &need_l, &family]));

    // The family's service accepts S-002's: the last place is taken, and
    // S-003's proposal, which no longer fits, is withdrawn in the same step.
    let accepted = run_ok(&m, F, &["proposal", "accept", &p_w]);
    assert!(accepted.contains(&format!("Aggiornate anche: {need_w}, {p_l}, {need_l}")), "{accepted}");
    // The operator who accepted reads in words what that did to the other proposal.
    let said = format!("Ritirate perché la famiglia non ha più posti (i loro servizi lo sanno): {p_l}");
    assert!(accepted.contains(&said), "{accepted}");
    m.settle(&mut [&mut heard_by_l]);
    let lines = heard(&heard_by_l);
    let revisions = |kind: &str, code: &str| -> Vec<u64> {
        lines.iter().filter(|v| v["kind"] == kind && v["code"] == code).filter_map(|v| v["revision"].as_u64()).collect()
    };
    // S-003 hears its proposal withdrawn (rev. 2) and its need back to open (rev. 3), nothing of S-002's.
    assert_eq!(revisions("proposal", &p_l), [1, 2], "{lines:?}");
    assert_eq!(revisions("need", &need_l), [1, 2, 3], "{lines:?}");
    assert_eq!(revisions("proposal", &p_w), Vec::<u64>::new(), "{lines:?}");

    // And reads why on the proposal's card, in its language.
    // (The card wraps its lines: read as words.)
    let words = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let card = words(run_ok(&m, L, &["proposal", "show", &p_l]));
    assert!(card.contains(&format!("la famiglia {family} non ha più posti (proposta {p_w} accettata)")), "{card}");
    let card = words(run_ok(&m, L, &["--lang", "en", "proposal", "show", &p_l]));
    assert!(card.contains(&format!("family {family} has no place left (proposal {p_w} accepted)")), "{card}");
    let need = run_ok(&m, L, &["--lang", "en", "need", "show", &need_l]);
    assert!(need.starts_with(&format!("{need_l}  open  ·")), "{need}");

    // Proposed again while the family is full, it waits; the placement's start withdraws it.
    let again = proposed_code(&run_ok(&m, L, &["propose", &need_l, &family]));
    run_ok(&m, W, &["placement", "start", &p_w, "--start", "02/11/2026", "--relationship", "eterofamiliare"]);
    let card = words(run_ok(&m, L, &["proposal", "show", &again]));
    let placement = card
        .split_whitespace()
        .find(|w| w.trim_end_matches(')').starts_with("A-"))
        .map(|w| w.trim_end_matches(')').to_string())
        .unwrap_or_else(|| panic!("no placement named: {card}"));
    assert!(card.contains(&format!("la famiglia {family} non ha più posti (affido {placement})")), "{card}");
    drop(heard_by_l);
    drop(m);
}

#[test]
fn a_child_is_proposed_to_several_families_at_once_and_placed_with_one() {
    if !as_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    const W: &str = "em_pw"; // S-002: the child's service
    const F: &str = "em_pf"; // S-001: two families
    const T: &str = "em_pt"; // S-003: one family
    let mut m = market("em_multi", &[W, F, T], &[(W, S2), (F, S1), (T, S3)]);
    let mut heard_by_t = m.watch(T);
    m.until_listening(&mut [&mut heard_by_t]);

    let mut family = |service, referent: &str, approved: bool| {
        let mut f = family_in(service, referent);
        if approved {
            f.profile.status = FamilyStatus::Approved;
            f.profile.approved_on = Some(time::macros::date!(2026 - 01 - 10));
        }
        f.profile.max_children = 1;
        saved(&mut m.admin, Request::FamilyCreate { input: f }).code
    };
    let (f1, f2, f3) = (family(S1, ANNA, true), family(S3, ETTORE, true), family(S1, ANNA, false));
    let need = saved(&mut m.admin, Request::NeedCreate { input: need_in(S2, BRUNO) }).code;

    // One command, three families: two proposals sent, the family still under assessment refused, said apart.
    let out = m.place.banca_as(W, m.group, &["propose", &need, &f1, &f2, &f3]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let sent: Vec<&str> = stdout.lines().filter(|l| l.starts_with("Proposta P-")).collect();
    assert_eq!(sent.len(), 2, "{stdout}");
    assert!(sent[0].ends_with(&format!("{need} → {f1}")) && sent[1].ends_with(&format!("{need} → {f2}")), "{stdout}");
    let (p1, p2) = (proposed_code(sent[0]), proposed_code(sent[1]));
    assert!(stderr.lines().any(|l| l.starts_with(&format!("{f3}: "))), "{stderr}");
    assert!(stderr.contains(&format!("proposte inviate: 2 su 3; non inviate: {f3}")), "{stderr}");

    // S-003 hears the proposal for its family.
    m.settle(&mut [&mut heard_by_t]);
    assert_eq!(about(&heard(&heard_by_t), "proposal", &p2), 1, "{:?}", heard_by_t.seen);

    // S-001 accepts first; the child is placed there, and the other proposal
    // is withdrawn by the one rule for a child placed (not by the race: S-003's family still has its place).
    run_ok(&m, F, &["proposal", "accept", &p1]);
    let card = run_ok(&m, T, &["proposal", "show", &p2]);
    assert!(card.starts_with(&format!("{p2}  proposta  ·")), "still waiting after the acceptance: {card}");
    run_ok(&m, W, &["placement", "start", &p1, "--start", "02/11/2026", "--relationship", "eterofamiliare"]);
    let card = run_ok(&m, T, &["proposal", "show", &p2]);
    let card = card.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(card.contains(&format!("affido avviato con {p1} (A-")), "{card}");
    m.settle(&mut [&mut heard_by_t]);
    assert_eq!(about(&heard(&heard_by_t), "proposal", &p2), 2, "{:?}", heard_by_t.seen);
    drop(heard_by_t);
    drop(m);
}
