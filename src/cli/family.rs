//! `banca family add|edit|show|list`.

use clap::{Args, Subcommand};

use crate::api::{FamilyFilter, FamilySort, FamilyView, Near, Reply, Request};
use crate::model::age::AgeRange;
use crate::model::*;
use crate::present::{self, lists};

use super::parse::{family_code, split_list, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};
use crate::i18n::catalogue;

catalogue!(
    /// What the family commands say.
    FamilyWords {
        WriteEG3 => "scrivere per es. 3-10 (anni) o 0-24m (mesi)", "write e.g. 3-10 (years) or 0-24m (months)";
        WriteNameSurnameBirth => "scrivere \"Nome Cognome,anno di nascita\"", "write \"Name Surname,birth year\"";
        Required => "obbligatorio", "required";
        KmRange => "«{km}»: i km vanno da 1 a {max}", "\"{km}\": km go from 1 to {max}";
        KmNeedsNear => "serve --near, il comune da cui misurare", "needs --near, the comune to measure from";
        YouMayNotRead => "non puoi leggere i dati riservati di questa famiglia, né cambiarli",
            "you may not read this family's private data, nor change it";
        Saved => "Salvato:", "Saved:";
        NothingChanged => "nessuna modifica", "nothing changed";
        AlsoUpdated => "Aggiornate anche:", "Also updated:";
        NoFamilies => "Nessuna famiglia.", "No families.";
        AvailabilityToConfirmAgain => "(⚠ = disponibilità da riconfermare)", "(⚠ = availability to confirm again)";
        WriteAge => "scrivere l'età in anni (6) o in mesi (8m)", "write the age in years (6) or in months (8m)";
        WriteSort => "scrivere codice o distanza", "write codice or distanza (code or distance)";
    }
);

#[derive(Subcommand, Debug)]
pub enum FamilyCommand {
    /// Primo contatto: solo ciò che si sa (nomi, un recapito, il comune)
    #[command(
        after_help = "Esempio: banca family enquiry --name \"Anna Rota\" --name \"Marco Bassi\" --phone 035 555 0101 --comune Dalmine --source serata_informativa"
    )]
    Enquiry(super::pathway::EnquiryArgs),
    /// Un passo del percorso (lo stato segue dal passo); senza passo mostra quelli possibili ora
    Step(super::pathway::StepArgs),
    /// Una voce del diario di sostegno della famiglia
    Support(super::pathway::SupportArgs),
    /// Registra una famiglia (almeno --adult e --comune)
    Add(FamilyFields),
    /// Modifica una famiglia: solo i campi indicati cambiano
    Edit {
        code: String,
        /// Revisione letta (da `family show`): se nel frattempo è cambiata, la modifica è rifiutata
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        fields: FamilyFields,
    },
    /// Mostra una famiglia (l'identità solo a chi può vederla)
    Show {
        code: String,
        /// Amministratore: legge l'identità in emergenza, con il motivo (resta nel registro)
        #[arg(long, value_name = "MOTIVO")]
        emergency: Option<String>,
    },
    /// Elenca le famiglie
    List(FamilyListArgs),
}

