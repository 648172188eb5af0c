//! The application: which screen is up, how a key reaches it, locking and unlocking, and
//! drawing the frame around the screens (title, message line, key bar).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::{Action, Context};
use super::keymap::{Key, Problem};
use super::screens::call_form::{self, CallForm};
use super::screens::first_run::{FirstRun, SetupJob};
use super::screens::help::Help;
use super::screens::unlock::{Unlock, UnlockEvent};
use super::screens::{self, Env, Input, Nav, OpenCall, Place, Screen};
use super::ui::{Message, MessageKind, Reference, Ui, ascii_only, disarm};
use super::widgets::form::{TextMode, fit};
use super::widgets::keybar;
use super::widgets::text::Edit;
use crate::keys::{KeyDir, KeyError, WorkFactor};
use crate::model::text::inert;
use crate::store::{CallFilter, Clock, Hold, OfficeSetting, Opened, Store, StoreError};

/// The smallest terminal linea draws in; below it, a "too small" notice (only the keys
/// that quit and lock work).
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// How the app starts.
pub struct Options {
    pub store_dir: PathBuf,
    pub operator: Option<String>,
    /// Shown on the unlock screen (the demo's passphrase).
    pub hint: Option<String>,
    pub autolock: Duration,
    /// Problems in the operator's keymap file: shown first, with the default offered.
    pub keymap_problems: Vec<Problem>,
    /// For tests: a fixed "now" for records and timers.
    pub clock: Clock,
}

enum Mode {
    Setup(FirstRun),
    Locked(Unlock),
    Open {
        store: Opened,
        stack: Vec<Box<dyn Screen>>,
    },
}

/// Questions the app itself asks.
enum Question {
    Quit,
    KeymapProblems(Vec<Problem>),
}

pub struct App {
    pub ui: Ui,
    mode: Mode,
    store_dir: PathBuf,
    help: Option<Help>,
    question: Option<Question>,
    message: Option<Message>,
    quit: bool,
    last_input: Instant,
    /// The terminal was below the smallest size when last drawn: keys do nothing but quit
    /// and lock, since the operator cannot see where they would go.
    too_small: bool,
    autolock: Duration,
    clock: Clock,
    /// Set when the screen must be wiped (after locking).
    pub wipe: bool,
    hint: Option<String>,
    operator: Option<String>,
    pending_setup: Option<SetupJob>,
    /// Where the sync screen looks for mounted sticks.
    media_roots: Vec<PathBuf>,
    /// The scrypt work factor of the slots the first-run setup makes.
    work_factor: u8,
}

impl App {
    pub fn new(ui: Ui, options: Options) -> App {
        let mode = if crate::store::exists(&options.store_dir) {
            Mode::Locked(new_unlock(
                &options.store_dir,
                options.operator.as_deref(),
                Vec::new(),
                options.hint.clone(),
            ))
        } else {
            Mode::Setup(FirstRun::new(options.store_dir.display().to_string()))
        };
        App {
            ui,
            mode,
            store_dir: options.store_dir,
            help: None,
            question: (!options.keymap_problems.is_empty())
                .then_some(Question::KeymapProblems(options.keymap_problems)),
            message: None,
            quit: false,
            last_input: Instant::now(),
            too_small: false,
            autolock: options.autolock,
            clock: options.clock,
            wipe: false,
            hint: options.hint,
            operator: options.operator,
            pending_setup: None,
            media_roots: crate::platform::removable_media_roots(),
            work_factor: WorkFactor::for_new_slots(),
        }
    }

    /// The work factor of new slots (tests lower it, as `FAST_WORK_FACTOR` does elsewhere).
    pub fn set_work_factor(&mut self, work_factor: u8) {
        self.work_factor = work_factor;
    }

    /// Where "now" comes from (tests move it on to another day).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Where the sync screen looks for mounted sticks (tests point it at a folder of theirs).
    pub fn set_media_roots(&mut self, roots: Vec<PathBuf>) {
        self.media_roots = roots;
    }

