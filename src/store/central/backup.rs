//! Central's lead sets or clears the backup recipient kits and packs carry (see
//! `store/backup.rs`).

use super::CentralStore;
use crate::store::{Role, StoreError};

impl CentralStore {
    /// Central: sets (or, with `None`, clears) the backup recipient kits and packs carry from
    /// now on. Central's lead only: whoever sets it chooses who else reads every batch.
    /// Returns whether anything changed.
    pub fn set_backup_recipient(&mut self, recipient: Option<&str>) -> Result<bool, StoreError> {
        if self.role != Role::Lead {
            return Err(StoreError::Forbidden(format!(
                "only central's lead can change the backup recipient; '{}' is an operator",
                self.operator
            )));
        }
        let operator = self.operator.clone();
        let action = match recipient {
            Some(_) => "backup_recipient.set",
            None => "backup_recipient.clear",
        };
        self.replace_backup(recipient, &operator, action)
    }
}
