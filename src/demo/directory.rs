//! The directory of a demo bank: ambiti, services with their staff, and the
//! provincial operators (admin, coordination, a reader), all set up by the
//! administrator on the bank's first morning.

use std::collections::BTreeSet;

use rand::Rng;
use time::OffsetDateTime;

use crate::model::comune::distance_km;
use crate::model::*;

use super::calendar::Calendar;
use super::names;
use super::places::{self, Pool};

/// Families living outside their service's ambito live this close to it.
const AROUND_KM: f64 = 20.0;

/// A service of the demo as planned: who it is, where, how busy.
struct ServicePlan {
    name: &'static str,
    kind: ServiceKind,
    /// Index of the ambito in `places::ambit_inputs` (ambit services), or
    /// the province covered (the others).
    area: Area,
    /// Seat of the office.
    seat: &'static str,
    /// Host name of the e-mail domain, under `.example.it`.
    domain: &'static str,
    notes: &'static str,
    /// Relative share of the province's families and needs.
    family_weight: u32,
    need_weight: u32,
}

#[derive(Clone, Copy)]
enum Area {
    Ambit(usize),
    Province(&'static str),
}

const SERVICES: &[ServicePlan] = &[
    ServicePlan {
        name: "Servizio Affidi Ambito di Dalmine",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(0),
        seat: "Dalmine",
        domain: "affidi-dalmine",
        notes: "Équipe affidi con sportello a Zanica, Dalmine e Osio Sotto.",
        family_weight: 16,
        need_weight: 15,
    },
    ServicePlan {
        name: "Servizio Affidi Ambito di Bergamo",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(1),
        seat: "Bergamo",
        domain: "affidi-bergamo",
        notes: "",
        family_weight: 13,
        need_weight: 15,
    },
    ServicePlan {
        name: "Servizio Affidi Ambito di Seriate",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(2),
        seat: "Seriate",
        domain: "affidi-seriate",
        notes: "",
        family_weight: 8,
        need_weight: 7,
    },
    ServicePlan {
        name: "Servizio Affidi Isola Bergamasca",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(3),
        seat: "Ponte San Pietro",
        domain: "affidi-isola",
        notes: "",
        family_weight: 11,
        need_weight: 9,
    },
    ServicePlan {
        name: "Servizio Affidi Ambito di Treviglio",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(4),
        seat: "Treviglio",
        domain: "affidi-treviglio",
        notes: "",
        family_weight: 9,
        need_weight: 8,
    },
    ServicePlan {
        name: "Servizio Affidi Comune di Milano",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(5),
        seat: "Milano",
        domain: "affidi-milano",
        notes: "Centro per l'affido e la solidarietà familiare.",
        family_weight: 17,
        need_weight: 20,
    },
    ServicePlan {
        name: "Servizio Affidi Ambito del Rhodense",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(6),
        seat: "Rho",
        domain: "affidi-rhodense",
        notes: "",
        family_weight: 7,
        need_weight: 7,
    },
    ServicePlan {
        name: "Servizio Affidi Ambito di Sesto San Giovanni",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(7),
        seat: "Sesto San Giovanni",
        domain: "affidi-sesto",
        notes: "",
        family_weight: 5,
        need_weight: 6,
    },
    ServicePlan {
        name: "Servizio Affidi Ambito di Cinisello Balsamo",
        kind: ServiceKind::Ambit,
        area: Area::Ambit(8),
        seat: "Cinisello Balsamo",
        domain: "affidi-cinisello",
        notes: "",
        family_weight: 5,
        need_weight: 5,
    },
    ServicePlan {
        name: "Servizio Interdistrettuale Pronto Intervento Bergamo",
        kind: ServiceKind::InterDistrict,
        area: Area::Province("BG"),
        seat: "Bergamo",
        domain: "prontointervento-bg",
        notes: "Pronto intervento e minori stranieri non accompagnati per gli ambiti della provincia di Bergamo.",
        family_weight: 5,
        need_weight: 8,
    },
    ServicePlan {
        name: "Associazione Famiglie Aperte Bergamo",
        kind: ServiceKind::Association,
        area: Area::Province("BG"),
        seat: "Bergamo",
        domain: "famiglieaperte",
        notes: "Rete di famiglie accoglienti: formazione e gruppi di sostegno.",
        family_weight: 2,
        need_weight: 0,
    },
    ServicePlan {
        name: "Rete Accoglienza Nord Milano",
        kind: ServiceKind::Association,
        area: Area::Province("MI"),
        seat: "Sesto San Giovanni",
        domain: "reteaccoglienza",
        notes: "Associazione di famiglie per l'affido leggero e diurno.",
        family_weight: 2,
        need_weight: 0,
    },
];

/// A service with what the generators need to know about it.
pub(super) struct Desk {
    pub service: Service,
    /// User names of its operators, all active.
    pub staff: Vec<String>,
    pub province: &'static str,
    /// The provincial capital, where most children of the province are born.
    pub capital: ComuneCode,
    /// Its own comuni (the ambito's, or the whole province).
    pub home: Pool,
    /// Home plus nearby comuni of the province outside every ambito.
    pub around: Pool,
    pub family_weight: u32,
    pub need_weight: u32,
}

pub(super) struct Directory {
    /// Sorted by key (normalised name), as exported.
    pub ambits: Vec<Ambit>,
    /// In code order.
    pub desks: Vec<Desk>,
    /// Sorted by user name, as exported.
    pub operators: Vec<Operator>,
    pub admin: String,
    /// Creation order of the directory records, for the audit log.
    pub created: Vec<(OffsetDateTime, String)>,
    /// The reception services, coded after the desks (`reception`).
    pub reception: Vec<Service>,
}

pub(super) fn build<R: Rng>(rng: &mut R, cal: &Calendar, admin: &str) -> Directory {
    let comuni = Comuni::embedded();
    let ambit_inputs = places::ambit_inputs(comuni);
    let in_ambits: BTreeSet<ComuneCode> = ambit_inputs.iter().flat_map(|(a, _)| a.comuni.iter().copied()).collect();
    let mut clock = Stamps { next: cal.founding(), cal };
    let mut created = vec![(clock.tick(), admin.to_string())];

    let mut ambits = Vec::new();
    for (input, _) in &ambit_inputs {
        let at = clock.tick();
        created.push((at, input.name.clone()));
        ambits.push(Ambit { details: input.clone(), meta: Meta::new(at, admin) });
    }
    ambits.sort_by_key(|a| a.details.key());

    let mut desks = Vec::new();
    for (i, plan) in SERVICES.iter().enumerate() {
        let at = clock.tick();
        let code = ServiceCode(i as u32 + 1);
        created.push((at, code.to_string()));
        desks.push(desk(rng, plan, code, &ambit_inputs, &in_ambits, Meta::new(at, admin)));
    }

    let mut taken: BTreeSet<String> = BTreeSet::from([admin.to_string()]);
    let mut operators = vec![Operator {
        user: admin.to_string(),
        details: OperatorInput {
            display_name: "Amministratore".into(),
            role: Role::Admin,
            service: None,
            active: true,
        },
        meta: Meta::new(created[0].0, admin),
    }];
    let mut hire = |rng: &mut R, role: Role, service: Option<ServiceCode>| {
        let (user, display_name) = new_person(rng, &mut taken);
        let at = clock.tick();
        created.push((at, user.clone()));
        operators.push(Operator {
            user: user.clone(),
            details: OperatorInput { display_name, role, service, active: true },
            meta: Meta::new(at, admin),
        });
        user
    };
    hire(rng, Role::Coordinator, None);
    hire(rng, Role::Reader, None);
    for d in &mut desks {
        // The Dalmine team is the fullest: the bank started there.
        let n = if d.service.code == ServiceCode(1) { 4 } else { rng.gen_range(2..=4) };
        d.staff = (0..n).map(|_| hire(rng, Role::Operator, Some(d.service.code))).collect();
    }
    operators.sort_by(|a, b| a.user.cmp(&b.user));
    Directory { ambits, desks, operators, admin: admin.to_string(), created, reception: Vec::new() }
}

/// One minute apart, the way an administrator fills in a form after another.
struct Stamps<'a> {
    next: OffsetDateTime,
    cal: &'a Calendar,
}

