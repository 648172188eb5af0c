//! Driving the real application state with keys, on ratatui's test backend: what the
//! operator would see, without a terminal.
#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use linea::i18n::I18n;
use linea::keys::Passphrase;
use linea::model::{CallFields, Lang, Place};
use linea::store::{Clock, OfficeStore};
use linea::tui::keymap::{Key, Keymap};
use linea::tui::terminal::Caps;
use linea::tui::theme::Theme;
use linea::tui::ui::Ui;
use linea::tui::{App, Options};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::{Office, PASSPHRASE};

/// Saturday 28 November 2026, 10:00 in Lima.
pub fn now() -> DateTime<Utc> {
    "2026-11-28T15:00:00Z".parse().unwrap()
}

pub struct Desk {
    pub office: Office,
    pub app: App,
    pub terminal: Terminal<TestBackend>,
}

pub const COLOR: Caps = Caps {
    color: true,
    unicode: true,
};
pub const NO_COLOR: Caps = Caps {
    color: false,
    unicode: true,
};
pub const ASCII: Caps = Caps {
    color: true,
    unicode: false,
};

impl Desk {
    /// A demo office with three known calls today, at the unlock screen.
    pub fn new(lang: Lang, caps: Caps, width: u16, height: u16) -> Desk {
        let office = Office::new();
        seed_calls(&office);
        Desk::on(office, lang, caps, width, height)
    }

    /// The app (at its unlock screen) on an existing office.
    pub fn on(office: Office, lang: Lang, caps: Caps, width: u16, height: u16) -> Desk {
        let dir = office.dir();
        Desk::at(office, &dir, "ana", lang, caps, width, height)
    }

    /// The app (at its unlock screen) on an existing office, as `operator`.
    pub fn on_as(office: Office, operator: &str, lang: Lang, caps: Caps) -> Desk {
        let dir = office.dir();
        Desk::at(office, &dir, operator, lang, caps, 80, 24)
    }

    /// The app (at its unlock screen) on the demo's central store, as its operator.
    pub fn on_central(office: Office, lang: Lang, caps: Caps) -> Desk {
        let dir = office.central_dir();
        Desk::at(office, &dir, linea::demo::CENTRAL_LEAD, lang, caps, 80, 24)
    }

    fn at(
        office: Office,
        store_dir: &std::path::Path,
        operator: &str,
        lang: Lang,
        caps: Caps,
        width: u16,
        height: u16,
    ) -> Desk {
        let app = App::new(ui(lang, caps), options(store_dir, operator));
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        Desk {
            office,
            app,
            terminal,
        }
    }

    /// The app handed a store just unlocked, as the unlock screen does.
    pub fn with_store(office: Office, store: OfficeStore, lang: Lang, caps: Caps) -> Desk {
        let options = options(&office.dir(), store.operator());
        let app = App::with_store(ui(lang, caps), options, store);
        let terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        Desk {
            office,
            app,
            terminal,
        }
    }

    /// The first-run screen: the app pointed at a store folder that does not exist yet (in
    /// a fresh temporary folder, shown as [STORE]).
    pub fn first_run(lang: Lang, caps: Caps) -> Desk {
        let office = Office {
            root: tempfile::tempdir().expect("temp dir"),
        };
        assert!(!office.dir().exists());
        Desk::on(office, lang, caps, 80, 24)
    }

    /// Unlocked as ana, at home.
    pub fn unlocked(lang: Lang, caps: Caps) -> Desk {
        let mut desk = Desk::new(lang, caps, 80, 24);
        desk.unlock();
        desk
    }

    pub fn unlock(&mut self) {
        self.type_text(PASSPHRASE);
        self.press("enter");
        self.app.tick();
        assert!(!self.app.is_locked(), "unlock failed: {}", self.screen());
    }

