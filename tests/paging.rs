//! Lists by pages and heavy requests by places. Counts, never times: every
//! reply frame stays under a bound however large the bank, pages cover
//! every record once while another client writes between them, the page
//! size the server allows is never exceeded, the heavy request over the
//! cap is refused with its message, and the interface's list grows as the
//! operator scrolls. The server tests drive a real `banca serve`.

mod common;
mod live;

use std::collections::BTreeSet;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::sync::Arc;

use banca::api::{BankError, Cursor, FamilyFilter, FamilyView, HeavyScope, Page, Reply, Request};
use banca::bank::{Actor, Bank, BankConfig, FixedClock};
use banca::client::Client;
use banca::i18n::{describe_error, Lang};
use banca::model::{FamilyCode, FamilyStatus, Role, StepInput, StepKind, StepReason};
use banca::protocol::{self, ClientMsg, Hello, ServerMsg, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL, VERSION};
use banca::tui::draw_to_string;
use ratatui::crossterm::event::KeyCode;

use common::tui::{app, keys};
use common::*;
use live::{as_root, saved, Place, Server, UnixAccounts};

/// Families of the demo bank the server tests list.
const FAMILIES: usize = 2000;

/// A server on a demo bank of `FAMILIES` families, started with `extra` flags.
fn demo_server(group: &'static str, extra: &[&str]) -> (UnixAccounts, Place, Server) {
    let accounts = UnixAccounts::create(group, &[]);
    let place = Place::new();
    let server = place.start(group, extra);
    demo(&place, FAMILIES);
    (accounts, place, server)
}

/// `banca demo --families N` into the empty bank, as the server's user.
fn demo(place: &Place, families: usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_banca"))
        .arg("--db")
        .arg(&place.db)
        .arg("--socket")
        .arg(&place.sock)
        .args(["--no-spawn", "demo", "--families", &families.to_string(), "--needs", "20"])
        .env("BANCA_CONFIG", place.dir.path().join("none.toml"))
        .env_remove("BANCA_DB")
        .env_remove("BANCA_SOCKET")
        .stdin(Stdio::null())
        .output()
        .expect("banca demo runs");
    assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
}

/// The bytes a reply takes as a frame on the socket.
fn frame_len(reply: &Reply) -> usize {
    let mut buf = Vec::new();
    let msg = ServerMsg::Reply { id: 1, response: Box::new(Ok(reply.clone())) };
    protocol::write_frame(&mut buf, &msg, MAX_SERVER_FRAME).expect("the reply encodes");
    buf.len()
}

fn families_page(c: &mut Client, filter: FamilyFilter) -> Page<FamilyView> {
    match c.call(Request::FamilyList { filter }) {
        Ok(Ok(Reply::Families(page))) => page,
        other => panic!("a page of families: {other:?}"),
    }
}

#[test]
fn pages_stay_small_and_within_the_page_size_whatever_is_asked() {
    if !as_root() {
        return eprintln!("skipped: needs root to make Unix users");
    }
    let (_accounts, place, _server) = demo_server("bp_pg_size", &["--page-size", "100"]);
    let mut c = place.client();
    let (mut pages, mut seen, mut largest) = (0, 0, 0);
    let mut after: Option<Cursor> = None;
    loop {
        // Asking for far more than the server allows gets its page size.
        let filter = FamilyFilter { limit: Some(100_000), after: after.clone(), ..FamilyFilter::default() };
        let page = families_page(&mut c, filter);
        assert!(page.len() <= 100, "a page of {} families", page.len());
        largest = largest.max(frame_len(&Reply::Families(page.clone())));
        pages += 1;
        seen += page.len();
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, FAMILIES);
    assert!(pages >= FAMILIES / 100, "{pages} pages");
    // A hundred families' shared views: tens of kilobytes, never the whole bank.
    assert!(largest < 64 << 10, "a frame of {largest} bytes");
}

