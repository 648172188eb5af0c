//! Field identity as a type: one enum per record kind ([`CallField`](super::CallField),
//! [`PersonField`](super::PersonField), [`ReferralField`](super::ReferralField)), each
//! variant named as the record's JSON key, which is also the message `field-NAME`.

/// Declares a record's field enum: each variant with its key in the record.
macro_rules! record_fields {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Its key in the record (and in JSON), the name of its message `field-NAME`.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            pub fn from_name(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|field| field.name() == name)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.name()
            }
        }
    };
}

pub(crate) use record_fields;

/// Asserts that a field enum's `names` are exactly the keys `record` (every field set) is
/// written with: a field renamed on one side only fails here.
#[cfg(test)]
pub(crate) fn assert_names_are_the_keys<'a>(
    names: impl Iterator<Item = &'a str>,
    record: &impl serde::Serialize,
) {
    let json = serde_json::to_value(record).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut names: Vec<&str> = names.collect();
    keys.sort();
    names.sort();
    assert_eq!(names, keys);
}
