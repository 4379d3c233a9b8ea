//! Damage contained, never contagious: records bricked on purpose under the
//! store (garbage bytes; a valid-looking body over the codec's limit), then
//! the real server started on that bank and driven by real Unix users over
//! its socket. The bank opens, lists, shows and exports everything else;
//! the damaged records are quarantined and reported (code, tree, why) by
//! `banca doctor`, which also finds and repairs broken index entries and a
//! counter behind the codes in use. Unix names start with `bd_`.

mod live;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use banca::api::{BankError, FamilyFilter, Reply, Request};
use banca::bank::{Actor, Bank, BankConfig, FixedClock};
use banca::model::{Family, FamilyCode, OperatorInput, Role, ServiceCode};
use banca::store::codec::CurrentFamily;
use banca::store::TreeId;
use time::macros::datetime;
use time::OffsetDateTime;

use live::{Place, UnixAccounts};

const GROUP: &str = "bd_ops";
const ADMIN: &str = "bd_admin";
const WORKER: &str = "bd_worker";

/// The demo's "now".
const NOW: OffsetDateTime = datetime!(2026-06-15 10:00 UTC);

/// Garbage where a family was: not even the envelope's tag.
const GARBAGE: &[u8] = b"this is not a record at all";

/// A demo bank of 12 families made in-process (no server yet), with
/// `bd_admin` its administrator and `bd_worker` an operator of S-001.
/// Its families' codes, in order.
fn demo_bank(db: &Path) -> Vec<FamilyCode> {
    let bank = Bank::open(db, BankConfig::default(), true, Arc::new(FixedClock(NOW))).expect("a new bank");
    let options = banca::demo::DemoOptions { families: 12, needs: 4, seed: 7, admin_user: ADMIN.into(), now: NOW };
    let lines = banca::demo::generate_lines(&options);
    match bank.handle(&Actor::server_user("root"), Request::Import { lines }) {
        Ok(Reply::Imported(_)) => {}
        other => panic!("demo import: {other:?}"),
    }
    let input = OperatorInput {
        display_name: "Operatrice di prova".into(),
        role: Role::Operator,
        service: Some(ServiceCode(1)),
        active: true,
    };
    match bank.handle(&Actor::new(ADMIN), Request::OperatorCreate { user: WORKER.into(), input }) {
        Ok(Reply::Saved(_)) => {}
        other => panic!("operator {WORKER}: {other:?}"),
    }
    let mut codes = match bank.handle(&Actor::new(ADMIN), Request::FamilyList { filter: FamilyFilter::default() }) {
        Ok(Reply::Families(f)) => f.iter().map(|f| f.code).collect::<Vec<_>>(),
        other => panic!("family list: {other:?}"),
    };
    codes.sort();
    assert_eq!(codes.len(), 12);
    codes
}

/// Opens the bank's folder with sled itself, as a damaged disk or a bug would.
fn with_sled(db: &Path, f: impl FnOnce(&sled::Db)) {
    let sled = sled::open(db).expect("sled opens the bank's folder");
    f(&sled);
    sled.flush().expect("flushed");
}

/// The stored value of a family, decoded.
fn family_of(sled: &sled::Db, code: FamilyCode) -> Family {
    let raw = sled.open_tree("families").unwrap().get(code.key()).unwrap().expect("the family is stored");
    banca::store::codec::decode::<Family>(&raw).expect("it decodes").1
}

