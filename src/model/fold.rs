//! Search keys: each character folded to one character (lower case, accents
//! off), so "nicolo" finds "Niccolò", "stefan" finds "Ștefan" and a match's
//! positions in the key are its positions in the text shown.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        '’' | '‘' | '`' | '´' => '\'',
        c => unmarked(c),
    }
}

/// The base letter of an accented one: from its canonical decomposition
/// (à, ș, ş, ț, ć, č, ž, š, ă, â, î, ë, ç, ğ, ñ, ö, ü…), by hand for the
/// letters Unicode does not decompose, common among the foreign families
/// of Italian services (Polish ł, Croatian đ, Turkish ı, Nordic ø…).
fn unmarked(c: char) -> char {
    match c {
        'ł' | 'ŀ' => return 'l',
        'đ' | 'ð' => return 'd',
        'ı' => return 'i',
        'ø' | 'œ' => return 'o',
        'æ' => return 'a',
        'ß' => return 's',
        'ħ' => return 'h',
        'ŧ' | 'þ' => return 't',
        'ə' => return 'e',
        _ => {}
    }
    let (mut base, mut only_marks) = (None, true);
    decompose_canonical(c, |d| match base {
        None => base = Some(d),
        Some(_) => only_marks &= is_combining_mark(d),
    });
    // Only a letter with marks on it: a Hangul syllable decomposes into letters, kept.
    match base {
        Some(b) if only_marks && b.is_alphabetic() => b,
        _ => c,
    }
}

/// A combining mark typed apart from its letter (a text in NFD, "nicolo" +
/// U+0300): part of the word it follows, but no letter of its own.
pub fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The key of a text: one folded character per character.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// A typed word's letters, folded, without the marks typed apart from them.
pub fn fold_bare(text: &str) -> String {
    text.chars().filter(|&c| !is_mark(c)).map(fold_char).collect()
}

/// Does `needle` (folded) appear in `hay` in order, not necessarily together?
/// A cheap test before the fuzzy matcher: most keys fail it.
pub fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|n| it.any(|h| h == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_one_character_for_one() {
        assert_eq!(fold("Niccolò Cantù"), "niccolo cantu");
        assert_eq!(fold("ÈLÌA").chars().count(), 4);
        assert!(is_subsequence(b"nicolo", fold("Niccolò").as_bytes()));
        assert!(!is_subsequence(b"olin", b"niccolo"));
    }

    #[test]
    fn the_letters_of_foreign_families_fold_to_their_base_letter() {
        // Romanian (comma and cedilla forms), Polish, Croatian, Turkish, Albanian, Spanish.
        assert_eq!(fold("Ștefan Şerban Țurcan Ţepeş"), "stefan serban turcan tepes");
        assert_eq!(fold("Mărgărit Câmpeanu Înșir"), "margarit campeanu insir");
        assert_eq!(fold("Łukasz Wałęsa Żółć"), "lukasz walesa zolc");
        assert_eq!(fold("Đorđević Čačić Šimić Žužul"), "dordevic cacic simic zuzul");
        assert_eq!(fold("Işık Öztürk Çağlar Ğ İlknur"), "isik ozturk caglar g ilknur");
        assert_eq!(fold("Hoxhë Çela Muñoz"), "hoxhe cela munoz");
        // Letters with no Latin base stay as they are; one character for one.
        assert_eq!(fold("Шевченко 김"), "шевченко 김");
        assert_eq!(fold("Ștefan").chars().count(), 6);
        // A mark typed apart stays in the key (one for one) and leaves a typed word.
        assert_eq!(fold("nicolo\u{300}").chars().count(), 7);
        assert_eq!(fold_bare("Nicolo\u{300}"), "nicolo");
    }
}
