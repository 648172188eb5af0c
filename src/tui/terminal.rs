//! The terminal: what it can show, taking it over, and giving it back in every case
//! (normal exit, error, panic).

use std::io::{self, Stdout, Write};

use crossterm::cursor;
use crossterm::execute;
use crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::colors::ClassicColors;

pub type Tty = Terminal<CrosstermBackend<ClassicColors<Stdout>>>;

/// What the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// False under `NO_COLOR`: not one colour code is sent.
    pub color: bool,
    /// False when the locale is not UTF-8 (or on request): ASCII borders, marks and text.
    pub unicode: bool,
}

impl Caps {
    /// From the environment: `NO_COLOR` (any value) and the locale's character set.
    pub fn from_env(force_ascii: bool) -> Caps {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|value| !value.is_empty())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let unicode = !force_ascii && (locale.contains("utf-8") || locale.contains("utf8"));
        Caps { color, unicode }
    }
}

/// Takes over the terminal: raw mode, the alternate screen, no mouse, no kitty keyboard
/// protocol, no cursor-position queries.
pub fn enter() -> io::Result<Tty> {
    install_panic_hook();
    terminal::enable_raw_mode()?;
    let mut stdout = io::stdout();
    // Cleared too: a terminal without an alternate screen would show the shell through.
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        Clear(ClearType::All),
        cursor::Hide
    ) {
        let _ = terminal::disable_raw_mode();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(ClassicColors::new(stdout)))
}

/// Gives the terminal back as it was. Safe to call more than once.
pub fn leave() {
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        Clear(ClearType::All),
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = stdout.flush();
}

/// Whether the terminal has gone away (its window closed, the connection dropped) while
/// linea may not have been told: SIGHUP ignored, or never sent. Reads would find nothing
/// more, ever.
pub fn gone() -> bool {
    #[cfg(unix)]
    {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        let stdin = io::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        let now = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        poll(&mut fds, Some(&now)).is_ok()
            && fds[0]
                .revents()
                .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
    }
    #[cfg(not(unix))]
    {
        // Closing a console window ends the process.
        false
    }
}

/// Writes `text` on the message line, outside the frame: for a wait that holds up the
/// loop that draws frames. The next frame must then be drawn whole.
pub fn show_outside_frame(text: &str) {
    let Ok((width, height)) = terminal::size() else {
        return;
    };
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        cursor::MoveTo(0, height.saturating_sub(2)),
        Clear(ClearType::CurrentLine),
        crossterm::style::Print(super::widgets::form::fit(text, width as usize)),
    );
}

/// Clears the screen and makes the next frame be drawn whole, without asking the terminal
/// where its cursor is (ratatui's `clear` does, and a terminal that does not answer in time
/// makes it fail).
pub fn clear(tty: &mut Tty) -> io::Result<()> {
    execute!(io::stdout(), Clear(ClearType::All))?;
    // The frame last drawn is forgotten: the next one is compared with nothing.
    tty.swap_buffers();
    Ok(())
}

/// Wipes what was on screen and the scrollback, as when the screen locks.
pub fn wipe(tty: &mut Tty) -> io::Result<()> {
    clear(tty)?;
    execute!(io::stdout(), Clear(ClearType::Purge))
}

/// On a panic: give the terminal back, then say where it happened, but not what the
/// payload says: a payload can quote record text (a failed string slice quotes the string).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        leave();
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "linea stopped on an internal error ({place}). What was saved is safe; a call being typed is in its draft. Please report this place to the developers."
        );
    }));
}
