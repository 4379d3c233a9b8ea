//! Figures as words: the report as a document (tables the CLI prints and
//! the interface draws), as CSV for a spreadsheet and as Markdown for the
//! coordination's minutes. Every label comes from here, in both languages.

use crate::api::*;
use crate::i18n::{catalogue, comune_label, Lang};
use crate::model::dates::format_date;
use crate::model::vocabulary::{PlacementKind, Sex};
use crate::model::Relationship;

use super::doc::{Block, Doc, Span, Tone};

catalogue!(
    /// What the figures say.
    FigureWords {
        Title => "Statistiche della banca", "Figures of the bank";
        AnnualTitle => "Rilevazione annuale: bambini e ragazzi fuori dalla famiglia d'origine",
            "Annual survey: children living away from their family of origin";
        AtPeriod => "Alla data {at} · periodo {from} – {to}", "At {at} · period {from} – {to}";
        SmallNote => "Le celle tra 1 e {n} sono mostrate «<{t}» e, dove un totale le rivelerebbe, un'altra «n.d.»: nessun numero piccolo indica un bambino.",
            "Cells from 1 to {n} show \"<{t}\" and, where a total would give them away, another shows \"n.d.\": no small number points to a child.";
        Province => "Provincia", "Province";
        Ambit => "Ambito {name}", "Ambit {name}";
        District => "Presidio {name}", "District {name}";
        Total => "Totale", "Total";
        Item => "voce", "item";
        By => "per", "by";
        Indicator => "indicatore", "indicator";
        Group => "gruppo", "group";
        Area => "territorio", "area";
        Value => "valore", "value";
        Month => "mese", "month";
        NotAvailable => "n.d.", "n/a";
        Days => "{n} gg", "{n} d";
        // Indicators.
        FamiliesByStage => "Famiglie per fase del percorso", "Families by stage of the pathway";
        FamiliesAvailable => "Famiglie idonee con posti liberi, per tipo di affido offerto", "Approved families with free places, by kind offered";
        FamilyPlaces => "Posti delle famiglie idonee", "Places of the approved families";
        EnquiryToApproval => "Dal primo contatto all'idoneità (famiglie idonee nel periodo)", "From first contact to approval (families approved in the period)";
        WaitingSinceApproval => "Famiglie idonee in attesa di un primo affido dall'idoneità", "Approved families waiting for a placement since approval";
        NeedsOpenByKind => "Richieste aperte alla data, per tipo di affido", "Needs open at the date, by kind";
        NeedsOpenByUrgency => "Richieste aperte alla data, per urgenza", "Needs open at the date, by urgency";
        NeedsOpenByAge => "Richieste aperte alla data, per classe d'età", "Needs open at the date, by age class";
        NeedsOpenBySex => "Richieste aperte alla data, per sesso", "Needs open at the date, by sex";
        NeedsWaiting => "Attesa delle richieste aperte alla data", "Waiting of the needs open at the date";
        NeedsClosed => "Richieste registrate e chiuse nel periodo, per motivo", "Needs recorded and closed in the period, by reason";
        PlacementsInCourse => "Bambini in affido alla data", "Children in placement at the date";
        PlacementsStarted => "Affidi avviati nel periodo (bambini)", "Placements started in the period (children)";
        PlacementsEnded => "Affidi conclusi nel periodo (bambini)", "Placements ended in the period (children)";
        Proposals => "Proposte di abbinamento nel periodo", "Proposals made in the period";
        Reciprocity => "Reciprocità tra servizi (affidi avviati nel periodo, bambini)", "Reciprocity between services (placements started in the period, children)";
        ReceptionPlaces => "Servizi d'accoglienza: posti (oggi)", "Reception services: places (today)";
        Monthly => "Andamento mese per mese", "Month by month";
        // Groups.
        GKind => "tipo", "kind";
        GUrgency => "urgenza", "urgency";
        GAge => "età", "age";
        GSex => "sesso", "sex";
        GLegal => "base giuridica", "legal basis";
        GHost => "collocamento", "placed with";
        GOrigin => "cittadinanza", "origin";
        GDuration => "durata", "duration";
        GOutcome => "esito", "outcome";
        GReason => "motivo", "reason";
        GPlaces => "posti", "places";
        GTime => "tempi", "times";
        GService => "servizio", "service";
        // Classes.
        Emergency => "pronto intervento / urgente", "emergency";
        Ordinary => "ordinaria", "ordinary";
        Age0 => "0–2 anni", "0–2 years";
        Age3 => "3–5 anni", "3–5 years";
        Age6 => "6–10 anni", "6–10 years";
        Age11 => "11–14 anni", "11–14 years";
        Age15 => "15–17 anni", "15–17 years";
        Age18 => "18–21 anni (prosieguo)", "18–21 years (extended)";
        Under1 => "meno di 1 anno", "under 1 year";
        From1To2 => "da 1 a 2 anni", "1 to 2 years";
        From2To4 => "da 2 a 4 anni", "2 to 4 years";
        Over4 => "oltre 4 anni", "over 4 years";
        Consensual => "consensuale", "consensual";
        Judicial => "giudiziale (Tribunale per i minorenni)", "judicial (juvenile court)";
        Art403 => "art. 403 c.c. (urgenza)", "art. 403 civil code (emergency)";
        Kinship => "famiglia: intrafamiliare (parenti)", "family: kinship";
        NonKin => "famiglia: eterofamiliare", "family: non-kin";
        KinUnknown => "famiglia: non indicato", "family: not recorded";
        InService => "servizio: {kind}", "service: {kind}";
        Italian => "italiani (o non noti)", "Italian (or not known)";
        Foreign => "stranieri (nati all'estero)", "foreign (born abroad)";
        Unaccompanied => "MSNA (stranieri non accompagnati)", "unaccompanied foreign minors";
        // Measures.
        PlacesOffered => "posti offerti", "places offered";
        PlacesTaken => "posti occupati o impegnati", "places taken or held";
        PlacesFree => "posti liberi", "free places";
        StaleProfiles => "profili da riconfermare", "profiles to confirm";
        Counted => "famiglie contate", "families counted";
        CountedNeeds => "richieste contate", "needs counted";
        MedianDays => "mediana", "median";
        P90Days => "90° percentile", "90th percentile";
        Over90Days => "oltre 90 giorni", "over 90 days";
        Recorded => "registrate nel periodo", "recorded in the period";
        ClosedTotal => "chiuse nel periodo", "closed in the period";
        Made => "proposte fatte", "made";
        Accepted => "accettate", "accepted";
        Declined => "rifiutate", "declined";
        Withdrawn => "ritirate", "withdrawn";
        Pending => "senza risposta", "not answered";
        MedianDaysToAnswer => "giorni alla risposta (mediana)", "days to an answer (median)";
        ByHost => "rifiutata dal servizio della famiglia o d'accoglienza", "declined by the host's service";
        ByChildService => "ritirata dal servizio del bambino", "withdrawn by the child's service";
        NeedClosed => "ritirata: richiesta chiusa", "withdrawn: need closed";
        PlacedElsewhere => "ritirata: bambino collocato con un'altra proposta", "withdrawn: placed through another proposal";
        NoPlaceLeft => "ritirata: la famiglia non aveva più posti", "withdrawn: the family had no place left";
        Licensed => "posti autorizzati", "licensed places";
        Occupied => "occupati (affidi in banca)", "occupied (placements in banca)";
        DeclaredFree => "liberi dichiarati", "declared free";
        DeclaredStale => "dichiarazioni da verificare", "declarations to check";
        Services => "servizi", "services";
        Lent => "{code}: famiglie prestate", "{code}: families lent";
        Borrowed => "{code}: famiglie ricevute", "{code}: families borrowed";
        Balance => "{code}: saldo", "{code}: balance";
        ReceptionOf => "{kind}: {measure}", "{kind}: {measure}";
        SFamilies => "famiglie disponibili", "families available";
        SNeedsOpen => "richieste aperte", "needs open";
        SNeedsRecorded => "richieste nuove", "needs recorded";
        SStarted => "affidi avviati", "placements started";
        SEnded => "affidi conclusi", "placements ended";
        SInCourse => "bambini in affido", "children in placement";
        SProposals => "proposte", "proposals";
    }
);

