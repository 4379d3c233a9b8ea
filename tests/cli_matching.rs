//! Matching, proposals and placements from the command line: the real
//! binary on a temporary bank, as an operator would type it.

use predicates::prelude::*;

mod common;

use common::cli::CliBank as Bank;

/// The records this file's tests are made of.
trait Records {
    fn family(&self, comune: &str, ages: &str, confirmed_on: &str) -> String;
    fn need(&self) -> String;
    fn propose(&self, need: &str, family: &str) -> String;
}

impl Records for Bank {
    /// An approved family of S-002 in `comune`, full time, for children aged `ages`.
    fn family(&self, comune: &str, ages: &str, confirmed_on: &str) -> String {
        self.saved(&[
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
            "--kinds",
            "residenziale,diurno",
            "--time",
            "tempo_pieno",
            "--status",
            "idonea",
            "--approved-on",
            "01/01/2024",
            "--confirmed-on",
            confirmed_on,
        ])
    }

    /// A 7-year-old girl in Dalmine who needs a residential placement (S-001).
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
            "--origin-comune",
            "Zanica",
        ])
    }

    /// The proposal code `propose` printed ("Proposta P-2026-0001: …").
    fn propose(&self, need: &str, family: &str) -> String {
        let out = self.stdout(&["propose", need, family, "--note", "Famiglia vicina alla scuola."]);
        out.split_whitespace().find(|w| w.starts_with("P-")).unwrap().trim_end_matches(':').to_string()
    }
}

#[test]
fn match_ranks_a_candidate_with_its_reasons_and_counts_the_excluded() {
    let bank = Bank::new();
    let fits = bank.family("osio sotto", "3-10", "oggi");
    let too_young = bank.family("zanica", "12-17", "oggi");
    let stale = bank.family("dalmine", "3-10", "01/01/2025");
    let need = bank.need();

    let out = bank.stdout(&["match", &need]);
    assert!(out.contains(&need) && out.contains("7 anni") && out.contains("Dalmine (BG)"), "header:\n{out}");
    assert!(out.contains(&format!(" 1. {fits}")) || out.contains(&format!(" 1. {stale}")), "a rank 1:\n{out}");
    assert!(out.contains("/100") && out.contains("1 posto libero"), "{out}");
    // Contact: the family's service and referent.
    assert!(out.contains("S-002 Servizio Affidi Ambito di Bergamo") && out.contains("Marco Neri (marco)"), "{out}");
    // Explanation lines, signed.
    assert!(out.contains("    + ") && out.contains("distanza dal bambino"), "{out}");
    assert!(out.contains("distanza dalla famiglia d'origine"), "{out}");
    // The stale family is marked as such.
    assert!(out.contains(&stale) && out.contains("⚠ DA RICONFERMARE"), "{out}");
    // Summary: considered, candidates, excluded by rule.
    assert!(out.contains("Famiglie esaminate: 3 · candidate: 2"), "{out}");
    assert!(out.contains("età fuori dalla fascia") && !out.contains(&too_young), "{out}");

    let json: serde_json::Value = serde_json::from_str(&bank.stdout(&["--json", "match", &need])).unwrap();
    assert_eq!(json["considered"], 3);
    assert_eq!(json["candidates"][0]["rank"], 1);
    assert_eq!(json["excluded"][0][0], "age");

    // The other way round: the open needs a family could take.
    let out = bank.stdout(&["match", "--family", &fits]);
    assert!(out.contains(&format!(" 1. {need}")) && out.contains("Richieste aperte esaminate: 1"), "{out}");

    let en = bank.stdout(&["--lang", "en", "match", &need, "--limit", "1"]);
    assert!(en.contains("Families considered: 3") && en.contains("age outside the range"), "{en}");
    assert!(en.contains("Only the first is shown"), "{en}");
}