    /// Presses keys named as in keymaps, separated by spaces: "f3", "ctrl-t", "enter".
    pub fn press(&mut self, keys: &str) {
        for name in keys.split_whitespace() {
            let key = Key::parse(name).unwrap_or_else(|e| panic!("key {name}: {e}"));
            self.key(KeyEvent::new(key.code(), key.modifiers()));
        }
    }

    pub fn key(&mut self, event: KeyEvent) {
        self.app.handle_key(event);
        // Draw after every key, as the real loop does.
        self.draw();
    }

    /// Types text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    pub fn tick(&mut self) {
        self.app.tick();
        self.draw();
    }

    /// Waits long enough for the draft to be due, then ticks.
    pub fn tick_after_draft_delay(&mut self) {
        std::thread::sleep(std::time::Duration::from_millis(350));
        self.tick();
    }

    pub fn draw(&mut self) {
        let app = &mut self.app;
        self.terminal.draw(|frame| app.render(frame)).unwrap();
    }

    pub fn buffer(&mut self) -> Buffer {
        self.draw();
        self.terminal.backend().buffer().clone()
    }

    /// The screen as text, one line per row, with the temporary store path made stable. A
    /// wide character covers the cell after it, as on a terminal (what was there before is
    /// left in the buffer, not on screen).
    pub fn screen(&mut self) -> String {
        let buffer = self.buffer();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text.replace(&self.office.dir().display().to_string(), "[STORE]")
    }

    /// The store as the test sees it (a second connection).
    pub fn store(&self) -> OfficeStore {
        OfficeStore::open(
            &self.office.dir(),
            "ana",
            &Passphrase::new(PASSPHRASE.into()),
        )
        .unwrap()
    }
}

fn ui(lang: Lang, caps: Caps) -> Ui {
    Ui {
        i18n: I18n::new(lang),
        theme: Theme::new(caps),
        keymap: Keymap::builtin(),
        reference: Default::default(),
    }
}

fn options(store_dir: &std::path::Path, operator: &str) -> Options {
    Options {
        store_dir: store_dir.to_owned(),
        operator: Some(operator.into()),
        hint: None,
        autolock: std::time::Duration::from_secs(300),
        keymap_problems: Vec::new(),
        clock: Clock::Fixed(now()),
    }
}

/// The number Rosa Quispe called from, as her call has it.
pub const ROSA_PHONE: &str = "+51 987 654 321";

/// Rosa Quispe's number as others would type it.
pub const ROSA_PHONE_OTHER_WAYS: [&str; 3] = ["987-654-321", "0987654321", "51987654321"];

/// Three calls this morning, known field by field.
pub fn seed_calls(office: &Office) {
    let mut store =
        OfficeStore::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap();
    store.set_clock(Clock::Fixed(now()));
    let at = |minutes: i64| Some(now() - TimeDelta::minutes(minutes));
    let calls = vec![
        CallFields {
            started_at: at(240),
            channel: "PHONE".into(),
            caller_type: "COMMUNITY".into(),
            reason: "GENERAL_INFO".into(),
            caller_place: Some(Place::Ubigeo("150132".into())),
            caller_name: Some("Luz Apaza FICTICIO".into()),
            caller_phone: Some("(01) 234-5678".into()),
            ..CallFields::default()
        },
        CallFields {
            started_at: at(120),
            channel: "WHATSAPP".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            urgency: "U2_URGENT".into(),
            caller_place: Some(Place::Ubigeo("170101".into())),
            caller_name: Some("Rosa Quispe FICTICIO".into()),
            caller_phone: Some(ROSA_PHONE.into()),
            notes: "Su hija trabaja en un bar en Mazuko.".into(),
            ..CallFields::default()
        },
        CallFields {
            started_at: at(30),
            channel: "PHONE".into(),
            caller_type: "UNKNOWN".into(),
            reason: "NS_SILENT".into(),
            ..CallFields::default()
        },
    ];
    store.add_calls(calls).unwrap();
}
