//! `linea central export`: the public export, k-anonymous, to a CSV file.

use std::path::Path;

use super::context::Context;
use super::output::{Out, write_line};
use super::stats::{day, period_error};
use crate::central::export::public_export as make_export;
use crate::error::Error;
use crate::model::disclosure::MIN_K;
use crate::platform;
use crate::store::Period;

pub fn public_export(
    ctx: &Context,
    from: &str,
    to: &str,
    k: usize,
    file: &Path,
    out: Out<'_>,
) -> Result<(), Error> {
    // Checked before unlocking: a refusal should not cost a passphrase.
    if k < MIN_K {
        return Err(Error::Usage(format!(
            "--k {k} is too small: the public export groups at least {MIN_K} people (CTDC's threshold); use --k {MIN_K} or more"
        )));
    }
    let first = day("--from", Some(from))?;
    let last = day("--to", Some(to))?;
    if let (Some(first), Some(last)) = (first, last)
        && last < first
    {
        return Err(Error::Usage(format!(
            "--to {last} is before --from {first}"
        )));
    }
    let store = ctx.open_central()?;
    let zone = store.zone();
    let today = store.now().with_timezone(&zone).date_naive();
    let period = Period::chosen(first, last, today, zone)
        .ok_or_else(|| period_error(first, last.unwrap_or(today)))?;
    let export = make_export(&store, &period, k)?;
    let mut bytes = Vec::new();
    export.write(&mut bytes).map_err(Error::io(file))?;
    platform::write_atomically(file, &bytes).map_err(Error::io(file))?;
    write_line(
        out,
        &format!("Wrote {} rows to {}.", export.rows.len(), file.display()),
    )?;
    write_line(out, &export.header)
}
