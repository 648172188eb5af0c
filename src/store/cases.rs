//! Cases and the people in them.

use rusqlite::{OptionalExtension, Row, Transaction};
use uuid::Uuid;

use super::rows::{RecordRow, Write};
use super::{Store, StoreError, parse_timestamp};
use crate::model::{Case, Person, RecordMeta};

pub(super) fn meta_from_row(row: &Row<'_>) -> rusqlite::Result<RecordMeta> {
    let id: String = row.get(0)?;
    Ok(RecordMeta {
        id: Uuid::parse_str(&id).unwrap_or_default(),
        office_id: row.get(1)?,
        author: row.get(2)?,
        created_at: parse_timestamp(&row.get::<_, String>(3)?).unwrap_or_default(),
        updated_at: parse_timestamp(&row.get::<_, String>(4)?).unwrap_or_default(),
        version: row.get(5)?,
    })
}

impl Store {
    pub fn case(&self, id: Uuid) -> Result<Case, StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, office_id, author, created_at, updated_at, version, body
                 FROM cases WHERE id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([id.to_string()], |row| {
                    Ok((meta_from_row(row)?, row.get::<_, String>(6)?))
                })
            })
            .optional()
            .map_err(StoreError::sqlite("read case"))?;
        let (meta, body) = found.ok_or_else(|| StoreError::NotFound {
            kind: "case",
            id: id.to_string(),
        })?;
        let fields = serde_json::from_str(&body)
            .map_err(|e| StoreError::Damaged(format!("case {id} cannot be read: {e}")))?;
        Ok(Case { meta, fields })
    }

    /// Cases, newest first; only those still being worked on (active or in follow-up) when
    /// `open_only`.
    pub fn list_cases(&self, open_only: bool, limit: u32) -> Result<Vec<Case>, StoreError> {
        let condition = if open_only {
            " WHERE status IN ('ACTIVE', 'FOLLOW_UP')"
        } else {
            ""
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, office_id, author, created_at, updated_at, version, body
                 FROM cases{condition} ORDER BY created_at DESC LIMIT ?1"
            ))
            .map_err(StoreError::sqlite("list cases"))?;
        let rows = stmt
            .query_map([limit], |row| {
                Ok((meta_from_row(row)?, row.get::<_, String>(6)?))
            })
            .map_err(StoreError::sqlite("list cases"))?;
        let mut cases = Vec::new();
        for row in rows {
            let (meta, body) = row.map_err(StoreError::sqlite("list cases"))?;
            let fields = serde_json::from_str(&body).map_err(|e| {
                StoreError::Damaged(format!("case {} cannot be read: {e}", meta.id))
            })?;
            cases.push(Case { meta, fields });
        }
        Ok(cases)
    }

    /// Cases still being worked on (active or in follow-up).
    pub fn open_case_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM cases WHERE status IN ('ACTIVE', 'FOLLOW_UP')",
                [],
                |row| row.get(0),
            )
            .map_err(StoreError::sqlite("count cases"))?;
        Ok(count.unsigned_abs())
    }

    /// One person, by id.
    pub fn person(&self, id: Uuid) -> Result<Person, StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, office_id, author, created_at, updated_at, version, body, case_id
                 FROM people WHERE id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([id.to_string()], |row| {
                    Ok((
                        meta_from_row(row)?,
                        row.get::<_, String>(6)?,
                        row.get::<_, String>(7)?,
                    ))
                })
            })
            .optional()
            .map_err(StoreError::sqlite("read person"))?;
        let (meta, body, case_id) = found.ok_or_else(|| StoreError::NotFound {
            kind: "person",
            id: id.to_string(),
        })?;
        let fields = serde_json::from_str(&body)
            .map_err(|e| StoreError::Damaged(format!("person {id} cannot be read: {e}")))?;
        let case_id = Uuid::parse_str(&case_id)
            .map_err(|_| StoreError::Damaged(format!("person {id} has a bad case id")))?;
        Ok(Person {
            meta,
            case_id,
            fields,
        })
    }

    /// The people recorded in a case, in the order they were added.
    pub fn people(&self, case_id: Uuid) -> Result<Vec<Person>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, office_id, author, created_at, updated_at, version, body
                 FROM people WHERE case_id = ?1 ORDER BY created_at, id",
            )
            .map_err(StoreError::sqlite("read people"))?;
        let rows = stmt
            .query_map([case_id.to_string()], |row| {
                Ok((meta_from_row(row)?, row.get::<_, String>(6)?))
            })
            .map_err(StoreError::sqlite("read people"))?;
        let mut people = Vec::new();
        for row in rows {
            let (meta, body) = row.map_err(StoreError::sqlite("read people"))?;
            let fields = serde_json::from_str(&body).map_err(|e| {
                StoreError::Damaged(format!("person {} cannot be read: {e}", meta.id))
            })?;
            people.push(Person {
                meta,
                case_id,
                fields,
            });
        }
        Ok(people)
    }
}

pub(super) fn write_person(
    tx: &Transaction<'_>,
    person: &Person,
    how: Write,
) -> Result<(), StoreError> {
    RecordRow {
        table: "people",
        kind: "person",
        meta: &person.meta,
        columns: &[("case_id", &person.case_id.to_string())],
        fields: &person.fields,
    }
    .write(tx, how)
}

pub(super) fn write_case(tx: &Transaction<'_>, case: &Case, how: Write) -> Result<(), StoreError> {
    RecordRow {
        table: "cases",
        kind: "case",
        meta: &case.meta,
        columns: &[("status", &case.fields.status)],
        fields: &case.fields,
    }
    .write(tx, how)
}
