//! The public export: one row per presumed victim, with CTDC's variables, k-anonymous.
//!
//! A presumed victim is a person in a case with the role VICTIM (unless their trafficking
//! status says NOT_VICTIM); a case with no such person but a call flagged as a possible
//! victim (TAXONOMY.md §6) counts one, described by its first flagged call; so does each
//! flagged call with no case. A victim belongs to the year of the first call of their case
//! (CTDC's year of registration), and is in the export when that call is in the period.
//!
//! A row holds codes only: no name, phone, note, id or date. The columns someone could know
//! from elsewhere (year, gender, age, majority, citizenship, place and types of
//! exploitation) are the quasi-identifiers that `model::disclosure` makes k-anonymous; the
//! means of control, the relation to the recruiter and the type of contact are published as
//! they are, coarsened to CTDC's categories.

use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{Datelike, FixedOffset};
use uuid::Uuid;

use crate::model::disclosure::{self, Generalisation, QuasiIdentifier, SUPPRESSED};
use crate::model::flagging::{age_band_of, majority_of};
use crate::model::{Call, Person, Place, countries, places};
use crate::store::{CallFilter, CentralStore, Period, StoreError};

/// What the export says of one presumed victim, before disclosure control: codes as
/// recorded, at most coarsened to CTDC's categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresumedVictim {
    /// The year of the first call of the case, in central's time zone.
    pub year: i32,
    /// `gender` code (TAXONOMY.md §7).
    pub gender: Option<String>,
    /// `age_band` code, from the exact age when there is one.
    pub age_band: Option<String>,
    /// MINOR, ADULT or UNKNOWN.
    pub majority: &'static str,
    /// ISO 3166-1 alpha-2 codes.
    pub citizenship: Vec<String>,
    pub exploitation_place: Option<Place>,
    pub exploitation_types: Vec<String>,
    pub means_of_control: Vec<String>,
    pub relationship_to_trafficker: Option<String>,
    /// The `contact_reason` of the first call: NHTH's type of contact.
    pub contact_reason: String,
}

/// The file's columns, CTDC's names where CTDC has the variable. Several values in one
/// column are separated by ';'.
pub const COLUMNS: [&str; 12] = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    "departmentOfExploitation",
    "exploitationTypes",
    "meansOfControl",
    "recruiterRelation",
    "typeOfContact",
    // Which quasi-identifiers of the row were suppressed, so a reader need not guess.
    "suppressed",
];

/// The export, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicExport {
    /// The first line: `# k=11; rows: …; generalised: …; suppressed: …; withheld: …`.
    pub header: String,
    /// One row per presumed victim published, in the order of their values (the order of
    /// the records would tell when each was registered).
    pub rows: Vec<Vec<String>>,
}

impl PublicExport {
    /// The header line, the column names, then the rows (RFC 4180).
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", self.header)?;
        writeln!(out, "{}", COLUMNS.join(","))?;
        for row in &self.rows {
            let fields: Vec<String> = row.iter().map(|f| super::csv::field(f)).collect();
            writeln!(out, "{}", fields.join(","))?;
        }
        Ok(())
    }
}

/// Reads the presumed victims of `period` from central's store and makes the export.
pub fn public_export(
    store: &CentralStore,
    period: &Period,
    k: usize,
) -> Result<PublicExport, StoreError> {
    let zone = store.zone();
    let victims = presumed_victims(store, period)?;
    let first_year = period.first_day(zone).year();
    let last_year = period.last_day(zone).year();
    Ok(anonymise(&victims, k, first_year, last_year))
}

/// Page size for reading calls: memory stays small however long the period.
const PAGE: u32 = 500;

