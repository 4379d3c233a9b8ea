//! The store's errors as the wire says them: the words of storage stay
//! here, the wire's `BankError` knows nothing of the store.

use crate::api::BankError;
use crate::store::{StoreError, TxError};

impl From<StoreError> for BankError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Corrupt { tree, key, raw_key, reason } => {
                BankError::Damaged { tree: tree.to_string(), record: key, key: hex::encode(raw_key), reason }
            }
            StoreError::DiskFull { available, reserve, .. } => BankError::DiskFull { available, reserve },
            StoreError::WriteFailed { reason, .. } => BankError::WriteFailed { reason },
            StoreError::Halted { .. } => BankError::Halted,
            e => BankError::Storage(e.to_string()),
        }
    }
}

impl<E: Into<BankError>> From<TxError<E>> for BankError {
    fn from(e: TxError<E>) -> Self {
        match e {
            TxError::Aborted(e) => e.into(),
            TxError::Store(e) => e.into(),
        }
    }
}
