//! The families' pathways and the network's events of a demo bank:
//! information evenings, training courses and support groups of each
//! service, and for each family the steps its dates tell (first contact,
//! information, training, assessment, idoneità, and the suspensions,
//! revisions and drop-outs of practice), with a support log for the
//! families that foster. Drawn from a stream of their own, after
//! everything else: the records a seed made before stay the same.
//!
//! Every step is dated no later than the family's last change (steps are
//! recorded when they happen), so revisions and the audit stay true.

use rand::Rng;
use time::Date;

use crate::model::*;

use super::calendar::{add_days, day_between, workday, Calendar};
use super::directory::Directory;
use super::links::Write;
use super::names::{self, pick, weighted};
use super::Made;

/// Families recorded before this many days ago came in before the bank
/// kept pathways: most of them have none on record.
const PATHWAY_ERA_DAYS: i64 = 3 * 365;

const SOURCES: &[(EnquirySource, u32)] = &[
    (EnquirySource::InformationEvening, 34),
    (EnquirySource::WordOfMouth, 22),
    (EnquirySource::AnotherFamily, 14),
    (EnquirySource::Campaign, 10),
    (EnquirySource::Association, 7),
    (EnquirySource::Web, 6),
    (EnquirySource::Referral, 4),
    (EnquirySource::Other, 3),
];

const PLACES: &[&str] = &["Sala civica", "Biblioteca comunale", "Centro famiglie", "Oratorio", "Sala consiliare"];
const ASSOCIATIONS: &[&str] =
    &["Associazione Famiglie per l'Accoglienza", "Rete famiglie solidali", "Cooperativa Il Sentiero", ""];

const STEP_NOTES: &[(StepKind, &str)] = &[
    (StepKind::Enquiry, "Telefonata al servizio: chiedono come funziona l'affido."),
    (StepKind::Information, "Colloquio informativo con la coppia."),
    (StepKind::Training, "Corso di preparazione frequentato per intero."),
    (StepKind::AssessmentStart, "Avviata l'istruttoria."),
    (StepKind::Interview, "Colloquio sulle motivazioni e sulla storia della coppia."),
    (StepKind::HomeVisit, "Visita domiciliare: casa adeguata, camera disponibile."),
    (StepKind::Report, "Relazione congiunta assistente sociale e psicologo."),
    (StepKind::Approval, "Idoneità all'affido deliberata in équipe."),
    (StepKind::Revision, "Revisione dell'idoneità: confermata."),
];

const SUPPORT_NOTES: &[(SupportKind, &str)] = &[
    (SupportKind::Contact, "Telefonata di aggiornamento con la famiglia."),
    (SupportKind::HomeVisit, "Visita a casa: routine serene, qualche fatica con i compiti."),
    (SupportKind::Supervision, "Supervisione con la psicologa sul rapporto con la famiglia d'origine."),
    (SupportKind::Group, "Incontro del gruppo di famiglie affidatarie."),
];

/// The network's events of every service over the last two years, and one
/// information evening announced for next month; their creations as writes.
pub(super) fn events(rng: &mut impl Rng, cal: &Calendar, dir: &Directory) -> (Vec<NetworkEvent>, Vec<Write>) {
    let today = cal.today();
    let mut drafts: Vec<(Date, usize, EventInput)> = Vec::new();
    for (d, desk) in dir.desks.iter().enumerate() {
        let comune = desk.home.pick(rng);
        let association = |rng: &mut dyn rand::RngCore| pick_str(rng, ASSOCIATIONS).to_string();
        // An information evening every three months, and one announced.
        let mut day = add_days(today, -730 + rng.gen_range(0..60));
        while day <= add_days(today, 35) {
            let with = association(rng);
            drafts.push((day, d, event(rng, EventKind::InformationEvening, day, None, comune, with)));
            day = add_days(day, rng.gen_range(80..=100));
        }
        // A training course in spring and one in autumn: four weekly meetings.
        for months_ago in [22, 16, 10, 4] {
            let start = workday(add_days(today, -months_ago * 30 + rng.gen_range(0..20)));
            let until = add_days(start, 21);
            let with = association(rng);
            drafts.push((start, d, event(rng, EventKind::TrainingCourse, start, Some(until), comune, with)));
        }
        // A support group of the service's foster families every month of the last year.
        for month in 1..=12 {
            let day = workday(add_days(today, -month * 30 + rng.gen_range(0..7)));
            drafts.push((day, d, event(rng, EventKind::SupportGroup, day, None, comune, String::new())));
        }
    }
    drafts.sort_by_key(|(day, d, _)| (*day, *d));
    // Announced a few weeks before (never in the future of the bank); codes
    // are numbered in the order they were recorded.
    let mut recorded: Vec<(time::OffsetDateTime, usize, EventInput)> = drafts
        .into_iter()
        .map(|(day, d, details)| {
            let created_day = add_days(day, -rng.gen_range(14..=40)).min(today).max(cal.first_day());
            (cal.office_hours(rng, workday(created_day).min(today)), d, details)
        })
        .collect();
    recorded.sort_by_key(|(at, d, _)| (*at, *d));
    let mut numbers = std::collections::BTreeMap::<i32, u32>::new();
    let mut out = Vec::with_capacity(recorded.len());
    let mut writes = Vec::with_capacity(recorded.len());
    for (created, d, details) in recorded {
        let desk = &dir.desks[d];
        let number = numbers.entry(created.year()).or_insert(0);
        *number += 1;
        let code = EventCode::new(created.year() as u16, *number);
        let author = names::pick_ref(rng, &desk.staff).clone();
        writes.push(Write {
            at: created,
            actor: author.clone(),
            action: crate::store::audit::AuditAction::Create,
            record: code.to_string(),
            fields: &[],
        });
        out.push(NetworkEvent { code, organiser: Some(desk.service.code), details, meta: Meta::new(created, &author) });
    }
    (out, writes)
}

