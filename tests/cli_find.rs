//! `banca find` and `banca show` from the command line: the real binary on
//! a temporary bank, as an operator would type them, including no results,
//! wrong filters and unknown codes.

mod common;

use common::cli::CliBank as Bank;

/// The records this file's tests are made of.
trait Records {
    fn family(&self) -> String;
    fn need(&self) -> String;
}

impl Records for Bank {
    /// An approved family of S-001 in Osio Sotto: Niccolò and Laura Bassi.
    fn family(&self) -> String {
        self.saved(&[
            "family",
            "add",
            "--service",
            "S-001",
            "--referent",
            "anna",
            "--adult",
            "Niccolò Bassi,1978",
            "--adult",
            "Laura Bassi,1979",
            "--comune",
            "osio sotto",
            "--ages",
            "3-10",
            "--kinds",
            "residenziale,diurno",
            "--status",
            "idonea",
            "--approved-on",
            "01/01/2024",
            "--confirmed-on",
            "oggi",
        ])
    }

    /// Chiara Esempio, 7, in Dalmine, a residential placement (S-001).
    fn need(&self) -> String {
        self.saved(&[
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
            "--contact",
            "mensile",
        ])
    }
}

#[test]
fn find_prints_one_line_per_hit_best_first_then_how_many() {
    let bank = Bank::new();
    bank.work_as_operator_of_s001();
    let family = bank.family();
    let need = bank.need();

    // Accents folded and a double letter forgiven: "nicolo" finds Niccolò (after the comuni
    // with the word itself, San Nicolò…, then those with a word it starts, Nicolosi). In a
    // pipe: no highlighting, and one line per hit for grep.
    let out = bank.stdout(&["find", "nicolo"]);
    let line = format!("famiglia  {family}  Niccolò Bassi, Laura Bassi  Osio Sotto (BG) · idonea · S-001");
    let at = |text: &str| out.lines().position(|l| l.contains(text)).unwrap_or_else(|| panic!("{text}: {out}"));
    assert!(out.lines().next().unwrap().contains("San Nicolò"), "{out}");
    assert!(at("San Nicolò") < at("Nicolosi (CT)") && at("Nicolosi (CT)") < at(&line), "{out}");
    assert!(!out.contains('\x1b'), "no escape codes in a pipe: {out:?}");
    assert!(bank.stdout(&["find", "nicolo", "kind:famiglia"]).starts_with(&line));

    // A comune: its ISTAT code, name and region; the query in several words; Osio Sopra before Osio Sotto.
    let out = bank.stdout(&["find", "osio", "kind:comune"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "comune  016152  Osio Sopra (BG)  Lombardia", "{out}");
    assert_eq!(lines[1], "comune  016153  Osio Sotto (BG)  Lombardia", "{out}");
    // Many more comuni look like "osio" (Osimo, Canosio…): the first 20 by default.
    assert!(lines.last().is_some_and(|l| l.ends_with(" risultati (mostrati i primi 20)")), "{out}");
    assert_eq!(lines.len(), 22, "{out}");

    // The child's name: the need and its context.
    let out = bank.stdout(&["find", "chiara esempio"]);
    assert!(out.starts_with(&format!("richiesta  {need}  Chiara Esempio  Dalmine (BG) · aperta · S-001\n")), "{out}");
    // Services and operators, with the operator's role in the operator's language.
    let out = bank.stdout(&["find", "kind:operatore", "anna"]);
    assert!(out.starts_with("operatore  anna  Anna Verdi  S-001 · operatore\n"), "{out}");
    let out = bank.stdout(&["--lang", "en", "find", "kind:service", "bergamo"]);
    assert!(out.starts_with("service  S-002  Servizio Affidi Ambito di Bergamo  035 000 222\n"), "{out}");
    assert!(out.ends_with("\n1 result\n"), "{out}");

    // Filters alone, in one argument or several.
    let one = bank.stdout(&["find", "kind:famiglia stato:idonea comune:osio_sotto"]);
    let several = bank.stdout(&["find", "kind:famiglia", "stato:idonea", "comune:osio_sotto"]);
    assert_eq!(one, several);
    assert!(one.contains(&family) && one.ends_with("\n1 risultato\n"), "{one}");

    // The limit: the count of all, the first few shown.
    let out = bank.stdout(&["find", "osio", "--limit", "1"]);
    assert_eq!(out.lines().filter(|l| !l.is_empty()).count(), 2, "{out}");
    assert!(out.contains("(mostrato il primo)"), "{out}");
    let out = bank.stdout(&["find", "a", "--limit", "3"]);
    assert!(out.contains("risultati (mostrati i primi 3)"), "{out}");
    let en = bank.stdout(&["--lang", "en", "find", "a", "--limit", "3"]);
    assert!(en.contains("results (the first 3 shown)") && en.contains("comune"), "{en}");

    // The exact code first; in English, the status too.
    let out = bank.stdout(&["--lang", "en", "find", &family]);
    assert!(
        out.starts_with(&format!("family  {family}  Niccolò Bassi, Laura Bassi  Osio Sotto (BG) · approved")),
        "{out}"
    );

    // JSON for scripts: the hits, their matched positions and the count.
    let json: serde_json::Value =
        serde_json::from_str(&bank.stdout(&["--json", "find", "bassi", "kind:famiglia"])).unwrap();
    assert_eq!(json["hits"][0]["code"], family.as_str());
    assert_eq!(json["hits"][0]["kind"], "family");
    assert_eq!(json["hits"][0]["status"], "approved");
    assert!(json["hits"][0]["matched"].as_array().is_some_and(|m| m.len() == 5));
    assert!(json["total"].as_u64().is_some_and(|t| t >= 1));
}

#[test]
fn find_without_results_or_with_a_wrong_filter_exits_1_with_a_sentence() {
    let bank = Bank::new();
    bank.family();

    let err = bank.stderr(&["find", "qqqzzzxxx"], 1);
    assert_eq!(err.trim(), "«qqqzzzxxx»: nessun risultato");
    let err = bank.stderr(&["--lang", "en", "find", "qqqzzzxxx"], 1);
    assert_eq!(err.trim(), "\"qqqzzzxxx\": no results");
    // For scripts: the empty result as JSON, and still exit 1.
    let out = bank.run(&["--json", "find", "qqqzzzxxx"]).code(1).get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!((json["total"].as_u64(), json["hits"].as_array().map(Vec::len)), (Some(0), Some(0)));
    // Filters that exclude everything: the same.
    let err = bank.stderr(&["find", "bassi", "comune:dalmine"], 1);
    assert!(err.contains("nessun risultato"), "{err}");

    // An unknown filter or value: what the operator typed, and what is possible; nothing about saving.
    let err = bank.stderr(&["find", "rossi", "colore:rosso"], 1);
    assert!(err.contains("filtro «colore:» sconosciuto") && err.contains("kind:, stato:, servizio:, comune:"), "{err}");
    assert!(!err.contains("salvato") && !err.contains("--query"), "{err}");
    let err = bank.stderr(&["--lang", "en", "find", "stato:felice"], 1);
    assert!(err.contains("\"stato:felice\": unknown value"), "{err}");
    let err = bank.stderr(&["find", "comune:atlantide"], 1);
    assert!(err.contains("comune sconosciuto (atlantide)"), "{err}");
    // Nine different words: a sentence saying how many may be, in either language.
    let err = bank.stderr(&["find", "a", "b", "c", "d", "e", "f", "g", "h", "i"], 1);
    assert!(err.contains("troppe parole: al massimo 8 parole diverse, filtri esclusi"), "{err}");
    let err = bank.stderr(&["--lang", "en", "find", "a b c d e f g h i kind:famiglia"], 1);
    assert!(err.contains("too many words: at most 8 different words"), "{err}");

    // Nothing to search: exit 1; a zero limit and no query at all are usage errors.
    assert!(bank.stderr(&["find", "  "], 1).contains("Scrivere un testo o un filtro"));
    let zero = bank.stderr(&["find", "bassi", "--limit", "0"], 2);
    assert!(zero.contains("--limit") && zero.contains("deve essere almeno 1"), "{zero}");
    bank.run(&["find"]).code(2);
}

#[test]
fn show_opens_any_record_by_its_code_as_its_own_show_does() {
    let bank = Bank::new();
    bank.work_as_operator_of_s001();
    let family = bank.family();
    let need = bank.need();
    let out = bank.stdout(&["propose", &need, &family]);
    let proposal = out.split_whitespace().find(|w| w.starts_with("P-")).unwrap().trim_end_matches(':').to_string();
    bank.run(&["proposal", "accept", &proposal]).success();
    let out = bank.stdout(&["placement", "start", &proposal, "--start", "oggi", "--relationship", "eterofamiliare"]);
    let placement = out.split_whitespace().find(|w| w.starts_with("A-")).unwrap().to_string();

    for (code, own) in [
        (family.as_str(), vec!["family", "show", &family]),
        (need.as_str(), vec!["need", "show", &need]),
        (proposal.as_str(), vec!["proposal", "show", &proposal]),
        (placement.as_str(), vec!["placement", "show", &placement]),
        ("S-002", vec!["service", "show", "S-002"]),
        ("016153", vec!["comune", "016153"]),
        ("marco", vec!["operator", "show", "marco"]),
        ("Dalmine", vec!["ambit", "show", "Dalmine"]),
    ] {
        let shown = bank.stdout(&["show", code]);
        assert!(!shown.is_empty(), "{code}");
        assert_eq!(shown, bank.stdout(&own), "show {code} is {own:?}");
        let json = bank.stdout(&["--json", "show", code]);
        let mut own_json = vec!["--json"];
        own_json.extend(own.iter().copied());
        assert_eq!(json, bank.stdout(&own_json), "--json show {code}");
    }
    // The caller's view: identities for the operator of their service running the tests.
    assert!(bank.stdout(&["show", &family]).contains("Niccolò Bassi"));
    assert!(bank.stdout(&["show", &need]).contains("Chiara"));
    // Codes as typed: lower case, spaces.
    assert_eq!(bank.stdout(&["show", &format!(" {} ", family.to_lowercase())]), bank.stdout(&["show", &family]));
    assert!(bank.stdout(&["--lang", "en", "show", "016153"]).contains("Osio Sotto (BG)"));

    // Unknown codes: a sentence, exit 1.
    for code in ["Z-2026-0001", "nessuno", "999999", "F-2026"] {
        let err = bank.stderr(&["show", code], 1);
        assert!(err.contains(&format!("«{code}»: nessuna scheda ha questo codice")), "{code}: {err}");
        assert!(err.contains("F-2026-0001") && err.contains("ISTAT"), "{err}");
    }
    let err = bank.stderr(&["--lang", "en", "show", "nobody"], 1);
    assert!(err.contains("\"nobody\": no record has this code"), "{err}");
    // A well-formed code of a record that does not exist.
    let err = bank.stderr(&["show", "F-2026-0999"], 1);
    assert!(err.contains("F-2026-0999: non trovato"), "{err}");
    bank.run(&["show"]).code(2);
}

#[test]
fn a_conflict_says_which_record_to_read_again() {
    let bank = Bank::new();
    bank.work_as_operator_of_s001();
    let family = bank.family();
    bank.run(&["family", "edit", &family, "--notes", "prima modifica"]).success();
    let err = bank.stderr(&["family", "edit", &family, "--revision", "1", "--notes", "seconda"], 1);
    assert!(err.contains(&format!("rileggi il record con `banca show {family}`")), "{err}");
    let err = bank.stderr(&["--lang", "en", "family", "edit", &family, "--revision", "1", "--notes", "x"], 1);
    assert!(err.contains(&format!("read the record again with `banca show {family}`")), "{err}");
    // What the message says to type works.
    assert!(bank.stdout(&["show", &family]).contains("prima modifica"));
}
