//! Languages from the vocabulary, through a real server as a real Unix
//! user types them: an unknown name is refused with the closest ones, in
//! the operator's language; names and aliases are stored by their
//! canonical name; nothing is assumed when none is given; and a family
//! speaking arabo gets the language points for a child who speaks
//! "arabo marocchino".

mod common;
mod live;

use banca::api::{Reply, Request};
use banca::client::Client;
use banca::model::{FamilyCode, NeedCode, Role};

use common::*;
use live::{as_root, saved, Place, Server, UnixAccounts};

const GROUP: &str = "lg_ops";

/// `banca need add` for a girl of 7 in Dalmine who needs a residential placement.
const A_GIRL_IN_DALMINE: [&str; 14] = [
    "need",
    "add",
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
];
/// Operator of S-001 (Dalmine): her families and her needs.
const OPERATOR: &str = "lg_anna";

/// A candidate's language criterion, if it has one: (earned tenths, max tenths, fact).
type LanguageLine = Option<(u64, u64, serde_json::Value)>;

struct Bank {
    // Dropped in this order: the client, the server, the folder, the Unix user.
    admin: Client,
    _server: Server,
    place: Place,
    _accounts: UnixAccounts,
}

/// A server with S-001 (Dalmine) and its operator `lg_anna`.
fn bank() -> Bank {
    let accounts = UnixAccounts::create(GROUP, &[OPERATOR]);
    let place = Place::new();
    let server = place.start(GROUP, &[]);
    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    saved(&mut admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    let input = operator_input("Anna Prova", Role::Operator, Some(S1));
    saved(&mut admin, Request::OperatorCreate { user: OPERATOR.into(), input });
    Bank { admin, _server: server, place, _accounts: accounts }
}

impl Bank {
    /// `banca ARGS` as the operator: (succeeded, stdout, stderr).
    fn banca(&self, args: &[&str]) -> (bool, String, String) {
        let out = self.place.banca_as(OPERATOR, GROUP, args);
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
    }

    /// The code `… add` printed last ("Salvato: F-2026-0001").
    fn added(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.banca(args);
        assert!(ok, "{args:?}: {err}");
        out.split_whitespace().last().expect("a code").to_string()
    }

    /// An approved family in Osio Sotto for children of 3 to 10, speaking `languages` (if given).
    fn family(&self, languages: Option<&str>) -> String {
        let mut args = vec![
            "family",
            "add",
            "--adult",
            "Laura Bassi,1979",
            "--comune",
            "Osio Sotto",
            "--ages",
            "3-10",
            "--kinds",
            "residenziale",
            "--status",
            "idonea",
            "--approved-on",
            "01/01/2024",
            "--confirmed-on",
            "oggi",
        ];
        if let Some(l) = languages {
            args.extend(["--languages", l]);
        }
        self.added(&args)
    }

    /// A girl of 7 in Dalmine who needs a residential placement, speaking `languages` (if given).
    fn need(&self, languages: Option<&str>) -> String {
        let mut args = A_GIRL_IN_DALMINE.to_vec();
        if let Some(l) = languages {
            args.extend(["--languages", l]);
        }
        self.added(&args)
    }

    fn family_languages(&mut self, code: &str) -> Vec<String> {
        let code = FamilyCode::parse(code).expect("a family code");
        match self.admin.call(Request::FamilyGet { code }) {
            Ok(Ok(Reply::Family(v))) => v.profile.languages,
            other => panic!("expected Family, got {other:?}"),
        }
    }

    fn need_languages(&mut self, code: &str) -> Vec<String> {
        let code = NeedCode::parse(code).expect("a need code");
        match self.admin.call(Request::NeedGet { code }) {
            Ok(Ok(Reply::Need(v))) => v.placement.languages,
            other => panic!("expected Need, got {other:?}"),
        }
    }

    /// Each candidate of `need` with its language criterion.
    fn language_lines(&self, need: &str) -> Vec<(String, LanguageLine)> {
        let (ok, out, err) = self.banca(&["--json", "match", need]);
        assert!(ok, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let candidates = json["candidates"].as_array().expect("candidates").clone();
        candidates
            .iter()
            .map(|c| {
                let line =
                    c["criteria"].as_array().expect("criteria").iter().find(|k| k["kind"] == "language").map(|k| {
                        (k["earned_tenths"].as_u64().unwrap(), k["max_tenths"].as_u64().unwrap(), k["fact"].clone())
                    });
                (c["family"]["code"].as_str().expect("a code").to_string(), line)
            })
            .collect()
    }
}

#[test]
fn an_unknown_language_is_refused_with_the_closest_names_and_known_ones_are_stored_by_their_canonical_name() {
    if !as_root() {
        eprintln!("skipped: needs root to make Unix users");
        return;
    }
    let mut b = bank();
    let refused = |args: &[&str]| {
        let (ok, out, err) = b.banca(args);
        assert!(!ok && out.is_empty(), "{args:?} was accepted: {out}");
        err
    };
    let add = ["family", "add", "--adult", "Laura Bassi,1979", "--comune", "Osio Sotto", "--languages"];

    let err = refused(&[&add[..], &["italiano, arabbo"]].concat());
    assert!(err.contains("lingua sconosciuta: «arabbo»; forse: arabo"), "{err}");
    let err = refused(&[&["--lang", "en"], &add[..], &["arabbo"]].concat());
    assert!(err.contains("unknown language: \"arabbo\"; perhaps: arabo (Arabic)"), "{err}");
    let err = refused(&[&add[..], &["klingon"]].concat());
    assert!(err.contains("lingua sconosciuta: «klingon»; scrivere il nome in italiano o in inglese"), "{err}");
    let err = refused(&[&A_GIRL_IN_DALMINE[..], &["--languages", "marocchino"]].concat());
    assert!(err.contains("lingua sconosciuta: «marocchino»; forse: arabo, berbero, tashelhit, tarifit"), "{err}");

    // English names, aliases, accents and case: one canonical name each, once.
    let f = b.family(Some("Italiano, Arabic, arabo marocchino, Română, PEUL"));
    assert_eq!(b.family_languages(&f), ["italiano", "arabo", "rumeno", "fula"]);
    let n = b.need(Some("Tigrinya, af-soomaali"));
    assert_eq!(b.need_languages(&n), ["tigrino", "somalo"]);
}

/// Hand-worked: the girl in Dalmine has no origin comune, so the origin
/// distance does not apply. When she names a language, six criteria apply,
/// weights 30 + 10 + 10 + 15 + 10 + 10 = 85, and the language line is worth
/// 100 × 10 / 85 = 11.76 points (118 tenths), all of them for a family
/// that speaks it: "arabo marocchino" is arabo. A family that named no
/// language, and any family for a need that names none, has no language line.
#[test]
fn no_language_is_assumed_and_a_family_speaking_arabo_scores_for_a_child_speaking_arabo_marocchino() {
    if !as_root() {
        eprintln!("skipped: needs root to make Unix users");
        return;
    }
    let mut b = bank();
    let speaks_arabo = b.family(Some("arabo"));
    let says_nothing = b.family(None);
    assert_eq!(b.family_languages(&says_nothing), Vec::<String>::new(), "no default language");

    let quiet = b.need(None);
    assert_eq!(b.need_languages(&quiet), Vec::<String>::new(), "no default language");
    let lines = b.language_lines(&quiet);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().all(|(_, line)| line.is_none()), "no language line: {lines:?}");

    let moroccan = b.need(Some("arabo marocchino"));
    assert_eq!(b.need_languages(&moroccan), ["arabo"]);
    let lines = b.language_lines(&moroccan);
    let line_of =
        |code: &str| lines.iter().find(|(c, _)| c == code).unwrap_or_else(|| panic!("{code}: {lines:?}")).1.clone();
    assert_eq!(
        line_of(&speaks_arabo),
        Some((118, 118, serde_json::json!({ "shared_language": { "language": "arabo" } })))
    );
    assert_eq!(line_of(&says_nothing), None);

    let (ok, out, err) = b.banca(&["match", &moroccan]);
    assert!(ok, "{err}");
    assert!(out.contains("+ 12/12 lingua: parla arabo"), "{out}");
}

/// `banca language` reads the vocabulary in its own process: no server, no bank.
#[test]
fn banca_language_names_a_language_or_suggests_the_closest() {
    let banca = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_banca"))
            .args(args)
            .env("BANCA_CONFIG", "/nonexistent/banca.toml")
            .env_remove("BANCA_LANG")
            .output()
            .expect("banca runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(
        banca(&["language", "Arabo-Marocchino"]),
        (Some(0), "«Arabo-Marocchino» è arabo (Arabic)\n".into(), String::new())
    );
    assert_eq!(
        banca(&["--lang", "en", "language", "farsi"]),
        (Some(0), "\"farsi\" is persiano (Persian)\n".into(), String::new())
    );
    let (code, out, err) = banca(&["language", "tigrigno"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert!(err.contains("lingua sconosciuta: «tigrigno»; forse: tigrino"), "{err}");
    let (code, out, _) = banca(&["language"]);
    assert_eq!(code, Some(0));
    assert!(out.lines().nth(1).is_some_and(|l| l.starts_with("italiano ")), "Italian first:\n{out}");
    assert!(out.lines().any(|l| l.starts_with("arabo ") && l.contains("Arabic") && l.contains("darija")), "{out}");
}
