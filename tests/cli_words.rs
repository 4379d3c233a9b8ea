//! The CLI's words come from the catalogues (`i18n::catalogue!`): a
//! refusal and a listing read, in Italian and in English, word for word as
//! they did when each command wrote its own sentences.

mod common;

use common::cli::CliBank as Bank;

/// A family of S-001 in Osio Sotto, confirmed on a fixed date; its code.
fn family(bank: &Bank) -> String {
    bank.saved(&[
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
        "--confirmed-on",
        "01/12/2026",
    ])
}

#[test]
fn a_refusal_reads_as_before_in_italian_and_english() {
    let bank = Bank::new();
    // Two problems the core finds, each a sentence with values.
    let add = |lang: &str| {
        let args = [
            "--lang",
            lang,
            "family",
            "add",
            "--service",
            "S-001",
            "--referent",
            "marco",
            "--adult",
            "Laura Bassi,1979",
            "--comune",
            "Dalmine",
            "--ages",
            "9-3",
        ];
        bank.stderr(&args, 1)
    };
    assert_eq!(
        add("it"),
        "Dati non validi, nulla è stato salvato:\n\
         \x20 - --ages (fascia d'età): il minimo (9 anni) supera il massimo (3 anni)\n\
         \x20 - --referent (referente): marco non è un operatore del servizio S-001\n"
    );
    assert_eq!(
        add("en"),
        "Invalid input, nothing was saved:\n\
         \x20 - --ages (age range): the minimum (9 years) is above the maximum (3 years)\n\
         \x20 - --referent (referent): marco is not an operator of service S-001\n"
    );
    // A refusal of the CLI's own, quoting what was typed.
    assert_eq!(bank.stderr(&["find", "zzqqxx"], 1), "«zzqqxx»: nessun risultato\n");
    assert_eq!(bank.stderr(&["--lang", "en", "find", "zzqqxx"], 1), "\"zzqqxx\": no results\n");
}

#[test]
fn a_listing_reads_as_before_in_italian_and_english() {
    let bank = Bank::new();
    let code = family(&bank);
    let it = bank.stdout(&["family", "list"]);
    let lines: Vec<&str> = it.lines().collect();
    assert_eq!(lines.len(), 3, "{it}");
    assert_eq!(lines[0], "CODICE       COMUNE      STATO    TIPI     ETÀ   TEMPI  POSTI  SERV.");
    assert!(lines[1].starts_with(&format!("{code}  Osio Sotto  interes  RES,DIU  3-10  —      1/1    S-001")), "{it}");
    assert_eq!(lines[2], "1 famiglia (⚠ = disponibilità da riconfermare)");

    let en = bank.stdout(&["--lang", "en", "family", "list"]);
    let lines: Vec<&str> = en.lines().collect();
    assert_eq!(lines.len(), 3, "{en}");
    assert_eq!(lines[0], "CODE         COMUNE      STATUS   KINDS    AGES  TIMES  PLACES  SERV.");
    assert!(lines[1].starts_with(&format!("{code}  Osio Sotto  enquir.  RES,DAY  3-10  —      1/1     S-001")), "{en}");
    assert_eq!(lines[2], "1 family (⚠ = availability to confirm again)");
}
