//! Hand-built views become the documents an operator expects: the titles,
//! rows and tones written here, not computed by the code under test.

use std::collections::{BTreeMap, BTreeSet};

use time::macros::{date, datetime};

use super::doc::{Block, Field, Span, Tone};
use super::*;
use crate::api::{Contact, FamilyPrivate, FamilyView, HardRule, Revised, SharedHousehold, SharedProfile, Verdict};
use crate::i18n::Lang;
use crate::model::age::AgeRange;
use crate::model::*;

/// Dalmine (BG).
const DALMINE: u32 = 16091;

pub(crate) fn family_view(private: Option<FamilyPrivate>) -> FamilyView {
    FamilyView {
        code: FamilyCode::new(2026, 7),
        revision: 3,
        contact: Contact {
            service: ServiceCode(1),
            service_name: "Servizio Affidi Ambito di Dalmine".into(),
            phone: "035 000 0001".into(),
            email: String::new(),
            referent: "anna".into(),
            referent_name: "Anna Operatrice".into(),
            on_call: None,
        },
        private,
        profile: SharedProfile {
            comune: ComuneCode::from_u32(DALMINE),
            household: SharedHousehold { adults: 2, spare_rooms: 1 },
            kinds: BTreeSet::from([PlacementKind::Residential]),
            ages: AgeRange::ANY,
            sex_preference: SexPreference::Any,
            max_children: 2,
            siblings_accepted: true,
            special_needs_accepted: BTreeSet::new(),
            languages: vec!["italiano".into()],
            time_slots: BTreeSet::new(),
            max_distance_km: None,
            training_completed_on: None,
            status: FamilyStatus::Approved,
            approved_on: None,
            review_on: None,
            confirmed_on: Some(date!(2025 - 01 - 15)),
            available_from: None,
            available_until: None,
            availability_known: true,
        },
        stale: true,
        free_places: Some(2),
        distance_m: None,
        meta: Meta::new(datetime!(2026-03-01 10:00 UTC), "anna"),
        pathway: None,
        support: None,
    }
}

/// A family whose private part carries what a terminal would act on.
pub(crate) fn hostile_family() -> FamilyView {
    family_view(Some(FamilyPrivate {
        identity: FamilyIdentity {
            adults: vec![Adult { name: "Ma\u{1b}[2Jria\u{0} Rossi".into(), birth_year: 1980 }],
            address: "Via \u{202E}Roma 12".into(),
            phone: "035\u{7}".into(),
            email: String::new(),
        },
        children_birth_years: vec![],
        pets: String::new(),
        notes: "prima riga\u{1b}]0;titolo\u{7}\nseconda \u{2066}riga".into(),
    }))
}

fn title_text(doc: &Doc) -> String {
    match &doc.blocks[0] {
        Block::Title(spans) => spans.iter().map(|s| s.text.as_str()).collect(),
        other => panic!("the first block is not a title: {other:?}"),
    }
}

fn headings(doc: &Doc) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn row<'a>(doc: &'a Doc, label: &str) -> &'a Field {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Fields { rows, .. } => rows.iter().find(|r| r.label == label),
            _ => None,
        })
        .next()
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

