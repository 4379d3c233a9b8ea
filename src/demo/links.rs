//! Proposals and placements of a demo bank, coherent with its needs: a
//! need in abbinamento has a pending proposal, an abbinata one an accepted
//! proposal, one closed with "affido avviato" a started proposal and its
//! placement; some proposals were declined first. Families are chosen by
//! the matching engine itself, so every link passes the hard rules and no
//! family holds more children than its places.

use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use time::{Date, OffsetDateTime};

use crate::matching::{check, score_value, Areas, FamilyFacts, MatchingConfig, NeedFacts, Scale, Unit};
use crate::model::*;

use super::calendar::{add_days, Calendar};
use super::Made;

pub(super) struct Links {
    pub proposals: Vec<Proposal>,
    pub placements: Vec<Placement>,
    /// Writes to record in the audit log: (at, actor, action, record, fields).
    pub writes: Vec<Write>,
}

pub(super) struct Write {
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: crate::store::audit::AuditAction,
    pub record: String,
    pub fields: &'static [&'static str],
}

/// How many fitting families a demo need chooses among.
const CANDIDATES_LOOKED_AT: usize = 40;

const DECLINE_REASONS: &[&str] = &[
    "La famiglia non se la sente in questo momento: esigenze familiari sopravvenute.",
    "La distanza dalla scuola del bambino è troppo grande per gli orari della famiglia.",
    "Dopo il colloquio la famiglia preferisce un bambino più piccolo.",
];

const REVIEW_NOTES: &[&str] = &[
    "Verifica semestrale: inserimento positivo, buona frequenza scolastica.",
    "Verifica: incontri con la famiglia d'origine regolari; qualche fatica nel rientro dopo i weekend.",
    "Verifica: la famiglia chiede un supporto educativo domiciliare.",
];

