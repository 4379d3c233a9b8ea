//! Search keys: each character folded to one character (lower case, accents
//! off), so "nicolo" finds "Niccolò" and a match's positions in the key are
//! its positions in the text shown.

pub fn fold_char(c: char) -> char {
    let c = if c.is_ascii() { c.to_ascii_lowercase() } else { c.to_lowercase().next().unwrap_or(c) };
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ç' | 'č' | 'ć' => 'c',
        'ñ' | 'ń' => 'n',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ý' | 'ÿ' => 'y',
        '’' | '`' | '´' => '\'',
        c => c,
    }
}

/// The key of a text: one folded character per character.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
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
}
