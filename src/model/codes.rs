//! The built-in, versioned code lists (the taxonomy of `shared/design/TAXONOMY.md`).
//!
//! Every categorical field in a record holds a stable code from one of these lists. A code is
//! uppercase ASCII (`[A-Z0-9_]`, at most 20 characters) and is never reused or renamed: a code that
//! is no longer wanted is marked inactive, so old records keep a label for it while new input may
//! not use it. Labels exist in Spanish, English and French. Where TAXONOMY.md gives an English or
//! Spanish label it is used word for word; the labels it leaves out, and all French labels, are
//! ours. Reference packs from central may add codes and labels but never change what a code means.
//!
//! Lists marked "local" are not in TAXONOMY.md; they are linea's own.

use super::Lang;

/// Bumped whenever a built-in list gains a code or a code is retired.
pub const CODE_LISTS_VERSION: u32 = 1;

/// One code of a list, with its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeEntry {
    pub code: &'static str,
    pub en: &'static str,
    pub es: &'static str,
    pub fr: &'static str,
    /// Retired codes stay (old records keep them) but new input may not use them.
    pub active: bool,
}

impl CodeEntry {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Es => self.es,
            Lang::En => self.en,
            Lang::Fr => self.fr,
        }
    }
}

/// A named list of codes, in display order.
#[derive(Debug)]
pub struct CodeList {
    /// The list's name as in TAXONOMY.md, e.g. "contact_channel".
    pub name: &'static str,
    pub entries: &'static [CodeEntry],
}

impl CodeList {
    /// The entry for `code`, active or retired.
    pub fn get(&self, code: &str) -> Option<&'static CodeEntry> {
        self.entries.iter().find(|entry| entry.code == code)
    }

    /// Whether new input may use `code`: it exists and is active.
    pub fn accepts(&self, code: &str) -> bool {
        self.get(code).is_some_and(|entry| entry.active)
    }

    /// The codes new input may use, in table order.
    pub fn active_codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries
            .iter()
            .filter(|entry| entry.active)
            .map(|entry| entry.code)
    }

    /// The label of `code` in `lang`, retired codes included.
    pub fn label(&self, code: &str, lang: Lang) -> Option<&'static str> {
        self.get(code).map(|entry| entry.label(lang))
    }
}

/// An active entry: code, English, Spanish, French.
const fn e(code: &'static str, en: &'static str, es: &'static str, fr: &'static str) -> CodeEntry {
    CodeEntry {
        code,
        en,
        es,
        fr,
        active: true,
    }
}

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

/// How the contact reached the hotline (TAXONOMY.md §1 `contact_channel`; NHTH contact methods).
pub static CONTACT_CHANNEL: CodeList = CodeList {
    name: "contact_channel",
    entries: &[
        e(
            "PHONE",
            "Phone call",
            "Llamada telefónica",
            "Appel téléphonique",
        ),
        e("SMS", "Text message", "Mensaje de texto (SMS)", "SMS"),
        e(
            "WHATSAPP",
            "WhatsApp / messaging app",
            "WhatsApp / mensajería",
            "WhatsApp / messagerie instantanée",
        ),
        e("CHAT", "Web chat", "Chat web", "Chat en ligne"),
        e("EMAIL", "E-mail", "Correo electrónico", "Courriel"),
        e(
            "WEBFORM",
            "Web form / app report",
            "Formulario web / aplicativo",
            "Formulaire en ligne / application",
        ),
        e(
            "SOCIAL",
            "Social media message",
            "Redes sociales",
            "Message sur les réseaux sociaux",
        ),
        e(
            "IN_PERSON",
            "In person (walk-in)",
            "Presencial",
            "En personne (sans rendez-vous)",
        ),
        // HTCDS `cas_ReferringOrganisation`.
        e(
            "INST_REFERRAL",
            "Referral from another institution",
            "Derivación de otra institución",
            "Orientation par une autre institution",
        ),
        e(
            "OUTBOUND",
            "Outbound follow-up call",
            "Llamada de seguimiento (saliente)",
            "Appel de suivi sortant",
        ),
        e("OTHER", "Other", "Otro", "Autre"),
    ],
};

/// Who is contacting the hotline (TAXONOMY.md §2 `caller_type`; CHI/Aselo, NHTH, HTCDS `org_Type`).
pub static CALLER_TYPE: CodeList = CodeList {
    name: "caller_type",
    entries: &[
        e(
            "VICTIM_SELF",
            "Potential victim/survivor (about self)",
            "Presunta víctima / sobreviviente (sobre sí misma)",
            "Victime potentielle ou survivante (pour elle-même)",
        ),
        e(
            "FAMILY",
            "Family member",
            "Familiar",
            "Membre de la famille",
        ),
        e(
            "PARTNER",
            "Partner / spouse",
            "Pareja / cónyuge",
            "Partenaire / conjoint(e)",
        ),
        e(
            "FRIEND",
            "Friend / acquaintance",
            "Amigo/a o conocido/a",
            "Ami(e) ou connaissance",
        ),
        e(
            "COMMUNITY",
            "Community member / member of the public",
            "Miembro de la comunidad / ciudadano/a",
            "Membre de la communauté / particulier",
        ),
        e(
            "EMPLOYER_BUSINESS",
            "Employer / business",
            "Empleador / empresa",
            "Employeur / entreprise",
        ),
        e(
            "NGO_SERVICE",
            "NGO / service provider",
            "ONG / proveedor de servicios",
            "ONG / structure d'accompagnement",
        ),
        e("POLICE", "Police", "Policía (PNP)", "Police (PNP)"),
        e(
            "PROSECUTOR_JUDICIAL",
            "Prosecutor / judiciary",
            "Fiscalía / Poder Judicial",
            "Parquet / autorité judiciaire",
        ),
        e(
            "GOV_OFFICIAL",
            "Other government official",
            "Funcionario/a público/a (otro)",
            "Autre agent(e) de l'État",
        ),
        e(
            "LABOUR_INSPECTOR",
            "Labour inspector",
            "Inspector/a de trabajo",
            "Inspecteur/inspectrice du travail",
        ),
        e(
            "HEALTH_WORKER",
            "Health professional",
            "Personal de salud",
            "Professionnel(le) de santé",
        ),
        e(
            "EDUCATOR",
            "Teacher / school staff",
            "Docente / personal educativo",
            "Enseignant(e) / personnel scolaire",
        ),
        e(
            "LEGAL",
            "Lawyer / legal service",
            "Abogado/a / servicio legal",
            "Avocat(e) / service juridique",
        ),
        e(
            "CONSULAR_MIGRATION",
            "Consulate / migration official",
            "Consulado / autoridad migratoria",
            "Consulat / autorité migratoire",
        ),
        e(
            "MEDIA_RESEARCH",
            "Media / researcher / student",
            "Prensa / investigador/a / estudiante",
            "Médias / chercheur(se) / étudiant(e)",
        ),
        e(
            "SUSPECT",
            "Suspected perpetrator / recruiter",
            "Presunto/a tratante o captador/a",
            "Auteur présumé / recruteur",
        ),
        e(
            "ANONYMOUS",
            "Anonymous (declined to say)",
            "Anónimo (no indica)",
            "Anonyme (ne souhaite pas le dire)",
        ),
        e("OTHER", "Other", "Otro", "Autre"),
        e(
            "UNKNOWN",
            "Unknown (non-substantive)",
            "Desconocido",
            "Inconnu (contact sans objet)",
        ),
    ],
};

