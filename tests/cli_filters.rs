//! `banca family list` with the phone call's filters, through the real
//! binary and the server it starts: the families that fit, nearest first,
//! in a table of 80 columns with their time slots, free places and km.

mod common;

use common::cli::CliBank as Bank;

/// An approved family of S-002 (referent marco) in `comune`.
fn family(bank: &Bank, comune: &str, ages: &str, sex: &str, slots: &str) -> String {
    bank.saved(&[
        "family",
        "add",
        "--service",
        "S-002",
        "--referent",
        "marco",
        "--adult",
        "Laura Bassi,1979",
        "--comune",
        comune,
        "--ages",
        ages,
        "--sex-preference",
        sex,
        "--time",
        slots,
        "--kinds",
        "residenziale,tempo_libero",
        "--max-children",
        "2",
        "--status",
        "idonea",
        "--approved-on",
        "01/01/2024",
        "--confirmed-on",
        "oggi",
    ])
}

const PHONE_CALL: [&str; 16] = [
    "family", "list", "--age", "6", "--slots", "weekend", "--sex", "m", "--free", "1", "--near", "Dalmine", "--km",
    "5", "--sort", "distanza",
];

#[test]
fn the_phone_call_is_one_command_nearest_first_in_80_columns() {
    let bank = Bank::new();
    let dalmine = family(&bank, "Dalmine", "3-10", "indifferente", "weekend,vacanze,feriali");
    let stezzano = family(&bank, "Stezzano", "0-10", "maschi", "weekend");
    let _bergamo = family(&bank, "Bergamo", "6-14", "indifferente", "weekend");
    let _girls = family(&bank, "Dalmine", "0-17", "femmine", "weekend");
    let _weekdays = family(&bank, "Stezzano", "0-17", "indifferente", "feriali");

    let out = bank.stdout(&PHONE_CALL);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        vec![
            "CODICE       COMUNE    KM   STATO   TIPI    ETÀ   TEMPI     POSTI  SERV.",
            &format!("{dalmine}  Dalmine   0,0  idonea  RES,TL  3-10  FER,WE+1  2/2    S-002"),
            &format!("{stezzano}  Stezzano  3,6  idonea  RES,TL  0-10  WE        2/2    S-002"),
            "2 famiglie (⚠ = disponibilità da riconfermare)",
        ],
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");

    let en = bank.stdout(&[&["--lang", "en"][..], &PHONE_CALL].concat());
    assert!(en.starts_with("CODE         COMUNE    KM   STATUS   KINDS    AGES  TIMES    PLACES  SERV.\n"), "{en}");
    assert!(en.contains(&format!("{stezzano}  Stezzano  3.6  approv.  RES,RSP  0-10  WE       2/2     S-002")));

    // For a script: the same families, each with its distance in metres.
    let json = bank.stdout(&[&["--json"][..], &PHONE_CALL].concat());
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("a JSON array");
    let got: Vec<(&str, u64)> =
        rows.iter().map(|r| (r["code"].as_str().unwrap(), r["distance_m"].as_u64().unwrap())).collect();
    assert_eq!(got, vec![(dalmine.as_str(), 0), (stezzano.as_str(), 3556)]);
}

#[test]
fn presidio_ambito_and_wrong_flags_are_answered_in_words() {
    let bank = Bank::new();
    let dalmine = family(&bank, "Dalmine", "3-10", "indifferente", "weekend");
    let stezzano = family(&bank, "Stezzano", "0-10", "maschi", "weekend");
    let bergamo = family(&bank, "Bergamo", "6-14", "indifferente", "weekend");
    let codes = |args: &[&str]| -> Vec<String> {
        let out = bank.stdout(&[&["family", "list"][..], args].concat());
        out.lines().skip(1).filter(|l| l.starts_with("F-")).map(|l| l[..11].to_string()).collect()
    };
    assert_eq!(codes(&["--district", "Zanica"]), vec![stezzano.clone()]);
    assert_eq!(codes(&["--ambit", "dalmine"]), vec![dalmine.clone(), stezzano.clone()]);
    assert_eq!(codes(&["--near", "Stezzano", "--sort", "distance"]), vec![stezzano, dalmine, bergamo]);

    let err = bank.stderr(&["family", "list", "--district", "Atlantide"], 1);
    assert!(err.contains("--district (presidio): il presidio «Atlantide» non esiste"), "{err}");
    let err = bank.stderr(&["family", "list", "--age", "sei"], 1);
    assert!(err.contains("--age") && err.contains("anni (6) o in mesi (8m)"), "{err}");
    // A distance order, or a radius, with no comune to measure from: refused before asking.
    bank.run(&["family", "list", "--sort", "distanza"]).code(2);
    let err = bank.stderr(&["family", "list", "--km", "5"], 1);
    assert!(err.contains("--km: serve --near, il comune da cui misurare"), "{err}");
    // A radius out of its bounds is said in words, as the core would.
    let err = bank.stderr(&["family", "list", "--near", "Dalmine", "--km", "0"], 1);
    assert!(err.contains("--km: «0»: i km vanno da 1 a 1500"), "{err}");
    let err = bank.stderr(&["--lang", "en", "family", "list", "--near", "Dalmine", "--km", "-5"], 1);
    assert!(err.contains("--km: \"-5\": km go from 1 to 1500"), "{err}");
}