#[derive(Args, Debug, Default)]
pub struct FamilyFields {
    /// Servizio titolare, es. S-001 (per un operatore: il proprio)
    #[arg(long)]
    service: Option<String>,
    /// Operatore referente (nome utente; default: chi registra)
    #[arg(long)]
    referent: Option<String>,
    /// Adulto di riferimento "Nome Cognome,anno di nascita" (ripetibile, fino a 10; l'anno è facoltativo dal secondo; in modifica sostituisce tutti)
    #[arg(long = "adult", value_name = "NOME,ANNO")]
    adults: Vec<String>,
    /// Indirizzo (via e numero)
    #[arg(long)]
    address: Option<String>,
    /// Telefono della famiglia
    #[arg(long)]
    phone: Option<String>,
    /// E-mail della famiglia
    #[arg(long)]
    email: Option<String>,
    /// Comune di residenza (nome o codice ISTAT)
    #[arg(long)]
    comune: Option<String>,
    /// Adulti nel nucleo (default: quanti --adult)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    household_adults: Option<String>,
    /// Anni di nascita dei figli, separati da virgole ("" per nessuno)
    #[arg(long, value_name = "ANNI", allow_negative_numbers = true)]
    children_born: Option<String>,
    /// Animali in casa (testo libero)
    #[arg(long)]
    pets: Option<String>,
    /// Stanze libere per un minore accolto
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    spare_rooms: Option<String>,
    /// Tipi di affido accolti: residenziale, diurno, tempo_libero, pronto_intervento, affido_leggero, genitore_bambino, neomaggiorenni
    #[arg(long, value_name = "TIPI")]
    kinds: Option<String>,
    /// Fascia d'età accolta: "3-10" (anni), "0-24m" (mesi), "6m-4"
    #[arg(long, value_name = "DA-A")]
    ages: Option<String>,
    /// indifferente, femmine, maschi
    #[arg(long)]
    sex_preference: Option<String>,
    /// Massimo di minori accolti insieme
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    max_children: Option<String>,
    /// Accoglie fratelli: sì/no
    #[arg(long, value_name = "SÌ/NO")]
    accepts_siblings: Option<String>,
    /// Bisogni speciali accolti: disabilita, malattia_cronica, difficolta_comportamentali, trauma, neonato, msna, genitore_con_bambino
    #[arg(long, value_name = "BISOGNI")]
    special_needs: Option<String>,
    /// Lingue parlate, separate da virgole, in italiano o in inglese (arabo, rumeno, inglese…); nessuna se omesso
    #[arg(long)]
    languages: Option<String>,
    /// Disponibilità di tempo: tempo_pieno, feriali, pomeriggi, weekend, vacanze, su_chiamata
    #[arg(long = "time", value_name = "TEMPI")]
    time_slots: Option<String>,
    /// Distanza massima che la famiglia percorre, in km ("" per nessun limite)
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    max_distance: Option<String>,
    /// Corso di formazione concluso il (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    training_completed: Option<String>,
    /// interessata, in_valutazione, idonea, sospesa, ritirata, non_idonea
    #[arg(long)]
    status: Option<String>,
    /// Data di idoneità (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    approved_on: Option<String>,
    /// Data di revisione dell'idoneità (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    review_on: Option<String>,
    /// Disponibilità confermata il (gg/mm/aaaa, o "oggi")
    #[arg(long, value_name = "DATA")]
    confirmed_on: Option<String>,
    /// Disponibile dal (gg/mm/aaaa; "" per nessun limite)
    #[arg(long, value_name = "DATA")]
    available_from: Option<String>,
    /// Disponibile fino al (gg/mm/aaaa; "" per nessun limite)
    #[arg(long, value_name = "DATA")]
    available_until: Option<String>,
    /// Note (testo libero)
    #[arg(long)]
    notes: Option<String>,
}

