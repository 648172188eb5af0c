//! Printing for people (aligned text, labels in their language, office time) and for
//! scripts (JSON). Every line goes through here or [`warn`], made inert: text from records,
//! files, arguments and errors is shown, never obeyed by the terminal.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::error::Error;
use crate::model::places::PlaceNames;
use crate::model::text::{inert, needs_escape};
use crate::model::{CodeExtensions, Lang, Place, codes};

/// Where commands write: stdout, or a buffer in tests.
pub type Out<'a> = &'a mut dyn Write;

/// Writes `text` as exactly one line, made inert: a newline or an escape sequence in it is
/// shown, not obeyed. Text of several lines is written a line at a time.
pub fn write_line(out: Out<'_>, text: &str) -> Result<(), Error> {
    writeln!(out, "{}", inert(text)).map_err(stdout_error)
}

/// A count with its noun in the singular or the plural: "1 batch", "3 batches".
pub fn counted(count: u64, one: &str, other: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { other })
}

/// `linea: MESSAGE` on standard error, on one line and made inert: errors and refusals quote
/// file names and what files hold.
pub fn warn(message: &str) {
    // Not eprintln: it panics when standard error is a terminal that has gone away.
    let _ = writeln!(std::io::stderr(), "linea: {}", inert(message));
}

pub fn write_json<T: Serialize>(out: Out<'_>, value: &T) -> Result<(), Error> {
    write_json_text(out, serde_json::to_string(value))
}

pub fn write_json_pretty<T: Serialize>(out: Out<'_>, value: &T) -> Result<(), Error> {
    write_json_text(out, serde_json::to_string_pretty(value))
}

fn write_json_text(out: Out<'_>, text: serde_json::Result<String>) -> Result<(), Error> {
    let text = text.map_err(|e| Error::Input(format!("cannot print JSON: {e}")))?;
    writeln!(out, "{}", escape_json(&text)).map_err(stdout_error)
}

/// JSON text with every character [`needs_escape`] names written as `\uXXXX`: serde_json
/// escapes C0 controls in strings (a raw one is layout) but leaves DEL, C1 controls, bidi
/// and zero-width characters as they are. Outside its strings JSON is ASCII, so such a
/// character stands inside a string, where the escape means the same: the document is
/// unchanged.
fn escape_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c >= '\u{7f}' && needs_escape(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
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

/// A place by name, with its code: "Huepetuhe, Manu (Madre de Dios) (170204)".
pub fn place(place: &Place, lang: Lang) -> String {
    format!("{} ({place})", place_name(place, lang))
}

/// A place by name, as lists show it: "Huepetuhe, Manu (Madre de Dios)".
pub fn place_name(place: &Place, lang: Lang) -> String {
    PlaceNames::default().label(place.as_str(), lang)
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

/// Left-aligned columns, two spaces apart; cells made inert before they are measured.
pub fn table(out: Out<'_>, header: &[&str], rows: &[Vec<String>]) -> Result<(), Error> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| inert(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
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
        write_line(out, &line(row))?;
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

    #[test]
    fn cells_are_measured_and_printed_inert() {
        let mut out = Vec::new();
        table(
            &mut out,
            &["A", "B"],
            &[vec!["x\u{1b}[2J\ny".into(), "z".into()]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A              B\nx\\u{1b}[2J\\ny  z\n"
        );
    }

    #[test]
    fn json_escapes_every_control_and_invisible_character_and_means_the_same() {
        let hostile = "a\u{1b}[2J\u{9b}31m\u{7f}\u{85}\u{202e}\u{2066}\u{200b}\u{200d}\u{feff}\u{2028}\nñ 😀 \"q\" \\";
        let value = serde_json::json!({ "notes": hostile, "list": [hostile] });
        for pretty in [false, true] {
            let mut out = Vec::new();
            if pretty {
                write_json_pretty(&mut out, &value).unwrap();
            } else {
                write_json(&mut out, &value).unwrap();
            }
            let text = String::from_utf8(out).unwrap();
            let inside = text.trim_end_matches('\n');
            assert!(!inside.contains('\n') || pretty, "{text}");
            assert!(
                !text.chars().any(|c| needs_escape(c) && c != '\n'),
                "a raw control or invisible character in {text:?}"
            );
            assert!(
                text.contains("\\u009b") && text.contains("\\u202e"),
                "{text}"
            );
            assert!(text.contains("ñ 😀"), "{text}");
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value);
        }
    }
}
