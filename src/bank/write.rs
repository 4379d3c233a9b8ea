//! The one write path of every record kind: load → check the rights →
//! check the base revision → validate → write (one transaction: records,
//! secondary index entries, audit entries) → hand the committed records to
//! the in-memory indexes, as written, without reading them back.
//!
//! A kind's own file says only what is particular to it: who may change a
//! record, what to validate, how the new record is built from the input
//! and the old one. Several records may go in one transaction (a sibling
//! group, a proposal and the needs it moves): the first one staged is the
//! one the reply names, the others are its `also_changed`, in order.

use std::cell::RefCell;

use time::OffsetDateTime;

use crate::access::Involved;
use crate::figures::FigureIndex;
use crate::matching::MatchIndex;
use crate::model::{Comuni, Meta, RecordKind};
use crate::search::SearchIndex;
use crate::store::audit::{changed_fields, AuditAction};
use crate::store::codec::Versioned;
use crate::store::{StoreTx, TreeId, TxResult};

use super::index::{self, Entries};
use super::*;

thread_local! {
    /// What this thread's request saved, with the revision and the services
    /// of each record: whom the change concerns, and at which revision, is
    /// known without reading the records back (`take_written`).
    static WRITTEN: RefCell<Vec<SavedRecord>> = const { RefCell::new(Vec::new()) };
}

/// One record a request saved: its code, the revision it now has, and the
/// services it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SavedRecord {
    pub code: String,
    pub revision: u64,
    pub involved: Involved,
    /// The proposal or placement a record was moved through (a need sent
    /// back to open by a withdrawn proposal): whose link its change travels by.
    pub through: Option<String>,
}

impl SavedRecord {
    fn of(put: &dyn Staged) -> SavedRecord {
        SavedRecord {
            code: put.code(),
            revision: put.revision(),
            involved: put.involved(),
            through: put.through().map(str::to_string),
        }
    }
}

/// The records saved on this thread since the last call, in order.
pub(super) fn take_written() -> Vec<SavedRecord> {
    WRITTEN.take()
}

/// A kind of record the bank keeps in its tree under a key, with a revision.
pub(super) trait Stored: Versioned + serde::Serialize + Clone + 'static {
    const KIND: RecordKind;

    /// Its key in its tree (`TreeId::of(KIND)`).
    fn key(&self) -> Vec<u8>;

    /// How replies and the audit log name it: `F-2026-0042`, a user, an ambito's name.
    fn code(&self) -> String;

    fn meta(&self) -> &Meta;

    fn meta_mut(&mut self) -> &mut Meta;

    /// Its entries in the secondary indexes (status, service, comune,
    /// referent), kept in the record's transaction; none for most kinds
    /// (only a kind with a code letter may have them: it prefixes the entries).
    fn entries(&self) -> Option<Entries> {
        None
    }

    /// What an update changed, as the audit log and the reply name it.
    fn changed(old: &Self, new: &Self) -> Vec<String> {
        changed_fields(old, new)
    }

    /// The services it belongs to, as the access table needs them to tell
    /// whom its change concerns (`changes.rs`).
    fn involved(&self) -> Involved {
        Involved::Nobody
    }

    /// Takes the record into the matching index, if matching knows of its kind.
    fn matched(&self, _index: &mut MatchIndex, _comuni: &Comuni) {}

    /// Takes the record into the search index, if search finds its kind.
    fn searched(&self, _index: &mut SearchIndex) {}

    /// Takes the record into the figures' index, if figures count its kind.
    fn counted(&self, _index: &mut FigureIndex) {}
}

/// One record staged for a write, whatever its kind.
trait Staged {
    fn write(&self, tx: &StoreTx, now: OffsetDateTime, by: &str) -> TxResult<(), BankError>;
    fn matched(&self, index: &mut MatchIndex, comuni: &Comuni);
    fn searched(&self, index: &mut SearchIndex);
    fn counted(&self, index: &mut FigureIndex);
    fn involved(&self) -> Involved;
    fn code(&self) -> String;
    /// The revision it is written with.
    fn revision(&self) -> u64;
    fn changed(&self) -> &[String];
    /// The proposal or placement it was moved through, if it was.
    fn through(&self) -> Option<&str>;
    /// An update that changes nothing.
    fn is_unchanged(&self) -> bool;
}