    /// An app already unlocked with `store`, at home (benchmarks and tests start here).
    pub fn with_store(ui: Ui, options: Options, store: impl Into<Opened>) -> App {
        let mut app = App::new(ui, options);
        app.open(store.into(), Vec::new());
        app
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// How long the screen may stay idle before it locks: the operator's choice, or the
    /// office lead's `autolock_minutes` when shorter.
    pub fn autolock(&self) -> Duration {
        self.autolock
    }

    pub fn is_locked(&self) -> bool {
        !matches!(self.mode, Mode::Open { .. })
    }

    /// The store, when unlocked (tests look into it).
    pub fn store(&self) -> Option<&Opened> {
        match &self.mode {
            Mode::Open { store, .. } => Some(store),
            _ => None,
        }
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    fn contexts(&self) -> Vec<Context> {
        if self.question.is_some() {
            return vec![Context::Dialog];
        }
        if self.help.is_some() {
            return vec![Context::Help];
        }
        match &self.mode {
            Mode::Setup(setup) => setup.contexts(),
            Mode::Locked(unlock) => unlock.contexts(),
            Mode::Open { stack, .. } => stack.last().map(|s| s.contexts()).unwrap_or_default(),
        }
    }

    fn enter_opens_list(&self) -> bool {
        match &self.mode {
            Mode::Open { stack, .. } if self.question.is_none() && self.help.is_none() => {
                stack.last().is_some_and(|s| s.enter_opens_list())
            }
            _ => false,
        }
    }

    fn text_mode(&self) -> TextMode {
        if self.question.is_some() || self.help.is_some() {
            return TextMode::None;
        }
        match &self.mode {
            Mode::Setup(setup) => setup.text_mode(),
            Mode::Locked(unlock) => unlock.text_mode(),
            Mode::Open { stack, .. } => stack.last().map_or(TextMode::None, |s| s.text_mode()),
        }
    }

    /// A key press: to the focused text first, else through the keymap.
    pub fn handle_key(&mut self, event: KeyEvent) {
        self.last_input = Instant::now();
        let contexts = self.contexts();
        let input = match edit_key(&event, self.text_mode()) {
            Some(edit) => Some(Input::Edit(edit)),
            None => self
                .ui
                .keymap
                .resolve(&contexts, &Key::from_event(&event))
                .map(|action| match action {
                    // Enter on a field with no list moves on, on every form.
                    Action::Choose if !self.enter_opens_list() => Action::NextField,
                    action => action,
                })
                .map(Input::Action),
        };
        let input = input.filter(|input| !self.too_small || self.works_when_too_small(input));
        if let Some(input) = input {
            self.message = None;
            self.dispatch(input);
        }
    }

    /// On the "too small" notice only F10 (as it says) and the lock key act, and the answers
    /// to a question they raised; the rest would go unseen into whatever had the focus.
    fn works_when_too_small(&self, input: &Input) -> bool {
        match input {
            Input::Action(Action::Quit | Action::Lock) => true,
            Input::Action(Action::Confirm | Action::Back) => self.question.is_some(),
            _ => false,
        }
    }

    fn dispatch(&mut self, input: Input) {
        if let Some(question) = self.question.take() {
            match (question, input) {
                (Question::Quit, Input::Action(Action::Confirm)) => self.leave_and_quit(),
                (Question::KeymapProblems(_), Input::Action(Action::Confirm)) => {}
                (Question::KeymapProblems(_), Input::Action(Action::Quit)) => self.quit = true,
                (question, Input::Action(Action::Back)) => {
                    if matches!(question, Question::KeymapProblems(_)) {
                        self.question = Some(question);
                    }
                }
                (question, _) => self.question = Some(question),
            }
            return;
        }
        if let Some(help) = self.help.as_mut() {
            match input {
                Input::Action(Action::MoveDown) => help.scroll_by(1),
                Input::Action(Action::MoveUp) => help.scroll_by(-1),
                Input::Action(Action::PageDown) => help.scroll_by(10),
                Input::Action(Action::PageUp) => help.scroll_by(-10),
                Input::Action(Action::First) => help.scroll_by(-10_000),
                Input::Action(Action::Last) => help.scroll_by(10_000),
                Input::Action(Action::Quit) => self.ask_quit(),
                Input::Action(Action::Back) | Input::Action(Action::Help) => self.help = None,
                Input::Action(Action::Home) => {
                    self.help = None;
                    self.go_home();
                }
                _ => {}
            }
            return;
        }
        match input {
            Input::Action(Action::Help) => {
                self.help = Some(Help::new(self.contexts()));
                return;
            }
            Input::Action(Action::Quit) => {
                self.ask_quit();
                return;
            }
            _ => {}
        }
        match &mut self.mode {
            Mode::Setup(setup) => {
                if let Some(job) = setup.handle(input, &self.ui) {
                    self.pending_setup = Some(job);
                }
            }
            Mode::Locked(unlock) => {
                // Submitting only marks the try: the slow unlock runs on the next tick,
                // after "Opening…" is on screen.
                let (UnlockEvent::Submit | UnlockEvent::Nothing) = unlock.handle(input, &self.ui);
            }
            Mode::Open { .. } => self.dispatch_open(input),
        }
    }

    fn dispatch_open(&mut self, input: Input) {
        if self.refused_at_central(input) {
            self.message = Some(Message::info(self.ui.t("central-read-only")));
            return;
        }
        // A sync running goes on to its end: no key takes the operator elsewhere meanwhile,
        // or they would be left guessing what reached the stick.
        let busy = matches!(&self.mode, Mode::Open { stack, .. } if stack.last().is_some_and(|s| s.busy()));
        match input {
            _ if busy => {}
            Input::Action(Action::Lock) => {
                self.lock();
                return;
            }
            Input::Action(Action::Home) => {
                self.go_home();
                return;
            }
            Input::Action(Action::NewCall) => {
                self.with_env(|env, stack| stack.push(Box::new(CallForm::new_call(env))));
                return;
            }
            Input::Action(Action::CallTemplate) => {
                self.with_env(|env, stack| stack.push(Box::new(CallForm::from_template(env))));
                return;
            }
            Input::Action(Action::Calls) => {
                self.open_place(Place::Calls(CallFilter::default()));
                return;
            }
            Input::Action(Action::Stats) => {
                self.open_place(Place::Stats);
                return;
            }
            // During a call, on the institutions serving the caller's place.
            Input::Action(Action::Directory) => {
                let place = self.open_call().and_then(|call| call.place);
                self.open_place(place.map_or(Place::Directory, Place::DirectoryAt));
                return;
            }
            Input::Action(Action::FollowUp) => {
                self.open_place(Place::FollowUp);
                return;
            }
            Input::Action(Action::Search) => {
                self.open_place(Place::Search);
                return;
            }
            // On the sync screen itself, the screen decides (its report syncs again).
            Input::Action(Action::Sync) if self.top_place() != Some(Place::Sync) => {
                self.open_place(Place::Sync);
                return;
            }
            Input::Action(Action::NewReferral) => {
                // A referral comes from a call or a case: the screen showing one makes it,
                // the call being typed included.
                let from_record = self.top_place().is_some_and(|place| {
                    matches!(
                        place,
                        Place::CallView(_)
                            | Place::Case(_)
                            | Place::Referral(_)
                            | Place::CallForm { .. }
                            | Place::CallEdit { .. }
                    )
                });
                if !from_record {
                    self.message = Some(Message::info(self.ui.t("referral-needs-record")));
                    return;
                }
            }
            _ => {}
        }
        self.with_env(|env, stack| {
            let Some(top) = stack.last_mut() else { return };
            let nav = top.handle(input, env);
            navigate(stack, nav, env);
        });
    }

    /// Central reads what offices recorded and records outcomes; it does not log calls,
    /// open cases or refer: the records are the offices', and a change made here would
    /// fork them.
    fn refused_at_central(&self, input: Input) -> bool {
        let Mode::Open { store, .. } = &self.mode else {
            return false;
        };
        if !store.is_central() {
            return false;
        }
        match input {
            Input::Action(
                Action::NewCall | Action::CallTemplate | Action::NewReferral | Action::AddPerson,
            ) => true,
            // Enter on a call adds to it.
            Input::Action(Action::Open) => {
                matches!(self.top_place(), Some(Place::CallView(_)))
            }
            _ => false,
        }
    }

    /// The call on the line, on whatever screen the operator is.
    fn open_call(&self) -> Option<OpenCall> {
        match &self.mode {
            Mode::Open { stack, .. } => stack.iter().rev().find_map(|s| s.open_call()),
            _ => None,
        }
    }

    fn top_place(&self) -> Option<Place> {
        match &self.mode {
            Mode::Open { stack, .. } => stack.last().map(|s| s.place()),
            _ => None,
        }
    }

    /// Goes to the screen of `place` (see [`go_to`]).
    fn open_place(&mut self, place: Place) {
        self.with_env(|env, stack| go_to(stack, &place, env));
    }

    /// Home, from anywhere: every screen above it goes, a call being typed kept as a draft
    /// that home offers to bring back.
    fn go_home(&mut self) {
        self.with_env(|env, stack| {
            if stack.len() < 2 {
                return;
            }
            for mut screen in stack.drain(1..).rev() {
                screen.leave(env);
            }
            if let Some(home) = stack.last_mut() {
                home.resume(env);
            }
        });
    }

    /// Runs `work` with the store and the stack, and keeps the message it leaves; not at
    /// all when the store cannot be held (see `hold`).
    fn with_env(&mut self, work: impl FnOnce(&mut Env, &mut Vec<Box<dyn Screen>>)) {
        let Some(_hold) = self.hold() else {
            return;
        };
        let Mode::Open { store, stack } = &mut self.mode else {
            return;
        };
        let now = self.clock.now();
        store.set_clock(self.clock);
        let mut env = Env {
            store,
            ui: &self.ui,
            now,
            message: None,
            reference_changed: false,
            media_roots: &self.media_roots,
        };
        work(&mut env, stack);
        let reference_changed = env.reference_changed;
        if let Some(message) = env.message {
            self.message = Some(message);
        }
        // A sync applied a new pack: the directory, place names and code-list extensions
        // come from it now.
        if reference_changed {
            self.reload_reference();
        }
    }

    /// Holds the open store for one piece of the desk's work, so no other linea changes
    /// its keys in the middle; first, what they changed is caught up with. `None` when it
    /// cannot be held: an operator removed meanwhile is locked out, anything else is said
    /// on the message line. A store folder deleted, moved or replaced is held as it was
    /// opened (its lock file went with it): what the screens show stays readable and a
    /// call can still be typed; what they save, drafts included, is refused saying so,
    /// and stays on screen.
    fn hold(&mut self) -> Option<Hold> {
        let Mode::Open { store, .. } = &mut self.mode else {
            return None;
        };
        let held = match store.hold() {
            Err(StoreError::Moved) => store.hold_moved(),
            held => held,
        };
        match held {
            Ok(hold) => Some(hold),
            Err(StoreError::Removed { operator }) => {
                self.lock_out(&operator);
                None
            }
            Err(e) => {
                self.message = Some(Message::error(self.ui.store_error(&e)));
                None
            }
        }
    }

    fn ask_quit(&mut self) {
        let unsaved = match &self.mode {
            Mode::Open { stack, .. } => stack.iter().any(|s| s.unsaved()),
            _ => false,
        };
        if unsaved {
            self.question = Some(Question::Quit);
        } else {
            self.leave_and_quit();
        }
    }

    fn leave_and_quit(&mut self) {
        self.with_env(|env, stack| {
            for screen in stack.iter_mut() {
                screen.leave(env);
            }
        });
        self.quit = true;
    }

    /// Locks: drafts saved, the store closed and its key wiped, the screen wiped. Only the
    /// places (no record content) are kept, to come back to after unlocking.
    pub fn lock(&mut self) {
        let Mode::Open { store, .. } = &self.mode else {
            return;
        };
        let operator = store.operator().to_owned();
        let mut places = Vec::new();
        self.with_env(|env, stack| {
            for screen in stack.iter_mut() {
                screen.leave(env);
                places.push(screen.place());
            }
        });
        if !matches!(self.mode, Mode::Open { .. }) {
            return;
        }
        self.help = None;
        self.question = None;
        // Dropping the store closes the database and zeroes its key.
        self.mode = Mode::Locked(new_unlock(&self.store_dir, Some(&operator), places, None));
        self.message = Some(Message::info(self.ui.t("locked")));
        self.wipe = true;
    }

    /// The lead removed this operator while the screen was open: nothing can be read or
    /// saved any more, so it locks at once, without the usual saving of drafts (those saved
    /// as the operator typed stay in the store, the last keys aside). Nobody is chosen to
    /// unlock: the next to type is someone else.
    fn lock_out(&mut self, operator: &str) {
        self.help = None;
        self.question = None;
        self.operator = None;
        let mut unlock = new_unlock(&self.store_dir, None, Vec::new(), None);
        unlock.ask_who();
        unlock.tell(self.ui.i18n.t_args(
            "operator-removed",
            &[("operator", operator.to_owned().into())],
        ));
        self.mode = Mode::Locked(unlock);
        self.message = None;
        self.wipe = true;
    }

    /// Work that must not run between two keys (unlocking, setting up), then drafts, timers
    /// and the auto-lock. Says whether the screen changed.
    pub fn tick(&mut self) -> bool {
        // A confirmed wipe, once its question is off the screen. Nothing on screen says it
        // happened, unless it failed.
        if let Mode::Locked(unlock) = &mut self.mode
            && unlock.take_wipe()
        {
            if let Err(e) = Store::wipe(&self.store_dir) {
                self.message = Some(Message::error(e.to_string()));
            }
            return true;
        }
        if let Mode::Locked(unlock) = &self.mode
            && unlock.pending()
        {
            self.finish_unlock();
            return true;
        }
        if let Some(job) = self.pending_setup.take() {
            self.run_setup(job);
            return true;
        }
        let busy = match &self.mode {
            Mode::Open { stack, .. } => stack.last().is_some_and(|s| s.busy()),
            _ => false,
        };
        // Not in the middle of a sync: it finishes, then the idle time counts again.
        if busy {
            self.last_input = Instant::now();
        }
        if matches!(self.mode, Mode::Open { .. }) && self.last_input.elapsed() >= self.autolock {
            self.lock();
            return true;
        }
        let had_message = self.message.clone();
        let mut moved = false;
        self.with_env(|env, stack| {
            let Some(top) = stack.last_mut() else { return };
            let nav = top.tick(env);
            moved = !matches!(nav, Nav::Stay);
            navigate(stack, nav, env);
        });
        // A screen working through ticks changes at each one.
        moved || busy || self.message != had_message
    }

    fn finish_unlock(&mut self) {
        let Mode::Locked(unlock) = &mut self.mode else {
            return;
        };
        let (operator, passphrase) = unlock.take_credentials();
        match Opened::open(&self.store_dir, &operator, &passphrase) {
            Ok(store) => {
                let resume = std::mem::take(&mut unlock.resume);
                self.open(store, resume);
            }
            Err(StoreError::Key(KeyError::WrongPassphrase { operator })) => unlock.failed(
                self.ui
                    .i18n
                    .t_args("unlock-wrong-passphrase", &[("operator", operator.into())]),
            ),
            Err(e) => unlock.failed(e.to_string()),
        }
    }

    /// Puts the operator back where they were, or at home with any draft they left. All
    /// of it, the lead's settings and the reference pack first, is read holding the store.
    fn open(&mut self, store: Opened, resume: Vec<Place>) {
        self.operator = Some(store.operator().to_owned());
        self.hint = None;
        self.message = None;
        self.mode = Mode::Open {
            store,
            stack: Vec::new(),
        };
        let Some(_hold) = self.hold() else {
            // Not open after all: unlocking again tries again.
            if let Some(message) = self.message.take() {
                let mut unlock =
                    new_unlock(&self.store_dir, self.operator.as_deref(), resume, None);
                unlock.tell(message.text);
                self.mode = Mode::Locked(unlock);
            }
            return;
        };
        if let Mode::Open { store, .. } = &self.mode
            // The lead's autolock_minutes is the longest an idle screen may stay unlocked.
            && let Ok(Some(minutes)) = store.office_setting(OfficeSetting::AutolockMinutes)
        {
            self.autolock = self.autolock.min(Duration::from_secs(minutes * 60));
        }
        self.reload_reference();
        let fresh_start = resume.is_empty();
        let places = if fresh_start {
            vec![Place::Home]
        } else {
            resume
        };
        self.with_env(|env, stack| {
            for place in &places {
                if let Some(screen) = screens::open(place, env) {
                    stack.push(screen);
                }
            }
            if stack.is_empty()
                && let Some(home) = screens::open(&Place::Home, env)
            {
                stack.push(home);
            }
            if fresh_start {
                // After a crash or a kill: the call being typed comes back.
                let draft = env
                    .store
                    .as_office()
                    .and_then(|office| office.drafts())
                    .ok()
                    .and_then(|drafts| {
                        drafts.into_iter().find(|d| d.kind == call_form::DRAFT_KIND)
                    });
                if let Some(form) = draft.and_then(|d| CallForm::from_draft(&d.id, env)) {
                    stack.push(Box::new(form));
                    env.message = Some(Message::info(env.ui.t("draft-recovered")));
                }
            }
        });
    }

    /// Reads the applied reference pack of the open store into the screens' reference: on
    /// unlocking, and after a sync has applied a new pack; the caller holds the store. A
    /// pack that cannot be read leaves the built-in directory in use, and says so. The
    /// code-list extensions are the store's own (those its validation accepts), so pick
    /// lists offer nothing the store would refuse.
    fn reload_reference(&mut self) {
        let Mode::Open { store, .. } = &self.mode else {
            return;
        };
        self.ui.i18n.set_code_extensions(store.code_extensions());
        self.ui.reference = match Reference::of_store(store) {
            Ok(reference) => reference,
            Err(e) => {
                self.message = Some(Message::error(e.to_string()));
                Reference::default()
            }
        };
    }

    fn run_setup(&mut self, job: SetupJob) {
        let work_factor = self.work_factor;
        match job {
            SetupJob::Demo => {
                let made = tempfile::Builder::new()
                    .prefix("linea-demo-")
                    .tempdir()
                    .map(tempfile::TempDir::keep)
                    .map_err(|e| e.to_string())
                    .and_then(|dir| {
                        crate::demo::create_with_directory(&dir, 2000, 1, work_factor)
                            .map(|_| dir)
                            .map_err(|e| e.to_string())
                    });
                match made {
                    Ok(dir) => {
                        self.store_dir = dir.join("office");
                        let hint = self.ui.i18n.t_args(
                            "demo-hint",
                            &[("passphrase", crate::demo::PASSPHRASE.into())],
                        );
                        self.mode = Mode::Locked(new_unlock(
                            &self.store_dir,
                            Some(crate::demo::OFFICE_LEAD),
                            Vec::new(),
                            Some(hint),
                        ));
                    }
                    Err(e) => self.setup_failed(e),
                }
            }
            SetupJob::Office {
                kit,
                fingerprint,
                operator,
                passphrase,
            } => {
                let enrollment = kit.with_file_name("office.enrollment.json");
                let result = crate::exchange::enrollment::init_office(
                    &self.store_dir,
                    &kit,
                    &fingerprint,
                    &operator,
                    &passphrase,
                    work_factor,
                    &enrollment,
                );
                match result {
                    Ok(setup) => {
                        if let Mode::Setup(first_run) = &mut self.mode {
                            let office = format!(
                                "{} ({})",
                                crate::model::text::inert(&setup.office_name),
                                setup.office_id
                            );
                            first_run.done(
                                setup.store,
                                office,
                                setup.office_fingerprint,
                                enrollment,
                            );
                        }
                    }
                    Err(e) => self.setup_failed(e.to_string()),
                }
            }
            SetupJob::Open { store, file } => {
                self.open(Opened::Office(*store), Vec::new());
                self.message = Some(Message::success(
                    self.ui
                        .i18n
                        .t_args("setup-done", &[("file", file.display().to_string().into())]),
                ));
            }
        }
    }

    fn setup_failed(&mut self, reason: String) {
        if let Mode::Setup(setup) = &mut self.mode {
            setup.failed(reason);
        }
    }

    // Drawing.

    /// Draws the frame; nothing in it reaches the terminal as control (see [`disarm`]), and
    /// nothing but ASCII where the locale is not UTF-8 (see [`ascii_only`]).
    pub fn render(&mut self, frame: &mut Frame) {
        self.draw(frame);
        disarm(frame.buffer_mut());
        if !self.ui.theme.caps().unicode {
            ascii_only(frame.buffer_mut());
        }
    }

    fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        if self.too_small {
            let text = self.ui.i18n.t_args(
                "too-small",
                &[
                    ("width", area.width.into()),
                    ("height", area.height.into()),
                    ("min_width", MIN_WIDTH.into()),
                    ("min_height", MIN_HEIGHT.into()),
                ],
            );
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        let header = Rect { height: 1, ..area };
        let body = Rect {
            y: area.y + 1,
            height: area.height - 3,
            ..area
        };
        let message_line = Rect {
            y: area.y + area.height - 2,
            height: 1,
            ..area
        };
        let bar = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        let theme = self.ui.theme;
        let width = area.width as usize;
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&self.title(), width), theme.selected())),
            header,
        );
        let contexts = self.contexts();
        let actions = self.key_bar();
        let hints = match &self.mode {
            Mode::Open { stack, .. } if self.question.is_none() && self.help.is_none() => stack
                .last()
                .map(|s| s.key_hints(&self.ui))
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        if let Some(question) = &self.question {
            let lines = match question {
                Question::Quit => vec![Line::from(Span::styled(
                    self.ui.t("quit-question"),
                    theme.error(),
                ))],
                Question::KeymapProblems(problems) => {
                    let mut lines = vec![Line::from(Span::styled(
                        self.ui.t("keymap-problems"),
                        theme.error(),
                    ))];
                    lines.extend(problems.iter().map(|p| Line::from(inert(&p.to_string()))));
                    lines.push(Line::from(""));
                    lines.push(Line::from(self.ui.t("keymap-problems-choice")));
                    lines
                }
            };
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        } else if let Some(help) = self.help.as_mut() {
            help.render(frame, body, &self.ui);
        } else {
            match &mut self.mode {
                Mode::Setup(setup) => setup.render(frame, body, &self.ui),
                Mode::Locked(unlock) => unlock.render(frame, body, &self.ui),
                Mode::Open { stack, .. } => {
                    if let Some(top) = stack.last_mut() {
                        top.render(frame, body, &self.ui);
                    }
                }
            }
        }
        if let Some(message) = &self.message {
            let style = match message.kind {
                MessageKind::Info => theme.label(),
                MessageKind::Success => theme.success(),
                MessageKind::Error => theme.error(),
            };
            frame.render_widget(
                Paragraph::new(Span::styled(fit(&message.text, width), style)),
                message_line,
            );
        }
        keybar::render(frame, bar, &self.ui, &hints, &contexts, &actions);
    }

    fn title(&self) -> String {
        let screen = if self.help.is_some() {
            self.ui.t("screen-help")
        } else {
            match &self.mode {
                Mode::Setup(_) => self.ui.t("screen-setup"),
                Mode::Locked(_) => self.ui.t("screen-unlock"),
                Mode::Open { stack, .. } => {
                    stack.last().map(|s| s.title(&self.ui)).unwrap_or_default()
                }
            }
        };
        // The call's timer beside its form's title, and named on any other screen.
        let screen = match self.open_call() {
            Some(call) => {
                let time = call.elapsed(self.clock.now());
                let on_its_form = matches!(&self.mode, Mode::Open { stack, .. }
                    if self.help.is_none() && stack.last().is_some_and(|s| s.open_call().is_some()));
                if on_its_form {
                    format!("{screen}  {time}")
                } else {
                    let timer = self.ui.i18n.t_args("call-timer", &[("time", time.into())]);
                    format!("{screen}  {timer}")
                }
            }
            None => screen,
        };
        let who = match &self.mode {
            Mode::Open { store, .. } => format!("{} | {}", store.office_id(), store.operator()),
            _ => self.operator.clone().unwrap_or_default(),
        };
        format!(" linea | {screen} | {who}")
    }

    fn key_bar(&self) -> Vec<Action> {
        if let Some(question) = &self.question {
            return match question {
                Question::Quit => vec![Action::Confirm, Action::Back],
                Question::KeymapProblems(_) => vec![Action::Confirm, Action::Quit],
            };
        }
        if self.help.is_some() {
            return vec![Action::Back, Action::PageDown, Action::Quit];
        }
        match &self.mode {
            Mode::Setup(setup) => setup.key_bar(),
            Mode::Locked(unlock) => unlock.key_bar(),
            // Central's bar offers only what central may do.
            Mode::Open { stack, .. } => stack
                .last()
                .map(|s| s.key_bar())
                .unwrap_or_default()
                .into_iter()
                .filter(|action| !self.refused_at_central(Input::Action(*action)))
                .collect(),
        }
    }
}

