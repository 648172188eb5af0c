//! Reference packs: what operators tell callers and where they refer them, built at central
//! and applied at every office (EXCHANGE.md), and the outcomes central recorded for that
//! office's referrals.
//!
//! The content is typed and checked on both sides with the same rules ([`PackContent::check`]):
//! central refuses to build a pack that breaks them, and an office refuses to apply one, so a
//! pack from a newer or a damaged central never half-replaces the desk's directory.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::keys::PhoneKeys;
pub use crate::model::Outcome;
use crate::model::codes;
use crate::model::directory::{Coverage, Directory, Institution, Script};
use crate::model::places::{self, PlaceKind, PlaceNames};
use crate::model::templates::CallTemplate;
use crate::model::{CodeExtensions, Extension};
use crate::store::{OfficeStore, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub office_id: String,
    /// Grows with every pack central builds; an office refuses a lower one.
    pub version: u64,
    pub issued_at: DateTime<Utc>,
    /// After this an office refuses the pack: stale phone numbers send callers nowhere.
    pub expires_at: DateTime<Utc>,
    /// The reference content, the same for every office (empty until central builds one).
    #[serde(default, deserialize_with = "null_is_empty")]
    pub content: PackContent,
    pub outcomes: Vec<Outcome>,
    /// The backup recipient central hands out when it wrote the pack: the office encrypts
    /// its batches to it as well from then on, and a pack without one clears it (EXCHANGE.md,
    /// "Batch"). Left out when there is none, so such a pack reads as packs always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_recipient: Option<String>,
}

/// Packs written before the content was typed carried `null` for "nothing built yet".
fn null_is_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PackContent, D::Error> {
    Ok(Option::<PackContent>::deserialize(deserializer)?.unwrap_or_default())
}

/// What central maintains for every office.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PackContent {
    /// Replaces the built-in directory at the office when not empty.
    pub directory: Vec<DirectoryEntry>,
    /// Replaces the built-in scripts at the office when not empty.
    pub scripts: Vec<ScriptEntry>,
    /// Departments, provinces and districts with their names (INEI's ubigeo table).
    pub places: Vec<PlaceEntry>,
    /// Codes added to the built-in lists that take them: the office hands them to its
    /// store when it applies the pack, and the desk offers them from there.
    pub code_lists: Vec<CodeExtension>,
    /// Call templates added to the built-in ones, or replacing one of the same id. Left out
    /// when there are none, so such a pack reads as packs always did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<TemplateEntry>,
    /// The phone keys offices hash callers' numbers under, oldest first (README, "Repeat
    /// callers"): central's newest two, so that hashes made before and after a rotation
    /// link. Added to each pack as central writes it, never kept with the content built;
    /// left out by a central that hands out none, and the office then keeps those it had.
    #[serde(skip_serializing_if = "PhoneKeys::is_empty")]
    pub phone_keys: PhoneKeys,
}

/// A call template: the codes a frequent call always has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateEntry {
    /// `[a-z0-9-]`, at most 30 characters; a built-in template's id replaces it.
    pub id: String,
    /// A code of `contact_reason`.
    pub reason: String,
    /// A code of `caller_type`; empty when the operator is asked.
    #[serde(default)]
    pub caller_type: String,
    #[serde(default)]
    pub information_given: Vec<String>,
    #[serde(default)]
    pub outcomes: Vec<String>,
    /// Saved the moment it is chosen (a call with nothing more to ask).
    #[serde(default)]
    pub saved_at_once: bool,
    pub es: String,
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub fr: String,
}

/// One institution of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryEntry {
    /// `[A-Z0-9_]`, at most 40 characters, unique in the pack.
    pub id: String,
    pub name: String,
    /// A code of `referral_target_type`.
    pub target_type: String,
    /// "national", the ubigeo digits of the area (2, 4 or 6), or a country code abroad.
    pub coverage: String,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub hours: String,
    /// YYYY-MM-DD, or empty when nobody has checked it yet.
    #[serde(default)]
    pub last_verified: String,
}

