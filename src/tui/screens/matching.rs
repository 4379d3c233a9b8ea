//! Abbinamento: the candidate families of a need (or the needs a family
//! could take, or the families for a profile typed in place of a need: the
//! phone call), best first, beside the explanation of the highlighted one;
//! "why not this family?", and a proposal in two keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::{Ctx, Outcome, Screen, ScreenId, Tag, View};
use crate::access::{denial, Denial, Operation, Subject};
use crate::api::{
    BankError, Candidate, CriterionKind, Event, FamilyRanking, Hosts, NeedRanking, Principal, ProfileRanking, Reply,
    Request, ServiceCandidate,
};
use crate::i18n::{comune_label, Lang};
use crate::model::age::describe_age;
use crate::model::{FamilyCode, NeedCode, ServiceCode};
use crate::present::matching::{distance, summary, Side};
use crate::present::{self, Doc};
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::doc;
use crate::tui::widgets::form::{Form, Fx, Step as FormStep};
use crate::tui::widgets::list::{scrolled, Pointer, Selection, TableView};
use crate::tui::widgets::prompt::{Prompt, Step};

texts!(Tx {
    Candidates => "Famiglie candidate", "Candidate families";
    NeedsFor => "Richieste compatibili", "Fitting needs";
    Explanation => "Spiegazione", "Explanation";
    WhyNotTitle => "Perché no", "Why not";
    Code => "Codice", "Code";
    Comune => "Comune", "Comune";
    Score => "Punti", "Score";
    Free => "Posti", "Places";
    Km => "Dist.", "Dist.";
    Age => "Età", "Age";
    WhyNot => "perché non…", "why not…";
    Propose => "proponi", "propose";
    EnterCode => "codice", "code";
    AskWhyNot => "Perché non è candidata? Codice della famiglia (F-…):", "Why is it not a candidate? The family's code (F-…):";
    AskNote => "Nota della proposta per", "Note of the proposal of";
    AskCode => "Codice di una richiesta (R-…) o di una famiglia (F-…):", "A need's code (R-…) or a family's (F-…):";
    BadCode => "non è il codice di una richiesta (R-…) né di una famiglia (F-…)", "is not the code of a need (R-…) or a family (F-…)";
    BadFamily => "non è il codice di una famiglia (F-…)", "is not a family's code (F-…)";
    OnlyForNeed => "«perché non» e «proponi» valgono per una richiesta: apri una richiesta (R-…)", "\"why not\" and \"propose\" work on a need: open a need (R-…)";
    Proposed1 => "Proposta creata:", "Proposal created:";
    EnterOpens => "Invio la apre", "Enter opens it";
    AlreadyProposed => "già proposta", "already proposed";
    Empty1 => "Nessuna richiesta o famiglia scelta.", "No need or family chosen yet.";
    Empty2 => "Da Richieste o Famiglie premi m sulla riga scelta,", "From Needs or Families press m on the chosen row,";
    Empty3 => "oppure premi c e scrivi un codice (R-… o F-…).", "or press c and type a code (R-… or F-…).";
    Empty4 => "Per una telefonata, senza registrare il minore: a e il suo profilo.", "For a phone call, without recording the child: a and its profile.";
    ByProfile => "per profilo", "by profile";
    NoCandidate => "Nessuna candidata.", "No candidates.";
    Hosts => "famiglie/servizi", "families/services";
    ShowFamilies => "famiglie", "families";
    ShowServices => "servizi d'accoglienza", "reception services";
    ShowBoth => "famiglie e servizi insieme", "families and services together";
    CandidatesAll => "Famiglie e servizi candidati", "Candidate families and services";
    ServicesFor => "Servizi d'accoglienza con un posto", "Reception services with a place";
    NoMarkService => "si segnano solo famiglie: un servizio si propone con p", "only families are marked: a service is proposed with p";
    ProposeNotYourService => "per questa richiesta propone il servizio del minore, non il tuo",
        "for this need the child's service proposes, not yours";
    ProposeNotYourRole => "il tuo ruolo non consente di proporre famiglie", "your role does not allow proposing families";
    Mark => "segna", "mark";
    MarkedProposed => "già proposta: non si segna di nuovo", "already proposed: not marked again";
    AskNoteMany => "Nota delle proposte per {families} → {need}:", "Note of the proposals of {families} → {need}:";
    ProposedMany => "Proposte create: {done}", "Proposals created: {done}";
    NotSent => "non inviate: {failed}", "not sent: {failed}";
    UnexpectedReply => "risposta inattesa del server: controllare le proposte", "unexpected reply from the server: check the proposals";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Nav(Nav),
    Open,
    Pane,
    WhyNot,
    Propose,
    /// Marks the highlighted family (pronto intervento: several proposed at once).
    Mark,
    EnterCode,
    Profile,
    /// Families, reception services, or both together.
    Hosts,
    Back,
    Reload,
}

/// How many candidates to ask for: enough to scroll through.
const LIMIT: usize = 100;

const KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding {
        keys: &[code(KeyCode::Tab), code(KeyCode::BackTab)],
        shown: "Tab",
        label: label!(T::Pane),
        action: Act::Pane,
        bar: true,
    },
    Binding { keys: &[plain('w')], shown: "w", label: |l| Tx::WhyNot.get(l), action: Act::WhyNot, bar: true },
    Binding { keys: &[plain('p')], shown: "p", label: |l| Tx::Propose.get(l), action: Act::Propose, bar: true },
    Binding { keys: &[plain(' ')], shown: "Space", label: |l| Tx::Mark.get(l), action: Act::Mark, bar: true },
    Binding { keys: &[plain('c')], shown: "c", label: |l| Tx::EnterCode.get(l), action: Act::EnterCode, bar: true },
    Binding { keys: &[plain('a')], shown: "a", label: |l| Tx::ByProfile.get(l), action: Act::Profile, bar: true },
    Binding { keys: &[plain('s')], shown: "s", label: |l| Tx::Hosts.get(l), action: Act::Hosts, bar: true },
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Back, bar: false },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

