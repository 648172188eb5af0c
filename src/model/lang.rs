//! The languages linea speaks: Spanish first, then English and French.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Es,
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Es, Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language of a POSIX locale such as `es_PE.UTF-8`, if linea speaks it.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let prefix: String = locale
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        prefix.to_ascii_lowercase().parse().ok()
    }

    /// The language from the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`), Spanish otherwise.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|value| !value.is_empty())
            .and_then(|value| Lang::from_locale(&value))
            .unwrap_or_default()
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "es" => Ok(Lang::Es),
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            other => Err(format!("unknown language '{other}': use es, en or fr")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_map_to_languages() {
        assert_eq!(Lang::from_locale("es_PE.UTF-8"), Some(Lang::Es));
        assert_eq!(Lang::from_locale("fr_FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_locale("en"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale("de_DE.UTF-8"), None);
    }
}
