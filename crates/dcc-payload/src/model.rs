//! The typed payload model, after the eu_dcc_v1 JSON schema 1.3.x.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::{Map, PayloadError, Result};

/// An EU DCC payload (`eu_dcc_v1`, schema 1.3.x).
///
/// | field | schema | meaning |
/// |---|---|---|
/// | `ver` | semver | schema version, e.g. `1.3.0` |
/// | `nam` | object | [`Name`] |
/// | `dob` | `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty | date of birth |
/// | `v` / `t` / `r` | array of one | exactly one group: [`Vaccination`], [`Test`], [`Recovery`] |
///
/// Unknown top-level fields are kept in [`Dcc::extra`]. A group written as `null` (as some
/// issuers did) reads as absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dcc {
    /// Schema version of the payload.
    pub ver: String,
    /// Name of the holder.
    pub nam: Name,
    /// Date of birth.
    pub dob: String,
    /// Vaccination group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Vec<Vaccination>>,
    /// Test group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<Vec<Test>>,
    /// Recovery group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<Vec<Recovery>>,
    /// Fields this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map,
}

/// The holder's name (`nam`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Name {
    /// Surname(s) as written (`fn`).
    #[serde(rename = "fn", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Standardised surname(s), ICAO 9303 (`fnt`, `^[A-Z<]*$`).
    #[serde(rename = "fnt", default, skip_serializing_if = "Option::is_none")]
    pub family_std: Option<String>,
    /// Forename(s) as written (`gn`).
    #[serde(rename = "gn", default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Standardised forename(s), ICAO 9303 (`gnt`).
    #[serde(rename = "gnt", default, skip_serializing_if = "Option::is_none")]
    pub given_std: Option<String>,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map,
}

/// One vaccination entry (`v[0]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vaccination {
    /// Disease or agent targeted (value set `disease-agent-targeted`).
    pub tg: String,
    /// Vaccine or prophylaxis (value set `vaccine-prophylaxis`).
    pub vp: String,
    /// Vaccine medicinal product (value set `vaccine-medicinal-product`).
    pub mp: String,
    /// Marketing authorisation holder or manufacturer (value set `vaccine-mah-manf`).
    pub ma: String,
    /// Dose number, at least 1.
    #[serde(deserialize_with = "de_count")]
    pub dn: u32,
    /// Total series of doses, at least 1.
    #[serde(deserialize_with = "de_count")]
    pub sd: u32,
    /// Date of vaccination (`YYYY-MM-DD`).
    pub dt: String,
    /// Member state or third country of vaccination (ISO 3166-1 alpha-2).
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Unique certificate identifier (UVCI).
    pub ci: String,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map,
}

/// One test entry (`t[0]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Test {
    /// Disease or agent targeted.
    pub tg: String,
    /// Type of test (value set `test-type`).
    pub tt: String,
    /// NAA test name (free text, optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// RAT device identifier (value set `test-manf`, optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Date and time of sample collection (RFC 3339). CBOR tag 0 when encoded.
    pub sc: String,
    /// Test result (value set `test-result`).
    pub tr: String,
    /// Testing centre or facility (optional since 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc: Option<String>,
    /// Member state or third country of the test.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Unique certificate identifier.
    pub ci: String,
    /// Fields this model does not know (including `dr` from schema 1.0-1.1).
    #[serde(flatten)]
    pub extra: Map,
}

/// One recovery entry (`r[0]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// Disease or agent the holder recovered from.
    pub tg: String,
    /// Date of the first positive NAA test result (`YYYY-MM-DD`).
    pub fr: String,
    /// Member state or third country of the test.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Certificate valid from (`YYYY-MM-DD`).
    pub df: String,
    /// Certificate valid until (`YYYY-MM-DD`).
    pub du: String,
    /// Unique certificate identifier.
    pub ci: String,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map,
}

/// The three certificate types, matching the three groups `v`, `t`, `r`. Serialised as
/// `vaccination`, `test`, `recovery`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertType {
    /// Vaccination (`v`).
    Vaccination,
    /// Test (`t`).
    Test,
    /// Recovery (`r`).
    Recovery,
}

impl CertType {
    /// The group key: `v`, `t` or `r`.
    pub fn key(self) -> &'static str {
        match self {
            CertType::Vaccination => "v",
            CertType::Test => "t",
            CertType::Recovery => "r",
        }
    }

    /// Certificate types whose group is present (non-null) in a raw JSON payload.
    ///
    /// Works on any JSON, even one that does not fit the typed model, so that a verifier can
    /// still check key usage.
    pub fn present_in(payload: &Value) -> Vec<CertType> {
        [CertType::Vaccination, CertType::Test, CertType::Recovery]
            .into_iter()
            .filter(|t| payload.get(t.key()).is_some_and(|v| !v.is_null()))
            .collect()
    }
}

impl std::fmt::Display for CertType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CertType::Vaccination => "vaccination",
            CertType::Test => "test",
            CertType::Recovery => "recovery",
        })
    }
}

