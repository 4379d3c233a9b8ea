//! Reception services, worked by hand on the fixture's bank (day 23/11/2026,
//! `common::NOW`): eight services of the province with their licences and
//! declared vacancies, a boy of fifteen to place, the rule that leaves out
//! each of the others and the score of those that fit; the reception
//! operator's limits; a proposal and a placement to a community; the
//! directory as the coordination publishes it.

mod common;

use std::collections::BTreeSet;

use banca::api::{
    BankError, ChildProfile, DirectoryEntry, DirectoryFilter, Hosts, NeedRanking, ProfileChild, Reply, Request,
    ServiceRanking,
};
use banca::matching::{CriterionKind, Fact, HardRule};
use banca::model::*;
use common::*;
use time::macros::date;

/// The reception service's own operator (of S-003, La Zattera).
const RITA: &str = "rita";
/// The operator of S-004, Il Girasole.
const GINO: &str = "gino";

/// Treviglio (BG): outside both ambiti of the fixture.
fn treviglio() -> ComuneCode {
    comune("016219")
}

struct Planned {
    kind: ServiceKind,
    name: &'static str,
    comune: ComuneCode,
    ages: (u16, u16),
    sex: SexPreference,
    equipment: &'static [Equipment],
    languages: &'static [&'static str],
    licensed: u16,
    /// Declared places and the day.
    declared: Option<(u16, time::Date)>,
}

fn reception_input(p: &Planned) -> ServiceInput {
    let mut input = service_input(p.name, "");
    input.kind = p.kind;
    input.ambits = vec![];
    input.reception = Some(ReceptionProfile {
        managing_body: ManagingBody {
            name: "Cooperativa Sociale Esempio".into(),
            nature: LegalNature::SocialCooperative,
        },
        licence: Licence {
            number: "AUT-1/2020".into(),
            date: Some(date!(2020 - 02 - 03)),
            authority: "Comune di Prova".into(),
            places: p.licensed,
        },
        comune: p.comune,
        referent: "Referente Esempio".into(),
        ages: AgeRange { min_months: p.ages.0 * 12, max_months: p.ages.1 * 12 + 11 },
        sex: p.sex,
        equipment: p.equipment.iter().copied().collect(),
        languages: p.languages.iter().map(|l| l.to_string()).collect(),
    });
    input
}

/// The eight reception services, S-003 to S-010, each declared by the coordination.
fn plans() -> Vec<Planned> {
    use Equipment::*;
    let today = date!(2026 - 11 - 23);
    let p = |kind, name, comune, ages, licensed, declared| Planned {
        kind,
        name,
        comune,
        ages,
        sex: SexPreference::Any,
        equipment: &[],
        languages: &[],
        licensed,
        declared,
    };
    vec![
        // S-003: the candidate nearest the family of origin, declared yesterday.
        Planned {
            sex: SexPreference::Male,
            equipment: &[Adolescents, UnaccompaniedMinors],
            languages: &["arabo"],
            ..p(
                ServiceKind::EmergencyShelter,
                "Pronto Intervento La Zattera",
                bergamo(),
                (12, 17),
                8,
                Some((2, date!(2026 - 11 - 22))),
            )
        },
        // S-004: in the child's comune, but declared ten days ago (stale) and no arabo.
        Planned {
            equipment: &[Adolescents, UnaccompaniedMinors],
            languages: &["italiano"],
            ..p(
                ServiceKind::ResidentialCommunity,
                "Comunità Alloggio Il Girasole",
                dalmine(),
                (6, 17),
                10,
                Some((1, date!(2026 - 11 - 13))),
            )
        },
        // S-005: girls only.
        Planned {
            sex: SexPreference::Female,
            equipment: &[Adolescents, UnaccompaniedMinors],
            ..p(ServiceKind::EducationalCommunity, "Comunità Educativa Il Faro", gorle(), (11, 17), 9, Some((3, today)))
        },
        // S-006: a day centre does not take a residential need.
        p(ServiceKind::DayCentre, "Centro Diurno L'Aquilone", dalmine(), (6, 14), 15, Some((5, today))),
        // S-007: a parent-and-child community neither.
        Planned {
            sex: SexPreference::Female,
            equipment: &[MotherAndInfant],
            ..p(
                ServiceKind::ParentAndChildCommunity,
                "Comunità Mamma-Bambino Aurora",
                stezzano(),
                (0, 10),
                7,
                Some((1, today)),
            )
        },
        // S-008: a shelter for the little ones.
        Planned {
            equipment: &[MotherAndInfant, UnaccompaniedMinors],
            ..p(
                ServiceKind::EmergencyShelter,
                "Pronto Intervento Nidi Sicuri",
                stezzano(),
                (0, 11),
                6,
                Some((2, today)),
            )
        },
        // S-009: no equipment for an unaccompanied minor.
        p(ServiceKind::FamilyCommunity, "Comunità Familiare Casa Betulla", treviglio(), (0, 17), 6, Some((2, today))),
        // S-010: equipped, but no place left.
        Planned {
            equipment: &[UnaccompaniedMinors],
            ..p(
                ServiceKind::ResidentialCommunity,
                "Comunità Alloggio Il Cortile",
                bergamo(),
                (12, 17),
                10,
                Some((0, today)),
            )
        },
    ]
}

