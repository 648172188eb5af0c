//! Named colours as the oldest terminals know them. crossterm writes even the sixteen named
//! colours in the 256-colour form (`ESC[38;5;1m`), which the Linux console and old emulators
//! may not understand; this writer turns them back into the classic codes (`ESC[31m`)
//! before they leave, one frame at a time.

use std::io::{self, Write};

/// Collects a frame and rewrites its colour codes on flush.
pub struct ClassicColors<W: Write> {
    inner: W,
    frame: Vec<u8>,
}

impl<W: Write> ClassicColors<W> {
    pub fn new(inner: W) -> ClassicColors<W> {
        ClassicColors {
            inner,
            frame: Vec::new(),
        }
    }
}

impl<W: Write> Write for ClassicColors<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rewritten = rewrite(&self.frame);
        self.frame.clear();
        self.inner.write_all(&rewritten)?;
        self.inner.flush()
    }
}

/// Rewrites every `ESC [ … m` whose parameters hold `38;5;N` or `48;5;N` with N < 16.
fn rewrite(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(start) = rest.windows(2).position(|w| w == b"\x1b[") {
        out.extend_from_slice(&rest[..start]);
        let params_start = start + 2;
        let params_len = rest[params_start..]
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b';'));
        match params_len {
            Some(len) if rest[params_start + len] == b'm' => {
                let params = &rest[params_start..params_start + len];
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(&classic(params));
                out.push(b'm');
                rest = &rest[params_start + len + 1..];
            }
            _ => {
                out.extend_from_slice(&rest[start..params_start]);
                rest = &rest[params_start..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

fn classic(params: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(params);
    let parts: Vec<&str> = text.split(';').collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let indexed = parts.get(i + 1) == Some(&"5");
        let colour = parts.get(i + 2).and_then(|n| n.parse::<u8>().ok());
        match (parts[i], indexed, colour) {
            ("38", true, Some(n)) if n < 16 => {
                out.push(if n < 8 { 30 + n } else { 82 + n }.to_string());
                i += 3;
            }
            ("48", true, Some(n)) if n < 16 => {
                out.push(if n < 8 { 40 + n } else { 92 + n }.to_string());
                i += 3;
            }
            (part, _, _) => {
                out.push(part.to_owned());
                i += 1;
            }
        }
    }
    out.join(";").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_colours_become_classic_codes() {
        assert_eq!(rewrite(b"\x1b[38;5;1mhola"), b"\x1b[31mhola");
        assert_eq!(rewrite(b"a\x1b[38;5;9;48;5;4mb"), b"a\x1b[91;44mb");
        assert_eq!(rewrite(b"\x1b[48;5;12m"), b"\x1b[104m");
        assert_eq!(rewrite(b"\x1b[38;5;6;49m"), b"\x1b[36;49m");
    }

    #[test]
    fn everything_else_passes_untouched() {
        for bytes in [
            &b"\x1b[38;5;200m"[..],
            b"\x1b[7m\x1b[27m",
            b"\x1b[?1049h\x1b[2J",
            b"\x1b[10;20H text",
            b"plain",
            b"\x1b[",
        ] {
            assert_eq!(rewrite(bytes), bytes);
        }
    }

    #[test]
    fn a_frame_is_written_on_flush() {
        let mut writer = ClassicColors::new(Vec::new());
        writer.write_all(b"\x1b[38;").unwrap();
        writer.write_all(b"5;3m!").unwrap();
        assert!(writer.inner.is_empty());
        writer.flush().unwrap();
        assert_eq!(writer.inner, b"\x1b[33m!");
    }
}
