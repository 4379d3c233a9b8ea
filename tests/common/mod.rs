//! Shared fixture of the integration tests: a bank on a temporary folder,
//! a fixed clock, two services of the province of Bergamo and one operator
//! of each role. All names are synthetic.
//!
//! | user    | role        | service |
//! |---------|-------------|---------|
//! | admin   | admin       | —       |
//! | anna    | operator    | S-001   |
//! | bruno   | operator    | S-002   |
//! | carla   | coordinator | —       |
//! | dario   | reader      | S-001   |

#![allow(dead_code)]

pub mod cli;
pub mod core_source;
pub mod tui;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use banca::api::{BankError, FamilyView, NeedView, Reply, Request, Response, Saved};
use banca::bank::{Actor, Bank, BankConfig, Clock, FixedClock};
use banca::model::*;
use banca::store::{StoreError, TreeId};
use tempfile::TempDir;
use time::macros::{date, datetime};
use time::OffsetDateTime;

/// "Now" for every test bank.
pub const NOW: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

pub const ADMIN: &str = "admin";
pub const ANNA: &str = "anna";
pub const BRUNO: &str = "bruno";
pub const CARLA: &str = "carla";
pub const DARIO: &str = "dario";

/// Servizio Affidi Ambito di Dalmine.
pub const S1: ServiceCode = ServiceCode(1);
/// Servizio Affidi Ambito di Bergamo.
pub const S2: ServiceCode = ServiceCode(2);

pub const S1_NAME: &str = "Servizio Affidi Ambito di Dalmine";
pub const S2_NAME: &str = "Servizio Affidi Ambito di Bergamo";

/// Name of the ambit `Request::Init` seeds (data/ambiti.csv).
pub const DALMINE_AMBIT: &str = "Dalmine";
pub const BERGAMO_AMBIT: &str = "Bergamo";

pub fn comune(istat: &str) -> ComuneCode {
    ComuneCode::parse(istat).unwrap_or_else(|| panic!("bad ISTAT code {istat}"))
}

/// Dalmine (BG), in the Ambito di Dalmine.
pub fn dalmine() -> ComuneCode {
    comune("016091")
}

/// Stezzano (BG), in the Ambito di Dalmine.
pub fn stezzano() -> ComuneCode {
    comune("016207")
}

/// Bergamo (BG), in the Ambito di Bergamo of the fixture.
pub fn bergamo() -> ComuneCode {
    comune("016024")
}

/// Gorle (BG), in the Ambito di Bergamo of the fixture.
pub fn gorle() -> ComuneCode {
    comune("016115")
}

/// Opens (or creates) a bank at `path` with the fixed clock.
pub fn open_bank(path: &Path, create: bool) -> Result<Bank, StoreError> {
    open_bank_with_clock(path, create, Arc::new(FixedClock(NOW)))
}

pub fn open_bank_with_clock(path: &Path, create: bool, clock: Arc<dyn Clock>) -> Result<Bank, StoreError> {
    Bank::open(path, BankConfig { cache_bytes: 4 * 1024 * 1024, ..BankConfig::default() }, create, clock)
}

/// A new, empty bank: no operators, not initialised.
pub fn empty_bank() -> (TempDir, Bank) {
    empty_bank_with_clock(Arc::new(FixedClock(NOW)))
}

pub fn empty_bank_with_clock(clock: Arc<dyn Clock>) -> (TempDir, Bank) {
    let dir = TempDir::new().expect("temporary folder");
    let bank = open_bank_with_clock(&dir.path().join("bank"), true, clock).expect("a new bank opens");
    (dir, bank)
}

/// A clock the test moves forward by hand.
pub struct StepClock(Mutex<OffsetDateTime>);

impl StepClock {
    pub fn new(at: OffsetDateTime) -> Arc<StepClock> {
        Arc::new(StepClock(Mutex::new(at)))
    }

    pub fn advance(&self, by: time::Duration) -> OffsetDateTime {
        let mut t = self.0.lock().unwrap();
        *t += by;
        *t
    }
}

impl Clock for StepClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

