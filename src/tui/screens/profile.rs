//! The phone call's profile, typed in place of a recorded need: the form
//! (the generic form widget) and the `Request::Available` it makes. Ages
//! and sexes are lists, one per child: siblings are placed together.

use std::collections::BTreeSet;

use crate::api::{kind_from_slots, ChildProfile, ProfileChild, Within};
use crate::i18n::Lang;
use crate::model::age::MAX_AGE_MONTHS;
use crate::model::{Field, PlacementKind, Sex, SpecialNeed, TimeSlot};
use crate::tui::text::texts;
use crate::tui::widgets::form::{options, Form, Input};

texts!(Ptx {
    Title => "Famiglie per un profilo (^S cerca, Esc torna)", "Families for a profile (^S searches, Esc goes back)";
    Ages => "età (anni, 8m; fratelli: 6, 9)", "ages (years, 8m; siblings: 6, 9)";
    Sexes => "sesso (m/f; fratelli: m, f)", "sex (m/f; siblings: m, f)";
    FromSlots => "dai tempi (weekend: tempo libero…)", "from the times (weekends: respite…)";
    Kind => "tipo di affido", "kind of placement";
    Emergency => "pronto intervento (urgente)", "emergency (urgent)";
    Slots => "tempi", "time slots";
    Needs => "bisogni speciali", "special needs";
    Languages => "lingue (separate da virgola)", "languages (comma separated)";
    Comune => "comune del minore", "the child's comune";
    Km => "entro km", "within km";
    District => "oppure nel presidio", "or in the district";
    Ambit => "oppure nell'ambito", "or in the ambit";
    Start => "dal (gg/mm/aaaa)", "from (dd/mm/yyyy)";
    BadAge => "scrivere le età in anni (6) o mesi (8m), separate da virgola", "write the ages in years (6) or months (8m), comma separated";
    BadSex => "scrivere m o f, uno per tutti o uno per ogni età", "write m or f, one for all or one per age";
    Profile => "Profilo", "Profile";
    OnePlace => "uno solo fra km, presidio e ambito", "only one of km, district and ambit";
});

/// The empty profile form (a residential placement, no constraint).
pub fn form(lang: Lang) -> Form {
    // The phone call's order: who, when, where; then what else there is to say.
    let fields = vec![
        Input::text(Field::ChildAge, lang, "").labelled(Ptx::Ages.get(lang)).required(),
        Input::text(Field::Sex, lang, "").labelled(Ptx::Sexes.get(lang)),
        Input::multi(Field::TimeSlots, lang, options!(TimeSlot, lang), vec![false; TimeSlot::ALL.len()])
            .labelled(Ptx::Slots.get(lang)),
        Input::comune(Field::Near, lang, None).labelled(Ptx::Comune.get(lang)),
        Input::number(Field::WithinKm, lang, None).labelled(Ptx::Km.get(lang)),
        Input::text(Field::WithinDistrict, lang, "").labelled(Ptx::District.get(lang)),
        Input::text(Field::WithinAmbit, lang, "").labelled(Ptx::Ambit.get(lang)),
        Input::choice(Field::PlacementKind, lang, kinds(lang), 0).labelled(Ptx::Kind.get(lang)),
        Input::yes_no(Field::Urgency, lang, false).labelled(Ptx::Emergency.get(lang)),
        Input::multi(Field::SpecialNeeds, lang, options!(SpecialNeed, lang), vec![false; SpecialNeed::ALL.len()])
            .labelled(Ptx::Needs.get(lang)),
        Input::text(Field::PlacementLanguages, lang, "").labelled(Ptx::Languages.get(lang)),
        Input::date(Field::DesiredStart, lang, None).labelled(Ptx::Start.get(lang)),
    ];
    Form::new(Ptx::Title.get(lang).to_string(), fields)
}