#[test]
fn a_family_without_its_private_part_has_its_head_its_sections_and_a_warning_to_confirm() {
    let doc = family(&family_view(None), Lang::It);
    assert_eq!(title_text(&doc), "F-2026-0007  idonea  ·  Dalmine (BG)  ·  revisione 3");
    assert!(matches!(&doc.blocks[0], Block::Title(s) if s[0] == Span::new("F-2026-0007", Tone::Strong)));
    assert_eq!(headings(&doc), ["Disponibilità"]);
    assert_eq!(row(&doc, "Servizio").value, [Span::plain("S-001 Servizio Affidi Ambito di Dalmine")]);
    assert_eq!(row(&doc, "Contatti").value, [Span::plain("035 000 0001")]);
    assert_eq!(
        row(&doc, "Confermata il").value,
        [Span::plain("15/01/2025"), Span::new("  ⚠ da riconfermare", Tone::Warning)]
    );
    assert_eq!(row(&doc, "Tipi di affido").value, [Span::plain("residenziale")]);
    assert_eq!(row(&doc, "Distanza massima").value, [Span::plain("nessun limite")]);
    // An empty value is no row at all.
    assert!(!doc.words().contains(&"Formazione conclusa"));
    assert!(doc.blocks.contains(&Block::Line {
        indent: 0,
        hang: None,
        spans: vec![Span::new(
            "Identità, contatti, note, animali e figli: riservati al servizio titolare e al coordinamento.",
            Tone::Dim
        )]
    }));
    let footer = doc.blocks.last().expect("a footer");
    assert_eq!(
        footer,
        &Block::Line {
            indent: 0,
            hang: None,
            spans: vec![Span::new(
                "Creata il 01/03/2026 10:00 da anna; modificata il 01/03/2026 10:00 da anna",
                Tone::Dim
            )]
        }
    );
}

#[test]
fn a_family_with_its_private_part_has_the_identity_section_in_english() {
    let doc = family(&hostile_family(), Lang::En);
    assert_eq!(title_text(&doc), "F-2026-0007  approved  ·  Dalmine (BG)  ·  revision 3");
    assert_eq!(headings(&doc), ["Identity (visible to the service and the coordination)", "Availability"]);
    let notes = row(&doc, "Notes");
    assert!(notes.multiline);
    // Stored raw: neutralising is the printer's and the drawer's job.
    assert_eq!(notes.value[0].text, "prima riga\u{1b}]0;titolo\u{7}\nseconda \u{2066}riga");
}

#[test]
fn a_proposal_lists_its_parties_and_its_steps() {
    let p = Revised {
        revision: 2,
        record: Proposal {
            code: ProposalCode::new(2026, 4),
            needs: vec![NeedCode::new(2026, 9)],
            family: Some(FamilyCode::new(2026, 7)),
            need_service: ServiceCode(2),
            family_service: ServiceCode(1),
            status: ProposalStatus::Proposed,
            steps: vec![ProposalStep {
                status: ProposalStatus::Proposed,
                at: datetime!(2026-03-02 09:30 UTC),
                by: "bruno".into(),
                note: "Famiglia vicina alla scuola.".into(),
                cause: None,
            }],
            placement: None,
            score: Some(81),
            meta: Meta::new(datetime!(2026-03-02 09:30 UTC), "bruno"),
        },
    };
    let names = BTreeMap::from([(ServiceCode(1), "Servizio Affidi Ambito di Dalmine".to_string())]);
    let doc = proposal(&p, &names, Lang::It);
    assert_eq!(title_text(&doc), "P-2026-0004  proposta  ·  revisione 2");
    assert_eq!(row(&doc, "Richiesta").value, [Span::plain("R-2026-0009")]);
    assert_eq!(row(&doc, "Servizio della famiglia").value, [Span::plain("S-001 Servizio Affidi Ambito di Dalmine")]);
    assert_eq!(row(&doc, "Servizio del minore").value, [Span::plain("S-002")]);
    assert_eq!(row(&doc, "Punteggio").value, [Span::plain("81/100 alla proposta")]);
    assert_eq!(headings(&doc), ["Passaggi"]);
    assert!(doc.blocks.contains(&Block::Text { indent: 20, text: "Famiglia vicina alla scuola.".into() }));
}