/// Why the person is contacting the hotline (TAXONOMY.md §3 `contact_reason`; NHTH contact types,
/// CHI/Aselo non-substantive contacts).
///
/// `NS_*` (non-substantive) contacts must not create a case, and their PII must not be stored.
pub static CONTACT_REASON: CodeList = CodeList {
    name: "contact_reason",
    entries: &[
        e(
            "CRISIS",
            "Crisis: person in immediate danger / needs response within 24 h",
            "Crisis: persona en peligro inminente / requiere respuesta en 24 h",
            "Crise : personne en danger immédiat / réponse nécessaire sous 24 h",
        ),
        e(
            "TIP",
            "Report of a possible trafficking situation (no immediate danger)",
            "Reporte/denuncia de posible situación de trata (sin peligro inminente)",
            "Signalement d'une situation possible de traite (sans danger immédiat)",
        ),
        e(
            "SERVICE_REQUEST",
            "Request for services/referral for a potential victim",
            "Solicitud de servicios / derivación para presunta víctima",
            "Demande de services ou d'orientation pour une victime potentielle",
        ),
        e(
            "MISSING_PERSON",
            "Missing person possibly linked to trafficking",
            "Persona desaparecida posiblemente vinculada a trata",
            "Personne disparue, possiblement en lien avec la traite",
        ),
        e(
            "JOB_OFFER_CHECK",
            "Verify a job/travel/study offer (prevention)",
            "Verificar oferta de trabajo, viaje o estudio (prevención)",
            "Vérifier une offre d'emploi, de voyage ou d'études (prévention)",
        ),
        e(
            "SMUGGLING",
            "Migrant smuggling concern",
            "Tráfico ilícito de migrantes",
            "Trafic illicite de migrants",
        ),
        e(
            "LABOUR_ABUSE",
            "Labour rights abuse without trafficking indicators",
            "Vulneración de derechos laborales sin indicios de trata",
            "Atteinte aux droits du travail sans indice de traite",
        ),
        e(
            "RELATED_VIOLENCE",
            "Sexual/domestic violence, child abuse, other related crime, no TIP indicators",
            "Violencia sexual/familiar, maltrato infantil u otro delito conexo, sin indicios de trata",
            "Violences sexuelles ou intrafamiliales, maltraitance d'enfant ou autre infraction \
             connexe, sans indice de traite",
        ),
        e(
            "GENERAL_INFO",
            "General information about trafficking",
            "Información general sobre trata",
            "Information générale sur la traite",
        ),
        e(
            "TRAINING_REQUEST",
            "Training / talk / materials request",
            "Solicitud de capacitación, charla o materiales",
            "Demande de formation, d'intervention ou de supports",
        ),
        e(
            "FOLLOW_UP",
            "Follow-up on an existing case",
            "Seguimiento de caso existente",
            "Suivi d'un dossier existant",
        ),
        e(
            "FEEDBACK_COMPLAINT",
            "Feedback or complaint about the service",
            "Sugerencia o queja sobre el servicio",
            "Avis ou réclamation sur le service",
        ),
        e(
            "OUT_OF_SCOPE",
            "Unrelated request (other topic)",
            "Consulta no relacionada (otro tema)",
            "Demande sans rapport (autre sujet)",
        ),
        e(
            "NS_SILENT",
            "Silent call",
            "Llamada en silencio",
            "Appel muet",
        ),
        e(
            "NS_HANGUP",
            "Hang-up / dropped before contact",
            "Se cortó la comunicación",
            "Raccroché / coupé avant l'échange",
        ),
        e("NS_PRANK", "Prank / joke", "Broma", "Canular / blague"),
        e(
            "NS_WRONG_NUMBER",
            "Wrong number",
            "Número equivocado",
            "Erreur de numéro",
        ),
        e("NS_TEST", "Test call", "Llamada de prueba", "Appel de test"),
        e(
            "NS_ABUSIVE",
            "Abusive / harassing caller",
            "Llamada abusiva / acosadora",
            "Appel injurieux / harcelant",
        ),
    ],
};

// ---------------------------------------------------------------------------------------------
// Exploitation
// ---------------------------------------------------------------------------------------------

/// Forms of exploitation, multi-select (TAXONOMY.md §4 `exploitation_type`; HTCDS
/// `vic_TypeOfExploitation`, CTDC, Código Penal art. 129-A).
pub static EXPLOITATION_TYPE: CodeList = CodeList {
    name: "exploitation_type",
    entries: &[
        e(
            "SEXUAL",
            "Sexual exploitation",
            "Explotación sexual (incl. prostitución)",
            "Exploitation sexuelle (y compris la prostitution)",
        ),
        e(
            "LABOUR",
            "Labour exploitation / forced labour",
            "Explotación laboral / trabajos o servicios forzados",
            "Exploitation par le travail / travail forcé",
        ),
        e(
            "SERVITUDE",
            "Servitude (incl. domestic servitude)",
            "Servidumbre (incl. servidumbre doméstica)",
            "Servitude (y compris la servitude domestique)",
        ),
        e(
            "SLAVERY",
            "Slavery or practices similar to slavery",
            "Esclavitud o prácticas análogas",
            "Esclavage ou pratiques analogues",
        ),
        e(
            "BEGGING",
            "Forced begging",
            "Mendicidad",
            "Mendicité forcée",
        ),
        e(
            "CHILD_LABOUR",
            "Child labour (worst forms)",
            "Trabajo infantil (peores formas)",
            "Travail des enfants (pires formes)",
        ),
        e(
            "CHILD_SALE",
            "Sale of children",
            "Venta de niños, niñas o adolescentes",
            "Vente d'enfants",
        ),
        e(
            "FORCED_ADOPTION",
            "Forced/illegal adoption",
            "Adopción forzada o irregular",
            "Adoption forcée ou illégale",
        ),
        e(
            "FORCED_MARRIAGE",
            "Forced/servile marriage or union",
            "Matrimonio o unión forzada/servil",
            "Mariage ou union forcés ou serviles",
        ),
        e(
            "FORCED_CRIME",
            "Forced criminality (e.g. drug transport, theft)",
            "Actividades delictivas forzadas (p. ej. transporte de drogas)",
            "Criminalité forcée (p. ex. transport de drogue, vol)",
        ),
        e(
            "ARMED_RECRUIT",
            "Forced recruitment by non-state armed groups",
            "Reclutamiento forzado por grupos armados no estatales",
            "Recrutement forcé par des groupes armés non étatiques",
        ),
        e(
            "ORGAN_REMOVAL",
            "Removal of/trafficking in organs or tissues",
            "Extracción o tráfico de órganos o tejidos",
            "Prélèvement ou trafic d'organes ou de tissus",
        ),
        e(
            "SURROGACY",
            "Forced surrogacy",
            "Gestación subrogada forzada",
            "Gestation pour autrui forcée",
        ),
        e(
            "OTHER",
            "Other analogous form",
            "Otra forma análoga de explotación",
            "Autre forme analogue d'exploitation",
        ),
        e(
            "UNKNOWN",
            "Not yet known",
            "Aún no determinada",
            "Pas encore déterminée",
        ),
    ],
};

/// Kinds of sexual exploitation, a sub-list of `SEXUAL` (TAXONOMY.md §4; HTCDS
/// `vic_TypeOfSexExploitation`). `PORNOGRAPHY` of a minor is child sexual abuse material.
pub static SEXUAL_EXPLOITATION_TYPE: CodeList = CodeList {
    name: "sexual_exploitation_type",
    entries: &[
        // HTCDS `Prostitution`.
        e(
            "PROSTITUTION",
            "Prostitution",
            "Prostitución",
            "Prostitution",
        ),
        // HTCDS `Pornography`.
        e("PORNOGRAPHY", "Pornography", "Pornografía", "Pornographie"),
        // HTCDS `RemoteInteractiveServices`.
        e(
            "REMOTE_SEX",
            "Remote/online sexual services",
            "Explotación sexual en línea / webcam",
            "Exploitation sexuelle en ligne / webcam",
        ),
        // HTCDS `PrivateSexualServices`.
        e(
            "PRIVATE_SEX",
            "Private sexual servitude",
            "Servicios sexuales privados",
            "Servitude sexuelle privée",
        ),
    ],
};

