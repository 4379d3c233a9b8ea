//! The client talks only to the genuine server, and the server's files are
//! private: real `banca` processes, real sockets and, as root (CI), real
//! Unix users made by the tests (prefix `bt_`) and removed after them:
//!
//! | user     | is                                                    |
//! |----------|-------------------------------------------------------|
//! | bt_srv   | the server's user (as `banca` on a real host)         |
//! | bt_a     | an operator (group bt_ops) who plays the impostor     |
//! | bt_b     | an operator (group bt_ops), the impostor's victim     |
//!
//! Every server and impostor a test starts is stopped when it ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use banca::api::Request;
use banca::client::trust::Distrust;
use banca::client::{Client, ClientError, Stage, Target};
use banca::i18n::Lang;
use banca::protocol::{self, Hello, ServerMsg, Welcome, MAX_FRAME, MAX_SERVER_FRAME};
use nix::sys::signal::{kill, Signal};
use nix::unistd::{Gid, Pid, Uid};
use tempfile::TempDir;

const GROUP: &str = "bt_ops";
const SRV: &str = "bt_srv";
const IMPOSTOR: &str = "bt_a";
const VICTIM: &str = "bt_b";

fn root() -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    eprintln!("skipped: this test makes Unix users and needs root");
    false
}

// ---------------------------------------------------------------------------
// Unix users, shared by the tests of this file, removed after the last one
// ---------------------------------------------------------------------------

static USERS: Mutex<usize> = Mutex::new(0);

struct Accounts;

/// useradd and userdel lock /etc/passwd, and other test binaries may hold
/// it at the same moment: try a few times.
fn run_retrying(program: &str, args: &[&str]) {
    let mut last = String::new();
    for _ in 0..20 {
        let out = Command::new(program).args(args).stdin(Stdio::null()).output().expect(program);
        if out.status.success() {
            return;
        }
        last = String::from_utf8_lossy(&out.stderr).into_owned();
        thread::sleep(Duration::from_millis(250));
    }
    panic!("{program} {args:?}: {last}");
}

impl Accounts {
    fn get() -> Accounts {
        let mut count = USERS.lock().unwrap_or_else(|p| p.into_inner());
        if *count == 0 {
            if nix::unistd::Group::from_name(GROUP).ok().flatten().is_none() {
                run_retrying("groupadd", &[GROUP]);
            }
            for user in [SRV, IMPOSTOR, VICTIM] {
                if nix::unistd::User::from_name(user).ok().flatten().is_none() {
                    run_retrying("useradd", &["--no-create-home", "--shell", "/usr/sbin/nologin", user]);
                }
            }
            for user in [IMPOSTOR, VICTIM] {
                run_retrying("usermod", &["-aG", GROUP, user]);
            }
        }
        *count += 1;
        Accounts
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        let mut count = USERS.lock().unwrap_or_else(|p| p.into_inner());
        *count -= 1;
        if *count == 0 {
            for user in [SRV, IMPOSTOR, VICTIM] {
                let _ = Command::new("userdel").arg(user).stdout(Stdio::null()).stderr(Stdio::null()).status();
            }
            let _ = Command::new("groupdel").arg(GROUP).stdout(Stdio::null()).stderr(Stdio::null()).status();
        }
    }
}

fn uid(user: &str) -> Uid {
    nix::unistd::User::from_name(user).unwrap().expect("the test user exists").uid
}

fn gid(group: &str) -> Gid {
    nix::unistd::Group::from_name(group).unwrap().expect("the test group exists").gid
}

/// Makes `cmd` run as `user`, with its own group and, for members, bt_ops
/// (as a login would give them).
fn as_user<'a>(cmd: &'a mut Command, user: &str) -> &'a mut Command {
    let account = nix::unistd::User::from_name(user).unwrap().expect("the test user exists");
    let mut groups = vec![account.gid];
    if user != SRV {
        groups.push(gid(GROUP));
    }
    let (uid, primary) = (account.uid, account.gid);
    // SAFETY: only raw system calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            nix::unistd::setgroups(&groups)?;
            nix::unistd::setgid(primary)?;
            nix::unistd::setuid(uid)?;
            Ok(())
        })
    }
}

