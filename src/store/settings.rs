//! The office settings the lead may change (`linea setting`): each known by name, with its
//! bounds, so a typo can neither turn a safeguard off nor purge records the day after they
//! were closed.

use std::ops::RangeInclusive;

use super::{Store, StoreError};

/// A setting an office lead can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeSetting {
    /// Days after which the records of a closed case, once central has them, are purged
    /// here. Unset or `off`: records stay.
    RetentionDays,
    /// Days a batch may wait for central's receipt before home and sync warn.
    ReceiptWarningDays,
    /// The longest an idle screen stays unlocked; an operator may choose less
    /// (`--autolock`), never more.
    AutolockMinutes,
}

/// What `off` is stored as, for settings that can be switched off.
const OFF: &str = "off";

impl OfficeSetting {
    pub const ALL: [OfficeSetting; 3] = [
        OfficeSetting::RetentionDays,
        OfficeSetting::ReceiptWarningDays,
        OfficeSetting::AutolockMinutes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OfficeSetting::RetentionDays => "retention_days",
            OfficeSetting::ReceiptWarningDays => "receipt_warning_days",
            OfficeSetting::AutolockMinutes => "autolock_minutes",
        }
    }

    /// The setting called `name`, or an error listing the names there are.
    pub fn from_name(name: &str) -> Result<OfficeSetting, StoreError> {
        OfficeSetting::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = OfficeSetting::ALL.iter().map(|s| s.name()).collect();
                StoreError::Config(format!(
                    "there is no office setting '{name}'; the settings are: {}",
                    known.join(", ")
                ))
            })
    }

    /// The values allowed. Retention is at least a month: central may still ask about a
    /// case closed last week, and a slip of the finger must not purge it.
    pub fn range(self) -> RangeInclusive<u64> {
        match self {
            OfficeSetting::RetentionDays => 30..=36_500,
            OfficeSetting::ReceiptWarningDays => 1..=365,
            OfficeSetting::AutolockMinutes => 1..=240,
        }
    }

    /// The value in force when the lead has set none (`None`: no limit, nothing purged).
    pub fn default_value(self) -> Option<u64> {
        match self {
            OfficeSetting::RetentionDays | OfficeSetting::AutolockMinutes => None,
            OfficeSetting::ReceiptWarningDays => Some(14),
        }
    }

    fn can_be_off(self) -> bool {
        self == OfficeSetting::RetentionDays
    }

    /// Checks a value as typed; `None` means switched off.
    pub fn parse(self, value: &str) -> Result<Option<u64>, StoreError> {
        let value = value.trim();
        if self.can_be_off() && value.eq_ignore_ascii_case(OFF) {
            return Ok(None);
        }
        let range = self.range();
        let off = if self.can_be_off() { " or 'off'" } else { "" };
        match value.parse::<u64>() {
            Ok(number) if range.contains(&number) => Ok(Some(number)),
            _ => Err(StoreError::Config(format!(
                "'{value}' is not a value for {}: give a whole number from {} to {}{off}",
                self.name(),
                range.start(),
                range.end()
            ))),
        }
    }
}

impl Store {
    /// The value in force: the lead's, else the default. A stored value that no longer
    /// parses (edited by hand) falls back to the default rather than to no limit.
    pub fn office_setting(&self, setting: OfficeSetting) -> Result<Option<u64>, StoreError> {
        match self.setting(setting.name())? {
            Some(value) => Ok(setting.parse(&value).unwrap_or(setting.default_value())),
            None => Ok(setting.default_value()),
        }
    }

    /// Changes a setting (office lead only); returns the value now in force.
    pub fn set_office_setting(
        &mut self,
        setting: OfficeSetting,
        value: &str,
    ) -> Result<Option<u64>, StoreError> {
        self.require_lead("change the office settings")?;
        let parsed = setting.parse(value)?;
        let stored = parsed.map_or_else(|| OFF.to_owned(), |n| n.to_string());
        self.set_setting(setting.name(), &stored)?;
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_bounds() {
        let retention = OfficeSetting::RetentionDays;
        assert_eq!(retention.parse("365").unwrap(), Some(365));
        assert_eq!(retention.parse(" OFF ").unwrap(), None);
        for bad in ["1", "-5", "ten", "", "36501"] {
            let err = retention.parse(bad).unwrap_err().to_string();
            assert!(err.contains("from 30 to 36500 or 'off'"), "{bad}: {err}");
        }
        assert!(OfficeSetting::ReceiptWarningDays.parse("off").is_err());
        assert_eq!(
            OfficeSetting::AutolockMinutes.parse("10").unwrap(),
            Some(10)
        );
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let err = OfficeSetting::from_name("retention")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("retention_days, receipt_warning_days, autolock_minutes"),
            "{err}"
        );
    }
}