/// Sector of labour exploitation: the 21 sections of ISIC Rev.4 (TAXONOMY.md §4; HTCDS
/// `vic_ForcedLabourIndustry`, whose values start with the section letter).
///
/// English: ISIC Rev.4 section titles. Spanish: CIIU Rev.4 section titles as used by INEI.
/// French: the NAF rév. 2 / NACE Rev. 2 section titles, which match ISIC Rev.4 section for section.
pub static LABOUR_SECTOR: CodeList = CodeList {
    name: "labour_sector",
    entries: &[
        e(
            "A",
            "Agriculture, forestry and fishing",
            "Agricultura, ganadería, silvicultura y pesca",
            "Agriculture, sylviculture et pêche",
        ),
        e(
            "B",
            "Mining and quarrying",
            "Explotación de minas y canteras",
            "Industries extractives",
        ),
        e(
            "C",
            "Manufacturing",
            "Industrias manufactureras",
            "Industrie manufacturière",
        ),
        e(
            "D",
            "Electricity, gas, steam and air conditioning supply",
            "Suministro de electricidad, gas, vapor y aire acondicionado",
            "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
        ),
        e(
            "E",
            "Water supply; sewerage, waste management and remediation activities",
            "Suministro de agua; evacuación de aguas residuales, gestión de desechos y \
             descontaminación",
            "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
        ),
        e("F", "Construction", "Construcción", "Construction"),
        e(
            "G",
            "Wholesale and retail trade; repair of motor vehicles and motorcycles",
            "Comercio al por mayor y al por menor; reparación de vehículos automotores y \
             motocicletas",
            "Commerce ; réparation d'automobiles et de motocycles",
        ),
        e(
            "H",
            "Transportation and storage",
            "Transporte y almacenamiento",
            "Transports et entreposage",
        ),
        e(
            "I",
            "Accommodation and food service activities",
            "Actividades de alojamiento y de servicio de comidas",
            "Hébergement et restauration",
        ),
        e(
            "J",
            "Information and communication",
            "Información y comunicaciones",
            "Information et communication",
        ),
        e(
            "K",
            "Financial and insurance activities",
            "Actividades financieras y de seguros",
            "Activités financières et d'assurance",
        ),
        e(
            "L",
            "Real estate activities",
            "Actividades inmobiliarias",
            "Activités immobilières",
        ),
        e(
            "M",
            "Professional, scientific and technical activities",
            "Actividades profesionales, científicas y técnicas",
            "Activités spécialisées, scientifiques et techniques",
        ),
        e(
            "N",
            "Administrative and support service activities",
            "Actividades de servicios administrativos y de apoyo",
            "Activités de services administratifs et de soutien",
        ),
        e(
            "O",
            "Public administration and defence; compulsory social security",
            "Administración pública y defensa; planes de seguridad social de afiliación \
             obligatoria",
            "Administration publique et défense ; sécurité sociale obligatoire",
        ),
        e("P", "Education", "Enseñanza", "Enseignement"),
        e(
            "Q",
            "Human health and social work activities",
            "Actividades de atención de la salud humana y de asistencia social",
            "Santé humaine et action sociale",
        ),
        e(
            "R",
            "Arts, entertainment and recreation",
            "Actividades artísticas, de entretenimiento y recreativas",
            "Arts, spectacles et activités récréatives",
        ),
        e(
            "S",
            "Other service activities",
            "Otras actividades de servicios",
            "Autres activités de services",
        ),
        e(
            "T",
            "Activities of households as employers; undifferentiated goods- and \
             services-producing activities of households for own use",
            "Actividades de los hogares como empleadores; actividades no diferenciadas de los \
             hogares como productores de bienes y servicios para uso propio",
            "Activités des ménages en tant qu'employeurs ; activités indifférenciées des ménages \
             en tant que producteurs de biens et services pour usage propre",
        ),
        e(
            "U",
            "Activities of extraterritorial organizations and bodies",
            "Actividades de organizaciones y órganos extraterritoriales",
            "Activités extraterritoriales",
        ),
    ],
};

/// Optional, non-standard context tags refining the labour sector (TAXONOMY.md §4).
pub static CONTEXT_TAG: CodeList = CodeList {
    name: "context_tag",
    entries: &[
        e(
            "CTX_GOLD_MINING",
            "Gold mining (incl. illegal or informal)",
            "Minería aurífera (incl. ilegal o informal)",
            "Orpaillage (y compris illégal ou informel)",
        ),
        e(
            "CTX_LOGGING",
            "Logging",
            "Tala / extracción forestal",
            "Exploitation forestière",
        ),
        e(
            "CTX_BAR_CANTINA",
            "Bar, cantina or nightclub",
            "Bar, cantina o discoteca",
            "Bar, cantina ou boîte de nuit",
        ),
        e(
            "CTX_DOMESTIC",
            "Domestic work",
            "Trabajo del hogar",
            "Travail domestique",
        ),
        e("CTX_BRICK_KILN", "Brick kiln", "Ladrillera", "Briqueterie"),
        e("CTX_FISHING", "Fishing", "Pesca", "Pêche"),
        e(
            "CTX_STREET",
            "Street vending / street work",
            "Comercio ambulatorio / trabajo en la calle",
            "Vente ambulante / travail de rue",
        ),
    ],
};

/// Stage of the trafficking process an event or place belongs to (TAXONOMY.md §4; HTCDS
/// `hte_Type`).
pub static TRAFFICKING_STAGE: CodeList = CodeList {
    name: "trafficking_stage",
    entries: &[
        e("RECRUITMENT", "Recruitment", "Captación", "Recrutement"),
        e(
            "TRANSIT",
            "Transit/transport",
            "Traslado/tránsito",
            "Transport/transit",
        ),
        e(
            "EXPLOITATION",
            "Exploitation",
            "Explotación",
            "Exploitation",
        ),
    ],
};

/// Means of control used by the exploiters, multi-select (TAXONOMY.md §5; HTCDS
/// `vic_MethodsOfControl`, whose value names are in the comments). TAXONOMY.md §5 gives the
/// collapse into CTDC's `means*` variables.
pub static MEANS_OF_CONTROL: CodeList = CodeList {
    name: "means_of_control",
    entries: &[
        // HTCDS `PhysicalThreats`.
        e(
            "THREATS_PHYSICAL",
            "Threats of harm",
            "Amenazas de daño",
            "Menaces de violence",
        ),
        // HTCDS `ThreatsLawEnforcement`.
        e(
            "THREATS_AUTHORITIES",
            "Threat to denounce to police/migration",
            "Amenaza de denunciar ante policía o migraciones",
            "Menace de dénonciation à la police ou aux services de l'immigration",
        ),
        // HTCDS `ThreatensChildrenFamily`.
        e(
            "THREATS_FAMILY",
            "Threats against children/family",
            "Amenazas contra hijos/familia",
            "Menaces contre les enfants ou la famille",
        ),
        // HTCDS `DebtBondage`.
        e(
            "DEBT_BONDAGE",
            "Debt bondage",
            "Servidumbre por deudas / deuda impuesta",
            "Servitude pour dettes / dette imposée",
        ),
        // HTCDS `FalsePromises`.
        e(
            "FALSE_PROMISES",
            "False promises / deception",
            "Falsas promesas / engaño",
            "Fausses promesses / tromperie",
        ),
        // HTCDS `PhysicalAbuse`.
        e(
            "PHYSICAL_ABUSE",
            "Physical abuse",
            "Violencia física",
            "Violences physiques",
        ),
        // HTCDS `SexualAbuse`.
        e(
            "SEXUAL_ABUSE",
            "Sexual abuse (as control)",
            "Violencia sexual (como control)",
            "Violences sexuelles (comme moyen de contrôle)",
        ),
        // HTCDS `TakesEarnings`.
        e(
            "TAKES_EARNINGS",
            "Takes earnings",
            "Se apropian de sus ingresos",
            "Confiscation des revenus",
        ),
        // HTCDS `RestrictsFinancialAccess`.
        e(
            "RESTRICTS_FINANCE",
            "Restricts access to money/accounts",
            "Restringen acceso a su dinero/cuentas",
            "Restriction de l'accès à son argent ou à ses comptes",
        ),
        // HTCDS `RestrictsMedicalCare`.
        e(
            "RESTRICTS_MEDICAL",
            "Restricts medical care",
            "Restringen atención de salud",
            "Restriction de l'accès aux soins",
        ),
        // HTCDS `WithholdsNecessities`.
        e(
            "WITHHOLDS_NEEDS",
            "Withholds food/shelter/necessities",
            "Privación de alimentos, vivienda u otras necesidades",
            "Privation de nourriture, de logement ou d'autres besoins essentiels",
        ),
        // HTCDS `PsychologicalAbuse`.
        e(
            "PSYCH_ABUSE",
            "Psychological abuse",
            "Violencia psicológica",
            "Violences psychologiques",
        ),
        // HTCDS `PsychoactiveSubstance`.
        e(
            "SUBSTANCES",
            "Drugs/alcohol used for control",
            "Uso de drogas o alcohol para controlar",
            "Drogues ou alcool utilisés comme moyen de contrôle",
        ),
        // HTCDS `ExcessiveWorkingHours`.
        e(
            "EXCESSIVE_HOURS",
            "Excessive working hours",
            "Jornadas excesivas",
            "Horaires de travail excessifs",
        ),
        // HTCDS `WithholdsDocuments`.
        e(
            "WITHHOLDS_DOCS",
            "Withholds identity/travel documents",
            "Retención de documentos (DNI, pasaporte)",
            "Confiscation des papiers d'identité ou de voyage",
        ),
        // HTCDS Field Definitions `RestrictsMovement`; CTDC `meansOfControlRestrictsMovement`.
        e(
            "RESTRICTS_MOVEMENT",
            "Restricts movement / confinement",
            "Restricción de movimiento / encierro",
            "Restriction des déplacements / enfermement",
        ),
        // HTCDS Field Definitions `UsesChildren`; CTDC `meansOfControlUsesChildren`.
        e(
            "USES_CHILDREN",
            "Uses access to children as control",
            "Usan a los hijos como medio de control",
            "Utilisation des enfants comme moyen de contrôle",
        ),
        // HTCDS `Other`.
        e("OTHER", "Other", "Otro", "Autre"),
    ],
};

