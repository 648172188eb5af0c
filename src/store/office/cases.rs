//! Cases and the people in them, opened and changed at an office.

use uuid::Uuid;

use super::OfficeStore;
use crate::model::{Case, CaseFields, Person, PersonFields, RecordMeta, validate};
use crate::store::cases::{write_case, write_person};
use crate::store::rows::Write;
use crate::store::{StoreError, audit};

impl OfficeStore {
    /// Opens a case. Given `opened_from_call`, that call is attached to it.
    pub fn add_case(&mut self, fields: CaseFields) -> Result<Case, StoreError> {
        let now = self.now();
        let fields = validate::case(fields)?;
        let from_call = match fields.opened_from_call {
            Some(id) => Some(self.call(id)?),
            None => None,
        };
        if let Some(call) = &from_call
            && validate::is_non_substantive(&call.fields.reason)
        {
            return Err(StoreError::Forbidden(format!(
                "call {} is non-substantive ({}); it cannot open a case",
                call.meta.id, call.fields.reason
            )));
        }
        let (office, author) = (self.office_id.clone(), self.operator.clone());
        let case = Case {
            meta: RecordMeta::new(&office, &author, now),
            fields,
        };
        let tx = self.tx()?;
        write_case(&tx, &case, Write::New)?;
        audit::append_record(&tx, &author, "case.create", &case.meta.id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("save case"))?;
        if let Some(call) = from_call {
            let mut fields = call.fields.clone();
            fields.case_id = Some(case.meta.id);
            self.update_call(call.meta.id, fields, call.meta.version)?;
        }
        Ok(case)
    }

    /// Moves a case to another status (`case_status`).
    pub fn set_case_status(&mut self, id: Uuid, status: &str) -> Result<Case, StoreError> {
        let now = self.now();
        let mut case = self.case(id)?;
        case.fields.status = status.to_owned();
        case.fields = validate::case(case.fields)?;
        case.meta = case.meta.next_version(now);
        let author = self.operator.clone();
        let tx = self.tx()?;
        write_case(&tx, &case, Write::Changed)?;
        audit::append_record(&tx, &author, "case.status", &id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("case status"))?;
        Ok(case)
    }

    /// Records a person in a case.
    pub fn add_person(
        &mut self,
        case_id: Uuid,
        fields: PersonFields,
    ) -> Result<Person, StoreError> {
        self.case(case_id)?;
        let fields = validate::person_with(fields, &self.codes)?;
        let now = self.now();
        let (office, author) = (self.office_id.clone(), self.operator.clone());
        let person = Person {
            meta: RecordMeta::new(&office, &author, now),
            case_id,
            fields,
        };
        let tx = self.tx()?;
        write_person(&tx, &person, Write::New)?;
        audit::append_record(&tx, &author, "person.create", &person.meta.id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("save person"))?;
        Ok(person)
    }
}
