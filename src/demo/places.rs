//! Where demo records live: the Ambito di Dalmine as published, a few other
//! ambiti of the provinces of Bergamo and Milano with their real comuni,
//! and weighted pools of comuni to draw addresses from.

use rand::Rng;

use crate::model::{AmbitInput, Comune, ComuneCode, Comuni};

/// An ambito entered by the demo administrator: its name, province and comuni.
pub(super) struct AmbitPlan {
    pub name: &'static str,
    pub province: &'static str,
    pub comuni: &'static [&'static str],
}

/// Ambiti besides Dalmine (which comes from data/ambiti.csv). A comune is
/// in one ambito only.
pub(super) const OTHER_AMBITS: &[AmbitPlan] = &[
    AmbitPlan {
        name: "Bergamo",
        province: "BG",
        comuni: &["Bergamo", "Gorle", "Orio al Serio", "Ponteranica", "Sorisole", "Torre Boldone"],
    },
    AmbitPlan {
        name: "Seriate",
        province: "BG",
        comuni: &[
            "Seriate",
            "Albano Sant'Alessandro",
            "Bagnatica",
            "Brusaporto",
            "Cavernago",
            "Costa di Mezzate",
            "Grassobbio",
            "Montello",
            "Pedrengo",
            "Scanzorosciate",
            "Torre de' Roveri",
        ],
    },
    AmbitPlan {
        name: "Isola Bergamasca e Bassa Val San Martino",
        province: "BG",
        comuni: &[
            "Ponte San Pietro",
            "Ambivere",
            "Barzana",
            "Bonate Sopra",
            "Bonate Sotto",
            "Bottanuco",
            "Brembate",
            "Brembate di Sopra",
            "Calusco d'Adda",
            "Capriate San Gervasio",
            "Caprino Bergamasco",
            "Carvico",
            "Chignolo d'Isola",
            "Cisano Bergamasco",
            "Filago",
            "Madone",
            "Mapello",
            "Medolago",
            "Palazzago",
            "Pontida",
            "Presezzo",
            "Solza",
            "Sotto il Monte Giovanni XXIII",
            "Suisio",
            "Terno d'Isola",
            "Torre de' Busi",
            "Villa d'Adda",
        ],
    },
    AmbitPlan {
        name: "Treviglio",
        province: "BG",
        comuni: &[
            "Treviglio",
            "Arcene",
            "Arzago d'Adda",
            "Brignano Gera d'Adda",
            "Calvenzano",
            "Canonica d'Adda",
            "Caravaggio",
            "Casirate d'Adda",
            "Castel Rozzone",
            "Fara Gera d'Adda",
            "Fornovo San Giovanni",
            "Lurano",
            "Misano di Gera d'Adda",
            "Pagazzano",
            "Pognano",
            "Pontirolo Nuovo",
            "Spirano",
        ],
    },
    AmbitPlan { name: "Milano Città", province: "MI", comuni: &["Milano"] },
    AmbitPlan {
        name: "Rhodense",
        province: "MI",
        comuni: &[
            "Rho",
            "Arese",
            "Cornaredo",
            "Lainate",
            "Pero",
            "Pogliano Milanese",
            "Pregnana Milanese",
            "Settimo Milanese",
            "Vanzago",
        ],
    },
    AmbitPlan { name: "Sesto San Giovanni", province: "MI", comuni: &["Sesto San Giovanni", "Cologno Monzese"] },
    AmbitPlan {
        name: "Cinisello Balsamo",
        province: "MI",
        comuni: &["Cinisello Balsamo", "Bresso", "Cormano", "Cusano Milanino"],
    },
];

/// The ambiti of the demo, Dalmine first, in the order their services are numbered.
pub(super) fn ambit_inputs(comuni: &Comuni) -> Vec<(AmbitInput, &'static str)> {
    let dalmine = crate::bank::ambits_from_csv(include_str!("../../data/ambiti.csv"), comuni)
        .expect("the embedded data/ambiti.csv is valid")
        .into_iter()
        .next()
        .expect("data/ambiti.csv lists the Ambito di Dalmine");
    let mut out = vec![(dalmine, "BG")];
    for plan in OTHER_AMBITS {
        let codes = plan.comuni.iter().map(|name| resolve(comuni, name, plan.province).code).collect();
        out.push((AmbitInput { name: plan.name.to_string(), comuni: codes, districts: vec![] }, plan.province));
    }
    out
}

/// A comune of the demo's own lists, by name and province.
pub(super) fn resolve<'a>(comuni: &'a Comuni, name: &str, province: &str) -> &'a Comune {
    comuni
        .resolve(&format!("{name} ({province})"))
        .unwrap_or_else(|e| panic!("demo comune {name} ({province}) is not in the embedded list: {e}"))
}

/// Comuni to draw from, weighted by the square root of their population:
/// towns get more families than villages, without the capital taking all.
#[derive(Debug, Clone, Default)]
pub(super) struct Pool {
    codes: Vec<ComuneCode>,
    /// Running totals of the weights, for a binary search.
    cumulative: Vec<u64>,
}

impl Pool {
    pub(super) fn new<'a>(list: impl IntoIterator<Item = &'a Comune>) -> Pool {
        let mut pool = Pool::default();
        let mut total = 0u64;
        for c in list {
            // Seven comuni have no population figure: count them as villages.
            total += (f64::from(c.population.unwrap_or(1000)).sqrt() as u64).max(1);
            pool.codes.push(c.code);
            pool.cumulative.push(total);
        }
        pool
    }

    pub(super) fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub(super) fn codes(&self) -> &[ComuneCode] {
        &self.codes
    }

    /// # Panics
    /// On an empty pool; pools are built from the demo's own non-empty lists.
    pub(super) fn pick(&self, rng: &mut impl Rng) -> ComuneCode {
        let total = *self.cumulative.last().expect("demo comune pools are not empty");
        let x = rng.gen_range(0..total);
        self.codes[self.cumulative.partition_point(|&c| c <= x)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::BTreeSet;

    #[test]
    fn ambiti_are_real_and_disjoint() {
        let comuni = Comuni::embedded();
        let mut seen = BTreeSet::new();
        for (a, province) in ambit_inputs(comuni) {
            for c in &a.comuni {
                assert_eq!(comuni.get(*c).map(|c| c.province.as_str()), Some(province), "{}", a.name);
                assert!(seen.insert(*c), "{c} is in two ambiti");
            }
        }
    }

    #[test]
    fn pools_pick_every_comune_in_proportion() {
        let comuni = Comuni::embedded();
        let pool = Pool::new(comuni.iter().filter(|c| c.province == "MI"));
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let picks: Vec<ComuneCode> = (0..20_000).map(|_| pool.pick(&mut rng)).collect();
        let milano = resolve(comuni, "Milano", "MI").code;
        let distinct: BTreeSet<_> = picks.iter().collect();
        assert_eq!(distinct.len(), pool.codes().len(), "every comune turns up");
        let share = picks.iter().filter(|c| **c == milano).count() as f64 / picks.len() as f64;
        assert!((0.05..0.2).contains(&share), "Milano weighs more but not all: {share}");
    }
}
