//! Figures of the foundation, printed (not asserted): how long `banca demo`
//! takes to build a large synthetic bank, how much disk it takes, and how
//! long the list commands take on it, measured on the real release binary
//! (each command a new process, talking to the bank's warm server).
//!
//!     cargo bench --bench foundation
//!     BENCH_FAMILIES=10000 BENCH_NEEDS=2000 cargo bench --bench foundation

mod common;

use common::{env_or, StopOnDrop};

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let families: usize = env_or("BENCH_FAMILIES", 100_000);
    let needs: usize = env_or("BENCH_NEEDS", 20_000);
    let runs: usize = env_or("BENCH_RUNS", 5);
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("bank");
    let config = dir.path().join("none.toml");
    let banca = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_banca"));
        c.env("BANCA_CONFIG", &config).env_remove("BANCA_LANG").arg("--db").arg(&db).args(args);
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        c
    };

    // The first command starts the bank's server; it is stopped however the bench ends.
    let _server = StopOnDrop(banca(&["stop"]));
    println!("banca foundation bench: {families} families, {needs} needs, median of {runs} runs");
    let (demo, demo_rss) =
        timed(banca(&["demo", "--families", &families.to_string(), "--needs", &needs.to_string(), "--seed", "7"]));
    println!(
        "{:<48} {:>9.2} s  (client peak RSS {:.0} MiB; the import runs in the server)",
        format!("banca demo --families {families} --needs {needs}"),
        demo.as_secs_f64(),
        demo_rss as f64 / 1024.0
    );
    println!("{:<48} {:>9.1} MiB (du of the bank folder)", "bank size on disk", dir_size(&db) as f64 / 1048576.0);

    let cases: &[&[&str]] = &[
        &["family", "list"],
        &["family", "list", "--status", "idonea"],
        &["family", "list", "--comune", "Bergamo"],
        &["family", "list", "--status", "idonea", "--kind", "diurno", "--comune", "Dalmine"],
        &["family", "list", "--limit", "50"],
        &["family", "list", "--json"],
        &["family", "show", "F-2025-0001"],
        &["need", "list"],
        &["need", "list", "--emergency"],
        &["export", "-"],
    ];
    for args in cases {
        let mut times: Vec<Duration> = (0..runs).map(|_| timed(banca(args)).0).collect();
        times.sort();
        let median = times[times.len() / 2];
        println!("{:<48} {:>9.1} ms", format!("banca {}", args.join(" ")), median.as_secs_f64() * 1000.0);
    }
}

/// Runs a command to completion: wall time, and the peak RSS (KiB) of the
/// largest child so far (exact for the first child, the demo).
fn timed(mut c: Command) -> (Duration, i64) {
    let start = Instant::now();
    let out = c.output().expect("banca runs");
    let elapsed = start.elapsed();
    if !out.status.success() {
        panic!("{:?} failed: {}", c, String::from_utf8_lossy(&out.stderr));
    }
    let rss =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).map(|u| u.max_rss()).unwrap_or(0);
    (elapsed, rss)
}

fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => total += dir_size(&e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}