#[test]
fn why_not_gives_the_failing_rule_or_the_rank() {
    let bank = Bank::new();
    let fits = bank.family("osio sotto", "3-10", "oggi");
    let too_young = bank.family("zanica", "12-17", "oggi");
    let need = bank.need();

    let out = bank.stdout(&["match", &need, "--why-not", &too_young]);
    assert!(out.contains(&format!("{too_young} non è candidata:")), "{out}");
    assert!(out.contains(&format!("{need} ha 7 anni, fuori dalla fascia della famiglia (12–17 anni)")), "{out}");

    let out = bank.stdout(&["match", &need, "--why-not", &fits]);
    assert!(out.contains(&format!("{fits} è candidata: 1ª su 1")), "{out}");

    // A malformed code names the flag.
    let err = bank.stderr(&["match", &need, "--why-not", "F-12"], 1);
    assert!(err.contains("--why-not") && err.contains("F-2026-0001"), "{err}");
    // --family and a need together are a usage error.
    bank.run(&["match", &need, "--family", &fits]).code(2);
}

#[test]
fn propose_accept_start_review_and_close_through_the_cli() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();

    let out = bank.stdout(&["propose", &need, &family, "--note", "Famiglia vicina alla scuola."]);
    let proposal = out.split_whitespace().find(|w| w.starts_with("P-")).unwrap().trim_end_matches(':').to_string();
    assert!(proposal.ends_with("-0001"), "{out}");
    assert!(out.contains("posta in entrata") && out.contains("S-002 Servizio Affidi Ambito di Bergamo"), "{out}");
    // The card: the child as every service may see her, never her name, and whom to call.
    let card = bank.stdout(&["proposal", "show", &proposal]);
    let child = format!("Minore di {need}  ·  7 anni");
    for expected in
        [child.as_str(), "Urgenza", "Contatti", "Servizio del minore", "S-001 Servizio Affidi Ambito di Dalmine"]
    {
        assert!(card.contains(expected), "missing {expected} in:\n{card}");
    }
    let family_side = card.split("Servizio della famiglia").last().unwrap_or_default();
    for (label, value) in [("telefono", "035 000 222"), ("referente", "Marco Neri (marco)")] {
        let line = family_side.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_default();
        assert!(line.ends_with(value), "{label} {value} in:\n{card}");
    }
    assert!(!card.contains("Chiara") && !card.contains("Laura Bassi"), "no identity on the card:\n{card}");
    // The match now shows the proposal beside the family.
    assert!(bank.stdout(&["match", &need]).contains(&format!("Già proposta: {proposal} (proposta)")));
    // It is in the family's service's inbox, not in its outbox.
    assert!(bank.stdout(&["proposals", "--inbox", "--service", "S-002"]).contains(&proposal));
    assert!(bank.stdout(&["proposals", "--outbox", "--service", "S-002"]).contains("Nessuna proposta"));

    bank.run(&["proposal", "review", &proposal, "--note", "Colloquio fissato."])
        .success()
        .stdout(predicate::str::contains("in valutazione (rev. 2)"));
    bank.run(&["proposal", "accept", &proposal])
        .success()
        .stdout(predicate::str::contains("accettata (rev. 3)").and(predicate::str::contains("placement start")));
    assert!(bank.stdout(&["need", "list"]).contains("abbinata"));

    let out = bank.stdout(&[
        "placement",
        "start",
        &proposal,
        "--start",
        "oggi",
        "--relationship",
        "eterofamiliare",
        "--supervised",
        "--commitments",
        "La famiglia accompagna la bambina a scuola.",
    ]);
    let placement = out.split_whitespace().find(|w| w.starts_with("A-")).unwrap().to_string();
    assert!(out.contains(&format!("Richieste chiuse (affido avviato): {need}")), "{out}");
    // The plan took the need's contact; --supervised alone means yes.
    let shown = bank.stdout(&["placement", "show", &placement]);
    assert!(shown.contains("mensile, incontri facilitati") && shown.contains("in corso"), "{shown}");

    bank.run(&["placement", "review", &placement, "--date", "oggi", "--note", "Inserimento sereno."])
        .success()
        .stdout(predicate::str::contains("verifiche"));
    bank.run(&["placement", "plan", &placement, "--contact", "quindicinale"]).success();
    bank.run(&[
        "placement",
        "close",
        &placement,
        "--date",
        "oggi",
        "--outcome",
        "rientro_famiglia_origine",
        "--note",
        "Rientro concordato.",
    ])
    .success()
    .stdout(predicate::str::contains("chiusura"));

    let shown = bank.stdout(&["placement", "show", &placement]);
    for expected in ["chiuso il", "rientro in famiglia d'origine", "Inserimento sereno.", "quindicinale"] {
        assert!(shown.contains(expected), "missing {expected} in:\n{shown}");
    }
    let steps = bank.stdout(&["proposal", "show", &proposal]);
    for expected in ["proposta", "in valutazione", "accettata", "avviata", "Colloquio fissato.", &placement] {
        assert!(steps.contains(expected), "missing {expected} in:\n{steps}");
    }
    assert!(bank.stdout(&["placement", "list", "--closed"]).contains(&placement));
    assert!(bank.stdout(&["placement", "list", "--active"]).contains("Nessun affido"));
    for code in [family.as_str(), need.as_str(), "S-001"] {
        let history = bank.stdout(&["history", code]);
        assert!(history.contains(&proposal) && history.contains(&placement), "history of {code}:\n{history}");
    }
    let json: serde_json::Value = serde_json::from_str(&bank.stdout(&["--json", "history", &family])).unwrap();
    assert_eq!(json["placements"][0]["record"]["closing"]["outcome"], "return_home");

    // A closed placement takes no more reviews.
    let err = bank.stderr(&["placement", "review", &placement, "--date", "oggi", "--note", "x"], 1);
    assert!(err.contains("è chiuso"), "{err}");
}

