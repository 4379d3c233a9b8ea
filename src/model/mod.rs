//! Domain types of the bank: plain data with validation, no storage.

// First: its `vocabulary!` macro declares the closed vocabularies of the modules below.
#[macro_use]
pub mod vocabulary;

pub mod age;
pub mod ambit;
pub mod birthplace;
pub mod bounds;
pub mod catalogue;
pub mod clock;
pub mod codes;
pub mod comune;
pub mod dates;
pub mod event;
pub mod family;
pub mod fields;
pub mod fiscal_code;
pub mod fold;
pub mod kind;
pub mod lang;
pub mod languages;
pub mod limits;
pub mod meta;
pub mod need;
pub mod operator;
pub mod pathway;
pub mod placement;
pub mod plain;
pub mod problem;
pub mod proposal;
pub mod reception;
pub mod service;

pub use age::AgeRange;
pub use ambit::{Ambit, AmbitInput, District};
pub use bounds::Bounded;
pub use codes::{EventCode, FamilyCode, NeedCode, PlacementCode, ProposalCode, RecordCode, ServiceCode};
pub use comune::{Comune, ComuneCode, Comuni};
pub use event::{EventInput, EventKind, NetworkEvent};
pub use family::{Adult, AvailabilityProfile, Family, FamilyIdentity, FamilyInput, Household};
pub use fields::{Field, FieldRef};
pub use kind::RecordKind;
pub use lang::Lang;
pub use meta::{Context, Meta};
pub use need::{ChildIdentity, Need, NeedInput, OriginContact, PlacementNeed};
pub use operator::{Operator, OperatorInput};
pub use pathway::{
    Assessors, CareConfig, EnquiryInput, EnquirySource, Missing, Pathway, PathwayStep, StepInput, StepKind, StepReason,
    SupportEntry, SupportKind,
};
pub use placement::{
    Closing, CourtReport, Decider, Extension, FosterPlan, Placement, Relationship, Review, ReviewKind,
};
pub use problem::{DateLimit, Problem, Problems, Reason};
pub use proposal::{PlaceTaker, Proposal, ProposalStep, StepCause};
pub use reception::{Equipment, LegalNature, Licence, ManagingBody, ReceptionProfile, Vacancy, VacancyInput};
pub use service::{OnCall, Service, ServiceInput};
pub use vocabulary::*;
