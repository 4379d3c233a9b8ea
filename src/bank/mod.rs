//! The heart of the product: `Bank::handle(&Actor, Request) -> Response`
//! is the only way to read or write the bank. Tests call it in-process;
//! the CLI (and next the server) call it for every operation.

mod backup;
mod care;
mod changes;
mod damage;
mod directory;
mod doctor;
mod emergency;
mod events;
mod families;
mod family_query;
mod figures;
mod index;
mod line_bounds;
mod matching;
mod needs;
mod paging;
mod pathway;
mod placements;
mod proposals;
mod reads;
mod reception;
mod restore;
mod search;
mod startup;
mod store_errors;
mod write;

pub use crate::access::Involved;
// The wire's types, for the bank's own modules (`super::Reply`); callers
// name them in `crate::api`.
use crate::api::*;
pub use crate::model::clock::{Clock, FixedClock, SystemClock};
pub use crate::model::CareConfig;
pub use backup::{ExportLine, ExportWriter, Exported, Seal, EXPORT_VERSION, MAX_LINE_BYTES};
pub use changes::Committed;
pub use directory::ambits_from_csv;
pub use emergency::MAX_REASON;
pub use paging::{PAGE_BYTES, PAGE_SIZE};
pub use restore::Restore;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use time::{Date, OffsetDateTime};

use crate::access::{self, Operation, Subject};
use crate::model::*;
use crate::store::audit::AuditEntry as StoredAuditEntry;
use crate::store::{codec, OpenOptions, Store, StoreError, TreeId};

/// Who is asking: a Unix user name the kernel vouched for. The bank maps
/// it to an operator record on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    /// The client runs as the server's own Unix user (or root): the one
    /// who may create the first administrator or restore into an empty bank.
    pub server_user: bool,
}

impl Actor {
    /// An ordinary client.
    pub fn new(user: impl Into<String>) -> Actor {
        Actor { user: user.into(), server_user: false }
    }

    /// A client running as the server's own user (or root), as the kernel says.
    pub fn server_user(user: impl Into<String>) -> Actor {
        Actor { user: user.into(), server_user: true }
    }
}

#[derive(Debug, Clone)]
pub struct BankConfig {
    /// Months after which an unconfirmed availability is stale.
    pub stale_after_months: u32,
    /// Figures under it are hidden ("<3") wherever they leave their service.
    pub small_cell: u32,
    /// sled page cache in bytes. Small: what a start-up reads is shed
    /// down to it (`store::cache`), and a page missed is read back from
    /// the system's file cache in about a tenth of a millisecond.
    pub cache_bytes: u64,
    /// Weights and scales of the matching score.
    pub matching: crate::matching::MatchingConfig,
    /// Free space kept on the bank's disk, in bytes: a write that finds
    /// less is refused (`None`: the larger of 64 MiB and 1 % of the disk, at most 1 GiB).
    pub disk_reserve: Option<u64>,
    /// Records a page of a list holds at most, whatever the client asks.
    pub page_size: usize,
    /// Bytes a page of a list takes at most, about (it closes once past them).
    pub page_bytes: usize,
    /// When the reminders fall due, and the revision of idoneità.
    pub care: CareConfig,
}

impl Default for BankConfig {
    fn default() -> Self {
        BankConfig {
            stale_after_months: 6,
            small_cell: crate::api::DEFAULT_SMALL_CELL,
            cache_bytes: 4 * 1024 * 1024,
            matching: crate::matching::MatchingConfig::default(),
            disk_reserve: None,
            page_size: PAGE_SIZE,
            page_bytes: PAGE_BYTES,
            care: CareConfig::default(),
        }
    }
}

pub struct Bank {
    /// Shared with the writer of identity reads (`reads`).
    store: Arc<Store>,
    comuni: &'static Comuni,
    clock: Arc<dyn Clock>,
    config: BankConfig,
    /// Writes are serialised: each validates and commits under this lock, so
    /// revision checks and referential checks see the state they commit on.
    writer: Arc<Mutex<()>>,
    /// Names shown in search hits, put on record by a thread of their own.
    reads: reads::IdentityReads,
    /// Told of every committed change (the server fans it out to clients).
    listener: OnceLock<ChangeListener>,
    /// Families and open needs in memory for matching; written under `writer`.
    matching: RwLock<crate::matching::MatchIndex>,
    /// Every record's search key in memory; written under `writer`.
    search: RwLock<crate::search::SearchIndex>,
    /// Every record's dated facts for the figures; written under `writer`.
    figures: RwLock<crate::figures::FigureIndex>,
    /// Whether both indexes are built yet (`startup`).
    readiness: startup::Readiness,
}