struct Put<T: Stored> {
    /// The record as written.
    record: T,
    revision: u64,
    /// The record it replaces (its index entries move).
    old: Option<T>,
    action: AuditAction,
    /// What the audit entry names.
    fields: Vec<String>,
    /// What the reply names.
    changed: Vec<String>,
    through: Option<String>,
}

impl<T: Stored> Staged for Put<T> {
    fn write(&self, tx: &StoreTx, now: OffsetDateTime, by: &str) -> TxResult<(), BankError> {
        let key = self.record.key();
        tx.put(TreeId::of(T::KIND), &key, self.revision, &self.record)?;
        if let Some(new) = self.record.entries() {
            let old = self.old.as_ref().and_then(Stored::entries);
            index::replace(tx, T::KIND.code_prefix() as u8, &key, old.as_ref(), &new)?;
        }
        tx.audit(now, by, self.action, &self.record.code(), self.fields.clone())?;
        Ok(())
    }

    fn matched(&self, index: &mut MatchIndex, comuni: &Comuni) {
        self.record.matched(index, comuni);
    }

    fn searched(&self, index: &mut SearchIndex) {
        self.record.searched(index);
    }

    fn counted(&self, index: &mut FigureIndex) {
        self.record.counted(index);
    }

    fn involved(&self) -> Involved {
        self.record.involved()
    }

    fn code(&self) -> String {
        self.record.code()
    }

    fn through(&self) -> Option<&str> {
        self.through.as_deref()
    }

    fn revision(&self) -> u64 {
        self.revision
    }

    fn changed(&self) -> &[String] {
        &self.changed
    }

    fn is_unchanged(&self) -> bool {
        self.old.is_some() && self.changed.is_empty()
    }
}

/// What one request writes, in one transaction: its moment, its author and
/// the records, the one the reply names first.
pub(super) struct WriteSet {
    pub now: OffsetDateTime,
    pub by: String,
    puts: Vec<Box<dyn Staged>>,
    /// How the audit log names the change of the record `update_record`
    /// updates, when a step of its life rather than the fields changed.
    record_step: Option<(AuditAction, Vec<String>)>,
}

impl WriteSet {
    pub fn new(now: OffsetDateTime, by: &str) -> WriteSet {
        WriteSet { now, by: by.to_string(), puts: Vec::new(), record_step: None }
    }

    /// In `update_record`'s `build`: the record updated is put on record
    /// as this step of its life (a proposal accepted) with its own words.
    pub fn record_as_step(&mut self, action: AuditAction, fields: &[&str]) -> &mut Self {
        self.record_step = Some((action, fields.iter().map(|f| f.to_string()).collect()));
        self
    }

    /// A new record, revision 1.
    pub fn create<T: Stored>(&mut self, record: T) -> &mut Self {
        self.create_as(record, AuditAction::Create)
    }

    /// A new record, put on record as `action` (the first administrator).
    pub fn create_as<T: Stored>(&mut self, record: T, action: AuditAction) -> &mut Self {
        let put = Put { record, revision: 1, old: None, action, fields: vec![], changed: vec![], through: None };
        self.puts.push(Box::new(put));
        self
    }

    /// `old` at `revision` becomes `new`: touched now by the author, the
    /// audit entry naming the fields changed.
    pub fn update<T: Stored>(&mut self, revision: u64, old: T, new: T) -> &mut Self {
        self.push_update(revision, old, new, AuditAction::Update, None, None)
    }

    /// An update whose record names what it changed `through` (a proposal,
    /// a placement) rather than the author: the shared view of a need must
    /// not tell a third service which other service's operator moved it
    /// (the audit entry keeps the author).
    pub fn update_through<T: Stored>(&mut self, revision: u64, old: T, new: T, through: &str) -> &mut Self {
        self.push_update(revision, old, new, AuditAction::Update, None, Some(through))
    }

