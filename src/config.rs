//! Settings: a TOML file in the XDG config folder (or `BANCA_CONFIG`),
//! with flags and environment variables over it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What the configuration file may say. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Folder of the bank.
    pub db: Option<PathBuf>,
    /// `it` or `en`.
    pub lang: Option<String>,
    /// Months after which an unconfirmed availability is stale (default 6).
    pub stale_after_months: Option<u32>,
    /// Figures under it are shown "<N" wherever they leave the service
    /// that owns the children (default 3, from 2 to 20).
    pub small_cell: Option<u32>,
    /// sled page cache in MiB (default 4).
    pub cache_mb: Option<u64>,
    /// Free space kept on the bank's disk, in MiB: a write finding less is
    /// refused (default: the larger of 64 MiB and 1 % of the disk, at most 1 GiB).
    pub disk_reserve_mb: Option<u64>,
    /// Socket of the server (default: derived from the bank's path).
    pub socket: Option<PathBuf>,
    /// May a client start a server when none answers? (default true; false on a shared server)
    pub spawn: Option<bool>,
    /// Operators' Unix group: the server opens its socket to it.
    pub group: Option<String>,
    /// The Unix user the shared server runs as (e.g. "banca"): clients talk
    /// only to a server of that user, in a folder of that user's.
    pub server_user: Option<String>,
    /// How long a client waits for a reply before giving up, e.g. "2m" (default 2m).
    pub reply_timeout: Option<String>,
    /// How long an auto-started server waits after its last client, e.g. "15m".
    pub idle_exit: Option<String>,
    /// Does the interface take the mouse? (default true; false keeps the terminal's own text selection)
    pub mouse: Option<bool>,
    /// Weights and scales of the matching score (`[matching]`, `[matching.weights]`).
    pub matching: Option<crate::matching::MatchingConfig>,
    /// When the reminders fall due (`[care]`: idle_weeks, waiting_days,
    /// end_notice_days, revision_months).
    pub care: Option<crate::model::CareConfig>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("it", "banca", "banca")
}

/// The system-wide file of a shared server.
pub const SYSTEM_CONFIG: &str = "/etc/banca/config.toml";

/// The file to read: `BANCA_CONFIG`, else `~/.config/banca/config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BANCA_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The configuration in force: `BANCA_CONFIG` alone if set; else the
/// system file with the user's file over it.
pub fn load_config() -> Result<ConfigFile, ConfigError> {
    if std::env::var_os("BANCA_CONFIG").is_some() {
        return default_config_path().map(|p| ConfigFile::load(&p)).unwrap_or(Ok(ConfigFile::default()));
    }
    let system = ConfigFile::load(Path::new(SYSTEM_CONFIG))?;
    let user = match default_config_path() {
        // `sudo -u banca banca …` may keep the administrator's HOME, whose
        // files the banca user cannot read: a file it cannot read is not its own.
        Some(p) => match ConfigFile::load(&p) {
            Err(ConfigError::Read { source, .. }) if source.kind() == std::io::ErrorKind::PermissionDenied => {
                ConfigFile::default()
            }
            other => other?,
        },
        None => ConfigFile::default(),
    };
    Ok(system.overridden_by(user))
}

/// Where a personal bank lives when nobody says otherwise.
pub fn default_db_path() -> PathBuf {
    project_dirs().map(|d| d.data_dir().join("bank")).unwrap_or_else(|| PathBuf::from("banca-bank"))
}

/// The bank's folder as one absolute path, whether or not it exists yet:
/// the name the server and its clients agree on.
pub fn canonical_bank_path(db: &Path) -> PathBuf {
    if let Ok(p) = db.canonicalize() {
        return p;
    }
    let absolute = if db.is_absolute() {
        db.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(db)).unwrap_or_else(|_| db.to_path_buf())
    };
    match (absolute.parent().and_then(|p| p.canonicalize().ok()), absolute.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => absolute,
    }
}

