//! Places: an INEI ubigeo in Peru (6 digits: department, province, district) or, abroad, an
//! ISO 3166-1 alpha-2 country code.
//!
//! Every department, province and district of Peru is built in ([`ubigeo::PLACES`],
//! generated from INEI's table), so places are named and found by name without any pack. A
//! reference pack may still name places the built-in table lacks (a district created since);
//! [`PlaceNames`] holds those beside the built-in ones.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Lang, countries, ubigeo};

/// The built-in name of a department, province or district, by its six digits.
pub fn name(ubigeo: &str) -> Option<&'static str> {
    ubigeo::PLACES
        .binary_search_by(|(code, _)| (*code).cmp(ubigeo))
        .ok()
        .map(|at| ubigeo::PLACES[at].1)
}

/// The name of a department, from the first two digits of a ubigeo.
pub fn department_name(digits: &str) -> Option<&'static str> {
    if digits.len() != 2 {
        return None;
    }
    // On the stack: every place read from a record is checked through here.
    let mut code = *b"000000";
    code[..2].copy_from_slice(digits.as_bytes());
    name(std::str::from_utf8(&code).ok()?)
}

/// Peru's departments: (two digits, name), in code order (Callao, 07, counts as one).
pub fn departments() -> impl Iterator<Item = (&'static str, &'static str)> {
    ubigeo::PLACES
        .iter()
        .filter(|(code, _)| code.ends_with("0000"))
        .map(|(code, name)| (&code[..2], *name))
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub enum Place {
    /// Six digits; a department is `DD0000`, a province `DDPP00`, a district `DDPPDD`.
    Ubigeo(String),
    /// ISO 3166-1 alpha-2, or the local extensions `ZZ` (unknown) and `XX` (stateless).
    Country(String),
}

impl Place {
    pub fn as_str(&self) -> &str {
        match self {
            Place::Ubigeo(code) | Place::Country(code) => code,
        }
    }

    /// The department's two digits, for a place in Peru.
    pub fn department(&self) -> Option<&str> {
        match self {
            Place::Ubigeo(code) => Some(&code[..2]),
            Place::Country(_) => None,
        }
    }
}

impl FromStr for Place {
    type Err = String;

    fn from_str(text: &str) -> Result<Place, String> {
        let text = text.trim();
        if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
            let department = &text[..2];
            if department_name(department).is_none() {
                return Err(format!(
                    "'{text}' is not a ubigeo: Peru has no department {department} (01 to 25)"
                ));
            }
            if &text[2..4] == "00" && &text[4..] != "00" {
                return Err(format!(
                    "'{text}' is not a ubigeo: a district needs its province digits"
                ));
            }
            return Ok(Place::Ubigeo(text.to_owned()));
        }
        if text.len() == 2 && countries::country(text).is_some() {
            return Ok(Place::Country(text.to_owned()));
        }
        Err(format!(
            "'{text}' is not a place: give a 6-digit INEI ubigeo (e.g. 150101) or a two-letter ISO country code (e.g. VE)"
        ))
    }
}

impl TryFrom<String> for Place {
    type Error = String;

    fn try_from(text: String) -> Result<Place, String> {
        text.parse()
    }
}

/// Its code as a JSON string: what `into = "String"` wrote, without copying the code first
/// (places are in every call a batch carries).
impl Serialize for Place {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<Place> for String {
    fn from(place: Place) -> String {
        place.as_str().to_owned()
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a ubigeo names, by its trailing zeros: a department (`DD0000`), a province
/// (`DDPP00`) or a district (`DDPPDD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Department,
    Province,
    District,
}

impl PlaceKind {
    /// The kind of place `ubigeo` names; `None` when it is no ubigeo of Peru.
    pub fn of(ubigeo: &str) -> Option<PlaceKind> {
        match ubigeo.parse::<Place>().ok()? {
            Place::Ubigeo(code) if code.ends_with("0000") => Some(PlaceKind::Department),
            Place::Ubigeo(code) if code.ends_with("00") => Some(PlaceKind::Province),
            Place::Ubigeo(_) => Some(PlaceKind::District),
            Place::Country(_) => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Department => "department",
            PlaceKind::Province => "province",
            PlaceKind::District => "district",
        }
    }
}

/// The names of Peru's places: the built-in ones, and those a reference pack adds for
/// places the built-in table lacks (INEI writes them in capitals, without accents). The
/// default holds the built-in ones alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceNames {
    added: BTreeMap<String, String>,
}

impl PlaceNames {
    /// From a pack's (ubigeo, name) pairs; a built-in place keeps its built-in name, and a
    /// later name for the same ubigeo wins.
    pub fn new(names: impl IntoIterator<Item = (String, String)>) -> PlaceNames {
        PlaceNames {
            added: names
                .into_iter()
                .filter(|(code, _)| name(code).is_none())
                .collect(),
        }
    }

    pub fn name(&self, ubigeo: &str) -> Option<&str> {
        name(ubigeo).or_else(|| self.added.get(ubigeo).map(String::as_str))
    }

