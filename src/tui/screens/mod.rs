//! The eight screens, each a `Screen`: its own state, keys and drawing.

pub mod audit;
pub mod dashboard;
pub mod families;
pub mod matching;
pub mod needs;
pub mod placements;
pub mod proposals;
pub mod services;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use ratatui::Frame;

use super::keys::Hint;
use super::source::{CallError, Source};
use super::text::T;
use super::theme::Theme;
use crate::api::{Principal, Reply, Request};
use crate::i18n::Lang;
use crate::protocol::Event;

/// The screens, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Dashboard,
    Families,
    Needs,
    Matching,
    Proposals,
    Placements,
    Services,
    Audit,
}

impl ScreenId {
    pub const ALL: [ScreenId; 8] = [
        ScreenId::Dashboard,
        ScreenId::Families,
        ScreenId::Needs,
        ScreenId::Matching,
        ScreenId::Proposals,
        ScreenId::Placements,
        ScreenId::Services,
        ScreenId::Audit,
    ];

    pub fn index(self) -> usize {
        ScreenId::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    pub fn title(self, lang: Lang) -> &'static str {
        let (it, en) = match self {
            ScreenId::Dashboard => ("Cruscotto", "Dashboard"),
            ScreenId::Families => ("Famiglie", "Families"),
            ScreenId::Needs => ("Richieste", "Needs"),
            ScreenId::Matching => ("Abbinamento", "Matching"),
            ScreenId::Proposals => ("Proposte", "Proposals"),
            ScreenId::Placements => ("Affidi", "Placements"),
            ScreenId::Services => ("Servizi", "Services"),
            ScreenId::Audit => ("Registro", "Audit log"),
        };
        lang.pick(it, en)
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

/// What a screen may use while handling a key or an event.
pub struct Ctx<'a> {
    pub source: &'a mut dyn Source,
    pub view: &'a View,
    pub notice: &'a mut Option<Notice>,
}

impl Ctx<'_> {
    /// A request; a failure goes to the status line and comes back as `None`.
    pub fn call(&mut self, request: Request) -> Option<Reply> {
        match self.source.call(request) {
            Ok(reply) => Some(reply),
            Err(e) => {
                *self.notice = Some(Notice::Error(e.message(self.view.lang)));
                None
            }
        }
    }

    /// A list walked page by page (one round trip each), `each` taking every
    /// page and saying whether to go on; for short lists (the province's
    /// services, a service's operators) and for figures that need every
    /// row of a bounded set (reviews due). False when a call failed.
    pub fn each_page(&mut self, request: Request, mut each: impl FnMut(Reply) -> bool) -> bool {
        let mut request = request;
        loop {
            let Some(reply) = self.call(request.clone()) else { return false };
            let next = reply.next_page().cloned();
            if !each(reply) {
                return true;
            }
            match next {
                Some(next) => request = request.page_after(Some(next)),
                None => return true,
            }
        }
    }

    /// A request whose failure the screen shows itself (a form's fields).
    pub fn try_call(&mut self, request: Request) -> Result<Reply, CallError> {
        self.source.call(request)
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
    /// Shown for the first time or again: load what is needed.
    fn activate(&mut self, ctx: &mut Ctx);
    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome;
    fn mouse(&mut self, _ev: &MouseEvent, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// Another operator (or this one) committed a change.
    fn changed(&mut self, _ev: &Event, _ctx: &mut Ctx) {}
    /// Events were missed or the server came back: reload what is shown.
    fn reload(&mut self, ctx: &mut Ctx) {
        self.activate(ctx);
    }
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
    /// more: the application calls `load_more` before waiting for a key.
    fn wants_more(&self) -> bool {
        false
    }
    /// Fetches the next page of the list shown (one round trip).
    fn load_more(&mut self, _ctx: &mut Ctx) {}
    fn render(&mut self, frame: &mut Frame, area: Rect, view: &View);
}

/// Code and name of every service (the province's: a few pages at most), to name them in full.
pub fn service_names(ctx: &mut Ctx) -> std::collections::BTreeMap<crate::model::ServiceCode, String> {
    let mut names = std::collections::BTreeMap::new();
    ctx.each_page(Request::ServiceList { after: None, limit: None }, |reply| match reply {
        Reply::Services(list) => {
            names.extend(list.into_iter().map(|r| (r.record.code, r.record.details.name)));
            true
        }
        _ => false,
    });
    names
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
                ScreenId::Audit => Box::new(audit::Audit::new()),
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
