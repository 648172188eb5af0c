//! The office's figures laid out for people, in their language: one list of rows, drawn
//! by the statistics screen (F7) and printed by `linea stats`, so both say the same. Bars
//! are plain `#` characters so they read on ASCII terminals and without colour.

use unicode_width::UnicodeWidthStr;

use super::I18n;
use crate::model::codes::{self, CodeList};
use crate::model::places;
use crate::model::text::fit;
use crate::store::{self, Count, Funnel, PLACE_ABROAD, PLACE_UNKNOWN, WeekCounts};

/// The figures, by their names in `linea stats --json` and `--csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Funnel,
    CallsPerWeek,
    CallsPerWeekByReason,
    CallsByReason,
    CallsByUrgency,
    CallsByPlace,
    CallsByExploitationType,
    ReferralsByTarget,
    ReferralsByStatus,
}

impl Figure {
    pub fn name(self) -> &'static str {
        match self {
            Figure::Funnel => "funnel",
            Figure::CallsPerWeek => "calls_per_week",
            Figure::CallsPerWeekByReason => "calls_per_week_by_reason",
            Figure::CallsByReason => "calls_by_reason",
            Figure::CallsByUrgency => "calls_by_urgency",
            Figure::CallsByPlace => "calls_by_place",
            Figure::CallsByExploitationType => "calls_by_exploitation_type",
            Figure::ReferralsByTarget => "referrals_by_target",
            Figure::ReferralsByStatus => "referrals_by_status",
        }
    }

    /// The message that titles the figure.
    pub fn title_id(self) -> &'static str {
        match self {
            Figure::Funnel => "stats-funnel",
            Figure::CallsPerWeek | Figure::CallsPerWeekByReason => "stats-calls-per-week",
            Figure::CallsByReason => "stats-calls-by-reason",
            Figure::CallsByUrgency => "stats-calls-by-urgency",
            Figure::CallsByPlace => "stats-calls-by-place",
            Figure::CallsByExploitationType => "stats-calls-by-exploitation-type",
            Figure::ReferralsByTarget => "stats-referrals-by-target",
            Figure::ReferralsByStatus => "stats-referrals-by-status",
        }
    }

    fn code_list(self) -> Option<&'static CodeList> {
        match self {
            Figure::CallsByReason | Figure::CallsPerWeekByReason => Some(&codes::CONTACT_REASON),
            Figure::CallsByUrgency => Some(&codes::URGENCY),
            Figure::CallsByExploitationType => Some(&codes::EXPLOITATION_TYPE),
            Figure::ReferralsByTarget => Some(&codes::REFERRAL_TARGET_TYPE),
            Figure::ReferralsByStatus => Some(&codes::REFERRAL_STATUS),
            Figure::Funnel | Figure::CallsPerWeek | Figure::CallsByPlace => None,
        }
    }
}

/// The funnel's steps: key (as in JSON and CSV), message, count.
pub fn funnel_steps(funnel: &Funnel) -> [(&'static str, &'static str, u64); 4] {
    [
        ("calls", "stats-funnel-calls", funnel.calls),
        (
            "calls_with_case",
            "stats-funnel-calls-with-case",
            funnel.calls_with_case,
        ),
        (
            "cases_referred",
            "stats-funnel-cases-referred",
            funnel.cases_referred,
        ),
        (
            "police_investigations",
            "stats-funnel-police-investigations",
            funnel.police_investigations,
        ),
    ]
}

/// The label of one key of a figure, in the operator's language; an unknown code shows as
/// itself.
pub fn key_label(figure: Figure, key: &str, i18n: &I18n) -> String {
    match figure {
        Figure::Funnel => funnel_steps(&Funnel::default())
            .iter()
            .find(|(step, _, _)| *step == key)
            .map_or_else(|| key.to_owned(), |(_, id, _)| i18n.t(id)),
        Figure::CallsPerWeek => key.to_owned(),
        Figure::CallsByPlace => place_label(key, i18n),
        _ => match figure.code_list() {
            Some(list) => i18n.label(list, key),
            None => key.to_owned(),
        },
    }
}

