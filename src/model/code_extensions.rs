//! Codes a reference pack adds to the built-in lists (TAXONOMY.md: "Reference packs from
//! central may add codes and labels, never change the meaning of one").
//!
//! Only some lists take them. A list whose codes the program reasons about (urgency and its
//! deadlines, statuses, non-substantive reasons, the indicators that flag a possible victim)
//! or that maps one to one onto a standard for exports stays closed: a code added there
//! would either mean nothing to the rules or break the mapping. The rest name things that
//! differ from region to region (the kinds of institution, the topics of information, the
//! languages callers speak) and are open.
//!
//! An extension keeps the rules of every code: it is never renamed or reused. When a later
//! pack leaves one out it is retired, not forgotten: old records keep its label, new input
//! may not use it.

use std::collections::BTreeMap;

use super::Lang;
use super::codes::{self, CodeList};

/// The lists a reference pack may add codes to.
pub static EXTENSIBLE: &[&CodeList] = &[
    &codes::CONTACT_CHANNEL,
    &codes::CALLER_TYPE,
    &codes::CONTEXT_TAG,
    &codes::RECRUITMENT_METHOD,
    &codes::LANGUAGE,
    &codes::REFERRAL_TARGET_TYPE,
    &codes::REFERRAL_METHOD,
    &codes::INFO_TOPIC,
    &codes::PERSON_ROLE,
];

/// Whether a reference pack may add codes to the list called `name`.
pub fn is_extensible(name: &str) -> bool {
    EXTENSIBLE.iter().any(|list| list.name == name)
}

/// Why a closed list takes no codes from a pack, in a few words.
fn closed_because(name: &str) -> &'static str {
    match name {
        "contact_reason" => "its codes decide which calls are non-substantive",
        "urgency" => "its codes set follow-up deadlines and escalation",
        "referral_status" => "its codes drive follow-up, escalation and closing",
        "case_status" => "its codes decide which cases are closed and purged",
        "sharing_basis" => "it is the closed list of legal grounds for sharing a person's data",
        "call_outcome" => "its codes include the emergency actions the desk tracks",
        "indicator" | "indicator_answer" => "its codes decide who is flagged a possible victim",
        "age_band" | "majority_status" => "its codes decide who is a minor",
        "exploitation_type" => "its codes raise a minor's urgency and map onto HTCDS and CTDC",
        "labour_sector" => "its codes are the sections of ISIC Rev.4",
        _ => "its codes map one to one onto HTCDS and CTDC for exports",
    }
}

/// A code a pack added to a built-in list, with its labels. Only the Spanish one is
/// required (every operator in Peru reads it); an empty one falls back to Spanish, then
/// English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The list's name, e.g. "referral_target_type".
    pub list: String,
    pub code: String,
    pub es: String,
    pub en: String,
    pub fr: String,
    /// False once a later pack left it out: kept for the records that use it.
    pub active: bool,
}

impl Extension {
    /// An active extension.
    pub fn new(list: &str, code: &str, es: &str, en: &str, fr: &str) -> Extension {
        Extension {
            list: list.to_owned(),
            code: code.to_owned(),
            es: es.to_owned(),
            en: en.to_owned(),
            fr: fr.to_owned(),
            active: true,
        }
    }