/// The fixture with the eight services, their declarations, and the
/// operators of S-003 (rita) and S-004 (gino).
fn network() -> Fixture {
    let fx = fixture();
    for (i, p) in plans().iter().enumerate() {
        let saved = fx.saved(ADMIN, Request::ServiceCreate { input: reception_input(p) });
        assert_eq!(saved.code, format!("S-{:03}", i + 3));
        if let Some((places, declared_on)) = p.declared {
            let input = VacancyInput { places, declared_on, note: String::new() };
            fx.saved(CARLA, Request::VacancyDeclare { service: ServiceCode(i as u32 + 3), input });
        }
    }
    for (user, name, service) in
        [(RITA, "Rita Accoglienza", ServiceCode(3)), (GINO, "Gino Accoglienza", ServiceCode(4))]
    {
        let input = operator_input(name, Role::Reception, Some(service));
        fx.saved(ADMIN, Request::OperatorCreate { user: user.into(), input });
    }
    fx
}

/// A boy of fifteen of S-001 (Dalmine), an unaccompanied minor speaking
/// arabo, a residential placement; his family of origin in Bergamo.
fn boy_of_fifteen() -> NeedInput {
    let mut n = need_input();
    n.identity.given_name = "Karim".into();
    n.identity.family_name = "Sintetico".into();
    n.identity.birth_date = date!(2011 - 05 - 10);
    n.placement.special_needs = BTreeSet::from([SpecialNeed::UnaccompaniedMinor]);
    n.placement.languages = vec!["arabo".into()];
    n.placement.origin_comune = Some(bergamo());
    n
}

fn services_for(fx: &Fixture, user: &str, need: NeedCode, hosts: Hosts) -> NeedRanking {
    match fx.ok(user, Request::MatchNeed { need, limit: 100, why_not: None, hosts }) {
        Reply::NeedMatches(r) => *r,
        other => panic!("expected NeedMatches, got {other:?}"),
    }
}

fn places(fx: &Fixture, user: &str, profile: ChildProfile) -> ServiceRanking {
    match fx.ok(user, Request::Places { profile, limit: 100 }) {
        Reply::Places(r) => *r,
        other => panic!("expected Places, got {other:?}"),
    }
}

fn directory(fx: &Fixture, user: &str, filter: DirectoryFilter) -> Vec<DirectoryEntry> {
    match fx.ok(user, Request::Directory { filter }) {
        Reply::Directory(entries) => entries,
        other => panic!("expected Directory, got {other:?}"),
    }
}

fn free_of(fx: &Fixture, code: ServiceCode) -> (u16, u16) {
    let entry = directory(fx, CARLA, DirectoryFilter { code: Some(code), ..DirectoryFilter::default() });
    let p = entry[0].places.as_ref().expect("a reception service has places");
    (p.free, p.occupied)
}

fn excluded(r: &ServiceRanking) -> Vec<(HardRule, u32)> {
    r.excluded.clone()
}