type ChangeListener = Box<dyn Fn(&Committed) + Send + Sync>;

impl Bank {
    /// Opens an existing bank (`create = false`) or creates an empty one,
    /// its indexes built.
    pub fn open(path: &Path, config: BankConfig, create: bool, clock: Arc<dyn Clock>) -> Result<Bank, StoreError> {
        let bank = Bank::open_starting(path, config, create, clock)?;
        bank.build_indexes()?;
        Ok(bank)
    }

    /// Opens the store only: the bank answers what needs no index at once,
    /// the rest once [`Bank::build_indexes`] has run (`startup`).
    pub fn open_starting(
        path: &Path,
        config: BankConfig,
        create: bool,
        clock: Arc<dyn Clock>,
    ) -> Result<Bank, StoreError> {
        let store = Arc::new(Store::open(
            path,
            &OpenOptions { create, cache_bytes: config.cache_bytes, disk_reserve: config.disk_reserve },
        )?);
        let writer = Arc::new(Mutex::new(()));
        let reads = reads::IdentityReads::start(record_reads(Arc::clone(&store), Arc::clone(&writer)));
        let bank = Bank {
            store,
            comuni: Comuni::embedded(),
            clock,
            config,
            writer,
            reads,
            listener: OnceLock::new(),
            matching: RwLock::new(Default::default()),
            search: RwLock::new(Default::default()),
            figures: RwLock::new(Default::default()),
            readiness: Default::default(),
        };
        Ok(bank)
    }

    /// Today's names shown in search hits, from the log's newest entries:
    /// after a restart they are not recorded a second time the same day.
    fn remember_todays_reads(&self) -> Result<(), StoreError> {
        let today = self.today();
        for kv in self.store.tree(TreeId::Audit).iter().rev() {
            let (_, v) = kv?;
            let Ok((_, e)) = codec::decode::<StoredAuditEntry>(&v) else { continue };
            if e.at.date() < today {
                break;
            }
            if e.action == AuditAction::ReadIdentity && e.fields == ["search"] && e.at.date() == today {
                self.reads.remember(&e.actor, &e.record, today);
            }
        }
        Ok(())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Waits until every identity read shown in search hits so far is on
    /// record (it is written soon after the search, off its path).
    pub fn flush_identity_reads(&self) {
        self.reads.flush();
    }

    pub fn config(&self) -> &BankConfig {
        &self.config
    }

    pub fn today(&self) -> Date {
        self.clock.now().date()
    }

    fn context(&self) -> Context<'static> {
        Context { today: self.today(), comuni: self.comuni }
    }

    fn write_lock(&self) -> MutexGuard<'_, ()> {
        // A panic while holding the lock leaves no half-written state (sled
        // transactions are atomic), so a poisoned lock is safe to reuse.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers the one listener of committed changes.
    pub fn on_change(&self, listener: impl Fn(&Committed) + Send + Sync + 'static) {
        let _ = self.listener.set(Box::new(listener));
    }

    pub fn handle(&self, actor: &Actor, request: Request) -> Response {
        self.store.check_usable()?;
        let writes = changes::writes(&request);
        crate::store::take_committed();
        write::take_written();
        let response = self.dispatch_contained(actor, request);
        let committed = crate::store::take_committed();
        let written = write::take_written();
        // Nothing leaves that is not durable: a write being flushed may
        // have been read; wait for its flush, and if it failed, answer
        // nothing but that (its author alone hears why) — or a write of
        // this request's own that was flushed before it.
        let response = match (self.store.settled(), response) {
            (Err(_), response @ Err(BankError::WriteFailed { .. })) => response,
            (Err(_), response @ Ok(_)) if committed => response,
            (Err(halted), _) => Err(halted.into()),
            (Ok(()), response) => response,
        };
        if let (Some(writes), Ok(reply)) = (writes, &response) {
            self.notify(actor, writes, reply, &written);
        }
        response
    }

