//! Forms through the real `Bank` core: a family created and changed from
//! the keyboard, dates and comuni as operators type them, the core's
//! refusals next to their fields, unsaved changes kept and asked about, a
//! conflict with another operator's save; and the Richieste screen.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use banca::api::{Reply, Request};
use banca::bank::Bank;
use banca::i18n::Lang;
use banca::model::{
    ClosingReason, FamilyCode, LegalBasis, NeedCode, NeedStatus, ProposalCode, ProposalStatus, Role, TimeSlot,
};
use banca::tui::{draw_to_string, InProcess};
use common::tui::*;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn save(app: &mut InProcess) {
    app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

/// Snapshots of what `keys` lead to, at both sizes and in both languages.
fn snapshots(bank: &Arc<Bank>, user: &str, name: &str, keys: impl Fn(&mut InProcess)) {
    for (suffix, frame) in frames(bank, user, keys) {
        insta::assert_snapshot!(format!("{name}_{suffix}"), frame);
    }
}

// Fields of the family form, in order.
const ADULT_NAME: usize = 0;
const COMUNE: usize = 7;
const TRAINING: usize = 19;
const APPROVED: usize = 20;
const NOTES: usize = 29;

/// From the first field of the form to field `n`.
fn to_field(app: &mut InProcess, n: usize) {
    keys(app, KeyCode::Tab, n);
}

#[test]
fn a_family_is_created_from_the_form_after_a_wrong_date_is_corrected() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2n");
    press(&mut app, "Giulia Nuova");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "1979");
    to_field(&mut app, COMUNE - 1);
    press(&mut app, "dalm");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Dalmine (BG)"), "typing suggests the comune:\n{frame}");
    key(&mut app, KeyCode::Enter);
    to_field(&mut app, TRAINING - COMUNE);
    press(&mut app, "31/02/2026");
    key(&mut app, KeyCode::Tab);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(
        frame.contains("corso di formazione concluso il: «31/02/2026» non è una data valida"),
        "leaving the field names it and the date:\n{frame}"
    );
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Da correggere: corso di formazione concluso il"), "{frame}");
    // Saving took the focus to the field to fix.
    keys(&mut app, KeyCode::Backspace, 10);
    press(&mut app, "15/01/2026");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006 · Invio lo apre"), "{frame}");
    assert!(line_with(&frame, "F-2026-0006").contains("Dalmine"), "selected in the list:\n{frame}");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Giulia Nuova (1979)"), "Enter opens the record:\n{frame}");
    let family = fx.family(ANNA, FamilyCode::new(2026, 6));
    assert_eq!(family.profile.comune, dalmine());
    assert_eq!(family.profile.training_completed_on, Some(time::macros::date!(2026 - 01 - 15)));
}

#[test]
fn the_cores_refusal_shows_next_to_its_field() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::En);
    press(&mut app, "2n");
    press(&mut app, "Giulia Nuova");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "2020");
    to_field(&mut app, COMUNE - 1);
    press(&mut app, "dalm");
    key(&mut app, KeyCode::Enter);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("To fix:"), "{frame}");
    assert!(frame.contains("adult's birth year n. 1:"), "the core's range problem is under the year:\n{frame}");
    assert!(fx.handle(ANNA, Request::FamilyGet { code: FamilyCode::new(2026, 6) }).is_err(), "nothing saved");
}

#[test]
fn a_date_outside_its_window_is_refused_by_the_form_and_a_second_adults_empty_year_is_accepted() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2n");
    press(&mut app, "Giulia Nuova");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "1979");
    key(&mut app, KeyCode::Tab);
    // The second adult named, the year left empty.
    press(&mut app, "Marco Nuovo");
    to_field(&mut app, COMUNE - 2);
    press(&mut app, "dalm");
    key(&mut app, KeyCode::Enter);
    to_field(&mut app, APPROVED - COMUNE);
    press(&mut app, "01/01/1985");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("data di idoneità: deve essere tra 01/01/1990 e oggi"), "{frame}");
    assert!(!frame.contains("anno di nascita dell'adulto n. 2:"), "the empty year is no problem:\n{frame}");
    assert!(fx.handle(ANNA, Request::FamilyGet { code: FamilyCode::new(2026, 6) }).is_err(), "nothing saved");
    keys(&mut app, KeyCode::Backspace, 10);
    press(&mut app, "15/01/2026");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    let family = fx.family(ANNA, FamilyCode::new(2026, 6));
    let adults: Vec<(String, u16)> =
        family.private.expect("its own service").identity.adults.into_iter().map(|a| (a.name, a.birth_year)).collect();
    assert_eq!(adults, vec![("Giulia Nuova".to_string(), 1979), ("Marco Nuovo".to_string(), 0)]);
}

