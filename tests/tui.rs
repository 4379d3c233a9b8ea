//! The interface drawn through the real `Bank` core (no server: the same
//! requests, answered in-process) on the small synthetic bank of
//! `tui_fixture`, snapshotted with insta at 80x24 and 120x40, in Italian and
//! English; and what keys and live changes do to what is shown.

mod common;

use std::sync::Arc;

use banca::api::Request;
use banca::bank::Bank;
use banca::i18n::Lang;
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
fn families_list_and_record() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "families_list", |app| press(app, "2"));
    snapshots(&fx.bank, ANNA, "families_record", |app| {
        press(app, "2");
        key(app, KeyCode::Enter);
    });
}

#[test]
fn help_popup_lists_the_screens_keys_and_the_global_ones() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "help_families", |app| press(app, "2?"));
}

#[test]
fn search_popup_finds_by_surname_and_opens_the_record() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "search_prova", |app| press(app, "/prova"));
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "/prova");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Alba Prova"), "the own service's family is found by name:\n{frame}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Families);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Alba Prova (1980)"), "Enter opens the record:\n{frame}");
}

#[test]
fn another_service_sees_no_identity_in_lists_records_or_search() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, BRUNO, Lang::It);
    press(&mut app, "/prova");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(!frame.contains("Alba"), "{frame}");
    key(&mut app, KeyCode::Esc);
    press(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Identità, contatti, note, animali e figli: riservati"), "{frame}");
}

#[test]
fn confirming_availability_today_is_one_key_and_shows_at_once() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2");
    // Sorted by code: the second family of S-001 is the stale one.
    key(&mut app, KeyCode::Down);
    let before = draw_to_string(&mut app, 120, 40);
    assert!(before.contains("10/01/2025 ⚠"), "{before}");
    press(&mut app, "c");
    let after = draw_to_string(&mut app, 120, 40);
    assert!(after.contains("Disponibilità confermata oggi"), "{after}");
    assert!(after.contains("23/11/2026"), "{after}");
    assert!(!after.contains("⚠"), "{after}");
}

#[test]
fn a_change_by_another_operator_shows_without_a_refresh() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, CARLA, Lang::It);
    press(&mut app, "2");
    let saved = fx.take_step(BRUNO, banca::model::FamilyCode::new(2026, 4), banca::model::StepKind::Suspension);
    app.live(Live::Changed(banca::api::Event::Changed(banca::api::Change {
        kind: banca::api::RecordKind::Family,
        code: saved.code.clone(),
        revision: saved.revision,
        by: BRUNO.into(),
    })));
    let frame = draw_to_string(&mut app, 120, 40);
    let row = frame.lines().find(|l| l.contains(&saved.code)).unwrap_or_default().to_string();
    assert!(row.contains("sospesa"), "{frame}");
}

#[test]
fn a_small_terminal_is_told_so() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::En);
    let frame = draw_to_string(&mut app, 60, 20);
    assert!(frame.contains("Terminal too small"), "{frame}");
}

#[test]
fn esc_then_a_key_typed_fast_through_tmux_is_both_keys() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    // tmux delivers Esc followed at once by "5" as Alt+5.
    app.key(KeyEvent::new(KeyCode::Char('5'), KeyModifiers::ALT));
    assert_eq!(app.current(), ScreenId::Proposals);
    press(&mut app, "2");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("ordine:"), "the Esc closed the record too:\n{frame}");
}

#[test]
fn h_and_l_move_between_panes_like_the_arrows() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    // The dashboard: l moves to the inbox pane, Enter opens the proposal waiting there.
    press(&mut app, "l");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Proposals);
}

#[test]
fn a_click_on_a_tab_opens_its_screen_and_a_click_on_a_row_selects_it() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    let frame = draw_to_string(&mut app, 80, 24);
    let tabs = frame.lines().nth(1).unwrap_or_default();
    let byte = tabs.find("2 F").expect("the tab");
    let column = tabs[..byte].chars().count() as u16;
    let click = |column, row| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    app.mouse(click(column + 1, 1));
    assert_eq!(app.current(), ScreenId::Families);
    let frame = draw_to_string(&mut app, 80, 24);
    let row = frame.lines().position(|l| l.contains("F-2026-0003")).expect("the row") as u16;
    app.mouse(click(20, row));
    app.mouse(click(20, row));
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Elsa Campione"), "a second click opens the record:\n{frame}");
}

#[test]
fn the_filter_follows_a_record_changed_meanwhile() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2fstezz");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("F-2026-0002") && !frame.contains("F-2026-0001"), "{frame}");
    // The family moves to Dalmine: it leaves the filtered list when the change arrives.
    let code = banca::model::FamilyCode::new(2026, 2);
    let (revision, mut input) = fx.family_as_input(code);
    input.profile.comune = dalmine();
    let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: revision, input });
    app.live(Live::Changed(banca::api::Event::Changed(banca::api::Change {
        kind: banca::api::RecordKind::Family,
        code: saved.code,
        revision: saved.revision,
        by: ANNA.into(),
    })));
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(!frame.contains("F-2026-0002"), "{frame}");
}

#[test]
fn a_filter_the_core_does_not_know_is_named_in_the_search_popup() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "/stato:xyz");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("xyz"), "{frame}");
    assert!(!frame.contains("Codice, cognome"), "the sentence takes the hint's place:\n{frame}");
    for _ in 0..10 {
        app.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    press(&mut app, "prova");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Codice, cognome") && frame.contains("Alba Prova"), "{frame}");
}
