//! Synthetic people and contacts: common Italian first names and surnames
//! combined at random (never a real person's full identity), streets found
//! in most Lombard towns, and phone numbers in blocks unlikely to be in use.

use rand::seq::SliceRandom;
use rand::Rng;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const WOMEN: &[&str] = &[
    "Giulia",
    "Francesca",
    "Chiara",
    "Sara",
    "Martina",
    "Valentina",
    "Laura",
    "Elena",
    "Anna",
    "Federica",
    "Silvia",
    "Alessandra",
    "Paola",
    "Elisa",
    "Simona",
    "Roberta",
    "Cristina",
    "Monica",
    "Barbara",
    "Daniela",
    "Serena",
    "Claudia",
    "Marta",
    "Ilaria",
    "Michela",
    "Stefania",
    "Lucia",
    "Giovanna",
    "Manuela",
    "Veronica",
    "Eleonora",
    "Beatrice",
    "Camilla",
    "Alice",
    "Irene",
    "Arianna",
    "Teresa",
    "Patrizia",
    "Sabrina",
    "Cinzia",
];

const MEN: &[&str] = &[
    "Marco",
    "Andrea",
    "Luca",
    "Paolo",
    "Stefano",
    "Alessandro",
    "Davide",
    "Roberto",
    "Massimo",
    "Fabio",
    "Giuseppe",
    "Giovanni",
    "Francesco",
    "Matteo",
    "Simone",
    "Daniele",
    "Claudio",
    "Maurizio",
    "Antonio",
    "Michele",
    "Emanuele",
    "Riccardo",
    "Alberto",
    "Mauro",
    "Luigi",
    "Sergio",
    "Gianluca",
    "Enrico",
    "Fabrizio",
    "Nicola",
    "Pietro",
    "Walter",
    "Ivan",
    "Diego",
    "Mirko",
    "Giorgio",
    "Lorenzo",
    "Federico",
    "Cristian",
    "Omar",
];

const GIRLS: &[&str] = &[
    "Sofia",
    "Aurora",
    "Giulia",
    "Ginevra",
    "Alice",
    "Emma",
    "Giorgia",
    "Beatrice",
    "Anna",
    "Vittoria",
    "Ludovica",
    "Matilde",
    "Greta",
    "Chiara",
    "Nicole",
    "Martina",
    "Rebecca",
    "Sara",
    "Gaia",
    "Noemi",
    "Bianca",
    "Camilla",
    "Viola",
    "Elisa",
    "Arianna",
    "Asia",
    "Mia",
    "Azzurra",
    "Benedetta",
    "Marta",
];

const BOYS: &[&str] = &[
    "Leonardo",
    "Francesco",
    "Alessandro",
    "Lorenzo",
    "Mattia",
    "Tommaso",
    "Gabriele",
    "Andrea",
    "Riccardo",
    "Edoardo",
    "Matteo",
    "Giuseppe",
    "Antonio",
    "Federico",
    "Diego",
    "Davide",
    "Christian",
    "Nicolò",
    "Samuele",
    "Pietro",
    "Filippo",
    "Marco",
    "Luca",
    "Simone",
    "Giovanni",
    "Michele",
    "Gioele",
    "Elia",
    "Jacopo",
    "Alessio",
];

/// Surnames common in Lombardy and across Italy.
const SURNAMES: &[&str] = &[
    "Rossi",
    "Colombo",
    "Ferrari",
    "Bianchi",
    "Russo",
    "Villa",
    "Brambilla",
    "Ricci",
    "Gallo",
    "Mariani",
    "Fumagalli",
    "Galli",
    "Sala",
    "Longoni",
    "Cattaneo",
    "Bonfanti",
    "Locatelli",
    "Rota",
    "Pesenti",
    "Ghisleni",
    "Carminati",
    "Bonacina",
    "Milesi",
    "Gamba",
    "Mazzoleni",
    "Bettoni",
    "Cortinovis",
    "Ravasio",
    "Pagani",
    "Zanchi",
    "Arnoldi",
    "Belotti",
    "Capelli",
    "Rizzi",
    "Marchesi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santini",
    "Conti",
    "Greco",
    "Esposito",
    "Romano",
    "Bruno",
    "Costa",
    "Giordano",
    "Lombardi",
    "Ferri",
    "De Luca",
    "Testa",
    "Riva",
    "Redaelli",
    "Cavalli",
    "Pozzi",
    "Crippa",
    "Frigerio",
    "Mauri",
    "Bassi",
    "Vitali",
    "D'Angelo",
    "Sangalli",
    "Vavassori",
    "Lorenzi",
    "Previtali",
    "Facchinetti",
    "Valsecchi",
    "Perego",
    "Porta",
    "Magni",
    "Rinaldi",
    "Caruso",
    "Marino",
    "Gatti",
    "Pellegrini",
    "Sorrentino",
    "Morelli",
    "Donadoni",
];

