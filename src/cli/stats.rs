//! `linea stats`: the office's figures for a period, for people (the statistics screen's
//! bars, as text), for scripts (one JSON document) and for spreadsheets (one CSV table).

use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::args::StatsArgs;
use super::context::Context;
use super::output::{Out, write_json_pretty, write_line};
use crate::error::Error;
use crate::i18n::I18n;
use crate::i18n::figures::{Figure, Row, bar_text, funnel_steps, key_label, pad, rows};
use crate::store::{Count, Period, Stats};

/// Columns of the bars in the text output.
const BAR_WIDTH: usize = 28;
/// Longer labels are cut so a line fits 80 columns; JSON and CSV have them in full.
const MAX_LABEL_WIDTH: usize = 40;
const INDENT: &str = "  ";

pub fn run(ctx: &Context, args: StatsArgs, out: Out<'_>) -> Result<(), Error> {
    // Dates are checked before unlocking: a typo should not cost a passphrase.
    let first = day("--from", args.from.as_deref())?;
    let last = day("--to", args.to.as_deref())?;
    if let (Some(first), Some(last)) = (first, last)
        && last < first
    {
        return Err(Error::Usage(format!(
            "--to {last} is before --from {first}"
        )));
    }
    let store = ctx.open()?;
    let zone = store.zone();
    let today = store.now().with_timezone(&zone).date_naive();
    let period = Period::chosen(first, last, today, zone)
        .ok_or_else(|| period_error(first, last.unwrap_or(today)))?;
    let stats = store.stats(&period)?;
    let mut i18n = I18n::new(ctx.lang);
    // Referrals to a type of institution the reference pack added show its label.
    i18n.set_code_extensions(store.code_extensions());
    if args.json {
        let document = Document {
            office_id: store.office_id(),
            first_day: period.first_day(zone),
            last_day: period.last_day(zone),
            stats: &stats,
        };
        return write_json_pretty(out, &document);
    }
    if args.csv {
        return write_csv(out, &stats, &i18n);
    }
    let office = store.setting("office_name")?.unwrap_or_default();
    write_line(out, &format!("{office} ({})", store.office_id()))?;
    write_line(
        out,
        &i18n.t_args(
            "stats-period",
            &[
                ("from", period.first_day(zone).to_string().into()),
                ("to", period.last_day(zone).to_string().into()),
            ],
        ),
    )?;
    write_line(out, "")?;
    write_rows(out, &rows(&stats, &i18n))
}

/// A day given as YYYY-MM-DD, if given.
pub(super) fn day(option: &str, text: Option<&str>) -> Result<Option<NaiveDate>, Error> {
    let Some(text) = text else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| Error::Usage(format!("{option}: '{text}' is not a date like 2026-11-28")))
}

/// Why the days given make no period.
pub(super) fn period_error(first: Option<NaiveDate>, last: NaiveDate) -> Error {
    match first {
        Some(first) if first > last => {
            Error::Usage(format!("--from {first} is after the last day, {last}"))
        }
        _ => Error::Usage(format!(
            "a period ending {last} is beyond the calendar linea knows"
        )),
    }
}

/// What `--json` prints: the figures, with the office and the period's days beside the
/// period's instants.
#[derive(Serialize)]
struct Document<'a> {
    office_id: &'a str,
    first_day: NaiveDate,
    last_day: NaiveDate,
    #[serde(flatten)]
    stats: &'a Stats,
}

// Text for people.

/// The rows as aligned text: labels in one column as wide as the longest (up to a limit),
/// counts right-aligned, bars after them.
pub(super) fn write_rows(out: Out<'_>, rows: &[Row]) -> Result<(), Error> {
    let label_width = rows
        .iter()
        .filter_map(|row| match row {
            Row::Bar { label, .. } => Some(label.width()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_WIDTH);
    let count_width = rows
        .iter()
        .filter_map(|row| match row {
            Row::Bar { count, .. } => Some(count.to_string().len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    for row in rows {
        let line = match row {
            Row::Title(title) => title.clone(),
            Row::Bar {
                label,
                count,
                max,
                parts,
            } => format!(
                "{INDENT}{}  {count:>count_width$}  {}",
                pad(label, label_width),
                bar_text(*count, *max, parts, BAR_WIDTH)
            ),
            Row::Note(note) => format!("{INDENT}{note}"),
            Row::Blank => String::new(),
        };
        write_line(out, line.trim_end())?;
    }
    Ok(())
}

// CSV for spreadsheets.

/// Every figure in full (no "others" row), one count per line.
fn write_csv(out: Out<'_>, stats: &Stats, i18n: &I18n) -> Result<(), Error> {
    write_line(out, "figure,key,label,count")?;
    let mut record = |figure: Figure, key: &str, label: &str, count: u64| {
        let fields = [figure.name(), key, label, &count.to_string()].map(csv_field);
        write_line(out, &fields.join(","))
    };
    for (key, id, count) in funnel_steps(&stats.funnel) {
        record(Figure::Funnel, key, &i18n.t(id), count)?;
    }
    for week in &stats.calls_per_week {
        let monday = week.week.to_string();
        record(Figure::CallsPerWeek, &monday, &monday, week.calls)?;
    }
    for week in &stats.calls_per_week {
        for reason in &week.reasons {
            let figure = Figure::CallsPerWeekByReason;
            let key = format!("{}/{}", week.week, reason.key);
            let label = format!("{}: {}", week.week, key_label(figure, &reason.key, i18n));
            record(figure, &key, &label, reason.count)?;
        }
    }
    let figures: [(Figure, &[Count]); 6] = [
        (Figure::CallsByReason, &stats.calls_by_reason),
        (Figure::CallsByUrgency, &stats.calls_by_urgency),
        (Figure::CallsByPlace, &stats.calls_by_place),
        (
            Figure::CallsByExploitationType,
            &stats.calls_by_exploitation_type,
        ),
        (Figure::ReferralsByTarget, &stats.referrals_by_target),
        (Figure::ReferralsByStatus, &stats.referrals_by_status),
    ];
    for (figure, counts) in figures {
        for count in counts {
            record(
                figure,
                &count.key,
                &key_label(figure, &count.key, i18n),
                count.count,
            )?;
        }
    }
    Ok(())
}

/// One CSV field as RFC 4180 has it: quoted when it holds a comma, a quote or a line
/// break, with quotes inside doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_they_must_be() {
        assert_eq!(csv_field("TIP"), "TIP");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("Lima, Callao"), "\"Lima, Callao\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn bad_days_are_usage_errors_naming_the_option() {
        assert_eq!(day("--from", None).unwrap(), None);
        assert_eq!(
            day("--to", Some("2026-11-28")).unwrap(),
            Some(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        );
        for bad in ["2026-13-01", "28/11/2026", "yesterday", ""] {
            match day("--from", Some(bad)) {
                Err(Error::Usage(message)) => assert!(message.starts_with("--from: "), "{message}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