use FigureWords as W;

pub fn indicator_title(i: Indicator, lang: Lang) -> &'static str {
    let w = match i {
        Indicator::FamiliesByStage => W::FamiliesByStage,
        Indicator::FamiliesAvailable => W::FamiliesAvailable,
        Indicator::FamilyPlaces => W::FamilyPlaces,
        Indicator::EnquiryToApproval => W::EnquiryToApproval,
        Indicator::WaitingSinceApproval => W::WaitingSinceApproval,
        Indicator::NeedsOpenByKind => W::NeedsOpenByKind,
        Indicator::NeedsOpenByUrgency => W::NeedsOpenByUrgency,
        Indicator::NeedsOpenByAge => W::NeedsOpenByAge,
        Indicator::NeedsOpenBySex => W::NeedsOpenBySex,
        Indicator::NeedsWaiting => W::NeedsWaiting,
        Indicator::NeedsClosed => W::NeedsClosed,
        Indicator::PlacementsInCourse => W::PlacementsInCourse,
        Indicator::PlacementsStarted => W::PlacementsStarted,
        Indicator::PlacementsEnded => W::PlacementsEnded,
        Indicator::Proposals => W::Proposals,
        Indicator::Reciprocity => W::Reciprocity,
        Indicator::ReceptionPlaces => W::ReceptionPlaces,
        Indicator::Monthly => W::Monthly,
    };
    w.get(lang)
}