/// Runs `body` alone in a child process of this test binary (this very
/// test, re-run with `--exact`), and fails if the child fails or hangs.
///
/// For tests that may leave the bank stuck inside a sled transaction: sled
/// 0.34 guards every tree of every database with one process-wide lock, so
/// one stuck transaction would stall every other test of the binary.
pub fn in_own_process(test: &str, body: impl FnOnce()) {
    const CHILD: &str = "BANCA_TEST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        body();
        return;
    }
    let out = tempfile::NamedTempFile::new().expect("output file");
    let append = || std::fs::OpenOptions::new().append(true).open(out.path()).expect("output file");
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("RUST_BACKTRACE", "0")
        .stdout(append())
        .stderr(append())
        .spawn()
        .expect("child test process");
    let deadline = std::time::Instant::now() + ANSWER_WITHIN * 3;
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = std::fs::read_to_string(out.path()).unwrap_or_default();
    match status {
        None => panic!("{test} hung in its own process:\n{output}"),
        Some(s) if !s.success() => panic!("{test} failed in its own process:\n{output}"),
        Some(_) => assert!(output.contains("1 passed"), "{test} did not run in its own process:\n{output}"),
    }
}

/// Every tree by name, with its keys and values in order.
pub type Snapshot = Vec<(&'static str, Vec<(Vec<u8>, Vec<u8>)>)>;

pub struct Fixture {
    pub dir: TempDir,
    pub bank: Arc<Bank>,
}

/// No request takes anywhere near this long; past it the bank is stuck.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// `bank.handle`, but a bank that never answers (a deadlock) fails the test
/// instead of hanging the whole test run.
pub fn ask(bank: &Arc<Bank>, user: &str, request: Request) -> Response {
    ask_as(bank, Actor::new(user), request)
}

/// `ask` as the server's own Unix user (or root): the one who may `init`
/// and `import` into an empty bank.
pub fn ask_server_user(bank: &Arc<Bank>, user: &str, request: Request) -> Response {
    ask_as(bank, Actor::server_user(user), request)
}

pub fn ask_as(bank: &Arc<Bank>, actor: Actor, request: Request) -> Response {
    let bank = Arc::clone(bank);
    let what = format!("{}: {request:?}", actor.user);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let answer = bank.handle(&actor, request);
        // Let go of the bank before answering, so a test may reopen it at once.
        drop(bank);
        let _ = tx.send(answer);
    });
    match rx.recv_timeout(ANSWER_WITHIN) {
        Ok(answer) => answer,
        Err(RecvTimeoutError::Timeout) => {
            panic!("the bank gave no answer within {ANSWER_WITHIN:?}: it is stuck (deadlock?) on {what}")
        }
        Err(RecvTimeoutError::Disconnected) => panic!("the bank panicked on {what}"),
    }
}

/// The bank every test starts from: initialised by `admin` (which seeds the
/// Ambito di Dalmine), the Ambito di Bergamo, services S-001 and S-002, and
/// the operators anna, bruno, carla and dario.
pub fn fixture() -> Fixture {
    fixture_with_clock(Arc::new(FixedClock(NOW)))
}

pub fn fixture_with_clock(clock: Arc<dyn Clock>) -> Fixture {
    let (dir, bank) = empty_bank_with_clock(clock);
    Fixture::seeded(dir, bank)
}

impl Fixture {
    /// An empty bank in `dir` given the fixture's directory, services and operators.
    pub fn seeded(dir: TempDir, bank: Bank) -> Fixture {
        let fx = Fixture { dir, bank: Arc::new(bank) };
        seed(&fx);
        fx
    }
}

fn seed(fx: &Fixture) {
    ask_server_user(&fx.bank, ADMIN, Request::Init { admin: None }).expect("init");
    fx.saved(ADMIN, Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
    let s1 = fx.saved(ADMIN, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });
    let s2 = fx.saved(ADMIN, Request::ServiceCreate { input: service_input(S2_NAME, BERGAMO_AMBIT) });
    assert_eq!((s1.code.as_str(), s2.code.as_str()), ("S-001", "S-002"));
    for (user, name, role, service) in [
        (ANNA, "Anna Operatrice", Role::Operator, Some(S1)),
        (BRUNO, "Bruno Operatore", Role::Operator, Some(S2)),
        (CARLA, "Carla Coordinatrice", Role::Coordinator, None),
        (DARIO, "Dario Lettore", Role::Reader, Some(S1)),
    ] {
        fx.saved(ADMIN, Request::OperatorCreate { user: user.into(), input: operator_input(name, role, service) });
    }
}

