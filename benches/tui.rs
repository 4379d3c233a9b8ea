//! Keystroke to frame in the terminal interface, on a demo bank of 100 000
//! families (BENCH_FAMILIES to change it): the `/` search popup typing
//! realistic queries one character at a time, and scrolling the Famiglie
//! list. Each keystroke is `App::key` then a full draw on a 120x40
//! `TestBackend`, through the real core in process (`CoreSource`), as the
//! administrator. Prints figures next to the goal; asserts nothing.
//!
//!     cargo bench --bench tui
//!     BENCH_FAMILIES=10000 cargo bench --bench tui

#[path = "common/mod.rs"]
#[allow(dead_code)]
mod common;

use common::env_or;

use std::sync::Arc;
use std::time::{Duration, Instant};

use banca::bank::{Actor, Bank, BankConfig, FixedClock, Reply, Request};
use banca::demo::DemoOptions;
use banca::i18n::Lang;
use banca::tui::{view_for, App, CoreSource, Theme};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-03-16 10:00 +01:00);
/// A frame at 60 Hz.
const GOAL_MS: f64 = 16.0;
/// What operators type: surnames, a comune, a code prefix.
const QUERIES: &[&str] = &["rossi", "colombo", "dalmine", "F-2024-00", "bianchi mario"];

fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .filter(|u| banca::model::operator::is_valid_user_name(u))
        .unwrap_or_else(|| "bench".into())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn row(what: &str, value: f64, unit: &str) {
    println!("{what:<52} {value:>9.2} {unit}");
}

/// p50 and p99 of the samples (ms), printed next to the goal.
fn report(what: &str, samples: &mut [f64]) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let (p50, p99) = (at(0.5), at(0.99));
    let verdict = if p50 < GOAL_MS { "ok" } else { "OVER" };
    println!("{what:<40} {:>6} {p50:>9.2} {p99:>9.2} {:>9.2}   < {GOAL_MS} ms p50: {verdict}", samples.len(), at(1.0));
}

fn main() {
    let families = env_or("BENCH_FAMILIES", 100_000);
    let needs = env_or("BENCH_NEEDS", (families / 5).max(10));
    let steps = env_or("BENCH_STEPS", 200);
    let temp = tempfile::Builder::new().prefix("banca-tui").tempdir_in("/tmp").expect("temporary folder");
    let admin = me();

    let started = Instant::now();
    let lines =
        banca::demo::generate_lines(&DemoOptions { families, needs, seed: 7, admin_user: admin.clone(), now: NOW });
    let bank = Bank::open(temp.path(), BankConfig::default(), true, Arc::new(FixedClock(NOW))).expect("the bank opens");
    match bank.handle(&Actor::server_user(admin.clone()), Request::Import { lines }) {
        Ok(Reply::Imported(_)) => {}
        other => panic!("the demo bank imports: {other:?}"),
    }
    row(&format!("demo bank built ({families} families, {needs} needs)"), ms(started.elapsed()), "ms");
    let bank = Arc::new(bank);

    let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(admin) };
    let view = view_for(&mut source, Lang::It, Theme::from_env(), NOW.date()).expect("whoami");
    let started = Instant::now();
    let mut app = App::new(Box::new(source), view, temp.path().display().to_string());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let _ = terminal.draw(|f| app.render(f));
    row("App::new + first frame (Cruscotto, whole province)", ms(started.elapsed()), "ms");

    let mut press = |app: &mut App, code: KeyCode| -> f64 {
        let started = Instant::now();
        app.key(KeyEvent::new(code, KeyModifiers::NONE));
        let _ = terminal.draw(|f| app.render(f));
        ms(started.elapsed())
    };

    let load = press(&mut app, KeyCode::Char('2'));
    row(&format!("Famiglie: load {families} rows + first frame"), load, "ms");
    row("  process RSS with the list loaded", vm_kib("VmRSS") as f64 / 1024.0, "MiB");

    println!();
    println!("{:<40} {:>6} {:>9} {:>9} {:>9}", "keystroke → frame (ms)", "keys", "p50", "p99", "max");
    let mut down: Vec<f64> = (0..steps).map(|_| press(&mut app, KeyCode::Down)).collect();
    report("Famiglie: Down", &mut down);
    let mut page: Vec<f64> = (0..steps).map(|_| press(&mut app, KeyCode::PageDown)).collect();
    report("Famiglie: PageDown", &mut page);
    let mut ends: Vec<f64> =
        (0..steps / 10).flat_map(|_| [press(&mut app, KeyCode::End), press(&mut app, KeyCode::Home)]).collect();
    report("Famiglie: End/Home", &mut ends);

    let mut typing = Vec::new();
    for query in QUERIES {
        press(&mut app, KeyCode::Char('/'));
        let mut per_query: Vec<f64> = query.chars().map(|c| press(&mut app, KeyCode::Char(c))).collect();
        report(&format!("search popup: \"{query}\""), &mut per_query.clone());
        typing.append(&mut per_query);
        press(&mut app, KeyCode::Esc);
    }
    report("search popup: every keystroke", &mut typing);
}

/// A `Vm…` line of /proc/self/status, in KiB.
fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}