#[derive(Args, Debug)]
pub struct FamilyListArgs {
    /// Solo le famiglie in questo stato (es. idonea)
    #[arg(long)]
    status: Option<String>,
    /// Tipo di affido accolto
    #[arg(long)]
    kind: Option<String>,
    /// Solo le famiglie di questo servizio (es. S-001)
    #[arg(long)]
    service: Option<String>,
    /// Solo le famiglie di questo comune (nome o codice ISTAT)
    #[arg(long)]
    comune: Option<String>,
    /// Solo le famiglie di questo referente (nome utente)
    #[arg(long)]
    referent: Option<String>,
    /// Solo le disponibilità da riconfermare
    #[arg(long)]
    stale: bool,
    /// Solo le famiglie con almeno N posti liberi ora (solo --free: almeno 1)
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "1", value_parser = clap::value_parser!(u8).range(1..=10))]
    free: Option<u8>,
    /// Solo le famiglie che accolgono un minore di questa età: anni (6) o mesi (8m)
    #[arg(long, value_name = "ETÀ")]
    age: Option<String>,
    /// Solo le famiglie disponibili in tutti questi tempi: tempo_pieno, feriali, pomeriggi, weekend, vacanze, su_chiamata
    #[arg(long, value_name = "TEMPI")]
    slots: Option<String>,
    /// Solo le famiglie che accolgono un minore di questo sesso: m, f
    #[arg(long)]
    sex: Option<String>,
    /// Distanza da questo comune (nome o codice ISTAT), mostrata in una colonna KM
    #[arg(long, value_name = "COMUNE")]
    near: Option<String>,
    /// Solo le famiglie entro tanti km dal comune di --near
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    km: Option<i64>,
    /// Solo le famiglie dei comuni di questo presidio (nome)
    #[arg(long, value_name = "PRESIDIO")]
    district: Option<String>,
    /// Solo le famiglie dei comuni di questo ambito (nome, come in `ambit show`)
    #[arg(long, value_name = "AMBITO")]
    ambit: Option<String>,
    /// Ordine: codice (default) o distanza (dalla più vicina a --near)
    #[arg(long, value_name = "ORDINE", requires_if("distanza", "near"), requires_if("distance", "near"))]
    sort: Option<String>,
    /// Quante mostrare al massimo
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: Option<usize>,
}

pub fn run(s: &Session, command: FamilyCommand) -> CliResult {
    match command {
        FamilyCommand::Enquiry(args) => super::pathway::enquiry(s, args),
        FamilyCommand::Step(args) => super::pathway::step(s, args),
        FamilyCommand::Support(args) => super::pathway::support(s, args),
        FamilyCommand::Add(fields) => add(s, fields),
        FamilyCommand::Edit { code, revision, fields } => edit(s, &code, revision, fields),
        FamilyCommand::Show { code, emergency: None } => show(s, &code),
        FamilyCommand::Show { code, emergency: Some(reason) } => emergency_show(s, &code, reason),
        FamilyCommand::List(args) => list(s, args),
    }
}

fn add(s: &Session, fields: FamilyFields) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
    if fields.comune.is_none() {
        errs.push("comune", FamilyWords::Required.get(s.lang));
    }
    let mut input = FamilyInput {
        service: None,
        referent: None,
        identity: FamilyIdentity::default(),
        profile: AvailabilityProfile {
            comune: ComuneCode::from_u32(0),
            // As many as named, within the household's bounds: too many adults
            // are refused on --adult, not on a flag nobody typed.
            household: Household {
                adults: fields.adults.len().clamp(1, crate::model::limits::MAX_HOUSEHOLD_ADULTS as usize) as u8,
                ..Household::default()
            },
            kinds: Default::default(),
            ages: AgeRange::ANY,
            sex_preference: SexPreference::Any,
            max_children: 1,
            siblings_accepted: false,
            special_needs_accepted: Default::default(),
            languages: Vec::new(),
            time_slots: Default::default(),
            max_distance_km: None,
            training_completed_on: None,
            status: FamilyStatus::Enquiring,
            approved_on: None,
            review_on: None,
            confirmed_on: None,
            notes: String::new(),
            available_from: None,
            available_until: None,
        },
    };
    fields.apply(&mut input, &mut errs);
    errs.finish()?;
    saved(s, s.call(Request::FamilyCreate { input })?)
}

fn edit(s: &Session, code: &str, revision: Option<u64>, fields: FamilyFields) -> CliResult {
    let code = family_code(code, s.lang)?;
    let view = match s.call(Request::FamilyGet { code })? {
        Reply::Family(v) => v,
        other => return Err(unexpected(other)),
    };
    // Without the private part (an administrator) it goes empty, and the bank keeps the stored one.
    let mut input = view.as_input();
    let mut errs = FlagErrors::new(s.lang);
    if view.private.is_none() {
        for flag in fields.private_flags() {
            errs.push(flag, FamilyWords::YouMayNotRead.get(s.lang));
        }
    }
    fields.apply(&mut input, &mut errs);
    errs.finish()?;
    let base_revision = revision.unwrap_or(view.revision);
    saved(s, s.call(Request::FamilyUpdate { code, base_revision, input })?)
}