/// Audit entries the fixture leaves: init, Dalmine, Bergamo, two services, four operators.
pub const FIXTURE_AUDIT_ENTRIES: u64 = 9;

impl Fixture {
    /// The folder of the bank (inside the temporary folder).
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("bank")
    }

    pub fn handle(&self, user: &str, request: Request) -> Response {
        ask(&self.bank, user, request)
    }

    /// The reply of a request that must succeed.
    pub fn ok(&self, user: &str, request: Request) -> Reply {
        let what = format!("{request:?}");
        self.handle(user, request).unwrap_or_else(|e| panic!("{user}: {what} failed: {e:?}"))
    }

    /// The error of a request that must fail.
    pub fn err(&self, user: &str, request: Request) -> BankError {
        let what = format!("{request:?}");
        match self.handle(user, request) {
            Ok(reply) => panic!("{user}: {what} should have failed, got {reply:?}"),
            Err(e) => e,
        }
    }

    /// The problems of a request that must be refused as invalid.
    pub fn invalid(&self, user: &str, request: Request) -> Vec<Problem> {
        match self.err(user, request) {
            BankError::Invalid(problems) => problems,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    pub fn saved(&self, user: &str, request: Request) -> Saved {
        match self.ok(user, request) {
            Reply::Saved(s) => s,
            other => panic!("expected Saved, got {other:?}"),
        }
    }

    pub fn create_family(&self, user: &str, input: FamilyInput) -> FamilyCode {
        let saved = self.saved(user, Request::FamilyCreate { input });
        FamilyCode::parse(&saved.code).expect("a family code")
    }

    /// Records one step of a family's pathway today, with the assessors or
    /// the reason it needs; the saved answer.
    pub fn take_step(&self, user: &str, code: FamilyCode, kind: StepKind) -> Saved {
        let base_revision = self.family(user, code).revision;
        let step = StepInput {
            kind,
            date: NOW.date(),
            by: String::new(),
            note: String::new(),
            reason: kind.needs_reason().then_some(StepReason::FamilyCircumstances),
            event: None,
            assessors: (kind == StepKind::AssessmentStart)
                .then(|| Assessors { social_worker: "Rita Rota".into(), psychologist: "Marco Bassi".into() }),
        };
        self.saved(user, Request::FamilyStep { code, base_revision, step })
    }

    /// Takes an enquiring family through the assessment to idonea today.
    pub fn approve(&self, user: &str, code: FamilyCode) {
        use StepKind::*;
        for kind in [AssessmentStart, Interview, HomeVisit, Report, Approval] {
            self.take_step(user, code, kind);
        }
    }

    pub fn create_need(&self, user: &str, input: NeedInput) -> NeedCode {
        let saved = self.saved(user, Request::NeedCreate { input });
        NeedCode::parse(&saved.code).expect("a need code")
    }

    pub fn family(&self, user: &str, code: FamilyCode) -> FamilyView {
        match self.ok(user, Request::FamilyGet { code }) {
            Reply::Family(v) => v,
            other => panic!("expected Family, got {other:?}"),
        }
    }

    pub fn need(&self, user: &str, code: NeedCode) -> NeedView {
        match self.ok(user, Request::NeedGet { code }) {
            Reply::Need(v) => v,
            other => panic!("expected Need, got {other:?}"),
        }
    }

    pub fn families(&self, user: &str, filter: banca::api::FamilyFilter) -> Vec<FamilyCode> {
        match self.ok(user, Request::FamilyList { filter }) {
            Reply::Families(v) => v.into_iter().map(|f| f.code).collect(),
            other => panic!("expected Families, got {other:?}"),
        }
    }

    /// A family as its own service would submit it again: what is stored,
    /// as input (read from the store: nobody's read, nothing on record).
    pub fn family_as_input(&self, code: FamilyCode) -> (u64, FamilyInput) {
        let (revision, f) =
            self.bank.store().get::<Family>(TreeId::Families, &code.key()).expect("reads").expect("stored");
        let input = FamilyInput {
            service: Some(f.service),
            referent: Some(f.referent),
            identity: f.identity,
            profile: f.profile,
        };
        (revision, input)
    }

    /// A need as its own service would submit it again (read from the store: nothing on record).
    pub fn need_as_input(&self, code: NeedCode) -> (u64, NeedInput) {
        let (revision, n) = self.bank.store().get::<Need>(TreeId::Needs, &code.key()).expect("reads").expect("stored");
        let input = NeedInput {
            service: Some(n.service),
            referent: Some(n.referent),
            identity: n.identity,
            placement: n.placement,
        };
        (revision, input)
    }

    /// As `ask_server_user`.
    pub fn as_server_user(&self, user: &str, request: Request) -> Response {
        ask_server_user(&self.bank, user, request)
    }

    /// Every key and value of every tree, in order.
    pub fn snapshot(&self) -> Snapshot {
        TreeId::ALL
            .iter()
            .map(|t| {
                let kv = self
                    .bank
                    .store()
                    .tree(*t)
                    .iter()
                    .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).expect("tree reads"))
                    .collect();
                (t.name(), kv)
            })
            .collect()
    }

    /// Entries of a verified audit chain; panics when it does not verify.
    pub fn audit_verified(&self, user: &str) -> u64 {
        match self.ok(user, Request::AuditVerify) {
            Reply::AuditVerified { entries, .. } => entries,
            other => panic!("expected AuditVerified, got {other:?}"),
        }
    }

    pub fn audit_len(&self) -> usize {
        self.bank.store().tree(TreeId::Audit).len()
    }
}

