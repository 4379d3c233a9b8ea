//! Abbinamento, Proposte and Affidi drawn through the real `Bank` core on
//! the synthetic bank of `tui_fixture`: candidates and their explanation,
//! "why not", proposing, answering a proposal, starting and closing a
//! placement; snapshots at 80x24 and 120x40, in Italian and English.

mod common;

use std::sync::Arc;

use banca::api::{ProposalFilter, Reply, Request};
use banca::bank::Bank;
use banca::i18n::Lang;
use banca::model::{ProposalCode, ProposalStatus};
use banca::tui::{draw_to_string, InProcess, Live, ScreenId};
use common::tui::*;
use common::*;
use ratatui::crossterm::event::KeyCode;

/// Snapshots of what `keys` lead to, at both sizes and in both languages.
fn snapshots(bank: &Arc<Bank>, user: &str, name: &str, keys: impl Fn(&mut InProcess)) {
    for (suffix, frame) in frames(bank, user, keys) {
        insta::assert_snapshot!(format!("{name}_{suffix}"), frame);
    }
}

/// Abbinamento opened on a code typed with `c`.
fn matching(app: &mut InProcess, code: &str) {
    press(app, "4c");
    press(app, code);
    key(app, KeyCode::Enter);
}

#[test]
fn matching_shows_candidates_explains_them_answers_why_not_and_proposes() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "4");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("premi m") && frame.contains("premi c"), "an empty screen says how to get here:\n{frame}");

    matching(&mut app, "R-2026-0003");
    assert_eq!(app.current(), ScreenId::Matching);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(line_with(&frame, "F-2026-0001").contains("86"), "ranked with its score:\n{frame}");
    assert!(frame.contains("+ 35/35 distanza dal bambino"), "signed criteria:\n{frame}");
    assert!(frame.contains("-  5/18 esperienza"), "a criterion that lowers the score:\n{frame}");
    assert!(frame.contains("non idonea o sospesa  2"), "excluded by hard rule:\n{frame}");

    // Why not the family still under assessment?
    press(&mut app, "w2026-0003");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("F-2026-0003 non è candidata"), "{frame}");
    assert!(frame.to_lowercase().contains("idone"), "the failed rule is named:\n{frame}");

    // Propose the highlighted family, with a note.
    press(&mut app, "pvicina a scuola");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Proposta creata: P-2026-0004 (F-2026-0001 → R-2026-0003) · Invio la apre"), "{frame}");
    assert!(line_with(&frame, "F-2026-0001").contains('▸'), "the list shows it proposed:\n{frame}");
    let need = banca::model::NeedCode::parse("R-2026-0003");
    let filter = ProposalFilter { need, ..ProposalFilter::default() };
    let Reply::Proposals(list) = fx.ok(ANNA, Request::ProposalList { filter }) else { panic!("proposals") };
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].record.host_code(), "F-2026-0001");
    assert_eq!(list[0].record.steps[0].note, "vicina a scuola");

    // Enter right after opens what was created; afterwards, the highlighted family's record.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Proposals);
    assert!(draw_to_string(&mut app, 120, 40).contains("Proposte P-2026-0004"));
    press(&mut app, "4");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.current(), ScreenId::Families);
}

#[test]
fn a_family_code_lists_the_needs_it_could_serve() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::En);
    matching(&mut app, "F-2026-0001");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Fitting needs"), "{frame}");
    assert!(frame.contains("R-2026-0003"), "{frame}");
    assert!(frame.contains("Open needs considered"), "{frame}");
}

#[test]
fn matching_snapshots() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "matching_need", |app| matching(app, "R-2026-0003"));
    snapshots(&fx.bank, ANNA, "matching_why_not", |app| {
        matching(app, "R-2026-0003");
        press(app, "w2026-0005");
        key(app, KeyCode::Enter);
    });
}