impl FamilyFields {
    /// The flags given that set the private part (identity, contacts, children, pets, notes).
    fn private_flags(&self) -> Vec<&'static str> {
        [
            ("adult", !self.adults.is_empty()),
            ("address", self.address.is_some()),
            ("phone", self.phone.is_some()),
            ("email", self.email.is_some()),
            ("children-born", self.children_born.is_some()),
            ("pets", self.pets.is_some()),
            ("notes", self.notes.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect()
    }

    /// Writes every given flag into `input`; problems go to `errs`.
    fn apply(self, input: &mut FamilyInput, errs: &mut FlagErrors) {
        let lang = errs.lang();
        if let Some(v) = self.service {
            input.service = errs.service("service", &v);
        }
        if let Some(v) = self.referent {
            input.referent = Some(v.trim().to_string());
        }
        if !self.adults.is_empty() {
            input.identity.adults = self.adults.iter().filter_map(|a| parse_adult(a, errs)).collect();
        }
        let id = &mut input.identity;
        set_text(&mut id.address, self.address);
        set_text(&mut id.phone, self.phone);
        set_text(&mut id.email, self.email);
        let p = &mut input.profile;
        if let Some(v) = self.comune {
            if let Some(c) = errs.comune("comune", &v) {
                p.comune = c;
            }
        }
        if let Some(v) = self.household_adults {
            if let Some(n) = errs.number("household-adults", &v) {
                p.household.adults = n;
            }
        }
        if let Some(v) = self.children_born {
            p.household.children_birth_years =
                split_list(&v).iter().filter_map(|y| errs.number("children-born", y)).collect();
        }
        set_text(&mut p.household.pets, self.pets);
        if let Some(v) = self.spare_rooms {
            if let Some(n) = errs.number("spare-rooms", &v) {
                p.household.spare_rooms = n;
            }
        }
        if let Some(v) = self.kinds {
            if let Some(k) = errs.terms("kinds", &v, PlacementKind::parse, PlacementKind::choices(lang)) {
                p.kinds = k;
            }
        }
        if let Some(v) = self.ages {
            match AgeRange::parse(&v) {
                Some(r) => p.ages = r,
                None => errs.push("ages", format!("«{v}»: {}", FamilyWords::WriteEG3.get(lang))),
            }
        }
        if let Some(v) = self.sex_preference {
            if let Some(x) = errs.term("sex-preference", &v, SexPreference::parse, SexPreference::choices(lang)) {
                p.sex_preference = x;
            }
        }
        if let Some(v) = self.max_children {
            if let Some(n) = errs.number("max-children", &v) {
                p.max_children = n;
            }
        }
        if let Some(v) = self.accepts_siblings {
            if let Some(b) = errs.yes_no("accepts-siblings", &v) {
                p.siblings_accepted = b;
            }
        }
        if let Some(v) = self.special_needs {
            if let Some(x) = errs.terms("special-needs", &v, SpecialNeed::parse, SpecialNeed::choices(lang)) {
                p.special_needs_accepted = x;
            }
        }
        if let Some(v) = self.languages {
            p.languages = split_list(&v);
        }
        if let Some(v) = self.time_slots {
            if let Some(x) = errs.terms("time", &v, TimeSlot::parse, TimeSlot::choices(lang)) {
                p.time_slots = x;
            }
        }
        if let Some(v) = self.max_distance {
            if v.trim().is_empty() {
                p.max_distance_km = None;
            } else if let Some(n) = errs.number("max-distance", &v) {
                p.max_distance_km = Some(n);
            }
        }
        for (flag, value, slot) in [
            ("training-completed", self.training_completed, &mut p.training_completed_on),
            ("approved-on", self.approved_on, &mut p.approved_on),
            ("review-on", self.review_on, &mut p.review_on),
            ("confirmed-on", self.confirmed_on, &mut p.confirmed_on),
            ("available-from", self.available_from, &mut p.available_from),
            ("available-until", self.available_until, &mut p.available_until),
        ] {
            if let Some(v) = value {
                if let Some(d) = errs.opt_date(flag, &v) {
                    *slot = d;
                }
            }
        }
        if let Some(v) = self.status {
            if let Some(x) = errs.term("status", &v, FamilyStatus::parse, FamilyStatus::choices(lang)) {
                p.status = x;
            }
        }
        set_text(&mut p.notes, self.notes);
    }
}

fn set_text(slot: &mut String, value: Option<String>) {
    if let Some(v) = value {
        *slot = v.trim().to_string();
    }
}

/// "Laura Bassi,1979"; "Marco Bassi" when the year is not known (the core
/// requires the first adult's).
fn parse_adult(text: &str, errs: &mut FlagErrors) -> Option<Adult> {
    let (name, year) = text.rsplit_once(',').unwrap_or((text, ""));
    if year.trim().is_empty() {
        return Some(Adult { name: name.trim().to_string(), birth_year: Adult::UNKNOWN_YEAR });
    }
    match year.trim().parse::<u16>() {
        Ok(birth_year) => Some(Adult { name: name.trim().to_string(), birth_year }),
        Err(_) => {
            let msg = FamilyWords::WriteNameSurnameBirth.get(errs.lang());
            errs.push("adult", format!("«{text}»: {msg}"));
            None
        }
    }
}

pub(super) fn saved(s: &Session, reply: Reply) -> CliResult {
    let Reply::Saved(saved) = reply else {
        return Err(unexpected(reply));
    };
    if s.json {
        return print_json(&saved);
    }
    if saved.revision == 1 && saved.changed.is_empty() {
        outln!("{} {}", FamilyWords::Saved.get(s.lang), saved.code);
    } else if saved.changed.is_empty() && saved.also_changed.is_empty() {
        outln!("{}: {} (rev. {})", saved.code, FamilyWords::NothingChanged.get(s.lang), saved.revision);
    } else {
        let fields: Vec<String> = saved.changed.iter().map(|f| crate::i18n::field_label(f, s.lang)).collect();
        outln!("{} {} (rev. {}): {}", FamilyWords::Saved.get(s.lang), saved.code, saved.revision, fields.join(", "));
    }
    if !saved.also_changed.is_empty() {
        outln!("{} {}", FamilyWords::AlsoUpdated.get(s.lang), saved.also_changed.join(", "));
    }
    Ok(())
}

pub(super) fn show(s: &Session, code: &str) -> CliResult {
    let code = family_code(code, s.lang)?;
    let view = match s.call(Request::FamilyGet { code })? {
        Reply::Family(v) => v,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&view);
    }
    super::print::print(&present::family(&view, s.lang));
    Ok(())
}

