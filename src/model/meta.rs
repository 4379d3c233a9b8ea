//! Who created and last changed a record, and when.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::comune::Comuni;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl Meta {
    pub fn new(at: OffsetDateTime, by: &str) -> Meta {
        Meta { created_at: at, created_by: by.to_string(), updated_at: at, updated_by: by.to_string() }
    }

    pub fn touched(&self, at: OffsetDateTime, by: &str) -> Meta {
        Meta { updated_at: at, updated_by: by.to_string(), ..self.clone() }
    }
}

/// What intrinsic validation needs to know of the world.
pub struct Context<'a> {
    pub today: Date,
    pub comuni: &'a Comuni,
}