pub(super) fn generate(
    rng: &mut impl Rng,
    cal: &Calendar,
    ambits: &[Ambit],
    families: &[Made<Family>],
    needs: &mut [Made<Need>],
) -> Links {
    let comuni = Comuni::embedded();
    let areas = Areas::new(ambits);
    let config = MatchingConfig::default();
    let mut languages = crate::matching::Languages::default();
    let mut facts: Vec<FamilyFacts> = families
        .iter()
        .filter(|f| f.record.profile.status == FamilyStatus::Approved)
        .map(|f| FamilyFacts::of(&f.record, comuni, Default::default(), &mut languages))
        .collect();
    let owner: HashMap<FamilyCode, (ServiceCode, String)> =
        families.iter().map(|f| (f.record.code, (f.record.service, f.record.referent.clone()))).collect();
    let need_facts: BTreeMap<NeedCode, NeedFacts> =
        needs.iter().map(|n| (n.record.code, NeedFacts::of(&n.record, comuni))).collect();
    let mut links = Links { proposals: vec![], placements: vec![], writes: vec![] };
    let mut numbers: BTreeMap<u16, u32> = BTreeMap::new();
    let mut next = |year: i32| {
        let n = numbers.entry(year as u16).or_insert(0);
        *n += 1;
        (year as u16, *n)
    };
    let mut next_placement: BTreeMap<u16, u32> = BTreeMap::new();
    // Needs no family fits: back to aperta, or closed with another solution.
    let mut unmatched: Vec<NeedCode> = Vec::new();

    for made in needs.iter() {
        let need = &made.record;
        let p = &need.placement;
        // A sibling group is linked once, through its first need.
        if p.siblings.iter().any(|s| *s < need.code) {
            continue;
        }
        let started = p.status == NeedStatus::Closed && p.closing_reason == Some(ClosingReason::PlacementStarted);
        if !matches!(p.status, NeedStatus::Matching | NeedStatus::Matched) && !started {
            continue;
        }
        let changed = need.meta.updated_at;
        let first = &need_facts[&need.code];
        let mut as_open = first.clone();
        as_open.status = NeedStatus::Open;
        let siblings: Vec<NeedFacts> = p
            .siblings
            .iter()
            .filter_map(|c| need_facts.get(c))
            .map(|s| NeedFacts { status: NeedStatus::Open, ..s.clone() })
            .collect();
        let unit = Unit::of(&as_open, siblings.iter(), changed.date());
        let scale = Scale { config: &config, areas: &areas, today: changed.date(), stale_after_months: 12 };
        let span = (changed - need.meta.created_at).whole_minutes().max(60);
        let at = |share: i64| cal.later(need.meta.created_at, span * share / 100);
        // The first few dozen families that fit, from a random place in the
        // list: a plausible choice at any size of bank, without scanning it all.
        let approved_by = at(10).date();
        let offset = rng.gen_range(0..facts.len().max(1));
        let mut ranked: Vec<(u8, usize)> = Vec::new();
        for i in (0..facts.len()).map(|k| (k + offset) % facts.len()) {
            let f = &facts[i];
            if f.approved_on.is_some_and(|d| d <= approved_by) {
                if let Ok(km) = check(&unit, f) {
                    ranked.push((score_value(&unit, f, km, &scale), i));
                    if ranked.len() == CANDIDATES_LOOKED_AT {
                        break;
                    }
                }
            }
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(facts[a.1].code.cmp(&facts[b.1].code)));
        let Some(&(best_score, chosen)) = ranked.get(rng.gen_range(0..ranked.len().clamp(1, 3))) else {
            unmatched.extend(unit.codes());
            continue;
        };

        let need_side = need.referent.clone();

        // Sometimes another family was asked first and declined.
        if ranked.len() > 3 && rng.gen_bool(0.3) {
            let other = &facts[ranked[ranked.len() - 1].1];
            let (year, number) = next(at(10).year());
            let (other_service, other_referent) = owner[&other.code].clone();
            let steps = vec![
                step(ProposalStatus::Proposed, at(10), &need_side, "Prima proposta dopo il colloquio di conoscenza."),
                step(
                    ProposalStatus::Declined,
                    at(25),
                    &other_referent,
                    DECLINE_REASONS[rng.gen_range(0..DECLINE_REASONS.len())],
                ),
            ];
            push_proposal(
                &mut links,
                ProposalCode::new(year, number),
                &unit,
                other.code,
                need.service,
                other_service,
                steps,
                None,
                None,
            );
        }

        let family = facts[chosen].code;
        let (family_service, family_side) = owner[&family].clone();
        let (year, number) = next(at(40).year());
        let code = ProposalCode::new(year, number);
        let proposed_at = if p.status == NeedStatus::Matching { changed } else { at(40) };
        let mut steps = vec![step(
            ProposalStatus::Proposed,
            proposed_at,
            &need_side,
            "Abbinamento proposto dopo la valutazione in équipe.",
        )];
        let mut placement = None;
        match p.status {
            NeedStatus::Matching => {
                if rng.gen_bool(0.5) {
                    steps.push(step(
                        ProposalStatus::UnderReview,
                        cal.later(changed, 60 * 24),
                        &family_side,
                        "Colloquio con la famiglia fissato.",
                    ));
                }
            }
            NeedStatus::Matched => {
                steps.push(step(
                    ProposalStatus::Accepted,
                    changed,
                    &family_side,
                    "La famiglia ha dato la sua disponibilità.",
                ));
                facts[chosen].load.held += unit.places();
            }
            _ => {
                steps.push(step(
                    ProposalStatus::Accepted,
                    at(70),
                    &family_side,
                    "La famiglia ha dato la sua disponibilità.",
                ));
                let n = next_placement.entry(changed.year() as u16).or_insert(0);
                *n += 1;
                let pcode = PlacementCode::new(changed.year() as u16, *n);
                steps.push(step(ProposalStatus::Started, changed, &need_side, &pcode.to_string()));
                let start = changed.date();
                let ongoing = placement_record(rng, cal, pcode, code, &unit, need, family, family_service, start);
                if ongoing.closing.is_none() {
                    facts[chosen].load.held += unit.places();
                }
                placement = Some(ongoing);
            }
        }
        push_proposal(
            &mut links,
            code,
            &unit,
            family,
            need.service,
            family_service,
            steps,
            placement.as_ref().map(|p| p.code),
            Some(best_score),
        );
        if let Some(pl) = placement {
            links.writes.push(Write {
                at: pl.meta.created_at,
                actor: pl.meta.created_by.clone(),
                action: crate::store::audit::AuditAction::Create,
                record: pl.code.to_string(),
                fields: &[],
            });
            for r in &pl.reviews {
                links.writes.push(update(cal.at(r.date, 11 * 60), &r.by, pl.code, &["reviews"]));
            }
            if let Some(c) = &pl.closing {
                links.writes.push(update(cal.at(c.date, 16 * 60), &c.by, pl.code, &["closing"]));
            }
            links.placements.push(pl);
        }
    }
    for made in needs.iter_mut().filter(|n| unmatched.contains(&n.record.code)) {
        let n = &mut made.record;
        if n.placement.status == NeedStatus::Closed {
            n.placement.closing_reason = Some(ClosingReason::OtherSolution);
        } else {
            // Its last change becomes the step back to aperta (a proposal fell through).
            n.placement.status = NeedStatus::Open;
        }
    }
    links.proposals.sort_by_key(|p| p.code);
    links.placements.sort_by_key(|p| p.code);
    links
}

fn update(at: OffsetDateTime, by: &str, code: PlacementCode, fields: &'static [&'static str]) -> Write {
    Write {
        at,
        actor: by.to_string(),
        action: crate::store::audit::AuditAction::Update,
        record: code.to_string(),
        fields,
    }
}

fn step(status: ProposalStatus, at: OffsetDateTime, by: &str, note: &str) -> ProposalStep {
    ProposalStep::by_operator(status, at, by, note.to_string())
}

