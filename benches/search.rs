//! Figures of search, printed (not asserted), on synthetic banks of 10 000,
//! 100 000 and 1 000 000 records (80 % families, 20 % needs; the demo
//! generator, imported in-process with `Request::Import`):
//!
//! - in the core (`Bank::handle`, `Request::Search`, as BENCH_USER (a coordinator) or the administrator, so
//!   names are searched): p50 and p99 of a set of realistic queries, and of
//!   every keystroke of queries typed one character at a time (narrowing);
//! - end to end: the wall time of the release `banca find QUERY` against a
//!   warm `banca serve`, next to `fzf --filter QUERY` over a text file of the
//!   same labels, one line per record (fzf is installed with apt-get when
//!   missing and possible; otherwise the comparison is skipped and said so);
//! - start-up: `Bank::open` (store, matching index, search index) and the
//!   search index alone, the server's spawn → handshake; memory (RSS);
//! - CPU, on the same lines: the core's per search (in-process, every
//!   thread), the server's per `banca find`, and ripgrep's (`rg -i -F TEXT`,
//!   a plain scan for the text as one literal) and fzf's per run, when
//!   installed (apt-get install ripgrep fzf).
//!
//! Run it with:
//!
//! ```text
//! cargo bench --bench search
//! BENCH_SIZES=10000,100000 cargo bench --bench search
//! BENCH_SAMPLES=10 BENCH_TYPING=5 BENCH_RUNS=5 cargo bench --bench search   # quicker
//! BENCH_DIR=/tmp/banks cargo bench --bench search   # keeps the banks, reuses them next time
//! # banks made before (a copy: the server writes to it), instead of building them:
//! cp -a /work/data/bank-100k /tmp/b100k && BENCH_BANKS=/tmp/b100k cargo bench --bench search
//! ```
//!
//! Knobs: BENCH_BANKS (existing banks, a list: BENCH_SIZES is then not
//! used), BENCH_USER (a Unix user: the searches are made as a coordinator of
//! that name, added to the bank if missing, who reads every family's names;
//! without it, as the administrator, who reads none), BENCH_BANCA (the `banca` binary to run end to end, the release
//! build's by default), BENCH_SIZES (records per bank, a list), BENCH_NEED_PERCENT (20),
//! BENCH_SAMPLES (30 timed searches per query in the core), BENCH_TYPING (10
//! times each typed query), BENCH_RUNS (10 runs of each command per query),
//! BENCH_LIMIT (20 hits), BENCH_MIN_FREE_MIB (a bank is skipped, and said so,
//! when the machine has less memory available than its estimate).
//!
//! The goals (issue 5): at 100 000 records a keystroke's search under 16 ms
//! p50 in the core; `banca find` at least 5× faster than `fzf --filter` on
//! the same data; at 1 000 000 records, under 100 ms p50.
//!
//! Each bank is built, then measured in the core, in child processes of
//! their own (this program run again), so the figures of one are not those
//! of the leftovers of another; the end-to-end part then starts the server on it.

mod common;

use common::{env_or, StopOnDrop};

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use banca::api::{Reply, Request};
use banca::bank::{Actor, Bank, BankConfig, FixedClock};
use banca::client::{Client, Target};
use banca::demo::DemoOptions;
use banca::model::{Comuni, Family, Need, Operator, Service};
use banca::search::{parse, SearchIndex};
use banca::store::TreeId;
use time::macros::datetime;
use time::OffsetDateTime;

/// The demo's "now" and the bank's clock.
const NOW: OffsetDateTime = datetime!(2026-03-16 10:00 +01:00);
/// Set in a child process: what to do (`build` or `core`) and on which bank.
const MODE: &str = "BANCA_BENCH_SEARCH_MODE";
const BANK: &str = "BANCA_BENCH_SEARCH_BANK";
const FAMILIES: &str = "BANCA_BENCH_SEARCH_FAMILIES";
const NEEDS: &str = "BANCA_BENCH_SEARCH_NEEDS";
const LABELS: &str = "BANCA_BENCH_SEARCH_LABELS";

