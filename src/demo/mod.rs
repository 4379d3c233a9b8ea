//! Synthetic demo banks: a plausible set of foster services of the
//! provinces of Bergamo and Milano, with their families, needs and audit
//! log, as the lines of an export file ready for `Request::Import`.
//!
//! Everything is made up from lists of common names, streets and the real
//! comuni, drawn with a seeded generator: the same options always give the
//! same bytes. Every record passes the import's validation.

mod audit;
mod calendar;
mod directory;
mod families;
mod links;
mod names;
mod needs;
mod pathways;
mod places;
mod practice;
mod reception;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, OffsetDateTime};

use crate::bank::{ExportLine, Seal};
use crate::model::{Family, Need, NetworkEvent};
use crate::store::audit::AuditEntry;

use calendar::Calendar;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub families: usize,
    pub needs: usize,
    pub seed: u64,
    /// The administrator's Unix user name; must be valid
    /// (`model::operator::is_valid_user_name`) or the import rejects it.
    pub admin_user: String,
    /// The bank's "now": no record is created or changed after it.
    pub now: OffsetDateTime,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            families: 300,
            needs: 80,
            seed: 1,
            admin_user: "admin".into(),
            now: time::macros::datetime!(2026-03-16 10:00 +01:00),
        }
    }
}

/// A synthetic bank as the lines of an export file (header first), ready for `Request::Import`.
pub fn generate(opts: &DemoOptions) -> Vec<ExportLine> {
    let bank = DemoBank::build(opts);
    let mut lines = Vec::with_capacity(bank.line_count());
    let mut seal = Seal::default();
    bank.emit(|line| {
        seal.add(line.to_json().as_bytes());
        lines.push(line)
    });
    lines.push(seal.end());
    lines
}

/// The same, serialized with `ExportLine::to_json`.
pub fn generate_lines(opts: &DemoOptions) -> Vec<String> {
    let bank = DemoBank::build(opts);
    let mut lines = Vec::with_capacity(bank.line_count());
    // One line at a time, through one buffer: the same bytes as `to_json`,
    // without a vector of every record as an `ExportLine` nor strings with
    // twice the capacity they need.
    let mut buf = Vec::with_capacity(4096);
    let mut seal = Seal::default();
    bank.emit(|line| {
        buf.clear();
        serde_json::to_writer(&mut buf, &line).expect("export lines are plain data");
        seal.add(&buf);
        lines
            .push(std::str::from_utf8(&buf).map_or_else(|_| String::from_utf8_lossy(&buf).into_owned(), str::to_owned));
    });
    lines.push(seal.end().to_json());
    lines
}

/// Every record of a demo bank, generated and chained, before it becomes lines.
struct DemoBank {
    dir: directory::Directory,
    families: Vec<Made<Family>>,
    needs: Vec<Made<Need>>,
    links: links::Links,
    events: Vec<NetworkEvent>,
    audit: Vec<AuditEntry>,
}

impl DemoBank {
    fn build(opts: &DemoOptions) -> DemoBank {
        let cal = Calendar::new(opts.now);
        // Separate streams: the families of a seed stay the same whatever the number of needs.
        let dir = directory::build(&mut stream(opts.seed, 0), &cal, &opts.admin_user);
        let families = families::generate(&mut stream(opts.seed, 1), opts.families, &cal, &dir);
        let mut needs = needs::generate(&mut stream(opts.seed, 2), opts.needs, &cal, &dir);
        let links = links::generate(&mut stream(opts.seed, 3), &cal, &dir.ambits, &families, &mut needs);
        let mut dir = dir;
        let mut families = families;
        let facts = &mut stream(opts.seed, 4);
        practice::on_call(facts, &mut dir);
        practice::periods(facts, &cal, &mut families);
        practice::needs(facts, &mut needs);
        let care = &mut stream(opts.seed, 5);
        let (events, created) = pathways::events(care, &cal, &dir);
        pathways::pathways(care, &cal, &mut families, &events);
        let mut links = links;
        pathways::court_reports(care, &cal, &mut links.placements);
        links.writes.extend(created);
        reception::add(&mut stream(opts.seed, 6), &cal, &mut dir, &mut links.writes);
        let audit = audit::chain(&dir, &families, &needs, &links.writes);
        DemoBank { dir, families, needs, links, events, audit }
    }

