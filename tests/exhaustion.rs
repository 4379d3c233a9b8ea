//! The socket cannot be exhausted: one user's flood of idle and slow
//! connections is capped (the rest told Busy at once), slow handshakes are
//! cut at one deadline, idle connections that follow nothing are closed,
//! another operator keeps being answered, and the server's memory comes
//! back once the flood is gone. The figures are printed; the heavier
//! measurement is in benches/server.rs.

mod common;
mod live;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use banca::api::{Reply, Request};
use banca::model::Role;
use banca::protocol::{self, BusyScope, Hello, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL, VERSION};

use common::*;
use live::{as_root, saved, Place, UnixAccounts};

/// The server's default caps (`banca serve` without flags).
const PER_USER: u32 = 64;

fn hello(place: &Place) -> Hello {
    Hello { protocol: PROTOCOL, version: VERSION.into(), bank: place.target().bank.display().to_string() }
}

/// Enough open files for the flood (the soft limit is often 1 024).
fn raise_open_files() {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    setrlimit(Resource::RLIMIT_NOFILE, hard, hard).unwrap();
    assert!(hard >= 4096, "the test needs 4 096 open files, the hard limit is {hard}");
}

/// A connection that has said hello and waits for its welcome.
fn connect_with_hello(place: &Place) -> UnixStream {
    let mut s = UnixStream::connect(&place.sock).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // A refused connection may be closed before the hello goes out: the welcome says why.
    let _ = protocol::write_frame(&mut s, &hello(place), MAX_FRAME);
    s
}

