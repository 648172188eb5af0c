//! Call templates: the calls a hotline takes most, each filling the codes it always has, so
//! that an operator on a live call types only what is particular to it. A non-substantive
//! call (silent, hang-up, prank, wrong number, test) and an unrelated one are whole once
//! chosen and are saved at once, with no personal field asked. Central's packs may add
//! templates, or replace a built-in one by giving its id.

use std::borrow::Cow;

use super::{CallFields, Lang};

type Text = Cow<'static, str>;
type Codes = Cow<'static, [Text]>;

/// One template, as the new-call menu offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTemplate {
    /// Stable, `[a-z0-9-]`: how help, packs and tests name it.
    pub id: Text,
    pub en: Text,
    pub es: Text,
    pub fr: Text,
    /// A code of `contact_reason`.
    pub reason: Text,
    /// A code of `caller_type`, when the template knows who calls.
    pub caller_type: Option<Text>,
    /// Codes of `info_topic`.
    pub information_given: Codes,
    /// Codes of `call_outcome`.
    pub outcomes: Codes,
    /// Saved the moment it is chosen: nothing more is asked of such a call.
    pub saved_at_once: bool,
}

/// The fields an information template asks for, in this order: each answer moves on to the
/// next (the rest of the form stays a key away).
pub const ASKED: [&str; 3] = ["caller_type", "caller_place", "notes"];

impl CallTemplate {
    /// Its name in `lang`; a pack's template without one shows the Spanish.
    pub fn label(&self, lang: Lang) -> &str {
        let label = match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        };
        if label.is_empty() { &self.es } else { label }
    }

    /// A new call from this template: its codes, a phone call of routine urgency.
    pub fn fields(&self) -> CallFields {
        CallFields {
            channel: "PHONE".into(),
            caller_type: self.caller_type.as_deref().unwrap_or_default().into(),
            reason: self.reason.to_string(),
            urgency: "U4_ROUTINE".into(),
            information_given: self
                .information_given
                .iter()
                .map(|c| c.to_string())
                .collect(),
            outcomes: self.outcomes.iter().map(|c| c.to_string()).collect(),
            ..CallFields::default()
        }
    }
}

const fn at_once(
    id: &'static str,
    en: &'static str,
    es: &'static str,
    fr: &'static str,
    reason: &'static str,
) -> CallTemplate {
    CallTemplate {
        id: Cow::Borrowed(id),
        en: Cow::Borrowed(en),
        es: Cow::Borrowed(es),
        fr: Cow::Borrowed(fr),
        reason: Cow::Borrowed(reason),
        caller_type: Some(Cow::Borrowed("UNKNOWN")),
        information_given: Cow::Borrowed(&[]),
        outcomes: Cow::Borrowed(&[]),
        saved_at_once: true,
    }
}

const fn information(
    id: &'static str,
    en: &'static str,
    es: &'static str,
    fr: &'static str,
    reason: &'static str,
    topic: &'static [Text],
) -> CallTemplate {
    CallTemplate {
        id: Cow::Borrowed(id),
        en: Cow::Borrowed(en),
        es: Cow::Borrowed(es),
        fr: Cow::Borrowed(fr),
        reason: Cow::Borrowed(reason),
        caller_type: None,
        information_given: Cow::Borrowed(topic),
        outcomes: Cow::Borrowed(&[Cow::Borrowed("INFO_GIVEN")]),
        saved_at_once: false,
    }
}

/// The built-in templates, in the menu's order: the calls saved at once first (their
/// number is what the operator presses), then the routine information calls.
pub static TEMPLATES: &[CallTemplate] = &[
    at_once(
        "silent",
        "Silent call",
        "Llamada en silencio",
        "Appel muet",
        "NS_SILENT",
    ),
    at_once("hang-up", "Hang-up", "Se cortó", "Raccroché", "NS_HANGUP"),
    at_once("prank", "Prank", "Broma", "Canular", "NS_PRANK"),
    at_once(
        "wrong-number",
        "Wrong number",
        "Número equivocado",
        "Erreur de numéro",
        "NS_WRONG_NUMBER",
    ),
    at_once(
        "test",
        "Test call",
        "Llamada de prueba",
        "Appel de test",
        "NS_TEST",
    ),
    at_once(
        "unrelated",
        "Unrelated request",
        "Consulta no relacionada",
        "Demande sans rapport",
        "OUT_OF_SCOPE",
    ),
    information(
        "how-to-report",
        "Information: how to report",
        "Información: cómo denunciar",
        "Information : comment signaler",
        "GENERAL_INFO",
        &[Cow::Borrowed("HOW_TO_REPORT")],
    ),
    information(
        "offer-check",
        "Checking a job or travel offer",
        "Verificar oferta de trabajo o viaje",
        "Vérifier une offre d'emploi ou de voyage",
        "JOB_OFFER_CHECK",
        &[Cow::Borrowed("JOB_OFFER_VERIFY")],
    ),
    information(
        "service-info",
        "Information on a service",
        "Información sobre un servicio",
        "Information sur un service",
        "GENERAL_INFO",
        &[Cow::Borrowed("SERVICES_AVAILABLE")],
    ),
];

/// The templates the desk offers: the built-in ones, each replaced by a pack's template of
/// the same id, then the pack's others in its order.
pub fn with_pack(pack: Vec<CallTemplate>) -> Vec<CallTemplate> {
    let mut all = TEMPLATES.to_vec();
    for template in pack {
        match all.iter_mut().find(|t| t.id == template.id) {
            Some(built_in) => *built_in = template,
            None => all.push(template),
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate;
    use chrono::Utc;

    #[test]
    fn a_template_saved_at_once_is_a_whole_call_and_the_others_need_only_the_caller() {
        let now = Utc::now();
        for template in TEMPLATES {
            let fields = template.fields();
            if template.saved_at_once {
                let saved =
                    validate::call(fields, now).unwrap_or_else(|e| panic!("{}: {e}", template.id));
                assert_eq!(saved.reason, template.reason);
                assert!(saved.caller_name.is_none() && saved.caller_place.is_none());
            } else {
                // Who is calling is the one thing the operator must still say.
                let refused = validate::call(fields.clone(), now).unwrap_err();
                assert!(refused.to_string().contains("caller_type"), "{refused}");
                let with_caller = CallFields {
                    caller_type: "FAMILY".into(),
                    ..fields
                };
                let saved = validate::call(with_caller, now)
                    .unwrap_or_else(|e| panic!("{}: {e}", template.id));
                assert_eq!(saved.outcomes, ["INFO_GIVEN"]);
            }
        }
    }

    #[test]
    fn ids_are_unique_and_every_label_is_translated() {
        let mut seen = std::collections::HashSet::new();
        for template in TEMPLATES {
            assert!(seen.insert(&template.id), "{} twice", template.id);
            assert!(
                template
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
            for lang in [Lang::Es, Lang::En, Lang::Fr] {
                assert!(!template.label(lang).is_empty(), "{}", template.id);
            }
        }
        let pack = CallTemplate {
            id: "prank".into(),
            es: "Broma o insulto".into(),
            ..TEMPLATES[2].clone()
        };
        let added = CallTemplate {
            id: "school-talk".into(),
            es: "Charla en un colegio".into(),
            en: "".into(),
            ..TEMPLATES[6].clone()
        };
        let all = with_pack(vec![added, pack]);
        assert_eq!(all.len(), TEMPLATES.len() + 1);
        assert_eq!(all[2].label(Lang::Es), "Broma o insulto");
        assert_eq!(all[TEMPLATES.len()].label(Lang::En), "Charla en un colegio");
    }
}
