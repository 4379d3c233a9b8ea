//! The storage format: every record kind comes back from disk exactly as it
//! was written, decoding refuses anything that is not exactly one record,
//! and the bytes of format version 1 are frozen.
//!
//! A FAILING GOLDEN TEST MEANS THE STORAGE FORMAT CHANGED. Banks already on
//! disk hold the old bytes and would no longer open. Freeze the old struct
//! as `V1` and add `V2` (with its `upgrade`) in `store::codec`, then add
//! golden files for V2 next to the V1 ones. Never re-bless the v1 files
//! (BANCA_BLESS=1) silently to make this test pass.
//!
//! `BANCA_BLESS=1 cargo test --test codec` (re)writes tests/golden/*.v1.bin.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::PathBuf;

use banca::model::*;
use banca::store::audit::{AuditAction, AuditEntry, HashVersion};
use banca::store::codec::{decode, encode, revision_of, CodecError, ENVELOPE_TAG};
use banca::store::Versioned;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime, UtcOffset};

// ---------------------------------------------------------------- strategies

/// Any text an operator could paste: Italian, any script, emoji, controls.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z àèéìòùÀÈÉÌÒÙ'’.-]{0,24}", "\\PC{0,16}", any::<String>(),]
}

/// Dates from 1900 to 2100.
fn date() -> impl Strategy<Value = Date> {
    (2_415_021i32..=2_488_434).prop_map(|jd| Date::from_julian_day(jd).expect("in range"))
}

/// Instants from 1900 to 2100, to the nanosecond, in any offset.
fn datetime() -> impl Strategy<Value = OffsetDateTime> {
    (-2_208_988_800i64..4_102_444_800, 0u32..1_000_000_000, -86_399i32..=86_399).prop_map(|(s, ns, off)| {
        OffsetDateTime::from_unix_timestamp(s)
            .expect("in range")
            .replace_nanosecond(ns)
            .expect("valid nanosecond")
            .to_offset(UtcOffset::from_whole_seconds(off).expect("valid offset"))
    })
}

fn comune() -> impl Strategy<Value = ComuneCode> {
    (0u32..=999_999).prop_map(ComuneCode::from_u32)
}

fn service_code() -> impl Strategy<Value = ServiceCode> {
    any::<u32>().prop_map(ServiceCode)
}

fn family_code() -> impl Strategy<Value = FamilyCode> {
    (any::<u16>(), any::<u32>()).prop_map(|(y, n)| FamilyCode::new(y, n))
}

fn need_code() -> impl Strategy<Value = NeedCode> {
    (any::<u16>(), any::<u32>()).prop_map(|(y, n)| NeedCode::new(y, n))
}

fn pick<T: Clone + Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(all)
}

fn set<T: Ord + Clone + Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = BTreeSet<T>> {
    prop::sample::subsequence(all, 0..=all.len()).prop_map(|v| v.into_iter().collect())
}

fn meta() -> impl Strategy<Value = Meta> {
    (datetime(), text(), datetime(), text()).prop_map(|(created_at, created_by, updated_at, updated_by)| Meta {
        created_at,
        created_by,
        updated_at,
        updated_by,
    })
}

fn family_identity() -> impl Strategy<Value = FamilyIdentity> {
    (
        vec((text(), any::<u16>()).prop_map(|(name, birth_year)| Adult { name, birth_year }), 0..4),
        text(),
        text(),
        text(),
    )
        .prop_map(|(adults, address, phone, email)| FamilyIdentity { adults, address, phone, email })
}

fn household() -> impl Strategy<Value = Household> {
    (any::<u8>(), vec(any::<u16>(), 0..4), text(), any::<u8>()).prop_map(
        |(adults, children_birth_years, pets, spare_rooms)| Household {
            adults,
            children_birth_years,
            pets,
            spare_rooms,
        },
    )
}

fn profile() -> impl Strategy<Value = AvailabilityProfile> {
    let a = (
        comune(),
        household(),
        set(PlacementKind::ALL),
        (any::<u16>(), any::<u16>()).prop_map(|(min_months, max_months)| AgeRange { min_months, max_months }),
        pick(SexPreference::ALL),
        any::<u8>(),
        any::<bool>(),
        set(SpecialNeed::ALL),
        vec(text(), 0..3),
        set(TimeSlot::ALL),
    );
    let b = (
        option::of(any::<u16>()),
        option::of(date()),
        pick(FamilyStatus::ALL),
        option::of(date()),
        option::of(date()),
        option::of(date()),
        text(),
        (option::of(date()), option::of(date())),
    );
    (a, b).prop_map(
        |(
            (
                comune,
                household,
                kinds,
                ages,
                sex_preference,
                max_children,
                siblings_accepted,
                special_needs_accepted,
                languages,
                time_slots,
            ),
            (
                max_distance_km,
                training_completed_on,
                status,
                approved_on,
                review_on,
                confirmed_on,
                notes,
                (available_from, available_until),
            ),
        )| AvailabilityProfile {
            comune,
            household,
            kinds,
            ages,
            sex_preference,
            max_children,
            siblings_accepted,
            special_needs_accepted,
            languages,
            time_slots,
            max_distance_km,
            training_completed_on,
            status,
            approved_on,
            review_on,
            confirmed_on,
            notes,
            available_from,
            available_until,
        },
    )
}

fn family() -> impl Strategy<Value = Family> {
    (family_code(), service_code(), text(), family_identity(), profile(), meta()).prop_map(
        |(code, service, referent, identity, profile, meta)| Family {
            code,
            service,
            referent,
            identity,
            profile,
            meta,
            pathway: Pathway::before_pathways(),
            support: vec![],
        },
    )
}

