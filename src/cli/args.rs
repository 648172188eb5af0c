//! The command line, defined once: `--help` is generated from these doc comments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::Lang;

const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  the operation failed: wrong passphrase, rejected input, a damaged or altered file
  2  usage or configuration error: bad arguments, no store, unknown operator

Passphrases: typed at the terminal when asked, or read from --passphrase-file FILE, or from
the environment variable LINEA_PASSPHRASE (for scripts). New passphrases (init, operator add,
operator passwd, recover) come from --new-passphrase-file FILE, LINEA_NEW_PASSPHRASE, or are
typed twice.

Examples:
  linea demo                                  make a demo central and office, show its calls
  linea --store ~/linea --operator ana call list --urgency U1_EMERGENCY
  echo '{\"channel\":\"PHONE\",\"caller_type\":\"FAMILY\",\"reason\":\"TIP\"}' | linea call add
  linea referral list --due";

/// linea: the call and referral log of an anti-trafficking hotline.
///
/// Operators log calls and referrals into an encrypted store on the office computer; a USB
/// stick carries signed, encrypted batches to central. Without a command, linea opens the
/// operator's screen (F1 there lists every key).
#[derive(Debug, Parser)]
#[command(name = "linea", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The store folder [default: the platform's data folder, e.g. ~/.local/share/linea]
    #[arg(long, global = true, env = "LINEA_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Who is working: an operator of the store
    #[arg(long, global = true, env = "LINEA_OPERATOR", value_name = "NAME")]
    pub operator: Option<String>,

    /// Read the passphrase from the first line of FILE instead of asking
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// Language of labels and messages: es, en or fr [default: from LANG, else es]
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// A keymap overlay for the operator's screen (TOML; see keymaps/README.md)
    #[arg(long, global = true, env = "LINEA_KEYMAP", value_name = "FILE")]
    pub keymap: Option<PathBuf>,

    /// Lock the operator's screen after this many idle minutes
    #[arg(long, global = true, env = "LINEA_AUTOLOCK", value_name = "MINUTES", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=240))]
    pub autolock: u64,

    /// Draw borders and marks in plain ASCII (automatic when the locale is not UTF-8)
    #[arg(long, global = true)]
    pub ascii: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a demo central and an enrolled office with synthetic calls, and show them
    Demo(DemoArgs),
    /// Set up this office's store from the kit central sent
    Init(InitArgs),
    /// Manage the office's operators (adding and removing is for the office lead)
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Log, list and read calls
    #[command(subcommand)]
    Call(CallCommand),
    /// Record referrals and follow their status
    #[command(subcommand)]
    Referral(ReferralCommand),
    /// Open cases and record the people in them
    #[command(subcommand)]
    Case(CaseCommand),
    /// The office's figures for a period, as tables, JSON or CSV
    ///
    /// Calls by week and reason, urgency, the caller's department and form of exploitation;
    /// referrals made in the period by kind of institution and current status; and the
    /// funnel: calls -> calls with a case -> cases with a referral -> police investigations
    /// (police referrals accepted, in progress or completed).
    ///
    /// The period is whole days in the office's time zone. Without --from it starts on the
    /// Monday eleven weeks before the last day's week: twelve whole weeks, the last one up to
    /// the last day.
    Stats(StatsArgs),
    /// Check the audit chain
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Give a store a new lead with central's recovery identity (when its operators are gone)
    Recover(RecoverArgs),
    /// The panic wipe, for when the computer is about to be seized: destroy every operator's
    /// key slot (overwritten, then removed; decoys take their place), so that no passphrase
    /// opens the store any more, only central's offline recovery identity (`linea recover`).
    /// Asks to confirm; prints nothing when done.
    Wipe {
        /// Do not ask (for scripts)
        #[arg(long)]
        yes: bool,
    },
    /// Central's commands: set up, enroll and register offices
    #[command(subcommand)]
    Central(CentralCommand),
    /// Check a keymap file, or show the keys in use
    #[command(subcommand)]
    Keymap(KeymapCommand),
    /// Exchange with central through a USB stick mounted at DIR: apply its receipts and
    /// packs, write every batch central has not acknowledged (files it refuses are set aside
    /// in DIR/linea/refused/)
    Sync { dir: PathBuf },
    /// Read or change the office's settings (changing is for the office lead)
    #[command(subcommand)]
    Setting(SettingCommand),
    /// Purge the records of closed cases central has and the retention period lets go
    #[command(subcommand)]
    Retention(RetentionCommand),
}

