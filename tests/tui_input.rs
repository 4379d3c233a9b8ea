//! Typing, pasting and small screens, as operators met them in a trial:
//! a range's bounds replaced by the first digit typed, letters in a number
//! refused aloud, a long paste taken at once, keys doing nothing behind
//! "terminal too small", and status messages that do not outlive what
//! they were about. Through the message loop on the real core.

mod common;

use std::time::Instant;

use banca::api::{Reply, Request};
use banca::i18n::Lang;
use banca::model::{FamilyCode, ProposalCode};
use banca::tui::{draw_to_string, frame_to_string, InProcess, Msg};
use common::tui::*;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

// Fields of the family form, in order (an operator's: no assignment fields).
const COMUNE: usize = 7;
const AGE_MIN: usize = 10;
const MAX_CHILDREN: usize = 13;
const APPROVED: usize = 20;
const NOTES: usize = 29;

/// The value shown on the line of the field labelled `label` (its last word).
fn value(frame: &str, label: &str) -> String {
    let line = line_with(frame, label).trim_end_matches(['│', ' ']);
    line.rsplit(' ').next().unwrap_or_default().trim_end_matches('█').to_string()
}

fn save(app: &mut InProcess) {
    app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

/// A new family's form with the first adult and the comune filled in, the
/// focus on the comune.
fn new_family_up_to_comune(app: &mut InProcess) {
    press(app, "2n");
    press(app, "Giulia Nuova");
    key(app, KeyCode::Tab);
    press(app, "1979");
    keys(app, KeyCode::Tab, COMUNE - 1);
    press(app, "dalm");
    key(app, KeyCode::Enter);
}

#[test]
fn the_first_digit_typed_replaces_an_age_bound() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    keys(&mut app, KeyCode::Tab, AGE_MIN - COMUNE);
    // The defaults are 0 and 17: typed over, they were "03" and "1710".
    press(&mut app, "3");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "10");
    let frame = draw_to_string(&mut app, 120, 40);
    assert_eq!(value(&frame, "età minima"), "3", "{frame}");
    assert_eq!(value(&frame, "età massima"), "10", "{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    let ages = fx.family(ANNA, FamilyCode::new(2026, 6)).profile.ages;
    assert_eq!((ages.min_months, ages.max_months), (36, 131), "3 to 10 years");
}

#[test]
fn a_letter_in_a_number_field_is_refused_aloud() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    keys(&mut app, KeyCode::Tab, MAX_CHILDREN - COMUNE);
    press(&mut app, "19a");
    let frame = draw_to_string(&mut app, 120, 40);
    assert_eq!(value(&frame, "massimo minori accolti"), "19", "the letter is not kept:\n{frame}");
    assert!(
        frame.contains("massimo minori accolti: «a» non è una cifra: qui solo numeri"),
        "the field says why:\n{frame}"
    );
    // The next digit goes on, and what was said about the letter goes.
    press(&mut app, "8");
    let frame = draw_to_string(&mut app, 120, 40);
    assert_eq!(value(&frame, "massimo minori accolti"), "198", "{frame}");
    assert!(!frame.contains("non è una cifra"), "{frame}");
}

#[test]
fn a_long_paste_is_taken_at_once_on_one_line_up_to_the_longest_note() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    keys(&mut app, KeyCode::Tab, NOTES - COMUNE);
    let pasted = format!("{}\r\n{}", "a".repeat(2000), "b".repeat(4000));
    let started = Instant::now();
    app.update(Msg::Paste(pasted));
    draw_to_string(&mut app, 80, 24);
    assert!(started.elapsed().as_secs() < 2, "a paste is one message: {:?}", started.elapsed());
    // Tab right after the paste reaches the next field.
    key(&mut app, KeyCode::BackTab);
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    let notes = fx.family(ANNA, FamilyCode::new(2026, 6)).private.expect("her own family").notes;
    assert_eq!(notes.chars().count(), 4000, "no more than a note keeps");
    assert_eq!(&notes[1998..2004], "aa  bb", "the line break became spaces");

    // Pasted into a number: the digits are kept, the rest refused aloud.
    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    keys(&mut app, KeyCode::Tab, MAX_CHILDREN - COMUNE);
    app.update(Msg::Paste("4 bambini".into()));
    let frame = draw_to_string(&mut app, 120, 40);
    assert_eq!(value(&frame, "massimo minori accolti"), "4", "replaces the default 1:\n{frame}");
    assert!(frame.contains("«"), "{frame}");
    assert!(frame.contains("non è una cifra: qui solo numeri"), "{frame}");
}

#[test]
fn a_paste_reaches_a_placements_review_note() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "6v");
    key(&mut app, KeyCode::Tab);
    app.update(Msg::Paste("inserimento\nsereno".into()));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(line_with(&frame, "Verifica").contains("A-2026-0001"), "{frame}");
    assert!(frame.contains("inserimento sereno"), "{frame}");
}