#[test]
fn declining_without_a_reason_is_refused_naming_the_flag() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();
    let proposal = bank.propose(&need, &family);

    let err = bank.stderr(&["proposal", "decline", &proposal], 1);
    assert!(err.contains("--reason") && err.contains("nulla è stato salvato"), "{err}");
    let err = bank.stderr(&["proposal", "withdraw", &proposal, "--reason", "   "], 1);
    assert!(err.contains("--reason"), "{err}");
    assert!(bank.stdout(&["proposal", "show", &proposal]).contains("revisione 1"), "nothing was saved");

    bank.run(&["proposal", "decline", &proposal, "--reason", "La famiglia non è disponibile prima di settembre."])
        .success()
        .stdout(predicate::str::contains("rifiutata"));
    let steps = bank.stdout(&["proposal", "show", &proposal]);
    assert!(steps.contains("non è disponibile prima di settembre"), "{steps}");
}

#[test]
fn a_proposal_withdrawn_by_closing_its_need_says_why_in_the_readers_language() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();
    let proposal = bank.propose(&need, &family);
    bank.run(&["need", "edit", &need, "--status", "chiusa", "--closing-reason", "rientro_in_famiglia"]).success();

    let it = bank.stdout(&["proposal", "show", &proposal]);
    assert!(it.contains(&format!("richiesta {need} chiusa: rientro in famiglia")), "{it}");
    let en = bank.stdout(&["--lang", "en", "proposal", "show", &proposal]);
    assert!(en.contains(&format!("need {need} closed: return home")), "{en}");
    assert!(!en.contains("chiusa") && !en.contains("rientro"), "{en}");
}

#[test]
fn an_illegal_step_is_a_plain_sentence_and_exit_1() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();
    let proposal = bank.propose(&need, &family);

    // A placement starts only from an accepted proposal.
    let err = bank.stderr(&["placement", "start", &proposal, "--start", "oggi", "--relationship", "eterofamiliare"], 1);
    assert!(err.contains(&format!("{proposal} è «proposta»")), "{err}");

    bank.run(&["proposal", "withdraw", &proposal, "--reason", "Errore di inserimento."]).success();
    let err = bank.stderr(&["proposal", "accept", &proposal], 1);
    assert_eq!(err.trim(), format!("{proposal} è «ritirata»: non può passare a «accettata»."));
    let err = bank.stderr(&["--lang", "en", "proposal", "withdraw", &proposal, "--reason", "again"], 1);
    assert_eq!(err.trim(), format!("{proposal} is already \"withdrawn\"."));

    // Proposing a family that does not fit says why.
    let too_young = bank.family("zanica", "12-17", "oggi");
    let err = bank.stderr(&["propose", &need, &too_young], 1);
    assert!(err.contains("non è candidabile") && err.contains("fuori dalla fascia"), "{err}");
}