/// Steps the bank took by itself: say why in the reader's language; an
/// older one, which said why in its note, shows its note as written.
#[test]
fn a_withdrawal_by_the_bank_reads_in_the_readers_language_and_an_old_note_as_written() {
    let at = datetime!(2026-03-09 11:00 UTC);
    let withdrawn = |note: &str, cause: Option<StepCause>| ProposalStep {
        status: ProposalStatus::Withdrawn,
        at,
        by: "anna".into(),
        note: note.into(),
        cause,
    };
    let closed = StepCause::NeedClosed { need: NeedCode::new(2026, 9), reason: Some(ClosingReason::ReturnHome) };
    let elsewhere =
        StepCause::PlacedElsewhere { proposal: ProposalCode::new(2026, 5), placement: PlacementCode::new(2026, 2) };
    let p = |step: ProposalStep| Revised {
        revision: 3,
        record: Proposal {
            code: ProposalCode::new(2026, 4),
            needs: vec![NeedCode::new(2026, 9)],
            family: Some(FamilyCode::new(2026, 7)),
            need_service: ServiceCode(2),
            family_service: ServiceCode(1),
            status: ProposalStatus::Withdrawn,
            steps: vec![step],
            placement: None,
            score: None,
            meta: Meta::new(at, "bruno"),
        },
    };
    let texts = |doc: &Doc| -> Vec<String> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text { indent: 20, text } => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let names = BTreeMap::new();
    let by_closing = p(withdrawn("", Some(closed)));
    assert_eq!(texts(&proposal(&by_closing, &names, Lang::En)), ["need R-2026-0009 closed: return home"]);
    assert_eq!(texts(&proposal(&by_closing, &names, Lang::It)), ["richiesta R-2026-0009 chiusa: rientro in famiglia"]);
    let by_placement = p(withdrawn("", Some(elsewhere)));
    assert_eq!(
        texts(&proposal(&by_placement, &names, Lang::En)),
        ["placement started through P-2026-0005 (A-2026-0002)"]
    );
    assert_eq!(texts(&proposal(&by_placement, &names, Lang::It)), ["affido avviato con P-2026-0005 (A-2026-0002)"]);
    // Stored before steps had a cause: its Italian note is all it has.
    let old = p(withdrawn("richiesta R-2026-0009 chiusa: rientro in famiglia", None));
    assert_eq!(texts(&proposal(&old, &names, Lang::En)), ["richiesta R-2026-0009 chiusa: rientro in famiglia"]);
}

#[test]
fn a_verdict_gives_the_place_and_a_summary_the_rules_that_left_families_out() {
    let candidate = Verdict {
        family: FamilyCode::new(2026, 3),
        exclusions: vec![],
        rank: Some(2),
        score: Some(71),
        criteria: vec![],
    };
    let doc = verdict(&candidate, 5, Lang::It);
    assert_eq!(
        doc.blocks,
        [Block::Line {
            indent: 0,
            hang: None,
            spans: vec![Span::new("F-2026-0003 è candidata: 2ª su 5, punteggio 71/100.", Tone::Ok)]
        }]
    );
    let summary =
        matching::summary(12, 0, 0, &[(HardRule::Age, 7), (HardRule::Capacity, 0)], matching::Side::Families, Lang::En);
    let words = summary.words();
    assert_eq!(words[0], "Families considered: 12 · candidates: 0");
    assert_eq!(words[1], "Excluded, by the first rule failed:");
    // A rule nobody failed is not listed.
    assert_eq!(&words[2..4], ["age outside the range", "7"]);
    assert_eq!(words[4], "For one family: --why-not F-… explains every rule it fails.");
}

#[test]
fn a_record_moved_by_a_proposals_step_says_through_which_not_by_whom() {
    let mut v = family_view(None);
    v.meta.updated_by = "P-2026-0004".into();
    let doc = family(&v, Lang::It);
    let footer = doc.blocks.last().expect("a footer");
    assert_eq!(
        footer,
        &Block::Line {
            indent: 0,
            hang: None,
            spans: vec![Span::new(
                "Creata il 01/03/2026 10:00 da anna; modificata il 01/03/2026 10:00 tramite P-2026-0004",
                Tone::Dim
            )]
        }
    );
}
