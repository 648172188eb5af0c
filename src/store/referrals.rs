//! Referrals and their status history.

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter, types::Value};
use uuid::Uuid;

use super::rows::{RecordRow, Write};
use super::{Store, StoreError, parse_timestamp, timestamp};
use crate::model::{RecordMeta, Referral, ReferralFields, StatusChange, followup};

/// Which referrals to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralFilter {
    /// Only open referrals whose follow-up date is at or before this instant.
    pub due_by: Option<DateTime<Utc>>,
    /// With `due_by`: the referrals of U1 and U2 calls due at or after this instant (the start
    /// of the office's day) come first, so today's emergencies never sit under old overdue ones.
    pub urgent_from: Option<DateTime<Utc>>,
    pub call_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
}

impl ReferralFilter {
    /// The open referrals to follow up at `now`: due by `due_by`, the referrals of today's
    /// urgent calls first, then the oldest due.
    pub fn follow_up(due_by: DateTime<Utc>, now: DateTime<Utc>, zone: FixedOffset) -> Self {
        ReferralFilter {
            due_by: Some(due_by),
            urgent_from: Some(followup::start_of_local_day(now, zone)),
            ..ReferralFilter::default()
        }
    }
}

pub(super) const COLUMNS: &str = "id, office_id, author, created_at, updated_at, version, body";

pub(super) fn meta_and_body(row: &Row<'_>) -> rusqlite::Result<(String, RecordMeta, String)> {
    let id: String = row.get(0)?;
    let meta = RecordMeta {
        id: Uuid::parse_str(&id).unwrap_or_default(),
        office_id: row.get(1)?,
        author: row.get(2)?,
        created_at: parse_timestamp(&row.get::<_, String>(3)?).unwrap_or_default(),
        updated_at: parse_timestamp(&row.get::<_, String>(4)?).unwrap_or_default(),
        version: row.get(5)?,
    };
    Ok((id, meta, row.get(6)?))
}

