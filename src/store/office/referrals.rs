//! Referrals made at an office, and the statuses they move through: the office's own, and
//! those central recorded (from a pack).

use chrono::FixedOffset;
use rusqlite::Transaction;
use uuid::Uuid;

use super::OfficeStore;
use crate::model::{
    RecordMeta, Referral, ReferralFields, StatusChange, followup, is_exception, validate,
};
use crate::store::figures::{self, Tally};
use crate::store::referrals::{write_referral, write_status};
use crate::store::rows::Write;
use crate::store::{LeadConfirmation, StoreError, audit};

impl OfficeStore {
    /// Validates and saves a referral. Its follow-up date comes from the urgency of the call
    /// behind it unless given.
    /// Validates and saves a referral. Sharing without consent (an exception) needs the
    /// office lead's confirmation.
    pub fn add_referral(
        &mut self,
        fields: ReferralFields,
        confirmation: Option<&LeadConfirmation>,
    ) -> Result<Referral, StoreError> {
        let now = self.now();
        let call = match fields.call_id {
            Some(id) => Some(self.call(id)?),
            None => None,
        };
        if let Some(case_id) = fields.case_id {
            self.case(case_id)?;
        }
        let started = call.as_ref().map(|c| c.started_at());
        let mut fields = validate::referral_with(fields, &self.codes, started, now)?;
        fields.confirmed_by = None;
        if is_exception(&fields.sharing_basis) {
            let Some(confirmation) = confirmation else {
                return Err(StoreError::Forbidden(format!(
                    "sharing without consent ({}) needs the office lead's confirmation",
                    fields.sharing_basis
                )));
            };
            fields.confirmed_by = Some(confirmation.lead().to_owned());
        }
        let urgency = call
            .as_ref()
            .map(|c| c.fields.urgency.clone())
            .unwrap_or_else(|| "U4_ROUTINE".into());
        if fields.due_at.is_none() {
            let from = fields.sent_at.unwrap_or(now);
            fields.due_at = Some(followup::due_at(&urgency, from, self.zone));
        }
        let status = fields.status.clone().unwrap_or_else(|| "DRAFT".into());
        let (office, author) = (self.office_id.clone(), self.operator.clone());
        let first = StatusChange {
            status,
            at: fields.sent_at.unwrap_or(now),
            author: author.clone(),
            note: String::new(),
        };
        let referral = Referral {
            meta: RecordMeta::new(&office, &author, now),
            fields,
            history: vec![first],
        };
        let zone = self.zone;
        let tx = self.tx()?;
        write_referral(&tx, &referral, Write::New)?;
        let mut tally = Tally::new(zone);
        tally.referral(&referral);
        tally.write(&tx)?;
        write_status(&tx, referral.meta.id, 1, &referral.history[0])?;
        audit::append_record(
            &tx,
            &author,
            "referral.create",
            &referral.meta.id.to_string(),
        )?;
        if let Some(lead) = &referral.fields.confirmed_by {
            audit::append(
                &tx,
                lead,
                "referral.exception",
                &referral.meta.id.to_string(),
            )?;
        }
        tx.commit().map_err(StoreError::sqlite("save referral"))?;
        Ok(referral)
    }

    /// Moves a referral to a new status, with a note, keeping the history.
    pub fn set_referral_status(
        &mut self,
        id: Uuid,
        status: &str,
        note: &str,
    ) -> Result<Referral, StoreError> {
        validate::status_change(status, note)?;
        let now = self.now();
        let mut referral = self.referral(id)?;
        if referral.status() == status {
            return Err(StoreError::Conflict(format!(
                "referral {id} is already {status}"
            )));
        }
        validate::status_step(referral.status(), status)?;
        let change = StatusChange {
            status: status.to_owned(),
            at: now,
            author: self.operator.clone(),
            note: note.trim().to_owned(),
        };
        referral.history.push(change);
        referral.meta = referral.meta.next_version(now);
        let author = self.operator.clone();
        let zone = self.zone;
        let tx = self.tx()?;
        rewrite_referral(&tx, zone, &referral)?;
        let seq = referral.history.len() as i64;
        write_status(&tx, id, seq, &referral.history[referral.history.len() - 1])?;
        audit::append_record(&tx, &author, "referral.status", &id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("referral status"))?;
        Ok(referral)
    }

    /// Adds a status central recorded (from a pack) to a referral's history, once: `false`
    /// when the history already has it.
    pub fn append_status_from_central(
        &mut self,
        id: Uuid,
        change: StatusChange,
    ) -> Result<bool, StoreError> {
        let mut referral = self.referral(id)?;
        if referral.history.contains(&change) {
            return Ok(false);
        }
        validate::status_change(&change.status, &change.note)?;
        let now = self.now();
        referral.history.push(change);
        referral.history.sort_by_key(|c| c.at);
        referral.meta = referral.meta.next_version(now);
        let operator = self.operator.clone();
        let zone = self.zone;
        let tx = self.tx()?;
        rewrite_referral(&tx, zone, &referral)?;
        tx.execute(
            "DELETE FROM referral_status WHERE referral_id = ?1",
            [id.to_string()],
        )
        .map_err(StoreError::sqlite("referral status"))?;
        for (index, change) in referral.history.iter().enumerate() {
            write_status(&tx, id, index as i64 + 1, change)?;
        }
        audit::append_record(&tx, &operator, "referral.outcome", &id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("referral status"))?;
        Ok(true)
    }
}

/// Writes a new version of a stored referral, its totals moved from the stored version to
/// the new one (see `figures`).
fn rewrite_referral(
    tx: &Transaction<'_>,
    zone: FixedOffset,
    referral: &Referral,
) -> Result<(), StoreError> {
    figures::uncount_referrals(tx, zone, &[referral.meta.id.to_string()])?;
    write_referral(tx, referral, Write::Changed)?;
    let mut tally = Tally::new(zone);
    tally.referral(referral);
    tally.write(tx)
}
