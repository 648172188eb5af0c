//! Where each office stands with central: its last batch, when central imported it, the
//! batches missing before it, alerts (forks, broken chains), conflicts still open, whether its
//! key was revoked, and whether it has been silent too long. `linea central status` prints it;
//! central's home screen draws it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::{Store, StoreError};

/// Days after which an office's silence is overdue.
pub const OFFICE_OVERDUE_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficeStatus {
    pub office: String,
    pub name: String,
    pub registered: bool,
    pub last_batch: Option<u64>,
    /// When central imported the office's newest batch (RFC 3339, UTC).
    pub last_import: Option<String>,
    /// Sequence numbers below the last batch that never arrived.
    pub missing: Vec<u64>,
    pub alerts: Vec<String>,
    /// Conflicts still open: records that arrived at a version central has, with other
    /// content, and no newer version since (`linea central conflicts` lists them).
    pub conflicts: u64,
    /// When the office's key was revoked (RFC 3339, UTC): its batches are refused.
    pub revoked_at: Option<String>,
    /// Registered, not revoked, and nothing imported for more than [`OFFICE_OVERDUE_DAYS`].
    pub overdue: bool,
}

impl OfficeStatus {
    /// `last_import` as an instant.
    pub fn last_import_at(&self) -> Option<DateTime<Utc>> {
        self.last_import
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
    }
}

/// Every enrolled office's status at `now`.
pub fn office_statuses(store: &Store, now: DateTime<Utc>) -> Result<Vec<OfficeStatus>, StoreError> {
    let mut rows = Vec::new();
    for office in store.offices()? {
        let batches = store.imported_batches(&office.id)?;
        let last = batches.iter().map(|b| b.seq).max();
        let missing: Vec<u64> = (1..last.unwrap_or(0))
            .filter(|s| !batches.iter().any(|b| b.seq == *s))
            .collect();
        let mut status = OfficeStatus {
            alerts: store.alerts(&office.id)?,
            conflicts: store.open_conflicts(&office.id)?,
            office: office.id,
            name: office.name,
            registered: office.registered,
            last_batch: last,
            last_import: batches.iter().map(|b| b.imported_at.clone()).max(),
            missing,
            revoked_at: office.revoked_at,
            overdue: false,
        };
        status.overdue = status.registered
            && status.revoked_at.is_none()
            && status
                .last_import_at()
                .is_none_or(|t| (now - t).num_days() > OFFICE_OVERDUE_DAYS);
        rows.push(status);
    }
    Ok(rows)
}