const EMPTY_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[plain('c')], shown: "c", label: |l| Tx::EnterCode.get(l), action: Act::EnterCode, bar: true },
    Binding { keys: &[plain('a')], shown: "a", label: |l| Tx::ByProfile.get(l), action: Act::Profile, bar: true },
];

enum Ranking {
    Need(Box<NeedRanking>),
    Family(Box<FamilyRanking>),
    Profile(Box<ProfileRanking>),
}

/// What the open prompt asks for.
#[derive(Clone, Copy)]
enum Ask {
    WhyNot,
    Note(FamilyCode),
    /// The note of a proposal to a reception service.
    NoteService(ServiceCode),
    /// The note of the proposals to the families marked.
    NoteMarked(NeedCode),
    Code,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    List,
    Explanation,
}

pub struct Matching {
    ranking: Option<Ranking>,
    /// The answer to the last "why not", shown above the explanation.
    why_not: Option<Doc>,
    sel: Selection,
    focus: Focus,
    scroll: u16,
    prompt: Option<(Ask, Prompt)>,
    /// The note of the proposal on its way: asked again, as typed, if the core refuses it.
    asked: Option<(Ask, Prompt)>,
    list_area: Rect,
    /// The ranking asked for answers a "why not": show the explanation when it comes.
    explain_next: bool,
    /// A change seen while another screen was shown: rank again when shown.
    stale: bool,
    /// The ranking asked for is the one shown, asked again after a change.
    reloading: bool,
    /// The proposal sent: for which family (or service) and need.
    proposing: Option<(String, NeedCode)>,
    /// Whom a need's ranking shows (`s`).
    hosts: Hosts,
    /// The proposal just created, named on the status line: the next Enter
    /// opens it (any other key forgets it).
    created: Option<String>,
    /// Who uses the screen: `p` is offered only to whom may propose for the need.
    who: Option<Principal>,
    /// The families marked (Space) to be proposed together by `p`.
    marked: Vec<FamilyCode>,
    /// The proposals sent together, in the order sent (replies come in that
    /// order), each with what came back: its code, or why it was refused.
    sent_marked: Vec<(FamilyCode, Option<Result<String, String>>)>,
    /// The profile's form, open (`a`): keys go to it.
    form: Option<Box<Form>>,
    /// The profile form as last sent: `a` opens it again as typed, and a
    /// refusal of the core brings it back with the problems by their fields.
    profile_sent: Option<Box<Form>>,
    /// The ranking asked for is a profile's.
    asking_profile: bool,
}

/// Why the screen asked.
const RANKING: Tag = "ranking";
const PROPOSE: Tag = "propose";
const PROPOSE_MARKED: Tag = "propose-marked";

impl Default for Matching {
    fn default() -> Self {
        Matching::new()
    }
}

impl Matching {
    pub fn new() -> Matching {
        Matching {
            ranking: None,
            why_not: None,
            sel: Selection::default(),
            focus: Focus::List,
            scroll: 0,
            prompt: None,
            asked: None,
            list_area: Rect::default(),
            explain_next: false,
            stale: false,
            reloading: false,
            proposing: None,
            hosts: Hosts::Families,
            created: None,
            who: None,
            marked: Vec::new(),
            sent_marked: Vec::new(),
            form: None,
            profile_sent: None,
            asking_profile: false,
        }
    }

    fn len(&self) -> usize {
        match &self.ranking {
            Some(Ranking::Need(r)) => picks(r).len(),
            Some(Ranking::Family(r)) => r.needs.len(),
            Some(Ranking::Profile(r)) => r.candidates.len(),
            None => 0,
        }
    }

    fn need(&self) -> Option<NeedCode> {
        match &self.ranking {
            Some(Ranking::Need(r)) => Some(r.need.code),
            _ => None,
        }
    }

    /// Why the operator may not propose a family for the need shown (its
    /// service, as the core decides), if it may not.
    fn propose_denial(&self) -> Option<Denial> {
        let (Some(who), Some(Ranking::Need(r))) = (&self.who, &self.ranking) else { return None };
        denial(who, Operation::Update, Subject::Need, Some(r.need.contact.service))
    }

    /// Whether a key's action applies to what is shown, for whom uses the screen.
    fn legal(&self, act: Act) -> bool {
        match act {
            Act::WhyNot => self.need().is_some(),
            Act::Propose | Act::Mark => self.need().is_some() && self.propose_denial().is_none(),
            _ => true,
        }
    }

    /// The reception service highlighted in a need's ranking, if a service is.
    fn selected_service(&self) -> Option<ServiceCode> {
        match &self.ranking {
            Some(Ranking::Need(r)) => match picks(r).get(self.sel.selected) {
                Some(Pick::Service(c)) => Some(c.service.code),
                _ => None,
            },
            _ => None,
        }
    }