/// A folder `path` with this owner, group and mode.
fn folder(path: &Path, owner: &str, group: &str, mode: u32) {
    std::fs::create_dir_all(path).unwrap();
    nix::unistd::chown(path, Some(uid(owner)), Some(gid(group))).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

// ---------------------------------------------------------------------------
// A place for a bank, `banca` commands, servers
// ---------------------------------------------------------------------------

/// A temporary folder under /tmp (socket paths must be short) that other
/// users may pass through (0711), with its own configuration file.
struct Place {
    dir: TempDir,
}

impl Place {
    fn new() -> Place {
        let dir = tempfile::Builder::new().prefix("bt").tempdir_in("/tmp").expect("temporary folder");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
        let runtime = dir.path().join("xdg");
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        Place { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn config(&self, text: &str) {
        std::fs::write(self.path("config.toml"), text).unwrap();
        std::fs::set_permissions(self.path("config.toml"), std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    /// `banca ARGS` with this place's configuration and nothing of the caller's.
    fn banca(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_banca"));
        cmd.args(args)
            .current_dir("/")
            .env("HOME", "/nonexistent")
            .env("BANCA_CONFIG", self.path("config.toml"))
            .env("XDG_RUNTIME_DIR", self.path("xdg"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .env_remove("BANCA_LANG")
            .env_remove("BANCA_SERVER_USER")
            .env_remove("JOURNAL_STREAM")
            .stdin(Stdio::null());
        cmd
    }

    /// `banca serve` in the background, answering on `socket`.
    fn serve(&self, mut cmd: Command, socket: &Path) -> Server {
        let err = self.path(&format!("serve-{}.err", SERVES.fetch_add(1, Ordering::SeqCst)));
        cmd.stdout(Stdio::null()).stderr(std::fs::File::create(&err).unwrap());
        let child = cmd.spawn().expect("the server starts");
        let mut server = Server { child, err };
        let started = Instant::now();
        while UnixStream::connect(socket).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}): {}", server.said());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no server on {}: {}",
                socket.display(),
                server.said()
            );
            thread::sleep(Duration::from_millis(20));
        }
        server
    }
}

static SERVES: AtomicUsize = AtomicUsize::new(0);

fn run(mut cmd: Command) -> Output {
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("banca runs");
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || tx.send(child.wait_with_output()));
    rx.recv_timeout(Duration::from_secs(60)).expect("banca ends within a minute").expect("banca's output")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn succeeds(cmd: Command, what: &str) -> String {
    let out = run(cmd);
    assert!(out.status.success(), "{what}: {}", text(&out));
    text(&out)
}

/// A process stopped (SIGTERM, then SIGKILL) and reaped when dropped.
struct Server {
    child: Child,
    err: PathBuf,
}

impl Server {
    fn said(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(10);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------
// 1. Operators can reach the shared socket but never replace it
// ---------------------------------------------------------------------------

#[test]
fn a_group_member_cannot_rename_delete_or_replace_the_shared_socket() {
    if !root() {
        return;
    }
    let _accounts = Accounts::get();
    let place = Place::new();
    place.config("");
    let run_dir = place.path("run");
    folder(&run_dir, "root", GROUP, 0o750);
    let socket = run_dir.join("s.sock");
    let bank = place.path("bank");
    let mut serve = place.banca(&["--db", bank.to_str().unwrap(), "serve", "--create", "--group", GROUP]);
    serve.args(["--socket", socket.to_str().unwrap()]);
    let _server = place.serve(serve, &socket);
    assert_eq!(mode(&socket), 0o660, "the socket is the group's to open");
    let inode = std::fs::symlink_metadata(&socket).unwrap().ino();

    // As the operator: every way of taking the socket's place, then a plain connection.
    let moved = run_dir.join("moved.sock");
    let evil = run_dir.join("evil.sock");
    let errnos = as_operator(IMPOSTOR, &socket, &moved, &evil);
    let refused = [nix::errno::Errno::EACCES as i32, nix::errno::Errno::EPERM as i32];
    assert!(refused.contains(&errnos[0]), "rename(2) of the socket: errno {}", errnos[0]);
    assert!(refused.contains(&errnos[1]), "unlink(2) of the socket: errno {}", errnos[1]);
    assert!(refused.contains(&errnos[2]), "bind(2) of a new socket in its folder: errno {}", errnos[2]);
    assert_ne!(errnos[3], 0, "bind(2) over the socket's own path succeeded");
    assert_eq!(errnos[4], 0, "a member of the group connects: errno {}", errnos[4]);
    assert!(!moved.exists() && !evil.exists());

    // The genuine server still answers on the same socket.
    assert_eq!(std::fs::symlink_metadata(&socket).unwrap().ino(), inode, "the socket was replaced");
    let mut client = Client::connect(Target::new(banca::config::canonical_bank_path(&bank), socket.clone()))
        .expect("the server still answers");
    let answer = client.call(Request::Whoami).expect("the server still answers a request");
    assert!(answer.is_ok() || answer.is_err(), "a bank answer: {answer:?}");
}

/// In a child process running as `user`: rename(2), unlink(2), bind(2) in
/// the folder, bind(2) over the socket, connect(2). Their errnos (0: done).
fn as_operator(user: &str, socket: &Path, moved: &Path, evil: &Path) -> [i32; 5] {
    use nix::sys::socket::{bind, connect, socket as new_socket, AddressFamily, SockFlag, SockType, UnixAddr};
    use std::ffi::CString;
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let account = nix::unistd::User::from_name(user).unwrap().expect("the test user exists");
    let groups = [account.gid, gid(GROUP)];
    // Everything the child needs is made before fork: no allocation after it.
    let (sock_addr, evil_addr) = (UnixAddr::new(socket).unwrap(), UnixAddr::new(evil).unwrap());
    let (c_socket, c_moved) =
        (CString::new(socket.as_os_str().as_bytes()).unwrap(), CString::new(moved.as_os_str().as_bytes()).unwrap());
    let (read, write) = nix::unistd::pipe().unwrap();
    // SAFETY: the child makes raw system calls only and leaves with _exit.
    match unsafe { nix::unistd::fork() }.expect("fork") {
        nix::unistd::ForkResult::Child => {
            let code = |r: nix::Result<()>| r.err().map_or(0, |e| e as i32);
            let raw = |r: i32| if r == 0 { 0 } else { nix::errno::Errno::last_raw() };
            let mut out = [0i32; 5];
            let dropped = nix::unistd::setgroups(&groups)
                .and_then(|()| nix::unistd::setgid(account.gid))
                .and_then(|()| nix::unistd::setuid(account.uid));
            if dropped.is_ok() {
                // SAFETY: plain system calls on C strings made before fork.
                out[0] = raw(unsafe { nix::libc::rename(c_socket.as_ptr(), c_moved.as_ptr()) });
                out[1] = raw(unsafe { nix::libc::unlink(c_socket.as_ptr()) });
                let fresh = |addr: &UnixAddr, out: &mut i32| match new_socket(
                    AddressFamily::Unix,
                    SockType::Stream,
                    SockFlag::empty(),
                    None,
                ) {
                    Ok(fd) => *out = code(bind(fd.as_raw_fd(), addr)),
                    Err(e) => *out = e as i32,
                };
                fresh(&evil_addr, &mut out[2]);
                fresh(&sock_addr, &mut out[3]);
                out[4] = match new_socket(AddressFamily::Unix, SockType::Stream, SockFlag::empty(), None) {
                    Ok(fd) => code(connect(fd.as_raw_fd(), &sock_addr)),
                    Err(e) => e as i32,
                };
            } else {
                out = [-1; 5];
            }
            let mut bytes = [0u8; 20];
            for (i, v) in out.iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&v.to_ne_bytes());
            }
            let _ = nix::unistd::write(&write, &bytes);
            // SAFETY: leaves the forked child at once, running nothing of the parent's.
            unsafe { nix::libc::_exit(0) }
        }
        nix::unistd::ForkResult::Parent { child } => {
            drop(write);
            let mut bytes = [0u8; 20];
            std::fs::File::from(read).read_exact(&mut bytes).expect("the child reports");
            let _ = nix::sys::wait::waitpid(child, None);
            let mut out = [0i32; 5];
            for (i, v) in out.iter_mut().enumerate() {
                *v = i32::from_ne_bytes(bytes[i * 4..i * 4 + 4].try_into().unwrap());
            }
            assert!(out.iter().all(|v| *v >= 0), "the child could not become {user}");
            out
        }
    }
}

// ---------------------------------------------------------------------------
// 2. The client refuses an impostor, which receives nothing
// ---------------------------------------------------------------------------

/// Set in an impostor process: where to listen.
const IMPOSTOR_SOCKET: &str = "BT_IMPOSTOR_SOCKET";
const MARK: &str = "@@impostor@@";

/// Not a test of its own: the body of an impostor process (this test binary
/// run again as another user, with IMPOSTOR_SOCKET set). It listens where
/// it is told, counts every byte any client sends, and says the count when
/// its standard input closes.
#[test]
fn impostor_process() {
    let Some(path) = std::env::var_os(IMPOSTOR_SOCKET) else { return };
    let listener = UnixListener::bind(&path).expect("the impostor binds");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counter = counter.clone();
            thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    counter.fetch_add(n, Ordering::SeqCst);
                }
            });
        }
    });
    println!("{MARK}ready");
    std::io::stdout().flush().unwrap();
    let mut rest = String::new();
    let _ = std::io::stdin().read_to_string(&mut rest);
    thread::sleep(Duration::from_millis(300));
    println!("{MARK}bytes={}", received.load(Ordering::SeqCst));
}