pub fn series_label(s: Series, lang: Lang) -> &'static str {
    match s {
        Series::FamiliesAvailable => W::SFamilies,
        Series::NeedsOpen => W::SNeedsOpen,
        Series::NeedsRecorded => W::SNeedsRecorded,
        Series::PlacementsStarted => W::SStarted,
        Series::PlacementsEnded => W::SEnded,
        Series::PlacementsInCourse => W::SInCourse,
        Series::ProposalsMade => W::SProposals,
    }
    .get(lang)
}

pub fn territory_label(t: &Territory, lang: Lang) -> String {
    match t {
        Territory::Province => W::Province.get(lang).to_string(),
        Territory::Ambit(name) => W::Ambit.fill(lang, &[("name", name)]),
        Territory::District { name, .. } => W::District.fill(lang, &[("name", name)]),
        Territory::Comune(c) => comune_label(&c.to_string()),
        Territory::Service(s) => s.to_string(),
    }
}

fn group_label(g: Group, lang: Lang) -> &'static str {
    match g {
        Group::All | Group::Month(_) => "",
        Group::Kind => W::GKind.get(lang),
        Group::Urgency => W::GUrgency.get(lang),
        Group::Age => W::GAge.get(lang),
        Group::Sex => W::GSex.get(lang),
        Group::Legal => W::GLegal.get(lang),
        Group::Host => W::GHost.get(lang),
        Group::Origin => W::GOrigin.get(lang),
        Group::Duration => W::GDuration.get(lang),
        Group::Outcome => W::GOutcome.get(lang),
        Group::Reason => W::GReason.get(lang),
        Group::Places => W::GPlaces.get(lang),
        Group::Time => W::GTime.get(lang),
        Group::Service => W::GService.get(lang),
    }
}

pub fn age_label(a: AgeClass, lang: Lang) -> &'static str {
    match a {
        AgeClass::From0To2 => W::Age0,
        AgeClass::From3To5 => W::Age3,
        AgeClass::From6To10 => W::Age6,
        AgeClass::From11To14 => W::Age11,
        AgeClass::From15To17 => W::Age15,
        AgeClass::Over17 => W::Age18,
    }
    .get(lang)
}

