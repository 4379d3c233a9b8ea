//! Statistiche: the coordination's figures, counted by the core. An
//! overview (key figures, open needs by age as a bar chart, the monthly
//! series as sparklines, a map of the province shading families available
//! and open needs per comune) and the report's tables by part; a chooser
//! for the territory (`t`), the year (`-`/`+`) and the date (`d`).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::Canvas;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};
use ratatui::Frame;
use time::{Date, Month};

use super::{Ctx, Outcome, Screen, ScreenId, Tag, View};
use crate::api::*;
use crate::i18n::Lang;
use crate::model::dates::{format_date, parse_date};
use crate::model::Comuni;
use crate::present::figures::{age_label, cell_text, series_label, territory_label};
use crate::tui::keys::{self, code, label, plain, Binding, Hint};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::prompt::{Prompt, Step};

texts!(Sx {
    Overview => "Sintesi", "Overview";
    Families => "Famiglie", "Families";
    Needs => "Richieste", "Needs";
    Placements => "Affidi", "Placements";
    Network => "Rete", "Network";
    Months => "Mesi", "Months";
    Territory => "territorio", "territory";
    Year => "anno", "year";
    Date => "data", "date";
    Part => "parte", "part";
    AskDate => "Alla data (gg/mm/aaaa; vuoto: oggi):", "At date (dd/mm/yyyy; empty: today):";
    BadDate => "Data non valida: gg/mm/aaaa", "Not a date: dd/mm/yyyy";
    Loading => "Conteggio in corso…", "Counting…";
    Available => "Famiglie idonee con posti liberi", "Approved families with free places";
    Open => "Richieste aperte", "Open needs";
    Wait => "Attesa mediana delle richieste", "Median wait of the needs";
    InCourse => "Bambini in affido", "Children in placement";
    Started => "Affidi avviati / conclusi", "Placements started / ended";
    Proposals => "Proposte fatte / accettate", "Proposals made / accepted";
    OpenByAge => "Richieste aperte per età", "Open needs by age";
    Map => "Mappa: ● famiglie disponibili  ▲ richieste aperte  ◆ entrambe", "Map: ● families available  ▲ open needs  ◆ both";
    NoMap => "Nessun comune con famiglie o richieste", "No comune with families or needs";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Territory,
    PrevYear,
    NextYear,
    Date,
    Part,
    Up,
    Down,
    Reload,
}

const KEYS: &[Binding<Act>] = &[
    Binding { keys: &[plain('t')], shown: "t", label: |l| Sx::Territory.get(l), action: Act::Territory, bar: true },
    Binding { keys: &[plain('-')], shown: "-", label: |l| Sx::Year.get(l), action: Act::PrevYear, bar: false },
    Binding { keys: &[plain('+')], shown: "- +", label: |l| Sx::Year.get(l), action: Act::NextYear, bar: true },
    Binding { keys: &[plain('d')], shown: "d", label: |l| Sx::Date.get(l), action: Act::Date, bar: true },
    Binding { keys: &[code(KeyCode::Tab)], shown: "Tab", label: |l| Sx::Part.get(l), action: Act::Part, bar: true },
    Binding {
        keys: &[code(KeyCode::Up), plain('k')],
        shown: "↑↓",
        label: label!(T::Move),
        action: Act::Up,
        bar: false,
    },
    Binding {
        keys: &[code(KeyCode::Down), plain('j')],
        shown: "",
        label: label!(T::Move),
        action: Act::Down,
        bar: false,
    },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

/// The parts of the screen, in the order Tab shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Overview,
    Families,
    Needs,
    Placements,
    Network,
    Months,
}

const PARTS: [Part; 6] = [Part::Overview, Part::Families, Part::Needs, Part::Placements, Part::Network, Part::Months];

impl Part {
    fn title(self, lang: Lang) -> &'static str {
        match self {
            Part::Overview => Sx::Overview,
            Part::Families => Sx::Families,
            Part::Needs => Sx::Needs,
            Part::Placements => Sx::Placements,
            Part::Network => Sx::Network,
            Part::Months => Sx::Months,
        }
        .get(lang)
    }

    fn indicators(self) -> &'static [Indicator] {
        use Indicator::*;
        match self {
            Part::Overview => &[],
            Part::Families => {
                &[FamiliesByStage, FamiliesAvailable, FamilyPlaces, EnquiryToApproval, WaitingSinceApproval]
            }
            Part::Needs => {
                &[NeedsOpenByKind, NeedsOpenByUrgency, NeedsOpenByAge, NeedsOpenBySex, NeedsWaiting, NeedsClosed]
            }
            Part::Placements => &[PlacementsInCourse, PlacementsStarted, PlacementsEnded],
            Part::Network => &[Proposals, Reciprocity, ReceptionPlaces],
            Part::Months => &[Monthly],
        }
    }
}