#[test]
fn comune_completes_from_dalm_to_dalmine() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2n");
    to_field(&mut app, COMUNE);
    press(&mut app, "dalm");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    let frame = draw_to_string(&mut app, 80, 24);
    let line = frame.lines().find(|l| l.contains("comune*")).unwrap_or_default().to_string();
    assert!(line.contains("Dalmine (BG)"), "{frame}");
}

#[test]
fn esc_with_unsaved_changes_asks_and_the_form_stays_while_elsewhere() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2n");
    press(&mut app, "Tizio");
    key(&mut app, KeyCode::Esc);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Scartare le modifiche non salvate?"), "{frame}");
    press(&mut app, "n");
    // A choice field has the focus: number keys go to other screens and back.
    to_field(&mut app, 8);
    press(&mut app, "32");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Tizio"), "the typing is still there:\n{frame}");
    app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("modifiche non salvate: uscire comunque?"), "quitting asks too:\n{frame}");
}

#[test]
fn a_conflict_shows_their_changes_and_reapplying_keeps_both() {
    let fx = tui_fixture();
    let code = FamilyCode::new(2026, 1);
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "e");
    // A colleague of the same service saves first.
    let elena = operator_input("Elena Collega", Role::Operator, Some(S1));
    fx.saved(ADMIN, Request::OperatorCreate { user: "elena".into(), input: elena });
    let (revision, mut input) = fx.family_as_input(code);
    input.identity.phone = "035 999 0000".into();
    fx.saved("elena", Request::FamilyUpdate { code, base_revision: revision, input });
    key(&mut app, KeyCode::BackTab);
    press(&mut app, " Disponibili anche a Natale.");
    assert_eq!(NOTES, 29);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Qualcun altro ha salvato"), "{frame}");
    assert!(frame.contains("modificato da elena"), "{frame}");
    assert!(frame.contains("telefono:") && frame.contains("→ 035 999 0000"), "{frame}");
    assert!(frame.contains("Disponibili anche a Natale."), "the typing is kept:\n{frame}");
    press(&mut app, "a");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0001"), "{frame}");
    let family = fx.family(ANNA, code);
    let private = family.private.expect("anna's own family");
    assert_eq!(private.identity.phone, "035 999 0000");
    assert!(private.notes.ends_with("Disponibili anche a Natale."), "{}", private.notes);
}

#[test]
fn another_services_family_cannot_be_edited() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, BRUNO, Lang::It);
    press(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "e");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("solo una famiglia del proprio servizio"), "{frame}");
}

#[test]
fn family_form_snapshots() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "family_form_new", |app| press(app, "2n"));
    snapshots(&fx.bank, ANNA, "family_form_error", |app| {
        press(app, "2n");
        to_field(app, ADULT_NAME + 1);
        press(app, "2020");
        to_field(app, TRAINING - 1);
        press(app, "31/02/2026");
        save(app);
    });
}

#[test]
fn needs_list_and_record_show_the_child_only_to_its_own_service() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "needs_list", |app| press(app, "3"));
    snapshots(&fx.bank, ANNA, "needs_record", |app| {
        press(app, "3");
        key(app, KeyCode::Enter);
    });
    let Reply::Need(own) = fx.ok(ANNA, Request::NeedGet { code: NeedCode::new(2026, 1) }) else { panic!() };
    let name = own.identity.map(|i| i.given_name).unwrap_or_default();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "3");
    let list = draw_to_string(&mut app, 120, 40);
    assert!(list.contains("R-2026-0005") && !list.contains(&name), "no identity in the list:\n{list}");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains(&name), "anna sees the child of her need:\n{frame}");
    let mut app = crate::app(&fx.bank, BRUNO, Lang::It);
    press(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("R-2026-0001") && !frame.contains(&name), "bruno does not:\n{frame}");
    assert!(frame.contains("riservata al servizio titolare"), "{frame}");
}

#[test]
fn a_need_is_created_from_the_form_and_m_opens_its_ranking() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "3n");
    press(&mut app, "Lia");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "Esempio");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "03/04/2019");
    keys(&mut app, KeyCode::Tab, 3);
    press(&mut app, "dalm");
    key(&mut app, KeyCode::Enter);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: R-2026-0006 · Invio lo apre"), "{frame}");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Lia Esempio"), "Enter opens the record:\n{frame}");
    let Reply::Need(need) = fx.ok(ANNA, Request::NeedGet { code: NeedCode::new(2026, 6) }) else { panic!() };
    assert_eq!(need.placement.comune, dalmine());
    press(&mut app, "m");
    assert_eq!(app.current(), banca::tui::ScreenId::Matching);
}

