//! Italian personal fiscal code (codice fiscale): validation, consistency with
//! a known birth date and sex, and synthetic codes for demo data.
//!
//! Layout: 3 surname letters, 3 name letters, year (2 digits), month letter,
//! day (2 digits, +40 for women), cadastral code of the birthplace (letter and
//! 3 digits), check character. When two people would share a code, the
//! Agenzia delle Entrate replaces digits with letters from the right
//! ("omocodia"), so every digit position may also hold one of `LMNPQRSTUV`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FiscalCodeProblem {
    /// Not 16 characters once spaces are removed.
    Length,
    /// Letters and digits in the wrong places, or impossible month or day.
    Pattern,
    /// The last character does not match the other fifteen: a typo.
    CheckCharacter,
    BirthDateMismatch,
    SexMismatch,
}

/// Positions (0-based) that hold digits, possibly replaced by omocodia letters.
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// Omocodia letters standing for the digits 0–9.
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";

/// Month letters for January–December.
const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";

/// Check-character values of 0–9 / A–Z in odd positions (1st, 3rd, …);
/// in even positions the value is simply 0–9 / 0–25.
const ODD_VALUES: [u8; 26] =
    [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/// Validates a personal fiscal code (case-insensitive, spaces ignored) and
/// returns it upper-case without spaces.
pub fn validate(code: &str) -> Result<String, FiscalCodeProblem> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    if code.chars().count() != 16 {
        return Err(FiscalCodeProblem::Length);
    }
    let bytes = code.as_bytes();
    // Non-ASCII characters make the byte length differ from the char count.
    if bytes.len() != 16 {
        return Err(FiscalCodeProblem::Pattern);
    }
    for (i, &b) in bytes.iter().enumerate() {
        let ok = if DIGIT_POSITIONS.contains(&i) {
            b.is_ascii_digit() || OMOCODIA.contains(&b)
        } else {
            b.is_ascii_uppercase()
        };
        if !ok {
            return Err(FiscalCodeProblem::Pattern);
        }
    }
    if !MONTHS.contains(&bytes[8]) {
        return Err(FiscalCodeProblem::Pattern);
    }
    let day = number(bytes, 9);
    if !((1..=31).contains(&day) || (41..=71).contains(&day)) {
        return Err(FiscalCodeProblem::Pattern);
    }
    if check_char(&bytes[..15]) != bytes[15] {
        return Err(FiscalCodeProblem::CheckCharacter);
    }
    Ok(code)
}

/// Birth (year mod 100, month 1–12, day 1–31) and sex (`'M'` or `'F'`)
/// encoded in a valid code; None if the code is not valid.
pub fn decode_birth(code: &str) -> Option<(u8, u8, u8, char)> {
    let code = validate(code).ok()?;
    let bytes = code.as_bytes();
    let year = number(bytes, 6);
    let month = MONTHS.iter().position(|&m| m == bytes[8])? as u8 + 1;
    let day = number(bytes, 9);
    if day > 40 {
        Some((year, month, day - 40, 'F'))
    } else {
        Some((year, month, day, 'M'))
    }
}

/// Checks a code against a birth date and sex known from elsewhere (an ID
/// card): the code must be valid, then its date, then its sex must agree.
pub fn check_consistency(code: &str, year: i32, month: u8, day: u8, sex_female: bool) -> Result<(), FiscalCodeProblem> {
    validate(code)?;
    let (yy, mm, dd, sex) = decode_birth(code).ok_or(FiscalCodeProblem::Pattern)?;
    if i32::from(yy) != year.rem_euclid(100) || mm != month || dd != day {
        return Err(FiscalCodeProblem::BirthDateMismatch);
    }
    if (sex == 'F') != sex_female {
        return Err(FiscalCodeProblem::SexMismatch);
    }
    Ok(())
}

/// What a record says of the person a fiscal code belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub surname: &'a str,
    pub name: &'a str,
    pub birth_date: time::Date,
    pub female: bool,
}