#[test]
fn a_boy_of_fifteen_tonight_finds_the_shelter_with_a_place_and_why_the_others_do_not() {
    let fx = network();
    let tonight = ChildProfile {
        children: vec![ProfileChild { age_months: 15 * 12, sex: Some(Sex::Male) }],
        kind: PlacementKind::Emergency,
        emergency: true,
        time_slots: BTreeSet::new(),
        special_needs: BTreeSet::new(),
        languages: vec![],
        start: None,
        comune: Some(bergamo()),
        within: None,
    };
    let r = places(&fx, ANNA, tonight.clone());
    // Only the shelters take pronto intervento: La Zattera has a place; Nidi Sicuri stops at 11.
    let codes: Vec<String> = r.candidates.iter().map(|c| c.service.code.to_string()).collect();
    assert_eq!(codes, ["S-003"]);
    assert_eq!((r.considered, r.candidates_total), (8, 1), "the foster services are not reception services");
    assert_eq!(excluded(&r), [(HardRule::Kind, 6), (HardRule::Age, 1)]);
    // In Bergamo itself, declared yesterday: every point of distance, territory and freshness.
    let c = &r.candidates[0];
    assert_eq!((c.score, c.free_places, c.stale), (100, 2, false));
    assert_eq!(
        c.criteria.iter().map(|k| k.kind).collect::<Vec<_>>(),
        [CriterionKind::Distance, CriterionKind::SameArea, CriterionKind::Declared]
    );
    assert_eq!(c.criteria[2].fact, Fact::Declared { days: 1, stale: false });
    // The same evening for a girl: La Zattera takes boys only.
    let mut girl = tonight;
    girl.children[0].sex = Some(Sex::Female);
    let r = places(&fx, ANNA, girl);
    assert!(r.candidates.is_empty());
    assert_eq!(excluded(&r), [(HardRule::Kind, 6), (HardRule::Age, 1), (HardRule::Sex, 1)]);
}

#[test]
fn a_need_ranks_reception_services_by_the_hand_worked_score_and_names_the_rule_that_excludes_each_other() {
    let fx = network();
    let need = fx.create_need(ANNA, boy_of_fifteen());
    let r = services_for(&fx, ANNA, need, Hosts::Services);
    assert!(r.candidates.is_empty() && r.considered == 0, "families were not asked for");
    let s = r.services.expect("services were asked for");
    let ranked: Vec<(String, u8, bool)> =
        s.candidates.iter().map(|c| (c.service.code.to_string(), c.score, c.stale)).collect();
    // Dalmine–Bergamo is 7.0 km (seats 45.64933,9.60617 and 45.69601,9.66721); the horizon 60 km.
    // S-003 (Bergamo): distance 30·(1−7.03/60)=26.49, origin 15 (same comune), other ambito 0,
    //   arabo 10, declared 1 day ago 10 → 61.49 of 75 → 82.
    // S-004 (Dalmine): distance 30, origin 15·(1−7.03/60)=13.24, same comune 10, no arabo 0,
    //   declared 10 days ago (stale after 7) 0 → 53.24 of 75 → 71.
    assert_eq!(ranked, [("S-003".to_string(), 82, false), ("S-004".to_string(), 71, true)]);
    let tenths = |i: usize| s.candidates[i].criteria.iter().map(|c| (c.kind, c.earned_tenths)).collect::<Vec<_>>();
    use CriterionKind::*;
    assert_eq!(tenths(0), [(Distance, 353), (OriginDistance, 200), (SameArea, 0), (Language, 133), (Declared, 133)]);
    assert_eq!(tenths(1), [(Distance, 400), (OriginDistance, 177), (SameArea, 133), (Language, 0), (Declared, 0)]);
    assert_eq!(s.candidates[1].criteria[4].fact, Fact::Declared { days: 10, stale: true });
    // The others, each by the first rule it fails: girls only (S-005), a day centre and a
    // mother-and-child community (S-006, S-007), ages 0–11 (S-008), not equipped for an
    // unaccompanied minor (S-009), no place left (S-010).
    assert_eq!((s.considered, s.candidates_total), (8, 2));
    assert_eq!(
        excluded(&s),
        [
            (HardRule::Kind, 2),
            (HardRule::Age, 1),
            (HardRule::Capacity, 1),
            (HardRule::SpecialNeeds, 1),
            (HardRule::Sex, 1)
        ]
    );
}

#[test]
fn families_and_services_come_together_or_apart_as_asked() {
    let fx = network();
    let need = fx.create_need(ANNA, boy_of_fifteen());
    let families = services_for(&fx, ANNA, need, Hosts::Families);
    assert!(families.services.is_none());
    let both = services_for(&fx, ANNA, need, Hosts::Both);
    assert_eq!(both.hosts, Hosts::Both);
    assert_eq!(both.candidates, families.candidates, "the families are the same either way");
    assert_eq!(both.services.expect("services too").candidates.len(), 2);
}