/// Moves through the stack as a screen asked.
fn navigate(stack: &mut Vec<Box<dyn Screen>>, nav: Nav, env: &mut Env) {
    match nav {
        Nav::Stay => {}
        Nav::Push(place) => go_to(stack, &place, env),
        Nav::Replace(place) => {
            let screen = screens::open(&place, env);
            stack.pop();
            stack.extend(screen);
        }
        Nav::Pop => {
            // Home stays at the bottom.
            if stack.len() > 1 {
                stack.pop();
                if let Some(top) = stack.last_mut() {
                    top.resume(env);
                }
            }
        }
    }
}

/// Opens `place` on top, or goes back to it when it is in the stack already, so that Esc
/// never walks through the same screen twice. The calls list is one screen whatever its
/// filter. A form above it (a call, a referral being typed) is not left behind that way: the
/// place opens on top.
fn go_to(stack: &mut Vec<Box<dyn Screen>>, place: &Place, env: &mut Env) {
    let same = |p: Place| match (&p, place) {
        (Place::Calls(_), Place::Calls(_)) => true,
        _ => &p == place,
    };
    if let Some(at) = stack.iter().rposition(|s| same(s.place()))
        && !stack[at + 1..]
            .iter()
            .any(|s| s.unsaved() || s.filling_in())
    {
        if at + 1 < stack.len() {
            for mut screen in stack.drain(at + 1..).rev() {
                screen.leave(env);
            }
            if let Some(top) = stack.last_mut() {
                top.resume(env);
            }
        }
        return;
    }
    if let Some(screen) = screens::open(place, env) {
        stack.push(screen);
    }
}

