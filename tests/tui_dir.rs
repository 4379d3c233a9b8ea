//! Cruscotto, Servizi and Registro drawn through the real `Bank` core on
//! the small synthetic bank of `tui_fixture`: what an operator sees first,
//! the directory and "who covers" a comune, the audit log and who may read it.

mod common;

use std::sync::Arc;

use banca::api::Request;
use banca::bank::Bank;
use banca::i18n::Lang;
use banca::model::FamilyCode;
use banca::tui::{draw_to_string, InProcess, Live, ScreenId};
use common::tui::*;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Snapshots of what `keys` lead to, at both sizes and in both languages.
fn snapshots(bank: &Arc<Bank>, user: &str, name: &str, keys: impl Fn(&mut InProcess)) {
    for (suffix, frame) in frames(bank, user, keys) {
        insta::assert_snapshot!(format!("{name}_{suffix}"), frame);
    }
}

#[test]
fn the_dashboard_shows_what_needs_attention_first() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    assert_eq!(app.current(), ScreenId::Dashboard);
    let frame = draw_to_string(&mut app, 80, 24);
    // The emergency comes first in the needs pane, with its date.
    let needs_top = frame.find("R-2026-0002").expect("the emergency is shown");
    let ordinary = frame.find("R-2026-0003").expect("the ordinary need is shown");
    assert!(needs_top < ordinary, "{frame}");
    assert!(line_with(&frame, "R-2026-0002").contains("entro"), "{frame}");
    assert!(frame.contains("P-2026-0001"), "bruno's proposal waits in anna's inbox:\n{frame}");
    assert!(line_with(&frame, "A-2026-0001").contains("30/11/2026"), "the review due this month:\n{frame}");
    assert!(frame.contains("F-2026-0002"), "the stale profile:\n{frame}");
    snapshots(&fx.bank, ANNA, "dashboard", |_| {});
}

#[test]
fn enter_on_a_dashboard_item_opens_its_record() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    // The first pane (needs): the emergency.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Needs);
    // Tab to the inbox: the proposal.
    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Proposals);
    // Shift-Tab from the needs wraps to the stale profiles: a family.
    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    app.key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Families);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("F-2026-0002"), "{frame}");
}

#[test]
fn a_profile_confirmed_elsewhere_leaves_the_stale_pane() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    let before = draw_to_string(&mut app, 120, 40);
    assert!(before.contains("F-2026-0002"), "{before}");
    let code = FamilyCode::new(2026, 2);
    let (revision, mut input) = fx.family_as_input(code);
    input.profile.confirmed_on = Some(NOW.date());
    let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: revision, input });
    app.live(Live::Changed(banca::api::Event::Changed(banca::api::Change {
        kind: banca::api::RecordKind::Family,
        code: saved.code.clone(),
        revision: saved.revision,
        by: ANNA.into(),
    })));
    let after = draw_to_string(&mut app, 120, 40);
    assert!(line_with(&after, "Profili da riconfermare").contains("(0)"), "{after}");
}

#[test]
fn the_coordination_sees_the_whole_province() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, CARLA, Lang::It);
    let frame = draw_to_string(&mut app, 120, 40);
    // The role says where the coordination stands, once (no service, no "coordinamento" twice).
    assert!(frame.lines().next().is_some_and(|top| top.contains("(carla) · coordinamento provinciale · ")), "{frame}");
    assert_eq!(frame.lines().next().unwrap_or_default().matches("coordinamento").count(), 1, "{frame}");
    assert!(frame.contains("R-2026-0004") || frame.contains("R-2026-0005"), "other services' needs too:\n{frame}");
}

#[test]
fn the_directory_lists_services_and_finds_who_covers_a_comune() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "7");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains(S1_NAME) && frame.contains(S2_NAME), "{frame}");
    press(&mut app, "cdalm");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Dalmine (BG)"), "the comune is suggested:\n{frame}");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Chi copre Dalmine (BG)"), "{frame}");
    assert!(line_with(&frame, "Ambito:").contains("Dalmine"), "{frame}");
    assert!(frame.contains("S-001"), "{frame}");
    assert!(!frame.contains("S-002"), "Bergamo's service does not cover Dalmine:\n{frame}");
    // The same by its ISTAT code, as `open` gets it.
    let mut app = self::app(&fx.bank, ANNA, Lang::En);
    app.open("016091");
    assert_eq!(app.current(), ScreenId::Services);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Who covers Dalmine (BG)"), "{frame}");
    snapshots(&fx.bank, ANNA, "services_list", |app| press(app, "7"));
    snapshots(&fx.bank, ANNA, "services_who_covers", |app| {
        press(app, "7cdalmine");
        key(app, KeyCode::Enter);
    });
}