/// An impostor listening on `socket` as `user`.
struct Impostor {
    child: Child,
    stdin: Option<ChildStdin>,
    out: BufReader<std::process::ChildStdout>,
}

impl Impostor {
    fn start(user: &str, socket: &Path) -> Impostor {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args(["impostor_process", "--exact", "--nocapture", "--test-threads", "1"])
            .env(IMPOSTOR_SOCKET, socket)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        as_user(&mut cmd, user);
        let mut child = cmd.spawn().expect("the impostor starts");
        let stdin = child.stdin.take();
        let out = BufReader::new(child.stdout.take().unwrap());
        // Dropped (killed and reaped) if it never says it is ready.
        let mut impostor = Impostor { child, stdin, out };
        let mut line = String::new();
        while impostor.out.read_line(&mut line).expect("the impostor speaks") > 0 {
            if line.contains(&format!("{MARK}ready")) {
                return impostor;
            }
            line.clear();
        }
        panic!("the impostor did not start");
    }

    /// Stops the impostor and gives the bytes it received.
    fn received(mut self) -> usize {
        drop(self.stdin.take());
        let mut line = String::new();
        while self.out.read_line(&mut line).expect("the impostor reports") > 0 {
            if let Some(n) = line.split(&format!("{MARK}bytes=")).nth(1) {
                return n.trim().parse().expect("a count");
            }
            line.clear();
        }
        panic!("the impostor said nothing");
    }
}