    /// The code of the highlighted candidate (a family or a need).
    fn selected_code(&self) -> Option<String> {
        match &self.ranking {
            Some(Ranking::Need(r)) => picks(r).get(self.sel.selected).map(Pick::code),
            Some(Ranking::Family(r)) => r.needs.get(self.sel.selected).map(|c| c.need.code.to_string()),
            Some(Ranking::Profile(r)) => r.candidates.get(self.sel.selected).map(|c| c.family.code.to_string()),
            None => None,
        }
    }

    /// Asks for a need's ranking (with the verdict on one family, for a "why not").
    fn load_need(&mut self, need: NeedCode, why_not: Option<FamilyCode>, ctx: &mut Ctx) {
        self.who = Some(ctx.view.who.clone());
        ctx.latest(RANKING, Request::MatchNeed { need, limit: LIMIT, why_not, hosts: self.hosts });
    }

    /// Asks for the needs a family could serve.
    fn load_family(&mut self, family: FamilyCode, ctx: &mut Ctx) {
        ctx.latest(RANKING, Request::MatchFamily { family, limit: LIMIT });
    }

    /// A ranking came: shown, the highlight kept when it is the same one again.
    fn take_ranking(&mut self, reply: Reply, lang: Lang) {
        let same = match (&reply, &self.ranking) {
            (Reply::NeedMatches(r), Some(Ranking::Need(old))) => r.need.code == old.need.code,
            (Reply::FamilyMatches(r), Some(Ranking::Family(old))) => r.family.code == old.family.code,
            (Reply::ProfileMatches(r), Some(Ranking::Profile(old))) => r.profile == old.profile,
            _ => false,
        };
        match reply {
            Reply::NeedMatches(r) => {
                self.why_not = r.why_not.as_ref().map(|v| present::verdict(v, r.candidates_total, lang));
                self.ranking = Some(Ranking::Need(r));
            }
            Reply::FamilyMatches(r) => {
                self.ranking = Some(Ranking::Family(r));
                self.why_not = None;
            }
            Reply::ProfileMatches(r) => {
                self.ranking = Some(Ranking::Profile(r));
                self.why_not = None;
            }
            _ => return,
        }
        if !same {
            self.sel = Selection { height: self.sel.height, ..Selection::default() };
            self.scroll = 0;
            // The marks stay while their note is being typed: they are what it is for.
            if !matches!(self.prompt, Some((Ask::NoteMarked(_), _))) {
                self.marked.clear();
            }
        }
        self.sel.clamp(self.len());
        if std::mem::take(&mut self.explain_next) {
            self.focus = Focus::Explanation;
            self.scroll = 0;
            // The family asked about, when a candidate, is the row `p` then proposes.
            if let Some(Ranking::Need(r)) = &self.ranking {
                let asked = r.why_not.as_ref().map(|v| v.family);
                let rows = picks(r);
                let at = rows.iter().position(|p| matches!(p, Pick::Family(c) if Some(c.family.code) == asked));
                if let Some(i) = at {
                    self.sel.select(i, rows.len());
                }
            }
        }
    }

    fn load_code(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        self.reloading = false;
        if let Some(need) = NeedCode::parse(code) {
            self.load_need(need, None, ctx);
            true
        } else if let Some(family) = FamilyCode::parse(code) {
            self.load_family(family, ctx);
            true
        } else {
            false
        }
    }

    fn reload_current(&mut self, ctx: &mut Ctx) {
        self.stale = false;
        self.reloading = self.ranking.is_some();
        match &self.ranking {
            Some(Ranking::Need(r)) => {
                let (need, why) = (r.need.code, r.why_not.as_ref().map(|v| v.family));
                self.load_need(need, why, ctx);
            }
            Some(Ranking::Family(r)) => {
                let family = r.family.code;
                self.load_family(family, ctx);
            }
            Some(Ranking::Profile(r)) => {
                let profile = r.profile.clone();
                ctx.latest(RANKING, Request::Available { profile, limit: LIMIT });
            }
            None => {}
        }
    }

