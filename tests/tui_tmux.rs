//! The real binary in tmux, as operators use it: two Unix users of two
//! services, each in a tmux window of their own running `banca` (the
//! interface), driven with `send-keys` and read with `capture-pane`. The
//! server is started by the first client (auto-start) with the operators'
//! group from a configuration file, and stopped at the end.
//!
//! Needs root (to make the Unix users) and tmux: `.ci/run` installs tmux;
//! elsewhere the test says it is skipped.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const GROUP: &str = "bancatui";
const USER_A: &str = "bancatui_a";
const USER_B: &str = "bancatui_b";

fn run_ok(program: &str, args: &[&str]) -> Output {
    let out =
        Command::new(program).args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

static PASSWD: Mutex<()> = Mutex::new(());

/// Two operators' Unix accounts and their group, removed when dropped.
struct Accounts;

impl Accounts {
    fn create() -> Accounts {
        let _passwd = PASSWD.lock().unwrap_or_else(|p| p.into_inner());
        if nix::unistd::Group::from_name(GROUP).ok().flatten().is_none() {
            run_ok("groupadd", &[GROUP]);
        }
        for user in [USER_A, USER_B] {
            if nix::unistd::User::from_name(user).ok().flatten().is_none() {
                run_ok("useradd", &["--no-create-home", "--shell", "/bin/sh", user]);
            }
            run_ok("usermod", &["-aG", GROUP, user]);
        }
        Accounts
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        let _passwd = PASSWD.lock().unwrap_or_else(|p| p.into_inner());
        for user in [USER_A, USER_B] {
            let _ = Command::new("userdel").arg(user).stdout(Stdio::null()).stderr(Stdio::null()).status();
        }
        let _ = Command::new("groupdel").arg(GROUP).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// A bank in a temporary folder, its configuration (socket, operators'
/// group) and a tmux server of its own; everything stopped when dropped.
struct Stage {
    dir: tempfile::TempDir,
    tmux: String,
}

impl Stage {
    fn new() -> Stage {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a temporary folder");
        // The operators reach the bank's socket through this folder.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).expect("chmod");
        let stage = Stage { tmux: format!("banca-tui-{}", std::process::id()), dir };
        // The socket's folder, as an administrator makes it: the server's
        // user's (root, who starts it), 0750, the operators' group.
        let run = stage.socket().parent().expect("a folder").to_path_buf();
        std::fs::create_dir(&run).expect("socket folder");
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o750)).expect("chmod");
        let gid = nix::unistd::Group::from_name(GROUP).ok().flatten().map(|g| g.gid);
        nix::unistd::chown(&run, None, gid).expect("chgrp");
        let config = format!(
            "db = \"{}\"\nsocket = \"{}\"\ngroup = \"{GROUP}\"\nserver_user = \"root\"\nidle_exit = \"5m\"\n",
            stage.db().display(),
            stage.socket().display()
        );
        std::fs::write(stage.config(), config).expect("config");
        std::fs::set_permissions(stage.config(), std::fs::Permissions::from_mode(0o644)).expect("chmod");
        stage
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("bank")
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("run").join("s.sock")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("banca.toml")
    }

    /// `banca ARGS` as root (the bank's administrator).
    fn banca(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_banca"))
            .args(args)
            .env("BANCA_CONFIG", self.config())
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .env_remove("BANCA_LANG")
            .stdin(Stdio::null())
            .output()
            .expect("banca runs");
        assert!(
            out.status.success(),
            "banca {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.tmux).args(args).stdin(Stdio::null()).output().expect("tmux runs")
    }

    /// Opens the interface as `user` in a new tmux window named `window`, 80x24 unless told.
    fn open(&self, window: &str, user: &str, size: (u16, u16)) {
        let command = format!(
            "runuser -u {user} -- env BANCA_CONFIG={} TERM=xterm-256color {} ; sleep 60",
            self.config().display(),
            env!("CARGO_BIN_EXE_banca")
        );
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let has_session = self.tmux(&["has-session", "-t", "banca"]).status.success();
        let out = if has_session {
            self.tmux(&["new-window", "-t", "banca", "-n", window, &command])
        } else {
            self.tmux(&["new-session", "-d", "-s", "banca", "-n", window, "-x", &w, "-y", &h, &command])
        };
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
        self.tmux(&["resize-window", "-t", &format!("banca:{window}"), "-x", &w, "-y", &h]);
    }

    fn keys(&self, window: &str, keys: &[&str]) {
        for k in keys {
            let out = self.tmux(&["send-keys", "-t", &format!("banca:{window}"), k]);
            assert!(out.status.success(), "send-keys {k}: {}", String::from_utf8_lossy(&out.stderr));
            // One key at a time, as typed: each may open or close something.
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Types text literally.
    fn type_text(&self, window: &str, text: &str) {
        let out = self.tmux(&["send-keys", "-t", &format!("banca:{window}"), "-l", text]);
        assert!(out.status.success());
        std::thread::sleep(Duration::from_millis(80));
    }

    fn screen(&self, window: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", &format!("banca:{window}")]).stdout)
            .into_owned()
    }

    /// Waits until the window shows `text`; panics with the screen after 15 s.
    fn wait_for(&self, window: &str, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen(window);
            if screen.contains(text) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("window {window} never showed {text:?}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        let _ = Command::new(env!("CARGO_BIN_EXE_banca"))
            .arg("stop")
            .env("BANCA_CONFIG", self.config())
            .arg("--no-spawn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn usable() -> bool {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: making Unix users for this test needs root");
        return false;
    }
    if Command::new("tmux").arg("-V").output().map(|o| !o.status.success()).unwrap_or(true) {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return false;
    }
    true
}

/// The bank of the scenario, made with the CLI as its administrator: two
/// services, an operator of each (the Unix users), an approved family of
/// S-002 and an open need of S-001. Returns (family of S-002, need of S-001).
fn seed(stage: &Stage) -> (String, String) {
    stage.banca(&["init"]);
    for name in ["Servizio Affidi Ambito di Dalmine", "Servizio Affidi Isola Bergamasca"] {
        stage.banca(&[
            "service",
            "add",
            "--name",
            name,
            "--kind",
            "ambito",
            "--ambits",
            "Dalmine",
            "--phone",
            "035 000 0000",
        ]);
    }
    stage.banca(&["operator", "add", USER_A, "--name", "Alba Prova", "--role", "operatore", "--service", "S-001"]);
    stage.banca(&["operator", "add", USER_B, "--name", "Bice Esempio", "--role", "operatore", "--service", "S-002"]);
    let family = stage.banca(&[
        "family",
        "add",
        "--service",
        "S-002",
        "--referent",
        USER_B,
        "--adult",
        "Gina Modello,1980",
        "--address",
        "Via delle Prove 1",
        "--phone",
        "035 111 1111",
        "--comune",
        "Osio Sotto",
        "--kinds",
        "residenziale,diurno",
        "--ages",
        "0-12",
        "--max-children",
        "2",
        "--status",
        "idonea",
        "--approved-on",
        "01/02/2025",
        "--confirmed-on",
        "01/11/2026",
    ]);
    let need = stage.banca(&[
        "need",
        "add",
        "--service",
        "S-001",
        "--referent",
        USER_A,
        "--given-name",
        "Teo",
        "--family-name",
        "Finto",
        "--birth-date",
        "15/05/2019",
        "--address",
        "Via delle Prove 3",
        "--sex",
        "M",
        "--kind",
        "residenziale",
        "--legal",
        "consensuale",
        "--comune",
        "Dalmine",
        "--contact",
        "mensile",
    ]);
    (code_in(&family.stdout, "F-"), code_in(&need.stdout, "R-"))
}

/// The code that starts at the first `marker` on the screen (a marker ending in "-" is part of the code).
fn code_after(screen: &str, marker: &str) -> String {
    let at = screen.find(marker).unwrap_or_else(|| panic!("no {marker:?} on\n{screen}"));
    let from = if marker.ends_with('-') { at } else { at + marker.len() };
    screen[from..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
}

fn code_in(out: &[u8], prefix: &str) -> String {
    let text = String::from_utf8_lossy(out);
    text.split_whitespace()
        .find(|w| w.starts_with(prefix))
        .map(|w| w.trim_end_matches([',', '.', ':']).to_string())
        .unwrap_or_else(|| panic!("no {prefix} code in {text}"))
}

#[test]
fn two_operators_in_tmux_create_find_match_propose_and_accept_live() {
    if !usable() {
        return;
    }
    let _accounts = Accounts::create();
    let stage = Stage::new();
    let (family, need) = seed(&stage);

    stage.open("a", USER_A, (80, 24));
    let screen = stage.wait_for("a", "Alba Prova (bancatui_a)");
    assert!(screen.contains("● connesso"), "{screen}");
    stage.open("b", USER_B, (120, 40));
    stage.wait_for("b", "Bice Esempio (bancatui_b)");

    // B finds the family of its own service by the adult's name, with `/`.
    stage.keys("b", &["/"]);
    stage.type_text("b", "modello");
    let screen = stage.wait_for("b", "Gina Modello");
    assert!(screen.contains(&family), "{screen}");
    stage.keys("b", &["Enter"]);
    stage.wait_for("b", "Via delle Prove 1");

    // A searches the same name: another service's family is not found by it.
    stage.keys("a", &["/"]);
    stage.type_text("a", "modello");
    std::thread::sleep(Duration::from_millis(500));
    assert!(!stage.screen("a").contains("Gina"), "{}", stage.screen("a"));
    stage.keys("a", &["Escape", "2"]);
    stage.wait_for("a", &family);
    // A opens the family's shared card (80 columns have no room for the date in the list).
    stage.keys("a", &["Enter"]);
    stage.wait_for("a", "Disponibilità");
    stage.keys("a", &["End"]);
    stage.wait_for("a", "Confermata il");

    // B confirms the availability today; A's card shows it without a refresh.
    stage.keys("b", &["c"]);
    stage.wait_for("b", "Disponibilità confermata oggi");
    let today = time::OffsetDateTime::now_utc().date();
    let today = format!("{:02}/{:02}/{}", today.day(), u8::from(today.month()), today.year());
    let screen = stage.wait_for("a", &today);
    assert!(screen.lines().any(|l| l.contains("Confermata il") && l.contains(&today)), "{screen}");

    // A creates a family through the form: a wrong date is refused, then corrected.
    stage.keys("a", &["Escape", "2", "n"]);
    stage.wait_for("a", "nome dell'adulto n. 1");
    stage.type_text("a", "Giulia Nuova");
    stage.keys("a", &["Tab"]);
    stage.type_text("a", "1979");
    for _ in 0..6 {
        stage.keys("a", &["Tab"]);
    }
    stage.type_text("a", "dalm");
    stage.wait_for("a", "Dalmine (BG)");
    stage.keys("a", &["Enter"]);
    for _ in 0..12 {
        stage.keys("a", &["Tab"]);
    }
    stage.type_text("a", "31/02/2026");
    stage.keys("a", &["Tab"]);
    stage.wait_for("a", "non è una data valida");
    stage.keys("a", &["C-s"]);
    stage.wait_for("a", "Da correggere");
    for _ in 0..10 {
        stage.keys("a", &["BSpace"]);
    }
    stage.type_text("a", "15/01/2026");
    stage.keys("a", &["C-s"]);
    let screen = stage.wait_for("a", "Salvato: F-");
    let created = code_after(&screen, "Salvato: ");
    // The new family is named and selected; Enter opens it.
    stage.wait_for("a", "Invio lo apre");
    stage.keys("a", &["Enter"]);
    stage.wait_for("a", "Giulia Nuova (1979)");

    // … and finds it again with `/`.
    stage.keys("a", &["Escape", "/"]);
    stage.type_text("a", "nuova");
    stage.wait_for("a", "Giulia Nuova");
    stage.keys("a", &["Enter"]);
    let screen = stage.wait_for("a", "Giulia Nuova (1979)");
    assert!(screen.contains(&created), "{screen}");

    // A opens its need, ranks the candidates and proposes B's family.
    stage.keys("a", &["Escape", "3"]);
    stage.wait_for("a", &need);
    stage.keys("a", &["m"]);
    let screen = stage.wait_for("a", &family);
    assert!(screen.contains('+'), "the explanation shows signed criteria:\n{screen}");
    stage.keys("a", &["p"]);
    stage.type_text("a", "famiglia vicina alla scuola");
    stage.keys("a", &["Enter"]);
    let screen = stage.wait_for("a", "P-");
    let proposal = code_after(&screen, "P-");

    // B, of the family's service, sees it arrive without doing anything, and accepts it.
    let screen = stage.wait_for("b", "Nuova proposta in arrivo");
    assert!(screen.contains(&proposal), "{screen}");
    stage.keys("b", &["Escape", "5"]);
    stage.wait_for("b", &proposal);
    stage.keys("b", &["Enter"]);
    stage.wait_for("b", "famiglia vicina alla scuola");
    // Accepting commits the family's places: it asks first, with an optional note.
    stage.keys("b", &["a"]);
    stage.wait_for("b", "Nota facoltativa");
    stage.type_text("b", "la aspettiamo lunedì");
    stage.keys("b", &["Enter"]);
    stage.wait_for("b", "accettata");
    let out = stage.banca(&["--json", "proposal", "show", &proposal]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"accepted\""), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("la aspettiamo lunedì"), "the note is kept with the step");

    // The server goes away: the screen says so and keeps the typed filter;
    // when it is back the interface reconnects by itself.
    stage.keys("a", &["2", "Escape", "f"]);
    stage.type_text("a", "osio");
    stage.keys("a", &["Enter"]);
    stage.banca(&["stop"]);
    let screen = stage.wait_for("a", "server non raggiungibile");
    assert!(screen.contains("osio"), "{screen}");
    stage.banca(&["whoami"]);
    let screen = stage.wait_for("a", "di nuovo connesso");
    assert!(screen.contains("● connesso") && screen.contains("osio"), "{screen}");

    // Quitting gives the terminal back.
    stage.keys("a", &["q"]);
    stage.keys("b", &["q"]);
}
