//! The privacy fuzzer: every `Request` variant, with arguments drawn from
//! the bank's real codes, user names and services and from the names, birth
//! dates, fiscal codes, addresses and contacts of its children and families,
//! fired in-process (`Bank::handle`) by actors of every role and service:
//! the administrator, the coordination, an operator and a reader of each of
//! three services, a deactivated operator and a user the bank does not know.
//!
//! Every reply, and every error both as it travels (serialised) and as the
//! operator reads it (`i18n`, in Italian and English), is searched for the
//! identities of the seeded data, which carry distinctive synthetic markers
//! (`Qz…` tokens in names, addresses, e-mails, pets and notes, fiscal codes
//! made from them, phone numbers, children's birth dates in both formats,
//! the years of birth of adults and of the household's own children):
//!
//! - a child's identity may reach only an operator of the child's service;
//! - a family's identity (and private part) only an operator of its service
//!   and the coordination.
//!
//! What a request carries itself is not a leak (an error may repeat what
//! was asked). The one documented exception is the administrator's backup
//! (`Export`) and emergency read (`EmergencyRead`), both on record.
//!
//! Markers go where callers put them in real use: lookups, filters, search
//! queries, codes, and the identity fields of families and needs (fresh
//! markers for new records; the record's service joins a marker's owners
//! when it is stored there, e.g. after a hand-over). The free text of shared
//! records (notes of needs, proposals and placements, reasons, directory
//! records) gets plain words: what a caller writes there is theirs to share,
//! and the design tells them to write nothing identifying.
//!
//! CI runs `CI_REQUESTS`; `cargo test --test privacy_fuzz -- --ignored`
//! runs a million. Both print the count, the time and the rate.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use banca::api::*;
use banca::bank::*;
use banca::i18n::{describe_error, Lang};
use banca::model::*;
use banca::store::TreeId;
use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::macros::date;
use time::Date;

const CI_REQUESTS: u64 = 100_000;
const LONG_REQUESTS: u64 = 1_000_000;
const SEED: u64 = 11;
const SERVICES: u32 = 3;
const FAMILIES_PER_SERVICE: usize = 4;
const NEEDS_PER_SERVICE: usize = 4;
/// Beyond these, creates are sent invalid (refused): the bank stays small and fast.
const MAX_FAMILIES: usize = 60;
const MAX_NEEDS: usize = 60;
const MAX_OPERATORS: u32 = 40;
const MAX_PROPOSALS: usize = 150;

#[test]
fn no_reply_or_error_carries_an_identity_outside_its_circle() {
    // PRIVACY_FUZZ_REQUESTS overrides the count, e.g. to try a new rule quickly.
    let n = std::env::var("PRIVACY_FUZZ_REQUESTS").ok().and_then(|n| n.parse().ok()).unwrap_or(CI_REQUESTS);
    fuzz(n);
}

#[test]
#[ignore = "a million requests: run with --ignored"]
fn a_million_requests_carry_no_identity_outside_its_circle() {
    fuzz(LONG_REQUESTS);
}

fn fuzz(requests: u64) {
    let mut f = Fuzzer::new(SEED);
    let started = Instant::now();
    for _ in 0..requests {
        f.step();
    }
    let elapsed = started.elapsed();
    let rate = requests as f64 / elapsed.as_secs_f64();
    // Straight to stderr, past the test harness's capture: CI's log shows the count.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "privacy fuzzer: {requests} requests in {:.1} s ({rate:.0} requests/s), {} answered Ok, {} leaks; \
         {} markers; seed {SEED}",
        elapsed.as_secs_f64(),
        f.ok,
        f.leaks.len(),
        f.markers.list.len()
    );
    println!("by variant (fired): {:?}", f.fired);
    println!("by variant (answered Ok): {:?}", f.ok_by_variant);
    let mut slow: Vec<_> = f.spent.iter().collect();
    slow.sort_by(|a, b| b.1.cmp(a.1));
    println!("time by variant (request and check): {:?}", &slow[..slow.len().min(8)]);
    println!("by actor: {:?}", f.by_actor);
    println!(
        "records: {} families, {} needs, {} proposals, {} placements",
        f.families.len(),
        f.needs.len(),
        f.proposals.len(),
        f.placements.len()
    );
    for v in VARIANTS {
        assert!(f.fired.get(v).is_some_and(|n| *n > 0), "{v} was never fired");
    }
    assert!(f.ok > requests / 10, "too few requests went through to mean anything: {}", f.ok);
    assert!(
        f.leaks.is_empty(),
        "{} leaks, the first ones:\n{}",
        f.leaks.len(),
        f.leaks[..f.leaks.len().min(10)].join("\n")
    );
}

// ------------------------------------------------------------------ markers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Child,
    Family,
}

struct Marker {
    whose: Whose,
    /// Services whose records hold it.
    owners: BTreeSet<u32>,
    /// As written in the record (for the echo check).
    text: String,
}

#[derive(Default)]
struct Markers {
    list: Vec<Marker>,
    /// `qz…` tokens (names, addresses, e-mails, pets, notes) and fiscal codes, lower case.
    tokens: HashMap<String, usize>,
    /// Phone numbers (`031 5…`) and children's birth dates (both formats): ten characters from a word's start.
    literals: HashMap<String, usize>,
    /// Years of birth (adults, the household's own children), as whole four-digit words.
    years: HashMap<String, usize>,
    next: u32,
}

impl Markers {
    fn add(&mut self, whose: Whose, text: String) -> usize {
        self.list.push(Marker { whose, owners: BTreeSet::new(), text });
        self.list.len() - 1
    }