    /// A step of a record's life (a proposal accepted, withdrawn), put on
    /// record as `action` with its own words rather than the fields changed.
    pub fn step<T: Stored>(
        &mut self,
        revision: u64,
        old: T,
        new: T,
        action: AuditAction,
        fields: &[&str],
    ) -> &mut Self {
        let fields = fields.iter().map(|f| f.to_string()).collect();
        self.push_update(revision, old, new, action, Some(fields), None)
    }

    /// A step the bank takes because of another record (`through`: a
    /// proposal withdrawn because another one took the places): the record
    /// names that one as its last author, not the operator who caused it.
    pub fn step_through<T: Stored>(
        &mut self,
        revision: u64,
        old: T,
        new: T,
        action: AuditAction,
        fields: &[&str],
        through: &str,
    ) -> &mut Self {
        let fields = fields.iter().map(|f| f.to_string()).collect();
        self.push_update(revision, old, new, action, Some(fields), Some(through))
    }

    fn push_update<T: Stored>(
        &mut self,
        revision: u64,
        old: T,
        mut new: T,
        action: AuditAction,
        fields: Option<Vec<String>>,
        through: Option<&str>,
    ) -> &mut Self {
        let changed = T::changed(&old, &new);
        let fields = fields.unwrap_or_else(|| changed.clone());
        let mut meta = old.meta().touched(self.now, &self.by);
        if let Some(through) = through {
            meta.updated_by = through.to_string();
        }
        *new.meta_mut() = meta;
        let through = through.map(str::to_string);
        let put = Put { record: new, revision: revision + 1, old: Some(old), action, fields, changed, through };
        self.puts.push(Box::new(put));
        self
    }

    /// The records staged after `other`'s, in order.
    pub fn append(&mut self, other: WriteSet) -> &mut Self {
        self.puts.extend(other.puts);
        self
    }
}

/// What a write committed, as the reply says it.
pub(super) struct Written {
    pub code: String,
    pub revision: u64,
    pub changed: Vec<String>,
    /// The other records of the transaction, in the order they were written.
    pub also: Vec<String>,
}

impl Written {
    pub fn saved(self) -> Reply {
        Reply::Saved(Saved { code: self.code, revision: self.revision, changed: self.changed, also_changed: self.also })
    }
}

impl Bank {
    /// The path of an update, whole: under the write lock, loads the record
    /// at `key`, asks `may` whether the caller may change it, refuses a
    /// `base` revision that is not the current one, lets `build` validate
    /// and make the new record (staging any other record it moves in
    /// `also`), and commits.
    pub(super) fn update_record<T: Stored>(
        &self,
        who: &Principal,
        key: &[u8],
        code: &str,
        base: u64,
        may: impl FnOnce(&T) -> Result<(), BankError>,
        build: impl FnOnce(&T, &mut WriteSet) -> Result<T, BankError>,
    ) -> Response {
        let _w = self.write_lock();
        let (revision, old) = self.load_for_update::<T>(key, code, base, may)?;
        let mut also = WriteSet::new(self.clock.now(), &who.user);
        let new = build(&old, &mut also)?;
        let mut set = WriteSet::new(also.now, &who.user);
        let (action, fields) = match also.record_step.take() {
            Some((action, fields)) => (action, Some(fields)),
            None => (AuditAction::Update, None),
        };
        set.push_update(revision, old, new, action, fields, None).append(also);
        Ok(self.commit(set)?.saved())
    }

    /// Loads the record at `key` for a change based on revision `base`:
    /// not found, not allowed (`may`), or changed meanwhile (a conflict
    /// naming both revisions and who changed it) are refused, in that order.
    pub(super) fn load_for_update<T: Stored>(
        &self,
        key: &[u8],
        code: &str,
        base: u64,
        may: impl FnOnce(&T) -> Result<(), BankError>,
    ) -> Result<(u64, T), BankError> {
        let (revision, old) = self
            .store
            .get::<T>(TreeId::of(T::KIND), key)?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        may(&old)?;
        if base != revision {
            return Err(conflict(code.to_string(), base, revision, old.meta()));
        }
        Ok((revision, old))
    }

