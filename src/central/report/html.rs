//! The report's HTML: one document with its CSS inline, sections in the order a reader asks
//! (how many, when and why, where, what exploitation, what came of the referrals, how fast,
//! and how complete the data are), every text escaped.

use std::fmt::Write;

use super::svg::{self, Bar, Column};
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
    page.push_str("</header>");

    calls_by_month(&mut page, report, i18n);
    by_department(&mut page, report, i18n);
    let exploitation: Vec<Bar> = figures
        .calls_by_exploitation_type
        .iter()
        .map(|c| Bar {
            label: figures.label(Figure::CallsByExploitationType, &c.key, i18n),
            value: c.count,
        })
        .collect();
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
    let phrase = |id: &str, count: u64| {
        i18n.t_args(
            id,
            &[
                ("count", count.into()),
                ("number", grouped(count, lang).into()),
            ],
        )
    };
    let months = u64::from(months_spanned(figures.first_day, figures.last_day));
    i18n.t_args(
        "report-headline",
        &[
            ("calls", phrase("report-calls", figures.calls).into()),
            (
                "police",
                phrase("report-police-cases", figures.cases_referred_to_police).into(),
            ),
            ("months", phrase("report-months", months).into()),
        ],
    )
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
            let mut values: Vec<(usize, u64)> = stacked
                .iter()
                .enumerate()
                .map(|(index, reason)| (index, count_of(reason)))
                .collect();
            let shown: u64 = values.iter().map(|(_, v)| v).sum();
            if others {
                values.push((stacked.len(), month.calls.saturating_sub(shown)));
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
    let bars: Vec<Bar> = figures
        .calls_by_department
        .iter()
        .map(|c| Bar {
            label: figures.label(Figure::CallsByDepartment, &c.key, i18n),
            value: c.count,
        })
        .collect();
    if !bars.is_empty() {
        let _ = write!(
            page,
            "<table><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead><tbody>",
            escape(&i18n.t("report-col-department")),
            escape(&i18n.t("report-col-calls")),
            escape(&i18n.t("report-col-share")),
        );
        for bar in &bars {
            let share = if figures.calls == 0 {
                0.0
            } else {
                bar.value as f64 * 100.0 / figures.calls as f64
            };
            let _ = write!(
                page,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{share:.1}%</td></tr>",
                escape(&bar.label),
                grouped(bar.value, i18n.lang()),
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
        .map(|(_, id, count)| Bar {
            label: i18n.t(id),
            value: *count,
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
    paragraph(page, "u1", &u1_sentence(&figures.u1_to_police, i18n));
    let title = i18n.t("central-stats-overdue");
    let _ = write!(page, "<h3>{}</h3>", escape(&title));
    let bars: Vec<Bar> = figures
        .overdue_referrals_by_office
        .iter()
        .map(|c| Bar {
            label: figures.label(Figure::OverdueReferralsByOffice, &c.key, i18n),
            value: c.count,
        })
        .collect();
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