/// What operators type: surnames (src/demo/names.rs), comuni, codes, with
/// and without filters, and what callers say (surname first, a wrong or
/// confused letter, a comune among the names: issue 14). Ordered so that no
/// query extends the one before it (nor the last the first): every timed
/// search scans, none narrows.
const QUERIES: &[&str] = &[
    "rossi",
    "osio",
    "brambi",
    "dalm",
    "F-2024-0012",
    "fumag",
    "cantu",
    "r-2025-03",
    "pesenti",
    "berg",
    "S-003",
    "cort",
    "giulia",
    "pesenti giovanna",
    "kortinovis",
    "mazzoleny",
    "cortinovis dalmine",
    "kind:famiglia rossi",
    "stato:idonea colombo",
    "servizio:S-003 villa",
    "comune:bergamo ricci",
    "kind:minore gio",
    "stato:idonea comune:dalmine loca",
];

/// Typed one character at a time after the filters (if any): each keystroke is a search.
const TYPED: &[(&str, &str)] = &[
    ("", "rossi"),
    ("", "colombo"),
    ("", "osio s"),
    ("", "cantu"),
    ("", "ghisleni"),
    ("", "f-2024-0012"),
    ("kind:famiglia ", "ricci"),
    ("stato:idonea ", "mazzol"),
];

