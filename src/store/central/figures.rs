//! Central's figures across offices, counted in SQL over the records imported from every
//! office: a few GROUP BY queries, each one pass over the period's rows (calls through their
//! index by start, referrals by creation), and nothing kept per record but the few U1 calls
//! referred to the police. `central::figures` assembles them.

use rusqlite::{ToSql, params_from_iter};

use super::CentralStore;
use crate::store::stats::{Count, POLICE_TARGET_PREFIX, Period};
use crate::store::{StoreError, timestamp};

/// The calls central counts: those of a period, of every office or of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub period: Period,
    pub office: Option<String>,
}

/// Calls sharing an office, a month, a reason, an urgency and a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallGroup {
    pub office: String,
    /// The month in central's time, as `2026-11`.
    pub month: String,
    pub reason: String,
    pub urgency: String,
    /// A department's two INEI digits, [`crate::store::PLACE_ABROAD`] or [`crate::store::PLACE_UNKNOWN`].
    pub department: String,
    pub calls: u64,
}

/// Referrals sharing an office, a target type, a current status and the funnel steps their
/// history reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralGroup {
    pub office: String,
    pub target_type: String,
    pub status: String,
    pub steps: FunnelSteps,
    pub referrals: u64,
}

/// Which steps of the funnel a referral's history reached (each step is within the one
/// before: see the status sets below).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FunnelSteps {
    pub referred: bool,
    pub acknowledged: bool,
    pub investigation_or_service: bool,
    pub closed: bool,
}

/// A referral reached the institution once its history holds one of these: sent, or an
/// answer (which means it was sent, even when the operator recorded no SENT).
pub const REFERRED_STATUSES: &[&str] = &[
    "SENT",
    "NO_RESPONSE",
    "ACKNOWLEDGED",
    "ACCEPTED",
    "IN_PROGRESS",
    "COMPLETED",
    "DECLINED",
];
/// The institution confirmed receiving it: it acknowledged, took it up, or declined it.
pub const ACKNOWLEDGED_STATUSES: &[&str] = &[
    "ACKNOWLEDGED",
    "ACCEPTED",
    "IN_PROGRESS",
    "COMPLETED",
    "DECLINED",
];
/// The institution acted: the police opened an investigation, a service took the person
/// in (accepted, being attended, or done).
pub const ACTED_STATUSES: &[&str] = &["ACCEPTED", "IN_PROGRESS", "COMPLETED"];
/// Closed by the receiving institution with the service given.
pub const FUNNEL_CLOSED_STATUSES: &[&str] = &["COMPLETED"];

/// A U1 call referred to the police: when it started and when its police referrals were
/// sent (RFC 3339 text as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoliceReport {
    pub call_id: String,
    pub started_at: String,
    pub sent_at: String,
}

/// The department key of a call's place, as the office's figures count it (see
/// `stats::place_key`): unknown for none or ZZ, a ubigeo's first two digits, else abroad.
const DEPARTMENT_SQL: &str = "CASE WHEN place IS NULL OR place IN ('', 'ZZ') THEN 'unknown'
                                   WHEN length(place) = 6 THEN substr(place, 1, 2)
                                   ELSE 'abroad' END";

/// `IN (?, ?, …)` for a list of statuses given as parameters.
fn status_set(statuses: &[&str]) -> String {
    let marks = vec!["?"; statuses.len()].join(", ");
    format!("({marks})")
}

/// The period's instants as stored text, then the office when one is chosen.
struct Bounds {
    values: Vec<String>,
    office_clause: &'static str,
}

impl Bounds {
    /// `office_clause` is the statement's condition on the office, used when one is chosen.
    fn of(scope: &Scope, office_clause: &'static str) -> Bounds {
        let mut values = vec![timestamp(scope.period.from), timestamp(scope.period.to)];
        let office_clause = match &scope.office {
            Some(office) => {
                values.push(office.clone());
                office_clause
            }
            None => "",
        };
        Bounds {
            values,
            office_clause,
        }
    }
}