#[test]
fn closing_a_need_from_the_form_says_why_and_withdraws_its_pending_proposal() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, BRUNO, Lang::It);
    // R-2026-0004, bruno's, has P-2026-0001 waiting in S-001's inbox.
    let need = NeedCode::new(2026, 4);
    app.open(&need.to_string());
    press(&mut app, "e");
    // Status (in abbinamento) is field 24: two steps right make it chiusa; then the reason.
    to_field(&mut app, 24);
    keys(&mut app, KeyCode::Right, 2);
    key(&mut app, KeyCode::Tab);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("chiusa"), "{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Da correggere"), "a closed need without its reason is refused:\n{frame}");
    // Field 25, the reason: "—", then affido avviato, altra soluzione, rientro, annullata.
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: R-2026-0004"), "{frame}");
    let closed = fx.need(BRUNO, need);
    assert_eq!(closed.placement.status, NeedStatus::Closed);
    assert_eq!(closed.placement.closing_reason, Some(ClosingReason::Cancelled));
    match fx.ok(CARLA, Request::ProposalGet { code: ProposalCode::new(2026, 1) }) {
        Reply::Proposal(p) => assert_eq!(p.record.status, ProposalStatus::Withdrawn),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_click_on_a_field_puts_the_typing_there() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2n");
    let frame = draw_to_string(&mut app, 80, 24);
    let row = frame.lines().position(|l| l.contains("comune*")).expect("the comune field is on screen") as u16;
    app.mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 40,
        row,
        modifiers: KeyModifiers::NONE,
    });
    press(&mut app, "dalm");
    let frame = draw_to_string(&mut app, 80, 24);
    let line = frame.lines().find(|l| l.contains("comune*")).unwrap_or_default().to_string();
    assert!(line.contains("dalm"), "typed into the clicked field:\n{frame}");
    assert!(frame.contains("Dalmine (BG)"), "{frame}");
}

#[test]
fn the_administrator_names_the_service_and_referent_of_a_new_family() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ADMIN, Lang::It);
    press(&mut app, "2n");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("servizio*") && frame.contains("referente*"), "{frame}");
    // S-002, bruno: then the family's own fields, as an operator's form has them.
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    press(&mut app, "bruno");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "Giulia Nuova");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "1979");
    to_field(&mut app, COMUNE - 1);
    press(&mut app, "dalm");
    key(&mut app, KeyCode::Enter);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    let family = fx.family(ADMIN, FamilyCode::new(2026, 6));
    assert_eq!((family.contact.service, family.contact.referent.as_str()), (S2, "bruno"));
}

// More fields of the family form, in order.
const KINDS: usize = 9;
const MAX_CHILDREN: usize = 13;
const REVIEW: usize = 21;
const SPARE_ROOMS: usize = 28;

/// A new family's form with the first adult and the comune filled in, the
/// focus on the comune.
/// A new need (Lia Esempio, born 03/04/2019, in Dalmine) typed up to its
/// legal basis (field 10), turned to art. 403: left of consensuale; its date is field 13.
fn new_need_up_to_art_403(app: &mut InProcess) {
    press(app, "3n");
    press(app, "Lia");
    key(app, KeyCode::Tab);
    press(app, "Esempio");
    key(app, KeyCode::Tab);
    press(app, "03/04/2019");
    keys(app, KeyCode::Tab, 3);
    press(app, "dalm");
    key(app, KeyCode::Enter);
    to_field(app, 5);
    key(app, KeyCode::Left);
}

fn new_family_up_to_comune(app: &mut InProcess) {
    press(app, "2n");
    press(app, "Giulia Nuova");
    key(app, KeyCode::Tab);
    press(app, "1979");
    to_field(app, COMUNE - 1);
    press(app, "dalm");
    key(app, KeyCode::Enter);
}

#[test]
fn a_digit_typed_into_a_number_field_replaces_what_was_there() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    // Children at once shows 1 and spare rooms 0: typing replaces them.
    to_field(&mut app, MAX_CHILDREN - COMUNE);
    press(&mut app, "3");
    to_field(&mut app, SPARE_ROOMS - MAX_CHILDREN);
    press(&mut app, "2");
    let frame = draw_to_string(&mut app, 120, 40);
    let rooms = line_with(&frame, "stanze libere");
    assert!(rooms.contains(" 2") && !rooms.contains("02"), "{frame}");
    let children = line_with(&frame, "massimo minori accolti");
    assert!(children.contains(" 3") && !children.contains("13"), "{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    let family = fx.family(ANNA, FamilyCode::new(2026, 6));
    assert_eq!((family.profile.max_children, family.profile.household.spare_rooms), (3, 2));
}

#[test]
fn an_optional_number_left_empty_is_no_range_error() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    to_field(&mut app, MAX_CHILDREN - COMUNE);
    // Backspace on a value just entered empties the field.
    key(&mut app, KeyCode::Backspace);
    let frame = draw_to_string(&mut app, 120, 40);
    let children = line_with(&frame, "massimo minori accolti");
    assert!(!children.chars().any(|c| c.is_ascii_digit()), "emptied:\n{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    assert!(!frame.contains("deve essere tra"), "{frame}");
    assert_eq!(fx.family(ANNA, FamilyCode::new(2026, 6)).profile.max_children, 1, "a new family's default");
}