/// Names of children with a family background abroad, by the language spoken at home.
struct Background {
    language: &'static str,
    girls: &'static [&'static str],
    boys: &'static [&'static str],
    surnames: &'static [&'static str],
}

const BACKGROUNDS: &[Background] = &[
    Background {
        language: "arabo",
        girls: &["Amina", "Fatima", "Yasmine", "Salma", "Nour", "Malak"],
        boys: &["Ahmed", "Youssef", "Omar", "Mohamed", "Ayoub", "Karim", "Adam"],
        surnames: &["El Amrani", "Benali", "Haddad", "Bouzid", "Mansour", "Rahmani"],
    },
    Background {
        language: "rumeno",
        girls: &["Andreea", "Ioana", "Maria", "Bianca", "Alexandra"],
        boys: &["Andrei", "Ionut", "Alexandru", "Stefan", "Gabriel"],
        surnames: &["Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu"],
    },
    Background {
        language: "albanese",
        girls: &["Klea", "Ajla", "Elira", "Dea", "Sara"],
        boys: &["Ardit", "Erion", "Kristi", "Endri", "Luan"],
        surnames: &["Hoxha", "Shehu", "Gjoka", "Leka", "Dervishi"],
    },
    Background {
        language: "ucraino",
        girls: &["Olena", "Sofiia", "Anastasiia", "Daryna"],
        boys: &["Dmytro", "Maksym", "Artem", "Bohdan"],
        surnames: &["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko"],
    },
    Background {
        language: "spagnolo",
        girls: &["Valeria", "Camila", "Luciana", "Daniela"],
        boys: &["Mateo", "Santiago", "Thiago", "Sebastián"],
        surnames: &["Gómez", "Rodríguez", "Vargas", "Quispe", "Mendoza"],
    },
    Background {
        language: "cinese",
        girls: &["Lin", "Mei", "Xin", "Yuki"],
        boys: &["Wei", "Hao", "Jun", "Ming"],
        surnames: &["Hu", "Zhou", "Chen", "Wang", "Xu"],
    },
    Background {
        language: "bengalese",
        girls: &["Nusrat", "Sumaiya", "Tania"],
        boys: &["Rahim", "Sakib", "Arif", "Tanvir"],
        surnames: &["Hossain", "Rahman", "Islam", "Ahmed"],
    },
    Background {
        language: "tigrino",
        girls: &["Senait", "Helen", "Selam"],
        boys: &["Yonas", "Dawit", "Samuel", "Filmon"],
        surnames: &["Tesfay", "Gebremedhin", "Haile", "Berhane"],
    },
];

const STREETS: &[&str] = &[
    "Via Roma",
    "Via Garibaldi",
    "Via Mazzini",
    "Via Manzoni",
    "Via Dante Alighieri",
    "Via Verdi",
    "Via Marconi",
    "Via XX Settembre",
    "Via IV Novembre",
    "Via Papa Giovanni XXIII",
    "Via Kennedy",
    "Via Leopardi",
    "Via San Giovanni Bosco",
    "Piazza della Libertà",
    "Via Fiume",
    "Via Bergamo",
    "Via Milano",
    "Via dei Mille",
    "Via Cavour",
    "Via Matteotti",
    "Via Gramsci",
    "Via Europa",
    "Via Pascoli",
    "Via Carducci",
    "Via Don Minzoni",
    "Via Vittorio Veneto",
    "Via Trento",
    "Via Trieste",
    "Via Cesare Battisti",
    "Via Montegrappa",
    "Via Locatelli",
    "Via Pietro Nenni",
    "Via Moro",
    "Via della Repubblica",
    "Via Santa Caterina",
    "Viale Lombardia",
];