fn new_unlock(
    store_dir: &Path,
    operator: Option<&str>,
    resume: Vec<Place>,
    hint: Option<String>,
) -> Unlock {
    let operators = KeyDir::of_store(store_dir)
        .operator_names()
        .unwrap_or_default();
    Unlock::new(
        operators,
        operator,
        resume,
        store_dir.display().to_string(),
        hint,
    )
}

/// The editing meaning of a key when text has the focus; `None` sends it to the keymap.
fn edit_key(event: &KeyEvent, mode: TextMode) -> Option<Edit> {
    if mode == TextMode::None {
        return None;
    }
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    let lines = mode == TextMode::Lines;
    match event.code {
        // Ctrl-H is what many terminals send for Backspace.
        KeyCode::Char('h') if ctrl => Some(Edit::Backspace),
        KeyCode::Char(c) if !ctrl && !alt => Some(Edit::Char(c)),
        KeyCode::Backspace => Some(Edit::Backspace),
        KeyCode::Delete => Some(Edit::Delete),
        KeyCode::Left => Some(Edit::Left),
        KeyCode::Right => Some(Edit::Right),
        KeyCode::Home => Some(Edit::Home),
        KeyCode::End => Some(Edit::End),
        KeyCode::Up if lines => Some(Edit::Up),
        KeyCode::Down if lines => Some(Edit::Down),
        KeyCode::Enter if lines => Some(Edit::Newline),
        _ => None,
    }
}
