//! The reception services on screen: the Mappatura (every service, its
//! places, ⚠ on a stale declaration), "who has a place for…" as one form
//! and one list, a reception operator declaring its vacancies with `v`, and
//! Abbinamento showing families and services apart or together. Frames
//! drawn from the real core on the interface's fixture, as an operator sees them.

mod common;

use std::sync::Arc;

use banca::bank::Bank;
use banca::i18n::Lang;
use banca::model::*;
use banca::tui::{draw_to_string, InProcess, ScreenId};
use common::tui::{app, frames, key, line_with, press};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::date;

const RITA: &str = "rita";

fn ctrl_s() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
}

fn snapshots(bank: &Arc<Bank>, user: &str, name: &str, keys: impl Fn(&mut InProcess)) {
    for (suffix, frame) in frames(bank, user, keys) {
        insta::assert_snapshot!(format!("{name}_{suffix}"), frame);
    }
}

fn shelter(name: &str, kind: ServiceKind, comune: ComuneCode, ages: (u16, u16), licensed: u16) -> ServiceInput {
    let mut input = service_input(name, "");
    input.kind = kind;
    input.ambits = vec![];
    input.phone = "035 000 0099".into();
    input.on_call =
        Some(OnCall { name: "Rita Accoglienza".into(), phone: "035 000 0100".into(), hours: "24 ore su 24".into() });
    input.reception = Some(ReceptionProfile {
        managing_body: ManagingBody {
            name: "Cooperativa Sociale Esempio".into(),
            nature: LegalNature::SocialCooperative,
        },
        licence: Licence {
            number: "7/2021".into(),
            date: Some(date!(2021 - 03 - 01)),
            authority: "Comune".into(),
            places: licensed,
        },
        comune,
        referent: "Rita Accoglienza".into(),
        ages: AgeRange { min_months: ages.0 * 12, max_months: ages.1 * 12 + 11 },
        sex: SexPreference::Any,
        equipment: [Equipment::Adolescents].into_iter().collect(),
        languages: vec![],
    });
    input
}

/// The interface's fixture with a shelter in Bergamo (S-003, two places
/// declared yesterday, its operator rita) and a community in Dalmine
/// (S-004, one place declared ten days ago: stale); and a boy of 15 of S-001.
fn network() -> (Fixture, NeedCode) {
    let fx = tui_fixture();
    fx.saved(
        ADMIN,
        Request::ServiceCreate {
            input: shelter("Pronto Intervento La Zattera", ServiceKind::EmergencyShelter, bergamo(), (12, 17), 8),
        },
    );
    fx.saved(
        ADMIN,
        Request::ServiceCreate {
            input: shelter("Comunità Alloggio Il Girasole", ServiceKind::ResidentialCommunity, dalmine(), (6, 17), 10),
        },
    );
    for (service, places, on) in [(3, 2, date!(2026 - 11 - 22)), (4, 1, date!(2026 - 11 - 13))] {
        let input = VacancyInput { places, declared_on: on, note: String::new() };
        fx.saved(CARLA, Request::VacancyDeclare { service: ServiceCode(service), input });
    }
    let input = operator_input("Rita Accoglienza", Role::Reception, Some(ServiceCode(3)));
    fx.saved(ADMIN, Request::OperatorCreate { user: RITA.into(), input });
    let mut boy = need_input();
    boy.identity.birth_date = date!(2011 - 05 - 10);
    let need = fx.create_need(ANNA, boy);
    (fx, need)
}

use banca::api::Request;

