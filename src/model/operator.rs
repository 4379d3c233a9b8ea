//! Operators: Unix users known to the bank, with a role and a service.

use serde::{Deserialize, Serialize};

use super::codes::ServiceCode;
use super::fields::Field;
use super::meta::Meta;
use super::problem::{Problems, Reason};
use super::vocabulary::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub user: String,
    pub details: OperatorInput,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorInput {
    pub display_name: String,
    pub role: Role,
    pub service: Option<ServiceCode>,
    pub active: bool,
}

pub use super::limits::MAX_USER;

/// A Unix user name as `useradd` accepts it.
pub fn is_valid_user_name(user: &str) -> bool {
    let mut chars = user.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && user.len() <= MAX_USER
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
}

/// An operator's name as shown to colleagues.
pub const MAX_DISPLAY_NAME: usize = super::limits::MAX_NAME;

impl OperatorInput {
    pub fn validate(&self, user: &str) -> Problems {
        let mut p = Problems::new();
        if !is_valid_user_name(user) {
            p.push(Field::User, Reason::InvalidUserName);
        }
        p.require_text(Field::DisplayName, &self.display_name, MAX_DISPLAY_NAME);
        match (self.role, self.service) {
            (Role::Operator | Role::Reception, None) => {
                p.push(Field::Service, Reason::RequiredWhen { condition: format!("role={}", self.role.token()) })
            }
            (Role::Admin | Role::Coordinator, Some(_)) => {
                p.push(Field::Service, Reason::NotExpected { condition: format!("role={}", self.role.token()) })
            }
            _ => {}
        }
        p
    }
}
