//! Editable text: one line (names, phones, filters) or many (notes), with normal cursor keys.
//! The cursor is a character index, so accents and ñ move as one. Notes are wrapped into
//! rows by the columns their characters take on screen (an accent none, a CJK character or
//! an emoji two, a control character the width of its visible escape).

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::model::text::{inert, needs_escape};

/// A key that edits text rather than triggering an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Only multi-line text takes these: the form moves through wrapped rows (see
    /// [`TextInput::move_rows`]), which need the width they are drawn at.
    Up,
    Down,
    Newline,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextInput {
    text: String,
    /// In characters, 0..=len.
    cursor: usize,
}

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        TextInput {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Overwrites the text in memory before forgetting it (for passphrases).
    pub fn wipe(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.text);
        self.cursor = 0;
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Applies an edit; returns whether the text changed. `multiline` lets newlines and
    /// up/down through.
    pub fn apply(&mut self, edit: Edit, multiline: bool, max_chars: usize) -> bool {
        match edit {
            Edit::Char(c) => {
                if self.len() >= max_chars || c.is_control() {
                    return false;
                }
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            Edit::Newline if multiline => self.apply_char_unchecked('\n', max_chars),
            Edit::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                true
            }
            Edit::Delete if self.cursor < self.len() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            Edit::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            Edit::Right => {
                self.cursor = (self.cursor + 1).min(self.len());
                false
            }
            Edit::Home => {
                self.cursor = if multiline { self.line_start() } else { 0 };
                false
            }
            Edit::End => {
                self.cursor = if multiline {
                    self.line_end()
                } else {
                    self.len()
                };
                false
            }
            _ => false,
        }
    }

    fn apply_char_unchecked(&mut self, c: char, max_chars: usize) -> bool {
        if self.len() >= max_chars {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
        true
    }

    /// (line, column) of the cursor, both from 0, in characters.
    pub fn line_and_column(&self) -> (usize, usize) {
        let before: String = self.text.chars().take(self.cursor).collect();
        let line = before.matches('\n').count();
        let column = before
            .rsplit('\n')
            .next()
            .map_or(0, |last| last.chars().count());
        (line, column)
    }

    fn line_start(&self) -> usize {
        let (_, column) = self.line_and_column();
        self.cursor - column
    }

    fn line_end(&self) -> usize {
        let rest = self.text.chars().skip(self.cursor);
        self.cursor + rest.take_while(|c| *c != '\n').count()
    }

    /// Moves the cursor `delta` rows up or down the text wrapped at `width`, keeping its
    /// column as near as the row allows; false when there is no such row.
    pub fn move_rows(&mut self, delta: isize, width: usize) -> bool {
        let rows = wrap_rows(&self.text, width);
        let here = row_of(&rows, self.cursor);
        let Some(target) = here.checked_add_signed(delta).filter(|t| *t < rows.len()) else {
            return false;
        };
        let column = self.column_in(rows[here]);
        let row = rows[target];
        // A row that wraps on ends where the next begins: stop before, to stay on this one.
        let last = if row.soft { row.end - 1 } else { row.end };
        let mut at = row.start;
        let mut used = 0;
        for cluster in clusters_between(&self.text, row.start, row.end) {
            if used + cluster.width > column {
                break;
            }
            used += cluster.width;
            at = cluster.at + cluster.chars;
        }
        self.cursor = at.min(last);
        true
    }

    /// The text wrapped at `width` as a screen shows it, and where the cursor is on it:
    /// both from one wrapping, which is most of what a key typed in long notes costs.
    pub fn layout(&self, width: usize) -> Layout {
        let rows = wrap_rows(&self.text, width);
        let offsets = byte_offsets(&self.text);
        let row = row_of(&rows, self.cursor);
        let here = rows[row];
        let start = offsets[here.start];
        let end = offsets[self.cursor.max(here.start)];
        let column = clusters(&self.text[start..end], here.start)
            .iter()
            .map(|c| c.width)
            .sum();
        Layout {
            rows: rows
                .into_iter()
                .map(|r| inert(&self.text[offsets[r.start]..offsets[r.end]]))
                .collect(),
            cursor: (row, column),
        }
    }

    /// The columns on screen from the start of `row` to the cursor.
    fn column_in(&self, row: Row) -> usize {
        clusters_between(&self.text, row.start, self.cursor.max(row.start))
            .iter()
            .map(|c| c.width)
            .sum()
    }
}

/// Text wrapped for the screen, with its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Each row as shown ([`inert`]).
    pub rows: Vec<String>,
    /// (row, column on screen) of the cursor.
    pub cursor: (usize, usize),
}

