//! A real `banca serve` on a real socket reached by real Unix users, for
//! the tests of the live event stream and of the connection caps. Made on
//! the pattern of tests/server.rs (`Place`, `UnixAccounts`, `banca_as`);
//! Unix names start with `bc_` so that parallel runs of other test files
//! never collide with these.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use banca::api::{Reply, Request, Saved};
use banca::client::{Client, Target};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use tempfile::TempDir;

/// True when the tests may make Unix users; else the caller says it skipped.
pub fn as_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// A bank folder and a socket folder the operators' group reaches (the
/// temporary folder is 0711; the server makes `run/` for the group).
pub struct Place {
    pub dir: TempDir,
    pub db: PathBuf,
    pub sock: PathBuf,
}

impl Place {
    pub fn new() -> Place {
        let dir = tempfile::Builder::new().prefix("bc").tempdir_in("/tmp").expect("temporary folder");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
        let db = dir.path().join("bank");
        let sock = dir.path().join("run").join("s.sock");
        Place { dir, db, sock }
    }

    pub fn target(&self) -> Target {
        Target::new(banca::config::canonical_bank_path(&self.db), self.sock.clone())
    }

    pub fn client(&self) -> Client {
        Client::connect(self.target()).unwrap_or_else(|e| panic!("client connects to {}: {e}", self.sock.display()))
    }

    /// `banca --db DB serve --socket SOCK --create --group GROUP EXTRA…`, answering.
    pub fn start(&self, group: &str, extra: &[&str]) -> Server {
        self.share_with(group);
        let log = self.dir.path().join("serve.err");
        let child = Command::new(env!("CARGO_BIN_EXE_banca"))
            .arg("--db")
            .arg(&self.db)
            .arg("serve")
            .arg("--socket")
            .arg(&self.sock)
            .args(["--create", "--group", group])
            .args(extra)
            .env("BANCA_CONFIG", self.dir.path().join("none.toml"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .env_remove("BANCA_LANG")
            .env_remove("JOURNAL_STREAM")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("server stderr file"))
            .spawn()
            .expect("the server starts");
        let mut server = Server { pid: Pid::from_raw(child.id() as i32), child, log };
        let started = Instant::now();
        while UnixStream::connect(&self.sock).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited before answering ({status}):\n{}", server.said());
            }
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not answer:\n{}", server.said());
            thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// The socket's folder as the administrator makes it for a shared
    /// server: the server's user's (here the test's, root), 0750, for the group.
    fn share_with(&self, group: &str) {
        let run = self.sock.parent().expect("the socket's folder");
        if !run.exists() {
            std::fs::create_dir(run).unwrap();
        }
        std::fs::set_permissions(run, std::fs::Permissions::from_mode(0o750)).unwrap();
        let gid = nix::unistd::Group::from_name(group).unwrap().expect("the test group exists").gid;
        nix::unistd::chown(run, None, Some(gid)).unwrap();
    }

    /// `banca ARGS` as `user`, with the operators' group, to its end.
    pub fn banca_as(&self, user: &str, group: &str, args: &[&str]) -> Output {
        let child = self.command_as(user, group, args).spawn().expect("banca runs as another user");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || tx.send(child.wait_with_output()));
        rx.recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("banca {args:?} as {user} did not end within 30 s"))
            .expect("banca's output")
    }

    /// `banca ARGS` as `user`, running on: its standard output read line by line.
    pub fn spawn_as(&self, user: &str, group: &str, args: &[&str]) -> Running {
        let mut child = self.command_as(user, group, args).spawn().expect("banca runs as another user");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { user: user.to_string(), child, lines, seen: Vec::new() }
    }

    fn command_as(&self, user: &str, group: &str, args: &[&str]) -> Command {
        banca_command_as(user, group, &self.db, &self.sock, &self.dir.path().join("none.toml"), args)
    }
}