/// A department by its name; calls from abroad or from nowhere known, by a message.
fn place_label(key: &str, i18n: &I18n) -> String {
    match key {
        PLACE_ABROAD => i18n.t("stats-place-abroad"),
        PLACE_UNKNOWN => i18n.t("stats-place-unknown"),
        department => {
            places::department_name(department).map_or_else(|| department.to_owned(), str::to_owned)
        }
    }
}

/// The weeks drawn: the last of the period.
const WEEKS_SHOWN: usize = 16;
/// Rows kept of the long figures; the rest are summed in one "others" row.
const TOP_REASONS: usize = 8;
const TOP_PLACES: usize = 10;
/// Plain ASCII, so bars read on any terminal and without colour.
const BAR_MARK: char = '#';
/// The reasons that get their own mark in the weekly bars; the others share `.`.
const STACK_MARKS: [char; 3] = ['#', '=', '+'];
const OTHER_MARK: char = '.';

/// One row of the figures as laid out for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Title(String),
    /// A bar: its label and count, the largest count of its figure (which fills the
    /// width), and its parts (mark, count): one part, or one per stacked reason.
    Bar {
        label: String,
        count: u64,
        max: u64,
        parts: Vec<(char, u64)>,
    },
    /// A legend line, or "nothing in this period".
    Note(String),
    Blank,
}

/// Every figure, titled, a blank row apart.
pub fn rows(figures: &store::Stats, i18n: &I18n) -> Vec<Row> {
    let funnel: Vec<(String, u64)> = funnel_steps(&figures.funnel)
        .iter()
        .map(|(_, id, count)| (i18n.t(id), *count))
        .collect();
    let mut rows = Vec::new();
    section(&mut rows, Figure::Funnel, i18n);
    bars(&mut rows, funnel);
    section(&mut rows, Figure::CallsPerWeek, i18n);
    weeks(&mut rows, figures, i18n);
    section(&mut rows, Figure::CallsByReason, i18n);
    let reasons = labelled(
        Figure::CallsByReason,
        &figures.calls_by_reason,
        TOP_REASONS,
        i18n,
    );
    bars(&mut rows, reasons);
    section(&mut rows, Figure::CallsByUrgency, i18n);
    bars(&mut rows, every_urgency(&figures.calls_by_urgency, i18n));
    let by_key = [
        (Figure::CallsByPlace, &figures.calls_by_place, TOP_PLACES),
        (
            Figure::CallsByExploitationType,
            &figures.calls_by_exploitation_type,
            usize::MAX,
        ),
        (
            Figure::ReferralsByTarget,
            &figures.referrals_by_target,
            usize::MAX,
        ),
        (
            Figure::ReferralsByStatus,
            &figures.referrals_by_status,
            usize::MAX,
        ),
    ];
    for (figure, counts, top) in by_key {
        section(&mut rows, figure, i18n);
        let labelled = labelled(figure, counts, top, i18n);
        if labelled.is_empty() {
            rows.push(Row::Note(i18n.t("stats-none")));
        }
        bars(&mut rows, labelled);
    }
    rows
}

fn section(rows: &mut Vec<Row>, figure: Figure, i18n: &I18n) {
    if !rows.is_empty() {
        rows.push(Row::Blank);
    }
    rows.push(Row::Title(i18n.t(figure.title_id())));
}

/// Labels for counts: the first `top` of them, and one row summing the others.
fn labelled(figure: Figure, counts: &[Count], top: usize, i18n: &I18n) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = counts
        .iter()
        .take(top)
        .map(|c| (key_label(figure, &c.key, i18n), c.count))
        .collect();
    let others: u64 = counts.iter().skip(top).map(|c| c.count).sum();
    if others > 0 {
        rows.push((i18n.t("stats-others"), others));
    }
    rows
}

/// All four urgencies, none left out: an empty U1 row is news too.
fn every_urgency(counts: &[Count], i18n: &I18n) -> Vec<(String, u64)> {
    codes::URGENCY
        .entries
        .iter()
        .map(|entry| {
            let count = counts
                .iter()
                .find(|c| c.key == entry.code)
                .map_or(0, |c| c.count);
            (i18n.label(&codes::URGENCY, entry.code), count)
        })
        .collect()
}