/// One row of wrapped text: the characters `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    pub start: usize,
    pub end: usize,
    /// The line goes on in the next row (it was wrapped here, not broken by a newline).
    pub soft: bool,
}

/// Breaks `text` into rows of at most `width` columns as shown: at each newline, and where
/// a line is too long, after the last space that fits (a word longer than a row is cut
/// between characters; a space that does not fit hangs at the end of its row).
fn wrap_rows(text: &str, width: usize) -> Vec<Row> {
    // A wide character needs two columns.
    let width = width.max(2);
    let mut rows = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.chars().count();
        let mut start = line_start;
        let mut used = 0;
        // Where the row can break: after a space, and the columns used up to there.
        let mut after_space: Option<(usize, usize)> = None;
        for cluster in clusters(line, line_start) {
            let next = cluster.at + cluster.chars;
            if used + cluster.width > width && used > 0 {
                if cluster.space {
                    rows.push(Row {
                        start,
                        end: next,
                        soft: true,
                    });
                    (start, used, after_space) = (next, 0, None);
                    continue;
                }
                match after_space.take() {
                    Some((end, up_to)) if end > start => {
                        rows.push(Row {
                            start,
                            end,
                            soft: true,
                        });
                        start = end;
                        used -= up_to;
                    }
                    _ => {
                        rows.push(Row {
                            start,
                            end: cluster.at,
                            soft: true,
                        });
                        (start, used) = (cluster.at, 0);
                    }
                }
            }
            used += cluster.width;
            if cluster.space {
                after_space = Some((next, used));
            }
        }
        rows.push(Row {
            start,
            end: line_end,
            soft: false,
        });
        line_start = line_end + 1;
    }
    rows
}

/// Each row of `text` wrapped at `width`, as a screen shows it ([`inert`]).
pub fn wrapped(text: &str, width: usize) -> Vec<String> {
    let offsets = byte_offsets(text);
    wrap_rows(text, width)
        .into_iter()
        .map(|row| inert(&text[offsets[row.start]..offsets[row.end]]))
        .collect()
}

/// The row holding the cursor: where a row wraps, the cursor at its end is at the next one's
/// start.
fn row_of(rows: &[Row], cursor: usize) -> usize {
    rows.iter()
        .position(|r| cursor >= r.start && (cursor < r.end || (cursor == r.end && !r.soft)))
        .unwrap_or(rows.len().saturating_sub(1))
}

/// Where each character starts in `text`, in bytes, and where the text ends.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// The grapheme clusters of the characters `start..end` of `text`.
fn clusters_between(text: &str, start: usize, end: usize) -> Vec<Cluster> {
    let offsets = byte_offsets(text);
    clusters(&text[offsets[start]..offsets[end]], start)
}

/// A grapheme cluster (an accent stays with its letter, an emoji sequence is one).
struct Cluster {
    /// Its first character, counted in the whole text.
    at: usize,
    chars: usize,
    /// The columns it takes on screen.
    width: usize,
    space: bool,
}

