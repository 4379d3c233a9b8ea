//! The pathway in the interface, on the real core: a new enquiry in one
//! short form (`i` on Famiglie), the next step offered by name (`p` on the
//! card) and a refusal next to its field, a support log entry (`d`), what
//! is due on the dashboard with the overdue marked, and a contact note
//! that leaves the planned review due. Today is 23/11/2026.

mod common;

use banca::api::Reply;
use banca::i18n::Lang;
use banca::model::{FamilyCode, FamilyStatus, ReviewKind};
use banca::tui::{draw_to_string, InProcess};
use common::tui::*;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn save(app: &mut InProcess) {
    app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

/// The keystrokes of a new enquiry from the dashboard, counted as a user
/// would type them (each character one key).
#[test]
fn a_new_enquiry_is_one_short_form_and_its_card_says_what_is_not_yet_known() {
    let fx = fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "2i");
    let frame = draw_to_string(&mut anna, 80, 24);
    assert!(frame.contains("Primo contatto: solo ciò che si sa"), "{frame}");
    for field in ["chi ha chiamato", "telefono", "comune", "come è arrivata", "data del primo contatto"] {
        assert!(frame.contains(field), "{field} in sight at 80x24:\n{frame}");
    }
    // Name, Tab Tab, phone, Tab Tab, comune, Ctrl-S.
    press(&mut anna, "Anna Rota");
    keys(&mut anna, KeyCode::Tab, 2);
    press(&mut anna, "035 555 0101");
    keys(&mut anna, KeyCode::Tab, 2);
    press(&mut anna, "Dalmine");
    save(&mut anna);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Salvato: F-2026-0001"), "{frame}");
    let family = fx.family(ANNA, FamilyCode::new(2026, 1));
    assert_eq!(family.profile.status, FamilyStatus::Enquiring);
    assert!(!family.profile.availability_known);
    assert_eq!(family.private.unwrap().identity.phone, "035 555 0101");

    key(&mut anna, KeyCode::Enter);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "Tipi di affido").contains("non ancora noto"), "{frame}");
    assert!(frame.contains("Percorso"), "{frame}");
    assert!(line_with(&frame, "primo contatto").contains("Anna Operatrice"), "{frame}");
    assert!(
        line_with(&frame, "Prossimi passi").contains("incontro informativo (informazione)"),
        "the next step by name:\n{frame}"
    );
}

#[test]
fn the_step_form_offers_the_next_steps_by_name_and_a_refusal_comes_back_by_its_field() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "2");
    key(&mut anna, KeyCode::Enter);
    press(&mut anna, "p");
    let frame = draw_to_string(&mut anna, 80, 24);
    assert!(frame.contains(&format!("Passo del percorso di {code}")), "{frame}");
    assert!(
        line_with(&frame, "passo").contains("incontro informativo (informazione)"),
        "the expected one first:\n{frame}"
    );
    // The start of the assessment (third choice), without its assessors.
    keys(&mut anna, KeyCode::Right, 2);
    let frame = draw_to_string(&mut anna, 80, 24);
    assert!(line_with(&frame, "passo").contains("avvio della valutazione"), "{frame}");
    save(&mut anna);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("✗ assistente sociale valutatore: obbligatorio"), "{frame}");
    // The focus is on the field to fix: named, and saved, the card says
    // where the family is now.
    press(&mut anna, "Rita Rota");
    key(&mut anna, KeyCode::Tab);
    press(&mut anna, "Marco Bassi");
    save(&mut anna);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains(&format!("Salvato: {code}")), "{frame}");
    assert_eq!(fx.family(ANNA, code).profile.status, FamilyStatus::UnderAssessment);
    assert!(line_with(&frame, "Prossimo passo").contains("colloquio di valutazione (colloquio)"), "{frame}");
    assert!(frame.contains("Rita Rota (assistente sociale), Marco Bassi (psicologo/a)"), "{frame}");
    // Another service's operator sees the family, not its pathway, and no `p`.
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    press(&mut bruno, "2");
    key(&mut bruno, KeyCode::Enter);
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(!frame.contains("Percorso") && !frame.contains("p passo"), "{frame}");
}

#[test]
fn a_support_log_entry_is_kept_with_the_family_and_shown_to_its_service() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "2");
    key(&mut anna, KeyCode::Enter);
    press(&mut anna, "d");
    assert!(draw_to_string(&mut anna, 80, 24).contains(&format!("Diario di sostegno di {code}")));
    keys(&mut anna, KeyCode::Tab, 2);
    press(&mut anna, "Telefonata: tutto bene con la scuola.");
    save(&mut anna);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains(&format!("Salvato: {code}")), "{frame}");
    let log = fx.family(ANNA, code).support.unwrap();
    assert_eq!((log.len(), log[0].note.as_str()), (1, "Telefonata: tutto bene con la scuola."));
    // At the end of the card, under the pathway.
    let frame = draw_to_string(&mut anna, 120, 60);
    assert!(frame.contains("Diario di sostegno"), "{frame}");
    assert!(frame.contains("Telefonata: tutto bene con la scuola."), "{frame}");
}

