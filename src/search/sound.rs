//! How a name sounds, for the spelling errors callers make on the phone:
//! the letters Italian spells two ways made one, so "Kortinovis",
//! "Mazzoleny" and "Niccolò" typed "nicolo" find the name at no cost; and
//! a match that forgives one wrong letter (the first one too) on top.
//!
//! The confusions made one, and why:
//! - c, k, q (and ch, kh): one sound, "Kiodi"/"Chiodi", "Pasquale"/"Pascuale";
//! - v and w: "Walter"/"Valter", foreign spellings of Italian names;
//! - i, y and j: "Mazzoleny", "Jacopo"/"Iacopo";
//! - h is silent: dropped ("ch", "gh", "Hoxha");
//! - a double letter is one: "Zanotti"/"Zanoti", "Niccolò"/"Nicolò" — the
//!   most common slip of all in Italian names.
//!
//! Left out: gn/ni and ce/cie would need to rewrite a letter already read
//! when the next one comes, and then a longer word would no longer sound like
//! the shorter one it extends, which the narrowing of a query typed on needs
//! (`sound(a)` is a prefix of `sound(a + b)`); z/s tells real surnames apart
//! (Rossi/Rozzi, Sanna/Zanna): made one, they would flood every answer. Each
//! of these is still found as one wrong letter.

/// How a folded word sounds: each letter mapped by the confusions above,
/// looking only back, so the sound of a word's prefix is a prefix of its sound.
pub fn sound(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let c = match c {
            'k' | 'q' => 'c',
            'w' => 'v',
            'y' | 'j' => 'i',
            'h' => continue,
            c => c,
        };
        if out.ends_with(c) && c.is_alphabetic() {
            continue;
        }
        out.push(c);
    }
    out
}

/// The shortest sound one wrong letter is forgiven in: below it, one letter
/// off would match almost every name.
pub const TYPO_FROM: usize = 4;

/// Is `typed` (a sound) within one wrong letter (changed, missing, extra,
/// or two swapped) of the start of `word` (a sound)? Some(how many letters
/// agree before the first difference) if so; the whole `typed` when it
/// starts `word` as it is. Judged letter by letter: a letter two bytes long
/// ("шевченко") is one letter wrong, not two.
pub fn near_prefix(typed: &str, word: &str) -> Option<usize> {
    if typed.is_ascii() && word.is_ascii() {
        return near_prefix_of(typed.as_bytes(), word.as_bytes());
    }
    let (typed, word): (Vec<char>, Vec<char>) = (typed.chars().collect(), word.chars().collect());
    near_prefix_of(&typed, &word)
}

/// `near_prefix` on letters: bytes when both are ASCII, chars otherwise.
fn near_prefix_of<T: PartialEq>(typed: &[T], word: &[T]) -> Option<usize> {
    let same = typed.iter().zip(word).take_while(|(a, b)| a == b).count();
    if same == typed.len() {
        return Some(same);
    }
    let starts = |a: &[T], b: &[T]| b.len() >= a.len() && b[..a.len()] == *a;
    let (rest, from) = (&typed[same + 1..], word.get(same + 1..).unwrap_or(&[]));
    let changed = starts(rest, from);
    let extra = starts(rest, &word[same..]);
    let missing = starts(&typed[same..], from);
    let swapped = word.len() > same + 1
        && typed.len() > same + 1
        && typed[same] == word[same + 1]
        && typed[same + 1] == word[same]
        && starts(&typed[same + 2..], &word[same + 2..]);
    (changed || extra || missing || swapped).then_some(same)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusions_sound_alike_and_a_prefix_sounds_like_a_prefix() {
        for (a, b) in [
            ("kortinovis", "cortinovis"),
            ("mazzoleny", "mazzoleni"),
            ("nicolo", "niccolo"),
            ("chiodi", "kiodi"),
            ("walter", "valter"),
            ("pasquale", "pascuale"),
            ("jacopo", "iacopo"),
        ] {
            assert_eq!(sound(a), sound(b), "{a} {b}");
        }
        assert_ne!(sound("rossi"), sound("rozzi"));
        for word in ["mazzoleni", "chiesa", "kkk", "ghisleni", "cortinovis"] {
            for n in 0..=word.len() {
                assert!(sound(word).starts_with(&sound(&word[..n])), "{word} {n}");
            }
        }
    }

    #[test]
    fn one_wrong_letter_anywhere_is_forgiven_two_are_not() {
        let near = |a: &str, b: &str| near_prefix(&sound(a), &sound(b));
        assert_eq!(near("curtinovis", "cortinovis"), Some(1));
        assert_eq!(near("bortinovis", "cortinovis"), Some(0), "the first letter");
        assert_eq!(near("cortinvis", "cortinovis"), Some(6), "one missing");
        assert_eq!(near("cortinoovvis", "cortinovis"), Some(10), "doubled: the same sound");
        assert_eq!(near("cortinouvis", "cortinovis"), Some(7), "one extra");
        assert_eq!(near("cotrinovis", "cortinovis"), Some(2), "two swapped");
        assert_eq!(near("cort", "cortinovis"), Some(4), "a prefix");
        assert_eq!(near("curt", "cortinovis"), Some(1), "a prefix with a wrong letter");
        assert_eq!(near("rossi", "rosso"), Some(3));
        assert_eq!(near("curtinovys", "kortinovis"), Some(1), "confusions cost nothing");
        assert_eq!(near("burtinovis", "cortinovis"), None, "two wrong letters");
        assert_eq!(near("cortinovisss", "cortinovis"), Some(10), "a double at the end is one letter");
        assert_eq!(near("cortinovisa", "cortinovis"), Some(10), "one extra at the end");
        assert_eq!(near("cortinovisab", "cortinovis"), None);
        // Letters, not bytes: к and х differ in both their bytes.
        assert_eq!(near("шевченхо", "шевченко"), Some(6), "one changed letter of two bytes");
        assert_eq!(near("шевчеко", "шевченко"), Some(5), "one missing");
        assert_eq!(near("шевченко", "шевченко"), Some(8));
        assert_eq!(near("шевчанхо", "шевченко"), None, "two wrong letters");
    }
}