/// The clusters of `part`, whose first character is the `at`th of the text.
fn clusters(part: &str, mut at: usize) -> Vec<Cluster> {
    // Printable ASCII, most notes, is one column per byte: no segmentation needed.
    if part.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return part
            .bytes()
            .enumerate()
            .map(|(i, b)| Cluster {
                at: at + i,
                chars: 1,
                width: 1,
                space: b == b' ',
            })
            .collect();
    }
    part.graphemes(true)
        .map(|cluster| {
            let chars = cluster.chars().count();
            let width = if cluster.chars().any(needs_escape) {
                inert(cluster).width()
            } else {
                cluster.width()
            };
            let space = cluster.chars().all(char::is_whitespace);
            let item = Cluster {
                at,
                chars,
                width,
                space,
            };
            at += chars;
            item
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> TextInput {
        let mut input = TextInput::default();
        for c in text.chars() {
            input.apply(Edit::Char(c), true, 100);
        }
        input
    }

    #[test]
    fn typing_and_deleting_handles_accents_as_one_character() {
        let mut input = typed("Juárez");
        assert_eq!(input.cursor(), 6);
        input.apply(Edit::Left, false, 100);
        input.apply(Edit::Left, false, 100);
        input.apply(Edit::Left, false, 100);
        input.apply(Edit::Backspace, false, 100);
        assert_eq!(input.text(), "Jurez");
        input.apply(Edit::Char('á'), false, 100);
        assert_eq!(input.text(), "Juárez");
        input.apply(Edit::Home, false, 100);
        input.apply(Edit::Delete, false, 100);
        assert_eq!(input.text(), "uárez");
    }

    #[test]
    fn up_and_down_keep_the_column_across_lines_and_wrapped_rows() {
        let mut input = typed("primera línea");
        input.apply(Edit::Newline, true, 100);
        for c in "dos".chars() {
            input.apply(Edit::Char(c), true, 100);
        }
        assert_eq!(input.layout(40).cursor, (1, 3));
        assert!(input.move_rows(-1, 40));
        assert_eq!(input.layout(40).cursor, (0, 3));
        input.apply(Edit::End, true, 100);
        assert_eq!(input.layout(40).cursor, (0, 13));
        assert!(input.move_rows(1, 40));
        assert_eq!(input.layout(40).cursor, (1, 3));
        assert!(!input.move_rows(1, 40), "no row below the last");
        // At 8 columns "primera " and "línea" are two rows: up goes to the second.
        assert_eq!(input.layout(8).cursor, (2, 3));
        assert!(input.move_rows(-1, 8));
        assert_eq!(input.layout(8).cursor, (1, 3));
        assert_eq!(input.cursor(), 11, "after the í, counted as one character");
    }

    #[test]
    fn notes_wrap_between_words_by_the_columns_characters_take() {
        // Accents take no column of their own, whether composed or not; 漢 and 👩‍💻 take two.
        let text = "Llamó desde Tambopata: la niña (e\u{301}) dice 漢字 y 👩\u{200d}💻 pide ayuda";
        let rows = wrapped(text, 12);
        assert_eq!(
            rows,
            [
                "Llamó desde ",
                "Tambopata: ",
                "la niña (e\u{301}) ",
                "dice 漢字 y ",
                "👩\u{200d}💻 pide ",
                "ayuda"
            ]
        );
        for row in &rows {
            assert!(row.trim_end().width() <= 12, "{row:?}");
        }
        assert_eq!(wrapped("otra\nlínea\n", 12), ["otra", "línea", ""]);
        // A word longer than a row is cut; a wide character never straddles two rows.
        assert_eq!(wrapped("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrapped("ab漢字", 3), ["ab", "漢", "字"]);
        // What could act on a terminal is shown as an escape, measured and kept whole.
        assert_eq!(wrapped("a\u{1b}[2J", 6), ["a", "\\u{1b}", "[2J"]);
    }

    #[test]
    fn the_cursor_at_a_wrap_is_at_the_start_of_the_next_row() {
        let input = typed("uno dos tres");
        let mut input = input;
        input.apply(Edit::Home, true, 100);
        for _ in 0..4 {
            input.apply(Edit::Right, true, 100);
        }
        assert_eq!(input.layout(5).cursor, (1, 0));
        assert!(input.move_rows(-1, 5));
        assert_eq!(input.layout(5).cursor, (0, 0));
    }

    #[test]
    fn single_line_text_ignores_newlines_and_respects_its_limit() {
        let mut input = TextInput::default();
        assert!(!input.apply(Edit::Newline, false, 3));
        for c in "abcd".chars() {
            input.apply(Edit::Char(c), false, 3);
        }
        assert_eq!(input.text(), "abc");
        assert!(
            !input.apply(Edit::Char('\u{1b}'), false, 10),
            "control characters never go in"
        );
    }
}
