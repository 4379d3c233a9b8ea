//! The Famiglie screen's filters (`F`): the phone call typed in the form,
//! the list the core gives back nearest first with its time slots, free
//! places and km, the request the form sends, and a refusal of the core
//! shown by the field it is about.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use banca::api::{Change, Event, FamilyFilter, FamilySort, Near, Request};
use banca::bank::Bank;
use banca::i18n::Lang;
use banca::model::*;
use banca::tui::{draw_to_string, InProcess, Live, Msg};
use common::tui::{app, frames, key, keys, line_with, press, requests};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::date;

/// Families of S-001: Dalmine (3–10, weekends), Stezzano (0–10, boys,
/// weekends), Bergamo (6–14, weekends; 7 km), Stezzano (girls), Dalmine (weekdays).
fn bank() -> Fixture {
    let fx = fixture();
    let add = |comune: ComuneCode, ages: (u16, u16), sex: SexPreference, slot: TimeSlot| {
        let mut f = family_input();
        f.profile.comune = comune;
        f.profile.status = FamilyStatus::Approved;
        f.profile.approved_on = Some(date!(2025 - 02 - 01));
        f.profile.ages = AgeRange { min_months: ages.0 * 12, max_months: ages.1 * 12 + 11 };
        f.profile.sex_preference = sex;
        f.profile.time_slots = BTreeSet::from([slot]);
        fx.create_family(ANNA, f);
    };
    add(dalmine(), (3, 10), SexPreference::Any, TimeSlot::Weekends);
    add(stezzano(), (0, 10), SexPreference::Male, TimeSlot::Weekends);
    add(bergamo(), (6, 14), SexPreference::Any, TimeSlot::Weekends);
    add(stezzano(), (0, 17), SexPreference::Female, TimeSlot::Weekends);
    add(dalmine(), (0, 17), SexPreference::Any, TimeSlot::Weekdays);
    fx
}

fn ctrl_s() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
}

/// From the dashboard: Famiglie, the filters, and the phone call typed in
/// them (a boy of 6, weekends, a place free, within 5 km of Dalmine,
/// nearest first), not yet applied.
fn type_phone_call(app: &mut InProcess) {
    press(app, "2F6");
    keys(app, KeyCode::Tab, 2);
    key(app, KeyCode::Left); // sex: indifferente → M (the choice wraps)
    key(app, KeyCode::Tab);
    keys(app, KeyCode::Right, 3); // tempo pieno, feriali, pomeriggi, weekend
    press(app, " ");
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab); // the kind: "from the times" (weekends: tempo libero)
    press(app, "1");
    key(app, KeyCode::Tab);
    press(app, "dalmine");
    key(app, KeyCode::Tab);
    press(app, "5");
    key(app, KeyCode::Tab);
    key(app, KeyCode::Right); // order: by distance
}

fn snapshots(bank: &Arc<Bank>, name: &str, keys: impl Fn(&mut InProcess)) {
    for (suffix, frame) in frames(bank, ANNA, keys) {
        insta::assert_snapshot!(format!("{name}_{suffix}"), frame);
    }
}

#[test]
fn the_filters_form_holds_the_phone_call() {
    let fx = bank();
    snapshots(&fx.bank, "filters_form", type_phone_call);
}

#[test]
fn the_list_filtered_shows_the_families_that_fit_nearest_first() {
    let fx = bank();
    snapshots(&fx.bank, "filters_list", |app| {
        type_phone_call(app);
        app.key(ctrl_s());
    });
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    type_phone_call(&mut ui);
    ui.key(ctrl_s());
    let frame = draw_to_string(&mut ui, 80, 24);
    // Dalmine itself, then Stezzano at 3.6 km; nothing else fits.
    assert!(line_with(&frame, "F-2026-0001").contains("Dalmine (BG)"), "{frame}");
    assert!(line_with(&frame, "F-2026-0002").contains("3,6"), "{frame}");
    assert!(!frame.contains("F-2026-0003") && !frame.contains("F-2026-0004"), "{frame}");
    assert!(line_with(&frame, "Famiglie ·").contains("≤5 km da Dalmine ·"), "{frame}");
    // F again: the form shows the filters as applied; emptied and applied, the whole list is back.
    press(&mut ui, "F");
    let form = draw_to_string(&mut ui, 80, 24);
    assert!(line_with(&form, "vicino al comune").contains("Dalmine (BG)"), "{form}");
}

