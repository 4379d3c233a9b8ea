//! What made a candidate fit: the facts of its profile that passed the
//! hard rules for this child, for the ranking card.

use std::collections::BTreeSet;

use super::facts::{bit, FamilyFacts, Mask, Unit};
pub use crate::api::Fit;
use crate::model::*;

fn terms<T: Copy + Ord + Into<usize>>(all: &[T], mask: Mask) -> BTreeSet<T> {
    all.iter().copied().filter(|t| mask & bit(*t) != 0).collect()
}

/// The facts of `f`'s profile that made it fit `unit`.
pub fn fit(unit: &Unit, f: &FamilyFacts) -> Fit {
    let mut wanted = bit(unit.kind);
    if unit.emergency {
        wanted |= bit(PlacementKind::Emergency);
    }
    let languages: Vec<String> = if unit.languages.is_empty() {
        f.languages.iter().map(|l| l.to_string()).collect()
    } else {
        unit.languages.iter().filter(|l| f.languages.iter().any(|s| **s == ***l)).cloned().collect()
    };
    Fit {
        ages: f.ages,
        kinds: terms(PlacementKind::ALL, f.kinds & wanted),
        time_slots: terms(TimeSlot::ALL, f.time_slots),
        languages,
        special_needs: terms(SpecialNeed::ALL, f.special_needs & unit.special_needs),
    }
}