fn legal() -> impl Strategy<Value = LegalBasis> {
    prop_oneof![
        Just(LegalBasis::Consensual),
        (text(), text()).prop_map(|(court, decree)| LegalBasis::Judicial { court, decree }),
        date().prop_map(|ordered_on| LegalBasis::Art403 { ordered_on }),
    ]
}

fn urgency() -> impl Strategy<Value = Urgency> {
    prop_oneof![Just(Urgency::Ordinary), date().prop_map(|needed_by| Urgency::Emergency { needed_by })]
}

fn child_identity() -> impl Strategy<Value = ChildIdentity> {
    (text(), text(), date(), option::of(text()), text()).prop_map(
        |(given_name, family_name, birth_date, fiscal_code, address)| ChildIdentity {
            given_name,
            family_name,
            birth_date,
            fiscal_code,
            address,
        },
    )
}

fn placement() -> impl Strategy<Value = PlacementNeed> {
    let a = (
        pick(Sex::ALL),
        vec(need_code(), 0..4),
        pick(PlacementKind::ALL),
        legal(),
        urgency(),
        option::of(date()),
        option::of(any::<u16>()),
        set(SpecialNeed::ALL),
        vec(text(), 0..3),
        text(),
    );
    let b = (
        comune(),
        option::of(comune()),
        (pick(ContactFrequency::ALL), any::<bool>())
            .prop_map(|(frequency, supervised)| OriginContact { frequency, supervised }),
        option::of(comune()),
        pick(NeedStatus::ALL),
        option::of(pick(ClosingReason::ALL)),
        text(),
        set(TimeSlot::ALL),
    );
    (a, b).prop_map(
        |(
            (
                sex,
                siblings,
                kind,
                legal,
                urgency,
                desired_start,
                duration_months,
                special_needs,
                languages,
                cultural_notes,
            ),
            (comune, origin_comune, contact, school_comune, status, closing_reason, notes, time_slots),
        )| PlacementNeed {
            sex,
            siblings,
            kind,
            legal,
            urgency,
            desired_start,
            duration_months,
            special_needs,
            languages,
            cultural_notes,
            comune,
            origin_comune,
            contact,
            school_comune,
            status,
            closing_reason,
            notes,
            time_slots,
        },
    )
}

fn need() -> impl Strategy<Value = Need> {
    (need_code(), service_code(), text(), child_identity(), placement(), meta()).prop_map(
        |(code, service, referent, identity, placement, meta)| Need {
            code,
            service,
            referent,
            identity,
            placement,
            meta,
        },
    )
}

fn service() -> impl Strategy<Value = Service> {
    let on_call = option::of((text(), text(), text()).prop_map(|(name, phone, hours)| OnCall { name, phone, hours }));
    let details =
        (text(), pick(ServiceKind::ALL), vec(text(), 0..3), text(), text(), text(), text(), any::<bool>(), on_call)
            .prop_map(|(name, kind, ambits, address, phone, email, notes, active, on_call)| ServiceInput {
                name,
                kind,
                ambits,
                address,
                phone,
                email,
                notes,
                active,
                on_call,
                reception: None,
            });
    let reception = option::of(
        (text(), pick(LegalNature::ALL), text(), option::of(date()), text(), any::<u16>(), text(), vec(text(), 0..3))
            .prop_map(|(body, nature, number, date, authority, places, referent, languages)| ReceptionProfile {
                managing_body: ManagingBody { name: body, nature },
                licence: Licence { number, date, authority, places },
                comune: ComuneCode::from_u32(16024),
                referent,
                ages: AgeRange::ANY,
                sex: SexPreference::Female,
                equipment: BTreeSet::from([Equipment::Psychiatric]),
                languages,
            }),
    );
    let vacancy =
        option::of((any::<u16>(), date(), text(), text()).prop_map(|(places, declared_on, by, note)| Vacancy {
            places,
            declared_on,
            by,
            note,
        }));
    (service_code(), details, reception, vacancy, meta()).prop_map(|(code, mut details, reception, vacancy, meta)| {
        details.reception = reception;
        Service { code, details, meta, vacancy }
    })
}

fn operator() -> impl Strategy<Value = Operator> {
    let details = (text(), pick(Role::ALL), option::of(service_code()), any::<bool>())
        .prop_map(|(display_name, role, service, active)| OperatorInput { display_name, role, service, active });
    (text(), details, meta()).prop_map(|(user, details, meta)| Operator { user, details, meta })
}

fn ambit() -> impl Strategy<Value = Ambit> {
    let district = (text(), vec(comune(), 0..4)).prop_map(|(name, comuni)| District { name, comuni });
    let details = (text(), vec(comune(), 0..6), vec(district, 0..3)).prop_map(|(name, comuni, districts)| AmbitInput {
        name,
        comuni,
        districts,
    });
    (details, meta()).prop_map(|(details, meta)| Ambit { details, meta })
}

fn step_cause() -> impl Strategy<Value = StepCause> {
    let code = || (any::<u16>(), any::<u32>());
    prop_oneof![
        (need_code(), option::of(pick(ClosingReason::ALL)))
            .prop_map(|(need, reason)| StepCause::NeedClosed { need, reason }),
        (code(), code()).prop_map(|((py, pn), (ay, an))| StepCause::PlacedElsewhere {
            proposal: ProposalCode::new(py, pn),
            placement: PlacementCode::new(ay, an),
        }),
        (family_code(), any::<bool>(), code()).prop_map(|(family, placed, (y, n))| StepCause::NoPlaceLeft {
            family,
            by: if placed {
                PlaceTaker::Placement(PlacementCode::new(y, n))
            } else {
                PlaceTaker::Proposal(ProposalCode::new(y, n))
            },
        }),
    ]
}

