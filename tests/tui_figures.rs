//! Statistiche on screen: the coordination's overview (key figures, open
//! needs by age as bars, the months as sparklines, the map of the comuni)
//! and a service's own figures beside the province's, with the small cells
//! the province hides. Frames drawn from the real core on the interface's
//! fixture.

mod common;

use banca::i18n::Lang;
use common::tui::{app, frames, key, line_with, press};
use common::*;
use ratatui::crossterm::event::KeyCode;

#[test]
fn the_coordination_sees_the_province_s_overview_with_its_map() {
    let fx = tui_fixture();
    for (suffix, frame) in frames(&fx.bank, CARLA, |app| press(app, "%")) {
        insta::assert_snapshot!(format!("statistics_overview_{suffix}"), frame);
    }
    let mut carla = app(&fx.bank, CARLA, Lang::It);
    press(&mut carla, "%");
    let frame = banca::tui::draw_to_string(&mut carla, 120, 40);
    assert!(line_with(&frame, "% Statistiche").contains("% Statistiche"));
    assert!(line_with(&frame, "Provincia · Alla data").contains("23/11/2026"), "{frame}");
    assert!(frame.contains("Mappa: ● famiglie disponibili"), "{frame}");
}

#[test]
fn an_operator_sees_her_service_beside_the_province_and_the_province_s_small_cells_hidden() {
    let fx = tui_fixture();
    let keys = |app: &mut banca::tui::InProcess| {
        press(app, "%");
        key(app, KeyCode::Tab);
        key(app, KeyCode::Tab);
    };
    for (suffix, frame) in frames(&fx.bank, ANNA, keys) {
        insta::assert_snapshot!(format!("statistics_needs_{suffix}"), frame);
    }
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    keys(&mut anna);
    let frame = banca::tui::draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "Alla data").contains("S-001 | Provincia"), "{frame}");
    // `t` goes to the province alone.
    press(&mut anna, "t");
    let frame = banca::tui::draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "Alla data").starts_with(" Provincia ·"), "{frame}");
}

/// The number in a pane's title: "┌ Famiglie disponibili (172) ───".
fn pane_count(frame: &str, title: &str) -> u64 {
    let line = line_with(frame, title);
    let after = &line[line.find(title).unwrap() + title.len()..];
    let inside = after.trim_start().strip_prefix('(').unwrap_or_else(|| panic!("no count after {title}: {line}"));
    inside[..inside.find(')').unwrap()].parse().unwrap_or_else(|_| panic!("not a count: {line}"))
}

/// Every record of a list, page by page, as the core lists them.
fn all_pages<T>(
    fx: &Fixture,
    mut request: banca::api::Request,
    items: impl Fn(banca::api::Reply) -> (Vec<T>, Option<banca::api::Cursor>),
) -> Vec<T> {
    let mut out = Vec::new();
    loop {
        let (page, next) = items(fx.ok(CARLA, request.clone()));
        out.extend(page);
        match next {
            Some(next) => request = request.page_after(Some(next)),
            None => return out,
        }
    }
}

#[test]
fn the_coordinator_s_dashboard_counts_are_exact_on_the_demo_bank() {
    use banca::api::{Cell, FamilyFilter, FiguresQuery, Group, Indicator, NeedFilter, Reply, Request, RowKey};
    use banca::model::{FamilyStatus, NeedStatus, Role};
    let (dir, bank) = empty_bank();
    let options = banca::demo::DemoOptions { families: 600, needs: 160, seed: 17, admin_user: ADMIN.into(), now: NOW };
    let lines = banca::demo::generate_lines(&options);
    ask_server_user(&std::sync::Arc::new(bank), ADMIN, Request::Import { lines })
        .map(|_| ())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bank = banca::bank::Bank::open(
        &dir.path().join("bank"),
        banca::bank::BankConfig::default(),
        false,
        std::sync::Arc::new(banca::bank::FixedClock(NOW)),
    )
    .unwrap();
    let fx = Fixture { dir, bank: std::sync::Arc::new(bank) };
    let _ = fx.saved(
        ADMIN,
        Request::OperatorCreate {
            user: CARLA.into(),
            input: operator_input("Carla Coordinatrice", Role::Coordinator, None),
        },
    );

    // Counted here from every record listed, page by page: approved families
    // with a free place; needs still waiting for a family (open or matching).
    let families = all_pages(
        &fx,
        Request::FamilyList {
            filter: FamilyFilter { status: Some(FamilyStatus::Approved), ..FamilyFilter::default() },
        },
        |r| match r {
            Reply::Families(p) => (p.items, p.next),
            other => panic!("{other:?}"),
        },
    );
    let available = families.iter().filter(|f| f.free_places.is_some_and(|n| n > 0)).count() as u64;
    let mut waiting = 0u64;
    for status in [NeedStatus::Open, NeedStatus::Matching] {
        waiting += all_pages(
            &fx,
            Request::NeedList { filter: NeedFilter { status: Some(status), ..NeedFilter::default() } },
            |r| match r {
                Reply::Needs(p) => (p.items, p.next),
                other => panic!("{other:?}"),
            },
        )
        .len() as u64;
    }
    assert!(available > 200 && waiting > 50, "a demo bank of some size: {available} families, {waiting} needs");

    let mut carla = app(&fx.bank, CARLA, Lang::It);
    let frame = banca::tui::draw_to_string(&mut carla, 120, 40);
    assert_eq!(pane_count(&frame, "Famiglie disponibili"), available, "{frame}");
    assert_eq!(pane_count(&frame, "Richieste aperte"), waiting, "{frame}");
    // The figures say the same number of families available.
    let figures = match fx.ok(CARLA, Request::Figures { query: FiguresQuery::at(None) }) {
        Reply::Figures(f) => f,
        other => panic!("{other:?}"),
    };
    assert_eq!(figures.cell(Indicator::FamiliesAvailable, Group::All, RowKey::Total), Some(Cell::Count(available)));
}
