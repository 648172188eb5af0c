//! Sync (F9): pick the USB stick's folder (the mounted sticks the platform reports, or any
//! folder typed), watch the sync go phase by phase, and read what was sent to central and
//! what came back. The sync runs on ticks, one step each, so the screen says "Syncing…"
//! and moves its gauge while the stick is read and written. On central's store the same
//! screen imports the offices' batches and leaves each its receipt and pack.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::{Env, Input, Nav, Place, Screen};
use crate::central::import::ImportError;
use crate::central::sync::{CentralSyncReport, central_sync};
use crate::exchange::ExchangeError;
use crate::exchange::sync::{OfficeSync, Phase, SyncReport};
use crate::store::OfficeSetting;
use crate::tui::action::{Action, Context};
use crate::tui::ui::Ui;
use crate::tui::widgets::form::{TextMode, fit, wrap};
use crate::tui::widgets::text::TextInput;

/// Longest folder path accepted as typed.
const MAX_PATH_CHARS: usize = 1000;

enum Step {
    /// Choosing the folder: `selected` is a mounted stick, or the typed row after them.
    Choose { selected: usize },
    /// Syncing; `sync` is `None` until the first tick starts it.
    Running {
        dir: PathBuf,
        sync: Option<OfficeSync>,
    },
    Finished {
        dir: PathBuf,
        report: Report,
        error: Option<String>,
    },
}

/// What a finished sync did, at an office or at central.
enum Report {
    Office(SyncReport),
    Central(CentralSyncReport),
}

pub struct SyncScreen {
    step: Step,
    /// Mounted removable media, found when the screen opened.
    sticks: Vec<PathBuf>,
    /// Where they were looked for, to say so when there are none.
    roots: Vec<PathBuf>,
    typed: TextInput,
    /// Days a batch may wait for its receipt before the report warns.
    warn_after: Option<i64>,
    /// Central's store: it imports the stick's batches instead.
    central: bool,
}

impl SyncScreen {
    /// The screen at its start, offering the folders mounted under `media_roots`.
    pub fn new(env: &mut Env, media_roots: &[PathBuf]) -> SyncScreen {
        let sticks = crate::platform::mounted_folders(media_roots);
        let warn_after = env
            .store
            .office_setting(OfficeSetting::ReceiptWarningDays)
            .ok()
            .flatten()
            .and_then(|days| i64::try_from(days).ok());
        SyncScreen {
            step: Step::Choose { selected: 0 },
            sticks,
            roots: media_roots.to_vec(),
            typed: TextInput::default(),
            warn_after,
            central: env.store.is_central(),
        }
    }

    fn typed_row(&self) -> usize {
        self.sticks.len()
    }

    fn choose(&mut self, input: Input) {
        let Step::Choose { selected } = &mut self.step else {
            return;
        };
        let typed_row = self.sticks.len();
        match input {
            Input::Edit(edit) => {
                // Typing always goes to the folder typed, wherever the selection was.
                *selected = typed_row;
                self.typed.apply(edit, false, MAX_PATH_CHARS);
            }
            Input::Action(Action::MoveUp) => *selected = selected.saturating_sub(1),
            Input::Action(Action::MoveDown) => *selected = (*selected + 1).min(typed_row),
            Input::Action(Action::First) => *selected = 0,
            Input::Action(Action::Last) => *selected = typed_row,
            Input::Action(Action::Confirm) => {
                let dir = match self.sticks.get(*selected) {
                    Some(stick) => stick.clone(),
                    None => PathBuf::from(self.typed.text().trim()),
                };
                if !dir.as_os_str().is_empty() {
                    self.step = Step::Running { dir, sync: None };
                }
            }
            _ => {}
        }
    }

    /// One step of the running sync.
    fn advance(&mut self, env: &mut Env) {
        let Step::Running { dir, sync } = &mut self.step else {
            return;
        };
        let dir = std::mem::take(dir);
        if self.central {
            // One step: central's import has no phases to show.
            let synced = env.store.as_central_mut().map_err(ImportError::from);
            self.step = match synced.and_then(|central| central_sync(central, &dir)) {
                Ok(report) => Step::Finished {
                    dir,
                    report: Report::Central(report),
                    error: None,
                },
                Err(e) => Step::Finished {
                    dir,
                    report: Report::Central(CentralSyncReport::default()),
                    error: Some(e.to_string()),
                },
            };
            return;
        }
        // What was done before an error stands (each step commits on its own) and is shown
        // with it; the next sync picks up from there.
        let outcome = match sync.take() {
            None => OfficeSync::start(&dir).map_err(|e| (SyncReport::default(), e)),
            Some(mut running) => match env
                .store
                .as_office_mut()
                .map_err(ExchangeError::from)
                .and_then(|office| running.step(office))
            {
                Ok(_) => Ok(running),
                Err(e) => Err((running.into_report(), e)),
            },
        };
        self.step = match outcome {
            Ok(running) if running.phase() == Phase::Done => Step::Finished {
                dir,
                report: Report::Office(running.into_report()),
                error: None,
            },
            Ok(running) => Step::Running {
                dir,
                sync: Some(running),
            },
            Err((report, e)) => Step::Finished {
                dir,
                report: Report::Office(report),
                error: Some(e.to_string()),
            },
        };
        if let Step::Finished {
            report: Report::Office(report),
            ..
        } = &self.step
            && !report.packs_applied.is_empty()
        {
            env.reference_changed = true;
        }
    }
}

