//! The built-in directory: the national institutions a hotline refers to, the information
//! scripts operators read to callers, and the routing that suggests institutions for a place.
//!
//! This is the directory until a reference pack from central brings the maintained one (a
//! [`Directory`] built from the pack). Phone numbers, addresses and hours of institutions
//! belong in those packs, each with the date someone last checked it (TAXONOMY.md §9: "a
//! separately maintained table with a 'last verified' date"). So a built-in entry carries a
//! phone only where TAXONOMY.md itself gives one, no hours, and an empty `last_verified`: an
//! empty field is honest, a guessed number could send a victim nowhere.
//!
//! Text is `Cow<'static, str>` so that the built-in tables stay static and a pack's entries,
//! read at run time, are the same type.

use std::borrow::Cow;

use super::{Lang, Place, countries, places};

/// (name, phone) of the national lines an operator calls during an emergency (TAXONOMY.md §8:
/// "call PNP 105 / DIRCTPTIM during the call").
pub const EMERGENCY_CONTACTS: &[(&str, &str)] = &[
    ("PNP emergencias", "105"),
    ("Línea 100 MIMP", "100"),
    ("Mininter denuncias", "1818"),
    ("DIRCTPTIM (PNP trata)", ""),
];

/// Where an institution serves: the whole country, one department, province or district of
/// Peru by INEI ubigeo digits, or a country abroad (a consulate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    National,
    /// Two digits, e.g. "15" (Lima).
    Department(Cow<'static, str>),
    /// Four digits, e.g. "1501" (the province of Lima).
    Province(Cow<'static, str>),
    /// Six digits, e.g. "150101" (Lima, Cercado).
    District(Cow<'static, str>),
    /// ISO 3166-1 alpha-2 of a country other than Peru, e.g. "AR".
    Country(Cow<'static, str>),
}

impl Coverage {
    /// How local the service is: 0 for a district (or a country abroad, for a caller
    /// there), up to 3 for the whole country. Routing offers the most local first, because
    /// it is the one that can reach the caller soonest.
    pub fn level(&self) -> u8 {
        match self {
            Coverage::District(_) | Coverage::Country(_) => 0,
            Coverage::Province(_) => 1,
            Coverage::Department(_) => 2,
            Coverage::National => 3,
        }
    }

    /// Whether the service covers all of `place`. A department-wide place ("150000") is not
    /// covered by a service of one of its provinces: the caller may be anywhere in it.
    pub fn covers(&self, place: &Place) -> bool {
        let prefix = match self {
            Coverage::National => return true,
            Coverage::Country(code) => return matches!(place, Place::Country(c) if c == code),
            Coverage::Department(digits)
            | Coverage::Province(digits)
            | Coverage::District(digits) => digits,
        };
        match place {
            Place::Ubigeo(code) => !prefix.is_empty() && code.starts_with(prefix.as_ref()),
            Place::Country(_) => false,
        }
    }

    /// The area as a six-digit ubigeo ("150000" for a department, "150100" for a province),
    /// the form the rest of linea names places by; `None` for the whole country or abroad.
    pub fn ubigeo(&self) -> Option<String> {
        match self {
            Coverage::National | Coverage::Country(_) => None,
            Coverage::Department(digits)
            | Coverage::Province(digits)
            | Coverage::District(digits) => Some(format!("{digits:0<6}")),
        }
    }

    /// The coverage as reference packs write it: "national", the ubigeo digits of the area
    /// (2, 4 or 6), or a country code.
    pub fn code(&self) -> &str {
        match self {
            Coverage::National => NATIONAL,
            Coverage::Department(code)
            | Coverage::Province(code)
            | Coverage::District(code)
            | Coverage::Country(code) => code,
        }
    }

    /// Reads a coverage as packs write it ([`Coverage::code`]); a full six-digit ubigeo of a
    /// department or province ("170000", "170100") is taken for its area too.
    pub fn parse(text: &str) -> Result<Coverage, String> {
        if text == NATIONAL {
            return Ok(Coverage::National);
        }
        if text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase()) {
            if text == "PE" {
                return Err(format!(
                    "'{text}': write '{NATIONAL}' for the whole of Peru"
                ));
            }
            return match countries::country(text) {
                Some(_) => Ok(Coverage::Country(text.to_owned().into())),
                None => Err(format!("'{text}' is no ISO 3166-1 country code")),
            };
        }
        let full = match text.len() {
            2 | 4 | 6 if text.bytes().all(|b| b.is_ascii_digit()) => format!("{text:0<6}"),
            _ => {
                return Err(format!(
                    "'{text}' is no coverage: write '{NATIONAL}', a ubigeo (2, 4 or 6 digits) or a country code"
                ));
            }
        };
        // Padded, "1700" would read as department 17: four digits name a province, and no
        // province is 00.
        if text.len() == 4 && text.ends_with("00") {
            return Err(format!("'{text}' is no province: its digits are 00"));
        }
        let prefix = |digits: usize| full.get(..digits).unwrap_or_default().to_owned();
        match places::PlaceKind::of(&full) {
            Some(places::PlaceKind::Department) => Ok(Coverage::Department(prefix(2).into())),
            Some(places::PlaceKind::Province) => Ok(Coverage::Province(prefix(4).into())),
            Some(places::PlaceKind::District) => Ok(Coverage::District(full.into())),
            None => Err(format!("'{text}' is no ubigeo of Peru")),
        }
    }
}

/// How packs write the coverage of the whole country.
pub const NATIONAL: &str = "national";

/// One institution a call can be referred to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    /// Stable: referrals record it, so it is never reused or renamed.
    pub id: Cow<'static, str>,
    /// The official Spanish name, acronym first so a name cut to a column still says who.
    pub name: Cow<'static, str>,
    /// A code of `codes::REFERRAL_TARGET_TYPE`.
    pub target_type: Cow<'static, str>,
    pub coverage: Coverage,
    /// Empty when not known for certain; several numbers are separated by " / ".
    pub phone: Cow<'static, str>,
    /// Empty when not known.
    pub hours: Cow<'static, str>,
    /// YYYY-MM-DD of the last check by central; empty for built-in entries (never checked).
    pub last_verified: Cow<'static, str>,
}

/// A built-in entry: no hours, never verified.
const fn built_in(
    id: &'static str,
    name: &'static str,
    target_type: &'static str,
    coverage: Coverage,
    phone: &'static str,
) -> Institution {
    Institution {
        id: Cow::Borrowed(id),
        name: Cow::Borrowed(name),
        target_type: Cow::Borrowed(target_type),
        coverage,
        phone: Cow::Borrowed(phone),
        hours: Cow::Borrowed(""),
        last_verified: Cow::Borrowed(""),
    }
}

/// The seed entries of TAXONOMY.md §9, plus the obvious national institution of some other
/// target types. In the order national suggestions are offered: emergencies and police
/// first, then prosecutors, protection, and the services a victim needs later.
///
/// Phones: only those TAXONOMY.md gives (105, 100, 1818, 0800-15-170). Left out on purpose:
/// - regional FISTRAP offices: their seats and jurisdictions (distritos fiscales) are not
///   verified here, so there is one national entry and the Lima office, whose seat is sure;
/// - the UPE one by one: they are not one per department (MIMP's own 2020 count: 21
///   departments, and four units for Lima Metropolitana and Callao), so one national entry
///   until the packs list them with the districts each serves;
/// - CEMs one by one, comisarías, shelters, DEMUNAs: local, they come with the packs.
pub static INSTITUTIONS: &[Institution] = &[
    built_in(
        "PNP_105",
        "Central de Emergencias 105 – Policía Nacional del Perú",
        "PNP_EMERGENCY",
        Coverage::National,
        "105",
    ),
    built_in(
        "DIRCTPTIM",
        "DIRCTPTIM – Dirección contra la Trata de Personas y Tráfico Ilícito de Migrantes \
         (Policía Nacional del Perú)",
        "PNP_TRAFFICKING",
        Coverage::National,
        "",
    ),
    // Mininter's line for reports of trafficking. It is the ministry's, not the police's,
    // so no PNP type fits it.
    built_in(
        "LINEA_1818",
        "Línea 1818 – Ministerio del Interior (denuncias de trata de personas)",
        "OTHER",
        Coverage::National,
        "1818",
    ),
    // Its seat is Lima; the distritos fiscales it serves are the pack's to say, so the
    // province of Lima stands for them.
    built_in(
        "FISTRAP_LIMA",
        "FISTRAP Lima – Fiscalía Especializada en Delitos de Trata de Personas de Lima \
         (Ministerio Público)",
        "MP_FISTRAP",
        Coverage::Province(Cow::Borrowed("1501")),
        "",
    ),
    built_in(
        "FISTRAP",
        "FISTRAP – Fiscalías Especializadas en Delitos de Trata de Personas (Ministerio \
         Público)",
        "MP_FISTRAP",
        Coverage::National,
        "",
    ),
    built_in(
        "UDAVIT",
        "UDAVIT – Unidad de Asistencia a Víctimas y Testigos (Ministerio Público)",
        "MP_UDAVIT",
        Coverage::National,
        "",
    ),
    built_in(
        "LINEA_100",
        "Línea 100 – MIMP (Programa Nacional Aurora)",
        "MIMP_CEM",
        Coverage::National,
        "100",
    ),
    built_in(
        "CEM",
        "CEM – Centro Emergencia Mujer (MIMP, Programa Nacional Aurora)",
        "MIMP_CEM",
        Coverage::National,
        "",
    ),
    built_in(
        "UPE",
        "UPE – Unidad de Protección Especial (MIMP)",
        "MIMP_UPE",
        Coverage::National,
        "",
    ),
    built_in(
        "DEFENSORIA",
        "Defensoría del Pueblo",
        "DEFENSORIA",
        Coverage::National,
        "0800-15-170",
    ),
    built_in(
        "SUNAFIL_GEIT_TFI",
        "GEIT-TFI – Grupo Especializado de Inspectores del Trabajo en materia de Trabajo \
         Forzoso y Trabajo Infantil (SUNAFIL)",
        "LABOUR_INSPECTION",
        Coverage::National,
        "",
    ),
    built_in(
        "DEFENSA_PUBLICA",
        "Defensa Pública – Ministerio de Justicia y Derechos Humanos (MINJUSDH)",
        "LEGAL_AID",
        Coverage::National,
        "",
    ),
    built_in(
        "MIGRACIONES",
        "MIGRACIONES – Superintendencia Nacional de Migraciones",
        "MIGRATION",
        Coverage::National,
        "",
    ),
    built_in(
        "RENIEC",
        "RENIEC – Registro Nacional de Identificación y Estado Civil",
        "IDENTITY_DOCS",
        Coverage::National,
        "",
    ),
    built_in(
        "MINSA",
        "MINSA – Ministerio de Salud (establecimientos de salud)",
        "HEALTH",
        Coverage::National,
        "",
    ),
    built_in(
        "RREE_CONSULADOS",
        "Consulados del Perú en el exterior – Ministerio de Relaciones Exteriores",
        "CONSULATE_PE",
        Coverage::National,
        "",
    ),
    built_in(
        "OIM_PERU",
        "OIM Perú – Organización Internacional para las Migraciones",
        "INTL_ORG",
        Coverage::National,
        "",
    ),
];

/// The built-in institution with `id`.
pub fn institution(id: &str) -> Option<&'static Institution> {
    INSTITUTIONS.iter().find(|institution| institution.id == id)
}

