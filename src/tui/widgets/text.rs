//! Editable text: one line (names, phones, filters) or many (notes), with normal cursor keys.
//! The cursor is a character index, so accents and ñ move as one.

use serde::{Deserialize, Serialize};

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
    /// Only multi-line text takes these.
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
            Edit::Up if multiline => {
                self.move_vertically(-1);
                false
            }
            Edit::Down if multiline => {
                self.move_vertically(1);
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

    fn move_vertically(&mut self, delta: isize) {
        let (line, column) = self.line_and_column();
        let lines: Vec<&str> = self.text.split('\n').collect();
        let target = line as isize + delta;
        if target < 0 || target as usize >= lines.len() {
            return;
        }
        let target = target as usize;
        let start: usize = lines[..target].iter().map(|l| l.chars().count() + 1).sum();
        self.cursor = start + column.min(lines[target].chars().count());
    }
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
    fn up_and_down_keep_the_column_in_notes() {
        let mut input = typed("primera línea");
        input.apply(Edit::Newline, true, 100);
        for c in "dos".chars() {
            input.apply(Edit::Char(c), true, 100);
        }
        assert_eq!(input.line_and_column(), (1, 3));
        input.apply(Edit::Up, true, 100);
        assert_eq!(input.line_and_column(), (0, 3));
        input.apply(Edit::End, true, 100);
        assert_eq!(input.line_and_column(), (0, 13));
        input.apply(Edit::Down, true, 100);
        assert_eq!(input.line_and_column(), (1, 3));
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
