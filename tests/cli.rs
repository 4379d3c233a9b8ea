//! The command line end to end: the real binary on a temporary bank, as
//! an operator would type it, including wrong input and exit codes.

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

struct Bank {
    dir: TempDir,
}

/// Servers started for a test's banks die with the test: stopped on drop,
/// and told to exit after 20 idle seconds should a test abort first.
impl Drop for Bank {
    fn drop(&mut self) {
        for db in [self.path(), self.dir.path().join("restored")] {
            let _ = self.cmd_for(&db).arg("stop").output();
        }
    }
}

impl Bank {
    fn cmd_for(&self, db: &std::path::Path) -> Command {
        let config = self.dir.path().join("config.toml");
        if !config.exists() {
            std::fs::write(&config, "idle_exit = \"20s\"\n").unwrap();
        }
        let mut c = Command::cargo_bin("banca").unwrap();
        c.env("BANCA_CONFIG", config).env_remove("BANCA_LANG").env_remove("BANCA_DB").env_remove("BANCA_SOCKET");
        c.arg("--db").arg(db);
        c
    }

    /// A new bank initialised by the user running the tests, who becomes admin.
    fn new() -> Bank {
        let bank = Bank { dir: TempDir::new().unwrap() };
        bank.run(&["init"]).success();
        bank
    }

    fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("bank")
    }

    fn cmd(&self) -> Command {
        self.cmd_for(&self.path())
    }

    fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd().args(args).assert()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args).success().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    }

    fn me() -> String {
        nix::unistd::User::from_uid(nix::unistd::getuid()).unwrap().unwrap().name
    }

    /// A service with the test user's colleague `anna` as operator.
    fn with_service(self) -> Bank {
        self.run(&[
            "service",
            "add",
            "--name",
            "Servizio Affidi Ambito di Dalmine",
            "--ambits",
            "Dalmine",
            "--phone",
            "035 000 111",
        ])
        .success()
        .stdout(predicate::str::contains("S-001"));
        self.run(&["operator", "add", "anna", "--name", "Anna Verdi", "--role", "operatore", "--service", "S-001"])
            .success();
        self
    }

    /// The test user hands the administration to a colleague (`capo`) and
    /// works on as an operator of S-001: an administrator reads no identity.
    fn working_as_operator_of_s001(self) -> Bank {
        self.run(&["operator", "add", "capo", "--name", "Capo Amministratore", "--role", "amministratore"]).success();
        self.run(&["operator", "edit", &Bank::me(), "--role", "operatore", "--service", "S-001"]).success();
        self
    }

    fn add_family(&self) -> String {
        let out = self.stdout(&[
            "family",
            "add",
            "--service",
            "S-001",
            "--referent",
            "anna",
            "--adult",
            "Laura Bassi,1979",
            "--comune",
            "osio sotto",
            "--ages",
            "3-10",
            "--kinds",
            "residenziale,diurno",
            "--phone",
            "035 555 1234",
            "--confirmed-on",
            "oggi",
        ]);
        out.split_whitespace().last().unwrap().to_string()
    }
}