impl Screen for SyncScreen {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-sync")
    }

    fn contexts(&self) -> Vec<Context> {
        match self.step {
            // A pick list with a typed row: enter takes the choice, typing goes to the row.
            Step::Choose { .. } => vec![Context::Dialog],
            _ => vec![Context::List],
        }
    }

    fn text_mode(&self) -> TextMode {
        match self.step {
            Step::Choose { .. } => TextMode::Line,
            _ => TextMode::None,
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        match self.step {
            Step::Choose { .. } => vec![Action::Confirm, Action::Back, Action::Home, Action::Help],
            Step::Running { .. } => vec![Action::Help],
            Step::Finished { .. } => vec![Action::Sync, Action::Back, Action::Home, Action::Help],
        }
    }

    fn handle(&mut self, input: Input, _env: &mut Env) -> Nav {
        match &self.step {
            // Leaving mid-sync would leave the operator guessing what reached the stick.
            Step::Running { .. } => Nav::Stay,
            _ if input == Input::Action(Action::Back) => Nav::Pop,
            Step::Choose { .. } => {
                self.choose(input);
                Nav::Stay
            }
            // The sync key, as the report and key bar say; Enter too, where hands expect it.
            Step::Finished { dir, .. }
                if matches!(input, Input::Action(Action::Sync | Action::Open)) =>
            {
                // Again means the same folder: a typed one may not be the first row.
                let selected = self
                    .sticks
                    .iter()
                    .position(|stick| stick == dir)
                    .unwrap_or(self.typed_row());
                self.step = Step::Choose { selected };
                Nav::Stay
            }
            _ => Nav::Stay,
        }
    }

    fn tick(&mut self, env: &mut Env) -> Nav {
        self.advance(env);
        Nav::Stay
    }

    fn busy(&self) -> bool {
        matches!(self.step, Step::Running { .. })
    }

    fn place(&self) -> Place {
        Place::Sync
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let width = area.width as usize;
        match &self.step {
            Step::Choose { selected } => self.render_choice(frame, area, ui, *selected),
            Step::Running { dir, sync } => {
                let phase = sync.as_ref().map_or(Phase::ReadingMail, OfficeSync::phase);
                render_running(frame, area, ui, dir, phase);
            }
            Step::Finished { dir, report, error } => {
                let mut lines = match report {
                    Report::Office(report) => {
                        report_lines(ui, dir, report, error.as_deref(), self.warn_after, width)
                    }
                    Report::Central(report) => {
                        central_report_lines(ui, dir, report, error.as_deref(), width)
                    }
                };
                lines.extend(again_lines(ui));
                frame.render_widget(Paragraph::new(lines), area);
            }
        }
    }
}

impl SyncScreen {
    fn render_choice(&self, frame: &mut Frame, area: Rect, ui: &Ui, selected: usize) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let mut lines: Vec<Line> = wrap(&ui.t("sync-choose"), width)
            .into_iter()
            .map(Line::from)
            .collect();
        lines.push(Line::from(""));
        if self.sticks.is_empty() {
            let places = self
                .roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let text = if places.is_empty() {
                ui.t("sync-no-media-here")
            } else {
                ui.i18n
                    .t_args("sync-no-media", &[("places", places.into())])
            };
            lines.extend(
                wrap(&text, width)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.dim()))),
            );
            lines.push(Line::from(""));
        }
        let row_style = |chosen: bool| {
            if chosen {
                theme.selected()
            } else {
                theme.plain()
            }
        };
        let marker = |chosen: bool| if chosen { theme.marker() } else { " " };
        for (index, stick) in self.sticks.iter().enumerate() {
            let chosen = index == selected;
            let text = format!("{} {}", marker(chosen), stick.display());
            lines.push(Line::from(Span::styled(
                fit(&text, width),
                row_style(chosen),
            )));
        }
        let chosen = selected == self.typed_row();
        let label = format!("{} {}: ", marker(chosen), ui.t("sync-folder"));
        let label_width = label.chars().count();
        let room = width.saturating_sub(label_width + 1);
        // A long path shows its end, where the cursor is.
        let typed = self.typed.text();
        let skip = typed.chars().count().saturating_sub(room);
        let shown: String = typed.chars().skip(skip).collect();
        let row = lines.len();
        lines.push(Line::from(vec![
            Span::styled(label, row_style(chosen)),
            Span::raw(crate::model::text::inert(&shown)),
        ]));
        frame.render_widget(Paragraph::new(lines), area);
        if chosen && row < area.height as usize {
            let column = label_width + self.typed.cursor().saturating_sub(skip);
            frame.set_cursor_position((
                area.x + column.min(width.saturating_sub(1)) as u16,
                area.y + row as u16,
            ));
        }
    }
}

