//! The server end to end: the real `banca serve` binary on a real Unix
//! socket, driven by real clients (the library's `Client`, raw sockets, and
//! the `banca` binary run as other Unix users). Every test stops the servers
//! it started, even when it fails.

mod common;
mod live;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use banca::api::{
    BankError, Change, Event, FamilyFilter, FamilyView, NeedView, Principal, ProposalFilter, RecordKind, Refusal,
    Reply, Request, Saved,
};

use banca::client::{Client, ClientError, Target};
use banca::model::{FamilyCode, FamilyInput, NeedCode, ProposalCode, ProposalStatus, Role};
use banca::protocol::{self, Hello, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL, VERSION};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use rand::{Rng, RngCore, SeedableRng};
use tempfile::TempDir;

use common::*;
use live::UnixAccounts;

/// How long a server may take to answer on its socket after starting.
const START_WITHIN: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------
// Servers and clients
// ---------------------------------------------------------------------------

/// A bank folder and a socket in a short temporary folder of /tmp (a Unix
/// socket path must fit in 108 bytes).
struct Place {
    dir: TempDir,
    db: PathBuf,
    sock: PathBuf,
}

impl Place {
    fn new() -> Place {
        let dir = tempfile::Builder::new().prefix("b").tempdir_in("/tmp").expect("temporary folder");
        let db = dir.path().join("bank");
        let sock = dir.path().join("s.sock");
        Place { dir, db, sock }
    }

    fn bank(&self) -> PathBuf {
        banca::config::canonical_bank_path(&self.db)
    }

    fn target(&self) -> Target {
        Target::new(self.bank(), self.sock.clone())
    }

