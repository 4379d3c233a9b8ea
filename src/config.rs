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

/// The file to read: `BANCA_CONFIG`, else `~/.config/banca/config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BANCA_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Where a personal bank lives when nobody says otherwise.
pub fn default_db_path() -> PathBuf {
    project_dirs().map(|d| d.data_dir().join("bank")).unwrap_or_else(|| PathBuf::from("banca-bank"))
}

impl ConfigFile {
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
}
