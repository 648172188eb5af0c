//! Printing for people (aligned text, labels in their language, office time) and for
//! scripts (JSON).

use std::io::Write;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::error::Error;
use crate::model::{CodeExtensions, Lang, codes};

/// Where commands write: stdout, or a buffer in tests.
pub type Out<'a> = &'a mut dyn Write;

pub fn write_line(out: Out<'_>, text: &str) -> Result<(), Error> {
    writeln!(out, "{text}").map_err(stdout_error)
}

pub fn write_json<T: Serialize>(out: Out<'_>, value: &T) -> Result<(), Error> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::Input(format!("cannot print JSON: {e}")))?;
    write_line(out, &text)
}

pub fn write_json_pretty<T: Serialize>(out: Out<'_>, value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Input(format!("cannot print JSON: {e}")))?;
    write_line(out, &text)
}

pub fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        path: "standard output".into(),
        source,
    }
}

/// An instant in the office's time, to the minute.
pub fn local_time(at: DateTime<Utc>, zone: FixedOffset) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// "CODE (label)", the label in the operator's language, built-in or added by the applied
/// reference pack (`extensions`, the store's); the code alone if unknown.
pub fn coded(
    extensions: &CodeExtensions,
    list: &codes::CodeList,
    code: &str,
    lang: Lang,
) -> String {
    match extensions.label(list, code, lang) {
        Some(label) => format!("{label} ({code})"),
        None => code.to_owned(),
    }
}

pub fn coded_all(
    extensions: &CodeExtensions,
    list: &codes::CodeList,
    values: &[String],
    lang: Lang,
) -> String {
    values
        .iter()
        .map(|code| coded(extensions, list, code, lang))
        .collect::<Vec<_>>()
        .join("; ")
}

pub use crate::model::text::inert;

/// Left-aligned columns, two spaces apart.
pub fn table(out: Out<'_>, header: &[&str], rows: &[Vec<String>]) -> Result<(), Error> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        text.trim_end().to_owned()
    };
    write_line(out, &line(header.iter().map(|h| h.to_string()).collect()))?;
    for row in rows {
        write_line(out, &line(row.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let mut out = Vec::new();
        table(
            &mut out,
            &["A", "B"],
            &[
                vec!["long cell".into(), "x".into()],
                vec!["s".into(), "y".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A          B\nlong cell  x\ns          y\n"
        );
    }
}
