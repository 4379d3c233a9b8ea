//! Every bound of the bank in one place: the longest text of each field,
//! the most items of each list, and the window of dates each date field
//! may take. Forms, the CLI, CSV and restores all go through validation,
//! which reads these; `docs/limits.md` lists them for people.
//!
//! Lengths count characters (`chars()`), not bytes. They are chosen for
//! practice, and small enough that a record with every text and list at its
//! limit, in 4-byte characters, still fits the codec's body limit (a test
//! in `bounds` builds such records and encodes them).

use time::macros::date;
use time::Date;

use super::dates::add_months;

// --- Texts (characters) -------------------------------------------------

/// A Unix user name (operators, referents, authors of steps and reviews).
pub const MAX_USER: usize = 32;
/// An adult's full name, an operator's display name, a service's name.
pub const MAX_NAME: usize = 120;
/// A child's given name, and a child's family name.
pub const MAX_CHILD_NAME: usize = 80;
/// An ambit's or a presidio's name.
pub const MAX_AMBIT_NAME: usize = 120;
/// Street and number.
pub const MAX_ADDRESS: usize = 200;
/// The longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;
/// A phone number as written, spaces and dashes included (6–15 digits).
pub const MAX_PHONE: usize = 30;
/// A language's name.
pub const MAX_LANGUAGE: usize = 40;
/// A service's on-call hours, in a few words ("lun-ven 17-9, festivi 24h").
pub const MAX_ON_CALL_HOURS: usize = 120;
/// The household's pets, in a few words.
pub const MAX_PETS: usize = 200;
/// A fiscal code as typed: 16 characters, with room for spaces.
pub const MAX_FISCAL_CODE: usize = 32;
/// The court of a judicial placement.
pub const MAX_COURT: usize = 120;
/// The decree's reference.
pub const MAX_DECREE: usize = 60;
/// Notes of a family's profile, a need, a service.
pub const MAX_NOTES: usize = 4000;
/// A need's cultural notes.
pub const MAX_CULTURAL_NOTES: usize = 1000;
/// A pathway step's note, a support log entry.
pub const MAX_STEP_TEXT: usize = 1000;
/// A proposal step's note (the proposal, a decline's or withdrawal's reason).
pub const MAX_STEP_NOTE: usize = 2000;
/// A foster plan's texts, a review's and a closing's note.
pub const MAX_PLAN_TEXT: usize = 4000;
/// The reason an administrator gives for an emergency read of an identity.
pub const MAX_EMERGENCY_REASON: usize = 500;
/// A search query: a few words and filters.
pub const MAX_QUERY: usize = 200;
/// The different words of a search's free text (filters aside): each is
/// judged against every word of the index while writers wait.
pub const MAX_QUERY_WORDS: usize = 8;
/// An audit entry's record reference.
pub const MAX_AUDIT_RECORD: usize = 200;
/// A quarantined record's tree name and raw key (bytes).
pub const MAX_QUARANTINE_TREE: usize = 32;
pub const MAX_QUARANTINE_KEY: usize = 256;
/// A quarantined record's raw bytes: kept outside the codec, bounded so a
/// restore line stays finite (twice this in hex).
pub const MAX_QUARANTINE_RAW: usize = 8 << 20;

// --- Lists (items) --------------------------------------------------------