/// The operator's checklist of trafficking indicators, each answered with an
/// [`INDICATOR_ANSWER`] (TAXONOMY.md §6; ILO forced-labour indicators, ILO-EC Delphi, UNODC,
/// HTCDS, Código Penal art. 129-A).
pub static INDICATOR: CodeList = CodeList {
    name: "indicator",
    entries: &[
        e(
            "IND_DECEIVED",
            "Was deceived about the job, pay, conditions or destination",
            "Fue engañada/o sobre el trabajo, pago, condiciones o destino",
            "A été trompé(e) sur le travail, la rémunération, les conditions ou la destination",
        ),
        e(
            "IND_CANNOT_LEAVE",
            "Cannot leave / is locked in / watched",
            "No puede irse / está encerrada/o / vigilada/o",
            "Ne peut pas partir / est enfermé(e) / surveillé(e)",
        ),
        e(
            "IND_DOCS_HELD",
            "Someone else holds their ID/passport",
            "Otra persona retiene su DNI/pasaporte",
            "Une autre personne garde ses papiers d'identité ou son passeport",
        ),
        e(
            "IND_DEBT",
            "Owes a debt (travel, recruitment, lodging) that they must work off",
            "Tiene una deuda (pasaje, \"enganche\", alojamiento) que debe pagar trabajando",
            "A une dette (voyage, recrutement, logement) à rembourser en travaillant",
        ),
        e(
            "IND_UNPAID",
            "Wages withheld, not paid, or taken by others",
            "No le pagan, le retienen el sueldo o se lo quitan",
            "Salaire retenu, non versé ou pris par d'autres",
        ),
        e(
            "IND_VIOLENCE",
            "Physical or sexual violence",
            "Violencia física o sexual",
            "Violences physiques ou sexuelles",
        ),
        e(
            "IND_THREATS",
            "Threats against them or their family (incl. denunciation to authorities)",
            "Amenazas contra ella/él o su familia (incl. denunciarla/o ante autoridades)",
            "Menaces contre la personne ou sa famille (y compris de la dénoncer aux autorités)",
        ),
        e(
            "IND_ISOLATED",
            "Isolated: no contact with family, does not know where they are",
            "Aislada/o: sin contacto con su familia, no sabe dónde está",
            "Isolé(e) : sans contact avec sa famille, ne sait pas où il ou elle se trouve",
        ),
        e(
            "IND_EXCESS_HOURS",
            "Excessive hours / no rest days",
            "Jornadas excesivas / sin días de descanso",
            "Horaires excessifs / aucun jour de repos",
        ),
        e(
            "IND_BAD_CONDITIONS",
            "Degrading or hazardous living or working conditions",
            "Condiciones de vida o trabajo degradantes o peligrosas",
            "Conditions de vie ou de travail dégradantes ou dangereuses",
        ),
        e(
            "IND_VULNERABILITY",
            "Exploiter takes advantage of poverty, irregular status, language, disability or age",
            "Se aprovechan de su pobreza, situación migratoria irregular, idioma, discapacidad o \
             edad",
            "L'exploiteur profite de sa pauvreté, de sa situation irrégulière, de la barrière de \
             la langue, d'un handicap ou de son âge",
        ),
        e(
            "IND_NEEDS_DENIED",
            "Denied food, health care or other necessities",
            "Le niegan alimentos, atención de salud u otras necesidades",
            "Privé(e) de nourriture, de soins ou d'autres besoins essentiels",
        ),
        e(
            "IND_SUBSTANCES",
            "Made to use drugs/alcohol",
            "La/lo obligan o inducen a consumir drogas o alcohol",
            "Contraint(e) ou incité(e) à consommer de la drogue ou de l'alcool",
        ),
        e(
            "IND_CONTROLLED_COMMS",
            "Someone else speaks for them / controls phone or movements",
            "Otra persona habla por ella/él o controla su teléfono o salidas",
            "Une autre personne parle à sa place / contrôle son téléphone ou ses sorties",
        ),
        e(
            "IND_MINOR_EXPLOITED",
            "Minor in a bar, nightclub, sex trade, mining camp or hazardous work",
            "Menor de edad en bar, discoteca, comercio sexual, campamento minero o trabajo \
             peligroso",
            "Mineur(e) dans un bar, une boîte de nuit, le commerce du sexe, un campement minier \
             ou un travail dangereux",
        ),
    ],
};

/// The answer to one [`INDICATOR`] (TAXONOMY.md §6: "yes / no / unknown each").
pub static INDICATOR_ANSWER: CodeList = CodeList {
    name: "indicator_answer",
    entries: &[
        e("YES", "Yes", "Sí", "Oui"),
        e("NO", "No", "No", "Non"),
        e("UNKNOWN", "Unknown", "No se sabe", "Ne sait pas"),
    ],
};

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

/// Age band when the exact age is not known (TAXONOMY.md §7 `age_band`). The bands nest into
/// CTDC `ageBroad` and into Peru's split between children (under 12) and adolescents (12–17).
pub static AGE_BAND: CodeList = CodeList {
    name: "age_band",
    entries: &[
        // CTDC `0--8`.
        e("A00_08", "0–8 years", "0 a 8 años", "0 à 8 ans"),
        // CTDC `9--17` (A09_11, A12_13, A14_17).
        e("A09_11", "9–11", "9 a 11", "9 à 11 ans"),
        e("A12_13", "12–13", "12 a 13", "12 à 13 ans"),
        e("A14_17", "14–17", "14 a 17", "14 à 17 ans"),
        // CTDC `18--20`, `21--23`, `24--26`, `27--29`, `30--38`, `39--47`, `48+`.
        e("A18_20", "18–20", "18 a 20", "18 à 20 ans"),
        e("A21_23", "21–23", "21 a 23", "21 à 23 ans"),
        e("A24_26", "24–26", "24 a 26", "24 à 26 ans"),
        e("A27_29", "27–29", "27 a 29", "27 à 29 ans"),
        e("A30_38", "30–38", "30 a 38", "30 à 38 ans"),
        e("A39_47", "39–47", "39 a 47", "39 à 47 ans"),
        e("A48_PLUS", "48 or older", "48 a más", "48 ans et plus"),
        // CTDC `majorityStatus` only.
        e(
            "MINOR_UNSPEC",
            "Minor, age unknown",
            "Menor de edad, edad desconocida",
            "Mineur(e), âge inconnu",
        ),
        e(
            "ADULT_UNSPEC",
            "Adult, age unknown",
            "Mayor de edad, edad desconocida",
            "Majeur(e), âge inconnu",
        ),
        // CTDC `-99`.
        e("UNKNOWN", "Unknown", "Desconocida", "Inconnu"),
    ],
};

/// Whether the person is a minor, derived from the age or age band (TAXONOMY.md §7; CTDC
/// `majorityStatus`).
pub static MAJORITY_STATUS: CodeList = CodeList {
    name: "majority_status",
    entries: &[
        e("MINOR", "Minor", "Menor de edad", "Mineur(e)"),
        e("ADULT", "Adult", "Mayor de edad", "Majeur(e)"),
        e("UNKNOWN", "Unknown", "Desconocido", "Inconnu"),
    ],
};

/// Sex / gender (TAXONOMY.md §7 `gender`; HTCDS `prs_Gender`, in the comments).
pub static GENDER: CodeList = CodeList {
    name: "gender",
    entries: &[
        // HTCDS `Feminine`.
        e("F", "Female", "Femenino", "Féminin"),
        // HTCDS `Masculine`.
        e("M", "Male", "Masculino", "Masculin"),
        // HTCDS `TransgenderFeminine`.
        e("TF", "Trans woman", "Mujer trans", "Femme trans"),
        // HTCDS `TransgenderMasculine`.
        e("TM", "Trans man", "Hombre trans", "Homme trans"),
        // HTCDS `NonConforming`.
        e(
            "NC",
            "Non-conforming / non-binary",
            "No conforme / no binario",
            "Non conforme / non binaire",
        ),
        // HTCDS `NonSpecifiedUnknown`.
        e(
            "U",
            "Not specified / unknown",
            "No especificado / desconocido",
            "Non précisé / inconnu",
        ),
    ],
};

/// Migration or protection status (TAXONOMY.md §7, optional; the HTCDS guidance list "Migration
/// and International Protection"). Spanish labels are TAXONOMY.md's; English ones follow HTCDS.
pub static MIGRATION_STATUS: CodeList = CodeList {
    name: "migration_status",
    entries: &[
        e(
            "LABOUR_MIGRANT",
            "Labour migrant",
            "Migrante laboral",
            "Travailleur(se) migrant(e)",
        ),
        e(
            "IRREGULAR_MIGRANT",
            "Irregular migrant",
            "Migrante en situación irregular",
            "Migrant(e) en situation irrégulière",
        ),
        e(
            "ASYLUM_SEEKER",
            "Asylum seeker",
            "Solicitante de refugio",
            "Demandeur(se) d'asile",
        ),
        e("REFUGEE", "Refugee", "Refugiado/a", "Réfugié(e)"),
        e("STATELESS", "Stateless person", "Apátrida", "Apatride"),
        e(
            "UNACCOMPANIED_MINOR",
            "Unaccompanied or separated child",
            "Niño/a no acompañado/a o separado/a",
            "Enfant non accompagné(e) ou séparé(e)",
        ),
        e(
            "RETURNEE",
            "Returnee",
            "Retornado/a",
            "Migrant(e) de retour",
        ),
        e(
            "IDP",
            "Internally displaced person",
            "Desplazado/a interno/a",
            "Personne déplacée à l'intérieur de son pays",
        ),
        e("OTHER", "Other", "Otra", "Autre"),
        e("UNKNOWN", "Unknown", "Desconocida", "Inconnue"),
    ],
};