#[test]
fn a_place_taken_by_a_proposal_and_a_placement_is_no_longer_free_until_declared_again() {
    let fx = network();
    let need = fx.create_need(ANNA, boy_of_fifteen());
    assert_eq!(free_of(&fx, ServiceCode(3)), (2, 0));
    let saved = fx.saved(ANNA, Request::ProposeService { need, service: ServiceCode(3), note: "stasera".into() });
    let code = ProposalCode::parse(&saved.code).expect("a proposal's code");
    // Proposed: the place is still free; the need is in abbinamento.
    assert_eq!(free_of(&fx, ServiceCode(3)), (2, 0));
    assert_eq!(fx.need(ANNA, need).placement.status, NeedStatus::Matching);
    // The community's own operator accepts: the place is held.
    fx.saved(RITA, Request::ProposalStep { code, base_revision: 1, to: ProposalStatus::Accepted, note: String::new() });
    assert_eq!(free_of(&fx, ServiceCode(3)), (1, 0));
    // The child's service starts the placement in the community: no kinship question for a community.
    let plan = FosterPlan {
        start: date!(2026 - 11 - 23),
        expected_end: None,
        duration_months: Some(6),
        contact: OriginContact { frequency: ContactFrequency::Weekly, supervised: true },
        contact_notes: String::new(),
        review_dates: vec![date!(2027 - 01 - 15)],
        commitments: "progetto educativo".into(),
        relationship: Some(Relationship::Kinship),
    };
    let refused = fx.invalid(ANNA, Request::PlacementStart { proposal: code, base_revision: 2, plan: plan.clone() });
    assert_eq!(refused[0].field, FieldRef::from(Field::PlanRelationship));
    let plan = FosterPlan { relationship: None, ..plan };
    let started = fx.saved(ANNA, Request::PlacementStart { proposal: code, base_revision: 2, plan });
    let placement = PlacementCode::parse(&started.code).expect("a placement's code");
    assert_eq!(free_of(&fx, ServiceCode(3)), (1, 1), "one of the two declared places is taken, one child in");
    // The community declares again the day after: its declaration is the truth again.
    let input = VacancyInput { places: 2, declared_on: date!(2026 - 11 - 23), note: "dopo l'ingresso".into() };
    fx.saved(RITA, Request::VacancyDeclare { service: ServiceCode(3), input });
    assert_eq!(free_of(&fx, ServiceCode(3)), (1, 1), "placed the same day: still counted against it");
    // The placement closes with its outcome: nobody occupies a place any more.
    let Reply::Placement(p) = fx.ok(RITA, Request::PlacementGet { code: placement }) else { panic!() };
    assert_eq!((p.record.family, p.record.family_service), (None, ServiceCode(3)));
    fx.saved(
        ANNA,
        Request::PlacementClose {
            code: placement,
            base_revision: p.revision,
            date: date!(2026 - 11 - 23),
            outcome: PlacementOutcome::ReturnHome,
            note: String::new(),
        },
    );
    assert_eq!(free_of(&fx, ServiceCode(3)), (2, 0));
}

#[test]
fn a_community_declines_with_a_reason_and_the_need_is_open_again() {
    let fx = network();
    let need = fx.create_need(ANNA, boy_of_fifteen());
    let saved = fx.saved(ANNA, Request::ProposeService { need, service: ServiceCode(4), note: String::new() });
    let code = ProposalCode::parse(&saved.code).expect("a proposal's code");
    // The same service twice is refused; so is a service the child does not fit.
    let again = fx.err(ANNA, Request::ProposeService { need, service: ServiceCode(4), note: String::new() });
    assert!(matches!(again, BankError::Refused(banca::api::Refusal::AlreadyProposed { .. })), "{again:?}");
    let girls = fx.err(ANNA, Request::ProposeService { need, service: ServiceCode(5), note: String::new() });
    assert!(matches!(girls, BankError::Refused(banca::api::Refusal::ServiceNotCandidate { .. })), "{girls:?}");
    // Another community's operator may not answer for Il Girasole, nor the coordination.
    let step = |to, note: &str| Request::ProposalStep { code, base_revision: 1, to, note: note.into() };
    assert!(matches!(fx.err(RITA, step(ProposalStatus::Declined, "no")), BankError::Forbidden { .. }));
    assert!(matches!(fx.err(CARLA, step(ProposalStatus::Accepted, "")), BankError::Forbidden { .. }));
    // Declining says why.
    let problems = fx.invalid(GINO, step(ProposalStatus::Declined, ""));
    assert_eq!(problems[0].field, FieldRef::from(Field::Note));
    fx.saved(GINO, step(ProposalStatus::Declined, "nessun educatore di lingua araba"));
    assert_eq!(fx.need(ANNA, need).placement.status, NeedStatus::Open);
}