#[test]
fn a_step_from_an_old_revision_is_refused_like_other_edits() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();
    let proposal = bank.propose(&need, &family);
    bank.run(&["proposal", "review", &proposal]).success();
    let err = bank.stderr(&["proposal", "accept", &proposal, "--revision", "1"], 1);
    assert!(err.contains("revisione 2") && err.contains("Nulla è stato sovrascritto"), "{err}");
}

#[test]
fn placement_flags_are_checked_before_anything_is_sent() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();
    let proposal = bank.propose(&need, &family);
    bank.run(&["proposal", "accept", &proposal]).success();

    let err = bank.stderr(
        &["placement", "start", &proposal, "--start", "31/02/2026", "--contact", "spesso", "--supervised", "forse"],
        1,
    );
    for flag in ["--start", "--contact", "--supervised"] {
        assert!(err.contains(flag), "missing {flag} in:\n{err}");
    }
    let err = bank.stderr(&["placement", "start", &proposal], 1);
    assert!(err.contains("--start"), "{err}");
    // Kinship or non-kin: the bank asks for it with a family (a community has none), naming the flag.
    let err = bank.stderr(&["placement", "start", &proposal, "--start", "oggi"], 1);
    assert!(err.contains("--relationship") && err.contains("obbligatori"), "{err}");
    // A review planned before the start is refused by the bank, naming the flag.
    let err = bank.stderr(
        &[
            "placement",
            "start",
            &proposal,
            "--start",
            "oggi",
            "--relationship",
            "intrafamiliare",
            "--review-on",
            "01/01/2020",
        ],
        1,
    );
    assert!(err.contains("--review-on") && err.contains("inizio dell'affido"), "{err}");
    assert!(bank.stdout(&["placement", "list"]).contains("Nessun affido"));
}

#[test]
fn a_list_cut_short_by_its_limit_says_how_many_there_are_in_all() {
    let bank = Bank::new();
    for comune in ["osio sotto", "zanica", "dalmine"] {
        bank.family(comune, "3-10", "oggi");
    }
    let out = bank.stdout(&["family", "list", "--status", "idonea", "--free", "--limit", "2"]);
    assert!(out.contains("2 di 3 famiglie"), "{out}");
    let out = bank.stdout(&["family", "list", "--limit", "5"]);
    assert!(out.contains("3 famiglie") && !out.contains(" di 3"), "the whole list needs no total:\n{out}");
}

#[test]
fn whom_to_call_at_6_pm_is_shown_beside_every_candidate_of_a_service_with_an_on_call_contact() {
    let bank = Bank::new();
    let family = bank.family("osio sotto", "3-10", "oggi");
    let need = bank.need();
    bank.run(&[
        "service",
        "edit",
        "S-002",
        "--on-call-name",
        "Marta Reperibile",
        "--on-call-phone",
        "035 999 0000",
        "--on-call-hours",
        "lun-ven 17-9, festivi 24h",
    ])
    .success();
    let on_call = "Marta Reperibile · 035 999 0000 · lun-ven 17-9, festivi 24h";

    // The ranking: under the family's service, its phone and, after hours, whom to call.
    let out = bank.stdout(&["match", &need]);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| l.contains(&format!(" 1. {family}"))).unwrap_or_else(|| panic!("{out}"));
    assert_eq!(lines[at + 1].trim(), "S-002 Servizio Affidi Ambito di Bergamo", "{out}");
    assert!(lines[at + 2].contains("tel. 035"), "{out}");
    assert_eq!(lines[at + 3].trim(), format!("reperibilità: {on_call}"), "{out}");
    let en = bank.stdout(&["--lang", "en", "match", &need]);
    assert!(en.contains(&format!("on call: {on_call}")), "{en}");
    let json: serde_json::Value = serde_json::from_str(&bank.stdout(&["--json", "match", &need])).unwrap();
    assert_eq!(json["candidates"][0]["family"]["contact"]["on_call"]["name"], "Marta Reperibile");

    // The family's card and the proposal's contacts, for the child's service.
    let card = bank.stdout(&["family", "show", &family]);
    assert!(card.lines().any(|l| l.starts_with("Reperibilità") && l.ends_with(on_call)), "{card}");
    let proposal = bank.propose(&need, &family);
    let card = bank.stdout(&["proposal", "show", &proposal]);
    let words = card.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(&format!("Reperibilità {on_call}")), "{card}");
    // S-001 recorded none: its side shows no such line.
    assert_eq!(card.matches("Reperibilità").count(), 1, "{card}");
}

