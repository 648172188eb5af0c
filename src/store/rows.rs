//! Writing a record's row. Every record table has the same meta columns, a few columns of
//! its own that queries and indexes need, and the record's fields as a JSON body; writing
//! them in one place keeps the kinds alike and every write in the change log.

use rusqlite::{ToSql, Transaction, params_from_iter};
use serde::Serialize;

use super::{StoreError, changes, timestamp};
use crate::model::RecordMeta;

/// The columns every record table starts with, in this order.
const META_COLUMNS: [&str; 6] = [
    "id",
    "office_id",
    "author",
    "created_at",
    "updated_at",
    "version",
];

/// How a record's row is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Write {
    /// A record made here: inserted, and logged for the next batch.
    New,
    /// A record changed here: its row replaced, and logged for the next batch.
    Changed,
    /// A record central imports from an office: inserted or replaced, never logged (the
    /// change log feeds an office's batches; central sends none).
    Imported { new: bool },
}

/// One record's row in its table.
pub(super) struct RecordRow<'a, F: Serialize> {
    pub table: &'static str,
    /// The kind the change log and error messages name: call, case, person, referral.
    pub kind: &'static str,
    pub meta: &'a RecordMeta,
    /// The table's own columns, kept beside the body for queries and indexes.
    pub columns: &'a [(&'static str, &'a dyn ToSql)],
    pub fields: &'a F,
}

impl<F: Serialize> RecordRow<'_, F> {
    /// Inserts the row or replaces the one with its id, logging the change as `how` says.
    pub fn write(&self, tx: &Transaction<'_>, how: Write) -> Result<(), StoreError> {
        let new = matches!(how, Write::New | Write::Imported { new: true });
        let body = serde_json::to_string(self.fields)
            .map_err(|e| StoreError::Damaged(format!("{} cannot be written: {e}", self.kind)))?;
        let meta = self.meta;
        let id = meta.id.to_string();
        let created_at = timestamp(meta.created_at);
        let updated_at = timestamp(meta.updated_at);
        let mut values: Vec<&dyn ToSql> = vec![
            &id,
            &meta.office_id,
            &meta.author,
            &created_at,
            &updated_at,
            &meta.version,
        ];
        values.extend(self.columns.iter().map(|(_, value)| *value));
        values.push(&body);
        let names: Vec<&str> = META_COLUMNS
            .into_iter()
            .chain(self.columns.iter().map(|(name, _)| *name))
            .chain(["body"])
            .collect();
        let sql = if new {
            let slots: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                self.table,
                names.join(", "),
                slots.join(", ")
            )
        } else {
            // `id` is ?1, the key of the row replaced.
            let sets: Vec<String> = names
                .iter()
                .enumerate()
                .skip(1)
                .map(|(n, name)| format!("{name} = ?{}", n + 1))
                .collect();
            format!(
                "UPDATE {} SET {} WHERE id = ?1",
                self.table,
                sets.join(", ")
            )
        };
        tx.prepare_cached(&sql)
            .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
            .map_err(StoreError::sqlite("saving a record"))?;
        match how {
            Write::Imported { .. } => Ok(()),
            Write::New | Write::Changed => changes::record(tx, self.kind, meta.id, meta.version),
        }
    }
}
