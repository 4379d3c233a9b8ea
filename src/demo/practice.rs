//! The facts of practice added to the records after the first demo banks:
//! the time a need asks for, a family's availability period, the art. 403
//! orders among the emergencies and each service's on-call contact.
//!
//! They are drawn from a stream of their own, after everything else, so
//! the records a seed made before stay the same in every other field.

use std::collections::BTreeMap;

use rand::Rng;

use crate::model::{AvailabilityProfile, Family, LegalBasis, Need, NeedCode, OnCall, PlacementKind, TimeSlot, Urgency};

use super::calendar::{add_days, Calendar};
use super::directory::Directory;
use super::names;
use super::Made;

/// When the on-call line answers, as services write it.
const ON_CALL_HOURS: &[&str] = &[
    "lun-ven 17-9, sab-dom e festivi 24h",
    "lun-ven 18-8, festivi 24h",
    "tutti i giorni 17-9",
    "sab-dom e festivi 24h, feriali 19-8",
];

/// Every service answers out of office hours through a named colleague.
pub(super) fn on_call(rng: &mut impl Rng, dir: &mut Directory) {
    for d in &mut dir.desks {
        let female = rng.gen_bool(0.7);
        let name = format!("{} {}", names::given_name(rng, female, false), names::surname(rng));
        let area = if d.province == "MI" { "02" } else { "035" };
        let phone = names::landline(rng, area);
        let hours = names::pick(rng, ON_CALL_HOURS).to_string();
        d.service.details.on_call = Some(OnCall { name, phone, hours });
    }
}

/// About one family in five of those changed in the last year gives a
/// period, as of that change: from a date already past or soon, until some
/// months ahead; a few give only one end.
pub(super) fn periods(rng: &mut impl Rng, cal: &Calendar, families: &mut [Made<Family>]) {
    let year_ago = add_days(cal.today(), -365);
    for f in families {
        let changed = f.record.meta.updated_at.date();
        if !rng.gen_bool(0.2) || changed < year_ago {
            continue;
        }
        let p: &mut AvailabilityProfile = &mut f.record.profile;
        let from = add_days(changed, rng.gen_range(-300..=90));
        let until = add_days(from.max(changed), rng.gen_range(60..=540));
        match rng.gen_range(0..10) {
            0 => p.available_from = Some(from),
            1 => p.available_until = Some(until),
            _ => (p.available_from, p.available_until) = (Some(from), Some(until)),
        }
    }
}

/// Day care names weekdays or afternoons, respite weekends (and holidays),
/// light support one of the two; about half the emergencies are urgent
/// placements under art. 403 c.c., ordered the day the need was opened or
/// the day before. Siblings share what their group asks for.
pub(super) fn needs(rng: &mut impl Rng, needs: &mut [Made<Need>]) {
    let mut groups: BTreeMap<NeedCode, (std::collections::BTreeSet<TimeSlot>, Option<LegalBasis>)> = BTreeMap::new();
    for m in needs {
        let n = &mut m.record;
        let group = n.placement.siblings.iter().copied().chain([n.code]).min().unwrap_or(n.code);
        let (slots, legal) = groups
            .entry(group)
            .or_insert_with(|| {
                let slots = slots_for(rng, n.placement.kind);
                let order = matches!(n.placement.urgency, Urgency::Emergency { .. }) && rng.gen_bool(0.5);
                let legal = order.then(|| LegalBasis::Art403 {
                    ordered_on: add_days(n.meta.created_at.date(), -rng.gen_range(0..=1)),
                });
                (slots, legal)
            })
            .clone();
        n.placement.time_slots = slots;
        if let Some(legal) = legal {
            n.placement.legal = legal;
        }
    }
}

fn slots_for(rng: &mut impl Rng, kind: PlacementKind) -> std::collections::BTreeSet<TimeSlot> {
    use TimeSlot::*;
    let slots: &[TimeSlot] = match kind {
        PlacementKind::Daytime => names::pick(rng, &[&[Weekdays][..], &[Afternoons], &[Weekdays, Afternoons]]),
        PlacementKind::Respite => names::pick(rng, &[&[Weekends][..], &[Weekends, Holidays]]),
        PlacementKind::LightSupport => names::pick(rng, &[&[Afternoons][..], &[Weekends]]),
        _ => &[],
    };
    slots.iter().copied().collect()
}