impl Stamps<'_> {
    fn tick(&mut self) -> OffsetDateTime {
        let at = self.next;
        self.next = self.cal.later(at, 1);
        at
    }
}

fn desk(
    rng: &mut impl Rng,
    plan: &ServicePlan,
    code: ServiceCode,
    ambits: &[(AmbitInput, &'static str)],
    in_ambits: &BTreeSet<ComuneCode>,
    meta: Meta,
) -> Desk {
    let comuni = Comuni::embedded();
    let (ambit_names, province, home) = match plan.area {
        Area::Ambit(i) => {
            let (a, province) = &ambits[i];
            (vec![a.name.clone()], *province, Pool::new(a.comuni.iter().filter_map(|c| comuni.get(*c))))
        }
        Area::Province(p) => {
            let names = ambits.iter().filter(|(_, prov)| *prov == p).map(|(a, _)| a.name.clone()).collect();
            (names, p, Pool::new(comuni.iter().filter(|c| c.province == p)))
        }
    };
    let seat = places::resolve(comuni, plan.seat, province);
    let around = match plan.area {
        Area::Ambit(_) => {
            let near = comuni.iter().filter(|c| {
                c.province == province
                    && (home.codes().contains(&c.code)
                        || (!in_ambits.contains(&c.code) && distance_km(seat, c).is_some_and(|km| km <= AROUND_KM)))
            });
            Pool::new(near)
        }
        Area::Province(_) => home.clone(),
    };
    let area_code = if province == "MI" { "02" } else { "035" };
    let cap = seat.caps.first().map(String::as_str).unwrap_or("");
    let service = Service {
        code,
        details: ServiceInput {
            name: plan.name.to_string(),
            kind: plan.kind,
            ambits: ambit_names,
            address: format!("{}, {cap} {} ({province})", names::street_address(rng), seat.name),
            phone: names::landline(rng, area_code),
            email: format!("affidi@{}.example.it", plan.domain),
            notes: plan.notes.to_string(),
            active: true,
            // Drawn later, from a stream of its own (`practice`).
            on_call: None,
            reception: None,
        },
        meta,
        vacancy: None,
    };
    Desk {
        service,
        staff: Vec::new(),
        province,
        capital: places::resolve(comuni, if province == "MI" { "Milano" } else { "Bergamo" }, province).code,
        around: if around.is_empty() { home.clone() } else { around },
        home,
        family_weight: plan.family_weight,
        need_weight: plan.need_weight,
    }
}

/// A new colleague: a user name nobody has yet and a display name.
pub(super) fn new_person(rng: &mut impl Rng, taken: &mut BTreeSet<String>) -> (String, String) {
    loop {
        let female = rng.gen_bool(0.75); // social work is mostly women's work
        let given = names::given_name(rng, female, false);
        let surname = names::surname(rng);
        let user = names::user_name(given, surname);
        if taken.insert(user.clone()) {
            return (user, format!("{given} {surname}"));
        }
    }
}
