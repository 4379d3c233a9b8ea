//! Text is text: escape sequences, NUL, line breaks, a right-to-left
//! override and zero-width spaces are refused in every text field at the
//! core, with the field named and nothing saved; and a record that still
//! carries them (written before the rule, straight into the store) prints
//! neutralised in the interface.

mod common;

use std::sync::Arc;

use banca::api::{BankError, LineFault, Reply, Request};
use banca::bank::ExportLine;
use banca::i18n::Lang;
use banca::model::*;
use banca::store::TreeId;
use common::tui::{app, key, press};
use common::*;
use ratatui::crossterm::event::KeyCode;
use time::macros::date;

/// `\x1b]0;pwned\x07` sets a terminal's title; `\x1b[2J` clears its screen.
const OSC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CLEAR_SCREEN: &str = "\u{1b}[2J";

/// What each hostile value is refused for, in a one-line field.
fn hostile_values() -> Vec<(&'static str, String, Reason)> {
    let control = |code: &str| Reason::ControlCharacter { code: code.into() };
    vec![
        ("OSC title", format!("Mario{OSC_TITLE}"), control("U+001B")),
        ("clear screen", format!("{CLEAR_SCREEN}Mario"), control("U+001B")),
        ("NUL", "Ma\0rio".into(), control("U+0000")),
        ("newline", "Mario\nINFO forged".into(), control("U+000A")),
        ("right-to-left override", "Mario \u{202E}issoR".into(), Reason::BidiControl { code: "U+202E".into() }),
        ("zero-width spaces only", "\u{200B}\u{200B}".into(), Reason::InvisibleOnly),
    ]
}

type Setter<T> = (&'static str, fn(&mut T, String));

fn family_fields() -> Vec<Setter<FamilyInput>> {
    vec![
        ("identity.adults[0].name", |f, v| f.identity.adults[0].name = v),
        ("identity.address", |f, v| f.identity.address = v),
        ("identity.phone", |f, v| f.identity.phone = v),
        ("identity.email", |f, v| f.identity.email = v),
        ("profile.household.pets", |f, v| f.profile.household.pets = v),
        ("profile.languages[0]", |f, v| f.profile.languages[0] = v),
        ("profile.notes", |f, v| f.profile.notes = v),
    ]
}

fn need_fields() -> Vec<Setter<NeedInput>> {
    vec![
        ("identity.given_name", |n, v| n.identity.given_name = v),
        ("identity.family_name", |n, v| n.identity.family_name = v),
        ("identity.address", |n, v| n.identity.address = v),
        ("identity.fiscal_code", |n, v| n.identity.fiscal_code = Some(v)),
        ("placement.languages[0]", |n, v| n.placement.languages[0] = v),
        ("placement.cultural_notes", |n, v| n.placement.cultural_notes = v),
        ("placement.notes", |n, v| n.placement.notes = v),
        ("placement.legal.court", |n, v| {
            n.placement.legal = LegalBasis::Judicial { court: v, decree: "123/2026".into() }
        }),
        ("placement.legal.decree", |n, v| {
            n.placement.legal = LegalBasis::Judicial { court: "Tribunale per i minorenni di Brescia".into(), decree: v }
        }),
    ]
}

fn service_fields() -> Vec<Setter<ServiceInput>> {
    vec![
        ("name", |s, v| s.name = v),
        ("address", |s, v| s.address = v),
        ("phone", |s, v| s.phone = v),
        ("email", |s, v| s.email = v),
        ("notes", |s, v| s.notes = v),
    ]
}

/// Submits each hostile value in each field; every one must be refused
/// naming the field, and the bank must not change.
fn refuse_all<T: Clone>(fx: &Fixture, user: &str, base: T, fields: Vec<Setter<T>>, request: impl Fn(T) -> Request) {
    let before = fx.snapshot();
    let mut wrong = Vec::new();
    for (path, set) in &fields {
        let field = FieldRef::parse(path).unwrap_or_else(|| panic!("no field has the path {path}"));
        for (what, value, reason) in hostile_values() {
            if what == "newline" && field.is_multi_line() {
                continue;
            }
            let mut input = base.clone();
            set(&mut input, value.clone());
            let expected = Problem::new(field, reason.clone());
            match fx.handle(user, request(input)) {
                Err(BankError::Invalid(problems)) if problems.contains(&expected) => {}
                other => wrong.push(format!("{field} with {what}: expected {expected:?}, got {other:?}")),
            }
        }
    }
    assert!(wrong.is_empty(), "{} answered wrongly:\n{}", wrong.len(), wrong.join("\n"));
    assert!(fx.snapshot() == before, "a refused input changed the bank");
}

#[test]
fn every_text_field_of_families_needs_services_operators_and_ambiti_refuses_hostile_text() {
    let fx = fixture();
    refuse_all(&fx, ANNA, family_input(), family_fields(), |input| Request::FamilyCreate { input });
    refuse_all(&fx, ANNA, need_input(), need_fields(), |input| Request::NeedCreate { input });
    refuse_all(&fx, ADMIN, service_input("Servizio Prova", DALMINE_AMBIT), service_fields(), |input| {
        Request::ServiceCreate { input }
    });
    let operator = operator_input("Elena Prova", Role::Operator, Some(S1));
    refuse_all(&fx, ADMIN, operator, vec![("display_name", |o, v| o.display_name = v)], |input| {
        Request::OperatorCreate { user: "elena".into(), input }
    });
    let ambit = AmbitInput {
        name: "Isola".into(),
        comuni: vec![comune("016150")],
        districts: vec![District { name: "Presidio".into(), comuni: vec![comune("016150")] }],
    };
    let ambit_fields: Vec<Setter<AmbitInput>> =
        vec![("name", |a, v| a.name = v), ("districts[0].name", |a, v| a.districts[0].name = v)];
    refuse_all(&fx, ADMIN, ambit, ambit_fields, |input| Request::AmbitSave { input, base_revision: None });
}

#[test]
fn an_edit_is_refused_the_same_and_the_record_keeps_its_text() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let (revision, input) = fx.family_as_input(code);
    refuse_all(&fx, ANNA, input, family_fields(), |input| Request::FamilyUpdate {
        code,
        base_revision: revision,
        input,
    });
    assert_eq!(fx.family(ANNA, code).private.unwrap().identity.adults[0].name, "Giulia Esempio");
}

