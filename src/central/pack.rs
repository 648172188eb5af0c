//! `linea central pack build --from DIR`: the next reference pack, from the files central
//! keeps (EXCHANGE.md, "Receipts and reference packs"):
//!
//! ```text
//! DIR/directory.csv            id,name,target_type,coverage,phone,hours,last_verified
//! DIR/scripts/TOPIC.LANG.txt   an information script (LANG: es, en or fr); optional
//! DIR/codes.csv                list,code,en,es,fr: code-list extensions; optional
//! DIR/templates.csv            id,reason,caller_type,information_given,outcomes,
//!                              saved_at_once,es,en,fr: call templates; optional
//! DIR/ubigeo_distrito.csv      INEI's ubigeo table (columns inei, departamento, provincia,
//!                              distrito), for places linea's built-in table lacks; optional,
//!                              as are ubigeo_provincia.csv and ubigeo_departamento.csv
//! ```
//!
//! `phone` holds one number or several separated by ';'. `coverage` is "national", the
//! ubigeo digits of the area served (17, 1701, 170101; 170000 and 170100 are read as 17 and
//! 1701), or a country code for a service abroad.
//!
//! `codes.csv` adds codes to the lists that take them (`model::code_extensions::EXTENSIBLE`:
//! referral_target_type, info_topic, context_tag…; never a list whose codes drive the
//! program's rules, such as urgency or the statuses). `es` is required; an empty `en` or `fr`
//! shows the Spanish label. The directory and scripts may use the codes added. Offices
//! accept records with them once they applied the pack, and so does central's import.
//!
//! Everything is read and checked before anything is saved: the first problem refuses the
//! whole pack with one line naming the file and line. The pack's content is checked by the
//! rules offices apply too ([`PackContent::check`]).

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::csv;
use crate::exchange::pack::{
    CodeExtension, ContentError, DirectoryEntry, PackContent, Part, PlaceEntry, ScriptEntry,
    TemplateEntry,
};
use crate::model::places::PlaceKind;
use crate::store::{CentralStore, StoreError};

pub const DIRECTORY_FILE: &str = "directory.csv";
pub const SCRIPTS_DIR: &str = "scripts";
pub const CODES_FILE: &str = "codes.csv";
pub const TEMPLATES_FILE: &str = "templates.csv";
pub const DISTRICTS_FILE: &str = "ubigeo_distrito.csv";
pub const PROVINCES_FILE: &str = "ubigeo_provincia.csv";
pub const DEPARTMENTS_FILE: &str = "ubigeo_departamento.csv";

const DIRECTORY_HEADER: [&str; 7] = [
    "id",
    "name",
    "target_type",
    "coverage",
    "phone",
    "hours",
    "last_verified",
];
const CODES_HEADER: [&str; 5] = ["list", "code", "en", "es", "fr"];
const TEMPLATES_HEADER: [&str; 9] = [
    "id",
    "reason",
    "caller_type",
    "information_given",
    "outcomes",
    "saved_at_once",
    "es",
    "en",
    "fr",
];

