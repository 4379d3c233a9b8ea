//! Foster services (servizi affido) and the associations working with the bank.

use serde::{Deserialize, Serialize};

use super::codes::ServiceCode;
use super::fields::Field;
use super::meta::Meta;
use super::problem::Problems;
use super::reception::{ReceptionProfile, Vacancy};
use super::vocabulary::ServiceKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub code: ServiceCode,
    pub details: ServiceInput,
    pub meta: Meta,
    /// A reception service's latest declaration of vacant places (none
    /// yet, or a foster service). Changed only by a declaration, never by
    /// an edit of the details. Absent from exports before version 8.
    #[serde(default)]
    pub vacancy: Option<Vacancy>,
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
    /// Whom to call outside office hours: public directory data, like the
    /// service's phone. Absent from exports before version 6, read as none.
    #[serde(default)]
    pub on_call: Option<OnCall>,
    /// What a reception service is (managing body, licence, comune, ages,
    /// equipment): present exactly when `kind` is a reception kind. Absent
    /// from exports before version 8, read as none.
    #[serde(default)]
    pub reception: Option<ReceptionProfile>,
}

/// A service's on-call contact (reperibilità).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCall {
    pub name: String,
    pub phone: String,
    /// When it answers, in a few words: "lun-ven 17-9, festivi 24h".
    pub hours: String,
}

pub use super::limits::MAX_AMBITS;
use super::limits::{MAX_ADDRESS, MAX_AMBIT_NAME, MAX_NAME, MAX_NOTES, MAX_ON_CALL_HOURS};
use super::problem::Reason;

impl ServiceInput {
    /// Checks the details; `before` is the service as stored (languages
    /// kept as written), `today` dates the licence.
    pub fn validate_at(&self, before: Option<&ServiceInput>, today: time::Date) -> Problems {
        let mut p = self.validate();
        match (&self.reception, self.kind.is_reception()) {
            (Some(r), true) => {
                let stored =
                    before.and_then(|b| b.reception.as_ref()).map(|r| r.languages.as_slice()).unwrap_or_default();
                r.validate(&mut p, stored, today);
            }
            (None, true) => p.push(Field::Reception, Reason::Required),
            (Some(_), false) => p.push(Field::Reception, Reason::NotReception),
            (None, false) => {}
        }
        p
    }

    /// The checks that need neither the stored record nor the day.
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
        if let Some(on_call) = &self.on_call {
            p.require_text(Field::OnCallName, &on_call.name, MAX_NAME);
            if on_call.phone.trim().is_empty() {
                p.push(Field::OnCallPhone, Reason::Required);
            } else {
                p.check_phone(Field::OnCallPhone, &on_call.phone);
            }
            p.limit_text(Field::OnCallHours, &on_call.hours, MAX_ON_CALL_HOURS);
        }
        p
    }
}