/// A family whose body is well formed but over the codec's 1 MiB limit:
/// what one `family add` with a 130 000-character e-mail wrote before the
/// store refused such records.
fn oversized(mut f: Family) -> Vec<u8> {
    f.identity.email = format!("{}@example.invalid", "x".repeat(1_100_000));
    let body = bincode::serde::encode_to_vec(CurrentFamily::V3(&f), bincode::config::standard()).unwrap();
    let mut value = vec![banca::store::codec::ENVELOPE_TAG];
    value.extend_from_slice(&3u64.to_be_bytes());
    value.extend_from_slice(&body);
    value
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn server_log(place: &Place) -> String {
    let mut out = String::new();
    let mut dirs = vec![place.dir.path().join("state")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else if e.file_name() == "server.log" {
                out.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn bricked_records_are_quarantined_and_the_bank_serves_the_rest() {
    if !live::as_root() {
        eprintln!("skipped: making Unix users needs root");
        return;
    }
    let _accounts = UnixAccounts::create(GROUP, &[ADMIN, WORKER]);
    let place = Place::new();
    let codes = demo_bank(&place.db);
    let (garbage, big) = (codes[1], codes[2]);
    let (g, b) = (garbage.to_string(), big.to_string());
    with_sled(&place.db, |sled| {
        let families = sled.open_tree("families").unwrap();
        let value = oversized(family_of(sled, big));
        families.insert(garbage.key(), GARBAGE).unwrap();
        families.insert(big.key(), value).unwrap();
    });

    let server = place.start(GROUP, &[]);
    // The server answers before its indexes are built; the records are set
    // aside as the build meets them, so their log lines may come a moment later.
    let logged = |log: &str| {
        [&g, &b].iter().all(|c| log.lines().any(|l| l.contains("record quarantined") && l.contains(c.as_str())))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut log = server_log(&place);
    while !logged(&log) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
        log = server_log(&place);
    }
    for bricked in [&g, &b] {
        assert!(
            log.lines().any(|l| l.contains("record quarantined") && l.contains(bricked)),
            "one log line for {bricked}:\n{log}"
        );
    }

    // Every other family is listed; the bricked ones are not.
    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "family", "list"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "family list: {stderr}");
    for c in [codes[0], codes[3], codes[4], codes[11]] {
        assert!(stdout.contains(&c.to_string()), "{c} listed:\n{stdout}");
    }
    assert!(!stdout.contains(&g) && !stdout.contains(&b), "{stdout}");

    // Showing a bricked family says it is in quarantine, and why.
    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "family", "show", &b]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{b} is in quarantine")), "{stderr}");
    assert!(stderr.contains("LimitExceeded"), "the reason is told: {stderr}");
    let out = place.banca_as(ADMIN, GROUP, &["family", "show", &g]);
    assert!(text(&out).1.contains(&format!("{g} è in quarantena")), "{}", text(&out).1);

    // The export carries everything sound, and says what is quarantined.
    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "export", "-"]);
    let (export, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "export: {stderr}");
    assert!(stderr.contains("2 quarantined records exported as such"), "{stderr}");
    assert!(stderr.contains(&format!("{g} (families)")) && stderr.contains(&format!("{b} (families)")), "{stderr}");
    let family_lines = export.lines().filter(|l| l.starts_with("{\"family\":")).count();
    assert_eq!(family_lines, 10, "12 families less the 2 bricked");
    let quarantined_lines = export.lines().filter(|l| l.starts_with("{\"quarantined\":")).count();
    assert_eq!(quarantined_lines, 2);

    // The doctor reports them by code, tree and reason; exit 6: an administrator's turn.
    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "doctor"]);
    let (report, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(6), "doctor:\n{report}\n{stderr}");
    assert!(report.contains("Records      "), "{report}");
    assert!(report.contains("0 damaged"), "already set aside at start-up:\n{report}");
    assert!(report.contains("Quarantine   2 records"), "{report}");
    let line = report.lines().find(|l| l.contains(&g)).expect("the garbage reported");
    assert!(
        line.contains("(families)") && line.contains("by (server)") && line.contains("unknown envelope tag"),
        "{line}"
    );
    let line = report.lines().find(|l| l.contains(&b)).expect("the oversized one reported");
    assert!(line.contains("(families)") && line.contains("LimitExceeded"), "{line}");
    assert!(report.contains("0 missing, 0 stale"), "their index entries went with them:\n{report}");
    assert!(report.contains("entries, intact"), "{report}");

    // An operator may not run it.
    let out = place.banca_as(WORKER, GROUP, &["--lang", "en", "doctor"]);
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));

    // The audit log says who set them aside.
    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "audit", "--record", &g]);
    let (audit, _) = text(&out);
    assert!(audit.lines().any(|l| l.contains("(server)") && l.contains("quarantined")), "{audit}");

    // The administrator exports the quarantine: owner-only, raw bytes intact.
    let file = place.dir.path().join("quarantine.jsonl");
    let out = place.banca_as("root", GROUP, &["doctor", "--export-quarantine", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let written = std::fs::read_to_string(&file).unwrap();
    let records: Vec<serde_json::Value> = written.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["record"], g.as_str());
    assert_eq!(records[0]["tree"], "families");
    assert_eq!(records[0]["raw_hex"], hex::encode(GARBAGE));
    assert_eq!(records[1]["record"], b.as_str());
    assert!(records[1]["size"].as_u64().unwrap() > 1_100_000);
    drop(server);

    // A restore of that export: accepted, quarantine back where it was,
    // and it exports again line for line.
    let restored = place.dir.path().join("restored");
    let bank = Bank::open(&restored, BankConfig::default(), true, Arc::new(FixedClock(NOW))).unwrap();
    let lines: Vec<String> = export.lines().map(str::to_string).collect();
    match bank.handle(&Actor::server_user("root"), Request::Import { lines: lines.clone() }) {
        Ok(Reply::Imported(s)) => assert_eq!(s.families, 10),
        other => panic!("restore of an export with a quarantine: {other:?}"),
    }
    let held: Vec<String> = bank.store().quarantined().map(|q| q.unwrap().record).collect();
    assert_eq!(held, [g, b]);
    match bank.handle(&Actor::new(ADMIN), Request::Export) {
        Ok(Reply::Export { lines: again }) => assert_eq!(again, lines),
        other => panic!("export of the restored bank: {other:?}"),
    }
}

