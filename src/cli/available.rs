//! `banca available`: the phone call. Candidate families for a child
//! described by profile (ages, sex, kind, times, needs, place), ranked as
//! a recorded need would be; nothing is stored.

use std::collections::BTreeSet;

use clap::Args;

use crate::api::{kind_from_slots, ChildProfile, ProfileChild, Reply, Request, Within};
use crate::i18n::catalogue;
use crate::model::*;
use crate::present;

use super::parse::{split_list, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};

catalogue!(
    /// What `banca available` says of its own flags.
    AvailableWords {
        NotAnAge => "un'età in anni (6) o in mesi (8m)", "an age in years (6) or months (8m)";
        OneSexOrEach => "una per tutti o una per ogni --age ({ages})", "one for all or one for each --age ({ages})";
        NeedsNear => "serve --near, il comune da cui misurare", "needs --near, the comune to measure from";
    }
);

#[derive(Args, Debug)]
pub struct AvailableArgs {
    /// Età del bambino: anni (6) o mesi (8m); ripetuta per fratelli da collocare insieme
    #[arg(long, value_name = "ETÀ", required = true)]
    age: Vec<String>,
    /// Sesso (m, f): uno per tutti o uno per ogni --age, nello stesso ordine
    #[arg(long, value_name = "SESSO")]
    sex: Vec<String>,
    /// Tipo di affido; senza: tempo libero se i tempi sono solo weekend/vacanze, diurno se solo feriali/pomeriggi, altrimenti residenziale
    #[arg(long, value_name = "TIPO")]
    kind: Option<String>,
    /// Pronto intervento: solo chi accoglie le emergenze
    #[arg(long)]
    emergency: bool,
    /// Tempi richiesti, separati da virgole (es. weekend,vacanze): ognuno deve essere offerto
    #[arg(long, value_name = "TEMPI")]
    slots: Option<String>,
    /// Bisogni speciali, separati da virgole (l'età sotto i 2 anni conta da sé come neonato)
    #[arg(long, value_name = "BISOGNI")]
    needs: Option<String>,
    /// Lingue del bambino, separate da virgole
    #[arg(long, value_name = "LINGUE")]
    languages: Option<String>,
    /// Inizio desiderato (GG/MM/AAAA; senza: oggi)
    #[arg(long, value_name = "DATA")]
    start: Option<String>,
    /// Comune del bambino: distanza e territorio si misurano da qui
    #[arg(long, value_name = "COMUNE")]
    near: Option<String>,
    /// Solo entro N km dal comune di --near
    #[arg(long, value_name = "KM", conflicts_with_all = ["district", "ambit"])]
    km: Option<u16>,
    /// Solo nei comuni di questo presidio
    #[arg(long, value_name = "PRESIDIO", conflicts_with = "ambit")]
    district: Option<String>,
    /// Solo nei comuni di questo ambito
    #[arg(long, value_name = "AMBITO")]
    ambit: Option<String>,
    /// Quante candidate mostrare (famiglie o servizi)
    #[arg(long, value_name = "N", default_value_t = 10, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: usize,
}

/// "6" years or "8m" months.
fn parse_age(input: &str) -> Option<u32> {
    let s = input.trim().to_lowercase();
    match s.strip_suffix('m') {
        Some(months) => months.trim().parse().ok(),
        None => s.parse::<u32>().ok().and_then(|years| years.checked_mul(12)),
    }
}

/// The flag of this command that sets a field the core may refuse.
fn flag_of(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::DesiredStart => "start",
        Field::SpecialNeeds => "needs",
        Field::TimeSlots => "slots",
        other => return other.flag(),
    })
}

impl AvailableArgs {
    /// As `profile`, for a place in a reception service: a child for whom
    /// neither a kind nor times are named needs one tonight (pronto intervento).
    fn place_profile(self, lang: Lang) -> Result<ChildProfile, super::session::Failure> {
        let tonight = self.kind.is_none() && self.slots.is_none();
        let mut profile = self.profile(lang)?;
        if tonight {
            profile.kind = PlacementKind::Emergency;
            profile.emergency = true;
        }
        Ok(profile)
    }