/// An information script in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptEntry {
    /// A code of `info_topic`.
    pub topic: String,
    /// "es", "en" or "fr".
    pub lang: String,
    pub text: String,
}

/// A department, province or district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceEntry {
    /// Six digits, INEI's numbering.
    pub ubigeo: String,
    pub name: String,
    pub kind: PlaceKind,
}

/// A code added to a built-in list, with its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeExtension {
    /// The list's name, e.g. "referral_target_type".
    pub list: String,
    pub code: String,
    pub es: String,
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub fr: String,
}

/// The parts of a pack's content, to say where a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Directory,
    Scripts,
    Places,
    CodeLists,
    Templates,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Directory => "directory",
            Part::Scripts => "scripts",
            Part::Places => "places",
            Part::CodeLists => "code_lists",
            Part::Templates => "templates",
        }
    }
}

/// Why content is refused, and which entry (by position in its part) is at fault, so that
/// central can name the file and line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub part: Part,
    pub index: usize,
    pub reason: String,
    /// For an entry given twice: the position of the first.
    pub first: Option<usize>,
}

impl ContentError {
    fn new(part: Part, index: usize, reason: String) -> ContentError {
        ContentError {
            part,
            index,
            reason,
            first: None,
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} entry {}: {}",
            self.part.name(),
            self.index + 1,
            self.reason
        )?;
        match self.first {
            Some(first) => write!(f, " (first as entry {})", first + 1),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ContentError {}

/// How much of each part a pack may hold: far above Peru's 1,892 districts and any real
/// directory, low enough that a hostile pack cannot make the desk crawl.
pub const MAX_ENTRIES: usize = 20_000;
/// Longest name, hours or label, in characters.
pub const MAX_LINE: usize = 300;
/// Longest script, in characters (a script is read aloud in one go).
pub const MAX_SCRIPT: usize = 6_000;
/// Longest phone number, in characters.
const MAX_PHONE: usize = 30;
/// Longest institution id.
const MAX_ID: usize = 40;

/// The languages a script or label may be in.
pub const LANGS: [&str; 3] = ["es", "en", "fr"];

/// A code as TAXONOMY.md defines one: `[A-Z0-9_]`, 1 to `max` characters.
pub fn is_code(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.len() <= max
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// One line of text for the screen: not empty, not too long, no control characters (they
/// would reach the operator's terminal).
fn line_text(what: &str, text: &str, required: bool) -> Result<(), String> {
    if text.trim().is_empty() {
        return if required {
            Err(format!("{what} is empty"))
        } else {
            Ok(())
        };
    }
    if text.chars().count() > MAX_LINE {
        return Err(format!("{what} is longer than {MAX_LINE} characters"));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("{what} has a control character"));
    }
    Ok(())
}

impl TemplateEntry {
    /// `extensions` are the pack's own: a template may use the codes the pack adds.
    pub fn check(&self, extensions: &CodeExtensions) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 30
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(format!(
                "id '{}' is not [a-z0-9-], 1 to 30 characters",
                self.id
            ));
        }
        line_text("the Spanish name", &self.es, true)?;
        line_text("the English name", &self.en, false)?;
        line_text("the French name", &self.fr, false)?;
        let code = |list: &codes::CodeList, code: &str| {
            if extensions.accepts(list, code) {
                Ok(())
            } else {
                Err(format!("unknown {} '{code}'", list.name))
            }
        };
        code(&codes::CONTACT_REASON, &self.reason)?;
        if !self.caller_type.is_empty() {
            code(&codes::CALLER_TYPE, &self.caller_type)?;
        } else if self.saved_at_once {
            return Err("a template saved at once must say who calls (caller_type)".into());
        }
        for topic in &self.information_given {
            code(&codes::INFO_TOPIC, topic)?;
        }
        for outcome in &self.outcomes {
            code(&codes::CALL_OUTCOME, outcome)?;
        }
        Ok(())
    }