/// Plain bars, scaled together.
fn bars(rows: &mut Vec<Row>, labelled: Vec<(String, u64)>) {
    let max = labelled.iter().map(|(_, count)| *count).max().unwrap_or(0);
    rows.extend(labelled.into_iter().map(|(label, count)| Row::Bar {
        label,
        count,
        max,
        parts: vec![(BAR_MARK, count)],
    }));
}

/// One stacked bar per week: the period's most frequent reasons each with its mark, the
/// others together; a legend says which mark is which reason.
fn weeks(rows: &mut Vec<Row>, figures: &store::Stats, i18n: &I18n) {
    let stacked: Vec<&str> = figures
        .calls_by_reason
        .iter()
        .take(STACK_MARKS.len())
        .map(|c| c.key.as_str())
        .collect();
    // The legend first, so it is on screen with the bars it explains.
    let others = figures.calls_by_reason.len() > stacked.len();
    let legend = stacked
        .iter()
        .zip(STACK_MARKS)
        .map(|(reason, mark)| (mark, key_label(Figure::CallsByReason, reason, i18n)))
        .chain(others.then(|| (OTHER_MARK, i18n.t("stats-others"))));
    rows.extend(legend.map(|(mark, label)| Row::Note(format!("{mark} {label}"))));
    // A long period would be a long list: the last weeks say how things are going.
    let all = &figures.calls_per_week;
    let shown = &all[all.len().saturating_sub(WEEKS_SHOWN)..];
    if shown.len() < all.len() {
        rows.push(Row::Note(i18n.t_args(
            "stats-last-weeks",
            &[("shown", shown.len().into()), ("total", all.len().into())],
        )));
    }
    let max = shown.iter().map(|w| w.calls).max().unwrap_or(0);
    for week in shown {
        rows.push(Row::Bar {
            label: week.week.to_string(),
            count: week.calls,
            max,
            parts: week_parts(week, &stacked),
        });
    }
}

/// A week's calls split between the stacked reasons and the others.
fn week_parts(week: &WeekCounts, stacked: &[&str]) -> Vec<(char, u64)> {
    let count_of = |reason: &str| {
        week.reasons
            .iter()
            .find(|c| c.key == reason)
            .map_or(0, |c| c.count)
    };
    let mut parts: Vec<(char, u64)> = stacked
        .iter()
        .zip(STACK_MARKS)
        .map(|(reason, mark)| (mark, count_of(reason)))
        .collect();
    let stacked_total: u64 = parts.iter().map(|(_, count)| count).sum();
    parts.push((OTHER_MARK, week.calls.saturating_sub(stacked_total)));
    parts
}

/// The length of a bar for `count` when `max` fills `width`; never zero for a count that is
/// not zero, so one call still shows.
fn bar_length(count: u64, max: u64, width: usize) -> usize {
    if count == 0 || max == 0 || width == 0 {
        return 0;
    }
    let length = (count as f64 * width as f64 / max as f64).round() as usize;
    length.clamp(1, width)
}

/// A bar of `width` columns at most, its parts in proportion; the cut points are rounded
/// from the running total so the parts always add up to the bar.
pub fn bar_text(count: u64, max: u64, parts: &[(char, u64)], width: usize) -> String {
    let length = bar_length(count, max, width);
    let mut bar = String::with_capacity(length);
    if length == 0 {
        return bar;
    }
    let mut running = 0;
    let mut drawn = 0;
    for (mark, part) in parts {
        running += part;
        let end = ((running as f64 * length as f64 / count as f64).round() as usize).min(length);
        bar.extend(std::iter::repeat_n(*mark, end.saturating_sub(drawn)));
        drawn = drawn.max(end);
    }
    bar
}