/// Every presumed victim whose case (or call) was first registered in `period`.
pub fn presumed_victims(
    store: &CentralStore,
    period: &Period,
) -> Result<Vec<PresumedVictim>, StoreError> {
    let zone = store.zone();
    let in_period = CallFilter {
        from: Some(period.from),
        to: Some(period.to),
        ..CallFilter::default()
    };
    let mut victims = Vec::new();
    let mut cases = BTreeSet::new();
    for_each_call(store, &in_period, |call| match call.fields.case_id {
        Some(case) => {
            cases.insert(case);
        }
        None => victims.extend(of_call(&call, zone)),
    })?;
    for case in cases {
        let calls = calls_of_case(store, case)?;
        let registered = calls.iter().map(Call::started_at).min();
        if registered.is_some_and(|at| at >= period.from) {
            victims.extend(of_case(&calls, &store.people(case)?, zone));
        }
    }
    Ok(victims)
}

fn for_each_call(
    store: &CentralStore,
    filter: &CallFilter,
    mut each: impl FnMut(Call),
) -> Result<(), StoreError> {
    let mut after = None;
    loop {
        let page = store.list_calls(filter, after.as_ref(), PAGE)?;
        page.calls.into_iter().for_each(&mut each);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(()),
        }
    }
}

/// A case's calls, first first.
fn calls_of_case(store: &CentralStore, case: Uuid) -> Result<Vec<Call>, StoreError> {
    let filter = CallFilter {
        case_id: Some(case),
        ..CallFilter::default()
    };
    let mut calls = Vec::new();
    for_each_call(store, &filter, |call| calls.push(call))?;
    calls.sort_by_key(Call::started_at);
    Ok(calls)
}

/// A flagged call with no case: the person it is about.
pub fn of_call(call: &Call, zone: FixedOffset) -> Option<PresumedVictim> {
    of_case(std::slice::from_ref(call), &[], zone).pop()
}

/// The presumed victims of a case from its calls (first first) and its people: each person
/// with the role VICTIM, or else one described by the first flagged call. Their situation
/// comes from every call of the case; what a person's record leaves out comes from the
/// first flagged call when the case has only one victim.
pub fn of_case(calls: &[Call], people: &[Person], zone: FixedOffset) -> Vec<PresumedVictim> {
    let Some(first) = calls.first() else {
        return Vec::new();
    };
    let flagged = calls.iter().find(|call| call.possible_victim);
    let victims: Vec<&Person> = people
        .iter()
        .filter(|p| p.fields.role == "VICTIM")
        .filter(|p| p.fields.trafficking_status.as_deref() != Some("NOT_VICTIM"))
        .collect();
    let situation = |age_years: Option<u8>,
                     age_band: Option<&String>,
                     gender: Option<&String>,
                     citizenship: &[String]| {
        let age_band = age_years
            .map(|age| age_band_of(age).to_owned())
            .or_else(|| age_band.cloned());
        PresumedVictim {
            year: first.started_at().with_timezone(&zone).year(),
            gender: gender.cloned(),
            majority: majority_of(age_years, age_band.as_deref()),
            age_band,
            citizenship: citizenship.to_vec(),
            exploitation_place: calls
                .iter()
                .find_map(|c| c.fields.exploitation_place.clone()),
            exploitation_types: union(calls.iter().map(|c| &c.fields.exploitation_types)),
            means_of_control: union(calls.iter().map(|c| &c.fields.means_of_control)),
            relationship_to_trafficker: calls
                .iter()
                .find_map(|c| c.fields.relationship_to_trafficker.clone()),
            contact_reason: first.fields.reason.clone(),
        }
    };
    if victims.is_empty() {
        return flagged
            .map(|call| {
                let f = &call.fields;
                situation(
                    f.age_years,
                    f.age_band.as_ref(),
                    f.gender.as_ref(),
                    &f.citizenship,
                )
            })
            .into_iter()
            .collect();
    }
    // The call describes the person only when there is one to describe.
    let call = flagged.filter(|_| victims.len() == 1).map(|c| &c.fields);
    victims
        .into_iter()
        .map(|person| {
            let p = &person.fields;
            let (age_years, age_band) = match (p.age_years, &p.age_band, call) {
                (None, None, Some(c)) => (c.age_years, c.age_band.as_ref()),
                _ => (p.age_years, p.age_band.as_ref()),
            };
            let citizenship = match (p.citizenship.is_empty(), call) {
                (true, Some(c)) => &c.citizenship,
                _ => &p.citizenship,
            };
            situation(
                age_years,
                age_band,
                p.gender.as_ref().or(call.and_then(|c| c.gender.as_ref())),
                citizenship,
            )
        })
        .collect()
}