#[test]
fn the_directory_screen_lists_every_service_with_its_places_and_flags_a_stale_declaration() {
    let (fx, _) = network();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "8");
    assert_eq!(app.current(), ScreenId::Mappatura);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(line_with(&frame, "S-003").contains("Pronto Intervento La Zattera"), "{frame}");
    assert!(line_with(&frame, "S-003").trim_end_matches('│').trim_end().ends_with('2'), "two places:\n{frame}");
    assert!(line_with(&frame, "S-004").contains("1⚠"), "declared ten days ago:\n{frame}");
    assert!(line_with(&frame, "│S-001").contains("—"), "a foster service has no places:\n{frame}");
    snapshots(&fx.bank, ANNA, "mappatura", |app| press(app, "8"));
    // `s` shows one kind: the shelters only.
    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "8");
    let shelters = ServiceKind::ALL.iter().position(|k| *k == ServiceKind::EmergencyShelter).expect("a kind");
    press(&mut app, &"s".repeat(shelters + 1));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("│S-003") && !frame.contains("│S-004") && !frame.contains("│S-001"), "{frame}");
}

#[test]
fn who_has_a_place_tonight_for_a_boy_of_fifteen_is_one_form_and_one_list() {
    let (fx, _) = network();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "8F15");
    app.key(ctrl_s());
    let frame = draw_to_string(&mut app, 120, 40);
    // Pronto intervento unless changed: the shelter only, with its score; the community is not one.
    assert!(frame.contains("posto per 15 anni · pronto intervento"), "the question is named:\n{frame}");
    assert!(line_with(&frame, "S-003").contains("100"), "{frame}");
    assert!(!frame.contains("S-004") && !frame.contains("│S-001"), "{frame}");
    // Its card says why, criterion by criterion.
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Perché · 1. 100/100"), "{frame}");
    snapshots(&fx.bank, ANNA, "mappatura_tonight", |app| {
        press(app, "8F15");
        app.key(ctrl_s());
    });
}

#[test]
fn the_reception_operator_declares_its_own_vacancies_with_v() {
    let (fx, _) = network();
    let mut app = app(&fx.bank, RITA, Lang::It);
    press(&mut app, "8");
    // The list by code: S-001, S-002, S-003.
    press(&mut app, "jjv");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Posti liberi di S-003"), "{frame}");
    press(&mut app, "3");
    app.key(ctrl_s());
    // Saved: the service's card, with the places as declared now.
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("3 liberi su 8 autorizzati · 0 occupati in banca · dichiarati il 23/11/2026"), "{frame}");
    let Ok(banca::api::Reply::Directory(e)) = fx.handle(
        RITA,
        Request::Directory { filter: banca::api::DirectoryFilter { code: Some(ServiceCode(3)), ..Default::default() } },
    ) else {
        panic!()
    };
    assert_eq!(e[0].places.as_ref().map(|p| (p.free, p.declared_on)), Some((3, Some(NOW.date()))));
    // Another community's row: `v` says whose it is, and no form opens.
    key(&mut app, KeyCode::Esc);
    press(&mut app, "j");
    press(&mut app, "v");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("i posti li dichiara il servizio stesso"), "{frame}");
    assert!(!frame.contains("Posti liberi di S-004"), "{frame}");
}

#[test]
fn matching_shows_families_and_reception_services_apart_or_together() {
    let (fx, need) = network();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "4c");
    press(&mut app, &need.to_string());
    key(&mut app, KeyCode::Enter);
    press(&mut app, "s");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Servizi d'accoglienza con un posto"), "{frame}");
    assert!(frame.contains("S-003") && frame.contains("S-004"), "{frame}");
    assert!(!frame.contains("F-2026-"), "services only:\n{frame}");
    press(&mut app, "s");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Famiglie e servizi candidati"), "{frame}");
    // The residential community in Dalmine (the child's comune) leads; the shelter in Bergamo follows.
    let (community, shelter) = (frame.find("S-004").expect("S-004"), frame.find("S-003").expect("S-003"));
    assert!(community < shelter, "{frame}");
    snapshots(&fx.bank, ANNA, "matching_services", |app| {
        press(app, "4c");
        press(app, &need.to_string());
        key(app, KeyCode::Enter);
        press(app, "ss");
    });
}