impl Store {
    pub fn referral(&self, id: Uuid) -> Result<Referral, StoreError> {
        let found = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM referrals WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.to_string()], meta_and_body))
            .optional()
            .map_err(StoreError::sqlite("read referral"))?;
        let (id, meta, body) = found.ok_or_else(|| StoreError::NotFound {
            kind: "referral",
            id: id.to_string(),
        })?;
        self.build_referral(&id, meta, &body)
    }

    /// Referrals matching `filter`: due ones by follow-up date, others newest first.
    pub fn list_referrals(
        &self,
        filter: &ReferralFilter,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(due_by) = filter.due_by {
            conditions.push("is_open = 1 AND due_at <= ?".to_owned());
            values.push(Value::Text(timestamp(due_by)));
        }
        if let Some(call_id) = filter.call_id {
            conditions.push("call_id = ?".to_owned());
            values.push(Value::Text(call_id.to_string()));
        }
        if let Some(case_id) = filter.case_id {
            conditions.push("case_id = ?".to_owned());
            values.push(Value::Text(case_id.to_string()));
        }
        let Some(_) = filter.due_by else {
            return self.referrals_where(&conditions, values, "created_at DESC, id DESC", limit);
        };
        // Due ones in the order of the index of open referrals by date (rowid breaks ties),
        // so a page stops after its rows instead of sorting every overdue one.
        const BY_DUE: &str = "due_at, rowid";
        let Some(from) = filter.urgent_from else {
            return self.referrals_where(&conditions, values, BY_DUE, limit);
        };
        // Today's urgent ones first: a lookup by the call's key for each referral due
        // today, never a scan of the calls (an IN list of every urgent call is a million
        // rows' read); then the others, each read once.
        let urgent = format!(
            "(due_at >= ? AND EXISTS (SELECT 1 FROM calls WHERE calls.id = referrals.call_id \
             AND calls.urgency IN ({})))",
            vec!["?"; followup::URGENT_FIRST.len()].join(", ")
        );
        let mut urgent_values = vec![Value::Text(timestamp(from))];
        urgent_values.extend(
            followup::URGENT_FIRST
                .iter()
                .map(|u| Value::Text((*u).to_owned())),
        );
        let read = |condition: String| {
            let mut all = conditions.clone();
            all.push(condition);
            let mut bound = values.clone();
            bound.extend(urgent_values.iter().cloned());
            (all, bound)
        };
        let (first_conditions, first_values) = read(urgent.clone());
        let mut referrals = self.referrals_where(&first_conditions, first_values, BY_DUE, limit)?;
        let left = limit.saturating_sub(referrals.len() as u32);
        if left > 0 {
            let (rest_conditions, rest_values) = read(format!("NOT {urgent}"));
            referrals.extend(self.referrals_where(&rest_conditions, rest_values, BY_DUE, left)?);
        }
        Ok(referrals)
    }

    /// The referrals meeting every condition, in `order`, at most `limit`.
    fn referrals_where(
        &self,
        conditions: &[String],
        mut values: Vec<Value>,
        order: &str,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM referrals");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY {order} LIMIT ?"));
        values.push(Value::Integer(i64::from(limit)));
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::sqlite("list referrals"))?;
        let rows = stmt
            .query_map(params_from_iter(values), meta_and_body)
            .map_err(StoreError::sqlite("list referrals"))?;
        let mut referrals = Vec::new();
        for row in rows {
            let (id, meta, body) = row.map_err(StoreError::sqlite("list referrals"))?;
            referrals.push(self.build_referral(&id, meta, &body)?);
        }
        Ok(referrals)
    }

    /// How many open referrals are due for follow-up at or before `by`.
    pub fn count_referrals_due(&self, by: DateTime<Utc>) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM referrals WHERE is_open = 1 AND due_at <= ?1",
                [timestamp(by)],
                |row| row.get(0),
            )
            .map_err(StoreError::sqlite("count referrals"))?;
        Ok(count.unsigned_abs())
    }

    pub(super) fn build_referral(
        &self,
        id: &str,
        meta: RecordMeta,
        body: &str,
    ) -> Result<Referral, StoreError> {
        let fields: ReferralFields = serde_json::from_str(body)
            .map_err(|e| StoreError::Damaged(format!("referral {id} cannot be read: {e}")))?;
        let mut stmt = self
            .conn
            // Sorted here, not by SQL: a handful of rows, and with ORDER BY SQLite took
            // 50 µs a referral instead of 1.5 (a fifth of exporting a million records).
            .prepare_cached(
                "SELECT seq, status, at, author, note FROM referral_status WHERE referral_id = ?1",
            )
            .map_err(StoreError::sqlite("referral history"))?;
        let rows = stmt
            .query_map([id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .map_err(StoreError::sqlite("referral history"))?;
        let mut changes = rows
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::sqlite("referral history"))?;
        changes.sort_by_key(|(seq, ..)| *seq);
        let mut history = Vec::with_capacity(changes.len());
        for (_, status, at, author, note) in changes {
            history.push(StatusChange {
                status,
                at: parse_timestamp(&at)?,
                author,
                note,
            });
        }
        Ok(Referral {
            meta,
            fields,
            history,
        })
    }
}

pub(super) fn write_referral(
    tx: &Transaction<'_>,
    referral: &Referral,
    how: Write,
) -> Result<(), StoreError> {
    let mut fields = referral.fields.clone();
    // The status lives in the history; the body keeps the first one only as given.
    fields.status = referral.history.first().map(|c| c.status.clone());
    let call_id = fields.call_id.map(|id| id.to_string());
    let case_id = fields.case_id.map(|id| id.to_string());
    let due_at = fields.due_at.map(timestamp);
    RecordRow {
        table: "referrals",
        kind: "referral",
        meta: &referral.meta,
        columns: &[
            ("call_id", &call_id),
            ("case_id", &case_id),
            ("status", &referral.status()),
            ("is_open", &referral.is_open()),
            ("due_at", &due_at),
        ],
        fields: &fields,
    }
    .write(tx, how)
}

pub(super) fn write_status(
    tx: &Transaction<'_>,
    referral_id: Uuid,
    seq: i64,
    change: &StatusChange,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO referral_status (referral_id, seq, status, at, author, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            referral_id.to_string(),
            seq,
            change.status,
            timestamp(change.at),
            change.author,
            change.note
        ])
    })
    .map_err(StoreError::sqlite("save referral status"))?;
    Ok(())
}