/// A source file larger than this is no directory or ubigeo table (INEI's is 400 KB).
const MAX_FILE: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PackBuildError {
    /// The files are wrong: one line naming the file, the line and the problem.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A pack central saved.
#[derive(Debug)]
pub struct Built {
    pub version: u64,
    pub content: PackContent,
    /// Rows left out on purpose, for the operator to read: "FILE:LINE: why".
    pub skipped: Vec<String>,
}

/// Reads the pack's files from `dir`, checks them, and saves the content as central's next
/// pack; the next `central sync` takes it to every office.
pub fn build(store: &mut CentralStore, dir: &Path) -> Result<Built, PackBuildError> {
    let today = store.now().with_timezone(&store.zone()).date_naive();
    let (content, skipped) = read_sources(dir, today)?;
    let value = serde_json::to_value(&content)
        .map_err(|e| StoreError::Damaged(format!("the pack cannot be written: {e}")))?;
    // Central's import checks offices' records against the extensions it publishes: they
    // are in force here before any office can have them.
    let extensions: Vec<_> = content
        .code_lists
        .iter()
        .map(CodeExtension::extension)
        .collect();
    store.set_code_extensions(&extensions)?;
    let version = store.save_pack(&value)?;
    Ok(Built {
        version,
        content,
        skipped,
    })
}

/// Reads and checks the files in `dir` into a pack's content, with the rows left out;
/// `today` bounds the dates things were last verified on.
pub fn read_sources(
    dir: &Path,
    today: NaiveDate,
) -> Result<(PackContent, Vec<String>), PackBuildError> {
    if !dir.is_dir() {
        return Err(refused(format!("{}: no such folder", dir.display())));
    }
    let mut sources = Sources::default();
    read_places(dir, &mut sources)?;
    read_directory(&dir.join(DIRECTORY_FILE), today, &mut sources)?;
    read_scripts(&dir.join(SCRIPTS_DIR), &mut sources)?;
    let codes = dir.join(CODES_FILE);
    if codes.exists() {
        read_codes(&codes, &mut sources)?;
    }
    let templates = dir.join(TEMPLATES_FILE);
    if templates.exists() {
        read_templates(&templates, &mut sources)?;
    }
    sources.finish()
}

fn refused(message: String) -> PackBuildError {
    PackBuildError::Refused(message)
}

/// Where an entry came from, to name it in an error.
#[derive(Debug, Clone)]
struct Origin {
    file: PathBuf,
    /// None for a whole file (a script).
    line: Option<usize>,
}

impl Origin {
    fn at(file: &Path, line: usize) -> Origin {
        Origin {
            file: file.to_owned(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// The content being read, with where each entry came from.
#[derive(Default)]
struct Sources {
    content: PackContent,
    origins: HashMap<Part, Vec<Origin>>,
    skipped: Vec<String>,
    /// Places by ubigeo: their position in `content.places`. INEI's district table names
    /// each province and department on every row; they are kept once.
    place_index: HashMap<String, usize>,
}

impl Sources {
    fn origin(&mut self, part: Part, origin: Origin) {
        self.origins.entry(part).or_default().push(origin);
    }

    /// Adds a place, once: the same ubigeo again must bear the same name.
    fn place(&mut self, entry: PlaceEntry, origin: Origin) -> Result<(), PackBuildError> {
        if let Some(&at) = self.place_index.get(&entry.ubigeo) {
            let known = &self.content.places[at];
            if known.name == entry.name {
                return Ok(());
            }
            let first = &self.origins[&Part::Places][at];
            return Err(refused(format!(
                "{origin}: {} is named '{}' here but '{}' at {first}",
                entry.ubigeo, entry.name, known.name
            )));
        }
        self.place_index
            .insert(entry.ubigeo.clone(), self.content.places.len());
        self.content.places.push(entry);
        self.origin(Part::Places, origin);
        Ok(())
    }

    /// Puts places in ubigeo order (each province before its districts) and checks the
    /// whole content, naming the file and line of the first entry at fault.
    fn finish(mut self) -> Result<(PackContent, Vec<String>), PackBuildError> {
        let places = std::mem::take(&mut self.content.places);
        let origins = self.origins.remove(&Part::Places).unwrap_or_default();
        let mut sorted: Vec<(PlaceEntry, Origin)> = places.into_iter().zip(origins).collect();
        sorted.sort_by(|a, b| a.0.ubigeo.cmp(&b.0.ubigeo));
        let (places, origins) = sorted.into_iter().unzip();
        self.content.places = places;
        self.origins.insert(Part::Places, origins);
        match self.content.check() {
            Ok(()) => Ok((self.content, self.skipped)),
            Err(error) => Err(refused(self.explain(&error))),
        }
    }

    fn explain(&self, error: &ContentError) -> String {
        let origin = |index: usize| {
            self.origins
                .get(&error.part)
                .and_then(|origins| origins.get(index))
        };
        let mut message = match origin(error.index) {
            Some(origin) => format!("{origin}: {}", error.reason),
            None => error.to_string(),
        };
        if let Some(first) = error.first.and_then(origin) {
            message.push_str(&format!(" (first at {first})"));
        }
        message
    }
}

/// A CSV file read whole: its header's columns and its rows, each as long as the header.
struct Table {
    path: PathBuf,
    columns: Vec<String>,
    rows: Vec<csv::Row>,
}

impl Table {
    fn read(path: &Path) -> Result<Table, PackBuildError> {
        let text = read_text(path)?;
        let mut rows = csv::parse(&text)
            .map_err(|e| refused(format!("{}:{}: {}", path.display(), e.line, e.reason)))?
            .into_iter();
        let Some(header) = rows.next() else {
            return Err(refused(format!("{}: empty", path.display())));
        };
        let columns: Vec<String> = header.fields.iter().map(|c| c.trim().to_owned()).collect();
        let rows: Vec<csv::Row> = rows.collect();
        for row in &rows {
            if row.fields.len() != columns.len() {
                return Err(refused(format!(
                    "{}:{}: {} fields, but the header has {}",
                    path.display(),
                    row.line,
                    row.fields.len(),
                    columns.len()
                )));
            }
        }
        Ok(Table {
            path: path.to_owned(),
            columns,
            rows,
        })
    }

    /// Requires exactly these columns, in this order (the files are central's own).
    fn expect_header(&self, header: &[&str]) -> Result<(), PackBuildError> {
        if self.columns != header {
            return Err(refused(format!(
                "{}:1: the header must be {}",
                self.path.display(),
                header.join(",")
            )));
        }
        Ok(())
    }

    /// The position of a column of INEI's table, which has more columns than linea reads.
    fn column(&self, name: &str) -> Result<usize, PackBuildError> {
        self.columns.iter().position(|c| c == name).ok_or_else(|| {
            refused(format!(
                "{}:1: no column '{name}' (INEI's ubigeo table has inei, departamento, provincia, distrito)",
                self.path.display()
            ))
        })
    }

    fn origin(&self, row: &csv::Row) -> Origin {
        Origin::at(&self.path, row.line)
    }
}

/// A file's text: it must exist, be of a sane size and be UTF-8.
fn read_text(path: &Path) -> Result<String, PackBuildError> {
    let metadata = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refused(format!("{}: missing", path.display())),
        _ => refused(format!("{}: cannot be read ({e})", path.display())),
    })?;
    if metadata.len() > MAX_FILE {
        return Err(refused(format!(
            "{}: larger than {} MiB",
            path.display(),
            MAX_FILE / 1024 / 1024
        )));
    }
    let bytes =
        fs::read(path).map_err(|e| refused(format!("{}: cannot be read ({e})", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        refused(format!(
            "{}: not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn field(row: &csv::Row, column: usize) -> String {
    row.fields
        .get(column)
        .map(|f| f.trim().to_owned())
        .unwrap_or_default()
}

fn read_directory(
    path: &Path,
    today: NaiveDate,
    sources: &mut Sources,
) -> Result<(), PackBuildError> {
    let table = Table::read(path)?;
    table.expect_header(&DIRECTORY_HEADER)?;
    for row in &table.rows {
        let last_verified = field(row, 6);
        if let Ok(date) = NaiveDate::parse_from_str(&last_verified, "%Y-%m-%d")
            && date > today
        {
            return Err(refused(format!(
                "{}: last_verified {last_verified} is after today",
                table.origin(row)
            )));
        }
        let entry = DirectoryEntry {
            id: field(row, 0),
            name: field(row, 1),
            target_type: field(row, 2),
            coverage: normal_coverage(&field(row, 3)),
            phones: field(row, 4)
                .split(';')
                .map(str::trim)
                .filter(|phone| !phone.is_empty())
                .map(str::to_owned)
                .collect(),
            hours: field(row, 5),
            last_verified,
        };
        sources.content.directory.push(entry);
        sources.origin(Part::Directory, table.origin(row));
    }
    Ok(())
}

/// Coverage as packs carry it: a six-digit department or province ("170000", "170100")
/// becomes its prefix ("17", "1701"); anything else is kept for the check to judge.
fn normal_coverage(text: &str) -> String {
    match crate::model::directory::Coverage::parse(text) {
        Ok(coverage) => coverage.code().to_owned(),
        Err(_) => text.to_owned(),
    }
}

fn read_scripts(dir: &Path, sources: &mut Sources) -> Result<(), PackBuildError> {
    if !dir.exists() {
        // No scripts: offices keep their built-in ones.
        return Ok(());
    }
    let listing = fs::read_dir(dir)
        .map_err(|e| refused(format!("{}: cannot be read ({e})", dir.display())))?;
    let mut paths: Vec<PathBuf> = listing
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| refused(format!("{}: cannot be read ({e})", dir.display())))?;
    paths.sort();
    for path in paths {
        let entry = read_script(&path)?;
        sources.content.scripts.push(entry);
        sources.origin(
            Part::Scripts,
            Origin {
                file: path,
                line: None,
            },
        );
    }
    Ok(())
}

/// One script file, named TOPIC.LANG.txt.
fn read_script(path: &Path) -> Result<ScriptEntry, PackBuildError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((topic, lang)) = name
        .strip_suffix(".txt")
        .and_then(|stem| stem.rsplit_once('.'))
        .filter(|_| path.is_file())
    else {
        return Err(refused(format!(
            "{}: not a script file named TOPIC.LANG.txt (e.g. TIP_DEFINITION.es.txt)",
            path.display()
        )));
    };
    let text = read_text(path)?.replace("\r\n", "\n");
    Ok(ScriptEntry {
        topic: topic.to_owned(),
        lang: lang.to_owned(),
        text: text.trim().to_owned(),
    })
}

fn read_codes(path: &Path, sources: &mut Sources) -> Result<(), PackBuildError> {
    let table = Table::read(path)?;
    table.expect_header(&CODES_HEADER)?;
    for row in &table.rows {
        sources.content.code_lists.push(CodeExtension {
            list: field(row, 0),
            code: field(row, 1),
            en: field(row, 2),
            es: field(row, 3),
            fr: field(row, 4),
        });
        sources.origin(Part::CodeLists, table.origin(row));
    }
    Ok(())
}

/// Call templates: codes of a list separated by ';', `saved_at_once` yes or no.
fn read_templates(path: &Path, sources: &mut Sources) -> Result<(), PackBuildError> {
    let table = Table::read(path)?;
    table.expect_header(&TEMPLATES_HEADER)?;
    for row in &table.rows {
        let origin = table.origin(row);
        let list = |column| -> Vec<String> {
            field(row, column)
                .split(';')
                .map(str::trim)
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let saved_at_once = match field(row, 5).trim() {
            "yes" => true,
            "no" | "" => false,
            other => {
                return Err(refused(format!(
                    "{origin}: saved_at_once is '{other}', not yes or no"
                )));
            }
        };
        sources.content.templates.push(TemplateEntry {
            id: field(row, 0),
            reason: field(row, 1),
            caller_type: field(row, 2),
            information_given: list(3),
            outcomes: list(4),
            saved_at_once,
            es: field(row, 6),
            en: field(row, 7),
            fr: field(row, 8),
        });
        sources.origin(Part::Templates, origin);
    }
    Ok(())
}

/// Places from INEI's tables, all optional: the district table names every district's
/// province and department too; the province and department tables add any it lacks.
fn read_places(dir: &Path, sources: &mut Sources) -> Result<(), PackBuildError> {
    let levels = [
        ("departamento", PlaceKind::Department),
        ("provincia", PlaceKind::Province),
        ("distrito", PlaceKind::District),
    ];
    // Every place is built into linea: INEI's tables are optional, for places created since.
    for (file, finest) in [
        (DISTRICTS_FILE, 3),
        (PROVINCES_FILE, 2),
        (DEPARTMENTS_FILE, 1),
    ] {
        let path = dir.join(file);
        if path.exists() {
            read_place_table(&Table::read(&path)?, &levels[..finest], sources)?;
        }
    }
    Ok(())
}

/// Reads one of INEI's tables whose rows are places of the last of `levels`, each row also
/// naming the wider places it lies in.
fn read_place_table(
    table: &Table,
    levels: &[(&str, PlaceKind)],
    sources: &mut Sources,
) -> Result<(), PackBuildError> {
    let code_column = table.column("inei")?;
    let name_columns: Vec<usize> = levels
        .iter()
        .map(|(column, _)| table.column(column))
        .collect::<Result<_, _>>()?;
    let Some(&(_, kind)) = levels.last() else {
        return Ok(());
    };
    for row in &table.rows {
        let code = field(row, code_column);
        // INEI's table lists a district RENIEC knows but INEI has not numbered, its code
        // "NA": without a ubigeo no record can name it, so it is left out, and said so.
        if code.is_empty() || code == "NA" {
            sources.skipped.push(format!(
                "{}: no INEI code ({}), left out",
                table.origin(row),
                name_columns
                    .iter()
                    .map(|column| field(row, *column))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
        if PlaceKind::of(&code) != Some(kind) {
            return Err(refused(format!(
                "{}: inei '{code}' is not the ubigeo of a {}",
                table.origin(row),
                kind.as_str()
            )));
        }
        for ((_, level), column) in levels.iter().zip(&name_columns) {
            let entry = PlaceEntry {
                ubigeo: area_of(&code, *level),
                name: field(row, *column),
                kind: *level,
            };
            sources.place(entry, table.origin(row))?;
        }
    }
    Ok(())
}

/// The ubigeo of the department or province a (checked, six-digit) ubigeo lies in.
fn area_of(code: &str, kind: PlaceKind) -> String {
    let digits = match kind {
        PlaceKind::Department => 2,
        PlaceKind::Province => 4,
        PlaceKind::District => 6,
    };
    format!("{:0<6}", code.get(..digits).unwrap_or(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISTRICTS: &str = "\
inei,reniec,departamento,provincia,distrito,capital
170101,160101,MADRE DE DIOS,TAMBOPATA,TAMBOPATA,Puerto Maldonado
170102,160102,MADRE DE DIOS,TAMBOPATA,INAMBARI,\"Mazuko,\nInambari\"
150101,140101,LIMA,LIMA,LIMA,Lima
";

    const DIRECTORY: &str = "\
id,name,target_type,coverage,phone,hours,last_verified
CEM_TAMBOPATA,CEM Tambopata,MIMP_CEM,170101,(082) 57-1234; 100,L-V 8:00-16:00,2026-10-01
PNP_MDD,PNP Madre de Dios,PNP_TRAFFICKING,170000,,,
";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for (name, text) in files {
            let path = dir.path().join(name);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        }
        dir
    }

    fn read(files: &[(&str, &str)]) -> Result<PackContent, String> {
        let dir = folder(files);
        read_sources(dir.path(), today())
            .map(|(content, _)| content)
            .map_err(|e| {
                // Paths differ per run; the file name and line are what matter.
                e.to_string()
                    .replace(&format!("{}/", dir.path().display()), "")
            })
    }

    #[test]
    fn a_folder_becomes_a_pack_with_derived_provinces_and_departments() {
        let content = read(&[
            (DISTRICTS_FILE, DISTRICTS),
            (DIRECTORY_FILE, DIRECTORY),
            (
                "scripts/HOW_TO_REPORT.es.txt",
                "Llame al 105.\r\nGracias.\r\n",
            ),
            (
                CODES_FILE,
                "list,code,en,es,fr\nreferral_target_type,RONDAS,Patrols,Rondas campesinas,\n",
            ),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let codes: Vec<&str> = content.places.iter().map(|p| p.ubigeo.as_str()).collect();
        assert_eq!(
            codes,
            [
                "150000", "150100", "150101", "170000", "170100", "170101", "170102"
            ]
        );
        assert_eq!(content.place_counts(), (2, 2, 3));
        assert_eq!(content.directory[0].phones, ["(082) 57-1234", "100"]);
        assert_eq!(content.directory[1].coverage, "17");
        assert_eq!(content.scripts[0].text, "Llame al 105.\nGracias.");
        assert_eq!(content.code_lists[0].code, "RONDAS");
    }

    #[test]
    fn each_problem_names_its_file_and_line() {
        let directory_with = |row: &str| format!("{DIRECTORY}{row}\n");
        let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
            (vec![], "directory.csv: missing"),
            (
                vec![(DIRECTORY_FILE, directory_with("X,Name,POLICE,17,,,"))],
                "directory.csv:4: unknown target type 'POLICE'",
            ),
            (
                vec![(DIRECTORY_FILE, directory_with("X,Name,HEALTH,1799,,,"))],
                "directory.csv:4: coverage 1799 is no place of Peru linea or the pack knows",
            ),
            (
                vec![(DIRECTORY_FILE, directory_with("PNP_MDD,Again,HEALTH,17,,,"))],
                "directory.csv:4: id PNP_MDD twice (first at directory.csv:3)",
            ),
            (
                vec![(
                    DIRECTORY_FILE,
                    directory_with("X,Name,HEALTH,17,,,2027-01-01"),
                )],
                "directory.csv:4: last_verified 2027-01-01 is after today",
            ),
            (
                vec![(DIRECTORY_FILE, directory_with("X,Name,HEALTH,17"))],
                "directory.csv:4: 4 fields, but the header has 7",
            ),
            (
                vec![(DIRECTORY_FILE, "id,name\n".into())],
                "directory.csv:1: the header must be id,name,target_type",
            ),
            (
                vec![("scripts/HOW_TO_REPORT.qu.txt", "Willay".into())],
                "scripts/HOW_TO_REPORT.qu.txt: unknown language 'qu'",
            ),
            (
                vec![("scripts/notes.txt", "x".into())],
                "scripts/notes.txt: not a script file named TOPIC.LANG.txt",
            ),
            (
                vec![(
                    CODES_FILE,
                    "list,code,en,es,fr\ncase_status,closed,C,C,C\n".into(),
                )],
                "codes.csv:2: code 'closed' is not [A-Z0-9_]",
            ),
            (
                vec![(
                    CODES_FILE,
                    "list,code,en,es,fr\ncase_status,ARCHIVED,Archived,Archivado,\n".into(),
                )],
                "codes.csv:2: case_status takes no codes from reference packs: its codes decide which cases are closed and purged",
            ),
            (
                vec![(
                    CODES_FILE,
                    "list,code,en,es,fr\ninfo_topic,HOW_TO_REPORT,Report,Denunciar,\n".into(),
                )],
                "codes.csv:2: HOW_TO_REPORT is a built-in code of info_topic",
            ),
            (
                vec![(
                    DISTRICTS_FILE,
                    format!("{DISTRICTS}17010,1,MADRE DE DIOS,TAMBOPATA,X,Y\n"),
                )],
                "ubigeo_distrito.csv:6: inei '17010' is not the ubigeo of a district",
            ),
            (
                vec![(
                    DISTRICTS_FILE,
                    format!("{DISTRICTS}170103,1,MADRE DE DIOS,TAMBOPATTA,X,Y\n"),
                )],
                "ubigeo_distrito.csv:6: 170100 is named 'TAMBOPATTA' here but 'TAMBOPATA' at ubigeo_distrito.csv:2",
            ),
            (
                vec![(DISTRICTS_FILE, "ubigeo,distrito\n".into())],
                "ubigeo_distrito.csv:1: no column 'inei'",
            ),
            (
                vec![(DISTRICTS_FILE, format!("{DISTRICTS}\"170103,1\n"))],
                "ubigeo_distrito.csv:6: a quoted field is never closed",
            ),
        ];
        for (changes, expected) in cases {
            let mut files: Vec<(&str, String)> = vec![
                (DISTRICTS_FILE, DISTRICTS.to_owned()),
                (DIRECTORY_FILE, DIRECTORY.to_owned()),
            ];
            if changes.is_empty() {
                files.retain(|(name, _)| *name != DIRECTORY_FILE);
            }
            for (name, text) in changes {
                files.retain(|(n, _)| *n != name);
                files.push((name, text));
            }
            let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
            match read(&files) {
                Ok(_) => panic!("accepted, expected {expected}"),
                Err(error) => assert!(error.starts_with(expected), "{error}\nexpected {expected}"),
            }
        }
    }

    #[test]
    fn an_institution_may_be_of_a_type_codes_csv_adds() {
        let directory = format!("{DIRECTORY}RONDAS_MDD,Rondas Madre de Dios,RONDAS,17,,,\n");
        let codes = "list,code,en,es,fr\nreferral_target_type,RONDAS,,Rondas campesinas,\n";
        let content = read(&[
            (DISTRICTS_FILE, DISTRICTS),
            (DIRECTORY_FILE, &directory),
            (CODES_FILE, codes),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(content.directory[2].target_type, "RONDAS");
        // Without codes.csv the type is unknown.
        let error = read(&[(DISTRICTS_FILE, DISTRICTS), (DIRECTORY_FILE, &directory)])
            .err()
            .unwrap_or_default();
        assert!(
            error.starts_with("directory.csv:4: unknown target type 'RONDAS'"),
            "{error}"
        );
    }

    #[test]
    fn a_district_without_an_inei_code_is_left_out_and_said_so() {
        let districts = format!("{DISTRICTS}NA,170107,MOQUEGUA,MARISCAL NIETO,SAN ANTONIO,NA\n");
        let dir = folder(&[(DISTRICTS_FILE, &districts), (DIRECTORY_FILE, DIRECTORY)]);
        let (content, skipped) =
            read_sources(dir.path(), today()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(content.place_counts(), (2, 2, 3));
        assert_eq!(skipped.len(), 1);
        assert!(
            skipped[0].ends_with(
                "ubigeo_distrito.csv:6: no INEI code (MOQUEGUA, MARISCAL NIETO, SAN ANTONIO), left out"
            ),
            "{skipped:?}"
        );
    }

    #[test]
    fn the_area_of_a_district_is_its_province_and_department() {
        assert_eq!(area_of("170101", PlaceKind::Department), "170000");
        assert_eq!(area_of("170101", PlaceKind::Province), "170100");
        assert_eq!(area_of("170101", PlaceKind::District), "170101");
    }
}
