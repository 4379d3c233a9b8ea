//! Figures of the server, printed (not asserted): start-up time and memory
//! of `banca serve` on a large synthetic bank, then requests per second and
//! latency over the socket with 1, 8 and 32 concurrent connections, for
//! lookups by code and for revision-checked updates.
//!
//!     cargo bench --bench server
//!     BENCH_FAMILIES=10000 BENCH_NEEDS=2000 BENCH_SECONDS=2 cargo bench --bench server
//!
//! The clients are threads of this process, each with its own connection
//! (`banca::client::Client`), so they share the machine's cores with the server.
//!
//! Last, a flood: 1 000 idle connections (handshake done) and 250 slow ones
//! (a hello trickling in), all admitted (the server runs with its caps
//! raised for this), with the server's memory and threads before, during
//! and after, and the latency of another client meanwhile.
//! `BENCH_FLOOD_IDLE` and `BENCH_FLOOD_SLOW` change the counts.

mod common;

use common::{env_or, StopOnDrop};

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use banca::api::{BankError, FamilyFilter, Reply, Request};
use banca::client::{Client, Target};
use banca::model::FamilyCode;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CLIENTS: &[usize] = &[1, 8, 32];

fn main() {
    let families: usize = env_or("BENCH_FAMILIES", 100_000);
    let needs: usize = env_or("BENCH_NEEDS", 20_000);
    let seconds: u64 = env_or("BENCH_SECONDS", 5) as u64;
    let show_runs: usize = env_or("BENCH_RUNS", 20);
    let duration = Duration::from_secs(seconds);

    // In /tmp, whatever TMPDIR says: a socket path must stay short.
    let dir = tempfile::Builder::new().prefix("banca-bench").tempdir_in("/tmp").expect("temporary folder");
    let db = dir.path().join("bank");
    let socket = dir.path().join("s.sock");
    let config = dir.path().join("none.toml");
    let state = dir.path().join("state");
    let bin = env!("CARGO_BIN_EXE_banca");
    let banca = |args: &[&str]| {
        let mut c = Command::new(bin);
        c.env("BANCA_CONFIG", &config)
            .env("XDG_STATE_HOME", &state) // the server's log stays in the temporary folder
            .env_remove("BANCA_LANG")
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .arg("--db")
            .arg(&db)
            .args(args);
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        c
    };

    println!("banca server bench: {families} families, {needs} needs, {seconds} s per case");

    // The demo starts the bank's usual server; stop it, however the bench ends.
    {
        let _auto = StopOnDrop(banca(&["stop"]));
        let start = Instant::now();
        run(banca(&["demo", "--families", &families.to_string(), "--needs", &needs.to_string(), "--seed", "7"]));
        println!("{:<44} {:>9.2} s", "demo bank (banca demo, not the server)", start.elapsed().as_secs_f64());
        run(banca(&["stop"]));
    }

    // Our own server, on our own socket, in the foreground.
    let target = Target::new(banca::config::canonical_bank_path(&db), socket.clone());
    // A server started while the previous one is still exiting finds the
    // bank locked and exits: such attempts are retried (and reported);
    // start-up is timed on the one that answers.
    let mut attempts = 0;
    let (mut server, mut client, startup) = loop {
        attempts += 1;
        let start = Instant::now();
        let mut serve = banca(&["serve", "--max-per-user", "4000", "--max-connections", "4000", "--socket"]);
        serve.arg(&socket).stdout(Stdio::null()).stderr(Stdio::null());
        let mut server = ServerGuard(serve.spawn().expect("banca serve starts"));
        let answered = loop {
            match Client::connect(target.clone()) {
                Ok(c) => break Some(c),
                Err(e) => {
                    if let Ok(Some(status)) = server.0.try_wait() {
                        if attempts >= 50 {
                            panic!("banca serve exited ({status}) before answering, {attempts} times: {e}");
                        }
                        break None;
                    }
                    if start.elapsed() > Duration::from_secs(120) {
                        panic!("banca serve did not answer within 2 minutes: {e}");
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        };
        match answered {
            Some(client) => break (server, client, start.elapsed()),
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    if attempts > 1 {
        println!("(banca serve found the bank still locked by the stopped server; answered at attempt {attempts})");
    }
    let pid = server.0.id();
    let rss_start = vm_rss_kib(pid);
    println!("{:<44} {:>9.0} ms", "server start-up (spawn -> handshake)", startup.as_secs_f64() * 1000.0);
    println!("{:<44} {:>9.0} MiB", "server RSS after start-up", rss_start as f64 / 1024.0);

    let codes: Vec<FamilyCode> =
        match client.call(Request::FamilyList { filter: FamilyFilter { limit: Some(2000), ..Default::default() } }) {
            Ok(Ok(Reply::Families(list))) => list.into_iter().map(|f| f.code).collect(),
            other => panic!("family list: {other:?}"),
        };
    assert!(!codes.is_empty(), "the demo bank has families");
    drop(client);
    let codes = Arc::new(codes);

    println!();
    println!("{:<10} {:>7} {:>10} {:>9} {:>9} {:>9}", "case", "clients", "req/s", "p50 ms", "p99 ms", "conflicts");
    for op in [Op::Lookup, Op::Update] {
        for &n in CLIENTS {
            let r = run_case(&target, &codes, op, n, duration);
            println!(
                "{:<10} {:>7} {:>10.0} {:>9.2} {:>9.2} {:>9}",
                op.name(),
                n,
                r.requests as f64 / r.elapsed.as_secs_f64(),
                ms(percentile(&r.latencies, 50)),
                ms(percentile(&r.latencies, 99)),
                r.conflicts
            );
            if r.errors > 0 {
                println!("           {} other errors, the first: {}", r.errors, r.first_error.unwrap_or_default());
            }
        }
    }
    println!("(update: req/s and latency of FamilyUpdate alone; each is preceded by a FamilyGet of the same family)");
    println!();

    let rss_load = vm_rss_kib(pid);
    println!("{:<44} {:>9.0} MiB", "server RSS after the load", rss_load as f64 / 1024.0);

    let code = codes[codes.len() / 2].to_string();
    let mut times: Vec<Duration> = (0..show_runs)
        .map(|_| {
            let mut c = banca(&["--no-spawn", "--socket"]);
            c.arg(&socket).args(["family", "show", &code]);
            let start = Instant::now();
            run(c);
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{:<44} {:>9.1} ms",
        format!("banca family show {code} (median of {show_runs})"),
        ms(times[times.len() / 2])
    );

    flood(&target, pid, &codes, env_or("BENCH_FLOOD_IDLE", 1000), env_or("BENCH_FLOOD_SLOW", 250));
    server.stop();
}

/// Idle and slow connections from this user, all admitted; memory, threads
/// and another client's latency before, during and after.
fn flood(target: &Target, pid: u32, codes: &[FamilyCode], idle: usize, slow: usize) {
    use banca::protocol::{self, Hello, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL, VERSION};
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    use std::io::Write;
    use std::os::unix::net::UnixStream;
    let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("the open-file limit");
    let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);

    let mut other = Client::connect(target.clone()).expect("another client connects");
    let latency = |other: &mut Client| {
        let mut times: Vec<Duration> =
            codes.iter().take(50).map(|&code| timed_call(other, Request::FamilyGet { code }).0).collect();
        times.sort();
        (percentile(&times, 50), times[times.len() - 1])
    };
    let field = |pid: u32, name: &str| {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    let threads = |pid: u32| field(pid, "Threads:");
    // Anonymous memory is the heap and the stacks; the rest is the binary's pages, shared and clean.
    let anon = |pid: u32| field(pid, "RssAnon:");
    println!();
    let (rss0, anon0, threads0, (p50_0, max0)) = (vm_rss_kib(pid), anon(pid), threads(pid), latency(&mut other));
    let started = Instant::now();
    let hello = Hello { protocol: PROTOCOL, version: VERSION.into(), bank: target.bank.display().to_string() };
    let mut slow_ones: Vec<UnixStream> = (0..slow)
        .map(|_| {
            let mut s = UnixStream::connect(&target.socket).expect("a slow connection");
            let _ = s.write_all(&200u32.to_be_bytes());
            let _ = s.write_all(&[0]);
            s
        })
        .collect();
    let idle_ones: Vec<UnixStream> = (0..idle)
        .map(|_| {
            let mut s = UnixStream::connect(&target.socket).expect("an idle connection");
            protocol::write_frame(&mut s, &hello, MAX_FRAME).expect("hello");
            match protocol::read_frame::<Welcome>(&mut s, MAX_SERVER_FRAME) {
                Ok(Welcome::Ok { .. }) => s,
                other => panic!("an idle connection was not welcomed: {other:?}"),
            }
        })
        .collect();
    for s in &mut slow_ones {
        let _ = s.write_all(&[0]);
    }
    let opened = started.elapsed();
    let (rss1, anon1, threads1, (p50_1, max1)) = (vm_rss_kib(pid), anon(pid), threads(pid), latency(&mut other));
    drop(idle_ones);
    drop(slow_ones);
    std::thread::sleep(Duration::from_secs(2));
    let (rss2, anon2, threads2, (p50_2, max2)) = (vm_rss_kib(pid), anon(pid), threads(pid), latency(&mut other));
    println!("flood: {idle} idle + {slow} slow connections from one user, opened in {:.1} s", opened.as_secs_f64());
    println!("{:<8} {:>8} {:>9} {:>8} {:>11} {:>11}", "", "RSS MiB", "anon MiB", "threads", "get p50 ms", "get max ms");
    for (when, rss, anon, threads, p50, max) in [
        ("before", rss0, anon0, threads0, p50_0, max0),
        ("during", rss1, anon1, threads1, p50_1, max1),
        ("after", rss2, anon2, threads2, p50_2, max2),
    ] {
        let mib = |kib: u64| kib as f64 / 1024.0;
        println!("{when:<8} {:>8.1} {:>9.1} {threads:>8} {:>11.2} {:>11.2}", mib(rss), mib(anon), ms(p50), ms(max));
    }
}

#[derive(Clone, Copy)]
enum Op {
    /// `FamilyGet` of a random family.
    Lookup,
    /// `FamilyGet`, then `FamilyUpdate` of its notes at the revision read.
    Update,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Lookup => "lookup",
            Op::Update => "update",
        }
    }
}

#[derive(Default)]
struct Outcome {
    requests: u64,
    conflicts: u64,
    errors: u64,
    first_error: Option<String>,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

/// `clients` threads, each on its own connection, for `duration`; latencies merged and sorted.
fn run_case(target: &Target, codes: &Arc<Vec<FamilyCode>>, op: Op, clients: usize, duration: Duration) -> Outcome {
    let barrier = Arc::new(Barrier::new(clients + 1));
    let threads: Vec<_> = (0..clients)
        .map(|t| {
            let (target, codes, barrier) = (target.clone(), codes.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut client = Client::connect(target).expect("connect to the server");
                let mut rng = ChaCha8Rng::seed_from_u64(1000 * clients as u64 + t as u64);
                let mut out = Outcome::default();
                barrier.wait();
                let deadline = Instant::now() + duration;
                let mut i = 0u64;
                while Instant::now() < deadline {
                    let code = codes[rng.gen_range(0..codes.len())];
                    i += 1;
                    let (latency, response) = match op {
                        Op::Lookup => timed_call(&mut client, Request::FamilyGet { code }),
                        Op::Update => {
                            let view = match client.call(Request::FamilyGet { code }).expect("connection") {
                                Ok(Reply::Family(v)) => v,
                                other => panic!("family get {code}: {other:?}"),
                            };
                            // The admin does not see the private part: it goes empty and stays as stored.
                            let mut input = view.as_input();
                            // A change each time: the next language of the vocabulary.
                            let language = banca::model::languages::Language::all().cycle().nth(i as usize);
                            input.profile.languages = language.map(|l| l.name().to_string()).into_iter().collect();
                            timed_call(&mut client, Request::FamilyUpdate { code, base_revision: view.revision, input })
                        }
                    };
                    out.requests += 1;
                    out.latencies.push(latency);
                    match response {
                        Ok(_) => {}
                        Err(BankError::Conflict { .. }) => out.conflicts += 1,
                        Err(e) => {
                            out.errors += 1;
                            out.first_error.get_or_insert_with(|| format!("{code}: {e}"));
                        }
                    }
                }
                (out, Instant::now())
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let mut total = Outcome::default();
    let mut end = start;
    for t in threads {
        let (out, finished) = t.join().expect("client thread");
        total.requests += out.requests;
        total.conflicts += out.conflicts;
        total.errors += out.errors;
        if total.first_error.is_none() {
            total.first_error = out.first_error;
        }
        total.latencies.extend(out.latencies);
        end = end.max(finished);
    }
    total.latencies.sort();
    total.elapsed = end - start;
    total
}

fn timed_call(client: &mut Client, request: Request) -> (Duration, banca::api::Response) {
    let start = Instant::now();
    let response = client.call(request).expect("connection to the server");
    (start.elapsed(), response)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * p) / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run(mut c: Command) {
    let out = c.output().expect("banca runs");
    if !out.status.success() {
        panic!("{:?} failed: {}", c, String::from_utf8_lossy(&out.stderr));
    }
}

/// VmRSS of a process, in KiB (0 when unreadable).
fn vm_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(PathBuf::from(format!("/proc/{pid}/status"))).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The `banca serve` child: SIGTERM and wait, SIGKILL after 10 s, however the bench ends.
struct ServerGuard(Child);

impl ServerGuard {
    fn stop(&mut self) {
        use nix::sys::signal::{kill, Signal};
        use nix::unistd::Pid;
        if matches!(self.0.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = kill(Pid::from_raw(self.0.id() as i32), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.0.try_wait(), Ok(Some(_)) | Err(_)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        self.stop();
    }
}
