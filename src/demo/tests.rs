use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::api::*;
use crate::bank::*;
use crate::model::*;
use crate::store::audit::AuditAction;

use super::*;

fn opts(families: usize, needs: usize) -> DemoOptions {
    DemoOptions { families, needs, ..DemoOptions::default() }
}

struct Split {
    counters: BTreeMap<String, u32>,
    ambits: Vec<Ambit>,
    services: Vec<Service>,
    operators: Vec<Operator>,
    families: Vec<(u64, Family)>,
    needs: Vec<(u64, Need)>,
    proposals: Vec<Proposal>,
    placements: Vec<Placement>,
    events: Vec<NetworkEvent>,
    audit: Vec<crate::store::audit::AuditEntry>,
}

fn split(lines: Vec<ExportLine>) -> Split {
    let mut s = Split {
        counters: BTreeMap::new(),
        ambits: vec![],
        services: vec![],
        operators: vec![],
        families: vec![],
        needs: vec![],
        proposals: vec![],
        placements: vec![],
        events: vec![],
        audit: vec![],
    };
    for l in lines {
        match l {
            ExportLine::Header { .. } | ExportLine::End { .. } | ExportLine::Quarantined { .. } => {}
            ExportLine::Counter { series, value } => {
                s.counters.insert(series, value);
            }
            ExportLine::Ambit { record, .. } => s.ambits.push(record),
            ExportLine::Service { record, .. } => s.services.push(record),
            ExportLine::Operator { record, .. } => s.operators.push(record),
            ExportLine::Family { revision, record } => s.families.push((revision, record)),
            ExportLine::Need { revision, record } => s.needs.push((revision, record)),
            ExportLine::Audit { record } => s.audit.push(record),
            ExportLine::Proposal { record, .. } => s.proposals.push(record),
            ExportLine::Placement { record, .. } => s.placements.push(record),
            ExportLine::Event { record, .. } => s.events.push(record),
        }
    }
    s
}

fn open_bank(opts: &DemoOptions) -> (tempfile::TempDir, Bank) {
    let dir = tempfile::tempdir().expect("temp dir");
    let bank = Bank::open(dir.path(), BankConfig::default(), true, Arc::new(FixedClock(opts.now))).expect("open bank");
    (dir, bank)
}