    fn profile(self, lang: Lang) -> Result<ChildProfile, super::session::Failure> {
        let mut errs = FlagErrors::for_read(lang);
        let mut ages = Vec::new();
        for a in &self.age {
            match parse_age(a) {
                Some(months) => ages.push(months),
                None => {
                    errs.push("age", format!("«{}»: {}", super::parse::echoed(a), AvailableWords::NotAnAge.get(lang)))
                }
            }
        }
        let sexes: Vec<Option<Sex>> =
            self.sex.iter().map(|s| errs.term("sex", s, Sex::parse, Sex::choices(lang))).collect();
        let sex_of = |i: usize| match sexes.len() {
            0 => None,
            1 => sexes[0],
            _ => sexes.get(i).copied().flatten(),
        };
        if sexes.len() > 1 && sexes.len() != self.age.len() {
            errs.push("sex", AvailableWords::OneSexOrEach.fill(lang, &[("ages", &self.age.len())]));
        }
        let children = ages.iter().enumerate().map(|(i, a)| ProfileChild { age_months: *a, sex: sex_of(i) }).collect();
        let time_slots = match &self.slots {
            Some(v) => errs.terms("slots", v, TimeSlot::parse, TimeSlot::choices(lang)).unwrap_or_default(),
            None => BTreeSet::new(),
        };
        let special_needs = match &self.needs {
            Some(v) => errs.terms("needs", v, SpecialNeed::parse, SpecialNeed::choices(lang)).unwrap_or_default(),
            None => BTreeSet::new(),
        };
        let kind = match &self.kind {
            Some(k) => errs.term("kind", k, PlacementKind::parse, PlacementKind::choices(lang)),
            None => Some(kind_from_slots(&time_slots)),
        };
        let start = self.start.as_deref().and_then(|d| errs.date("start", d));
        let comune = self.near.as_deref().and_then(|c| errs.comune("near", c));
        if self.km.is_some() && self.near.is_none() {
            errs.push("km", AvailableWords::NeedsNear.get(lang));
        }
        let within = match (self.km, self.district, self.ambit) {
            (Some(km), _, _) => Some(Within::Km(km)),
            (_, Some(d), _) => Some(Within::District(d)),
            (_, _, Some(a)) => Some(Within::Ambit(a)),
            _ => None,
        };
        errs.finish()?;
        Ok(ChildProfile {
            children,
            kind: kind.unwrap_or(PlacementKind::Residential),
            emergency: self.emergency || kind == Some(PlacementKind::Emergency),
            time_slots,
            special_needs,
            languages: self.languages.as_deref().map(split_list).unwrap_or_default(),
            start,
            comune,
            within,
        })
    }
}

pub fn run(s: &Session, args: AvailableArgs) -> CliResult {
    let limit = args.limit;
    let profile = args.profile(s.lang)?;
    let reply = s.request(Request::Available { profile, limit })?;
    let ranking = match reply.map_err(|e| super::session::Failure::from_bank_flags(&e, s.lang, true, flag_of))? {
        Reply::ProfileMatches(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&ranking);
    }
    super::print::print(&present::profile_ranking(&ranking, s.lang));
    Ok(())
}

/// `banca places`: who has a place now for a child described on the phone.
pub fn run_places(s: &Session, args: AvailableArgs) -> CliResult {
    let limit = args.limit;
    let profile = args.place_profile(s.lang)?;
    let reply = s.request(Request::Places { profile: profile.clone(), limit })?;
    let ranking = match reply.map_err(|e| super::session::Failure::from_bank_flags(&e, s.lang, true, flag_of))? {
        Reply::Places(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&ranking);
    }
    super::print::print(&present::reception::places_ranking(&profile, &ranking, s.lang));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_years_or_months() {
        assert_eq!(parse_age("6"), Some(72));
        assert_eq!(parse_age("8m"), Some(8));
        assert_eq!(parse_age(" 18M "), Some(18));
        assert_eq!(parse_age("sei"), None);
        assert_eq!(parse_age("-1"), None);
    }

    #[test]
    fn the_kind_follows_the_times_when_not_named() {
        let slots = |s: &[TimeSlot]| s.iter().copied().collect::<BTreeSet<_>>();
        assert_eq!(kind_from_slots(&slots(&[TimeSlot::Weekends])), PlacementKind::Respite);
        assert_eq!(kind_from_slots(&slots(&[TimeSlot::Weekends, TimeSlot::Holidays])), PlacementKind::Respite);
        assert_eq!(kind_from_slots(&slots(&[TimeSlot::Afternoons])), PlacementKind::Daytime);
        assert_eq!(kind_from_slots(&slots(&[TimeSlot::Weekends, TimeSlot::Afternoons])), PlacementKind::Residential);
        assert_eq!(kind_from_slots(&slots(&[])), PlacementKind::Residential);
    }
}