/// `banca --db DB --socket SOCK ARGS` as `user` with `group` besides its own
/// (as a login would give them), trusting a server run by root, with no
/// settings of the caller's environment.
pub fn banca_command_as(
    user: &str,
    group: &str,
    db: &std::path::Path,
    sock: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
) -> Command {
    let account = nix::unistd::User::from_name(user).unwrap().expect("the test user exists");
    let group = nix::unistd::Group::from_name(group).unwrap().expect("the test group exists").gid;
    let (uid, gid) = (account.uid, account.gid);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_banca"));
    cmd.arg("--db")
        .arg(db)
        .arg("--socket")
        .arg(sock)
        .arg("--no-spawn")
        .args(["--server-user", "root"])
        .args(args)
        .current_dir("/")
        .env("HOME", "/nonexistent")
        .env("BANCA_CONFIG", config)
        .env_remove("BANCA_DB")
        .env_remove("BANCA_SOCKET")
        .env_remove("BANCA_LANG")
        .env_remove("XDG_RUNTIME_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only raw system calls between fork and exec, no allocation.
    unsafe {
        cmd.pre_exec(move || {
            nix::unistd::setgroups(&[gid, group])?;
            nix::unistd::setgid(gid)?;
            nix::unistd::setuid(uid)?;
            Ok(())
        });
    }
    cmd
}

/// A running `banca serve`: SIGTERM (then SIGKILL) and reaped when dropped.
pub struct Server {
    pub child: Child,
    pub pid: Pid,
    log: PathBuf,
}

impl Server {
    pub fn said(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Resident memory of the server, in KiB (VmRSS of /proc/PID/status).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).expect("the server's status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("a VmRSS line");
        line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("VmRSS in kB")
    }

    /// Threads of the server now.
    pub fn threads(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).expect("the server's status");
        let line = status.lines().find(|l| l.starts_with("Threads:")).expect("a Threads line");
        line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a thread count")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = kill(self.pid, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `banca` process that keeps running (e.g. `watch`), killed when dropped.
pub struct Running {
    pub user: String,
    pub child: Child,
    lines: Receiver<String>,
    /// Every line read so far.
    pub seen: Vec<String>,
}

impl Running {
    /// Reads lines until one satisfies `pred`, for up to `wait`.
    pub fn wait_for(&mut self, wait: Duration, pred: impl Fn(&str) -> bool) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = pred(&line);
                    self.seen.push(line);
                    if found {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
    }

    /// Waits up to `wait` for the process to end on its own; its exit code and standard error.
    pub fn ended_within(&mut self, wait: Duration) -> Option<(Option<i32>, String)> {
        let deadline = Instant::now() + wait;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = self.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                // What it printed before ending.
                while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                    self.seen.push(line);
                }
                return Some((status.code(), err));
            }
            if Instant::now() > deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Unix users and a group made for one test, removed when dropped.
pub struct UnixAccounts {
    group: &'static str,
    users: &'static [&'static str],
}

/// useradd and userdel lock /etc/passwd: one at a time in this process.
/// The lock also counts, per group, the tests of this binary holding its
/// accounts: tests running side by side share them, and the last one out
/// deletes them (the first one out must not pull them from under the others).
static PASSWD: Mutex<BTreeMap<&'static str, usize>> = Mutex::new(BTreeMap::new());

/// Runs an account command, again while another process holds /etc/passwd's lock.
fn account_command(program: &str, args: &[&str]) {
    for attempt in 0.. {
        let out = Command::new(program).args(args).stdin(Stdio::null()).output().expect(program);
        if out.status.success() {
            return;
        }
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(attempt < 50 && said.contains("lock"), "{program} {args:?}: {said}");
        thread::sleep(Duration::from_millis(200));
    }
}

impl UnixAccounts {
    pub fn create(group: &'static str, users: &'static [&'static str]) -> UnixAccounts {
        let mut holders = PASSWD.lock().unwrap_or_else(|p| p.into_inner());
        *holders.entry(group).or_default() += 1;
        let accounts = UnixAccounts { group, users };
        if nix::unistd::Group::from_name(group).ok().flatten().is_none() {
            account_command("groupadd", &[group]);
        }
        for user in users {
            if nix::unistd::User::from_name(user).ok().flatten().is_none() {
                account_command("useradd", &["--no-create-home", "--shell", "/usr/sbin/nologin", user]);
            }
            account_command("usermod", &["-aG", group, user]);
        }
        accounts
    }
}

impl Drop for UnixAccounts {
    fn drop(&mut self) {
        let mut holders = PASSWD.lock().unwrap_or_else(|p| p.into_inner());
        let left = holders.get_mut(self.group).map(|n| {
            *n -= 1;
            *n
        });
        if left.unwrap_or(0) > 0 {
            return;
        }
        holders.remove(self.group);
        for user in self.users {
            let _ = Command::new("userdel").arg(user).stdout(Stdio::null()).stderr(Stdio::null()).status();
        }
        let _ = Command::new("groupdel").arg(self.group).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

pub fn saved(c: &mut Client, request: Request) -> Saved {
    let what = format!("{request:?}");
    match c.call(request) {
        Ok(Ok(Reply::Saved(s))) => s,
        other => panic!("{what}: expected Saved, got {other:?}"),
    }
}
