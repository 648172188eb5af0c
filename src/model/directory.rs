//! Built-in national contacts for emergencies, used until reference packs from central
//! bring the directory of services. Only numbers published nationally; nothing guessed.

/// (name, phone) of the national lines an operator calls during an emergency (TAXONOMY.md §8:
/// "call PNP 105 / DIRCTPTIM during the call").
pub const EMERGENCY_CONTACTS: &[(&str, &str)] = &[
    ("PNP emergencias", "105"),
    ("Línea 100 MIMP", "100"),
    ("Mininter denuncias", "1818"),
    ("DIRCTPTIM (PNP trata)", ""),
];