    /// Writes `set` in one transaction (records, index entries, audit),
    /// flushed, then hands its records to the in-memory indexes. An update
    /// that changes nothing writes nothing and keeps its revision (no audit
    /// entry, no event); the first record is still the one the reply names.
    /// Called under the write lock, so the next write sees the indexes.
    pub(super) fn commit(&self, mut set: WriteSet) -> Result<Written, BankError> {
        let first = set.puts.first().expect("a write writes a record");
        let named = first.is_unchanged().then(|| SavedRecord {
            code: first.code(),
            revision: first.revision() - 1,
            involved: first.involved(),
            through: None,
        });
        set.puts.retain(|put| !put.is_unchanged());
        if set.puts.is_empty() {
            let named = named.expect("only unchanged updates are dropped");
            let (code, revision) = (named.code.clone(), named.revision);
            WRITTEN.with_borrow_mut(|w| w.push(named));
            return Ok(Written { code, revision, changed: vec![], also: vec![] });
        }
        self.store.transact(|tx| write_all(tx, &set))?;
        Ok(self.indexed(set, named))
    }

    /// As [`Bank::commit`], for a set whose first record takes the next
    /// number of `series` (`F/2026`): the number is drawn, and `build`
    /// makes the set with it, inside the transaction (it may run again if
    /// the transaction is retried, so it only builds).
    pub(super) fn commit_numbered(&self, series: &str, build: impl Fn(u32) -> WriteSet) -> Result<Written, BankError> {
        let set = self.store.transact(|tx| {
            let number = tx.next_number::<BankError>(series)?;
            let mut set = build(number);
            set.puts.retain(|put| !put.is_unchanged());
            write_all(tx, &set)?;
            Ok(set)
        })?;
        Ok(self.indexed(set, None))
    }

    /// The committed records go to the in-memory indexes as written (one
    /// index at a time: a reader never waits on both). `unchanged` is the
    /// record the reply names when it was left as it was (not in `set`).
    fn indexed(&self, set: WriteSet, unchanged: Option<SavedRecord>) -> Written {
        {
            let mut matching = self.index_mut();
            for put in &set.puts {
                put.matched(&mut matching, self.comuni);
            }
        }
        {
            let mut search = self.search_mut();
            for put in &set.puts {
                put.searched(&mut search);
            }
        }
        {
            let mut figures = self.figures_mut();
            for put in &set.puts {
                put.counted(&mut figures);
            }
        }
        WRITTEN.with_borrow_mut(|w| {
            w.extend(unchanged.clone());
            w.extend(set.puts.iter().map(|p| SavedRecord::of(p.as_ref())));
        });
        let mut puts = set.puts.iter();
        match unchanged {
            Some(named) => Written {
                code: named.code,
                revision: named.revision,
                changed: vec![],
                also: puts.map(|p| p.code()).collect(),
            },
            None => {
                let first = puts.next().expect("a write writes a record");
                Written {
                    code: first.code(),
                    revision: first.revision(),
                    changed: first.changed().to_vec(),
                    also: puts.map(|p| p.code()).collect(),
                }
            }
        }
    }
}

/// One record read from the store (at start-up, after an import) into
/// fresh indexes, as a write would hand it.
pub(super) fn take_in<T: Stored>(record: &T, indexes: &mut Indexes, comuni: &Comuni) {
    record.matched(&mut indexes.matching, comuni);
    record.searched(&mut indexes.search);
    record.counted(&mut indexes.figures);
}

/// The in-memory indexes, built together at start-up and after an import.
#[derive(Default)]
pub(super) struct Indexes {
    pub matching: MatchIndex,
    pub search: SearchIndex,
    pub figures: FigureIndex,
}