    /// Every named place, departments included, in ubigeo order (each place before the
    /// places inside it).
    pub fn all(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = ubigeo::PLACES.to_vec();
        all.extend(self.added.iter().map(|(c, n)| (c.as_str(), n.as_str())));
        all.sort_unstable();
        all
    }

    /// A place as an operator knows it: "Huepetuhe, Manu (Madre de Dios)" for a district,
    /// "Manu (Madre de Dios)" for a province, "Madre de Dios" for a department, the
    /// country's name in `lang` abroad. A ubigeo nobody names keeps its digits beside the
    /// widest place that is named; anything else is shown as it is.
    pub fn label(&self, code: &str, lang: Lang) -> String {
        if code.len() == 2 {
            return countries::country(code)
                .map_or_else(|| code.to_owned(), |c| c.name(lang).to_owned());
        }
        let Some(kind) = PlaceKind::of(code) else {
            return code.to_owned();
        };
        let department = department_name(&code[..2]).unwrap_or_default();
        let province = self.name(&format!("{}00", &code[..4]));
        match (kind, self.name(code), province) {
            (PlaceKind::Department, _, _) => department.to_owned(),
            (PlaceKind::Province, Some(name), _) => format!("{name} ({department})"),
            (PlaceKind::District, Some(name), Some(province)) => {
                format!("{name}, {province} ({department})")
            }
            (PlaceKind::District, None, Some(province)) => {
                format!("{code}, {province} ({department})")
            }
            _ => format!("{code} ({department})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ubigeo_and_countries_parse() {
        assert_eq!(
            "170101".parse::<Place>().unwrap(),
            Place::Ubigeo("170101".into())
        );
        assert_eq!("150000".parse::<Place>().unwrap().department(), Some("15"));
        assert_eq!("VE".parse::<Place>().unwrap(), Place::Country("VE".into()));
        assert_eq!("ZZ".parse::<Place>().unwrap(), Place::Country("ZZ".into()));
    }

    #[test]
    fn malformed_places_are_refused_with_a_hint() {
        for bad in ["990101", "15010", "ve", "QQ", "Lima", "150001", ""] {
            let err = bad.parse::<Place>().unwrap_err();
            assert!(err.contains("not a"), "{bad}: {err}");
        }
    }

    #[test]
    fn every_place_of_peru_is_built_in_in_code_order() {
        let places = ubigeo::PLACES;
        assert!(places.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(departments().count(), 25);
        let count = |kind| {
            places
                .iter()
                .filter(|(code, _)| PlaceKind::of(code) == Some(kind))
                .count()
        };
        assert_eq!(count(PlaceKind::Province), 196);
        assert!(
            count(PlaceKind::District) > 1_850,
            "{}",
            count(PlaceKind::District)
        );
        assert_eq!(
            count(PlaceKind::Department) + count(PlaceKind::Province),
            221
        );
        // Every place lies in a place of the table, and is named.
        for (code, name) in places {
            assert!(!name.is_empty() && !name.contains('\n'), "{code}");
            assert!(department_name(&code[..2]).is_some(), "{code}");
            if PlaceKind::of(code) == Some(PlaceKind::District) {
                assert!(
                    super::name(&format!("{}00", &code[..4])).is_some(),
                    "{code}"
                );
            }
        }
        assert_eq!(department_name("17"), Some("Madre de Dios"));
        assert_eq!(super::name("170204"), Some("Huepetuhe"));
        assert_eq!(super::name("150113"), Some("Jesús María"));
    }

    #[test]
    fn places_are_labelled_as_operators_know_them() {
        let names = PlaceNames::default();
        assert_eq!(
            names.label("170204", Lang::Es),
            "Huepetuhe, Manu (Madre de Dios)"
        );
        assert_eq!(names.label("170200", Lang::Es), "Manu (Madre de Dios)");
        assert_eq!(names.label("170000", Lang::Es), "Madre de Dios");
        assert_eq!(names.label("VE", Lang::Es), "Venezuela");
        assert_eq!(names.label("DE", Lang::En), "Germany");
        // A district the table lacks keeps its digits, beside its province.
        assert_eq!(
            names.label("170299", Lang::Es),
            "170299, Manu (Madre de Dios)"
        );
    }

    #[test]
    fn the_kind_of_a_place_is_read_from_its_zeros() {
        assert_eq!(PlaceKind::of("170000"), Some(PlaceKind::Department));
        assert_eq!(PlaceKind::of("170100"), Some(PlaceKind::Province));
        assert_eq!(PlaceKind::of("170101"), Some(PlaceKind::District));
        for bad in ["990101", "150001", "1701", "PE", ""] {
            assert_eq!(PlaceKind::of(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_pack_names_only_what_the_table_lacks() {
        let names = PlaceNames::new(
            [("170101", "TAMBOPATA"), ("170299", "NUEVO DISTRITO")]
                .map(|(code, name)| (code.to_owned(), name.to_owned())),
        );
        assert_eq!(names.name("170101"), Some("Tambopata"));
        assert_eq!(names.name("170299"), Some("NUEVO DISTRITO"));
        assert_eq!(
            names.label("170299", Lang::Es),
            "NUEVO DISTRITO, Manu (Madre de Dios)"
        );
        let all = names.all();
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(all.len(), ubigeo::PLACES.len() + 1);
    }
}