    /// Codes go on from the highest number of each series.
    fn counters(&self) -> BTreeMap<String, u32> {
        let mut counters: BTreeMap<String, u32> = BTreeMap::new();
        let mut raise = |series: String, n: u32| {
            let c = counters.entry(series).or_insert(0);
            *c = (*c).max(n);
        };
        for f in &self.families {
            raise(format!("F/{}", f.record.code.year), f.record.code.number);
        }
        for n in &self.needs {
            raise(format!("R/{}", n.record.code.year), n.record.code.number);
        }
        raise("S".into(), (self.dir.desks.len() + self.dir.reception.len()) as u32);
        for p in &self.links.proposals {
            raise(format!("P/{}", p.code.year), p.code.number);
        }
        for p in &self.links.placements {
            raise(format!("A/{}", p.code.year), p.code.number);
        }
        for e in &self.events {
            raise(format!("E/{}", e.code.year), e.code.number);
        }
        counters
    }

    fn line_count(&self) -> usize {
        let d = &self.dir;
        // Header, end and counters (a few per year) are a rounding error.
        2 + 20
            + d.ambits.len()
            + d.desks.len()
            + d.reception.len()
            + d.operators.len()
            + self.families.len()
            + self.needs.len()
            + self.links.proposals.len()
            + self.links.placements.len()
            + self.events.len()
            + self.audit.len()
    }

    /// The lines in the order an export writes them: header, counters,
    /// ambits, services, operators, families, needs, proposals, placements,
    /// audit; the closing line is the caller's (`Seal`).
    fn emit(self, mut sink: impl FnMut(ExportLine)) {
        sink(ExportLine::header());
        for (series, value) in self.counters() {
            sink(ExportLine::Counter { series, value });
        }
        for record in self.dir.ambits {
            sink(ExportLine::Ambit { revision: 1, record });
        }
        for d in self.dir.desks {
            sink(ExportLine::Service { revision: 1, record: d.service });
        }
        for record in self.dir.reception {
            let revision = if record.vacancy.is_some() { 2 } else { 1 };
            sink(ExportLine::Service { revision, record });
        }
        for record in self.dir.operators {
            sink(ExportLine::Operator { revision: 1, record });
        }
        for record in self.events {
            sink(ExportLine::Event { revision: 1, record });
        }
        for f in self.families {
            sink(ExportLine::Family { revision: f.revision(), record: f.record });
        }
        for n in self.needs {
            sink(ExportLine::Need { revision: n.revision(), record: n.record });
        }
        for record in self.links.proposals {
            sink(ExportLine::Proposal { revision: record.steps.len() as u64, record });
        }
        for record in self.links.placements {
            sink(ExportLine::Placement { revision: links::placement_revision(&record), record });
        }
        for record in self.audit {
            sink(ExportLine::Audit { record });
        }
    }
}

fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// A generated record and the fields its one later change touched (none:
/// never changed, revision 1).
struct Made<T> {
    record: T,
    update: &'static [&'static str],
}

impl<T> Made<T> {
    fn revision(&self) -> u64 {
        if self.update.is_empty() {
            1
        } else {
            2
        }
    }
}

/// When a record changed on `day`: in office hours, or later the same day
/// it was created; never before `created` nor after now.
fn stamp_update(rng: &mut impl Rng, cal: &Calendar, created: OffsetDateTime, day: Date) -> OffsetDateTime {
    let day = day.min(cal.today());
    if day <= created.date() {
        cal.later(created, rng.gen_range(20..=240))
    } else {
        cal.office_hours(rng, day).max(created)
    }
}