pub(super) fn given_name(rng: &mut impl Rng, female: bool, child: bool) -> &'static str {
    let list = match (female, child) {
        (true, true) => GIRLS,
        (false, true) => BOYS,
        (true, false) => WOMEN,
        (false, false) => MEN,
    };
    pick(rng, list)
}

pub(super) fn surname(rng: &mut impl Rng) -> &'static str {
    pick(rng, SURNAMES)
}

/// A child's name and the language spoken at home, for a family background abroad.
pub(super) fn foreign_child(
    rng: &mut impl Rng,
    female: bool,
    language: Option<&str>,
) -> (&'static str, &'static str, &'static str) {
    let bg = language
        .and_then(|l| BACKGROUNDS.iter().find(|b| b.language == l))
        .unwrap_or_else(|| &BACKGROUNDS[rng.gen_range(0..BACKGROUNDS.len())]);
    let given = pick(rng, if female { bg.girls } else { bg.boys });
    (given, pick(rng, bg.surnames), bg.language)
}

/// `giulia.ferri`: lower-case ASCII, accents and apostrophes dropped.
pub(super) fn user_name(given: &str, surname: &str) -> String {
    format!("{}.{}", ascii_word(given), ascii_word(surname))
}

/// Lower-case ASCII letters of a name: "D'Angelo" → "dangelo", "Nicolò" → "nicolo".
pub(super) fn ascii_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_ascii_word(&mut out, s);
    out
}

/// [`ascii_word`] appended to `out`, without decomposing names that are ASCII already.
pub(super) fn push_ascii_word(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(
            s.nfd()
                .filter(|c| !is_combining_mark(*c))
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        );
    }
}

pub(super) fn street_address(rng: &mut impl Rng) -> String {
    format!("{} {}", pick(rng, STREETS), rng.gen_range(1..=120))
}

/// A landline after the area code ("035", "02"). Subscriber numbers are
/// not assigned starting with 0, so the 0 after the area code keeps demo
/// numbers clear of real ones.
pub(super) fn landline(rng: &mut impl Rng, area: &str) -> String {
    // Ten digits in all, as in "035 0123456" and "02 01234567".
    let digits = 10u32.saturating_sub(area.len() as u32).max(2);
    let n: u32 = rng.gen_range(0..10u32.pow(digits - 1));
    format!("{area} 0{n:0width$}", width = digits as usize - 1)
}

/// A mobile number: "3" + operator prefix, then a 000 block.
pub(super) fn mobile(rng: &mut impl Rng) -> String {
    const PREFIXES: &[&str] = &["333", "335", "338", "340", "347", "348", "349", "320", "328", "339", "345", "351"];
    format!("{} 000 {:04}", pick(rng, PREFIXES), rng.gen_range(0..10_000))
}

pub(super) fn pick<T: Copy>(rng: &mut impl Rng, list: &[T]) -> T {
    *pick_ref(rng, list)
}

pub(super) fn pick_ref<'a, T>(rng: &mut impl Rng, list: &'a [T]) -> &'a T {
    list.choose(rng).expect("demo lists are not empty")
}

/// Picks from a table of (value, weight).
pub(super) fn weighted<'a, T>(rng: &mut impl Rng, table: &'a [(T, u32)]) -> &'a T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (v, w) in table {
        if x < *w {
            return v;
        }
        x -= w;
    }
    &table.last().expect("demo tables are not empty").0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::operator::is_valid_user_name;
    use rand::SeedableRng;

    #[test]
    fn user_names_are_unix_names() {
        assert_eq!(user_name("Nicolò", "D'Angelo"), "nicolo.dangelo");
        assert_eq!(user_name("Giulia", "De Luca"), "giulia.deluca");
        for g in WOMEN.iter().chain(MEN) {
            for s in SURNAMES {
                assert!(is_valid_user_name(&user_name(g, s)), "{g} {s}");
            }
        }
    }

    #[test]
    fn phones_are_valid_italian_numbers() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for _ in 0..100 {
            for phone in [landline(&mut rng, "035"), landline(&mut rng, "02"), mobile(&mut rng)] {
                let mut p = crate::model::Problems::new();
                p.check_phone(crate::model::Field::Phone, &phone);
                assert!(p.is_empty(), "{phone}");
                assert_eq!(phone.chars().filter(char::is_ascii_digit).count(), 10, "{phone}");
            }
        }
    }
}
