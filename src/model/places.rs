//! Places: an INEI ubigeo in Peru (6 digits: department, province, district) or, abroad, an
//! ISO 3166-1 alpha-2 country code.
//!
//! Only Peru's departments are built in; provinces and districts arrive in reference packs
//! loaded at central from INEI's ubigeo table, so a well-formed ubigeo in a known department
//! is accepted here, and [`PlaceNames`] holds the names a pack brings.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::countries;

/// Peru's departments by INEI code (Callao, 07, counts as one), with their usual names.
pub const DEPARTMENTS: &[(&str, &str)] = &[
    ("01", "Amazonas"),
    ("02", "Áncash"),
    ("03", "Apurímac"),
    ("04", "Arequipa"),
    ("05", "Ayacucho"),
    ("06", "Cajamarca"),
    ("07", "Callao"),
    ("08", "Cusco"),
    ("09", "Huancavelica"),
    ("10", "Huánuco"),
    ("11", "Ica"),
    ("12", "Junín"),
    ("13", "La Libertad"),
    ("14", "Lambayeque"),
    ("15", "Lima"),
    ("16", "Loreto"),
    ("17", "Madre de Dios"),
    ("18", "Moquegua"),
    ("19", "Pasco"),
    ("20", "Piura"),
    ("21", "Puno"),
    ("22", "San Martín"),
    ("23", "Tacna"),
    ("24", "Tumbes"),
    ("25", "Ucayali"),
];

/// The name of a department, from the first two digits of a ubigeo.
pub fn department_name(code: &str) -> Option<&'static str> {
    DEPARTMENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
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

/// The names of places by ubigeo, as the applied reference pack gives them (INEI writes
/// them in capitals, without accents). Empty until an office applies a pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceNames {
    names: BTreeMap<String, String>,
}

impl PlaceNames {
    /// From (ubigeo, name) pairs; a later name for the same ubigeo wins.
    pub fn new(names: impl IntoIterator<Item = (String, String)>) -> PlaceNames {
        PlaceNames {
            names: names.into_iter().collect(),
        }
    }

    pub fn name(&self, ubigeo: &str) -> Option<&str> {
        self.names.get(ubigeo).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Provinces and districts in ubigeo order, so each province comes before its
    /// districts. (Departments have their usual names in [`DEPARTMENTS`].)
    pub fn provinces_and_districts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .filter(|(code, _)| !code.ends_with("0000"))
            .map(|(code, name)| (code.as_str(), name.as_str()))
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
    fn there_are_25_departments_in_code_order() {
        assert_eq!(DEPARTMENTS.len(), 25);
        assert!(DEPARTMENTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(department_name("17"), Some("Madre de Dios"));
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
    fn place_names_list_provinces_before_their_districts() {
        let names = PlaceNames::new(
            [
                ("170101", "TAMBOPATA"),
                ("170000", "MADRE DE DIOS"),
                ("170100", "TAMBOPATA"),
                ("170102", "INAMBARI"),
            ]
            .map(|(code, name)| (code.to_owned(), name.to_owned())),
        );
        assert_eq!(names.name("170102"), Some("INAMBARI"));
        assert_eq!(names.name("170103"), None);
        let codes: Vec<&str> = names.provinces_and_districts().map(|(c, _)| c).collect();
        assert_eq!(codes, ["170100", "170101", "170102"]);
    }
}
