//! The schema and its migrations. Each migration runs once, in its own transaction, and
//! `PRAGMA user_version` records how far a store has come.
//!
//! To change the schema, append a migration; never edit one that has shipped.

use rusqlite::Connection;

use super::{StoreError, figures};
use crate::model::phone::normalise;

/// Migration N (1-based) brings a store from version N-1 to N.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, CALLERS, V12, V13];

pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The version from which audit entries carry record hashes.
pub const RECORD_HASHES: u32 = 8;

const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Signing keys and central's import identity: only ever inside the encrypted store.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE operators (
    name      TEXT PRIMARY KEY,
    role      TEXT NOT NULL CHECK (role IN ('lead', 'operator')),
    recipient TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL
) STRICT;

-- Records keep their content as JSON in `body`; the columns beside it are for finding them.
CREATE TABLE cases (
    id         TEXT PRIMARY KEY,
    office_id  TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL,
    status     TEXT NOT NULL,
    body       TEXT NOT NULL
) STRICT;

CREATE TABLE calls (
    id         TEXT PRIMARY KEY,
    office_id  TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    reason     TEXT NOT NULL,
    urgency    TEXT NOT NULL,
    place      TEXT,
    case_id    TEXT REFERENCES cases (id),
    body       TEXT NOT NULL
) STRICT;
CREATE INDEX calls_by_start ON calls (started_at, id);
CREATE INDEX calls_by_case ON calls (case_id) WHERE case_id IS NOT NULL;

CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    office_id  TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    body       TEXT NOT NULL
) STRICT;
CREATE INDEX people_by_case ON people (case_id);

CREATE TABLE referrals (
    id         TEXT PRIMARY KEY,
    office_id  TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL,
    call_id    TEXT REFERENCES calls (id),
    case_id    TEXT REFERENCES cases (id),
    status     TEXT NOT NULL,
    is_open    INTEGER NOT NULL,
    due_at     TEXT,
    body       TEXT NOT NULL
) STRICT;
CREATE INDEX referrals_by_call ON referrals (call_id);
CREATE INDEX referrals_by_case ON referrals (case_id);
CREATE INDEX referrals_open_by_due ON referrals (due_at) WHERE is_open = 1;

CREATE TABLE referral_status (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    seq         INTEGER NOT NULL,
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    author      TEXT NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (referral_id, seq)
) STRICT;

-- Every new version of a record, in order: the exporter sends what follows its last batch.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version   INTEGER NOT NULL,
    at        TEXT NOT NULL
) STRICT;

-- Who did what, never the content; each entry hashes the one before.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

-- Forms in progress, saved as the operator types.
CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    operator   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body       TEXT NOT NULL
) STRICT;

-- Central only: the offices it enrolled, and the signing key each registered.
CREATE TABLE offices (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    enrolled_at   TEXT NOT NULL,
    enrolled_by   TEXT NOT NULL,
    public_key    TEXT,
    registered_at TEXT
) STRICT;
"#;

