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