pub fn bergamo_ambit() -> AmbitInput {
    AmbitInput {
        name: BERGAMO_AMBIT.into(),
        comuni: vec![bergamo(), gorle(), comune("016150"), comune("016169"), comune("016202"), comune("016214")],
        districts: vec![],
    }
}

pub fn service_input(name: &str, ambit: &str) -> ServiceInput {
    ServiceInput {
        name: name.into(),
        kind: ServiceKind::Ambit,
        ambits: vec![ambit.into()],
        address: "Piazza delle Prove 1".into(),
        phone: "035 000 0001".into(),
        email: "affidi@esempio.example".into(),
        notes: String::new(),
        active: true,
        on_call: None,
        reception: None,
    }
}

pub fn operator_input(display_name: &str, role: Role, service: Option<ServiceCode>) -> OperatorInput {
    OperatorInput { display_name: display_name.into(), role, service, active: true }
}

/// A valid family of the caller's service (service and referent left to the defaults).
pub fn family_input() -> FamilyInput {
    FamilyInput {
        service: None,
        referent: None,
        identity: FamilyIdentity {
            adults: vec![
                Adult { name: "Giulia Esempio".into(), birth_year: 1985 },
                Adult { name: "Marco Prova".into(), birth_year: 1982 },
            ],
            address: "Via delle Prove 12".into(),
            phone: "035 123 4567".into(),
            email: "famiglia.esempio@example.org".into(),
        },
        profile: AvailabilityProfile {
            comune: dalmine(),
            household: Household {
                adults: 2,
                children_birth_years: vec![2015],
                pets: "un gatto".into(),
                spare_rooms: 1,
            },
            kinds: BTreeSet::from([PlacementKind::Residential, PlacementKind::Respite]),
            ages: AgeRange { min_months: 0, max_months: 10 * 12 + 11 },
            sex_preference: SexPreference::Any,
            max_children: 2,
            siblings_accepted: true,
            special_needs_accepted: BTreeSet::new(),
            languages: vec!["italiano".into()],
            time_slots: BTreeSet::from([TimeSlot::FullTime]),
            max_distance_km: Some(30),
            training_completed_on: Some(date!(2026 - 03 - 15)),
            status: FamilyStatus::Enquiring,
            approved_on: None,
            review_on: None,
            confirmed_on: Some(date!(2026 - 10 - 01)),
            notes: String::new(),
            available_from: None,
            available_until: None,
        },
    }
}