// ---------------------------------------------------------------------------------------------
// Response and referrals
// ---------------------------------------------------------------------------------------------

/// How fast the hotline must act (TAXONOMY.md §8 `urgency`; NHTH crisis/tip levels). Response
/// targets: U1 immediately (PNP 105 / DIRCTPTIM during the call), U2 within 24 h, U3 within 72 h,
/// U4 within 5 working days. A contact about a minor with an exploitation indicator is at least U2.
pub static URGENCY: CodeList = CodeList {
    name: "urgency",
    entries: &[
        e(
            "U1_EMERGENCY",
            "Emergency: imminent danger to life or safety",
            "Emergencia: peligro inminente para la vida o integridad",
            "Urgence absolue : danger imminent pour la vie ou l'intégrité physique",
        ),
        e(
            "U2_URGENT",
            "Urgent: response needed within 24 h",
            "Urgente: requiere respuesta dentro de 24 horas",
            "Urgent : réponse nécessaire sous 24 heures",
        ),
        e(
            "U3_PRIORITY",
            "Priority: active exploitation, no immediate danger",
            "Prioritaria: explotación en curso, sin peligro inminente",
            "Prioritaire : exploitation en cours, sans danger immédiat",
        ),
        e(
            "U4_ROUTINE",
            "Routine: information, prevention, follow-up",
            "Regular: información, prevención o seguimiento",
            "Ordinaire : information, prévention ou suivi",
        ),
    ],
};

/// Kind of institution a referral goes to (TAXONOMY.md §9 `referral_target_type`; HTCDS
/// `org_Type`). The institutions themselves, with phone numbers, belong in a reference pack's
/// directory, not here.
pub static REFERRAL_TARGET_TYPE: CodeList = CodeList {
    name: "referral_target_type",
    entries: &[
        e(
            "PNP_TRAFFICKING",
            "Police anti-trafficking unit (DIRCTPTIM / regional units)",
            "PNP – Dirección contra la Trata de Personas y Tráfico Ilícito de Migrantes \
             (DIRCTPTIM) y unidades desconcentradas",
            "Police – unité spécialisée contre la traite (DIRCTPTIM / unités régionales)",
        ),
        e(
            "PNP_STATION",
            "Local police station",
            "Comisaría PNP",
            "Commissariat de police (PNP)",
        ),
        e(
            "PNP_EMERGENCY",
            "Police emergency line 105",
            "Central de emergencias PNP 105",
            "Numéro d'urgence de la police (105)",
        ),
        e(
            "MP_FISTRAP",
            "Specialised trafficking prosecutor (FISTRAP)",
            "Fiscalía Especializada en Delitos de Trata de Personas (FISTRAP)",
            "Parquet spécialisé en traite des êtres humains (FISTRAP)",
        ),
        e(
            "MP_PROSECUTOR_OTHER",
            "Other prosecutor (criminal, family, mixed)",
            "Otra fiscalía (penal, de familia, mixta)",
            "Autre parquet (pénal, famille, mixte)",
        ),
        e(
            "MP_UDAVIT",
            "Victim and witness assistance unit",
            "Unidad de Asistencia a Víctimas y Testigos (UDAVIT/UAVIT)",
            "Unité d'aide aux victimes et aux témoins (UDAVIT/UAVIT)",
        ),
        e(
            "MIMP_UPE",
            "Child special-protection unit",
            "MIMP – Unidad de Protección Especial (UPE)",
            "MIMP – Unité de protection spéciale de l'enfance (UPE)",
        ),
        e(
            "MIMP_CEM",
            "Women's emergency centre / Línea 100",
            "MIMP – Centro Emergencia Mujer (CEM) / Línea 100 (Programa Aurora)",
            "MIMP – Centre d'urgence pour les femmes (CEM) / Ligne 100",
        ),
        e(
            "SHELTER",
            "Shelter / residential care",
            "Hogar de refugio temporal / Centro de Acogida Residencial (CAR)",
            "Foyer d'hébergement / accueil résidentiel (CAR)",
        ),
        e(
            "LABOUR_INSPECTION",
            "Labour inspection (SUNAFIL / regional labour directorate)",
            "Inspección del trabajo (SUNAFIL / Dirección Regional de Trabajo)",
            "Inspection du travail (SUNAFIL / direction régionale du travail)",
        ),
        e(
            "DEFENSORIA",
            "Ombudsman",
            "Defensoría del Pueblo",
            "Défenseur du peuple (Defensoría del Pueblo)",
        ),
        e(
            "CONSULATE_PE",
            "Peruvian consulate abroad",
            "Consulado del Perú en el exterior (RREE)",
            "Consulat du Pérou à l'étranger",
        ),
        e(
            "CONSULATE_FOREIGN",
            "Foreign consulate in Peru",
            "Consulado extranjero en el Perú",
            "Consulat étranger au Pérou",
        ),
        e(
            "MIGRATION",
            "Migration authority",
            "Superintendencia Nacional de Migraciones",
            "Autorité migratoire (Migraciones)",
        ),
        e(
            "LEGAL_AID",
            "Free legal aid (public defender / NGO)",
            "Asistencia legal gratuita (Defensa Pública MINJUSDH / ONG)",
            "Aide juridique gratuite (défense publique / ONG)",
        ),
        e(
            "HEALTH",
            "Health facility / mental health service",
            "Establecimiento de salud / salud mental (MINSA, EsSalud, DIRESA)",
            "Établissement de santé / service de santé mentale",
        ),
        e(
            "IDENTITY_DOCS",
            "Identity documents (RENIEC)",
            "Documentación e identidad (RENIEC)",
            "Papiers d'identité (RENIEC)",
        ),
        e(
            "LOCAL_GOV",
            "Regional/local government services (DEMUNA, regional networks)",
            "Gobierno regional/local (DEMUNA, redes regionales contra la trata)",
            "Services régionaux ou municipaux (DEMUNA, réseaux régionaux contre la traite)",
        ),
        e(
            "INTL_ORG",
            "International organisation (IOM, UNHCR, UNICEF…)",
            "Organismo internacional (OIM, ACNUR, UNICEF…)",
            "Organisation internationale (OIM, HCR, UNICEF…)",
        ),
        e(
            "NGO",
            "NGO / civil-society service",
            "ONG / sociedad civil",
            "ONG / société civile",
        ),
        e("OTHER", "Other", "Otra", "Autre"),
    ],
};

/// Where a referral stands (TAXONOMY.md §10 `referral_status`).
pub static REFERRAL_STATUS: CodeList = CodeList {
    name: "referral_status",
    entries: &[
        e("DRAFT", "Draft", "Borrador", "Brouillon"),
        e(
            "PENDING_CONSENT",
            "Awaiting consent to share",
            "Pendiente de consentimiento",
            "En attente du consentement au partage",
        ),
        e("SENT", "Sent", "Enviada", "Envoyée"),
        e(
            "ACKNOWLEDGED",
            "Receipt acknowledged",
            "Recepción confirmada",
            "Réception confirmée",
        ),
        e(
            "ACCEPTED",
            "Accepted by receiving institution",
            "Aceptada",
            "Acceptée par l'institution",
        ),
        e(
            "IN_PROGRESS",
            "Being attended",
            "En atención",
            "Prise en charge en cours",
        ),
        e(
            "COMPLETED",
            "Service provided / closed by receiver",
            "Atendida / concluida",
            "Prise en charge terminée / clôturée",
        ),
        e(
            "DECLINED",
            "Declined by receiving institution",
            "Rechazada por la institución",
            "Refusée par l'institution",
        ),
        e(
            "NO_RESPONSE",
            "No response after follow-up",
            "Sin respuesta",
            "Sans réponse après relance",
        ),
        e(
            "WITHDRAWN",
            "Withdrawn by the person (consent withdrawn)",
            "Retirada por la persona (retiro de consentimiento)",
            "Retirée par la personne (retrait du consentement)",
        ),
        e(
            "CANCELLED",
            "Cancelled by hotline",
            "Anulada",
            "Annulée par la ligne",
        ),
        e(
            "UNABLE_TO_CONTACT",
            "Person could not be reached",
            "No se pudo contactar a la persona",
            "Personne injoignable",
        ),
    ],
};

