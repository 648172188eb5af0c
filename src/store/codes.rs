//! The code-list extensions in force (schema version 5): at an office, those of the
//! reference pack it applied last; at central, those of the pack it built last. The store
//! loads them when it is opened and checks every record against them with the built-in
//! lists, so the desk, `linea … add` and central's import accept the same codes. The store
//! does not read packs: whoever applies or builds one hands its extensions over here.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{Store, StoreError, StoreKind, audit};
use crate::model::{CodeExtensions, Extension, Record, ValidationError, validate};

/// The extensions kept in the store, as they are, active and retired.
fn rows(conn: &Connection) -> Result<Vec<Extension>, StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT list, code, es, en, fr, active FROM code_extensions
             ORDER BY position, list, code",
        )
        .map_err(StoreError::sqlite("code extensions"))?;
    let rows = stmt
        .query_map([], |row| {
            Ok(Extension {
                list: row.get(0)?,
                code: row.get(1)?,
                es: row.get(2)?,
                en: row.get(3)?,
                fr: row.get(4)?,
                active: row.get::<_, i64>(5)? != 0,
            })
        })
        .map_err(StoreError::sqlite("code extensions"))?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::sqlite("code extensions"))
}

/// The extensions in force for a store of `kind`. Central accepts every code it ever
/// published (see [`CodeExtensions::all_active`]).
pub(super) fn load(conn: &Connection, kind: StoreKind) -> Result<CodeExtensions, StoreError> {
    // Rows a newer linea would refuse (a list closed since, a code now built in) are left
    // out by `CodeExtensions::new`: the built-in lists always win.
    let extensions = CodeExtensions::new(rows(conn)?);
    Ok(match kind {
        StoreKind::Office => extensions,
        StoreKind::Central => extensions.all_active(),
    })
}

impl Store {
    /// The extensions in force, for pick lists and labels. Shared: a screen keeps the ones
    /// it was drawn with until the next sync brings others.
    pub fn code_extensions(&self) -> Arc<CodeExtensions> {
        Arc::clone(&self.codes)
    }

    /// Checks a record as central receives it, against the built-in lists and the
    /// extensions this store knows (see [`validate::record`]).
    pub fn check_record(&self, record: &Record, now: DateTime<Utc>) -> Result<(), ValidationError> {
        validate::record(record, &self.codes, now)
    }

    /// Puts in force the extensions of the pack just applied (office) or built (central):
    /// every one must keep the rules ([`Extension::check`]), or none is taken. Extensions of
    /// an earlier pack that this one leaves out are retired, never deleted: codes are never
    /// reused, and records keep their labels. Returns whether anything changed.
    pub fn set_code_extensions(&mut self, extensions: &[Extension]) -> Result<bool, StoreError> {
        let mut added = Vec::with_capacity(extensions.len());
        let mut seen = HashSet::new();
        for (index, extension) in extensions.iter().enumerate() {
            let refused = |reason: String| {
                StoreError::Config(format!(
                    "code-list extension {}: {reason}; nothing was changed",
                    index + 1
                ))
            };
            match extension.check() {
                Ok(true) => added.push(extension),
                // A built-in code repeated with its own labels adds nothing.
                Ok(false) => {}
                Err(reason) => return Err(refused(reason)),
            }
            if !seen.insert((&extension.list, &extension.code)) {
                return Err(refused(format!(
                    "{} {} is given twice",
                    extension.list, extension.code
                )));
            }
        }
        let operator = self.operator.clone();
        let kind = self.kind;
        let tx = self.tx()?;
        let before = rows(&tx)?;
        tx.execute("UPDATE code_extensions SET active = 0", [])
            .map_err(StoreError::sqlite("code extensions"))?;
        for (position, extension) in added.iter().enumerate() {
            tx.execute(
                "INSERT INTO code_extensions (list, code, es, en, fr, active, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
                 ON CONFLICT (list, code) DO UPDATE SET
                     es = excluded.es, en = excluded.en, fr = excluded.fr,
                     active = 1, position = excluded.position",
                params![
                    extension.list,
                    extension.code,
                    extension.es.trim(),
                    extension.en.trim(),
                    extension.fr.trim(),
                    position as i64
                ],
            )
            .map_err(StoreError::sqlite("code extensions"))?;
        }
        let after = rows(&tx)?;
        if after == before {
            // The same pack again: nothing to write, nothing to audit.
            return Ok(false);
        }
        let retired = after.iter().filter(|e| !e.active).count();
        let in_force = load(&tx, kind)?;
        audit::append(
            &tx,
            &operator,
            "codes.extensions",
            &format!("{} in force, {retired} retired", added.len()),
        )?;
        tx.commit().map_err(StoreError::sqlite("code extensions"))?;
        self.codes = Arc::new(in_force);
        Ok(true)
    }
}
