//! Settings: a TOML file in the XDG config folder (or `BANCA_CONFIG`),
//! with flags and environment variables over it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What the configuration file may say. Every key is optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Folder of the bank.
    pub db: Option<PathBuf>,
    /// `it` or `en`.
    pub lang: Option<String>,
    /// Months after which an unconfirmed availability is stale (default 6).
    pub stale_after_months: Option<u32>,
    /// sled page cache in MiB (default 64).
    pub cache_mb: Option<u64>,
    /// Socket of the server (default: derived from the bank's path).
    pub socket: Option<PathBuf>,
    /// May a client start a server when none answers? (default true; false on a shared server)
    pub spawn: Option<bool>,
    /// Operators' Unix group: the server opens its socket to it.
    pub group: Option<String>,
    /// How long an auto-started server waits after its last client, e.g. "15m".
    pub idle_exit: Option<String>,
    /// Does the interface take the mouse? (default true; false keeps the terminal's own text selection)
    pub mouse: Option<bool>,
    /// Weights and scales of the matching score (`[matching]`, `[matching.weights]`).
    pub matching: Option<crate::matching::MatchingConfig>,
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
        Some(p) => ConfigFile::load(&p)?,
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
            cache_mb: over.cache_mb.or(self.cache_mb),
            socket: over.socket.or(self.socket),
            spawn: over.spawn.or(self.spawn),
            group: over.group.or(self.group),
            idle_exit: over.idle_exit.or(self.idle_exit),
            mouse: over.mouse.or(self.mouse),
            matching: over.matching.or(self.matching),
        }
    }

    /// Reads the file if it exists; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_an_empty_configuration_and_typos_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ConfigFile::load(&dir.path().join("none.toml")).unwrap(), ConfigFile::default());
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "stale_after_months = 3\nlang = \"en\"\n").unwrap();
        let c = ConfigFile::load(&p).unwrap();
        assert_eq!(c.stale_after_months, Some(3));
        std::fs::write(&p, "stale_months = 3\n").unwrap();
        assert!(ConfigFile::load(&p).unwrap_err().to_string().contains("stale_months"));
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

    #[test]
    fn durations_read_as_operators_write_them() {
        assert_eq!(parse_duration("15m"), Some(std::time::Duration::from_secs(900)));
        assert_eq!(parse_duration("90"), Some(std::time::Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Some(std::time::Duration::from_millis(500)));
        assert_eq!(parse_duration("dieci"), None);
    }
}