    fn dispatch(&self, actor: &Actor, request: Request) -> Response {
        if !startup::answers_without_indexes(&request) {
            self.await_indexes()?;
        }
        match request {
            Request::Init { admin } => return self.init(actor, admin),
            Request::Import { lines } => return self.import(actor, lines),
            // The server's own user may examine a bank whose operators do not decode.
            Request::Doctor { repair } => return self.doctor(actor, repair),
            Request::QuarantineExport => return self.quarantine_export(actor),
            _ => {}
        }
        let who = self.principal(actor)?;
        match request {
            Request::Init { .. } | Request::Import { .. } | Request::Doctor { .. } | Request::QuarantineExport => {
                unreachable!("handled above")
            }
            Request::Whoami => Ok(Reply::Whoami(who)),
            Request::Info => self.info(),
            Request::AmbitSave { input, base_revision } => self.save_ambit(&who, input, base_revision),
            Request::AmbitGet { name } => self.get_ambit(&who, &name),
            Request::AmbitList { after, limit } => self.list_ambits(&who, after, limit),
            Request::ServiceCreate { input } => self.create_service(&who, input),
            Request::ServiceUpdate { code, base_revision, input } => {
                self.update_service(&who, code, base_revision, input)
            }
            Request::ServiceGet { code } => self.get_service(&who, code),
            Request::ServiceList { after, limit } => self.list_services(&who, after, limit),
            Request::OperatorCreate { user, input } => self.create_operator(&who, &user, input),
            Request::OperatorUpdate { user, base_revision, input } => {
                self.update_operator(&who, &user, base_revision, input)
            }
            Request::OperatorGet { user } => self.get_operator(&who, &user),
            Request::OperatorList { service, after, limit } => self.list_operators(&who, service, after, limit),
            Request::FamilyCreate { input } => self.create_family(&who, input),
            Request::FamilyUpdate { code, base_revision, input } => {
                self.update_family(&who, code, base_revision, input)
            }
            Request::FamilyGet { code } => self.get_family(&who, code),
            Request::FamilyEnquiry { input } => self.create_enquiry(&who, input),
            Request::FamilyStep { code, base_revision, step } => self.step_family(&who, code, base_revision, step),
            Request::FamilySupport { code, base_revision, entry } => {
                self.support_family(&who, code, base_revision, entry)
            }
            Request::Due { service, days } => self.due(&who, service, days),
            Request::Recruitment { service, since } => self.recruitment(&who, service, since),
            Request::EventCreate { input } => self.create_event(&who, input),
            Request::EventUpdate { code, base_revision, input } => self.update_event(&who, code, base_revision, input),
            Request::EventGet { code } => self.get_event(&who, code),
            Request::EventList { kind, from, after, limit } => self.list_events(&who, kind, from, after, limit),
            Request::FamilyList { filter } => self.list_families(&who, &filter),
            Request::EmergencyRead { code, reason } => self.emergency_read(&who, &code, &reason),
            Request::NeedCreate { input } => self.create_need(&who, input),
            Request::NeedUpdate { code, base_revision, input } => self.update_need(&who, code, base_revision, input),
            Request::NeedGet { code } => self.get_need(&who, code, true),
            Request::NeedShared { code } => self.get_need(&who, code, false),
            Request::NeedList { filter } => self.list_needs(&who, &filter),
            Request::Count { of } => self.count(&who, &of).map(Reply::Count),
            Request::MatchNeed { need, limit, why_not, hosts } => self.match_need(&who, need, limit, why_not, hosts),
            Request::Places { profile, limit } => self.places(&who, profile, limit),
            Request::Directory { filter } => self.directory(&who, &filter),
            Request::Figures { query } => self.figures(&who, &query),
            Request::VacancyDeclare { service, input } => self.declare_vacancy(&who, service, input),
            Request::ProposeService { need, service, note } => self.propose_service(&who, need, service, note),
            Request::MatchFamily { family, limit } => self.match_family(&who, family, limit),
            Request::Available { profile, limit } => self.available(&who, profile, limit),
            Request::ProposalCreate { need, family, note } => self.create_proposal(&who, need, family, note),
            Request::ProposalStep { code, base_revision, to, note } => {
                self.step_proposal(&who, code, base_revision, to, note)
            }
            Request::ProposalGet { code } => self.get_proposal(&who, code),
            Request::ProposalView { code } => self.view_proposal(&who, code),
            Request::ProposalList { filter } => self.list_proposals(&who, &filter),
            Request::PlacementStart { proposal, base_revision, plan } => {
                self.start_placement(&who, proposal, base_revision, plan)
            }
            Request::PlacementPlan { code, base_revision, plan } => {
                self.replan_placement(&who, code, base_revision, plan)
            }
            Request::PlacementReview { code, base_revision, date, note, kind } => {
                self.review_placement(&who, code, base_revision, date, note, kind)
            }
            Request::PlacementExtend { code, base_revision, decided_on, until, decided_by, note } => {
                let extension = Extension { decided_on, until, decided_by, note, by: String::new() };
                self.extend_placement(&who, code, base_revision, extension)
            }
            Request::PlacementCourtReport { code, base_revision, due_on, sent_on, note } => {
                let report = CourtReport { due_on, sent_on, note, by: String::new() };
                self.court_report(&who, code, base_revision, report)
            }
            Request::PlacementClose { code, base_revision, date, outcome, note } => {
                self.close_placement(&who, code, base_revision, date, outcome, note)
            }
            Request::PlacementGet { code } => self.get_placement(&who, code),
            Request::PlacementList { filter } => self.list_placements(&who, &filter),
            Request::Search { query, limit } => self.search(&who, &query, limit),
            Request::Export => self.export(actor),
            Request::AuditList { record, limit, after } => {
                self.audit_list(&who, record.as_deref(), limit, after.as_ref())
            }
            Request::AuditVerify => self.audit_verify(&who),
        }
    }