    /// The template the desk offers (checked).
    pub fn template(&self) -> CallTemplate {
        let codes = |codes: &[String]| codes.iter().map(|c| Cow::Owned(c.clone())).collect();
        CallTemplate {
            id: self.id.clone().into(),
            en: self.en.clone().into(),
            es: self.es.clone().into(),
            fr: self.fr.clone().into(),
            reason: self.reason.clone().into(),
            caller_type: Some(self.caller_type.clone())
                .filter(|t| !t.is_empty())
                .map(Cow::Owned),
            information_given: codes(&self.information_given),
            outcomes: codes(&self.outcomes),
            saved_at_once: self.saved_at_once,
        }
    }
}

impl DirectoryEntry {
    /// `extensions` are the pack's own: an institution may be of a type the pack adds.
    pub fn check(&self, extensions: &CodeExtensions) -> Result<(), String> {
        if !is_code(&self.id, MAX_ID) {
            return Err(format!(
                "id '{}' is not [A-Z0-9_], 1 to {MAX_ID} characters",
                self.id
            ));
        }
        line_text("the name", &self.name, true)?;
        if !extensions.accepts(&codes::REFERRAL_TARGET_TYPE, &self.target_type) {
            return Err(format!(
                "unknown target type '{}' (a code of referral_target_type, e.g. PNP_TRAFFICKING)",
                self.target_type
            ));
        }
        Coverage::parse(&self.coverage).map_err(|e| format!("coverage {e}"))?;
        for phone in &self.phones {
            check_phone(phone)?;
        }
        line_text("the hours", &self.hours, false)?;
        check_date(&self.last_verified)
    }

    /// The institution as the desk routes to it (the entry is checked).
    fn institution(&self) -> Option<Institution> {
        Some(Institution {
            id: self.id.clone().into(),
            name: self.name.clone().into(),
            target_type: self.target_type.clone().into(),
            coverage: Coverage::parse(&self.coverage).ok()?,
            phone: self.phones.join(" / ").into(),
            hours: self.hours.clone().into(),
            last_verified: self.last_verified.clone().into(),
        })
    }
}

/// Digits and the usual separators, with at least one digit: "0800-15-170", "(01) 431 8000".
fn check_phone(phone: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_digit() || " +-()".contains(c);
    if phone.is_empty()
        || phone.len() > MAX_PHONE
        || !phone.chars().all(allowed)
        || !phone.chars().any(|c| c.is_ascii_digit())
    {
        return Err(format!(
            "phone '{phone}' is not a number (digits, spaces, + - ( ), at most {MAX_PHONE})"
        ));
    }
    Ok(())
}

fn check_date(date: &str) -> Result<(), String> {
    if date.is_empty() || NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() && date.len() == 10 {
        return Ok(());
    }
    Err(format!(
        "last_verified '{date}' is not a date as YYYY-MM-DD"
    ))
}

impl ScriptEntry {
    /// `extensions` are the pack's own: a script may be about a topic the pack adds.
    pub fn check(&self, extensions: &CodeExtensions) -> Result<(), String> {
        if !extensions.accepts(&codes::INFO_TOPIC, &self.topic) {
            return Err(format!(
                "unknown topic '{}' (a code of info_topic, e.g. TIP_DEFINITION)",
                self.topic
            ));
        }
        if !LANGS.contains(&self.lang.as_str()) {
            return Err(format!(
                "unknown language '{}': use es, en or fr",
                self.lang
            ));
        }
        if self.text.trim().is_empty() {
            return Err("the text is empty".into());
        }
        if self.text.chars().count() > MAX_SCRIPT {
            return Err(format!("the text is longer than {MAX_SCRIPT} characters"));
        }
        // Line breaks and tabs are layout; anything else would reach the terminal.
        if self
            .text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err("the text has a control character".into());
        }
        Ok(())
    }
}

impl PlaceEntry {
    pub fn check(&self) -> Result<(), String> {
        let Some(kind) = PlaceKind::of(&self.ubigeo) else {
            return Err(format!("'{}' is not a ubigeo of Peru", self.ubigeo));
        };
        if kind != self.kind {
            return Err(format!(
                "{} is a {}, not a {}",
                self.ubigeo,
                kind.as_str(),
                self.kind.as_str()
            ));
        }
        line_text("the name", &self.name, true)
    }
}