/// `family show F-… --emergency "motivo"`: an administrator's emergency read.
fn emergency_show(s: &Session, code: &str, reason: String) -> CliResult {
    let code = family_code(code, s.lang)?;
    let view = match s.call(Request::EmergencyRead { code: code.to_string(), reason })? {
        Reply::Family(v) => v,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&view);
    }
    super::print::print(&present::family(&view, s.lang));
    Ok(())
}

/// `--km`: a whole number of km from 1 to 1500, said in words when not
/// (the core says the same of a radius it is sent).
fn km_of(errs: &mut FlagErrors, km: Option<i64>) -> Option<u16> {
    let km = km?;
    let max = crate::model::limits::MAX_DISTANCE_KM;
    match u16::try_from(km).ok().filter(|k| (1..=max).contains(k)) {
        Some(k) => Some(k),
        None => {
            let lang = errs.lang();
            errs.push("km", FamilyWords::KmRange.fill(lang, &[("km", &km), ("max", &max)]));
            None
        }
    }
}

fn list(s: &Session, args: FamilyListArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    if args.km.is_some() && args.near.is_none() {
        errs.push("km", FamilyWords::KmNeedsNear.get(s.lang));
    }
    let filter = FamilyFilter {
        status: args.status.and_then(|v| errs.term("status", &v, FamilyStatus::parse, FamilyStatus::choices(s.lang))),
        kind: args.kind.and_then(|v| errs.term("kind", &v, PlacementKind::parse, PlacementKind::choices(s.lang))),
        service: args.service.and_then(|v| errs.service("service", &v)),
        comune: args.comune.and_then(|v| errs.comune("comune", &v)),
        referent: args.referent,
        stale: args.stale.then_some(true),
        free_places: None,
        min_free: args.free,
        age_months: args.age.and_then(|v| age_months(&mut errs, &v)),
        time_slots: args
            .slots
            .and_then(|v| errs.terms("slots", &v, TimeSlot::parse, TimeSlot::choices(s.lang)))
            .unwrap_or_default(),
        sex: args.sex.and_then(|v| errs.term("sex", &v, Sex::parse, Sex::choices(s.lang))),
        near: args
            .near
            .and_then(|v| errs.comune("near", &v))
            .map(|comune| Near { comune, km: km_of(&mut errs, args.km) }),
        district: args.district,
        ambit: args.ambit,
        sort: args.sort.and_then(|v| sort_order(&mut errs, &v)).unwrap_or_default(),
        limit: args.limit,
        after: None,
    };
    errs.finish()?;
    let near = filter.near.is_some();
    let counted = crate::api::Counted::Families(filter.clone());
    let header = lists::family_header(s.lang, near);
    let row = |f: &FamilyView| lists::family_row(f, s.lang, near);
    let items = |reply| match reply {
        Reply::Families(page) => Ok(page),
        other => Err(unexpected(other)),
    };
    let Some(rows) = s.stream_list(Request::FamilyList { filter }, &header, args.limit, items, row)? else {
        return Ok(());
    };
    if rows == 0 {
        outln!("{}", FamilyWords::NoFamilies.get(s.lang));
    } else {
        let total = s.shown_of(rows, args.limit, counted)?;
        let noun = match total.unwrap_or(rows as u64) {
            1 => RecordKind::Family.name(s.lang),
            _ => RecordKind::Family.plural(s.lang),
        };
        let count = super::session::shown_count(rows, total, s.lang);
        outln!("{count} {noun} {}", FamilyWords::AvailabilityToConfirmAgain.get(s.lang));
    }
    Ok(())
}

/// `--age`: years ("6") or months ("8m"), as the age of a child.
fn age_months(errs: &mut FlagErrors, input: &str) -> Option<u32> {
    let t = input.trim().to_lowercase();
    let months = match t.strip_suffix('m') {
        Some(m) => m.trim().parse::<u32>().ok(),
        None => t.trim_end_matches(['a', 'y']).trim().parse::<u32>().ok().and_then(|y| y.checked_mul(12)),
    };
    match months {
        Some(m) if m <= u32::from(crate::model::age::MAX_AGE_MONTHS) => Some(m),
        _ => {
            errs.push("age", FamilyWords::WriteAge.get(errs.lang()));
            None
        }
    }
}

/// `--sort`: by code or by distance (Italian or English word).
fn sort_order(errs: &mut FlagErrors, input: &str) -> Option<FamilySort> {
    match input.trim().to_lowercase().as_str() {
        "codice" | "code" => Some(FamilySort::Code),
        "distanza" | "distance" => Some(FamilySort::Distance),
        _ => {
            errs.push("sort", FamilyWords::WriteSort.get(errs.lang()));
            None
        }
    }
}