fn measure_label(m: Measure, lang: Lang) -> String {
    let w = match m {
        Measure::PlacesOffered => W::PlacesOffered,
        Measure::PlacesTaken => W::PlacesTaken,
        Measure::PlacesFree => W::PlacesFree,
        Measure::StaleProfiles => W::StaleProfiles,
        Measure::Counted => W::Counted,
        Measure::MedianDays => W::MedianDays,
        Measure::P90Days => W::P90Days,
        Measure::Over90Days => W::Over90Days,
        Measure::Recorded => W::Recorded,
        Measure::Made => W::Made,
        Measure::Accepted => W::Accepted,
        Measure::Declined => W::Declined,
        Measure::Withdrawn => W::Withdrawn,
        Measure::Pending => W::Pending,
        Measure::MedianDaysToAnswer => W::MedianDaysToAnswer,
        Measure::DeclinedBecause(c) => match c {
            DeclineClass::ByHost => W::ByHost,
            DeclineClass::ByChildService => W::ByChildService,
            DeclineClass::NeedClosed => W::NeedClosed,
            DeclineClass::PlacedElsewhere => W::PlacedElsewhere,
            DeclineClass::NoPlaceLeft => W::NoPlaceLeft,
        },
        Measure::Licensed => W::Licensed,
        Measure::Occupied => W::Occupied,
        Measure::DeclaredFree => W::DeclaredFree,
        Measure::DeclaredStale => W::DeclaredStale,
        Measure::Services => W::Services,
        Measure::Lent | Measure::Borrowed | Measure::Balance => W::Services,
    };
    w.get(lang).to_string()
}

/// A row's words: "15–17 anni", "consensuale", "S-003: famiglie prestate".
pub fn row_label(table: Indicator, key: RowKey, lang: Lang) -> String {
    match key {
        RowKey::Total if table == Indicator::NeedsClosed => W::ClosedTotal.get(lang).to_string(),
        RowKey::Total => W::Total.get(lang).to_string(),
        RowKey::Measure(Measure::Counted) if table == Indicator::NeedsWaiting => W::CountedNeeds.get(lang).to_string(),
        RowKey::Stage(s) => s.label(lang).to_string(),
        RowKey::Kind(k) => kind_label(k, lang),
        RowKey::Emergency(true) => W::Emergency.get(lang).to_string(),
        RowKey::Emergency(false) => W::Ordinary.get(lang).to_string(),
        RowKey::Age(a) => age_label(a, lang).to_string(),
        RowKey::Sex(s) => sex_label(s, lang),
        RowKey::Legal(l) => match l {
            LegalClass::Consensual => W::Consensual,
            LegalClass::Judicial => W::Judicial,
            LegalClass::Art403 => W::Art403,
        }
        .get(lang)
        .to_string(),
        RowKey::Host(HostClass::Family(Some(Relationship::Kinship))) => W::Kinship.get(lang).to_string(),
        RowKey::Host(HostClass::Family(Some(Relationship::NonKin))) => W::NonKin.get(lang).to_string(),
        RowKey::Host(HostClass::Family(None)) => W::KinUnknown.get(lang).to_string(),
        RowKey::Host(HostClass::Service(k)) => W::InService.fill(lang, &[("kind", &k.label(lang))]),
        RowKey::Origin(o) => match o {
            Origin::Italian => W::Italian,
            Origin::Foreign => W::Foreign,
            Origin::Unaccompanied => W::Unaccompanied,
        }
        .get(lang)
        .to_string(),
        RowKey::Duration(d) => match d {
            DurationClass::UnderOneYear => W::Under1,
            DurationClass::OneToTwo => W::From1To2,
            DurationClass::TwoToFour => W::From2To4,
            DurationClass::OverFour => W::Over4,
        }
        .get(lang)
        .to_string(),
        RowKey::Outcome(o) => o.label(lang).to_string(),
        RowKey::Closed(r) => r.label(lang).to_string(),
        RowKey::ReceptionKind(k, m) => {
            W::ReceptionOf.fill(lang, &[("kind", &k.label(lang)), ("measure", &measure_label(m, lang))])
        }
        RowKey::Service(s, m) => {
            let w = match m {
                Measure::Lent => W::Lent,
                Measure::Borrowed => W::Borrowed,
                _ => W::Balance,
            };
            w.fill(lang, &[("code", &s)])
        }
        RowKey::Month { year, month } => format!("{month:02}/{year}"),
        RowKey::Measure(m) => measure_label(m, lang),
    }
}

fn kind_label(k: PlacementKind, lang: Lang) -> String {
    k.label(lang).to_string()
}

