//! Figures of the matching engine, printed (not asserted): how long ranking
//! takes in the bank core, through `Bank::handle` on one thread, on large
//! synthetic banks (the demo generator, imported in-process):
//!
//! - one need against 10 000 and against 100 000 families (`MatchNeed`, limit 10);
//! - one family against the open needs (`MatchFamily`, limit 10);
//! - the phone call: each sampled need described by profile (`Available`, limit 10), anywhere and within 10 km;
//! - with BENCH_RECEPTION (2 000) reception services added: one need against
//!   them (`MatchNeed`, `Hosts::Services`), against families and services
//!   together (`Hosts::Both`), and "who has a place tonight" (`Places`);
//! - opening the bank (the store, and the matching index built from it);
//! - the memory (RSS) of a process that has opened the bank and ranked.
//!
//! Run it with:
//!
//! ```text
//! cargo bench --bench matching
//! BENCH_SIZES=2000,5000 BENCH_NEEDS=1000 BENCH_SAMPLES=20 cargo bench --bench matching
//! BENCH_DIR=/tmp/banks cargo bench --bench matching    # keeps the banks, reuses them next time
//! BENCH_VERBOSE=1 cargo bench --bench matching         # prints every sample too
//! ```
//!
//! Sizes: BENCH_FAMILIES_SMALL (10 000) and BENCH_FAMILIES (100 000), or
//! BENCH_SIZES as a list; BENCH_NEEDS (20 000); BENCH_SAMPLES (50);
//! BENCH_RECEPTION (2 000 reception services, with their declarations).
//!
//! Each size is measured in a child process of its own (this program run
//! again), so its RSS is that of a process holding that bank only, as the
//! server would, and not the leftovers of generating and importing it.
//! The goal: under 20 ms for one need against 100 000 families, on one core.

#[allow(dead_code)] // StopOnDrop is for the benches that start a server.
mod common;

use common::env_or;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use banca::api::{
    ChildProfile, FamilyFilter, FiguresQuery, Hosts, Indicator, NeedFilter, ProfileChild, Reply, Request, Territory,
    Within,
};
use banca::bank::{Actor, Bank, BankConfig, FixedClock};
use banca::demo::DemoOptions;
use banca::model::*;
use time::macros::datetime;
use time::OffsetDateTime;

/// The demo's "now" and the bank's clock: the same fixed instant, so every run ranks the same.
const NOW: OffsetDateTime = datetime!(2026-03-16 10:00 +01:00);
const ADMIN: &str = "admin";
/// Set in the child process: the bank folder to measure.
const CHILD: &str = "BANCA_BENCH_MATCHING_BANK";
const LIMIT: usize = 10;

fn main() {
    if let Ok(bank) = std::env::var(CHILD) {
        measure(Path::new(&bank));
        return;
    }
    let sizes: Vec<usize> = match std::env::var("BENCH_SIZES") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![env_or("BENCH_FAMILIES_SMALL", 10_000), env_or("BENCH_FAMILIES", 100_000)],
    };
    let needs = env_or("BENCH_NEEDS", 20_000);
    let samples = env_or("BENCH_SAMPLES", 50);
    println!("banca matching bench: {needs} needs, {samples} samples per figure, limit {LIMIT}, one thread");
    // With BENCH_DIR, the banks are kept there and reused by the next runs
    // (for profiling); by default they live in a temporary folder.
    let keep = std::env::var_os("BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().expect("temporary folder");
    for families in sizes {
        let db = keep.as_deref().unwrap_or(temp.path()).join(format!("bank-{families}-{needs}"));
        if keep.is_some() && db.exists() {
            println!();
            println!("== {families} families, {needs} needs (kept in {})", db.display());
        } else {
            build(&db, families, needs);
        }
        let status = Command::new(std::env::current_exe().expect("this bench program"))
            .env(CHILD, &db)
            .env("BENCH_SAMPLES", samples.to_string())
            .env("BENCH_VERBOSE", env_or("BENCH_VERBOSE", 0).to_string())
            .status()
            .expect("the measuring process runs");
        assert!(status.success(), "measuring the bank of {families} families failed: {status}");
    }
}

fn config() -> BankConfig {
    // What the server runs with.
    BankConfig::default()
}

fn open(db: &Path, create: bool) -> Bank {
    Bank::open(db, config(), create, Arc::new(FixedClock(NOW)))
        .unwrap_or_else(|e| panic!("the bank at {} opens: {e}", db.display()))
}