/// Every way a code disagrees with the person it is given for: first its
/// own shape (length, pattern, check character: then nothing else is
/// read), then the surname's and the name's letters, the birth date, the
/// sex, and the birthplace's codice catastale, which must name a comune
/// (of today, or one that still existed on the birth date) or a foreign
/// state. Omocodia letters stand for digits everywhere. A name written in
/// letters that have no Latin form (Cyrillic, Arabic…) is not compared:
/// its code follows a transliteration the record does not carry.
pub fn check_person(code: &str, person: &Person, comuni: &super::comune::Comuni) -> Vec<super::problem::Reason> {
    use super::problem::Reason;
    let code = match validate(code) {
        Ok(code) => code,
        Err(e) => return vec![Reason::FiscalCode { problem: format!("{e:?}") }],
    };
    let mut out = Vec::new();
    let mut part = |part: &str, expected: String| {
        out.push(Reason::FiscalCodeMismatch { part: part.into(), expected });
    };
    for (name, letters, which, at) in [
        (person.surname, surname_letters as fn(&str) -> String, "surname", 0),
        (person.name, name_letters as fn(&str) -> String, "name", 3),
    ] {
        if is_latin(name) {
            let expected = letters(name);
            if code[at..at + 3] != expected {
                part(which, format!("{} ({expected})", name.trim().to_uppercase()));
            }
        }
    }
    let d = person.birth_date;
    if let Err(e) = check_consistency(&code, d.year(), d.month().into(), d.day(), person.female) {
        match e {
            FiscalCodeProblem::BirthDateMismatch => part("birth_date", super::dates::format_date(d)),
            FiscalCodeProblem::SexMismatch => part("sex", (if person.female { "F" } else { "M" }).into()),
            other => return vec![Reason::FiscalCode { problem: format!("{other:?}") }],
        }
    }
    let cadastral = birthplace_code(&code);
    match super::birthplace::find(&cadastral, comuni) {
        None => out.push(Reason::UnknownBirthplace { code: cadastral }),
        Some(place) => {
            if let Some(ceased_on) = place.ceased_on().filter(|&c| c < d) {
                out.push(Reason::BirthplaceCeased { code: cadastral, place: place.name().to_string(), ceased_on });
            }
        }
    }
    out
}

/// The birthplace's codice catastale of a valid code, omocodia letters
/// read back as digits ("Z1QQ" → "Z144").
pub fn birthplace_code(valid: &str) -> String {
    valid[11..15]
        .bytes()
        .enumerate()
        .map(|(i, b)| match OMOCODIA.iter().position(|&l| l == b) {
            Some(digit) if i > 0 => char::from(b'0' + digit as u8),
            _ => char::from(b),
        })
        .collect()
}

/// Letters all of Latin script once accents are dropped: the code's
/// letters can be computed from them.
fn is_latin(s: &str) -> bool {
    s.nfd().filter(|c| !is_combining_mark(*c)).all(|c| !c.is_alphabetic() || c.is_ascii_alphabetic())
}

/// Builds a syntactically valid code for demo data, following the official
/// rules for surname and name letters. It is synthetic: real codes may
/// differ (omocodia, foreign births).
///
/// So that the result always validates, a month outside 1–12 or a day
/// outside 1–31 is clamped, and a malformed cadastral code becomes "Z999".
pub fn synthesize(surname: &str, name: &str, year: i32, month: u8, day: u8, female: bool, cadastral: &str) -> String {
    let mut code = String::with_capacity(16);
    code.push_str(&surname_letters(surname));
    code.push_str(&name_letters(name));
    code.push_str(&format!("{:02}", year.rem_euclid(100)));
    code.push(char::from(MONTHS[usize::from(month.clamp(1, 12) - 1)]));
    let day = day.clamp(1, 31) + if female { 40 } else { 0 };
    code.push_str(&format!("{day:02}"));
    let cadastral = cadastral.trim().to_ascii_uppercase();
    let cb = cadastral.as_bytes();
    if cb.len() == 4 && cb[0].is_ascii_uppercase() && cb[1..].iter().all(u8::is_ascii_digit) {
        code.push_str(&cadastral);
    } else {
        code.push_str("Z999");
    }
    code.push(char::from(check_char(code.as_bytes())));
    code
}

/// The check character of the first fifteen characters (upper-case ASCII).
fn check_char(first15: &[u8]) -> u8 {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let index = if b.is_ascii_digit() { b - b'0' } else { b.wrapping_sub(b'A') % 26 };
            // Positions count from 1, so index 0 is "odd".
            u32::from(if i % 2 == 0 { ODD_VALUES[usize::from(index)] } else { index })
        })
        .sum();
    b'A' + (sum % 26) as u8
}

/// The two-digit number at `at`, reading omocodia letters as digits.
fn number(bytes: &[u8], at: usize) -> u8 {
    let digit = |b: u8| match OMOCODIA.iter().position(|&l| l == b) {
        Some(d) => d as u8,
        None => b.wrapping_sub(b'0'),
    };
    digit(bytes[at]) * 10 + digit(bytes[at + 1])
}

