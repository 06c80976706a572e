//! Business rules (CertLogic): `loadRules`, `Verification.evaluateRules`, `evaluateRule`,
//! `evaluateCertlogic`, and the records of their results.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{DccError, from_view};

/// A rule's verdict, and the overall outcome of a `RulesReport`.
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleOutcome {
    /// `passed`: the rule evaluated to `true`.
    #[default]
    Passed,
    /// `fail`: the rule evaluated to `false`.
    Fail,
    /// `open`: the rule could not be evaluated (see `RuleResult.openReason`).
    Open,
}

/// A rule's `Type`.
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleType {
    /// A rule of the country of arrival.
    #[default]
    Acceptance,
    /// A rule of the issuing country.
    Invalidation,
}

/// The certificate types a rule applies to (its `CertificateType`).
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleCertificateType {
    /// Every certificate type.
    #[default]
    General,
    /// Test certificates.
    Test,
    /// Vaccination certificates.
    Vaccination,
    /// Recovery certificates.
    Recovery,
}

/// Why a rule is open.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OpenReason {
    /// Stable code: `engine_unsupported`, `engine_version_too_new`, `schema_version_mismatch`,
    /// `non_boolean_result`, or the CertLogic engine's code of a failed evaluation.
    pub code: String,
    /// What happened, in words.
    pub message: String,
}

/// A rule's description in one language.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuleDescription {
    /// Language code, e.g. `en`.
    pub lang: String,
    /// The text.
    pub desc: String,
}

/// The result of one rule for one certificate.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuleResult {
    /// The rule's `Identifier`.
    pub identifier: String,
    /// The rule's `Version`.
    pub version: String,
    /// The rule's `Type`.
    pub rule_type: RuleType,
    /// The rule's `Country`.
    pub country: String,
    /// The rule's `CertificateType`.
    pub certificate_type: RuleCertificateType,
    /// `passed`, `fail` or `open`.
    pub outcome: RuleOutcome,
    /// Set exactly when the outcome is `open`.
    pub open_reason: Option<OpenReason>,
    /// The rule's descriptions.
    pub descriptions: Vec<RuleDescription>,
    /// The rule's `AffectedFields`.
    pub affected_fields: Vec<String>,
}

/// The rules that applied to one certificate, each with its result.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RulesReport {
    /// `fail` when any rule failed, else `open` when any is open, else `passed` (also when no
    /// rule applies: `results` is then empty).
    pub outcome: RuleOutcome,
    /// The arrival country (upper case).
    pub country: String,
    /// The region, if any.
    pub region: Option<String>,
    /// The validation time, seconds since the epoch.
    pub validation_clock: i64,
    /// Rules that passed.
    pub passed: u64,
    /// Rules that failed.
    pub failed: u64,
    /// Rules that are open.
    pub open: u64,
    /// Each selected rule's result: acceptance rules first, by identifier.
    pub results: Vec<RuleResult>,
}

#[uniffi::export]
impl RulesReport {
    /// The report as JSON (snake_case keys), as in `dcc verify --rules --json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Where and when the rules are evaluated (`Verification.evaluateRules`).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleOptions {
    /// The country of arrival, whose acceptance rules apply (2 letters).
    pub country: String,
    /// The region of arrival, if the country has regional rules.
    #[uniffi(default = None)]
    pub region: Option<String>,
    /// The validation time, seconds since the epoch (default: the verification time).
    #[uniffi(default = None)]
    pub at: Option<i64>,
    /// Value-set files (JSON, as published in `ehn-dcc-valuesets`) that rules see as
    /// `external.valueSets`, replacing the embedded sets of the same ids. A verification
    /// record does not carry its verifier's value sets, so pass newer sets here.
    #[uniffi(default = [])]
    pub value_sets: Vec<String>,
}

impl From<RuleOptions> for dcc::rules::RuleOptions {
    fn from(o: RuleOptions) -> Self {
        dcc::rules::RuleOptions {
            country: o.country,
            region: o.region,
            at: o.at,
            value_sets: o.value_sets,
        }
    }
}

/// Business rules read by `loadRules`. Safe to share between threads.
#[derive(uniffi::Object, Debug)]
pub struct RuleSet(pub(crate) dcc::rules::RuleSet);

#[uniffi::export]
impl RuleSet {
    /// The number of rules.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u64 {
        self.0.len() as u64
    }
}

/// Reads business rules: one rule (a JSON object in the EU gateway format) or an array of
/// them. A malformed rule is `invalid_rule`, its message naming the rule's index and field.
#[uniffi::export]
pub fn load_rules(json: String) -> Result<Arc<RuleSet>, DccError> {
    Ok(Arc::new(RuleSet(dcc::rules::load_rules(json.as_bytes())?)))
}

/// JSON text to a value; text that is not JSON is `invalid_argument`.
fn parse(what: &str, text: &str) -> Result<serde_json::Value, DccError> {
    serde_json::from_str(text)
        .map_err(|e| dcc::Error::Argument(format!("the {what} is not JSON: {e}")).into())
}

/// Evaluates one rule (`ruleJson`, gateway format: `invalid_rule` when malformed) against
/// `dataJson`, `{"payload": DCC JSON, "external": {"validationClock", "valueSets",
/// "countryCode", ...}}` as the reference engines take it (`dcc rules eval`).
#[uniffi::export]
pub fn evaluate_rule(rule_json: String, data_json: String) -> Result<RuleResult, DccError> {
    let rule = dcc::rules::Rule::from_json(rule_json.as_bytes()).map_err(dcc::Error::from)?;
    let data = parse("data", &data_json)?;
    Ok(from_view(dcc::rules::evaluate_rule_on(&rule, &data)?))
}

/// Evaluates a CertLogic expression on data (both JSON text) and returns the result as JSON
/// text. A failed evaluation is `certlogic_failed`, its message starting with the engine's
/// code (`unknown_operator`, `type_mismatch`, ...).
#[uniffi::export]
pub fn evaluate_certlogic(expression_json: String, data_json: String) -> Result<String, DccError> {
    let expression = parse("expression", &expression_json)?;
    let data = parse("data", &data_json)?;
    Ok(dcc::rules::evaluate_certlogic(&expression, &data)?.to_string())
}