const FIGURES: Tag = "figures";
const AMBITS: Tag = "figures-ambits";

pub struct Statistics {
    figures: Option<Figures>,
    loading: bool,
    stale: bool,
    /// The territories `t` goes through: the default (the operator's
    /// service, or the province), the province, every ambito.
    territories: Vec<Option<Territory>>,
    territory: usize,
    /// The year of the period (`None`: the date's year).
    year: Option<i32>,
    at: Option<Date>,
    part: usize,
    scroll: u16,
    prompt: Option<Prompt>,
}

impl Default for Statistics {
    fn default() -> Self {
        Statistics::new()
    }
}

impl Statistics {
    pub fn new() -> Statistics {
        Statistics {
            figures: None,
            loading: false,
            stale: false,
            territories: vec![None, Some(Territory::Province)],
            territory: 0,
            year: None,
            at: None,
            part: 0,
            scroll: 0,
            prompt: None,
        }
    }

    fn query(&self, view: &View) -> FiguresQuery {
        let year = self.year.unwrap_or(self.at.unwrap_or(view.today).year());
        let first = Date::from_calendar_date(year, Month::January, 1).ok();
        let last = Date::from_calendar_date(year, Month::December, 31).ok();
        // A past year is counted at its end; the current one at today.
        let at = self.at.or_else(|| self.year.filter(|y| *y != view.today.year()).and(last));
        FiguresQuery {
            at,
            from: first,
            to: last,
            territory: self.territories.get(self.territory).cloned().flatten(),
            only: vec![],
            leaving: false,
        }
    }

    fn load(&mut self, ctx: &mut Ctx) {
        self.loading = true;
        self.stale = false;
        ctx.latest(FIGURES, Request::Figures { query: self.query(ctx.view) });
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) {
        match act {
            Act::Territory => {
                self.territory = (self.territory + 1) % self.territories.len().max(1);
                self.load(ctx);
            }
            Act::PrevYear | Act::NextYear => {
                let year = self.year.unwrap_or(self.at.unwrap_or(ctx.view.today).year());
                let next = if act == Act::PrevYear { year - 1 } else { year + 1 };
                if (1990..=ctx.view.today.year()).contains(&next) {
                    self.year = Some(next);
                    self.at = None;
                    self.load(ctx);
                }
            }
            Act::Date => {
                let initial = self.at.map(format_date).unwrap_or_default();
                self.prompt = Some(Prompt::new(Sx::AskDate.get(ctx.view.lang), initial).bounded(10));
            }
            Act::Part => {
                self.part = (self.part + 1) % PARTS.len();
                self.scroll = 0;
            }
            Act::Up => self.scroll = self.scroll.saturating_sub(1),
            Act::Down => self.scroll = self.scroll.saturating_add(1),
            Act::Reload => self.load(ctx),
        }
    }