/// Version 2: full-text search over the names and notes of calls, ignoring case and accents,
/// and cases found by status (home counts the open ones at every unlock).
/// Its rows share the calls' rowids, which grow as calls are logged, so "newest first" is the
/// index's own order and a search stops as soon as it has a page.
const V2: &str = r#"
-- Prefix indexes for two to four letters: "qu", "qui", "quis" as typed read one list each,
-- instead of merging the lists of every word that starts so (a minute at a million calls).
CREATE VIRTUAL TABLE call_search USING fts5 (
    text,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO call_search (rowid, text)
    SELECT rowid,
           coalesce(json_extract(body, '$.caller_name'), '') || ' ' ||
           coalesce(json_extract(body, '$.notes'), '')
    FROM calls;
CREATE INDEX cases_by_status ON cases (status);
"#;

/// Version 3: the USB exchange. An office keeps every batch it made until central's receipt
/// covers it; central keeps what it imported, what conflicted, what alarmed it, and the
/// receipts, packs and outcomes it sends back.
const V3: &str = r#"
CREATE TABLE outbox (
    seq            INTEGER PRIMARY KEY,
    manifest_hash  TEXT NOT NULL,
    payload        BLOB NOT NULL,
    last_change    INTEGER NOT NULL,
    record_count   INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    acknowledged_at TEXT
) STRICT;

-- Files this store wrote on a stick, so a later sync can remove copies no longer needed.
CREATE TABLE stick_files (
    name       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    office_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    written_at TEXT NOT NULL
) STRICT;

-- Receipts and reference packs an office applied (their versions only grow).
CREATE TABLE inbox (
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (kind, version)
) STRICT;

CREATE TABLE batches (
    office_id     TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    manifest_hash TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    record_count  INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    PRIMARY KEY (office_id, seq)
) STRICT;

CREATE TABLE conflicts (
    id            INTEGER PRIMARY KEY,
    office_id     TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    stored_hash   TEXT NOT NULL,
    received_line TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    at            TEXT NOT NULL
) STRICT;

CREATE TABLE alerts (
    id        INTEGER PRIMARY KEY,
    office_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL,
    at        TEXT NOT NULL
) STRICT;

CREATE TABLE receipts_out (
    office_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
) STRICT;

CREATE TABLE packs (
    version  INTEGER PRIMARY KEY,
    built_at TEXT NOT NULL,
    body     TEXT NOT NULL
) STRICT;

CREATE TABLE outcomes (
    id          TEXT PRIMARY KEY,
    office_id   TEXT NOT NULL,
    referral_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL,
    at          TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;
CREATE INDEX outcomes_by_office ON outcomes (office_id);

ALTER TABLE offices ADD COLUMN recipient TEXT;
"#;

/// Version 4, central only: an alert is raised once per office, batch number, kind and
/// manifest (a refused file left on a stick comes back at every sync); office keys can be
/// revoked (revocation is of a key, so a new key registered later is not revoked); the
/// batches of a revoked installation are set aside when the office registers again (its new
/// store numbers from 1); conflicts are listed by office.
const V4: &str = r#"
ALTER TABLE alerts ADD COLUMN seq INTEGER;
ALTER TABLE alerts ADD COLUMN manifest_hash TEXT;
-- Alerts from before version 4 have no number or manifest: NULLs never collide.
CREATE UNIQUE INDEX alerts_once ON alerts (office_id, seq, kind, manifest_hash);

CREATE TABLE revoked_keys (
    office_id  TEXT NOT NULL,
    public_key TEXT NOT NULL,
    revoked_at TEXT NOT NULL,
    revoked_by TEXT NOT NULL,
    PRIMARY KEY (office_id, public_key)
) STRICT;

CREATE TABLE retired_batches (
    office_id     TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    manifest_hash TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    record_count  INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    retired_at    TEXT NOT NULL
) STRICT;

CREATE INDEX conflicts_by_office ON conflicts (office_id);
"#;

/// Version 5: the code-list extensions in force (an office's from the pack it applied, central's
/// from the pack it built), so the store checks records against them. Retired ones stay
/// (`active` 0): codes are never reused. A store that applied or built a pack before takes the
/// extensions of its newest one, as packs carried them then.
const V5: &str = r#"
CREATE TABLE code_extensions (
    list     TEXT NOT NULL,
    code     TEXT NOT NULL,
    es       TEXT NOT NULL,
    en       TEXT NOT NULL,
    fr       TEXT NOT NULL,
    active   INTEGER NOT NULL CHECK (active IN (0, 1)),
    -- The pack's order, for pick lists.
    position INTEGER NOT NULL,
    PRIMARY KEY (list, code)
) STRICT;

INSERT OR IGNORE INTO code_extensions (list, code, es, en, fr, active, position)
    SELECT CAST(coalesce(json_extract(value, '$.list'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.code'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.es'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.en'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.fr'), '') AS TEXT),
           1, key
    FROM json_each((SELECT body FROM inbox
                    WHERE kind = 'pack' AND json_valid(body)
                    ORDER BY version DESC LIMIT 1), '$.content.code_lists');

INSERT OR IGNORE INTO code_extensions (list, code, es, en, fr, active, position)
    SELECT CAST(coalesce(json_extract(value, '$.list'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.code'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.es'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.en'), '') AS TEXT),
           CAST(coalesce(json_extract(value, '$.fr'), '') AS TEXT),
           1, key
    FROM json_each((SELECT body FROM packs
                    WHERE json_valid(body)
                    ORDER BY version DESC LIMIT 1), '$.code_lists');
"#;

/// Version 6: the optional backup recipient (EXCHANGE.md, "Batch"): a second custodian's age
/// recipient that offices encrypt every batch to as well, so batches stay readable if central's
/// import identity is lost. Central's is the one its lead set, handed out in kits and packs; an
/// office's is the one its kit or its newest pack carried. One row at most: none is the default.
const V6: &str = r#"
CREATE TABLE backup_recipient (
    only      INTEGER PRIMARY KEY CHECK (only = 1),
    recipient TEXT NOT NULL,
    set_at    TEXT NOT NULL,
    -- Who or what set it: central's operator, or the office's kit or pack.
    source    TEXT NOT NULL
) STRICT;
"#;

/// Version 7: the search index keeps up to 16 MiB of new terms in memory before writing
/// them out (1 MiB by default). A batch of 17,000 calls at central, or a demo's fill, then
/// writes a few large segments instead of dozens of small ones merged again and again: a
/// third of importing a million calls went to those merges.
const V7: &str = r#"
INSERT INTO call_search (call_search, rank) VALUES ('hashsize', 16777216);
"#;

/// Version 8: an audit entry for a change to a record carries the record's content hash, so
/// `audit verify` names a record edited behind linea's back. Entries made before have none
/// (NULL), and hash as they always did.
const V8: &str = r#"
ALTER TABLE audit ADD COLUMN record_hash TEXT;
"#;

/// Version 9, central only: what each batch said of its office's audit chain (its head, and
/// the entry where the previous batch's head stood as the chain then read), kept with the
/// batch, so batches are set against each other in whatever order they arrive; an office
/// registered again starts afresh with its batches. The newest head kept before, one per
/// office key, goes: SQL cannot tell whether that key is the office's current one, so the
/// batches that come next start the comparison afresh.
const V9: &str = r#"
ALTER TABLE batches ADD COLUMN audit_entries INTEGER;
ALTER TABLE batches ADD COLUMN audit_hash TEXT;
ALTER TABLE batches ADD COLUMN audit_prev_entries INTEGER;
ALTER TABLE batches ADD COLUMN audit_prev_hash TEXT;
DELETE FROM meta WHERE key LIKE 'office\_audit\_head:%' ESCAPE '\';
"#;

/// Version 10: calls are found by the caller's phone, typed any way ("+51 987 654 321",
/// "0987654321"): each call keeps its number in `model::phone`'s form beside the body, and
/// [`PHONES`] fills it for the calls logged before.
const V10: &str = r#"
ALTER TABLE calls ADD COLUMN phone TEXT;
CREATE INDEX calls_by_phone ON calls (phone) WHERE phone IS NOT NULL;
"#;

/// Version 11: central links the calls from one number without the number (`store::callers`):
/// each (phone key, hash) it meets belongs to a caller, and so does each call with a number.
/// Empty in an office's store. (A migration of its own name, so that its number can change
/// when branches merge.)
const CALLERS: &str = r#"
CREATE TABLE phone_hashes (
    key_id TEXT NOT NULL,
    hash   TEXT NOT NULL,
    caller INTEGER NOT NULL,
    PRIMARY KEY (key_id, hash)
) STRICT, WITHOUT ROWID;
CREATE INDEX phone_hashes_by_caller ON phone_hashes (caller);
CREATE TABLE call_callers (
    call_id TEXT PRIMARY KEY,
    caller  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX call_callers_by_caller ON call_callers (caller);
"#;

/// The version from which calls carry their caller's phone normalised.
pub const PHONES: u32 = 10;

/// Version 12: the statistics' daily totals, kept by the paths that write calls and
/// referrals (see `figures`, which also counts the records already there). `day` is the
/// store's date, as SQLite's date() writes it; `figure` one of reason, urgency, place, type,
/// case (whose one key '' counts the calls that belong to a case). The office comes first in
/// the key: central holds the calls of every office, and reads one office's days as one
/// range.
const V12: &str = r#"
CREATE TABLE call_figures (
    office_id TEXT NOT NULL,
    day       TEXT NOT NULL,
    figure    TEXT NOT NULL,
    key       TEXT NOT NULL,
    calls     INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, figure, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE referral_figures (
    office_id TEXT NOT NULL,
    day       TEXT NOT NULL,
    target    TEXT NOT NULL,
    status    TEXT NOT NULL,
    referrals INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, target, status)
) STRICT, WITHOUT ROWID;

-- The funnel counts distinct cases, which no daily total can give: it reads the calls of
-- the period that belong to a case (a few in a hundred) through this index alone.
CREATE INDEX calls_with_case_by_start ON calls (started_at, case_id)
    WHERE case_id IS NOT NULL;
"#;

/// The version from which the statistics read daily totals.
pub const FIGURES: u32 = 12;

/// Version 13: the funnel from totals too. The `case` figure of `call_figures` counts each
/// case's calls of the day under the case's id (version 12 counted them all under ''), so
/// that a period's distinct cases are the keys its days hold; `case_funnel` keeps each
/// case's referrals and police investigations (see `figures`). The calls' index by start
/// with a case, which the funnel read until now, goes: [`figures::rebuild_cases`] reads it
/// one last time to count the calls already there.
const V13: &str = r#"
DELETE FROM call_figures WHERE figure = 'case';

CREATE TABLE case_funnel (
    case_id        TEXT PRIMARY KEY,
    referrals      INTEGER NOT NULL,
    investigations INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
"#;

/// The version from which the funnel reads per-case totals.
pub const CASE_FUNNEL: u32 = 13;

/// Gives every call logged before [`PHONES`] its normalised number, as saving it does now.
fn normalise_phones(tx: &Connection) -> Result<(), StoreError> {
    let numbers: Vec<(i64, String)> = tx
        .prepare(
            "SELECT rowid, json_extract(body, '$.caller_phone') FROM calls
             WHERE json_valid(body) AND json_type(body, '$.caller_phone') = 'text'",
        )
        .and_then(|mut stmt| {
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        })
        .map_err(StoreError::sqlite("migrate phones"))?;
    let mut update = tx
        .prepare("UPDATE calls SET phone = ?2 WHERE rowid = ?1")
        .map_err(StoreError::sqlite("migrate phones"))?;
    for (rowid, number) in numbers {
        update
            .execute(rusqlite::params![rowid, normalise(&number)])
            .map_err(StoreError::sqlite("migrate phones"))?;
    }
    Ok(())
}

/// The schema version a store is at.
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(StoreError::sqlite("user_version"))
}

/// Brings a store up to [`LATEST`]; refuses one made by a newer linea.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, LATEST)
}

/// The version a store is at, refusing one made by a newer linea.
pub fn known_version(conn: &Connection) -> Result<u32, StoreError> {
    let current = version(conn)?;
    if current > LATEST {
        return Err(StoreError::Config(format!(
            "this store has schema version {current}, newer than this linea knows ({LATEST}); install a newer linea"
        )));
    }
    Ok(current)
}

/// Runs the migrations up to `target`: tests use it to build a store at an older version.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let current = known_version(conn)?;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(current as usize)
        .take(target.saturating_sub(current) as usize)
    {
        let next = index as u32 + 1;
        let tx = conn.transaction().map_err(StoreError::sqlite("migrate"))?;
        // Another linea opening the store at the same moment may have run it already.
        if version(&tx)? >= next {
            continue;
        }
        tx.execute_batch(sql)
            .map_err(StoreError::sqlite("migrate"))?;
        if next == PHONES {
            normalise_phones(&tx)?;
        }
        if next == FIGURES {
            figures::rebuild(&tx)?;
        }
        if next == CASE_FUNNEL {
            figures::rebuild_cases(&tx)?;
            tx.execute_batch("DROP INDEX calls_with_case_by_start")
                .map_err(StoreError::sqlite("migrate"))?;
        }
        tx.pragma_update(None, "user_version", next)
            .map_err(StoreError::sqlite("migrate"))?;
        tx.commit().map_err(StoreError::sqlite("migrate"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn migrations_run_on_an_empty_store_and_only_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(version(&conn).unwrap(), 0);
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        for table in [
            "audit",
            "calls",
            "changes",
            "drafts",
            "referrals",
            "operators",
        ] {
            assert!(tables(&conn).contains(&table.to_string()), "{table}");
        }
        // A second run finds nothing to do.
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
    }

    /// The pattern for every later schema version: build a store at each older version with
    /// records in it, migrate it, and check the records are still there and readable.
    #[test]
    fn every_older_version_upgrades_with_its_records() {
        for start in 1..=LATEST {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, start).unwrap();
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('office_id', 'pe-cusco')",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO calls (id, office_id, author, created_at, updated_at, version,
                                    started_at, reason, urgency, body)
                 VALUES ('c1', 'pe-cusco', 'ana', 't', 't', 1, 't', 'TIP', 'U4_ROUTINE',
                         '{\"caller_name\":\"Rosa Juárez\",\"notes\":\"en Mazuko\"}')",
                [],
            )
            .unwrap();
            migrate(&mut conn).unwrap();
            assert_eq!(version(&conn).unwrap(), LATEST);
            let office: String = conn
                .query_row("SELECT value FROM meta WHERE key = 'office_id'", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(office, "pe-cusco");
            // Version 2: calls made before it are found by search (a store made at
            // version 2 indexes them as they are saved, through the store, not by raw SQL).
            if start >= 2 {
                continue;
            }
            let found: i64 = conn
                .query_row(
                    "SELECT count(*) FROM call_search WHERE call_search MATCH 'juarez'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(found, 1, "from version {start}");
        }
    }

    /// Version 5: a store that applied (office) or built (central) a pack before keeps its
    /// code-list extensions; a body that is not JSON does not stop the upgrade.
    #[test]
    fn version_5_takes_the_extensions_of_the_newest_pack() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 4).unwrap();
        let rondas = r#"{"list":"referral_target_type","code":"RONDAS","es":"Rondas campesinas","en":"","fr":""}"#;
        let old = r#"{"list":"info_topic","code":"OLD","es":"Viejo","en":"","fr":""}"#;
        conn.execute_batch(&format!(
            "INSERT INTO inbox VALUES ('pack', 1, 't', '{{\"content\":{{\"code_lists\":[{old}]}}}}');
             INSERT INTO inbox VALUES ('pack', 2, 't', '{{\"content\":{{\"code_lists\":[{rondas}]}}}}');
             INSERT INTO inbox VALUES ('pack', 3, 't', 'not json');
             INSERT INTO packs VALUES (1, 't', '{{\"code_lists\":[{old}]}}');"
        ))
        .unwrap();
        migrate(&mut conn).unwrap();
        let mut stmt = conn
            .prepare("SELECT list, code, es, en, active FROM code_extensions ORDER BY code")
            .unwrap();
        let rows: Vec<(String, String, String, String, i64)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "info_topic".into(),
                    "OLD".into(),
                    "Viejo".into(),
                    String::new(),
                    1
                ),
                (
                    "referral_target_type".into(),
                    "RONDAS".into(),
                    "Rondas campesinas".into(),
                    String::new(),
                    1
                ),
            ]
        );
    }

    /// Version 6: a store from before has no backup recipient, and never holds two.
    #[test]
    fn version_6_starts_without_a_backup_recipient_and_holds_one_at_most() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 5).unwrap();
        migrate(&mut conn).unwrap();
        let count = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM backup_recipient", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&conn), 0);
        conn.execute(
            "INSERT INTO backup_recipient VALUES (1, 'age1x', 't', 'central')",
            [],
        )
        .unwrap();
        let second = conn.execute(
            "INSERT INTO backup_recipient VALUES (2, 'age1y', 't', 'central')",
            [],
        );
        assert!(second.is_err(), "a second row was taken");
        assert_eq!(count(&conn), 1);
    }

    /// Version 7: the search index's setting is kept, and search still finds what it did.
    #[test]
    fn version_7_keeps_new_search_terms_in_memory_longer() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 6).unwrap();
        conn.execute(
            "INSERT INTO call_search (rowid, text) VALUES (1, 'Rosa Juárez')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let hashsize: i64 = conn
            .query_row(
                "SELECT v FROM call_search_config WHERE k = 'hashsize'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hashsize, 16 * 1024 * 1024);
        let found: i64 = conn
            .query_row(
                "SELECT rowid FROM call_search WHERE call_search MATCH 'juarez'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 1);
    }

    /// Version 10: calls logged before it are found by their number typed any way; a call
    /// without a number, or with a body that is not JSON, is left without one.
    #[test]
    fn version_10_normalises_the_phones_of_earlier_calls() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, PHONES - 1).unwrap();
        for (id, body) in [
            ("c1", r#"{"caller_phone":"+51 987 654 321"}"#),
            ("c2", r#"{"caller_phone":"(01) 234-5678"}"#),
            ("c3", r#"{"caller_name":"Rosa"}"#),
            ("c4", "not json"),
            ("c5", r#"{"caller_phone":"+54 11 1234-5678"}"#),
        ] {
            conn.execute(
                "INSERT INTO calls (id, office_id, author, created_at, updated_at, version,
                                    started_at, reason, urgency, body)
                 VALUES (?1, 'pe-cusco', 'ana', 't', 't', 1, 't', 'TIP', 'U4_ROUTINE', ?2)",
                [id, body],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let phone = |id: &str| -> Option<String> {
            conn.query_row("SELECT phone FROM calls WHERE id = ?1", [id], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(phone("c1").as_deref(), Some("987654321"));
        assert_eq!(phone("c2").as_deref(), Some("12345678"));
        assert_eq!(phone("c3"), None);
        assert_eq!(phone("c4"), None);
        assert_eq!(phone("c5").as_deref(), Some("+541112345678"));
        let found: String = conn
            .query_row(
                "SELECT id FROM calls WHERE phone = ?1",
                [normalise("0987-654-321").unwrap()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, "c1");
    }

    #[test]
    fn a_store_from_a_newer_linea_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.to_string().contains("install a newer linea"), "{err}");
    }
}