/// The folder of personal sockets: `$XDG_RUNTIME_DIR/banca`, else `/tmp/banca-$UID`.
pub fn runtime_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d).join("banca"),
        _ => PathBuf::from(format!("/tmp/banca-{}", nix::unistd::getuid())),
    }
}

/// Each bank has its own socket: two banks never share a server.
pub fn default_socket(bank: &Path) -> PathBuf {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bank.as_os_str().as_encoded_bytes());
    runtime_dir().join(format!("{}.sock", &hex::encode(digest)[..16]))
}

/// Which server a command talks to, as decided from the flags and the
/// configuration (see `Addressing::resolve`).
#[derive(Debug, Clone, PartialEq)]
pub struct Addressing {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// May the client start a server when none answers?
    pub spawn: bool,
    /// Operators' group of the server (a shared server).
    pub group: Option<String>,
    /// The user the server must run as; `None`: the caller itself.
    pub server_user: Option<String>,
    /// A system server is configured: when it is down only the administrator can help.
    pub shared: bool,
}

/// What the command line said, for `Addressing::resolve`.
#[derive(Debug, Clone, Default)]
pub struct AddressFlags {
    /// `--db` or `BANCA_DB`.
    pub db: Option<PathBuf>,
    /// `--socket` or `BANCA_SOCKET`.
    pub socket: Option<PathBuf>,
    pub no_spawn: bool,
    /// `--server-user` or `BANCA_SERVER_USER`.
    pub server_user: Option<String>,
}

impl Addressing {
    /// `--db` alone (no socket named) addresses that bank's own server, with
    /// the socket derived from its path: a personal or training bank works
    /// beside the shared one even when the system file sets `socket`. The
    /// configured server (socket, group, server user, spawn) applies to the
    /// configured bank. `caller` is the Unix user running the command.
    pub fn resolve(flags: &AddressFlags, config: &ConfigFile, caller: &str) -> Addressing {
        let db = flags.db.clone().or(config.db.clone()).unwrap_or_else(default_db_path);
        let configured_bank = config.db.as_deref().map(canonical_bank_path);
        let own_bank = flags.socket.is_none()
            && flags.db.is_some()
            && configured_bank.as_deref() != Some(canonical_bank_path(&db).as_path());
        if own_bank {
            return Addressing {
                socket: default_socket(&canonical_bank_path(&db)),
                db,
                spawn: !flags.no_spawn,
                group: None,
                server_user: flags.server_user.clone(),
                shared: false,
            };
        }
        let server_user = flags.server_user.clone().or(config.server_user.clone());
        let shared = config.spawn == Some(false) || config.server_user.is_some();
        // A client never starts a server that it would then refuse to trust.
        let spawn_ok = server_user.as_deref().is_none_or(|u| u == caller);
        Addressing {
            socket: flags
                .socket
                .clone()
                .or(config.socket.clone())
                .unwrap_or_else(|| default_socket(&canonical_bank_path(&db))),
            db,
            spawn: !flags.no_spawn && config.spawn.unwrap_or(true) && spawn_ok,
            group: config.group.clone(),
            server_user,
            shared,
        }
    }
}

/// "15m", "90s", "2h", "500ms" or plain seconds.
pub fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => return Some(std::time::Duration::from_millis(n)),
        "m" | "min" => n * 60,
        "h" => n * 3600,
        _ => return None,
    };
    Some(std::time::Duration::from_secs(secs))
}

impl ConfigFile {
    /// Every key `over` sets wins.
    pub fn overridden_by(self, over: ConfigFile) -> ConfigFile {
        ConfigFile {
            db: over.db.or(self.db),
            lang: over.lang.or(self.lang),
            stale_after_months: over.stale_after_months.or(self.stale_after_months),
            small_cell: over.small_cell.or(self.small_cell),
            cache_mb: over.cache_mb.or(self.cache_mb),
            disk_reserve_mb: over.disk_reserve_mb.or(self.disk_reserve_mb),
            socket: over.socket.or(self.socket),
            spawn: over.spawn.or(self.spawn),
            group: over.group.or(self.group),
            server_user: over.server_user.or(self.server_user),
            reply_timeout: over.reply_timeout.or(self.reply_timeout),
            idle_exit: over.idle_exit.or(self.idle_exit),
            mouse: over.mouse.or(self.mouse),
            matching: over.matching.or(self.matching),
            care: over.care.or(self.care),
        }
    }