fn proposal_step() -> impl Strategy<Value = ProposalStep> {
    (pick(ProposalStatus::ALL), datetime(), text(), text(), option::of(step_cause()))
        .prop_map(|(status, at, by, note, cause)| ProposalStep { status, at, by, note, cause })
}

fn proposal() -> impl Strategy<Value = Proposal> {
    let a = (
        (any::<u16>(), any::<u32>()).prop_map(|(y, n)| ProposalCode::new(y, n)),
        vec(need_code(), 1..4),
        family_code(),
        service_code(),
        service_code(),
    );
    let b = (
        pick(ProposalStatus::ALL),
        vec(proposal_step(), 0..4),
        option::of((any::<u16>(), any::<u32>()).prop_map(|(y, n)| PlacementCode::new(y, n))),
        option::of(any::<u8>()),
        meta(),
    );
    (a, b).prop_map(|((code, needs, family, need_service, family_service), (status, steps, placement, score, meta))| {
        Proposal {
            code,
            needs,
            family: Some(family),
            need_service,
            family_service,
            status,
            steps,
            placement,
            score,
            meta,
        }
    })
}

fn foster_plan() -> impl Strategy<Value = FosterPlan> {
    (
        date(),
        option::of(date()),
        option::of(any::<u16>()),
        (pick(ContactFrequency::ALL), any::<bool>())
            .prop_map(|(frequency, supervised)| OriginContact { frequency, supervised }),
        text(),
        vec(date(), 0..4),
        text(),
    )
        .prop_map(|(start, expected_end, duration_months, contact, contact_notes, review_dates, commitments)| {
            FosterPlan {
                start,
                expected_end,
                duration_months,
                contact,
                contact_notes,
                review_dates,
                commitments,
                relationship: None,
            }
        })
}

fn placement_record() -> impl Strategy<Value = Placement> {
    let review =
        (date(), text(), text()).prop_map(|(date, note, by)| Review { date, note, by, kind: ReviewKind::Formal });
    let closing = (date(), pick(PlacementOutcome::ALL), text(), text()).prop_map(|(date, outcome, note, by)| Closing {
        date,
        outcome,
        note,
        by,
    });
    let a = (
        (any::<u16>(), any::<u32>()).prop_map(|(y, n)| PlacementCode::new(y, n)),
        (any::<u16>(), any::<u32>()).prop_map(|(y, n)| ProposalCode::new(y, n)),
        vec(need_code(), 1..4),
        family_code(),
        service_code(),
        service_code(),
    );
    let b = (pick(PlacementKind::ALL), foster_plan(), vec(review, 0..3), option::of(closing), meta());
    (a, b).prop_map(
        |((code, proposal, needs, family, need_service, family_service), (kind, plan, reviews, closing, meta))| {
            Placement {
                code,
                proposal,
                needs,
                family: Some(family).filter(|f| f.number % 2 == 0),
                need_service,
                family_service,
                kind,
                plan,
                reviews,
                closing,
                meta,
                extensions: vec![],
                court_reports: vec![],
            }
        },
    )
}

const ACTIONS: &[AuditAction] =
    &[AuditAction::Init, AuditAction::Create, AuditAction::Update, AuditAction::ReadIdentity, AuditAction::Export];

fn audit_entry() -> impl Strategy<Value = AuditEntry> {
    (
        any::<u64>(),
        datetime(),
        text(),
        pick(ACTIONS),
        text(),
        vec(text(), 0..4),
        prop::array::uniform32(any::<u8>()),
        prop::array::uniform32(any::<u8>()),
        pick(&[HashVersion::Bincode, HashVersion::Canonical1]),
    )
        .prop_map(|(seq, at, actor, action, record, fields, prev_hash, hash, hash_version)| AuditEntry {
            seq,
            at,
            actor,
            action,
            record,
            fields,
            prev_hash,
            hash,
            hash_version,
        })
}

// ---------------------------------------------------------------- round trip