    /// The profile's form submitted: its candidates asked for, or what
    /// cannot be read said by its field.
    fn submit_profile(&mut self, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let Some(form) = &mut self.form else { return };
        let mut bad = form.check_all(lang, ctx.view.today);
        let profile = super::profile::profile_of(form, lang);
        bad.extend(form.fields.iter().filter(|f| f.error.is_some()).map(|f| f.label.clone()));
        bad.dedup();
        match profile {
            Some(profile) if bad.is_empty() => {
                self.profile_sent = self.form.take();
                self.asking_profile = true;
                self.reloading = false;
                self.focus = Focus::List;
                ctx.latest(RANKING, Request::Available { profile, limit: LIMIT });
            }
            _ => ctx.error(format!("{} {}", Fx::ToFix.get(lang), bad.join(", "))),
        }
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        let lang = ctx.view.lang;
        self.who = Some(ctx.view.who.clone());
        match act {
            Act::Nav(n) => match self.focus {
                Focus::List => {
                    if self.sel.nav(n, self.len()) {
                        self.scroll = 0;
                    }
                }
                Focus::Explanation => self.scroll = scrolled(self.scroll, n),
            },
            Act::Open => {
                if let Some(code) = self.selected_code() {
                    return Outcome::Open(code);
                }
            }
            Act::Pane => {
                self.focus = if self.focus == Focus::List { Focus::Explanation } else { Focus::List };
            }
            Act::WhyNot => match self.need() {
                Some(_) => self.prompt = Some((Ask::WhyNot, Prompt::new(Tx::AskWhyNot.get(lang), "F-"))),
                None => ctx.error(Tx::OnlyForNeed.get(lang)),
            },
            Act::Propose
                if self.need().is_some() && self.selected_service().is_some() && self.propose_denial().is_none() =>
            {
                let (Some(need), Some(service)) = (self.need(), self.selected_service()) else { return Outcome::Done };
                self.focus = Focus::List;
                let q = format!("{} {service} → {need}:", Tx::AskNote.get(lang));
                let prompt = Prompt::new(q, "").bounded(crate::model::limits::MAX_STEP_NOTE);
                self.prompt = Some((Ask::NoteService(service), prompt));
            }
            Act::Propose => match (self.need(), self.selected_code().and_then(|c| FamilyCode::parse(&c))) {
                (Some(_), _) if self.propose_denial().is_some() => {
                    // Said at once, before a note is typed in vain.
                    let why = match self.propose_denial() {
                        Some(Denial::Service) => Tx::ProposeNotYourService,
                        _ => Tx::ProposeNotYourRole,
                    };
                    ctx.error(format!("p: {}", why.get(lang)));
                }
                (Some(need), _) if !self.marked.is_empty() => {
                    // The families marked, all at once: one note for all of them.
                    self.focus = Focus::List;
                    let families: Vec<String> = self.marked.iter().map(|f| f.to_string()).collect();
                    let q = Tx::AskNoteMany.fill(lang, &[("families", &families.join(", ")), ("need", &need)]);
                    let prompt = Prompt::new(q, "").bounded(crate::model::limits::MAX_STEP_NOTE);
                    self.prompt = Some((Ask::NoteMarked(need), prompt));
                }
                (Some(need), Some(family)) => {
                    // The row proposed is the one highlighted: the list takes the focus back.
                    self.focus = Focus::List;
                    let q = format!("{} {family} → {need}:", Tx::AskNote.get(lang));
                    let prompt = Prompt::new(q, "").bounded(crate::model::limits::MAX_STEP_NOTE);
                    self.prompt = Some((Ask::Note(family), prompt));
                }
                _ => ctx.error(Tx::OnlyForNeed.get(lang)),
            },
            Act::Mark if self.selected_service().is_some() => ctx.error(Tx::NoMarkService.get(lang)),
            Act::Mark => self.toggle_mark(ctx),
            Act::Hosts => {
                self.hosts = match self.hosts {
                    Hosts::Families => Hosts::Services,
                    Hosts::Services => Hosts::Both,
                    Hosts::Both => Hosts::Families,
                };
                let shown = match self.hosts {
                    Hosts::Families => Tx::ShowFamilies,
                    Hosts::Services => Tx::ShowServices,
                    Hosts::Both => Tx::ShowBoth,
                };
                ctx.info(shown.get(lang).to_string());
                if let Some(need) = self.need() {
                    self.load_need(need, None, ctx);
                }
            }
            Act::EnterCode => self.prompt = Some((Ask::Code, Prompt::new(Tx::AskCode.get(lang), ""))),
            Act::Profile => {
                *ctx.notice = None;
                let form = self.profile_sent.clone().unwrap_or_else(|| Box::new(super::profile::form(lang)));
                self.form = Some(form);
            }
            Act::Back => self.why_not = None,
            Act::Reload => self.reload_current(ctx),
        }
        Outcome::Done
    }

    /// The prompt was answered.
    fn answered(&mut self, ask: Ask, text: String, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        match ask {
            Ask::WhyNot => match (self.need(), family_code(&text)) {
                (Some(need), Some(family)) => {
                    self.explain_next = true;
                    self.load_need(need, Some(family), ctx);
                }
                _ => ctx.error(format!("{text}: {}", Tx::BadFamily.get(lang))),
            },
            Ask::Note(family) => {
                let Some(need) = self.need() else { return };
                self.proposing = Some((family.to_string(), need));
                ctx.send(PROPOSE, Request::ProposalCreate { need, family, note: text });
            }
            Ask::NoteService(service) => {
                let Some(need) = self.need() else { return };
                self.proposing = Some((service.to_string(), need));
                ctx.send(PROPOSE, Request::ProposeService { need, service, note: text });
            }
            Ask::NoteMarked(need) => {
                // One request (and transaction) per family: each family's
                // service answers on its own, and one refused does not stop the others.
                // The need is the one the note was asked for, whatever came in meanwhile.
                for family in std::mem::take(&mut self.marked) {
                    self.sent_marked.push((family, None));
                    ctx.send(PROPOSE_MARKED, Request::ProposalCreate { need, family, note: text.clone() });
                }
            }
            Ask::Code => {
                let code = text.to_uppercase();
                if NeedCode::parse(&code).is_none() && FamilyCode::parse(&code).is_none() {
                    ctx.error(format!("{text}: {}", Tx::BadCode.get(lang)));
                } else {
                    self.load_code(&code, ctx);
                }
            }
        }
    }

