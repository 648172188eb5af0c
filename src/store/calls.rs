//! Calls: adding (one or many in one transaction), reading, changing, and listing by pages.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter, types::Value};
use uuid::Uuid;

use super::figures::{self, Tally};
use super::rows::{RecordRow, Write};
use super::{Store, StoreError, parse_timestamp, timestamp};
use crate::model::phone::normalise;
use crate::model::text::fold;
use crate::model::{Call, CallFields, RecordMeta};

/// Which calls to list. Every filter is optional; they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// Started at or after.
    pub from: Option<DateTime<Utc>>,
    /// Started before.
    pub to: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub urgency: Option<String>,
    /// A ubigeo prefix: "17" for Madre de Dios, "1701" for its province Tambopata.
    pub place: Option<String>,
    pub case_id: Option<Uuid>,
    /// The caller's phone, typed any way: "+51 987 654 321" finds "0987-654-321".
    pub phone: Option<String>,
}

/// One page of calls, newest first, and where the next page starts.
#[derive(Debug, Clone, PartialEq)]
pub struct CallPage {
    pub calls: Vec<Call>,
    /// Pass back as `after` for the next page; `None` on the last page.
    pub next: Option<CallCursor>,
}

/// A position in the list: the last call of a page (keyset paging, never OFFSET).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallCursor {
    started_at: String,
    id: String,
}

const CALL_COLUMNS: &str =
    "id, office_id, author, created_at, updated_at, version, started_at, body";

pub(super) fn call_from_row(row: &Row<'_>) -> rusqlite::Result<(RecordMeta, String, String)> {
    Ok((call_meta(row)?, row.get(6)?, row.get(7)?))
}

/// A call's metadata from the first columns of [`CALL_COLUMNS`]; the id and timestamps are
/// read where SQLite holds them, not copied first (an export reads every call).
pub(super) fn call_meta(row: &Row<'_>) -> rusqlite::Result<RecordMeta> {
    Ok(RecordMeta {
        id: Uuid::parse_str(text(row, 0)?).unwrap_or_default(),
        office_id: row.get(1)?,
        author: row.get(2)?,
        created_at: parse_or_epoch(text(row, 3)?),
        updated_at: parse_or_epoch(text(row, 4)?),
        version: row.get(5)?,
    })
}

/// A text column, borrowed from the row.
fn text<'r>(row: &'r Row<'_>, column: usize) -> rusqlite::Result<&'r str> {
    let value = row.get_ref(column)?;
    value
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, value.data_type(), e.into()))
}

fn parse_or_epoch(text: &str) -> DateTime<Utc> {
    parse_timestamp(text).unwrap_or_default()
}

pub(super) fn build_call(meta: RecordMeta, body: &str) -> Result<Call, StoreError> {
    let fields: CallFields = serde_json::from_str(body)
        .map_err(|e| StoreError::Damaged(format!("call {} cannot be read: {e}", meta.id)))?;
    Ok(Call::new(meta, fields))
}

