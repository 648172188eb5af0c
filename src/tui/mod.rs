//! The operator's terminal UI: a synchronous loop that draws the whole frame from the state,
//! reads one key, resolves it through the keymap to a named action, and updates the state.

pub mod action;
pub mod app;
mod colors;
pub mod keymap;
pub mod screens;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod widgets;

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};

use crate::store::Wait;
pub use app::{App, Options};

/// How often the app ticks: the call timer, drafts (saved within a second), auto-lock.
const TICK: Duration = Duration::from_millis(250);

/// Runs the UI on the real terminal until the operator quits; the terminal is given back
/// in every case. A terminal that goes away or fails leaves nobody at the screen: it locks
/// (drafts saved, the store closed) before linea ends.
pub fn run(app: &mut App) -> io::Result<()> {
    let mut tty = terminal::enter()?;
    let drawn_outside = Rc::new(Cell::new(false));
    tell_waits(app, drawn_outside.clone());
    let result = event_loop(app, &mut tty, &drawn_outside);
    if result.is_err() {
        app.lock();
    }
    terminal::leave();
    result
}

/// While another linea holds the store up, the loop cannot draw: the wait is written on the
/// message line directly.
fn tell_waits(app: &App, drawn_outside: Rc<Cell<bool>>) {
    let key_change = app.ui.t("wait-key-change");
    let writer = app.ui.t("wait-writer");
    let in_use = app.ui.t("wait-in-use");
    crate::store::on_wait(move |wait| {
        terminal::show_outside_frame(match wait {
            Wait::KeyChange => &key_change,
            Wait::Writer => &writer,
            Wait::InUse => &in_use,
        });
        drawn_outside.set(true);
    });
}

/// When nothing happens, the frame is drawn again this often (the call timer, countdowns):
/// an idle screen costs a slow link a few bytes a second, not a stream.
const IDLE_REDRAW: Duration = Duration::from_secs(1);

fn event_loop(
    app: &mut App,
    tty: &mut terminal::Tty,
    drawn_outside: &Cell<bool>,
) -> io::Result<()> {
    let mut last_tick = Instant::now();
    let mut last_draw: Option<Instant> = None;
    let mut changed = true;
    while !app.should_quit() {
        if app.wipe {
            terminal::wipe(tty)?;
            app.wipe = false;
        }
        if drawn_outside.replace(false) {
            terminal::clear(tty)?;
            changed = true;
        }
        if changed || last_draw.is_none_or(|at| at.elapsed() >= IDLE_REDRAW) {
            tty.draw(|frame| app.render(frame))?;
            last_draw = Some(Instant::now());
            changed = false;
        }
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        if event::poll(timeout)? {
            match event::read()? {
                // Only presses: Windows also reports releases, which would double every key.
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    app.handle_key(key);
                    changed = true;
                }
                Event::Resize(..) => {
                    tty.autoresize()?;
                    changed = true;
                }
                _ => {}
            }
        }
        if terminal::gone() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "it has gone away; the screen was locked",
            ));
        }
        if last_tick.elapsed() >= TICK {
            changed |= app.tick();
            last_tick = Instant::now();
        }
    }
    Ok(())
}
