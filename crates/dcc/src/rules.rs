//! Business rules (CertLogic): evaluate the arrival country's rules for a verified
//! certificate, as verifier apps do after the technical checks.
//!
//! The engine is the [`dcc_certlogic`] crate (our own: it passes every runnable assertion of
//! the CertLogic specification's test suite). This module adds what a verifier knows: the
//! certificate's type, issuing country, `iat`/`exp` and kid, and the value sets.
//!
//! ```
//! use dcc::{Verifier, rules::{RuleOptions, RuleSet}};
//!
//! let cert = dcc::Issuer::demo()
//!     .issue_json(include_str!("../../../examples/vaccination.json"), &Default::default())
//!     .unwrap();
//! let verification = Verifier::demo().verify(cert.hc1(), dcc::now()).unwrap();
//! let rules = RuleSet::from_json(br#"[{
//!   "Identifier": "VR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
//!   "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5",
//!   "CertificateType": "Vaccination", "Description": [{"lang": "en", "desc": "dose within the series"}],
//!   "ValidFrom": "2021-06-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z",
//!   "AffectedFields": ["v.0.dn", "v.0.sd"],
//!   "Logic": {"<=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}
//! }]"#).unwrap();
//! let report = verification.evaluate_rules(&rules, &RuleOptions::country("XX")).unwrap();
//! assert_eq!(report.passed, 1);
//! assert_eq!(report.outcome, dcc::rules::RuleOutcome::Passed);
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use dcc_certlogic::{
    CertificateType as RuleSelectionType, Description, ENGINE_VERSION, EvalError, EvalErrorCode,
    External, OpenReason, Rule, RuleCertificateType, RuleError, RuleErrorCode, RuleOutcome,
    RuleResult, RuleSet, RuleType, Selection, ValidationIssue as ExpressionIssue, evaluate_rule,
    evaluate_rules,
};

use crate::{CertType, Error, Result, Verification};

/// Where and when the rules are evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleOptions {
    /// The country of arrival, whose acceptance rules apply (2 letters).
    pub country: String,
    /// The region of arrival, if the country has regional rules.
    pub region: Option<String>,
    /// The validation time, seconds since the epoch (default: the verification time).
    pub at: Option<i64>,
    /// Value-set files (JSON, as published in `ehn-dcc-valuesets`) that rules see as
    /// `external.valueSets`, replacing the sets of the same ids. Without them rules see the
    /// verifier's value sets (the embedded ones, or those given with `with_value_sets`).
    pub value_sets: Vec<String>,
}

impl RuleOptions {
    /// Rules of `country`, at the verification time, without a region.
    pub fn country(country: impl Into<String>) -> Self {
        RuleOptions {
            country: country.into(),
            ..Self::default()
        }
    }
}

/// The result of evaluating the selected rules for one certificate, as every language
/// reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesReport {
    /// `fail` when any rule failed, else `open` when any is open, else `passed` (also when no
    /// rule applies: `results` is then empty).
    pub outcome: RuleOutcome,
    /// The arrival country.
    pub country: String,
    /// The region, if any.
    pub region: Option<String>,
    /// The validation time, seconds since the epoch.
    pub validation_clock: i64,
    /// Rules that passed.
    pub passed: usize,
    /// Rules that failed.
    pub failed: usize,
    /// Rules that are open (evaluation error, newer engine or schema version).
    pub open: usize,
    /// Each selected rule's result: identifier, version, type, country, outcome, the reason
    /// when open, descriptions and affected fields. Acceptance rules first, by identifier.
    pub results: Vec<RuleResult>,
}

impl RulesReport {
    /// The report as JSON.
    pub fn to_json(&self) -> String {
        crate::api::to_json(self)
    }
}