impl Store {
    pub fn call(&self, id: Uuid) -> Result<Call, StoreError> {
        let found = self
            .conn
            .prepare_cached(&format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.to_string()], call_from_row))
            .optional()
            .map_err(StoreError::sqlite("read call"))?;
        let (meta, _, body) = found.ok_or_else(|| StoreError::NotFound {
            kind: "call",
            id: id.to_string(),
        })?;
        build_call(meta, &body)
    }

    /// Calls matching `filter`, newest first, `limit` at a time.
    pub fn list_calls(
        &self,
        filter: &CallFilter,
        after: Option<&CallCursor>,
        limit: u32,
    ) -> Result<CallPage, StoreError> {
        let (mut conditions, mut values) = filter_conditions(filter, "calls");
        if let Some(cursor) = after {
            conditions.push("(started_at, id) < (?, ?)".to_owned());
            values.push(Value::Text(cursor.started_at.clone()));
            values.push(Value::Text(cursor.id.clone()));
        }
        let mut sql = format!(
            "SELECT {CALL_COLUMNS} FROM calls{}",
            where_clause(&conditions)
        );
        sql.push_str(" ORDER BY started_at DESC, id DESC LIMIT ?");
        // One extra row tells whether there is a next page.
        values.push(Value::Integer(i64::from(limit) + 1));
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::sqlite("list calls"))?;
        let rows = stmt
            .query_map(params_from_iter(values), call_from_row)
            .map_err(StoreError::sqlite("list calls"))?;
        let mut calls = Vec::new();
        let mut last_key = None;
        for row in rows {
            let (meta, started_at, body) = row.map_err(StoreError::sqlite("list calls"))?;
            if calls.len() == limit as usize {
                let next = last_key.take();
                return Ok(CallPage { calls, next });
            }
            last_key = Some(CallCursor {
                started_at,
                id: meta.id.to_string(),
            });
            calls.push(build_call(meta, &body)?);
        }
        Ok(CallPage { calls, next: None })
    }

    /// Calls whose names or notes hold every word of `text` (accents and case ignored; the
    /// last word, the one being typed, also matches longer words it starts: "juar" finds
    /// "Juárez"), most recently logged first, combined with `filter`. `after` is the `next`
    /// of the previous page. Single letters are left out: they match nearly everything.
    /// Text that is a phone number, typed any way, finds the calls from that number, or
    /// the notes that hold it when no call came from it.
    pub fn search_calls(
        &self,
        text: &str,
        filter: &CallFilter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<(Vec<Call>, Option<i64>), StoreError> {
        if is_phone_number(text) {
            let by_phone = CallFilter {
                phone: Some(text.to_owned()),
                ..filter.clone()
            };
            // The same choice for every page: whether the number called at all.
            if !self.search_with(None, &by_phone, None, 1)?.0.is_empty() {
                return self.search_with(None, &by_phone, after, limit);
            }
        }
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.chars().count() >= 2)
            .collect();
        let Some((last, before)) = words.split_last() else {
            return Ok((Vec::new(), None));
        };
        let mut terms: Vec<String> = before.iter().map(|word| whole(word)).collect();
        // FTS5 reads a prefix it has no index for by merging whole lists in memory: a minute
        // on a common word at a million calls. Short prefixes are indexed; a longer word is
        // taken whole, or, when it is still being typed and matches nothing whole, as the
        // words of the index that start with it.
        if last.chars().count() <= INDEXED_PREFIX {
            terms.push(format!("{}*", whole(last)));
        } else {
            terms.push(whole(last));
            if !self.search_matches(&terms.join(" AND "), filter)? {
                let longer = self.indexed_words_starting(last)?;
                if !longer.is_empty() {
                    terms.pop();
                    let alternatives: Vec<String> = longer.iter().map(|w| whole(w)).collect();
                    terms.push(format!("({})", alternatives.join(" OR ")));
                }
            }
        }
        self.search_with(Some(&terms.join(" AND ")), filter, after, limit)
    }

    /// Whether anything at all matches, whatever the page: the same query for every page.
    fn search_matches(&self, query: &str, filter: &CallFilter) -> Result<bool, StoreError> {
        Ok(!self.search_with(Some(query), filter, None, 1)?.0.is_empty())
    }

    /// The words of the search index that start with `start` (folded as the index folds
    /// them), a few dozen at most, read from its vocabulary.
    fn indexed_words_starting(&self, start: &str) -> Result<Vec<String>, StoreError> {
        let start = fold(start);
        self.conn
            .execute_batch(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.call_words
                 USING fts5vocab(main, call_search, row)",
            )
            .map_err(StoreError::sqlite("read the search words"))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT term FROM temp.call_words WHERE term >= ?1 AND term < ?2 LIMIT ?3",
            )
            .map_err(StoreError::sqlite("read the search words"))?;
        let words = stmt
            .query_map(
                params![start, format!("{start}{}", char::MAX), MAX_EXPANSION],
                |row| row.get::<_, String>(0),
            )
            .map_err(StoreError::sqlite("read the search words"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::sqlite("read the search words"))?;
        // Only words made of letters and digits can be quoted safely; the index holds no other.
        Ok(words
            .into_iter()
            .filter(|word| word.chars().all(char::is_alphanumeric))
            .collect())
    }

    /// Calls matching the full-text `query` (all calls without one) and `filter`, most
    /// recently logged first, from the rowid `after`.
    fn search_with(
        &self,
        query: Option<&str>,
        filter: &CallFilter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<(Vec<Call>, Option<i64>), StoreError> {
        let (mut conditions, mut values) = filter_conditions(filter, "c");
        let columns = CALL_COLUMNS
            .split(", ")
            .map(|column| format!("c.{column}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut params: Vec<Value> = Vec::new();
        // The index's own rowid, so that full-text search reads it in order and stops at a page.
        let (mut sql, rowid) = match query {
            Some(query) => {
                conditions.insert(0, "call_search MATCH ?".to_owned());
                params.push(Value::Text(query.to_owned()));
                (
                    format!(
                        "SELECT s.rowid, {columns} FROM call_search s JOIN calls c ON c.rowid = s.rowid"
                    ),
                    "s.rowid",
                )
            }
            None => (format!("SELECT c.rowid, {columns} FROM calls c"), "c.rowid"),
        };
        params.append(&mut values);
        if let Some(after) = after {
            conditions.push(format!("{rowid} < ?"));
            params.push(Value::Integer(after));
        }
        sql.push_str(&where_clause(&conditions));
        sql.push_str(&format!(" ORDER BY {rowid} DESC LIMIT ?"));
        params.push(Value::Integer(i64::from(limit) + 1));
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::sqlite("search"))?;
        let rows = stmt
            .query_map(params_from_iter(params), |row| {
                let rowid: i64 = row.get(0)?;
                let id: String = row.get(1)?;
                let meta = RecordMeta {
                    id: Uuid::parse_str(&id).unwrap_or_default(),
                    office_id: row.get(2)?,
                    author: row.get(3)?,
                    created_at: parse_or_epoch(&row.get::<_, String>(4)?),
                    updated_at: parse_or_epoch(&row.get::<_, String>(5)?),
                    version: row.get(6)?,
                };
                Ok((rowid, meta, row.get::<_, String>(8)?))
            })
            .map_err(StoreError::sqlite("search"))?;
        let mut calls = Vec::new();
        let mut last = None;
        for row in rows {
            let (rowid, meta, body) = row.map_err(StoreError::sqlite("search"))?;
            if calls.len() == limit as usize {
                return Ok((calls, last));
            }
            last = Some(rowid);
            calls.push(build_call(meta, &body)?);
        }
        Ok((calls, None))
    }

    /// How many calls match `filter`.
    pub fn count_calls(&self, filter: &CallFilter) -> Result<u64, StoreError> {
        let (conditions, values) = filter_conditions(filter, "calls");
        let sql = format!("SELECT count(*) FROM calls{}", where_clause(&conditions));
        let count: i64 = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_row(params_from_iter(values), |row| row.get(0)))
            .map_err(StoreError::sqlite("count calls"))?;
        Ok(count.unsigned_abs())
    }

    /// How many calls the store holds.
    pub fn call_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM calls", [], |row| row.get(0))
            .map_err(StoreError::sqlite("count calls"))?;
        Ok(count.unsigned_abs())
    }
}