#[test]
fn pages_cover_every_family_once_while_another_client_writes() {
    if !as_root() {
        return eprintln!("skipped: needs root to make Unix users");
    }
    let (_accounts, place, _server) = demo_server("bp_pg_walk", &["--page-size", "150"]);
    let mut reader = place.client();
    let mut writer = place.client();
    // The writer needs a service and a referent of its own.
    let code = saved(&mut writer, Request::ServiceCreate { input: service_input("Servizio Pagine", DALMINE_AMBIT) });
    let service = banca::model::ServiceCode::parse(&code.code).expect("a service code");
    let input = operator_input("Paola Pagine", Role::Operator, Some(service));
    saved(&mut writer, Request::OperatorCreate { user: "paola".into(), input });

    let mut listed: Vec<FamilyCode> = Vec::new();
    let mut created: Vec<FamilyCode> = Vec::new();
    let mut after: Option<Cursor> = None;
    loop {
        let page = families_page(&mut reader, FamilyFilter { after: after.clone(), ..FamilyFilter::default() });
        listed.extend(page.iter().map(|f| f.code));
        let Some(next) = page.next else { break };
        after = Some(next);
        // Between two pages another client adds a family (its code is the
        // newest, so it comes on a later page) and changes one already listed.
        let code = saved(&mut writer, Request::FamilyCreate { input: family_in(service, "paola") }).code;
        created.push(FamilyCode::parse(&code).expect("a family code"));
        let first = listed[0];
        let (revision, mut input) = match writer.call(Request::FamilyGet { code: first }) {
            Ok(Ok(Reply::Family(v))) => (v.revision, v.as_input()),
            other => panic!("{other:?}"),
        };
        input.profile.confirmed_on = None;
        input.profile.max_distance_km = Some(7 + listed.len() as u16 % 50);
        writer.call(Request::FamilyUpdate { code: first, base_revision: revision, input }).unwrap().unwrap();
    }
    let unique: BTreeSet<FamilyCode> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "a family listed twice");
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "pages in code order");
    assert_eq!(listed.len(), FAMILIES + created.len(), "{} created between pages", created.len());
    assert!(created.len() >= FAMILIES / 150 - 1, "{} pages", created.len());
    assert!(created.iter().all(|c| unique.contains(c)), "every family created between pages is listed once");

    // A family leaving a filtered list between pages makes no other skipped.
    let approved = |c: &mut Client, after: Option<Cursor>| {
        families_page(c, FamilyFilter { status: Some(FamilyStatus::Approved), after, ..FamilyFilter::default() })
    };
    let all_approved: Vec<FamilyCode> = {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = approved(&mut reader, after);
            out.extend(page.iter().map(|f| f.code));
            match page.next {
                Some(n) => after = Some(n),
                None => break out,
            }
        }
    };
    assert!(all_approved.len() > 300, "{} approved families in the demo", all_approved.len());
    let first = approved(&mut reader, None);
    let leaving = *all_approved.last().expect("an approved family");
    let revision = match writer.call(Request::FamilyGet { code: leaving }) {
        Ok(Ok(Reply::Family(v))) => v.revision,
        other => panic!("{other:?}"),
    };
    // The demo bank lives on the real clock: suspended today, after its last step.
    let suspension = StepInput {
        kind: StepKind::Suspension,
        date: banca::model::clock::Clock::now(&banca::model::clock::SystemClock::new()).date(),
        by: String::new(),
        note: String::new(),
        reason: Some(StepReason::Rested),
        event: None,
        assessors: None,
    };
    writer.call(Request::FamilyStep { code: leaving, base_revision: revision, step: suspension }).unwrap().unwrap();
    let mut rest: Vec<FamilyCode> = first.iter().map(|f| f.code).collect();
    let mut after = first.next;
    while let Some(a) = after {
        let page = approved(&mut reader, Some(a));
        rest.extend(page.iter().map(|f| f.code));
        after = page.next;
    }
    let expected: Vec<FamilyCode> = all_approved.iter().copied().filter(|c| *c != leaving).collect();
    assert_eq!(rest, expected, "every other approved family once, in order");
}

/// A connection that asks for a page and never reads it: its heavy answer
/// stays in the server, holding a place, until it is read.
struct Stuck {
    stream: UnixStream,
}

impl Stuck {
    fn ask(place: &Place) -> Stuck {
        let mut stream = UnixStream::connect(&place.sock).expect("connects");
        let bank = banca::config::canonical_bank_path(&place.db).display().to_string();
        let hello = Hello { protocol: PROTOCOL, version: VERSION.into(), bank };
        protocol::write_frame(&mut stream, &hello, MAX_FRAME).unwrap();
        let welcome: Welcome = protocol::read_frame(&mut stream, MAX_SERVER_FRAME).unwrap();
        assert!(matches!(welcome, Welcome::Ok { .. }), "{welcome:?}");
        let request = Request::FamilyList { filter: FamilyFilter::default() };
        protocol::write_frame(&mut stream, &ClientMsg::Call { id: 1, request: Box::new(request) }, MAX_FRAME).unwrap();
        Stuck { stream }
    }