    /// The socket in a shared folder, as the administrator makes it for a
    /// server with an operators' group: `run/`, the server's user's (here
    /// the test's), mode 0750, group `group`. The test folder above lets
    /// the operators pass through (0711).
    fn share_with(&mut self, group: &str) {
        std::fs::set_permissions(self.dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
        let run = self.dir.path().join("run");
        std::fs::create_dir(&run).unwrap();
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o750)).unwrap();
        let gid = nix::unistd::Group::from_name(group).unwrap().expect("the test group exists").gid;
        nix::unistd::chown(&run, None, Some(gid)).unwrap();
        self.sock = run.join("s.sock");
    }

    /// A new connection to the running server.
    fn client(&self) -> Client {
        Client::connect(self.target()).unwrap_or_else(|e| panic!("client connects to {}: {e}", self.sock.display()))
    }

    fn start(&self) -> Server {
        self.start_with(&[])
    }

    /// `banca --db DB serve --socket SOCK --create EXTRA…`, ready to answer.
    fn start_with(&self, extra: &[&str]) -> Server {
        static STARTS: AtomicU64 = AtomicU64::new(0);
        let started = Instant::now();
        let log = self.dir.path().join(format!("serve-{}.err", STARTS.fetch_add(1, Ordering::SeqCst)));
        let stderr = std::fs::File::create(&log).expect("server stderr file");
        let child = Command::new(env!("CARGO_BIN_EXE_banca"))
            .arg("--db")
            .arg(&self.db)
            .arg("serve")
            .arg("--socket")
            .arg(&self.sock)
            .arg("--create")
            .args(extra)
            .env("BANCA_CONFIG", self.dir.path().join("none.toml"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .env_remove("BANCA_LANG")
            .env_remove("JOURNAL_STREAM")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("the server starts");
        let mut server =
            Server { pid: Pid::from_raw(child.id() as i32), child, log, state: self.dir.path().join("state") };
        loop {
            if UnixStream::connect(&self.sock).is_ok() {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited before answering ({status}):\n{}", server.said());
            }
            if started.elapsed() > START_WITHIN {
                panic!(
                    "the server did not answer on {} within {START_WITHIN:?}:\n{}",
                    self.sock.display(),
                    server.said()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A running `banca serve`: stopped (SIGTERM, then SIGKILL after 5 s) and
/// reaped when dropped, so no test leaves a server behind.
struct Server {
    child: Child,
    pid: Pid,
    log: PathBuf,
    state: PathBuf,
}

impl Server {
    /// What the server wrote on stderr and in its log, for failure messages.
    fn said(&self) -> String {
        let stderr = std::fs::read_to_string(&self.log).unwrap_or_default();
        let log = std::fs::read_to_string(self.state.join("banca").join("server.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!("stderr:\n{stderr}\nlog (last lines):\n{}", tail.join("\n"))
    }

    /// Waits up to `within` for the server to exit on its own.
    fn exited_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, as systemd or `kill` would send it.
    fn terminate(&mut self) {
        kill(self.pid, Signal::SIGTERM).expect("SIGTERM reaches the server");
    }

    /// kill -9: no chance to flush or clean up.
    fn crash(&mut self) {
        kill(self.pid, Signal::SIGKILL).expect("SIGKILL reaches the server");
        let _ = self.child.wait();
    }

    /// Resident memory of the server, in bytes.
    fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).expect("the server's /proc status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS line");
        let kb: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("VmRSS in kB");
        kb * 1024
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.alive() {
            return;
        }
        let _ = kill(self.pid, Signal::SIGTERM);
        if self.exited_within(Duration::from_secs(5)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The Unix user running the tests: the bank's administrator after `Init`.
fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid()).unwrap().expect("the test user has a name").name
}

fn ok(c: &mut Client, request: Request) -> Reply {
    let what = format!("{request:?}");
    match c.call(request) {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => panic!("{what} was refused: {e:?}"),
        Err(e) => panic!("{what} got no answer: {e:?}"),
    }
}

fn saved(c: &mut Client, request: Request) -> Saved {
    match ok(c, request) {
        Reply::Saved(s) => s,
        other => panic!("expected Saved, got {other:?}"),
    }
}

fn family(c: &mut Client, code: FamilyCode) -> FamilyView {
    match ok(c, Request::FamilyGet { code }) {
        Reply::Family(v) => v,
        other => panic!("expected Family, got {other:?}"),
    }
}

fn audit_verified(c: &mut Client) -> u64 {
    match ok(c, Request::AuditVerify) {
        Reply::AuditVerified { entries, .. } => entries,
        other => panic!("expected AuditVerified, got {other:?}"),
    }
}

/// Init by the test user (who becomes admin), service S-001 and its operator anna.
fn seed(c: &mut Client) {
    saved(c, Request::Init { admin: None });
    let s1 = saved(c, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    assert_eq!(s1.code, "S-001");
    saved(
        c,
        Request::OperatorCreate {
            user: ANNA.into(),
            input: operator_input("Anna Operatrice", Role::Operator, Some(S1)),
        },
    );
}

/// A family of S-001 whose languages hold a counter (`counter_languages`), starting at 0 (revision 1):
/// a shared field, which the administrator sees and may change.
fn counted_family(c: &mut Client) -> FamilyCode {
    let mut input = family_in(S1, ANNA);
    input.profile.languages = counter_languages(0);
    let s = saved(c, Request::FamilyCreate { input });
    assert_eq!(s.revision, 1);
    FamilyCode::parse(&s.code).expect("a family code")
}

fn counter(v: &FamilyView) -> u64 {
    counter_from_languages(&v.profile.languages)
        .unwrap_or_else(|| panic!("{}: languages {:?} are not a counter", v.code, v.profile.languages))
}

/// The family as an administrator submits it again, with the counter set to
/// `n` (the private part, which the administrator does not see, goes empty
/// and stays as stored).
fn with_counter(v: &FamilyView, n: u64) -> FamilyInput {
    let mut input = v.as_input();
    input.profile.languages = counter_languages(n);
    input
}

/// Runs `f` on another thread and fails (instead of hanging) past `within`.
fn within<T: Send + 'static>(within: Duration, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(within) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish within {within:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

// ---------------------------------------------------------------------------
// 1. Concurrency
// ---------------------------------------------------------------------------

#[test]
fn thirty_two_clients_updating_the_same_families_lose_no_update_and_see_only_conflicts() {
    const FAMILIES: usize = 5;
    const CLIENTS: u64 = 32;
    let place = Place::new();
    let server = place.start();
    let mut admin = place.client();
    seed(&mut admin);
    let codes: Vec<FamilyCode> = (0..FAMILIES).map(|_| counted_family(&mut admin)).collect();
    let audit_before = audit_verified(&mut admin);

    let acked: Vec<AtomicU64> = (0..FAMILIES).map(|_| AtomicU64::new(0)).collect();
    let conflicts = AtomicU64::new(0);
    let reads = AtomicU64::new(0);
    let wrong: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let deadline = Instant::now() + Duration::from_secs(3);
    thread::scope(|s| {
        for t in 0..CLIENTS {
            let (place, codes, acked, conflicts, reads, wrong) = (&place, &codes, &acked, &conflicts, &reads, &wrong);
            s.spawn(move || {
                let mut rng = rand::rngs::StdRng::seed_from_u64(t);
                let mut c = place.client();
                // What this client last saw of each family: it never goes back.
                let mut seen = [0u64; FAMILIES];
                let note = |what: String| wrong.lock().unwrap().push(format!("client {t}: {what}"));
                while Instant::now() < deadline {
                    let i = rng.gen_range(0..FAMILIES);
                    if rng.gen_ratio(1, 4) {
                        match c.call(Request::FamilyList { filter: FamilyFilter::default() }) {
                            Ok(Ok(Reply::Families(list))) => {
                                reads.fetch_add(1, Ordering::Relaxed);
                                if list.len() != FAMILIES {
                                    note(format!("the list has {} families", list.len()));
                                }
                                for v in &list {
                                    let j = codes.iter().position(|c| *c == v.code).expect("a known family");
                                    if v.revision < seen[j] {
                                        note(format!(
                                            "{} went back from revision {} to {}",
                                            v.code, seen[j], v.revision
                                        ));
                                    }
                                    seen[j] = seen[j].max(v.revision);
                                }
                            }
                            other => note(format!("FamilyList: {other:?}")),
                        }
                        continue;
                    }
                    let v = match c.call(Request::FamilyGet { code: codes[i] }) {
                        Ok(Ok(Reply::Family(v))) => v,
                        other => {
                            note(format!("FamilyGet: {other:?}"));
                            continue;
                        }
                    };
                    reads.fetch_add(1, Ordering::Relaxed);
                    if v.revision < seen[i] {
                        note(format!("{} went back from revision {} to {}", v.code, seen[i], v.revision));
                    }
                    if v.revision != counter(&v) + 1 {
                        note(format!("{} at revision {} holds counter {}", v.code, v.revision, counter(&v)));
                    }
                    seen[i] = seen[i].max(v.revision);
                    let update = Request::FamilyUpdate {
                        code: v.code,
                        base_revision: v.revision,
                        input: with_counter(&v, counter(&v) + 1),
                    };
                    match c.call(update) {
                        Ok(Ok(Reply::Saved(saved))) => {
                            acked[i].fetch_add(1, Ordering::SeqCst);
                            if saved.revision != v.revision + 1 {
                                note(format!("update on revision {} saved revision {}", v.revision, saved.revision));
                            }
                            seen[i] = seen[i].max(saved.revision);
                        }
                        Ok(Err(BankError::Conflict { based_on, current, .. })) => {
                            conflicts.fetch_add(1, Ordering::Relaxed);
                            if based_on != v.revision || current <= based_on {
                                note(format!("conflict based on {based_on}, current {current}, read {}", v.revision));
                            }
                        }
                        other => note(format!("FamilyUpdate: {other:?}")),
                    }
                }
            });
        }
    });

    let wrong = wrong.into_inner().unwrap();
    assert!(wrong.is_empty(), "{} problems, first ones:\n{}", wrong.len(), wrong[..wrong.len().min(10)].join("\n"));
    let acked: Vec<u64> = acked.iter().map(|a| a.load(Ordering::SeqCst)).collect();
    let total: u64 = acked.iter().sum();
    let conflicts = conflicts.load(Ordering::Relaxed);
    eprintln!("{total} updates acknowledged {acked:?}, {conflicts} conflicts, {} reads", reads.load(Ordering::Relaxed));
    assert!(acked.iter().all(|&a| a > 0), "every family was updated at least once: {acked:?}");
    assert!(conflicts > 0, "32 clients on 5 families must have raced at least once");
    for (code, &n) in codes.iter().zip(&acked) {
        let v = family(&mut admin, *code);
        assert_eq!(counter(&v), n, "{code}: the counter must count every acknowledged update (none lost)");
        assert_eq!(v.revision, 1 + n, "{code}: one revision per acknowledged update");
    }
    assert_eq!(audit_verified(&mut admin), audit_before + total, "one audit entry per acknowledged update");
    drop(server);
}

// ---------------------------------------------------------------------------
// 2. Crash
// ---------------------------------------------------------------------------

#[test]
fn after_kill_9_every_acknowledged_write_is_still_there() {
    const UPDATERS: usize = 4;
    const CREATORS: usize = 2;
    let place = Place::new();
    let mut server = place.start();
    let mut admin = place.client();
    seed(&mut admin);
    let codes: Vec<FamilyCode> = (0..UPDATERS).map(|_| counted_family(&mut admin)).collect();
    let audit_before = audit_verified(&mut admin);
    drop(admin);

    // The last counter value acknowledged per family (one sequential writer each).
    let last_acked: Vec<AtomicU64> = (0..UPDATERS).map(|_| AtomicU64::new(0)).collect();
    let created: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let endings: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let acks = AtomicU64::new(0);
    thread::scope(|s| {
        for (i, code) in codes.iter().enumerate() {
            let (place, last_acked, endings, acks) = (&place, &last_acked, &endings, &acks);
            s.spawn(move || {
                let mut c = place.client();
                let mut v = family(&mut c, *code);
                loop {
                    let n = counter(&v) + 1;
                    let request =
                        Request::FamilyUpdate { code: *code, base_revision: v.revision, input: with_counter(&v, n) };
                    match c.call(request) {
                        Ok(Ok(Reply::Saved(saved))) => {
                            last_acked[i].store(n, Ordering::SeqCst);
                            acks.fetch_add(1, Ordering::SeqCst);
                            v.revision = saved.revision;
                            v.profile.languages = counter_languages(n);
                        }
                        Err(ClientError::Lost { write_unknown: true } | ClientError::NotSent(_)) => return,
                        other => {
                            endings.lock().unwrap().push(format!("update of {code}: {other:?}"));
                            return;
                        }
                    }
                }
            });
        }
        for _ in 0..CREATORS {
            let (place, created, endings, acks) = (&place, &created, &endings, &acks);
            s.spawn(move || {
                let mut c = place.client();
                loop {
                    match c.call(Request::FamilyCreate { input: family_in(S1, ANNA) }) {
                        Ok(Ok(Reply::Saved(saved))) => {
                            created.lock().unwrap().push(saved.code);
                            acks.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(ClientError::Lost { write_unknown: true } | ClientError::NotSent(_)) => return,
                        other => {
                            endings.lock().unwrap().push(format!("create: {other:?}"));
                            return;
                        }
                    }
                }
            });
        }
        // Let the storm run, with some writes acknowledged, then pull the plug.
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) || acks.load(Ordering::SeqCst) < 20 {
            assert!(start.elapsed() < Duration::from_secs(30), "the write storm made no progress");
            thread::sleep(Duration::from_millis(20));
        }
        server.crash();
    });
    let endings = endings.into_inner().unwrap();
    assert!(endings.is_empty(), "writers must end only with a lost connection:\n{}", endings.join("\n"));
    assert!(place.sock.exists(), "kill -9 leaves the socket file behind");

    // A new server on the same bank and socket: the stale socket is replaced,
    // the kernel released the lock.
    let server = place.start();
    let mut c = place.client();
    let mut writes = 0;
    for (i, code) in codes.iter().enumerate() {
        let acked = last_acked[i].load(Ordering::SeqCst);
        let v = family(&mut c, *code);
        let stored = counter(&v);
        assert!(
            stored == acked || stored == acked + 1,
            "{code}: counter {acked} was acknowledged, {stored} is stored (at most the one in flight may have landed)"
        );
        assert_eq!(v.revision, stored + 1, "{code}: revision and counter agree");
        writes += stored;
    }
    let created = created.into_inner().unwrap();
    for code in &created {
        let code = FamilyCode::parse(code).expect("a family code");
        family(&mut c, code);
    }
    // The list comes in pages (of 1 000 by default): all of them.
    let (mut listed, mut after) = (0, None);
    loop {
        let filter = FamilyFilter { after: after.take(), ..FamilyFilter::default() };
        let page = match ok(&mut c, Request::FamilyList { filter }) {
            Reply::Families(page) => page,
            other => panic!("expected Families, got {other:?}"),
        };
        listed += page.len();
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let expected = UPDATERS + created.len();
    assert!(
        (expected..=expected + CREATORS).contains(&listed),
        "{listed} families listed; {expected} acknowledged, at most {CREATORS} more in flight"
    );
    writes += (listed - UPDATERS) as u64;
    eprintln!("{} writes acknowledged before kill -9, {writes} found after", acks.load(Ordering::SeqCst));
    assert_eq!(audit_verified(&mut c), audit_before + writes, "the audit chain verifies with one entry per write");
    drop(server);
}

// ---------------------------------------------------------------------------
// 3. Garbage on the socket
// ---------------------------------------------------------------------------

/// A raw connection to the server, reads time out after `within`.
fn raw(place: &Place) -> UnixStream {
    let s = UnixStream::connect(&place.sock).expect("raw connection");
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s
}

/// The server closes the connection (EOF or reset) within the read timeout.
fn closed_by_server(mut s: UnixStream, what: &str) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                assert!(got.len() < 1 << 16, "{what}: the server keeps talking");
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("{what}: the server did not close the connection: {e}"),
        }
    }
}

fn hello(bank: &Path, protocol: u32) -> Hello {
    Hello { protocol, version: VERSION.into(), bank: bank.display().to_string() }
}

#[test]
fn garbage_on_the_socket_is_dropped_and_well_behaved_clients_keep_being_served() {
    let place = Place::new();
    let server = place.start();
    let mut good = place.client();
    seed(&mut good);
    let code = counted_family(&mut good);
    let served = |good: &mut Client, after: &str| match good.call(Request::FamilyGet { code }) {
        Ok(Ok(Reply::Family(v))) => assert_eq!(v.code, code),
        other => panic!("after {after}, the well-behaved client got {other:?}"),
    };
    served(&mut good, "connecting");
    let rss_before = server.rss();
    let limit = 200 << 20;

    // Connects and never speaks: timed from now, checked at the end.
    let silent = raw(&place);
    let silent_since = Instant::now();

    // Random bytes, several times over.
    for seed in 0..8u64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut junk = vec![0u8; rng.gen_range(1..64 * 1024)];
        rng.fill_bytes(&mut junk);
        let mut s = raw(&place);
        let _ = s.write_all(&junk);
        let _ = s.shutdown(std::net::Shutdown::Write);
        closed_by_server(s, &format!("random bytes #{seed}"));
        served(&mut good, &format!("random bytes #{seed}"));
    }

    // A frame header announcing 4 GiB: refused before allocating.
    let mut s = raw(&place);
    s.write_all(&u32::MAX.to_be_bytes()).unwrap();
    closed_by_server(s, "a 4 GiB header");
    served(&mut good, "a 4 GiB header");
    assert!(server.rss() < limit, "RSS {} after a 4 GiB header (was {rss_before})", server.rss());

    // The same after a good handshake, and just over the cap.
    for len in [u32::MAX, MAX_FRAME as u32 + 1] {
        let mut s = raw(&place);
        protocol::write_frame(&mut s, &hello(&place.bank(), PROTOCOL), MAX_FRAME).unwrap();
        let welcome: Welcome = protocol::read_frame(&mut s, MAX_SERVER_FRAME).expect("a welcome");
        assert!(matches!(welcome, Welcome::Ok { ref user, .. } if *user == me()), "{welcome:?}");
        s.write_all(&len.to_be_bytes()).unwrap();
        closed_by_server(s, &format!("a {len}-byte header after the handshake"));
        served(&mut good, "an oversized header after the handshake");
        assert!(server.rss() < limit, "RSS {} after a {len}-byte header", server.rss());
    }

    // A small frame whose string claims to be 200 MB long.
    let mut body = vec![0u8];
    body.push(252); // bincode varint: a u32 follows
    body.extend_from_slice(&(200u32 << 20).to_le_bytes());
    body.extend_from_slice(b"short");
    let mut s = raw(&place);
    s.write_all(&(body.len() as u32).to_be_bytes()).unwrap();
    s.write_all(&body).unwrap();
    closed_by_server(s, "a string claiming 200 MB");
    served(&mut good, "a string claiming 200 MB");
    assert!(server.rss() < limit, "RSS {} after a string claiming 200 MB", server.rss());

    // A truncated frame: 100 bytes announced, 10 sent, then closed.
    let mut s = raw(&place);
    s.write_all(&100u32.to_be_bytes()).unwrap();
    s.write_all(&[7u8; 10]).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    closed_by_server(s, "a truncated frame");
    served(&mut good, "a truncated frame");

    // Another protocol: told so, then closed.
    let mut s = raw(&place);
    protocol::write_frame(&mut s, &hello(&place.bank(), PROTOCOL + 1), MAX_FRAME).unwrap();
    match protocol::read_frame::<Welcome>(&mut s, MAX_SERVER_FRAME) {
        Ok(Welcome::Mismatch { protocol, version }) => assert_eq!((protocol, version.as_str()), (PROTOCOL, VERSION)),
        other => panic!("a wrong protocol number got {other:?}"),
    }
    closed_by_server(s, "a wrong protocol number");
    served(&mut good, "a wrong protocol number");

    // Another bank: told which bank this server serves, then closed.
    let mut s = raw(&place);
    protocol::write_frame(&mut s, &hello(&place.dir.path().join("other"), PROTOCOL), MAX_FRAME).unwrap();
    match protocol::read_frame::<Welcome>(&mut s, MAX_SERVER_FRAME) {
        Ok(Welcome::OtherBank { bank }) => assert_eq!(bank, place.bank().display().to_string()),
        other => panic!("a hello naming another bank got {other:?}"),
    }
    closed_by_server(s, "a hello naming another bank");
    served(&mut good, "a hello naming another bank");

    // Garbage after a good handshake.
    let mut s = raw(&place);
    protocol::write_frame(&mut s, &hello(&place.bank(), PROTOCOL), MAX_FRAME).unwrap();
    protocol::read_frame::<Welcome>(&mut s, MAX_SERVER_FRAME).expect("a welcome");
    s.write_all(&[0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0xff]).unwrap();
    closed_by_server(s, "an undecodable call");
    served(&mut good, "an undecodable call");

    // The silent client is dropped at the handshake deadline (5 s).
    closed_by_server(silent, "a client that never speaks");
    let waited = silent_since.elapsed();
    assert!(waited < Duration::from_secs(15), "a silent client was kept {waited:?}");
    served(&mut good, "a silent client");
    assert!(server.rss() < limit, "RSS {} at the end (was {rss_before})", server.rss());
    eprintln!("RSS {rss_before} at start, {} at the end; silent client dropped after {waited:?}", server.rss());
    drop(server);
}

// ---------------------------------------------------------------------------
// 4. Handshake
// ---------------------------------------------------------------------------

#[test]
fn a_client_asking_for_another_bank_is_told_which_bank_the_server_serves() {
    let place = Place::new();
    let server = place.start();
    let other = place.dir.path().join("other");
    let target = Target { bank: banca::config::canonical_bank_path(&other), ..place.target() };
    match Client::connect(target) {
        Err(ClientError::OtherBank { socket, serves, wanted }) => {
            assert_eq!(socket, place.sock);
            assert_eq!(serves, place.bank().display().to_string());
            assert_eq!(wanted, banca::config::canonical_bank_path(&other).display().to_string());
        }
        Err(e) => panic!("expected OtherBank, got {e:?}"),
        Ok(_) => panic!("a client of another bank was let in"),
    }
    // The right bank is let in, and the kernel names the user.
    let c = place.client();
    assert_eq!(c.user, me());
    assert_eq!(c.server_version, VERSION);
    drop(server);
    // No server, no spawning: said so.
    let gone = Place::new();
    assert!(matches!(Client::connect(gone.target()), Err(ClientError::NoServer { .. })));
}

// ---------------------------------------------------------------------------
// 5. Events
// ---------------------------------------------------------------------------

/// Waits up to `wait` for an event matching `pred`, collecting all events seen.
fn wait_for(c: &mut Client, wait: Duration, seen: &mut Vec<Event>, pred: impl Fn(&Event) -> bool) -> bool {
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        let got = c.events(Duration::from_millis(500)).expect("events");
        let found = got.iter().any(&pred);
        seen.extend(got);
        if found {
            return true;
        }
    }
    false
}

#[test]
fn a_subscriber_hears_of_another_clients_update() {
    let place = Place::new();
    let server = place.start();
    let mut writer = place.client();
    seed(&mut writer);
    let code = counted_family(&mut writer);

    let mut listener = place.client();
    listener.subscribe().unwrap();
    // Calls are answered in order: once this is answered, the subscription holds.
    ok(&mut listener, Request::Whoami);
    listener.events(Duration::ZERO).unwrap();

    let v = family(&mut writer, code);
    let s = saved(&mut writer, Request::FamilyUpdate { code, base_revision: v.revision, input: with_counter(&v, 1) });
    assert_eq!(s.revision, 2);
    let expected = Event::Changed(Change { kind: RecordKind::Family, code: code.to_string(), revision: 2, by: me() });
    let mut seen = Vec::new();
    assert!(
        wait_for(&mut listener, Duration::from_secs(5), &mut seen, |e| *e == expected),
        "expected {expected:?}, saw {seen:?}"
    );
    assert_eq!(
        seen.iter().filter(|e| e.kind() == Some(RecordKind::Family)).count(),
        1,
        "one event per change: {seen:?}"
    );
    drop(server);
}

#[test]
fn a_subscriber_that_never_reads_does_not_stall_writers_and_is_told_it_lagged() {
    const CHANGES: u64 = 1200;
    let place = Place::new();
    let server = place.start();
    let mut admin = place.client();
    seed(&mut admin);
    let code = counted_family(&mut admin);

    let mut sleeper = place.client();
    sleeper.subscribe().unwrap();
    ok(&mut sleeper, Request::Whoami);

    // Two writers, each on its own family, while the subscriber reads nothing.
    let other = counted_family(&mut admin);
    let started = Instant::now();
    let mut writers = Vec::new();
    for family_code in [code, other] {
        let target = place.target();
        writers.push(thread::spawn(move || {
            let mut c = Client::connect(target).expect("writer connects");
            let mut v = family(&mut c, family_code);
            for n in 1..=CHANGES / 2 {
                let request =
                    Request::FamilyUpdate { code: family_code, base_revision: v.revision, input: with_counter(&v, n) };
                v.revision = saved(&mut c, request).revision;
                v.profile.languages = counter_languages(n);
            }
        }));
    }
    within(Duration::from_secs(120), "1200 writes with a subscriber that never reads", move || {
        for w in writers {
            w.join().expect("writer");
        }
    });
    let took = started.elapsed();
    eprintln!("{CHANGES} writes took {took:?} with a sleeping subscriber");

    // Waking up: some events, then word that it missed some.
    let mut seen = Vec::new();
    let lagged = wait_for(&mut sleeper, Duration::from_secs(30), &mut seen, |e| *e == Event::Lagged);
    loop {
        let more = sleeper.events(Duration::from_millis(500)).unwrap();
        if more.is_empty() {
            break;
        }
        seen.extend(more);
    }
    let families = seen.iter().filter(|e| e.kind() == Some(RecordKind::Family)).count() as u64;
    eprintln!("the sleeper got {families} family events of {CHANGES}, lagged: {lagged}");
    assert!(lagged, "no lagged marker among {} events ({families} family events)", seen.len());
    assert!(families < CHANGES, "{families} family events: some must have been dropped");

    // It resyncs by reading, and hears of the next change.
    let v = family(&mut sleeper, code);
    assert_eq!(v.revision, 1 + CHANGES / 2);
    let v = family(&mut admin, code);
    saved(&mut admin, Request::FamilyUpdate { code, base_revision: v.revision, input: with_counter(&v, CHANGES) });
    let next =
        Event::Changed(Change { kind: RecordKind::Family, code: code.to_string(), revision: v.revision + 1, by: me() });
    let mut after = Vec::new();
    assert!(
        wait_for(&mut sleeper, Duration::from_secs(5), &mut after, |e| *e == next),
        "expected {next:?}, saw {after:?}"
    );
    drop(server);
}

// ---------------------------------------------------------------------------
// 6. Shutdown
// ---------------------------------------------------------------------------

#[test]
fn sigterm_stops_the_server_cleanly_and_keeps_what_it_acknowledged() {
    let place = Place::new();
    let mut server = place.start();
    let mut idle = place.client();
    seed(&mut idle);
    let quiet = counted_family(&mut idle);
    let busy = counted_family(&mut idle);
    let v = family(&mut idle, quiet);
    saved(&mut idle, Request::FamilyUpdate { code: quiet, base_revision: v.revision, input: with_counter(&v, 1) });

    // A writer keeps updating while the server is told to stop.
    let target = place.target();
    let (acked_tx, acked_rx) = mpsc::channel::<u64>();
    let writer = thread::spawn(move || {
        let mut c = Client::connect(target).expect("writer connects");
        let mut v = family(&mut c, busy);
        for n in 1.. {
            let request = Request::FamilyUpdate { code: busy, base_revision: v.revision, input: with_counter(&v, n) };
            match c.call(request) {
                Ok(Ok(Reply::Saved(s))) => {
                    v.revision = s.revision;
                    v.profile.languages = counter_languages(n);
                    let _ = acked_tx.send(n);
                }
                Err(ClientError::Lost { .. } | ClientError::NoServer { .. } | ClientError::NotSent(_)) => return Ok(()),
                other => return Err(format!("update {n}: {other:?}")),
            }
        }
        Ok(())
    });
    // Some writes acknowledged, then SIGTERM.
    acked_rx.recv_timeout(Duration::from_secs(30)).expect("the writer gets going");
    thread::sleep(Duration::from_millis(300));
    server.terminate();
    let status = server.exited_within(Duration::from_secs(10));
    let Some(status) = status else { panic!("the server did not exit within 10 s of SIGTERM:\n{}", server.said()) };
    assert_eq!(status.code(), Some(0), "exit status after SIGTERM:\n{}", server.said());
    assert!(!place.sock.exists(), "the socket file is removed on a clean stop");
    writer.join().expect("writer thread").expect("the writer ends only with a lost connection");
    let last_acked = acked_rx.try_iter().last().unwrap_or(1).max(1);
    // The connected client is told the server is gone, without hanging.
    assert!(within(Duration::from_secs(10), "a call after the stop", move || idle.call(Request::Whoami).is_err()));

    let server = place.start();
    let mut c = place.client();
    let v = family(&mut c, quiet);
    assert_eq!((counter(&v), v.revision), (1, 2), "the write acknowledged before SIGTERM is there");
    let v = family(&mut c, busy);
    assert_eq!(counter(&v), last_acked, "a clean stop answers every write it took, and loses none");
    audit_verified(&mut c);
    drop(server);
}

#[test]
fn a_connected_subscriber_does_not_keep_the_server_from_stopping() {
    let place = Place::new();
    let mut server = place.start();
    let mut c = place.client();
    seed(&mut c);
    c.subscribe().unwrap();
    ok(&mut c, Request::Whoami);

    server.terminate();
    let Some(status) = server.exited_within(Duration::from_secs(10)) else {
        panic!("with a subscriber connected, the server did not exit within 10 s of SIGTERM:\n{}", server.said())
    };
    assert_eq!(status.code(), Some(0), "exit status after SIGTERM:\n{}", server.said());
    assert!(!place.sock.exists(), "the socket file is removed on a clean stop");
}

#[test]
fn a_subscriber_that_stopped_reading_does_not_keep_the_server_from_stopping() {
    let place = Place::new();
    let mut server = place.start();
    let mut admin = place.client();
    seed(&mut admin);
    let code = counted_family(&mut admin);
    // Subscribed, then never reads again (a suspended terminal, say): its
    // socket fills up with events.
    let mut stuck = place.client();
    stuck.subscribe().unwrap();
    ok(&mut stuck, Request::Whoami);
    let mut v = family(&mut admin, code);
    for n in 1..=1000 {
        let request = Request::FamilyUpdate { code, base_revision: v.revision, input: with_counter(&v, n) };
        v.revision = saved(&mut admin, request).revision;
        v.profile.languages = counter_languages(n);
    }

    server.terminate();
    let exited = server.exited_within(Duration::from_secs(10));
    let said = server.said();
    drop(stuck);
    let Some(status) = exited else {
        panic!("with a subscriber that stopped reading, the server did not exit within 10 s of SIGTERM:\n{said}")
    };
    assert_eq!(status.code(), Some(0), "exit status after SIGTERM:\n{said}");
}

#[test]
fn a_server_started_with_idle_exit_leaves_once_its_last_subscriber_has_gone() {
    let place = Place::new();
    let mut server = place.start_with(&["--idle-exit", "2s"]);
    let mut c = place.client();
    seed(&mut c);
    c.subscribe().unwrap();
    ok(&mut c, Request::Whoami);
    drop(c);

    let Some(status) = server.exited_within(Duration::from_secs(10)) else {
        panic!("2 s after its last client (a subscriber) left, the server was still running 10 s later")
    };
    assert_eq!(status.code(), Some(0), "exit status after the idle timeout:\n{}", server.said());
    assert!(!place.sock.exists(), "the socket file is removed on an idle exit");
}

#[test]
fn after_a_server_restart_a_read_is_answered_again_and_a_write_never_sent_goes_once_on_a_new_connection() {
    let place = Place::new();
    let mut server = place.start();
    let mut c = place.client();
    seed(&mut c);
    let code = counted_family(&mut c);

    // The server goes away and comes back; the client's connection is dead.
    server.terminate();
    server.exited_within(Duration::from_secs(10)).expect("the server stops");
    let server = place.start();
    let v = family(&mut c, code);
    assert_eq!(v.code, code, "a read is sent again on a new connection");

    // Same again, but the request is a write. The client sees the old
    // connection closed before sending anything (as after the server closes
    // an idle one), so the write was never sent there: it goes, once, on a
    // new connection.
    drop(server);
    let server = place.start();
    let update = Request::FamilyUpdate { code, base_revision: v.revision, input: with_counter(&v, 1) };
    // The old connection is closed: the write fails before a byte leaves,
    // so the operator is told it was not saved (not "outcome unknown").
    match c.call(update) {
        Ok(Ok(Reply::Saved(s))) => assert_eq!(s.revision, v.revision + 1),
        other => panic!("a write never sent on the closed connection goes on a new one, got {other:?}"),
    }
    let mut fresh = place.client();
    assert_eq!(family(&mut fresh, code).revision, v.revision + 1, "the write was saved once");
    drop(server);
}

// ---------------------------------------------------------------------------
// 7. Identity from the kernel
// ---------------------------------------------------------------------------

const GROUP: &str = "bancatest";
const USER_A: &str = "bancatest_a";
const USER_B: &str = "bancatest_b";

/// `banca ARGS` run as `user`, with the user's groups as a login would give them.
fn banca_as(user: &str, place: &Place, sock: &Path, args: &[&str]) -> Output {
    let config = place.dir.path().join("none.toml");
    let child = live::banca_command_as(user, GROUP, &place.db, sock, &config, args)
        .spawn()
        .expect("banca runs as another user");
    within(Duration::from_secs(30), &format!("banca {args:?} as {user}"), move || child.wait_with_output().unwrap())
}

fn json_of<T: serde::de::DeserializeOwned>(out: &Output, what: &str) -> T {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{what}: {e} in {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn each_unix_user_is_known_by_the_kernel_and_sees_only_its_own_services_children() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    let _accounts = UnixAccounts::create(GROUP, &[USER_A, USER_B]);
    let mut place = Place::new();
    place.share_with(GROUP);
    let sock = place.sock.clone();
    let server = place.start_with(&["--group", GROUP]);

    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    saved(&mut admin, Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
    saved(&mut admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    saved(&mut admin, Request::ServiceCreate { input: service_input(S2_NAME, BERGAMO_AMBIT) });
    for (user, name, service) in [(USER_A, "Alba Prova", S1), (USER_B, "Bice Prova", S2)] {
        saved(
            &mut admin,
            Request::OperatorCreate { user: user.into(), input: operator_input(name, Role::Operator, Some(service)) },
        );
    }
    let need_of = |admin: &mut Client, service, referent: &str, given: &str| {
        let mut input = need_in(service, referent);
        input.identity.given_name = given.into();
        NeedCode::parse(&saved(admin, Request::NeedCreate { input }).code).expect("a need code")
    };
    let need_a = need_of(&mut admin, S1, USER_A, "Albachiara");
    let need_b = need_of(&mut admin, S2, USER_B, "Bibiana");

    for (user, service) in [(USER_A, S1), (USER_B, S2)] {
        let p: Principal = json_of(&banca_as(user, &place, &sock, &["--json", "whoami"]), &format!("whoami as {user}"));
        assert_eq!((p.user.as_str(), p.role, p.service), (user, Role::Operator, Some(service)), "{p:?}");
    }
    for (user, own, own_child, theirs, their_child) in
        [(USER_A, need_a, "Albachiara", need_b, "Bibiana"), (USER_B, need_b, "Bibiana", need_a, "Albachiara")]
    {
        let mine: NeedView =
            json_of(&banca_as(user, &place, &sock, &["--json", "need", "show", &own.to_string()]), "own need");
        assert_eq!(mine.identity.map(|i| i.given_name).as_deref(), Some(own_child), "{user} sees its own child");
        let out = banca_as(user, &place, &sock, &["--json", "need", "show", &theirs.to_string()]);
        let other: NeedView = json_of(&out, "another service's need");
        assert!(other.identity.is_none(), "{user} must not see {theirs}'s child");
        assert!(!String::from_utf8_lossy(&out.stdout).contains(their_child), "{user} read {their_child}'s name");
        let text = banca_as(user, &place, &sock, &["need", "show", &theirs.to_string()]);
        assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
        assert!(!String::from_utf8_lossy(&text.stdout).contains(their_child), "{user} read {their_child}'s name");
    }
    drop(server);
}

const RX_GROUP: &str = "bancarx";
const RX_USER: &str = "bancarx_rita";

/// `banca ARGS` run as the reception operator, in its group.
fn banca_rx(place: &Place, sock: &Path, args: &[&str]) -> Output {
    let config = place.dir.path().join("none.toml");
    let child = live::banca_command_as(RX_USER, RX_GROUP, &place.db, sock, &config, args)
        .spawn()
        .expect("banca runs as another user");
    within(Duration::from_secs(30), &format!("banca {args:?} as {RX_USER}"), move || child.wait_with_output().unwrap())
}

#[test]
fn a_reception_operator_known_by_the_kernel_declares_its_own_places_and_no_other_service_s() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    let _accounts = UnixAccounts::create(RX_GROUP, &[RX_USER]);
    let mut place = Place::new();
    place.share_with(RX_GROUP);
    let sock = place.sock.clone();
    let server = place.start_with(&["--group", RX_GROUP]);

    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    saved(&mut admin, Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
    saved(&mut admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    for name in ["Pronto Intervento Prova", "Pronto Intervento Seconda"] {
        let mut input = service_input(name, "");
        input.kind = banca::model::ServiceKind::EmergencyShelter;
        input.ambits = vec![];
        let mut profile = banca::model::ReceptionProfile::new(bergamo(), 8);
        profile.managing_body.name = "Cooperativa Prova".into();
        input.reception = Some(profile);
        saved(&mut admin, Request::ServiceCreate { input });
    }
    let input = operator_input("Rita Prova", Role::Reception, Some(banca::model::ServiceCode(2)));
    saved(&mut admin, Request::OperatorCreate { user: RX_USER.into(), input });

    let p: Principal = json_of(&banca_rx(&place, &sock, &["--json", "whoami"]), "whoami");
    assert_eq!((p.role, p.service), (Role::Reception, Some(banca::model::ServiceCode(2))), "{p:?}");
    // Its own service's places: declared, and the directory says so to everyone.
    let out = banca_rx(&place, &sock, &["service", "vacancies", "S-002", "--places", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries: Vec<banca::api::DirectoryEntry> =
        json_of(&banca_rx(&place, &sock, &["--json", "directory", "--reception"]), "directory");
    let free: Vec<(String, u16)> =
        entries.iter().map(|e| (e.code.to_string(), e.places.as_ref().map_or(0, |p| p.free))).collect();
    assert_eq!(free, [("S-002".to_string(), 2), ("S-003".to_string(), 0)]);
    // Another service's places, a family, the audit log: refused, nothing written.
    for args in [
        &["service", "vacancies", "S-003", "--places", "1"][..],
        &["family", "enquiry", "--name", "Prova Famiglia", "--phone", "035 000 0000", "--comune", "Bergamo"][..],
        &["audit"][..],
    ] {
        let out = banca_rx(&place, &sock, args);
        assert!(!out.status.success(), "{args:?} was let through: {}", String::from_utf8_lossy(&out.stdout));
    }
    let entries: Vec<banca::api::DirectoryEntry> =
        json_of(&banca_rx(&place, &sock, &["--json", "directory", "--reception"]), "directory");
    assert_eq!(entries[1].places.as_ref().map(|p| p.declared), Some(None), "S-003 never declared");
    drop(server);
}

// ---------------------------------------------------------------------------
// 8. Proposals between services
// ---------------------------------------------------------------------------

/// Set in a peer process: the socket to connect to (see `Peer`).
const PEER: &str = "BANCA_TEST_PEER_SOCKET";
const PEER_BANK: &str = "BANCA_TEST_PEER_BANK";
/// Starts every line a peer process writes for the test (libtest writes its own lines too).
const PEER_MARK: &str = "@@peer@@";

/// Service S-003, whose children also wait for families of S-001.
const S3: banca::model::ServiceCode = banca::model::ServiceCode(3);
const S3_NAME: &str = "Consultorio Familiare di Prova";
/// Bank-only operators (no Unix user): referents of the needs of S-002 and S-003.
const ETTORE: &str = "ettore";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
enum Ask {
    Call(Box<Request>),
    Subscribe,
    Events { wait_ms: u64 },
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
enum Answer {
    Ready { user: String },
    Response(Box<banca::api::Response>),
    Subscribed,
    Events(Vec<Event>),
    Failed(String),
}

/// A client of the server: in this process as the test user (the
/// administrator), or, when the tests run as root, a process of its own
/// run as an operator's Unix user, so the server knows it from the kernel.
/// That process is this test binary again, running the same test with
/// `PEER` set: `serve_as_peer` answers the calls it is sent on stdin.
enum Peer {
    Local(Client),
    Process {
        user: String,
        child: Child,
        asks: Option<std::process::ChildStdin>,
        answers: std::io::BufReader<std::process::ChildStdout>,
    },
}

impl Peer {
    /// `user` (a Unix user of `group`) running this test as a peer process.
    fn spawn(test: &str, user: &str, group: &str, place: &Place) -> Peer {
        use std::os::unix::process::CommandExt;
        let account = nix::unistd::User::from_name(user).unwrap().expect("the test user exists");
        let group = nix::unistd::Group::from_name(group).unwrap().expect("the test group exists").gid;
        let (uid, gid) = (account.uid, account.gid);
        let mut cmd = Command::new(std::env::current_exe().expect("this test binary"));
        cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
            .env(PEER, &place.sock)
            .env(PEER_BANK, place.bank())
            .env("HOME", "/nonexistent")
            .env("RUST_BACKTRACE", "0")
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        // SAFETY: only raw system calls between fork and exec, no allocation.
        unsafe {
            cmd.pre_exec(move || {
                nix::unistd::setgroups(&[gid, group])?;
                nix::unistd::setgid(gid)?;
                nix::unistd::setuid(uid)?;
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("the peer process starts");
        let asks = child.stdin.take();
        let answers = std::io::BufReader::new(child.stdout.take().expect("the peer's stdout"));
        let mut peer = Peer::Process { user: user.to_string(), child, asks, answers };
        match peer.answer() {
            Answer::Ready { user: known } => assert_eq!(known, user, "the server knows the peer by its Unix user"),
            other => panic!("peer {user} did not start: {other:?}"),
        }
        peer
    }

    fn user(&self) -> String {
        match self {
            Peer::Local(c) => c.user.clone(),
            Peer::Process { user, .. } => user.clone(),
        }
    }

    fn ask(&mut self, ask: Ask) -> Answer {
        match self {
            Peer::Local(c) => answer_locally(c, ask),
            Peer::Process { asks, .. } => {
                let line = serde_json::to_string(&ask).expect("an ask is plain data");
                let asks = asks.as_mut().expect("the peer's stdin is open");
                writeln!(asks, "{line}").and_then(|_| asks.flush()).expect("the peer reads its stdin");
                self.answer()
            }
        }
    }

    /// The next line the peer process wrote for the test.
    fn answer(&mut self) -> Answer {
        let Peer::Process { user, answers, .. } = self else { unreachable!("only a process answers by lines") };
        let mut line = String::new();
        loop {
            line.clear();
            let n = std::io::BufRead::read_line(answers, &mut line).expect("the peer's stdout reads");
            assert!(n > 0, "peer {user} exited");
            if let Some(at) = line.find(PEER_MARK) {
                let json = &line[at + PEER_MARK.len()..];
                return serde_json::from_str(json).unwrap_or_else(|e| panic!("peer {user} wrote {json:?}: {e}"));
            }
        }
    }

    fn call(&mut self, request: Request) -> banca::api::Response {
        let what = format!("{request:?}");
        match self.ask(Ask::Call(Box::new(request))) {
            Answer::Response(r) => *r,
            other => panic!("{what} as {} got no answer: {other:?}", self.user()),
        }
    }

    fn subscribe(&mut self) {
        assert!(matches!(self.ask(Ask::Subscribe), Answer::Subscribed));
        // Calls are answered in order: once this is answered, the subscription holds.
        self.call(Request::Whoami).expect("whoami");
    }

    /// Waits up to `wait` for an event matching `pred`, collecting all events seen.
    fn wait_for(&mut self, wait: Duration, seen: &mut Vec<Event>, pred: impl Fn(&Event) -> bool) -> bool {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            let got = match self.ask(Ask::Events { wait_ms: 500 }) {
                Answer::Events(got) => got,
                other => panic!("events: {other:?}"),
            };
            let found = got.iter().any(&pred);
            seen.extend(got);
            if found {
                return true;
            }
        }
        false
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Peer::Process { child, asks, .. } = self {
            // Its stdin closed, the peer process ends its test.
            drop(asks.take());
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn answer_locally(c: &mut Client, ask: Ask) -> Answer {
    match ask {
        Ask::Call(request) => match c.call(*request) {
            Ok(response) => Answer::Response(Box::new(response)),
            Err(e) => Answer::Failed(e.to_string()),
        },
        Ask::Subscribe => match c.subscribe() {
            Ok(()) => Answer::Subscribed,
            Err(e) => Answer::Failed(e.to_string()),
        },
        Ask::Events { wait_ms } => match c.events(Duration::from_millis(wait_ms)) {
            Ok(events) => Answer::Events(events),
            Err(e) => Answer::Failed(e.to_string()),
        },
    }
}

/// In a peer process (`PEER` set): connects as this process's user, then
/// answers every ask read on stdin until it closes. False in the test itself.
fn serve_as_peer() -> bool {
    let Some(socket) = std::env::var_os(PEER) else { return false };
    let bank = PathBuf::from(std::env::var_os(PEER_BANK).expect("the peer is told the bank"));
    // The server runs as the test's user, root: the operator trusts it by name.
    let target = Target { server_user: Some("root".into()), ..Target::new(bank, socket.into()) };
    let mut client = Client::connect(target).expect("the peer connects");
    let say = |answer: &Answer| println!("{PEER_MARK}{}", serde_json::to_string(answer).expect("plain data"));
    say(&Answer::Ready { user: client.user.clone() });
    for line in std::io::BufRead::lines(std::io::stdin().lock()) {
        let line = line.expect("stdin reads");
        let ask: Ask = serde_json::from_str(&line).expect("an ask");
        say(&answer_locally(&mut client, ask));
    }
    true
}

/// A server with three services: S-001 has the families, S-002 and S-003
/// children waiting for one. `peers` clients act for S-001: its operators
/// as real Unix users when the tests run as root, else the administrator.
struct Market {
    // Dropped in this order: the clients, the server, the Unix users, the folder.
    peers: Vec<Peer>,
    admin: Client,
    _server: Server,
    _accounts: Option<UnixAccounts>,
    _place: Place,
}

impl Market {
    fn open(test: &str, group: &'static str, users: &'static [&'static str]) -> Market {
        let as_root = nix::unistd::geteuid().is_root();
        let accounts = as_root.then(|| UnixAccounts::create(group, users));
        let mut place = Place::new();
        let server = if as_root {
            place.share_with(group);
            place.start_with(&["--group", group])
        } else {
            eprintln!("not root: the administrator stands in for the operators of S-001");
            place.start()
        };
        let mut admin = place.client();
        saved(&mut admin, Request::Init { admin: None });
        saved(&mut admin, Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
        for (name, ambit) in [(S1_NAME, DALMINE_AMBIT), (S2_NAME, BERGAMO_AMBIT), (S3_NAME, BERGAMO_AMBIT)] {
            saved(&mut admin, Request::ServiceCreate { input: service_input(name, ambit) });
        }
        let mut operators = vec![(ANNA, S1), (BRUNO, S2), (ETTORE, S3)];
        if as_root {
            operators.extend(users.iter().map(|u| (*u, S1)));
        }
        for (user, service) in operators {
            let input = operator_input(&format!("Operatore {user}"), Role::Operator, Some(service));
            saved(&mut admin, Request::OperatorCreate { user: user.into(), input });
        }
        let peers = users
            .iter()
            .map(|user| if as_root { Peer::spawn(test, user, group, &place) } else { Peer::Local(place.client()) })
            .collect();
        Market { peers, admin, _server: server, _accounts: accounts, _place: place }
    }

    /// An approved family of S-001 in Dalmine with `places` places.
    fn family(&mut self, places: u8) -> FamilyCode {
        let mut input = family_in(S1, ANNA);
        input.profile.status = banca::model::FamilyStatus::Approved;
        input.profile.approved_on = Some(time::macros::date!(2026 - 01 - 10));
        input.profile.max_children = places;
        FamilyCode::parse(&saved(&mut self.admin, Request::FamilyCreate { input }).code).expect("a family code")
    }

    /// A boy of seven waiting in `service`.
    fn need(&mut self, service: banca::model::ServiceCode, referent: &str) -> NeedCode {
        let input = need_in(service, referent);
        NeedCode::parse(&saved(&mut self.admin, Request::NeedCreate { input }).code).expect("a need code")
    }

    /// The child's service proposes the family (revision 1).
    fn propose(&mut self, need: NeedCode, family: FamilyCode) -> ProposalCode {
        let s = saved(&mut self.admin, Request::ProposalCreate { need, family, note: "Proposta di prova.".into() });
        assert_eq!(s.revision, 1);
        ProposalCode::parse(&s.code).expect("a proposal code")
    }
}

fn accept(code: ProposalCode) -> Request {
    Request::ProposalStep { code, base_revision: 1, to: ProposalStatus::Accepted, note: String::new() }
}

#[test]
fn two_services_accepting_for_the_last_place_at_the_same_moment_one_succeeds_the_other_is_told_why() {
    const TEST: &str =
        "two_services_accepting_for_the_last_place_at_the_same_moment_one_succeeds_the_other_is_told_why";
    if serve_as_peer() {
        return;
    }
    const ROUNDS: usize = 20;
    let mut m = Market::open(TEST, "bancarace", &["bancarace_a", "bancarace_b"]);
    let mut won = [0; 2];
    for round in 0..ROUNDS {
        // One place, and a child of S-002 and one of S-003 proposed for it.
        let family = m.family(1);
        let needs = [m.need(S2, BRUNO), m.need(S3, ETTORE)];
        let proposals = [m.propose(needs[0], family), m.propose(needs[1], family)];

        // Two operators of S-001 accept both at the same moment.
        let barrier = Barrier::new(2);
        let (a, b) = m.peers.split_at_mut(1);
        let answers: Vec<banca::api::Response> = thread::scope(|s| {
            let running: Vec<_> = [(&mut a[0], proposals[0]), (&mut b[0], proposals[1])]
                .into_iter()
                .map(|(peer, code)| {
                    let barrier = &barrier;
                    s.spawn(move || {
                        barrier.wait();
                        peer.call(accept(code))
                    })
                })
                .collect();
            running.into_iter().map(|t| t.join().expect("an accepting client")).collect()
        });

        let (winner, loser, refusal) = match (&answers[0], &answers[1]) {
            (Ok(Reply::Saved(s)), Err(e)) => (0, 1, (s, e)),
            (Err(e), Ok(Reply::Saved(s))) => (1, 0, (s, e)),
            other => panic!("round {round}: expected one acceptance and one refusal, got {other:?}"),
        };
        let (saved_step, refusal) = refusal;
        won[winner] += 1;
        let (winner, loser) = (proposals[winner], proposals[loser]);
        assert_eq!((saved_step.code.clone(), saved_step.revision), (winner.to_string(), 2), "round {round}");
        match refusal {
            BankError::Refused(Refusal::NoFreePlaces { family: f, free, needed, held_by }) => {
                assert_eq!((*f, *free, *needed), (family, 0, 1), "round {round}: {refusal:?}");
                assert_eq!(held_by, &[winner.to_string()], "round {round}: the refusal names what holds the place");
            }
            other => panic!("round {round}: the loser must be told there is no free place, got {other:?}"),
        }
        let said = banca::i18n::describe_error(refusal, banca::i18n::Lang::En);
        assert!(said.contains(&winner.to_string()) && said.contains(&family.to_string()), "{said}");

        // The family holds one child, never two; the other proposal is withdrawn.
        let accepted = match ok(
            &mut m.admin,
            Request::ProposalList {
                filter: ProposalFilter {
                    family: Some(family),
                    status: Some(ProposalStatus::Accepted),
                    ..Default::default()
                },
            },
        ) {
            Reply::Proposals(list) => list,
            other => panic!("expected Proposals, got {other:?}"),
        };
        let held: usize = accepted.iter().map(|p| p.record.needs.len()).sum();
        assert_eq!(held, 1, "round {round}: {family} has 1 place and holds {held} children: {accepted:?}");
        assert_eq!(accepted[0].record.code, winner);
        match ok(&mut m.admin, Request::MatchFamily { family, limit: 0 }) {
            Reply::FamilyMatches(r) => assert_eq!(r.free_places, 0, "round {round}"),
            other => panic!("expected FamilyMatches, got {other:?}"),
        }
        match ok(&mut m.admin, Request::ProposalGet { code: loser }) {
            Reply::Proposal(p) => {
                // Withdrawn by the winner's acceptance, in its transaction: no place left.
                assert_eq!((p.revision, p.record.status), (2, ProposalStatus::Withdrawn), "round {round}");
                let cause = p.record.last_step().and_then(|s| s.cause);
                let by = banca::model::PlaceTaker::Proposal(winner);
                assert_eq!(cause, Some(banca::model::StepCause::NoPlaceLeft { family, by }), "round {round}");
            }
            other => panic!("expected Proposal, got {other:?}"),
        }
    }
    eprintln!("{ROUNDS} races for the last place: the first client won {}, the second {}", won[0], won[1]);
    audit_verified(&mut m.admin);
    drop(m);
}

#[test]
fn a_subscriber_hears_of_a_proposal_landing_in_its_services_inbox_and_of_each_step() {
    const TEST: &str = "a_subscriber_hears_of_a_proposal_landing_in_its_services_inbox_and_of_each_step";
    if serve_as_peer() {
        return;
    }
    let mut m = Market::open(TEST, "bancaev", &["bancaev_a"]);
    let family = m.family(2);
    let need = m.need(S2, BRUNO);
    // An operator of S-001, the family's service, listens.
    let mut listener = m.peers.remove(0);
    listener.subscribe();
    let operator = listener.user();

    let proposal = m.propose(need, family);
    let heard = |kind: RecordKind, code: String, revision: u64, by: &str| {
        Event::Changed(Change { kind, code, revision, by: by.into() })
    };
    let mut seen = Vec::new();
    let landed = heard(RecordKind::Proposal, proposal.to_string(), 1, &me());
    assert!(
        listener.wait_for(Duration::from_secs(5), &mut seen, |e| *e == landed),
        "expected {landed:?}, saw {seen:?}"
    );

    // The family's service looks at it: the listener's own step is heard too.
    let step = Request::ProposalStep {
        code: proposal,
        base_revision: 1,
        to: ProposalStatus::UnderReview,
        note: "Colloquio fissato.".into(),
    };
    match listener.call(step) {
        Ok(Reply::Saved(s)) => assert_eq!(s.revision, 2),
        other => panic!("the operator of S-001 reviews the proposal: {other:?}"),
    }
    let reviewed = heard(RecordKind::Proposal, proposal.to_string(), 2, &operator);
    assert!(
        listener.wait_for(Duration::from_secs(5), &mut seen, |e| *e == reviewed),
        "expected {reviewed:?}, saw {seen:?}"
    );

    // The child's service withdraws it.
    let step = Request::ProposalStep {
        code: proposal,
        base_revision: 2,
        to: ProposalStatus::Withdrawn,
        note: "Il bambino rientra in famiglia.".into(),
    };
    assert_eq!(saved(&mut m.admin, step).revision, 3);
    let withdrawn = heard(RecordKind::Proposal, proposal.to_string(), 3, &me());
    assert!(
        listener.wait_for(Duration::from_secs(5), &mut seen, |e| *e == withdrawn),
        "expected {withdrawn:?}, saw {seen:?}"
    );
    let about_proposal: Vec<&Event> = seen.iter().filter(|e| e.kind() == Some(RecordKind::Proposal)).collect();
    assert_eq!(about_proposal.len(), 3, "one event per change of the proposal: {seen:?}");
    // The need followed the proposal (in abbinamento, then aperta again): heard as changed alongside.
    assert!(
        seen.iter()
            .any(|e| e.kind() == Some(RecordKind::Need) && e.change().is_some_and(|c| c.code == need.to_string())),
        "{seen:?}"
    );
    drop(listener);
    drop(m);
}