/// SQL conditions for `filter` on the calls table, named `table` in the query.
fn filter_conditions(filter: &CallFilter, table: &str) -> (Vec<String>, Vec<Value>) {
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(from) = filter.from {
        conditions.push(format!("{table}.started_at >= ?"));
        values.push(Value::Text(timestamp(from)));
    }
    if let Some(to) = filter.to {
        conditions.push(format!("{table}.started_at < ?"));
        values.push(Value::Text(timestamp(to)));
    }
    if let Some(reason) = &filter.reason {
        conditions.push(format!("{table}.reason = ?"));
        values.push(Value::Text(reason.clone()));
    }
    if let Some(urgency) = &filter.urgency {
        conditions.push(format!("{table}.urgency = ?"));
        values.push(Value::Text(urgency.clone()));
    }
    if let Some(place) = &filter.place {
        conditions.push(format!("substr({table}.place, 1, length(?)) = ?"));
        values.push(Value::Text(place.clone()));
        values.push(Value::Text(place.clone()));
    }
    if let Some(case_id) = filter.case_id {
        conditions.push(format!("{table}.case_id = ?"));
        values.push(Value::Text(case_id.to_string()));
    }
    if let Some(phone) = &filter.phone {
        // Text without a digit is no number: it matches no call (NULL equals nothing).
        conditions.push(format!("{table}.phone = ?"));
        values.push(normalise(phone).map_or(Value::Null, Value::Text));
    }
    (conditions, values)
}

/// Whether search text may be a phone number: digits, with only what people type between
/// them. A year or a count in the notes ("2025") is one too, found in the notes when no
/// call came from such a number.
fn is_phone_number(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()*#".contains(c))
}

/// The longest prefix the search index keeps lists for (schema V2: 2, 3 and 4 letters).
const INDEXED_PREFIX: usize = 4;

/// How many words a partly typed long word may stand for.
const MAX_EXPANSION: u32 = 32;

/// A word as an FTS5 phrase: quoted, so no word is read as an operator. Words hold only
/// letters and digits.
fn whole(word: &str) -> String {
    format!("\"{word}\"")
}

fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// Writes calls that already carry their metadata, in one transaction, on any connection
/// with the store's schema. Benchmarks use it to compare SQLCipher with plain SQLite on
/// exactly the statements the store runs.
pub fn write_calls(conn: &mut rusqlite::Connection, calls: &[Call]) -> Result<(), StoreError> {
    let tx = conn
        .transaction()
        .map_err(StoreError::sqlite("save calls"))?;
    let mut tally = Tally::new(figures::zone(&tx)?);
    for call in calls {
        write_call(&tx, call, Write::New)?;
        tally.call(call);
    }
    tally.write(&tx)?;
    tx.commit().map_err(StoreError::sqlite("save calls"))
}

pub(super) fn write_call(tx: &Transaction<'_>, call: &Call, how: Write) -> Result<(), StoreError> {
    let fields = &call.fields;
    let started_at = timestamp(call.started_at());
    let place = fields.caller_place.as_ref().map(|p| p.as_str());
    let case_id = fields.case_id.map(|id| id.to_string());
    let phone = fields.caller_phone.as_deref().and_then(normalise);
    RecordRow {
        table: "calls",
        kind: "call",
        meta: &call.meta,
        columns: &[
            ("started_at", &started_at),
            ("reason", &fields.reason),
            ("urgency", &fields.urgency),
            ("place", &place),
            ("case_id", &case_id),
            ("phone", &phone),
        ],
        fields,
    }
    .write(tx, how)?;
    index_for_search(tx, call, how)
}

/// What the full-text index holds of a call: the caller's name and the notes.
fn search_text(call: &Call) -> String {
    format!(
        "{} {}",
        call.fields.caller_name.as_deref().unwrap_or(""),
        call.fields.notes
    )
}

/// Keeps the call's names and notes in the full-text index, under the call's rowid. New
/// calls central imports are queued and indexed a run at a time ([`SearchQueue`]).
fn index_for_search(tx: &Transaction<'_>, call: &Call, how: Write) -> Result<(), StoreError> {
    if how == (Write::Imported { new: true }) {
        return Ok(());
    }
    let rowid: i64 = tx
        .prepare_cached("SELECT rowid FROM calls WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([call.meta.id.to_string()], |row| row.get(0)))
        .map_err(StoreError::sqlite("search index"))?;
    let text = search_text(call);
    // A new call has nothing indexed yet.
    if how != Write::New {
        tx.prepare_cached("DELETE FROM call_search WHERE rowid = ?1")
            .and_then(|mut stmt| stmt.execute([rowid]))
            .map_err(StoreError::sqlite("search index"))?;
    }
    tx.prepare_cached("INSERT INTO call_search (rowid, text) VALUES (?1, ?2)")
        .and_then(|mut stmt| stmt.execute(params![rowid, text]))
        .map_err(StoreError::sqlite("search index"))?;
    Ok(())
}

/// The search text of calls central imported, written to the full-text index once per
/// batch ([`SearchQueue::flush`], before the import commits), in one statement. Not in runs:
/// a statement that writes many rows opens a statement savepoint, and FTS5 writes the terms
/// it holds in memory to disk at every savepoint, so each run became a segment of its own
/// that the index then merged again and again (a quarter of an import's time at 100,000
/// calls). The terms of a whole batch stay in memory up to the index's `hashsize` (schema
/// V7); the texts wait as the JSON array the statement reads (about 5 MiB for the largest
/// batch).
#[derive(Debug, Default)]
pub(super) struct SearchQueue {
    /// The rowid of the first call queued; the others follow it one by one.
    first: i64,
    queued: i64,
    /// The texts so far, as a JSON array without its closing bracket.
    texts: String,
}

impl SearchQueue {
    /// Queues the call just inserted as row `rowid`; writes the run first if the call does
    /// not follow it.
    pub fn push(
        &mut self,
        tx: &Transaction<'_>,
        rowid: i64,
        call: &Call,
    ) -> Result<(), StoreError> {
        if self.queued > 0 && rowid != self.first + self.queued {
            self.flush(tx)?;
        }
        if self.queued == 0 {
            self.first = rowid;
            self.texts.clear();
            self.texts.push('[');
        } else {
            self.texts.push(',');
        }
        let text = serde_json::to_string(&search_text(call))
            .map_err(|e| StoreError::Damaged(format!("search text: {e}")))?;
        self.texts.push_str(&text);
        self.queued += 1;
        Ok(())
    }

    /// Writes the queued texts, each under its call's rowid.
    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.queued == 0 {
            return Ok(());
        }
        self.texts.push(']');
        tx.prepare_cached(
            "INSERT INTO call_search (rowid, text) SELECT ?1 + key, value FROM json_each(?2)",
        )
        .and_then(|mut stmt| stmt.execute(params![self.first, self.texts]))
        .map_err(StoreError::sqlite("search index"))?;
        self.queued = 0;
        self.texts = String::new();
        Ok(())
    }
}