/// The phone call in one command: a boy of six, weekends, near Dalmine
/// within 5 km, residential. Osio Sotto (3,9 km) offers full time, which
/// covers weekends; Zanica (6,2 km) is beyond the radius; Dalmine takes
/// children of 12–17 only. Nothing is stored: no need is added. Without
/// --kind, weekends alone mean tempo libero, which these families do not do.
#[test]
fn available_answers_the_phone_call_in_one_command_in_both_languages() {
    let bank = Bank::new();
    let near = bank.family("osio sotto", "3-10", "oggi");
    let far = bank.family("zanica", "3-10", "oggi");
    let older = bank.family("dalmine", "12-17", "oggi");
    let call = [
        "available",
        "--age",
        "6",
        "--sex",
        "m",
        "--slots",
        "weekend",
        "--near",
        "Dalmine",
        "--km",
        "5",
        "--kind",
        "residenziale",
    ];
    let out = bank.stdout(&call[..call.len() - 2]);
    assert!(out.contains("tempo libero") && out.contains("tipo di affido non accolto  2"), "{out}");

    let out = bank.stdout(&call);
    assert!(out.contains("Per profilo: 6 anni, M") && out.contains("entro 5 km"), "header:\n{out}");
    assert!(out.contains(&format!(" 1. {near}")) && out.contains("3,9 km"), "{out}");
    assert!(!out.contains(&far) && !out.contains(&older), "{out}");
    // Printed as `banca match` prints a candidate: contact, what fits, the lines.
    assert!(out.contains("Marco Neri (marco)") && out.contains("Adatta: 3–10 anni"), "{out}");
    assert!(out.contains("tempo pieno") && out.contains("    + ") && out.contains("distanza dal bambino"), "{out}");
    assert!(out.contains("Famiglie esaminate: 2 · candidate: 1") && out.contains("età fuori dalla fascia"), "{out}");

    let en = bank.stdout(&[&["--lang", "en"], &call[..]].concat());
    assert!(en.contains("By profile: 6 years, M") && en.contains("Fits: 3–10 years"), "{en}");

    let json: serde_json::Value = serde_json::from_str(&bank.stdout(&[&["--json"], &call[..]].concat())).unwrap();
    assert_eq!(json["candidates"][0]["family"]["code"], near.as_str());
    assert_eq!(json["profile"]["children"][0]["age_months"], 72);
    assert_eq!(json["profile"]["within"]["km"], 5);
    // The candidate's family carries its distance from the child and its free places, as a list's row does:
    // Dalmine (45.64933, 9.60617) to Osio Sotto (45.61608, 9.58905), haversine on a 6 371.0088 km
    // sphere = 3 929.57 m, worked out apart from banca.
    assert_eq!(json["candidates"][0]["family"]["distance_m"], 3930);
    assert_eq!(json["candidates"][0]["family"]["free_places"], json["candidates"][0]["free_places"]);
    assert!(bank.stdout(&["need", "list"]).lines().all(|l| !l.contains("R-")), "nothing was stored");

    // Ages in months, siblings, one sex for each; flags checked before anything is sent.
    let out = bank.stdout(&["available", "--age", "8m", "--age", "4", "--sex", "f", "--sex", "m"]);
    assert!(out.contains("Per profilo: 8 mesi, F + 4 anni, M"), "{out}");
    let err = bank.stderr(&["available", "--age", "sei", "--km", "5"], 1);
    assert!(err.contains("--age: «sei»") && err.contains("--km: serve --near"), "{err}");
    let err = bank.stderr(&["available", "--age", "6", "--ambit", "Valle Nessuna"], 1);
    assert!(err.contains("--ambit") && err.contains("l'ambito «Valle Nessuna» non esiste"), "{err}");
    // The core's refusals name this command's flags, not a need's.
    let err = bank.stderr(&["available", "--age", "25", "--near", "Dalmine", "--km", "0"], 1);
    assert!(err.contains("  - --age (") && err.contains("  - --km (") && err.contains("tra 1 e 1500"), "{err}");
    assert!(!err.contains("--birth-date") && !err.contains("--max-distance"), "{err}");
    // A question, not a save: the refusal does not speak of saving.
    assert!(err.starts_with("Dati non validi:\n") && !err.contains("salvato"), "{err}");
    let err = bank.stderr(&["available", "--age", "6", "--languages", "arabic,klingon"], 1);
    assert!(err.contains("  - --languages (") && err.contains("klingon") && !err.contains("arabic"), "{err}");
    let long = "x".repeat(100_000);
    let err = bank.stderr(&["available", "--age", "6", "--district", &long], 1);
    assert!(err.contains("  - --district (") && err.len() < 2_000, "{}", &err[..err.len().min(2_000)]);
}