/// A borrowed view of the single entry of a [`Dcc`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<'a> {
    /// The vaccination entry.
    Vaccination(&'a Vaccination),
    /// The test entry.
    Test(&'a Test),
    /// The recovery entry.
    Recovery(&'a Recovery),
}

impl Entry<'_> {
    /// The certificate identifier (`ci`) of the entry.
    pub fn ci(&self) -> &str {
        match self {
            Entry::Vaccination(v) => &v.ci,
            Entry::Test(t) => &t.ci,
            Entry::Recovery(r) => &r.ci,
        }
    }

    /// The type of the entry.
    pub fn cert_type(&self) -> CertType {
        match self {
            Entry::Vaccination(_) => CertType::Vaccination,
            Entry::Test(_) => CertType::Test,
            Entry::Recovery(_) => CertType::Recovery,
        }
    }
}

impl Dcc {
    /// Parses a payload from JSON text.
    pub fn from_json(json: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(json).map_err(PayloadError::from)?;
        Self::from_value(value)
    }

    /// Builds the typed model from a JSON value.
    pub fn from_value(value: Value) -> Result<Self> {
        if !value.is_object() {
            return Err(PayloadError::Model(
                "the payload must be a JSON object".into(),
            ));
        }
        serde_json::from_value(value).map_err(|e| PayloadError::Model(e.to_string()))
    }

    /// The payload as a JSON value (field order: as modelled, unknown fields last).
    pub fn to_value(&self) -> Value {
        // Serialising plain strings, integers and maps cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The payload as compact JSON text.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// Decodes a payload from CBOR bytes (the map found at hcert claim `-260`/`1`).
    pub fn from_cbor_slice(bytes: &[u8]) -> Result<Self> {
        let value: ciborium::Value =
            ciborium::from_reader(bytes).map_err(|e| PayloadError::Cbor(e.into()))?;
        Self::from_cbor_value(&value)
    }

    /// Decodes a payload from a CBOR value.
    pub fn from_cbor_value(value: &ciborium::Value) -> Result<Self> {
        Self::from_value(crate::cbor_to_json(value)?)
    }

    /// The payload as a CBOR value: text keys, integer numbers, `t[].sc` tagged 0.
    pub fn to_cbor_value(&self) -> Result<ciborium::Value> {
        let mut cbor = crate::json_to_cbor(&self.to_value())?;
        tag_sample_times(&mut cbor);
        Ok(cbor)
    }

    /// The payload as CBOR bytes.
    pub fn to_cbor_vec(&self) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(384);
        ciborium::into_writer(&self.to_cbor_value()?, &mut out)
            .map_err(|e| PayloadError::CborEncoding(e.into()))?;
        Ok(out)
    }

    /// The single entry, checking that exactly one of `v`, `t`, `r` is present and that it holds
    /// exactly one element.
    pub fn entry(&self) -> Result<Entry<'_>> {
        let present: Vec<&'static str> = [
            self.v.as_ref().map(|_| "v"),
            self.t.as_ref().map(|_| "t"),
            self.r.as_ref().map(|_| "r"),
        ]
        .into_iter()
        .flatten()
        .collect();
        match present.len() {
            0 => return Err(PayloadError::NoGroup),
            1 => {}
            _ => return Err(PayloadError::MultipleGroups(present.join(", "))),
        }
        fn one<'a, T>(group: &'static str, items: &'a [T]) -> Result<&'a T> {
            match items {
                [only] => Ok(only),
                _ => Err(PayloadError::EntryCount {
                    group,
                    len: items.len(),
                }),
            }
        }
        if let Some(v) = &self.v {
            return one("v", v).map(Entry::Vaccination);
        }
        if let Some(t) = &self.t {
            return one("t", t).map(Entry::Test);
        }
        match &self.r {
            Some(r) => one("r", r).map(Entry::Recovery),
            None => Err(PayloadError::NoGroup),
        }
    }

    /// The certificate type, checking the structure as [`Dcc::entry`] does.
    pub fn cert_type(&self) -> Result<CertType> {
        self.entry().map(|e| e.cert_type())
    }
}

fn tag_sample_times(cbor: &mut ciborium::Value) {
    use ciborium::Value as C;
    let Some(t) = cbor.as_map_mut().and_then(|m| {
        m.iter_mut()
            .find(|(k, _)| k.as_text() == Some("t"))
            .map(|(_, v)| v)
    }) else {
        return;
    };
    let Some(tests) = t.as_array_mut() else {
        return;
    };
    for test in tests {
        let Some(map) = test.as_map_mut() else {
            continue;
        };
        for (k, v) in map.iter_mut() {
            if k.as_text() == Some("sc") && v.is_text() {
                let inner = std::mem::replace(v, C::Null);
                *v = C::Tag(0, Box::new(inner));
            }
        }
    }
}

/// Accepts a non-negative integer, or a float with no fraction (some issuers wrote `1.0`).
fn de_count<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    if let Some(u) = n.as_u64() {
        return u32::try_from(u).map_err(|_| D::Error::custom(format!("{u} is out of range")));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => Ok(f as u32),
        _ => Err(D::Error::custom(format!(
            "{n} is not a non-negative whole number"
        ))),
    }
}