/// Adults named in a family's identity; never more than the household's adults.
pub const MAX_ADULTS: usize = 10;
/// Adults living in the household.
pub const MAX_HOUSEHOLD_ADULTS: i64 = 10;
/// The household's own children.
pub const MAX_CHILDREN: usize = 20;
/// Languages spoken by a family, or by a child.
/// The widest radius in km: a family's maximum distance, a list's or a
/// profile's "within" (the length of Italy, with margin).
pub const MAX_DISTANCE_KM: u16 = 1500;
pub const MAX_LANGUAGES: usize = 20;
/// Siblings placed together with a need.
pub const MAX_SIBLINGS: usize = 20;
/// Children of one proposal or placement: a need and its siblings.
pub const MAX_PLACED_TOGETHER: usize = MAX_SIBLINGS + 1;
/// Ambiti a service works in.
pub const MAX_AMBITS: usize = 50;
/// Comuni of one ambit: more than any Italian province holds.
pub const MAX_AMBIT_COMUNI: usize = 1000;
/// Presidi of an ambit.
pub const MAX_DISTRICTS: usize = 100;
/// Planned reviews (verifiche) of a placement.
pub const MAX_REVIEW_DATES: usize = 100;
/// Reviews recorded on a placement: every six months for 25 years.
pub const MAX_REVIEWS: usize = 50;
/// Contact notes of a placement, besides its reviews: short, and counted
/// apart, so that notes never take the place of a formal review.
pub const MAX_CONTACT_NOTES: usize = 20;
/// A contact note's text: a few lines.
pub const MAX_CONTACT_NOTE: usize = 300;
/// Steps of a proposal: the state machine takes at most four
/// (proposta, in valutazione, accettata, then a final one); room for more.
pub const MAX_PROPOSAL_STEPS: usize = 8;
/// Steps of a family's pathway: a pathway has a dozen, then a revision
/// every few years and the odd suspension.
pub const MAX_PATHWAY_STEPS: usize = 60;
/// Entries of a family's support log, kept with the family: monthly for
/// ten years (the whole family record stays under the codec's 1 MiB).
pub const MAX_SUPPORT_ENTRIES: usize = 120;
/// A service's own families listed on an event's card.
pub const MAX_EVENT_ATTENDEES_SHOWN: usize = 500;
/// Items of a list of what is due (`banca due`).
pub const MAX_DUE_ITEMS: usize = 2000;
/// Days ahead a list of what is due may look.
pub const MAX_DUE_DAYS: u16 = 366;
/// Extensions (proroghe) of a placement.
pub const MAX_EXTENSIONS: usize = 10;
/// Reports due to the court for one placement: every six months for ten years.
pub const MAX_COURT_REPORTS: usize = 20;
/// An extension's or a court report's note: the decree's reference, how it
/// was sent. (The placement, reviews at their fullest, stays under 1 MiB.)
pub const MAX_FOLLOW_UP_NOTE: usize = 200;
/// Changed fields (or reasons) in one audit entry.
pub const MAX_AUDIT_FIELDS: usize = 200;

// --- Dates ------------------------------------------------------------------

/// The earliest date any record may carry: before this, a date is a typo.
pub const EARLIEST: Date = date!(1900 - 01 - 01);
/// Foster-care records of the bank begin with law 184/1983's practice; an
/// approval or a completed training before 1990 is a typo.
pub const EARLIEST_PATHWAY: Date = date!(1990 - 01 - 01);

/// One end of a date window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// A fixed date.
    On(Date),
    /// Today (the bank's clock).
    Today,
    /// So many months before today.
    MonthsAgo(u32),
    /// So many months after today.
    MonthsAhead(u32),
}

impl Edge {
    pub fn resolve(self, today: Date) -> Date {
        match self {
            Edge::On(d) => d,
            Edge::Today => today,
            Edge::MonthsAgo(m) => months_back(today, m),
            Edge::MonthsAhead(m) => add_months(today, m),
        }
    }

    /// An edge that moves with today: a date inside it when saved may
    /// fall out of it later without anyone changing it.
    pub fn moves_back(self) -> bool {
        matches!(self, Edge::MonthsAgo(_))
    }
}

/// The dates a field may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    pub earliest: Edge,
    pub latest: Edge,
}

impl DateWindow {
    const fn new(earliest: Edge, latest: Edge) -> DateWindow {
        DateWindow { earliest, latest }
    }

    /// The window for a date saved earlier and sent again unchanged: an
    /// earliest edge that moves with today would age it out, so it falls
    /// back to `EARLIEST`. (The latest edges only move forward: a date
    /// inside them once stays inside.)
    pub fn for_unchanged(self) -> DateWindow {
        if self.earliest.moves_back() {
            DateWindow { earliest: Edge::On(EARLIEST), ..self }
        } else {
            self
        }
    }
}

