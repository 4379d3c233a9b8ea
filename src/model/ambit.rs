//! Ambiti territoriali and their presidi (districts).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use super::comune::{normalize, ComuneCode};
use super::fields::Field;
use super::meta::{Context, Meta};
use super::problem::{Problems, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ambit {
    pub details: AmbitInput,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbitInput {
    pub name: String,
    pub comuni: Vec<ComuneCode>,
    pub districts: Vec<District>,
}

/// A presidio: a group of the ambit's comuni with its own team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub name: String,
    pub comuni: Vec<ComuneCode>,
}

pub use super::limits::{MAX_AMBIT_COMUNI, MAX_AMBIT_NAME, MAX_DISTRICTS};

impl AmbitInput {
    /// The key ambiti are stored and found under: the normalised name.
    pub fn key(&self) -> String {
        normalize(&self.name)
    }

    pub fn district_of(&self, comune: ComuneCode) -> Option<&District> {
        self.districts.iter().find(|d| d.comuni.contains(&comune))
    }

    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        p.require_text(Field::Name, &self.name, MAX_AMBIT_NAME);
        p.limit_count(Field::Districts, self.districts.len(), MAX_DISTRICTS);
        if self.comuni.is_empty() {
            p.push(Field::Comuni, Reason::Required);
        }
        p.limit_count(Field::Comuni, self.comuni.len(), MAX_AMBIT_COMUNI);
        let mut seen = BTreeSet::new();
        for c in self.comuni.iter().take(MAX_AMBIT_COMUNI) {
            if cx.comuni.get(*c).is_none() {
                p.push(Field::Comuni, Reason::UnknownComune { code: c.to_string() });
            }
            if !seen.insert(*c) {
                p.push(Field::Comuni, Reason::Duplicate { value: c.to_string() });
            }
        }
        let mut in_district = BTreeSet::new();
        for (i, d) in self.districts.iter().enumerate().take(MAX_DISTRICTS) {
            p.require_text(Field::DistrictName.at(i), &d.name, MAX_AMBIT_NAME);
            p.limit_count(Field::DistrictComuni.at(i), d.comuni.len(), MAX_AMBIT_COMUNI);
            for c in d.comuni.iter().take(MAX_AMBIT_COMUNI) {
                if !seen.contains(c) {
                    p.push(Field::DistrictComuni.at(i), Reason::ComuneNotInAmbit { comune: c.to_string() });
                }
                if !in_district.insert(*c) {
                    p.push(Field::DistrictComuni.at(i), Reason::ComuneInTwoDistricts { comune: c.to_string() });
                }
            }
        }
        p
    }
}
