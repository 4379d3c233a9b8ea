//! The weights of the score and the scales of its criteria: defaults here,
//! overridable in the `[matching]` table of the configuration file.

use serde::{Deserialize, Serialize};

/// How much each criterion counts. Only the ratios matter: the score is
/// the weighted share of what the applicable criteria could give, 0–100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Distance between the family and the child's comune.
    pub distance: u16,
    /// Distance from the family of origin (counts only when there are contact visits).
    pub origin_distance: u16,
    /// Same presidio or ambito as the child.
    pub same_area: u16,
    /// A language the child speaks (counts only when both the need and the family name languages).
    pub language: u16,
    /// Earlier placements of the same kind, training completed.
    pub experience: u16,
    /// Time waited since approval or the last placement (fairness).
    pub waiting: u16,
    /// How recently the family confirmed its availability.
    pub freshness: u16,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            distance: 30,
            origin_distance: 15,
            same_area: 10,
            language: 10,
            experience: 15,
            waiting: 10,
            freshness: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchingConfig {
    pub weights: Weights,
    /// Distance (km) at which the distance criteria give nothing.
    pub distance_horizon_km: u16,
    /// Months of waiting that give the whole fairness criterion.
    pub waiting_full_months: u16,
    /// Earlier placements of the same kind that give the whole experience part.
    pub experience_full_placements: u16,
    /// Days after which a reception service's declaration of vacancies is
    /// stale: flagged, and worth no freshness points.
    pub vacancy_stale_days: u16,
}

impl Default for MatchingConfig {
    fn default() -> Self {
        MatchingConfig {
            weights: Weights::default(),
            distance_horizon_km: 60,
            waiting_full_months: 24,
            experience_full_placements: 2,
            vacancy_stale_days: 7,
        }
    }
}

impl MatchingConfig {
    /// What is wrong with a configuration, in the file's own key names.
    pub fn check(&self) -> Result<(), String> {
        let w = &self.weights;
        let all = [w.distance, w.origin_distance, w.same_area, w.language, w.experience, w.waiting, w.freshness];
        if all.iter().all(|w| *w == 0) {
            return Err("matching.weights: at least one weight must be above 0".into());
        }
        if all.iter().any(|w| *w > 1000) {
            return Err("matching.weights: each weight must be between 0 and 1000".into());
        }
        if self.distance_horizon_km == 0 {
            return Err("matching.distance_horizon_km: must be above 0".into());
        }
        if self.waiting_full_months == 0 {
            return Err("matching.waiting_full_months: must be above 0".into());
        }
        if self.experience_full_placements == 0 {
            return Err("matching.experience_full_placements: must be above 0".into());
        }
        if !(1..=365).contains(&self.vacancy_stale_days) {
            return Err("matching.vacancy_stale_days: must be between 1 and 365".into());
        }
        Ok(())
    }
}