/// Bytes the server sent and whether it closed, without waiting longer than `wait`.
fn closed_within(s: &mut UnixStream, wait: Duration) -> bool {
    s.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 256];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn one_users_flood_of_slow_and_idle_connections_leaves_another_operator_served_and_memory_returns() {
    if !as_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return;
    }
    const GROUP: &str = "bc_ex";
    const OTHER: &str = "bc_o";
    raise_open_files();
    let _accounts = UnixAccounts::create(GROUP, &[OTHER]);
    let place = Place::new();
    let server = place.start(GROUP, &[]);
    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    saved(&mut admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    let input = operator_input("Operatrice di prova", Role::Operator, Some(S1));
    saved(&mut admin, Request::OperatorCreate { user: OTHER.into(), input });
    // The other operator, timed: a whole `banca family list` run as that user.
    let other_answers = |when: &str| {
        let started = Instant::now();
        let out = place.banca_as(OTHER, GROUP, &["family", "list"]);
        let took = started.elapsed();
        assert!(out.status.success(), "{when}: {OTHER} was not answered: {}", String::from_utf8_lossy(&out.stderr));
        assert!(took < Duration::from_secs(1), "{when}: {OTHER} waited {took:?}");
        took
    };
    other_answers("before the flood");
    let rss_start = server.rss_kib();

    // 250 slow connections from this user (root, the administrator): a
    // header announcing a hello, then one byte a second. The user's cap
    // takes some in; the rest are told Busy at once.
    let started = Instant::now();
    let mut slow: Vec<UnixStream> = (0..250)
        .map(|_| {
            let mut s = UnixStream::connect(&place.sock).expect("connects");
            let _ = s.write_all(&200u32.to_be_bytes());
            s
        })
        .collect();
    // 1 000 idle connections: hello said, then nothing. The cap is full of
    // slow ones: all told Busy, with a welcome the client turns into a sentence.
    let mut idle: Vec<UnixStream> = (0..1000).map(|_| connect_with_hello(&place)).collect();
    let mut busy = 0;
    for s in &mut idle {
        match protocol::read_frame::<Welcome>(s, MAX_SERVER_FRAME) {
            Ok(Welcome::Busy { scope: BusyScope::User { limit } }) => {
                assert_eq!(limit, PER_USER);
                busy += 1;
            }
            other => panic!("an idle connection over the cap got {other:?}"),
        }
    }
    let rss_flood = server.rss_kib();
    let threads_flood = server.threads();
    let during = other_answers("during the flood");
    let out = place.banca_as("root", GROUP, &["--lang", "en", "whoami"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "the flooding user's own command: {said}");
    assert!(said.contains("64 connections open from this user"), "{said}");

    // The slow ones trickle a byte a second; at the handshake's deadline (5 s
    // from each connection, whatever the bytes) every one is closed.
    while started.elapsed() < Duration::from_secs(4) {
        for s in &mut slow {
            let _ = s.write_all(&[0]);
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    // Closed by 6 s (5 s and the time it took to open them all), or never.
    let cut_by = started + Duration::from_secs(6);
    let still_open = slow
        .iter_mut()
        .map(|s| closed_within(s, cut_by.saturating_duration_since(Instant::now()).max(Duration::from_millis(10))))
        .filter(|closed| !closed)
        .count();
    let slow_cut = started.elapsed();
    assert_eq!(still_open, 0, "slow handshakes still open {slow_cut:?} after they began");

    // The slow ones gone, 1 000 idle again: the cap takes 63 beside the
    // administrator's own; 937 are told Busy.
    drop(idle);
    let mut idle: Vec<UnixStream> = (0..1000).map(|_| connect_with_hello(&place)).collect();
    let (mut welcomed, mut refused) = (0, 0);
    for s in &mut idle {
        match protocol::read_frame::<Welcome>(s, MAX_SERVER_FRAME) {
            Ok(Welcome::Ok { .. }) => welcomed += 1,
            Ok(Welcome::Busy { scope: BusyScope::User { .. } }) => refused += 1,
            other => panic!("an idle connection got {other:?}"),
        }
    }
    assert_eq!((welcomed, refused), (PER_USER as usize - 1, 1000 - PER_USER as usize + 1));
    let rss_idle = server.rss_kib();
    let threads_idle = server.threads();
    let during_idle = other_answers("with 63 idle connections of another user");

    // All gone: the memory comes back.
    drop(idle);
    drop(slow);
    std::thread::sleep(Duration::from_millis(1500));
    let rss_after = server.rss_kib();
    let threads_after = server.threads();
    other_answers("after the flood");
    eprintln!(
        "server RSS: {rss_start} KiB at start, {rss_flood} KiB with 250 slow + 1000 idle connections \
         ({busy} of the idle told Busy, {threads_flood} threads), {rss_idle} KiB with 1000 idle \
         ({welcomed} welcomed, {refused} Busy, {threads_idle} threads), {rss_after} KiB after they closed \
         ({threads_after} threads); slow handshakes all cut by {slow_cut:?}; the other operator's \
         `banca family list` took {during:?} during the flood, {during_idle:?} with the idle ones"
    );
    assert!(rss_after < rss_start + 16 * 1024, "RSS {rss_after} KiB after the flood, {rss_start} KiB at start");
    drop(admin);
    drop(server);
}

#[test]
fn an_idle_connection_is_closed_and_one_that_follows_the_bank_is_kept() {
    let place = live::Place::new();
    let group = nix::unistd::Group::from_gid(nix::unistd::getgid()).unwrap().expect("a group").name;
    let server = place.start(&group, &["--idle-timeout", "2s"]);
    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    let mut follower = place.client();
    follower.subscribe().expect("the administrator may follow the bank");

    // Hello, welcome, then silence: closed after 2 s.
    let mut quiet = connect_with_hello(&place);
    assert!(matches!(protocol::read_frame::<Welcome>(&mut quiet, MAX_SERVER_FRAME), Ok(Welcome::Ok { .. })));
    let since = Instant::now();
    assert!(closed_within(&mut quiet, Duration::from_secs(6)), "an idle connection was kept");
    let closed_after = since.elapsed();
    assert!(closed_after >= Duration::from_millis(1900), "closed after {closed_after:?}, before the idle time");

    // The follower has been quiet as long, and still hears of a change. The
    // administrator's connection was closed as idle too: its client finds
    // out before sending, and the change goes through on a new connection.
    std::thread::sleep(Duration::from_millis(500));
    saved(&mut admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    let mut heard = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while heard.is_empty() && Instant::now() < deadline {
        heard = follower.events(Duration::from_millis(500)).expect("the follower is still connected");
    }
    assert!(
        heard
            .iter()
            .any(|e| e.change().is_some_and(|c| c.kind == banca::api::RecordKind::Service && c.code == "S-001")),
        "the follower heard {heard:?}"
    );
    eprintln!("an idle connection was closed after {closed_after:?}; the follower still hears");
    drop(server);
}

#[test]
fn someone_who_is_not_an_active_operator_cannot_hold_a_connection() {
    let place = live::Place::new();
    let group = nix::unistd::Group::from_gid(nix::unistd::getgid()).unwrap().expect("a group").name;
    // Idle time 30 s: an operator keeps a quiet connection that long, anyone else 1 s.
    let server = place.start(&group, &["--idle-timeout", "30s"]);

    // Before `init` nobody is an operator: a quiet connection is closed after about a second.
    let mut stranger = connect_with_hello(&place);
    assert!(matches!(protocol::read_frame::<Welcome>(&mut stranger, MAX_SERVER_FRAME), Ok(Welcome::Ok { .. })));
    let since = Instant::now();
    assert!(closed_within(&mut stranger, Duration::from_secs(5)), "a non-operator held its connection");
    let closed_after = since.elapsed();
    assert!(closed_after >= Duration::from_millis(900), "closed after {closed_after:?}, before its idle time");

    // A restore prepared while its connection sat quiet (a large demo takes a
    // while): the connection was closed meanwhile, the import goes on a new one.
    let mut admin = place.client();
    std::thread::sleep(Duration::from_millis(1500));
    let lines = banca::demo::generate_lines(&banca::demo::DemoOptions {
        families: 5,
        needs: 2,
        seed: 1,
        admin_user: nix::unistd::User::from_uid(nix::unistd::getuid()).unwrap().expect("a user").name,
        now: time::OffsetDateTime::now_utc(),
    });
    let file = format!("{}\n", lines.join("\n"));
    match admin.import([Ok(file.into_bytes())]) {
        Ok(Ok(Reply::Imported(summary))) => assert_eq!(summary.families, 5),
        other => panic!("the import after a quiet while: {other:?}"),
    }

    // Once an administrator, the same user's quiet connection is kept.
    let mut operator = connect_with_hello(&place);
    assert!(matches!(protocol::read_frame::<Welcome>(&mut operator, MAX_SERVER_FRAME), Ok(Welcome::Ok { .. })));
    assert!(!closed_within(&mut operator, Duration::from_millis(2500)), "an operator's quiet connection was closed");
    eprintln!("a non-operator's quiet connection closed after {closed_after:?}; an operator's kept");
    drop(server);
}

/// Frames built to make the decoder allocate most (millions of empty
/// strings: 1 byte each on the wire, 24 in memory), sent at once on several
/// connections: each reserves room in the server's frame budget before its
/// body is read, so what they cost together stays bounded (without the
/// budget, eight such frames grew this server by about 400 MiB). Every
/// connection is answered or closed, and the server answers afterwards.
#[test]
fn frames_built_to_make_the_decoder_allocate_stay_within_the_servers_frame_budget() {
    if !as_root() {
        eprintln!("skipped: making Unix groups for this test needs root");
        return;
    }
    const GROUP: &str = "bc_fb";
    let _accounts = UnixAccounts::create(GROUP, &[]);
    let place = Place::new();
    let server = place.start(GROUP, &[]);
    let before = server.rss_kib();
    let frame = {
        let lines = vec![String::new(); MAX_FRAME - 64];
        let call = protocol::ClientMsg::Call { id: 1, request: Box::new(Request::Import { lines }) };
        let mut f = Vec::new();
        protocol::write_frame(&mut f, &call, MAX_FRAME).expect("the frame fits the cap");
        f
    };
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (peak, done, pid) = (peak.clone(), done.clone(), server.pid);
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
                    let kib = s
                        .lines()
                        .find_map(|l| l.strip_prefix("VmRSS:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                        .unwrap_or(0);
                    peak.fetch_max(kib, std::sync::atomic::Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let senders: Vec<_> = (0..8)
        .map(|_| {
            let (mut s, frame) = (connect_with_hello(&place), frame.clone());
            std::thread::spawn(move || {
                let welcome: Welcome = protocol::read_frame(&mut s, MAX_SERVER_FRAME).expect("a welcome");
                assert!(matches!(welcome, Welcome::Ok { .. }), "{welcome:?}");
                s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                let _ = s.write_all(&frame);
                // An answer (the import refused), or the connection closed for want of room.
                let _ = protocol::read_frame::<protocol::ServerMsg>(&mut s, MAX_SERVER_FRAME);
            })
        })
        .collect();
    for t in senders {
        t.join().expect("every connection answered or closed");
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    sampler.join().unwrap();
    let grew_mib = (peak.load(std::sync::atomic::Ordering::Relaxed).saturating_sub(before)) / 1024;
    println!("8 frames of {} bytes at once: the server grew by {grew_mib} MiB at most", frame.len());
    // The budget is 160 MiB of worst cases; what is really built is less.
    assert!(grew_mib < 170, "the server grew by {grew_mib} MiB");
    let mut admin = place.client();
    assert!(admin.call(Request::Whoami).is_ok(), "the server still answers");
}