#[test]
fn bruno_sees_his_inbox_and_outbox() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, BRUNO, Lang::It);
    press(&mut app, "5");
    let inbox = draw_to_string(&mut app, 120, 40);
    assert!(inbox.contains("P-2026-0002") && !inbox.contains("P-2026-0001"), "{inbox}");
    assert!(line_with(&inbox, "P-2026-0002").contains("avviata"), "{inbox}");
    press(&mut app, "u");
    let outbox = draw_to_string(&mut app, 120, 40);
    assert!(outbox.contains("P-2026-0001") && outbox.contains("P-2026-0003"), "{outbox}");
    assert!(!outbox.contains("P-2026-0002"), "{outbox}");
    key(&mut app, KeyCode::Tab);
    assert!(draw_to_string(&mut app, 120, 40).contains("P-2026-0002"), "Tab goes back to the inbox");
}

#[test]
fn proposal_snapshots() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "proposals_inbox", |app| press(app, "5"));
    snapshots(&fx.bank, ANNA, "proposal_detail", |app| {
        press(app, "5j");
        key(app, KeyCode::Enter);
    });
}

#[test]
fn anna_accepts_and_bruno_starts_the_placement() {
    let fx = tui_fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "5");
    // Newest first: P-0003 (declined), then P-0001.
    press(&mut anna, "j");
    key(&mut anna, KeyCode::Enter);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("P-2026-0001  proposta"), "{frame}");
    assert!(frame.contains(" a accetta") && frame.contains(" d rifiuta"), "her side's steps:\n{frame}");
    assert!(!frame.contains(" w ritira"), "not the other side's:\n{frame}");

    // A decline is confirmed first: Esc leaves the proposal as it was.
    press(&mut anna, "d");
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Rifiutare P-2026-0001? Motivo del rifiuto (obbligatorio)"), "{frame}");
    key(&mut anna, KeyCode::Esc);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("P-2026-0001  proposta"), "{frame}");

    // So is an accept, with a note that goes with the step.
    press(&mut anna, "a");
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Accettare P-2026-0001? Nota facoltativa"), "{frame}");
    assert!(frame.contains("P-2026-0001  proposta"), "nothing is committed before Enter:\n{frame}");
    press(&mut anna, "colloquio fissato");
    key(&mut anna, KeyCode::Enter);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("P-2026-0001  accettata"), "the record shows the new state:\n{frame}");
    let Reply::Proposal(p) = fx.ok(ANNA, Request::ProposalGet { code: ProposalCode::new(2026, 1) }) else {
        panic!("proposal")
    };
    let last = p.record.steps.last().expect("a step");
    assert_eq!((last.status, last.note.as_str()), (ProposalStatus::Accepted, "colloquio fissato"));

    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    press(&mut bruno, "5u");
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(line_with(&frame, "P-2026-0001").contains("accettata"), "{frame}");
    press(&mut bruno, "js");
    // The plan is one form, every field in sight.
    let frame = draw_to_string(&mut bruno, 80, 24);
    assert!(frame.contains("Piano dell'affido da P-2026-0001"), "{frame}");
    assert!(line_with(&frame, "inizio dell'affido").contains("23/11/2026"), "the start defaults to today:\n{frame}");
    for field in ["fine prevista", "durata (mesi)", "incontri famiglia d'origine", "verifiche (date", "impegni"] {
        assert!(frame.contains(field), "{field} in sight:\n{frame}");
    }
    // Start today, non-kin (the second choice), no end, no duration,
    // contact and supervision as offered: Tab to the planned reviews, then
    // the commitments.
    key(&mut bruno, KeyCode::Tab);
    keys(&mut bruno, KeyCode::Right, 2);
    keys(&mut bruno, KeyCode::Tab, 6);
    press(&mut bruno, "31/13/2026");
    key(&mut bruno, KeyCode::Tab);
    press(&mut bruno, "incontri mensili");
    save(&mut bruno);
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("«31/13/2026» non è una data valida"), "a wrong date is named next to its field:\n{frame}");
    assert!(line_with(&frame, "impegni").contains("incontri mensili"), "nothing typed is lost:\n{frame}");
    // The focus is back on the planned reviews.
    keys(&mut bruno, KeyCode::Backspace, 10);
    press(&mut bruno, "15/12/2026");
    save(&mut bruno);
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("Affido avviato: A-2026-0002 (P-2026-0001) · Invio lo apre"), "{frame}");
    let Reply::Placement(p) =
        fx.ok(BRUNO, Request::PlacementGet { code: banca::model::PlacementCode::parse("A-2026-0002").expect("code") })
    else {
        panic!("placement")
    };
    assert_eq!(p.record.plan.review_dates.len(), 1);
    assert_eq!(p.record.plan.relationship, Some(banca::model::Relationship::NonKin));
    assert_eq!(p.record.plan.commitments, "incontri mensili");
    // Enter opens what was created.
    key(&mut bruno, KeyCode::Enter);
    assert_eq!(bruno.current(), ScreenId::Placements);
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("A-2026-0002"), "{frame}");
}