    /// The parts (the one shown marked), then where, at which date, over which period.
    fn header(&self, view: &View) -> Vec<Line<'static>> {
        let theme = view.theme;
        let mut spans = Vec::new();
        for (i, p) in PARTS.iter().enumerate() {
            let style = if i == self.part { theme.tab_active() } else { theme.dim() };
            spans.push(Span::styled(format!(" {} ", p.title(view.lang)), style));
        }
        let mut lines = vec![Line::from(spans)];
        if let Some(f) = &self.figures {
            let areas: Vec<String> = f.areas.iter().map(|a| territory_label(a, view.lang)).collect();
            let text = crate::present::figures::period_line(f, view.lang);
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", areas.join(" | ")), theme.title()),
                Span::styled(format!(" · {text}"), theme.dim()),
            ]));
        }
        lines
    }

    fn render_overview(&self, frame: &mut Frame, area: Rect, f: &Figures, view: &View) {
        let theme = view.theme;
        let lang = view.lang;
        let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        let show = |i: Indicator, g: Group, k: RowKey| {
            f.cell(i, g, k).map(|c| cell_text(c, f.threshold, lang)).unwrap_or_else(|| "–".into())
        };
        let kpi = |label: Sx, value: String| {
            Line::from(vec![
                Span::styled(format!("{} ", label.get(lang)), theme.dim()),
                Span::styled(value, theme.title()),
            ])
        };
        let m = |x: Measure| RowKey::Measure(x);
        let lines = vec![
            kpi(Sx::Available, show(Indicator::FamiliesAvailable, Group::All, RowKey::Total)),
            kpi(Sx::Open, show(Indicator::NeedsOpenByKind, Group::All, RowKey::Total)),
            kpi(Sx::Wait, show(Indicator::NeedsWaiting, Group::Time, m(Measure::MedianDays))),
            kpi(Sx::InCourse, show(Indicator::PlacementsInCourse, Group::All, RowKey::Total)),
            kpi(
                Sx::Started,
                format!(
                    "{} / {}",
                    show(Indicator::PlacementsStarted, Group::All, RowKey::Total),
                    show(Indicator::PlacementsEnded, Group::All, RowKey::Total)
                ),
            ),
            kpi(
                Sx::Proposals,
                format!(
                    "{} / {}",
                    show(Indicator::Proposals, Group::All, m(Measure::Made)),
                    show(Indicator::Proposals, Group::All, m(Measure::Accepted))
                ),
            ),
        ];
        let sparks = [Series::NeedsOpen, Series::PlacementsInCourse, Series::FamiliesAvailable];
        let [kpis, spark_area, bars] = Layout::vertical([
            Constraint::Length(lines.len() as u16),
            Constraint::Length(sparks.len() as u16 * 2),
            Constraint::Min(4),
        ])
        .areas(left);
        frame.render_widget(Paragraph::new(lines), kpis);
        for (i, s) in sparks.iter().enumerate() {
            let values = monthly(f, *s);
            let last = series_cells(f, *s).last().map_or_else(|| "0".into(), |c| cell_text(c, f.threshold, lang));
            let slot = Rect { y: spark_area.y + i as u16 * 2, height: 2, ..spark_area };
            if slot.bottom() > spark_area.bottom() {
                break;
            }
            let [label_area, line_area] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(slot);
            let label = format!("{} ({last})", series_label(*s, lang));
            frame.render_widget(Paragraph::new(Span::styled(label, theme.dim())), label_area);
            frame.render_widget(Sparkline::default().data(&values).style(theme.ok()), line_area);
        }
        // Open needs by age class: the survey's classes, a bar each.
        let table = f.table(Indicator::NeedsOpenByAge);
        let bars_data: Vec<Bar> = AgeClass::ALL
            .iter()
            .map(|a| {
                let cell =
                    table.and_then(|t| t.rows.iter().find(|r| r.key == RowKey::Age(*a))).and_then(|r| r.cells.first());
                let value = cell.and_then(|c| c.count()).unwrap_or(0);
                let text = cell.map(|c| cell_text(*c, f.threshold, lang)).unwrap_or_default();
                let short: String = age_label(*a, lang).chars().take_while(|c| *c != ' ').collect();
                Bar::default().value(value).label(Line::from(short)).text_value(text)
            })
            .collect();
        let chart = BarChart::default()
            .block(Block::default().borders(Borders::TOP).title(Sx::OpenByAge.get(lang)))
            .data(BarGroup::default().bars(&bars_data))
            .bar_width(5)
            .bar_gap(1)
            .bar_style(theme.ok())
            .value_style(theme.tab_active());
        frame.render_widget(chart, bars);
        self.render_map(frame, right, f, view);
    }

    /// The province's comuni as points at their coordinates: ● families
    /// available, ▲ open needs, ◆ both; brighter where there are more.
    fn render_map(&self, frame: &mut Frame, area: Rect, f: &Figures, view: &View) {
        let theme = view.theme;
        let comuni = Comuni::embedded();
        let points: Vec<(f64, f64, &ComuneFigure)> = f
            .map
            .iter()
            .filter_map(|c| comuni.get(c.comune).and_then(|x| x.coords).map(|k| (k.lon, k.lat, c)))
            .collect();
        let block = Block::default().borders(Borders::ALL).border_style(theme.border()).title(Sx::Map.get(view.lang));
        if points.is_empty() {
            frame.render_widget(Paragraph::new(Sx::NoMap.get(view.lang)).block(block), area);
            return;
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y, _) in &points {
            x0 = x0.min(*x);
            x1 = x1.max(*x);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        let pad = 0.02;
        let most =
            f.map.iter().filter_map(|c| c.families_available.count().max(c.needs_open.count())).max().unwrap_or(1);
        let canvas = Canvas::default()
            .block(block)
            .marker(Marker::Braille)
            .x_bounds([x0 - pad, x1 + pad])
            .y_bounds([y0 - pad, y1 + pad])
            .paint(move |ctx| {
                for (x, y, c) in &points {
                    let fam = !matches!(c.families_available, Cell::Count(0));
                    let need = !matches!(c.needs_open, Cell::Count(0));
                    let sign = match (fam, need) {
                        (true, true) => "◆",
                        (false, true) => "▲",
                        _ => "●",
                    };
                    let n = c.families_available.count().unwrap_or(1).max(c.needs_open.count().unwrap_or(1));
                    // Shading: dim for the fewest, plain, bold for the most.
                    let style = if n * 3 >= most * 2 {
                        Style::default().add_modifier(Modifier::BOLD)
                    } else if n * 3 >= most {
                        Style::default()
                    } else {
                        Style::default().add_modifier(Modifier::DIM)
                    };
                    let style =
                        if theme.color { style.patch(if need { theme.warning() } else { theme.ok() }) } else { style };
                    ctx.print(*x, *y, Span::styled(sign, style));
                }
            });
        frame.render_widget(canvas, area);
    }
}

