//! What the screens of revised records that are not edited as a whole
//! (proposals, placements) share: where a committed change lands on what
//! they show.

/// Where a change to one record lands on a screen showing a list and, maybe, one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// What is shown already has it (or nothing is loaded yet).
    Nowhere,
    /// The record open is the one changed: ask for it again (and reload the list when shown).
    Record,
    /// Another record is open: the list reloads when shown again.
    Stale,
    /// The list is shown: ask for it again.
    List,
}

/// Where a change of `code` at `revision` lands: `open` is the record
/// shown (its code and revision), `row` the revision of its row in the list, if loaded.
pub fn landing<C: PartialEq>(
    code: &C,
    revision: u64,
    loaded: bool,
    open: Option<(&C, u64)>,
    row: Option<u64>,
) -> Landing {
    if !loaded {
        return Landing::Nowhere;
    }
    let row_has_it = row.is_some_and(|r| r >= revision);
    match open {
        Some((c, r)) if c == code => {
            if r >= revision {
                Landing::Nowhere
            } else {
                Landing::Record
            }
        }
        Some(_) if row_has_it => Landing::Nowhere,
        Some(_) => Landing::Stale,
        None if row_has_it => Landing::Nowhere,
        None => Landing::List,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_lands_on_the_record_open_or_the_list_only_when_newer() {
        assert_eq!(landing(&1, 3, false, None, None), Landing::Nowhere, "nothing loaded yet");
        assert_eq!(landing(&1, 3, true, Some((&1, 2)), None), Landing::Record);
        assert_eq!(landing(&1, 3, true, Some((&1, 3)), None), Landing::Nowhere);
        assert_eq!(landing(&1, 3, true, Some((&2, 7)), Some(2)), Landing::Stale);
        assert_eq!(landing(&1, 3, true, Some((&2, 7)), Some(3)), Landing::Nowhere);
        assert_eq!(landing(&1, 3, true, None, Some(2)), Landing::List);
        assert_eq!(landing(&1, 3, true, None, None), Landing::List, "a record not in the list yet");
        assert_eq!(landing(&1, 3, true, None, Some(4)), Landing::Nowhere);
    }
}