#[test]
fn notes_keep_their_lines_and_tabs_while_names_stay_on_one() {
    let fx = fixture();
    let mut input = family_input();
    input.profile.notes = "Prima riga.\n\tSeconda riga, rientrata.".into();
    let code = fx.create_family(ANNA, input);
    assert_eq!(fx.family(ANNA, code).private.unwrap().notes, "Prima riga.\n\tSeconda riga, rientrata.");
    // Invisible joiners inside visible text are text (emoji, some scripts).
    let mut input = family_input();
    input.identity.adults[0].name = "Giulia Esempio 👩‍👧".into();
    fx.create_family(ANNA, input);
}

#[test]
fn a_proposal_note_a_search_query_and_the_plans_texts_are_checked_too() {
    let fx = fixture();
    let need = fx.create_need(ANNA, need_input());
    let family = fx.create_family(BRUNO, family_input());
    let problems = fx.invalid(ANNA, Request::ProposalCreate { need, family, note: format!("ciao{OSC_TITLE}") });
    assert_eq!(problems, [Problem::new(Field::Note, Reason::ControlCharacter { code: "U+001B".into() })]);
    let problems = fx.invalid(ANNA, Request::ProposalCreate { need, family, note: "\u{2066}x".into() });
    assert_eq!(problems, [Problem::new(Field::Note, Reason::BidiControl { code: "U+2066".into() })]);

    let problems = fx.invalid(ANNA, Request::Search { query: format!("prova{CLEAR_SCREEN}"), limit: 10 });
    assert_eq!(problems, [Problem::new(Field::Query, Reason::ControlCharacter { code: "U+001B".into() })]);
    let problems = fx.invalid(ANNA, Request::Search { query: "x".repeat(201), limit: 10 });
    assert_eq!(problems, [Problem::new(Field::Query, Reason::TooLong { max: 200 })]);

    let cx = Context { today: NOW.date(), comuni: Comuni::embedded() };
    let plan = FosterPlan {
        start: date!(2026 - 11 - 01),
        expected_end: None,
        duration_months: None,
        contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: false },
        contact_notes: "Incontri al sabato.\nIn spazio neutro.".into(),
        review_dates: vec![],
        commitments: format!("impegni{CLEAR_SCREEN}"),
        relationship: Some(banca::model::Relationship::NonKin),
    };
    assert_eq!(
        plan.validate(&cx).into_vec(),
        [Problem::new(Field::PlanCommitments, Reason::ControlCharacter { code: "U+001B".into() })]
    );
    let review =
        Review { date: date!(2026 - 11 - 20), note: "\u{200B}".into(), by: ANNA.into(), kind: ReviewKind::Formal };
    assert_eq!(review.validate(&cx, plan.start).into_vec(), [Problem::new(Field::ReviewNote, Reason::InvisibleOnly)]);
    let closing = Closing {
        date: date!(2026 - 11 - 20),
        outcome: PlacementOutcome::ReturnHome,
        note: "rientro \u{202E}".into(),
        by: ANNA.into(),
    };
    assert_eq!(
        closing.validate(&cx, plan.start).into_vec(),
        [Problem::new(Field::ClosingNote, Reason::BidiControl { code: "U+202E".into() })]
    );
}

