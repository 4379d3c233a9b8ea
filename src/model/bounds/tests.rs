//! Records with every text and list at its limit, in the widest characters,
//! still encode under the codec's body limit and are within bounds; one
//! item or character more is refused, naming the field and the limit.

use std::collections::BTreeSet;

use time::macros::{date, datetime};

use super::*;
use crate::model::*;
use crate::store::codec;

/// `n` characters of four bytes each: the most a limit of `n` lets through.
fn wide(n: usize) -> String {
    "𝄞".repeat(n)
}

fn meta() -> Meta {
    Meta::new(datetime!(2026-03-01 10:00 UTC), &wide(MAX_USER))
}

fn fullest_family() -> Family {
    Family {
        code: FamilyCode::new(2026, 1),
        service: ServiceCode(1),
        referent: wide(MAX_USER),
        identity: FamilyIdentity {
            adults: vec![Adult { name: wide(MAX_NAME), birth_year: 1980 }; MAX_ADULTS],
            address: wide(MAX_ADDRESS),
            phone: wide(MAX_PHONE),
            email: wide(MAX_EMAIL),
        },
        profile: AvailabilityProfile {
            comune: ComuneCode::from_u32(16091),
            household: Household {
                adults: 10,
                children_birth_years: vec![2010; MAX_CHILDREN],
                pets: wide(MAX_PETS),
                spare_rooms: 20,
            },
            kinds: PlacementKind::ALL.iter().copied().collect(),
            ages: AgeRange::ANY,
            sex_preference: SexPreference::Any,
            max_children: 10,
            siblings_accepted: true,
            special_needs_accepted: SpecialNeed::ALL.iter().copied().collect(),
            languages: vec![wide(MAX_LANGUAGE); MAX_LANGUAGES],
            time_slots: TimeSlot::ALL.iter().copied().collect(),
            max_distance_km: Some(1500),
            training_completed_on: Some(date!(2020 - 01 - 01)),
            status: FamilyStatus::Approved,
            approved_on: Some(date!(2020 - 01 - 01)),
            review_on: Some(date!(2027 - 01 - 01)),
            confirmed_on: Some(date!(2026 - 01 - 01)),
            notes: wide(MAX_NOTES),
            available_from: Some(date!(2026 - 01 - 01)),
            available_until: Some(date!(2027 - 01 - 01)),
        },
        meta: meta(),
        pathway: Pathway {
            source: Some(EnquirySource::Other),
            source_note: wide(MAX_NAME),
            assessors: Assessors { social_worker: wide(MAX_NAME), psychologist: wide(MAX_NAME) },
            availability_known: true,
            steps: vec![
                PathwayStep {
                    kind: StepKind::Withdrawal,
                    date: date!(2026 - 01 - 01),
                    by: wide(MAX_NAME),
                    note: wide(MAX_STEP_TEXT),
                    reason: Some(StepReason::Other),
                    event: Some(EventCode::new(2026, 1)),
                    recorded_by: wide(MAX_USER),
                };
                MAX_PATHWAY_STEPS
            ],
        },
        support: vec![
            SupportEntry {
                kind: SupportKind::Group,
                date: date!(2026 - 01 - 01),
                note: wide(MAX_STEP_TEXT),
                event: Some(EventCode::new(2026, 1)),
                recorded_by: wide(MAX_USER),
            };
            MAX_SUPPORT_ENTRIES
        ],
    }
}

fn fullest_need() -> Need {
    Need {
        code: NeedCode::new(2026, 1),
        service: ServiceCode(1),
        referent: wide(MAX_USER),
        identity: ChildIdentity {
            given_name: wide(MAX_CHILD_NAME),
            family_name: wide(MAX_CHILD_NAME),
            birth_date: date!(2015 - 05 - 03),
            fiscal_code: Some(wide(MAX_FISCAL_CODE)),
            address: wide(MAX_ADDRESS),
        },
        placement: PlacementNeed {
            sex: Sex::Female,
            siblings: (2..2 + MAX_SIBLINGS as u32).map(|n| NeedCode::new(2026, n)).collect(),
            kind: PlacementKind::Residential,
            legal: LegalBasis::Judicial { court: wide(MAX_COURT), decree: wide(MAX_DECREE) },
            urgency: Urgency::Emergency { needed_by: date!(2026 - 04 - 01) },
            desired_start: Some(date!(2026 - 04 - 01)),
            duration_months: Some(24),
            special_needs: BTreeSet::new(),
            languages: vec![wide(MAX_LANGUAGE); MAX_LANGUAGES],
            cultural_notes: wide(MAX_CULTURAL_NOTES),
            comune: ComuneCode::from_u32(16091),
            origin_comune: None,
            contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: true },
            school_comune: None,
            status: NeedStatus::Open,
            closing_reason: None,
            notes: wide(MAX_NOTES),
            time_slots: TimeSlot::ALL.iter().copied().collect(),
        },
        meta: meta(),
    }
}