/// `decode(encode(rev, x)) == (rev, x)`, and re-encoding gives the same bytes
/// (so nothing the `==` of a type ignores, such as a UTC offset, is lost).
fn round_trips<T: Versioned + PartialEq + Clone + Debug>(rev: u64, x: &T) -> Result<(), TestCaseError> {
    let bytes = encode(rev, x).expect("encodes");
    prop_assert_eq!(bytes[0], ENVELOPE_TAG);
    prop_assert_eq!(revision_of(&bytes), Ok(rev));
    let back = decode::<T>(&bytes);
    prop_assert_eq!(&back, &Ok((rev, x.clone())));
    let (_, back) = back.unwrap();
    prop_assert_eq!(encode(rev, &back).expect("encodes"), bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_family_comes_back_from_storage_unchanged(rev in any::<u64>(), x in family()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_need_comes_back_from_storage_unchanged(rev in any::<u64>(), x in need()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_service_comes_back_from_storage_unchanged(rev in any::<u64>(), x in service()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_operator_comes_back_from_storage_unchanged(rev in any::<u64>(), x in operator()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_ambit_comes_back_from_storage_unchanged(rev in any::<u64>(), x in ambit()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_audit_entry_comes_back_from_storage_unchanged(rev in any::<u64>(), x in audit_entry()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_proposal_comes_back_from_storage_unchanged(rev in any::<u64>(), x in proposal()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn any_placement_comes_back_from_storage_unchanged(rev in any::<u64>(), x in placement_record()) {
        round_trips(rev, &x)?;
    }

    #[test]
    fn bytes_after_a_stored_need_are_refused_not_ignored(
        x in need(),
        extra in vec(any::<u8>(), 1..16),
    ) {
        let mut bytes = encode(3, &x).expect("encodes");
        bytes.extend_from_slice(&extra);
        prop_assert_eq!(decode::<Need>(&bytes), Err(CodecError::TrailingBytes(extra.len())));
    }

    #[test]
    fn a_stored_family_cut_anywhere_is_refused(x in family(), cut in any::<prop::sample::Index>()) {
        let bytes = encode(1, &x).expect("encodes");
        let len = cut.index(bytes.len());
        prop_assert!(decode::<Family>(&bytes[..len]).is_err(), "a prefix of {} bytes out of {} decoded", len, bytes.len());
    }
}

// ---------------------------------------------------------------- strictness

#[test]
fn a_record_with_bytes_after_it_is_refused_for_every_kind() {
    fn check<T: Versioned + Debug + PartialEq>(x: &T) {
        let mut bytes = encode(7, x).expect("encodes");
        bytes.push(0);
        assert_eq!(decode::<T>(&bytes), Err(CodecError::TrailingBytes(1)));
        bytes.extend_from_slice(b"xy");
        assert_eq!(decode::<T>(&bytes), Err(CodecError::TrailingBytes(3)));
    }
    check(&sample_family());
    check(&sample_need());
    check(&sample_service());
    check(&sample_operator());
    check(&sample_ambit());
    check(&sample_audit());
    check(&sample_proposal());
    check(&sample_placement());
}

#[test]
fn every_truncation_of_a_record_is_an_error_never_a_shorter_record() {
    fn check<T: Versioned + Debug + PartialEq>(x: &T) {
        let bytes = encode(2, x).expect("encodes");
        for len in 0..bytes.len() {
            let got = decode::<T>(&bytes[..len]);
            assert!(got.is_err(), "{len} of {} bytes decoded as {got:?}", bytes.len());
            if len < 9 {
                assert_eq!(got, Err(CodecError::Truncated(len)), "shorter than the envelope header");
            } else {
                assert!(matches!(got, Err(CodecError::Body(_))), "{len} bytes: {got:?}");
            }
        }
    }
    check(&sample_family());
    check(&sample_need());
    check(&sample_service());
    check(&sample_operator());
    check(&sample_ambit());
    check(&sample_audit());
    check(&sample_proposal());
    check(&sample_placement());
}

#[test]
fn an_unknown_envelope_tag_is_refused_by_name() {
    let bytes = encode(1, &sample_family()).expect("encodes");
    for tag in (0..=255u8).filter(|t| *t != ENVELOPE_TAG) {
        let mut b = bytes.clone();
        b[0] = tag;
        assert_eq!(decode::<Family>(&b), Err(CodecError::UnknownTag(tag)));
        assert_eq!(revision_of(&b), Err(CodecError::UnknownTag(tag)));
    }
}

#[test]
fn a_record_version_this_banca_does_not_know_is_refused_not_misread() {
    // The body starts with the version variant (V1 = 0, V2 = 1).
    let mut bytes = encode(1, &sample_need()).expect("encodes");
    assert_eq!(bytes[9], 1, "a need is written as V2, variant 1");
    bytes[9] = 2;
    assert!(matches!(decode::<Need>(&bytes), Err(CodecError::Body(_))));
    let mut bytes = encode(1, &sample_operator()).expect("encodes");
    assert_eq!(bytes[9], 0, "an operator is still V1, variant 0");
    bytes[9] = 1;
    assert!(matches!(decode::<Operator>(&bytes), Err(CodecError::Body(_))));
}

#[test]
fn the_revision_is_readable_without_decoding_the_record() {
    let mut bytes = encode(0x0102_0304_0506_0708, &sample_operator()).expect("encodes");
    assert_eq!(&bytes[1..9], &[1, 2, 3, 4, 5, 6, 7, 8], "big-endian revision after the tag");
    bytes.truncate(9);
    assert_eq!(revision_of(&bytes), Ok(0x0102_0304_0506_0708));
    assert!(decode::<Operator>(&bytes).is_err());
}

#[test]
fn a_record_of_another_kind_does_not_decode_as_a_family() {
    let bytes = encode(1, &sample_service()).expect("encodes");
    assert!(decode::<Family>(&bytes).is_err());
}

// ---------------------------------------------------------------- golden bytes

const T0: OffsetDateTime = datetime!(2026-01-12 09:30:15.25 +01:00);
const T1: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

fn sample_meta() -> Meta {
    Meta { created_at: T0, created_by: "anna".into(), updated_at: T1, updated_by: "bruno".into() }
}

fn sample_family() -> Family {
    Family {
        code: FamilyCode::new(2026, 42),
        service: ServiceCode(3),
        referent: "anna".into(),
        identity: FamilyIdentity {
            adults: vec![
                Adult { name: "Giulia Esempiò".into(), birth_year: 1985 },
                Adult { name: "Zoë Prova-Müller".into(), birth_year: 1979 },
            ],
            address: "Via delle Prove 12, int. 3".into(),
            phone: "+39 035 123 4567".into(),
            email: "famiglia.esempio@example.org".into(),
        },
        profile: AvailabilityProfile {
            comune: ComuneCode::from_u32(16091),
            household: Household {
                adults: 2,
                children_birth_years: vec![2012, 2016],
                pets: "un cane 🐕".into(),
                spare_rooms: 1,
            },
            kinds: BTreeSet::from([PlacementKind::Residential, PlacementKind::Emergency, PlacementKind::YoungAdult]),
            ages: AgeRange { min_months: 6, max_months: 131 },
            sex_preference: SexPreference::Female,
            max_children: 2,
            siblings_accepted: true,
            special_needs_accepted: BTreeSet::from([SpecialNeed::Trauma, SpecialNeed::Infant]),
            languages: vec!["italiano".into(), "arabo".into(), "українська".into()],
            time_slots: BTreeSet::from([TimeSlot::FullTime, TimeSlot::OnCall]),
            max_distance_km: Some(40),
            training_completed_on: Some(date!(2025 - 06 - 30)),
            status: FamilyStatus::Approved,
            approved_on: Some(date!(2025 - 09 - 01)),
            review_on: Some(date!(2027 - 09 - 01)),
            confirmed_on: None,
            notes: "Disponibili anche d'estate.\nNiente fumo.".into(),
            available_from: None,
            available_until: None,
        },
        meta: sample_meta(),
        // As every family stored before pathways reads.
        pathway: Pathway::before_pathways(),
        support: vec![],
    }
}

fn sample_need() -> Need {
    Need {
        code: NeedCode::new(2026, 17),
        service: ServiceCode(1),
        referent: "bruno".into(),
        identity: ChildIdentity {
            given_name: "Niccolò".into(),
            family_name: "Esempio D'Prova".into(),
            birth_date: date!(2019 - 05 - 15),
            fiscal_code: Some("SMPNCC19E15D245X".into()),
            address: "Via delle Prove 3".into(),
        },
        placement: PlacementNeed {
            sex: Sex::Male,
            siblings: vec![NeedCode::new(2026, 16), NeedCode::new(2025, 12345)],
            kind: PlacementKind::Emergency,
            legal: LegalBasis::Judicial {
                court: "Tribunale per i minorenni di Brescia".into(),
                decree: "V.G. 123/2026".into(),
            },
            urgency: Urgency::Emergency { needed_by: date!(2026 - 11 - 30) },
            desired_start: Some(date!(2026 - 11 - 25)),
            duration_months: None,
            special_needs: BTreeSet::from([SpecialNeed::Behavioural]),
            languages: vec!["italiano".into(), "tigrino".into()],
            cultural_notes: "Alimentazione senza carne di maiale.".into(),
            comune: ComuneCode::from_u32(16091),
            origin_comune: Some(ComuneCode::from_u32(16024)),
            contact: OriginContact { frequency: ContactFrequency::Fortnightly, supervised: true },
            school_comune: None,
            status: NeedStatus::Closed,
            closing_reason: Some(ClosingReason::PlacementStarted),
            notes: String::new(),
            time_slots: BTreeSet::new(),
        },
        meta: sample_meta(),
    }
}

fn sample_service() -> Service {
    Service {
        code: ServiceCode(2),
        details: ServiceInput {
            name: "Servizio Affidi Ambito di Bergamo".into(),
            kind: ServiceKind::InterDistrict,
            ambits: vec!["Bergamo".into(), "Dalmine".into()],
            address: "Piazza delle Prove 1".into(),
            phone: "035 000 0001".into(),
            email: "affidi@esempio.example".into(),
            notes: "Aperto lun–ven".into(),
            active: false,
            on_call: None,
            reception: None,
        },
        meta: sample_meta(),
        vacancy: None,
    }
}

fn sample_operator() -> Operator {
    Operator {
        user: "dario.l".into(),
        details: OperatorInput {
            display_name: "Dario Lettore".into(),
            role: Role::Reader,
            service: Some(ServiceCode(1)),
            active: true,
        },
        meta: sample_meta(),
    }
}

fn sample_ambit() -> Ambit {
    Ambit {
        details: AmbitInput {
            name: "Dalmine".into(),
            comuni: vec![ComuneCode::from_u32(16091), ComuneCode::from_u32(16207), ComuneCode::from_u32(16220)],
            districts: vec![
                District {
                    name: "Dalmine".into(),
                    comuni: vec![ComuneCode::from_u32(16091), ComuneCode::from_u32(16220)],
                },
                District { name: "Zanica".into(), comuni: vec![ComuneCode::from_u32(16207)] },
            ],
        },
        meta: sample_meta(),
    }
}

fn sample_audit() -> AuditEntry {
    AuditEntry::chained(
        Some((41, [7u8; 32])),
        T1,
        "anna",
        AuditAction::Update,
        "F-2026-0042",
        vec!["identity.phone".into(), "profile.status".into()],
    )
}

fn sample_proposal() -> Proposal {
    Proposal {
        code: ProposalCode::new(2026, 7),
        needs: vec![NeedCode::new(2026, 16), NeedCode::new(2026, 17)],
        family: Some(FamilyCode::new(2026, 42)),
        need_service: ServiceCode(1),
        family_service: ServiceCode(3),
        status: ProposalStatus::Started,
        steps: vec![
            ProposalStep {
                status: ProposalStatus::Proposed,
                at: T0,
                by: "bruno".into(),
                note: "Proposta dopo l'équipe del martedì.".into(),
                cause: None,
            },
            ProposalStep {
                status: ProposalStatus::UnderReview,
                at: T0 + time::Duration::days(2),
                by: "anna".into(),
                note: String::new(),
                cause: None,
            },
            ProposalStep {
                status: ProposalStatus::Accepted,
                at: T1 - time::Duration::days(1),
                by: "anna".into(),
                note: "La famiglia è disponibile 👍".into(),
                cause: None,
            },
            ProposalStep {
                status: ProposalStatus::Started,
                at: T1,
                by: "bruno".into(),
                note: "A-2026-0003".into(),
                cause: None,
            },
        ],
        placement: Some(PlacementCode::new(2026, 3)),
        score: Some(87),
        meta: sample_meta(),
    }
}

fn sample_placement() -> Placement {
    Placement {
        code: PlacementCode::new(2026, 3),
        proposal: ProposalCode::new(2026, 7),
        needs: vec![NeedCode::new(2026, 16), NeedCode::new(2026, 17)],
        family: Some(FamilyCode::new(2026, 42)),
        need_service: ServiceCode(1),
        family_service: ServiceCode(3),
        kind: PlacementKind::Residential,
        plan: FosterPlan {
            start: date!(2026 - 02 - 01),
            expected_end: Some(date!(2028 - 01 - 31)),
            duration_months: Some(24),
            contact: OriginContact { frequency: ContactFrequency::Fortnightly, supervised: true },
            contact_notes: "Incontri in spazio neutro, sabato mattina.".into(),
            review_dates: vec![date!(2026 - 08 - 01), date!(2027 - 02 - 01)],
            commitments: "La famiglia accompagna a scuola; il servizio garantisce il sostegno educativo.".into(),
            // As every placement stored before format version 2 reads.
            relationship: None,
        },
        reviews: vec![Review {
            date: date!(2026 - 08 - 03),
            note: "Inserimento positivo, buona frequenza scolastica.".into(),
            by: "bruno".into(),
            kind: ReviewKind::Formal,
        }],
        closing: Some(Closing {
            date: date!(2026 - 11 - 20),
            outcome: PlacementOutcome::ReturnHome,
            note: "Rientro graduale concordato con il tribunale.".into(),
            by: "bruno".into(),
        }),
        meta: sample_meta(),
        extensions: vec![],
        court_reports: vec![],
    }
}

/// A kinship placement with a contact note, an extension by the court and
/// two court reports, one sent.
fn sample_placement_v2() -> Placement {
    let mut p = sample_placement();
    p.plan.relationship = Some(Relationship::Kinship);
    p.reviews.push(Review {
        date: date!(2026 - 09 - 10),
        note: "Telefonata con la zia: tutto bene.".into(),
        by: "anna".into(),
        kind: ReviewKind::Contact,
    });
    p.extensions.push(Extension {
        decided_on: date!(2027 - 12 - 15),
        until: date!(2029 - 01 - 31),
        decided_by: Decider::Court,
        note: "Decreto TM Brescia n. 123/2027".into(),
        by: "anna".into(),
    });
    p.court_reports = vec![
        CourtReport {
            due_on: date!(2026 - 08 - 01),
            sent_on: Some(date!(2026 - 07 - 28)),
            note: "PEC".into(),
            by: "anna".into(),
        },
        CourtReport { due_on: date!(2027 - 02 - 01), sent_on: None, note: String::new(), by: "anna".into() },
    ];
    p
}

/// A family met at an information evening, trained, assessed and approved,
/// with two entries in its support log.
fn sample_family_v3() -> Family {
    let mut f = sample_family_v2();
    let step = |kind, date, reason, event: Option<EventCode>| PathwayStep {
        kind,
        date,
        by: "Anna Operatrice".into(),
        note: format!("{kind:?}"),
        reason,
        event,
        recorded_by: "anna".into(),
    };
    f.pathway = Pathway {
        source: Some(EnquirySource::InformationEvening),
        source_note: "Serata di Dalmine".into(),
        assessors: Assessors { social_worker: "A. Rota".into(), psychologist: "dott. M. Bassi".into() },
        availability_known: true,
        steps: vec![
            step(StepKind::Enquiry, date!(2025 - 01 - 20), None, Some(EventCode::new(2025, 1))),
            step(StepKind::Training, date!(2025 - 03 - 15), None, Some(EventCode::new(2025, 2))),
            step(StepKind::AssessmentStart, date!(2025 - 04 - 01), None, None),
            step(StepKind::Approval, date!(2025 - 09 - 01), None, None),
            step(StepKind::Suspension, date!(2026 - 01 - 10), Some(StepReason::FamilyCircumstances), None),
        ],
    };
    f.support = vec![SupportEntry {
        kind: SupportKind::Group,
        date: date!(2026 - 02 - 12),
        note: "Gruppo di febbraio".into(),
        event: Some(EventCode::new(2026, 3)),
        recorded_by: "anna".into(),
    }];
    f
}

fn golden_path(name: &str) -> PathBuf {
    golden_path_of(name, 1)
}

fn golden_path_of(name: &str, version: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.v{version}.bin"))
}

/// Compares the encoding of `sample` with the frozen bytes, or rewrites them under BANCA_BLESS=1.
fn golden<T: Versioned + PartialEq + Clone + Debug>(name: &str, revision: u64, sample: &T) {
    golden_of(name, 1, revision, sample)
}

fn golden_of<T: Versioned + PartialEq + Clone + Debug>(name: &str, version: u32, revision: u64, sample: &T) {
    let path = golden_path_of(name, version);
    let bytes = encode(revision, sample).expect("encodes");
    if std::env::var("BANCA_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        eprintln!("blessed {}", path.display());
        return;
    }
    let frozen = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (generate it once with BANCA_BLESS=1)", path.display()));
    assert!(
        bytes == frozen,
        "the storage format of {name} changed: banks on disk hold the bytes of {}.\n\
         Freeze the old struct as V1 and add V2 in store::codec; do not re-bless.\n\
         now:    {}\nfrozen: {}",
        path.display(),
        hex::encode(&bytes),
        hex::encode(&frozen),
    );
    assert_eq!(
        decode::<T>(&frozen),
        Ok((revision, sample.clone())),
        "{name}: the frozen bytes no longer decode to the sample"
    );
}

/// Frozen bytes of version 1 decode to `expected` (version 1 is never written again).
fn reads_as_v1<T: Versioned + PartialEq + Debug>(name: &str, revision: u64, expected: T) {
    let frozen = std::fs::read(golden_path(name)).unwrap_or_else(|e| panic!("tests/golden/{name}.v1.bin: {e}"));
    assert_eq!(decode::<T>(&frozen), Ok((revision, expected)), "{name}: the v1 bytes no longer decode to the sample");
}

#[test]
fn a_family_stored_by_format_version_1_still_reads_the_same() {
    // Stored before availability periods: it reads as available at any time.
    reads_as_v1("family", 3, sample_family());
}

#[test]
fn a_need_stored_by_format_version_1_still_reads_the_same() {
    // Stored before time slots: it reads as naming none, its judicial basis as it was.
    reads_as_v1("need", 5, sample_need());
}

#[test]
fn a_service_stored_by_format_version_1_still_reads_the_same() {
    // Stored before on-call contacts: it reads without one.
    reads_as_v1("service", 2, sample_service());
}

/// A family available from March to August 2027.
fn sample_family_v2() -> Family {
    let mut f = sample_family();
    f.profile.available_from = Some(date!(2027 - 03 - 01));
    f.profile.available_until = Some(date!(2027 - 08 - 31));
    f
}

/// A day-care need on weekday afternoons, placed urgently under art. 403 c.c.
fn sample_need_v2() -> Need {
    let mut n = sample_need();
    n.placement.time_slots = BTreeSet::from([TimeSlot::Weekdays, TimeSlot::Afternoons]);
    n.placement.legal = LegalBasis::Art403 { ordered_on: date!(2026 - 11 - 21) };
    n
}

/// A service with its on-call contact.
fn sample_service_v2() -> Service {
    let mut s = sample_service();
    s.details.on_call = Some(OnCall {
        name: "Marta Reperibilè".into(),
        phone: "035 0123456".into(),
        hours: "lun-ven 17-9, festivi 24h".into(),
    });
    s
}

#[test]
fn a_family_stored_by_format_version_2_still_reads_the_same() {
    // Version 2 adds the availability period; read now as recorded before pathways.
    let frozen = std::fs::read(golden_path_of("family", 2)).unwrap();
    assert_eq!(decode::<Family>(&frozen), Ok((3, sample_family_v2())));
}

#[test]
fn a_family_stored_by_format_version_3_still_reads_the_same() {
    // Version 3 adds the pathway and the support log.
    golden_of("family", 3, 4, &sample_family_v3());
}

#[test]
fn a_placement_stored_by_format_version_2_still_reads_the_same() {
    // Version 2 adds kinship, review kinds, extensions and court reports.
    reads_as("placement", 2, 5, sample_placement_v2());
}

/// Frozen bytes of an older `version` decode to `expected` (never written again).
fn reads_as<T: Versioned + PartialEq + Debug>(name: &str, version: u32, revision: u64, expected: T) {
    let path = golden_path_of(name, version);
    let frozen = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(decode::<T>(&frozen), Ok((revision, expected)), "{name}: the v{version} bytes no longer decode");
}

/// A boy of 15 placed in an emergency shelter: no family, the service hosts him.
fn sample_placement_v3() -> Placement {
    let mut p = sample_placement_v2();
    p.family = None;
    p.family_service = ServiceCode(41);
    p.kind = PlacementKind::Emergency;
    p.plan.relationship = None;
    p
}

#[test]
fn a_placement_stored_by_format_version_3_still_reads_the_same() {
    // Version 3: with a family or in a reception service.
    golden_of("placement", 3, 5, &sample_placement_v3());
}

/// A comunità alloggio with its profile and a declaration of vacancies.
fn sample_service_v3() -> Service {
    let mut s = sample_service_v2();
    s.details.kind = ServiceKind::ResidentialCommunity;
    s.details.ambits = vec![];
    s.details.reception = Some(ReceptionProfile {
        managing_body: ManagingBody {
            name: "Cooperativa Sociale Il Prato".into(),
            nature: LegalNature::SocialCooperative,
        },
        licence: Licence {
            number: "AUT-2019/114".into(),
            date: Some(date!(2019 - 05 - 14)),
            authority: "Comune di Bergamo".into(),
            places: 10,
        },
        comune: ComuneCode::parse("016024").unwrap(),
        referent: "Paolo Ferri".into(),
        ages: AgeRange { min_months: 12 * 12, max_months: 17 * 12 + 11 },
        sex: SexPreference::Male,
        equipment: BTreeSet::from([Equipment::Adolescents, Equipment::UnaccompaniedMinors]),
        languages: vec!["arabo".into(), "francese".into()],
    });
    s.vacancy = Some(Vacancy {
        places: 2,
        declared_on: date!(2026 - 12 - 01),
        by: "comunita.prato".into(),
        note: "solo maschi 14-17".into(),
    });
    s
}

#[test]
fn a_service_stored_by_format_version_3_still_reads_the_same() {
    // Version 3 adds a reception service's profile and its declared vacancies.
    golden_of("service", 3, 2, &sample_service_v3());
}

/// A need proposed to a reception service.
fn sample_proposal_v3() -> Proposal {
    let mut p = sample_withdrawn_proposal();
    p.family = None;
    p.family_service = ServiceCode(41);
    p
}

#[test]
fn a_proposal_stored_by_format_version_3_still_reads_the_same() {
    // Version 3: to a family or to a reception service.
    golden_of("proposal", 3, 5, &sample_proposal_v3());
}

#[test]
fn a_need_stored_by_format_version_2_still_reads_the_same() {
    // Version 2 adds the time slots; the art. 403 basis is LegalBasis's appended variant.
    golden_of("need", 2, 5, &sample_need_v2());
}

#[test]
fn a_service_stored_by_format_version_2_still_reads_the_same() {
    // Version 2 adds the on-call contact.
    reads_as("service", 2, 2, sample_service_v2());
}

#[test]
fn records_without_the_new_facts_are_written_as_the_current_version() {
    // Nothing new filled in: still the current version, never the v1 bytes again.
    for (name, bytes, current) in [
        ("family", encode(3, &sample_family()).unwrap(), 3),
        ("placement", encode(3, &sample_placement()).unwrap(), 3),
        ("need", encode(5, &sample_need()).unwrap(), 2),
        ("service", encode(2, &sample_service()).unwrap(), 3),
    ] {
        let v1 = std::fs::read(golden_path(name)).unwrap();
        assert_ne!(bytes, v1, "{name}");
        // The body's first byte is the version's index: current - 1.
        assert_eq!(bytes[9], current - 1, "{name}");
    }
}

#[test]
fn an_operator_stored_by_format_version_1_still_reads_the_same() {
    golden("operator", 1, &sample_operator());
}

#[test]
fn an_ambit_stored_by_format_version_1_still_reads_the_same() {
    golden("ambit", 4, &sample_ambit());
}

#[test]
fn an_audit_entry_stored_by_format_version_1_still_reads_the_same() {
    // Stored before hash versions: it reads as hashed over bincode's bytes,
    // with the hash it was stored with. (Version 1 is never written again.)
    let frozen = std::fs::read(golden_path("audit")).expect("tests/golden/audit.v1.bin");
    let mut expected = sample_audit();
    expected.hash_version = HashVersion::Bincode;
    expected.hash =
        hex::decode("57f704f7cb4fb05e26eecf0da2513dddac4477b42917d685ebf1a510ff232575").unwrap().try_into().unwrap();
    assert_eq!(decode::<AuditEntry>(&frozen), Ok((1, expected)));
}

#[test]
fn an_audit_entry_stored_by_format_version_2_still_reads_the_same() {
    // Version 2 adds the hash version (tests/audit_hash.rs).
    golden_of("audit", 2, 1, &sample_audit());
}

#[test]
fn a_proposal_stored_by_format_version_1_still_reads_the_same() {
    // Stored before steps had a cause: every step reads without one, its
    // note as written. (Version 1 is never written again.)
    let frozen = std::fs::read(golden_path("proposal")).expect("tests/golden/proposal.v1.bin");
    assert_eq!(decode::<Proposal>(&frozen), Ok((4, sample_proposal())));
}

/// A proposal withdrawn by the bank when its need was closed, and one
/// withdrawn when another proposal's placement started: the causes stored.
fn sample_withdrawn_proposal() -> Proposal {
    let mut p = sample_proposal();
    p.status = ProposalStatus::Withdrawn;
    p.placement = None;
    p.steps.truncate(1);
    p.steps.push(ProposalStep {
        status: ProposalStatus::Withdrawn,
        at: T1,
        by: "bruno".into(),
        note: String::new(),
        cause: Some(StepCause::NeedClosed { need: NeedCode::new(2026, 16), reason: Some(ClosingReason::ReturnHome) }),
    });
    p.steps.push(ProposalStep {
        status: ProposalStatus::Withdrawn,
        at: T1,
        by: "anna".into(),
        note: "e una nota".into(),
        cause: Some(StepCause::PlacedElsewhere {
            proposal: ProposalCode::new(2026, 8),
            placement: PlacementCode::new(2026, 4),
        }),
    });
    p.steps.push(ProposalStep {
        status: ProposalStatus::Withdrawn,
        at: T1,
        by: "anna".into(),
        note: String::new(),
        cause: Some(StepCause::NeedClosed { need: NeedCode::new(2026, 17), reason: None }),
    });
    p
}

#[test]
fn a_proposal_stored_by_format_version_2_still_reads_the_same() {
    // Version 2 gives each step its cause: none for an operator's step.
    reads_as("proposal", 2, 5, sample_withdrawn_proposal());
}

/// Withdrawn by the race for a family's last place: once by an acceptance,
/// once by a placement (a cause appended to version 2, which is unchanged).
fn sample_no_place_left_proposal() -> Proposal {
    let mut p = sample_withdrawn_proposal();
    p.steps.truncate(1);
    for by in [PlaceTaker::Proposal(ProposalCode::new(2026, 9)), PlaceTaker::Placement(PlacementCode::new(2026, 5))] {
        p.steps.push(ProposalStep {
            status: ProposalStatus::Withdrawn,
            at: T1,
            by: "bruno".into(),
            note: String::new(),
            cause: Some(StepCause::NoPlaceLeft { family: p.family.expect("a family's proposal"), by }),
        });
    }
    p
}

#[test]
fn a_proposal_withdrawn_for_lack_of_places_is_stored_in_version_2() {
    // Appending a cause kept every older cause's bytes (proposal.v2.bin above).
    reads_as("proposal_no_place", 2, 6, sample_no_place_left_proposal());
}

#[test]
fn a_placement_stored_by_format_version_1_still_reads_the_same() {
    reads_as_v1("placement", 3, sample_placement());
}

#[test]
fn an_audit_entry_of_format_version_1_still_hashes_the_same() {
    // The chain of every bank on disk depends on the hash of version 1 entries.
    let e = sample_audit();
    assert_eq!(e.hash, e.compute_hash());
    let frozen = std::fs::read(golden_path("audit")).ok();
    if let Some(frozen) = frozen {
        if std::env::var("BANCA_BLESS").as_deref() != Ok("1") {
            let (_, stored): (u64, AuditEntry) = decode(&frozen).expect("golden audit entry decodes");
            assert_eq!(
                stored.compute_hash(),
                stored.hash,
                "the hash of a v1 entry changed: every stored chain would break"
            );
        }
    }
}