#[test]
fn the_sentences_name_the_field_and_the_character() {
    let problem = Problem::new(Field::AdultName.at(0), Reason::ControlCharacter { code: "U+001B".into() });
    assert_eq!(
        banca::i18n::describe_problem(&problem, Lang::It),
        "nome dell'adulto n. 1: contiene un carattere di controllo (U+001B): solo testo semplice, a capo solo nelle note"
    );
    let problem = Problem::new(Field::ProfileNotes, Reason::InvisibleOnly);
    assert_eq!(
        banca::i18n::describe_problem(&problem, Lang::En),
        "notes: holds only invisible characters: write readable text"
    );
    // A value a sentence quotes is shown neutralised.
    let dup = Reason::Duplicate { value: format!("x{OSC_TITLE}") };
    assert_eq!(banca::i18n::describe_reason(&dup, Lang::It), "«x␛]0;pwned␇» è già presente");
}

#[test]
fn a_referent_is_a_user_name_of_plain_text_too() {
    let fx = fixture();
    let input = FamilyInput { referent: Some(format!("anna{OSC_TITLE}")), ..family_input() };
    let problems = fx.invalid(ANNA, Request::FamilyCreate { input });
    assert!(problems.contains(&Problem::new(Field::Referent, Reason::ControlCharacter { code: "U+001B".into() })));
    let input = NeedInput { referent: Some("a".repeat(33)), ..need_input() };
    let problems = fx.invalid(ANNA, Request::NeedCreate { input });
    assert!(problems.contains(&Problem::new(Field::Referent, Reason::TooLong { max: 32 })), "{problems:?}");
}

#[test]
fn lists_and_e_mail_have_bounds() {
    let fx = fixture();
    let mut input = family_input();
    input.profile.languages = (0..21).map(|i| format!("lingua {i}")).collect();
    input.identity.email = format!("{}@example.org", "a".repeat(250));
    input.profile.household.children_birth_years = vec![2015; 21];
    let problems = fx.invalid(ANNA, Request::FamilyCreate { input });
    for expected in [
        Problem::new(Field::ProfileLanguages, Reason::TooMany { max: 20 }),
        Problem::new(Field::IdentityEmail, Reason::TooLong { max: 254 }),
        Problem::new(Field::ChildrenBirthYears, Reason::TooMany { max: 20 }),
    ] {
        assert!(problems.contains(&expected), "{expected:?} not in {problems:?}");
    }
}

// ------------------------------------------------------------------ import