/// The directory the desk works with: the applied reference pack's institutions and
/// scripts, or the built-in ones where the pack brings none (no pack, or a pack central
/// built without them: an empty directory would leave the operator with nowhere to refer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    institutions: Cow<'static, [Institution]>,
    scripts: Cow<'static, [Script]>,
}

impl Default for Directory {
    fn default() -> Directory {
        Directory::built_in()
    }
}

impl Directory {
    pub fn built_in() -> Directory {
        Directory {
            institutions: Cow::Borrowed(INSTITUTIONS),
            scripts: Cow::Borrowed(SCRIPTS),
        }
    }

    /// A pack's directory; an empty part keeps the built-in one.
    pub fn new(institutions: Vec<Institution>, scripts: Vec<Script>) -> Directory {
        Directory {
            institutions: if institutions.is_empty() {
                Cow::Borrowed(INSTITUTIONS)
            } else {
                Cow::Owned(institutions)
            },
            scripts: if scripts.is_empty() {
                Cow::Borrowed(SCRIPTS)
            } else {
                Cow::Owned(scripts)
            },
        }
    }

    /// Every institution, in the directory's order.
    pub fn institutions(&self) -> &[Institution] {
        &self.institutions
    }

    pub fn scripts(&self) -> &[Script] {
        &self.scripts
    }