/// Pronto intervento: one command proposes the child to several families.
/// With `--json` every family has its outcome, in the order typed: two
/// proposals saved and the family too old for the child refused with its
/// reason; more than 20 families is refused before anything is sent.
#[test]
fn proposing_to_several_families_gives_each_its_outcome_in_json() {
    let bank = Bank::new();
    let need = bank.need();
    let (a, b) = (bank.family("osio sotto", "3-10", "oggi"), bank.family("stezzano", "3-10", "oggi"));
    let too_old = bank.family("zanica", "12-17", "oggi");
    let out = bank.cmd().args(["--json", "propose", &need, &a, &too_old, &b]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes = json.as_array().expect("one outcome per family");
    let families: Vec<&str> = outcomes.iter().map(|o| o["family"].as_str().unwrap()).collect();
    assert_eq!(families, [a.as_str(), too_old.as_str(), b.as_str()]);
    assert!(outcomes[0]["saved"]["code"].as_str().unwrap().starts_with("P-"), "{json}");
    assert!(outcomes[1]["refused"].as_str().unwrap().contains("fuori dalla fascia"), "{json}");
    assert!(outcomes[2]["saved"]["code"].as_str().unwrap().starts_with("P-"), "{json}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("proposte inviate: 2 su 3; non inviate: {too_old}")), "{stderr}");

    let many: Vec<String> = (1..=21).map(|n| format!("F-2026-{n:04}")).collect();
    let mut args = vec!["propose", need.as_str()];
    args.extend(many.iter().map(String::as_str));
    let err = bank.stderr(&args, 1);
    assert!(err.contains("al più 20 famiglie in un comando (ne sono state indicate 21)"), "{err}");
}

/// `need list --emergency` at 6 pm: the emergencies still to place, the
/// nearest deadline first, then the one with no date (by kind), by code; an
/// ordinary need and a closed emergency are not listed.
#[test]
fn the_emergency_list_is_the_open_ones_nearest_deadline_first() {
    let bank = Bank::new();
    let day = |n: i64| {
        let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(n);
        format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
    };
    let ordinary = bank.need();
    let edit = |code: &str, extra: &[&str]| {
        let args = [&["need", "edit", code][..], extra].concat();
        bank.run(&args).success();
    };
    let in_five = bank.need();
    edit(&in_five, &["--emergency-by", &day(5)]);
    let by_kind = bank.need();
    edit(&by_kind, &["--kind", "pronto_intervento"]);
    let tomorrow = bank.need();
    edit(&tomorrow, &["--emergency-by", &day(1)]);
    let closed = bank.need();
    edit(&closed, &["--emergency-by", &day(2)]);
    edit(&closed, &["--status", "chiusa", "--closing-reason", "annullata"]);

    let out = bank.stdout(&["need", "list", "--emergency"]);
    let codes: Vec<&str> =
        out.lines().filter_map(|l| l.split_whitespace().next()).filter(|w| w.starts_with("R-")).collect();
    assert_eq!(codes, [tomorrow.as_str(), in_five.as_str(), by_kind.as_str()], "{out}");
    assert!(!out.contains(&ordinary) && !out.contains(&closed), "{out}");
    // Asked for by its status, a closed emergency is still found.
    let out = bank.stdout(&["need", "list", "--emergency", "--status", "chiusa"]);
    assert!(out.contains(&closed), "{out}");
}