#[test]
fn a_review_note_pasted_longer_than_it_keeps_says_so_on_its_line() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "6v");
    key(&mut app, KeyCode::Tab);
    app.update(Msg::Paste("r".repeat(6000)));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(
        frame.contains("✗ esito della verifica: incollati 4 000 caratteri su 6 000: il resto non entra"),
        "{frame}"
    );
    // What fits goes in whole: the next edit takes the notice away.
    key(&mut app, KeyCode::Backspace);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(!frame.contains("il resto non entra"), "{frame}");
}

#[test]
fn a_paste_too_long_for_a_step_note_is_cut_at_the_cores_limit_aloud() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "5j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "a");
    app.update(Msg::Paste("n".repeat(6000)));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Accettare P-2026-0001?"), "{frame}");
    assert!(frame.contains("incollati 2 000 caratteri su 6 000: il resto non entra"), "{frame}");
    // Typing on at the limit is refused aloud too.
    press(&mut app, "x");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("al massimo 2 000 caratteri: il resto non entra"), "{frame}");
    // Accepted with the 2 000 characters kept, not refused by the core.
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(!frame.contains("Accettare P-2026-0001?"), "sent and closed:\n{frame}");
    let Reply::Proposal(p) = fx.ok(ANNA, Request::ProposalGet { code: ProposalCode::new(2026, 1) }) else {
        panic!("proposal")
    };
    assert_eq!(p.record.steps.last().expect("a step").note, "n".repeat(2000));
}

#[test]
fn a_paste_reaches_the_note_of_an_accept() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "5j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "a");
    app.update(Msg::Paste("colloquio\nfissato".into()));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Accettare P-2026-0001?"), "{frame}");
    assert!(frame.contains("colloquio fissato"), "{frame}");
}

#[test]
fn a_paste_outside_a_text_entry_does_nothing() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2");
    let before = draw_to_string(&mut app, 80, 24);
    // Not taken as keys: "n" would open a form, "q" quit.
    app.update(Msg::Paste("nq".into()));
    assert!(!app.should_quit());
    assert_eq!(draw_to_string(&mut app, 80, 24), before);
}

#[test]
fn behind_terminal_too_small_only_quitting_acts() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "2n");
    press(&mut app, "Anna");
    let frame = draw_to_string(&mut app, 60, 20);
    assert!(frame.contains("Terminale troppo piccolo"), "{frame}");
    press(&mut app, " Jr");
    key(&mut app, KeyCode::Esc);
    press(&mut app, "1");
    app.update(Msg::Paste("Bassi".into()));
    let frame = draw_to_string(&mut app, 80, 24);
    assert_eq!(value(&frame, "nome dell'adulto n. 1"), "Anna", "nothing reached the form:\n{frame}");
    // Small again: q asks about the unsaved form, on the small screen, and s quits.
    draw_to_string(&mut app, 60, 20);
    press(&mut app, "q");
    let frame = frame_to_string(&app, 60, 20);
    assert!(frame.contains("non salvate"), "{frame}");
    press(&mut app, "s");
    assert!(app.should_quit());
}

#[test]
fn opening_a_form_clears_saved_and_to_fix_goes_once_the_field_is_fixed() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    new_family_up_to_comune(&mut app);
    keys(&mut app, KeyCode::Tab, APPROVED - COMUNE);
    press(&mut app, "31/02/2026");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Da correggere: data di idoneità"), "{frame}");
    // Saving took the focus there: typing replaces the wrong date.
    press(&mut app, "15/01/2026");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(!frame.contains("Da correggere"), "fixed, no longer said:\n{frame}");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0006"), "{frame}");
    press(&mut app, "n");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("nome dell'adulto n. 1"), "a new form:\n{frame}");
    assert!(!frame.contains("Salvato"), "the old notice went:\n{frame}");
}

/// Figures for docs/performance.md: a 6 000-character paste, and a burst
/// of 6 000 keys (what a paste was without bracketed paste), drawn one
/// frame per key or one frame for the burst.
/// `cargo test --test tui_input -- --ignored --nocapture paste_figures`
#[test]
#[ignore]
fn paste_figures() {
    let fx = tui_fixture();
    let into_notes = |app: &mut InProcess| {
        new_family_up_to_comune(app);
        keys(app, KeyCode::Tab, NOTES - COMUNE);
    };
    let text = "x".repeat(6000);

    let mut app = app(&fx.bank, ANNA, Lang::It);
    into_notes(&mut app);
    let started = Instant::now();
    for c in text.chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        frame_to_string(&app, 80, 24);
    }
    println!("6000 keys, one frame each: {:?}", started.elapsed());

    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    into_notes(&mut app);
    let started = Instant::now();
    for c in text.chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    frame_to_string(&app, 80, 24);
    println!("6000 keys, one frame: {:?}", started.elapsed());

    let mut app = self::app(&fx.bank, ANNA, Lang::It);
    into_notes(&mut app);
    let started = Instant::now();
    app.update(Msg::Paste(text.clone()));
    frame_to_string(&app, 80, 24);
    println!("one 6000-character paste, one frame: {:?}", started.elapsed());
}