/// `text` cut or padded with spaces to exactly `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let mut text = fit(text, width);
    let used = text.width();
    text.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Period;
    use chrono::NaiveDate;

    fn week(reasons: &[(&str, u64)]) -> WeekCounts {
        WeekCounts {
            week: "2026-11-23".parse().unwrap(),
            calls: reasons.iter().map(|(_, n)| n).sum(),
            reasons: reasons
                .iter()
                .map(|(key, count)| Count {
                    key: (*key).into(),
                    count: *count,
                })
                .collect(),
        }
    }

    #[test]
    fn bars_are_proportional_and_a_single_call_still_shows() {
        assert_eq!(bar_length(10, 10, 40), 40);
        assert_eq!(bar_length(5, 10, 40), 20);
        assert_eq!(bar_length(1, 1000, 40), 1);
        assert_eq!(bar_length(0, 1000, 40), 0);
        assert_eq!(bar_length(3, 0, 40), 0);
        assert_eq!(bar_length(3, 10, 0), 0);
    }

    #[test]
    fn stacked_bars_add_up_to_their_length() {
        let w = week(&[
            ("TIP", 5),
            ("CRISIS", 3),
            ("NS_SILENT", 1),
            ("OUT_OF_SCOPE", 1),
        ]);
        let parts = week_parts(&w, &["TIP", "CRISIS", "GENERAL_INFO"]);
        assert_eq!(parts, [('#', 5), ('=', 3), ('+', 0), ('.', 2)]);
        assert_eq!(bar_text(10, 10, &parts, 10), "#####===..");
        // Half as long when another week has twice the calls.
        assert_eq!(bar_text(10, 20, &parts, 10), "###=.");
        for width in 0..30 {
            let bar = bar_text(10, 10, &parts, width);
            assert_eq!(bar.chars().count(), width, "{width}");
        }
        assert_eq!(bar_text(0, 10, &week_parts(&week(&[]), &["TIP"]), 10), "");
    }

    #[test]
    fn labels_are_padded_to_their_column() {
        assert_eq!(pad("Lima", 6), "Lima  ");
        assert_eq!(pad("Áncash", 6), "Áncash");
        assert_eq!(pad("Madre de Dios", 6).width(), 6);
    }

    #[test]
    fn every_key_has_a_label_in_every_language() {
        for lang in crate::model::Lang::ALL {
            let i18n = I18n::new(lang);
            assert_eq!(
                key_label(Figure::CallsByPlace, "17", &i18n),
                "Madre de Dios"
            );
            for key in [PLACE_ABROAD, PLACE_UNKNOWN] {
                let label = key_label(Figure::CallsByPlace, key, &i18n);
                assert!(!label.starts_with("stats-"), "{lang}: {label}");
            }
            for (key, _, _) in funnel_steps(&Funnel::default()) {
                let label = key_label(Figure::Funnel, key, &i18n);
                assert!(!label.starts_with("stats-"), "{lang}: {label}");
            }
            assert_ne!(key_label(Figure::CallsByReason, "TIP", &i18n), "TIP");
            assert_eq!(
                key_label(Figure::CallsByReason, "NO_SUCH", &i18n),
                "NO_SUCH"
            );
        }
    }

    #[test]
    fn a_long_period_shows_its_last_weeks_and_says_so() {
        let monday: NaiveDate = "2026-01-05".parse().unwrap();
        let weeks: Vec<WeekCounts> = (0..20)
            .map(|n| WeekCounts {
                week: monday + chrono::TimeDelta::weeks(n),
                calls: 0,
                reasons: Vec::new(),
            })
            .collect();
        let figures = store::Stats {
            period: Period {
                from: chrono::Utc::now(),
                to: chrono::Utc::now(),
            },
            calls_per_week: weeks,
            calls_by_reason: Vec::new(),
            calls_by_urgency: Vec::new(),
            calls_by_place: Vec::new(),
            calls_by_exploitation_type: Vec::new(),
            referrals_by_target: Vec::new(),
            referrals_by_status: Vec::new(),
            funnel: Funnel::default(),
        };
        let rows = rows(&figures, &I18n::new(crate::model::Lang::En));
        let weeks: Vec<&str> = rows
            .iter()
            .filter_map(|row| match row {
                Row::Bar { label, .. } if label.starts_with("2026-") => Some(label.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(weeks.len(), WEEKS_SHOWN);
        assert_eq!(weeks.last(), Some(&"2026-05-18"));
        assert!(rows.contains(&Row::Note("The last 16 of the period's 20 weeks".into())));
        // Empty figures say so rather than showing nothing; urgencies show all four.
        assert!(rows.contains(&Row::Note("Nothing in this period.".into())));
        let zero_bars = rows
            .iter()
            .filter(|row| matches!(row, Row::Bar { count: 0, .. }))
            .count();
        assert_eq!(zero_bars, WEEKS_SHOWN + 4 + 4);
    }
}