fn fullest_placement() -> Placement {
    let review =
        Review { date: date!(2026 - 02 - 01), note: wide(MAX_PLAN_TEXT), by: wide(MAX_USER), kind: ReviewKind::Formal };
    let contact = Review {
        date: date!(2026 - 02 - 01),
        note: wide(MAX_CONTACT_NOTE),
        by: wide(MAX_USER),
        kind: ReviewKind::Contact,
    };
    Placement {
        code: PlacementCode::new(2026, 1),
        proposal: ProposalCode::new(2026, 1),
        needs: (1..=MAX_PLACED_TOGETHER as u32).map(|n| NeedCode::new(2026, n)).collect(),
        family: Some(FamilyCode::new(2026, 1)),
        need_service: ServiceCode(1),
        family_service: ServiceCode(2),
        kind: PlacementKind::Residential,
        plan: FosterPlan {
            start: date!(2020 - 01 - 01),
            expected_end: Some(date!(2045 - 01 - 01)),
            duration_months: Some(300),
            contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: false },
            contact_notes: wide(MAX_PLAN_TEXT),
            review_dates: vec![date!(2030 - 01 - 01); MAX_REVIEW_DATES],
            commitments: wide(MAX_PLAN_TEXT),
            relationship: Some(Relationship::NonKin),
        },
        reviews: [vec![review; MAX_REVIEWS], vec![contact; MAX_CONTACT_NOTES]].concat(),
        closing: Some(Closing {
            date: date!(2026 - 02 - 01),
            outcome: PlacementOutcome::ALL[0],
            note: wide(MAX_PLAN_TEXT),
            by: wide(MAX_USER),
        }),
        meta: meta(),
        extensions: vec![
            Extension {
                decided_on: date!(2026 - 01 - 01),
                until: date!(2045 - 01 - 01),
                decided_by: Decider::Court,
                note: wide(MAX_FOLLOW_UP_NOTE),
                by: wide(MAX_USER),
            };
            MAX_EXTENSIONS
        ],
        court_reports: vec![
            CourtReport {
                due_on: date!(2030 - 01 - 01),
                sent_on: Some(date!(2026 - 01 - 01)),
                note: wide(MAX_FOLLOW_UP_NOTE),
                by: wide(MAX_USER),
            };
            MAX_COURT_REPORTS
        ],
    }
}

fn fullest_proposal() -> Proposal {
    let step = ProposalStep {
        status: ProposalStatus::Proposed,
        at: datetime!(2026-03-01 10:00 UTC),
        by: wide(MAX_USER),
        note: wide(MAX_STEP_NOTE),
        cause: Some(StepCause::NeedClosed { need: NeedCode::new(2026, 1), reason: Some(ClosingReason::OtherSolution) }),
    };
    Proposal {
        code: ProposalCode::new(2026, 1),
        needs: (1..=MAX_PLACED_TOGETHER as u32).map(|n| NeedCode::new(2026, n)).collect(),
        family: Some(FamilyCode::new(2026, 1)),
        need_service: ServiceCode(1),
        family_service: ServiceCode(2),
        status: ProposalStatus::Proposed,
        steps: vec![step; MAX_PROPOSAL_STEPS],
        placement: None,
        score: Some(90),
        meta: meta(),
    }
}