#[test]
fn the_audit_log_is_for_the_coordination_and_administrators() {
    let fx = tui_fixture();
    for user in [CARLA, ADMIN] {
        let mut app = app(&fx.bank, user, Lang::It);
        press(&mut app, "0");
        let frame = draw_to_string(&mut app, 120, 40);
        assert!(frame.contains("F-2026-0001"), "{user} sees the entries:\n{frame}");
        press(&mut app, "v");
        let frame = draw_to_string(&mut app, 120, 40);
        assert!(frame.contains("Registro integro"), "{frame}");
    }
    let mut app = self::app(&fx.bank, CARLA, Lang::It);
    press(&mut app, "0fP-2026-0001");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("P-2026-0001") && !frame.contains("F-2026-0003"), "filtered by record:\n{frame}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Proposals);

    // An operator is not offered the Registro: no tab, and 0 opens nothing.
    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("9 Inco") && !frame.contains("Registro") && !frame.contains("0 Reg"), "{frame}");
    assert!(frame.contains("1-9"), "the help bar counts the screens offered:\n{frame}");
    press(&mut app, "0");
    assert_eq!(app.current(), ScreenId::Dashboard);
    press(&mut app, "7");
    assert_eq!(app.current(), ScreenId::Services);
    snapshots(&fx.bank, CARLA, "audit", |app| press(app, "0"));
}

#[test]
fn a_need_with_a_proposal_under_way_still_waits_on_the_dashboard() {
    let fx = tui_fixture();
    // R-2026-0004 is in abbinamento (P-2026-0001 waits in S-001's inbox); R-2026-0005 is open.
    let mut app = app(&fx.bank, BRUNO, Lang::It);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("R-2026-0004") && frame.contains("R-2026-0005"), "{frame}");
    assert!(line_with(&frame, "Richieste aperte").contains("(2)"), "{frame}");
}

/// Anna's needs on 25/11/2026: R-1 ordinary, R-2 entered with the kind
/// "pronto intervento" only, R-3 by 24/11/2026 (passed), R-4 by 30/11/2026.
fn emergencies_bank() -> Fixture {
    let clock = StepClock::new(NOW);
    let fx = fixture_with_clock(clock.clone());
    fx.create_need(ANNA, need_input());
    let mut kind = need_input();
    kind.placement.kind = banca::model::PlacementKind::Emergency;
    fx.create_need(ANNA, kind);
    for by in [time::macros::date!(2026 - 11 - 24), time::macros::date!(2026 - 11 - 30)] {
        let mut urgent = need_input();
        urgent.placement.urgency = banca::model::Urgency::Emergency { needed_by: by };
        fx.create_need(ANNA, urgent);
    }
    clock.advance(time::Duration::days(2));
    fx
}

#[test]
fn every_emergency_is_marked_and_a_deadline_passed_reads_overdue() {
    let fx = emergencies_bank();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    let frame = draw_to_string(&mut app, 80, 24);
    // The dashboard: the three emergencies first, by deadline, each marked; the one passed says so.
    let order: Vec<usize> = ["R-2026-0003", "R-2026-0004", "R-2026-0002", "R-2026-0001"]
        .iter()
        .map(|c| frame.find(c).unwrap_or_else(|| panic!("{c} shown:\n{frame}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{frame}");
    assert!(line_with(&frame, "R-2026-0003").contains("R-2026-0003 ⚠ scaduta 24/11/2026"), "{frame}");
    assert!(line_with(&frame, "R-2026-0004").contains("R-2026-0004 ⚠ entro 30/11/2026"), "{frame}");
    assert!(line_with(&frame, "R-2026-0002").contains("R-2026-0002 ⚠ PI, 7 anni"), "{frame}");
    assert!(!line_with(&frame, "R-2026-0001").contains('⚠'), "{frame}");
    snapshots(&fx.bank, ANNA, "dashboard_emergencies", |_| {});
    // The needs list, ordered by urgency (o, once), and the overdue need's card.
    snapshots(&fx.bank, ANNA, "needs_emergencies", |app| press(app, "3o"));
    let mut app = crate::app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "3o");
    // The selection stays on the record it was on (R-1, now last): to the top, the overdue one.
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Enter);
    let card = draw_to_string(&mut app, 80, 24);
    assert!(line_with(&card, "Urgenza").contains("pronto intervento entro il 24/11/2026 · scaduta"), "{card}");
}