impl Drop for Impostor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_client_refuses_an_impostor_of_the_server_and_the_impostor_receives_nothing() {
    if !root() {
        return;
    }
    let _accounts = Accounts::get();
    let place = Place::new();
    place.config(&format!("server_user = \"{SRV}\"\nspawn = false\n"));
    let bank = place.path("bank");

    // (a) The folder is the server user's, untouched, but the socket in it
    // is the impostor's (put there by someone who could): not the folder's owner.
    let swapped = place.path("a");
    folder(&swapped, SRV, GROUP, 0o750);
    let own = place.path("own");
    folder(&own, IMPOSTOR, IMPOSTOR, 0o700);
    let a = Impostor::start(IMPOSTOR, &own.join("s.sock"));
    std::fs::rename(own.join("s.sock"), swapped.join("s.sock")).unwrap();
    // (b) A folder the group may write: the impostor put its socket there.
    let open = place.path("b");
    folder(&open, SRV, GROUP, 0o770);
    let b = Impostor::start(IMPOSTOR, &open.join("s.sock"));
    // (c) A whole folder of the impostor's, private and tidy: not the server user's.
    let theirs = place.path("c");
    folder(&theirs, IMPOSTOR, GROUP, 0o750);
    let c = Impostor::start(IMPOSTOR, &theirs.join("s.sock"));

    let cases = [
        (swapped.join("s.sock"), Distrust::ServerNotFolderOwner, "0750"),
        (open.join("s.sock"), Distrust::FolderWritableByOthers, "0770"),
        (theirs.join("s.sock"), Distrust::UnexpectedOwner, "0750"),
    ];
    for (socket, why, folder_mode) in &cases {
        // The library: refused, with what was expected and found.
        let target = Target {
            server_user: Some(SRV.into()),
            ..Target::new(banca::config::canonical_bank_path(&bank), socket.clone())
        };
        match Client::connect(target) {
            Err(ClientError::Untrusted(u)) => {
                assert_eq!(&u.why, why, "{}", socket.display());
                assert!(u.expected.iter().any(|e| e.starts_with(SRV)), "{u:?}");
                assert!(u.server.starts_with(IMPOSTOR), "{u:?}");
            }
            Err(e) => panic!("{}: refused for the wrong reason: {e}", socket.display()),
            Ok(_) => panic!("{}: the client talked to an impostor", socket.display()),
        }
        // An operator's command, a change carrying a child's name: refused, nothing sent.
        let mut cmd = place.banca(&["--socket", socket.to_str().unwrap(), "need", "add"]);
        cmd.args(["--given-name", "Zeno", "--family-name", "Segreto", "--birth-date", "01/02/2020", "--sex", "m"]);
        cmd.args(["--kind", "residenziale", "--comune", "Dalmine", "--service", "S-001"]);
        as_user(&mut cmd, VICTIM);
        let out = run(cmd);
        let said = text(&out);
        assert_eq!(out.status.code(), Some(3), "{said}");
        for word in [
            "Rifiutato il server",
            SRV,
            IMPOSTOR,
            *folder_mode,
            "Non è stato inviato nulla",
            "Avvisare l'amministratore",
        ] {
            assert!(said.contains(word), "the refusal should say {word:?}: {said}");
        }
        let mut cmd = place.banca(&["--lang", "en", "--socket", socket.to_str().unwrap(), "whoami"]);
        as_user(&mut cmd, VICTIM);
        let said = text(&run(cmd));
        assert!(said.contains("Nothing was sent") && said.contains("Tell the administrator"), "{said}");
    }
    for (name, impostor) in [("a", a), ("b", b), ("c", c)] {
        assert_eq!(impostor.received(), 0, "impostor {name} received bytes");
    }
}