fn fullest_service() -> Service {
    Service {
        code: ServiceCode(1),
        details: ServiceInput {
            name: wide(MAX_NAME),
            kind: ServiceKind::Ambit,
            ambits: vec![wide(MAX_AMBIT_NAME); MAX_AMBITS],
            address: wide(MAX_ADDRESS),
            phone: wide(MAX_PHONE),
            email: wide(MAX_EMAIL),
            notes: wide(MAX_NOTES),
            active: true,
            on_call: Some(OnCall { name: wide(MAX_NAME), phone: wide(MAX_PHONE), hours: wide(MAX_ON_CALL_HOURS) }),
            reception: Some(ReceptionProfile {
                managing_body: ManagingBody { name: wide(MAX_NAME), nature: LegalNature::Religious },
                licence: Licence {
                    number: wide(MAX_LICENCE_TEXT),
                    date: Some(date!(2020 - 01 - 01)),
                    authority: wide(MAX_LICENCE_TEXT),
                    places: MAX_LICENSED_PLACES,
                },
                comune: ComuneCode::from_u32(16024),
                referent: wide(MAX_NAME),
                ages: AgeRange::ANY,
                sex: SexPreference::Any,
                equipment: Equipment::ALL.iter().copied().collect(),
                languages: vec![wide(MAX_LANGUAGE); MAX_LANGUAGES],
            }),
        },
        meta: meta(),
        vacancy: Some(Vacancy {
            places: MAX_LICENSED_PLACES,
            declared_on: date!(2026 - 01 - 01),
            by: wide(MAX_USER),
            note: wide(MAX_VACANCY_NOTE),
        }),
    }
}

fn fullest_ambit() -> Ambit {
    let comuni: Vec<ComuneCode> = (0..MAX_AMBIT_COMUNI as u32).map(|n| ComuneCode::from_u32(999_000 + n)).collect();
    let per_district = MAX_AMBIT_COMUNI / MAX_DISTRICTS;
    Ambit {
        details: AmbitInput {
            name: wide(MAX_AMBIT_NAME),
            districts: comuni
                .chunks(per_district)
                .map(|c| District { name: wide(MAX_AMBIT_NAME), comuni: c.to_vec() })
                .collect(),
            comuni,
        },
        meta: meta(),
    }
}

fn fullest_operator() -> Operator {
    Operator {
        user: wide(MAX_USER),
        details: OperatorInput { display_name: wide(MAX_NAME), role: Role::Operator, service: None, active: true },
        meta: meta(),
    }
}

/// Encodes and decodes back: what the store does before committing.
fn round_trips<T: codec::Versioned + PartialEq + std::fmt::Debug>(record: &T) -> usize {
    let bytes = codec::encode(1, record).expect("a record within bounds encodes");
    let (_, back) = codec::decode::<T>(&bytes).expect("and decodes again");
    assert_eq!(&back, record);
    bytes.len()
}

#[test]
fn records_at_every_limit_are_within_bounds_and_fit_the_codec() {
    let sizes = [
        ("family", fullest_family().bounds(), round_trips(&fullest_family())),
        ("need", fullest_need().bounds(), round_trips(&fullest_need())),
        ("placement", fullest_placement().bounds(), round_trips(&fullest_placement())),
        ("proposal", fullest_proposal().bounds(), round_trips(&fullest_proposal())),
        ("service", fullest_service().bounds(), round_trips(&fullest_service())),
        ("ambit", fullest_ambit().bounds(), round_trips(&fullest_ambit())),
        ("operator", fullest_operator().bounds(), round_trips(&fullest_operator())),
    ];
    for (what, problems, bytes) in sizes {
        assert!(problems.is_empty(), "{what}: {problems:?}");
        // The codec reads bodies up to 1 MiB: keep a margin for growth.
        assert!(bytes < 900 * 1024, "{what} at its limits takes {bytes} bytes");
    }
}

/// The one problem named by its path on the wire.
fn problem(path: &str, reason: Reason) -> Vec<Problem> {
    vec![Problem::new(FieldRef::parse(path).expect(path), reason)]
}