    /// A new `Qz` token of four letters.
    fn token(&mut self, whose: Whose) -> String {
        let mut n = self.next;
        self.next += 1;
        let mut t = String::from("Qz");
        for _ in 0..4 {
            t.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
        let id = self.add(whose, t.clone());
        self.tokens.insert(t.to_lowercase(), id);
        t
    }

    /// Two children may share a fiscal code (same consonants, same birth
    /// date): one marker, whose owners are both records' services.
    fn fiscal_code(&mut self, code: &str) {
        if !self.tokens.contains_key(&code.to_lowercase()) {
            let id = self.add(Whose::Child, code.to_string());
            self.tokens.insert(code.to_lowercase(), id);
        }
    }

    fn literal(&mut self, whose: Whose, text: String) {
        assert_eq!(text.len(), 10, "{text}");
        if !self.literals.contains_key(&text) {
            let id = self.add(whose, text.clone());
            self.literals.insert(text, id);
        }
    }

    fn year(&mut self, whose: Whose, year: u16) {
        let id = self.add(whose, year.to_string());
        self.years.insert(year.to_string(), id);
    }

    /// The markers in `text`, in one pass over its words; years only when `numbers`.
    fn find(&self, text: &str, numbers: bool) -> Vec<usize> {
        let mut out = Vec::new();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = &text[start..i];
            if word.len() > 2 && word.as_bytes()[..2].eq_ignore_ascii_case(b"qz") {
                if let Some(id) = self.tokens.get(&word.to_ascii_lowercase()) {
                    out.push(*id);
                }
            } else if b[start].is_ascii_digit() {
                if numbers && word.len() == 4 {
                    if let Some(id) = self.years.get(word) {
                        out.push(*id);
                    }
                }
                if let Some(id) = text.get(start..start + 10).and_then(|t| self.literals.get(t)) {
                    out.push(*id);
                }
            }
        }
        out
    }
}

// ------------------------------------------------------------------ actors

#[derive(Debug, Clone)]
struct Who {
    user: String,
    server_user: bool,
}

/// What the bank takes an actor for, now (an update may have changed it).
struct Circle {
    role: Option<Role>,
    service: Option<u32>,
}

impl Circle {
    fn may_see(&self, m: &Marker) -> bool {
        let own = self.service.is_some_and(|s| m.owners.contains(&s));
        match (m.whose, self.role) {
            (Whose::Child, Some(Role::Operator)) => own,
            (Whose::Family, Some(Role::Operator)) => own,
            (Whose::Family, Some(Role::Coordinator)) => true,
            _ => false,
        }
    }
}

const VARIANTS: &[&str] = &[
    "Places",
    "Directory",
    "Figures",
    "VacancyDeclare",
    "ProposeService",
    "Whoami",
    "Info",
    "Init",
    "AmbitSave",
    "AmbitGet",
    "AmbitList",
    "ServiceCreate",
    "ServiceUpdate",
    "ServiceGet",
    "ServiceList",
    "OperatorCreate",
    "OperatorUpdate",
    "OperatorGet",
    "OperatorList",
    "FamilyCreate",
    "FamilyUpdate",
    "FamilyGet",
    "FamilyList",
    "EmergencyRead",
    "NeedCreate",
    "NeedUpdate",
    "NeedGet",
    "NeedShared",
    "NeedList",
    "MatchNeed",
    "MatchFamily",
    "Available",
    "ProposalCreate",
    "ProposalStep",
    "ProposalGet",
    "ProposalView",
    "ProposalList",
    "PlacementStart",
    "PlacementPlan",
    "PlacementReview",
    "PlacementClose",
    "PlacementExtend",
    "PlacementCourtReport",
    "FamilyEnquiry",
    "FamilyStep",
    "FamilySupport",
    "Due",
    "Recruitment",
    "EventCreate",
    "EventUpdate",
    "EventGet",
    "EventList",
    "PlacementGet",
    "PlacementList",
    "Count",
    "Search",
    "Export",
    "Import",
    "AuditList",
    "AuditVerify",
    "Doctor",
    "QuarantineExport",
];

/// The name of a request's variant. Exhaustive: a new variant does not
/// compile until the fuzzer fires it.
fn variant(r: &Request) -> &'static str {
    use Request::*;
    match r {
        Whoami => "Whoami",
        Info => "Info",
        Init { .. } => "Init",
        AmbitSave { .. } => "AmbitSave",
        AmbitGet { .. } => "AmbitGet",
        AmbitList { .. } => "AmbitList",
        ServiceCreate { .. } => "ServiceCreate",
        ServiceUpdate { .. } => "ServiceUpdate",
        ServiceGet { .. } => "ServiceGet",
        ServiceList { .. } => "ServiceList",
        OperatorCreate { .. } => "OperatorCreate",
        OperatorUpdate { .. } => "OperatorUpdate",
        OperatorGet { .. } => "OperatorGet",
        OperatorList { .. } => "OperatorList",
        FamilyCreate { .. } => "FamilyCreate",
        FamilyUpdate { .. } => "FamilyUpdate",
        FamilyGet { .. } => "FamilyGet",
        FamilyList { .. } => "FamilyList",
        EmergencyRead { .. } => "EmergencyRead",
        NeedCreate { .. } => "NeedCreate",
        NeedUpdate { .. } => "NeedUpdate",
        NeedGet { .. } => "NeedGet",
        NeedShared { .. } => "NeedShared",
        NeedList { .. } => "NeedList",
        MatchNeed { .. } => "MatchNeed",
        MatchFamily { .. } => "MatchFamily",
        Available { .. } => "Available",
        Places { .. } => "Places",
        Directory { .. } => "Directory",
        Figures { .. } => "Figures",
        VacancyDeclare { .. } => "VacancyDeclare",
        ProposeService { .. } => "ProposeService",
        ProposalCreate { .. } => "ProposalCreate",
        ProposalStep { .. } => "ProposalStep",
        ProposalGet { .. } => "ProposalGet",
        ProposalView { .. } => "ProposalView",
        ProposalList { .. } => "ProposalList",
        PlacementStart { .. } => "PlacementStart",
        PlacementPlan { .. } => "PlacementPlan",
        PlacementReview { .. } => "PlacementReview",
        PlacementClose { .. } => "PlacementClose",
        PlacementExtend { .. } => "PlacementExtend",
        PlacementCourtReport { .. } => "PlacementCourtReport",
        FamilyEnquiry { .. } => "FamilyEnquiry",
        FamilyStep { .. } => "FamilyStep",
        FamilySupport { .. } => "FamilySupport",
        Due { .. } => "Due",
        Recruitment { .. } => "Recruitment",
        EventCreate { .. } => "EventCreate",
        EventUpdate { .. } => "EventUpdate",
        EventGet { .. } => "EventGet",
        EventList { .. } => "EventList",
        PlacementGet { .. } => "PlacementGet",
        PlacementList { .. } => "PlacementList",
        Count { .. } => "Count",
        Search { .. } => "Search",
        Export => "Export",
        Import { .. } => "Import",
        AuditList { .. } => "AuditList",
        AuditVerify => "AuditVerify",
        Doctor { .. } => "Doctor",
        QuarantineExport => "QuarantineExport",
    }
}