fn pick_str<'a>(rng: &mut dyn rand::RngCore, list: &'a [&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

fn event(
    rng: &mut impl Rng,
    kind: EventKind,
    date: Date,
    until: Option<Date>,
    comune: ComuneCode,
    association: String,
) -> EventInput {
    let title = match kind {
        EventKind::InformationEvening => "Serata informativa: diventare famiglia affidataria",
        EventKind::TrainingCourse => "Corso di preparazione all'affido",
        EventKind::SupportGroup => "Gruppo delle famiglie affidatarie",
    };
    EventInput {
        kind,
        title: title.into(),
        association,
        date,
        until,
        comune,
        place: pick(rng, PLACES).to_string(),
        notes: String::new(),
    }
}

/// Each family's pathway and support log, as its dates and status tell.
pub(super) fn pathways(rng: &mut impl Rng, cal: &Calendar, families: &mut [Made<Family>], events: &[NetworkEvent]) {
    let today = cal.today();
    for made in families.iter_mut() {
        let f = &mut made.record;
        let created = f.meta.created_at.date();
        let last = f.meta.updated_at.date();
        let old = created < add_days(today, -PATHWAY_ERA_DAYS);
        if old && rng.gen_bool(0.8) {
            // Entered whole when the bank began: no pathway on record.
            continue;
        }
        let by = f.meta.created_by.clone();
        let mut steps = Vec::new();
        let step = |kind: StepKind, date: Date, event: Option<EventCode>, reason: Option<StepReason>| PathwayStep {
            kind,
            date,
            by: String::new(),
            note: STEP_NOTES.iter().find(|(k, _)| *k == kind).map_or("", |(_, n)| n).to_string(),
            reason,
            event,
            recorded_by: by.clone(),
        };
        let source = *weighted(rng, SOURCES);
        let evening = |day: Date| nearest(events, f.service, EventKind::InformationEvening, day, 60);
        let enquiry_event = (source == EnquirySource::InformationEvening).then(|| evening(created)).flatten();
        steps.push(step(StepKind::Enquiry, created, enquiry_event, None));
        let p = &f.profile;
        let status = p.status;
        let until = |d: Date| d.min(last).max(created);
        // Informed before any course: a training already on record comes after.
        let informed = add_days(created, rng.gen_range(7..=30))
            .min(p.training_completed_on.map_or(today, |t| add_days(t, -1)))
            .max(created);
        if (status != FamilyStatus::Enquiring || rng.gen_bool(0.6)) && informed <= last {
            steps.push(step(StepKind::Information, until(informed), evening(informed), None));
        }
        let assessed = matches!(
            status,
            FamilyStatus::UnderAssessment
                | FamilyStatus::Approved
                | FamilyStatus::Suspended
                | FamilyStatus::NotApproved
        ) || (status == FamilyStatus::Withdrawn && p.approved_on.is_some());
        if let Some(trained) = p.training_completed_on {
            let course = nearest(events, f.service, EventKind::TrainingCourse, trained, 120);
            steps.push(step(StepKind::Training, until(trained), course, None));
        }
        if assessed {
            let start = until(add_days(p.training_completed_on.unwrap_or(informed), rng.gen_range(7..=30)));
            steps.push(step(StepKind::AssessmentStart, start, None, None));
            let end = p.approved_on.unwrap_or(last).max(start);
            let span = (end - start).whole_days().max(3);
            let interviews = if status == FamilyStatus::UnderAssessment { rng.gen_range(1..=2) } else { 2 };
            for i in 0..interviews {
                steps.push(step(StepKind::Interview, until(add_days(start, span * (i + 1) / 5)), None, None));
            }
            let done = status != FamilyStatus::UnderAssessment || rng.gen_bool(0.4);
            if done {
                steps.push(step(StepKind::HomeVisit, until(add_days(start, span * 3 / 5)), None, None));
                steps.push(step(StepKind::Report, until(add_days(start, span * 4 / 5)), None, None));
            }
            f.pathway.assessors = Assessors {
                social_worker: format!("{} {}", names::given_name(rng, true, false), names::surname(rng)),
                psychologist: {
                    let female = rng.gen_bool(0.6);
                    format!("dott. {} {}", names::given_name(rng, female, false), names::surname(rng))
                },
            };
        }
        if let Some(approved) = p.approved_on.filter(|a| *a <= last) {
            steps.push(step(StepKind::Approval, approved, None, None));
            // Revisions every two years since, as far as the record has come.
            let mut revised = crate::model::dates::add_months(approved, 24);
            while revised <= last && status != FamilyStatus::Withdrawn {
                steps.push(step(StepKind::Revision, revised, None, None));
                revised = crate::model::dates::add_months(revised, 24);
            }
        }
        let reason = |rng: &mut dyn rand::RngCore, from: &[StepReason]| from[rng.gen_range(0..from.len())];
        match status {
            FamilyStatus::Suspended => steps.push(step(
                StepKind::Suspension,
                last,
                None,
                Some(reason(rng, &[StepReason::Rested, StepReason::FamilyCircumstances, StepReason::Health])),
            )),
            FamilyStatus::Withdrawn => steps.push(step(
                StepKind::Withdrawal,
                last,
                None,
                Some(reason(
                    rng,
                    &[
                        StepReason::FamilyCircumstances,
                        StepReason::MovedAway,
                        StepReason::ChoseAdoption,
                        StepReason::LostContact,
                        StepReason::NotReady,
                    ],
                )),
            )),
            FamilyStatus::NotApproved => steps.push(step(
                StepKind::NotApproved,
                last,
                None,
                Some(reason(rng, &[StepReason::NotReady, StepReason::HouseholdUnsuitable, StepReason::Other])),
            )),
            _ => {}
        }
        steps.sort_by_key(|s| s.date);
        f.pathway.source = Some(source);
        f.pathway.steps = steps;
        // A family met on the phone has not said yet what it offers.
        f.pathway.availability_known = status != FamilyStatus::Enquiring || rng.gen_bool(0.3);
        // Families that foster, or have fostered, keep in touch (judged on the
        // family alone: more needs in a demo leave its families as they were).
        if status == FamilyStatus::Approved && rng.gen_bool(0.35) {
            f.support = support(rng, f, events, last);
        }
    }
}

/// The event of a kind nearest before `day` (within `days`) of a service.
fn nearest(events: &[NetworkEvent], service: ServiceCode, kind: EventKind, day: Date, days: i64) -> Option<EventCode> {
    events
        .iter()
        .filter(|e| e.organiser == Some(service) && e.details.kind == kind)
        .filter(|e| e.details.date <= day && (day - e.details.date).whole_days() <= days)
        .max_by_key(|e| e.details.date)
        .map(|e| e.code)
}

/// A few entries over the last year, group meetings among them.
fn support(rng: &mut impl Rng, f: &Family, events: &[NetworkEvent], last: Date) -> Vec<SupportEntry> {
    let from = add_days(last, -330).max(f.meta.created_at.date());
    if from >= last {
        return Vec::new();
    }
    let mut out = Vec::new();
    for _ in 0..rng.gen_range(2..=7) {
        let (kind, note) = pick(rng, SUPPORT_NOTES);
        let date = day_between(rng, from, last);
        let event = (kind == SupportKind::Group)
            .then(|| nearest(events, f.service, EventKind::SupportGroup, date, 31))
            .flatten();
        let date = event.and_then(|e| events.iter().find(|x| x.code == e)).map_or(date, |e| e.details.date);
        out.push(SupportEntry { kind, date, note: note.into(), event, recorded_by: f.referent.clone() });
    }
    out.sort_by_key(|e| e.date);
    out
}

/// Reports due to the juvenile court every six months for about half the
/// ongoing placements: those due before the placement's last change were
/// sent a few days ahead; the next ones are pending.
pub(super) fn court_reports(rng: &mut impl Rng, cal: &Calendar, placements: &mut [Placement]) {
    let today = cal.today();
    for p in placements.iter_mut().filter(|p| p.is_active()) {
        if !rng.gen_bool(0.5) {
            continue;
        }
        let last = p.meta.updated_at.date();
        let mut due = crate::model::dates::add_months(p.plan.start, 6);
        while due <= add_days(today, 183) && p.court_reports.len() < crate::model::limits::MAX_COURT_REPORTS {
            let sent = add_days(due, -rng.gen_range(1..=6));
            let sent_on = (sent <= last).then_some(sent);
            p.court_reports.push(CourtReport {
                due_on: due,
                sent_on,
                note: if sent_on.is_some() { "Inviata via PEC.".into() } else { String::new() },
                by: p.meta.updated_by.clone(),
            });
            due = crate::model::dates::add_months(due, 6);
        }
    }
}
