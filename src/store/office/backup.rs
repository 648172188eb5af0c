//! An office takes the backup recipient central's packs carry (see `store/backup.rs`).

use super::OfficeStore;
use crate::store::StoreError;

impl OfficeStore {
    /// An office: takes the backup recipient of a pack just applied, signed by central
    /// (`None`: central cleared it). Returns whether anything changed.
    pub fn take_backup_recipient(
        &mut self,
        recipient: Option<&str>,
        pack_version: u64,
    ) -> Result<bool, StoreError> {
        self.replace_backup(
            recipient,
            &format!("pack {pack_version}"),
            "backup_recipient.from_central",
        )
    }
}