// ------------------------------------------------------------------ the fuzzer

struct Fuzzer {
    _dir: tempfile::TempDir,
    bank: Arc<Bank>,
    rng: ChaCha8Rng,
    markers: Markers,
    actors: Vec<Who>,
    families: Vec<FamilyCode>,
    needs: Vec<NeedCode>,
    proposals: Vec<ProposalCode>,
    placements: Vec<PlacementCode>,
    /// Operator user names by service, for referents.
    operators: BTreeMap<u32, String>,
    fresh_users: u32,
    fired: BTreeMap<&'static str, u64>,
    by_actor: BTreeMap<String, u64>,
    spent: BTreeMap<&'static str, std::time::Duration>,
    ok: u64,
    ok_by_variant: BTreeMap<&'static str, u64>,
    leaks: Vec<String>,
    today: Date,
}

/// Comuni of the two ambiti, near each other: distances stay small numbers.
fn comuni() -> [ComuneCode; 6] {
    [dalmine(), stezzano(), bergamo(), gorle(), comune("016153"), comune("016150")]
}

const WORDS: &[&str] = &["disponibile", "in attesa", "verifica", "colloquio fissato", "urgente", "ok", ""];

impl Fuzzer {
    fn new(seed: u64) -> Fuzzer {
        // On memory where there is some: every write is flushed.
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            tempfile::TempDir::new_in("/dev/shm").expect("a folder in /dev/shm")
        } else {
            tempfile::TempDir::new().expect("a temporary folder")
        };
        let bank = Arc::new(open_bank(&dir.path().join("bank"), true).expect("a new bank"));
        let mut f = Fuzzer {
            _dir: dir,
            bank,
            rng: ChaCha8Rng::seed_from_u64(seed),
            markers: Markers::default(),
            actors: vec![],
            families: vec![],
            needs: vec![],
            proposals: vec![],
            placements: vec![],
            operators: BTreeMap::new(),
            fresh_users: 0,
            fired: BTreeMap::new(),
            by_actor: BTreeMap::new(),
            spent: BTreeMap::new(),
            ok: 0,
            ok_by_variant: BTreeMap::new(),
            leaks: vec![],
            today: NOW.date(),
        };
        f.seed();
        f
    }

    fn admin(&self, request: Request) -> Reply {
        let what = format!("{request:?}");
        self.bank.handle(&Actor::new(ADMIN), request).unwrap_or_else(|e| panic!("seeding {what}: {e:?}"))
    }

    /// Three services, each with an operator and a reader, the coordination,
    /// a deactivated operator; families and needs with markers in every
    /// private field; a few proposals.
    fn seed(&mut self) {
        self.bank.handle(&Actor::server_user(ADMIN), Request::Init { admin: None }).expect("init");
        self.admin(Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
        for s in 1..=SERVICES {
            let ambit = if s == 1 { DALMINE_AMBIT } else { BERGAMO_AMBIT };
            self.admin(Request::ServiceCreate { input: service_input(&format!("Servizio Prova {s}"), ambit) });
            let (op, rd) = (format!("op{s}"), format!("rd{s}"));
            let svc = Some(ServiceCode(s));
            self.admin(Request::OperatorCreate {
                user: op.clone(),
                input: operator_input("Operatore", Role::Operator, svc),
            });
            self.admin(Request::OperatorCreate {
                user: rd.clone(),
                input: operator_input("Lettore", Role::Reader, svc),
            });
            self.operators.insert(s, op.clone());
            self.actors.push(Who { user: op, server_user: false });
            self.actors.push(Who { user: rd, server_user: false });
        }
        self.admin(Request::OperatorCreate {
            user: "coord".into(),
            input: operator_input("Coordinamento", Role::Coordinator, None),
        });
        let mut gone = operator_input("Ex operatore", Role::Operator, Some(ServiceCode(1)));
        self.admin(Request::OperatorCreate { user: "gone".into(), input: gone.clone() });
        gone.active = false;
        self.admin(Request::OperatorUpdate { user: "gone".into(), base_revision: 1, input: gone });
        for user in [ADMIN, "coord", "gone", "nobody"] {
            self.actors.push(Who { user: user.into(), server_user: false });
        }
        // The server's own user, who is no operator: init and import only.
        self.actors.push(Who { user: "banca".into(), server_user: true });

        let mut year = 1937u16;
        let mut adult_year = 1961u16;
        let mut birth = date!(2009 - 01 - 05);
        for s in 1..=SERVICES {
            let op = Actor::new(format!("op{s}"));
            for _ in 0..FAMILIES_PER_SERVICE {
                let mut input = self.fresh_family(s);
                for a in &mut input.identity.adults {
                    a.birth_year = adult_year;
                    self.markers.year(Whose::Family, adult_year);
                    adult_year += 1;
                }
                input.profile.household.children_birth_years = vec![year, year + 1];
                self.markers.year(Whose::Family, year);
                self.markers.year(Whose::Family, year + 1);
                year += 2;
                let reply = self.bank.handle(&op, Request::FamilyCreate { input });
                self.learn(&reply);
            }
            for _ in 0..NEEDS_PER_SERVICE {
                let input = self.fresh_need(s, Some(birth));
                birth += time::Duration::days(149);
                let reply = self.bank.handle(&op, Request::NeedCreate { input });
                self.learn(&reply);
            }
        }
        // Proposals between services, some accepted and started.
        for i in 0..self.needs.len() {
            let (need, family) = (self.needs[i], self.families[(i * 5 + 4) % self.families.len()]);
            let owner = self.owner_of_need(need);
            let reply = self.bank.handle(
                &Actor::new(format!("op{owner}")),
                Request::ProposalCreate { need, family, note: "proposta".into() },
            );
            self.learn(&reply);
        }
        assert_eq!(self.families.len(), SERVICES as usize * FAMILIES_PER_SERVICE);
        assert_eq!(self.needs.len(), SERVICES as usize * NEEDS_PER_SERVICE);
    }

    fn owner_of_need(&self, code: NeedCode) -> u32 {
        self.bank.store().get::<Need>(TreeId::Needs, &code.key()).ok().flatten().map_or(1, |(_, n)| n.service.0)
    }

    /// A family of service `s` with fresh markers in every private field.
    fn fresh_family(&mut self, s: u32) -> FamilyInput {
        let mut input = family_input();
        input.service = Some(ServiceCode(s));
        input.referent = self.operators.get(&s).cloned();
        let m = &mut self.markers;
        input.identity = FamilyIdentity {
            adults: vec![
                Adult { name: format!("{} {}", m.token(Whose::Family), m.token(Whose::Family)), birth_year: 1995 },
                Adult { name: format!("{} {}", m.token(Whose::Family), m.token(Whose::Family)), birth_year: 1996 },
            ],
            address: format!("Via {} 7", m.token(Whose::Family)),
            phone: String::new(),
            email: format!("{}@example.org", m.token(Whose::Family).to_lowercase()),
        };
        let phone = format!("031 5{:05}", m.next % 100_000);
        m.literal(Whose::Family, phone.clone());
        input.identity.phone = phone;
        input.profile.household.pets = format!("un cane, {}", m.token(Whose::Family));
        input.profile.household.children_birth_years = vec![];
        input.profile.notes = format!("nota su {}", m.token(Whose::Family));
        input.profile.comune = comuni()[self.rng.gen_range(0..3)];
        input.profile.status = FamilyStatus::Approved;
        input.profile.approved_on = Some(date!(2025 - 02 - 01));
        input.profile.ages = banca::model::age::AgeRange { min_months: 0, max_months: 17 * 12 + 11 };
        input.profile.max_children = 3;
        input.profile.max_distance_km = None;
        input
    }

    /// A need of service `s` with fresh markers; seeded children have their own birth dates.
    fn fresh_need(&mut self, s: u32, birth: Option<Date>) -> NeedInput {
        let mut input = need_input();
        input.service = Some(ServiceCode(s));
        input.referent = self.operators.get(&s).cloned();
        let female = self.rng.gen_bool(0.5);
        let m = &mut self.markers;
        let (given, family) = (m.token(Whose::Child), m.token(Whose::Child));
        let birth_date = match birth {
            Some(d) => {
                m.literal(Whose::Child, d.to_string());
                m.literal(Whose::Child, banca::model::dates::format_date(d));
                d
            }
            None => date!(2016 - 06 - 06),
        };
        let fiscal = fiscal_code::synthesize(
            &family,
            &given,
            birth_date.year(),
            birth_date.month().into(),
            birth_date.day(),
            female,
            "A794",
        );
        m.fiscal_code(&fiscal);
        input.identity = ChildIdentity {
            given_name: given,
            family_name: family,
            birth_date,
            fiscal_code: Some(fiscal),
            address: format!("Via {} 3", m.token(Whose::Child)),
        };
        input.placement.sex = if female { Sex::Female } else { Sex::Male };
        input.placement.comune = comuni()[self.rng.gen_range(0..comuni().len())];
        input
    }

    /// Learns new codes from a reply, and which services now hold which markers.
    fn learn(&mut self, reply: &Response) {
        let Ok(Reply::Saved(s)) = reply else { return };
        for code in std::iter::once(&s.code).chain(&s.also_changed) {
            let (service, json) = match RecordCode::parse(code) {
                Some(RecordCode::Family(c)) => {
                    if !self.families.contains(&c) {
                        self.families.push(c);
                    }
                    match self.bank.store().get::<Family>(TreeId::Families, &c.key()).expect("reads") {
                        Some((_, f)) => (f.service.0, serde_json::to_string(&f).unwrap()),
                        None => continue,
                    }
                }
                Some(RecordCode::Need(c)) => {
                    if !self.needs.contains(&c) {
                        self.needs.push(c);
                    }
                    match self.bank.store().get::<Need>(TreeId::Needs, &c.key()).expect("reads") {
                        Some((_, n)) => (n.service.0, serde_json::to_string(&n).unwrap()),
                        None => continue,
                    }
                }
                Some(RecordCode::Proposal(c)) => {
                    if !self.proposals.contains(&c) {
                        self.proposals.push(c);
                    }
                    continue;
                }
                Some(RecordCode::Placement(c)) => {
                    if !self.placements.contains(&c) {
                        self.placements.push(c);
                    }
                    continue;
                }
                _ => continue,
            };
            for id in self.markers.find(&json, true) {
                self.markers.list[id].owners.insert(service);
            }
        }
    }

    fn circle(&self, who: &Who) -> Circle {
        match self.bank.store().get::<Operator>(TreeId::Operators, who.user.as_bytes()).expect("reads") {
            Some((_, op)) if op.details.active => {
                Circle { role: Some(op.details.role), service: op.details.service.map(|s| s.0) }
            }
            _ => Circle { role: None, service: None },
        }
    }

    fn step(&mut self) {
        let started = Instant::now();
        let who = self.actors[self.rng.gen_range(0..self.actors.len())].clone();
        let request = self.request(&who);
        *self.spent.entry("(generate)").or_default() += started.elapsed();
        let name = variant(&request);
        *self.fired.entry(name).or_default() += 1;
        *self.by_actor.entry(who.user.clone()).or_default() += 1;
        let circle = self.circle(&who);
        let is_admin = circle.role == Some(Role::Admin);
        let request_text = serde_json::to_string(&request).unwrap().to_ascii_lowercase();
        let actor = Actor { user: who.user.clone(), server_user: who.server_user };
        let handled = Instant::now();
        let response = self.bank.handle(&actor, request);
        *self.spent.entry("(handle)").or_default() += handled.elapsed();
        if response.is_ok() {
            self.ok += 1;
            *self.ok_by_variant.entry(name).or_default() += 1;
        }
        // The administrator's backup and emergency read carry identities by design, on record.
        let exempt = is_admin && matches!(name, "Export" | "EmergencyRead") && response.is_ok();
        if !exempt {
            let numbers = !matches!(
                response,
                Ok(Reply::Audit(_)
                    | Reply::Info(_)
                    | Reply::AuditVerified { .. }
                    | Reply::Export { .. }
                    | Reply::Imported(_)
                    | Reply::Doctor(_)
                    | Reply::Quarantine(_))
            );
            let mut texts = vec![serde_json::to_string(&response).unwrap()];
            if let Err(e) = &response {
                texts.push(describe_error(e, Lang::It));
                texts.push(describe_error(e, Lang::En));
            }
            for text in &texts {
                for id in self.markers.find(text, numbers) {
                    let m = &self.markers.list[id];
                    if circle.may_see(m) || request_text.contains(&m.text.to_ascii_lowercase()) {
                        continue;
                    }
                    if self.leaks.len() < 1000 {
                        let mut at = text.find(&m.text).unwrap_or(0).saturating_sub(80);
                        while !text.is_char_boundary(at) {
                            at -= 1;
                        }
                        let around: String = text[at..].chars().take(200).collect();
                        self.leaks.push(format!(
                            "{} ({:?} {:?}) {name}: {:?} marker {:?} of {:?}: …{around}…",
                            who.user, circle.role, circle.service, m.whose, m.text, m.owners
                        ));
                    }
                }
            }
        }
        self.learn(&response);
        *self.spent.entry(name).or_default() += started.elapsed();
    }

    // -------------------------------------------------------------- arguments

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.rng.gen_range(0..from.len())]
    }

    fn service(&mut self) -> ServiceCode {
        ServiceCode(self.rng.gen_range(1..=SERVICES + 1))
    }

    fn opt<T>(&mut self, value: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.rng.gen_bool(0.5) {
            Some(value(self))
        } else {
            None
        }
    }

    fn family(&mut self) -> FamilyCode {
        if self.rng.gen_bool(0.05) {
            return FamilyCode::new(2026, 999);
        }
        let i = self.rng.gen_range(0..self.families.len());
        self.families[i]
    }

    fn need(&mut self) -> NeedCode {
        if self.rng.gen_bool(0.05) {
            return NeedCode::new(2026, 999);
        }
        let i = self.rng.gen_range(0..self.needs.len());
        self.needs[i]
    }

    fn proposal(&mut self) -> ProposalCode {
        if self.proposals.is_empty() || self.rng.gen_bool(0.05) {
            return ProposalCode::new(2026, 999);
        }
        let i = self.rng.gen_range(0..self.proposals.len());
        self.proposals[i]
    }

    fn placement(&mut self) -> PlacementCode {
        if self.placements.is_empty() || self.rng.gen_bool(0.05) {
            return PlacementCode::new(2026, 999);
        }
        let i = self.rng.gen_range(0..self.placements.len());
        self.placements[i]
    }

    /// A user name: the actors', one made up, or a marker.
    fn user(&mut self) -> String {
        match self.rng.gen_range(0..4) {
            0 => self.actors[self.rng.gen_range(0..self.actors.len())].user.clone(),
            1 => format!("fz{}", self.rng.gen_range(0..self.fresh_users + 1)),
            _ => self.text(),
        }
    }

    /// A child described on the phone: ages, sex, kind, a comune, a place.
    fn profile(&mut self) -> ChildProfile {
        let children = (0..self.rng.gen_range(1..3))
            .map(|_| ProfileChild { age_months: self.rng.gen_range(0..216), sex: self.opt(|f| f.pick(Sex::ALL)) })
            .collect();
        let comune = self.opt(|f| f.pick(&comuni()));
        let within = match self.rng.gen_range(0..4) {
            0 => Some(Within::Km(self.rng.gen_range(1..30))),
            1 => Some(Within::Ambit(self.pick(&["Dalmine", "nessuno"]).into())),
            2 => Some(Within::District(self.pick(&["Dalmine", "nessuno"]).into())),
            _ => None,
        };
        ChildProfile {
            children,
            kind: self.pick(PlacementKind::ALL),
            emergency: self.rng.gen_bool(0.2),
            time_slots: Default::default(),
            special_needs: Default::default(),
            languages: vec![],
            start: None,
            comune,
            within,
        }
    }

    /// What a caller may type where a name, a code or a query goes: mostly
    /// the markers of the seeded data, and codes.
    fn text(&mut self) -> String {
        match self.rng.gen_range(0..10) {
            0..=3 => {
                let i = self.rng.gen_range(0..self.markers.list.len());
                self.markers.list[i].text.clone()
            }
            4 => {
                let i = self.rng.gen_range(0..self.markers.list.len());
                self.markers.list[i].text.chars().take(4).collect()
            }
            5 => self.family().to_string(),
            6 => self.need().to_string(),
            7 => self
                .pick(&[
                    "S-001",
                    "S-002",
                    "S-004",
                    "Servizio Prova 1",
                    "Servizio Prova 3",
                    "op2",
                    "Dalmine",
                    "Bergamo",
                    "kind:richiesta",
                    "kind:famiglia",
                    "servizio:S-002",
                    "stato:idonea",
                ])
                .into(),
            8 => {
                let i = self.rng.gen_range(0..self.markers.list.len());
                format!("{} kind:richiesta", self.markers.list[i].text)
            }
            _ => self.pick(&["", "zzz", "Via", "2019", "035", "R-2026", "F-2026-00"]).into(),
        }
    }

    /// One of the first few events of the year (some may not exist).
    fn event(&mut self) -> EventCode {
        EventCode::new(self.today.year() as u16, self.rng.gen_range(1..=4))
    }

    /// An event's details: public words only (an event is everyone's).
    fn event_input(&mut self) -> EventInput {
        EventInput {
            kind: self.pick(EventKind::ALL),
            title: self.word(),
            association: String::new(),
            date: self.today,
            until: None,
            comune: self.pick(&comuni()),
            place: self.word(),
            notes: self.word(),
        }
    }

    fn word(&mut self) -> String {
        self.pick(WORDS).to_string()
    }

    fn limit(&mut self) -> Option<usize> {
        if self.rng.gen_bool(0.2) {
            None
        } else {
            Some(self.rng.gen_range(0..30))
        }
    }

    fn plan(&mut self) -> FosterPlan {
        FosterPlan {
            start: self.today - time::Duration::days(self.rng.gen_range(0..20)),
            expected_end: self.opt(|f| f.today + time::Duration::days(400)),
            duration_months: self.opt(|f| f.rng.gen_range(1..30)),
            contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: self.rng.gen_bool(0.5) },
            contact_notes: self.word(),
            review_dates: vec![self.today + time::Duration::days(90)],
            commitments: self.word(),
            relationship: Some(banca::model::Relationship::NonKin),
        }
    }

    fn family_update(&mut self, circle: &Circle) -> Request {
        let code = self.family();
        let Some((revision, f)) = self.bank.store().get::<Family>(TreeId::Families, &code.key()).expect("reads") else {
            return Request::FamilyGet { code };
        };
        let stored = FamilyInput {
            service: Some(f.service),
            referent: Some(f.referent.clone()),
            identity: f.identity.clone(),
            profile: f.profile.clone(),
        };
        let sees = circle.role == Some(Role::Coordinator)
            || (circle.role == Some(Role::Operator) && circle.service == Some(f.service.0));
        let mut input = match self.rng.gen_range(0..4) {
            // As the caller sees it.
            0 | 1 if !sees => {
                let view = SharedProfile::of(&f.profile);
                FamilyInput { identity: FamilyIdentity::default(), profile: view.with_private(None), ..stored }
            }
            0 | 1 => stored,
            // Whole, whoever asks.
            2 => stored,
            // Renamed, with fresh markers.
            _ => {
                let fresh = self.fresh_family(f.service.0);
                FamilyInput { identity: fresh.identity, ..stored }
            }
        };
        input.profile.max_children = self.rng.gen_range(1..=3);
        if circle.role == Some(Role::Admin) && self.rng.gen_bool(0.1) {
            let to = self.rng.gen_range(1..=SERVICES);
            input.service = Some(ServiceCode(to));
            input.referent = self.operators.get(&to).cloned();
        }
        let base_revision = if self.rng.gen_bool(0.85) { revision } else { revision.saturating_sub(1) };
        Request::FamilyUpdate { code, base_revision, input }
    }

    fn need_update(&mut self, circle: &Circle) -> Request {
        let code = self.need();
        let Some((revision, n)) = self.bank.store().get::<Need>(TreeId::Needs, &code.key()).expect("reads") else {
            return Request::NeedGet { code };
        };
        let stored = NeedInput {
            service: Some(n.service),
            referent: Some(n.referent.clone()),
            identity: n.identity.clone(),
            placement: n.placement.clone(),
        };
        let sees = circle.role == Some(Role::Operator) && circle.service == Some(n.service.0);
        let mut input = match self.rng.gen_range(0..4) {
            0 | 1 if !sees => NeedInput { identity: hidden_child_identity(), ..stored },
            0..=2 => stored,
            _ => {
                let fresh = self.fresh_need(n.service.0, None);
                NeedInput { identity: fresh.identity, ..stored }
            }
        };
        input.placement.notes = self.word();
        if self.rng.gen_bool(0.05) && input.placement.status != NeedStatus::Closed {
            input.placement.status = NeedStatus::Closed;
            input.placement.closing_reason = Some(ClosingReason::OtherSolution);
        }
        if circle.role == Some(Role::Admin) && self.rng.gen_bool(0.1) {
            let to = self.rng.gen_range(1..=SERVICES);
            input.service = Some(ServiceCode(to));
            input.referent = self.operators.get(&to).cloned();
        }
        let base_revision = if self.rng.gen_bool(0.85) { revision } else { revision.saturating_sub(1) };
        Request::NeedUpdate { code, base_revision, input }
    }

    fn revision_of<T: banca::store::codec::Versioned>(&self, tree: TreeId, key: &[u8]) -> u64 {
        self.bank.store().get::<T>(tree, key).ok().flatten().map_or(1, |(r, _)| r)
    }

    fn request(&mut self, who: &Who) -> Request {
        let circle = self.circle(who);
        // Scans of the whole bank (export, audit) are fired less often: they grow with it.
        let n = VARIANTS.len();
        let mut v = VARIANTS[self.rng.gen_range(0..n)];
        if matches!(v, "Export" | "AuditVerify" | "Doctor") && self.rng.gen_bool(0.9) {
            v = VARIANTS[self.rng.gen_range(0..n)];
        }
        match v {
            "Whoami" => Request::Whoami,
            "Info" => Request::Info,
            "Init" => Request::Init { admin: self.opt(|f| f.user()) },
            "AmbitSave" => {
                let n = self.rng.gen_range(0..5);
                let name = format!("Ambito Prova {n}");
                // A comune of the province in no ambito yet (most often), or one that is.
                let comuni = if self.rng.gen_bool(0.8) {
                    vec![comune(&format!("01600{}", n + 1))]
                } else {
                    vec![self.pick(&comuni())]
                };
                Request::AmbitSave {
                    input: AmbitInput { name, comuni, districts: vec![] },
                    base_revision: self.opt(|f| f.rng.gen_range(1..3)),
                }
            }
            "AmbitGet" => Request::AmbitGet { name: self.text() },
            "AmbitList" => Request::AmbitList { after: None, limit: self.limit() },
            "ServiceCreate" => Request::ServiceCreate {
                input: service_input(&format!("Servizio Nuovo {}", self.rng.gen_range(0..5)), BERGAMO_AMBIT),
            },
            "ServiceUpdate" => {
                let code = self.service();
                let mut input = service_input(
                    &format!("Servizio Prova {}", code.0),
                    if code.0 == 1 { DALMINE_AMBIT } else { BERGAMO_AMBIT },
                );
                input.notes = self.word();
                let base_revision = self.revision_of::<Service>(TreeId::Services, &code.key());
                Request::ServiceUpdate { code, base_revision, input }
            }
            "ServiceGet" => Request::ServiceGet { code: self.service() },
            "ServiceList" => Request::ServiceList { after: None, limit: self.limit() },
            "OperatorCreate" => {
                // Past a few dozen, the names come round again (refused as duplicates).
                self.fresh_users = (self.fresh_users + 1).min(MAX_OPERATORS);
                let user = if self.rng.gen_bool(0.8) { format!("fz{}", self.fresh_users) } else { self.user() };
                let role = self.pick(Role::ALL);
                let service = if role == Role::Operator || role == Role::Reader { Some(self.service()) } else { None };
                Request::OperatorCreate { user, input: operator_input("Persona Prova", role, service) }
            }
            "OperatorUpdate" => {
                // Made-up operators only: the actors keep their roles.
                let user = format!("fz{}", self.rng.gen_range(0..self.fresh_users + 1));
                let base_revision = self.revision_of::<Operator>(TreeId::Operators, user.as_bytes());
                let role = self.pick(&[Role::Operator, Role::Reader]);
                let service = Some(self.service());
                let mut input = operator_input("Persona Cambiata", role, service);
                input.active = self.rng.gen_bool(0.7);
                Request::OperatorUpdate { user, base_revision, input }
            }
            "OperatorGet" => Request::OperatorGet { user: self.user() },
            "OperatorList" => {
                Request::OperatorList { service: self.opt(|f| f.service()), after: None, limit: self.limit() }
            }
            "FamilyCreate" => {
                let s = self.rng.gen_range(1..=SERVICES);
                let mut input = self.fresh_family(s);
                if self.rng.gen_bool(0.5) {
                    input.service = None;
                    input.referent = None;
                }
                if self.families.len() >= MAX_FAMILIES {
                    input.identity.adults.clear();
                }
                Request::FamilyCreate { input }
            }
            "FamilyUpdate" => self.family_update(&circle),
            "FamilyGet" => Request::FamilyGet { code: self.family() },
            // A count of one of the four lists, with a filter drawn as for the list.
            "Count" => loop {
                let of = match self.request(who) {
                    Request::FamilyList { filter } => Counted::Families(filter),
                    Request::NeedList { filter } => Counted::Needs(filter),
                    Request::ProposalList { filter } => Counted::Proposals(filter),
                    Request::PlacementList { filter } => Counted::Placements(filter),
                    _ => continue,
                };
                break Request::Count { of };
            },
            "FamilyList" => {
                let filter = FamilyFilter {
                    status: self.opt(|f| f.pick(FamilyStatus::ALL)),
                    kind: None,
                    service: self.opt(|f| f.service()),
                    comune: self.opt(|f| f.pick(&comuni())),
                    referent: if self.rng.gen_bool(0.2) { Some(self.user()) } else { None },
                    stale: None,
                    free_places: None,
                    limit: self.limit(),
                    after: None,
                    ..FamilyFilter::default()
                };
                Request::FamilyList { filter }
            }
            "EmergencyRead" => {
                let code = match self.rng.gen_range(0..3) {
                    0 => self.family().to_string(),
                    1 => self.need().to_string(),
                    _ => self.text(),
                };
                Request::EmergencyRead {
                    code,
                    reason: self.pick(&["", "richiesta urgente della procura", "   "]).into(),
                }
            }
            "NeedCreate" => {
                let s = self.rng.gen_range(1..=SERVICES);
                let mut input = self.fresh_need(s, None);
                if self.rng.gen_bool(0.5) {
                    input.service = None;
                    input.referent = None;
                }
                if self.rng.gen_bool(0.1) && !self.needs.is_empty() {
                    input.placement.siblings = vec![self.need()];
                }
                if self.needs.len() >= MAX_NEEDS {
                    input.identity.given_name.clear();
                }
                Request::NeedCreate { input }
            }
            "NeedUpdate" => self.need_update(&circle),
            "NeedGet" => Request::NeedGet { code: self.need() },
            "NeedShared" => Request::NeedShared { code: self.need() },
            "NeedList" => {
                let filter = NeedFilter {
                    status: self.opt(|f| f.pick(NeedStatus::ALL)),
                    kind: None,
                    service: self.opt(|f| f.service()),
                    comune: self.opt(|f| f.pick(&comuni())),
                    referent: if self.rng.gen_bool(0.2) { Some(self.user()) } else { None },
                    emergency: None,
                    limit: self.limit(),
                    after: None,
                };
                Request::NeedList { filter }
            }
            "MatchNeed" => Request::MatchNeed {
                need: self.need(),
                limit: self.rng.gen_range(0..15),
                why_not: self.opt(|f| f.family()),
                hosts: self.pick(&[Hosts::Families, Hosts::Services, Hosts::Both]),
            },
            "MatchFamily" => Request::MatchFamily { family: self.family(), limit: self.rng.gen_range(0..15) },
            "Available" => Request::Available { profile: self.profile(), limit: self.rng.gen_range(0..15) },
            "Places" => Request::Places { profile: self.profile(), limit: self.rng.gen_range(0..15) },
            "Directory" => {
                let filter = DirectoryFilter {
                    code: if self.rng.gen_bool(0.2) { Some(self.service()) } else { None },
                    kind: self.opt(|f| f.pick(ServiceKind::ALL)),
                    reception: self.rng.gen_bool(0.3),
                    ambit: if self.rng.gen_bool(0.2) { Some(self.pick(&["Dalmine", "nessuno"]).into()) } else { None },
                    comune: self.opt(|f| f.pick(&comuni())),
                    vacant: self.rng.gen_bool(0.3),
                    inactive: self.rng.gen_bool(0.3),
                };
                Request::Directory { filter }
            }
            "Figures" => {
                let territory = match self.rng.gen_range(0..5) {
                    0 => None,
                    1 => Some(Territory::Province),
                    2 => Some(Territory::Ambit(self.pick(&["Dalmine", "nessuno"]).into())),
                    3 => Some(Territory::Comune(self.pick(&comuni()))),
                    _ => Some(Territory::Service(self.service())),
                };
                let only = if self.rng.gen_bool(0.5) { vec![] } else { vec![self.pick(&Indicator::ALL)] };
                let at = if self.rng.gen_bool(0.5) {
                    None
                } else {
                    Some(self.today - time::Duration::days(self.rng.gen_range(-400..4000)))
                };
                Request::Figures {
                    query: FiguresQuery { at, from: None, to: None, territory, only, leaving: self.rng.gen_bool(0.3) },
                }
            }
            "VacancyDeclare" => Request::VacancyDeclare {
                service: self.service(),
                input: VacancyInput { places: self.rng.gen_range(0..5), declared_on: self.today, note: self.text() },
            },
            "ProposeService" => {
                Request::ProposeService { need: self.need(), service: self.service(), note: self.text() }
            }
            "ProposalCreate" => {
                let need = if self.proposals.len() >= MAX_PROPOSALS { NeedCode::new(2026, 999) } else { self.need() };
                Request::ProposalCreate { need, family: self.family(), note: self.word() }
            }
            "ProposalStep" => {
                let code = self.proposal();
                let base_revision = self.revision_of::<Proposal>(TreeId::Proposals, &code.key());
                let to = self.pick(ProposalStatus::ALL);
                Request::ProposalStep { code, base_revision, to, note: self.word() }
            }
            "ProposalGet" => Request::ProposalGet { code: self.proposal() },
            "ProposalView" => Request::ProposalView { code: self.proposal() },
            "ProposalList" => {
                let filter = ProposalFilter {
                    service: self.opt(|f| f.service()),
                    direction: self.opt(|f| f.pick(&[Direction::Inbox, Direction::Outbox])),
                    status: None,
                    active: self.opt(|f| f.rng.gen_bool(0.5)),
                    need: if self.rng.gen_bool(0.2) { Some(self.need()) } else { None },
                    family: if self.rng.gen_bool(0.2) { Some(self.family()) } else { None },
                    limit: self.limit(),
                    after: None,
                };
                Request::ProposalList { filter }
            }
            "PlacementStart" => {
                let proposal = self.proposal();
                let base_revision = self.revision_of::<Proposal>(TreeId::Proposals, &proposal.key());
                Request::PlacementStart { proposal, base_revision, plan: self.plan() }
            }
            "PlacementPlan" => {
                let code = self.placement();
                let base_revision = self.revision_of::<Placement>(TreeId::Placements, &code.key());
                Request::PlacementPlan { code, base_revision, plan: self.plan() }
            }
            "PlacementReview" => {
                let code = self.placement();
                let base_revision = self.revision_of::<Placement>(TreeId::Placements, &code.key());
                Request::PlacementReview {
                    code,
                    base_revision,
                    date: self.today,
                    note: self.pick(&["verifica regolare", ""]).into(),
                    kind: banca::model::ReviewKind::Formal,
                }
            }
            "PlacementClose" => {
                let code = self.placement();
                let base_revision = self.revision_of::<Placement>(TreeId::Placements, &code.key());
                let outcome = self.pick(PlacementOutcome::ALL);
                Request::PlacementClose { code, base_revision, date: self.today, outcome, note: self.word() }
            }
            "PlacementExtend" => {
                let code = self.placement();
                let base_revision = self.revision_of::<Placement>(TreeId::Placements, &code.key());
                Request::PlacementExtend {
                    code,
                    base_revision,
                    decided_on: self.today,
                    until: self.today + time::Duration::days(self.rng.gen_range(300..900)),
                    decided_by: self.pick(Decider::ALL),
                    note: self.word(),
                }
            }
            "PlacementCourtReport" => {
                let code = self.placement();
                let base_revision = self.revision_of::<Placement>(TreeId::Placements, &code.key());
                Request::PlacementCourtReport {
                    code,
                    base_revision,
                    due_on: self.today + time::Duration::days(self.rng.gen_range(0..60)),
                    sent_on: self.opt(|f| f.today),
                    note: self.word(),
                }
            }
            "FamilyEnquiry" => {
                let s = self.rng.gen_range(1..=SERVICES);
                let fresh = self.fresh_family(s);
                let input = EnquiryInput {
                    service: self.opt(|_| ServiceCode(s)),
                    names: fresh.identity.adults.iter().map(|a| a.name.clone()).collect(),
                    phone: "035 555 0101".into(),
                    email: fresh.identity.email,
                    comune: self.pick(&comuni()),
                    date: self.today,
                    source: self.opt(|f| f.pick(EnquirySource::ALL)),
                    source_note: self.word(),
                    event: self.opt(|f| f.event()),
                    note: self.word(),
                };
                Request::FamilyEnquiry { input }
            }
            "FamilyStep" => {
                let code = self.family();
                let base_revision = self.revision_of::<Family>(TreeId::Families, &code.key());
                let kind = self.pick(StepKind::ALL);
                let step = StepInput {
                    kind,
                    date: self.today,
                    by: self.word(),
                    note: self.word(),
                    reason: if kind.needs_reason() { Some(self.pick(StepReason::ALL)) } else { None },
                    event: None,
                    assessors: (kind == StepKind::AssessmentStart)
                        .then(|| Assessors { social_worker: self.word(), psychologist: self.word() }),
                };
                Request::FamilyStep { code, base_revision, step }
            }
            "FamilySupport" => {
                let code = self.family();
                let base_revision = self.revision_of::<Family>(TreeId::Families, &code.key());
                let entry = SupportEntry {
                    kind: self.pick(SupportKind::ALL),
                    date: self.today,
                    note: self.word(),
                    event: None,
                    recorded_by: String::new(),
                };
                Request::FamilySupport { code, base_revision, entry }
            }
            "Due" => Request::Due { service: self.opt(|f| f.service()), days: self.rng.gen_range(0..40) },
            "Recruitment" => Request::Recruitment { service: self.opt(|f| f.service()), since: None },
            "EventCreate" => Request::EventCreate { input: self.event_input() },
            "EventUpdate" => {
                let code = self.event();
                let base_revision = self.revision_of::<NetworkEvent>(TreeId::Events, &code.key());
                Request::EventUpdate { code, base_revision, input: self.event_input() }
            }
            "EventGet" => Request::EventGet { code: self.event() },
            "EventList" => Request::EventList { kind: None, from: None, after: None, limit: self.limit() },
            "PlacementGet" => Request::PlacementGet { code: self.placement() },
            "PlacementList" => {
                let filter = PlacementFilter {
                    service: self.opt(|f| f.service()),
                    need: if self.rng.gen_bool(0.2) { Some(self.need()) } else { None },
                    family: if self.rng.gen_bool(0.2) { Some(self.family()) } else { None },
                    active: self.opt(|f| f.rng.gen_bool(0.5)),
                    limit: self.limit(),
                    after: None,
                };
                Request::PlacementList { filter }
            }
            "Search" => Request::Search { query: self.text(), limit: self.rng.gen_range(0..40) },
            "Export" => Request::Export,
            "Import" => {
                let lines =
                    if self.rng.gen_bool(0.5) { vec![] } else { vec![ExportLine::header().to_json(), self.text()] };
                Request::Import { lines }
            }
            "AuditList" => {
                let record = if self.rng.gen_bool(0.5) { Some(self.text()) } else { None };
                Request::AuditList { record, limit: self.rng.gen_range(1..30), after: None }
            }
            "AuditVerify" => Request::AuditVerify,
            "Doctor" => Request::Doctor { repair: self.rng.gen_bool(0.2) },
            "QuarantineExport" => Request::QuarantineExport,
            other => unreachable!("{other}"),
        }
    }
}
