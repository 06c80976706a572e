//! The EU DCC value sets: the codes allowed in `tg`, `vp`, `mp`, `ma`, `tt`, `tr`, `co`.
//!
//! The embedded copy is release 2.12.0 of `ehn-dcc-valuesets` (`data/valuesets`). New vaccines
//! and tests appear: [`ValueSets::replace_from_json`] loads a newer file at run time, so that
//! issuers never wait for a release of this library.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

/// One value set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSet {
    /// `valueSetId`.
    pub id: String,
    /// `valueSetDate`.
    pub date: String,
    /// Code -> active flag.
    pub codes: BTreeMap<String, bool>,
}

/// All value sets, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSets {
    // Shared: the embedded sets are parsed once per process, and every issuer and verifier
    // holds the same copy until one replaces a set (copy on write).
    sets: Arc<BTreeMap<String, ValueSet>>,
    embedded: bool,
}

/// Value-set ids, per payload field.
pub mod ids {
    /// `tg`
    pub const DISEASE: &str = "disease-agent-targeted";
    /// `v[].vp`
    pub const VACCINE_PROPHYLAXIS: &str = "sct-vaccines-covid-19";
    /// `v[].mp`
    pub const VACCINE_PRODUCT: &str = "vaccines-covid-19-names";
    /// `v[].ma`
    pub const VACCINE_MAH: &str = "vaccines-covid-19-auth-holders";
    /// `t[].tt`
    pub const TEST_TYPE: &str = "covid-19-lab-test-type";
    /// `t[].tr`
    pub const TEST_RESULT: &str = "covid-19-lab-result";
    /// `t[].ma`
    pub const TEST_DEVICE: &str = "covid-19-lab-test-manufacturer-and-name";
    /// `co`
    pub const COUNTRY: &str = "country-2-codes";
}

#[derive(Deserialize)]
struct File {
    #[serde(rename = "valueSetId")]
    id: String,
    #[serde(rename = "valueSetDate")]
    date: String,
    #[serde(rename = "valueSetValues")]
    values: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

const EMBEDDED: [&str; 8] = [
    include_str!(concat!(
        env!("OUT_DIR"),
        "/valuesets/disease-agent-targeted.json"
    )),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/valuesets/vaccine-prophylaxis.json"
    )),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/valuesets/vaccine-medicinal-product.json"
    )),
    include_str!(concat!(env!("OUT_DIR"), "/valuesets/vaccine-mah-manf.json")),
    include_str!(concat!(env!("OUT_DIR"), "/valuesets/test-type.json")),
    include_str!(concat!(env!("OUT_DIR"), "/valuesets/test-result.json")),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/valuesets/test-manf-example.json"
    )),
    include_str!(concat!(env!("OUT_DIR"), "/valuesets/country-2-codes.json")),
];

/// The English display name of `code` in the embedded value set `set_id` (e.g.
/// `vaccines-covid-19-names`, `EU/1/20/1528` -> `Comirnaty`), or `None` for an unknown set or
/// code.
#[cfg(feature = "display-names")]
pub fn display_name(set_id: &str, code: &str) -> Option<&'static str> {
    static NAMES: OnceLock<BTreeMap<String, BTreeMap<String, String>>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            serde_json::from_str(include_str!(concat!(
                env!("OUT_DIR"),
                "/valueset-display.json"
            )))
            .unwrap_or_default()
        })
        .get(set_id)?
        .get(code)
        .map(String::as_str)
}

/// The release of `ehn-dcc-valuesets` that is embedded.
pub const EMBEDDED_RELEASE: &str = "2.12.0";

fn parse(text: &str) -> Result<ValueSet, String> {
    let f: File = serde_json::from_str(text).map_err(|e| format!("not a value-set file: {e}"))?;
    Ok(ValueSet {
        id: f.id,
        date: f.date,
        codes: f.values.into_iter().map(|(k, v)| (k, v.active)).collect(),
    })
}

impl ValueSets {
    /// The embedded value sets (release [`EMBEDDED_RELEASE`]).
    pub fn embedded() -> Self {
        static PARSED: OnceLock<Arc<BTreeMap<String, ValueSet>>> = OnceLock::new();
        let sets = PARSED.get_or_init(|| {
            Arc::new(
                EMBEDDED
                    .iter()
                    .filter_map(|t| parse(t).ok())
                    .map(|s| (s.id.clone(), s))
                    .collect(),
            )
        });
        ValueSets {
            sets: Arc::clone(sets),
            embedded: true,
        }
    }

    /// Replaces (or adds) the value set in `json`, a file in the official format
    /// (`{valueSetId, valueSetDate, valueSetValues: {code: {...}}}`). Returns its id.
    pub fn replace_from_json(&mut self, json: &str) -> Result<String, String> {
        let set = parse(json)?;
        let id = set.id.clone();
        Arc::make_mut(&mut self.sets).insert(id.clone(), set);
        self.embedded = false;
        Ok(id)
    }

    /// The value set with this id.
    pub fn get(&self, id: &str) -> Option<&ValueSet> {
        self.sets.get(id)
    }

    /// Every value set, by id.
    pub fn all(&self) -> impl Iterator<Item = &ValueSet> {
        self.sets.values()
    }

    /// Whether `code` is in the set `id`. An unknown set allows nothing.
    pub fn contains(&self, id: &str, code: &str) -> bool {
        self.sets
            .get(id)
            .is_some_and(|s| s.codes.contains_key(code))
    }

    /// Every set's id and date, e.g. for an "about" screen.
    pub fn versions(&self) -> Vec<(String, String)> {
        self.sets
            .values()
            .map(|s| (s.id.clone(), s.date.clone()))
            .collect()
    }

    /// A one-line description: the embedded release, or that sets were replaced.
    pub fn describe(&self) -> String {
        if self.embedded {
            format!("embedded ehn-dcc-valuesets {EMBEDDED_RELEASE}")
        } else {
            let newest = self
                .sets
                .values()
                .map(|s| s.date.as_str())
                .max()
                .unwrap_or("");
            format!("custom value sets (newest {newest})")
        }
    }
}

impl Default for ValueSets {
    fn default() -> Self {
        Self::embedded()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_set_parses_from_the_compact_copy() {
        let sets = ValueSets::embedded();
        assert_eq!(sets.versions().len(), EMBEDDED.len());
        assert!(sets.contains(ids::DISEASE, "840539006"));
        assert!(sets.contains(ids::VACCINE_PRODUCT, "EU/1/20/1528"));
        assert!(sets.contains(ids::COUNTRY, "DE"));
        // Inactive codes keep their flag.
        let devices = sets.get(ids::TEST_DEVICE).unwrap();
        assert!(devices.codes.values().any(|active| !active));
        assert!(devices.codes.values().any(|active| *active));
    }

    #[test]
    fn replacing_a_set_leaves_the_shared_embedded_copy_alone() {
        let mut custom = ValueSets::embedded();
        let file = r#"{"valueSetId": "country-2-codes", "valueSetDate": "2099-01-01",
            "valueSetValues": {"XK": {"active": true}}}"#;
        assert_eq!(custom.replace_from_json(file).unwrap(), ids::COUNTRY);
        assert!(custom.contains(ids::COUNTRY, "XK") && !custom.contains(ids::COUNTRY, "DE"));
        assert!(ValueSets::embedded().contains(ids::COUNTRY, "DE"));
        assert!(custom.describe().starts_with("custom"));
    }
}