/// A demo bank of `families` families and `needs` needs, imported in-process.
fn build(db: &Path, families: usize, needs: usize) {
    println!();
    println!("== {families} families, {needs} needs");
    let started = Instant::now();
    let options = DemoOptions { families, needs, seed: 7, admin_user: ADMIN.into(), now: NOW };
    let lines = banca::demo::generate_lines(&options);
    let generated = started.elapsed();
    let bank = open(db, true);
    let started = Instant::now();
    match bank.handle(&Actor::server_user(ADMIN), Request::Import { lines }) {
        Ok(Reply::Imported(_)) => {}
        other => panic!("the demo bank imports: {other:?}"),
    }
    let imported = started.elapsed();
    let started = Instant::now();
    let reception = env_or("BENCH_RECEPTION", 2_000);
    add_reception_services(&bank, reception);
    let added = started.elapsed();
    drop(bank);
    row("demo generated (lines)", ms(generated), "ms");
    row("imported (Request::Import)", ms(imported), "ms");
    row(&format!("{reception} reception services created and declared"), ms(added), "ms");
}

/// `n` synthetic reception services over the comuni of Bergamo and Milano:
/// every kind in turn, varied ages, sex, equipment and places, most with a
/// declaration of this week, some stale, some with no place.
fn add_reception_services(bank: &Bank, n: usize) {
    let admin = Actor::new(ADMIN);
    let comuni: Vec<ComuneCode> =
        Comuni::embedded().iter().filter(|c| c.province == "BG" || c.province == "MI").map(|c| c.code).collect();
    let kinds: Vec<ServiceKind> = ServiceKind::reception_kinds().collect();
    let today = NOW.date();
    for i in 0..n {
        let kind = kinds[i % kinds.len()];
        let (min, max) = [(0, 11), (6, 17), (12, 17), (16, 21), (0, 17)][i % 5];
        let equipment: std::collections::BTreeSet<Equipment> =
            Equipment::ALL.iter().copied().enumerate().filter(|(k, _)| (i >> k) & 1 == 1).map(|(_, e)| e).collect();
        let input = ServiceInput {
            name: format!("Servizio d'accoglienza sintetico {i}"),
            kind,
            ambits: vec![],
            address: "Via delle Prove 1".into(),
            phone: "035 000 0001".into(),
            email: String::new(),
            notes: String::new(),
            active: true,
            on_call: None,
            reception: Some(ReceptionProfile {
                managing_body: ManagingBody {
                    name: "Cooperativa Sintetica".into(),
                    nature: LegalNature::SocialCooperative,
                },
                licence: Licence { number: format!("{i}/2020"), date: None, authority: String::new(), places: 12 },
                comune: comuni[(i * 7919) % comuni.len()],
                referent: String::new(),
                ages: AgeRange { min_months: min * 12, max_months: max * 12 + 11 },
                sex: [SexPreference::Any, SexPreference::Male, SexPreference::Female][i % 3],
                equipment,
                languages: vec![],
            }),
        };
        let code = match bank.handle(&admin, Request::ServiceCreate { input }) {
            Ok(Reply::Saved(saved)) => ServiceCode::parse(&saved.code).expect("a service's code"),
            other => panic!("reception service {i}: {other:?}"),
        };
        let declared_on = today - time::Duration::days((i % 12) as i64);
        let input = VacancyInput { places: (i % 4) as u16, declared_on, note: String::new() };
        match bank.handle(&admin, Request::VacancyDeclare { service: code, input }) {
            Ok(Reply::Saved(_)) => {}
            other => panic!("vacancies of {code}: {other:?}"),
        }
    }
}

