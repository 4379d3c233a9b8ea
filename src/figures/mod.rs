//! Figures for the coordination (DESIGN.md "Records"): indicators counted
//! from an in-memory index of dated facts, for a date and a period, over
//! one or more areas side by side, with small cells hidden wherever a
//! figure leaves the service that owns its children.

mod count;
mod index;

use std::collections::HashMap;

pub use count::{percentile, Counting, ReceptionFigure, Scope, Val};
pub use index::{FamilyFigure, FigureIndex, NeedFigure, PlacementFigure, ProposalFigure};

use crate::api::{Cell, ComuneFigure, Figures, Group, Indicator, Row, Territory};

/// What one area hides from whoever asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hiding {
    /// Counts of children (needs, placements, proposals).
    pub children: bool,
    /// Counts of families.
    pub families: bool,
}

impl Hiding {
    pub const NOTHING: Hiding = Hiding { children: false, families: false };

    fn hides(self, indicator: Indicator) -> bool {
        if indicator.counts_children() {
            self.children
        } else {
            self.families
        }
    }
}

/// One column of the figures: where, counted how, hiding what.
pub struct Area {
    pub territory: Territory,
    pub scope: Scope,
    pub hiding: Hiding,
}

/// Every table asked for, one column per area (the first area's rows,
/// in its order), and the first area's map.
pub fn figures(counting: &Counting, areas: &[Area], only: &[Indicator], threshold: u32) -> Figures {
    let per_area: Vec<Vec<(Indicator, count::Rows)>> = areas.iter().map(|a| counting.tables(&a.scope, only)).collect();
    let mut tables = Vec::new();
    if let Some(first) = per_area.first() {
        for (t, (indicator, rows)) in first.iter().enumerate() {
            let others: Vec<HashMap<(Group, crate::api::RowKey), Val>> = per_area[1..]
                .iter()
                .map(|tables| tables[t].1.iter().map(|(g, k, v)| ((*g, *k), *v)).collect())
                .collect();
            let mut out: Vec<Row> = rows
                .iter()
                .map(|(g, k, v)| {
                    let mut cells = vec![cell(*v, areas[0].hiding.hides(*indicator), threshold)];
                    for (i, other) in others.iter().enumerate() {
                        let v = other.get(&(*g, *k)).copied().unwrap_or(Val::N(0));
                        cells.push(cell(v, areas[i + 1].hiding.hides(*indicator), threshold));
                    }
                    Row { group: *g, key: *k, cells }
                })
                .collect();
            for column in 0..areas.len() {
                hide_complements(&mut out, column);
            }
            tables.push(crate::api::Table { indicator: *indicator, rows: out });
        }
    }
    let map = match areas.first() {
        Some(area) => counting
            .map(&area.scope)
            .into_iter()
            .map(|(comune, (families, needs))| ComuneFigure {
                comune,
                families_available: cell(Val::N(families), area.hiding.families, threshold),
                needs_open: cell(Val::N(needs), area.hiding.children, threshold),
            })
            .collect(),
        None => vec![],
    };
    Figures {
        at: counting.at,
        from: counting.from,
        to: counting.to,
        areas: areas.iter().map(|a| a.territory.clone()).collect(),
        threshold,
        tables,
        map,
    }
}

/// A figure as it may be seen: 1 to `threshold` − 1 hidden when `hide`;
/// a time over fewer records than that hidden too (one child's wait is
/// that child's).
fn cell(v: Val, hide: bool, threshold: u32) -> Cell {
    let small = |n: u64| hide && n > 0 && n < u64::from(threshold);
    match v {
        Val::N(n) if small(n) => Cell::Small,
        Val::N(n) => Cell::Count(n),
        Val::Days(_, base) if small(base) => Cell::Small,
        Val::Days(d, _) => Cell::Days(d),
        Val::Signed(n) if small(n.unsigned_abs()) => Cell::Small,
        Val::Signed(n) => Cell::Signed(n),
    }
}

/// A breakdown with one small cell hidden would give it away by
/// subtraction from the total: the next smallest cell of the same
/// breakdown is hidden too.
fn hide_complements(rows: &mut [Row], column: usize) {
    let mut groups: Vec<Group> = rows.iter().map(|r| r.group).collect();
    groups.dedup();
    for group in groups {
        if matches!(group, Group::All | Group::Time | Group::Places | Group::Month(_) | Group::Service) {
            continue;
        }
        let in_group = |r: &Row| r.group == group;
        let small = rows.iter().filter(|r| in_group(r) && r.cells.get(column) == Some(&Cell::Small)).count();
        if small != 1 {
            continue;
        }
        let next = rows
            .iter_mut()
            .filter(|r| in_group(r))
            .filter_map(|r| match r.cells.get(column) {
                Some(Cell::Count(n)) if *n > 0 => Some((*n, r)),
                _ => None,
            })
            .min_by_key(|(n, _)| *n);
        if let Some((_, row)) = next {
            row.cells[column] = Cell::Hidden;
        }
    }
}