#[test]
fn the_reception_operator_declares_only_its_own_vacancies_and_reads_only_shared_views() {
    let fx = network();
    let family = fx.create_family(ANNA, family_input());
    let need = fx.create_need(ANNA, boy_of_fifteen());
    let declare = |service| Request::VacancyDeclare {
        service: ServiceCode(service),
        input: VacancyInput { places: 1, declared_on: date!(2026 - 11 - 23), note: String::new() },
    };
    fx.saved(RITA, declare(3));
    assert!(matches!(fx.err(RITA, declare(4)), BankError::Forbidden { .. }), "another community's places");
    assert!(matches!(fx.err(ANNA, declare(3)), BankError::Forbidden { .. }), "a foster service's operator");
    assert!(matches!(fx.err(DARIO, declare(3)), BankError::Forbidden { .. }), "a reader");
    // Shared views only: no family's, no child's identity.
    let Reply::Family(f) = fx.ok(RITA, Request::FamilyGet { code: family }) else { panic!() };
    assert!(f.private.is_none());
    let Reply::Need(n) = fx.ok(RITA, Request::NeedGet { code: need }) else { panic!() };
    assert!(n.identity.is_none());
    // Nothing else: no records, no directory, no audit log.
    for request in [
        Request::FamilyCreate { input: family_in(ServiceCode(3), RITA) },
        Request::NeedCreate { input: need_in(ServiceCode(3), RITA) },
        Request::ServiceUpdate { code: ServiceCode(3), base_revision: 2, input: reception_input(&plans()[0]) },
        Request::AuditList { record: None, limit: 10, after: None },
        Request::ProposeService { need, service: ServiceCode(3), note: String::new() },
    ] {
        let what = format!("{request:?}");
        assert!(matches!(fx.err(RITA, request), BankError::Forbidden { .. }), "{what}");
    }
    // A foster service is not a reception service, and the role goes with the kind of service.
    let problems = fx.invalid(
        CARLA,
        Request::VacancyDeclare {
            service: S1,
            input: VacancyInput { places: 1, declared_on: date!(2026 - 11 - 23), note: String::new() },
        },
    );
    assert_eq!(problems[0].reason, Reason::NotReception);
    let wrong = operator_input("Altra", Role::Reception, Some(S1));
    assert!(!fx.invalid(ADMIN, Request::OperatorCreate { user: "altra".into(), input: wrong }).is_empty());
    let wrong = operator_input("Altra", Role::Operator, Some(ServiceCode(3)));
    assert!(!fx.invalid(ADMIN, Request::OperatorCreate { user: "altra".into(), input: wrong }).is_empty());
}

#[test]
fn a_declaration_is_bounded_by_the_licence_and_dated_no_later_than_today() {
    let fx = network();
    let input = |places, declared_on| VacancyInput { places, declared_on, note: String::new() };
    let over =
        fx.invalid(RITA, Request::VacancyDeclare { service: ServiceCode(3), input: input(9, date!(2026 - 11 - 23)) });
    assert_eq!(over, [Problem::new(Field::VacantPlaces, Reason::OverLicensed { places: 9, licensed: 8 })]);
    // Never an older fact over a newer one: S-003 declared on 22/11.
    let older =
        fx.invalid(RITA, Request::VacancyDeclare { service: ServiceCode(3), input: input(1, date!(2026 - 11 - 21)) });
    assert_eq!(older[0].field, FieldRef::from(Field::DeclaredOn));
    let ahead =
        fx.invalid(RITA, Request::VacancyDeclare { service: ServiceCode(3), input: input(1, date!(2026 - 11 - 24)) });
    assert_eq!(ahead[0].field, FieldRef::from(Field::DeclaredOn));
    // A reception service without its profile is refused, and a profile on a foster service.
    let mut bare = reception_input(&plans()[0]);
    bare.reception = None;
    assert_eq!(fx.invalid(ADMIN, Request::ServiceCreate { input: bare })[0].field, FieldRef::from(Field::Reception));
    let mut odd = service_input("Servizio con profilo", DALMINE_AMBIT);
    odd.reception = reception_input(&plans()[0]).reception;
    assert_eq!(fx.invalid(ADMIN, Request::ServiceCreate { input: odd })[0].reason, Reason::NotReception);
}