    /// Reads the file if it exists; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let parse = |message: String| ConfigError::Parse { path: path.to_path_buf(), message };
                let file: ConfigFile = toml::from_str(&text).map_err(|e| parse(e.to_string()))?;
                // One stale boundary for flag and score: a profile is stale
                // from N months on, N at least 1 (0 would flag every profile).
                if let Some(m) = file.stale_after_months.filter(|m| !(1..=120).contains(m)) {
                    return Err(parse(format!("stale_after_months = {m}: must be between 1 and 120")));
                }
                // 1 would hide nothing; over 20 would hide most of a small province.
                if let Some(n) = file.small_cell.filter(|n| !(2..=20).contains(n)) {
                    return Err(parse(format!("small_cell = {n}: must be between 2 and 20")));
                }
                if let Some(care) = &file.care {
                    care.check().map_err(parse)?;
                }
                Ok(file)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }
}

/// Where the server and the interface write their logs: the XDG state folder.
pub fn log_dir() -> PathBuf {
    directories::ProjectDirs::from("it", "banca", "banca")
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .unwrap_or_else(runtime_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_an_empty_configuration_and_typos_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ConfigFile::load(&dir.path().join("none.toml")).unwrap(), ConfigFile::default());
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "stale_after_months = 0\n").unwrap();
        let refused = ConfigFile::load(&p).unwrap_err().to_string();
        assert!(refused.contains("stale_after_months = 0: must be between 1 and 120"), "{refused}");
        std::fs::write(&p, "small_cell = 1\n").unwrap();
        let refused = ConfigFile::load(&p).unwrap_err().to_string();
        assert!(refused.contains("small_cell = 1: must be between 2 and 20"), "{refused}");
        std::fs::write(&p, "stale_after_months = 3\nlang = \"en\"\n").unwrap();
        let c = ConfigFile::load(&p).unwrap();
        assert_eq!(c.stale_after_months, Some(3));
        std::fs::write(&p, "stale_months = 3\n").unwrap();
        assert!(ConfigFile::load(&p).unwrap_err().to_string().contains("stale_months"));
    }

    #[test]
    fn the_reminders_thresholds_are_read_from_care_with_defaults_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "[care]\nidle_weeks = 4\nrevision_months = 36\n").unwrap();
        let care = ConfigFile::load(&p).unwrap().care.expect("a [care] table");
        assert_eq!((care.idle_weeks, care.waiting_days, care.end_notice_days, care.revision_months), (4, 90, 60, 36));
        std::fs::write(&p, "[care]\nwaiting_days = 0\n").unwrap();
        let refused = ConfigFile::load(&p).unwrap_err().to_string();
        assert!(refused.contains("care.waiting_days = 0: must be between 1 and 730"), "{refused}");
        std::fs::write(&p, "[care]\nidle_week = 4\n").unwrap();
        assert!(ConfigFile::load(&p).unwrap_err().to_string().contains("idle_week"));
    }

    #[test]
    fn the_users_file_wins_over_the_system_file_key_by_key() {
        let system = ConfigFile { spawn: Some(false), lang: Some("it".into()), ..ConfigFile::default() };
        let user = ConfigFile { lang: Some("en".into()), ..ConfigFile::default() };
        let merged = system.overridden_by(user);
        assert_eq!(merged.spawn, Some(false));
        assert_eq!(merged.lang.as_deref(), Some("en"));
    }

    #[test]
    fn matching_weights_are_read_from_their_table_with_defaults_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "[matching]\ndistance_horizon_km = 40\n[matching.weights]\ndistance = 50\nlanguage = 0\n")
            .unwrap();
        let m = ConfigFile::load(&p).unwrap().matching.expect("a [matching] table");
        assert_eq!(m.distance_horizon_km, 40);
        assert_eq!((m.weights.distance, m.weights.language), (50, 0));
        assert_eq!(m.weights.experience, crate::matching::Weights::default().experience);
        assert_eq!(m.waiting_full_months, crate::matching::MatchingConfig::default().waiting_full_months);
        std::fs::write(&p, "[matching.weights]\ndistanza = 50\n").unwrap();
        assert!(ConfigFile::load(&p).unwrap_err().to_string().contains("distanza"), "a typo is named");
        std::fs::write(&p, "[matching.weights]\ndistance = 0\norigin_distance = 0\nsame_area = 0\nlanguage = 0\nexperience = 0\nwaiting = 0\nfreshness = 0\n").unwrap();
        let all_zero = ConfigFile::load(&p).unwrap().matching.expect("table");
        assert!(all_zero.check().unwrap_err().contains("matching.weights"));
    }

    fn system_file() -> ConfigFile {
        ConfigFile {
            db: Some("/var/lib/banca/bank".into()),
            socket: Some("/run/banca/banca.sock".into()),
            spawn: Some(false),
            group: Some("banca-operatori".into()),
            server_user: Some("banca".into()),
            ..ConfigFile::default()
        }
    }

    #[test]
    fn the_system_file_addresses_the_shared_server_and_never_starts_one() {
        let a = Addressing::resolve(&AddressFlags::default(), &system_file(), "mrossi");
        assert_eq!(a.socket, PathBuf::from("/run/banca/banca.sock"));
        assert_eq!(a.server_user.as_deref(), Some("banca"));
        assert!(a.shared && !a.spawn);
        // The same bank named with --db is still the shared one.
        let same = AddressFlags { db: Some("/var/lib/banca/bank".into()), ..AddressFlags::default() };
        assert_eq!(Addressing::resolve(&same, &system_file(), "mrossi"), a);
    }

    #[test]
    fn db_alone_addresses_that_banks_own_server_beside_the_shared_one() {
        let dir = tempfile::tempdir().unwrap();
        let training = dir.path().join("prova");
        let flags = AddressFlags { db: Some(training.clone()), ..AddressFlags::default() };
        let a = Addressing::resolve(&flags, &system_file(), "mrossi");
        assert_eq!(a.socket, default_socket(&canonical_bank_path(&training)));
        assert_eq!((a.spawn, a.shared, a.group, a.server_user), (true, false, None, None));
        // With a socket named, the configured server's rules stay.
        let named = AddressFlags { socket: Some("/tmp/x/s.sock".into()), ..flags };
        let b = Addressing::resolve(&named, &system_file(), "mrossi");
        assert_eq!((b.socket, b.server_user.as_deref(), b.shared), ("/tmp/x/s.sock".into(), Some("banca"), true));
    }

    #[test]
    fn only_the_server_user_may_start_the_server_it_would_trust() {
        let file = ConfigFile { server_user: Some("banca".into()), ..ConfigFile::default() };
        assert!(!Addressing::resolve(&AddressFlags::default(), &file, "mrossi").spawn);
        assert!(Addressing::resolve(&AddressFlags::default(), &file, "banca").spawn);
        assert!(Addressing::resolve(&AddressFlags::default(), &ConfigFile::default(), "mrossi").spawn);
    }

    #[test]
    fn durations_read_as_operators_write_them() {
        assert_eq!(parse_duration("15m"), Some(std::time::Duration::from_secs(900)));
        assert_eq!(parse_duration("90"), Some(std::time::Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Some(std::time::Duration::from_millis(500)));
        assert_eq!(parse_duration("dieci"), None);
    }
}
