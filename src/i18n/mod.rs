//! Translations: every string an operator reads, in Spanish, English and French, as Fluent
//! messages built into the binary: one folder per language (`es/`, `en/`, `fr/`), one file
//! per part of the program. Code-list labels come from `model::codes`, which carries its
//! own three languages, and from the extensions of the applied reference pack, which the
//! store gives ([`I18n::set_code_extensions`]).

pub mod figures;

use std::sync::Arc;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::model::codes::CodeList;
use crate::model::{CodeExtensions, Lang};

/// The files of one language, in the same order for every language.
macro_rules! language {
    ($dir:literal) => {
        &[
            include_str!(concat!($dir, "/desk.ftl")),
            include_str!(concat!($dir, "/casework.ftl")),
            include_str!(concat!($dir, "/stats.ftl")),
            include_str!(concat!($dir, "/directory.ftl")),
            include_str!(concat!($dir, "/exchange.ftl")),
            include_str!(concat!($dir, "/central.ftl")),
        ]
    };
}

const ES: &[&str] = language!("es");
const EN: &[&str] = language!("en");
const FR: &[&str] = language!("fr");

fn sources(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Es => ES,
        Lang::En => EN,
        Lang::Fr => FR,
    }
}

/// The messages of one language.
pub struct I18n {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// Codes the applied reference pack added, with their labels; none until a store is
    /// unlocked.
    codes: Arc<CodeExtensions>,
}