/// A first contact of the caller's service: one name, a phone, Dalmine, on `date`.
#[allow(dead_code)]
pub fn enquiry_of(name: &str, date: time::Date) -> EnquiryInput {
    EnquiryInput {
        service: None,
        names: vec![name.into()],
        phone: "035 555 0101".into(),
        email: String::new(),
        comune: dalmine(),
        date,
        source: None,
        source_note: String::new(),
        event: None,
        note: String::new(),
    }
}

/// A valid need of the caller's service: a boy of seven in Dalmine.
pub fn need_input() -> NeedInput {
    NeedInput {
        service: None,
        referent: None,
        identity: ChildIdentity {
            given_name: "Bimbo".into(),
            family_name: "Esempio".into(),
            birth_date: date!(2019 - 05 - 15),
            fiscal_code: None,
            address: "Via delle Prove 3".into(),
        },
        placement: PlacementNeed {
            sex: Sex::Male,
            siblings: vec![],
            kind: PlacementKind::Residential,
            legal: LegalBasis::Consensual,
            urgency: Urgency::Ordinary,
            desired_start: None,
            duration_months: Some(24),
            special_needs: BTreeSet::new(),
            languages: vec!["italiano".into()],
            cultural_notes: String::new(),
            comune: dalmine(),
            origin_comune: None,
            contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: false },
            school_comune: None,
            status: NeedStatus::Open,
            closing_reason: None,
            notes: String::new(),
            time_slots: BTreeSet::new(),
        },
    }
}

/// `family_input` placed in `service` with `referent`, as admin must submit it.
pub fn family_in(service: ServiceCode, referent: &str) -> FamilyInput {
    FamilyInput { service: Some(service), referent: Some(referent.into()), ..family_input() }
}

/// `need_input` placed in `service` with `referent`.
pub fn need_in(service: ServiceCode, referent: &str) -> NeedInput {
    let mut n = need_input();
    n.service = Some(service);
    n.referent = Some(referent.into());
    if service == S2 {
        n.placement.comune = bergamo();
    }
    n
}