    /// The script for `topic`, if there is one.
    pub fn script(&self, topic: &str) -> Option<&Script> {
        self.scripts.iter().find(|script| script.topic == topic)
    }

    /// [`suggest`] over this directory.
    pub fn suggest(&self, place: Option<&Place>, target_type: Option<&str>) -> Vec<&Institution> {
        suggest_in(&self.institutions, place, target_type)
    }

    /// The institution a referral names: by its id (scripts give ids) or by its name (the
    /// desk's form gives names).
    pub fn find(&self, id_or_name: &str) -> Option<&Institution> {
        let wanted = id_or_name.trim();
        self.institutions
            .iter()
            .find(|i| i.id == wanted || i.name == wanted)
    }

    /// Where to escalate after `silent` did not respond: the next of the suggestions for
    /// `place` and `target_type` after it, or the first when it is not among them.
    pub fn escalation(
        &self,
        place: Option<&Place>,
        target_type: &str,
        silent: &str,
    ) -> Option<&Institution> {
        let suggested = self.suggest(place, Some(target_type));
        let failed = self.find(silent);
        let after = suggested
            .iter()
            .position(|i| Some(*i) == failed)
            .map_or(0, |at| at + 1);
        suggested.get(after).copied()
    }

    /// The local services to call during an emergency at `place`, beside the national lines
    /// of [`EMERGENCY_CONTACTS`]: the most local police station, police trafficking unit and
    /// CEM serving there that have a phone.
    pub fn local_emergency(&self, place: &Place) -> Vec<&Institution> {
        LOCAL_EMERGENCY_TYPES
            .iter()
            .filter_map(|target_type| {
                self.suggest(Some(place), Some(target_type))
                    .into_iter()
                    .find(|i| i.coverage != Coverage::National && !i.phone.is_empty())
            })
            .collect()
    }
}

/// The kinds of local service an emergency banner lists, in its order.
const LOCAL_EMERGENCY_TYPES: [&str; 3] = ["PNP_STATION", "PNP_TRAFFICKING", "MIMP_CEM"];

/// Institutions of the built-in directory for a caller at `place`, most local first
/// (district, province, department, national), keeping the directory's order within a
/// level; only those of `target_type` when one is given. Without a place, or for a place no
/// local service covers, the national ones. A caller abroad gets Peru's consulates first:
/// they are the ones there. The desk asks its [`Directory`] instead, which is the pack's
/// when one is applied.
pub fn suggest(place: Option<&Place>, target_type: Option<&str>) -> Vec<&'static Institution> {
    suggest_in(INSTITUTIONS, place, target_type)
}

/// [`suggest`] over any directory (a reference pack's, or a test's).
pub fn suggest_in<'a>(
    directory: &'a [Institution],
    place: Option<&Place>,
    target_type: Option<&str>,
) -> Vec<&'a Institution> {
    let mut found: Vec<(u8, &Institution)> = directory
        .iter()
        .filter(|institution| target_type.is_none_or(|t| institution.target_type == t))
        .filter_map(|institution| rank(institution, place).map(|rank| (rank, institution)))
        .collect();
    // Stable: the directory's own order holds within a rank.
    found.sort_by_key(|(rank, _)| *rank);
    found
        .into_iter()
        .map(|(_, institution)| institution)
        .collect()
}

/// Where `institution` comes in the suggestions for `place` (lower first), or `None` when it
/// does not serve there.
fn rank(institution: &Institution, place: Option<&Place>) -> Option<u8> {
    let coverage = &institution.coverage;
    let Some(place) = place else {
        // Nobody knows where the caller is: only what serves everywhere is sure to serve them.
        return (*coverage == Coverage::National).then_some(coverage.level());
    };
    if !coverage.covers(place) {
        return None;
    }
    if is_abroad(place) && institution.target_type == "CONSULATE_PE" {
        return Some(0);
    }
    Some(coverage.level())
}

/// A real country other than Peru (`ZZ` unknown and `XX` stateless are no place abroad).
fn is_abroad(place: &Place) -> bool {
    matches!(place, Place::Country(code) if !matches!(code.as_str(), "PE" | "ZZ" | "XX"))
}

/// What an operator reads out to a caller about one topic, in the three languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// A code of `codes::INFO_TOPIC`.
    pub topic: Cow<'static, str>,
    /// Empty where a pack brings no text in that language.
    pub es: Cow<'static, str>,
    pub en: Cow<'static, str>,
    pub fr: Cow<'static, str>,
}

impl Script {
    /// The text in `lang`; where a pack has none in it, the Spanish one (every operator in
    /// Peru reads it), else any there is.
    pub fn text(&self, lang: Lang) -> &str {
        let wanted = match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        };
        [wanted, &self.es, &self.en, &self.fr]
            .into_iter()
            .find(|text| !text.is_empty())
            .map_or("", |text| text.as_ref())
    }
}

/// The script for `topic`, if there is one.
pub fn script(topic: &str) -> Option<&'static Script> {
    SCRIPTS.iter().find(|script| script.topic == topic)
}

