//! The screens, each a `Screen`: its own state, keys and drawing. A
//! screen never waits for the server: it asks (`Ctx::send`, `Ctx::latest`)
//! with a tag of its own and handles the answer in `Screen::reply`; which
//! changes reach it is `cares`.

pub mod audit;
pub mod dashboard;
pub mod events;
pub mod families;
pub mod mappatura;
pub mod matching;
pub mod needs;
pub mod pathway_forms;
pub mod placements;
pub mod profile;
pub mod proposals;
pub mod record;
pub mod revised;
pub mod services;
pub mod statistics;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use ratatui::Frame;

use super::keys::Hint;
use super::source::CallError;
use super::text::{texts, T};
use super::theme::Theme;
use crate::api::{Event, Principal, Reply, Request};
use crate::i18n::Lang;

texts!(Titles {
    Dashboard => "Cruscotto", "Dashboard";
    Families => "Famiglie", "Families";
    Needs => "Richieste", "Needs";
    Matching => "Abbinamento", "Matching";
    Proposals => "Proposte", "Proposals";
    Placements => "Affidi", "Placements";
    Services => "Servizi", "Services";
    Mappatura => "Mappatura", "Directory";
    Events => "Incontri", "Events";
    Audit => "Registro", "Audit log";
    Statistics => "Statistiche", "Figures";
});

/// The screens, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Dashboard,
    Families,
    Needs,
    Matching,
    Proposals,
    Placements,
    Services,
    Mappatura,
    Events,
    Audit,
    Statistics,
}

impl ScreenId {
    pub const ALL: [ScreenId; 11] = [
        ScreenId::Dashboard,
        ScreenId::Families,
        ScreenId::Needs,
        ScreenId::Matching,
        ScreenId::Proposals,
        ScreenId::Placements,
        ScreenId::Services,
        ScreenId::Mappatura,
        ScreenId::Events,
        ScreenId::Audit,
        ScreenId::Statistics,
    ];

    /// The screens offered to this operator, in order: the audit log only
    /// to roles the access rules let read it.
    pub fn offered(view: &View) -> Vec<ScreenId> {
        use crate::access::{allowed, Operation, Subject};
        let audit = allowed(&view.who, Operation::ReadShared, Subject::AuditLog, None);
        ScreenId::ALL.into_iter().filter(|&id| id != ScreenId::Audit || audit).collect()
    }

    pub fn index(self) -> usize {
        ScreenId::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    /// Its name on its tab and over its content.
    pub fn title(self, lang: Lang) -> &'static str {
        let title = match self {
            ScreenId::Dashboard => Titles::Dashboard,
            ScreenId::Families => Titles::Families,
            ScreenId::Needs => Titles::Needs,
            ScreenId::Matching => Titles::Matching,
            ScreenId::Proposals => Titles::Proposals,
            ScreenId::Placements => Titles::Placements,
            ScreenId::Services => Titles::Services,
            ScreenId::Mappatura => Titles::Mappatura,
            ScreenId::Events => Titles::Events,
            ScreenId::Audit => Titles::Audit,
            ScreenId::Statistics => Titles::Statistics,
        };
        title.get(lang)
    }

    /// The screen that shows records of `kind`: the directory holds services, operators and ambiti.
    pub fn of(kind: crate::model::RecordKind) -> ScreenId {
        use crate::model::RecordKind;
        match kind {
            RecordKind::Family => ScreenId::Families,
            RecordKind::Need => ScreenId::Needs,
            RecordKind::Proposal => ScreenId::Proposals,
            RecordKind::Placement => ScreenId::Placements,
            RecordKind::Service | RecordKind::Operator | RecordKind::Ambit => ScreenId::Services,
            RecordKind::Event => ScreenId::Events,
        }
    }

    /// The screen that opens a record by its code (a comune's ISTAT code: the directory).
    pub fn for_code(code: &str) -> Option<ScreenId> {
        match crate::model::RecordKind::of_code(code) {
            Some(kind) => Some(ScreenId::of(kind)),
            None => (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(ScreenId::Services),
        }
    }
}

/// What every screen needs to know to draw: who, in which language, how, when.
#[derive(Debug, Clone)]
pub struct View {
    pub lang: Lang,
    pub theme: Theme,
    pub who: Principal,
    pub today: time::Date,
}

impl View {
    pub fn t(&self, text: T) -> &'static str {
        text.get(self.lang)
    }

    /// A text of a screen's own catalogue.
    pub fn t_local<C: Local>(&self, text: C) -> &'static str {
        text.text(self.lang)
    }
}