#[test]
fn date_fields_take_oggi_ieri_domani_and_refuse_other_words_naming_the_field() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    to_field(&mut app, TRAINING - COMUNE);
    press(&mut app, "ieri");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "OGGI");
    to_field(&mut app, REVIEW - APPROVED);
    press(&mut app, "dopodomani");
    key(&mut app, KeyCode::Tab);
    let frame = draw_to_string(&mut app, 120, 40);
    // The bank's day is 23/11/2026: the words became dates as the operator left each field.
    assert!(line_with(&frame, "corso di formazione concluso il").contains("22/11/2026"), "{frame}");
    assert!(line_with(&frame, "data di idoneità").contains("23/11/2026"), "{frame}");
    let review = banca::i18n::field_label("profile.review_on", Lang::It);
    assert!(frame.contains(&format!("{review}: «dopodomani» non è una data valida")), "named aloud:\n{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains(&format!("Da correggere: {review}")), "{frame}");
    assert!(fx.handle(ANNA, Request::FamilyGet { code: FamilyCode::new(2026, 6) }).is_err(), "nothing saved");
    // The focus is back on the field: what is typed replaces the word.
    press(&mut app, "domani");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    let p = fx.family(ANNA, FamilyCode::new(2026, 6)).profile;
    assert_eq!(
        (p.training_completed_on, p.approved_on, p.review_on),
        (
            Some(time::macros::date!(2026 - 11 - 22)),
            Some(time::macros::date!(2026 - 11 - 23)),
            Some(time::macros::date!(2026 - 11 - 24))
        )
    );
}

#[test]
fn a_multi_choice_field_shows_every_option_with_its_tick() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::En);
    press(&mut app, "2n");
    to_field(&mut app, KINDS);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Right);
    let frame = draw_to_string(&mut app, 120, 40);
    let labels: Vec<&str> = banca::model::PlacementKind::ALL.iter().map(|k| k.label(Lang::En)).collect();
    assert!(labels.len() > 2, "{labels:?}");
    assert!(frame.contains(&format!("[x] {}", labels[0])), "the first ticked:\n{frame}");
    for label in &labels[1..] {
        assert!(frame.contains(&format!("[ ] {label}")), "{label} shown, not ticked:\n{frame}");
    }
}

#[test]
fn a_need_takes_its_time_slots_and_an_art_403_order_from_the_form() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_need_up_to_art_403(&mut app);
    to_field(&mut app, 3);
    press(&mut app, "21/11/2026");
    // The time slots (16): feriali and pomeriggi ticked.
    to_field(&mut app, 3);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char(' '));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("art. 403 c.c. (collocamento d'urgenza)"), "{frame}");
    assert!(frame.contains("[x] giorni feriali") && frame.contains("[x] pomeriggi"), "{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: R-2026-0006"), "{frame}");
    let need = fx.need(ANNA, NeedCode::new(2026, 6));
    assert_eq!(need.placement.legal, LegalBasis::Art403 { ordered_on: time::macros::date!(2026 - 11 - 21) });
    assert_eq!(need.placement.time_slots, BTreeSet::from([TimeSlot::Weekdays, TimeSlot::Afternoons]));
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("disposto il 21/11/2026") && frame.contains("giorni feriali, pomeriggi"), "{frame}");
}

#[test]
fn a_family_period_ending_before_it_starts_is_refused_on_its_field() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    // Available from (23) and until (24).
    to_field(&mut app, 23 - COMUNE);
    press(&mut app, "01/03/2027");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "28/02/2027");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("non può essere precedente a «disponibile dal»"), "{frame}");
}

#[test]
fn an_art_403_order_without_its_date_is_refused_on_the_form_not_saved_as_today() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    // Its date (three fields on) left empty.
    new_need_up_to_art_403(&mut app);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("obbligatoria con l'art. 403 (la data del provvedimento)"), "{frame}");
    assert!(!frame.contains("Salvato"), "{frame}");
    let unsaved = fx.handle(ANNA, Request::NeedGet { code: NeedCode::new(2026, 6) });
    assert!(unsaved.is_err(), "nothing was saved: {unsaved:?}");
    // The date typed where the form put the cursor: saved with it.
    press(&mut app, "21/11/2026");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: R-2026-0006"), "{frame}");
    let need = fx.need(ANNA, NeedCode::new(2026, 6));
    assert_eq!(need.placement.legal, LegalBasis::Art403 { ordered_on: time::macros::date!(2026 - 11 - 21) });
}