impl CodeExtension {
    /// The labels must be fit for the screen; the rest are the model's rules for every
    /// extension (a list that takes them, a code's shape, no built-in code changed), which
    /// the office's store applies again.
    pub fn check(&self) -> Result<(), String> {
        line_text("the es label", &self.es, true)?;
        line_text("the en label", &self.en, false)?;
        line_text("the fr label", &self.fr, false)?;
        self.extension().check().map(|_| ())
    }

    /// The extension as the model and the store know it (active: a pack carries the ones
    /// in force).
    pub fn extension(&self) -> Extension {
        Extension::new(&self.list, &self.code, &self.es, &self.en, &self.fr)
    }
}

impl PackContent {
    pub fn is_empty(&self) -> bool {
        self == &PackContent::default()
    }

    /// The code-list extensions this content brings (those that keep the rules).
    pub fn extensions(&self) -> CodeExtensions {
        CodeExtensions::new(self.code_lists.iter().map(CodeExtension::extension))
    }

    /// Every rule a pack's content must keep: each entry valid, no entry twice, every area
    /// the directory names among the pack's places (when it has places).
    pub fn check(&self) -> Result<(), ContentError> {
        self.check_sizes()?;
        check_each(Part::CodeLists, &self.code_lists, CodeExtension::check)?;
        check_unique(Part::CodeLists, &self.code_lists, |e| {
            (format!("{} {}", e.list, e.code), "code")
        })?;
        // The directory and scripts may use the codes the pack itself adds.
        let extensions = self.extensions();
        check_each(Part::Places, &self.places, PlaceEntry::check)?;
        check_unique(Part::Places, &self.places, |e| (e.ubigeo.clone(), "ubigeo"))?;
        check_each(Part::Directory, &self.directory, |e| e.check(&extensions))?;
        check_unique(Part::Directory, &self.directory, |e| (e.id.clone(), "id"))?;
        self.check_areas()?;
        check_each(Part::Scripts, &self.scripts, |e| e.check(&extensions))?;
        check_unique(Part::Scripts, &self.scripts, |e| {
            (format!("{} in {}", e.topic, e.lang), "script of")
        })?;
        check_each(Part::Templates, &self.templates, |e| e.check(&extensions))?;
        check_unique(Part::Templates, &self.templates, |e| (e.id.clone(), "id"))
    }

    /// The pack's call templates (checked).
    pub fn templates(&self) -> Vec<CallTemplate> {
        self.templates.iter().map(TemplateEntry::template).collect()
    }

    fn check_sizes(&self) -> Result<(), ContentError> {
        let sizes = [
            (Part::Directory, self.directory.len()),
            (Part::Scripts, self.scripts.len()),
            (Part::Places, self.places.len()),
            (Part::CodeLists, self.code_lists.len()),
            (Part::Templates, self.templates.len()),
        ];
        for (part, len) in sizes {
            if len > MAX_ENTRIES {
                return Err(ContentError::new(
                    part,
                    MAX_ENTRIES,
                    format!("more than {MAX_ENTRIES} entries"),
                ));
            }
        }
        Ok(())
    }