/// Upper-case ASCII letters of a name, accents dropped, split into consonants
/// and vowels in order of appearance.
fn letters(s: &str) -> (Vec<char>, Vec<char>) {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .partition(|c| !"AEIOU".contains(*c))
}

/// Consonants, then vowels, then X, up to three letters.
fn pad_letters(consonants: Vec<char>, vowels: Vec<char>) -> String {
    consonants.into_iter().chain(vowels).chain("XXX".chars()).take(3).collect()
}

fn surname_letters(surname: &str) -> String {
    let (consonants, vowels) = letters(surname);
    pad_letters(consonants, vowels)
}

/// Like the surname, except that with four or more consonants the second is
/// skipped (first, third, fourth).
fn name_letters(name: &str) -> String {
    let (consonants, vowels) = letters(name);
    if consonants.len() >= 4 {
        [consonants[0], consonants[2], consonants[3]].iter().collect()
    } else {
        pad_letters(consonants, vowels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXAMPLE: &str = "RSSMRA85T10A562S";

    #[test]
    fn public_example_validates() {
        assert_eq!(validate(EXAMPLE), Ok(EXAMPLE.to_string()));
        assert_eq!(decode_birth(EXAMPLE), Some((85, 12, 10, 'M')));
    }

    #[test]
    fn wrong_check_character() {
        assert_eq!(validate("RSSMRA85T10A562T"), Err(FiscalCodeProblem::CheckCharacter));
    }

    #[test]
    fn lowercase_and_spaces() {
        assert_eq!(validate(" rssmra 85t10 a562s "), Ok(EXAMPLE.to_string()));
    }

    #[test]
    fn structural_problems() {
        assert_eq!(validate("RSSMRA85T10A562"), Err(FiscalCodeProblem::Length));
        assert_eq!(validate(""), Err(FiscalCodeProblem::Length));
        assert_eq!(validate("RSSMRA85T10A56ÈS"), Err(FiscalCodeProblem::Pattern));
        assert_eq!(validate("1SSMRA85T10A562S"), Err(FiscalCodeProblem::Pattern));
        assert_eq!(validate("RSSMRA85F10A562S"), Err(FiscalCodeProblem::Pattern)); // no month F
        assert_eq!(validate("RSSMRA85T35A562S"), Err(FiscalCodeProblem::Pattern)); // day 35
        assert_eq!(validate("RSSMRA85T00A562S"), Err(FiscalCodeProblem::Pattern));
        // day 0
    }

    #[test]
    fn omocodic_variant_validates() {
        // The last digit 2 becomes N; the check character must follow.
        let mut first15 = EXAMPLE.as_bytes()[..15].to_vec();
        first15[14] = OMOCODIA[2];
        let mut code = String::from_utf8(first15).expect("ascii");
        code.push(char::from(check_char(code.as_bytes())));
        assert_eq!(code, "RSSMRA85T10A56NH");
        assert_eq!(validate(&code), Ok(code.clone()));
        assert_eq!(decode_birth(&code), Some((85, 12, 10, 'M')));
        // Omocodia in the year and day too.
        let mut heavy = b"RSSMRAURTMLA562".to_vec();
        heavy.push(check_char(&heavy));
        let heavy = String::from_utf8(heavy).expect("ascii");
        assert_eq!(decode_birth(&heavy), Some((85, 12, 10, 'M')));
    }

    #[test]
    fn consistency() {
        assert_eq!(check_consistency(EXAMPLE, 1985, 12, 10, false), Ok(()));
        assert_eq!(check_consistency(EXAMPLE, 1985, 12, 11, false), Err(FiscalCodeProblem::BirthDateMismatch));
        assert_eq!(check_consistency(EXAMPLE, 1975, 12, 10, false), Err(FiscalCodeProblem::BirthDateMismatch));
        assert_eq!(check_consistency(EXAMPLE, 1985, 12, 10, true), Err(FiscalCodeProblem::SexMismatch));
        assert_eq!(check_consistency("RSSMRA85T10A562T", 1985, 12, 10, false), Err(FiscalCodeProblem::CheckCharacter));
    }

    #[test]
    fn synthesized_codes() {
        // Mario Rossi, 10 December 1985, Roma (H501).
        let code = synthesize("Rossi", "Mario", 1985, 12, 10, false, "H501");
        assert_eq!(&code[..15], "RSSMRA85T10H501");
        assert_eq!(validate(&code), Ok(code.clone()));

        let code = synthesize("Bianchi", "Gianfranco", 2012, 2, 3, true, "a794");
        assert_eq!(&code[..6], "BNCGFR");
        assert_eq!(decode_birth(&code), Some((12, 2, 3, 'F')));
        assert_eq!(check_consistency(&code, 2012, 2, 3, true), Ok(()));

        // Short, accented and apostrophised names.
        assert_eq!(&synthesize("Fo", "Ida", 2000, 1, 1, false, "A794")[..6], "FOXDIA");
        assert_eq!(&synthesize("D'Amico", "Niccolò", 2000, 1, 1, false, "A794")[..6], "DMCNCL");
        assert_eq!(&synthesize("", "", 2000, 1, 1, false, "A794")[..6], "XXXXXX");
        // Out-of-range input still gives a valid code.
        assert!(validate(&synthesize("Rossi", "Ada", 2000, 13, 0, true, "??")).is_ok());
    }

    fn person(surname: &'static str, name: &'static str, birth: time::Date, female: bool) -> Person<'static> {
        Person { surname, name, birth_date: birth, female }
    }

    fn mismatch(part: &str, expected: &str) -> crate::model::Reason {
        crate::model::Reason::FiscalCodeMismatch { part: part.into(), expected: expected.into() }
    }

    #[test]
    fn a_code_is_checked_part_by_part_against_the_person() {
        use time::macros::date;
        let comuni = crate::model::Comuni::embedded();
        let mario = person("Rossi", "Mario", date!(1985 - 12 - 10), false);
        assert_eq!(check_person(EXAMPLE, &mario, comuni), vec![]);
        let wrong = |p: &Person| check_person(EXAMPLE, p, comuni);
        // Russo gives RSS too: the code cannot tell them apart.
        assert_eq!(wrong(&Person { surname: "Russo", ..mario }), vec![]);
        assert_eq!(wrong(&Person { surname: "Bianchi", ..mario }), vec![mismatch("surname", "BIANCHI (BNC)")]);
        assert_eq!(wrong(&Person { name: "Luca", ..mario }), vec![mismatch("name", "LUCA (LCU)")]);
        assert_eq!(
            wrong(&Person { birth_date: date!(1985 - 12 - 11), ..mario }),
            vec![mismatch("birth_date", "11/12/1985")]
        );
        assert_eq!(wrong(&Person { female: true, ..mario }), vec![mismatch("sex", "F")]);
        // Omocodia in the birthplace still names A562 (San Giuliano Terme).
        assert_eq!(check_person("RSSMRA85T10A56NH", &mario, comuni), vec![]);
        assert_eq!(birthplace_code("RSSMRA85T10A56NH"), "A562");
        // A name of another script is not compared.
        assert_eq!(wrong(&Person { name: "Марио", ..mario }), vec![]);
    }

    #[test]
    fn the_birthplace_is_a_comune_or_a_foreign_state() {
        use crate::model::Reason;
        use time::macros::date;
        let comuni = crate::model::Comuni::embedded();
        let born = date!(2015 - 03 - 04);
        let amira = person("Haddad", "Amira", born, true);
        let code = |place: &str| synthesize("Haddad", "Amira", 2015, 3, 4, true, place);
        assert_eq!(check_person(&code("Z100"), &amira, comuni), vec![]); // Albania
        assert_eq!(check_person(&code("Z330"), &amira, comuni), vec![]); // Marocco
        assert_eq!(
            check_person(&code("Z999"), &amira, comuni),
            vec![Reason::UnknownBirthplace { code: "Z999".into() }]
        );
        // Jugoslavia had ceased before 2015.
        assert_eq!(
            check_person(&code("Z118"), &amira, comuni),
            vec![Reason::BirthplaceCeased {
                code: "Z118".into(),
                place: "Jugoslavia".into(),
                ceased_on: date!(2003 - 02 - 04)
            }]
        );
    }

    proptest! {
        #[test]
        fn synthesize_always_validates(
            surname in "[A-Za-zÀ-ÿ' ]{0,14}",
            name in "[A-Za-zÀ-ÿ' ]{0,14}",
            year in 1990i32..=2026,
            month in 1u8..=12,
            day in 1u8..=31,
            female: bool,
            letter in "[A-Z]",
            digits in 0u16..1000,
        ) {
            let cadastral = format!("{letter}{digits:03}");
            let code = synthesize(&surname, &name, year, month, day, female, &cadastral);
            prop_assert_eq!(validate(&code), Ok(code.clone()));
            let sex = if female { 'F' } else { 'M' };
            prop_assert_eq!(decode_birth(&code), Some(((year % 100) as u8, month, day, sex)));
            prop_assert_eq!(check_consistency(&code, year, month, day, female), Ok(()));
        }
    }
}