#[test]
fn the_form_sends_the_filters_and_a_refusal_comes_back_by_its_field() {
    let fx = bank();
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    type_phone_call(&mut ui);
    let effects = ui.app.update(Msg::Key(ctrl_s()));
    let expected = FamilyFilter {
        age_months: Some(72),
        sex: Some(Sex::Male),
        // Weekends alone mean tempo libero, as the phone call's `banca available`.
        kind: Some(PlacementKind::Respite),
        time_slots: BTreeSet::from([TimeSlot::Weekends]),
        min_free: Some(1),
        near: Some(Near { comune: dalmine(), km: Some(5) }),
        sort: FamilySort::Distance,
        ..FamilyFilter::default()
    };
    assert_eq!(requests(&effects), vec![Request::FamilyList { filter: expected }]);

    // A presidio the bank does not know: the core refuses, the form opens again with it.
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    press(&mut ui, "2F");
    keys(&mut ui, KeyCode::Tab, 9);
    press(&mut ui, "Atlantide");
    ui.key(ctrl_s());
    let frame = draw_to_string(&mut ui, 80, 24);
    assert!(frame.contains("il presidio «Atlantide» non esiste"), "{frame}");
    assert!(line_with(&frame, "presidio").contains("Atlantide"), "{frame}");
    // Esc: the list as the core last answered it (no filter), not a refused filter asked again.
    key(&mut ui, KeyCode::Esc);
    let frame = draw_to_string(&mut ui, 80, 24);
    assert!(!frame.contains("Atlantide"), "{frame}");
    for code in ["F-2026-0001", "F-2026-0003", "F-2026-0005"] {
        assert!(frame.contains(code), "{code} is listed again:\n{frame}");
    }
}

#[test]
fn a_change_heard_while_filtered_asks_the_list_again_not_the_row() {
    let fx = bank();
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    type_phone_call(&mut ui);
    ui.key(ctrl_s());
    let change = |ui: &mut InProcess, code: FamilyCode, edit: &dyn Fn(&mut FamilyInput)| {
        let (base_revision, mut input) = fx.family_as_input(code);
        edit(&mut input);
        let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision, input });
        ui.live(Live::Changed(Event::Changed(Change {
            kind: RecordKind::Family,
            code: code.to_string(),
            revision: saved.revision,
            by: ANNA.into(),
        })));
    };
    // Bergamo, 7 km away, changes: it stays out of a list within 5 km.
    change(&mut ui, FamilyCode::new(2026, 3), &|f| f.profile.notes = "richiamare".into());
    let frame = draw_to_string(&mut ui, 80, 24);
    assert!(!frame.contains("F-2026-0003"), "{frame}");
    // Stezzano now offers weekdays only: it leaves the list; Dalmine keeps its km.
    change(&mut ui, FamilyCode::new(2026, 2), &|f| f.profile.time_slots = BTreeSet::from([TimeSlot::Weekdays]));
    let frame = draw_to_string(&mut ui, 80, 24);
    assert!(!frame.contains("F-2026-0002"), "{frame}");
    assert!(line_with(&frame, "F-2026-0001").contains("0,0"), "{frame}");
}

#[test]
fn an_age_in_months_stays_in_months_and_two_ages_are_refused() {
    let fx = bank();
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    press(&mut ui, "2F");
    key(&mut ui, KeyCode::Tab);
    press(&mut ui, "30");
    ui.key(ctrl_s());
    let frame = draw_to_string(&mut ui, 80, 24);
    assert!(frame.contains("Famiglie · 30 mesi"), "{frame}");
    // Opened again, the 30 is where it was typed: months, not "2 anni".
    press(&mut ui, "F");
    let frame = draw_to_string(&mut ui, 80, 24);
    assert!(line_with(&frame, "oppure in mesi").contains("30"), "{frame}");
    assert!(!line_with(&frame, "età del minore (anni)").contains('2'), "{frame}");
    // Years and months both: which one is meant is asked, nothing is sent.
    press(&mut ui, "6");
    let effects = ui.app.update(Msg::Key(ctrl_s()));
    assert!(requests(&effects).is_empty(), "{:?}", requests(&effects));
    let frame = draw_to_string(&mut ui, 120, 40);
    assert!(frame.contains("l'età è già in anni: scriverne una sola"), "{frame}");
}