/// Approval (idoneità) and completed training: from 1990 to today.
pub const APPROVED_ON: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::Today);
pub const TRAINING_COMPLETED_ON: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::Today);
/// The last confirmation of a family's availability: from 1990 to today.
pub const CONFIRMED_ON: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::Today);
/// The idoneità's revision: at most a year overdue, at most five years ahead.
pub const REVIEW_ON: DateWindow = DateWindow::new(Edge::MonthsAgo(12), Edge::MonthsAhead(60));
/// A need's desired start: at most a year back, at most two years ahead.
pub const DESIRED_START: DateWindow = DateWindow::new(Edge::MonthsAgo(12), Edge::MonthsAhead(24));
/// Pronto intervento: needed by a date at most a year back, six months ahead.
pub const NEEDED_BY: DateWindow = DateWindow::new(Edge::MonthsAgo(12), Edge::MonthsAhead(6));
/// The date of an art. 403 c.c. order: not in the future, at most two
/// years back (a need is registered while the urgent placement lasts).
pub const ORDERED_ON: DateWindow = DateWindow::new(Edge::MonthsAgo(24), Edge::Today);
/// A family's availability period (from, until): at most two years back,
/// at most five years ahead.
pub const AVAILABLE_PERIOD: DateWindow = DateWindow::new(Edge::MonthsAgo(24), Edge::MonthsAhead(60));
/// A child's birth date: the age limits of an open need are checked apart.
pub const CHILD_BIRTH_DATE: DateWindow = DateWindow::new(Edge::On(EARLIEST), Edge::Today);
/// A placement's start: placements under way are recorded late (from
/// 1990); a start may be planned up to three months ahead.
pub const PLACEMENT_START: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::MonthsAhead(3));
/// A placement's expected end, and its planned reviews: up to 25 years ahead.
pub const PLACEMENT_PLANNED: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::MonthsAhead(300));
/// A review held, a placement closed: not in the future.
pub const PLACEMENT_EVENT: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::Today);

/// A pathway step, a support log entry: not in the future, from 1990.
pub const PATHWAY_EVENT: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::Today);
/// A network event: recorded after it, or announced up to a year ahead.
pub const EVENT_DATE: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::MonthsAhead(12));
/// A court report's due date: from 1990, up to 25 years ahead.
pub const COURT_REPORT_DUE: DateWindow = DateWindow::new(Edge::On(EARLIEST_PATHWAY), Edge::MonthsAhead(300));

/// Adults' birth years: from 110 to 18 years before this year.
pub const ADULT_AGE_YEARS: (i32, i32) = (18, 110);
/// The household's own children: born this year at the latest, at most 90 years ago.
pub const HOUSEHOLD_CHILD_AGE_YEARS: (i32, i32) = (0, 90);

/// The same day `months` earlier, clamped to the month's last day.
fn months_back(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (u8::from(d.month()) as i32 - 1) - months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

/// Places a reception service may be licensed for (a large emergency
/// shelter has a few dozen; a thousand is a typing error).
pub const MAX_LICENSED_PLACES: u16 = 999;
/// A licence's number or issuing authority.
pub const MAX_LICENCE_TEXT: usize = 120;
/// A vacancy declaration's note ("2 posti dal 10/12, solo maschi").
pub const MAX_VACANCY_NOTE: usize = 300;
/// When a licence may be dated.
pub const LICENSED_ON: DateWindow = DateWindow::new(Edge::On(EARLIEST), Edge::Today);
/// When a vacancy declaration may be dated: not ahead, not stale from the start.
pub const DECLARED_ON: DateWindow = DateWindow::new(Edge::MonthsAgo(12), Edge::Today);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_resolve_against_today() {
        let today = date!(2026 - 03 - 31);
        assert_eq!(Edge::Today.resolve(today), today);
        assert_eq!(Edge::MonthsAgo(12).resolve(today), date!(2025 - 03 - 31));
        assert_eq!(Edge::MonthsAgo(1).resolve(today), date!(2026 - 02 - 28));
        assert_eq!(Edge::MonthsAhead(24).resolve(today), date!(2028 - 03 - 31));
        assert_eq!(Edge::On(EARLIEST_PATHWAY).resolve(today), date!(1990 - 01 - 01));
    }

    #[test]
    fn an_unchanged_date_is_not_aged_out() {
        assert_eq!(REVIEW_ON.for_unchanged().earliest, Edge::On(EARLIEST));
        assert_eq!(REVIEW_ON.for_unchanged().latest, Edge::MonthsAhead(60));
        assert_eq!(APPROVED_ON.for_unchanged(), APPROVED_ON);
    }
}
