//! The demo's reference directory, as central keeps it in `directory.csv`: the built-in
//! national institutions, and synthetic local services — a comisaría, a CEM, a prosecutor
//! and a shelter in every department, and a comisaría in every district the demo's calls come
//! from. Each local one is marked "(demo)", with a number of the form 000-… that reaches no
//! one, and none is marked verified; they let routing, the directory and the emergency
//! banner show what a real pack gives: local services for the caller's place.

use super::synth::PLACES;
use crate::model::directory::INSTITUTIONS;
use crate::model::places;

const HEADER: &str = "id,name,target_type,coverage,phone,hours,last_verified";

/// In every department: (id prefix, name before the department's, target type, hours).
const PER_DEPARTMENT: [(&str, &str, &str, &str); 4] = [
    ("COMISARIA", "Comisaría PNP", "PNP_STATION", "24 h"),
    ("CEM", "CEM", "MIMP_CEM", "24 h"),
    (
        "FISCALIA",
        "Fiscalía Provincial Penal",
        "MP_PROSECUTOR_OTHER",
        "L-V 08:00-16:45",
    ),
    ("CAR", "Hogar de refugio temporal", "SHELTER", "24 h"),
];

/// Where the demo refers a call of `target_type` from `district`: the demo's own comisaría
/// of the district, or its department's service of that type, by the name the directory
/// gives it, so that follow-up finds its phone; `None` when the demo has no local one.
pub fn local_service(target_type: &str, district: &str) -> Option<String> {
    if target_type == "PNP_STATION" && PLACES.iter().any(|(place, _)| *place == district) {
        let name = places::name(district)?;
        return Some(format!("Comisaría PNP {name} (demo)"));
    }
    let (_, name, _, _) = PER_DEPARTMENT
        .iter()
        .find(|(_, _, kind, _)| *kind == target_type)?;
    let department = places::department_name(district.get(..2)?)?;
    Some(format!("{name} {department} (demo)"))
}

/// The demo's `directory.csv`, national institutions first.
pub fn csv() -> String {
    let mut rows = vec![HEADER.to_owned()];
    for institution in INSTITUTIONS {
        rows.push(row(&[
            &institution.id,
            &institution.name,
            &institution.target_type,
            institution.coverage.code(),
            &institution.phone.replace(" / ", ";"),
            &institution.hours,
        ]));
    }
    for (digits, department) in places::departments() {
        for (kind, (prefix, name, target_type, hours)) in PER_DEPARTMENT.iter().enumerate() {
            rows.push(row(&[
                &format!("DEMO_{prefix}_{digits}"),
                &format!("{name} {department} (demo)"),
                target_type,
                digits,
                &format!("000-{digits}-{}", kind + 1),
                hours,
            ]));
        }
    }
    for (district, _) in PLACES {
        rows.push(row(&[
            &format!("DEMO_COMISARIA_{district}"),
            &local_service("PNP_STATION", district).unwrap_or_default(),
            "PNP_STATION",
            district,
            &format!("000-{district}"),
            "24 h",
        ]));
    }
    rows.join("\n") + "\n"
}

/// One line of the CSV, never verified; a field holding a comma or a quote is quoted.
fn row(fields: &[&str]) -> String {
    let mut cells: Vec<String> = fields.iter().map(|field| cell(field)).collect();
    cells.push(String::new());
    cells.join(",")
}

fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