    /// The label in `lang`; where that one is empty, the Spanish one, then the English one.
    pub fn label(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        };
        [own, &self.es, &self.en]
            .into_iter()
            .find(|label| !label.trim().is_empty())
            .map_or(self.code.as_str(), String::as_str)
    }

    /// The rules of what an extension may be, the same at central (building a pack), at
    /// the office (applying one) and in the store: a code of an open list, shaped like every
    /// code, with a Spanish label, and not a built-in code under another meaning. A built-in
    /// code repeated with its own labels is allowed: it changes nothing. Returns whether the
    /// entry adds a code (false for such a repetition).
    pub fn check(&self) -> Result<bool, String> {
        let Some(list) = codes::list(&self.list) else {
            return Err(format!("unknown code list '{}'", self.list));
        };
        if !is_code(&self.code) {
            return Err(format!(
                "code '{}' is not [A-Z0-9_], 1 to 20 characters",
                self.code
            ));
        }
        if self.es.trim().is_empty() {
            return Err(format!("{} has no es label", self.code));
        }
        if !is_extensible(list.name) {
            return Err(format!(
                "{} takes no codes from reference packs: {}; lists that do: {}",
                list.name,
                closed_because(list.name),
                EXTENSIBLE
                    .iter()
                    .map(|list| list.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        // Codes are never renamed (TAXONOMY.md): a pack may add codes, not change one.
        if let Some(built_in) = list.get(&self.code) {
            let same = built_in.es == self.es
                && (self.en.is_empty() || built_in.en == self.en)
                && (self.fr.is_empty() || built_in.fr == self.fr);
            if !same {
                return Err(format!(
                    "{} is a built-in code of {} ('{}'); a pack may add codes, never change what one means",
                    self.code, list.name, built_in.es
                ));
            }
            return Ok(false);
        }
        Ok(true)
    }
}

/// A code as TAXONOMY.md defines one: `[A-Z0-9_]`, 1 to 20 characters.
fn is_code(text: &str) -> bool {
    (1..=20).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The extensions of one list, in the order the pack gave them, found by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ListExtensions {
    entries: Vec<Extension>,
    by_code: BTreeMap<String, usize>,
}

/// The extensions in force: what validation accepts and pick lists offer beside the
/// built-in codes, and the labels shown for them. Built-in codes always come first and win.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeExtensions {
    /// By list name (always that of a built-in, open list).
    lists: BTreeMap<&'static str, ListExtensions>,
}

/// No extensions: the built-in lists alone.
static NONE: CodeExtensions = CodeExtensions {
    lists: BTreeMap::new(),
};

impl CodeExtensions {
    /// The built-in lists alone.
    pub fn none() -> &'static CodeExtensions {
        &NONE
    }

    /// The extensions among `entries` that keep the rules ([`Extension::check`]); the rest
    /// (a list closed since, a code that became built-in) are left out, since a store or
    /// pack is a file like any other and the built-in lists always win. The first of a code
    /// given twice is kept.
    pub fn new(entries: impl IntoIterator<Item = Extension>) -> CodeExtensions {
        let mut lists: BTreeMap<&'static str, ListExtensions> = BTreeMap::new();
        for entry in entries {
            let (Ok(true), Some(list)) = (entry.check(), codes::list(&entry.list)) else {
                continue;
            };
            let slot = lists.entry(list.name).or_default();
            if slot.by_code.contains_key(&entry.code) {
                continue;
            }
            slot.by_code.insert(entry.code.clone(), slot.entries.len());
            slot.entries.push(entry);
        }
        CodeExtensions { lists }
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Every extension, list by list.
    pub fn entries(&self) -> impl Iterator<Item = &Extension> {
        self.lists.values().flat_map(|list| list.entries.iter())
    }

    /// The same extensions, all of them accepted. Central takes this view when it imports:
    /// an office may use a code until the pack that retires it arrives there, and a record
    /// made then is still valid.
    pub fn all_active(mut self) -> CodeExtensions {
        for list in self.lists.values_mut() {
            for entry in &mut list.entries {
                entry.active = true;
            }
        }
        self
    }

    /// The extension `code` of `list`, active or retired (never a built-in code).
    pub fn get(&self, list: &CodeList, code: &str) -> Option<&Extension> {
        let extensions = self.lists.get(list.name)?;
        extensions
            .by_code
            .get(code)
            .and_then(|&at| extensions.entries.get(at))
    }

    /// Whether new input may use `code` in `list`: an active built-in code or extension.
    pub fn accepts(&self, list: &CodeList, code: &str) -> bool {
        list.accepts(code) || self.get(list, code).is_some_and(|e| e.active)
    }

    /// The codes new input may use, built-in ones first, in table order, then the pack's.
    pub fn active_codes<'a>(&'a self, list: &'a CodeList) -> impl Iterator<Item = &'a str> + 'a {
        let added = self
            .lists
            .get(list.name)
            .into_iter()
            .flat_map(|extensions| extensions.entries.iter())
            .filter(|entry| entry.active)
            .map(|entry| entry.code.as_str());
        // The built-in codes as `CodeList::active_codes` gives them.
        list.entries
            .iter()
            .filter(|entry| entry.active)
            .map(|entry| entry.code)
            .chain(added)
    }

    /// The label of `code` in `lang`, built-in or added, retired ones included.
    pub fn label<'a>(&'a self, list: &CodeList, code: &str, lang: Lang) -> Option<&'a str> {
        match list.label(code, lang) {
            Some(label) => Some(label),
            None => self.get(list, code).map(|entry| entry.label(lang)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rondas() -> Extension {
        Extension::new(
            "referral_target_type",
            "RONDAS",
            "Rondas campesinas",
            "Peasant patrols",
            "",
        )
    }

    #[test]
    fn an_extension_is_accepted_offered_after_the_built_in_codes_and_labelled() {
        let codes = CodeExtensions::new([rondas()]);
        let list = &codes::REFERRAL_TARGET_TYPE;
        assert!(codes.accepts(list, "RONDAS"));
        assert!(codes.accepts(list, "SHELTER"));
        assert!(!codes.accepts(list, "RONDA"));
        // Not in another list.
        assert!(!codes.accepts(&codes::REFERRAL_METHOD, "RONDAS"));
        let offered: Vec<&str> = codes.active_codes(list).collect();
        assert_eq!(offered.first(), Some(&"PNP_TRAFFICKING"));
        assert_eq!(offered.last(), Some(&"RONDAS"));
        assert_eq!(offered.len(), list.entries.len() + 1);
        assert_eq!(
            codes.label(list, "RONDAS", Lang::Es),
            Some("Rondas campesinas")
        );
        assert_eq!(
            codes.label(list, "RONDAS", Lang::En),
            Some("Peasant patrols")
        );
        // No French label: the Spanish one.
        assert_eq!(
            codes.label(list, "RONDAS", Lang::Fr),
            Some("Rondas campesinas")
        );
        assert_eq!(
            codes.label(list, "SHELTER", Lang::En),
            list.label("SHELTER", Lang::En)
        );
        assert_eq!(codes.label(list, "NOPE", Lang::Es), None);
    }

    #[test]
    fn labels_fall_back_to_spanish_then_english() {
        let mut entry = rondas();
        entry.en = String::new();
        assert_eq!(entry.label(Lang::En), "Rondas campesinas");
        entry.es = " ".into();
        entry.en = "Patrols".into();
        assert_eq!(entry.label(Lang::Fr), "Patrols");
    }

    #[test]
    fn a_retired_extension_keeps_its_label_but_takes_no_new_input_except_at_central() {
        let mut entry = rondas();
        entry.active = false;
        let codes = CodeExtensions::new([entry]);
        let list = &codes::REFERRAL_TARGET_TYPE;
        assert!(!codes.accepts(list, "RONDAS"));
        assert!(!codes.active_codes(list).any(|c| c == "RONDAS"));
        assert_eq!(
            codes.label(list, "RONDAS", Lang::Es),
            Some("Rondas campesinas")
        );
        assert!(codes.all_active().accepts(list, "RONDAS"));
    }

    #[test]
    fn closed_lists_clashes_and_bad_codes_are_refused_with_a_reason() {
        let refused = |entry: Extension| match entry.check() {
            Ok(_) => panic!("accepted: {entry:?}"),
            Err(reason) => reason,
        };
        let reason = refused(Extension::new("urgency", "U5_SOMEDAY", "Algún día", "", ""));
        assert!(
            reason.starts_with(
                "urgency takes no codes from reference packs: its codes set follow-up deadlines"
            ),
            "{reason}"
        );
        assert!(reason.contains("referral_target_type"), "{reason}");
        assert!(!reason.contains('\n'));
        let reason = refused(Extension::new(
            "referral_target_type",
            "SHELTER",
            "Hotel",
            "",
            "",
        ));
        assert!(
            reason.starts_with("SHELTER is a built-in code of referral_target_type"),
            "{reason}"
        );
        assert!(refused(Extension::new("colours", "RED", "Rojo", "", "")).contains("unknown"));
        assert!(refused(Extension::new("info_topic", "x-y", "X", "", "")).contains("[A-Z0-9_]"));
        assert!(refused(Extension::new("info_topic", "XY", "", "X", "")).contains("no es label"));
        // A built-in code with its own labels changes nothing, and adds nothing.
        let same = Extension::new(
            "referral_target_type",
            "SHELTER",
            codes::REFERRAL_TARGET_TYPE
                .label("SHELTER", Lang::Es)
                .unwrap_or_default(),
            "",
            "",
        );
        assert_eq!(same.check(), Ok(false));
        assert!(CodeExtensions::new([same]).is_empty());
    }

    #[test]
    fn entries_breaking_the_rules_are_left_out_and_the_first_of_a_code_wins() {
        let mut second = rondas();
        second.es = "Otra".into();
        let codes = CodeExtensions::new([
            Extension::new("urgency", "U5_SOMEDAY", "Algún día", "", ""),
            rondas(),
            second,
        ]);
        assert_eq!(codes.entries().count(), 1);
        assert_eq!(
            codes.label(&codes::REFERRAL_TARGET_TYPE, "RONDAS", Lang::Es),
            Some("Rondas campesinas")
        );
        assert!(!codes.accepts(&codes::URGENCY, "U5_SOMEDAY"));
    }

    #[test]
    fn every_open_list_is_a_built_in_list_and_none_drives_a_rule() {
        for list in EXTENSIBLE {
            assert!(codes::list(list.name).is_some(), "{}", list.name);
        }
        for closed in [
            "contact_reason",
            "urgency",
            "referral_status",
            "case_status",
            "sharing_basis",
            "call_outcome",
            "indicator",
            "indicator_answer",
            "age_band",
            "majority_status",
            "exploitation_type",
        ] {
            assert!(!is_extensible(closed), "{closed}");
        }
    }
}
