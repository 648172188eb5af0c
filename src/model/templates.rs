//! Call templates: the calls a hotline takes most, each filling the codes it always has, so
//! that an operator on a live call types only what is particular to it. A non-substantive
//! call (silent, hang-up, prank, wrong number, test) and an unrelated one are whole once
//! chosen and are saved at once, with no personal field asked.

use super::{CallFields, Lang};

/// One template, as the new-call menu offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallTemplate {
    /// Stable, `[a-z-]`: how help and tests name it.
    pub id: &'static str,
    pub en: &'static str,
    pub es: &'static str,
    pub fr: &'static str,
    /// A code of `contact_reason`.
    pub reason: &'static str,
    /// A code of `caller_type`, when the template knows who calls.
    pub caller_type: Option<&'static str>,
    /// Codes of `info_topic`.
    pub information_given: &'static [&'static str],
    /// Codes of `call_outcome`.
    pub outcomes: &'static [&'static str],
    /// Saved the moment it is chosen: nothing more is asked of such a call.
    pub saved_at_once: bool,
}

/// The fields an information template asks for, in this order: each answer moves on to the
/// next (the rest of the form stays a key away).
pub const ASKED: [&str; 3] = ["caller_type", "caller_place", "notes"];

impl CallTemplate {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Es => self.es,
            Lang::En => self.en,
            Lang::Fr => self.fr,
        }
    }

    /// A new call from this template: its codes, a phone call of routine urgency.
    pub fn fields(&self) -> CallFields {
        CallFields {
            channel: "PHONE".into(),
            caller_type: self.caller_type.unwrap_or_default().into(),
            reason: self.reason.into(),
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
        id,
        en,
        es,
        fr,
        reason,
        caller_type: Some("UNKNOWN"),
        information_given: &[],
        outcomes: &[],
        saved_at_once: true,
    }
}

const fn information(
    id: &'static str,
    en: &'static str,
    es: &'static str,
    fr: &'static str,
    reason: &'static str,
    topic: &'static [&'static str],
) -> CallTemplate {
    CallTemplate {
        id,
        en,
        es,
        fr,
        reason,
        caller_type: None,
        information_given: topic,
        outcomes: &["INFO_GIVEN"],
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
        &["HOW_TO_REPORT"],
    ),
    information(
        "offer-check",
        "Checking a job or travel offer",
        "Verificar oferta de trabajo o viaje",
        "Vérifier une offre d'emploi ou de voyage",
        "JOB_OFFER_CHECK",
        &["JOB_OFFER_VERIFY"],
    ),
    information(
        "service-info",
        "Information on a service",
        "Información sobre un servicio",
        "Information sur un service",
        "GENERAL_INFO",
        &["SERVICES_AVAILABLE"],
    ),
];

/// The template with `id`.
pub fn template(id: &str) -> Option<&'static CallTemplate> {
    TEMPLATES.iter().find(|template| template.id == id)
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
            assert!(seen.insert(template.id), "{} twice", template.id);
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
        assert_eq!(template("silent").map(|t| t.reason), Some("NS_SILENT"));
    }
}