/// A series month by month (the first area), hidden cells as nothing.
fn monthly(f: &Figures, s: Series) -> Vec<u64> {
    series_cells(f, s).map(|c| c.count().unwrap_or(0)).collect()
}

/// A series' cells month by month (the first area's).
fn series_cells(f: &Figures, s: Series) -> impl Iterator<Item = Cell> + '_ {
    f.table(Indicator::Monthly)
        .into_iter()
        .flat_map(|t| &t.rows)
        .filter(move |r| r.group == Group::Month(s))
        .filter_map(|r| r.cells.first().copied())
}

impl Screen for Statistics {
    fn id(&self) -> ScreenId {
        ScreenId::Statistics
    }

    fn hints(&self) -> Vec<Hint> {
        if self.prompt.is_some() {
            return Prompt::hints();
        }
        keys::hints(KEYS)
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        if self.territories.len() == 2 {
            ctx.send(AMBITS, Request::AmbitList { after: None, limit: Some(100) });
        }
        if self.figures.is_none() || self.stale {
            self.load(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
    }

    fn is_stale(&self) -> bool {
        self.stale
    }

    /// Never shown yet: nothing of it is out of date.
    fn mark_stale(&mut self) {
        self.stale = self.figures.is_some();
    }

    fn changed(&mut self, _ev: &Event, ctx: &mut Ctx) {
        self.load(ctx);
    }

    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome {
        match (tag, ctx.ok(result)) {
            (FIGURES, Some(Reply::Figures(f))) => {
                self.loading = false;
                self.figures = Some(*f);
            }
            (FIGURES, _) => self.loading = false,
            (AMBITS, Some(Reply::Ambits(page))) => {
                self.territories.truncate(2);
                self.territories
                    .extend(page.items.iter().map(|a| Some(Territory::Ambit(a.record.details.name.clone()))));
            }
            _ => {}
        }
        Outcome::Done
    }

    fn captures_text(&self) -> bool {
        self.prompt.is_some()
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        match &mut self.prompt {
            Some(p) => {
                p.paste(text);
                Outcome::Done
            }
            None => Outcome::Ignored,
        }
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Some(prompt) = &mut self.prompt {
            match prompt.key(ev) {
                Step::Stay => {}
                Step::Cancel => self.prompt = None,
                Step::Done(text) if text.is_empty() => {
                    self.prompt = None;
                    self.at = None;
                    self.load(ctx);
                }
                Step::Done(text) => match parse_date(&text) {
                    Some(d) => {
                        self.prompt = None;
                        self.at = Some(d);
                        self.year = Some(d.year());
                        self.load(ctx);
                    }
                    None => prompt.say(Sx::BadDate.get(ctx.view.lang)),
                },
            }
            return Outcome::Done;
        }
        match keys::action(KEYS, ev) {
            Some(act) => {
                self.act(act, ctx);
                Outcome::Done
            }
            None => Outcome::Ignored,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        frame.render_widget(Paragraph::new(self.header(view)), head);
        match &self.figures {
            None => frame.render_widget(Paragraph::new(Sx::Loading.get(view.lang)), body),
            Some(f) if PARTS[self.part] == Part::Overview => self.render_overview(frame, body, f, view),
            Some(f) => {
                let doc = crate::present::figures::tables(f, PARTS[self.part].indicators(), view.lang);
                let lines = crate::tui::widgets::doc::lines(&doc, view.theme, body.width);
                frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), body);
            }
        }
        if let Some(p) = &self.prompt {
            p.render(frame, area, view);
        }
    }
}
