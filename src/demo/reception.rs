//! The reception services of a demo bank: comunità, shelters, flats, day
//! centres and networks of families in the provinces of Bergamo and
//! Milano, each with a licence, a managing body, an operator of its own
//! and, for most, a recent declaration of vacancies (a few stale, a few
//! never made). Names are made up; no real service is described.

use std::collections::BTreeSet;

use rand::Rng;

use crate::model::*;
use crate::store::audit::AuditAction;

use super::calendar::{add_days, Calendar};
use super::directory::Directory;
use super::links::Write;
use super::{names, places};

/// One planned service: kind, name, comune, managing body, places, ages
/// (years), sex, equipment, languages.
struct Plan {
    kind: ServiceKind,
    name: &'static str,
    comune: &'static str,
    province: &'static str,
    body: &'static str,
    nature: LegalNature,
    places: u16,
    ages: (u16, u16),
    sex: SexPreference,
    equipment: &'static [Equipment],
    languages: &'static [&'static str],
}

const fn plan(
    kind: ServiceKind,
    name: &'static str,
    (comune, province): (&'static str, &'static str),
    (body, nature): (&'static str, LegalNature),
    places: u16,
    ages: (u16, u16),
) -> Plan {
    Plan {
        kind,
        name,
        comune,
        province,
        body,
        nature,
        places,
        ages,
        sex: SexPreference::Any,
        equipment: &[],
        languages: &[],
    }
}

use Equipment as E;
use LegalNature as N;
use ServiceKind as K;

fn plans() -> Vec<Plan> {
    vec![
        Plan {
            sex: SexPreference::Male,
            equipment: &[E::Adolescents, E::UnaccompaniedMinors],
            languages: &["arabo", "francese", "inglese"],
            ..plan(
                K::EmergencyShelter,
                "Pronto Intervento La Zattera",
                ("Bergamo", "BG"),
                ("Cooperativa Sociale Argine Verde", N::SocialCooperative),
                8,
                (12, 17),
            )
        },
        Plan {
            equipment: &[E::MotherAndInfant],
            ..plan(
                K::EmergencyShelter,
                "Pronto Intervento Piccoli Passi",
                ("Treviglio", "BG"),
                ("Fondazione Casa dei Tigli", N::Foundation),
                6,
                (0, 11),
            )
        },
        Plan {
            equipment: &[E::Adolescents],
            languages: &["inglese"],
            ..plan(
                K::ResidentialCommunity,
                "Comunità Alloggio Il Girasole",
                ("Dalmine", "BG"),
                ("Cooperativa Sociale Il Melograno Blu", N::SocialCooperative),
                10,
                (6, 17),
            )
        },
        Plan {
            sex: SexPreference::Female,
            equipment: &[E::Adolescents, E::Psychiatric],
            ..plan(
                K::EducationalCommunity,
                "Comunità Educativa Il Faro",
                ("Seriate", "BG"),
                ("Associazione Approdi Comuni", N::Association),
                9,
                (11, 17),
            )
        },
        Plan {
            equipment: &[E::Disability],
            ..plan(
                K::FamilyCommunity,
                "Comunità Familiare Casa Betulla",
                ("Albino", "BG"),
                ("Parrocchia dei Santi Immaginari", N::Religious),
                6,
                (0, 17),
            )
        },
        Plan {
            sex: SexPreference::Female,
            equipment: &[E::MotherAndInfant],
            languages: &["romeno", "arabo"],
            ..plan(
                K::ParentAndChildCommunity,
                "Comunità Mamma-Bambino Casa Aurora",
                ("Ponte San Pietro", "BG"),
                ("ASP Servizi alla Persona Valle Immaginaria", N::Ipab),
                7,
                (0, 10),
            )
        },
        Plan {
            equipment: &[E::PastEighteen, E::UnaccompaniedMinors],
            languages: &["inglese", "francese"],
            ..plan(
                K::SemiIndependentFlat,
                "Alloggio per l'Autonomia Il Ponte",
                ("Bergamo", "BG"),
                ("Cooperativa Sociale Argine Verde", N::SocialCooperative),
                5,
                (16, 21),
            )
        },
        plan(
            K::DayCentre,
            "Centro Diurno L'Aquilone",
            ("Romano di Lombardia", "BG"),
            ("Cooperativa Sociale Tempo Largo", N::SocialCooperative),
            15,
            (6, 14),
        ),
        plan(
            K::FamilyNetwork,
            "Rete di Famiglie Porte Aperte",
            ("Zogno", "BG"),
            ("Associazione Famiglie in Rete Orobica", N::Association),
            12,
            (0, 17),
        ),
        Plan {
            equipment: &[E::Adolescents],
            ..plan(
                K::ResidentialCommunity,
                "Comunità Alloggio La Quercia",
                ("Treviglio", "BG"),
                ("Fondazione Casa dei Tigli", N::Foundation),
                8,
                (10, 17),
            )
        },
        Plan {
            sex: SexPreference::Male,
            equipment: &[E::Adolescents, E::UnaccompaniedMinors],
            languages: &["arabo", "bengalese", "inglese"],
            ..plan(
                K::EmergencyShelter,
                "Pronto Intervento Il Porto",
                ("Milano", "MI"),
                ("Cooperativa Sociale Naviglio Aperto", N::SocialCooperative),
                12,
                (13, 17),
            )
        },
        Plan {
            equipment: &[E::MotherAndInfant],
            ..plan(
                K::EmergencyShelter,
                "Pronto Intervento Nidi Sicuri",
                ("Milano", "MI"),
                ("ASP Istituti Milanesi Immaginari", N::Ipab),
                10,
                (0, 12),
            )
        },
        Plan {
            equipment: &[E::Adolescents, E::Psychiatric],
            languages: &["spagnolo", "inglese"],
            ..plan(
                K::ResidentialCommunity,
                "Comunità Alloggio Il Cortile",
                ("Milano", "MI"),
                ("Cooperativa Sociale Naviglio Aperto", N::SocialCooperative),
                10,
                (12, 17),
            )
        },
        plan(
            K::EducationalCommunity,
            "Comunità Educativa La Bussola",
            ("Sesto San Giovanni", "MI"),
            ("Associazione Nuove Rotte", N::Association),
            10,
            (6, 17),
        ),
        Plan {
            sex: SexPreference::Female,
            equipment: &[E::MotherAndInfant],
            languages: &["arabo", "tigrino", "inglese"],
            ..plan(
                K::ParentAndChildCommunity,
                "Comunità Mamma-Bambino La Culla",
                ("Rho", "MI"),
                ("Istituto Religioso Suore Immaginarie", N::Religious),
                8,
                (0, 6),
            )
        },
        Plan {
            equipment: &[E::PastEighteen],
            languages: &["inglese"],
            ..plan(
                K::SemiIndependentFlat,
                "Alloggio per l'Autonomia Passi Lunghi",
                ("Milano", "MI"),
                ("Comune di Milano (servizio immaginario)", N::Public),
                6,
                (17, 21),
            )
        },
        Plan {
            equipment: &[E::Disability],
            ..plan(
                K::DayCentre,
                "Centro Diurno Arcobaleno",
                ("Legnano", "MI"),
                ("Cooperativa Sociale Tempo Largo", N::SocialCooperative),
                20,
                (3, 14),
            )
        },
        plan(
            K::FamilyCommunity,
            "Comunità Familiare Casa Melo",
            ("Abbiategrasso", "MI"),
            ("Associazione Casa Aperta Immaginaria", N::Association),
            5,
            (0, 17),
        ),
    ]
}

/// The reception services, coded after the foster services and
/// associations; their operators join the directory, their declarations
/// the writes the audit log records.
pub(super) fn add(rng: &mut impl Rng, cal: &Calendar, dir: &mut Directory, writes: &mut Vec<Write>) {
    let comuni = Comuni::embedded();
    let mut taken: BTreeSet<String> = dir.operators.iter().map(|o| o.user.clone()).collect();
    let first = dir.desks.len() as u32 + 1;
    let created_at = cal.at(add_days(cal.first_day(), 30), 9 * 60);
    let mut at = created_at;
    for (i, p) in plans().into_iter().enumerate() {
        let code = ServiceCode(first + i as u32);
        let seat = places::resolve(comuni, p.comune, p.province);
        let area_code = if p.province == "MI" { "02" } else { "035" };
        let cap = seat.caps.first().map(String::as_str).unwrap_or("");
        let (referent_user, referent) = super::directory::new_person(rng, &mut taken);
        let slug: String = p.name.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let on_call = matches!(p.kind, K::EmergencyShelter | K::ResidentialCommunity | K::ParentAndChildCommunity)
            .then(|| OnCall {
                name: referent.clone(),
                phone: names::landline(rng, area_code),
                hours: "24 ore su 24, tutti i giorni".into(),
            });
        let licensed_on = add_days(cal.first_day(), -(rng.gen_range(200..2500) as i64));
        let service = Service {
            code,
            details: ServiceInput {
                name: p.name.to_string(),
                kind: p.kind,
                ambits: vec![],
                address: format!("{}, {cap} {} ({})", names::street_address(rng), seat.name, p.province),
                phone: names::landline(rng, area_code),
                email: format!("accoglienza@{}.example.it", &slug[..slug.len().min(24)]),
                notes: String::new(),
                active: true,
                on_call,
                reception: Some(ReceptionProfile {
                    managing_body: ManagingBody { name: p.body.to_string(), nature: p.nature },
                    licence: Licence {
                        number: format!("{}/{}", 100 + i, licensed_on.year()),
                        date: Some(licensed_on),
                        authority: format!("Comune di {}", seat.name),
                        places: p.places,
                    },
                    comune: seat.code,
                    referent: referent.clone(),
                    ages: AgeRange { min_months: p.ages.0 * 12, max_months: p.ages.1 * 12 + 11 },
                    sex: p.sex,
                    equipment: p.equipment.iter().copied().collect(),
                    languages: p.languages.iter().map(|l| l.to_string()).collect(),
                }),
            },
            meta: Meta::new(at, &dir.admin),
            vacancy: None,
        };
        dir.created.push((at, code.to_string()));
        // Its own operator: declares the vacancies, answers proposals.
        let op_at = cal.later(at, 1);
        dir.created.push((op_at, referent_user.clone()));
        dir.operators.push(Operator {
            user: referent_user.clone(),
            details: OperatorInput { display_name: referent, role: Role::Reception, service: Some(code), active: true },
            meta: Meta::new(op_at, &dir.admin),
        });
        let mut service = service;
        // Most declared this week; one in five a while ago (stale); a few never.
        let roll = rng.gen_range(0..10);
        if roll < 9 {
            let days_ago = if roll < 7 { rng.gen_range(0..4) } else { rng.gen_range(10..30) };
            let day = cal.days_ago(days_ago);
            let when = cal.office_hours(rng, day).max(cal.later(op_at, 1)).min(cal.latest());
            let free = rng.gen_range(0..=p.places.min(3));
            service.vacancy = Some(Vacancy {
                places: free,
                declared_on: when.date(),
                by: referent_user.clone(),
                note: String::new(),
            });
            service.meta.updated_at = when;
            service.meta.updated_by = referent_user.clone();
            writes.push(Write {
                at: when,
                actor: referent_user,
                action: AuditAction::VacancyDeclared,
                record: code.to_string(),
                fields: &["vacancy.places", "vacancy.declared_on"],
            });
        }
        dir.reception.push(service);
        at = cal.later(at, 2);
    }
    dir.operators.sort_by(|a, b| a.user.cmp(&b.user));
}