fn union<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<String> {
    lists
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The quasi-identifiers, in the order of the first columns.
const YEAR: usize = 0;
const GENDER: usize = 1;
const AGE: usize = 2;
const MAJORITY: usize = 3;
const CITIZENSHIP: usize = 4;
const PLACE: usize = 5;
const TYPES: usize = 6;

/// Makes the export of `victims`, registered from `first_year` to `last_year`, with no
/// combination of quasi-identifiers shared by fewer than `k` rows.
pub fn anonymise(
    victims: &[PresumedVictim],
    k: usize,
    first_year: i32,
    last_year: i32,
) -> PublicExport {
    let qis = quasi_identifiers(first_year, last_year);
    let recorded: Vec<Vec<String>> = victims.iter().map(recorded_values).collect();
    let published = disclosure::k_anonymise(&recorded, &qis, k);
    let mut rows: Vec<Vec<String>> = victims
        .iter()
        .zip(&published.rows)
        .filter_map(|(victim, qi_values)| {
            let qi_values = qi_values.as_ref()?;
            Some(row(victim, qi_values, &published.levels, &qis))
        })
        .collect();
    rows.sort();
    PublicExport {
        header: header(k, rows.len(), &published, &qis),
        rows,
    }
}

fn recorded_values(victim: &PresumedVictim) -> Vec<String> {
    let mut values = vec![String::new(); 7];
    values[YEAR] = victim.year.to_string();
    values[GENDER] = victim
        .gender
        .as_deref()
        .map(ctdc_gender)
        .unwrap_or_default();
    values[AGE] = victim
        .age_band
        .as_deref()
        .map(age_range)
        .unwrap_or_default()
        .to_owned();
    values[MAJORITY] = match victim.majority {
        "MINOR" => "Minor",
        "ADULT" => "Adult",
        _ => "",
    }
    .to_owned();
    values[CITIZENSHIP] = joined(victim.citizenship.iter().map(|c| alpha3(c)));
    values[PLACE] = match &victim.exploitation_place {
        Some(Place::Ubigeo(code)) => format!(
            "PER|{}",
            places::department_name(&code[..2]).unwrap_or_default()
        ),
        Some(Place::Country(code)) => format!("{}|", alpha3(code)),
        None => "|".to_owned(),
    };
    values[TYPES] = joined(victim.exploitation_types.iter().cloned());
    values
}

/// A CSV row: the published quasi-identifiers, then the other columns.
fn row(
    victim: &PresumedVictim,
    qi_values: &[String],
    levels: &[usize],
    qis: &[QuasiIdentifier],
) -> Vec<String> {
    let (country, department) = match qi_values[PLACE].as_str() {
        SUPPRESSED => (SUPPRESSED, SUPPRESSED),
        place => place.split_once('|').unwrap_or((place, "")),
    };
    // Only the row's own suppressions: a column suppressed everywhere is in the header.
    let suppressed: Vec<&str> = qi_values
        .iter()
        .zip(qis.iter().zip(levels))
        .filter(|(value, (qi, level))| *value == SUPPRESSED && **level < qi.suppressed_level())
        .map(|(_, (qi, _))| qi.name.as_str())
        .collect();
    vec![
        qi_values[YEAR].clone(),
        qi_values[GENDER].clone(),
        qi_values[AGE].clone(),
        qi_values[MAJORITY].clone(),
        qi_values[CITIZENSHIP].clone(),
        country.to_owned(),
        department.to_owned(),
        qi_values[TYPES].clone(),
        joined(
            victim
                .means_of_control
                .iter()
                .map(|m| ctdc_means(m).to_owned()),
        ),
        victim
            .relationship_to_trafficker
            .as_deref()
            .map(ctdc_relation)
            .unwrap_or_default()
            .to_owned(),
        victim.contact_reason.clone(),
        suppressed.join(";"),
    ]
}

/// `# k=11; rows: 40; generalised: …; suppressed: …; withheld: …`
fn header(
    k: usize,
    rows: usize,
    published: &disclosure::KAnonymous,
    qis: &[QuasiIdentifier],
) -> String {
    let mut generalised = Vec::new();
    let mut suppressed = Vec::new();
    for (qi, &level) in qis.iter().zip(&published.levels) {
        if level == qi.suppressed_level() {
            suppressed.push(format!("{} (every row)", qi.name));
        } else {
            generalised.extend(qi.steps[..level].iter().map(|s| s.label.clone()));
        }
    }
    if published.suppressed_rows > 0 {
        suppressed.push(format!(
            "every quasi-identifier of {} rows",
            published.suppressed_rows
        ));
    }
    let or_none = |list: Vec<String>| {
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    format!(
        "# k={k}; rows: {rows}; quasi-identifiers: {}; generalised: {}; suppressed: {}; withheld: {} rows",
        qis.iter()
            .map(|qi| qi.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        or_none(generalised),
        or_none(suppressed),
        published.withheld_rows
    )
}

/// The quasi-identifiers and their ladders, finest first.
fn quasi_identifiers(first_year: i32, last_year: i32) -> Vec<QuasiIdentifier> {
    let whole_period = if first_year == last_year {
        first_year.to_string()
    } else {
        format!("{first_year}-{last_year}")
    };
    let qi = |name: &str, steps: Vec<Generalisation>| QuasiIdentifier {
        name: name.to_owned(),
        steps,
    };
    vec![
        qi(
            "year",
            vec![
                Generalisation::new("year -> two-year period", |year| {
                    match year.parse::<i32>() {
                        Ok(y) => {
                            let start = y - y.rem_euclid(2);
                            format!("{start}-{}", start + 1)
                        }
                        Err(_) => year.to_owned(),
                    }
                }),
                Generalisation::new("two-year period -> the whole period", move |_| {
                    whole_period.clone()
                }),
            ],
        ),
        qi("gender", Vec::new()),
        qi(
            "age band",
            vec![
                Generalisation::new("age band -> CTDC age band", |band| {
                    match band {
                        "9--11" | "12--13" | "14--17" => "9--17",
                        other => other,
                    }
                    .to_owned()
                }),
                Generalisation::new("CTDC age band -> 0--17, 18--29, 30+", |band| {
                    match band {
                        "0--8" | "9--17" => "0--17",
                        "18--20" | "21--23" | "24--26" | "27--29" => "18--29",
                        "" => "",
                        _ => "30+",
                    }
                    .to_owned()
                }),
            ],
        ),
        qi("majority status", Vec::new()),
        qi(
            "citizenship",
            vec![
                Generalisation::new(
                    "citizenship -> Peru, rest of South America, other",
                    |codes| joined(codes.split(';').map(|c| region(c).to_owned())),
                ),
                Generalisation::new("citizenship -> Peru or foreign", |regions| {
                    joined(regions.split(';').map(|r| {
                        match r {
                            "PER" | "" => r,
                            _ => "foreign",
                        }
                        .to_owned()
                    }))
                }),
            ],
        ),
        qi(
            "place of exploitation",
            vec![
                Generalisation::new("department -> country", |place| {
                    let country = place.split('|').next().unwrap_or_default();
                    format!("{country}|")
                }),
                Generalisation::new("country -> Peru or abroad", |place| {
                    match place {
                        "PER|" | "|" => place,
                        _ => "abroad|",
                    }
                    .to_owned()
                }),
            ],
        ),
        qi(
            "exploitation types",
            vec![Generalisation::new(
                "exploitation types -> sexual, labour, other",
                |types| joined(types.split(';').map(|t| broad_exploitation(t).to_owned())),
            )],
        ),
    ]
}

/// Values as one field: sorted, once each, separated by ';' (empty ones left out).
fn joined(values: impl Iterator<Item = String>) -> String {
    values
        .filter(|v| !v.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join(";")
}

/// ISO alpha-3, as CTDC writes countries; ZZ (unknown) is left empty.
fn alpha3(alpha2: &str) -> String {
    match alpha2 {
        "ZZ" => String::new(),
        code => countries::country(code).map_or_else(|| code.to_owned(), |c| c.alpha3.to_owned()),
    }
}

/// Peru, the rest of South America, or elsewhere (alpha-3 in, as `alpha3` gives it).
fn region(alpha3: &str) -> &str {
    const SOUTH_AMERICA: [&str; 12] = [
        "ARG", "BOL", "BRA", "CHL", "COL", "ECU", "GUY", "PRY", "SUR", "URY", "VEN", "GUF",
    ];
    match alpha3 {
        "PER" | "" => alpha3,
        c if SOUTH_AMERICA.contains(&c) => "South America",
        _ => "other",
    }
}

/// CTDC's 2025 gender (TAXONOMY.md §7); unknown is left empty.
fn ctdc_gender(code: &str) -> String {
    match code {
        "F" => "Woman",
        "M" => "Man",
        "TF" | "TM" | "NC" => "Trans/Transgender/NonConforming",
        _ => "",
    }
    .to_owned()
}

/// An age band as a range, CTDC's way ("9--11"); the bands that say only minor or adult,
/// and unknown, are left empty (the majority status says what is known).
fn age_range(band: &str) -> &'static str {
    match band {
        "A00_08" => "0--8",
        "A09_11" => "9--11",
        "A12_13" => "12--13",
        "A14_17" => "14--17",
        "A18_20" => "18--20",
        "A21_23" => "21--23",
        "A24_26" => "24--26",
        "A27_29" => "27--29",
        "A30_38" => "30--38",
        "A39_47" => "39--47",
        "A48_PLUS" => "48+",
        _ => "",
    }
}

/// CTDC's broad forms of exploitation.
fn broad_exploitation(code: &str) -> &'static str {
    match code {
        "SEXUAL" => "sexual",
        "LABOUR" | "SERVITUDE" | "SLAVERY" | "BEGGING" | "CHILD_LABOUR" | "FORCED_CRIME" => {
            "labour"
        }
        "UNKNOWN" | "" => "",
        _ => "other",
    }
}

/// CTDC 2025's collapsed means of control (TAXONOMY.md §5).
fn ctdc_means(code: &str) -> &'static str {
    match code {
        "DEBT_BONDAGE" | "TAKES_EARNINGS" => "meansDebtBondageEarnings",
        "THREATS_PHYSICAL" | "THREATS_AUTHORITIES" | "THREATS_FAMILY" => "meansThreats",
        "PSYCH_ABUSE" | "PHYSICAL_ABUSE" | "SEXUAL_ABUSE" => "meansAbusePsyPhySex",
        "WITHHOLDS_NEEDS" | "RESTRICTS_FINANCE" | "RESTRICTS_MEDICAL" | "RESTRICTS_MOVEMENT" => {
            "meansDenyBasicNeeds"
        }
        "SUBSTANCES" => "meansDrugsAlcohol",
        "FALSE_PROMISES" => "meansFalsePromises",
        "EXCESSIVE_HOURS" => "meansExcessiveWorkHours",
        "WITHHOLDS_DOCS" => "meansWithholdDocs",
        _ => "meansOther",
    }
}

/// CTDC's recruiter relation; unknown is left empty.
fn ctdc_relation(code: &str) -> &'static str {
    match code {
        "INTIMATE_PARTNER" => "IntimatePartner",
        "FRIEND" => "Friend",
        "FAMILY" => "Family",
        "UNKNOWN" => "",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use super::*;
    use crate::model::{CallFields, PersonFields, RecordMeta};

    fn lima() -> FixedOffset {
        FixedOffset::west_opt(5 * 3600).unwrap()
    }

    fn call(day: u32, flagged: bool, fields: CallFields) -> Call {
        let at = Utc.with_ymd_and_hms(2026, 3, day, 15, 0, 0).unwrap();
        let mut fields = CallFields {
            started_at: Some(at),
            reason: "TIP".into(),
            ..fields
        };
        if flagged {
            fields
                .indicators
                .insert("IND_CANNOT_LEAVE".into(), "YES".into());
        }
        Call::new(RecordMeta::new("pe-lima", "ana", at), fields)
    }

    fn person(role: &str, fields: PersonFields) -> Person {
        Person {
            meta: RecordMeta::new("pe-lima", "ana", Utc::now()),
            case_id: Uuid::nil(),
            fields: PersonFields {
                role: role.into(),
                ..fields
            },
        }
    }

    #[test]
    fn each_victim_in_a_case_is_a_row_and_the_calls_tell_their_situation() {
        let calls = [
            call(
                2,
                true,
                CallFields {
                    age_years: Some(15),
                    exploitation_types: vec!["SEXUAL".into()],
                    ..CallFields::default()
                },
            ),
            call(
                9,
                false,
                CallFields {
                    reason: "FOLLOW_UP".into(),
                    exploitation_types: vec!["LABOUR".into()],
                    exploitation_place: Some(Place::Ubigeo("170101".into())),
                    ..CallFields::default()
                },
            ),
        ];
        let people = [
            person(
                "VICTIM",
                PersonFields {
                    age_years: Some(16),
                    gender: Some("F".into()),
                    ..PersonFields::default()
                },
            ),
            person("VICTIM", PersonFields::default()),
            person(
                "VICTIM",
                PersonFields {
                    trafficking_status: Some("NOT_VICTIM".into()),
                    ..PersonFields::default()
                },
            ),
            person("SUSPECT", PersonFields::default()),
        ];
        let victims = of_case(&calls, &people, lima());
        assert_eq!(victims.len(), 2);
        assert_eq!(victims[0].age_band.as_deref(), Some("A14_17"));
        assert_eq!(victims[0].gender.as_deref(), Some("F"));
        // Two victims: the call's 15-year-old is neither one for sure.
        assert_eq!(victims[1].age_band, None);
        assert_eq!(victims[1].majority, "UNKNOWN");
        for victim in &victims {
            assert_eq!(victim.year, 2026);
            assert_eq!(victim.exploitation_types, ["LABOUR", "SEXUAL"]);
            assert_eq!(
                victim.exploitation_place,
                Some(Place::Ubigeo("170101".into()))
            );
            assert_eq!(victim.contact_reason, "TIP");
        }
    }

    #[test]
    fn a_lone_victim_takes_what_their_record_lacks_from_the_flagged_call() {
        let calls = [call(
            2,
            true,
            CallFields {
                age_years: Some(15),
                gender: Some("M".into()),
                citizenship: vec!["VE".into()],
                ..CallFields::default()
            },
        )];
        let victims = of_case(&calls, &[person("VICTIM", PersonFields::default())], lima());
        assert_eq!(victims[0].majority, "MINOR");
        assert_eq!(victims[0].gender.as_deref(), Some("M"));
        assert_eq!(victims[0].citizenship, ["VE"]);
    }

    #[test]
    fn without_victims_recorded_a_case_or_call_counts_one_only_if_flagged() {
        let flagged = call(2, true, CallFields::default());
        let not = call(3, false, CallFields::default());
        assert_eq!(
            of_case(&[not.clone(), flagged.clone()], &[], lima()).len(),
            1
        );
        assert_eq!(of_case(std::slice::from_ref(&not), &[], lima()).len(), 0);
        assert!(of_call(&flagged, lima()).is_some());
        assert!(of_call(&not, lima()).is_none());
    }

    #[test]
    fn the_header_says_what_was_generalised_suppressed_and_withheld() {
        let victim = |gender: &str| PresumedVictim {
            year: 2026,
            gender: Some(gender.into()),
            age_band: Some("A30_38".into()),
            majority: "ADULT",
            citizenship: vec!["PE".into()],
            exploitation_place: Some(Place::Ubigeo("150101".into())),
            exploitation_types: vec!["LABOUR".into()],
            means_of_control: vec!["DEBT_BONDAGE".into(), "TAKES_EARNINGS".into()],
            relationship_to_trafficker: Some("EMPLOYER".into()),
            contact_reason: "TIP".into(),
        };
        let mut victims = vec![victim("F"); 30];
        victims.push(victim("TF"));
        let export = anonymise(&victims, 11, 2026, 2026);
        assert_eq!(export.rows.len(), 31);
        assert!(
            export.header.starts_with("# k=11; rows: 31;"),
            "{}",
            export.header
        );
        assert!(
            export
                .header
                .contains("suppressed: every quasi-identifier of 11 rows"),
            "{}",
            export.header
        );
        assert!(export.header.contains("withheld: 0 rows"));
        let kept = &export.rows[0];
        assert_eq!(
            kept[..11].join(","),
            "2026,Woman,30--38,Adult,PER,PER,Lima,LABOUR,meansDebtBondageEarnings,Other,TIP"
        );
        assert_eq!(kept[11], "");
        let suppressed = export.rows.last().unwrap();
        assert_eq!(suppressed[1], SUPPRESSED);
        assert!(suppressed[11].contains("gender"));
    }

    fn victim() -> impl Strategy<Value = PresumedVictim> {
        (
            (
                2024i32..2027,
                prop::sample::select(vec!["F", "M", "TF", "U"]),
            ),
            prop::option::of(0u8..70),
            prop::sample::subsequence(vec!["PE", "VE", "CO", "CN"], 0..3),
            prop::option::of(prop::sample::select(vec![
                "150101", "170101", "080101", "250101", "VE", "CL",
            ])),
            prop::sample::subsequence(vec!["SEXUAL", "LABOUR", "BEGGING", "ORGAN_REMOVAL"], 0..3),
        )
            .prop_map(|((year, gender), age, citizenship, place, types)| {
                let age_band = age.map(|a| age_band_of(a).to_owned());
                PresumedVictim {
                    year,
                    gender: Some(gender.into()),
                    majority: majority_of(age, None),
                    age_band,
                    citizenship: citizenship.into_iter().map(String::from).collect(),
                    exploitation_place: place.and_then(|p| p.parse().ok()),
                    exploitation_types: types.into_iter().map(String::from).collect(),
                    means_of_control: vec!["FALSE_PROMISES".into()],
                    relationship_to_trafficker: None,
                    contact_reason: "TIP".into(),
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        #[test]
        fn no_combination_of_quasi_identifiers_in_the_file_is_under_k(
            victims in proptest::collection::vec(victim(), 0..400),
            k in 11usize..20,
        ) {
            let export = anonymise(&victims, k, 2024, 2026);
            let mut file = Vec::new();
            export.write(&mut file).unwrap();
            let text = String::from_utf8(file).unwrap();
            let mut lines = text.lines();
            let header = lines.next().unwrap();
            let says_k = format!("# k={k}; ");
            prop_assert!(header.starts_with(&says_k));
            prop_assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
            let mut groups: HashMap<String, usize> = HashMap::new();
            let mut rows = 0;
            for line in lines {
                // The quasi-identifiers: year to exploitation types.
                let fields: Vec<&str> = line.split(',').collect();
                prop_assert_eq!(fields.len(), COLUMNS.len());
                *groups.entry(fields[..8].join(",")).or_default() += 1;
                rows += 1;
            }
            prop_assert!(groups.values().all(|&n| n >= k), "{groups:?}");
            let says_withheld = format!("withheld: {} rows", victims.len() - rows);
            prop_assert!(header.ends_with(&says_withheld));
        }
    }
}