/// Runs in the child: opens the bank, ranks, prints.
fn measure(db: &Path) {
    let samples = env_or("BENCH_SAMPLES", 50).max(1);
    // BENCH_VERBOSE=1: every sample's time and candidates.
    let verbose = env_or("BENCH_VERBOSE", 0) > 0;
    let rss_before = vm_kib("VmRSS");
    let started = Instant::now();
    let bank = open(db, false);
    let opened = started.elapsed();
    let rss_open = vm_kib("VmRSS");
    let admin = Actor::new(ADMIN);

    // Every page of the lists: a list's first page alone may hold no open need.
    let mut families: Vec<FamilyCode> = Vec::new();
    let mut request = Request::FamilyList { filter: FamilyFilter::default() };
    loop {
        match bank.handle(&admin, request.clone()) {
            Ok(Reply::Families(page)) => {
                let next = page.next.clone();
                families
                    .extend(page.items.iter().filter(|f| f.profile.status == FamilyStatus::Approved).map(|f| f.code));
                match next {
                    Some(next) => request = request.page_after(Some(next)),
                    None => break,
                }
            }
            other => panic!("family list: {other:?}"),
        }
    }
    let mut needs: Vec<NeedCode> = Vec::new();
    let mut request = Request::NeedList { filter: NeedFilter::default() };
    loop {
        match bank.handle(&admin, request.clone()) {
            Ok(Reply::Needs(page)) => {
                let next = page.next.clone();
                let open =
                    |n: &&banca::api::NeedView| matches!(n.placement.status, NeedStatus::Open | NeedStatus::Matching);
                needs.extend(page.items.iter().filter(open).map(|n| n.code));
                match next {
                    Some(next) => request = request.page_after(Some(next)),
                    None => break,
                }
            }
            other => panic!("need list: {other:?}"),
        }
    }
    let total = match bank.handle(&admin, Request::Info) {
        Ok(Reply::Info(info)) => info,
        other => panic!("info: {other:?}"),
    };
    row(
        &format!("bank open ({} families, {} needs)", total.families, total.needs),
        ms(opened),
        "ms  (store + matching index)",
    );
    println!("{:<52} {:>9} {:>9}", "", "approved", "open");
    println!("{:<52} {:>9} {:>9}", "", families.len(), needs.len());

    // One need against every family.
    let picked = spread(&needs, samples);
    let mut candidates = Vec::new();
    let mut times = Vec::new();
    for (i, need) in picked.iter().enumerate() {
        let request = Request::MatchNeed { need: *need, limit: LIMIT, why_not: None, hosts: Hosts::Families };
        if i == 0 {
            // Warm-up: the first reads fault the store's pages in.
            let _ = bank.handle(&admin, request.clone());
        }
        let started = Instant::now();
        let reply = bank.handle(&admin, request);
        times.push(started.elapsed());
        match reply {
            Ok(Reply::NeedMatches(r)) => {
                if verbose {
                    println!("  {need}: {:8.2} ms, {} candidates", ms(times[i]), r.candidates_total);
                }
                candidates.push(r.candidates_total as usize)
            }
            other => panic!("MatchNeed {need}: {other:?}"),
        }
    }
    let (median, p95) = stats(&mut times);
    let (c_median, _) = stats_of(&mut candidates);
    row(
        &format!("MatchNeed, 1 need vs {} families: median", total.families),
        ms(median),
        &format!("ms  ({c_median} candidates, median)"),
    );
    row("                                          p95", ms(p95), "ms");

    // One family against every open need.
    let picked = spread(&families, samples);
    let mut candidates = Vec::new();
    let mut times = Vec::new();
    for (i, family) in picked.iter().enumerate() {
        let request = Request::MatchFamily { family: *family, limit: LIMIT };
        if i == 0 {
            let _ = bank.handle(&admin, request.clone());
        }
        let started = Instant::now();
        let reply = bank.handle(&admin, request);
        times.push(started.elapsed());
        match reply {
            Ok(Reply::FamilyMatches(r)) => {
                if verbose {
                    println!("  {family}: {:8.2} ms, {} candidates", ms(times[i]), r.candidates_total);
                }
                candidates.push(r.candidates_total as usize)
            }
            other => panic!("MatchFamily {family}: {other:?}"),
        }
    }
    let (median, p95) = stats(&mut times);
    let (c_median, _) = stats_of(&mut candidates);
    row(
        &format!("MatchFamily, 1 family vs {} open needs: median", needs.len()),
        ms(median),
        &format!("ms  ({c_median} candidates, median)"),
    );
    row("                                          p95", ms(p95), "ms");

    // The phone call: a child described by profile, each sampled need's age,
    // sex and comune, (a) anywhere, (b) within 10 km (the families there only).
    for km in [None, Some(10u16)] {
        let picked = spread(&needs, samples);
        let mut candidates = Vec::new();
        let mut times = Vec::new();
        for (i, need) in picked.iter().enumerate() {
            let view = match bank.handle(&admin, Request::NeedGet { code: *need }) {
                Ok(Reply::Need(v)) => v,
                other => panic!("need {need}: {other:?}"),
            };
            let profile = ChildProfile {
                children: vec![ProfileChild { age_months: view.age_months, sex: Some(view.placement.sex) }],
                kind: view.placement.kind,
                emergency: false,
                time_slots: Default::default(),
                special_needs: Default::default(),
                languages: vec![],
                start: None,
                comune: Some(view.placement.comune),
                within: km.map(Within::Km),
            };
            let request = Request::Available { profile, limit: LIMIT };
            if i == 0 {
                let _ = bank.handle(&admin, request.clone());
            }
            let started = Instant::now();
            let reply = bank.handle(&admin, request);
            times.push(started.elapsed());
            match reply {
                Ok(Reply::ProfileMatches(r)) => candidates.push(r.candidates_total as usize),
                other => panic!("Available for {need}'s profile: {other:?}"),
            }
        }
        let (median, p95) = stats(&mut times);
        let (c_median, _) = stats_of(&mut candidates);
        let place = km.map_or("anywhere".to_string(), |k| format!("within {k} km"));
        row(
            &format!("Available (by profile, {place}): median"),
            ms(median),
            &format!("ms  ({c_median} candidates, median)"),
        );
        row("                                          p95", ms(p95), "ms");
    }

    // The reception services: for a need (alone, and with the families), and tonight.
    for (hosts, what) in [(Hosts::Services, "reception services"), (Hosts::Both, "families + services")] {
        let picked = spread(&needs, samples);
        let mut candidates = Vec::new();
        let mut times = Vec::new();
        for (i, need) in picked.iter().enumerate() {
            let request = Request::MatchNeed { need: *need, limit: LIMIT, why_not: None, hosts };
            if i == 0 {
                let _ = bank.handle(&admin, request.clone());
            }
            let started = Instant::now();
            let reply = bank.handle(&admin, request);
            times.push(started.elapsed());
            match reply {
                Ok(Reply::NeedMatches(r)) => {
                    let services = r.services.as_ref().map_or(0, |s| s.candidates_total as usize);
                    candidates.push(r.candidates_total as usize + services)
                }
                other => panic!("MatchNeed {need} with {what}: {other:?}"),
            }
        }
        let (median, p95) = stats(&mut times);
        let (c_median, _) = stats_of(&mut candidates);
        row(
            &format!("MatchNeed, 1 need vs {what}: median"),
            ms(median),
            &format!("ms  ({c_median} candidates, median)"),
        );
        row("                                          p95", ms(p95), "ms");
    }
    let mut times = Vec::new();
    let mut candidates = Vec::new();
    for i in 0..samples {
        let profile = ChildProfile {
            children: vec![ProfileChild { age_months: (i as u32 % 18) * 12, sex: Some(Sex::ALL[i % 2]) }],
            kind: PlacementKind::Emergency,
            emergency: true,
            time_slots: Default::default(),
            special_needs: Default::default(),
            languages: vec![],
            start: None,
            comune: Comuni::embedded().resolve("Bergamo (BG)").ok().map(|c| c.code),
            within: None,
        };
        let started = Instant::now();
        let reply = bank.handle(&admin, Request::Places { profile, limit: LIMIT });
        times.push(started.elapsed());
        match reply {
            Ok(Reply::Places(r)) => candidates.push(r.candidates_total as usize),
            other => panic!("Places: {other:?}"),
        }
    }
    let (median, p95) = stats(&mut times);
    let (c_median, _) = stats_of(&mut candidates);
    row("Places (a place tonight, by profile): median", ms(median), &format!("ms  ({c_median} candidates, median)"));
    row("                                          p95", ms(p95), "ms");

    // The coordination's figures: the whole report (every indicator, the
    // twelve months), the annual survey's tables, and a service's own
    // figures beside the province's (two areas counted).
    let year = |only: Vec<Indicator>, territory: Option<Territory>| FiguresQuery {
        at: Some(time::macros::date!(2026 - 12 - 31)),
        from: Some(time::macros::date!(2026 - 01 - 01)),
        to: Some(time::macros::date!(2026 - 12 - 31)),
        territory,
        only,
        leaving: false,
    };
    for (name, query) in [
        ("Figures: the full report, province", year(vec![], Some(Territory::Province))),
        ("Figures: the annual survey's tables", year(Indicator::ANNUAL.to_vec(), Some(Territory::Province))),
        (
            "Figures: the full report, S-001 beside the province",
            year(vec![], Some(Territory::Service(ServiceCode::parse("S-001").expect("a code")))),
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..samples.min(20) {
            let started = Instant::now();
            let reply = bank.handle(&admin, Request::Figures { query: query.clone() });
            times.push(started.elapsed());
            assert!(matches!(reply, Ok(Reply::Figures(_))), "{name}: {reply:?}");
        }
        let (median, p95) = stats(&mut times);
        row(&format!("{name}: median"), ms(median), "ms");
        row("                                          p95", ms(p95), "ms");
    }

    let rss_end = vm_kib("VmRSS");
    row("RSS before opening the bank", mib(rss_before), "MiB");
    row("RSS after opening the bank", mib(rss_open), "MiB");
    row("RSS after listing + ranking (bench's own lists)", mib(rss_end), "MiB");
    row("peak RSS (VmHWM)", mib(vm_kib("VmHWM")), "MiB");
    drop(bank);
}

/// `n` codes spread evenly over `all`.
fn spread<T: Copy>(all: &[T], n: usize) -> Vec<T> {
    assert!(!all.is_empty(), "nothing to rank: the demo bank is empty");
    let n = n.min(all.len());
    (0..n).map(|i| all[i * all.len() / n]).collect()
}

/// Median and 95th percentile (nearest rank).
fn stats(times: &mut [Duration]) -> (Duration, Duration) {
    stats_of(times)
}

fn stats_of<T: Ord + Copy>(v: &mut [T]) -> (T, T) {
    v.sort();
    let p95 = ((v.len() as f64 * 0.95).ceil() as usize).clamp(1, v.len()) - 1;
    (v[v.len() / 2], v[p95])
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
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