/// A key of any catalogue (each screen has its own, declared with `texts!`).
pub trait Local {
    fn text(self, lang: Lang) -> &'static str;
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// A screen's own name for why it asked something: its reply comes back
/// with it ("list", "record", "save"…), so the screen knows what to do with it.
pub type Tag = &'static str;

/// What a screen may use while handling a key, a reply or an event: it
/// never waits for the server, it asks (`send`) and the answer comes back
/// later as a message to `Screen::reply`.
pub struct Ctx<'a> {
    pub view: &'a View,
    pub notice: &'a mut Option<Notice>,
    /// Requests asked for while handling this message, in order.
    pub sent: &'a mut Vec<Sent>,
}

/// A request a screen asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub tag: Tag,
    pub request: Request,
    /// Only the newest answer with this tag matters (a list, a ranking).
    pub newest_only: bool,
}

impl Ctx<'_> {
    /// Asks the server; the reply comes back to `Screen::reply` with `tag`.
    /// Replies come in the order asked.
    pub fn send(&mut self, tag: Tag, request: Request) {
        self.sent.push(Sent { tag, request, newest_only: false });
    }

    /// Asks the server for what replaces what is shown: while one with the
    /// same tag is in flight, this waits in place of any older one, and the
    /// answer to the one in flight is dropped.
    pub fn latest(&mut self, tag: Tag, request: Request) {
        let newest_only = request.is_read();
        self.sent.push(Sent { tag, request, newest_only });
    }

    /// The reply, or `None` with its failure on the status line.
    pub fn ok(&mut self, result: Result<Reply, CallError>) -> Option<Reply> {
        match result {
            Ok(reply) => Some(reply),
            Err(e) => {
                *self.notice = Some(Notice::Error(e.message(self.view.lang)));
                None
            }
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        *self.notice = Some(Notice::Info(text.into()));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        *self.notice = Some(Notice::Error(text.into()));
    }
}

/// What the application does after a screen handled a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not this screen's key: the application's own keys may take it.
    Ignored,
    /// Handled.
    Done,
    /// Open this record (by code) on its screen.
    Open(String),
    /// Go to a screen and open a record there (matching for a need or a family).
    Match(String),
}