    /// Space on a candidate: marked, or unmarked; the highlight moves on to the next.
    fn toggle_mark(&mut self, ctx: &mut Ctx) {
        let Some(Ranking::Need(r)) = &self.ranking else { return };
        let Some(Pick::Family(c)) = picks(r).into_iter().nth(self.sel.selected) else { return };
        let family = c.family.code;
        if let Some(i) = self.marked.iter().position(|f| *f == family) {
            self.marked.remove(i);
        } else if c.proposed.is_some() {
            ctx.error(format!("{family}: {}", Tx::MarkedProposed.get(ctx.view.lang)));
            return;
        } else {
            self.marked.push(family);
        }
        let len = self.len();
        self.sel.nav(Nav::Down, len);
        self.scroll = 0;
    }

    /// A reply to the proposals sent together: once all are in, one line says what became of each.
    fn marked_replied(&mut self, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let outcome = match result {
            Ok(Reply::Saved(saved)) => Ok(saved.code),
            // Every reply fills its family's slot, in the order sent: none is left waiting.
            Ok(_) => Err(Tx::UnexpectedReply.get(lang).to_string()),
            Err(e) => Err(e.message(lang)),
        };
        if let Some(slot) = self.sent_marked.iter_mut().find(|(_, r)| r.is_none()) {
            slot.1 = Some(outcome);
        }
        if self.sent_marked.iter().any(|(_, r)| r.is_none()) {
            return;
        }
        let mut done = Vec::new();
        let mut failed = Vec::new();
        for (family, r) in std::mem::take(&mut self.sent_marked) {
            match r {
                Some(Ok(code)) => done.push(format!("{code} ({family})")),
                Some(Err(why)) => failed.push(format!("{family}: {why}")),
                None => {}
            }
        }
        let mut text = Tx::ProposedMany.fill(lang, &[("done", &done.join(", "))]);
        if failed.is_empty() {
            ctx.info(text);
        } else {
            text.push_str(" · ");
            text.push_str(&Tx::NotSent.fill(lang, &[("failed", &failed.join("; "))]));
            ctx.error(text);
        }
        self.reload_current(ctx);
    }

    /// The explanation of the highlighted candidate: "why not", the
    /// candidate, then the summary of the ranking.
    fn explanation(&self, lang: Lang) -> Doc {
        let mut doc = Doc::new();
        if let Some(v) = &self.why_not {
            doc.heading(Tx::WhyNotTitle.get(lang));
            doc.extend(v.clone());
            doc.blank();
        }
        match &self.ranking {
            Some(Ranking::Need(r)) => {
                match picks(r).get(self.sel.selected) {
                    Some(Pick::Family(c)) => {
                        doc.extend(present::family_candidate(c, lang));
                        doc.blank();
                    }
                    Some(Pick::Service(c)) => {
                        present::reception::service_entries(&mut doc, std::slice::from_ref(*c), None, lang);
                    }
                    None => {}
                }
                if r.hosts.families() {
                    doc.extend(summary(
                        r.considered,
                        r.candidates_total,
                        r.candidates.len(),
                        &r.excluded,
                        Side::FamiliesOnScreen,
                        lang,
                    ));
                }
                if let Some(services) = &r.services {
                    doc.extend(present::reception::service_summary(services, lang));
                }
            }
            Some(Ranking::Family(r)) => {
                if let Some(c) = r.needs.get(self.sel.selected) {
                    doc.extend(present::need_candidate(c, lang));
                    doc.blank();
                }
                doc.extend(summary(r.considered, r.candidates_total, r.needs.len(), &r.excluded, Side::Needs, lang));
            }
            Some(Ranking::Profile(r)) => {
                if let Some(c) = r.candidates.get(self.sel.selected) {
                    doc.extend(present::family_candidate(c, lang));
                    doc.blank();
                }
                doc.extend(summary(
                    r.considered,
                    r.candidates_total,
                    r.candidates.len(),
                    &r.excluded,
                    Side::ProfileFamilies,
                    lang,
                ));
            }
            None => {}
        }
        doc
    }

    fn render_empty(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let lines = vec![
            Line::raw(""),
            Line::styled(Tx::Empty1.get(lang), view.theme.title()),
            Line::raw(""),
            Line::raw(Tx::Empty2.get(lang)),
            Line::raw(Tx::Empty3.get(lang)),
            Line::raw(Tx::Empty4.get(lang)),
        ];
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(view.theme.border_focused())
            .title(Span::styled(format!(" {} ", ScreenId::Matching.title(lang)), view.theme.title()));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}

/// Explanation text: the criteria lines lose the CLI's indent (the pane is
/// narrow), their sign gets a colour.
impl Screen for Matching {
    fn id(&self) -> ScreenId {
        ScreenId::Matching
    }