/// Information scripts, written for Peru: plain words, "usted", no blame, and no number but
/// the national lines above. What the law says is kept to what Ley 28950 and Código Penal
/// art. 129-A settle (TAXONOMY.md: PE-CP): the means do not matter when the victim is a
/// minor, and consent obtained by those means does not undo trafficking.
pub static SCRIPTS: &[Script] = &[
    Script {
        topic: Cow::Borrowed("TIP_DEFINITION"),
        es: Cow::Borrowed(
            "La trata de personas es un delito. Ocurre cuando alguien capta, traslada, acoge \
             o retiene a una persona para explotarla, usando engaños, amenazas, violencia o \
             aprovechándose de su necesidad. La explotación puede ser sexual o laboral, y \
             también incluye la servidumbre, la mendicidad forzada, la venta de niñas y niños \
             y otras formas. Cuando la víctima es menor de edad, es trata aunque no haya \
             habido engaño ni violencia. Haber aceptado al inicio el viaje o el trabajo no \
             quita que la persona sea víctima si luego fue engañada u obligada. La víctima no \
             tiene la culpa de lo que le pasó y tiene derecho a protección y ayuda.",
        ),
        en: Cow::Borrowed(
            "Trafficking in persons is a crime. It happens when someone recruits, moves, \
             harbours or holds a person in order to exploit them, using deception, threats, \
             violence or taking advantage of their need. The exploitation may be sexual or \
             labour exploitation, and also includes servitude, forced begging, the sale of \
             children and other forms. When the victim is under 18, it is trafficking even if \
             there was no deception or violence. Having agreed to the trip or the job at first \
             does not stop a person from being a victim if they were later deceived or forced. \
             The victim is not to blame for what happened and has the right to protection and \
             help.",
        ),
        fr: Cow::Borrowed(
            "La traite des êtres humains est un crime. Elle a lieu quand quelqu'un recrute, \
             transporte, héberge ou retient une personne pour l'exploiter, par la tromperie, \
             les menaces, la violence ou en profitant de sa situation de besoin. L'exploitation \
             peut être sexuelle ou par le travail, et comprend aussi la servitude, la \
             mendicité forcée, la vente d'enfants et d'autres formes. Quand la victime est \
             mineure, c'est de la traite même sans tromperie ni violence. Avoir accepté le \
             voyage ou le travail au départ n'empêche pas d'être victime si la personne a \
             ensuite été trompée ou forcée. La victime n'est pas responsable de ce qui lui est \
             arrivé et a droit à une protection et à de l'aide.",
        ),
    },
    Script {
        topic: Cow::Borrowed("HOW_TO_REPORT"),
        es: Cow::Borrowed(
            "Si alguien está en peligro en este momento, llame a la Policía al 105. Para \
             reportar un posible caso de trata también puede llamar a la Línea 1818 del \
             Ministerio del Interior, o acudir a una comisaría o a la Fiscalía. No necesita \
             tener pruebas ni estar seguro de que es trata: investigar le corresponde a la \
             Policía y a la Fiscalía. Ayuda mucho contar lo que sabe: dónde está la persona, \
             desde cuándo, quién la controla y cómo llegó allí. No enfrente a los presuntos \
             tratantes ni intente rescatar a nadie por su cuenta, porque puede ponerse en \
             riesgo usted o la víctima. Si lo desea, podemos ayudarle a hacer llegar el reporte \
             a la institución que corresponde.",
        ),
        en: Cow::Borrowed(
            "If someone is in danger right now, call the police on 105. To report a possible \
             trafficking case you can also call the Ministry of the Interior's Línea 1818, or \
             go to a police station or to the prosecutor's office (Fiscalía). You do not need \
             proof, nor to be sure it is trafficking: investigating is the job of the police \
             and the prosecutors. It helps a lot to say what you know: where the person is, \
             since when, who controls them and how they got there. Do not confront the \
             suspected traffickers or try to rescue anyone yourself, as that could put you or \
             the victim at risk. If you wish, we can help you get the report to the right \
             institution.",
        ),
        fr: Cow::Borrowed(
            "Si quelqu'un est en danger en ce moment, appelez la police au 105. Pour signaler \
             un cas possible de traite, vous pouvez aussi appeler la Línea 1818 du ministère \
             de l'Intérieur, ou vous rendre dans un commissariat ou au parquet (Fiscalía). \
             Vous n'avez pas besoin de preuves ni d'être sûr qu'il s'agit de traite : \
             enquêter est le travail de la police et du parquet. Il est très utile de dire ce \
             que vous savez : où se trouve la personne, depuis quand, qui la contrôle et \
             comment elle est arrivée là. Ne confrontez pas les trafiquants présumés et \
             n'essayez pas de secourir quelqu'un vous-même : vous pourriez vous mettre en \
             danger, vous ou la victime. Si vous le souhaitez, nous pouvons vous aider à faire \
             parvenir le signalement à l'institution compétente.",
        ),
    },
    Script {
        topic: Cow::Borrowed("SAFE_MIGRATION"),
        es: Cow::Borrowed(
            "Antes de viajar a otra ciudad o a otro país, infórmese bien sobre el lugar, el \
             trabajo y las personas que le esperan. Viaje con sus documentos en regla y \
             guárdelos usted: no entregue su DNI ni su pasaporte a nadie. Deje a una persona \
             de confianza copias de sus documentos, la dirección a donde va y los datos de \
             quien le lleva, y acuerden llamarse con regularidad. Desconfíe de quien le \
             propone cruzar una frontera por pasos no autorizados o sin documentos: además del \
             peligro, puede tratarse de tráfico de migrantes o de trata. Si está fuera del \
             Perú y necesita ayuda, puede acudir al consulado del Perú más cercano. Si usted es \
             extranjero en el Perú, la Superintendencia Nacional de Migraciones informa sobre \
             los trámites para regularizar su situación.",
        ),
        en: Cow::Borrowed(
            "Before travelling to another city or country, find out as much as you can about \
             the place, the job and the people expecting you. Travel with your papers in order \
             and keep them yourself: do not hand your ID card or passport to anyone. Leave a \
             person you trust copies of your documents, the address you are going to and the \
             details of whoever is taking you, and agree to call each other regularly. Be wary \
             of anyone who suggests crossing a border at an unofficial crossing or without \
             papers: besides the danger, it may be migrant smuggling or trafficking. If you \
             are outside Peru and need help, you can go to the nearest Peruvian consulate. If \
             you are a foreigner in Peru, the national migration authority (Superintendencia \
             Nacional de Migraciones) can tell you how to regularise your status.",
        ),
        fr: Cow::Borrowed(
            "Avant de partir dans une autre ville ou un autre pays, renseignez-vous bien sur \
             le lieu, le travail et les personnes qui vous attendent. Voyagez avec des papiers \
             en règle et gardez-les vous-même : ne confiez votre carte d'identité ou votre \
             passeport à personne. Laissez à une personne de confiance une copie de vos \
             documents, l'adresse où vous allez et les coordonnées de qui vous emmène, et \
             convenez de vous appeler régulièrement. Méfiez-vous de qui vous propose de passer \
             une frontière par un passage non autorisé ou sans papiers : en plus du danger, il \
             peut s'agir de trafic de migrants ou de traite. Si vous êtes hors du Pérou et avez \
             besoin d'aide, vous pouvez vous adresser au consulat du Pérou le plus proche. Si \
             vous êtes étranger au Pérou, l'autorité migratoire (Superintendencia Nacional de \
             Migraciones) vous informe sur les démarches pour régulariser votre situation.",
        ),
    },
    Script {
        topic: Cow::Borrowed("JOB_OFFER_VERIFY"),
        es: Cow::Borrowed(
            "Las ofertas de trabajo falsas son una de las formas más usadas para captar a \
             víctimas de trata. Desconfíe de sueldos muy altos para trabajos que no piden \
             experiencia, de quien le paga el pasaje para descontárselo después y de quien le \
             pide viajar de inmediato o sin contárselo a nadie. Pida el nombre completo y el \
             RUC de la empresa y verifíquelo en la consulta RUC de la SUNAT; pida el contrato \
             por escrito antes de viajar. No entregue su DNI ni su pasaporte al empleador ni a \
             intermediarios. Si la entrevista o el trabajo es en otra ciudad, cuente a alguien \
             de confianza a dónde va y con quién. Si tiene dudas sobre una oferta, puede \
             llamarnos de nuevo y la revisamos juntos.",
        ),
        en: Cow::Borrowed(
            "False job offers are one of the most common ways of recruiting victims of \
             trafficking. Be wary of very high pay for jobs that need no experience, of anyone \
             who pays your fare to take it out of your wages later, and of anyone who asks you \
             to travel at once or without telling anyone. Ask for the company's full name and \
             tax number (RUC) and check it with SUNAT's RUC lookup; ask for a written contract \
             before you travel. Do not hand your ID card or passport to the employer or to \
             go-betweens. If the interview or the job is in another city, tell someone you \
             trust where you are going and with whom. If you have doubts about an offer, you \
             can call us again and we will go through it together.",
        ),
        fr: Cow::Borrowed(
            "Les fausses offres d'emploi sont l'un des moyens les plus utilisés pour recruter \
             des victimes de traite. Méfiez-vous des salaires très élevés pour des emplois sans \
             expérience requise, de qui vous paie le billet pour le retenir ensuite sur votre \
             salaire, et de qui vous demande de partir tout de suite ou sans en parler à \
             personne. Demandez le nom complet et le numéro fiscal (RUC) de l'entreprise et \
             vérifiez-le sur la consultation RUC de la SUNAT ; demandez un contrat écrit avant \
             de partir. Ne confiez votre carte d'identité ou votre passeport ni à l'employeur \
             ni à des intermédiaires. Si l'entretien ou le travail a lieu dans une autre ville, \
             dites à une personne de confiance où vous allez et avec qui. Si une offre vous \
             fait douter, vous pouvez nous rappeler et nous l'examinerons ensemble.",
        ),
    },
    Script {
        topic: Cow::Borrowed("RIGHTS_OF_VICTIMS"),
        es: Cow::Borrowed(
            "Una víctima de trata tiene derecho a ser tratada con respeto, sin ser juzgada ni \
             culpada. Tiene derecho a protección, a atención de salud y apoyo psicológico, y a \
             orientación legal gratuita. Tiene derecho a que su identidad y sus datos se \
             manejen con reserva. Si no habla bien castellano, puede pedir un intérprete. Si es \
             extranjera, también tiene derecho a protección y a orientación sobre su situación \
             migratoria. Una persona adulta decide, con información, qué pasos quiere dar; \
             cuando la víctima es menor de edad, las autoridades deben intervenir para \
             protegerla.",
        ),
        en: Cow::Borrowed(
            "A victim of trafficking has the right to be treated with respect, without being \
             judged or blamed. They have the right to protection, to health care and \
             psychological support, and to free legal advice. They have the right to have \
             their identity and details kept confidential. If they do not speak Spanish well, \
             they can ask for an interpreter. If they are a foreigner, they also have the right \
             to protection and to advice about their migration status. An adult decides, with \
             information, which steps to take; when the victim is under 18, the authorities \
             must step in to protect them.",
        ),
        fr: Cow::Borrowed(
            "Une victime de traite a le droit d'être traitée avec respect, sans être jugée ni \
             blâmée. Elle a droit à une protection, à des soins de santé et à un soutien \
             psychologique, et à des conseils juridiques gratuits. Elle a droit à ce que son \
             identité et ses données restent confidentielles. Si elle parle mal l'espagnol, \
             elle peut demander un interprète. Si elle est étrangère, elle a aussi droit à une \
             protection et à des conseils sur sa situation migratoire. Une personne majeure \
             décide, en connaissance de cause, des démarches qu'elle veut faire ; quand la \
             victime est mineure, les autorités doivent intervenir pour la protéger.",
        ),
    },
    Script {
        topic: Cow::Borrowed("SAFETY_PLANNING"),
        es: Cow::Borrowed(
            "Pensemos juntos en cómo mantenerse a salvo. Si está en peligro ahora, llame a la \
             Policía al 105 o busque un lugar con más gente. Si puede, tenga a mano sus \
             documentos, algo de dinero y un teléfono cargado, o sepa dónde están. Memorice el \
             número de una o dos personas de confianza y acuerde con ellas una palabra o señal \
             que signifique que necesita ayuda. Piense a qué lugar seguro podría ir y cómo \
             llegar. Si alguien revisa su teléfono, borre las llamadas y mensajes que puedan \
             ponerle en riesgo. Si la violencia viene de su pareja o de su familia, la Línea \
             100 también puede orientarle. Usted decide qué pasos dar, y puede volver a \
             llamarnos cuando lo necesite.",
        ),
        en: Cow::Borrowed(
            "Let us think together about how you can stay safe. If you are in danger now, call \
             the police on 105 or go where there are more people. If you can, keep your \
             documents, some money and a charged phone at hand, or know where they are. Learn \
             by heart the number of one or two people you trust, and agree with them on a word \
             or sign that means you need help. Think of a safe place you could go to and how to \
             get there. If someone checks your phone, delete calls and messages that could put \
             you at risk. If the violence comes from your partner or your family, Línea 100 can \
             also advise you. You decide which steps to take, and you can call us again \
             whenever you need.",
        ),
        fr: Cow::Borrowed(
            "Réfléchissons ensemble à la façon de rester en sécurité. Si vous êtes en danger \
             maintenant, appelez la police au 105 ou allez là où il y a du monde. Si vous le \
             pouvez, gardez à portée de main vos papiers, un peu d'argent et un téléphone \
             chargé, ou sachez où ils se trouvent. Apprenez par cœur le numéro d'une ou deux \
             personnes de confiance et convenez avec elles d'un mot ou d'un signe qui veut dire \
             que vous avez besoin d'aide. Pensez à un lieu sûr où vous pourriez aller et à la \
             façon de vous y rendre. Si quelqu'un contrôle votre téléphone, effacez les appels \
             et messages qui pourraient vous mettre en danger. Si la violence vient de votre \
             partenaire ou de votre famille, la Línea 100 peut aussi vous conseiller. C'est \
             vous qui décidez des démarches, et vous pouvez nous rappeler quand vous en avez \
             besoin.",
        ),
    },
    Script {
        topic: Cow::Borrowed("SMUGGLING_INFO"),
        es: Cow::Borrowed(
            "El tráfico ilícito de migrantes es facilitar, a cambio de dinero u otro \
             beneficio, que una persona entre o salga de un país de forma irregular. En el \
             tráfico, la persona suele estar de acuerdo con el viaje y el trato termina al \
             cruzar la frontera; en la trata, el fin es explotarla. Un viaje que empieza como \
             tráfico puede volverse trata si al llegar retienen a la persona, le quitan sus \
             documentos o la obligan a trabajar para pagar una deuda. Los dos son delitos en el \
             Perú (Ley 28950) y ponen en grave peligro a quien viaja. Si usted o alguien que \
             conoce está en esa situación, podemos orientarle sin juzgarle.",
        ),
        en: Cow::Borrowed(
            "Migrant smuggling is helping someone, for money or another benefit, to enter or \
             leave a country irregularly. In smuggling the person usually agrees to the \
             journey and the deal ends at the border; in trafficking the aim is to exploit \
             them. A journey that starts as smuggling can turn into trafficking if, on arrival, \
             the person is held, their documents taken or they are made to work off a debt. \
             Both are crimes in Peru (Ley 28950) and put the traveller in serious danger. If \
             you or someone you know is in that situation, we can advise you without judging.",
        ),
        fr: Cow::Borrowed(
            "Le trafic illicite de migrants consiste à faire entrer ou sortir une personne \
             d'un pays de façon irrégulière, contre de l'argent ou un autre avantage. Dans le \
             trafic, la personne est en général d'accord pour le voyage et l'affaire se termine \
             à la frontière ; dans la traite, le but est de l'exploiter. Un voyage qui commence \
             comme un trafic peut devenir de la traite si, à l'arrivée, la personne est \
             retenue, privée de ses papiers ou forcée à travailler pour payer une dette. Les \
             deux sont des crimes au Pérou (Ley 28950) et mettent gravement en danger celui \
             qui voyage. Si vous ou un proche êtes dans cette situation, nous pouvons vous \
             conseiller sans vous juger.",
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::super::{codes, places};
    use super::*;

    fn place(code: &str) -> Place {
        match code.parse() {
            Ok(place) => place,
            Err(e) => panic!("{code}: {e}"),
        }
    }

    fn ids<'a>(found: &[&'a Institution]) -> Vec<&'a str> {
        found
            .iter()
            .map(|institution| institution.id.as_ref())
            .collect()
    }

    /// A directory with local services, as a reference pack would bring: two in Lima at
    /// three levels, one in Cusco, and national ones.
    static LOCAL: &[Institution] = &[
        built_in(
            "NATIONAL_PNP",
            "n",
            "PNP_TRAFFICKING",
            Coverage::National,
            "",
        ),
        built_in(
            "LIMA_DEPT",
            "d",
            "PNP_TRAFFICKING",
            Coverage::Department(Cow::Borrowed("15")),
            "",
        ),
        built_in(
            "LIMA_PROV",
            "p",
            "MIMP_CEM",
            Coverage::Province(Cow::Borrowed("1501")),
            "",
        ),
        built_in(
            "CERCADO",
            "c",
            "PNP_STATION",
            Coverage::District(Cow::Borrowed("150101")),
            "",
        ),
        built_in(
            "CUSCO_DEPT",
            "k",
            "PNP_TRAFFICKING",
            Coverage::Department(Cow::Borrowed("08")),
            "",
        ),
        built_in("NATIONAL_CEM", "m", "MIMP_CEM", Coverage::National, ""),
        built_in("CONSULATES", "r", "CONSULATE_PE", Coverage::National, ""),
    ];

    #[test]
    fn a_district_gets_its_own_services_first_then_wider_ones() {
        let found = suggest_in(LOCAL, Some(&place("150101")), None);
        assert_eq!(
            ids(&found),
            [
                "CERCADO",
                "LIMA_PROV",
                "LIMA_DEPT",
                "NATIONAL_PNP",
                "NATIONAL_CEM",
                "CONSULATES"
            ]
        );
    }

    #[test]
    fn another_district_of_the_province_skips_the_district_service() {
        let found = suggest_in(LOCAL, Some(&place("150132")), None);
        assert_eq!(ids(&found)[..3], ["LIMA_PROV", "LIMA_DEPT", "NATIONAL_PNP"]);
        assert!(!ids(&found).contains(&"CERCADO"));
    }

    #[test]
    fn a_whole_department_is_not_served_by_one_of_its_provinces() {
        let found = suggest_in(LOCAL, Some(&place("150000")), None);
        assert_eq!(ids(&found)[0], "LIMA_DEPT");
        assert!(!ids(&found).contains(&"LIMA_PROV"));
        assert!(!ids(&found).contains(&"CERCADO"));
    }

    #[test]
    fn a_place_without_local_services_falls_back_to_national_ones() {
        let found = suggest_in(LOCAL, Some(&place("210101")), None);
        assert_eq!(ids(&found), ["NATIONAL_PNP", "NATIONAL_CEM", "CONSULATES"]);
        let found = suggest_in(LOCAL, None, None);
        assert_eq!(ids(&found), ["NATIONAL_PNP", "NATIONAL_CEM", "CONSULATES"]);
    }

    #[test]
    fn the_type_filters_at_every_level() {
        let found = suggest_in(LOCAL, Some(&place("150101")), Some("MIMP_CEM"));
        assert_eq!(ids(&found), ["LIMA_PROV", "NATIONAL_CEM"]);
        let found = suggest_in(LOCAL, Some(&place("080101")), Some("PNP_TRAFFICKING"));
        assert_eq!(ids(&found), ["CUSCO_DEPT", "NATIONAL_PNP"]);
        assert!(suggest_in(LOCAL, Some(&place("080101")), Some("SHELTER")).is_empty());
    }

    #[test]
    fn a_caller_abroad_gets_consulates_first_then_national_ones() {
        let found = suggest_in(LOCAL, Some(&place("AR")), None);
        assert_eq!(ids(&found), ["CONSULATES", "NATIONAL_PNP", "NATIONAL_CEM"]);
        // An unknown place is not abroad.
        let found = suggest_in(LOCAL, Some(&place("ZZ")), None);
        assert_eq!(ids(&found)[0], "NATIONAL_PNP");
    }

    #[test]
    fn the_built_in_directory_routes_lima_to_its_fistrap_first() {
        let found = suggest(Some(&place("150101")), Some("MP_FISTRAP"));
        assert_eq!(ids(&found), ["FISTRAP_LIMA", "FISTRAP"]);
        let found = suggest(Some(&place("080101")), Some("MP_FISTRAP"));
        assert_eq!(ids(&found), ["FISTRAP"]);
        let found = suggest(Some(&place("170101")), None);
        assert_eq!(found[0].id, "PNP_105");
        assert!(found.iter().all(|i| i.coverage == Coverage::National));
    }

    #[test]
    fn coverage_names_its_area_as_a_ubigeo() {
        assert_eq!(
            Coverage::Department("15".into()).ubigeo().as_deref(),
            Some("150000")
        );
        assert_eq!(
            Coverage::Province("1501".into()).ubigeo().as_deref(),
            Some("150100")
        );
        assert_eq!(
            Coverage::District("150101".into()).ubigeo().as_deref(),
            Some("150101")
        );
        assert_eq!(Coverage::National.ubigeo(), None);
        assert_eq!(Coverage::Country("AR".into()).ubigeo(), None);
    }

    #[test]
    fn coverage_reads_as_packs_write_it() {
        let parse = |text: &str| Coverage::parse(text);
        assert_eq!(parse("national"), Ok(Coverage::National));
        assert_eq!(parse("17"), Ok(Coverage::Department("17".into())));
        assert_eq!(parse("170000"), Ok(Coverage::Department("17".into())));
        assert_eq!(parse("1701"), Ok(Coverage::Province("1701".into())));
        assert_eq!(parse("170100"), Ok(Coverage::Province("1701".into())));
        assert_eq!(parse("170101"), Ok(Coverage::District("170101".into())));
        assert_eq!(parse("AR"), Ok(Coverage::Country("AR".into())));
        assert_eq!(parse("100000"), Ok(Coverage::Department("10".into())));
        assert_eq!(parse("1001"), Ok(Coverage::Province("1001".into())));
        for bad in [
            "", "National", "99", "1700", "150001", "17010", "PE", "QQ", "ar",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        for text in ["national", "17", "1701", "170101", "AR"] {
            assert_eq!(
                parse(text).map(|c| c.code().to_owned()),
                Ok(text.to_owned())
            );
        }
    }

    #[test]
    fn a_country_abroad_is_served_by_what_covers_it_first() {
        let mut directory = LOCAL.to_vec();
        directory.push(built_in(
            "CONSUL_BUENOS_AIRES",
            "b",
            "CONSULATE_PE",
            Coverage::Country(Cow::Borrowed("AR")),
            "",
        ));
        let found = suggest_in(&directory, Some(&place("AR")), None);
        assert_eq!(ids(&found)[..2], ["CONSULATES", "CONSUL_BUENOS_AIRES"]);
        let found = suggest_in(&directory, Some(&place("AR")), Some("CONSULATE_PE"));
        assert_eq!(ids(&found), ["CONSULATES", "CONSUL_BUENOS_AIRES"]);
        let found = suggest_in(&directory, Some(&place("CL")), None);
        assert!(!ids(&found).contains(&"CONSUL_BUENOS_AIRES"));
    }

    #[test]
    fn escalation_offers_the_next_institution_for_the_place() {
        let local = |id: &str, coverage: Coverage| Institution {
            id: Cow::Owned(id.to_owned()),
            name: Cow::Owned(format!("Comisaría {id}")),
            target_type: Cow::Borrowed("PNP_STATION"),
            coverage,
            phone: Cow::Borrowed("000-1"),
            hours: Cow::Borrowed(""),
            last_verified: Cow::Borrowed(""),
        };
        let directory = Directory::new(
            vec![
                local("PERU", Coverage::National),
                local("MADRE_DE_DIOS", Coverage::Department(Cow::Borrowed("17"))),
                local("HUEPETUHE", Coverage::District(Cow::Borrowed("170204"))),
            ],
            Vec::new(),
        );
        let huepetuhe = place("170204");
        let next = |silent: &str| {
            directory
                .escalation(Some(&huepetuhe), "PNP_STATION", silent)
                .map(|i| i.id.to_string())
        };
        // Most local first: the district's, then the department's, then the country's.
        assert_eq!(next("HUEPETUHE").as_deref(), Some("MADRE_DE_DIOS"));
        assert_eq!(next("Comisaría MADRE_DE_DIOS").as_deref(), Some("PERU"));
        assert_eq!(next("PERU"), None, "nobody after the last");
        assert_eq!(next("somebody else").as_deref(), Some("HUEPETUHE"));
    }

    #[test]
    fn a_directory_without_institutions_or_scripts_keeps_the_built_in_ones() {
        let directory = Directory::new(Vec::new(), Vec::new());
        assert_eq!(directory, Directory::built_in());
        let directory = Directory::new(LOCAL.to_vec(), Vec::new());
        assert_eq!(directory.institutions(), LOCAL);
        assert_eq!(directory.scripts(), SCRIPTS);
        let found = directory.suggest(Some(&place("150101")), Some("MIMP_CEM"));
        assert_eq!(ids(&found), ["LIMA_PROV", "NATIONAL_CEM"]);
    }

    #[test]
    fn a_script_without_the_operator_s_language_reads_in_spanish() {
        let script = Script {
            topic: "TIP_DEFINITION".into(),
            es: "Hola.".into(),
            en: "".into(),
            fr: "Bonjour.".into(),
        };
        assert_eq!(script.text(Lang::En), "Hola.");
        assert_eq!(script.text(Lang::Fr), "Bonjour.");
        let only_english = Script {
            es: "".into(),
            en: "Hello.".into(),
            ..script
        };
        assert_eq!(only_english.text(Lang::Es), "Hello.");
    }

    #[test]
    fn every_institution_has_a_valid_type_a_unique_id_and_a_real_area() {
        let mut seen = std::collections::HashSet::new();
        for institution in INSTITUTIONS {
            assert!(seen.insert(&institution.id), "{} twice", institution.id);
            assert!(
                institution
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                institution.id
            );
            assert!(
                codes::REFERRAL_TARGET_TYPE.accepts(&institution.target_type),
                "{}: {}",
                institution.id,
                institution.target_type
            );
            assert!(!institution.name.is_empty());
            if let Some(code) = institution.coverage.ubigeo() {
                assert!(code.parse::<Place>().is_ok(), "{}: {code}", institution.id);
                assert!(places::department_name(&code[..2]).is_some());
            }
            // Built-in entries were never checked by central, and carry no hours.
            assert_eq!(institution.last_verified, "");
            assert_eq!(institution.hours, "");
        }
        assert_eq!(
            institution("DIRCTPTIM").map(|i| i.target_type.as_ref()),
            Some("PNP_TRAFFICKING")
        );
    }

    #[test]
    fn an_emergency_lists_the_most_local_police_and_cem_with_a_phone() {
        let local = |id: &'static str, target_type: &'static str, coverage, phone| {
            built_in(id, id, target_type, coverage, phone)
        };
        let directory = Directory::new(
            vec![
                local("PNP_105", "PNP_EMERGENCY", Coverage::National, "105"),
                local("CEM_17", "MIMP_CEM", Coverage::Department("17".into()), "2"),
                local(
                    "PNP_17",
                    "PNP_STATION",
                    Coverage::Department("17".into()),
                    "3",
                ),
                local(
                    "PNP_1702",
                    "PNP_STATION",
                    Coverage::Province("1702".into()),
                    "",
                ),
                local(
                    "PNP_170204",
                    "PNP_STATION",
                    Coverage::District("170204".into()),
                    "4",
                ),
                local(
                    "PNP_15",
                    "PNP_STATION",
                    Coverage::Department("15".into()),
                    "5",
                ),
            ],
            Vec::new(),
        );
        let ids = |place: &str| -> Vec<String> {
            let place: Place = place.parse().unwrap();
            directory
                .local_emergency(&place)
                .iter()
                .map(|i| i.id.to_string())
                .collect()
        };
        assert_eq!(ids("170204"), ["PNP_170204", "CEM_17"]);
        // Elsewhere in the department, the department's station; a province's without a
        // phone is passed over.
        assert_eq!(ids("170201"), ["PNP_17", "CEM_17"]);
        assert_eq!(ids("080101"), Vec::<String>::new());
        // The built-in directory has no local service.
        let place: Place = "170204".parse().unwrap();
        assert!(Directory::built_in().local_emergency(&place).is_empty());
    }

    #[test]
    fn built_in_phones_are_only_the_ones_taxonomy_gives() {
        let given = ["105", "100", "1818", "0800-15-170"];
        for institution in INSTITUTIONS {
            assert!(
                institution.phone.is_empty() || given.contains(&institution.phone.as_ref()),
                "{}: {}",
                institution.id,
                institution.phone
            );
        }
        // The emergency contacts of the call form say the same.
        for (name, phone) in EMERGENCY_CONTACTS {
            assert!(
                phone.is_empty() || INSTITUTIONS.iter().any(|i| i.phone == *phone),
                "{name}: {phone}"
            );
        }
    }

    #[test]
    fn every_script_has_a_valid_topic_and_three_languages() {
        let mut seen = std::collections::HashSet::new();
        for script in SCRIPTS {
            assert!(seen.insert(&script.topic), "{} twice", script.topic);
            assert!(codes::INFO_TOPIC.accepts(&script.topic), "{}", script.topic);
            for lang in Lang::ALL {
                let text = script.text(lang);
                assert!(!text.trim().is_empty(), "{} {lang}", script.topic);
                // Read aloud in one go: a handful of sentences, not a leaflet.
                let sentences = text.matches(". ").count() + 1;
                assert!(
                    (4..=8).contains(&sentences),
                    "{} {lang}: {sentences}",
                    script.topic
                );
            }
        }
        for topic in [
            "TIP_DEFINITION",
            "HOW_TO_REPORT",
            "SAFE_MIGRATION",
            "JOB_OFFER_VERIFY",
            "RIGHTS_OF_VICTIMS",
            "SAFETY_PLANNING",
        ] {
            assert!(script(topic).is_some(), "{topic}");
        }
    }

    #[test]
    fn scripts_mention_no_number_but_the_national_lines() {
        // The lines, the law, and the age of majority.
        let allowed = ["105", "100", "1818", "28950", "18"];
        for script in SCRIPTS {
            for lang in Lang::ALL {
                let numbers = script
                    .text(lang)
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|digits| !digits.is_empty());
                for number in numbers {
                    assert!(
                        allowed.contains(&number),
                        "{} {lang}: {number}",
                        script.topic
                    );
                }
            }
        }
    }
}