impl I18n {
    pub fn new(lang: Lang) -> I18n {
        let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![id]);
        // Unicode isolation marks are invisible in a GUI but garbage on a terminal.
        bundle.set_use_isolating(false);
        for source in sources(lang) {
            // The files are built in and checked by tests; a broken entry is skipped.
            let resource = match FluentResource::try_new((*source).to_owned()) {
                Ok(resource) => resource,
                Err((resource, _)) => resource,
            };
            let _ = bundle.add_resource(resource);
        }
        I18n {
            lang,
            bundle,
            codes: Arc::default(),
        }
    }

    /// Labels and offers the codes a reference pack added too (those the store has in
    /// force: see `Store::code_extensions`).
    pub fn set_code_extensions(&mut self, codes: Arc<CodeExtensions>) {
        self.codes = codes;
    }

    /// The code-list extensions in force, for pick lists.
    pub fn code_extensions(&self) -> &CodeExtensions {
        &self.codes
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id`; the id itself if missing (tests keep the three files complete).
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with named arguments, e.g. `("count", 3.into())`.
    pub fn t_args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(id, Some(&fluent_args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// The label of a code in this language, built-in or added by the reference pack (an
    /// added code without a label in this language shows its Spanish one, then its English
    /// one); the code itself if neither knows it.
    pub fn label(&self, list: &CodeList, code: &str) -> String {
        self.codes
            .label(list, code, self.lang)
            .map(str::to_owned)
            .unwrap_or_else(|| code.to_owned())
    }

    /// The codes new input may use in `list`, built-in then added, in order.
    pub fn active_codes<'a>(&'a self, list: &'a CodeList) -> impl Iterator<Item = &'a str> + 'a {
        self.codes.active_codes(list)
    }

    /// Every message id of a built-in file, for completeness tests.
    pub fn message_ids(lang: Lang) -> Vec<String> {
        sources(lang)
            .iter()
            .flat_map(|source| source.lines())
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        let english = I18n::message_ids(Lang::En);
        assert!(!english.is_empty());
        for lang in Lang::ALL {
            let mut ids = I18n::message_ids(lang);
            let count = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), count, "{lang}: a message id is defined twice");
        }
        for lang in [Lang::Es, Lang::Fr] {
            let mut theirs = I18n::message_ids(lang);
            let mut ours = english.clone();
            theirs.sort();
            ours.sort();
            assert_eq!(theirs, ours, "{lang} and en have different messages");
        }
    }

    #[test]
    fn every_file_parses_and_every_message_formats() {
        for lang in Lang::ALL {
            for source in sources(lang) {
                assert!(
                    FluentResource::try_new((*source).to_owned()).is_ok(),
                    "a {lang} file does not parse"
                );
            }
            let i18n = I18n::new(lang);
            for id in I18n::message_ids(lang) {
                let text = i18n.t(&id);
                assert!(
                    !text.is_empty() && text != id,
                    "{lang}: {id} is empty or missing"
                );
            }
        }
    }

    #[test]
    fn labels_of_added_codes_fall_back_to_spanish() {
        use crate::model::codes::REFERRAL_TARGET_TYPE;
        use crate::model::{CodeExtensions, Extension};
        let extensions = Arc::new(CodeExtensions::new([Extension::new(
            "referral_target_type",
            "RONDAS",
            "Rondas campesinas",
            "Peasant patrols",
            "",
        )]));
        let mut en = I18n::new(Lang::En);
        assert_eq!(en.label(&REFERRAL_TARGET_TYPE, "RONDAS"), "RONDAS");
        assert!(
            !en.active_codes(&REFERRAL_TARGET_TYPE)
                .any(|c| c == "RONDAS")
        );
        en.set_code_extensions(Arc::clone(&extensions));
        assert_eq!(en.label(&REFERRAL_TARGET_TYPE, "RONDAS"), "Peasant patrols");
        assert_eq!(
            en.active_codes(&REFERRAL_TARGET_TYPE).last(),
            Some("RONDAS")
        );
        let mut fr = I18n::new(Lang::Fr);
        fr.set_code_extensions(extensions);
        assert_eq!(
            fr.label(&REFERRAL_TARGET_TYPE, "RONDAS"),
            "Rondas campesinas"
        );
        // Built-in labels are untouched.
        assert_eq!(
            fr.label(&REFERRAL_TARGET_TYPE, "NGO"),
            "ONG / société civile"
        );
    }

    #[test]
    fn plurals_follow_the_language() {
        let en = I18n::new(Lang::En);
        assert_eq!(
            en.t_args("home-calls-today", &[("count", 1.into())]),
            "1 call today"
        );
        assert_eq!(
            en.t_args("home-calls-today", &[("count", 3.into())]),
            "3 calls today"
        );
        let es = I18n::new(Lang::Es);
        assert_eq!(
            es.t_args("home-calls-today", &[("count", 1.into())]),
            "1 llamada hoy"
        );
    }

    /// Every message of one language with the variables it uses (`$name`), read from the
    /// built-in files.
    fn messages_with_variables(lang: Lang) -> Vec<(String, Vec<String>)> {
        let mut messages: Vec<(String, Vec<String>)> = Vec::new();
        for line in sources(lang).iter().flat_map(|source| source.lines()) {
            let starts = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            match line.split_once(" =") {
                Some((id, _)) if starts => messages.push((id.trim().to_owned(), Vec::new())),
                _ if line.starts_with('#') || line.trim().is_empty() => continue,
                _ => {}
            }
            let Some((_, variables)) = messages.last_mut() else {
                continue;
            };
            for (at, _) in line.match_indices('$') {
                let name: String = line[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !variables.contains(&name) {
                    variables.push(name);
                }
            }
        }
        messages
    }

    /// The variables that hold a count of something (the rest are names, keys, dates).
    const COUNTS: &[&str] = &[
        "count",
        "days",
        "overdue",
        "records",
        "years",
        "seconds",
        "new",
        "updated",
        "conflicts",
        "yes",
        "no",
        "unknown",
        "shown",
        "total",
        "width",
        "height",
        "min_width",
        "min_height",
    ];

    /// Words that read the same after 1 as after 2: abbreviations and adjectives ending in
    /// s ("2 s", "2 mis à jour", "2 yes").
    const SAME_IN_THE_PLURAL: &[&str] = &["s", "mis", "yes", "más"];

    /// Counts that are never 1: the weeks shown and in all are said only when there are
    /// more weeks than the sixteen drawn.
    const NEVER_ONE: &[(&str, &str)] =
        &[("stats-last-weeks", "shown"), ("stats-last-weeks", "total")];

    /// The word just after `number` as a whole number in `text`, if any.
    fn word_after(text: &str, number: &str) -> Option<String> {
        text.match_indices(number).find_map(|(at, _)| {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            let rest = text[at + number.len()..].strip_prefix(' ')?;
            let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            (!word.is_empty()).then_some(word)
        })
    }

    #[test]
    fn every_count_agrees_with_its_noun_in_every_language() {
        for lang in Lang::ALL {
            let i18n = I18n::new(lang);
            for (id, variables) in messages_with_variables(lang) {
                let text_for = |counted: &str, n: i64| {
                    let args: Vec<(&str, FluentValue)> = variables
                        .iter()
                        .map(|name| {
                            let value = match COUNTS.contains(&name.as_str()) {
                                true if name == counted => FluentValue::from(n),
                                true => FluentValue::from(7),
                                false => FluentValue::from("X"),
                            };
                            (name.as_str(), value)
                        })
                        .collect();
                    i18n.t_args(&id, &args)
                };
                let counts = variables.iter().filter(|v| {
                    COUNTS.contains(&v.as_str()) && !NEVER_ONE.contains(&(id.as_str(), v.as_str()))
                });
                for counted in counts {
                    let (one, two) = (text_for(counted, 1), text_for(counted, 2));
                    let Some(plural) = word_after(&two, "2") else {
                        continue;
                    };
                    let plural_form = plural.ends_with(['s', 'x'])
                        && !SAME_IN_THE_PLURAL.contains(&plural.as_str());
                    if !plural_form {
                        continue;
                    }
                    // "1 calls", "1 días", "1 nouveaux": the singular must differ, or the
                    // count of 1 is written otherwise ("Lote nuevo n.º 1").
                    assert_ne!(
                        word_after(&one, "1"),
                        Some(plural.clone()),
                        "{lang}: {id} with ${counted} = 1 reads {one:?}"
                    );
                }
            }
        }
    }
}