/// Why a referral is made (TAXONOMY.md §10 `referral_reason`; HTCDS
/// `cas_ReasonForOutgoingReferral`, plus the local `CRIMINAL_REPORT`).
pub static REFERRAL_REASON: CodeList = CodeList {
    name: "referral_reason",
    entries: &[
        // HTCDS `AdditionalServicesRequired`.
        e(
            "ADDITIONAL_SERVICES",
            "Additional services required",
            "Requiere servicios adicionales",
            "Services complémentaires nécessaires",
        ),
        // HTCDS `MigrationOrChangeOfLocation`.
        e(
            "RELOCATION",
            "Migration or change of location",
            "Migración o cambio de ubicación",
            "Migration ou changement de lieu",
        ),
        // Local extension.
        e(
            "CRIMINAL_REPORT",
            "Criminal report",
            "Denuncia penal",
            "Plainte pénale",
        ),
        // HTCDS `Other`.
        e("OTHER", "Other", "Otro", "Autre"),
    ],
};

/// The legal basis for sharing a person's data with the receiving institution (TAXONOMY.md §10
/// `sharing_basis`). A closed list on purpose: there is no `OTHER`.
pub static SHARING_BASIS: CodeList = CodeList {
    name: "sharing_basis",
    entries: &[
        e("CONSENT", "Consent", "Consentimiento", "Consentement"),
        e(
            "MINOR_PROTECTION",
            "Protection of a minor",
            "Protección de menor de edad",
            "Protection d'un(e) mineur(e)",
        ),
        e(
            "IMMINENT_DANGER",
            "Imminent danger",
            "Peligro inminente",
            "Danger imminent",
        ),
        e(
            "LEGAL_OBLIGATION",
            "Legal obligation",
            "Obligación legal",
            "Obligation légale",
        ),
    ],
};

/// How a referral was sent (local list, not in TAXONOMY.md).
pub static REFERRAL_METHOD: CodeList = CodeList {
    name: "referral_method",
    entries: &[
        e(
            "PHONE",
            "Phone call",
            "Llamada telefónica",
            "Appel téléphonique",
        ),
        e("EMAIL", "E-mail", "Correo electrónico", "Courriel"),
        e(
            "OFFICIAL_LETTER",
            "Official letter (oficio)",
            "Oficio",
            "Courrier officiel (oficio)",
        ),
        e("IN_PERSON", "In person", "Presencial", "En personne"),
        e(
            "WHATSAPP",
            "WhatsApp / messaging app",
            "WhatsApp / mensajería",
            "WhatsApp / messagerie instantanée",
        ),
        e(
            "ONLINE_SYSTEM",
            "Online system / virtual front desk",
            "Sistema en línea / mesa de partes virtual",
            "Plateforme en ligne / guichet virtuel",
        ),
        e(
            "WARM_TRANSFER",
            "Warm/live transfer during the call",
            "Transferencia en línea durante la llamada (derivación en caliente)",
            "Transfert direct pendant l'appel (mise en relation)",
        ),
        e("OTHER", "Other", "Otro", "Autre"),
    ],
};

/// What came of a contact, multi-select (TAXONOMY.md §11 `call_outcome`; NHTH, OTIP, HTCDS).
pub static CALL_OUTCOME: CodeList = CodeList {
    name: "call_outcome",
    entries: &[
        e(
            "INFO_GIVEN",
            "Information/orientation given",
            "Se brindó información/orientación",
            "Information / conseils donnés",
        ),
        e(
            "SAFETY_PLAN",
            "Safety plan discussed",
            "Se elaboró plan de seguridad",
            "Plan de mise en sécurité discuté",
        ),
        e(
            "REFERRED",
            "Referral(s) made",
            "Se realizó derivación",
            "Orientation(s) effectuée(s)",
        ),
        e(
            "WARM_TRANSFER",
            "Warm/live transfer to institution",
            "Transferencia en línea a institución (\"derivación en caliente\")",
            "Transfert direct vers une institution (mise en relation pendant l'appel)",
        ),
        e(
            "LE_REPORTED",
            "Reported to police/prosecutor",
            "Se reportó a PNP/Fiscalía",
            "Signalement à la police ou au parquet",
        ),
        e(
            "EMERGENCY_DISPATCH",
            "Emergency response requested",
            "Se solicitó intervención de emergencia",
            "Intervention d'urgence demandée",
        ),
        e(
            "SHELTER_REQUESTED",
            "Emergency shelter requested",
            "Se solicitó albergue de emergencia",
            "Hébergement d'urgence demandé",
        ),
        e(
            "TRANSPORT_REQUESTED",
            "Transport requested",
            "Se solicitó traslado",
            "Transport demandé",
        ),
        e(
            "CASE_OPENED",
            "New case opened",
            "Se abrió caso nuevo",
            "Nouveau dossier ouvert",
        ),
        e(
            "CASE_UPDATED",
            "Existing case updated",
            "Se actualizó caso existente",
            "Dossier existant mis à jour",
        ),
        e(
            "FOLLOW_UP_SCHEDULED",
            "Follow-up scheduled (with consent)",
            "Se programó seguimiento (con consentimiento)",
            "Suivi programmé (avec consentement)",
        ),
        e(
            "DECLINED_HELP",
            "Caller declined assistance",
            "La persona no aceptó la ayuda",
            "La personne a refusé l'aide",
        ),
        e(
            "DISCONNECTED",
            "Call ended before completion",
            "Se cortó antes de concluir",
            "Appel interrompu avant la fin",
        ),
        e(
            "NO_ACTION",
            "No action required",
            "No requiere acción",
            "Aucune action nécessaire",
        ),
    ],
};

/// Topics of the information given to a caller (local list, not in TAXONOMY.md).
pub static INFO_TOPIC: CodeList = CodeList {
    name: "info_topic",
    entries: &[
        e(
            "TIP_DEFINITION",
            "What trafficking in persons is (definition, forms)",
            "Qué es la trata de personas (definición, formas)",
            "Ce qu'est la traite des êtres humains (définition, formes)",
        ),
        e(
            "RIGHTS_OF_VICTIMS",
            "Rights of victims",
            "Derechos de las víctimas",
            "Droits des victimes",
        ),
        e(
            "HOW_TO_REPORT",
            "How to report or file a complaint",
            "Cómo reportar o presentar una denuncia",
            "Comment signaler ou porter plainte",
        ),
        e(
            "SAFE_MIGRATION",
            "Safe and regular migration",
            "Migración segura y regular",
            "Migration sûre et régulière",
        ),
        e(
            "JOB_OFFER_VERIFY",
            "How to check a job offer",
            "Cómo verificar una oferta de trabajo",
            "Comment vérifier une offre d'emploi",
        ),
        e(
            "SAFE_TRAVEL_ABROAD",
            "Travelling or working abroad safely",
            "Viajar o trabajar en el extranjero de forma segura",
            "Voyager ou travailler à l'étranger en sécurité",
        ),
        e(
            "SERVICES_AVAILABLE",
            "Services available (protection, health, legal aid)",
            "Servicios disponibles (protección, salud, asistencia legal)",
            "Services disponibles (protection, santé, aide juridique)",
        ),
        e(
            "LABOUR_RIGHTS",
            "Labour rights",
            "Derechos laborales",
            "Droits des travailleurs",
        ),
        e(
            "SMUGGLING_INFO",
            "Migrant smuggling and how it differs from trafficking",
            "Tráfico ilícito de migrantes y su diferencia con la trata",
            "Trafic illicite de migrants et différence avec la traite",
        ),
        e(
            "MISSING_PERSON_STEPS",
            "What to do when someone goes missing",
            "Qué hacer ante la desaparición de una persona",
            "Que faire en cas de disparition d'une personne",
        ),
        e(
            "ONLINE_SAFETY",
            "Online safety (grooming, sextortion, fake offers)",
            "Seguridad en internet (grooming, sextorsión, ofertas falsas)",
            "Sécurité en ligne (grooming, sextorsion, fausses offres)",
        ),
        e(
            "SAFETY_PLANNING",
            "Personal safety planning",
            "Plan de seguridad personal",
            "Plan de mise en sécurité",
        ),
        e("OTHER", "Other", "Otro", "Autre"),
    ],
};

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/// Whether the person is considered a victim of trafficking (TAXONOMY.md §12; HTCDS
/// `vic_TraffickingStatus`). A flag for the hotline's work, not a legal determination.
pub static TRAFFICKING_STATUS: CodeList = CodeList {
    name: "trafficking_status",
    entries: &[
        // HTCDS `PossibleVictimOfTrafficking`.
        e(
            "POSSIBLE",
            "Possible",
            "Presunta víctima",
            "Victime présumée",
        ),
        // HTCDS `ActualVictimOfTrafficking`.
        e("CONFIRMED", "Actual victim", "Víctima", "Victime avérée"),
        // HTCDS `NotAVictimOfTrafficking`.
        e(
            "NOT_VICTIM",
            "Not a victim",
            "No es víctima de trata",
            "N'est pas victime de traite",
        ),
        // Local extension.
        e(
            "UNDETERMINED",
            "Undetermined",
            "Sin determinar",
            "Non déterminé",
        ),
    ],
};