    /// The operator record behind a Unix user, if active.
    fn principal(&self, actor: &Actor) -> Result<Principal, BankError> {
        let Some((_, op)) = self.store.get::<Operator>(TreeId::Operators, actor.user.as_bytes())? else {
            if self.store.tree(TreeId::Operators).is_empty() {
                return Err(BankError::NotInitialized);
            }
            return Err(BankError::UnknownUser { user: actor.user.clone() });
        };
        if !op.details.active {
            return Err(BankError::InactiveUser { user: actor.user.clone() });
        }
        Ok(Principal {
            user: op.user,
            display_name: op.details.display_name,
            role: op.details.role,
            service: op.details.service,
        })
    }

    fn require(
        &self,
        who: &Principal,
        op: Operation,
        subject: Subject,
        owner: Option<ServiceCode>,
        action: &str,
    ) -> Result<(), BankError> {
        if access::allowed(who, op, subject, owner) {
            Ok(())
        } else {
            Err(BankError::Forbidden { action: action.to_string() })
        }
    }

    /// Creates the first administrator, `admin` or the caller. Only the
    /// server's own user (or root) may: whoever reaches the socket of an
    /// empty bank would otherwise make themselves its administrator.
    fn init(&self, actor: &Actor, admin: Option<String>) -> Response {
        let _w = self.write_lock();
        if !self.store.tree(TreeId::Operators).is_empty() {
            return Err(BankError::AlreadyInitialized);
        }
        if !actor.server_user {
            return Err(BankError::ServerUserOnly { action: "init".into() });
        }
        let user = admin.map(|a| a.trim().to_string()).unwrap_or_else(|| actor.user.clone());
        if !crate::model::operator::is_valid_user_name(&user) {
            return Err(BankError::invalid(Field::User, Reason::InvalidUserName));
        }
        let now = self.clock.now();
        let admin = Operator {
            user: user.clone(),
            details: OperatorInput { display_name: user.clone(), role: Role::Admin, service: None, active: true },
            meta: Meta::new(now, &actor.user),
        };
        let mut set = write::WriteSet::new(now, &actor.user);
        set.create_as(admin, AuditAction::Init);
        if let Some(ambit) = directory::seed_dalmine(self.comuni, now, &actor.user) {
            set.create(ambit);
        }
        self.commit(set)?;
        Ok(Reply::Saved(Saved { code: user, revision: 1, changed: vec![], also_changed: vec![] }))
    }

    fn info(&self) -> Response {
        let count = |t: TreeId| self.store.tree(t).len() as u64;
        let imported = self.store.meta(crate::store::meta_key::RESTORED)?.and_then(|v| {
            let text = String::from_utf8_lossy(&v).into_owned();
            let (by, at) = text.split_once(' ')?;
            let at = OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
            Some(Imported { by: by.to_string(), at })
        });
        Ok(Reply::Info(BankInfo {
            path: self.store.path().display().to_string(),
            ambits: count(TreeId::Ambits),
            services: count(TreeId::Services),
            operators: count(TreeId::Operators),
            families: count(TreeId::Families),
            needs: count(TreeId::Needs),
            proposals: count(TreeId::Proposals),
            placements: count(TreeId::Placements),
            audit_entries: count(TreeId::Audit),
            size_on_disk: self.store.size_on_disk()?,
            quarantined: count(TreeId::Quarantine),
            imported,
        }))
    }

