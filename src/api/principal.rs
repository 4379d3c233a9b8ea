//! The caller as the bank knows them: what `access` decides on.

use serde::{Deserialize, Serialize};

use crate::model::{Role, ServiceCode};

/// The caller as the bank knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user: String,
    pub display_name: String,
    pub role: Role,
    pub service: Option<ServiceCode>,
}