    /// Reads the answer at last: the page, and the bytes it took.
    fn read(mut self) -> (usize, usize) {
        match protocol::read_frame::<ServerMsg>(&mut self.stream, MAX_SERVER_FRAME).unwrap() {
            ServerMsg::Reply { response, .. } => match *response {
                Ok(reply @ Reply::Families(_)) => {
                    let Reply::Families(page) = &reply else { unreachable!() };
                    (page.len(), frame_len(&reply))
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_heavy_request_over_the_cap_is_refused_with_its_message() {
    if !as_root() {
        return eprintln!("skipped: needs root to make Unix users");
    }
    let (_accounts, place, _server) = demo_server("bp_pg_busy", &["--max-heavy", "2", "--max-heavy-per-user", "2"]);
    // Two pages of a thousand families, larger than the socket's buffer,
    // asked and not read: both places are taken.
    let stuck = [Stuck::ask(&place), Stuck::ask(&place)];
    std::thread::sleep(std::time::Duration::from_millis(500));
    let mut c = place.client();
    // A light request still gets in.
    assert!(matches!(c.call(Request::Whoami), Ok(Ok(Reply::Whoami(_)))));
    let third = c.call(Request::FamilyList { filter: FamilyFilter::default() }).expect("an answer");
    let e = third.expect_err("the third heavy request is refused");
    assert_eq!(e, BankError::Busy { scope: HeavyScope::User { limit: 2 } });
    assert!(
        describe_error(&e, Lang::It)
            .to_lowercase()
            .contains("il server è occupato con altre richieste pesanti, riprova tra poco"),
        "{}",
        describe_error(&e, Lang::It)
    );
    assert!(describe_error(&e, Lang::En).contains("busy with other heavy requests"));
    for s in stuck {
        let (families, bytes) = s.read();
        assert_eq!(families, 1000);
        // The most a page may build (1 MiB, closed past it) and a record.
        assert!(bytes < 2 << 20, "a page of {bytes} bytes");
    }
    // Read, their places are given back.
    let page = families_page(&mut c, FamilyFilter::default());
    assert_eq!(page.len(), 1000);
}

/// A bank in this process whose pages hold `page_size` families, with
/// `families` of them, and anna its operator.
fn paged_bank(page_size: usize, families: usize) -> (tempfile::TempDir, Arc<Bank>) {
    let dir = tempfile::tempdir().unwrap();
    let config = BankConfig { cache_bytes: 4 << 20, page_size, ..BankConfig::default() };
    let bank = Arc::new(Bank::open(&dir.path().join("bank"), config, true, Arc::new(FixedClock(NOW))).unwrap());
    let admin = Actor::server_user(ADMIN);
    let ok = |actor: &Actor, r: Request| bank.handle(actor, r).unwrap_or_else(|e| panic!("{e:?}"));
    ok(&admin, Request::Init { admin: None });
    ok(&admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    let input = operator_input("Anna Operatrice", Role::Operator, Some(S1));
    ok(&admin, Request::OperatorCreate { user: ANNA.into(), input });
    for _ in 0..families {
        ok(&Actor::new(ANNA), Request::FamilyCreate { input: family_in(S1, ANNA) });
    }
    (dir, bank)
}

#[test]
fn the_families_screen_grows_by_a_page_as_the_operator_scrolls() {
    let (_dir, bank) = paged_bank(20, 70);
    let mut app = app(&bank, ANNA, Lang::It);
    keys(&mut app, KeyCode::Char('2'), 1);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains("F-2026-0001") && frame.contains("altre in caricamento…"), "{frame}");
    assert!(!app.wants_more(), "the top of the first page wants nothing more");
    // The first page: twenty rows, counted at the bottom.
    keys(&mut app, KeyCode::End, 1);
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains(" 20/20 "), "{frame}");
    assert!(app.wants_more(), "at the end of what is loaded, the next page is wanted");
    app.load_more();
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains(" 20/40 ") && frame.contains("F-2026-0020"), "{frame}");
    // Scrolling on fetches the rest, a page at a time, and then nothing more.
    let mut fetched = 1;
    loop {
        keys(&mut app, KeyCode::End, 1);
        let _ = draw_to_string(&mut app, 80, 24);
        if !app.wants_more() {
            break;
        }
        app.load_more();
        fetched += 1;
        assert!(fetched < 10, "pages without end");
    }
    let frame = draw_to_string(&mut app, 80, 24);
    assert!(frame.contains(" 70/70 ") && frame.contains("F-2026-0070"), "{frame}");
    assert!(!frame.contains("altre in caricamento"), "{frame}");
    assert_eq!(fetched, 3, "pages after the first: 20, 20 and the last 10");
}

#[test]
fn audit_pages_go_newest_first_and_cover_every_entry_once() {
    let (_dir, bank) = paged_bank(4, 5);
    let admin = Actor::new(ADMIN);
    // Init, the ambit seeded with it, a service, an operator, five families.
    let expected: Vec<u64> = (1..=9).rev().collect();
    let mut seqs = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let request = Request::AuditList { record: None, limit: 100, after };
        let Ok(Reply::Audit(page)) = bank.handle(&admin, request) else { panic!("a page of the log") };
        assert!(page.len() <= 4, "the bank's page size, whatever is asked: {}", page.len());
        seqs.extend(page.iter().map(|e| e.seq));
        pages += 1;
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seqs, expected);
    assert_eq!(pages, 3);
}