    fn audit_list(&self, who: &Principal, record: Option<&str>, limit: usize, after: Option<&Cursor>) -> Response {
        self.require(who, Operation::ReadShared, Subject::AuditLog, None, "audit")?;
        let mut page = paging::Pager::new(&self.config, Some(limit));
        // Newest first: what an operator looking at the log wants.
        for kv in self.entries_after(TreeId::Audit, after, paging::Order::Down) {
            let (k, v) = kv?;
            let (_, e): (u64, StoredAuditEntry) = codec::decode(&v).map_err(|e| BankError::Storage(e.to_string()))?;
            let keep = record.is_none_or(|r| e.record.eq_ignore_ascii_case(r));
            if !page.look(k, keep.then(|| e.shown())) {
                return Ok(Reply::Audit(page.stopped()));
            }
        }
        Ok(Reply::Audit(page.finished()))
    }

    fn audit_verify(&self, who: &Principal) -> Response {
        self.require(who, Operation::ReadShared, Subject::AuditLog, None, "audit")?;
        match self.store.verify_audit() {
            Ok(v) => Ok(Reply::AuditVerified { entries: v.entries, hash_segments: v.segments }),
            Err(b) => Err(BankError::AuditBroken(b)),
        }
    }

    /// The contact block of a record: its service and referent.
    fn contact(&self, service: ServiceCode, referent: &str) -> Result<Contact, BankError> {
        let svc = self.store.get::<Service>(TreeId::Services, &service.key())?;
        let op = self.store.get::<Operator>(TreeId::Operators, referent.as_bytes())?;
        let (service_name, phone, email, on_call) = match svc {
            Some((_, s)) => (s.details.name, s.details.phone, s.details.email, s.details.on_call),
            None => (String::new(), String::new(), String::new(), None),
        };
        Ok(Contact {
            service,
            service_name,
            phone,
            email,
            referent: referent.to_string(),
            referent_name: op.map(|(_, o)| o.details.display_name).unwrap_or_default(),
            on_call,
        })
    }

    /// Checks that a referent can answer for a record of `service`.
    fn check_referent(&self, problems: &mut Problems, service: ServiceCode, referent: &str) -> Result<(), BankError> {
        match self.store.get::<Operator>(TreeId::Operators, referent.as_bytes())? {
            None => problems.push(Field::Referent, Reason::UnknownOperator { user: referent.to_string() }),
            Some((_, op)) if !op.details.active => {
                problems.push(Field::Referent, Reason::ReferentInactive { user: referent.to_string() })
            }
            Some((_, op)) if op.details.service != Some(service) => problems.push(
                Field::Referent,
                Reason::ReferentNotInService { user: referent.to_string(), service: service.to_string() },
            ),
            Some(_) => {}
        }
        Ok(())
    }

    /// The service a new record belongs to: the caller's own, or the one
    /// named (admin). A service that does not exist is a field problem.
    fn owning_service(
        &self,
        who: &Principal,
        requested: Option<ServiceCode>,
        problems: &mut Problems,
    ) -> Result<Option<ServiceCode>, BankError> {
        let service = requested.or(who.service);
        match service {
            None => problems.push(Field::Service, Reason::Required),
            Some(code) => match self.store.get::<Service>(TreeId::Services, &code.key())? {
                None => problems.push(Field::Service, Reason::UnknownService { code: code.to_string() }),
                Some((_, s)) if !s.details.active => {
                    problems.push(Field::Service, Reason::UnknownService { code: code.to_string() })
                }
                Some(_) => {}
            },
        }
        Ok(service)
    }
}

/// The writer of identity reads: each batch one transaction under the
/// bank's write lock, like any other write.
fn record_reads(store: Arc<Store>, writer: Arc<Mutex<()>>) -> reads::WriteReads {
    Box::new(move |batch| {
        let _w = writer.lock().unwrap_or_else(|p| p.into_inner());
        store
            .transact(|tx| {
                for r in batch {
                    tx.audit::<BankError>(r.at, &r.user, AuditAction::ReadIdentity, &r.code, vec!["search".into()])?;
                }
                Ok(())
            })
            .map_err(|e| BankError::from(e).to_string())
    })
}

impl Drop for Bank {
    /// Identity reads still queued are written before the bank closes.
    fn drop(&mut self) {
        self.reads.stop();
    }
}

fn conflict(code: String, based_on: u64, current: u64, meta: &Meta) -> BankError {
    BankError::Conflict { code, based_on, current, changed_by: meta.updated_by.clone(), changed_at: meta.updated_at }
}

fn finish(problems: Problems) -> Result<(), BankError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BankError::Invalid(problems.into_vec()))
    }
}