pub trait Screen {
    fn id(&self) -> ScreenId;
    /// The keys of what the screen shows now, for the help bar and popup.
    fn hints(&self) -> Vec<Hint>;
    /// Shown for the first time or again: ask for what is missing or stale.
    fn activate(&mut self, ctx: &mut Ctx);
    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome;
    /// Text pasted (a bracketed paste, one message): for the entry that has the keys.
    fn paste(&mut self, _text: &str, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    fn mouse(&mut self, _ev: &MouseEvent, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// The answer to a request this screen sent with `tag`.
    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome;
    /// A committed change this screen cares about (`cares`), while it is
    /// shown: ask again for what it touches among what is on screen, and
    /// only that.
    fn changed(&mut self, _ev: &Event, _ctx: &mut Ctx) {}
    /// A change it cares about happened while another screen was shown:
    /// what it holds is reloaded when it is shown again.
    fn mark_stale(&mut self);
    /// A change it cares about came while it was hidden: its tab says so.
    fn is_stale(&self) -> bool;
    /// Events were missed or the server came back: reload what is shown.
    fn reload(&mut self, ctx: &mut Ctx);
    /// Opens a record by its code; false when it is not this screen's.
    fn open(&mut self, _code: &str, _ctx: &mut Ctx) -> bool {
        false
    }
    /// A text field has the keys: letters and digits are typed, not commands.
    fn captures_text(&self) -> bool {
        false
    }
    /// Typed changes not saved yet.
    fn unsaved(&self) -> bool {
        false
    }
    /// The operator is near the end of the rows loaded and the server has
    /// more: the application calls `load_more` when nothing of this screen is in flight.
    fn wants_more(&self) -> bool {
        false
    }
    /// Asks for the next page of the list shown.
    fn load_more(&mut self, _ctx: &mut Ctx) {}
    /// The screen's area as laid out now (the terminal's size, from a
    /// resize), given before every message it handles: what a page holds,
    /// which row or field a click lands on, what scrolls into sight. The
    /// same pure layout as `render`'s.
    fn place(&mut self, _area: Rect, _view: &View) {}
    /// Draws what the screen holds, as it is: a pure function of the state
    /// (nothing changes while drawing).
    fn render(&self, frame: &mut Frame, area: Rect, view: &View);
}

/// Which screens a committed change may touch: the one place that maps a
/// change to screens. A screen not listed neither reloads nor turns stale.
/// A change of the whole bank (a restore, a repair) touches every screen.
pub fn cares(ev: &Event, screen: ScreenId) -> bool {
    use crate::model::RecordKind as K;
    use ScreenId as S;
    let Some(kind) = ev.kind() else { return true };
    match screen {
        S::Dashboard => matches!(kind, K::Family | K::Need | K::Proposal | K::Placement),
        S::Families => kind == K::Family,
        S::Needs => kind == K::Need,
        // A family's availability, a need, a proposal or a service's vacancies move the ranking.
        S::Matching => matches!(kind, K::Family | K::Need | K::Proposal | K::Placement | K::Service),
        S::Proposals => kind == K::Proposal,
        S::Placements => kind == K::Placement,
        S::Services => matches!(kind, K::Service | K::Operator | K::Ambit),
        // A declaration of vacancies changes a service; a placement or a proposal its free places.
        S::Mappatura => matches!(kind, K::Service | K::Ambit | K::Proposal | K::Placement),
        // A family's step or support entry may name an event: its count moves.
        S::Events => matches!(kind, K::Event | K::Family),
        // Every committed change writes an entry.
        S::Audit => true,
        // The figures count families, needs, links and reception places.
        S::Statistics => matches!(kind, K::Family | K::Need | K::Proposal | K::Placement | K::Service | K::Ambit),
    }
}

/// Code and name of every service (the province's: a few pages at most),
/// to name them in full: gathered page by page as the replies come.
#[derive(Debug, Default, Clone)]
pub struct ServiceNames {
    pub names: std::collections::BTreeMap<crate::model::ServiceCode, String>,
    /// Every page has come.
    pub complete: bool,
}

impl ServiceNames {
    /// The first page's request.
    pub fn request() -> Request {
        Request::ServiceList { after: None, limit: None }
    }

    /// Takes a page; the next page's request while there are more.
    pub fn take(&mut self, reply: Reply) -> Option<Request> {
        let next = reply.next_page().cloned();
        if let Reply::Services(list) = reply {
            self.names.extend(list.into_iter().map(|r| (r.record.code, r.record.details.name)));
        }
        match next {
            Some(next) => Some(Self::request().page_after(Some(next))),
            None => {
                self.complete = true;
                None
            }
        }
    }
}

/// May this operator create records of `subject` (the `n` key): decided
/// from the role and the access rules, before a form is filled in vain.
pub fn may_create(view: &View, subject: crate::access::Subject) -> bool {
    crate::access::allowed(&view.who, crate::access::Operation::Create, subject, view.who.service)
}

/// One of each screen, in the order of `ScreenId::ALL`.
pub fn all(_view: &View) -> Vec<Box<dyn Screen>> {
    ScreenId::ALL
        .iter()
        .map(|&id| -> Box<dyn Screen> {
            match id {
                ScreenId::Dashboard => Box::new(dashboard::Dashboard::new()),
                ScreenId::Families => Box::new(families::Families::new()),
                ScreenId::Matching => Box::new(matching::Matching::new()),
                ScreenId::Proposals => Box::new(proposals::Proposals::new()),
                ScreenId::Placements => Box::new(placements::Placements::new()),
                ScreenId::Needs => Box::new(needs::Needs::new()),
                ScreenId::Services => Box::new(services::Services::new()),
                ScreenId::Mappatura => Box::new(mappatura::Mappatura::new()),
                ScreenId::Events => Box::new(events::Events::new()),
                ScreenId::Audit => Box::new(audit::Audit::new()),
                ScreenId::Statistics => Box::new(statistics::Statistics::new()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_opens_the_screen_of_its_kind() {
        assert_eq!(ScreenId::for_code("F-2026-0042"), Some(ScreenId::Families));
        assert_eq!(ScreenId::for_code("R-2026-0017"), Some(ScreenId::Needs));
        assert_eq!(ScreenId::for_code("P-2026-0003"), Some(ScreenId::Proposals));
        assert_eq!(ScreenId::for_code("A-2026-0002"), Some(ScreenId::Placements));
        assert_eq!(ScreenId::for_code("S-003"), Some(ScreenId::Services));
        assert_eq!(ScreenId::for_code("016162"), Some(ScreenId::Services), "a comune");
        assert_eq!(ScreenId::for_code("anna"), None);
    }
}
