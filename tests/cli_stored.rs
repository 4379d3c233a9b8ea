//! The facts of practice through the CLI, over a real `banca serve` reached
//! by real Unix users: a need's time slots and art. 403 basis, a family's
//! availability period, a service's on-call contact — each flag saved,
//! shown back on its card, and refused with its flag when wrong. Unix
//! names start with `st_`.

mod common;
mod live;

use std::process::Output;

use banca::api::Request;
use banca::model::Role;
use common::*;
use live::{as_root, saved, Place, Server, UnixAccounts};
use time::{Date, Duration, OffsetDateTime};

const GROUP: &str = "st_grp";
const ADMIN_USER: &str = "st_adm";
const OPERATOR: &str = "st_anna";

struct Bench {
    // Dropped in this order: the server, the folder, the Unix users.
    _server: Server,
    place: Place,
    _accounts: UnixAccounts,
}

impl Bench {
    fn new() -> Bench {
        let accounts = UnixAccounts::create(GROUP, &[ADMIN_USER, OPERATOR]);
        let place = Place::new();
        let server = place.start(GROUP, &[]);
        let mut root = place.client();
        saved(&mut root, Request::Init { admin: None });
        saved(&mut root, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
        for (user, role, service) in [(ADMIN_USER, Role::Admin, None), (OPERATOR, Role::Operator, Some(S1))] {
            let input = operator_input(&format!("Operatore {user}"), role, service);
            saved(&mut root, Request::OperatorCreate { user: user.into(), input });
        }
        Bench { _server: server, place, _accounts: accounts }
    }

    fn run(&self, user: &str, args: &[&str]) -> Output {
        self.place.banca_as(user, GROUP, args)
    }

    /// Standard output of a command that must succeed.
    fn ok(&self, user: &str, args: &[&str]) -> String {
        let out = self.run(user, args);
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{args:?}: {said}{}", String::from_utf8_lossy(&out.stderr));
        said
    }

    /// Standard error of a command that must be refused (nothing saved).
    fn refused(&self, user: &str, args: &[&str]) -> String {
        let out = self.run(user, args);
        assert!(!out.status.success(), "{args:?} was accepted: {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

/// The server's clock is the real one: dates are typed relative to today.
fn day(from_today: i64) -> (Date, String) {
    let d = OffsetDateTime::now_utc().date() + Duration::days(from_today);
    (d, format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()))
}

/// What a card says on the row of `label`, spaces around it trimmed.
fn row(card: &str, label: &str) -> String {
    let line =
        card.lines().map(str::trim).find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("no {label}:\n{card}"));
    line[label.len()..].trim().to_string()
}

fn code_of(saved: &str) -> String {
    saved.split_whitespace().last().expect("the saved code").to_string()
}

#[test]
fn the_new_facts_go_in_by_their_flags_and_come_back_on_the_cards() {
    if !as_root() {
        return eprintln!("skipped: needs root to make Unix users");
    }
    let b = Bench::new();

    // A service's on-call contact: set by its three flags, shown on one row.
    b.ok(
        ADMIN_USER,
        &[
            "service",
            "edit",
            "S-001",
            "--on-call-name",
            "Marta Reperibile",
            "--on-call-phone",
            "035 0123456",
            "--on-call-hours",
            "lun-ven 17-9, festivi 24h",
        ],
    );
    let card = b.ok(OPERATOR, &["service", "show", "S-001"]);
    assert_eq!(row(&card, "Reperibilità"), "Marta Reperibile · 035 0123456 · lun-ven 17-9, festivi 24h");
    let card = b.ok(OPERATOR, &["--lang", "en", "service", "show", "S-001"]);
    assert_eq!(row(&card, "On call"), "Marta Reperibile · 035 0123456 · lun-ven 17-9, festivi 24h");
    let said = b.refused(ADMIN_USER, &["service", "edit", "S-001", "--on-call-phone", "035 RIPETI"]);
    assert!(said.contains("--on-call-phone") && said.contains("numero di telefono non valido"), "{said}");

    // A family's availability period: from and until, until never before from.
    let family = code_of(&b.ok(
        OPERATOR,
        &["family", "add", "--adult", "Laura Bassi,1979", "--comune", "osio sotto", "--confirmed-on", "oggi"],
    ));
    let (_, from) = day(10);
    let (_, until) = day(200);
    b.ok(OPERATOR, &["family", "edit", &family, "--available-from", &from, "--available-until", &until]);
    let card = b.ok(OPERATOR, &["family", "show", &family]);
    assert_eq!(row(&card, "Periodo disponibile"), format!("dal {from} al {until}"));
    let said = b.refused(OPERATOR, &["family", "edit", &family, "--available-until", &day(5).1]);
    assert!(
        said.contains("--available-until") && said.contains("non può essere precedente a «disponibile dal»"),
        "{said}"
    );
    let said = b.refused(OPERATOR, &["--lang", "en", "family", "edit", &family, "--available-until", &day(5).1]);
    assert!(said.contains("must not come before \"available from\""), "{said}");
    // "" opens the period again at that end.
    b.ok(OPERATOR, &["family", "edit", &family, "--available-from", ""]);
    let card = b.ok(OPERATOR, &["family", "show", &family]);
    assert_eq!(row(&card, "Periodo disponibile"), format!("fino al {until}"));

    // A need's time slots and its art. 403 basis with the order's date.
    let (_, ordered) = day(-2);
    let need = code_of(&b.ok(
        OPERATOR,
        &[
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
            "diurno",
            "--comune",
            "Dalmine",
            "--slots",
            "weekdays,pomeriggi",
            "--legal",
            "art403",
            "--ordered-on",
            &ordered,
        ],
    ));
    let card = b.ok(OPERATOR, &["need", "show", &need]);
    assert_eq!(row(&card, "Tempi richiesti"), "giorni feriali, pomeriggi");
    assert_eq!(row(&card, "Base"), format!("art. 403 c.c. (collocamento d'urgenza) — disposto il {ordered}"));
    let card = b.ok(OPERATOR, &["--lang", "en", "need", "show", &need]);
    assert_eq!(
        row(&card, "Legal basis"),
        format!("art. 403 c.c. (emergency protective placement) — ordered on {ordered}")
    );
    assert_eq!(row(&card, "Time needed"), "weekdays, afternoons");
    // An order dated tomorrow is refused by its flag; nothing changes.
    let said = b.refused(OPERATOR, &["need", "edit", &need, "--ordered-on", &day(1).1]);
    assert!(said.contains("--ordered-on") && said.contains("la data è nel futuro"), "{said}");
    // Typed as a word, as the forms take it: "domani" is the same date, "ieri" is saved.
    let said = b.refused(OPERATOR, &["need", "edit", &need, "--ordered-on", "domani"]);
    assert!(said.contains("--ordered-on") && said.contains("la data è nel futuro"), "{said}");
    b.ok(OPERATOR, &["need", "edit", &need, "--ordered-on", "ieri"]);
    let card = b.ok(OPERATOR, &["need", "show", &need]);
    let yesterday = day(-1).1;
    assert!(row(&card, "Base").ends_with(&format!("disposto il {yesterday}")), "{card}");
    // An unknown slot is refused with the known ones; a court and decree make it judicial again.
    let said = b.refused(OPERATOR, &["need", "edit", &need, "--slots", "domenica"]);
    assert!(said.contains("--slots") && said.contains("weekend"), "{said}");
    b.ok(
        OPERATOR,
        &["need", "edit", &need, "--slots", "", "--court", "Tribunale di Brescia", "--decree", "V.G. 1/2026"],
    );
    let card = b.ok(OPERATOR, &["need", "show", &need]);
    assert_eq!(row(&card, "Base"), "giudiziale — Tribunale di Brescia, V.G. 1/2026");
    assert_eq!(row(&card, "Tempi richiesti"), "nessuno");
    // Back to art. 403 without the order's date: refused, naming the flag it needs.
    let said = b.refused(OPERATOR, &["need", "edit", &need, "--legal", "art403"]);
    assert!(said.contains("--ordered-on") && said.contains("obbligatoria con --legal art403"), "{said}");
}
