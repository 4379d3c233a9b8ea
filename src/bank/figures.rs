//! The bank's side of the figures: keeping their index in step, turning
//! a query into areas (the territory asked, the province beside it) and
//! deciding, from who asks, which small cells each area hides.

use std::sync::{RwLockReadGuard, RwLockWriteGuard};

use time::{Date, Month};

use crate::access::{Operation, Subject};
use crate::api::{Figures, FiguresQuery, Territory, MAX_SERIES_MONTHS};
use crate::figures::{Area, Counting, FigureIndex, Hiding, ReceptionFigure, Scope};
use crate::model::*;

use super::*;

/// The earliest day figures are counted at: nothing in a bank is older.
const EARLIEST: Date = time::macros::date!(1990 - 01 - 01);

impl Bank {
    pub(super) fn figure_index(&self) -> RwLockReadGuard<'_, FigureIndex> {
        self.figures.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn figures_mut(&self) -> RwLockWriteGuard<'_, FigureIndex> {
        self.figures.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn figures(&self, who: &Principal, query: &FiguresQuery) -> Response {
        self.require(who, Operation::ReadShared, Subject::Directory, None, "figures")?;
        Ok(Reply::Figures(Box::new(self.count_figures(who, query)?)))
    }

    /// The figures `who` may see for `query` (the dashboard's counts too).
    pub(super) fn count_figures(&self, who: &Principal, query: &FiguresQuery) -> Result<Figures, BankError> {
        let today = self.today();
        let (at, from, to) = period(query, today)?;
        let own = match who.role {
            Role::Operator => who.service,
            _ => None,
        };
        let territory = query.territory.clone().unwrap_or_else(|| own.map_or(Territory::Province, Territory::Service));
        let matching = self.index();
        let mut areas = vec![self.area(&matching, who, territory.clone(), query.leaving)?];
        if territory != Territory::Province {
            areas.push(self.area(&matching, who, Territory::Province, query.leaving)?);
        }
        let scale = self.scale(&matching);
        let reception: Vec<ReceptionFigure> = matching
            .services()
            .map(|f| ReceptionFigure {
                code: f.code,
                kind: f.kind,
                comune: f.comune,
                licensed: f.licensed,
                occupied: f.occupied(),
                free: f.free_places(),
                declared: f.declared.is_some(),
                stale: crate::matching::is_stale(f, &scale),
            })
            .collect();
        drop(matching);
        let index = self.figure_index();
        let counting = Counting {
            index: &index,
            reception: &reception,
            at,
            from,
            to,
            stale_after_months: self.config.stale_after_months,
        };
        Ok(crate::figures::figures(&counting, &areas, &query.only, self.config.small_cell))
    }

    /// One area: its records and what it hides from `who`. A service's
    /// own operators see its figures whole; the coordination and the
    /// administrators see families' counts whole; every other count under
    /// the threshold is hidden, and every count leaving in a file.
    fn area(
        &self,
        index: &crate::matching::MatchIndex,
        who: &Principal,
        territory: Territory,
        leaving: bool,
    ) -> Result<Area, BankError> {
        let unknown_ambit = |name: &str| BankError::invalid(Field::Ambits, Reason::UnknownAmbit { name: name.into() });
        let scope = match &territory {
            Territory::Province => Scope::All,
            Territory::Ambit(name) => Scope::Comuni(index.ambit_comuni(name).ok_or_else(|| unknown_ambit(name))?),
            Territory::District { ambit, name } => {
                let of_ambit = index.ambit_comuni(ambit).ok_or_else(|| unknown_ambit(ambit))?;
                let district = index.district_comuni(name).ok_or_else(|| {
                    BankError::invalid(Field::Districts, Reason::UnknownDistrict { name: name.clone() })
                })?;
                Scope::Comuni(district.intersection(&of_ambit).copied().collect())
            }
            Territory::Comune(c) => {
                if self.comuni.get(*c).is_none() {
                    return Err(BankError::invalid(Field::Comuni, Reason::UnknownComune { code: c.to_string() }));
                }
                Scope::Comuni([*c].into_iter().collect())
            }
            Territory::Service(s) => {
                if self.store.get::<Service>(TreeId::Services, &s.key())?.is_none() {
                    return Err(BankError::NotFound { code: s.to_string() });
                }
                Scope::Service(*s)
            }
        };
        let own = who.role == Role::Operator && matches!(territory, Territory::Service(s) if who.service == Some(s));
        let sees_families = matches!(who.role, Role::Coordinator | Role::Admin);
        let hiding = if leaving {
            Hiding { children: true, families: true }
        } else if own {
            Hiding::NOTHING
        } else {
            Hiding { children: true, families: !sees_families }
        };
        Ok(Area { territory, scope, hiding })
    }
}

/// The date and the period asked, checked: the period within ten years,
/// its start not after its end, every day between 1990 and the end of next year.
fn period(query: &FiguresQuery, today: Date) -> Result<(Date, Date, Date), BankError> {
    let at = query.at.unwrap_or(today);
    let from = query.from.unwrap_or_else(|| Date::from_calendar_date(at.year(), Month::January, 1).unwrap_or(at));
    let to = query.to.unwrap_or_else(|| Date::from_calendar_date(from.year(), Month::December, 31).unwrap_or(from));
    let latest = Date::from_calendar_date(today.year() + 1, Month::December, 31).unwrap_or(today);
    let mut p = Problems::new();
    let window = Reason::DateOutOfRange { earliest: DateLimit::On(EARLIEST), latest: DateLimit::On(latest) };
    for (field, d) in [(Field::ReportAt, at), (Field::ReportFrom, from), (Field::ReportTo, to)] {
        if d < EARLIEST || d > latest {
            p.push(field, window.clone());
        }
    }
    if to < from {
        p.push(Field::ReportTo, Reason::NotAfter { other_field: Field::ReportFrom });
    } else if dates::months_between(from, to) as usize >= MAX_SERIES_MONTHS {
        p.push(Field::ReportTo, Reason::OutOfRange { min: 1, max: MAX_SERIES_MONTHS as i64 });
    }
    if !p.is_empty() {
        return Err(BankError::Invalid(p.into_vec()));
    }
    Ok((at, from, to))
}
