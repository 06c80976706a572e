//! Stable codes as types: a fieldless enum per family of codes, with `code()`, `ALL` and the
//! description of each value, so that documentation, bindings and tests are built from or
//! checked against one list.

/// Declares a fieldless enum of stable snake_case codes.
///
/// Each variant's doc comment is its description ([`description`](IssueCode::description)).
/// The enum gets `code()`, `from_code()`, `ALL`, `Display`, `FromStr`, serde (as the code
/// string) and comparisons with `&str`.
#[doc(hidden)]
#[macro_export]
macro_rules! stable_codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[doc = $doc])+ #[doc = concat!("\n\nCode: `", $code, "`.")] $variant, )+
        }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case code.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value with this code, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// What the code means (its documentation).
            pub fn description(self) -> &'static str {
                match self { $($name::$variant => concat!($($doc),+).trim_ascii()),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::from_code(s).ok_or_else(|| $crate::codes::UnknownCode(s.to_string()))
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.code() == *other
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.code()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::from_code(&s).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::custom(format!("unknown code {s:?}"))
                })
            }
        }
    };
}

/// A string that is not one of the codes of a family.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code {0:?}")]
pub struct UnknownCode(pub String);

stable_codes! {
    /// The code of a validation issue: why issuing refused a payload, or what a verifier found
    /// in one (a finding). Findings and issues share this one list.
    pub enum IssueCode {
        /// The payload is not a JSON object.
        NotAnObject = "not_an_object",
        /// None of `v`, `t`, `r` is present.
        MissingGroup = "missing_group",
        /// More than one of `v`, `t`, `r` is present.
        MultipleGroups = "multiple_groups",
        /// A group (`v`, `t` or `r`) is written as `null`.
        NullGroup = "null_group",
        /// The group does not hold exactly one entry.
        EntryCount = "entry_count",
        /// The payload does not fit the DCC model in another way.
        InvalidStructure = "invalid_structure",
        /// Issuing writes schema 1.3.x only.
        VerNotIssuable = "ver_not_issuable",
        /// `ver` names no known schema version; the newest schema of its minor version (else 1.3.3) was used.
        UnknownSchemaVersion = "unknown_schema_version",
        /// The schema of the payload's version is not embedded.
        SchemaUnavailable = "schema_unavailable",
        /// A required field is missing (JSON schema).
        Required = "required",
        /// A field has the wrong JSON type (JSON schema).
        WrongType = "wrong_type",
        /// A string does not match its pattern (JSON schema).
        PatternMismatch = "pattern_mismatch",
        /// A string is longer than allowed (JSON schema, or 80 characters).
        TooLong = "too_long",
        /// A string is shorter than allowed (JSON schema).
        TooShort = "too_short",
        /// A number is outside its range (JSON schema).
        OutOfRange = "out_of_range",
        /// A `date` or `date-time` field is not in its format (JSON schema, when issuing).
        InvalidFormat = "invalid_format",
        /// Neither `fnt` nor `gnt` is present (JSON schema).
        MissingStandardisedName = "missing_standardised_name",
        /// Another JSON schema constraint is violated.
        SchemaViolation = "schema_violation",
        /// A coded field (`tg vp mp ma tt tr co`) holds a code outside its value set.
        UnknownCode = "unknown_code",
        /// `fnt`/`gnt` outside `A-Z<`, or with a leading, trailing or double `<`.
        InvalidStandardisedName = "invalid_standardised_name",
        /// A date that is not `YYYY-MM-DD` (or `dob` not one of its forms).
        InvalidDate = "invalid_date",
        /// An `sc` that is not RFC 3339.
        InvalidDateTime = "invalid_date_time",
        /// A birth year outside 1900-2099.
        DobOutOfRange = "dob_out_of_range",
        /// Born after the vaccination, test or positive test.
        DobAfterEvent = "dob_after_event",
        /// `dt`, `sc` or `fr` after the issue time.
        DateInFuture = "date_in_future",
        /// `iat` or `exp` is a CBOR float (HCERT requires an integer NumericDate); it was read as
        /// its whole seconds (a verifier finding, never fatal).
        FloatNumericDate = "float_numeric_date",
        /// `dn`/`sd` not a whole number >= 1.
        InvalidDoseNumber = "invalid_dose_number",
        /// Not `fr <= df <= du`.
        RecoveryDatesOrder = "recovery_dates_order",
        /// `du` more than 180 days after `fr`.
        RecoveryValidityTooLong = "recovery_validity_too_long",
        /// A rapid antigen test without the device in `ma`.
        RatDeviceMissing = "rat_device_missing",
        /// An empty certificate identifier.
        CiMissing = "ci_missing",
        /// (Issuing) an identifier that is not `URN:UVCI:01:CC:...` in `A-Z 0-9 / # :`.
        CiMalformed = "ci_malformed",
    }
}
