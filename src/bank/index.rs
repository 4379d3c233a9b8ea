//! Index entries of families and needs: status, service, comune, referent.
//! Kept in the same transaction as the record.

use crate::model::{Family, Need, RecordKind};
use crate::store::{StoreTx, TreeId, TxResult};

/// Index keys start with the record's code letter (as stored ever since).
pub const FAMILY: u8 = RecordKind::Family.code_prefix() as u8;
pub const NEED: u8 = RecordKind::Need.code_prefix() as u8;

pub type Entries = [(TreeId, Vec<u8>); 4];

pub fn family_entries(f: &Family) -> Entries {
    [
        (TreeId::IdxStatus, f.profile.status.token().as_bytes().to_vec()),
        (TreeId::IdxService, f.service.key().to_vec()),
        (TreeId::IdxComune, f.profile.comune.as_u32().to_be_bytes().to_vec()),
        (TreeId::IdxReferent, f.referent.as_bytes().to_vec()),
    ]
}

pub fn need_entries(n: &Need) -> Entries {
    [
        (TreeId::IdxStatus, n.placement.status.token().as_bytes().to_vec()),
        (TreeId::IdxService, n.service.key().to_vec()),
        (TreeId::IdxComune, n.placement.comune.as_u32().to_be_bytes().to_vec()),
        (TreeId::IdxReferent, n.referent.as_bytes().to_vec()),
    ]
}

/// Moves a record's index entries from `old` to `new` (either may be absent).
pub fn replace<E>(tx: &StoreTx, kind: u8, key: &[u8], old: Option<&Entries>, new: &Entries) -> TxResult<(), E> {
    for (i, (tree, value)) in new.iter().enumerate() {
        if let Some(old) = old {
            if old[i].1 == *value {
                continue;
            }
            tx.index_remove(old[i].0, kind, &old[i].1, key)?;
        }
        tx.index_add(*tree, kind, value, key)?;
    }
    Ok(())
}

/// The most selective index a list filter names (comune, then referent,
/// then service, then status), with the value to scan; the other filters
/// are checked on the records found.
pub fn most_selective(
    comune: Option<crate::model::ComuneCode>,
    referent: Option<&String>,
    service: Option<crate::model::ServiceCode>,
    status_token: Option<&str>,
) -> Option<(TreeId, Vec<u8>)> {
    if let Some(c) = comune {
        Some((TreeId::IdxComune, c.as_u32().to_be_bytes().to_vec()))
    } else if let Some(r) = referent {
        Some((TreeId::IdxReferent, r.as_bytes().to_vec()))
    } else if let Some(s) = service {
        Some((TreeId::IdxService, s.key().to_vec()))
    } else {
        status_token.map(|s| (TreeId::IdxStatus, s.as_bytes().to_vec()))
    }
}
