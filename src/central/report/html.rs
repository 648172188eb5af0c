//! The report's HTML: one document with its CSS inline, sections in the order a reader asks
//! (how many, when and why, where, what exploitation, what came of the referrals, how fast,
//! and how complete the data are), every text escaped.

use std::fmt::Write;

use super::svg::{self, Bar, Column, HIDDEN};
use super::{Report, escape};
use crate::central::figures::{Figure, funnel_steps, months_spanned, u1_sentence};
use crate::central::status::OfficeStatus;
use crate::i18n::I18n;
use crate::model::Lang;

/// The reasons with their own colour in the monthly chart; the others share one.
const STACKED_REASONS: usize = svg::SERIES - 1;

/// Print-friendly: black text, light rules, colours that survive greyscale, no web font.
const CSS: &str = "
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: #111;
       max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #999; margin-top: 2rem; }
.headline { font-size: 1.3rem; font-weight: bold; }
.note, footer { color: #444; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { width: 100%; height: auto; margin: 0.5rem 0; }
svg.chart .label, svg.chart .value { font-size: 11px; fill: #111; }
svg.chart .bar { fill: #2b5d8a; }
.s0 { fill: #2b5d8a; } .s1 { fill: #d9822b; } .s2 { fill: #4f9a5b; }
.s3 { fill: #b5443c; } .s4 { fill: #7d5ba6; } .s5 { fill: #9a9a9a; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
svg.swatch { vertical-align: middle; margin-right: 0.3rem; }
section { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
";

pub fn document(report: &Report, i18n: &I18n) -> String {
    let figures = &report.figures;
    let lang = i18n.lang();
    let title = i18n.t("report-title");
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>",
        lang.code(),
        escape(&title)
    );
    let _ = write!(page, "<header><h1>{}</h1>", escape(&title));
    paragraph(
        &mut page,
        "period",
        &i18n.t_args(
            "report-period",
            &[
                ("from", figures.first_day.to_string().into()),
                ("to", figures.last_day.to_string().into()),
            ],
        ),
    );
    if let Some(office) = &figures.office {
        let label = figures.label(Figure::CallsByOffice, office, i18n);
        paragraph(
            &mut page,
            "period",
            &i18n.t_args("report-scope-office", &[("office", label.into())]),
        );
    }
    paragraph(&mut page, "headline", &headline(report, i18n));
    paragraph(&mut page, "note", &i18n.t("report-contents"));
    if report.hidden.is_public() {
        paragraph(
            &mut page,
            "note",
            &i18n.t_args(
                "report-public-note",
                &[("max", (report.hidden.threshold() - 1).into())],
            ),
        );
    }
    page.push_str("</header>");

    calls_by_month(&mut page, report, i18n);
    by_department(&mut page, report, i18n);
    let exploitation = list_bars(report, Figure::CallsByExploitationType, i18n);
    chart_section(
        &mut page,
        &i18n.t("report-exploitation"),
        &exploitation,
        i18n,
    );
    funnel(&mut page, report, i18n);
    response_times(&mut page, report, i18n);
    sync_health(&mut page, report, i18n);

    let made = report.made.with_timezone(&report.zone).date_naive();
    let _ = write!(
        page,
        "<footer><p>{}</p></footer></body></html>",
        escape(&i18n.t_args("report-made", &[("date", made.to_string().into())]))
    );
    page.push('\n');
    page
}

/// "8,500 calls, 70 cases referred to the police in 17 months."
fn headline(report: &Report, i18n: &I18n) -> String {
    let figures = &report.figures;
    let lang = i18n.lang();
    // A hidden total reads "<11", counted as a plural.
    let phrase = |id: &str, key: &str, count: u64| {
        let (count, number) = if report.hidden.hides(Figure::Totals, key) {
            let k = report.hidden.threshold();
            (k, format!("<{}", grouped(k, lang)))
        } else {
            (count, grouped(count, lang))
        };
        i18n.t_args(id, &[("count", count.into()), ("number", number.into())])
    };
    let months = u64::from(months_spanned(figures.first_day, figures.last_day));
    i18n.t_args(
        "report-headline",
        &[
            (
                "calls",
                phrase("report-calls", "calls", figures.calls).into(),
            ),
            (
                "police",
                phrase(
                    "report-police-cases",
                    "cases_referred_to_police",
                    figures.cases_referred_to_police,
                )
                .into(),
            ),
            ("months", phrase("report-months", "", months).into()),
        ],
    )
}

/// A count as published: `None` when the report hides it.
fn shown(report: &Report, figure: Figure, key: &str, count: u64) -> Option<u64> {
    (!report.hidden.hides(figure, key)).then_some(count)
}

/// The bars of a figure that is one list of counts.
fn list_bars(report: &Report, figure: Figure, i18n: &I18n) -> Vec<Bar> {
    let figures = &report.figures;
    figures
        .counts(figure)
        .iter()
        .map(|c| Bar {
            label: figures.label(figure, &c.key, i18n),
            value: shown(report, figure, &c.key, c.count),
        })
        .collect()
}

/// A number with its thousands grouped as the language writes them.
pub fn grouped(number: u64, lang: Lang) -> String {
    let separator = match lang {
        Lang::En => ',',
        // A no-break space: the number stays on one line.
        Lang::Es | Lang::Fr => '\u{a0}',
    };
    let digits = number.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(separator);
        }
        text.push(digit);
    }
    text
}

fn paragraph(page: &mut String, class: &str, text: &str) {
    let _ = write!(page, "<p class=\"{class}\">{}</p>", escape(text));
}

fn heading(page: &mut String, title: &str) {
    let _ = write!(page, "<section><h2>{}</h2>", escape(title));
}

fn chart_section(page: &mut String, title: &str, bars: &[Bar], i18n: &I18n) {
    heading(page, title);
    chart_or_none(page, title, bars, i18n);
    page.push_str("</section>");
}

fn chart_or_none(page: &mut String, title: &str, bars: &[Bar], i18n: &I18n) {
    if bars.is_empty() {
        paragraph(page, "note", &i18n.t("stats-none"));
    } else {
        page.push_str(&svg::bars(title, bars));
    }
}

/// Months as stacked columns of the period's most frequent reasons, the others together.
fn calls_by_month(page: &mut String, report: &Report, i18n: &I18n) {
    let figures = &report.figures;
    let title = i18n.t("report-calls-by-month");
    heading(page, &title);
    let stacked: Vec<&str> = figures
        .calls_by_reason
        .iter()
        .take(STACKED_REASONS)
        .map(|c| c.key.as_str())
        .collect();
    let mut series: Vec<String> = stacked
        .iter()
        .map(|reason| figures.label(Figure::CallsByReason, reason, i18n))
        .collect();
    let others = figures.calls_by_reason.len() > stacked.len();
    if others {
        series.push(i18n.t("stats-others"));
    }
    let columns: Vec<Column> = figures
        .calls_per_month
        .iter()
        .map(|month| {
            let count_of = |reason: &str| {
                month
                    .reasons
                    .iter()
                    .find(|c| c.key == reason)
                    .map_or(0, |c| c.count)
            };
            // A hidden count is left out, of its reason's bar and of the others' alike.
            let visible = |reason: &str| {
                let key = format!("{}/{reason}", month.month);
                !report.hidden.hides(Figure::CallsPerMonthByReason, &key)
            };
            let mut values: Vec<(usize, u64)> = stacked
                .iter()
                .enumerate()
                .filter(|(_, reason)| visible(reason))
                .map(|(index, reason)| (index, count_of(reason)))
                .collect();
            if others {
                let rest = month
                    .reasons
                    .iter()
                    .filter(|c| !stacked.contains(&c.key.as_str()) && visible(&c.key))
                    .map(|c| c.count)
                    .sum();
                values.push((stacked.len(), rest));
            }
            Column {
                label: month.month.clone(),
                values,
            }
        })
        .collect();
    page.push_str(&svg::stacked_columns(&title, &columns, &series));
    page.push_str("<ul class=\"legend\">");
    for (index, name) in series.iter().enumerate() {
        let _ = write!(page, "<li>{}{}</li>", svg::swatch(index), escape(name));
    }
    page.push_str("</ul></section>");
}

/// A table (department, calls, share) and the same as bars.
fn by_department(page: &mut String, report: &Report, i18n: &I18n) {
    let figures = &report.figures;
    let title = i18n.t("report-by-department");
    heading(page, &title);
    let bars = list_bars(report, Figure::CallsByDepartment, i18n);
    if !bars.is_empty() {
        let _ = write!(
            page,
            "<table><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead><tbody>",
            escape(&i18n.t("report-col-department")),
            escape(&i18n.t("report-col-calls")),
            escape(&i18n.t("report-col-share")),
        );
        for bar in &bars {
            let (count, share) = match bar.value {
                Some(count) if figures.calls > 0 => (
                    grouped(count, i18n.lang()),
                    format!("{:.1}%", count as f64 * 100.0 / figures.calls as f64),
                ),
                Some(count) => (grouped(count, i18n.lang()), "-".to_owned()),
                None => (HIDDEN.to_owned(), HIDDEN.to_owned()),
            };
            let _ = write!(
                page,
                "<tr><td>{}</td><td class=\"n\">{count}</td><td class=\"n\">{share}</td></tr>",
                escape(&bar.label),
            );
        }
        page.push_str("</tbody></table>");
    }
    chart_or_none(page, &title, &bars, i18n);
    page.push_str("</section>");
}

fn funnel(page: &mut String, report: &Report, i18n: &I18n) {
    let title = i18n.t("report-funnel");
    heading(page, &title);
    let bars: Vec<Bar> = funnel_steps(&report.figures.funnel)
        .iter()
        .map(|(key, id, count)| Bar {
            label: i18n.t(id),
            value: shown(report, Figure::Funnel, key, *count),
        })
        .collect();
    page.push_str(&svg::bars(&title, &bars));
    paragraph(page, "note", &i18n.t("report-funnel-note"));
    page.push_str("</section>");
}

/// From U1 calls to the police, and the referrals overdue today by office.
fn response_times(page: &mut String, report: &Report, i18n: &I18n) {
    let figures = &report.figures;
    heading(page, &i18n.t("report-response"));
    let _ = write!(
        page,
        "<h3>{}</h3>",
        escape(&i18n.t("central-stats-u1-to-police"))
    );
    let u1 = if report.hidden.hides(Figure::U1ToPolice, "calls") {
        i18n.t_args(
            "report-u1-hidden",
            &[("k", report.hidden.threshold().into())],
        )
    } else {
        u1_sentence(&figures.u1_to_police, i18n)
    };
    paragraph(page, "u1", &u1);
    let title = i18n.t("central-stats-overdue");
    let _ = write!(page, "<h3>{}</h3>", escape(&title));
    let bars = list_bars(report, Figure::OverdueReferralsByOffice, i18n);
    chart_or_none(page, &title, &bars, i18n);
    page.push_str("</section>");
}

/// Each office's last batch, when central imported it and how long ago, and its state.
fn sync_health(page: &mut String, report: &Report, i18n: &I18n) {
    heading(page, &i18n.t("report-sync"));
    let columns = [
        "report-col-office",
        "report-col-name",
        "report-col-last-batch",
        "report-col-last-import",
        "report-col-days-since",
        "report-col-state",
    ];
    page.push_str("<table><thead><tr>");
    for (index, id) in columns.iter().enumerate() {
        let class = if matches!(index, 2 | 4) {
            " class=\"n\""
        } else {
            ""
        };
        let _ = write!(page, "<th{class}>{}</th>", escape(&i18n.t(id)));
    }
    page.push_str("</tr></thead><tbody>");
    for office in &report.offices {
        let imported = office.last_import_at();
        let day = imported.map_or_else(
            || i18n.t("report-never"),
            |t| t.with_timezone(&report.zone).date_naive().to_string(),
        );
        let since = imported.map_or_else(
            || "-".to_owned(),
            |t| (report.made - t).num_days().max(0).to_string(),
        );
        let batch = office
            .last_batch
            .map_or_else(|| "-".to_owned(), |b| b.to_string());
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&office.office),
            escape(&office.name),
            escape(&batch),
            escape(&day),
            escape(&since),
            escape(&i18n.t(state(office))),
        );
    }
    page.push_str("</tbody></table></section>");
}

/// The office's state, as central's home shows it.
fn state(office: &OfficeStatus) -> &'static str {
    if office.revoked_at.is_some() {
        "central-state-revoked"
    } else if !office.registered {
        "central-state-unregistered"
    } else if office.overdue {
        "central-state-overdue"
    } else if !office.alerts.is_empty() || !office.missing.is_empty() || office.conflicts > 0 {
        "central-state-check"
    } else {
        "central-state-ok"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_as_each_language_writes_them() {
        assert_eq!(grouped(0, Lang::En), "0");
        assert_eq!(grouped(999, Lang::En), "999");
        assert_eq!(grouped(8_500, Lang::En), "8,500");
        assert_eq!(grouped(1_234_567, Lang::En), "1,234,567");
        assert_eq!(grouped(8_500, Lang::Es), "8\u{a0}500");
        assert_eq!(grouped(120_000, Lang::Fr), "120\u{a0}000");
    }
}