impl CentralStore {
    /// The period's calls grouped by office, month (in central's time), reason, urgency and
    /// department: one pass over the calls' index by start.
    pub fn central_call_groups(&self, scope: &Scope) -> Result<Vec<CallGroup>, StoreError> {
        const CONTEXT: &str = "central figures: calls";
        let bounds = Bounds::of(scope, "AND office_id = ?4");
        let sql = format!(
            "SELECT office_id, strftime('%Y-%m', started_at, ?3), reason, urgency,
                    {DEPARTMENT_SQL}, count(*)
             FROM calls WHERE started_at >= ?1 AND started_at < ?2 {}
             GROUP BY 1, 2, 3, 4, 5",
            bounds.office_clause
        );
        let offset = self.zone_offset();
        let mut values: Vec<&dyn ToSql> = vec![&bounds.values[0], &bounds.values[1], &offset];
        values.extend(bounds.values[2..].iter().map(|v| v as &dyn ToSql));
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::sqlite(CONTEXT))?;
        let rows = stmt
            .query_map(params_from_iter(values), |row| {
                Ok(CallGroup {
                    office: row.get(0)?,
                    month: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    reason: row.get(2)?,
                    urgency: row.get(3)?,
                    department: row.get(4)?,
                    calls: row.get::<_, i64>(5)?.unsigned_abs(),
                })
            })
            .map_err(StoreError::sqlite(CONTEXT))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite(CONTEXT))
    }

    /// The period's calls by week, keyed by the week's Monday in central's time
    /// (`2026-11-23`); weeks without calls are absent.
    pub fn central_calls_by_week(&self, scope: &Scope) -> Result<Vec<Count>, StoreError> {
        let bounds = Bounds::of(scope, "AND office_id = ?4");
        let sql = format!(
            "SELECT date(started_at, ?3, 'weekday 0', '-6 days'), count(*)
             FROM calls WHERE started_at >= ?1 AND started_at < ?2 {}
             GROUP BY 1 ORDER BY 1",
            bounds.office_clause
        );
        let offset = self.zone_offset();
        let mut values: Vec<&dyn ToSql> = vec![&bounds.values[0], &bounds.values[1], &offset];
        values.extend(bounds.values[2..].iter().map(|v| v as &dyn ToSql));
        self.counts(&sql, values, "central figures: weeks")
    }

    /// The period's calls by exploitation type: a call counts once in each type it lists.
    /// Only bodies that hold the key are parsed.
    pub fn central_exploitation_types(&self, scope: &Scope) -> Result<Vec<Count>, StoreError> {
        let bounds = Bounds::of(scope, "AND c.office_id = ?3");
        let sql = format!(
            "SELECT t.value, count(*)
             FROM calls c, json_each(c.body, '$.exploitation_types') t
             WHERE c.started_at >= ?1 AND c.started_at < ?2 {}
               AND instr(c.body, '\"exploitation_types\":') > 0
             GROUP BY 1",
            bounds.office_clause
        );
        let values: Vec<&dyn ToSql> = bounds.values.iter().map(|v| v as &dyn ToSql).collect();
        self.counts(&sql, values, "central figures: exploitation types")
    }

    /// People recorded in the period (by when the office created them) as presumed victims
    /// (trafficking status POSSIBLE), by office.
    pub fn central_presumed_victims(&self, scope: &Scope) -> Result<Vec<Count>, StoreError> {
        let bounds = Bounds::of(scope, "AND office_id = ?3");
        let sql = format!(
            "SELECT office_id, count(*) FROM people
             WHERE created_at >= ?1 AND created_at < ?2 {}
               AND json_extract(body, '$.trafficking_status') = 'POSSIBLE'
             GROUP BY 1",
            bounds.office_clause
        );
        let values: Vec<&dyn ToSql> = bounds.values.iter().map(|v| v as &dyn ToSql).collect();
        self.counts(&sql, values, "central figures: presumed victims")
    }

    /// Referrals created in the period, grouped by office, target type, current status and
    /// the funnel steps their history reached.
    pub fn central_referral_groups(&self, scope: &Scope) -> Result<Vec<ReferralGroup>, StoreError> {
        const CONTEXT: &str = "central figures: referrals";
        let bounds = Bounds::of(scope, "AND r.office_id = ?");
        let reached = |statuses: &[&str]| {
            format!(
                "EXISTS (SELECT 1 FROM referral_status s
                         WHERE s.referral_id = r.id AND s.status IN {})",
                status_set(statuses)
            )
        };
        let sql = format!(
            "SELECT r.office_id, coalesce(json_extract(r.body, '$.target_type'), ''), r.status,
                    {}, {}, {}, {}, count(*)
             FROM referrals r
             WHERE r.created_at >= ? AND r.created_at < ? {}
             GROUP BY 1, 2, 3, 4, 5, 6, 7",
            reached(REFERRED_STATUSES),
            reached(ACKNOWLEDGED_STATUSES),
            reached(ACTED_STATUSES),
            reached(FUNNEL_CLOSED_STATUSES),
            bounds.office_clause,
        );
        let mut values: Vec<&dyn ToSql> = Vec::new();
        for set in [
            REFERRED_STATUSES,
            ACKNOWLEDGED_STATUSES,
            ACTED_STATUSES,
            FUNNEL_CLOSED_STATUSES,
        ] {
            values.extend(set.iter().map(|s| s as &dyn ToSql));
        }
        values.extend(bounds.values.iter().map(|v| v as &dyn ToSql));
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::sqlite(CONTEXT))?;
        let rows = stmt
            .query_map(params_from_iter(values), |row| {
                Ok(ReferralGroup {
                    office: row.get(0)?,
                    target_type: row.get(1)?,
                    status: row.get(2)?,
                    steps: FunnelSteps {
                        referred: row.get(3)?,
                        acknowledged: row.get(4)?,
                        investigation_or_service: row.get(5)?,
                        closed: row.get(6)?,
                    },
                    referrals: row.get::<_, i64>(7)?.unsigned_abs(),
                })
            })
            .map_err(StoreError::sqlite(CONTEXT))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite(CONTEXT))
    }

    /// Cases referred to the police in the period: the distinct cases (a referral without a
    /// case counts as its own) of referrals created in the period to a police target
    /// (`PNP_*`) whose history reached the institution ([`REFERRED_STATUSES`]).
    pub fn central_cases_referred_to_police(&self, scope: &Scope) -> Result<u64, StoreError> {
        const CONTEXT: &str = "central figures: police";
        let bounds = Bounds::of(scope, "AND r.office_id = ?");
        let sql = format!(
            "SELECT count(DISTINCT coalesce(r.case_id, r.id)) FROM referrals r
             WHERE r.created_at >= ? AND r.created_at < ? {}
               AND substr(json_extract(r.body, '$.target_type'), 1, length(?)) = ?
               AND EXISTS (SELECT 1 FROM referral_status s
                           WHERE s.referral_id = r.id AND s.status IN {})",
            bounds.office_clause,
            status_set(REFERRED_STATUSES)
        );
        let mut values: Vec<&dyn ToSql> = bounds.values.iter().map(|v| v as &dyn ToSql).collect();
        values.push(&POLICE_TARGET_PREFIX);
        values.push(&POLICE_TARGET_PREFIX);
        values.extend(REFERRED_STATUSES.iter().map(|s| s as &dyn ToSql));
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_row(params_from_iter(values), |row| row.get::<_, i64>(0))
            })
            .map(i64::unsigned_abs)
            .map_err(StoreError::sqlite(CONTEXT))
    }

    /// The U1_EMERGENCY calls of the period with a police referral (`PNP_*`) that has a
    /// sent time: one row per such referral.
    pub fn central_u1_police_reports(
        &self,
        scope: &Scope,
    ) -> Result<Vec<PoliceReport>, StoreError> {
        const CONTEXT: &str = "central figures: U1 to police";
        let bounds = Bounds::of(scope, "AND c.office_id = ?");
        let sql = format!(
            "SELECT c.id, c.started_at, json_extract(r.body, '$.sent_at')
             FROM calls c JOIN referrals r ON r.call_id = c.id
             WHERE c.started_at >= ? AND c.started_at < ? {}
               AND c.urgency = 'U1_EMERGENCY'
               AND substr(json_extract(r.body, '$.target_type'), 1, length(?)) = ?
               AND json_type(r.body, '$.sent_at') = 'text'",
            bounds.office_clause
        );
        let mut values: Vec<&dyn ToSql> = bounds.values.iter().map(|v| v as &dyn ToSql).collect();
        values.push(&POLICE_TARGET_PREFIX);
        values.push(&POLICE_TARGET_PREFIX);
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::sqlite(CONTEXT))?;
        let rows = stmt
            .query_map(params_from_iter(values), |row| {
                Ok(PoliceReport {
                    call_id: row.get(0)?,
                    started_at: row.get(1)?,
                    sent_at: row.get(2)?,
                })
            })
            .map_err(StoreError::sqlite(CONTEXT))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite(CONTEXT))
    }

    /// Open referrals whose follow-up date is past at the store's now, by office (whatever
    /// the period: it is how things stand today).
    pub fn central_overdue_referrals(
        &self,
        office: Option<&str>,
    ) -> Result<Vec<Count>, StoreError> {
        let now = timestamp(self.now());
        let mut values: Vec<&dyn ToSql> = vec![&now];
        let office_clause = match &office {
            Some(office) => {
                values.push(office);
                "AND office_id = ?2"
            }
            None => "",
        };
        let sql = format!(
            "SELECT office_id, count(*) FROM referrals
             WHERE is_open = 1 AND due_at IS NOT NULL AND due_at < ?1 {office_clause}
             GROUP BY 1"
        );
        self.counts(&sql, values, "central figures: overdue referrals")
    }

    /// SQLite's modifier for central's time zone, e.g. "-300 minutes".
    fn zone_offset(&self) -> String {
        format!("{:+} minutes", self.zone.local_minus_utc() / 60)
    }

    /// (key, count) rows of a grouped statement, in key order.
    fn counts(
        &self,
        sql: &str,
        values: Vec<&dyn ToSql>,
        context: &'static str,
    ) -> Result<Vec<Count>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(StoreError::sqlite(context))?;
        let rows = stmt
            .query_map(params_from_iter(values), |row| {
                Ok(Count {
                    key: row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    count: row.get::<_, i64>(1)?.unsigned_abs(),
                })
            })
            .map_err(StoreError::sqlite(context))?;
        let mut counts: Vec<Count> = rows
            .collect::<Result<_, _>>()
            .map_err(StoreError::sqlite(context))?;
        counts.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_funnel_step_is_within_the_one_before() {
        for status in FUNNEL_CLOSED_STATUSES {
            assert!(ACTED_STATUSES.contains(status), "{status}");
        }
        for status in ACTED_STATUSES {
            assert!(ACKNOWLEDGED_STATUSES.contains(status), "{status}");
        }
        for status in ACKNOWLEDGED_STATUSES {
            assert!(REFERRED_STATUSES.contains(status), "{status}");
        }
        for status in REFERRED_STATUSES {
            assert!(
                crate::model::codes::REFERRAL_STATUS.accepts(status),
                "{status}"
            );
        }
    }
}