fn phase_message(phase: Phase) -> &'static str {
    match phase {
        Phase::ReadingMail => "sync-phase-reading",
        Phase::MakingBatches => "sync-phase-making",
        Phase::WritingBatches => "sync-phase-writing",
        Phase::Retention => "sync-phase-retention",
        Phase::Done => "sync-phase-done",
    }
}

fn render_running(frame: &mut Frame, area: Rect, ui: &Ui, dir: &Path, phase: Phase) {
    let theme = &ui.theme;
    let width = area.width as usize;
    let lines = vec![
        Line::from(Span::styled(ui.t("sync-running"), theme.title())),
        Line::from(fit(&dir.display().to_string(), width)),
        Line::from(""),
        Line::from(Span::styled(ui.t(phase_message(phase)), theme.label())),
        Line::from(""),
    ];
    let height = (lines.len() as u16).min(area.height);
    frame.render_widget(Paragraph::new(lines), Rect { height, ..area });
    if area.height <= height {
        return;
    }
    let bar = Rect {
        y: area.y + height,
        height: 1,
        width: area.width.min(60),
        ..area
    };
    let ratio = phase.progress().clamp(0.0, 1.0);
    let percent = format!("{:.0}%", ratio * 100.0);
    if theme.caps().unicode {
        let gauge = Gauge::default()
            .gauge_style(theme.label())
            .ratio(ratio)
            .label(percent);
        frame.render_widget(gauge, bar);
    } else {
        // Gauge fills with a block character a plain-ASCII terminal cannot show.
        let inner = usize::from(bar.width).saturating_sub(2 + 5);
        let filled = (inner as f64 * ratio).round() as usize;
        let text = format!(
            "[{}{}] {percent}",
            "#".repeat(filled),
            "-".repeat(inner - filled)
        );
        frame.render_widget(Paragraph::new(text), bar);
    }
}

/// What the sync did, as the operator reads it: what came back, what went, what stayed.
fn report_lines(
    ui: &Ui,
    dir: &Path,
    report: &SyncReport,
    error: Option<&str>,
    warn_after: Option<i64>,
    width: usize,
) -> Vec<Line<'static>> {
    let theme = &ui.theme;
    let numbers = |seqs: &[u64]| {
        seqs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = Vec::new();
    let (headline, style) = match error {
        Some(_) => (ui.t("sync-failed"), theme.error()),
        None => (ui.t("sync-done"), theme.success()),
    };
    lines.push(Line::from(Span::styled(headline, style)));
    lines.push(Line::from(fit(&dir.display().to_string(), width)));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        ui.t("sync-from-central"),
        theme.title(),
    )));
    let mut came_back = Vec::new();
    if !report.receipts_applied.is_empty() {
        came_back.push(ui.i18n.t_args(
            "sync-receipts",
            &[("versions", numbers(&report.receipts_applied).into())],
        ));
    }
    if !report.packs_applied.is_empty() {
        came_back.push(ui.i18n.t_args(
            "sync-packs",
            &[("versions", numbers(&report.packs_applied).into())],
        ));
    }
    if report.outcomes_applied > 0 {
        came_back.push(ui.i18n.t_args(
            "sync-outcomes",
            &[("count", report.outcomes_applied.into())],
        ));
    }
    if came_back.is_empty() {
        came_back.push(ui.t("sync-nothing-back"));
    }
    lines.extend(
        came_back
            .into_iter()
            .map(|l| Line::from(fit(&format!("  {l}"), width))),
    );
    lines.push(Line::from(Span::styled(
        ui.t("sync-to-central"),
        theme.title(),
    )));
    if !report.batches_made.is_empty() {
        lines.push(Line::from(fit(
            &format!(
                "  {}",
                ui.i18n.t_args(
                    "sync-batches-made",
                    &[
                        ("count", report.batches_made.len().into()),
                        ("numbers", numbers(&report.batches_made).into()),
                    ],
                )
            ),
            width,
        )));
    }
    let written = if report.batches_written.is_empty() {
        ui.t("sync-nothing-waits")
    } else {
        ui.i18n.t_args(
            "sync-batches-written",
            &[
                ("count", report.batches_written.len().into()),
                ("numbers", numbers(&report.batches_written).into()),
            ],
        )
    };
    for line in wrap(&written, width.saturating_sub(2)) {
        lines.push(Line::from(format!("  {line}")));
    }
    if let Some(purged) = report.purged.as_ref().filter(|p| p.cases > 0) {
        lines.push(Line::from(fit(
            &format!(
                "  {}",
                ui.i18n.t_args(
                    "sync-purged",
                    &[
                        ("count", purged.cases.into()),
                        ("records", purged.records().into()),
                        ("days", purged.days.into()),
                    ],
                )
            ),
            width,
        )));
    }
    if let Some(days) = report.oldest_wait_days
        && warn_after.is_some_and(|limit| days > limit)
    {
        for line in wrap(
            &ui.i18n
                .t_args("sync-waiting-warning", &[("days", days.into())]),
            width,
        ) {
            lines.push(Line::from(Span::styled(line, theme.urgent())));
        }
    }
    if !report.refused.is_empty() {
        lines.push(Line::from(Span::styled(
            ui.i18n
                .t_args("sync-refused", &[("count", report.refused.len().into())]),
            theme.error(),
        )));
        for reason in &report.refused {
            for line in wrap(&crate::model::text::inert(reason), width.saturating_sub(2)) {
                lines.push(Line::from(format!("  {line}")));
            }
        }
    }
    lines.extend(error_lines(ui, error, width));
    lines
}