#[test]
fn an_import_carrying_hostile_text_is_refused_at_its_line_with_the_field() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let Reply::Export { lines } = fx.ok(ADMIN, Request::Export) else { panic!("export") };
    let (_dir, clean) = empty_bank();
    let clean = Arc::new(clean);
    assert!(ask_server_user(&clean, ADMIN, Request::Import { lines: lines.clone() }).is_ok(), "a clean export passes");
    let at = lines.iter().position(|l| l.contains(&code.to_string()) && l.contains("\"family\"")).unwrap();
    let mut hostile = lines.clone();
    let mut line: ExportLine = serde_json::from_str(&hostile[at]).unwrap();
    if let ExportLine::Family { record, .. } = &mut line {
        record.identity.adults[0].name = format!("Giulia{OSC_TITLE}");
        record.profile.household.pets = "gatto\u{202E}".into();
    }
    hostile[at] = line.to_json();
    reseal(&mut hostile);
    let (_dir, empty) = empty_bank();
    let empty = Arc::new(empty);
    match ask_server_user(&empty, ADMIN, Request::Import { lines: hostile }) {
        Err(BankError::ImportRejected(faults)) => {
            assert_eq!(faults.len(), 1, "{faults:?}");
            assert_eq!(faults[0].line, at + 1);
            let LineFault::Invalid(problems) = &faults[0].problem else { panic!("{faults:?}") };
            assert_eq!(
                problems,
                &[
                    Problem::new(Field::AdultName.at(0), Reason::ControlCharacter { code: "U+001B".into() }),
                    Problem::new(Field::Pets, Reason::BidiControl { code: "U+202E".into() }),
                ]
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Nothing was written.
    assert!(empty.store().is_empty());
}

#[test]
fn an_export_line_is_inert_on_a_terminal_and_still_exact() {
    let line = ExportLine::Counter { series: "F/2026\u{202E}\u{9b}".into(), value: 1 };
    let json = line.to_json();
    assert!(!json.contains(['\u{202E}', '\u{9b}']), "{json}");
    assert_eq!(serde_json::from_str::<ExportLine>(&json).unwrap(), line);
}

// ------------------------------------------------------------------ old records

/// Writes `f`'s change into the stored record as an older binary would
/// have, past every check, and reopens the bank so its indexes see it.
fn tamper_family(fx: Fixture, code: FamilyCode, f: impl Fn(&mut Family)) -> Fixture {
    let key = code.key();
    let (revision, mut family) = fx.bank.store().get::<Family>(TreeId::Families, &key).unwrap().unwrap();
    f(&mut family);
    fx.bank
        .store()
        .transact::<_, BankError, _>(|tx| {
            tx.put::<Family, BankError>(TreeId::Families, &key, revision, &family)?;
            Ok(())
        })
        .unwrap();
    let Fixture { dir, bank } = fx;
    drop(bank);
    let bank = Arc::new(open_bank(&dir.path().join("bank"), false).unwrap());
    Fixture { dir, bank }
}

/// Nothing a terminal would act on, and no stray line: the frame is plain.
fn assert_inert(frame: &str) {
    for bad in ['\u{1b}', '\u{7}', '\0', '\u{202E}', '\u{200B}', '\r'] {
        assert!(!frame.contains(bad), "{bad:?} reached the screen:\n{frame}");
    }
}

#[test]
fn an_old_family_carrying_hostile_text_draws_neutralised_in_the_interface() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let fx = tamper_family(fx, code, |f| {
        f.identity.adults[0].name = format!("Giulia{OSC_TITLE}Esempio");
        f.identity.adults[1].name = "Marco \u{202E}avorP".into();
        f.identity.address = format!("Via{CLEAR_SCREEN} delle Prove\n12");
        f.profile.household.pets = "\u{200B}\u{200B}".into();
        f.profile.notes = format!("Prima riga\nSeconda{OSC_TITLE}\0riga");
    });
    // The stored value is what was written: the core hands data back as it is.
    assert!(fx.family(ANNA, code).private.unwrap().notes.contains('\u{1b}'));

    let mut tui = app(&fx.bank, ANNA, Lang::It);
    press(&mut tui, "2");
    let list = banca::tui::draw_to_string(&mut tui, 120, 40);
    assert_inert(&list);
    key(&mut tui, KeyCode::Enter);
    let record = banca::tui::draw_to_string(&mut tui, 120, 40);
    assert_inert(&record);
    let line = common::tui::line_with(&record, "Adulti");
    assert!(line.contains("Giulia␛]0;pwned␇Esempio") && line.contains("Marco \u{FFFD}avorP"), "{line}");
    // A one-line value keeps its row; notes keep their lines, each drawn inert.
    let address = common::tui::line_with(&record, "Indirizzo");
    assert!(address.contains("Via␛[2J delle Prove ↵ 12"), "{address}");
    assert!(record.contains("Seconda␛]0;pwned␇␀riga"), "{record}");

    let mut tui = app(&fx.bank, ANNA, Lang::It);
    press(&mut tui, "/giulia");
    let search = banca::tui::draw_to_string(&mut tui, 120, 40);
    assert_inert(&search);
    assert!(search.contains("Giulia␛]0;pwned␇Esempio"), "{search}");
}

// ------------------------------------------------------------------ the real binary

mod cli {
    use super::*;
    use common::cli::CliBank;

    /// The characters a terminal acts on, and the Unicode ones that reorder or hide text.
    const RAW: [char; 6] = ['\u{1b}', '\u{7}', '\u{202E}', '\u{200B}', '\r', '\u{9b}'];

    fn assert_plain(what: &str, out: &str) {
        assert!(!out.contains(RAW), "{what} printed a raw control character: {out:?}");
    }

    /// The values a flag can carry (argv cannot hold a NUL: the core test covers it),
    /// each with the words of its refusal.
    fn hostile_flags() -> Vec<(&'static str, String, &'static str)> {
        vec![
            ("OSC title", format!("Giulia{OSC_TITLE}"), "contiene un carattere di controllo (U+001B)"),
            ("clear screen", format!("{CLEAR_SCREEN}Giulia"), "contiene un carattere di controllo (U+001B)"),
            ("newline", "Giulia\nINFO forged".into(), "contiene un carattere di controllo (U+000A)"),
            ("right-to-left override", "Giulia \u{202E}oipmesE".into(), "controllo di direzione del testo (U+202E)"),
            ("zero-width spaces only", "\u{200B}\u{200B}".into(), "contiene solo caratteri invisibili"),
        ]
    }

    fn args(base: &[&str], flag: &str, value: &str) -> Vec<String> {
        let mut args: Vec<String> = base.iter().map(|a| a.to_string()).collect();
        args.push(flag.to_string());
        args.push(value.to_string());
        args
    }

    const FAMILY_ADD: &[&str] = &[
        "family",
        "add",
        "--service",
        "S-001",
        "--referent",
        "anna",
        "--comune",
        "Dalmine",
        "--ages",
        "3-10",
        "--kinds",
        "residenziale",
    ];
    const NEED_ADD: &[&str] = &[
        "need",
        "add",
        "--service",
        "S-001",
        "--referent",
        "anna",
        "--birth-date",
        "10/05/2019",
        "--sex",
        "f",
        "--kind",
        "residenziale",
        "--comune",
        "Dalmine",
        "--legal",
        "giudiziale",
    ];

    #[test]
    fn every_text_flag_refuses_hostile_text_naming_the_flag_and_saves_nothing() {
        let bank = CliBank::new();
        // (command without the flag, the flag, its field is multi-line, value shape)
        let family = |adult: bool| {
            let mut base = FAMILY_ADD.to_vec();
            if !adult {
                base.extend(["--adult", "Laura Bassi,1979"]);
            }
            base
        };
        let need = |given: bool, family: bool, court: bool, decree: bool| {
            let mut base = NEED_ADD.to_vec();
            if !given {
                base.extend(["--given-name", "Chiara"]);
            }
            if !family {
                base.extend(["--family-name", "Esempio"]);
            }
            if !court {
                base.extend(["--court", "Tribunale per i minorenni di Brescia"]);
            }
            if !decree {
                base.extend(["--decree", "V.G. 12/2026"]);
            }
            base
        };
        let service = vec!["service", "add", "--name", "Servizio Prova"];
        let flags: Vec<(Vec<&str>, &str, bool)> = vec![
            (family(true), "--adult", false),
            (family(false), "--address", false),
            (family(false), "--phone", false),
            (family(false), "--email", false),
            (family(false), "--pets", false),
            (family(false), "--languages", false),
            (family(false), "--notes", true),
            (need(true, false, false, false), "--given-name", false),
            (need(false, true, false, false), "--family-name", false),
            (need(false, false, false, false), "--fiscal-code", false),
            (need(false, false, false, false), "--address", false),
            (need(false, false, true, false), "--court", false),
            (need(false, false, false, true), "--decree", false),
            (need(false, false, false, false), "--languages", false),
            (need(false, false, false, false), "--cultural-notes", true),
            (need(false, false, false, false), "--notes", true),
            (vec!["service", "add"], "--name", false),
            (service.clone(), "--address", false),
            (service.clone(), "--phone", false),
            (service.clone(), "--email", false),
            (service.clone(), "--notes", true),
            (vec!["operator", "add", "elena", "--role", "operatore", "--service", "S-001"], "--name", false),
        ];
        let mut wrong = Vec::new();
        for (base, flag, multi_line) in &flags {
            for (what, value, words) in hostile_flags() {
                if what == "newline" && *multi_line {
                    continue;
                }
                // An adult is "name,year"; a list of languages has commas of its own.
                let value = if *flag == "--adult" { format!("{value},1980") } else { value };
                let args = args(base, flag, &value);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let out = bank.run(&args).get_output().clone();
                let err = String::from_utf8_lossy(&out.stderr);
                if out.status.code() != Some(1) || !err.contains(words) || !err.contains(flag) {
                    wrong.push(format!("{flag} with {what}: exit {:?}, {err}", out.status.code()));
                }
                assert_plain("an error", &err);
            }
        }
        let find = bank.stderr(&["find", &format!("bassi{CLEAR_SCREEN}")], 1);
        assert!(find.contains("contiene un carattere di controllo (U+001B)"), "{find}");
        assert!(wrong.is_empty(), "{} flags answered wrongly:\n{}", wrong.len(), wrong.join("\n"));
        assert!(bank.stdout(&["family", "list"]).contains("Nessuna"), "a family was saved");
        assert!(bank.stdout(&["need", "list"]).contains("Nessuna"), "a need was saved");
        let services = bank.stdout(&["service", "list"]);
        assert!(!services.contains("Servizio Prova") && !services.contains("Giulia"), "a service was saved");
        assert!(!bank.stdout(&["operator", "list"]).contains("elena"), "an operator was saved");
    }

    /// Stops the bank's server, writes into its store as an older binary
    /// would have, past every check; the next command starts a server again.
    fn tamper(bank: &CliBank, f: impl Fn(&banca::bank::Bank)) {
        bank.run(&["stop"]).success();
        let path = bank.dir.path().join("bank");
        let started = std::time::Instant::now();
        let core = loop {
            match open_bank(&path, false) {
                Ok(b) => break b,
                Err(e) if started.elapsed() < std::time::Duration::from_secs(10) => {
                    let _ = e;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => panic!("the bank did not free itself: {e:?}"),
            }
        };
        f(&core);
    }

    fn put<T: banca::store::Versioned>(core: &banca::bank::Bank, tree: TreeId, key: &[u8], record: &T, rev: u64) {
        core.store()
            .transact::<_, BankError, _>(|tx| {
                tx.put::<T, BankError>(tree, key, rev, record)?;
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_forged_version_string_stays_inside_its_own_log_line() {
        use banca::protocol::{read_frame, write_frame, Hello, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL};
        let bank = CliBank::new();
        bank.run(&["stop"]).success();
        // A server whose log lands in the test's own state folder.
        let state = bank.dir.path().join("state");
        bank.cmd().env("XDG_STATE_HOME", &state).env_remove("JOURNAL_STREAM").arg("whoami").assert().success();
        let db = banca::config::canonical_bank_path(&bank.dir.path().join("bank"));
        let socket = banca::config::default_socket(&db);
        let mut stream = std::os::unix::net::UnixStream::connect(&socket).unwrap();
        let forged = format!("9.9.9\n2026-11-23T10:00:00Z ERROR forged by a client{OSC_TITLE}");
        let hello = Hello { protocol: PROTOCOL, version: forged, bank: db.display().to_string() };
        write_frame(&mut stream, &hello, MAX_FRAME).unwrap();
        let welcome: Welcome = read_frame(&mut stream, MAX_SERVER_FRAME).unwrap();
        assert!(matches!(welcome, Welcome::Ok { .. }), "{welcome:?}");
        drop(stream);
        bank.run(&["stop"]).success();
        let log = std::fs::read_to_string(state.join("banca").join("server.log")).unwrap();
        assert_plain("the server's log", &log);
        let line = log
            .lines()
            .find(|l| l.contains("client connected") && l.contains("9.9.9"))
            .unwrap_or_else(|| panic!("{log}"));
        // Escaped, and cut to the 40 characters a version may need.
        assert!(line.contains(r#"client="9.9.9 ↵ 2026-11-23T10:00:00Z ERROR forged …""#), "{line}");
        assert!(!log.lines().any(|l| l.starts_with("2026-11-23T10:00:00Z ERROR")), "{log}");
    }

    /// A tmux server of its own, killed when dropped.
    struct Tmux(String);

    impl Tmux {
        fn run(&self, args: &[&str]) -> String {
            let out = std::process::Command::new("tmux").arg("-L").arg(&self.0).args(args).output().unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
        fn title(&self) -> String {
            self.run(&["display", "-p", "-t", "t", "#{pane_title}"]).trim().to_string()
        }
        fn wait_for(&self, text: &str) -> String {
            let started = std::time::Instant::now();
            loop {
                let screen = self.run(&["capture-pane", "-p", "-t", "t"]);
                if screen.contains(text) {
                    return screen;
                }
                assert!(started.elapsed() < std::time::Duration::from_secs(20), "no {text:?} on:\n{screen}");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    }

    impl Drop for Tmux {
        fn drop(&mut self) {
            let _ = std::process::Command::new("tmux").arg("-L").arg(&self.0).arg("kill-server").output();
        }
    }

    #[test]
    fn in_a_real_terminal_an_old_record_neither_retitles_nor_clears_it() {
        if std::process::Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipped");
            return;
        }
        let bank = CliBank::new();
        tamper(&bank, |core| {
            let (rev, mut service) = core.store().get::<Service>(TreeId::Services, &S1.key()).unwrap().unwrap();
            service.details.name = OLD_NAME.into();
            put(core, TreeId::Services, &S1.key(), &service, rev);
        });
        let banca = format!(
            "env BANCA_CONFIG={} {} --db {}",
            bank.dir.path().join("config.toml").display(),
            env!("CARGO_BIN_EXE_banca"),
            bank.dir.path().join("bank").display()
        );
        let tmux = Tmux(format!("banca-text-{}", std::process::id()));
        tmux.run(&["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "sh"]);
        // The check works: a raw OSC retitles the pane.
        tmux.run(&["send-keys", "-t", "t", "printf '\\033]0;pwned\\007'; echo raw-\"\"done", "Enter"]);
        tmux.wait_for("raw-done");
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(tmux.title(), "pwned", "tmux should obey a raw OSC");
        tmux.run(&["select-pane", "-t", "t", "-T", "before"]);

        tmux.run(&["send-keys", "-t", "t", &format!("{banca} service show S-001; echo cli-\"\"done"), "Enter"]);
        let screen = tmux.wait_for("cli-done");
        assert!(screen.contains("Servizio␛]0;pwned␇ Dalmine ↵ "), "{screen}");
        assert!(screen.contains("BANCA_CONFIG"), "the screen was cleared:\n{screen}");
        assert_eq!(tmux.title(), "before", "the CLI retitled the terminal");

        tmux.run(&["send-keys", "-t", "t", &banca, "Enter"]);
        tmux.wait_for("connesso");
        tmux.run(&["send-keys", "-t", "t", "7"]);
        let screen = tmux.wait_for("Servizio␛]0;pwned␇ Dalmine ↵ \u{FFFD}enimlaD");
        assert_eq!(tmux.title(), "before", "the interface retitled the terminal:\n{screen}");
        tmux.run(&["send-keys", "-t", "t", "q"]);
    }

    const OLD_NAME: &str = "Servizio\u{1b}]0;pwned\u{7} Dalmine\n\u{202E}enimlaD";

    #[test]
    fn an_old_service_and_operator_print_neutralised_in_show_lists_find_and_json() {
        let bank = CliBank::new();
        tamper(&bank, |core| {
            let (rev, mut service) = core.store().get::<Service>(TreeId::Services, &S1.key()).unwrap().unwrap();
            service.details.name = OLD_NAME.into();
            service.details.notes = format!("prima{CLEAR_SCREEN}\r\nseconda\u{9b}riga");
            put(core, TreeId::Services, &S1.key(), &service, rev);
            let (rev, mut anna) = core.store().get::<Operator>(TreeId::Operators, b"anna").unwrap().unwrap();
            anna.details.display_name = "Anna\u{1b}[2J\u{200B}Verdi\nINFO forged".into();
            put(core, TreeId::Operators, b"anna", &anna, rev);
        });

        let shown = bank.stdout(&["service", "show", "S-001"]);
        assert_plain("service show", &shown);
        let title = shown.lines().next().unwrap();
        assert!(title.contains("Servizio␛]0;pwned␇ Dalmine ↵ \u{FFFD}enimlaD"), "{shown}");
        assert!(shown.contains("prima␛[2J\n") && shown.contains("seconda\u{FFFD}riga"), "{shown}");
        assert!(shown.contains("Anna␛[2JVerdi ↵ INFO forged (anna)"), "{shown}");

        let list = bank.stdout(&["service", "list"]);
        assert_plain("service list", &list);
        let row = list.lines().find(|l| l.starts_with("S-001")).unwrap_or_else(|| panic!("{list}"));
        assert!(row.contains("Servizio␛]0;pwned␇ Dalmine ↵ \u{FFFD}enimlaD"), "one row: {list}");

        let operators = bank.stdout(&["operator", "list"]);
        assert_plain("operator list", &operators);
        assert!(operators.lines().any(|l| l.starts_with("anna") && l.contains("Anna␛[2JVerdi ↵ INFO forged")));
        assert!(!operators.lines().any(|l| l.starts_with("INFO forged")), "{operators}");

        let found = bank.stdout(&["find", "dalmine"]);
        assert_plain("find", &found);
        assert!(found.contains("Servizio␛]0;pwned␇ Dalmine ↵ \u{FFFD}enimlaD"), "{found}");

        // JSON keeps the exact value for scripts, as inert escapes on the screen.
        let json = bank.stdout(&["--json", "service", "show", "S-001"]);
        assert_plain("--json service show", &json);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["record"]["details"]["name"], OLD_NAME, "{json}");
        let found = bank.stdout(&["--json", "find", "dalmine"]);
        assert_plain("--json find", &found);
        assert!(found.contains(r"\u001b]0;pwned\u0007 Dalmine\n\u202eenimlaD"), "{found}");
    }
}

#[test]
fn an_old_service_name_keeps_its_row_in_the_interfaces_directory() {
    let fx = fixture();
    let (rev, mut service) = fx.bank.store().get::<Service>(TreeId::Services, &S1.key()).unwrap().unwrap();
    service.details.name = format!("Servizio{OSC_TITLE}\nDalmine \u{202E}x");
    fx.bank
        .store()
        .transact::<_, BankError, _>(|tx| {
            tx.put::<Service, BankError>(TreeId::Services, &S1.key(), rev, &service)?;
            Ok(())
        })
        .unwrap();
    let mut tui = app(&fx.bank, ANNA, Lang::It);
    press(&mut tui, "7");
    let frame = banca::tui::draw_to_string(&mut tui, 120, 40);
    assert_inert(&frame);
    // The top line (the operator's service), the directory's row and the record's title.
    let rows: Vec<&str> = frame.lines().filter(|l| l.contains("S-001") && l.contains("Servizio")).collect();
    assert_eq!(rows.len(), 3, "{frame}");
    for row in rows {
        assert!(row.contains("Servizio␛]0;pwned␇ ↵ Dalmine \u{FFFD}x"), "{row}");
    }
}