// ---------------------------------------------------------------------------
// 3. The server refuses a socket folder others could write, naming the fix
// ---------------------------------------------------------------------------

#[test]
fn serve_refuses_an_unsafe_or_missing_socket_folder_and_names_the_fix() {
    if !root() {
        return;
    }
    let _accounts = Accounts::get();
    let place = Place::new();
    place.config("");
    let bank = place.path("bank");
    folder(&bank, SRV, SRV, 0o700);
    let serve = |socket: &Path, user: Option<&str>, lang: &str| {
        let mut cmd = place.banca(&["--lang", lang, "--db", bank.to_str().unwrap(), "serve", "--create"]);
        cmd.args(["--group", GROUP, "--socket", socket.to_str().unwrap()]);
        if let Some(user) = user {
            as_user(&mut cmd, user);
        }
        let out = run(cmd);
        assert_eq!(out.status.code(), Some(3), "serve should refuse: {}", text(&out));
        text(&out)
    };
    let dir = place.path("run");
    let dir_text = dir.display().to_string();

    // Missing: the command that makes it.
    let said = serve(&dir.join("s.sock"), Some(SRV), "it");
    assert!(said.contains(&format!("install -d -o {SRV} -g {GROUP} -m 0750 {dir_text}")), "{said}");

    // Writable by the group: chmod 0750.
    folder(&dir, SRV, GROUP, 0o770);
    let said = serve(&dir.join("s.sock"), Some(SRV), "it");
    assert!(said.contains(&format!("chmod 0750 {dir_text}")) && said.contains("0770"), "{said}");
    let said = serve(&dir.join("s.sock"), Some(SRV), "en");
    assert!(said.contains("may write the socket folder") && said.contains("chmod 0750"), "{said}");

    // Writable by everyone: refused the same way.
    folder(&dir, SRV, GROUP, 0o757);
    let said = serve(&dir.join("s.sock"), Some(SRV), "it");
    assert!(said.contains(&format!("chmod 0750 {dir_text}")) && said.contains("0757"), "{said}");

    // A symbolic link in the folder's place: remove it, make the folder.
    let elsewhere = place.path("elsewhere");
    folder(&elsewhere, SRV, GROUP, 0o750);
    std::fs::remove_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &dir).unwrap();
    let said = serve(&dir.join("s.sock"), Some(SRV), "it");
    assert!(said.contains("collegamento simbolico") && said.contains(&format!("sudo rm {dir_text}")), "{said}");
    std::fs::remove_file(&dir).unwrap();

    // Another owner: chown.
    folder(&dir, "root", GROUP, 0o750);
    let said = serve(&dir.join("s.sock"), Some(SRV), "it");
    assert!(said.contains(&format!("chown {SRV} {dir_text}")), "{said}");

    // A server without the operators' group: how to start it with the group.
    folder(&dir, SRV, GROUP, 0o750);
    let said = serve(&dir.join("s.sock"), Some(SRV), "it");
    assert!(said.contains(&format!("senza il gruppo {GROUP}")) && said.contains("-g bt_ops"), "{said}");
    assert!(!said.contains("os error"), "{said}");

    // A bank that is not the server user's.
    folder(&dir, "root", GROUP, 0o750);
    let mut cmd =
        place.banca(&["--db", bank.to_str().unwrap(), "serve", "--socket", dir.join("s.sock").to_str().unwrap()]);
    as_user(&mut cmd, IMPOSTOR);
    let said = text(&run(cmd));
    assert!(said.contains(&format!("chown -R {IMPOSTOR}: {}", bank.display())), "{said}");
}

// ---------------------------------------------------------------------------
// 4. The bank and the log are private, whatever the folder was before
// ---------------------------------------------------------------------------

