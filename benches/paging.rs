//! Figures of lists by pages, printed (not asserted): the server's memory
//! (VmRSS, sampled every 10 ms) while several `banca family list` stream a
//! whole bank page after page at once, and how long they take.
//!
//!     cargo bench --bench paging
//!     BENCH_FAMILIES=10000 BENCH_NEEDS=2000 cargo bench --bench paging
//!     BENCH_BANK=/path/to/a/copy/of/a/bank cargo bench --bench paging
//!
//! With `BENCH_BANK` the bank given is served as it is (give a copy: the
//! bench writes nothing, but sled may); otherwise a demo bank is made in a
//! temporary folder. `BENCH_LISTS` (default 8) lists run at once, then as
//! many `--json`, then `BENCH_EXPORTS` (default 4) exports, each case with
//! the server's peak memory; every list's rows are counted.

mod common;

use common::{env_or, StopOnDrop};

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let lists = env_or("BENCH_LISTS", 8);
    let exports = env_or("BENCH_EXPORTS", 4);
    let dir = tempfile::Builder::new().prefix("banca-paging").tempdir_in("/tmp").expect("temporary folder");
    let config = dir.path().join("none.toml");
    let state = dir.path().join("state");
    let socket = dir.path().join("s.sock");
    let db = match std::env::var_os("BENCH_BANK") {
        Some(bank) => PathBuf::from(bank),
        None => dir.path().join("bank"),
    };
    let bin = env!("CARGO_BIN_EXE_banca");
    let banca = |args: &[&str]| {
        let mut c = Command::new(bin);
        c.env("BANCA_CONFIG", &config)
            .env("XDG_STATE_HOME", &state)
            .env_remove("BANCA_LANG")
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .arg("--db")
            .arg(&db)
            .arg("--socket")
            .arg(&socket)
            .args(args);
        c.stdin(Stdio::null()).stderr(Stdio::piped());
        c
    };

    if std::env::var_os("BENCH_BANK").is_none() {
        let families = env_or("BENCH_FAMILIES", 100_000).to_string();
        let needs = env_or("BENCH_NEEDS", 20_000).to_string();
        let _auto = StopOnDrop(banca(&["stop"]));
        let start = Instant::now();
        let out = banca(&["demo", "--families", &families, "--needs", &needs, "--seed", "7"]).output().unwrap();
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
        println!("demo bank: {families} families, {needs} needs, {:.1} s", start.elapsed().as_secs_f64());
        banca(&["stop"]).output().unwrap();
    }

    let mut serve = banca(&["--no-spawn", "serve"]);
    serve.stdout(Stdio::null()).stderr(Stdio::null());
    let server = ServerGuard(serve.spawn().expect("banca serve starts"));
    let pid = server.0.id();
    let started = Instant::now();
    while banca(&["--no-spawn", "whoami"]).stdout(Stdio::null()).status().map(|s| !s.success()).unwrap_or(true) {
        assert!(started.elapsed() < Duration::from_secs(300), "the server did not answer");
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("server answering after {:.2} s, VmRSS {} MiB", started.elapsed().as_secs_f64(), rss_kib(pid) / 1024);
    println!("bank: {}", db.display());
    println!();
    println!("{:<46} {:>9} {:>12} {:>14}", "case", "wall", "rows each", "server peak");

    let case = |n: usize, args: &[&str], count: fn(&str) -> bool| {
        let sampler = Sampler::start(pid);
        let start = Instant::now();
        let children: Vec<Child> =
            (0..n).map(|_| banca(args).stdout(Stdio::piped()).spawn().expect("banca runs")).collect();
        let counts: Vec<std::thread::JoinHandle<(usize, bool, String)>> = children
            .into_iter()
            .map(|mut child| {
                std::thread::spawn(move || {
                    let out = child.stdout.take().unwrap();
                    let rows = BufReader::new(out).lines().map_while(Result::ok).filter(|l| count(l)).count();
                    let mut err = String::new();
                    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
                    (rows, ok, err)
                })
            })
            .collect();
        let results: Vec<(usize, bool, String)> = counts.into_iter().map(|h| h.join().unwrap()).collect();
        let wall = start.elapsed();
        let peak = sampler.stop();
        let rows: Vec<usize> = results.iter().map(|r| r.0).collect();
        let same = rows.iter().all(|r| *r == rows[0]);
        println!(
            "{:<46} {:>7.2} s {:>12} {:>10} MiB",
            format!("{n} × banca {}", args.join(" ")),
            wall.as_secs_f64(),
            if same { rows[0].to_string() } else { format!("{rows:?}") },
            peak / 1024
        );
        for (_, ok, err) in &results {
            if !ok {
                println!("    failed: {}", err.trim());
            }
        }
    };
    let family_row = |l: &str| l.starts_with("F-");
    let json_row = |l: &str| l.trim_start().starts_with("\"code\": \"F-");
    let export_line = |_: &str| true;
    case(1, &["--no-spawn", "family", "list"], family_row);
    case(lists, &["--no-spawn", "family", "list"], family_row);
    case(lists, &["--no-spawn", "--json", "family", "list"], json_row);
    if exports > 0 {
        case(exports, &["--no-spawn", "export", "-"], export_line);
    }
    std::thread::sleep(Duration::from_secs(1));
    println!("server VmRSS after the cases: {} MiB", rss_kib(pid) / 1024);
    let _ = banca(&["--no-spawn", "stop"]).stdout(Stdio::null()).output();
}

/// Samples a process's VmRSS every 10 ms until stopped; gives the peak in KiB.
struct Sampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Sampler {
    fn start(pid: u32) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(rss_kib(pid)));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Sampler { stop, peak, thread }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak.load(Ordering::Relaxed)
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The server, stopped (then killed) however the bench ends.
struct ServerGuard(Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while matches!(self.0.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
