//! The real `banca` binary on a temporary bank, as an operator types it:
//! initialised by the user running the tests (its administrator), with the
//! child's service (S-001, Dalmine, operator anna) and the family's (S-002,
//! Bergamo, operator marco).

use assert_cmd::Command;
use tempfile::TempDir;

pub struct CliBank {
    pub dir: TempDir,
}

/// The server a test's bank started dies with the test: stopped on drop,
/// and told to exit after 20 idle seconds should a test abort first.
impl Drop for CliBank {
    fn drop(&mut self) {
        let _ = self.cmd().arg("stop").output();
    }
}

impl CliBank {
    pub fn new() -> CliBank {
        let bank = CliBank { dir: TempDir::new().unwrap() };
        bank.run(&["init"]).success();
        let dalmine = ["service", "add", "--name", "Servizio Affidi Ambito di Dalmine", "--ambits", "Dalmine"];
        bank.run(&dalmine).success();
        bank.run(&["service", "add", "--name", "Servizio Affidi Ambito di Bergamo", "--phone", "035 000 222"])
            .success();
        bank.run(&["operator", "add", "anna", "--name", "Anna Verdi", "--role", "operatore", "--service", "S-001"])
            .success();
        bank.run(&["operator", "add", "marco", "--name", "Marco Neri", "--role", "operatore", "--service", "S-002"])
            .success();
        bank
    }

    /// The user running the tests hands the administration to a colleague
    /// (`capo`) and works on as an operator of S-001, anna's colleague: an
    /// administrator reads no identity, neither a family's nor a child's.
    pub fn work_as_operator_of_s001(&self) {
        self.run(&["operator", "add", "capo", "--name", "Capo Amministratore", "--role", "amministratore"]).success();
        let me = nix::unistd::User::from_uid(nix::unistd::getuid()).unwrap().unwrap().name;
        self.run(&["operator", "edit", &me, "--role", "operatore", "--service", "S-001"]).success();
    }

    pub fn cmd(&self) -> Command {
        let config = self.dir.path().join("config.toml");
        if !config.exists() {
            std::fs::write(&config, "idle_exit = \"20s\"\n").unwrap();
        }
        let mut c = Command::cargo_bin("banca").unwrap();
        c.env("BANCA_CONFIG", config)
            .env_remove("BANCA_LANG")
            .env_remove("BANCA_DB")
            .env_remove("BANCA_SOCKET")
            .env_remove("NO_COLOR");
        c.arg("--db").arg(self.dir.path().join("bank"));
        c
    }

    pub fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd().args(args).assert()
    }

    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args).success().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    }

    /// Stderr of a command that must fail with `code` (and print nothing on stdout).
    pub fn stderr(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args).code(code).get_output().clone();
        assert!(out.stdout.is_empty(), "{args:?} printed {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8(out.stderr).unwrap()
    }

    /// The code a `… add` printed last ("Salvato: F-2026-0001").
    pub fn saved(&self, args: &[&str]) -> String {
        self.stdout(args).split_whitespace().last().unwrap().to_string()
    }
}
