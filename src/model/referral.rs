//! A referral: the hotline passing a person's situation to an institution that can act,
//! followed until it ends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RecordMeta;

super::fields::record_fields! {
    /// A field of a referral, as forms, validation and messages name it.
    ReferralField {
        CallId = "call_id",
        CaseId = "case_id",
        TargetType = "target_type",
        Institution = "institution",
        Reason = "reason",
        SharingBasis = "sharing_basis",
        SentAt = "sent_at",
        Method = "method",
        Reference = "reference",
        DueAt = "due_at",
        Status = "status",
        Notes = "notes",
        ConfirmedBy = "confirmed_by",
    }
}

/// The content of a referral as an operator or a script gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralFields {
    /// The call it came from; a referral needs a call or a case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,
    /// `referral_target_type`
    pub target_type: String,
    /// The institution's name (from the directory once reference packs exist).
    pub institution: String,
    /// `referral_reason`
    pub reason: String,
    /// `sharing_basis`: consent, or the exception that allows sharing without it.
    pub sharing_basis: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::rfc3339::serialize_option"
    )]
    pub sent_at: Option<DateTime<Utc>>,
    /// `referral_method`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The receiving institution's reference number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// When to follow up; set from the call's urgency if not given.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::rfc3339::serialize_option"
    )]
    pub due_at: Option<DateTime<Utc>>,
    /// The first status: SENT when `sent_at` is given, DRAFT otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The office lead who confirmed sharing without consent (an exception); set by the
    /// store from the lead's confirmation, never taken from input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
}

/// Sharing without the person's consent: allowed only on the office lead's confirmation.
pub fn is_exception(sharing_basis: &str) -> bool {
    !sharing_basis.is_empty() && sharing_basis != "CONSENT"
}

/// One step in a referral's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// `referral_status`
    pub status: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub at: DateTime<Utc>,
    pub author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referral {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub fields: ReferralFields,
    /// Oldest first; the last is the current status.
    pub history: Vec<StatusChange>,
}

impl Referral {
    pub fn status(&self) -> &str {
        self.history
            .last()
            .map(|change| change.status.as_str())
            .unwrap_or("DRAFT")
    }

    /// Whether the referral still needs following up.
    pub fn is_open(&self) -> bool {
        !CLOSED_STATUSES.contains(&self.status())
    }
}

/// A referral status central recorded for an office's referral (an investigation opened, a
/// shelter place found…), which travels back to the office in its next pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub id: Uuid,
    pub referral_id: Uuid,
    /// `referral_status`
    pub status: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub author: String,
}

/// Statuses after which nobody follows the referral up any more.
pub const CLOSED_STATUSES: &[&str] = &[
    "COMPLETED",
    "DECLINED",
    "WITHDRAWN",
    "CANCELLED",
    "UNABLE_TO_CONTACT",
];

/// The statuses a referral at `status` may move to: forward only, never back to DRAFT, and
/// nothing after a closed status (a new referral starts again). An institution that did not
/// respond may still answer late, so NO_RESPONSE leads on to what an answer brings.
pub fn next_statuses(status: &str) -> &'static [&'static str] {
    match status {
        // Sending and the institution's first answer may be recorded together.
        "DRAFT" => &[
            "PENDING_CONSENT",
            "SENT",
            "ACKNOWLEDGED",
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "DECLINED",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        "PENDING_CONSENT" => &[
            "SENT",
            "ACKNOWLEDGED",
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "DECLINED",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        "SENT" => &[
            "ACKNOWLEDGED",
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "DECLINED",
            "NO_RESPONSE",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        "NO_RESPONSE" => &[
            "ACKNOWLEDGED",
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "DECLINED",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        "ACKNOWLEDGED" => &[
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "DECLINED",
            "NO_RESPONSE",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        "ACCEPTED" => &[
            "IN_PROGRESS",
            "COMPLETED",
            "NO_RESPONSE",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        "IN_PROGRESS" => &[
            "COMPLETED",
            "NO_RESPONSE",
            "WITHDRAWN",
            "CANCELLED",
            "UNABLE_TO_CONTACT",
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod lifecycle_tests {
    use super::*;
    use crate::model::codes;

    #[test]
    fn no_status_leads_back_to_draft_or_to_itself() {
        for entry in codes::REFERRAL_STATUS.entries {
            let next = next_statuses(entry.code);
            assert!(!next.contains(&"DRAFT"), "{} -> DRAFT", entry.code);
            assert!(!next.contains(&entry.code), "{} -> itself", entry.code);
            for status in next {
                assert!(codes::REFERRAL_STATUS.accepts(status), "{status}");
            }
        }
    }

    #[test]
    fn closed_referrals_stay_closed_and_open_ones_can_always_close() {
        for entry in codes::REFERRAL_STATUS.entries {
            let next = next_statuses(entry.code);
            if CLOSED_STATUSES.contains(&entry.code) {
                assert!(next.is_empty(), "{} reopens", entry.code);
            } else {
                assert!(next.contains(&"CANCELLED"), "{} cannot close", entry.code);
            }
        }
    }

    #[test]
    fn an_institution_that_did_not_respond_may_still_answer() {
        let next = next_statuses("NO_RESPONSE");
        assert!(next.contains(&"ACKNOWLEDGED") && next.contains(&"COMPLETED"));
        assert!(!next.contains(&"SENT"));
        assert_eq!(next_statuses("IN_PROGRESS").first(), Some(&"COMPLETED"));
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn every_referral_field_is_named_as_the_record_names_it() {
        let every = ReferralFields {
            call_id: Some(Uuid::nil()),
            case_id: Some(Uuid::nil()),
            target_type: "x".into(),
            institution: "x".into(),
            reason: "x".into(),
            sharing_basis: "x".into(),
            sent_at: Some(DateTime::UNIX_EPOCH),
            method: Some("x".into()),
            reference: Some("x".into()),
            due_at: Some(DateTime::UNIX_EPOCH),
            status: Some("x".into()),
            notes: "x".into(),
            confirmed_by: Some("x".into()),
        };
        crate::model::fields::assert_names_are_the_keys(
            ReferralField::ALL.iter().map(|f| f.name()),
            &every,
        );
    }
}