#[test]
fn doctor_finds_and_repairs_broken_index_entries_and_a_counter_behind() {
    if !live::as_root() {
        eprintln!("skipped: making Unix users needs root");
        return;
    }
    let _accounts = UnixAccounts::create(GROUP, &[ADMIN, WORKER]);
    let place = Place::new();
    let codes = demo_bank(&place.db);
    let first = codes[0];
    let ghost_code = FamilyCode::new(first.year, 999);
    let top = *codes.iter().max_by_key(|c| c.number).unwrap();
    assert!(top.number >= 2, "a series with two codes at least");
    let mut status = String::new();
    with_sled(&place.db, |sled| {
        status = family_of(sled, first).profile.status.token().to_string();
        // The first family drops out of the status index; a family that never was comes in.
        let by_status = sled.open_tree("idx_status").unwrap();
        let entry = by_status
            .scan_prefix(b"F")
            .keys()
            .map(Result::unwrap)
            .find(|k| k.ends_with(&first.key()))
            .expect("an idx_status entry of the first family");
        by_status.remove(entry).unwrap();
        let mut ghost = vec![b'F', 4];
        ghost.extend_from_slice(&ServiceCode(1).key());
        ghost.extend_from_slice(&ghost_code.key());
        sled.open_tree("idx_service").unwrap().insert(ghost, &[] as &[u8]).unwrap();
        // The counter of families goes back below the codes in use.
        let series = format!("counter/F/{}", top.year);
        sled.open_tree("meta").unwrap().insert(series.as_bytes(), &1u32.to_be_bytes()).unwrap();
    });
    let _server = place.start(GROUP, &[]);

    // The status filter reads the index: the first family is missing from it.
    let listed = |place: &Place| {
        let out = place.banca_as(ADMIN, GROUP, &["family", "list", "--status", &status]);
        assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
        text(&out).0.contains(&first.to_string())
    };
    assert!(!listed(&place), "the broken index hides {first}");

    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "doctor"]);
    let (report, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(5), "doctor:\n{report}\n{stderr}");
    assert!(stderr.contains("banca doctor --repair"), "{stderr}");
    assert!(report.contains("1 missing, 1 stale"), "{report}");
    assert!(report.lines().any(|l| l.contains(&format!("idx_status {first}")) && l.ends_with("missing")), "{report}");
    assert!(report.lines().any(|l| l.contains(&format!("idx_service {ghost_code} «S-001»: stale"))), "{report}");
    let behind = format!("F/{}: counter 1, highest code in use {}", top.year, top.number);
    assert!(report.contains(&behind), "{report}");
    assert!(report.contains("Quarantine   0 records"), "{report}");

    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "doctor", "--repair"]);
    let (report, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "doctor --repair:\n{report}\n{stderr}");
    assert!(report.contains("— 2 repaired"), "{report}");
    assert!(report.contains("— 1 raised"), "{report}");
    assert!(listed(&place), "{first} found by its status again");

    let out = place.banca_as(ADMIN, GROUP, &["--json", "doctor"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let json: serde_json::Value = serde_json::from_str(&text(&out).0).unwrap();
    assert_eq!(json["indexes"]["missing"], 0);
    assert_eq!(json["indexes"]["stale"], 0);
    assert_eq!(json["counters"]["behind"], serde_json::json!([]));
    assert_eq!(json["audit"]["broken"], serde_json::Value::Null);

    // The repair is on record.
    let out = place.banca_as(ADMIN, GROUP, &["--lang", "en", "audit", "--limit", "5"]);
    assert!(text(&out).0.lines().any(|l| l.contains(ADMIN) && l.contains("repair")), "{:?}", text(&out));
}

/// A quarantine line of an export is checked like any other: a code that
/// does not agree with its key, raw bytes that are not hex or not of the
/// size told, a tree that holds no records are refused with their line.
#[test]
fn a_restore_refuses_a_tampered_quarantine_line() {
    let dir = tempfile::tempdir().unwrap();
    let codes = demo_bank(dir.path());
    let bank = Bank::open(dir.path(), BankConfig::default(), false, Arc::new(FixedClock(NOW))).unwrap();
    bank.store().tree(TreeId::Families).insert(codes[0].key(), GARBAGE).unwrap();
    let lines = match bank.handle(&Actor::new(ADMIN), Request::Export) {
        Ok(Reply::Export { lines }) => lines,
        other => panic!("export: {other:?}"),
    };
    let at = lines.iter().position(|l| l.starts_with("{\"quarantined\":")).expect("a quarantine line");
    let restore = |lines: Vec<String>| {
        let dir = tempfile::tempdir().unwrap();
        let empty = Bank::open(dir.path(), BankConfig::default(), true, Arc::new(FixedClock(NOW))).unwrap();
        empty.handle(&Actor::server_user("root"), Request::Import { lines })
    };
    assert!(matches!(restore(lines.clone()), Ok(Reply::Imported(_))), "the export itself restores");
    let other_code = codes[1].to_string();
    for (what, from, to) in [
        ("another code", codes[0].to_string(), other_code),
        ("not hex", hex::encode(GARBAGE), "zz".to_string()),
        ("another size", format!("\"size\":{}", GARBAGE.len()), "\"size\":3".to_string()),
        ("no record tree", "\"tree\":\"families\"".to_string(), "\"tree\":\"audit\"".to_string()),
    ] {
        let mut tampered = lines.clone();
        assert!(tampered[at].contains(&from), "{what}: {}", tampered[at]);
        tampered[at] = tampered[at].replacen(&from, &to, 1);
        reseal(&mut tampered);
        match restore(tampered) {
            Err(BankError::ImportRejected(problems)) => {
                assert!(problems.iter().any(|p| p.line == at + 1), "{what}: {problems:?}")
            }
            other => panic!("{what}: accepted: {other:?}"),
        }
    }
}

/// The closing line made again for changed lines, as someone who wants a
/// tampered file accepted would: only the line's own checks can refuse it.
fn reseal(lines: &mut [String]) {
    let Some((last, before)) = lines.split_last_mut() else { return };
    let mut seal = banca::bank::Seal::default();
    for l in before.iter() {
        seal.add(l.as_bytes());
    }
    *last = seal.end().to_json();
}

/// Damage that appears while the bank serves: a list answers without the
/// record, a read of it says it is quarantined, nothing fails as a whole.
#[test]
fn damage_found_while_serving_is_set_aside_never_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let codes = demo_bank(dir.path());
    let damaged = codes[4];
    let bank = Bank::open(dir.path(), BankConfig::default(), false, Arc::new(FixedClock(NOW))).unwrap();
    let admin = Actor::new(ADMIN);
    let listed = |bank: &Bank| match bank.handle(&admin, Request::FamilyList { filter: FamilyFilter::default() }) {
        Ok(Reply::Families(f)) => f.len(),
        other => panic!("family list: {other:?}"),
    };
    assert_eq!(listed(&bank), 12);
    bank.store().tree(TreeId::Families).insert(damaged.key(), GARBAGE).unwrap();

    assert_eq!(listed(&bank), 11, "the list is answered without it");
    match bank.handle(&admin, Request::FamilyGet { code: damaged }) {
        Err(BankError::Quarantined { code, tree, .. }) => {
            assert_eq!((code, tree.as_str()), (damaged.to_string(), "families"))
        }
        other => panic!("a read of the damaged family: {other:?}"),
    }
    match bank.handle(&admin, Request::Search { query: damaged.to_string(), limit: 5 }) {
        Ok(Reply::Found(r)) => assert!(!format!("{r:?}").contains(&damaged.to_string()), "search forgot it: {r:?}"),
        other => panic!("search: {other:?}"),
    }
    match bank.handle(&admin, Request::Export) {
        Ok(Reply::Export { lines }) => {
            assert_eq!(lines.iter().filter(|l| l.starts_with("{\"quarantined\":")).count(), 1)
        }
        other => panic!("export: {other:?}"),
    }
    match bank.handle(&admin, Request::AuditVerify) {
        Ok(Reply::AuditVerified { .. }) => {}
        other => panic!("the chain holds, quarantine entry included: {other:?}"),
    }
}