/// The profile the form says; none when the ages or sexes cannot be
/// read, said on their fields.
pub fn profile_of(form: &mut Form, lang: Lang) -> Option<ChildProfile> {
    let ages: Option<Vec<u32>> = words(&field_text(form, Field::ChildAge)).map(age_months).collect();
    let ages = ages.filter(|a| !a.is_empty());
    let sexes: Option<Vec<Sex>> = words(&field_text(form, Field::Sex)).map(|w| Sex::parse(&w)).collect();
    let count = ages.as_ref().map_or(1, Vec::len);
    let sexes = sexes.filter(|s| s.len() <= 1 || s.len() == count);
    for (field, bad, said) in
        [(Field::ChildAge, ages.is_none(), Ptx::BadAge), (Field::Sex, sexes.is_none(), Ptx::BadSex)]
    {
        if let Some(input) = form.field_mut(field) {
            input.error = bad.then(|| format!("{}: {}", input.label, said.get(lang)));
        }
    }
    // One place to look in: km, or a presidio, or an ambito (as the CLI's flags).
    let named = [Field::WithinKm, Field::WithinDistrict, Field::WithinAmbit]
        .map(|f| form.field(f).is_some_and(|i| !i.as_text().trim().is_empty()));
    let places = named.iter().filter(|n| **n).count();
    for (field, given) in [Field::WithinDistrict, Field::WithinAmbit].into_iter().zip(&named[1..]) {
        if let Some(input) = form.field_mut(field) {
            input.error = (places > 1 && *given).then(|| format!("{}: {}", input.label, Ptx::OnePlace.get(lang)));
        }
    }
    let (ages, sexes) = (ages?, sexes?);
    if places > 1 {
        return None;
    }
    let form = &*form;
    let text = |field: Field| field_text(form, field);
    let set = |field: Field| form.field(field).map(Input::as_set).unwrap_or_default();
    // One sex for all, or one for each child in the order of the ages.
    let sex_of = |i: usize| if sexes.len() == 1 { sexes.first().copied() } else { sexes.get(i).copied() };
    let children =
        ages.iter().enumerate().map(|(i, &age_months)| ProfileChild { age_months, sex: sex_of(i) }).collect();
    let time_slots: BTreeSet<TimeSlot> = set(Field::TimeSlots).into_iter().map(|i| TimeSlot::ALL[i]).collect();
    // The first choice: the kind the times mean, as `banca available` without --kind.
    let kind = match form.field(Field::PlacementKind).map_or(0, Input::as_index) {
        0 => kind_from_slots(&time_slots),
        i => PlacementKind::ALL[i - 1],
    };
    let km = form.field(Field::WithinKm).and_then(Input::as_number).map(|k| k.min(u64::from(u16::MAX)) as u16);
    let within = match (km, text(Field::WithinDistrict), text(Field::WithinAmbit)) {
        (Some(km), _, _) => Some(Within::Km(km)),
        (None, d, _) if !d.is_empty() => Some(Within::District(d)),
        (None, _, a) if !a.is_empty() => Some(Within::Ambit(a)),
        _ => None,
    };
    Some(ChildProfile {
        children,
        kind,
        emergency: form.field(Field::Urgency).is_some_and(Input::as_bool) || kind == PlacementKind::Emergency,
        time_slots,
        special_needs: set(Field::SpecialNeeds).into_iter().map(|i| SpecialNeed::ALL[i]).collect(),
        languages: words(&text(Field::PlacementLanguages)).collect(),
        start: form.field(Field::DesiredStart).and_then(Input::as_date),
        comune: form.field(Field::Near).and_then(Input::as_comune),
        within,
    })
}

fn field_text(form: &Form, field: Field) -> String {
    form.field(field).map(|f| f.as_text().to_string()).unwrap_or_default()
}

/// The kinds offered: "from the times" first, then each kind.
fn kinds(lang: Lang) -> Vec<String> {
    let mut out = vec![Ptx::FromSlots.get(lang).to_string()];
    out.extend(options!(PlacementKind, lang));
    out
}

/// The comma- or space-separated words of a field, lower case.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split([',', ' ', ';']).map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty())
}

/// "6" (years) or "8m" (months), as a child's age in months.
fn age_months(word: String) -> Option<u32> {
    let months = match word.strip_suffix('m') {
        Some(m) => m.parse::<u32>().ok()?,
        None => word.trim_end_matches(['a', 'y']).parse::<u32>().ok()?.checked_mul(12)?,
    };
    (months <= u32::from(MAX_AGE_MONTHS)).then_some(months)
}

/// The profile in a few words, over its candidates: "Profilo · 6 anni M · Dalmine · ≤5 km".
pub fn headline(p: &ChildProfile, lang: Lang) -> String {
    let children: Vec<String> = p
        .children
        .iter()
        .map(|c| {
            let age = crate::model::age::describe_age(c.age_months, lang);
            match c.sex {
                Some(s) => format!("{age} {}", s.label(lang)),
                None => age,
            }
        })
        .collect();
    let mut parts = vec![Ptx::Profile.get(lang).to_string(), children.join(", ")];
    if let Some(c) = p.comune {
        parts.push(crate::present::lists::comune_name(c));
    }
    match &p.within {
        Some(Within::Km(km)) => parts.push(format!("≤{km} km")),
        Some(Within::District(d)) => parts.push(d.clone()),
        Some(Within::Ambit(a)) => parts.push(a.clone()),
        None => {}
    }
    parts.join(" · ")
}