#[test]
fn placements_show_the_review_due_and_the_closing_is_a_form_confirmed_before_it_goes() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "6");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(line_with(&frame, "A-2026-0001").contains("30/11/2026 ◆"), "due this month:\n{frame}");
    press(&mut app, "d");
    assert!(draw_to_string(&mut app, 80, 24).contains("A-2026-0001"), "the filter keeps it");
    press(&mut app, "d");

    press(&mut app, "x");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Chiusura di A-2026-0001"), "{frame}");
    // The closing date: today unless told; the outcome among all of them; a note.
    assert!(line_with(&frame, "data di chiusura").contains("23/11/2026"), "{frame}");
    assert!(line_with(&frame, "esito").contains("rientro in famiglia d'origine"), "{frame}");
    // A wrong date is refused next to its field, and nothing is sent.
    press(&mut app, "31/11/2026");
    save(&mut app);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("«31/11/2026» non è una data valida"), "{frame}");
    press(&mut app, "20/11/2026");
    keys(&mut app, KeyCode::Tab, 2);
    press(&mut app, "rientro concordato");
    // Closing is asked once more, with what it says; n goes back to the form.
    save(&mut app);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Chiudere l'affido A-2026-0001 · 20/11/2026 · rientro in famiglia"), "{frame}");
    press(&mut app, "n");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(line_with(&frame, "nota di chiusura").contains("rientro concordato"), "{frame}");
    assert!(!frame.contains("Chiudere l'affido"), "{frame}");
    save(&mut app);
    press(&mut app, "s");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Affido chiuso: A-2026-0001"), "{frame}");
    assert!(line_with(&frame, "A-2026-0001").contains("chiuso: rientro"), "{frame}");
    match fx.ok(CARLA, Request::PlacementGet { code: banca::model::PlacementCode::new(2026, 1) }) {
        Reply::Placement(p) => assert_eq!(p.record.closing.map(|c| c.date), Some(time::macros::date!(2026 - 11 - 20))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_review_is_recorded_with_date_and_note() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::En);
    press(&mut app, "6");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "v");
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("Review of A-2026-0001"), "{frame}");
    // Saved without its note: refused next to it, nothing sent.
    save(&mut app);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("✗ review note: required"), "{frame}");
    press(&mut app, "all well");
    save(&mut app);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Review recorded: A-2026-0001"), "{frame}");
    assert!(frame.contains("all well"), "the record shows it:\n{frame}");
}

#[test]
fn placement_snapshots() {
    let fx = tui_fixture();
    snapshots(&fx.bank, ANNA, "placements_list", |app| press(app, "6"));
    snapshots(&fx.bank, ANNA, "placement_detail", |app| {
        press(app, "6");
        key(app, KeyCode::Enter);
    });
}

#[test]
fn a_new_proposal_shows_in_the_inbox_without_a_refresh() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    press(&mut app, "5");
    let need = banca::model::NeedCode::parse("R-2026-0005").expect("need");
    let family = banca::model::FamilyCode::parse("F-2026-0002").expect("family");
    let saved = fx.saved(BRUNO, Request::ProposalCreate { need, family, note: "prova".into() });
    app.live(Live::Changed(banca::api::Event::Changed(banca::api::Change {
        kind: banca::api::RecordKind::Proposal,
        code: saved.code.clone(),
        revision: saved.revision,
        by: BRUNO.into(),
    })));
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(line_with(&frame, &saved.code).contains("F-2026-0002"), "{frame}");
}