/// What central's sync did: the batches imported, what it left for each office, and the
/// batches refused.
fn central_report_lines(
    ui: &Ui,
    dir: &Path,
    report: &CentralSyncReport,
    error: Option<&str>,
    width: usize,
) -> Vec<Line<'static>> {
    let theme = &ui.theme;
    let (headline, style) = match error {
        Some(_) => (ui.t("sync-failed"), theme.error()),
        None => (ui.t("sync-done"), theme.success()),
    };
    let mut lines = vec![
        Line::from(Span::styled(headline, style)),
        Line::from(fit(&dir.display().to_string(), width)),
        Line::from(""),
        Line::from(Span::styled(ui.t("sync-from-offices"), theme.title())),
    ];
    if report.imported.is_empty() {
        lines.push(Line::from(format!("  {}", ui.t("sync-no-batches"))));
    }
    for imported in &report.imported {
        let text = if imported.already_imported {
            ui.i18n.t_args(
                "sync-batch-again",
                &[
                    ("office", imported.office_id.clone().into()),
                    ("seq", imported.seq.into()),
                ],
            )
        } else {
            ui.i18n.t_args(
                "sync-batch-imported",
                &[
                    ("office", imported.office_id.clone().into()),
                    ("seq", imported.seq.into()),
                    ("new", imported.new.into()),
                    ("updated", imported.updated.into()),
                    ("conflicts", imported.conflicts.into()),
                ],
            )
        };
        lines.push(Line::from(fit(
            &format!("  {}", crate::model::text::inert(&text)),
            width,
        )));
    }
    lines.push(Line::from(Span::styled(
        ui.t("sync-to-offices"),
        theme.title(),
    )));
    let offices = |written: &[(String, u64)]| {
        written
            .iter()
            .map(|(office, version)| format!("{office} ({version})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (id, written) in [
        ("sync-receipts-left", &report.receipts),
        ("sync-packs-left", &report.packs),
    ] {
        let text = ui.i18n.t_args(
            id,
            &[
                ("count", written.len().into()),
                ("offices", offices(written).into()),
            ],
        );
        for line in wrap(&crate::model::text::inert(&text), width.saturating_sub(2)) {
            lines.push(Line::from(format!("  {line}")));
        }
    }
    if !report.refused.is_empty() {
        lines.push(Line::from(Span::styled(
            ui.i18n
                .t_args("sync-refused", &[("count", report.refused.len().into())]),
            theme.error(),
        )));
        for refusal in &report.refused {
            let text = crate::model::text::inert(&refusal.to_string());
            for line in wrap(&text, width.saturating_sub(2)) {
                lines.push(Line::from(format!("  {line}")));
            }
        }
    }
    lines.extend(error_lines(ui, error, width));
    lines
}

fn error_lines(ui: &Ui, error: Option<&str>, width: usize) -> Vec<Line<'static>> {
    let Some(error) = error else {
        return Vec::new();
    };
    wrap(&crate::model::text::inert(error), width)
        .into_iter()
        .map(|line| Line::from(Span::styled(line, ui.theme.error())))
        .collect()
}

/// How to sync again, under a report.
fn again_lines(ui: &Ui) -> Vec<Line<'static>> {
    let Some(key) = ui.key_for(&[Context::Global], Action::Sync) else {
        return Vec::new();
    };
    vec![
        Line::from(""),
        Line::from(Span::styled(
            ui.i18n
                .t_args("sync-again", &[("key", key.to_string().into())]),
            ui.theme.dim(),
        )),
    ]
}
