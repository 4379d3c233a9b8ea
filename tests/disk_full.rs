//! A full disk, for real: a small tmpfs mounted by the test (as root), the
//! bank on it, the real `banca serve`, a filler file that takes the space.
//!
//! - Below the reserve a write is refused before anything is written: the
//!   CLI says "Disco pieno … nulla è stato salvato" and exits 3; the refused
//!   write is in no list, no `info` count, no audit entry, no event; reads
//!   go on; once the filler is gone the next write succeeds, same server.
//! - With no reserve the disk fills under sled itself: the write whose flush
//!   fails is answered "nothing was saved", the server logs one line and
//!   exits 4; restarted, the bank holds every acknowledged write and not the
//!   failed one, and its audit chain verifies.
//!
//! Without root (or without permission to mount) the tests say so and pass.

mod common;
mod live;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use banca::bank::{BankError, FamilyFilter, Reply, Request};
use banca::client::Client;
use banca::model::FamilyCode;

use common::*;

/// Size of the test's filesystem.
const DISK_MIB: u64 = 32;

/// A tmpfs mounted for the test, unmounted when dropped, even when the test fails.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `mib` MiB at `at`; `None` (said on stderr) when it cannot.
    fn mount(at: &Path, mib: u64) -> Option<Tmpfs> {
        if !live::as_root() {
            eprintln!("disk_full: skipped, the test mounts a tmpfs and must run as root");
            return None;
        }
        std::fs::create_dir_all(at).expect("the mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m,mode=0755"), "banca-disk-full"])
            .arg(at)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs(at.to_path_buf())),
            Ok(o) => {
                eprintln!("disk_full: skipped, mount failed: {}", String::from_utf8_lossy(&o.stderr).trim());
                None
            }
            Err(e) => {
                eprintln!("disk_full: skipped, no mount command: {e}");
                None
            }
        }
    }

    fn free(&self) -> u64 {
        banca::store::space::space(&self.0).expect("statvfs of the tmpfs").available
    }

    /// Takes the space with a filler file until at most `leave` bytes are free.
    fn fill(&self, leave: u64) -> PathBuf {
        let path = self.0.join("filler");
        let mut f = std::fs::File::create(&path).expect("the filler file");
        let chunk = vec![0x5au8; 64 << 10];
        while self.free() > leave {
            let want = (self.free() - leave).min(chunk.len() as u64) as usize;
            match f.write(&chunk[..want.max(1)]) {
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        f.sync_all().ok();
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let done = Command::new("umount").arg(&self.0).status().is_ok_and(|s| s.success());
        if !done {
            // Still busy (a server that would not die): detach it anyway.
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// The bank on a tmpfs; socket and log off it, in the test's folder.
fn place_on_disk() -> (live::Place, PathBuf) {
    let place = live::Place::new();
    let disk = place.dir.path().join("disk");
    let place = live::Place { db: disk.join("bank"), ..place };
    (place, disk)
}

fn ok(c: &mut Client, request: Request) -> Reply {
    let what = format!("{request:?}");
    match c.call(request) {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => panic!("{what} was refused: {e:?}"),
        Err(e) => panic!("{what} got no answer: {e:?}"),
    }
}

/// Root (the test) becomes the administrator; service S-001 and its operator anna.
fn seed(c: &mut Client) {
    ok(c, Request::Init { admin: None });
    ok(c, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    ok(
        c,
        Request::OperatorCreate {
            user: ANNA.into(),
            input: operator_input("Anna Operatrice", banca::model::Role::Operator, Some(S1)),
        },
    );
}

/// (families, audit entries) as `info` counts them.
fn counts(c: &mut Client) -> (u64, u64) {
    match ok(c, Request::Info) {
        Reply::Info(i) => (i.families, i.audit_entries),
        other => panic!("expected Info, got {other:?}"),
    }
}

fn listed(c: &mut Client) -> Vec<String> {
    match ok(c, Request::FamilyList { filter: FamilyFilter::default() }) {
        Reply::Families(v) => v.into_iter().map(|f| f.code.to_string()).collect(),
        other => panic!("expected Families, got {other:?}"),
    }
}

fn verified(c: &mut Client) -> u64 {
    match ok(c, Request::AuditVerify) {
        Reply::AuditVerified { entries } => entries,
        other => panic!("expected AuditVerified, got {other:?}"),
    }
}

fn newest_audit(c: &mut Client) -> String {
    match ok(c, Request::AuditList { record: None, limit: 1 }) {
        Reply::Audit(v) => format!("{:?}", v.first()),
        other => panic!("expected Audit, got {other:?}"),
    }
}

const FAMILY_ADD: [&str; 10] = [
    "family",
    "add",
    "--service",
    "S-001",
    "--referent",
    "anna",
    "--adult",
    "Laura Bassi,1979",
    "--comune",
    "Osio Sotto",
];

#[test]
fn a_full_disk_refuses_writes_with_no_trace_and_they_resume_once_space_is_freed() {
    let (place, at) = place_on_disk();
    let Some(disk) = Tmpfs::mount(&at, DISK_MIB) else { return };
    let mut server = place.start("root", &["--disk-reserve-mb", "8"]);
    let mut admin = place.client();
    seed(&mut admin);
    for _ in 0..3 {
        let out = place.banca_as("root", "root", &FAMILY_ADD);
        assert!(out.status.success(), "family add: {}", String::from_utf8_lossy(&out.stderr));
    }
    let mut watcher = place.client();
    watcher.subscribe().expect("the administrator follows the changes");
    let before = counts(&mut admin);
    assert_eq!(before.0, 3);
    let families = listed(&mut admin);
    let audit = verified(&mut admin);
    let newest = newest_audit(&mut admin);

    let filler = disk.fill(4 << 20);
    assert!(disk.free() < 8 << 20, "the disk is under the reserve: {} bytes free", disk.free());
    for args in [&FAMILY_ADD[..], &["service", "add", "--name", "Servizio Affidi Ambito di Bergamo"]] {
        let out = place.banca_as("root", "root", args);
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?} on a full disk: exit 3, said {said}");
        assert!(said.contains("Disco pieno") && said.contains("nulla è stato salvato"), "{args:?} said: {said}");
        assert!(out.stdout.is_empty(), "{args:?} printed {}", String::from_utf8_lossy(&out.stdout));
    }
    match admin.call(Request::FamilyCreate { input: family_in(S1, ANNA) }) {
        Ok(Err(BankError::DiskFull { available, reserve })) => {
            assert!(available < 8 << 20, "{available} bytes free");
            assert_eq!(reserve, 8 << 20);
        }
        other => panic!("a write on a full disk: expected DiskFull, got {other:?}"),
    }

    // Reads go on, and nothing shows the refused writes.
    assert_eq!(counts(&mut admin), before, "info counts the same families and audit entries");
    assert_eq!(listed(&mut admin), families, "the list is the same");
    assert_eq!(verified(&mut admin), audit, "the audit chain has no new entry");
    assert_eq!(newest_audit(&mut admin), newest, "the newest audit entry is the same");
    assert_eq!(watcher.events(Duration::from_millis(500)).expect("events"), vec![], "no event for a refused write");
    assert!(matches!(server.child.try_wait(), Ok(None)), "the server runs on");

    // Space is back: the next write succeeds, on the same server.
    std::fs::remove_file(filler).expect("the filler goes");
    let out = place.banca_as("root", "root", &FAMILY_ADD);
    assert!(out.status.success(), "family add once space is freed: {}", String::from_utf8_lossy(&out.stderr));
    let after = counts(&mut admin);
    assert_eq!(after, (4, audit + 1), "one more family, one more audit entry");
    assert_eq!(verified(&mut admin), audit + 1);
    let events = watcher.events(Duration::from_secs(5)).expect("events");
    assert_eq!(events.len(), 1, "one event, for the saved family: {events:?}");
    let new: Vec<String> = listed(&mut admin).into_iter().filter(|c| !families.contains(c)).collect();
    assert_eq!(new.len(), 1, "one new family in the list: {new:?}");
    assert_eq!(events[0].code, new[0], "the event names it");
    assert!(matches!(server.child.try_wait(), Ok(None)), "the same server took the write");
    drop(server);
}

#[test]
fn a_write_that_fails_on_disk_stops_the_server_which_restarts_with_every_acknowledged_write() {
    let (place, at) = place_on_disk();
    let Some(disk) = Tmpfs::mount(&at, DISK_MIB) else { return };
    let mut server = place.start("root", &["--disk-reserve-mb", "0"]);
    let mut admin = place.client();
    seed(&mut admin);
    let (_, audit_before) = counts(&mut admin);

    // No reserve: the disk fills under sled itself, a few writes later.
    let filler = disk.fill(1 << 20);
    let mut acknowledged: Vec<String> = Vec::new();
    let started = Instant::now();
    let failure = loop {
        assert!(started.elapsed() < Duration::from_secs(60), "no write failed in 60 s");
        match admin.call(Request::FamilyCreate { input: family_in(S1, ANNA) }) {
            Ok(Ok(Reply::Saved(s))) => acknowledged.push(s.code),
            Ok(Err(e @ BankError::WriteFailed { .. })) => break e,
            other => panic!("after {} writes: expected Saved or WriteFailed, got {other:?}", acknowledged.len()),
        }
    };
    let text = banca::i18n::describe_error(&failure, banca::i18n::Lang::It);
    assert!(text.contains("nulla è stato salvato"), "the author is told: {text}");
    eprintln!("{} writes acknowledged before the disk ran out; then: {text}", acknowledged.len());

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit after the failed write");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(4), "the server exits 4 after a failed write");
    let log = std::fs::read_to_string(place.dir.path().join("state/banca/server.log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("a write to disk failed")).collect();
    assert_eq!(lines.len(), 1, "one log line says why:\n{log}");
    assert!(lines[0].contains("ERROR") && lines[0].contains("exiting with code 4"), "{}", lines[0]);
    let after = admin.call(Request::Whoami);
    assert!(after.is_err(), "nobody answers any more: {after:?}");

    // Space is back; the server starts again on what the disk holds.
    std::fs::remove_file(filler).expect("the filler goes");
    drop(server);
    let server = place.start("root", &["--disk-reserve-mb", "0"]);
    let mut admin = place.client();
    let mut found = listed(&mut admin);
    found.sort();
    let mut expected = acknowledged.clone();
    expected.sort();
    assert_eq!(found, expected, "every acknowledged family, and not the failed one");
    assert_eq!(verified(&mut admin), audit_before + acknowledged.len() as u64, "the audit chain verifies");
    for code in &acknowledged {
        let code = FamilyCode::parse(code).expect("a family code");
        assert!(matches!(ok(&mut admin, Request::FamilyGet { code }), Reply::Family(_)));
    }
    assert!(matches!(ok(&mut admin, Request::FamilyCreate { input: family_in(S1, ANNA) }), Reply::Saved(_)));
    drop(server);
}