#[test]
fn the_directory_lists_every_service_and_its_public_file_names_no_child_or_family() {
    let fx = network();
    fx.create_family(ANNA, family_input());
    let need = fx.create_need(ANNA, boy_of_fifteen());
    fx.saved(ANNA, Request::ProposeService { need, service: ServiceCode(3), note: "Karim stasera".into() });
    let all = directory(&fx, DARIO, DirectoryFilter::default());
    assert_eq!(all.len(), 10, "two foster services and eight reception services");
    // Foster services first (in the vocabulary's order), then by kind and name.
    assert_eq!(all[0].kind, ServiceKind::Ambit);
    let shelters = directory(
        &fx,
        DARIO,
        DirectoryFilter { kind: Some(ServiceKind::EmergencyShelter), ..DirectoryFilter::default() },
    );
    let names: Vec<&str> = shelters.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Pronto Intervento La Zattera", "Pronto Intervento Nidi Sicuri"]);
    let in_bergamo = directory(&fx, DARIO, DirectoryFilter { comune: Some(bergamo()), ..DirectoryFilter::default() });
    assert_eq!(
        in_bergamo.iter().map(|e| e.code.0).collect::<Vec<_>>(),
        [10, 3],
        "a comunità alloggio before a shelter"
    );
    let vacant = directory(&fx, DARIO, DirectoryFilter { vacant: true, ..DirectoryFilter::default() });
    assert!(vacant.iter().all(|e| e.places.as_ref().is_some_and(|p| p.free > 0)) && vacant.len() == 7);
    let ambit = directory(&fx, DARIO, DirectoryFilter { ambit: Some("dalmine".into()), ..DirectoryFilter::default() });
    assert_eq!(
        ambit.iter().map(|e| e.code.0).collect::<Vec<_>>(),
        [1, 4, 7, 8, 6],
        "by kind: the foster service first"
    );
    // The public files: every service, no child, no family, no operator.
    let csv = banca::present::reception::directory_csv(&all, Lang::It);
    let json = serde_json::to_string(&all).expect("plain data");
    assert_eq!(csv.lines().count(), 11, "a header and a row per service");
    assert!(csv.starts_with("codice,nome,tipo,attivo,ambiti,comune"));
    assert!(csv.contains("S-003,Pronto Intervento La Zattera,pronto intervento (struttura),1,Bergamo,Bergamo (BG)"));
    // Nothing a service is called becomes a spreadsheet formula.
    let mut formula = reception_input(&plans()[0]);
    formula.name = "=HYPERLINK(\"http://x\")".into();
    formula.address = "-2+3".into();
    fx.saved(ADMIN, Request::ServiceCreate { input: formula });
    let file = banca::present::reception::directory_csv(&directory(&fx, DARIO, DirectoryFilter::default()), Lang::En);
    assert!(file.contains("S-011,\"'=HYPERLINK(\"\"http://x\"\")\""), "{file}");
    assert!(file.contains(",'-2+3,"), "{file}");
    for secret in ["Karim", "Sintetico", "Giulia Esempio", "Marco Prova", "stasera", "carla", "R-2026", "F-2026"] {
        assert!(!csv.contains(secret) && !json.contains(secret), "{secret} in the public directory");
    }
}

#[test]
fn reception_services_are_found_by_name_kind_and_comune() {
    let fx = network();
    let found = |q: &str| match fx.ok(DARIO, Request::Search { query: q.into(), limit: 20 }) {
        Reply::Found(r) => r.hits.iter().map(|h| h.code.clone()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert!(found("girasole").contains(&"S-004".to_string()));
    let shelters = found("pronto intervento");
    assert!(shelters.contains(&"S-003".to_string()) && shelters.contains(&"S-008".to_string()), "{shelters:?}");
    // By its comune, as a family is: a kind and a comune name it at once.
    assert_eq!(found("pronto stezzano").first().map(String::as_str), Some("S-008"));
    assert_eq!(found("mamma stezzano").first().map(String::as_str), Some("S-007"));
}