fn sex_label(s: Sex, lang: Lang) -> String {
    match (s, lang) {
        (Sex::Female, Lang::It) => "femmine".into(),
        (Sex::Male, Lang::It) => "maschi".into(),
        (Sex::Female, Lang::En) => "girls".into(),
        (Sex::Male, Lang::En) => "boys".into(),
    }
}

/// A cell as printed: "12", "<3", "n.d.", "45 gg", "-2".
pub fn cell_text(c: Cell, threshold: u32, lang: Lang) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Small => format!("<{threshold}"),
        Cell::Hidden | Cell::Days(None) => W::NotAvailable.get(lang).to_string(),
        Cell::Days(Some(d)) => W::Days.fill(lang, &[("n", &d)]),
        Cell::Signed(n) if n > 0 => format!("+{n}"),
        Cell::Signed(n) => n.to_string(),
    }
}

/// The share a row is of its table's total, where it is one: a class of a
/// breakdown, or an answer of the proposals made.
fn share(table: &Table, row: &Row, column: usize) -> Option<u64> {
    let base_key = match (table.indicator, row.key) {
        (Indicator::Proposals, RowKey::Measure(Measure::Accepted | Measure::Declined | Measure::Withdrawn)) => {
            RowKey::Measure(Measure::Made)
        }
        (_, _) if matches!(row.group, Group::All | Group::Time | Group::Places | Group::Service | Group::Month(_)) => {
            return None
        }
        (Indicator::FamiliesAvailable | Indicator::ReceptionPlaces | Indicator::Proposals, _) => return None,
        _ => RowKey::Total,
    };
    let base = table.rows.iter().find(|r| r.key == base_key && r.group == Group::All)?.cells.get(column)?.count()?;
    let n = row.cells.get(column)?.count()?;
    (base > 0 && n > 0).then(|| (n * 100 + base / 2) / base)
}

fn header(figures: &Figures, lang: Lang) -> Vec<String> {
    let mut h = vec![String::new(), W::Item.get(lang).to_string()];
    h.extend(figures.areas.iter().map(|a| territory_label(a, lang)));
    h
}

/// One table's rows as text cells: group (when it changes), label, one
/// cell per area with its share.
fn table_rows(figures: &Figures, table: &Table, lang: Lang) -> Vec<Vec<String>> {
    let mut last = None;
    table
        .rows
        .iter()
        .map(|row| {
            let group = if last == Some(row.group) { String::new() } else { group_label(row.group, lang).to_string() };
            last = Some(row.group);
            let mut out = vec![group, row_label(table.indicator, row.key, lang)];
            for (i, c) in row.cells.iter().enumerate() {
                let text = cell_text(*c, figures.threshold, lang);
                out.push(match share(table, row, i) {
                    Some(p) => format!("{text} ({p}%)"),
                    None => text,
                });
            }
            out
        })
        .collect()
}

/// The monthly table turned round: one row per month, one column per
/// series (the first area's).
fn monthly_rows(figures: &Figures, table: &Table, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let mut head = vec![W::Month.get(lang).to_string()];
    head.extend(Series::ALL.iter().map(|s| series_label(*s, lang).to_string()));
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut months: Vec<RowKey> = table.rows.iter().map(|r| r.key).collect();
    months.dedup();
    for m in months {
        let mut row = vec![row_label(table.indicator, m, lang)];
        for s in Series::ALL {
            let c = table.rows.iter().find(|r| r.key == m && r.group == Group::Month(s)).and_then(|r| r.cells.first());
            row.push(c.map(|c| cell_text(*c, figures.threshold, lang)).unwrap_or_default());
        }
        rows.push(row);
    }
    (head, rows)
}

pub fn period_line(figures: &Figures, lang: Lang) -> String {
    W::AtPeriod.fill(
        lang,
        &[("at", &format_date(figures.at)), ("from", &format_date(figures.from)), ("to", &format_date(figures.to))],
    )
}

fn small_note(figures: &Figures, lang: Lang) -> String {
    W::SmallNote.fill(lang, &[("n", &figures.threshold.saturating_sub(1)), ("t", &figures.threshold)])
}

/// The report as a document: a title, the date and period, the areas,
/// one table per indicator.
pub fn report(figures: &Figures, annual: bool, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    let title = if annual { W::AnnualTitle } else { W::Title };
    doc.title(vec![Span::new(title.get(lang), Tone::Strong)]);
    doc.line(0, Span::new(period_line(figures, lang), Tone::Dim));
    doc.extend(tables(figures, &[], lang));
    doc
}

