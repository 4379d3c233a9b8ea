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
#[path = "../tests/common/core_source.rs"]
mod core_source;

use common::env_or;

use std::sync::Arc;
use std::time::{Duration, Instant};

use banca::api::{Reply, Request};
use banca::bank::{Actor, Bank, BankConfig, FixedClock};
use banca::demo::DemoOptions;
use banca::i18n::Lang;
use banca::tui::{view_for, App, Delayed, Effect, InProcess, Job, Live, Msg, Theme, Worker};
use core_source::CoreSource;
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
    let mut app = InProcess::new(Box::new(source), view, temp.path().display().to_string());
    // The terminal's size, as `tui::run` tells the app: pages are measured in it.
    app.update(Msg::Resize(120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let _ = terminal.draw(|f| app.view(f));
    row("App::new + first frame (Cruscotto, whole province)", ms(started.elapsed()), "ms");

    let mut press = |app: &mut InProcess, code: KeyCode| -> f64 {
        let started = Instant::now();
        app.key(KeyEvent::new(code, KeyModifiers::NONE));
        let _ = terminal.draw(|f| app.view(f));
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

    slow_source(&bank, &me(), SLOW);
    requests_per_change(&bank, &me());
}

/// How late the slow source answers every request.
const SLOW: Duration = Duration::from_millis(200);
/// Between two keystrokes of a quick typist.
const TYPING: Duration = Duration::from_millis(60);

/// The interface as `tui::run` drives it: the worker thread owns the
/// source, replies come back on the channel as messages, every message is
/// followed by a frame. Measures keystroke → frame (and reply → frame).
struct Looped {
    app: App,
    worker: Worker,
    replies: std::sync::mpsc::Receiver<Msg>,
    terminal: Terminal<TestBackend>,
    /// Reply → frame, for every reply handled.
    reply_frames: Vec<f64>,
    sent: usize,
}

impl Looped {
    fn new(source: Box<dyn banca::tui::Source + Send>, view: banca::tui::View) -> Looped {
        let (tx, replies) = std::sync::mpsc::channel();
        let worker = Worker::spawn(source, tx);
        let (mut app, mut effects) = App::new(view, "slow".into());
        effects.extend(app.update(Msg::Resize(120, 40)));
        let terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        let mut looped = Looped { app, worker, replies, terminal, reply_frames: Vec::new(), sent: 0 };
        looped.perform(effects);
        looped
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            if let Effect::Send { id, request, .. } = effect {
                self.sent += 1;
                self.worker.send(Job { id, request });
            }
        }
    }

    /// One message, its effects handed to the worker, one frame: how long it took.
    fn handle(&mut self, msg: Msg) -> f64 {
        let started = Instant::now();
        let effects = self.app.update(msg);
        self.perform(effects);
        let app = &mut self.app;
        let _ = self.terminal.draw(|f| app.view(f));
        ms(started.elapsed())
    }

    fn press(&mut self, code: KeyCode) -> f64 {
        let took = self.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.wait(TYPING);
        took
    }

    /// Handles the replies that come within `pause`.
    fn wait(&mut self, pause: Duration) {
        let until = Instant::now() + pause;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.replies.recv_timeout(left) {
                Ok(msg) => {
                    let took = self.handle(msg);
                    self.reply_frames.push(took);
                }
                Err(_) => break,
            }
        }
    }

    /// Until nothing is in flight.
    fn settle(&mut self) {
        while self.app.in_flight() > 0 {
            self.wait(Duration::from_millis(50));
        }
    }
}

/// Keystroke → frame when every request is answered `delay` late: the
/// keys that ask the server something (a screen, a record, a search), at
/// a quick typist's pace. No key waits for the answer: the frame says
/// "loading…" and the answer is drawn when it comes.
fn slow_source(bank: &Arc<Bank>, admin: &str, delay: Duration) {
    let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(admin.to_string()) };
    let view = view_for(&mut source, Lang::It, Theme::from_env(), NOW.date()).expect("whoami");
    let mut app = Looped::new(Box::new(Delayed { inner: source, delay }), view);
    app.settle();
    println!();
    println!(
        "{:<40} {:>6} {:>9} {:>9} {:>9}",
        format!("source {} ms late (ms)", delay.as_millis()),
        "keys",
        "p50",
        "p99",
        "max"
    );
    let mut screens = Vec::new();
    let mut records = Vec::new();
    for _ in 0..2 {
        for screen in ['2', '3', '5', '6', '1'] {
            screens.push(app.press(KeyCode::Char(screen)));
        }
    }
    app.press(KeyCode::Char('2'));
    app.settle();
    for _ in 0..5 {
        app.press(KeyCode::Down);
        records.push(app.press(KeyCode::Enter));
        app.settle();
        app.press(KeyCode::Esc);
    }
    let mut typing = Vec::new();
    let sent_before = app.sent;
    let mut typed = 0;
    for query in ["rossi", "colombo"] {
        app.press(KeyCode::Char('/'));
        typing.extend(query.chars().map(|c| app.press(KeyCode::Char(c))));
        typed += query.len();
        app.settle();
        app.press(KeyCode::Esc);
    }
    let searches = app.sent - sent_before;
    report("slow source: a screen's number", &mut screens);
    report("slow source: Enter on a family", &mut records);
    report("slow source: search keystroke", &mut typing);
    report("slow source: reply → frame", &mut app.reply_frames);
    row(&format!("  searches sent for {typed} keystrokes (newest only)"), searches as f64, "");
}

/// Requests one interface sends when another operator edits a family:
/// one it is not looking at (0), and the one whose record it shows (1).
fn requests_per_change(bank: &Arc<Bank>, admin: &str) {
    let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(admin.to_string()) };
    let view = view_for(&mut source, Lang::It, Theme::from_env(), NOW.date()).expect("whoami");
    let mut app = InProcess::new(Box::new(source), view, "events".into());
    app.key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE));
    app.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let families = match bank.handle(&Actor::new(admin.to_string()), Request::FamilyList { filter: Default::default() })
    {
        Ok(Reply::Families(page)) => page.items,
        other => panic!("families: {other:?}"),
    };
    let (open, other) = (&families[0], &families[1]);
    let changed = |f: &banca::api::FamilyView| {
        Live::Changed(banca::api::Event::Changed(banca::api::Change {
            kind: banca::model::RecordKind::Family,
            code: f.code.to_string(),
            revision: f.revision + 1,
            by: "altro_operatore".into(),
        }))
    };
    println!();
    let before = app.requests;
    app.live(changed(other));
    row("requests after a change to a family not shown", (app.requests - before) as f64, "");
    let before = app.requests;
    app.live(changed(open));
    row("requests after a change to the family shown", (app.requests - before) as f64, "");
}

/// A `Vm…` line of /proc/self/status, in KiB.
fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}