#[derive(Debug, Subcommand)]
pub enum SettingCommand {
    /// Show a setting's value in force
    ///
    /// Settings: retention_days (days after which the records of a closed case central has
    /// are purged here; unset or off: kept), receipt_warning_days (days a batch may wait
    /// for central's receipt before linea warns; default 14), autolock_minutes (the longest
    /// an idle screen stays unlocked; operators may choose less with --autolock).
    Get { name: String },
    /// Change a setting (office lead only), e.g. `linea setting set retention_days 365`
    Set { name: String, value: String },
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Purge now (every sync also does); with --dry-run, count what would go
    Run {
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// Report every problem in a keymap file as FILE:LINE:COLUMN; exit 2 if there is any
    Check { file: PathBuf },
    /// Print every key of the active keymap (the built-in one, or --keymap FILE over it)
    Show,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to make the demo (a new temporary folder if not given); must be empty or new
    pub dir: Option<PathBuf>,
    /// How many synthetic calls
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub calls: u32,
    /// Random seed: the same seed makes the same calls
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Only make the demo and print where it is; do not open the operator's screen
    #[arg(long)]
    pub no_open: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The office kit file from central
    #[arg(long, value_name = "KIT")]
    pub kit: PathBuf,
    /// Central's fingerprint as central reads it out by phone (else typed when asked);
    /// nothing is made if the kit's differs. Spaces, dashes and case do not count
    #[arg(long, value_name = "FP")]
    pub fingerprint: Option<String>,
    /// Where to write the signed enrollment file for central [default: OFFICE.enrollment.json]
    #[arg(long, value_name = "FILE")]
    pub enrollment_out: Option<PathBuf>,
    /// Read the first operator's new passphrase from FILE
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Add an operator (office lead only); they choose their passphrase
    Add {
        name: String,
        /// Read the new operator's passphrase from FILE
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Remove an operator (office lead only); the store key is rotated
    Remove { name: String },
    /// List the operators
    List,
    /// Change your passphrase
    Passwd {
        /// Read the new passphrase from FILE
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Set your duress passphrase: typed at unlock (on the screen or in a command) it wipes
    /// every operator's key slot, as `linea wipe` does, and is refused like a wrong
    /// passphrase. It cannot be any operator's real passphrase
    Duress {
        /// Read the duress passphrase from FILE (else LINEA_NEW_PASSPHRASE, else asked)
        #[arg(long, value_name = "FILE", conflicts_with = "clear")]
        new_passphrase_file: Option<PathBuf>,
        /// Remove your duress passphrase instead
        #[arg(long)]
        clear: bool,
    },
}

/// Filters for call lists; they combine.
#[derive(Debug, Args, Default)]
pub struct CallFilterArgs {
    /// Calls that started on or after this day (YYYY-MM-DD, office time)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Calls that started on or before this day (YYYY-MM-DD, office time)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// A contact_reason code, e.g. TIP
    #[arg(long, value_name = "CODE")]
    pub reason: Option<String>,
    /// An urgency code, e.g. U1_EMERGENCY
    #[arg(long, value_name = "CODE")]
    pub urgency: Option<String>,
    /// The caller's place: a ubigeo or its start (17 = Madre de Dios, 1701 = Tambopata)
    #[arg(long, value_name = "UBIGEO")]
    pub place: Option<String>,
    /// Calls from this phone number, typed any way: spaces, dashes, dots, parentheses, +51
    /// or 0051 and a leading 0 do not matter ("+51 987 654 321" = "0987654321")
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CallCommand {
    /// Log calls: one JSON object, or JSON Lines, on standard input; prints the new ids
    Add,
    /// List calls, newest first
    List {
        #[command(flatten)]
        filter: CallFilterArgs,
        /// At most N calls
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: u32,
        /// Every matching call (ignores --limit)
        #[arg(long)]
        all: bool,
        /// JSON Lines: one call per line, every field
        #[arg(long)]
        json: bool,
    },
    /// Show one call
    Show {
        /// The call's id, as `call add` or `call list` printed it
        id: String,
        /// One JSON object with every field
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReferralCommand {
    /// Record a referral: one JSON object on standard input; prints the new id. Sharing
    /// without consent (an exception) needs the office lead: the lead runs it, or their
    /// passphrase is given with --lead-passphrase-file or LINEA_LEAD_PASSPHRASE
    Add {
        /// Read the office lead's passphrase, confirming an exception, from FILE
        #[arg(long, value_name = "FILE")]
        lead_passphrase_file: Option<PathBuf>,
    },
    /// Move a referral to a new status, with a note (forward only: never back to DRAFT,
    /// nothing after a closed status)
    Status {
        /// The referral's id
        id: String,
        /// A referral_status code, e.g. ACKNOWLEDGED
        status: String,
        /// What happened, kept in the referral's history
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// List referrals, newest first
    List {
        /// Only open referrals due within a day or overdue, as on the follow-up screen: those
        /// of today's U1 and U2 calls first, then the oldest due
        #[arg(long)]
        due: bool,
        /// At most N referrals
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: u32,
        /// JSON Lines: one referral per line, every field
        #[arg(long)]
        json: bool,
    },
    /// Show one referral and its status history
    Show {
        /// The referral's id
        id: String,
        /// One JSON object with every field and the history
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a case: one JSON object on standard input (title, status, opened_from_call, notes)
    Add,
    /// Record a person in a case: one JSON object on standard input
    AddPerson {
        /// The case's id, as `case add` printed it
        case_id: String,
    },
    /// Show a case with its calls, people and referrals
    Show {
        /// The case's id
        id: String,
        /// One JSON object with the case, its calls, people and referrals
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// First day (YYYY-MM-DD, office time) [default: twelve weeks back, on a Monday]
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, included (YYYY-MM-DD, office time) [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One JSON document with every figure, keyed by codes
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// One CSV table (RFC 4180) with the columns figure,key,label,count
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every entry of the audit chain, then the office's records against it; exit 1
    /// naming the first altered or missing entry, or the first record changed, deleted or
    /// added outside linea
    Verify,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Central's recovery identity file (written by `linea central init`)
    #[arg(long, value_name = "FILE")]
    pub recovery_identity: PathBuf,
    /// Read the new lead's passphrase from FILE
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CentralCommand {
    /// Make central's store and keys; the recovery identity goes to a file for offline keeping
    Init {
        /// Where to write the recovery identity [default: ./linea-central-recovery.txt]
        #[arg(long, value_name = "FILE")]
        recovery_out: Option<PathBuf>,
        /// Read the first operator's new passphrase from FILE
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Enroll an office: write the kit it is set up from
    Enroll {
        /// The office's id: lowercase letters, digits and '-' (e.g. pe-cusco)
        #[arg(long, value_name = "ID")]
        office: String,
        /// The office's name as people say it (e.g. "Oficina Cusco")
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Where to write the kit
        #[arg(long, value_name = "KIT")]
        out: PathBuf,
    },
    /// Register an office from its enrollment file: pin its signing key
    ///
    /// An office whose key was revoked registers again the same way, from the enrollment
    /// file of its new installation (made from a kit issued after the revocation).
    Register {
        /// The enrollment file `linea init` wrote at the office
        file: PathBuf,
        /// The office key's fingerprint as the office lead reads it out by phone (else
        /// typed when asked); nothing is registered if the file's differs
        #[arg(long, value_name = "FP")]
        fingerprint: Option<String>,
    },
    /// List the enrolled offices (registered, or revoked and when); or revoke an office's key
    Offices {
        #[command(subcommand)]
        command: Option<OfficesCommand>,
    },
    /// Import every batch on the stick at DIR, and leave each office its receipt and pack
    /// (batches it refuses are set aside in DIR/linea/refused/)
    Sync {
        /// Where the stick is mounted (linea/to-central/ and linea/to-office/ are under it)
        dir: PathBuf,
    },
    /// Import batch files; with --dry-run, show what would change and write nothing
    Import {
        /// Batch files (b-*.age), imported in the order of their numbers
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Show the new, updated, conflicting and refused records; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Check a batch file (decryption, signature, manifest) without importing it
    Verify {
        /// A batch file (b-*.age)
        file: PathBuf,
    },
    /// Write a batch's signed payload and its .minisig to DIR, for the standard minisign
    Unpack {
        /// A batch file (b-*.age)
        file: PathBuf,
        /// The folder to write `payload` and `payload.minisig` into (it is made if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Offices, their last batch, missing batches, alerts, conflicts and overdue receipts;
    /// and the backup recipient, if one is set
    Status {
        /// One JSON document, an object per office (with the backup recipient its packs carry)
        #[arg(long)]
        json: bool,
    },
    /// Records that arrived at a version central has, with other content
    ///
    /// Central keeps its copy and the other beside it, never overwriting. Each line: the
    /// office, the kind of record and its id, the version, when it was imported, in which of
    /// the office's batches, and its state: open, or settled once a newer version of the
    /// record arrived (it replaced both). To settle one, the office corrects the record; its
    /// next version travels in the next batch. `central status` counts the open ones.
    Conflicts {
        /// One JSON array, an object per conflict
        #[arg(long)]
        json: bool,
    },
    /// Calls from the same number as a call, at any office and in any period
    ///
    /// Offices send a call's number as keyed hashes unless a referral names the call; central
    /// links the calls whose hashes (or number) match. Each line: the office, when the call
    /// started, its reason and its id.
    Calls {
        /// The call's id, as the office logged it
        #[arg(long, value_name = "CALL_ID")]
        same_caller: String,
        /// One JSON array, an object per call
        #[arg(long)]
        json: bool,
    },
    /// The phone keys offices hash callers' numbers with
    #[command(subcommand)]
    PhoneKey(PhoneKeyCommand),
    /// Record the outcome of an office's referral; it travels to the office in its next pack
    Outcome {
        /// The referral's id, as the office logged it
        referral: String,
        /// A referral_status code, e.g. ACCEPTED
        status: String,
        /// What central learnt, kept in the referral's history at the office
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// Write the public export: one CSV row per presumed victim, CTDC's variables, no
    /// identifier, free text or date, every combination of the quasi-identifiers shared by
    /// at least K rows
    ///
    /// Presumed victims are the people in a case with the role VICTIM (unless found not to
    /// be one), or else the case's or call's person flagged as a possible victim; each in the
    /// year of the first call of their case. Year, gender, age band, majority status,
    /// citizenship, place and types of exploitation are coarsened for every row, or
    /// suppressed in a few, until each combination occurs at least K times. The first line
    /// says what was generalised, suppressed and withheld.
    Export {
        /// First day (YYYY-MM-DD, central's time) of the first calls of the cases exported
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day, included (YYYY-MM-DD, central's time)
        #[arg(long, value_name = "DATE")]
        to: String,
        /// The smallest group a combination of quasi-identifiers may have; 11 or more
        #[arg(long, value_name = "K", default_value_t = crate::model::disclosure::MIN_K)]
        k: usize,
        /// The CSV file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Figures across offices for a period, as tables, JSON or CSV
    ///
    /// Calls by office, week, month, reason, urgency, the caller's department and form of
    /// exploitation; people recorded as presumed victims (trafficking status POSSIBLE); referrals
    /// made in the period by kind of institution and current status; cases referred to the
    /// police; the days from a U1 call to the police report; and referrals overdue today, by
    /// office.
    ///
    /// The referral funnel follows each referral made in the period through its status
    /// history: referred (it reached SENT, or any answer: NO_RESPONSE, ACKNOWLEDGED,
    /// ACCEPTED, IN_PROGRESS, COMPLETED, DECLINED) -> acknowledged (ACKNOWLEDGED, ACCEPTED,
    /// IN_PROGRESS, COMPLETED or DECLINED) -> investigation opened or service given (ACCEPTED,
    /// IN_PROGRESS or COMPLETED) -> closed (COMPLETED).
    ///
    /// From a U1 call to the police report: for each U1_EMERGENCY call of the period with a
    /// police referral (PNP_*) that has a sent time, the days from the call's start to the
    /// first one sent; the median and the 90th percentile are nearest-rank.
    ///
    /// The period is whole days in central's time zone. Without --from it starts on the
    /// Monday eleven weeks before the last day's week.
    Stats(CentralStatsArgs),
    /// A report to hand over: one self-contained, printable HTML file
    ///
    /// The headline figures in a sentence, calls by month and reason, a table and a chart by
    /// department, forms of exploitation, the referral funnel, response times and the
    /// offices' sync health, as `central stats` counts them. Charts are inline SVG; the file
    /// has no script and loads nothing (no font, link or image from elsewhere). It holds
    /// counts and code labels only: no name, phone number, note or record id.
    Report(ReportArgs),
    /// Central's import identity, for disaster recovery
    #[command(subcommand)]
    Identity(IdentityCommand),
    /// Reference packs: the directory, scripts, places and code lists offices work with
    #[command(subcommand)]
    Pack(PackCommand),
    /// A second custodian's age key that every office encrypts its batches to as well
    ///
    /// Whoever holds the age identity of this recipient can read every batch offices write
    /// from then on. It is for disaster recovery: a second custodian keeps the identity
    /// offline, and if central's import identity is lost, the batches can still be read
    /// (`age -d -i IDENTITY b-….age`). It reaches each office in the kits `central enroll`
    /// writes and in the office's next pack (`central sync`, then `sync` at the office);
    /// from then on the office's batches are encrypted to central's import key and to this
    /// one. Central's lead only.
    #[command(subcommand)]
    BackupRecipient(BackupRecipientCommand),
}

#[derive(Debug, Args)]
pub struct CentralStatsArgs {
    /// First day (YYYY-MM-DD, central's time) [default: twelve weeks back, on a Monday]
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, included (YYYY-MM-DD, central's time) [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this office's records (its id, as `linea central offices` lists it)
    #[arg(long, value_name = "ID")]
    pub office: Option<String>,
    /// One JSON document with every figure, keyed by codes
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// One CSV table (RFC 4180) with the columns figure,key,label,value
    #[arg(long)]
    pub csv: bool,
    /// With --csv, for a table to publish: every count from 1 to 10 is left blank, and so
    /// is any count that would let one be worked out from its figure's total (each figure
    /// protected on its own); a first line starting with # says so
    #[arg(long, requires = "csv")]
    pub public: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD, central's time)
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last day, included (YYYY-MM-DD, central's time)
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Only this office's records (its id)
    #[arg(long, value_name = "ID")]
    pub office: Option<String>,
    /// Where to write the report (a new file)
    #[arg(long, value_name = "FILE.html")]
    pub out: std::path::PathBuf,
    /// For a report to publish: every count from 1 to 10 is hidden, in every table and
    /// chart, and so is any count that would let one be worked out from the totals shown
    /// (each figure's table protected on its own); response times of fewer than 11 calls too
    #[arg(long)]
    pub public: bool,
}

#[derive(Debug, Subcommand)]
pub enum PhoneKeyCommand {
    /// Make a new phone key; each office hashes numbers under it from its next pack on
    ///
    /// A pack carries central's two newest keys and offices hash every number under both,
    /// so calls from one number before and after a rotation still link. Central keeps every
    /// key it made. Central's lead only.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum BackupRecipientCommand {
    /// Set the backup recipient: once an office has it, every batch it writes is also
    /// encrypted to it
    Set {
        /// The custodian's age public key, as `age-keygen` printed it (age1…)
        #[arg(value_name = "AGE_RECIPIENT")]
        recipient: String,
    },
    /// Stop encrypting batches to the backup recipient (from each office's next pack on)
    Clear,
    /// Show the backup recipient, or say there is none
    Show,
}

#[derive(Debug, Subcommand)]
pub enum OfficesCommand {
    /// List the enrolled offices (the same as `linea central offices`)
    List,
    /// Revoke an office's signing key: from now on its batches are refused
    ///
    /// For a stolen or lost office computer, or a key that leaked. Batches signed with the
    /// revoked key are refused (rule `signer`, saying when it was revoked), and `central sync`
    /// stops leaving the office receipts and packs. Records already imported stay.
    ///
    /// To set the office up again: `linea central enroll --office OFFICE_ID ...` writes a new
    /// kit; the office runs `linea init --kit KIT` on its new installation; then `linea
    /// central register FILE` pins its new key. Its batches number from 1 again; the revoked
    /// key stays refused.
    Revoke {
        /// The office's id, as `linea central offices` lists it
        #[arg(value_name = "OFFICE_ID")]
        office: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Build the next reference pack from the files in DIR; the next `central sync` takes it
    /// to every office
    ///
    /// DIR holds directory.csv (id,name,target_type,coverage,phone,hours,last_verified),
    /// scripts/TOPIC.LANG.txt (LANG: es, en, fr), codes.csv (list,code,en,es,fr; optional)
    /// and INEI's ubigeo_distrito.csv (ubigeo_provincia.csv and ubigeo_departamento.csv
    /// optional). Coverage is "national", the ubigeo digits of the area (17, 1701, 170101)
    /// or a country code abroad; several phones are separated by ';'. Any problem refuses
    /// the whole pack, naming the file and line.
    Build {
        /// The folder holding the pack's files
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Write central's import identity to FILE: whoever holds it reads every batch
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}
