//! Text helpers shared by every screen and printout.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Lowercase without accents, for matching what an operator types: "apurimac" finds
/// "APURÍMAC", "juarez" finds "Juárez".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `c` is shown as an escape rather than as itself: it could act on a terminal (C0
/// and C1 controls, ESC and CSI among them, DEL), reorder text (bidi controls and marks),
/// hide itself (zero-width characters) or start a line (line and paragraph separators).
/// Each is in the Basic Multilingual Plane, so JSON writes it as one `\uXXXX`.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' // Arabic letter mark
            | '\u{200b}'..='\u{200f}' // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner; invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{206a}'..='\u{206f}' // old shaping and digit controls
            | '\u{feff}' // zero-width no-break space (BOM)
        )
}

const ZERO_WIDTH_JOINER: char = '\u{200d}';

/// Text from outside (a record, a file, an argument, an error quoting them) made inert for
/// one line of a terminal: every character [`needs_escape`] names is shown as a visible
/// escape (`\u{1b}`, `\n`, `\u{202e}`), so nothing in it can move the cursor, recolour,
/// reorder, hide text or begin a line that would pass for linea's own. Everything else,
/// accents, ñ and emoji included, is left as it is; a zero-width joiner stays where it joins
/// two emoji into one (👩‍💻), and nowhere else.
pub fn inert(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for cluster in text.graphemes(true) {
        let chars: Vec<char> = cluster.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let joins = c == ZERO_WIDTH_JOINER
                && i > 0
                && pictographic(chars[i - 1])
                && chars.get(i + 1).copied().is_some_and(pictographic);
            if needs_escape(c) && !joins {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Emoji and the marks that dress them (skin tones, the emoji presentation selector): what
/// a zero-width joiner joins in an emoji sequence.
fn pictographic(c: char) -> bool {
    matches!(
        c,
        '\u{2300}'..='\u{23ff}' | '\u{2600}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}'
            | '\u{fe0f}' | '\u{1f000}'..='\u{1faff}'
    )
}

/// Text of several lines (notes) made inert line by line: split at each newline, every other
/// character as [`inert`] shows it. The caller sets the lines apart (indented under a
/// heading, inside a box) so that none can pass for linea's own output.
pub fn inert_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('\n').map(inert)
}

/// Text made [`inert`] on one line and cut to `width` screen columns (wide characters count
/// two), marking the cut. Screens draw one-line text through here (or [`wrap`]), so that
/// whatever a record or a file holds is shown, never obeyed.
pub fn fit(text: &str, width: usize) -> String {
    let text = inert(text);
    if text.width() <= width {
        return text;
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        cut.push(c);
        used += w;
    }
    if width > 0 {
        cut.push('~');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("APURÍMAC"), "apurimac");
        assert_eq!(fold("Juárez Ñuñoa"), "juarez nunoa");
    }

    #[test]
    fn c0_controls_escape_and_csi_sequences_are_shown_inert() {
        assert_eq!(inert("ok\x1b[2Jx"), "ok\\u{1b}[2Jx");
        assert_eq!(inert("a\x07b\x00c\x08"), "a\\u{7}b\\u{0}c\\u{8}");
        assert_eq!(inert("\x1b]0;title\x07"), "\\u{1b}]0;title\\u{7}");
    }

    #[test]
    fn newlines_tabs_and_carriage_returns_are_shown_on_one_line() {
        assert_eq!(inert("línea\nnueva\r\tx"), "línea\\nnueva\\r\\tx");
    }

    #[test]
    fn c1_controls_and_del_are_shown_inert() {
        assert_eq!(inert("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(inert("\u{9d}8;;x\u{9c}"), "\\u{9d}8;;x\\u{9c}");
        assert_eq!(inert("a\u{85}b\u{7f}"), "a\\u{85}b\\u{7f}");
    }

    #[test]
    fn bidi_controls_and_marks_are_shown_inert() {
        for c in ('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{200e}', '\u{200f}', '\u{61c}'])
        {
            let shown = inert(&format!("abc{c}def"));
            assert_eq!(shown, format!("abc\\u{{{:x}}}def", c as u32));
        }
    }

    #[test]
    fn zero_width_characters_are_shown_inert() {
        assert_eq!(inert("pe\u{200b}ru"), "pe\\u{200b}ru");
        assert_eq!(inert("a\u{200c}b\u{200d}c"), "a\\u{200c}b\\u{200d}c");
        assert_eq!(inert("\u{feff}x\u{2060}"), "\\u{feff}x\\u{2060}");
        assert_eq!(inert("a\u{2062}b\u{206f}"), "a\\u{2062}b\\u{206f}");
        // A joiner hidden in a cluster with a combining mark, or next to a letter.
        assert_eq!(inert("a\u{200d}\u{301}"), "a\\u{200d}\u{301}");
        assert_eq!(inert("😀\u{200d}x"), "😀\\u{200d}x");
    }

    #[test]
    fn line_and_paragraph_separators_are_shown_inert() {
        assert_eq!(inert("a\u{2028}b\u{2029}c"), "a\\u{2028}b\\u{2029}c");
    }

    #[test]
    fn ordinary_text_accents_and_emoji_are_left_alone() {
        for text in [
            "Juárez Ñuñoa, Cañete — «niño» ç",
            "llamó 😀 ❤\u{fe0f} 👍🏽",
            "👩\u{200d}💻 👨\u{200d}👩\u{200d}👧",
            "\\u{1b} typed by hand",
        ] {
            assert_eq!(inert(text), text);
        }
    }

    #[test]
    fn inert_text_stays_as_it_is_when_made_inert_again() {
        let hostile = "x\x1b[31m\u{9b}\u{202e}\u{200b}\u{2028}\n👩\u{200d}💻\u{7f}";
        let once = inert(hostile);
        assert!(
            once.chars()
                .filter(|c| needs_escape(*c))
                .all(|c| c == ZERO_WIDTH_JOINER),
            "only the emoji's joiner is left: {once}"
        );
        assert_eq!(inert(&once), once);
    }

    #[test]
    fn lines_keep_their_breaks_and_nothing_else() {
        let lines: Vec<String> = inert_lines("uno\x1b[2J\r\ndos\u{2028}tres\n").collect();
        assert_eq!(lines, ["uno\\u{1b}[2J\\r", "dos\\u{2028}tres", ""]);
    }
}
