//! The phone call on the Abbinamento screen: `a` opens a profile typed in
//! place of a need (a boy of 6, weekends, near Dalmine within 5 km), and
//! the candidates come back ranked and explained as for a recorded need,
//! with nothing stored; a profile the core refuses comes back by its field.

mod common;

use std::collections::BTreeSet;

use banca::api::{ChildProfile, ProfileChild, Request, Within};
use banca::i18n::Lang;
use banca::model::*;
use banca::tui::{draw_to_string, InProcess, Msg};
use common::tui::{app, key, keys, press, requests};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::date;

/// Families of S-001, all for 3–10 years: Stezzano (3,6 km from Dalmine,
/// weekends), Bergamo (7 km, weekends), Dalmine (weekdays only).
fn bank() -> Fixture {
    let fx = fixture();
    let add = |comune: ComuneCode, slot: TimeSlot| {
        let mut f = family_input();
        f.profile.comune = comune;
        f.profile.status = FamilyStatus::Approved;
        f.profile.approved_on = Some(date!(2025 - 02 - 01));
        f.profile.kinds = BTreeSet::from([PlacementKind::Respite]);
        f.profile.ages = AgeRange { min_months: 36, max_months: 10 * 12 + 11 };
        f.profile.time_slots = BTreeSet::from([slot]);
        fx.create_family(ANNA, f)
    };
    add(stezzano(), TimeSlot::Weekends);
    add(bergamo(), TimeSlot::Weekends);
    add(dalmine(), TimeSlot::Weekdays);
    fx
}

fn ctrl_s() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
}

/// From the dashboard: Abbinamento, the profile, a boy of 6, weekends,
/// near Dalmine within 5 km. 4 a 6 Tab m Tab → → → Space Tab d a l m Enter Tab 5.
fn type_phone_call(ui: &mut InProcess) {
    press(ui, "4a6");
    key(ui, KeyCode::Tab);
    press(ui, "m");
    key(ui, KeyCode::Tab);
    keys(ui, KeyCode::Right, 3); // tempo pieno, feriali, pomeriggi, weekend
    press(ui, " ");
    key(ui, KeyCode::Tab);
    press(ui, "dalm");
    key(ui, KeyCode::Enter);
    key(ui, KeyCode::Tab);
    press(ui, "5");
}

#[test]
fn the_profile_typed_on_abbinamento_asks_the_core_by_profile() {
    let fx = bank();
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    type_phone_call(&mut ui);
    let effects = ui.app.update(Msg::Key(ctrl_s()));
    let expected = ChildProfile {
        children: vec![ProfileChild { age_months: 72, sex: Some(Sex::Male) }],
        kind: PlacementKind::Respite,
        emergency: false,
        time_slots: BTreeSet::from([TimeSlot::Weekends]),
        special_needs: BTreeSet::new(),
        languages: vec![],
        start: None,
        comune: Some(dalmine()),
        within: Some(Within::Km(5)),
    };
    assert_eq!(requests(&effects), vec![Request::Available { profile: expected, limit: 100 }]);
}

#[test]
fn the_candidates_for_a_profile_are_ranked_and_explained_nothing_stored() {
    let fx = bank();
    for (lang, width, height) in [(Lang::It, 80, 24), (Lang::En, 200, 50)] {
        let mut ui = app(&fx.bank, ANNA, lang);
        type_phone_call(&mut ui);
        ui.key(ctrl_s());
        let frame = draw_to_string(&mut ui, width, height);
        // Stezzano within 5 km and offering weekends; Bergamo is 7 km away, Dalmine weekdays only.
        assert!(frame.contains("F-2026-0001"), "{frame}");
        assert!(!frame.contains("F-2026-0002") && !frame.contains("F-2026-0003"), "{frame}");
        let (head, fits) = match lang {
            Lang::It => ("Profilo · 6 anni M · Dalmine · ≤5 km", "Adatta: 3–10 anni"),
            Lang::En => ("Profile · 6 years M · Dalmine · ≤5 km", "Fits: 3–10 years"),
        };
        assert!(frame.contains(head) && frame.contains(fits), "{frame}");
        assert!(frame.contains("3,6 km") || frame.contains("3.6 km"), "{frame}");
    }
    let open = fx.ok(ANNA, Request::NeedList { filter: Default::default() });
    assert!(format!("{open:?}").contains("items: []"), "nothing was stored: {open:?}");
}

#[test]
fn a_radius_the_core_refuses_comes_back_on_its_field() {
    let fx = bank();
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    type_phone_call(&mut ui);
    press(&mut ui, "000");
    ui.key(ctrl_s());
    let frame = draw_to_string(&mut ui, 120, 40);
    assert!(frame.contains("tra 1 e 1500"), "{frame}");
    assert!(frame.contains("entro km"), "the form is open again: {frame}");
}

#[test]
fn profile_snapshots() {
    let fx = bank();
    for (suffix, frame) in common::tui::frames(&fx.bank, ANNA, type_phone_call) {
        insta::assert_snapshot!(format!("profile_form_{suffix}"), frame);
    }
    for (suffix, frame) in common::tui::frames(&fx.bank, ANNA, |ui| {
        type_phone_call(ui);
        ui.key(ctrl_s());
    }) {
        insta::assert_snapshot!(format!("profile_candidates_{suffix}"), frame);
    }
}

#[test]
fn km_and_a_presidio_together_are_refused_on_the_form_nothing_asked() {
    let fx = bank();
    let mut ui = app(&fx.bank, ANNA, Lang::It);
    type_phone_call(&mut ui);
    key(&mut ui, KeyCode::Tab);
    press(&mut ui, "Zanica");
    let effects = ui.app.update(Msg::Key(ctrl_s()));
    assert!(requests(&effects).is_empty(), "{:?}", requests(&effects));
    let frame = draw_to_string(&mut ui, 120, 40);
    assert!(frame.contains("uno solo fra km, presidio e ambito"), "{frame}");
}
