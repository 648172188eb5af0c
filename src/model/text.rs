//! Text helpers shared by every screen and printout.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercase without accents, for matching what an operator types: "apurimac" finds
/// "APURÍMAC", "juarez" finds "Juárez".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Record text made safe for a terminal: control characters (escape sequences included)
/// are shown as visible escapes and never reach the terminal. Newlines are kept.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
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
    fn escape_sequences_in_records_are_shown_inert() {
        assert_eq!(inert("ok\x1b[2Jx"), "ok\\u{1b}[2Jx");
        assert_eq!(inert("línea\nnueva\r"), "línea\nnueva\\r");
        assert_eq!(inert("\u{9b}31m"), "\\u{9b}31m");
    }
}