/// Imports the demo, printing the first problems if the bank refuses it.
fn import(bank: &Bank, opts: &DemoOptions, lines: Vec<String>) -> ImportSummary {
    let text = lines.clone();
    match bank.handle(&Actor::server_user(&opts.admin_user), Request::Import { lines }) {
        Ok(Reply::Imported(summary)) => summary,
        Err(BankError::ImportRejected(faults)) => {
            for f in faults.iter().take(10) {
                eprintln!("line {}: {:?}\n  {}", f.line, f.problem, text.get(f.line - 1).map_or("", |l| l.as_str()));
            }
            panic!("import rejected: {} problems", faults.len());
        }
        other => panic!("import: {other:?}"),
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = generate_lines(&opts(200, 60));
    let one_by_one: Vec<String> = generate(&opts(200, 60)).iter().map(ExportLine::to_json).collect();
    assert!(a == one_by_one, "generate_lines is generate, serialized with to_json");
    assert_eq!(a, generate_lines(&opts(200, 60)));
    let other = generate_lines(&DemoOptions { seed: 2, ..opts(200, 60) });
    assert_ne!(a, other);
    // Streams are separate: more needs leave the families alone.
    let more = split(generate(&opts(200, 90)));
    let less = split(generate(&opts(200, 60)));
    assert_eq!(more.families, less.families);
}

#[test]
fn imports_into_a_real_bank_with_a_verified_audit() {
    let opts = opts(500, 150);
    let lines = generate_lines(&opts);
    let parts = split(generate(&opts));
    let (_dir, bank) = open_bank(&opts);
    let summary = import(&bank, &opts, lines.clone());
    assert_eq!(
        summary,
        ImportSummary {
            ambits: 9,
            // Twelve foster services and associations, eighteen reception services.
            services: 30,
            operators: parts.operators.len() as u64,
            families: 500,
            needs: 150,
            proposals: parts.proposals.len() as u64,
            placements: parts.placements.len() as u64,
            audit_entries: parts.audit.len() as u64,
            events: parts.events.len() as u64,
        }
    );
    let admin = Actor::new(&opts.admin_user);
    match bank.handle(&admin, Request::AuditVerify) {
        Ok(Reply::AuditVerified { entries, .. }) => assert_eq!(entries, parts.audit.len() as u64),
        other => panic!("audit verify: {other:?}"),
    }
    // The bank exports exactly what it was given: same records, same order.
    match bank.handle(&admin, Request::Export) {
        Ok(Reply::Export { lines: exported }) => {
            assert!(exported == lines, "export differs from the demo")
        }
        other => panic!("export: {other:?}"),
    }
    // And it works as a bank: an operator sees their own families.
    let op = parts.operators.iter().find(|o| o.details.role == Role::Operator).expect("an operator");
    match bank.handle(
        &Actor::new(&op.user),
        Request::FamilyList { filter: FamilyFilter { service: op.details.service, ..Default::default() } },
    ) {
        Ok(Reply::Families(list)) => assert!(!list.is_empty()),
        other => panic!("family list: {other:?}"),
    }
}

#[test]
fn an_empty_demo_still_imports() {
    let opts = DemoOptions { admin_user: "giulia.ferri".into(), ..opts(0, 0) };
    let (_dir, bank) = open_bank(&opts);
    let summary = import(&bank, &opts, generate_lines(&opts));
    assert_eq!((summary.families, summary.needs), (0, 0));
    let parts = split(generate(&opts));
    let users: BTreeSet<&str> = parts.operators.iter().map(|o| o.user.as_str()).collect();
    assert_eq!(users.len(), parts.operators.len(), "the admin's name is not given to anyone else");
}

#[test]
fn every_record_is_valid_and_consistent() {
    let opts = opts(4000, 1500);
    let comuni = Comuni::embedded();
    let s = split(generate(&opts));
    let operators: BTreeMap<&str, &Operator> = s.operators.iter().map(|o| (o.user.as_str(), o)).collect();
    assert!(s
        .operators
        .iter()
        .all(|o| operator::is_valid_user_name(&o.user) && o.details.validate(&o.user).is_empty()));
    let admin = operators[opts.admin_user.as_str()];
    assert_eq!((admin.details.role, admin.details.display_name.as_str()), (Role::Admin, "Amministratore"));
    for r in [Role::Coordinator, Role::Reader] {
        assert_eq!(
            s.operators.iter().filter(|o| o.details.role == r && o.details.service.is_none()).count(),
            1,
            "{r:?}"
        );
    }
    for svc in &s.services {
        assert!(svc.details.validate_at(None, svc.meta.updated_at.date()).is_empty(), "{svc:?}");
        let staff: Vec<&Operator> = s.operators.iter().filter(|o| o.details.service == Some(svc.code)).collect();
        if svc.details.kind.is_reception() {
            // A reception service has one operator of its own, who declares its vacancies.
            assert!(staff.len() == 1 && staff[0].details.role == Role::Reception, "{}: {staff:?}", svc.code);
            if let Some(v) = &svc.vacancy {
                assert_eq!(v.by, staff[0].user, "{}", svc.code);
                assert!(v.places <= svc.details.reception.as_ref().map_or(0, |r| r.licence.places));
            }
        } else {
            assert!((2..=4).contains(&staff.len()), "{} has {} operators", svc.code, staff.len());
        }
    }
    let referent_ok = |service: ServiceCode, user: &str| {
        operators.get(user).is_some_and(|o| o.details.active && o.details.service == Some(service))
    };
    let province = |c: ComuneCode| comuni.get(c).map(|c| c.province.as_str());
    let latest = opts.now;

    for (rev, f) in &s.families {
        let cx = Context { today: f.meta.updated_at.date(), comuni };
        let input = FamilyInput {
            service: Some(f.service),
            referent: Some(f.referent.clone()),
            identity: f.identity.clone(),
            profile: f.profile.clone(),
        };
        // As a restore reads it: dates saved earlier are not aged out since.
        assert_eq!(input.validate_since(&cx, Some(&f.profile)).into_vec(), vec![], "{}", f.code);
        assert!(referent_ok(f.service, &f.referent) && referent_ok(f.service, &f.meta.created_by), "{}", f.code);
        assert!(f.meta.created_at <= f.meta.updated_at && f.meta.updated_at <= latest, "{}", f.code);
        assert_eq!(*rev == 1, f.meta.created_at == f.meta.updated_at, "{}", f.code);
        assert_eq!(f.code.year as i32, f.meta.created_at.year());
        assert!(matches!(province(f.profile.comune), Some("BG" | "MI")));
        assert!(f.profile.languages.first().is_some_and(|l| l == "italiano"));
        assert!(f.profile.languages.iter().all(|l| is_vocabulary_name(l)), "{}: {:?}", f.code, f.profile.languages);
    }
    let needs: BTreeMap<NeedCode, &Need> = s.needs.iter().map(|(_, n)| (n.code, n)).collect();
    for (rev, n) in &s.needs {
        let cx = Context { today: n.meta.updated_at.date(), comuni };
        let input = NeedInput {
            service: Some(n.service),
            referent: Some(n.referent.clone()),
            identity: n.identity.clone(),
            placement: n.placement.clone(),
        };
        assert_eq!(input.validate_since(&cx, Some(&n.placement)).into_vec(), vec![], "{}", n.code);
        // Only children from abroad name languages; an Italian child none.
        let langs = &n.placement.languages;
        assert!(langs.iter().all(|l| is_vocabulary_name(l)), "{}: {langs:?}", n.code);
        assert!(langs.is_empty() || langs.iter().any(|l| l != "italiano"), "{}: {langs:?}", n.code);
        assert!(referent_ok(n.service, &n.referent) && referent_ok(n.service, &n.meta.created_by), "{}", n.code);
        assert!(n.meta.created_at <= n.meta.updated_at && n.meta.updated_at <= latest, "{}", n.code);
        assert_eq!(*rev == 1, n.meta.created_at == n.meta.updated_at, "{}: {n:?}", n.code);
        assert!(
            n.identity.fiscal_code.is_none()
                || fiscal_code::validate(n.identity.fiscal_code.as_deref().unwrap_or("")).is_ok()
        );
        for sib in &n.placement.siblings {
            let other = needs.get(sib).unwrap_or_else(|| panic!("{} names unknown {sib}", n.code));
            assert_ne!(*sib, n.code);
            assert_eq!(other.service, n.service);
            assert_eq!(other.placement.comune, n.placement.comune);
            assert_ne!(other.placement.status, NeedStatus::Closed);
            let mut group: BTreeSet<NeedCode> = n.placement.siblings.iter().copied().collect();
            group.insert(n.code);
            let mut theirs: BTreeSet<NeedCode> = other.placement.siblings.iter().copied().collect();
            theirs.insert(other.code);
            assert_eq!(group, theirs, "{} and {sib} list the same group", n.code);
        }
        if let LegalBasis::Judicial { court, .. } = &n.placement.legal {
            let expected = if province(n.placement.comune) == Some("MI") { "Milano" } else { "Brescia" };
            assert!(court.ends_with(expected), "{}: {court}", n.code);
        }
    }
    // A comune belongs to one ambito only.
    let mut seen = BTreeSet::new();
    assert!(s.ambits.iter().flat_map(|a| &a.details.comuni).all(|c| seen.insert(*c)));
}

#[test]
fn lines_come_in_export_order_with_counters_and_a_time_ordered_audit() {
    let opts = opts(1500, 400);
    let lines = generate(&opts);
    assert!(matches!(lines.first(), Some(ExportLine::Header { .. })));
    assert!(matches!(lines.last(), Some(ExportLine::End { lines: n, .. }) if *n == lines.len() as u64 - 1));
    let rank = |l: &ExportLine| match l {
        ExportLine::Header { .. } => 0,
        ExportLine::Counter { .. } => 1,
        ExportLine::Ambit { .. } => 2,
        ExportLine::Service { .. } => 3,
        ExportLine::Operator { .. } => 4,
        ExportLine::Event { .. } => 5,
        ExportLine::Family { .. } => 6,
        ExportLine::Need { .. } => 7,
        ExportLine::Proposal { .. } => 8,
        ExportLine::Placement { .. } => 9,
        ExportLine::Quarantined { .. } => 10,
        ExportLine::Audit { .. } => 11,
        ExportLine::End { .. } => 12,
    };
    assert!(lines.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
    let s = split(lines);
    let keys: Vec<String> = s.ambits.iter().map(|a| a.details.key()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    assert!(s.ambits.iter().any(|a| a.details.name == "Dalmine" && a.details.districts.len() == 3));
    assert!(s.services.windows(2).all(|w| w[0].code < w[1].code));
    assert!(s.operators.windows(2).all(|w| w[0].user < w[1].user));
    assert!(s.families.windows(2).all(|w| w[0].1.code < w[1].1.code));
    assert!(s.needs.windows(2).all(|w| w[0].1.code < w[1].1.code));
    // Numbered from 1 in creation order within each year, counters at the top.
    let mut by_year: BTreeMap<u16, Vec<(time::OffsetDateTime, u32)>> = BTreeMap::new();
    for (_, f) in &s.families {
        by_year.entry(f.code.year).or_default().push((f.meta.created_at, f.code.number));
    }
    let today = opts.now.date();
    assert_eq!(by_year.keys().copied().collect::<Vec<_>>(), (2019..=today.year() as u16).collect::<Vec<_>>());
    for (year, list) in &by_year {
        assert!(list.iter().enumerate().all(|(i, (_, n))| *n == i as u32 + 1));
        assert!(list.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(s.counters.get(&format!("F/{year}")), Some(&(list.len() as u32)));
    }
    let need_years: BTreeSet<u16> = s.needs.iter().map(|(_, n)| n.code.year).collect();
    for y in need_years {
        let max = s.needs.iter().filter(|(_, n)| n.code.year == y).map(|(_, n)| n.code.number).max();
        assert_eq!(s.counters.get(&format!("R/{y}")).copied(), max);
    }
    assert_eq!(s.counters.get("S"), Some(&(s.services.len() as u32)));
    // One creation per record, an update per changed record, in time order.
    assert!(s.audit.windows(2).all(|w| w[0].at <= w[1].at && w[1].seq == w[0].seq + 1));
    let creates = s.audit.iter().filter(|e| matches!(e.action, AuditAction::Init | AuditAction::Create)).count();
    let records = s.ambits.len()
        + s.services.len()
        + s.operators.len()
        + s.families.len()
        + s.needs.len()
        + s.proposals.len()
        + s.placements.len()
        + s.events.len();
    assert_eq!(creates, records);
    let changed = s.families.iter().filter(|(r, _)| *r > 1).count() + s.needs.iter().filter(|(r, _)| *r > 1).count();
    let steps: usize = s.proposals.iter().map(|p| p.steps.len() - 1).sum::<usize>()
        + s.placements.iter().map(|p| p.reviews.len() + p.closing.is_some() as usize).sum::<usize>();
    let declared = s.services.iter().filter(|s| s.vacancy.is_some()).count();
    assert_eq!(s.audit.len(), records + changed + steps + declared);
    assert_eq!(s.audit[0].action, AuditAction::Init);
}

#[test]
fn the_mix_is_plausible() {
    let opts = opts(5000, 1500);
    let s = split(generate(&opts));
    let today = opts.now.date();
    let share = |n: usize, of: usize| n as f64 / of as f64;

    let status_share =
        |st: FamilyStatus| share(s.families.iter().filter(|(_, f)| f.profile.status == st).count(), s.families.len());
    for (st, expected) in [
        (FamilyStatus::Approved, 0.60),
        (FamilyStatus::UnderAssessment, 0.10),
        (FamilyStatus::Enquiring, 0.10),
        (FamilyStatus::Suspended, 0.08),
        (FamilyStatus::Withdrawn, 0.07),
        (FamilyStatus::NotApproved, 0.05),
    ] {
        assert!((status_share(st) - expected).abs() < 0.03, "{st:?}: {}", status_share(st));
    }
    let approved: Vec<&Family> =
        s.families.iter().map(|(_, f)| f).filter(|f| f.profile.status == FamilyStatus::Approved).collect();
    let stale = approved.iter().filter(|f| f.profile.is_stale(today, 6)).count();
    assert!((0.1..0.4).contains(&share(stale, approved.len())), "stale {stale} of {}", approved.len());
    assert!(approved.iter().all(|f| f
        .profile
        .confirmed_on
        .is_some_and(|d| d >= time::Date::from_julian_day(today.to_julian_day() - 370).unwrap_or(today))));
    for kind in PlacementKind::ALL {
        assert!(s.families.iter().any(|(_, f)| f.profile.kinds.contains(kind)), "no family offers {kind:?}");
    }
    let provinces: BTreeSet<&str> = s
        .families
        .iter()
        .filter_map(|(_, f)| Comuni::embedded().get(f.profile.comune))
        .map(|c| c.province.as_str())
        .collect();
    assert_eq!(provinces, BTreeSet::from(["BG", "MI"]));

    let needs: Vec<&Need> = s.needs.iter().map(|(_, n)| n).collect();
    for st in NeedStatus::ALL {
        assert!(needs.iter().any(|n| n.placement.status == *st), "no need is {st:?}");
    }
    let emergencies: Vec<&&Need> =
        needs.iter().filter(|n| matches!(n.placement.urgency, Urgency::Emergency { .. })).collect();
    assert!((0.06..0.15).contains(&share(emergencies.len(), needs.len())), "emergencies {}", emergencies.len());
    for n in &emergencies {
        let Urgency::Emergency { needed_by } = n.placement.urgency else { unreachable!() };
        assert!((needed_by - today).whole_days().abs() <= 35, "{}: needed by {needed_by}", n.code);
    }
    let in_groups = needs.iter().filter(|n| !n.placement.siblings.is_empty()).count();
    assert!((0.09..0.22).contains(&share(in_groups, needs.len())), "in sibling groups: {in_groups}");
    let judicial = needs.iter().filter(|n| matches!(n.placement.legal, LegalBasis::Judicial { .. })).count();
    assert!((0.5..0.7).contains(&share(judicial, needs.len())), "judicial: {judicial}");
    let with_code = needs.iter().filter(|n| n.identity.fiscal_code.is_some()).count();
    assert!((0.4..0.6).contains(&share(with_code, needs.len())), "fiscal codes: {with_code}");
    let young_adults = needs.iter().filter(|n| n.identity.age_months(n.meta.updated_at.date()) >= 18 * 12).count();
    assert!(young_adults > 0 && share(young_adults, needs.len()) < 0.1);
    assert!(needs.iter().any(|n| n.placement.special_needs.contains(&SpecialNeed::UnaccompaniedMinor)));
    assert!(needs.iter().any(|n| n.placement.contact.supervised));
}

#[test]
fn the_facts_of_practice_are_filled_in_plausibly() {
    let opts = opts(2000, 800);
    let s = split(generate(&opts));
    let needs: Vec<&Need> = s.needs.iter().map(|(_, n)| n).collect();
    // Day care names its time, respite its weekends; a residential need names none.
    for n in &needs {
        let slots = &n.placement.time_slots;
        match n.placement.kind {
            PlacementKind::Daytime => assert!(
                !slots.is_empty() && slots.iter().all(|t| [TimeSlot::Weekdays, TimeSlot::Afternoons].contains(t)),
                "{}: {slots:?}",
                n.code
            ),
            PlacementKind::Respite => assert!(slots.contains(&TimeSlot::Weekends), "{}: {slots:?}", n.code),
            PlacementKind::Residential => assert!(slots.is_empty(), "{}: {slots:?}", n.code),
            _ => {}
        }
    }
    // Art. 403 orders only among emergencies, about half of them.
    let emergencies = needs.iter().filter(|n| matches!(n.placement.urgency, Urgency::Emergency { .. })).count();
    let art403 = needs.iter().filter(|n| matches!(n.placement.legal, LegalBasis::Art403 { .. })).count();
    assert!(needs.iter().all(|n| !matches!(n.placement.legal, LegalBasis::Art403 { .. })
        || matches!(n.placement.urgency, Urgency::Emergency { .. })));
    assert!(art403 * 4 > emergencies && art403 * 4 < emergencies * 3, "art. 403: {art403} of {emergencies}");
    // Some families give a period, never one ending before it starts.
    let periods = s.families.iter().filter(|(_, f)| f.profile.available_from.is_some()).count();
    assert!(periods > 50, "families with a period: {periods}");
    assert!(s.families.iter().all(|(_, f)| match (f.profile.available_from, f.profile.available_until) {
        (Some(from), Some(until)) => from <= until,
        _ => true,
    }));
    // Every foster service has whom to call, on a landline starting with 0 after the area code.
    for svc in s.services.iter().filter(|s| !s.details.kind.is_reception()) {
        let c = svc.details.on_call.as_ref().unwrap_or_else(|| panic!("{} has no on-call contact", svc.code));
        assert!(c.phone.starts_with("035 0") || c.phone.starts_with("02 0"), "{}", c.phone);
        assert!(!c.name.is_empty() && !c.hours.is_empty());
    }
}

/// `cargo test --release --lib demo::tests::timing -- --ignored --nocapture`
#[test]
#[ignore]
fn timing() {
    let opts = opts(100_000, 20_000);
    let start = std::time::Instant::now();
    let records = generate(&opts);
    let generated = start.elapsed();
    let s = split(records);
    let comuni: BTreeSet<ComuneCode> = s.families.iter().map(|(_, f)| f.profile.comune).collect();
    let stale = s.families.iter().filter(|(_, f)| f.profile.is_stale(opts.now.date(), 6)).count();
    eprintln!("families in {} comuni of BG and MI (of 376); {stale} stale", comuni.len());
    drop(s);
    let start = std::time::Instant::now();
    let lines = generate_lines(&opts);
    let serialized = start.elapsed();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    eprintln!(
        "generate: {generated:?}; generate_lines: {serialized:?}; {} lines, {} MB",
        lines.len(),
        bytes / 1_000_000
    );
}

#[test]
fn needs_in_matching_have_their_proposals_and_no_family_holds_more_than_its_places() {
    let opts = opts(1500, 400);
    let s = split(generate(&opts));
    for (_, n) in &s.needs {
        let statuses: Vec<ProposalStatus> = s
            .proposals
            .iter()
            .filter(|p| p.needs.contains(&n.code) && p.status.is_active())
            .map(|p| p.status)
            .collect();
        match n.placement.status {
            NeedStatus::Matching => assert!(
                !statuses.is_empty() && !statuses.contains(&ProposalStatus::Accepted),
                "{} in abbinamento: {statuses:?}",
                n.code
            ),
            NeedStatus::Matched => assert!(statuses.contains(&ProposalStatus::Accepted), "{} abbinata", n.code),
            _ => {}
        }
    }
    assert!(s.proposals.iter().any(|p| p.status == ProposalStatus::Declined), "some proposals were declined first");
    for p in &s.proposals {
        let (_, f) = s.families.iter().find(|(_, f)| Some(f.code) == p.family).expect("family of a proposal");
        let approved = f.profile.approved_on.expect("proposed families are approved");
        assert!(approved <= p.meta.created_at.date(), "{} proposed before {} was approved", p.code, f.code);
    }
    assert!(s.placements.iter().any(|p| p.closing.is_some()) && s.placements.iter().any(|p| p.closing.is_none()));
    let mut held: BTreeMap<FamilyCode, u32> = BTreeMap::new();
    for p in s.proposals.iter().filter(|p| p.status == ProposalStatus::Accepted) {
        if let Some(family) = p.family {
            *held.entry(family).or_default() += p.needs.len() as u32;
        }
    }
    for p in s.placements.iter().filter(|p| p.closing.is_none()) {
        if let Some(family) = p.family {
            *held.entry(family).or_default() += p.needs.len() as u32;
        }
    }
    for (code, n) in held {
        let (_, f) = s.families.iter().find(|(_, f)| f.code == code).expect("family of a link");
        assert!(n <= f.profile.max_children as u32, "{code} holds {n} of {}", f.profile.max_children);
    }
}

#[test]
fn a_demo_bank_ranks_its_open_needs() {
    let opts = opts(1500, 400);
    let lines = generate_lines(&opts);
    let (_dir, bank) = open_bank(&opts);
    import(&bank, &opts, lines);
    let admin = Actor::new(&opts.admin_user);
    let Ok(Reply::Needs(open)) = bank.handle(
        &admin,
        Request::NeedList { filter: NeedFilter { status: Some(NeedStatus::Open), ..Default::default() } },
    ) else {
        panic!("need list")
    };
    let with_candidates = open
        .iter()
        .filter(|n| {
            matches!(
                bank.handle(&admin, Request::MatchNeed { need: n.code, limit: 5, why_not: None, hosts: crate::api::Hosts::Families }),
                Ok(Reply::NeedMatches(r)) if !r.candidates.is_empty()
            )
        })
        .count();
    assert!(with_candidates * 2 > open.len(), "{with_candidates} of {} open needs have candidates", open.len());
}

#[test]
fn every_line_of_a_demo_is_within_the_bounds_a_restore_checks() {
    for line in generate(&opts(2000, 500)) {
        let problems = Bounded::bounds(&line);
        assert!(problems.is_empty(), "{problems:?} in {}", line.to_json());
    }
}

/// The canonical name of a language of the vocabulary, as records store it.
fn is_vocabulary_name(l: &str) -> bool {
    crate::model::languages::canonical(l).is_some_and(|c| c.name() == l)
}
