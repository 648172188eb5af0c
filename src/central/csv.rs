//! Just enough CSV (RFC 4180) for the files central keeps for reference packs, and for the
//! public export it writes: fields separated by commas, quoted when they hold a comma, a
//! quote (doubled) or a line break. INEI's ubigeo table has all three. Rows remember the
//! line they start on, so an error can name it.

/// One row of a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line the row starts on, from 1.
    pub line: usize,
    pub fields: Vec<String>,
}

/// A CSV file that cannot be read: the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub reason: String,
}

/// Parses `text` into rows, skipping blank lines. A byte-order mark and CRLF line ends (as
/// spreadsheet programs write) are accepted.
pub fn parse(text: &str) -> Result<Vec<Row>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let fields = parse_row(&mut chars, &mut line)?;
        let blank = fields.len() == 1 && fields[0].is_empty();
        if !blank {
            rows.push(Row {
                line: start,
                fields,
            });
        }
    }
    Ok(rows)
}

/// One field as written: quoted when it holds a comma, a quote (doubled) or a line break.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Reads one row, up to and including its line end.
fn parse_row(chars: &mut Chars<'_>, line: &mut usize) -> Result<Vec<String>, CsvError> {
    let start = *line;
    let mut fields = Vec::new();
    loop {
        let field = if chars.peek() == Some(&'"') {
            chars.next();
            quoted(chars, line, start)?
        } else {
            unquoted(chars, *line)?
        };
        fields.push(field);
        match chars.next() {
            Some(',') => continue,
            Some('\r') => {
                if chars.next_if_eq(&'\n').is_none() {
                    return Err(error(*line, "a carriage return without a line feed"));
                }
                *line += 1;
                return Ok(fields);
            }
            Some('\n') => {
                *line += 1;
                return Ok(fields);
            }
            None => return Ok(fields),
            Some(other) => {
                return Err(error(
                    *line,
                    &format!("'{other}' after a closing quote (a field is quoted whole)"),
                ));
            }
        }
    }
}

/// A field up to the next comma or line end; a quote inside it is an error (it was meant to
/// be quoted whole).
fn unquoted(chars: &mut Chars<'_>, line: usize) -> Result<String, CsvError> {
    let mut field = String::new();
    while let Some(&c) = chars.peek() {
        match c {
            ',' | '\n' | '\r' => break,
            '"' => return Err(error(line, "a quote inside an unquoted field")),
            _ => {
                field.push(c);
                chars.next();
            }
        }
    }
    Ok(field)
}

/// A quoted field, after its opening quote, up to its closing one.
fn quoted(chars: &mut Chars<'_>, line: &mut usize, start: usize) -> Result<String, CsvError> {
    let mut field = String::new();
    loop {
        match chars.next() {
            Some('"') => {
                if chars.next_if_eq(&'"').is_some() {
                    field.push('"');
                } else {
                    return Ok(field);
                }
            }
            Some(c) => {
                if c == '\n' {
                    *line += 1;
                }
                field.push(c);
            }
            None => return Err(error(start, "a quoted field is never closed")),
        }
    }
}

fn error(line: usize, reason: &str) -> CsvError {
    CsvError {
        line,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        match parse(text) {
            Ok(rows) => rows.into_iter().map(|row| row.fields).collect(),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn plain_rows_and_a_missing_last_line_end() {
        assert_eq!(fields("a,b\n1,2"), [["a", "b"], ["1", "2"]]);
        assert_eq!(fields("a,,c\n"), [["a", "", "c"]]);
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        assert_eq!(
            fields("010519,\"San Juan de\n Lopecancha\",88\n"),
            [["010519", "San Juan de\n Lopecancha", "88"]]
        );
        assert_eq!(
            fields("\"NAZCA\",\"a, b\",\"say \"\"hi\"\"\"\n"),
            [["NAZCA", "a, b", "say \"hi\""]]
        );
        assert_eq!(fields("\"\",x"), [["", "x"]]);
    }

    #[test]
    fn rows_know_the_line_they_start_on() {
        let rows = parse("h\n\"a\nb\"\n\nc\n").unwrap_or_default();
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 5]);
    }

    #[test]
    fn a_bom_crlf_and_blank_lines_are_accepted() {
        assert_eq!(
            fields("\u{feff}a,b\r\n\r\n1,2\r\n"),
            [["a", "b"], ["1", "2"]]
        );
    }

    #[test]
    fn broken_quoting_is_an_error_naming_the_line() {
        let error = |text: &str| parse(text).err().map(|e| (e.line, e.reason));
        assert_eq!(
            error("a\n\"open,b\nc\n"),
            Some((2, "a quoted field is never closed".into()))
        );
        assert!(error("a\nab\"c,d\n").is_some_and(|(line, _)| line == 2));
        assert!(error("\"a\"b,c\n").is_some_and(|(_, reason)| reason.contains("closing quote")));
        assert!(error("a\rb\n").is_some());
    }
}