fn write_all(tx: &StoreTx, set: &WriteSet) -> TxResult<(), BankError> {
    for put in &set.puts {
        put.write(tx, set.now, &set.by)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use time::macros::datetime;

    use super::*;
    use crate::model::clock::FixedClock;
    use crate::model::{Ambit, AmbitInput, ComuneCode};

    fn bank(dir: &std::path::Path) -> Bank {
        let clock = Arc::new(FixedClock(datetime!(2026-12-06 10:00 UTC)));
        let config = BankConfig { cache_bytes: 4 * 1024 * 1024, ..BankConfig::default() };
        Bank::open(&dir.join("bank"), config, true, clock).expect("a new bank opens")
    }

    fn ambit(name: &str, comuni: &[u32]) -> Ambit {
        let details = AmbitInput {
            name: name.into(),
            comuni: comuni.iter().map(|c| ComuneCode::from_u32(*c)).collect(),
            districts: vec![],
        };
        Ambit { details, meta: Meta::new(datetime!(2026-12-06 09:00 UTC), "admin") }
    }

    fn stored(bank: &Bank, name: &str) -> (u64, Ambit) {
        let key = ambit(name, &[]).key();
        bank.store.get::<Ambit>(TreeId::Ambits, &key).unwrap().expect("the ambito is stored")
    }

    fn audit_len(bank: &Bank) -> usize {
        bank.store().tree(TreeId::Audit).len()
    }

    /// Two ambiti at revision 1: "Ambito Uno" and "Ambito Due".
    fn two_ambits(bank: &Bank) {
        let mut set = WriteSet::new(datetime!(2026-12-06 09:00 UTC), "admin");
        set.create(ambit("Ambito Uno", &[16001])).create(ambit("Ambito Due", &[16002]));
        bank.commit(set).expect("both created");
    }

    #[test]
    fn an_unchanged_record_in_a_set_keeps_its_revision_and_gets_no_audit_entry() {
        let dir = tempfile::TempDir::new().unwrap();
        let bank = bank(dir.path());
        two_ambits(&bank);
        let audit_before = audit_len(&bank);
        let (uno_rev, uno) = stored(&bank, "Ambito Uno");
        let (due_rev, due) = stored(&bank, "Ambito Due");
        assert_eq!((uno_rev, due_rev), (1, 1));

        let _ = take_written();
        let mut set = WriteSet::new(datetime!(2026-12-06 10:00 UTC), "carla");
        set.update(uno_rev, uno.clone(), ambit("Ambito Uno", &[16001, 16003]));
        set.update(due_rev, due.clone(), due.clone());
        let written = bank.commit(set).expect("written");

        assert_eq!((written.code.as_str(), written.revision), ("Ambito Uno", 2));
        assert!(written.also.is_empty(), "the unchanged ambito is not named as changed: {:?}", written.also);
        assert_eq!(stored(&bank, "Ambito Uno").0, 2);
        let (after_rev, after) = stored(&bank, "Ambito Due");
        assert_eq!(after_rev, 1);
        assert_eq!(after.meta.updated_by, "admin", "the unchanged ambito is not touched");
        assert_eq!(audit_len(&bank), audit_before + 1, "one audit entry: the ambito that changed");
        let told: Vec<(String, u64)> = take_written().into_iter().map(|r| (r.code, r.revision)).collect();
        assert_eq!(told, vec![("Ambito Uno".to_string(), 2)]);
    }

    #[test]
    fn an_unchanged_first_record_is_still_the_one_the_reply_names() {
        let dir = tempfile::TempDir::new().unwrap();
        let bank = bank(dir.path());
        two_ambits(&bank);
        let audit_before = audit_len(&bank);
        let (uno_rev, uno) = stored(&bank, "Ambito Uno");
        let (due_rev, due) = stored(&bank, "Ambito Due");

        let mut set = WriteSet::new(datetime!(2026-12-06 10:00 UTC), "carla");
        set.update(uno_rev, uno.clone(), uno.clone());
        set.update(due_rev, due, ambit("Ambito Due", &[16002, 16004]));
        let written = bank.commit(set).expect("written");

        assert_eq!((written.code.as_str(), written.revision), ("Ambito Uno", 1));
        assert!(written.changed.is_empty());
        assert_eq!(written.also, vec!["Ambito Due".to_string()]);
        assert_eq!(stored(&bank, "Ambito Uno").0, 1);
        assert_eq!(stored(&bank, "Ambito Due").0, 2);
        assert_eq!(audit_len(&bank), audit_before + 1, "one audit entry: the ambito that changed");
    }
}
