//! Logging calls at an office: adding (one or many in one transaction) and changing them.

use rusqlite::{OptionalExtension, Transaction};
use uuid::Uuid;

use super::OfficeStore;
use crate::model::{Call, CallFields, RecordMeta, validate};
use crate::store::calls::write_call;
use crate::store::figures::{self, Tally};
use crate::store::rows::Write;
use crate::store::{StoreError, audit};

impl OfficeStore {
    /// Validates and saves one call.
    pub fn add_call(&mut self, fields: CallFields) -> Result<Call, StoreError> {
        let mut calls = self.add_calls(vec![fields])?;
        Ok(calls.remove(0))
    }

    /// Validates every call first, then saves them all in one transaction: all or nothing.
    /// An error names the position (1-based) of the first bad call when there are several.
    pub fn add_calls(&mut self, all: Vec<CallFields>) -> Result<Vec<Call>, StoreError> {
        let now = self.now();
        let count = all.len();
        let mut valid = Vec::with_capacity(count);
        for (index, fields) in all.into_iter().enumerate() {
            let fields =
                validate::call_with(fields, &self.codes, now).map_err(|e| match count {
                    1 => StoreError::Invalid(e),
                    _ => StoreError::Conflict(format!("call {} of {count}: {e}", index + 1)),
                })?;
            valid.push(fields);
        }
        let (office, author) = (self.office_id.clone(), self.operator.clone());
        let zone = self.zone;
        let tx = self.tx()?;
        let mut saved = Vec::with_capacity(count);
        let mut tally = Tally::new(zone);
        for fields in valid {
            check_case(&tx, fields.case_id)?;
            let call = Call::new(RecordMeta::new(&office, &author, now), fields);
            write_call(&tx, &call, Write::New)?;
            audit::append_record(&tx, &author, "call.create", &call.meta.id.to_string())?;
            tally.call(&call);
            saved.push(call);
        }
        tally.write(&tx)?;
        tx.commit().map_err(StoreError::sqlite("save calls"))?;
        Ok(saved)
    }

    /// Replaces a call's content. `expected_version` guards against overwriting a change
    /// made meanwhile by someone else.
    pub fn update_call(
        &mut self,
        id: Uuid,
        fields: CallFields,
        expected_version: u32,
    ) -> Result<Call, StoreError> {
        let now = self.now();
        let current = self.call(id)?;
        if current.meta.version != expected_version {
            return Err(StoreError::Conflict(format!(
                "call {id} changed meanwhile (now version {}); open it again",
                current.meta.version
            )));
        }
        let fields = validate::call_with(fields, &self.codes, now)?;
        let author = self.operator.clone();
        let zone = self.zone;
        let tx = self.tx()?;
        check_case(&tx, fields.case_id)?;
        let call = Call::new(current.meta.next_version(now), fields);
        figures::uncount_calls(&tx, zone, &[id.to_string()])?;
        write_call(&tx, &call, Write::Changed)?;
        let mut tally = Tally::new(zone);
        tally.call(&call);
        tally.write(&tx)?;
        audit::append_record(&tx, &author, "call.update", &id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("update call"))?;
        Ok(call)
    }
}

fn check_case(tx: &Transaction<'_>, case_id: Option<Uuid>) -> Result<(), StoreError> {
    let Some(case_id) = case_id else {
        return Ok(());
    };
    let found: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM cases WHERE id = ?1",
            [case_id.to_string()],
            |row| row.get(0),
        )
        .optional()
        .map_err(StoreError::sqlite("read case"))?;
    found.map(|_| ()).ok_or_else(|| StoreError::NotFound {
        kind: "case",
        id: case_id.to_string(),
    })
}