/// Ctrl-S: the form open is saved.
fn save(app: &mut InProcess) {
    app.key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('s'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
}

#[test]
fn the_candidate_card_says_whom_to_call_after_hours() {
    let fx = tui_fixture();
    let mut s1 = service_input(S1_NAME, DALMINE_AMBIT);
    s1.on_call = Some(banca::model::OnCall {
        name: "Marta Reperibile".into(),
        phone: "035 999 0000".into(),
        hours: "lun-ven 17-9".into(),
    });
    fx.saved(ADMIN, Request::ServiceUpdate { code: S1, base_revision: 1, input: s1 });
    let mut app = app(&fx.bank, BRUNO, Lang::It);
    matching(&mut app, "R-2026-0004");
    // Bruno's child; the second candidate (F-2026-0001) is a family of anna's service (S-001).
    press(&mut app, "j");
    let frame = draw_to_string(&mut app, 120, 40);
    // Its phone and its on-call contact.
    assert!(frame.contains("reperibilità: Marta Reperibile · 035 999 0000 · lun-ven 17-9"), "{frame}");
    snapshots(&fx.bank, BRUNO, "matching_on_call", |app| {
        matching(app, "R-2026-0004");
        press(app, "j");
    });
}

#[test]
fn several_families_marked_with_space_are_proposed_in_one_action() {
    let fx = tui_fixture();
    let mut app = app(&fx.bank, ANNA, Lang::It);
    matching(&mut app, "R-2026-0003");
    // F-2026-0001 (1st), F-2026-0002 (2nd), F-2026-0004 (3rd): mark the 1st and the 3rd, and the 2nd.
    press(&mut app, " j ");
    press(&mut app, "k ");
    let frame = draw_to_string(&mut app, 120, 40);
    for row in ["1  F-2026-0001", "2  F-2026-0002", "3  F-2026-0004"] {
        assert!(line_with(&frame, row).contains('✓'), "{row} marked:\n{frame}");
    }
    snapshots(&fx.bank, ANNA, "matching_marked", |app| {
        matching(app, "R-2026-0003");
        press(app, " j ");
    });

    // Meanwhile the family of Stezzano is suspended: its proposal is refused, the others go.
    let code = banca::model::FamilyCode::parse("F-2026-0002").unwrap();
    fx.take_step(ANNA, code, banca::model::StepKind::Suspension);

    press(&mut app, "p");
    let frame = draw_to_string(&mut app, 120, 40);
    // (The dialog wraps the question: "… → R-2026-0003:" on its next line.)
    assert!(frame.contains("Nota delle proposte per F-2026-0001, F-2026-0004, F-2026-0002 →"), "{frame}");
    press(&mut app, "stanotte");
    key(&mut app, KeyCode::Enter);
    let frame = draw_to_string(&mut app, 120, 40);
    let said = line_with(&frame, "Proposte create");
    assert!(
        said.contains(
            "Proposte create: P-2026-0004 (F-2026-0001), P-2026-0005 (F-2026-0004) · non inviate: F-2026-0002:"
        ),
        "{frame}"
    );
    // Each its own proposal, with the one note.
    let need = banca::model::NeedCode::parse("R-2026-0003");
    let filter = ProposalFilter { need, ..ProposalFilter::default() };
    let Reply::Proposals(list) = fx.ok(ANNA, Request::ProposalList { filter }) else { panic!("proposals") };
    let mut sent: Vec<(String, String)> =
        list.iter().map(|p| (p.record.host_code(), p.record.steps[0].note.clone())).collect();
    sent.sort();
    assert_eq!(sent, [("F-2026-0001".into(), "stanotte".into()), ("F-2026-0004".into(), "stanotte".into())]);
    // The ranking came again: the two proposed are shown so, and cannot be marked again.
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(line_with(&frame, "1  F-2026-0001").contains('▸'), "{frame}");
    key(&mut app, KeyCode::Home);
    press(&mut app, " ");
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("F-2026-0001: già proposta: non si segna di nuovo"), "{frame}");
}