/// The tables of `only` (none: every one), with the small-cell note when
/// a cell is hidden: what the interface shows of one part.
pub fn tables(figures: &Figures, only: &[Indicator], lang: Lang) -> Doc {
    let mut doc = Doc::new();
    let shown: Vec<&Table> = figures.tables.iter().filter(|t| only.is_empty() || only.contains(&t.indicator)).collect();
    if shown.iter().flat_map(|t| &t.rows).flat_map(|r| &r.cells).any(|c| matches!(c, Cell::Small | Cell::Hidden)) {
        doc.text(0, small_note(figures, lang));
    }
    for table in shown {
        doc.blank();
        doc.heading(indicator_title(table.indicator, lang));
        let (header, rows) = match table.indicator {
            Indicator::Monthly => monthly_rows(figures, table, lang),
            _ => (header(figures, lang), table_rows(figures, table, lang)),
        };
        doc.push(Block::Table { header, rows });
    }
    doc
}

/// The figures as CSV, one line per cell: indicator, group, item, area,
/// value (a count, "<3", "n.d." or days), with the date and period.
pub fn csv(figures: &Figures, lang: Lang) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head: [&str; 8] = match lang {
        Lang::It => ["indicatore", "titolo", "gruppo", "voce", "territorio", "valore", "alla_data", "periodo"],
        Lang::En => ["indicator", "title", "group", "item", "area", "value", "at", "period"],
    };
    let _ = w.write_record(head);
    let period = format!("{} - {}", format_date(figures.from), format_date(figures.to));
    for table in &figures.tables {
        for row in &table.rows {
            let group = match row.group {
                Group::Month(s) => series_label(s, lang),
                g => group_label(g, lang),
            };
            for (i, c) in row.cells.iter().enumerate() {
                let value = match c {
                    Cell::Count(n) => n.to_string(),
                    Cell::Days(Some(d)) => d.to_string(),
                    Cell::Signed(n) => n.to_string(),
                    other => cell_text(*other, figures.threshold, lang),
                };
                let area = figures.areas.get(i).map(|a| territory_label(a, lang)).unwrap_or_default();
                let record = [
                    table.indicator.token().to_string(),
                    super::reception::cell(indicator_title(table.indicator, lang)),
                    super::reception::cell(group),
                    super::reception::cell(&row_label(table.indicator, row.key, lang)),
                    super::reception::cell(&area),
                    value,
                    format_date(figures.at),
                    period.clone(),
                ];
                let _ = w.write_record(&record);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The figures as Markdown for the minutes: a title, the date and period,
/// a table per indicator. Text is plain: `|` and control characters never
/// break a table.
pub fn markdown(figures: &Figures, annual: bool, lang: Lang) -> String {
    let md = |s: &str| crate::model::plain::neutralise(s).replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut out = String::new();
    let title = if annual { W::AnnualTitle } else { W::Title };
    out.push_str(&format!("# {}\n\n", md(title.get(lang))));
    out.push_str(&format!("{}\n\n", md(&period_line(figures, lang))));
    out.push_str(&format!("{}\n", md(&small_note(figures, lang))));
    for table in &figures.tables {
        out.push_str(&format!("\n## {}\n\n", md(indicator_title(table.indicator, lang))));
        let labels = if table.indicator == Indicator::Monthly { 1 } else { 2 };
        let (header, rows) = match table.indicator {
            Indicator::Monthly => monthly_rows(figures, table, lang),
            _ => {
                let mut h = header(figures, lang);
                h[0] = W::By.get(lang).to_string();
                (h, table_rows(figures, table, lang))
            }
        };
        out.push_str(&format!("| {} |\n", header.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | ")));
        let align: Vec<&str> =
            header.iter().enumerate().map(|(i, _)| if i < labels { "---" } else { "---:" }).collect();
        out.push_str(&format!("|{}|\n", align.join("|")));
        for row in rows {
            out.push_str(&format!("| {} |\n", row.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")));
        }
    }
    out
}