#[allow(clippy::too_many_arguments)]
fn push_proposal(
    links: &mut Links,
    code: ProposalCode,
    unit: &Unit,
    family: FamilyCode,
    need_service: ServiceCode,
    family_service: ServiceCode,
    steps: Vec<ProposalStep>,
    placement: Option<PlacementCode>,
    score: Option<u8>,
) {
    for (i, s) in steps.iter().enumerate() {
        let (action, fields): (_, &'static [&'static str]) = if i == 0 {
            (crate::store::audit::AuditAction::Create, &[])
        } else {
            (crate::store::audit::AuditAction::ProposalStep, step_field(s.status))
        };
        links.writes.push(Write { at: s.at, actor: s.by.clone(), action, record: code.to_string(), fields });
    }
    let first = &steps[0];
    let last = &steps[steps.len() - 1];
    links.proposals.push(Proposal {
        code,
        needs: unit.codes(),
        family: Some(family),
        need_service,
        family_service,
        status: last.status,
        meta: Meta {
            created_at: first.at,
            created_by: first.by.clone(),
            updated_at: last.at,
            updated_by: last.by.clone(),
        },
        steps,
        placement,
        score,
    });
}

fn step_field(s: ProposalStatus) -> &'static [&'static str] {
    match s {
        ProposalStatus::Proposed => &["proposed"],
        ProposalStatus::UnderReview => &["under_review"],
        ProposalStatus::Accepted => &["accepted"],
        ProposalStatus::Started => &["started"],
        ProposalStatus::Declined => &["declined"],
        ProposalStatus::Withdrawn => &["withdrawn"],
    }
}

#[allow(clippy::too_many_arguments)]
fn placement_record(
    rng: &mut impl Rng,
    cal: &Calendar,
    code: PlacementCode,
    proposal: ProposalCode,
    unit: &Unit,
    need: &Need,
    family: FamilyCode,
    family_service: ServiceCode,
    start: Date,
) -> Placement {
    let today = cal.today();
    let months = need.placement.duration_months.unwrap_or(24);
    let expected_end = crate::model::dates::add_months(start, months as u32);
    let review_dates: Vec<Date> = (1..=4).map(|i| crate::model::dates::add_months(start, 6 * i)).collect();
    let reviews: Vec<Review> = review_dates
        .iter()
        .filter(|d| **d < today)
        .take(2)
        .map(|d| Review {
            date: *d,
            note: REVIEW_NOTES[rng.gen_range(0..REVIEW_NOTES.len())].into(),
            by: need.referent.clone(),
            kind: ReviewKind::Formal,
        })
        .collect();
    // Older placements have often ended.
    let closing = (crate::model::dates::months_between(start, today) >= 12 && rng.gen_bool(0.5)).then(|| {
        let end =
            add_days(start, rng.gen_range(180..=crate::model::dates::months_between(start, today) as i64 * 30 - 1))
                .min(add_days(today, -1));
        let outcomes = [
            PlacementOutcome::ReturnHome,
            PlacementOutcome::ReturnHome,
            PlacementOutcome::IndependentLiving,
            PlacementOutcome::OtherFamily,
            PlacementOutcome::Adoption,
            PlacementOutcome::Breakdown,
        ];
        Closing {
            date: end,
            outcome: outcomes[rng.gen_range(0..outcomes.len())],
            note: "Chiusura concordata in équipe.".into(),
            by: need.referent.clone(),
        }
    });
    let reviews: Vec<Review> =
        reviews.into_iter().filter(|r| closing.as_ref().is_none_or(|c| r.date <= c.date)).collect();
    let created = cal.at(start, 10 * 60);
    let updated = match (&closing, reviews.last()) {
        (Some(c), _) => cal.at(c.date, 16 * 60),
        (None, Some(r)) => cal.at(r.date, 11 * 60),
        (None, None) => created,
    };
    Placement {
        code,
        proposal,
        needs: unit.codes(),
        family: Some(family),
        need_service: need.service,
        family_service,
        kind: need.placement.kind,
        plan: FosterPlan {
            start,
            expected_end: Some(expected_end),
            duration_months: Some(months),
            contact: need.placement.contact,
            contact_notes: "Incontri in spazio neutro concordati con il servizio.".into(),
            review_dates,
            commitments: "La famiglia accompagna il bambino a scuola e alle visite; il servizio garantisce il supporto educativo.".into(),
            relationship: Some(if rng.gen_bool(0.3) { Relationship::Kinship } else { Relationship::NonKin }),
        },
        meta: Meta { created_at: created, created_by: need.referent.clone(), updated_at: updated, updated_by: need.referent.clone() },
        reviews,
        closing,
        extensions: vec![],
        court_reports: vec![],
    }
}

/// Revision of a demo placement: one write per review and closing after creation.
pub(super) fn placement_revision(p: &Placement) -> u64 {
    1 + p.reviews.len() as u64 + p.closing.is_some() as u64
}
