//! Foster services (servizi affido) and the associations working with the bank.

use serde::{Deserialize, Serialize};

use super::codes::ServiceCode;
use super::fields::Field;
use super::meta::Meta;
use super::problem::Problems;
use super::vocabulary::ServiceKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub code: ServiceCode,
    pub details: ServiceInput,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub name: String,
    pub kind: ServiceKind,
    /// Names of the ambiti covered.
    pub ambits: Vec<String>,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
    pub active: bool,
}

pub use super::limits::MAX_AMBITS;
use super::limits::{MAX_ADDRESS, MAX_AMBIT_NAME, MAX_NAME, MAX_NOTES};

impl ServiceInput {
    pub fn validate(&self) -> Problems {
        let mut p = Problems::new();
        p.require_text(Field::Name, &self.name, MAX_NAME);
        p.limit_count(Field::Ambits, self.ambits.len(), MAX_AMBITS);
        for (i, a) in self.ambits.iter().enumerate().take(MAX_AMBITS) {
            p.require_text(Field::Ambits.at(i), a, MAX_AMBIT_NAME);
        }
        p.limit_text(Field::Address, &self.address, MAX_ADDRESS);
        p.check_phone(Field::Phone, &self.phone);
        p.check_email(Field::Email, &self.email);
        p.limit_text(Field::Notes, &self.notes, MAX_NOTES);
        p
    }
}