#[test]
fn a_command_on_a_missing_bank_says_how_to_create_one_and_exits_3() {
    let dir = TempDir::new().unwrap();
    Command::cargo_bin("banca")
        .unwrap()
        .env("BANCA_CONFIG", dir.path().join("none.toml"))
        .env_remove("BANCA_LANG")
        .args(["--db"])
        .arg(dir.path().join("nowhere"))
        .args(["family", "list"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("banca init"));
}

#[test]
fn init_makes_the_current_unix_user_administrator_and_seeds_dalmine() {
    let bank = Bank::new();
    let me = bank.stdout(&["whoami"]);
    assert!(me.contains(&Bank::me()) && me.contains("amministratore"), "{me}");
    let ambits = bank.stdout(&["ambit", "show", "Dalmine"]);
    assert!(ambits.contains("Presidio Zanica") && ambits.contains("Osio Sotto"), "{ambits}");
    bank.run(&["init"]).code(1).stderr(predicate::str::contains("già inizializzata"));
}

#[test]
fn a_wrong_date_is_refused_naming_the_flag_and_nothing_is_saved() {
    let bank = Bank::new().with_service();
    bank.run(&[
        "family",
        "add",
        "--service",
        "S-001",
        "--referent",
        "anna",
        "--adult",
        "Laura Bassi,1979",
        "--comune",
        "Dalmine",
        "--approved-on",
        "31/02/2026",
    ])
    .code(1)
    .stderr(predicate::str::contains("--approved-on").and(predicate::str::contains("31/02/2026")));
    bank.run(&["family", "list"]).success().stdout(predicate::str::contains("Nessuna famiglia"));
}

#[test]
fn every_core_problem_is_reported_at_once_with_its_flag() {
    let bank = Bank::new().with_service();
    let add = [
        "family",
        "add",
        "--service",
        "S-001",
        "--referent",
        "anna",
        "--adult",
        "Laura Bassi,1979",
        "--adult",
        "Marco Neri,2020",
        "--comune",
        "Dalmine",
        "--ages",
        "12-6",
        "--status",
        "idonea",
        "--approved-on",
        "01/03/2026",
        "--review-on",
        "01/01/2026",
        "--email",
        "laura@",
    ];
    let refused = |lang: &str| {
        let out = bank.run(&[&["--lang", lang][..], &add].concat()).code(1).get_output().stderr.clone();
        String::from_utf8(out).unwrap()
    };
    // Each line: the flag to retype, the field in words (an adult by its
    // place in the list), the reason.
    let err = refused("it");
    for expected in [
        "Dati non validi, nulla è stato salvato:",
        "  - --adult (anno di nascita dell'adulto n. 2): deve essere tra ",
        "  - --email (e-mail): ",
        "  - --kinds (tipi di affido): ",
        "  - --ages (fascia d'età): il minimo (12 anni) supera il massimo (6 anni)",
        "  - --review-on (data di revisione): deve essere successiva a «data di idoneità»",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    let err = refused("en");
    for expected in [
        "Invalid input, nothing was saved:",
        "  - --adult (adult's birth year n. 2): must be between ",
        "  - --email (e-mail): ",
        "  - --kinds (kinds of placement): ",
        "  - --ages (age range): ",
        "  - --review-on (review date): must come after \"approval date\"",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    bank.run(&["family", "list"]).success().stdout(predicate::str::contains("Nessuna famiglia"));
}

#[test]
fn an_unknown_comune_suggests_the_right_ones() {
    let bank = Bank::new().with_service();
    bank.run(&["family", "add", "--service", "S-001", "--adult", "Laura Bassi,1979", "--comune", "Osio"])
        .code(1)
        .stderr(predicate::str::contains("Osio Sotto").and(predicate::str::contains("Osio Sopra")));
}

#[test]
fn a_family_is_created_listed_shown_and_edited() {
    let bank = Bank::new().with_service().working_as_operator_of_s001();
    let code = bank.add_family();
    assert!(code.starts_with("F-") && code.ends_with("-0001"), "{code}");
    let list = bank.stdout(&["family", "list", "--comune", "Osio Sotto"]);
    assert!(list.contains(&code) && list.contains("3-10"), "{list}");
    assert!(bank.stdout(&["family", "list", "--status", "idonea"]).contains("Nessuna"));

    bank.run(&["family", "edit", &code, "--phone", "035 999 0000"])
        .success()
        .stdout(predicate::str::contains("rev. 2").and(predicate::str::contains("telefono")));
    bank.run(&[
        "family",
        "step",
        &code,
        "avvio_valutazione",
        "--social-worker",
        "Rita Rota",
        "--psychologist",
        "Marco Bassi",
    ])
    .success()
    .stdout(predicate::str::contains("Ora: in valutazione · Prossimi passi: colloquio di valutazione (colloquio)"));
    let shown = bank.stdout(&["family", "show", &code]);
    assert!(shown.contains("035 999 0000") && shown.contains("in valutazione"), "{shown}");
    assert!(shown.contains("Rita Rota (assistente sociale), Marco Bassi (psicologo/a)"), "{shown}");

    let json: serde_json::Value = serde_json::from_str(&bank.stdout(&["--json", "family", "show", &code])).unwrap();
    assert_eq!(json["revision"], 3);
    assert_eq!(json["profile"]["status"], "under_assessment");
}

#[test]
fn an_illegal_status_change_is_refused_in_plain_words() {
    let bank = Bank::new().with_service().working_as_operator_of_s001();
    let code = bank.add_family();
    bank.run(&["family", "edit", &code, "--status", "idonea", "--approved-on", "01/11/2026"]).code(1).stderr(
        predicate::str::contains(
            "da «interessata» a «idonea» si passa con un passo del percorso (banca family step); possibili ora: \
             incontro informativo (informazione), corso di formazione (formazione), avvio della valutazione \
             (avvio_valutazione), ritiro (ritiro)",
        ),
    );
    // Named as a step it cannot take yet, the refusal says what can.
    bank.run(&["family", "step", &code, "idoneita"]).code(1).stderr(predicate::str::contains(
        "«idoneità» non è un passo possibile per una famiglia «interessata»; possibili ora: incontro informativo",
    ));
    bank.run(&["family", "step", &code]).success().stdout(predicate::str::contains(
        "Ora: interessata. quale passo? Possibili ora: incontro informativo (informazione)",
    ));
}

#[test]
fn an_edit_based_on_an_old_revision_is_refused_and_says_who_changed_it() {
    let bank = Bank::new().with_service().working_as_operator_of_s001();
    let code = bank.add_family();
    bank.run(&["family", "edit", &code, "--notes", "prima modifica"]).success();
    bank.run(&["family", "edit", &code, "--revision", "1", "--notes", "seconda modifica"])
        .code(1)
        .stderr(predicate::str::contains(Bank::me()).and(predicate::str::contains("revisione 2")));
    assert!(bank.stdout(&["family", "show", &code]).contains("prima modifica"));
}

#[test]
fn a_need_shows_the_childs_identity_to_its_service_and_the_read_is_audited() {
    let bank = Bank::new().with_service();
    let out = bank.stdout(&[
        "need",
        "add",
        "--service",
        "S-001",
        "--referent",
        "anna",
        "--given-name",
        "Chiara",
        "--family-name",
        "Esempio",
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
        "--court",
        "Tribunale per i minorenni di Brescia",
        "--decree",
        "V.G. 12/2026",
    ]);
    let code = out.split_whitespace().last().unwrap().to_string();
    // The administrator who typed it in reads it back without the child's identity.
    let shown = bank.stdout(&["need", "show", &code]);
    assert!(!shown.contains("Chiara") && !shown.contains("10/05/2019") && shown.contains("giudiziale"), "{shown}");
    // Only an emergency read, with its reason, shows it; the log keeps the reason.
    bank.run(&["need", "show", &code, "--emergency", ""]).code(1).stderr(predicate::str::contains("motivo"));
    let shown = bank.stdout(&["need", "show", &code, "--emergency", "minore scomparso, richiesta dei carabinieri"]);
    assert!(shown.contains("Chiara Esempio") && shown.contains("10/05/2019"), "{shown}");
    let audit = bank.stdout(&["audit", "--record", &code]);
    assert!(
        audit.contains("lettura d'emergenza") && audit.contains("motivo: minore scomparso, richiesta dei carabinieri"),
        "{audit}"
    );

    // Its own service reads it (on record, in a log the operator does not read).
    let bank = bank.working_as_operator_of_s001();
    let shown = bank.stdout(&["need", "show", &code]);
    assert!(shown.contains("Chiara Esempio") && shown.contains("giudiziale"), "{shown}");
    let list = bank.stdout(&["need", "list"]);
    assert!(list.contains(&code) && !list.contains("Chiara"), "lists are pseudonymous:\n{list}");
}

#[test]
fn a_judicial_need_without_a_decree_is_refused() {
    let bank = Bank::new().with_service();
    bank.run(&[
        "need",
        "add",
        "--service",
        "S-001",
        "--given-name",
        "Chiara",
        "--family-name",
        "Esempio",
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
    ])
    .code(1)
    .stderr(predicate::str::contains("--court").and(predicate::str::contains("--decree")));
}

#[test]
fn export_then_import_restores_the_same_bank() {
    let bank = Bank::new().with_service();
    bank.add_family();
    let file = bank.dir.path().join("backup.jsonl");
    bank.run(&["export", file.to_str().unwrap()]).success();
    let restored = bank.dir.path().join("restored");
    let import = || bank.cmd_for(&restored).arg("import").arg(&file).assert();
    import().success().stdout(predicate::str::contains("1 famiglie"));
    // Importing again into the now non-empty bank is refused.
    import().code(1).stderr(predicate::str::contains("non è vuota"));
    let list = bank.cmd_for(&restored).args(["family", "list"]).assert().success();
    assert!(String::from_utf8_lossy(&list.get_output().stdout).contains("Osio Sotto"));
}

#[test]
fn a_broken_import_file_is_refused_with_its_line_numbers_and_writes_nothing() {
    let bank = Bank { dir: TempDir::new().unwrap() };
    let file = bank.dir.path().join("bad.jsonl");
    std::fs::write(&file, "{\"header\":{\"format\":\"banca-export\",\"version\":3,\"store_format\":1}}\nnot json\n")
        .unwrap();
    bank.run(&["import", file.to_str().unwrap()]).code(1).stderr(predicate::str::contains("riga 2"));
    // Nothing was written: not even the bank's folder, and nothing beside it.
    let mut left: Vec<_> = std::fs::read_dir(bank.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["bad.jsonl", "config.toml"]);
    bank.run(&["family", "list"]).code(3).stderr(predicate::str::contains("banca init"));
}

#[test]
fn the_audit_log_verifies() {
    let bank = Bank::new().with_service();
    bank.add_family();
    bank.run(&["audit", "--verify"]).success().stdout(predicate::str::contains("Registro integro"));
}

#[test]
fn english_on_request() {
    let bank = Bank::new().with_service();
    bank.run(&[
        "--lang",
        "en",
        "family",
        "add",
        "--service",
        "S-001",
        "--adult",
        "Laura Bassi,1979",
        "--comune",
        "Dalmine",
        "--ages",
        "9-3",
    ])
    .code(1)
    .stderr(predicate::str::contains("age range").and(predicate::str::contains("above the maximum")));
}

#[test]
fn usage_errors_exit_2() {
    let bank = Bank::new();
    bank.run(&["family", "frobnicate"]).code(2);
    bank.run(&["--lang", "fr", "family", "list"]).code(2);
}

#[test]
fn a_bank_held_by_another_process_is_reported_as_busy() {
    let bank = Bank::new();
    bank.run(&["stop"]).success();
    let held = banca::bank::Bank::open(
        &bank.path(),
        banca::bank::BankConfig::default(),
        false,
        std::sync::Arc::new(banca::bank::SystemClock::new()),
    )
    .unwrap();
    bank.run(&["family", "list"]).code(3).stderr(predicate::str::contains("banca serve"));
    drop(held);
    bank.run(&["family", "list"]).success();
}

#[test]
fn the_server_started_by_a_command_serves_the_next_and_stops_on_request() {
    let bank = Bank::new();
    let socket = String::from_utf8(bank.cmd().args(["--json", "info"]).output().unwrap().stdout).unwrap();
    assert!(socket.contains("families"), "{socket}");
    bank.run(&["stop"]).success().stdout(predicate::str::contains("Server fermato"));
    bank.run(&["--no-spawn", "whoami"]).code(3).stderr(predicate::str::contains("Nessun server"));
    bank.run(&["stop"]).success().stdout(predicate::str::contains("Nessun server"));
    bank.run(&["whoami"]).success();
}

#[test]
fn two_banks_never_share_a_server() {
    let a = Bank::new();
    let b = Bank::new();
    a.run(&["service", "add", "--name", "Servizio A"]).success();
    assert!(b.stdout(&["service", "list"]).lines().count() <= 1, "bank b sees bank a's services");
    // Pointing a client of bank b at bank a's socket is refused by the handshake.
    let a_socket = banca::config::default_socket(&banca::config::canonical_bank_path(&a.path()));
    b.cmd()
        .arg("--socket")
        .arg(&a_socket)
        .arg("whoami")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("serve la banca"));
}

#[test]
fn comune_lookup_and_distance_without_a_bank() {
    let dir = TempDir::new().unwrap();
    let out = Command::cargo_bin("banca")
        .unwrap()
        .env("BANCA_CONFIG", dir.path().join("none.toml"))
        .env_remove("BANCA_LANG")
        .args(["comune", "dalmine", "--to", "Milano"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("016091") && text.contains("38.") && text.contains("Milano (MI)"), "{text}");
}

#[test]
fn an_administrator_edits_what_it_sees_and_is_told_it_cannot_change_the_rest() {
    let bank = Bank::new().with_service();
    let code = bank.add_family();
    // The shared part: changed, the identity kept.
    bank.run(&["family", "edit", &code, "--max-children", "2"]).success().stdout(predicate::str::contains("rev. 2"));
    // The private part: refused before anything is sent, naming the flags.
    let out =
        bank.run(&["family", "edit", &code, "--phone", "035 000 9999", "--notes", "x"]).code(1).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--phone") && err.contains("--notes") && err.contains("dati riservati"), "{err}");
    let bank = bank.working_as_operator_of_s001();
    let shown = bank.stdout(&["family", "show", &code]);
    assert!(shown.contains("035 555 1234") && shown.contains("revisione 2"), "the phone is kept:\n{shown}");
}

#[test]
fn the_bricking_family_is_refused_naming_each_flag_and_its_limit_and_nothing_is_saved() {
    let bank = Bank::new().with_service();
    let email = format!("{}@example.org", "a".repeat(130_000));
    let mut args: Vec<String> =
        ["family", "add", "--service", "S-001", "--referent", "anna", "--comune", "Dalmine"].map(String::from).to_vec();
    for _ in 0..8200 {
        args.extend(["--adult".to_string(), "Anna Rossi,1980".to_string()]);
    }
    args.extend(["--email".to_string(), email]);
    let out = bank.cmd().args(&args).assert().code(1).get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    for expected in ["--adult", "al massimo 10", "--email", "al massimo 254 caratteri"] {
        assert!(err.contains(expected), "missing {expected} in:\n{err}");
    }
    assert!(err.len() < 2000, "one line per problem, not one per adult:\n{err}");
    bank.run(&["family", "list"]).success().stdout(predicate::str::contains("Nessuna famiglia"));
}

#[test]
fn a_negative_number_is_refused_naming_its_flag() {
    let bank = Bank::new().with_service();
    let add = ["family", "add", "--service", "S-001", "--referent", "anna", "--adult", "Laura Bassi,1979"];
    let mut args = add.to_vec();
    args.extend(["--comune", "Dalmine", "--max-children", "-1"]);
    bank.run(&args).code(1).stderr(predicate::str::contains("--max-children: «-1»: non può essere negativo"));
    let mut en = vec!["--lang", "en"];
    en.extend(&args);
    bank.run(&en).code(1).stderr(predicate::str::contains("--max-children: «-1»: cannot be negative"));
    // A flag clap reads as a number names itself too.
    bank.run(&["family", "list", "--limit", "-1"])
        .code(2)
        .stderr(predicate::str::contains("'--limit <LIMIT>'").and(predicate::str::contains("non può essere negativo")));
    bank.run(&["family", "list"]).success().stdout(predicate::str::contains("Nessuna famiglia"));
    // Asking for none would read as "there are none": refused.
    bank.run(&["family", "list", "--limit", "0"])
        .code(2)
        .stderr(predicate::str::contains("'--limit <LIMIT>'").and(predicate::str::contains("deve essere almeno 1")));
    bank.run(&["--lang", "en", "audit", "--limit", "0"]).code(2).stderr(predicate::str::contains("must be at least 1"));
}

#[test]
fn a_date_out_of_its_window_is_refused_naming_the_window() {
    let bank = Bank::new().with_service();
    let err = bank
        .run(&[
            "family",
            "add",
            "--service",
            "S-001",
            "--referent",
            "anna",
            "--adult",
            "Laura Bassi,1979",
            "--comune",
            "Dalmine",
            "--approved-on",
            "01/01/1900",
        ])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("--approved-on") && err.contains("deve essere tra 01/01/1990 e oggi"), "{err}");
}

/// Every flag of the commands an operator types most says what it is for:
/// `--spare-rooms` and the lists' `--limit` showed a bare name.
#[test]
fn every_flag_of_the_everyday_commands_has_a_description() {
    for command in [&["family", "add"][..], &["family", "edit"], &["family", "list"], &["need", "list"]] {
        let out =
            Command::cargo_bin("banca").unwrap().args(command).arg("--help").env_remove("BANCA_LANG").output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let flag = line.trim_start();
            if !flag.starts_with("--") && !flag.starts_with("-h") {
                continue;
            }
            // The description follows on the same line, or on the next one, indented.
            let inline = flag.split_once("  ").is_some_and(|(_, rest)| !rest.trim().is_empty());
            let below = lines.get(i + 1).is_some_and(|next| {
                let next = next.trim_start();
                !next.is_empty() && !next.starts_with('-')
            });
            assert!(inline || below, "{command:?}: {flag} has no description:\n{help}");
        }
    }
}

/// A file that never ends and holds no line (`/dev/zero`) is refused at
/// line 1 once it is longer than any header, not read for ever; nothing is left.
#[test]
fn an_import_of_an_endless_stream_is_refused_at_line_one() {
    let dir = TempDir::new().unwrap();
    let bank = Bank { dir };
    let new = bank.dir.path().join("restored");
    let out = bank
        .cmd_for(&new)
        .args(["--lang", "en", "import", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("line 1:"), "{err}");
    let left: Vec<_> = std::fs::read_dir(bank.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with("restored"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
