//! Domain types of the bank: plain data with validation, no storage.

pub mod age;
pub mod ambit;
pub mod birthplace;
pub mod bounds;
pub mod codes;
pub mod comune;
pub mod dates;
pub mod family;
pub mod fiscal_code;
pub mod limits;
pub mod meta;
pub mod need;
pub mod operator;
pub mod placement;
pub mod plain;
pub mod problem;
pub mod proposal;
pub mod service;
pub mod vocabulary;

pub use age::AgeRange;
pub use ambit::{Ambit, AmbitInput, District};
pub use bounds::Bounded;
pub use codes::{FamilyCode, NeedCode, PlacementCode, ProposalCode, RecordCode, ServiceCode};
pub use comune::{Comune, ComuneCode, Comuni};
pub use family::{Adult, AvailabilityProfile, Family, FamilyIdentity, FamilyInput, Household};
pub use meta::{Context, Meta};
pub use need::{ChildIdentity, Need, NeedInput, OriginContact, PlacementNeed};
pub use operator::{Operator, OperatorInput};
pub use placement::{Closing, FosterPlan, Placement, Review};
pub use problem::{DateLimit, Problem, Problems, Reason};
pub use proposal::{Proposal, ProposalStep};
pub use service::{Service, ServiceInput};
pub use vocabulary::*;