impl Verification {
    /// Selects the rules that apply to this certificate (acceptance rules of the arrival
    /// country and region, invalidation rules of the issuing country `iss`, `General` or the
    /// certificate's type, the newest version in force at the validation time) and evaluates
    /// them with the external parameters a verifier app passes: `validationClock`,
    /// `valueSets` (the verifier's value sets: embedded, or those given with
    /// `with_value_sets`; [`RuleOptions::value_sets`] replaces them), `countryCode`, `issuerCountryCode`, `exp`, `iat`, `kid` and `region`.
    ///
    /// Run it after the technical checks: it says whether the certificate is accepted for
    /// entry, not whether it is genuine. Fails with `invalid_argument` when the country is not
    /// two letters or the payload holds no single certificate type, and with
    /// `invalid_value_set` when a value-set file of the options cannot be read.
    pub fn evaluate_rules(&self, rules: &RuleSet, options: &RuleOptions) -> Result<RulesReport> {
        let country = options.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::Argument(format!(
                "the arrival country {:?} is not two letters",
                options.country
            )));
        }
        let certificate_type = match self.certificate_type() {
            Some(CertType::Vaccination) => RuleSelectionType::Vaccination,
            Some(CertType::Test) => RuleSelectionType::Test,
            Some(CertType::Recovery) => RuleSelectionType::Recovery,
            None => {
                return Err(Error::Argument(
                    "the payload holds no single certificate type, so no rules can be selected"
                        .into(),
                ));
            }
        };
        let at = options.at.unwrap_or(self.at);
        let mut value_sets = self.value_sets.clone();
        for file in &options.value_sets {
            value_sets
                .replace_from_json(file)
                .map_err(Error::ValueSet)?;
        }
        let claims = self.claims();
        let issuer_country = claims.iss.clone().unwrap_or_default();
        let selection = Selection {
            arrival_country: country.clone(),
            region: options.region.clone(),
            issuer_country: issuer_country.clone(),
            certificate_type,
            validation_clock: at,
        };
        let external = External {
            validation_clock: External::clock(at),
            value_sets: value_sets
                .all()
                .map(|set| (set.id.clone(), set.codes.keys().cloned().collect()))
                .collect(),
            country_code: country.clone(),
            issuer_country_code: issuer_country,
            exp: claims.exp.map(External::clock),
            iat: claims.iat.map(External::clock),
            kid: self.kid(),
            region: options.region.clone().unwrap_or_default(),
        };
        let results = rules.validate(&selection, self.payload(), &external);
        let count = |o: RuleOutcome| results.iter().filter(|r| r.outcome == o).count();
        let (passed, failed, open) = (
            count(RuleOutcome::Passed),
            count(RuleOutcome::Fail),
            count(RuleOutcome::Open),
        );
        Ok(RulesReport {
            outcome: if failed > 0 {
                RuleOutcome::Fail
            } else if open > 0 {
                RuleOutcome::Open
            } else {
                RuleOutcome::Passed
            },
            country,
            region: options.region.clone(),
            validation_clock: at,
            passed,
            failed,
            open,
            results,
        })
    }
}

/// Reads business rules: one rule (a JSON object in the EU gateway format) or an array of
/// them. A malformed rule is an `invalid_rule` error naming its index.
pub fn load_rules(json: &[u8]) -> Result<RuleSet> {
    RuleSet::from_json(json).map_err(Error::from)
}

/// Evaluates a CertLogic expression on `data` (`{"payload": ..., "external": ...}` for a
/// rule), with certlogic-js semantics. An evaluation error is `certlogic_failed`, its message
/// starting with the engine's code (`unknown_operator`, `type_mismatch`, ...).
pub fn evaluate_certlogic(expression: &Value, data: &Value) -> Result<Value> {
    dcc_certlogic::evaluate(expression, data).map_err(Error::from)
}

/// Evaluates one rule against `{"payload": DCC JSON, "external": {...}}` (what `dcc rules
/// eval` reads): PASSED, FAIL or OPEN with the reason. The `external` object uses the
/// reference engines' keys (`validationClock`, `valueSets`, `countryCode`, ...); a missing
/// key is empty.
pub fn evaluate_rule_on(rule: &Rule, data: &Value) -> Result<RuleResult> {
    let payload = data
        .get("payload")
        .ok_or_else(|| Error::Argument("the data has no \"payload\"".into()))?;
    let external: External = match data.get("external") {
        None | Some(Value::Null) => External::default(),
        Some(e) => serde_json::from_value(e.clone())
            .map_err(|e| Error::Argument(format!("the data's \"external\": {e}")))?,
    };
    Ok(evaluate_rule(rule, payload, &external))
}
