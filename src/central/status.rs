//! Where each office stands with central: its last batch, when central imported it, the
//! batches missing before it, alerts (forks, broken chains), conflicts still open, whether its
//! key was revoked, and whether it has been silent too long. `linea central status` prints it;
//! central's home screen draws it.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::{CentralStore, StoreError};

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
    pub missing: Vec<Gap>,
    pub alerts: Vec<String>,
    /// Conflicts still open: records that arrived at a version central has, with other
    /// content, and no newer version since (`linea central conflicts` lists them).
    pub conflicts: u64,
    /// When the office's key was revoked (RFC 3339, UTC): its batches are refused.
    pub revoked_at: Option<String>,
    /// Registered, not revoked, and nothing imported for more than [`OFFICE_OVERDUE_DAYS`].
    pub overdue: bool,
}

/// Batch numbers of an office that never arrived, `first` to `last`: a gap is one line
/// however wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub first: u64,
    pub last: u64,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// The numbers missing below the highest of `received`, as gaps.
pub fn gaps(received: impl IntoIterator<Item = u64>) -> Vec<Gap> {
    let mut received: Vec<u64> = received.into_iter().collect();
    received.sort_unstable();
    received.dedup();
    let mut gaps = Vec::new();
    let mut next = 1;
    for seq in received {
        if seq > next {
            gaps.push(Gap {
                first: next,
                last: seq - 1,
            });
        }
        next = seq.saturating_add(1);
    }
    gaps
}

/// Gaps as people read them: "2, 5-9".
pub fn gap_list(gaps: &[Gap]) -> String {
    gaps.iter()
        .map(Gap::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
pub fn office_statuses(
    store: &CentralStore,
    now: DateTime<Utc>,
) -> Result<Vec<OfficeStatus>, StoreError> {
    let mut rows = Vec::new();
    for office in store.offices()? {
        let batches = store.imported_batches(&office.id)?;
        let last = batches.iter().map(|b| b.seq).max();
        let missing = gaps(batches.iter().map(|b| b.seq));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_numbers_are_ranges_however_wide() {
        assert!(gaps([]).is_empty());
        assert!(gaps([1, 2, 3]).is_empty());
        let found = gaps([3, 1, 10_000, 7, 7]);
        assert_eq!(gap_list(&found), "2, 4-6, 8-9999");
        assert_eq!(gaps([u64::MAX]).len(), 1);
    }
}