/// The small bank the interface's snapshots are drawn from: each service's
/// families (approved, suspended, one stale) and needs, a proposal from
/// S-002 waiting in S-001's inbox, one accepted and started as a placement
/// (with a review due), one declined with its reason. All synthetic.
pub fn tui_fixture() -> Fixture {
    let fx = fixture();
    let family = |comune: ComuneCode, places: u8, status: FamilyStatus, adults: [&str; 2], confirmed: time::Date| {
        let mut f = family_input();
        f.identity.adults = adults.iter().map(|n| Adult { name: (*n).into(), birth_year: 1980 }).collect();
        f.profile.comune = comune;
        f.profile.status = status;
        f.profile.approved_on = Some(date!(2025 - 02 - 01));
        f.profile.kinds = BTreeSet::from([PlacementKind::Residential, PlacementKind::Daytime]);
        f.profile.max_children = places;
        f.profile.max_distance_km = None;
        f.profile.confirmed_on = Some(confirmed);
        f
    };
    use FamilyStatus::{Approved, Suspended, UnderAssessment};
    let fresh = date!(2026 - 10 - 01);
    let a1 = fx.create_family(ANNA, family(dalmine(), 2, Approved, ["Alba Prova", "Bruno Esempio"], fresh));
    fx.create_family(ANNA, family(stezzano(), 1, Approved, ["Carla Finta", "Dino Finto"], date!(2025 - 01 - 10)));
    fx.create_family(ANNA, family(gorle(), 1, UnderAssessment, ["Elsa Campione", "Fabio Campione"], fresh));
    let b1 = fx.create_family(BRUNO, family(bergamo(), 2, Approved, ["Gina Modello", "Ugo Modello"], fresh));
    fx.create_family(BRUNO, family(bergamo(), 1, Suspended, ["Ida Saggio", "Leo Saggio"], fresh));
    let need = |comune: ComuneCode, given: &str, urgency: Urgency| {
        let mut n = need_input();
        n.identity.given_name = given.into();
        n.placement.comune = comune;
        n.placement.urgency = urgency;
        n
    };
    let n1 = fx.create_need(ANNA, need(dalmine(), "Teo", Urgency::Ordinary));
    fx.create_need(ANNA, need(stezzano(), "Mia", Urgency::Emergency { needed_by: date!(2026 - 11 - 30) }));
    fx.create_need(ANNA, need(dalmine(), "Rea", Urgency::Ordinary));
    let n3 = fx.create_need(BRUNO, need(bergamo(), "Noa", Urgency::Ordinary));
    let n4 = fx.create_need(BRUNO, need(bergamo(), "Ele", Urgency::Ordinary));
    let propose = |user: &str, need: NeedCode, family: FamilyCode, note: &str| {
        let saved = fx.saved(user, Request::ProposalCreate { need, family, note: note.into() });
        ProposalCode::parse(&saved.code).expect("a proposal code")
    };
    let step = |user: &str, code: ProposalCode, to: ProposalStatus, note: &str| {
        let base_revision = match fx.ok(CARLA, Request::ProposalGet { code }) {
            Reply::Proposal(p) => p.revision,
            other => panic!("expected a proposal, got {other:?}"),
        };
        fx.saved(user, Request::ProposalStep { code, base_revision, to, note: note.into() });
        base_revision + 1
    };
    // Waiting in S-001's inbox.
    propose(BRUNO, n3, a1, "famiglia vicina alla scuola");
    // Accepted and started.
    let started = propose(ANNA, n1, b1, "famiglia con esperienza");
    let base_revision = step(BRUNO, started, ProposalStatus::Accepted, "");
    let plan = FosterPlan {
        start: date!(2026 - 11 - 02),
        expected_end: Some(date!(2028 - 11 - 01)),
        duration_months: Some(24),
        contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: true },
        contact_notes: "incontri in spazio neutro".into(),
        review_dates: vec![date!(2026 - 11 - 30)],
        commitments: "scuola, sport, incontri".into(),
        relationship: Some(banca::model::Relationship::NonKin),
    };
    fx.saved(ANNA, Request::PlacementStart { proposal: started, base_revision, plan });
    // Declined, with its reason.
    let declined = propose(BRUNO, n4, a1, "disponibilità per l'estate");
    step(ANNA, declined, ProposalStatus::Declined, "la famiglia ha già un minore in accoglienza");
    fx
}

/// Rewrites an export's closing line (count and digest) for the lines
/// before it, as a careful forger would after changing them, so that a
/// test sees the one fault it is about.
#[allow(dead_code)]
pub fn reseal(lines: &mut [String]) {
    let Some((last, before)) = lines.split_last_mut() else { return };
    let mut seal = banca::bank::Seal::default();
    for l in before.iter() {
        seal.add(l.as_bytes());
    }
    *last = seal.end().to_json();
}

/// A counter a family's shared profile can hold, for tests that count
/// writes: `n` in binary as languages of the vocabulary (bit i set: the
/// i-th language named; 20 bits, as many as a profile may list). Languages
/// are the one shared text of a profile, and only the vocabulary's names
/// are accepted.
#[allow(dead_code)]
pub fn counter_languages(n: u64) -> Vec<String> {
    const BITS: usize = banca::model::family::MAX_LANGUAGES;
    assert!(n < 1 << BITS, "counter {n} beyond {BITS} bits");
    let all = banca::model::languages::Language::all().take(BITS);
    all.enumerate().filter(|(i, _)| n >> i & 1 == 1).map(|(_, l)| l.name().to_string()).collect()
}

/// The counter `counter_languages` wrote, or `None` if `languages` hold none.
#[allow(dead_code)]
pub fn counter_from_languages(languages: &[String]) -> Option<u64> {
    let bit = |stored: &String| banca::model::languages::Language::all().position(|l| l.name() == stored);
    languages.iter().map(|l| bit(l).map(|i| 1u64 << i)).sum()
}
