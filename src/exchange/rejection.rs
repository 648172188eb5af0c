//! Why a file from a stick is refused: the rule it broke, and what was found. The rule's
//! name is what users read ("refused (signature: …)") and what tests match; code decides
//! on the rule itself, never on the words.

use std::fmt;

/// The rules a batch, receipt, pack or kit can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Not a regular file: a folder, a device, a pipe, or a link (never followed).
    File,
    /// The file could not be read.
    Unreadable,
    /// Over a size cap, before or after decrypting or decompressing.
    Size,
    /// The age header is over its caps (bytes or recipient stanzas) before age reads it.
    Header,
    /// Not the format it claims to be.
    Format,
    /// Damaged or cut short: age's authentication failed.
    Integrity,
    /// Encrypted to other recipients than expected (or not to this reader).
    Recipient,
    /// A line, record count or field over its cap.
    Limits,
    Manifest,
    Signature,
    /// The signer is unknown here, or its key was revoked.
    Signer,
    TrustedComment,
    Record,
    RecordHash,
    Sequence,
    /// Two different batches with one number.
    Fork,
    /// A batch that does not follow the one before it.
    Chain,
    /// This store could not take the file: not the file's fault.
    Store,
    Content,
    /// Meant for another office.
    Office,
    /// An older version than the one applied.
    Rollback,
    Expired,
    Outcome,
}

impl Rule {
    /// The rule's name, as users read it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::File => "file",
            Rule::Unreadable => "unreadable",
            Rule::Size => "size",
            Rule::Header => "header",
            Rule::Format => "format",
            Rule::Integrity => "integrity",
            Rule::Recipient => "recipient",
            Rule::Limits => "limits",
            Rule::Manifest => "manifest",
            Rule::Signature => "signature",
            Rule::Signer => "signer",
            Rule::TrustedComment => "trusted comment",
            Rule::Record => "record",
            Rule::RecordHash => "record hash",
            Rule::Sequence => "sequence",
            Rule::Fork => "fork",
            Rule::Chain => "chain",
            Rule::Store => "store",
            Rule::Content => "content",
            Rule::Office => "office",
            Rule::Rollback => "rollback",
            Rule::Expired => "expired",
            Rule::Outcome => "outcome",
        }
    }

    /// Whether the file itself is at fault, so that a sync sets it aside rather than meet it
    /// again at every sync. A store that cannot take a file is this computer's problem.
    pub fn blames_the_file(self) -> bool {
        self != Rule::Store
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a file is refused: the rule it broke, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{rule}: {detail}")]
pub struct Rejection {
    pub rule: Rule,
    pub detail: String,
}

pub(crate) fn reject(rule: Rule, detail: impl Into<String>) -> Rejection {
    Rejection {
        rule,
        detail: detail.into(),
    }
}
