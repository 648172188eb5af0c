//! When a referral must be followed up, from the urgency of the call behind it
//! (TAXONOMY.md §8): U1 the same day, U2 within 24 hours, U3 within 72, U4 within 5 working days.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveTime, TimeDelta, Utc, Weekday};

/// The urgencies whose referrals due today come before every older one in follow-up.
pub const URGENT_FIRST: [&str; 2] = ["U1_EMERGENCY", "U2_URGENT"];

/// The follow-up deadline for a referral sent at `from`, in an office whose local time is `zone`.
pub fn due_at(urgency: &str, from: DateTime<Utc>, zone: FixedOffset) -> DateTime<Utc> {
    match urgency {
        "U1_EMERGENCY" => end_of_local_day(from, zone),
        "U2_URGENT" => from + TimeDelta::hours(24),
        "U3_PRIORITY" => from + TimeDelta::hours(72),
        _ => add_working_days(from, 5, zone),
    }
}

/// Midnight at the start of the office's day of `at`, in UTC.
pub fn start_of_local_day(at: DateTime<Utc>, zone: FixedOffset) -> DateTime<Utc> {
    at.with_timezone(&zone)
        .date_naive()
        .and_time(NaiveTime::MIN)
        .and_local_timezone(zone)
        .single()
        .map_or(at, |t| t.with_timezone(&Utc))
}

fn end_of_local_day(at: DateTime<Utc>, zone: FixedOffset) -> DateTime<Utc> {
    let local = at.with_timezone(&zone);
    let end = local
        .date_naive()
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    end.and_local_timezone(zone)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(at)
}

/// `days` working days (Monday to Friday) later, at the same local time.
fn add_working_days(from: DateTime<Utc>, days: u32, zone: FixedOffset) -> DateTime<Utc> {
    let mut local = from.with_timezone(&zone);
    let mut left = days;
    while left > 0 {
        local = local + Days::new(1);
        if !matches!(local.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    local.with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lima() -> FixedOffset {
        FixedOffset::west_opt(5 * 3600).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn deadlines_follow_urgency() {
        // Friday 2026-11-27, 10:00 in Lima.
        let sent = at("2026-11-27T15:00:00Z");
        assert_eq!(
            due_at("U1_EMERGENCY", sent, lima()),
            at("2026-11-28T04:59:59Z")
        );
        assert_eq!(
            due_at("U2_URGENT", sent, lima()),
            at("2026-11-28T15:00:00Z")
        );
        assert_eq!(
            due_at("U3_PRIORITY", sent, lima()),
            at("2026-11-30T15:00:00Z")
        );
        // Five working days from a Friday skip the weekend: the next Friday.
        assert_eq!(
            due_at("U4_ROUTINE", sent, lima()),
            at("2026-12-04T15:00:00Z")
        );
    }
}