#[test]
fn one_more_item_or_character_is_refused_by_field_and_limit() {
    let mut f = fullest_family();
    f.identity.adults.push(f.identity.adults[0].clone());
    assert_eq!(f.bounds().into_vec(), problem("identity.adults", Reason::TooMany { max: MAX_ADULTS }));
    let mut f = fullest_family();
    f.identity.email.push('x');
    assert_eq!(f.bounds().into_vec(), problem("identity.email", Reason::TooLong { max: MAX_EMAIL }));
    let mut f = fullest_family();
    f.profile.household.children_birth_years.push(2010);
    assert_eq!(
        f.bounds().into_vec(),
        problem("profile.household.children_birth_years", Reason::TooMany { max: MAX_CHILDREN })
    );
    let mut f = fullest_family();
    f.profile.approved_on = Some(date!(1899 - 12 - 31));
    assert_eq!(
        f.bounds().into_vec(),
        problem(
            "profile.approved_on",
            Reason::DateOutOfRange { earliest: DateLimit::On(EARLIEST), latest: DateLimit::On(date!(2051 - 03 - 01)) }
        )
    );

    let mut n = fullest_need();
    n.placement.languages.push("arabo".into());
    assert_eq!(n.bounds().into_vec(), problem("placement.languages", Reason::TooMany { max: MAX_LANGUAGES }));
    let mut n = fullest_need();
    n.identity.given_name.push('x');
    assert_eq!(n.bounds().into_vec(), problem("identity.given_name", Reason::TooLong { max: MAX_CHILD_NAME }));

    let mut x = fullest_placement();
    x.reviews.push(x.reviews[0].clone());
    assert_eq!(x.bounds().into_vec(), problem("reviews", Reason::TooMany { max: MAX_REVIEWS }));
    let mut x = fullest_placement();
    x.needs.push(NeedCode::new(2026, 99));
    assert_eq!(x.bounds().into_vec(), problem("needs", Reason::TooMany { max: MAX_PLACED_TOGETHER }));

    let mut x = fullest_proposal();
    x.steps.push(x.steps[0].clone());
    assert_eq!(x.bounds().into_vec(), problem("steps", Reason::TooMany { max: MAX_PROPOSAL_STEPS }));
    let mut x = fullest_proposal();
    x.steps[0].note.push('x');
    assert_eq!(x.bounds().into_vec(), problem("steps[0].note", Reason::TooLong { max: MAX_STEP_NOTE }));

    let mut s = fullest_service();
    s.details.ambits.push("x".into());
    assert_eq!(s.bounds().into_vec(), problem("ambits", Reason::TooMany { max: MAX_AMBITS }));
    let mut a = fullest_ambit();
    a.details.comuni.push(ComuneCode::from_u32(16091));
    assert_eq!(a.bounds().into_vec(), problem("comuni", Reason::TooMany { max: MAX_AMBIT_COMUNI }));
    let mut o = fullest_operator();
    o.details.display_name.push('x');
    assert_eq!(o.bounds().into_vec(), problem("display_name", Reason::TooLong { max: MAX_NAME }));
}

#[test]
fn the_bricking_family_is_out_of_bounds() {
    // The record: 8 200 adults and a 130 000-character e-mail.
    let mut f = fullest_family();
    f.identity.adults = vec![Adult { name: "Anna Rossi".into(), birth_year: 1980 }; 8200];
    f.identity.email = format!("{}@example.org", "a".repeat(130_000));
    assert_eq!(
        f.bounds().into_vec(),
        vec![
            Problem::new(Field::Adults, Reason::TooMany { max: MAX_ADULTS }),
            Problem::new(Field::IdentityEmail, Reason::TooLong { max: MAX_EMAIL }),
        ]
    );
}

/// Every part of a record an audit entry can name as changed reads in
/// words: each is a field of the table (`model::fields`).
#[test]
fn every_part_an_edit_can_change_has_a_name() {
    use serde_json::Value;
    /// The record with every value changed, as deep as the audit's diff looks.
    fn other(v: &Value, depth: usize) -> Value {
        match v {
            Value::Object(m) if depth < 2 => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), other(v, depth + 1))).collect())
            }
            _ => Value::String("≠".into()),
        }
    }
    let changed = |record: Value| crate::store::audit::changed_fields(&record, &other(&record, 0));
    fn json<T: serde::Serialize>(record: &T) -> Value {
        serde_json::to_value(record).unwrap()
    }
    let records: Vec<(&str, Value)> = vec![
        ("family", json(&fullest_family())),
        ("need", json(&fullest_need())),
        ("placement", json(&fullest_placement())),
        ("proposal", json(&fullest_proposal())),
        ("service", json(&fullest_service().details)),
        ("ambit", json(&fullest_ambit().details)),
        ("operator", json(&fullest_operator().details)),
    ];
    let mut nameless = Vec::new();
    for (kind, record) in records {
        for path in changed(record) {
            if FieldRef::parse(&path).is_none() {
                nameless.push(format!("{kind}: {path}"));
            }
        }
    }
    assert!(nameless.is_empty(), "parts with no name: {nameless:#?}");
}