/// Kind of organisation that decided the [`TRAFFICKING_STATUS`] (TAXONOMY.md §12; HTCDS
/// `vic_TraffickingStatusDecisionMakingOrg`). Prosecutors map to `COURT_PROSECUTION`.
pub static DECISION_ORG: CodeList = CodeList {
    name: "decision_org",
    entries: &[
        e("POLICE", "Police", "Policía", "Police"),
        e("NGO", "NGO", "ONG", "ONG"),
        e(
            "COURT_PROSECUTION",
            "Court or prosecution",
            "Poder Judicial o Fiscalía",
            "Tribunal ou parquet",
        ),
        e(
            "NON_POLICE_GOV",
            "Government agency (non-police)",
            "Entidad pública (no policial)",
            "Administration publique (hors police)",
        ),
        e("OTHER", "Other", "Otra", "Autre"),
    ],
};

/// Where a case stands (TAXONOMY.md §12 `case_status`; HTCDS `cas_Status`).
pub static CASE_STATUS: CodeList = CodeList {
    name: "case_status",
    entries: &[
        // HTCDS `Active`.
        e("ACTIVE", "Active", "Activo", "Actif"),
        // HTCDS `FollowUp`.
        e("FOLLOW_UP", "Follow-up", "En seguimiento", "En suivi"),
        // HTCDS `Closed`.
        e("CLOSED", "Closed", "Cerrado", "Clôturé"),
        // HTCDS `ClosedReferred`.
        e(
            "CLOSED_REFERRED",
            "Closed – referred",
            "Cerrado – derivado",
            "Clôturé – orienté vers un partenaire",
        ),
    ],
};

/// How the person was recruited (TAXONOMY.md §12; HTCDS `vic_MethodOfRecruitment`, whose labels
/// are in the comments, then the local extensions). False job offers, deception and
/// "enamoramiento" are the most used methods in Peru.
pub static RECRUITMENT_METHOD: CodeList = CodeList {
    name: "recruitment_method",
    entries: &[
        // HTCDS "Abduction"; CTDC `isAbduction`.
        e("ABDUCTION", "Abduction", "Rapto/secuestro", "Enlèvement"),
        // HTCDS "Educational Facility".
        e(
            "EDUCATIONAL_FACILITY",
            "Educational facility",
            "Centro educativo",
            "Établissement scolaire",
        ),
        // HTCDS "Familial".
        e(
            "FAMILIAL",
            "Through the family",
            "A través de la familia",
            "Par la famille",
        ),
        // HTCDS "Internet (social media, online advertisement)".
        e(
            "INTERNET",
            "Internet (social media, online advertisement)",
            "Internet (redes sociales, anuncios en línea)",
            "Internet (réseaux sociaux, annonces en ligne)",
        ),
        // HTCDS "International Marriage Broker (IMB)".
        e(
            "MARRIAGE_BROKER",
            "International marriage broker",
            "Agencia matrimonial internacional",
            "Agence matrimoniale internationale",
        ),
        // HTCDS "Intimate partner/marriage proposition".
        e(
            "INTIMATE_PARTNER",
            "Intimate partner / marriage proposal",
            "Pareja / propuesta de matrimonio",
            "Partenaire intime / demande en mariage",
        ),
        // HTCDS "Job offer/advertisement".
        e(
            "JOB_OFFER",
            "Job offer / advertisement",
            "Oferta o aviso de empleo",
            "Offre ou annonce d'emploi",
        ),
        // HTCDS "Posing as Benefactor".
        e(
            "POSING_AS_BENEFACTOR",
            "Posing as a benefactor",
            "Se presentó como benefactor/a",
            "Se faisant passer pour un bienfaiteur",
        ),
        // HTCDS "Public Area".
        e(
            "PUBLIC_AREA",
            "Public area",
            "Espacio público",
            "Espace public",
        ),
        // HTCDS "Offer of Accommodation".
        e(
            "ACCOMMODATION_OFFER",
            "Offer of accommodation",
            "Oferta de alojamiento",
            "Offre d'hébergement",
        ),
        // HTCDS "Shelter".
        e(
            "SHELTER",
            "Shelter",
            "Albergue o centro de acogida",
            "Foyer ou centre d'hébergement",
        ),
        // HTCDS "Smuggling, ransom".
        e(
            "SMUGGLING_RANSOM",
            "Smuggling, ransom",
            "Tráfico de migrantes, rescate",
            "Trafic de migrants, rançon",
        ),
        // HTCDS "Work".
        e("WORK", "At work", "En el trabajo", "Sur le lieu de travail"),
        // Local extensions (TAXONOMY.md §12).
        e(
            "JOB_OFFER_FALSE",
            "False job offer",
            "Oferta de empleo falsa",
            "Fausse offre d'emploi",
        ),
        e(
            "ROMANCE",
            "Romance / seduction",
            "Enamoramiento",
            "Séduction / relation amoureuse",
        ),
        e(
            "RADIO_AD",
            "Radio advertisement",
            "Aviso radial",
            "Annonce à la radio",
        ),
        e(
            "EMPLOYMENT_AGENCY",
            "Employment agency",
            "Agencia de empleo",
            "Agence de placement",
        ),
        // HTCDS "Other", "Unknown".
        e("OTHER", "Other", "Otro", "Autre"),
        e("UNKNOWN", "Unknown", "Desconocido", "Inconnu"),
    ],
};

/// The victim's relationship to the trafficker or recruiter (TAXONOMY.md §12; HTCDS
/// `Familial`/`Acquainted`/`Unaquainted`, refined with CTDC's `recruiterRelation*`).
pub static RELATIONSHIP_TO_TRAFFICKER: CodeList = CodeList {
    name: "relationship_to_trafficker",
    entries: &[
        e(
            "FAMILY",
            "Family member",
            "Familiar",
            "Membre de la famille",
        ),
        e(
            "INTIMATE_PARTNER",
            "Intimate partner",
            "Pareja",
            "Partenaire intime",
        ),
        e("FRIEND", "Friend", "Amistad", "Ami(e)"),
        e("ACQUAINTANCE", "Acquaintance", "Conocido/a", "Connaissance"),
        e("EMPLOYER", "Employer", "Empleador/a", "Employeur"),
        e("STRANGER", "Stranger", "Desconocido/a", "Personne inconnue"),
        e("UNKNOWN", "Not known", "No se sabe", "Ne sait pas"),
    ],
};

/// Language the person speaks (TAXONOMY.md §12 `language`): ISO 639-3 codes in uppercase, with the
/// names used in Peru (the ISO reference name in brackets where it differs).
pub static LANGUAGE: CodeList = CodeList {
    name: "language",
    entries: &[
        e("SPA", "Spanish", "Español", "Espagnol"),
        // Macrolanguage.
        e("QUE", "Quechua", "Quechua", "Quechua"),
        // Macrolanguage.
        e("AYM", "Aymara", "Aimara", "Aymara"),
        e("CNI", "Asháninka", "Asháninka", "Asháninka"),
        e("SHP", "Shipibo-Konibo", "Shipibo-Konibo", "Shipibo-Konibo"),
        e("AGR", "Awajún (Aguaruna)", "Awajún", "Awajún (aguaruna)"),
        e("HUB", "Wampis (Huambisa)", "Wampis", "Wampis (huambisa)"),
        e(
            "MCB",
            "Matsigenka (Machiguenga)",
            "Matsigenka",
            "Matsigenka (machiguenga)",
        ),
        e("POR", "Portuguese", "Portugués", "Portugais"),
        e("ENG", "English", "Inglés", "Anglais"),
        e(
            "PRL",
            "Peruvian Sign Language",
            "Lengua de señas peruana",
            "Langue des signes péruvienne",
        ),
        e("OTHER", "Other language", "Otra lengua", "Autre langue"),
        e("UNKNOWN", "Unknown", "Desconocida", "Inconnue"),
    ],
};

/// The part a person plays in a case (local list, not in TAXONOMY.md).
pub static PERSON_ROLE: CodeList = CodeList {
    name: "person_role",
    entries: &[
        e("VICTIM", "Victim", "Víctima", "Victime"),
        e(
            "SUSPECT",
            "Suspected perpetrator",
            "Presunto/a tratante",
            "Auteur présumé",
        ),
        e("WITNESS", "Witness", "Testigo", "Témoin"),
        e(
            "CALLER",
            "Caller",
            "Persona que contacta",
            "Personne qui a contacté la ligne",
        ),
        e("OTHER", "Other", "Otro", "Autre"),
    ],
};

