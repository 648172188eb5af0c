//! The report central hands over (`linea central report`): one self-contained, printable
//! HTML file of central's figures, with inline CSS and inline SVG charts, no script and nothing
//! loaded from elsewhere. It holds counts, code labels, office ids and names, and dates only:
//! no name, phone number, note or record id of any record. Every text in it is escaped, since
//! what offices send is not to be trusted.

mod html;
mod svg;

use chrono::{DateTime, FixedOffset, Utc};

use super::figures::{self, CentralFigures};
use super::public::Hidden;
use super::status::{OfficeStatus, office_statuses};
use crate::i18n::I18n;
use crate::store::{CentralStore, Scope, StoreError};

/// What the report shows: the figures, and where each office stands.
pub struct Report {
    pub figures: CentralFigures,
    /// The counts a published report hides (none in central's own).
    pub hidden: Hidden,
    pub offices: Vec<OfficeStatus>,
    /// When it was made, and central's time zone (for the days shown).
    pub made: DateTime<Utc>,
    pub zone: FixedOffset,
}

impl Report {
    /// Counts the figures of `scope` and reads the offices' status, at the store's now; for
    /// a report to publish (`public`), with small counts hidden (see `central::public`).
    pub fn of(store: &CentralStore, scope: &Scope, public: bool) -> Result<Report, StoreError> {
        let made = store.now();
        let mut offices = office_statuses(store, made)?;
        if let Some(office) = &scope.office {
            offices.retain(|status| &status.office == office);
        }
        let figures = figures::figures(store, scope)?;
        let hidden = if public {
            Hidden::of(&figures)
        } else {
            Hidden::none()
        };
        Ok(Report {
            figures,
            hidden,
            offices,
            made,
            zone: store.zone(),
        })
    }

    /// The report as one HTML document, in `i18n`'s language.
    pub fn html(&self, i18n: &I18n) -> String {
        html::document(self, i18n)
    }
}

/// Text made safe for HTML, in element content and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            // Control characters have no place in a printed report.
            c if c.is_control() && c != '\n' && c != '\t' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_record_values_is_shown_as_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(escape("Áncash\u{1b}[31m"), "Áncash\u{FFFD}[31m");
    }
}
