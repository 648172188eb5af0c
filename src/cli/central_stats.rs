//! `linea central stats` and `linea central report`: central's figures across offices, as
//! text (the rows of central's F7), JSON, CSV, or a report to hand over.

use chrono::NaiveDate;

use super::args::{CentralStatsArgs, ReportArgs};
use super::context::Context;
use super::output::{Out, write_json_pretty, write_line};
use super::stats::{day, write_rows};
use crate::central::figures::{self, CentralFigures};
use crate::central::public::Hidden;
use crate::central::report::Report;
use crate::error::Error;
use crate::i18n::I18n;
use crate::platform;
use crate::store::{CentralStore, Opened, Period, Scope};

pub fn stats(ctx: &Context, args: CentralStatsArgs, out: Out<'_>) -> Result<(), Error> {
    let first = day("--from", args.from.as_deref())?;
    let last = day("--to", args.to.as_deref())?;
    let store = open_central(ctx)?;
    let scope = scope(&store, first, last, args.office)?;
    let figures = figures::figures(&store, &scope)?;
    let i18n = labels(ctx, &store);
    if args.json {
        return write_json_pretty(out, &figures);
    }
    if args.csv {
        let hidden = if args.public {
            Hidden::of(&figures)
        } else {
            Hidden::none()
        };
        return write_csv(out, &figures, &hidden, &i18n);
    }
    write_header(out, &figures, &i18n)?;
    write_rows(out, &figures::rows(&figures, &i18n))
}

pub fn report(ctx: &Context, args: ReportArgs, out: Out<'_>) -> Result<(), Error> {
    let first = day("--from", Some(&args.from))?;
    let last = day("--to", Some(&args.to))?;
    if args.out.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; choose a new file with --out",
            args.out.display()
        )));
    }
    let store = open_central(ctx)?;
    let scope = scope(&store, first, last, args.office)?;
    let report = Report::of(&store, &scope, args.public)?;
    let html = report.html(&labels(ctx, &store));
    platform::write_new(&args.out, html.as_bytes()).map_err(Error::io(&args.out))?;
    write_line(
        out,
        &format!(
            "Report for {} to {} written to {}.",
            report.figures.first_day,
            report.figures.last_day,
            args.out.display()
        ),
    )
}

fn open_central(ctx: &Context) -> Result<CentralStore, Error> {
    match ctx.open()? {
        Opened::Central(store) => Ok(store),
        Opened::Office(_) => Err(Error::Usage(
            "this is an office store; central's figures need central's store (--store)".into(),
        )),
    }
}

/// Labels in the operator's language, the reference pack's codes included.
fn labels(ctx: &Context, store: &CentralStore) -> I18n {
    let mut i18n = I18n::new(ctx.lang);
    i18n.set_code_extensions(store.code_extensions());
    i18n
}

/// The period and office asked for; an office central never enrolled is refused rather
/// than shown with no calls.
fn scope(
    store: &CentralStore,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    office: Option<String>,
) -> Result<Scope, Error> {
    let zone = store.zone();
    let today = store.now().with_timezone(&zone).date_naive();
    let period = Period::chosen(first, last, today, zone).ok_or_else(|| {
        Error::Usage(format!(
            "--from {} is after the last day, {}",
            first.map_or_else(String::new, |d| d.to_string()),
            last.unwrap_or(today)
        ))
    })?;
    if let Some(office) = &office
        && store.office(office)?.is_none()
    {
        return Err(Error::Usage(format!(
            "no office has the id '{office}' (see linea central offices)"
        )));
    }
    Ok(Scope { period, office })
}

fn write_header(out: Out<'_>, figures: &CentralFigures, i18n: &I18n) -> Result<(), Error> {
    let scope = match &figures.office {
        Some(office) => {
            let label = figures.label(figures::Figure::CallsByOffice, office, i18n);
            i18n.t_args("central-stats-office", &[("office", label.into())])
        }
        None => i18n.t("central-stats-all-offices"),
    };
    write_line(out, &scope)?;
    write_line(
        out,
        &i18n.t_args(
            "stats-period",
            &[
                ("from", figures.first_day.to_string().into()),
                ("to", figures.last_day.to_string().into()),
            ],
        ),
    )?;
    write_line(out, "")
}

/// Every cell of the figures' table, one per line; those `hidden` hides are left blank.
fn write_csv(
    out: Out<'_>,
    figures: &CentralFigures,
    hidden: &Hidden,
    i18n: &I18n,
) -> Result<(), Error> {
    if hidden.is_public() {
        write_line(
            out,
            &format!(
                "# public: counts from 1 to {} are blank, and so is any count its figure's total would give away",
                hidden.threshold() - 1
            ),
        )?;
    }
    write_line(out, "figure,key,label,value")?;
    for cell in figures.table(i18n) {
        let value = if hidden.hides(cell.figure, &cell.key) {
            String::new()
        } else {
            cell.value.to_string()
        };
        let fields = [cell.figure.name(), &cell.key, &cell.label, &value].map(csv_field);
        write_line(out, &fields.join(","))?;
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