fn main() {
    match std::env::var(MODE).as_deref() {
        Ok("build") => return build(&PathBuf::from(var(BANK)), parse_var(FAMILIES), parse_var(NEEDS)),
        Ok("core") => return core(&PathBuf::from(var(BANK)), &PathBuf::from(var(LABELS))),
        _ => {}
    }
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    let need_percent = env_or("BENCH_NEED_PERCENT", 20).min(100);
    let runs = env_or("BENCH_RUNS", 10).max(1);
    let bin = std::env::var_os("BENCH_BANCA").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_banca")), PathBuf::from);
    let rg = installed("rg");
    if rg.is_none() {
        println!("ripgrep (rg) is missing: the comparison with it is skipped (apt-get install ripgrep)");
    }
    if let Ok(banks) = std::env::var("BENCH_BANKS") {
        let fzf = fzf();
        let temp = tempfile::Builder::new().prefix("banca-search").tempdir_in("/tmp").expect("temporary folder");
        for db in banks.split(',').map(PathBuf::from) {
            println!();
            println!("=== {} (a bank made before)", db.display());
            let labels = temp.path().join("labels.txt");
            child("core", &db, &labels, 0, 0);
            end_to_end(&bin, temp.path(), &db, &labels, fzf.as_deref(), rg.as_deref(), runs);
            let _ = std::fs::remove_file(&labels);
        }
        return;
    }
    println!(
        "banca search bench: sizes {sizes:?} records ({}% families, {need_percent}% needs), limit {}, {} cores",
        100 - need_percent,
        limit(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    check_order();
    let fzf = fzf();

    // In /tmp, whatever TMPDIR says: a socket path must stay short.
    let keep = std::env::var_os("BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::Builder::new().prefix("banca-search").tempdir_in("/tmp").expect("temporary folder");
    let base = keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&base).expect("bench folder");
    for records in sizes {
        let needs = records * need_percent / 100;
        let families = records - needs;
        println!();
        println!("=== {records} records: {families} families, {needs} needs");
        let db = base.join(format!("bank-{families}-{needs}"));
        let labels = base.join(format!("labels-{families}-{needs}.txt"));
        if keep.is_some() && db.exists() {
            println!("(bank kept in {})", db.display());
        } else {
            // About 6 KiB a record at the peak of generating and importing, measured at 100 000.
            let estimate_mib = (records * 6 / 1024) as u64 + 300;
            let available = mem_available_mib();
            if available < estimate_mib.max(env_or("BENCH_MIN_FREE_MIB", 0) as u64) {
                println!(
                    "SKIPPED: building it needs about {estimate_mib} MiB, the machine has {available} MiB available"
                );
                continue;
            }
            child("build", &db, &labels, families, needs);
        }
        child("core", &db, &labels, families, needs);
        end_to_end(&bin, &base, &db, &labels, fzf.as_deref(), rg.as_deref(), runs);
        if keep.is_none() {
            let _ = std::fs::remove_dir_all(&db);
            let _ = std::fs::remove_file(&labels);
        }
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set for the child process"))
}

fn parse_var(name: &str) -> usize {
    var(name).parse().unwrap_or_else(|_| panic!("{name} is a number"))
}

fn limit() -> usize {
    env_or("BENCH_LIMIT", 20)
}

/// This program again, measuring one thing of one bank.
fn child(mode: &str, db: &Path, labels: &Path, families: usize, needs: usize) {
    let status = Command::new(std::env::current_exe().expect("this bench program"))
        .env(MODE, mode)
        .env(BANK, db)
        .env(LABELS, labels)
        .env(FAMILIES, families.to_string())
        .env(NEEDS, needs.to_string())
        .status()
        .expect("the child process runs");
    assert!(status.success(), "{mode} of {} failed: {status}", db.display());
}

/// The Unix user running the bench: the demo's administrator, so `banca find` searches names too.
fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .filter(|u| banca::model::operator::is_valid_user_name(u))
        .unwrap_or_else(|| "admin".into())
}

fn open(db: &Path, create: bool) -> Bank {
    Bank::open(db, BankConfig::default(), create, Arc::new(FixedClock(NOW)))
        .unwrap_or_else(|e| panic!("the bank at {} opens: {e}", db.display()))
}

/// Child: a demo bank of `families` and `needs`, generated and imported in-process.
fn build(db: &Path, families: usize, needs: usize) {
    let started = Instant::now();
    let options = DemoOptions { families, needs, seed: 7, admin_user: me(), now: NOW };
    let lines = banca::demo::generate_lines(&options);
    let generated = started.elapsed();
    let count = lines.len();
    let bank = open(db, true);
    let started = Instant::now();
    match bank.handle(&Actor::server_user(me()), Request::Import { lines }) {
        Ok(Reply::Imported(_)) => {}
        other => panic!("the demo bank imports: {other:?}"),
    }
    let imported = started.elapsed();
    drop(bank);
    row("demo generated", ms(generated), &format!("ms  ({count} lines, seed 7)"));
    row("imported (Request::Import, in-process)", ms(imported), "ms");
    row("peak RSS of generating + importing", mib(vm_kib("VmHWM")), "MiB");
}

/// Child: opens the bank, times searches in the core, writes the labels for fzf.
fn core(db: &Path, labels: &Path) {
    let samples = env_or("BENCH_SAMPLES", 30).max(1);
    let typing = env_or("BENCH_TYPING", 10).max(1);
    // BENCH_VERBOSE=1: every keystroke's times too.
    let verbose = env_or("BENCH_VERBOSE", 0) > 0;
    let limit = limit();
    let rss_before = vm_kib("VmRSS");
    let started = Instant::now();
    let bank = open(db, false);
    let opened = started.elapsed();
    let rss_open = vm_kib("VmRSS");
    let admin = Actor::new(me());
    // BENCH_USER: the operator searching, made a coordinator (who reads every family's
    // names) if the bank does not have them yet; otherwise the administrator, who reads none.
    let admin = match searcher() {
        Some(user) => {
            let input = banca::model::OperatorInput {
                display_name: "Coordinamento (bench)".into(),
                role: banca::model::Role::Coordinator,
                service: None,
                active: true,
            };
            let _ = bank.handle(&admin, Request::OperatorCreate { user: user.clone(), input });
            Actor::new(user)
        }
        None => admin,
    };
    let info = match bank.handle(&admin, Request::Info) {
        Ok(Reply::Info(info)) => info,
        other => panic!("info: {other:?}"),
    };
    row(
        &format!("Bank::open ({} families, {} needs)", info.families, info.needs),
        ms(opened),
        "ms  (store + matching index + search index)",
    );
    row("RSS before / after opening", mib(rss_before), &format!("/ {:.0} MiB", mib(rss_open)));

    let search = |query: &str| {
        let started = Instant::now();
        let reply = bank.handle(&admin, Request::Search { query: query.to_string(), limit });
        let took = started.elapsed();
        match reply {
            Ok(Reply::Found(r)) => (took, r),
            other => panic!("search {query:?}: {other:?}"),
        }
    };

    // Queries one after the other, round after round: none narrows the one before.
    println!();
    println!("core: {samples} searches of each query (after one round of warm-up), limit {limit}");
    println!("{:<36} {:>9} {:>9} {:>9} {:>9}", "query", "p50 ms", "p99 ms", "matches", "narrowed");
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut totals = vec![0u32; QUERIES.len()];
    let mut narrowed = vec![0usize; QUERIES.len()];
    let mut cpu_from = Duration::ZERO;
    for round in 0..=samples {
        if round == 1 {
            cpu_from = cpu_of(libc::RUSAGE_SELF);
        }
        for (i, q) in QUERIES.iter().enumerate() {
            let (took, r) = search(q);
            if round > 0 {
                times[i].push(took);
                totals[i] = r.total;
                narrowed[i] += r.narrowed as usize;
            }
        }
    }
    let cpu = (cpu_of(libc::RUSAGE_SELF) - cpu_from) / (samples * QUERIES.len()) as u32;
    let mut all = Vec::new();
    for (i, q) in QUERIES.iter().enumerate() {
        let t = &mut times[i];
        t.sort();
        println!(
            "{:<36} {:>9.2} {:>9.2} {:>9} {:>9}",
            q,
            ms(percentile(t, 50)),
            ms(percentile(t, 99)),
            totals[i],
            narrowed[i]
        );
        all.extend_from_slice(t);
    }
    all.sort();
    println!("{:<36} {:>9.2} {:>9.2}", "every query", ms(percentile(&all, 50)), ms(percentile(&all, 99)));
    row("core CPU per search, mean over the queries (every thread)", ms(cpu), "ms");

    // Typing: every keystroke a search, each extending the one before (so narrowing).
    println!();
    println!("core, typing: each query typed {typing} times, one search per keystroke");
    println!("{:<36} {:>9} {:>9} {:>9} {:>9}", "typed", "p50 ms", "p99 ms", "1st key", "narrowed");
    let mut every = Vec::new();
    let mut firsts = Vec::new();
    for (filters, text) in TYPED {
        let mut keys = Vec::new();
        let mut first = Vec::new();
        let mut narrowed = 0;
        let mut count = 0;
        // Each keystroke's times and matches, for BENCH_VERBOSE.
        let mut each: Vec<(String, Vec<Duration>, u32)> = Vec::new();
        for _ in 0..typing {
            let mut k = 0;
            for (n, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
                let typed = &text[..n];
                if typed.ends_with(' ') {
                    continue; // a space alone changes nothing
                }
                let (took, r) = search(&format!("{filters}{typed}"));
                keys.push(took);
                count += 1;
                narrowed += r.narrowed as usize;
                if typed.chars().count() == 1 {
                    first.push(took);
                }
                if each.len() == k {
                    each.push((typed.to_string(), Vec::new(), r.total));
                }
                each[k].1.push(took);
                k += 1;
            }
        }
        if verbose {
            for (typed, mut t, total) in each {
                t.sort();
                println!(
                    "  {:<34} {:>9.2} {:>9.2} {:>9} matches",
                    format!("{filters}{typed}"),
                    ms(percentile(&t, 50)),
                    ms(percentile(&t, 99)),
                    total
                );
            }
        }
        keys.sort();
        first.sort();
        println!(
            "{:<36} {:>9.2} {:>9.2} {:>9.2} {:>5}/{:<3}",
            format!("{filters}{text}"),
            ms(percentile(&keys, 50)),
            ms(percentile(&keys, 99)),
            ms(percentile(&first, 50)),
            narrowed,
            count
        );
        every.extend(keys);
        firsts.extend(first);
    }
    every.sort();
    firsts.sort();
    println!(
        "{:<36} {:>9.2} {:>9.2} {:>9.2}",
        "every keystroke",
        ms(percentile(&every, 50)),
        ms(percentile(&every, 99)),
        ms(percentile(&firsts, 50))
    );
    println!("(1st key: p50 of the first keystroke alone, a scan of every entry; narrowed: keystrokes that searched the previous one's matches only)");
    println!();
    row("RSS after the searches", mib(vm_kib("VmRSS")), "MiB");

    // The search index alone: every record read, then indexed the way the bank does at open.
    let comuni = Comuni::embedded();
    let store = bank.store();
    let services: Vec<Service> = store.iter(TreeId::Services).map(|r| r.expect("service").1).collect();
    let operators: Vec<Operator> = store.iter(TreeId::Operators).map(|r| r.expect("operator").1).collect();
    let families: Vec<Family> = store.iter(TreeId::Families).map(|r| r.expect("family").1).collect();
    let needs: Vec<Need> = store.iter(TreeId::Needs).map(|r| r.expect("need").1).collect();
    let started = Instant::now();
    let mut index = SearchIndex::default();
    index.add_comuni(comuni);
    services.iter().for_each(|s| index.upsert_service(s));
    operators.iter().for_each(|o| index.upsert_operator(o));
    families.iter().for_each(|f| index.upsert_family(f));
    needs.iter().for_each(|n| index.upsert_need(n));
    let built = started.elapsed();
    row(&format!("search index alone, built from records read ({} entries)", index.len()), ms(built), "ms");

    // The same labels, one per line, for fzf.
    let mut out = BufWriter::new(std::fs::File::create(labels).expect("labels file"));
    for label in index.labels() {
        writeln!(out, "{label}").expect("labels written");
    }
    out.flush().expect("labels written");
    drop(bank);
}

/// The release binary against a warm server on the bank, next to fzf on the same labels.
fn end_to_end(bin: &Path, base: &Path, db: &Path, labels: &Path, fzf: Option<&Path>, rg: Option<&Path>, runs: usize) {
    let socket = base.join("s.sock");
    let config = base.join("none.toml");
    let state = base.join("state");
    // BENCH_USER: `banca find` runs as that Unix user (the server, ours, as us).
    let user = searcher().map(|name| {
        let u = nix::unistd::User::from_name(&name).ok().flatten();
        let u = u.unwrap_or_else(|| panic!("BENCH_USER {name} is a Unix user (useradd {name})"));
        // The socket's folder must let them in.
        let _ = std::fs::set_permissions(base, std::os::unix::fs::PermissionsExt::from_mode(0o755));
        (u.uid.as_raw(), u.gid.as_raw())
    });
    let banca = |args: &[&str]| {
        let mut c = Command::new(bin);
        if let Some((uid, gid)) = user {
            if args.first().is_some_and(|a| *a == "find") {
                std::os::unix::process::CommandExt::uid(&mut c, uid);
                std::os::unix::process::CommandExt::gid(&mut c, gid);
                // Our server, trusted by name.
                c.env("BANCA_SERVER_USER", me_unix());
            }
        }
        c.env("BANCA_CONFIG", &config)
            .env("XDG_STATE_HOME", &state) // the server's log stays in the bench folder
            .env_remove("BANCA_LANG")
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .arg("--db")
            .arg(db)
            .arg("--no-spawn")
            .arg("--socket")
            .arg(&socket)
            .args(args);
        c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        c
    };

    // Our own server, in the foreground; stopped however the bench ends
    // (`banca stop` first, then the child waited for, killed after 10 s).
    let target = Target::new(banca::config::canonical_bank_path(db), socket.clone());
    let started = Instant::now();
    // BENCH_USER's own group may use the socket.
    let group = user.and_then(|(_, gid)| nix::unistd::Group::from_gid(nix::unistd::Gid::from_raw(gid)).ok().flatten());
    let serve: Vec<&str> = match &group {
        Some(g) => vec!["serve", "--group", g.name.as_str()],
        None => vec!["serve"],
    };
    let mut server = Reaped(banca(&serve).spawn().expect("banca serve starts"));
    // Declared after the server: dropped first.
    let _stop = StopOnDrop(banca(&["stop"]));
    loop {
        match Client::connect(target.clone()) {
            Ok(_) => break,
            Err(e) => {
                if let Ok(Some(status)) = server.0.try_wait() {
                    panic!("banca serve exited ({status}) before answering: {e}");
                }
                assert!(started.elapsed() < Duration::from_secs(300), "banca serve did not answer in 5 minutes: {e}");
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
    let startup = started.elapsed();
    let pid = server.0.id();
    println!();
    row("server start-up (spawn -> handshake)", ms(startup), "ms");
    row("server RSS after start-up", mib(vm_rss_of(pid)), "MiB");

    let limit = limit().to_string();
    let has_find = banca(&["find", "--help"]).status().is_ok_and(|s| s.success());
    if !has_find {
        println!("SKIPPED end to end: this banca has no `find` command");
        return;
    }
    // One warm-up round, then round after round (no query repeats nor extends the one before).
    let mut find: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut json: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut filter: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut grep: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    // CPU: the server's over every `banca find` (not --json), ripgrep's and fzf's (their processes').
    let (mut server_cpu, mut rg_cpu, mut fzf_cpu) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let timed_runs = (runs * QUERIES.len()) as u32;
    for round in 0..=runs {
        for (i, q) in QUERIES.iter().enumerate() {
            let mut c = banca(&["find", "--limit", &limit, "--"]);
            c.arg(q);
            let before = cpu_of_pid(pid);
            let took = timed(c, &[0, 1]);
            let used = cpu_of_pid(pid).saturating_sub(before);
            let mut c = banca(&["find", "--json", "--limit", &limit, "--"]);
            c.arg(q);
            let took_json = timed(c, &[0, 1]);
            if round > 0 {
                find[i].push(took);
                json[i].push(took_json);
                server_cpu += used;
            }
        }
    }
    // fzf or rg on the labels, each run timed and its CPU counted.
    let other = |program: &Path, args: &dyn Fn(&str) -> Vec<String>, times: &mut Vec<Vec<Duration>>| {
        let mut cpu = Duration::ZERO;
        for round in 0..=runs {
            for (i, q) in QUERIES.iter().enumerate() {
                let mut c = Command::new(program);
                c.env_remove("FZF_DEFAULT_OPTS")
                    .env_remove("FZF_DEFAULT_COMMAND")
                    .env_remove("RIPGREP_CONFIG_PATH")
                    .args(args(&free_text(q)))
                    .stdin(std::fs::File::open(labels).expect("labels file"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
                let before = cpu_of(libc::RUSAGE_CHILDREN);
                let took = timed(c, &[0, 1]);
                if round > 0 {
                    times[i].push(took);
                    cpu += cpu_of(libc::RUSAGE_CHILDREN) - before;
                }
            }
        }
        cpu
    };
    if let Some(fzf) = fzf {
        fzf_cpu = other(fzf, &|text| vec!["--filter".into(), text.into()], &mut filter);
    }
    if let Some(rg) = rg {
        let file = labels.display().to_string();
        rg_cpu = other(rg, &|text| vec!["-i".into(), "-F".into(), "--".into(), text.into(), file.clone()], &mut grep);
    }
    let lines = std::fs::read_to_string(labels).map_or(0, |s| s.lines().count());
    println!();
    println!(
        "end to end, median of {runs} runs: `banca find --limit {limit} QUERY` (warm server), its `--json`, `fzf --filter TEXT < labels` ({lines} lines)"
    );
    println!("{:<36} {:>8} {:>8} {:>8} {:>9} {:>9}", "query", "find ms", "json ms", "fzf ms", "fzf/find", "fzf/json");
    let (mut all_find, mut all_json, mut all_fzf) = (Vec::new(), Vec::new(), Vec::new());
    let line = |q: &str, find: &[Duration], json: &[Duration], filter: &[Duration]| {
        let (f, j) = (ms(percentile(find, 50)), ms(percentile(json, 50)));
        if fzf.is_some() {
            let z = ms(percentile(filter, 50));
            println!("{:<36} {:>8.1} {:>8.1} {:>8.1} {:>8.1}x {:>8.1}x", q, f, j, z, z / f, z / j);
        } else {
            println!("{:<36} {:>8.1} {:>8.1} {:>8}", q, f, j, "-");
        }
    };
    for (i, q) in QUERIES.iter().enumerate() {
        find[i].sort();
        json[i].sort();
        filter[i].sort();
        line(q, &find[i], &json[i], &filter[i]);
        all_find.extend_from_slice(&find[i]);
        all_json.extend_from_slice(&json[i]);
        all_fzf.extend_from_slice(&filter[i]);
    }
    all_find.sort();
    all_json.sort();
    all_fzf.sort();
    line("every query (median)", &all_find, &all_json, &all_fzf);
    println!("(json: `banca find --json`, the same search without the table; fzf has no filters: it gets the free text of the query, over every line)");
    if rg.is_some() {
        let mut all_rg: Vec<Duration> = grep.iter_mut().flat_map(|t| t.drain(..)).collect();
        all_rg.sort();
        row("`rg -i -F TEXT labels`, median wall over the queries", ms(percentile(&all_rg, 50)), "ms");
    }
    println!();
    println!("CPU per query, mean over {runs} runs of every query (user + system):");
    row(
        "server, per `banca find`",
        ms(server_cpu / timed_runs),
        "ms  (clock ticks of /proc/PID/stat: 10 ms grain, summed)",
    );
    if fzf.is_some() {
        row("fzf --filter, per run", ms(fzf_cpu / timed_runs), "ms");
    }
    if rg.is_some() {
        row("rg -i -F, per run (a plain scan of the lines)", ms(rg_cpu / timed_runs), "ms");
    }
    row("server RSS after the searches", mib(vm_rss_of(pid)), "MiB");
}

/// The words of a query that are not filters.
fn free_text(q: &str) -> String {
    q.split_whitespace().filter(|w| !w.contains(':')).collect::<Vec<_>>().join(" ")
}

/// Wall time of a command run to its end; its exit code must be one of `ok`.
fn timed(mut c: Command, ok: &[i32]) -> Duration {
    let started = Instant::now();
    let status = c.status().expect("the command runs");
    let took = started.elapsed();
    assert!(status.code().is_some_and(|code| ok.contains(&code)), "{c:?} failed: {status}");
    took
}

/// A child process waited for when dropped, killed if still running after 10 s.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
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

/// The Unix name of the user running the bench.
fn me_unix() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid()).ok().flatten().map_or_else(|| "root".into(), |u| u.name)
}

/// BENCH_USER, the operator (and Unix user) the searches are made as.
fn searcher() -> Option<String> {
    std::env::var("BENCH_USER").ok().filter(|u| !u.is_empty())
}

/// A program on the PATH.
fn installed(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|f| f.is_file()))
}

/// The user + system CPU time of this process (`RUSAGE_SELF`) or of its children waited for.
fn cpu_of(who: libc::c_int) -> Duration {
    // SAFETY: getrusage writes the struct it is given, nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut usage) };
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The user + system CPU time of another process, from /proc/PID/stat (in clock ticks).
fn cpu_of_pid(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command's name in parentheses: fields 14 and 15 are utime and stime.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok())).sum();
    // SAFETY: sysconf reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_micros(ticks * 1_000_000 / per_second)
}

/// fzf, installed from the distribution's packages when missing (as root, with apt-get).
fn fzf() -> Option<PathBuf> {
    let find = || {
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join("fzf")).find(|f| f.is_file()))
    };
    if let Some(f) = find() {
        return Some(f);
    }
    if nix::unistd::getuid().is_root() && Path::new("/usr/bin/apt-get").exists() {
        println!("fzf is missing: apt-get install -y fzf");
        let install = || Command::new("apt-get").args(["install", "-y", "fzf"]).stdout(Stdio::null()).status();
        if !install().is_ok_and(|s| s.success()) {
            let _ = Command::new("apt-get").arg("update").stdout(Stdio::null()).status();
            let _ = install();
        }
    }
    let found = find();
    if found.is_none() {
        println!("fzf is missing and could not be installed: the comparison with fzf is skipped");
    }
    found
}

/// The queries are timed round after round: check that none narrows the one before it.
fn check_order() {
    let comuni = Comuni::embedded();
    let parsed: Vec<_> = QUERIES.iter().map(|q| parse(q, comuni).unwrap_or_else(|p| panic!("{q}: {p:?}"))).collect();
    for (i, q) in parsed.iter().enumerate() {
        let before = &parsed[(i + parsed.len() - 1) % parsed.len()];
        assert!(!q.narrows(before), "{} narrows the query before it", QUERIES[i]);
    }
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest rank.
    let rank = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn row(what: &str, value: f64, unit: &str) {
    println!("{what:<52} {value:>9.2} {unit}");
}

/// A `Vm…` line of /proc/self/status, in KiB.
fn vm_kib(field: &str) -> u64 {
    status_kib("/proc/self/status", field)
}

fn vm_rss_of(pid: u32) -> u64 {
    status_kib(&format!("/proc/{pid}/status"), "VmRSS")
}

fn status_kib(file: &str, field: &str) -> u64 {
    let status = std::fs::read_to_string(file).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn mem_available_mib() -> u64 {
    status_kib("/proc/meminfo", "MemAvailable") / 1024
}