/// Every folder under `root` (itself included) and every file, with its mode.
fn modes(root: &Path) -> Vec<(PathBuf, bool, u32)> {
    let mut all = vec![(root.to_path_buf(), true, mode(root))];
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if std::fs::symlink_metadata(&path).unwrap().is_dir() {
            all.extend(modes(&path));
        } else {
            all.push((path.clone(), false, mode(&path)));
        }
    }
    all
}

fn assert_private(bank: &Path) {
    let all = modes(bank);
    assert!(all.len() > 3, "the bank has files: {all:?}");
    for (path, is_dir, found) in all {
        let want = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(found, want, "{} is {found:04o}, not {want:04o}", path.display());
    }
}

#[test]
fn init_in_an_existing_0755_folder_leaves_the_bank_0700_and_its_files_0600() {
    let place = Place::new();
    place.config("");
    let bank = place.path("bank");
    std::fs::create_dir(&bank).unwrap();
    std::fs::set_permissions(&bank, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = bank.to_str().unwrap();
    succeeds(place.banca(&["--db", db, "init"]), "init");
    succeeds(place.banca(&["--db", db, "stop"]), "stop");
    assert_private(&bank);

    // Loosened by hand afterwards (a copy, a chmod): private again at the next start.
    std::fs::set_permissions(&bank, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(bank.join("conf"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(bank.join("blobs"), std::fs::Permissions::from_mode(0o755)).unwrap();
    succeeds(place.banca(&["--db", db, "whoami"]), "whoami");
    assert_private(&bank);
    succeeds(place.banca(&["--db", db, "stop"]), "stop");

    // An import into a new bank, in a folder made beforehand with 0755: private too.
    let file = place.path("export.jsonl");
    succeeds(place.banca(&["--db", db, "export", file.to_str().unwrap()]), "export");
    succeeds(place.banca(&["--db", db, "stop"]), "stop");
    let restored = place.path("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::set_permissions(&restored, std::fs::Permissions::from_mode(0o755)).unwrap();
    let new = restored.to_str().unwrap();
    succeeds(place.banca(&["--db", new, "import", file.to_str().unwrap()]), "import");
    succeeds(place.banca(&["--db", new, "stop"]), "stop");
    assert_private(&restored);

    // The server's log: its user's only.
    let log = place.path("state").join("banca");
    assert_eq!(mode(&log), 0o700, "log folder");
    assert_eq!(mode(&log.join("server.log")), 0o600, "log file");
}

// ---------------------------------------------------------------------------
// 5. Without systemd: contrib/banca-serve
// ---------------------------------------------------------------------------

/// The peer's pid behind a socket (the server), from the kernel.
fn server_pid(socket: &Path) -> Option<i32> {
    let stream = UnixStream::connect(socket).ok()?;
    nix::sys::socket::getsockopt(&stream, nix::sys::socket::sockopt::PeerCredentials).ok().map(|c| c.pid())
}

#[test]
fn the_no_systemd_script_runs_the_server_as_its_user_for_the_group_and_restarts_it() {
    if !root() {
        return;
    }
    let _accounts = Accounts::get();
    let place = Place::new();
    place.config("");
    let (bank, run_dir, state) = (place.path("bank"), place.path("run"), place.path("log"));
    folder(&bank, SRV, SRV, 0o700);
    let socket = run_dir.join("banca.sock");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib/banca-serve");
    let script_cmd = || {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg(script)
            .arg("--create")
            .env("BANCA_SERVE_BIN", env!("CARGO_BIN_EXE_banca"))
            .env("BANCA_SERVE_USER", SRV)
            .env("BANCA_SERVE_GROUP", GROUP)
            .env("BANCA_SERVE_RUN_DIR", &run_dir)
            .env("BANCA_SERVE_DB", &bank)
            .env("BANCA_SERVE_CONFIG", place.path("config.toml"))
            .env("BANCA_SERVE_STATE_DIR", &state)
            .env("BANCA_SERVE_RESTART_SEC", "1");
        // A process group of its own, so the test can stop the script and its server.
        cmd.process_group(0);
        cmd
    };
    let mut supervisor = place.serve(script_cmd(), &socket);

    // A second copy would fight the first for the bank: it refuses to start.
    let second = script_cmd().stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    assert!(!second.status.success(), "a second banca-serve started");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("another banca-serve is already running"), "{said}");

    // What the administrator would check with `ls -ld`.
    let meta = std::fs::metadata(&run_dir).unwrap();
    assert_eq!((meta.uid(), meta.gid(), mode(&run_dir)), (uid(SRV).as_raw(), gid(GROUP).as_raw(), 0o750));
    let sock = std::fs::symlink_metadata(&socket).unwrap();
    assert_eq!((sock.uid(), sock.gid(), sock.mode() & 0o777), (uid(SRV).as_raw(), gid(GROUP).as_raw(), 0o660));
    assert_eq!(mode(&state.join("banca")), 0o700);
    let pid = server_pid(&socket).expect("a server answers");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let uid_line = status.lines().find(|l| l.starts_with("Uid:")).unwrap().to_string();
    assert!(uid_line.split_whitespace().nth(1) == Some(&uid(SRV).to_string()), "{uid_line}");
    assert!(status.contains("Umask:\t0077"), "the server's umask: {status}");

    // The server's user sets up the bank; an operator of the group uses it.
    let as_banca = |args: &[&str], user: &str| {
        let mut cmd = place.banca(&["--socket", socket.to_str().unwrap(), "--server-user", SRV]);
        cmd.args(["--db", bank.to_str().unwrap()]).args(args);
        as_user(&mut cmd, user);
        cmd
    };
    succeeds(as_banca(&["init"], SRV), "init as the server's user");
    let add = ["operator", "add", "--unix-user", VICTIM, "--name", "Bice Prova", "--role", "lettore"];
    succeeds(as_banca(&add, SRV), "operator add");
    let who = succeeds(as_banca(&["whoami"], VICTIM), "whoami as an operator");
    assert!(who.contains("Bice Prova"), "{who}");

    // Killed: the script starts it again, and the operator goes on.
    kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
    let started = Instant::now();
    loop {
        match server_pid(&socket) {
            Some(again) if again != pid => break,
            _ if started.elapsed() > Duration::from_secs(20) => panic!("not restarted: {}", supervisor.said()),
            _ => thread::sleep(Duration::from_millis(50)),
        }
    }
    let who = succeeds(as_banca(&["whoami"], VICTIM), "whoami after the restart");
    assert!(who.contains("Bice Prova"), "{who}");

    // SIGTERM to the script: the server stops cleanly, the script exits 0.
    kill(Pid::from_raw(supervisor.child.id() as i32), Signal::SIGTERM).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = supervisor.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the script did not stop: {}", supervisor.said());
        thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}: {}", supervisor.said());
    assert!(!socket.exists(), "the server removed its socket: {}", supervisor.said());
}

// ---------------------------------------------------------------------------
// 6. Client messages beside a shared server
// ---------------------------------------------------------------------------

#[test]
fn db_alone_beside_a_configured_system_socket_talks_to_its_own_bank() {
    let place = Place::new();
    let (shared, training, run_dir) = (place.path("shared"), place.path("prova"), place.path("run"));
    let socket = run_dir.join("s.sock");
    place.config(&format!("db = \"{}\"\nsocket = \"{}\"\nspawn = false\n", shared.display(), socket.display()));
    let mut serve = place.banca(&["serve", "--create"]);
    serve.env("XDG_STATE_HOME", place.path("state-shared"));
    let _system = place.serve(serve, &socket);
    succeeds(place.banca(&["init"]), "init of the shared bank");

    let db = training.to_str().unwrap();
    succeeds(place.banca(&["--db", db, "init"]), "init of a training bank beside the shared one");
    succeeds(place.banca(&["--db", db, "service", "add", "--name", "Servizio di Prova"]), "service add");
    let own = succeeds(place.banca(&["--db", db, "service", "list"]), "training list");
    let system = succeeds(place.banca(&["service", "list"]), "shared list");
    succeeds(place.banca(&["--db", db, "stop"]), "stop the training server");
    assert!(own.contains("Servizio di Prova"), "{own}");
    assert!(!system.contains("Servizio di Prova"), "the training bank's service reached the shared bank: {system}");
}

#[test]
fn with_a_system_server_configured_a_down_server_means_tell_the_administrator() {
    let place = Place::new();
    let socket = place.path("run").join("s.sock");
    place.config(&format!(
        "db = \"{}\"\nsocket = \"{}\"\nspawn = false\n",
        place.path("bank").display(),
        socket.display()
    ));
    for (args, a_change) in [(&["whoami"][..], false), (&["service", "add", "--name", "Servizio Nuovo"], true)] {
        let out = run(place.banca(args));
        let said = text(&out);
        assert_eq!(out.status.code(), Some(3), "{said}");
        assert!(said.contains("Il server della banca non è in esecuzione"), "{said}");
        assert!(said.contains("avvisare l'amministratore"), "{said}");
        assert!(!said.contains("banca serve"), "never suggest starting a server: {said}");
        // A change that never left says it was not saved, never "outcome unknown".
        assert_eq!(said.contains("La modifica NON è stata salvata"), a_change, "{said}");
        assert!(!said.contains("non è noto"), "{said}");
    }
    let said = text(&run(place.banca(&["--lang", "en", "whoami"])));
    assert!(said.contains("The bank's server is not running") && said.contains("tell the administrator"), "{said}");
    assert!(!place.path("bank").exists(), "no server was started");
}

#[test]
fn a_change_never_sent_says_it_was_not_saved() {
    let down = ClientError::NoServer { socket: "/run/banca/banca.sock".into(), shared: true };
    let it = banca::i18n::describe_client_error(&down.not_sent(), Lang::It);
    assert!(it.contains("NON è stata salvata") && it.contains("avvisare l'amministratore"), "{it}");
    let en = banca::i18n::describe_client_error(
        &ClientError::NoServer { socket: "/x".into(), shared: true }.not_sent(),
        Lang::En,
    );
    assert!(en.contains("NOT saved") && !en.contains("unknown"), "{en}");
}

// ---------------------------------------------------------------------------
// 7. A stuck server never hangs the client; a listener has no reply timeout
// ---------------------------------------------------------------------------

/// A server of our own (trusted: our uid, our private folder) that greets
/// clients and then does `after_welcome` with the connection.
fn fake_server(after_welcome: impl Fn(UnixStream) + Send + Sync + 'static, greet: bool) -> (TempDir, PathBuf) {
    let dir = tempfile::Builder::new().prefix("bt").tempdir_in("/tmp").unwrap();
    let socket = dir.path().join("s.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    let after_welcome = Arc::new(after_welcome);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let after_welcome = after_welcome.clone();
            thread::spawn(move || {
                let mut stream = stream;
                if greet {
                    let _: Hello = protocol::read_frame(&mut stream, MAX_FRAME).expect("a hello");
                    let welcome = Welcome::Ok { version: protocol::VERSION.into(), user: "tester".into() };
                    protocol::write_frame(&mut stream, &welcome, MAX_SERVER_FRAME).unwrap();
                }
                after_welcome(stream);
            });
        }
    });
    (dir, socket)
}

fn quick(socket: &Path) -> Target {
    Target { reply_timeout: Duration::from_secs(1), ..Target::new("/tmp/bt-none".into(), socket.to_path_buf()) }
}

#[test]
fn a_server_that_never_replies_times_the_client_out_with_a_clear_message() {
    let (_dir, socket) = fake_server(
        |s| {
            thread::sleep(Duration::from_secs(30));
            drop(s);
        },
        true,
    );
    let mut client = Client::connect(quick(&socket)).expect("greeted");
    let started = Instant::now();
    match client.call(Request::Whoami) {
        Err(ClientError::TimedOut { stage: Stage::Reply, write_unknown: false, .. }) => {}
        other => panic!("a read should time out, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let e = ClientError::TimedOut { socket, after: Duration::from_secs(1), stage: Stage::Reply, write_unknown: true };
    let it = banca::i18n::describe_client_error(&e, Lang::It);
    assert!(it.contains("entro 1 s") && it.contains("non è noto se sia stata salvata"), "{it}");
}

#[test]
fn a_server_stuck_before_its_greeting_times_the_handshake_out() {
    // Greets nobody: holds the connection open, never reads nor writes.
    let (_dir, silent) = fake_server(
        |s| {
            thread::sleep(Duration::from_secs(30));
            drop(s);
        },
        false,
    );
    let started = Instant::now();
    match Client::connect(quick(&silent)) {
        Err(ClientError::TimedOut { stage: Stage::Handshake, .. }) => {}
        other => panic!("the handshake should time out, got {:?}", other.map(|_| "connected")),
    }
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(9) && took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_listener_waits_for_events_longer_than_the_reply_timeout() {
    let (_dir, socket) = fake_server(
        |mut s| {
            let _ = protocol::write_frame(&mut s, &ServerMsg::Subscription(Ok(())), MAX_SERVER_FRAME);
            thread::sleep(Duration::from_millis(2500));
            let _ = protocol::write_frame(&mut s, &ServerMsg::Lagged, MAX_SERVER_FRAME);
            thread::sleep(Duration::from_secs(5));
        },
        true,
    );
    let mut client = Client::connect(quick(&socket)).expect("greeted");
    client.subscribe().expect("subscribed");
    let events = client.wait_events().expect("an event after 2.5 s, past the 1 s reply timeout");
    assert_eq!(events.len(), 1);
}