    /// A coverage naming a place neither linea nor the pack knows is a typo that would
    /// route nobody: refused.
    fn check_areas(&self) -> Result<(), ContentError> {
        let known: HashSet<&str> = self.places.iter().map(|p| p.ubigeo.as_str()).collect();
        for (index, entry) in self.directory.iter().enumerate() {
            let area = Coverage::parse(&entry.coverage)
                .ok()
                .and_then(|coverage| coverage.ubigeo());
            if let Some(area) = area
                && !known.contains(area.as_str())
                && places::name(&area).is_none()
            {
                return Err(ContentError::new(
                    Part::Directory,
                    index,
                    format!(
                        "coverage {} is no place of Peru linea or the pack knows",
                        entry.coverage
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The desk's directory from this content (checked): the pack's institutions and
    /// scripts, the built-in ones for a part the pack leaves empty.
    pub fn directory(&self) -> Directory {
        let institutions = self
            .directory
            .iter()
            .filter_map(DirectoryEntry::institution)
            .collect();
        Directory::new(institutions, self.merged_scripts())
    }

    /// One script per topic with its languages side by side, in the pack's order.
    fn merged_scripts(&self) -> Vec<Script> {
        let mut scripts: Vec<Script> = Vec::new();
        for entry in &self.scripts {
            let at = match scripts.iter().position(|s| s.topic == entry.topic) {
                Some(at) => at,
                None => {
                    scripts.push(Script {
                        topic: entry.topic.clone().into(),
                        es: "".into(),
                        en: "".into(),
                        fr: "".into(),
                    });
                    scripts.len() - 1
                }
            };
            let text = entry.text.trim().to_owned().into();
            match entry.lang.as_str() {
                "es" => scripts[at].es = text,
                "en" => scripts[at].en = text,
                _ => scripts[at].fr = text,
            }
        }
        scripts
    }

    pub fn place_names(&self) -> PlaceNames {
        PlaceNames::new(
            self.places
                .iter()
                .map(|place| (place.ubigeo.clone(), place.name.clone())),
        )
    }

    /// How many places of each kind: (departments, provinces, districts).
    pub fn place_counts(&self) -> (usize, usize, usize) {
        let count = |kind| self.places.iter().filter(|p| p.kind == kind).count();
        (
            count(PlaceKind::Department),
            count(PlaceKind::Province),
            count(PlaceKind::District),
        )
    }
}

fn check_each<T>(
    part: Part,
    entries: &[T],
    check: impl Fn(&T) -> Result<(), String>,
) -> Result<(), ContentError> {
    for (index, entry) in entries.iter().enumerate() {
        check(entry).map_err(|reason| ContentError::new(part, index, reason))?;
    }
    Ok(())
}

fn check_unique<T>(
    part: Part,
    entries: &[T],
    key: impl Fn(&T) -> (String, &'static str),
) -> Result<(), ContentError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let (value, what) = key(entry);
        if let Some(first) = seen.get(&value) {
            return Err(ContentError {
                first: Some(*first),
                ..ContentError::new(part, index, format!("{what} {value} twice"))
            });
        }
        seen.insert(value, index);
    }
    Ok(())
}

/// The content of the pack this office applied last, with its version; `None` before the
/// first. The store keeps the applied pack as JSON; reading it is the exchange's business.
pub fn applied_content(store: &OfficeStore) -> Result<Option<(u64, PackContent)>, StoreError> {
    let Some((version, body)) = store.inbox_latest("pack")? else {
        return Ok(None);
    };
    let damaged = |e: &dyn fmt::Display| {
        StoreError::Damaged(format!(
            "the applied reference pack {version} cannot be read: {e}"
        ))
    };
    let pack: Pack = serde_json::from_str(&body).map_err(|e| damaged(&e))?;
    // Checked when applied; checked again because the desk relies on it (six-digit
    // ubigeos, known codes) and the store is a file like any other.
    pack.content.check().map_err(|e| damaged(&e))?;
    Ok(Some((version, pack.content)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Place;

    fn entry(id: &str, coverage: &str) -> DirectoryEntry {
        DirectoryEntry {
            id: id.into(),
            name: format!("Servicio {id}"),
            target_type: "PNP_STATION".into(),
            coverage: coverage.into(),
            phones: vec!["(082) 57-1234".into()],
            hours: "24 h".into(),
            last_verified: "2026-10-01".into(),
        }
    }

    fn place(ubigeo: &str, name: &str) -> PlaceEntry {
        PlaceEntry {
            ubigeo: ubigeo.into(),
            name: name.into(),
            kind: PlaceKind::of(ubigeo).unwrap_or(PlaceKind::District),
        }
    }

    fn content() -> PackContent {
        PackContent {
            directory: vec![
                entry("NATIONAL", "national"),
                entry("DEPT", "17"),
                entry("PROV", "1701"),
                entry("DIST", "170101"),
            ],
            scripts: vec![ScriptEntry {
                topic: "HOW_TO_REPORT".into(),
                lang: "es".into(),
                text: "Llame al 105.\n".into(),
            }],
            places: vec![
                place("170000", "MADRE DE DIOS"),
                place("170100", "TAMBOPATA"),
                place("170101", "TAMBOPATA"),
            ],
            code_lists: vec![CodeExtension {
                list: "referral_target_type".into(),
                code: "RONDAS".into(),
                es: "Rondas campesinas".into(),
                en: "Peasant patrols".into(),
                fr: String::new(),
            }],
            templates: vec![TemplateEntry {
                id: "rondas-info".into(),
                reason: "GENERAL_INFO".into(),
                caller_type: "COMMUNITY".into(),
                information_given: vec!["HOW_TO_REPORT".into()],
                outcomes: vec!["INFO_GIVEN".into()],
                saved_at_once: false,
                es: "Información a rondas".into(),
                en: String::new(),
                fr: String::new(),
            }],
            phone_keys: PhoneKeys::default(),
        }
    }

    fn refused(content: &PackContent) -> String {
        match content.check() {
            Ok(()) => panic!("accepted: {content:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn good_content_passes_and_routes_down_to_the_district() {
        let content = content();
        assert_eq!(content.check(), Ok(()));
        let directory = content.directory();
        let place: Place = "170101".parse().unwrap_or_else(|e: String| panic!("{e}"));
        let ids: Vec<&str> = directory
            .suggest(Some(&place), None)
            .iter()
            .map(|i| i.id.as_ref())
            .collect();
        assert_eq!(ids, ["DIST", "PROV", "DEPT", "NATIONAL"]);
        assert_eq!(
            directory.script("HOW_TO_REPORT").map(|s| s.es.as_ref()),
            Some("Llame al 105.")
        );
        assert_eq!(content.place_names().name("170101"), Some("Tambopata"));
        assert_eq!(content.place_counts(), (1, 1, 1));
    }

    /// Breaks one rule in good content.
    type Break = fn(&mut PackContent);

    #[test]
    fn each_broken_rule_is_refused_naming_the_entry() {
        let cases: Vec<(Break, &str)> = vec![
            (
                |c| c.templates[0].outcomes = vec!["CHARLA".into()],
                "templates entry 1: unknown call_outcome 'CHARLA'",
            ),
            (
                |c| c.templates[0].id = "Rondas Info".into(),
                "templates entry 1: id 'Rondas Info' is not [a-z0-9-]",
            ),
            (
                |c| c.directory[1].target_type = "POLICE".into(),
                "directory entry 2: unknown target type 'POLICE'",
            ),
            (|c| c.directory[1].id = "dept".into(), "id 'dept'"),
            (
                |c| c.directory[2].id = "DEPT".into(),
                "directory entry 3: id DEPT twice",
            ),
            (
                |c| c.directory[1].coverage = "1799".into(),
                "coverage 1799 is no place of Peru linea or the pack knows",
            ),
            (
                |c| c.directory[1].coverage = "99".into(),
                "coverage '99' is no ubigeo",
            ),
            (
                |c| c.directory[0].phones = vec!["105; rm".into()],
                "phone '105; rm'",
            ),
            (
                |c| c.directory[0].last_verified = "01/10/2026".into(),
                "not a date",
            ),
            (
                |c| c.directory[0].name = "PNP\u{1b}[2J".into(),
                "control character",
            ),
            (
                |c| c.scripts[0].lang = "qu".into(),
                "scripts entry 1: unknown language 'qu'",
            ),
            (
                |c| c.scripts[0].topic = "WEATHER".into(),
                "unknown topic 'WEATHER'",
            ),
            (
                |c| c.scripts.push(c.scripts[0].clone()),
                "script of HOW_TO_REPORT in es twice",
            ),
            (
                |c| c.places[2].ubigeo = "991001".into(),
                "places entry 3: '991001' is not a ubigeo",
            ),
            (
                |c| c.places[2].kind = PlaceKind::Province,
                "170101 is a district, not a province",
            ),
            (
                |c| c.code_lists[0].code = "rondas".into(),
                "code 'rondas' is not [A-Z0-9_]",
            ),
            (
                |c| c.code_lists[0].list = "colours".into(),
                "unknown code list 'colours'",
            ),
            (
                |c| {
                    c.code_lists[0].code = "PNP_STATION".into();
                },
                "PNP_STATION is a built-in code of referral_target_type",
            ),
            (
                |c| {
                    c.code_lists[0].list = "urgency".into();
                },
                "code_lists entry 1: urgency takes no codes from reference packs: its codes set follow-up deadlines",
            ),
            (
                |c| c.code_lists[0].es = String::new(),
                "code_lists entry 1: the es label is empty",
            ),
        ];
        for (break_it, reason) in cases {
            let mut content = content();
            break_it(&mut content);
            let error = refused(&content);
            assert!(error.contains(reason), "{error} lacks {reason}");
        }
    }

    #[test]
    fn an_institution_or_a_script_may_use_a_code_the_pack_adds() {
        let mut content = content();
        content.directory[0].target_type = "RONDAS".into();
        content.code_lists.push(CodeExtension {
            list: "info_topic".into(),
            code: "RONDAS_INFO".into(),
            es: "Qué hacen las rondas".into(),
            en: String::new(),
            fr: String::new(),
        });
        content.scripts.push(ScriptEntry {
            topic: "RONDAS_INFO".into(),
            lang: "es".into(),
            text: "Las rondas campesinas ayudan.".into(),
        });
        assert_eq!(content.check(), Ok(()));
        let extensions = content.extensions();
        assert!(extensions.accepts(&codes::REFERRAL_TARGET_TYPE, "RONDAS"));
        assert!(extensions.accepts(&codes::INFO_TOPIC, "RONDAS_INFO"));
        // Without the extension the type is unknown.
        content.code_lists.remove(0);
        assert!(refused(&content).contains("unknown target type 'RONDAS'"));
    }

    #[test]
    fn a_built_in_code_repeated_with_its_own_labels_changes_nothing() {
        let mut content = content();
        content.code_lists[0] = CodeExtension {
            list: "referral_target_type".into(),
            code: "SHELTER".into(),
            es: codes::REFERRAL_TARGET_TYPE
                .label("SHELTER", crate::model::Lang::Es)
                .unwrap_or_default()
                .into(),
            en: String::new(),
            fr: String::new(),
        };
        assert_eq!(content.check(), Ok(()));
    }

    #[test]
    fn an_empty_pack_leaves_the_built_in_directory() {
        let content = PackContent::default();
        assert!(content.is_empty());
        assert_eq!(content.check(), Ok(()));
        assert_eq!(content.directory(), Directory::built_in());
        assert_eq!(content.place_names(), PlaceNames::default());
    }

    #[test]
    fn a_pack_with_null_content_reads_as_empty_and_unknown_fields_are_refused() {
        let pack = r#"{"office_id":"pe-lima","version":1,"issued_at":"2026-11-28T15:00:00Z",
            "expires_at":"2027-05-27T15:00:00Z","content":null,"outcomes":[]}"#;
        let pack: Pack = serde_json::from_str(pack).unwrap_or_else(|e| panic!("{e}"));
        assert!(pack.content.is_empty());
        // Packs from before the backup recipient have none, and a pack without one is
        // written as they were.
        assert_eq!(pack.backup_recipient, None);
        let written = serde_json::to_string(&pack).unwrap_or_else(|e| panic!("{e}"));
        assert!(!written.contains("backup_recipient"), "{written}");
        let unknown = r#"{"directory":[],"weather":[]}"#;
        assert!(serde_json::from_str::<PackContent>(unknown).is_err());
        let unknown = r#"{"places":[{"ubigeo":"170101","name":"X","kind":"district","x":1}]}"#;
        assert!(serde_json::from_str::<PackContent>(unknown).is_err());
        let bad_kind = r#"{"places":[{"ubigeo":"170101","name":"X","kind":"village"}]}"#;
        assert!(serde_json::from_str::<PackContent>(bad_kind).is_err());
    }
}