#[test]
fn the_dashboard_lists_what_is_due_this_month_overdue_first_and_marked() {
    let fx = tui_fixture();
    // A-2026-0001's review is planned on 30/11 (this month); an enquiry of
    // 01/10 with no step since is overdue a call (12/11).
    let input = enquiry_of("Lia Verdi", time::macros::date!(2026 - 10 - 01));
    let idle = fx.saved(ANNA, banca::api::Request::FamilyEnquiry { input }).code;
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Scadenze del mese"), "{frame}");
    let idle_line = line_with(&frame, &idle);
    assert!(idle_line.contains("⚠ 12/11/2026 percorso fermo"), "{frame}");
    let review = line_with(&frame, "A-2026-0001 30/11/2026");
    assert!(review.contains("verifica prevista") && !review.contains('⚠'), "{frame}");
    let at = |needle: &str| frame.find(needle).unwrap();
    assert!(at(&idle) < at("A-2026-0001 30/11/2026"), "overdue first:\n{frame}");
}

#[test]
fn a_contact_note_from_the_review_form_leaves_the_planned_review_due() {
    let fx = tui_fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "6v");
    let frame = draw_to_string(&mut anna, 80, 24);
    assert!(line_with(&frame, "tipo (verifica o contatto)").contains("verifica"), "formal unless told:\n{frame}");
    // Date as offered, Tab, the note, Tab, → contact note, Ctrl-S.
    key(&mut anna, KeyCode::Tab);
    press(&mut anna, "telefonata con la famiglia");
    key(&mut anna, KeyCode::Tab);
    key(&mut anna, KeyCode::Right);
    save(&mut anna);
    let Reply::Placement(p) =
        fx.ok(ANNA, banca::api::Request::PlacementGet { code: banca::model::PlacementCode::new(2026, 1) })
    else {
        panic!()
    };
    assert_eq!(p.record.reviews.last().map(|r| r.kind), Some(ReviewKind::Contact));
    assert_eq!(p.record.next_review(), Some(time::macros::date!(2026 - 11 - 30)), "still due");
    key(&mut anna, KeyCode::Enter);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "nota di contatto").contains("anna"), "{frame}");
    assert!(line_with(&frame, "Verifiche previste").contains("30/11/2026 (prossima)"), "{frame}");
}

#[test]
fn an_extension_and_a_court_report_are_forms_on_the_placement_card() {
    let fx = tui_fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "6");
    key(&mut anna, KeyCode::Enter);
    press(&mut anna, "p");
    let frame = draw_to_string(&mut anna, 80, 24);
    assert!(frame.contains("Proroga di A-2026-0001"), "{frame}");
    // The new end, the court (the first choice), decided today.
    press(&mut anna, "31/10/2029");
    save(&mut anna);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Proroga registrata: A-2026-0001"), "{frame}");
    press(&mut anna, "t");
    press(&mut anna, "15/12/2026");
    save(&mut anna);
    let frame = draw_to_string(&mut anna, 120, 60);
    assert!(frame.contains("Relazione al Tribunale registrata: A-2026-0001"), "{frame}");
    assert!(line_with(&frame, "Proroghe").contains("Proroghe"), "{frame}");
    assert!(line_with(&frame, "fino al 31/10/2029").contains("Tribunale per i minorenni"), "{frame}");
    assert!(line_with(&frame, "entro il 15/12/2026").contains("da inviare"), "{frame}");
    // The family's service (Bruno's) reviews, but neither extends nor reports to the court.
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    press(&mut bruno, "6");
    key(&mut bruno, KeyCode::Enter);
    press(&mut bruno, "p");
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("p: A-2026-0001"), "refused at once:\n{frame}");
}

#[test]
fn the_events_screen_lists_the_network_s_events_with_their_count() {
    let fx = fixture();
    let input = banca::model::EventInput {
        kind: banca::model::EventKind::InformationEvening,
        title: "Serata affido".into(),
        association: String::new(),
        date: time::macros::date!(2026 - 11 - 12),
        until: None,
        comune: dalmine(),
        place: "Sala civica".into(),
        notes: String::new(),
    };
    fx.saved(ANNA, banca::api::Request::EventCreate { input });
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    press(&mut bruno, "9");
    let frame = draw_to_string(&mut bruno, 80, 24);
    assert!(line_with(&frame, "E-2026-0001").contains("Serata affido"), "{frame}");
    key(&mut bruno, KeyCode::Enter);
    let frame = draw_to_string(&mut bruno, 80, 24);
    assert!(line_with(&frame, "Organizzato da").contains("S-001"), "{frame}");
    assert!(line_with(&frame, "Famiglie presenti").contains('0'), "{frame}");
    // Another service's event is not Bruno's to change.
    assert!(!frame.contains("e modifica"), "{frame}");
}

#[test]
fn the_full_form_of_a_first_contact_starts_what_it_offers_empty_and_a_new_phone_keeps_it_unknown() {
    let fx = fixture();
    let input = enquiry_of("Lia Verdi", time::macros::date!(2026 - 11 - 20));
    let code = FamilyCode::parse(&fx.saved(ANNA, banca::api::Request::FamilyEnquiry { input }).code).unwrap();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "2");
    key(&mut anna, KeyCode::Enter);
    press(&mut anna, "e");
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "età minima").trim_end_matches('│').trim_end().ends_with('·'), "{frame}");
    assert!(line_with(&frame, "massimo minori accolti").trim_end_matches('│').trim_end().ends_with('·'), "{frame}");
    // The phone (sixth field) corrected and saved: still "not yet known".
    keys(&mut anna, KeyCode::Tab, 5);
    keys(&mut anna, KeyCode::Backspace, 12);
    press(&mut anna, "035 555 0202");
    save(&mut anna);
    let view = fx.family(ANNA, code);
    assert_eq!(view.private.unwrap().identity.phone, "035 555 0202");
    assert!(!view.profile.availability_known);
}