/// Every built-in list, for lookups by name and for documentation.
pub static ALL: &[&CodeList] = &[
    &CONTACT_CHANNEL,
    &CALLER_TYPE,
    &CONTACT_REASON,
    &EXPLOITATION_TYPE,
    &SEXUAL_EXPLOITATION_TYPE,
    &LABOUR_SECTOR,
    &CONTEXT_TAG,
    &TRAFFICKING_STAGE,
    &MEANS_OF_CONTROL,
    &INDICATOR,
    &INDICATOR_ANSWER,
    &AGE_BAND,
    &MAJORITY_STATUS,
    &GENDER,
    &MIGRATION_STATUS,
    &URGENCY,
    &REFERRAL_TARGET_TYPE,
    &REFERRAL_STATUS,
    &REFERRAL_REASON,
    &SHARING_BASIS,
    &REFERRAL_METHOD,
    &CALL_OUTCOME,
    &INFO_TOPIC,
    &TRAFFICKING_STATUS,
    &DECISION_ORG,
    &CASE_STATUS,
    &RECRUITMENT_METHOD,
    &RELATIONSHIP_TO_TRAFFICKER,
    &LANGUAGE,
    &PERSON_ROLE,
];

/// The built-in list called `name` (e.g. "contact_reason").
pub fn list(name: &str) -> Option<&'static CodeList> {
    ALL.iter().copied().find(|list| list.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_valid_code(code: &str) -> bool {
        (1..=20).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    }

    #[test]
    fn codes_are_uppercase_ascii_of_at_most_20_characters() {
        for list in ALL {
            for entry in list.entries {
                assert!(
                    is_valid_code(entry.code),
                    "{}: bad code {:?}",
                    list.name,
                    entry.code
                );
            }
        }
        assert!(is_valid_code("IND_CONTROLLED_COMMS"));
        assert!(!is_valid_code(""));
        assert!(!is_valid_code("Phone"));
        assert!(!is_valid_code("NS-PRANK"));
        assert!(!is_valid_code("ABCDEFGHIJKLMNOPQRSTU"));
    }

    #[test]
    fn codes_are_unique_within_each_list() {
        for list in ALL {
            let mut seen = HashSet::new();
            for entry in list.entries {
                assert!(
                    seen.insert(entry.code),
                    "{}: duplicate code {}",
                    list.name,
                    entry.code
                );
            }
        }
    }

    #[test]
    fn list_names_are_unique_snake_case_and_lists_are_not_empty() {
        let mut seen = HashSet::new();
        for list in ALL {
            assert!(seen.insert(list.name), "duplicate list name {}", list.name);
            assert!(
                list.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "list name {:?} is not snake_case",
                list.name
            );
            assert!(!list.entries.is_empty(), "{} is empty", list.name);
        }
        assert_eq!(ALL.len(), 30);
    }

    #[test]
    fn every_label_is_present_and_trimmed_in_every_language() {
        for list in ALL {
            for entry in list.entries {
                for lang in Lang::ALL {
                    let label = entry.label(lang);
                    assert!(
                        !label.trim().is_empty(),
                        "{}.{}: empty {lang} label",
                        list.name,
                        entry.code
                    );
                    assert_eq!(
                        label.trim(),
                        label,
                        "{}.{}: {lang} label has outer spaces",
                        list.name,
                        entry.code
                    );
                    assert!(
                        !label.contains("  ") && !label.contains('\n'),
                        "{}.{}: {lang} label has a line break or double space",
                        list.name,
                        entry.code
                    );
                }
            }
        }
    }

    #[test]
    fn every_built_in_code_is_active_in_version_1() {
        assert_eq!(CODE_LISTS_VERSION, 1);
        for list in ALL {
            for entry in list.entries {
                assert!(entry.active, "{}.{} is retired", list.name, entry.code);
            }
            assert_eq!(list.active_codes().count(), list.entries.len());
        }
    }

    #[test]
    fn lists_are_found_by_name() {
        let found = list("contact_reason").expect("contact_reason exists");
        assert!(std::ptr::eq(found, &CONTACT_REASON));
        for each in ALL {
            assert!(std::ptr::eq(list(each.name).unwrap(), *each));
        }
        assert!(list("Contact_Reason").is_none());
        assert!(list("no_such_list").is_none());
    }

    #[test]
    fn accepts_only_exact_active_codes() {
        assert!(CONTACT_REASON.accepts("NS_PRANK"));
        assert!(!CONTACT_REASON.accepts("ns_prank"));
        assert!(!CONTACT_REASON.accepts("NS_PRANK "));
        assert!(!CONTACT_REASON.accepts(""));
        assert!(!CONTACT_REASON.accepts("PHONE"));
        assert!(CONTACT_CHANNEL.accepts("PHONE"));
    }

    #[test]
    fn labels_in_each_language() {
        let es = URGENCY.label("U1_EMERGENCY", Lang::Es).unwrap();
        assert!(es.starts_with("Emergencia"), "{es}");
        assert_eq!(
            URGENCY.label("U1_EMERGENCY", Lang::En),
            Some("Emergency: imminent danger to life or safety")
        );
        assert!(
            URGENCY
                .label("U1_EMERGENCY", Lang::Fr)
                .unwrap()
                .starts_with("Urgence")
        );
        assert_eq!(GENDER.label("TF", Lang::Es), Some("Mujer trans"));
        assert_eq!(LABOUR_SECTOR.label("F", Lang::Fr), Some("Construction"));
        assert_eq!(URGENCY.label("U9", Lang::Es), None);
    }

    #[test]
    fn retired_codes_keep_their_labels_but_are_not_accepted() {
        static ENTRIES: [CodeEntry; 2] = [
            e("NEW", "New", "Nuevo", "Nouveau"),
            CodeEntry {
                active: false,
                ..e("OLD", "Old", "Antiguo", "Ancien")
            },
        ];
        static SAMPLE: CodeList = CodeList {
            name: "sample",
            entries: &ENTRIES,
        };
        assert!(SAMPLE.accepts("NEW"));
        assert!(!SAMPLE.accepts("OLD"));
        assert_eq!(SAMPLE.get("OLD").map(|entry| entry.active), Some(false));
        assert_eq!(SAMPLE.label("OLD", Lang::Es), Some("Antiguo"));
        assert_eq!(SAMPLE.active_codes().collect::<Vec<_>>(), ["NEW"]);
    }

    #[test]
    fn active_codes_keep_table_order() {
        let codes: Vec<_> = TRAFFICKING_STAGE.active_codes().collect();
        assert_eq!(codes, ["RECRUITMENT", "TRANSIT", "EXPLOITATION"]);
        let sectors: String = LABOUR_SECTOR.active_codes().collect();
        assert_eq!(sectors, "ABCDEFGHIJKLMNOPQRSTU");
    }

    #[test]
    fn list_sizes_match_the_taxonomy() {
        let expected = [
            ("contact_channel", 11),
            ("caller_type", 20),
            ("contact_reason", 19),
            ("exploitation_type", 15),
            ("sexual_exploitation_type", 4),
            ("labour_sector", 21),
            ("context_tag", 7),
            ("trafficking_stage", 3),
            ("means_of_control", 18),
            ("indicator", 15),
            ("indicator_answer", 3),
            ("age_band", 14),
            ("majority_status", 3),
            ("gender", 6),
            ("migration_status", 10),
            ("urgency", 4),
            ("referral_target_type", 21),
            ("referral_status", 12),
            ("referral_reason", 4),
            ("sharing_basis", 4),
            ("referral_method", 8),
            ("call_outcome", 14),
            ("info_topic", 13),
            ("trafficking_status", 4),
            ("decision_org", 5),
            ("case_status", 4),
            ("recruitment_method", 19),
            ("relationship_to_trafficker", 7),
            ("language", 13),
            ("person_role", 5),
        ];
        assert_eq!(expected.len(), ALL.len());
        for (name, count) in expected {
            assert_eq!(list(name).unwrap().entries.len(), count, "{name}");
        }
    }

    #[test]
    fn non_substantive_reasons_share_the_ns_prefix() {
        let ns: Vec<_> = CONTACT_REASON
            .active_codes()
            .filter(|code| code.starts_with("NS_"))
            .collect();
        assert_eq!(
            ns,
            [
                "NS_SILENT",
                "NS_HANGUP",
                "NS_PRANK",
                "NS_WRONG_NUMBER",
                "NS_TEST",
                "NS_ABUSIVE"
            ]
        );
    }
}
