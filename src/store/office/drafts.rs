//! Drafts: forms in progress, written as the operator types so nothing typed is lost.

use rusqlite::{OptionalExtension, params};

use super::OfficeStore;
use crate::store::{StoreError, timestamp};

/// A form in progress. `body` is the form's own serialisation (JSON), opaque to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub operator: String,
    pub kind: String,
    pub updated_at: String,
    pub body: String,
}

fn draft_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Draft> {
    Ok(Draft {
        id: row.get(0)?,
        operator: row.get(1)?,
        kind: row.get(2)?,
        updated_at: row.get(3)?,
        body: row.get(4)?,
    })
}

impl OfficeStore {
    /// Saves (or replaces) a draft of the unlocking operator, stamped with the store's "now".
    /// Durable when it returns.
    pub fn save_draft(&mut self, id: &str, kind: &str, body: &str) -> Result<(), StoreError> {
        let _hold = self.hold()?;
        self.conn
            .execute(
                "INSERT INTO drafts (id, operator, kind, updated_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET
                    kind = excluded.kind, updated_at = excluded.updated_at, body = excluded.body",
                params![id, self.operator, kind, timestamp(self.now()), body],
            )
            .map_err(StoreError::sqlite("save draft"))?;
        Ok(())
    }

    /// The unlocking operator's drafts, newest first.
    pub fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, operator, kind, updated_at, body FROM drafts
                 WHERE operator = ?1 ORDER BY updated_at DESC",
            )
            .map_err(StoreError::sqlite("drafts"))?;
        let rows = stmt
            .query_map([&self.operator], draft_from_row)
            .map_err(StoreError::sqlite("drafts"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("drafts"))
    }

    pub fn draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, operator, kind, updated_at, body FROM drafts WHERE id = ?1",
                [id],
                draft_from_row,
            )
            .optional()
            .map_err(StoreError::sqlite("drafts"))
    }

    /// Deletes every operator's drafts of `kind` last saved before `before`: those kept only
    /// for a while, like a discarded call for the rest of its day. Says how many went.
    pub fn purge_drafts(
        &mut self,
        kind: &str,
        before: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, StoreError> {
        let _hold = self.hold()?;
        self.conn
            .execute(
                "DELETE FROM drafts WHERE kind = ?1 AND updated_at < ?2",
                params![kind, timestamp(before)],
            )
            .map_err(StoreError::sqlite("purge drafts"))
    }

    pub fn delete_draft(&mut self, id: &str) -> Result<(), StoreError> {
        let _hold = self.hold()?;
        self.conn
            .execute("DELETE FROM drafts WHERE id = ?1", [id])
            .map_err(StoreError::sqlite("delete draft"))?;
        Ok(())
    }
}
