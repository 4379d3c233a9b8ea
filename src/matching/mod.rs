//! Matching needs to families: hard rules first, then a score from 0 to
//! 100 explained one criterion per line. The same engine answers both
//! ways: families for a need, needs for a family. Pure functions over the
//! in-memory [`MatchIndex`]; the bank decides who may ask and shows what.

mod config;
mod facts;
mod fit;
mod index;
mod reception;
mod rules;
mod score;

pub use config::{MatchingConfig, Weights};
pub use facts::{
    counts_school, mask_of, Areas, FamilyFacts, Languages, Load, Member, NeedFacts, Point, Unit, INFANT_UNDER_MONTHS,
    URGENT_WITHIN_DAYS,
};
pub use fit::{fit, Fit};
pub use index::{Host, MatchIndex, Place, RankedFamily, RankedNeed, RankedService, Ranking, Tally};
pub use reception::{check_service, is_stale, judge_service, score_service, ServiceFacts};
pub use rules::{check, check_kind, deci_km, judge, judge_except, offered_slots, Exclusion, HardRule, Judgement};
pub use score::{score, score_value, Criterion, CriterionKind, Fact, Scale, Scored};