    fn hints(&self) -> Vec<Hint> {
        if self.form.is_some() {
            return Form::hints();
        }
        if self.prompt.is_some() {
            return Prompt::hints();
        }
        if self.ranking.is_none() {
            return keys::hints(EMPTY_KEYS);
        }
        let mut h = keys::nav_hints();
        h.extend(KEYS.iter().filter(|b| self.legal(b.action)).map(Binding::hint));
        h
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        if self.stale {
            self.reload_current(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.reload_current(ctx);
    }

    fn is_stale(&self) -> bool {
        self.stale
    }

    fn mark_stale(&mut self) {
        self.stale = self.ranking.is_some();
    }

    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome {
        let lang = ctx.view.lang;
        if tag == PROPOSE_MARKED {
            self.marked_replied(result, ctx);
            return Outcome::Done;
        }
        if tag == RANKING && std::mem::take(&mut self.asking_profile) {
            if let (Err(CallError::Bank(BankError::Invalid(problems))), Some(sent)) = (&result, &self.profile_sent) {
                // The core refused the profile: its form again, the problems by their fields.
                let mut form = sent.clone();
                form.set_problems(problems, lang);
                let labels: Vec<String> = problems.iter().map(|p| p.field.label(lang)).collect();
                ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
                self.form = Some(form);
                return Outcome::Done;
            }
        }
        if tag == RANKING && std::mem::take(&mut self.reloading) && closed(&result) {
            // The need shown was placed or withdrawn meanwhile: nothing to rank
            // any more, and no error over what the operator just did.
            self.ranking = None;
            self.why_not = None;
            return Outcome::Done;
        }
        if let (PROPOSE, Err(e), None) = (tag, &result, &self.prompt) {
            // A refused proposal: its note, as typed, asked again with the problem shown.
            if let Some((ask, mut prompt)) = self.asked.take() {
                prompt.say(e.message(lang));
                self.prompt = Some((ask, prompt));
                self.proposing = None;
                return Outcome::Done;
            }
        }
        let Some(reply) = ctx.ok(result) else {
            self.explain_next = false;
            self.proposing = None;
            return Outcome::Done;
        };
        match (tag, reply) {
            (RANKING, reply) => self.take_ranking(reply, lang),
            (PROPOSE, Reply::Saved(saved)) => {
                self.asked = None;
                if let Some((family, need)) = self.proposing.take() {
                    let opens = Tx::EnterOpens.get(lang);
                    ctx.info(format!("{} {} ({family} → {need}) · {opens}", Tx::Proposed1.get(lang), saved.code));
                    self.created = Some(saved.code);
                    self.reload_current(ctx);
                }
            }
            _ => {}
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Some(form) = &mut self.form {
            return match form.key(ev, ctx.view.lang, ctx.view.today) {
                FormStep::Stay => Outcome::Done,
                FormStep::Ignored => Outcome::Ignored,
                FormStep::Save => {
                    self.submit_profile(ctx);
                    Outcome::Done
                }
                FormStep::Cancel => {
                    self.form = None;
                    // "Da correggere: …" was about the form just left.
                    *ctx.notice = None;
                    Outcome::Done
                }
            };
        }
        if self.prompt.is_none() {
            if let Some(created) = self.created.take() {
                if ev.code == KeyCode::Enter {
                    return Outcome::Open(created);
                }
            }
        }
        if let Some((ask, mut prompt)) = self.prompt.take() {
            match prompt.key(ev) {
                Step::Stay => self.prompt = Some((ask, prompt)),
                Step::Cancel => {}
                Step::Done(text) => {
                    if matches!(ask, Ask::Note(_)) {
                        self.asked = Some((ask, prompt));
                    }
                    self.answered(ask, text, ctx);
                }
            }
            return Outcome::Done;
        }
        if self.ranking.is_none() {
            return match keys::action(EMPTY_KEYS, ev) {
                Some(a) => self.act(a, ctx),
                None => Outcome::Ignored,
            };
        }
        if let Some(n) = keys::action(NAV, ev) {
            return self.act(Act::Nav(n), ctx);
        }
        match keys::action(KEYS, ev) {
            Some(a) => self.act(a, ctx),
            None => Outcome::Ignored,
        }
    }

    /// A paste reaches the open prompt (a cut is said there).
    fn paste(&mut self, text: &str, ctx: &mut Ctx) -> Outcome {
        if let Some(form) = &mut self.form {
            let taken = form.focused_is_typed() && form.paste(text, ctx.view.lang);
            return if taken { Outcome::Done } else { Outcome::Ignored };
        }
        match &mut self.prompt {
            Some((_, prompt)) => {
                prompt.paste(text);
                Outcome::Done
            }
            None => Outcome::Ignored,
        }
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if let Some(form) = &mut self.form {
            use ratatui::crossterm::event::{MouseButton, MouseEventKind};
            let (lang, today) = (ctx.view.lang, ctx.view.today);
            let done = match ev.kind {
                MouseEventKind::Down(MouseButton::Left) => form.click(ev.column, ev.row, lang, today),
                MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                    form.wheel(ev.kind == MouseEventKind::ScrollDown, lang, today);
                    true
                }
                _ => false,
            };
            return if done { Outcome::Done } else { Outcome::Ignored };
        }
        let len = self.len();
        match self.sel.pointer(ev, self.list_area, len) {
            Pointer::Open => self.act(Act::Open, ctx),
            Pointer::Selected => {
                // The explanation follows the family clicked.
                self.focus = Focus::List;
                self.scroll = 0;
                Outcome::Done
            }
            Pointer::Scrolled => Outcome::Done,
            Pointer::Ignored => Outcome::Ignored,
        }
    }

    /// A family's availability, a need or a proposal moves the ranking (`cares` says which).
    fn changed(&mut self, _ev: &Event, ctx: &mut Ctx) {
        if self.ranking.is_some() {
            self.reload_current(ctx);
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        self.focus = Focus::List;
        self.load_code(code, ctx)
    }

    fn captures_text(&self) -> bool {
        self.prompt.is_some() || self.form.as_ref().is_some_and(|f| f.focused_is_typed())
    }

    fn place(&mut self, area: Rect, view: &View) {
        if self.who.is_none() {
            self.who = Some(view.who.clone());
        }
        self.list_area = panes(area).list;
        let len = self.len();
        self.sel.fit(self.list_area, len);
        if let Some(form) = &mut self.form {
            form.place(area, 0, view.lang);
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let theme = view.theme;
        if let Some(form) = &self.form {
            return form.render(frame, area, view, Vec::new());
        }
        if self.ranking.is_none() {
            self.render_empty(frame, area, view);
        } else {
            let Panes { left, right, head, list } = panes(area);
            let wide = left.width >= 50;
            let focused = self.focus == Focus::List;
            match &self.ranking {
                Some(Ranking::Need(r)) => {
                    let n = &r.need;
                    let p = &n.placement;
                    let line = format!(
                        "{} · {} · {}",
                        n.code,
                        describe_age(n.age_months, lang),
                        comune_label(&p.comune.to_string())
                    );
                    frame.render_widget(Paragraph::new(Line::styled(line, theme.title())), head);
                    if r.hosts == Hosts::Families {
                        let t = CandidatesTable { candidates: &r.candidates, marked: &self.marked, focused, wide };
                        candidates_table(frame, list, &self.sel, t, view);
                    } else {
                        picks_table(frame, list, &self.sel, (r, &self.marked, focused, wide), view);
                    }
                }
                Some(Ranking::Profile(r)) => {
                    let line = super::profile::headline(&r.profile, lang);
                    frame.render_widget(Paragraph::new(Line::styled(line, theme.title())), head);
                    let t = CandidatesTable { candidates: &r.candidates, marked: &[], focused, wide };
                    candidates_table(frame, list, &self.sel, t, view);
                }
                Some(Ranking::Family(r)) => {
                    let f = &r.family;
                    let line = format!("{} · {}", f.code, comune_label(&f.profile.comune.to_string()));
                    frame.render_widget(Paragraph::new(Line::styled(line, theme.title())), head);
                    let mut header = vec!["#", Tx::Code.get(lang), Tx::Age.get(lang)];
                    let mut widths = vec![Constraint::Length(2), Constraint::Length(11), Constraint::Length(8)];
                    if wide {
                        header.push(Tx::Comune.get(lang));
                        widths.push(Constraint::Fill(1));
                    }
                    header.push(Tx::Score.get(lang));
                    widths.push(Constraint::Length(5));
                    let table = TableView {
                        title: Tx::NeedsFor.get(lang).to_string(),
                        header,
                        widths,
                        len: r.needs.len(),
                        focused,
                        empty: Tx::NoCandidate.get(lang),
                    };
                    table.render(frame, list, &self.sel, theme, |i| {
                        let c = &r.needs[i];
                        let mut cells = vec![
                            Cell::from(c.rank.to_string()),
                            Cell::from(c.need.code.to_string()),
                            Cell::from(describe_age(c.need.age_months, lang)),
                        ];
                        if wide {
                            cells.push(Cell::from(comune_label(&c.need.placement.comune.to_string())));
                        }
                        cells.push(Cell::from(format!("{:>3}", c.score)));
                        cells
                    });
                }
                None => {}
            }
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(if focused { theme.border() } else { theme.border_focused() })
                .title(Span::styled(format!(" {} ", Tx::Explanation.get(lang)), theme.title()));
            let lines = doc::lines(&self.explanation(lang), theme, right.width.saturating_sub(2));
            frame.render_widget(
                Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
                right,
            );
        }
        if let Some((_, prompt)) = &self.prompt {
            prompt.render(frame, area, view);
        }
    }
}

/// The candidate families of a need or a profile, best first.
/// `marked`: the families marked to be proposed together (none for a profile).
struct CandidatesTable<'a> {
    candidates: &'a [Candidate],
    marked: &'a [FamilyCode],
    focused: bool,
    wide: bool,
}

fn candidates_table(frame: &mut Frame, list: Rect, sel: &Selection, t: CandidatesTable, view: &View) {
    let CandidatesTable { candidates, marked, focused, wide } = t;
    let (lang, theme) = (view.lang, view.theme);
    let mut header = vec!["#", Tx::Code.get(lang)];
    let mut widths = vec![Constraint::Length(2), Constraint::Length(11)];
    if wide {
        header.push(Tx::Comune.get(lang));
        widths.push(Constraint::Fill(1));
    }
    header.extend([Tx::Score.get(lang), Tx::Free.get(lang), Tx::Km.get(lang), "▸"]);
    widths.extend([Constraint::Length(5), Constraint::Length(6), Constraint::Length(8), Constraint::Length(1)]);
    let table = TableView {
        title: Tx::Candidates.get(lang).to_string(),
        header,
        widths,
        len: candidates.len(),
        focused,
        empty: Tx::NoCandidate.get(lang),
    };
    table.render(frame, list, sel, theme, |i| {
        let c = &candidates[i];
        let km = distance(&c.criteria, lang)
            .filter(|_| c.criteria.iter().any(|k| k.kind == CriterionKind::Distance))
            .unwrap_or_default();
        let km = if km.chars().count() > 8 { "—".to_string() } else { km };
        let mut cells = vec![Cell::from(c.rank.to_string()), Cell::from(c.family.code.to_string())];
        if wide {
            cells.push(Cell::from(comune_label(&c.family.profile.comune.to_string())));
        }
        cells.extend([
            Cell::from(format!("{:>3}", c.score)),
            Cell::from(format!("{:>4}", c.free_places)),
            Cell::from(km),
            Cell::from(match c.proposed {
                Some(_) => "▸",
                None if marked.contains(&c.family.code) => "✓",
                None => "",
            }),
        ]);
        cells
    });
}

/// One row of a need's ranking: a family, or a reception service.
enum Pick<'a> {
    Family(&'a Candidate),
    Service(&'a ServiceCandidate),
}

impl Pick<'_> {
    fn code(&self) -> String {
        match self {
            Pick::Family(c) => c.family.code.to_string(),
            Pick::Service(c) => c.service.code.to_string(),
        }
    }

    fn score(&self) -> u8 {
        match self {
            Pick::Family(c) => c.score,
            Pick::Service(c) => c.score,
        }
    }
}

/// The rows of a need's ranking as asked: families, services, or both in
/// one list by score (a family first on a tie).
fn picks(r: &NeedRanking) -> Vec<Pick<'_>> {
    let services: &[ServiceCandidate] = r.services.as_ref().map_or(&[], |s| &s.candidates);
    match r.hosts {
        Hosts::Families => r.candidates.iter().map(Pick::Family).collect(),
        Hosts::Services => services.iter().map(Pick::Service).collect(),
        Hosts::Both => {
            let mut all: Vec<Pick> =
                r.candidates.iter().map(Pick::Family).chain(services.iter().map(Pick::Service)).collect();
            // Stable: families (first in `all`) stay before services of the same score.
            all.sort_by_key(|p| std::cmp::Reverse(p.score()));
            all
        }
    }
}

/// A need's families and reception services, in one table.
fn picks_table(
    frame: &mut Frame,
    list: Rect,
    sel: &Selection,
    (r, marked, focused, wide): (&NeedRanking, &[FamilyCode], bool, bool),
    view: &View,
) {
    let (lang, theme) = (view.lang, view.theme);
    let rows = picks(r);
    let mut header = vec!["#", Tx::Code.get(lang)];
    let mut widths = vec![Constraint::Length(2), Constraint::Length(11)];
    if wide {
        header.push(Tx::Comune.get(lang));
        widths.push(Constraint::Fill(1));
    }
    header.extend([Tx::Score.get(lang), Tx::Free.get(lang), Tx::Km.get(lang), "▸"]);
    widths.extend([Constraint::Length(5), Constraint::Length(6), Constraint::Length(8), Constraint::Length(1)]);
    let title = if r.hosts == Hosts::Services { Tx::ServicesFor } else { Tx::CandidatesAll };
    let table = TableView {
        title: title.get(lang).to_string(),
        header,
        widths,
        len: rows.len(),
        focused,
        empty: Tx::NoCandidate.get(lang),
    };
    table.render(frame, list, sel, theme, |i| {
        let (comune, free, criteria, proposed, stale) = match &rows[i] {
            Pick::Family(c) => (
                comune_label(&c.family.profile.comune.to_string()),
                c.free_places.to_string(),
                &c.criteria,
                c.proposed.is_some(),
                false,
            ),
            Pick::Service(c) => (
                format!(
                    "{} · {}",
                    c.service.name,
                    c.service.comune.map(|x| comune_label(&x.to_string())).unwrap_or_default()
                ),
                c.free_places.to_string(),
                &c.criteria,
                c.proposed.is_some(),
                c.stale,
            ),
        };
        let km = distance(criteria, lang).unwrap_or_default();
        let km = if km.chars().count() > 8 { "—".to_string() } else { km };
        let code = rows[i].code();
        let mut cells = vec![Cell::from((i + 1).to_string()), Cell::from(code.clone())];
        if wide {
            cells.push(Cell::from(comune));
        }
        let free = if stale { format!("{free:>3}⚠") } else { format!("{free:>4}") };
        cells.extend([
            Cell::from(format!("{:>3}", rows[i].score())),
            Cell::from(free),
            Cell::from(km),
            Cell::from(if proposed {
                "▸"
            } else if marked.iter().any(|f| f.to_string() == code) {
                "✓"
            } else {
                ""
            }),
        ]);
        cells
    });
}

/// Where the ranking's parts go in the screen's area.
struct Panes {
    left: Rect,
    right: Rect,
    head: Rect,
    list: Rect,
}

/// The one layout of the screen: drawn in it, clicks and pages measured in it.
fn panes(area: Rect) -> Panes {
    let left_width = if area.width >= 110 { 58 } else { 40 };
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(area);
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(left);
    Panes { left, right, head, list }
}

/// A family code as typed after the prompt's "F-": the whole code typed again
/// ("F-F-2026-0001") or just its year and number both work.
fn family_code(text: &str) -> Option<FamilyCode> {
    let t = text.trim();
    let doubled = t.get(2..).filter(|rest| t[..2].eq_ignore_ascii_case("F-") && rest.len() > 2);
    FamilyCode::parse(t).or_else(|| doubled.and_then(FamilyCode::parse))
}

/// The core's answer that a need is closed: it no longer matches.
fn closed(result: &Result<Reply, CallError>) -> bool {
    matches!(result, Err(CallError::Bank(crate::api::BankError::Refused(crate::api::Refusal::NeedClosed { .. }))))
}

#[cfg(test)]
mod tests {
    use super::family_code;
    use crate::model::FamilyCode;

    #[test]
    fn a_family_code_typed_after_the_prompts_prefix_is_read() {
        let want = Some(FamilyCode::new(2019, 3));
        assert_eq!(family_code("F-2019-0003"), want);
        assert_eq!(family_code("F-F-2019-0003"), want);
        assert_eq!(family_code("f-f-2019-0003"), want);
        assert_eq!(family_code("F-"), None);
    }
}
