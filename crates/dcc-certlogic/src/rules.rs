//! Business rules in the EU DCC Gateway's format: parsing, selection for a validation, and
//! evaluation to PASSED, FAIL or OPEN (the reference engine's `DefaultCertLogicEngine.kt`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::date;
use crate::eval::eval;
use crate::value::Val;

/// The CertLogic version this engine implements: specification 1.3.2, the version certlogic-js
/// 1.2.2 (whose semantics we follow) reports. A rule whose `EngineVersion` is newer is
/// [`RuleOutcome::Open`] with `engine_version_too_new`. (The reference Android engine says
/// 1.0.0; real rules declare 0.1.0 to 1.0.0, and one 2.0.1.)
pub const ENGINE_VERSION: &str = "1.3.2";

const ENGINE_VERSION_PARTS: SemVer = SemVer(1, 3, 2);

/// The engine name a rule must declare to be evaluated.
pub const ENGINE: &str = "CERTLOGIC";

/// `MAJOR.MINOR.PATCH`, three decimal numbers and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SemVer(u64, u64, u64);

fn semver(s: &str) -> Option<SemVer> {
    let mut parts = s.split('.').map(|p| {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            p.parse::<u64>().ok()
        }
    });
    let v = SemVer(parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// A rule's `Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleType {
    /// A rule of the country of arrival.
    Acceptance,
    /// A rule of the issuing country (e.g. blocking certificates of a withdrawn issuer).
    Invalidation,
}

/// The certificate types a rule applies to (`CertificateType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleCertificateType {
    /// Every certificate type.
    General,
    /// Test certificates.
    Test,
    /// Vaccination certificates.
    Vaccination,
    /// Recovery certificates.
    Recovery,
}

/// The type of the certificate being validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateType {
    /// A vaccination certificate (`v`).
    Vaccination,
    /// A test certificate (`t`).
    Test,
    /// A recovery certificate (`r`).
    Recovery,
}

impl RuleCertificateType {
    /// Whether a rule of this type applies to a certificate of type `t`.
    pub fn applies_to(self, t: CertificateType) -> bool {
        matches!(
            (self, t),
            (RuleCertificateType::General, _)
                | (RuleCertificateType::Test, CertificateType::Test)
                | (
                    RuleCertificateType::Vaccination,
                    CertificateType::Vaccination
                )
                | (RuleCertificateType::Recovery, CertificateType::Recovery)
        )
    }
}

/// A rule's description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// Language code, e.g. `en`.
    pub lang: String,
    /// The text.
    pub desc: String,
}

/// A business rule. Read one with [`Rule::from_json`] (the gateway's PascalCase keys; unknown
/// keys such as `hash` are ignored); it serialises with snake_case keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// `Identifier`, e.g. `VR-DE-0001`.
    pub identifier: String,
    /// `Type`.
    pub rule_type: RuleType,
    /// `Country`: the country that made the rule (2 letters).
    pub country: String,
    /// `Region`, when the rule is for one region of the country only.
    pub region: Option<String>,
    /// `Version` (semantic version, `MAJOR.MINOR.PATCH`).
    pub version: String,
    /// `SchemaVersion`: the DCC schema version the rule is written for.
    pub schema_version: String,
    /// `Engine` (`CERTLOGIC`).
    pub engine: String,
    /// `EngineVersion`: the CertLogic version the rule needs.
    pub engine_version: String,
    /// `CertificateType`.
    pub certificate_type: RuleCertificateType,
    /// `Description`.
    pub descriptions: Vec<Description>,
    /// `ValidFrom` as Unix seconds.
    pub valid_from: i64,
    /// `ValidTo` as Unix seconds (the rule is valid before this instant).
    pub valid_to: i64,
    /// `ValidFrom` as written in the rule.
    pub valid_from_text: String,
    /// `ValidTo` as written in the rule.
    pub valid_to_text: String,
    /// `AffectedFields`: the payload fields the rule reads.
    pub affected_fields: Vec<String>,
    /// `Logic`: the CertLogic expression.
    pub logic: Value,
}

/// What is wrong with rule JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleErrorCode {
    /// Not JSON, or JSON that is neither a rule object nor an array of them.
    InvalidJson,
    /// An entry of the array is not an object.
    NotARule,
    /// A required field is absent or `null`.
    MissingField,
    /// A field has the wrong type or an impossible value (unknown `Type`, a `Version` that is
    /// not `MAJOR.MINOR.PATCH`, a `ValidFrom` that is not an RFC 3339 timestamp, ...).
    InvalidField,
}

impl RuleErrorCode {
    /// The stable snake_case code, e.g. `"missing_field"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::NotARule => "not_a_rule",
            Self::MissingField => "missing_field",
            Self::InvalidField => "invalid_field",
        }
    }
}

/// Rule JSON that could not be read. For a rule set, [`index`](RuleError::index) names the
/// offending entry: no entry is ever dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}{message}", index.map(|i| format!("rule {i}: ")).unwrap_or_default())]
pub struct RuleError {
    code: RuleErrorCode,
    message: String,
    index: Option<usize>,
    field: Option<&'static str>,
}

impl RuleError {
    fn new(code: RuleErrorCode, field: Option<&'static str>, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            index: None,
            field,
        }
    }

    /// The stable snake_case code, e.g. `"invalid_field"`.
    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// The code as an enum.
    pub fn kind(&self) -> RuleErrorCode {
        self.code
    }

    /// What went wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The position of the bad rule in a rule array (0-based).
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The gateway name of the bad field (`"ValidFrom"`), if one field is to blame.
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }
}

fn missing(field: &'static str) -> RuleError {
    RuleError::new(
        RuleErrorCode::MissingField,
        Some(field),
        format!("{field} is missing"),
    )
}

fn invalid(field: &'static str, why: impl std::fmt::Display) -> RuleError {
    RuleError::new(
        RuleErrorCode::InvalidField,
        Some(field),
        format!("{field} {why}"),
    )
}

fn required<'v>(obj: &'v Map<String, Value>, field: &'static str) -> Result<&'v Value, RuleError> {
    obj.get(field)
        .filter(|v| !v.is_null())
        .ok_or_else(|| missing(field))
}

fn string(obj: &Map<String, Value>, field: &'static str) -> Result<String, RuleError> {
    required(obj, field)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid(field, "is not a string"))
}

fn timestamp(obj: &Map<String, Value>, field: &'static str) -> Result<(i64, String), RuleError> {
    use time::format_description::well_known::Rfc3339;
    let text = string(obj, field)?;
    let t = time::OffsetDateTime::parse(&text, &Rfc3339)
        .map_err(|_| invalid(field, format_args!("{text:?} is not an RFC 3339 timestamp")))?;
    Ok((t.unix_timestamp(), text))
}

fn one_of<T: Copy>(
    obj: &Map<String, Value>,
    field: &'static str,
    names: &[(&str, T)],
) -> Result<T, RuleError> {
    let text = string(obj, field)?;
    names
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(&text))
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let allowed: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            invalid(
                field,
                format_args!("{text:?} is not one of {}", allowed.join(", ")),
            )
        })
}

fn parse_rule(value: Value) -> Result<Rule, RuleError> {
    let Value::Object(mut obj) = value else {
        return Err(RuleError::new(
            RuleErrorCode::NotARule,
            None,
            "a rule must be a JSON object",
        ));
    };
    let identifier = string(&obj, "Identifier")?;
    parse_fields(&mut obj, &identifier).map_err(|mut e| {
        e.message = format!("{identifier}: {}", e.message);
        e
    })
}

fn parse_fields(obj: &mut Map<String, Value>, identifier: &str) -> Result<Rule, RuleError> {
    required(obj, "Logic")?;
    let version = string(obj, "Version")?;
    if semver(&version).is_none() {
        return Err(invalid(
            "Version",
            format_args!("{version:?} is not MAJOR.MINOR.PATCH"),
        ));
    }
    let region = match obj.get("Region") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("Region", "is not a string")),
    };
    let descriptions = match obj.get("Description") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|d| {
                let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
                match (text("lang"), text("desc")) {
                    (Some(lang), Some(desc)) => Ok(Description { lang, desc }),
                    _ => Err(invalid(
                        "Description",
                        "has an entry without string lang and desc",
                    )),
                }
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(invalid("Description", "is not an array")),
    };
    let affected_fields = match obj.get("AffectedFields") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|f| f.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| invalid("AffectedFields", "has an entry that is not a string"))?,
        Some(_) => return Err(invalid("AffectedFields", "is not an array")),
    };
    let (valid_from, valid_from_text) = timestamp(obj, "ValidFrom")?;
    let (valid_to, valid_to_text) = timestamp(obj, "ValidTo")?;
    Ok(Rule {
        identifier: identifier.to_owned(),
        rule_type: one_of(
            obj,
            "Type",
            &[
                ("Acceptance", RuleType::Acceptance),
                ("Invalidation", RuleType::Invalidation),
            ],
        )?,
        country: string(obj, "Country")?,
        region,
        version,
        schema_version: string(obj, "SchemaVersion")?,
        engine: string(obj, "Engine")?,
        engine_version: string(obj, "EngineVersion")?,
        certificate_type: one_of(
            obj,
            "CertificateType",
            &[
                ("General", RuleCertificateType::General),
                ("Test", RuleCertificateType::Test),
                ("Vaccination", RuleCertificateType::Vaccination),
                ("Recovery", RuleCertificateType::Recovery),
            ],
        )?,
        descriptions,
        valid_from,
        valid_to,
        valid_from_text,
        valid_to_text,
        affected_fields,
        // Present (checked first): moved out, not copied.
        logic: obj.remove("Logic").unwrap_or_default(),
    })
}

fn parse_json(bytes: &[u8]) -> Result<Value, RuleError> {
    serde_json::from_slice(bytes)
        .map_err(|e| RuleError::new(RuleErrorCode::InvalidJson, None, e.to_string()))
}

impl Rule {
    /// Reads one rule in the gateway's JSON format.
    pub fn from_json(bytes: &[u8]) -> Result<Rule, RuleError> {
        parse_rule(parse_json(bytes)?)
    }

    /// Reads one rule from parsed JSON.
    pub fn from_value(value: &Value) -> Result<Rule, RuleError> {
        parse_rule(value.clone())
    }

    /// Whether the rule is in force at `unix_secs`: `ValidFrom <= t < ValidTo`.
    pub fn is_valid_at(&self, unix_secs: i64) -> bool {
        self.valid_from <= unix_secs && unix_secs < self.valid_to
    }
}

/// Who validates what, when: the input of [`RuleSet::select`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The country of arrival, whose acceptance rules apply (2 letters, any case).
    pub arrival_country: String,
    /// The region of arrival. Acceptance rules must have this region, compared trimmed and
    /// case-insensitively, with `None` and a missing `Region` both meaning "" (as the reference
    /// engines do): a rule without `Region` does *not* apply to a region's validation.
    pub region: Option<String>,
    /// The issuing country of the certificate, whose invalidation rules apply; empty for none.
    pub issuer_country: String,
    /// The type of the certificate.
    pub certificate_type: CertificateType,
    /// The validation time, Unix seconds.
    pub validation_clock: i64,
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A list of rules, e.g. everything a national backend serves.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// A set of these rules.
    pub fn new(rules: Vec<Rule>) -> Self {
        Self { rules }
    }

    /// Reads one rule (a JSON object) or an array of rules. A malformed entry is an error
    /// naming its index, never skipped.
    pub fn from_json(bytes: &[u8]) -> Result<Self, RuleError> {
        match parse_json(bytes)? {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    parse_rule(item).map_err(|mut e| {
                        e.index = Some(i);
                        e
                    })
                })
                .collect::<Result<_, _>>()
                .map(Self::new),
            value @ Value::Object(_) => Ok(Self::new(vec![parse_rule(value)?])),
            _ => Err(RuleError::new(
                RuleErrorCode::InvalidJson,
                None,
                "expected a rule object or an array of rules",
            )),
        }
    }

    /// The rules, in the order they were read.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules that apply to a validation:
    ///
    /// - acceptance rules whose `Country` is the arrival country and whose `Region` is the
    ///   selection's region (see [`Selection::region`]);
    /// - invalidation rules whose `Country` is the issuing country (any region);
    /// - of those, the ones whose `CertificateType` is `General` or the certificate's type and
    ///   that are in force at the validation clock (`ValidFrom <= clock < ValidTo`);
    /// - per `Identifier`, only the highest `Version` among them (semantic version order; equal
    ///   versions: the later `ValidFrom`, then the first in the set).
    ///
    /// Countries compare case-insensitively. The result lists acceptance rules, then
    /// invalidation rules, each sorted by identifier.
    pub fn select(&self, selection: &Selection) -> Vec<&Rule> {
        let region = selection.region.as_deref().unwrap_or("");
        let issuer = selection.issuer_country.trim();
        let mut acceptance: BTreeMap<&str, &Rule> = BTreeMap::new();
        let mut invalidation: BTreeMap<&str, &Rule> = BTreeMap::new();
        for rule in &self.rules {
            if !rule.certificate_type.applies_to(selection.certificate_type)
                || !rule.is_valid_at(selection.validation_clock)
            {
                continue;
            }
            let newest = match rule.rule_type {
                RuleType::Acceptance
                    if same_text(&rule.country, &selection.arrival_country)
                        && same_text(rule.region.as_deref().unwrap_or(""), region) =>
                {
                    &mut acceptance
                }
                RuleType::Invalidation
                    if !issuer.is_empty() && same_text(&rule.country, issuer) =>
                {
                    &mut invalidation
                }
                _ => continue,
            };
            let key = |r: &Rule| (semver(&r.version), r.valid_from);
            newest
                .entry(rule.identifier.as_str())
                .and_modify(|kept| {
                    if key(rule) > key(kept) {
                        *kept = rule;
                    }
                })
                .or_insert(rule);
        }
        acceptance
            .into_values()
            .chain(invalidation.into_values())
            .collect()
    }

    /// [`select`](RuleSet::select)s the rules and evaluates them ([`evaluate_rules`]).
    pub fn validate(
        &self,
        selection: &Selection,
        payload: &Value,
        external: &External,
    ) -> Vec<RuleResult> {
        evaluate_rules(self.select(selection), payload, external)
    }
}

/// The `external` object rules see next to the `payload`. It serialises with the reference
/// engines' keys: `validationClock`, `valueSets`, `countryCode`, `issuerCountryCode`, `exp`,
/// `iat`, `kid`, `region`. Real rules read only `validationClock` and `valueSets`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct External {
    /// The validation time as an ISO 8601 date-time with a zone, e.g. `2021-12-01T12:00:00Z`
    /// ([`External::clock`] writes one). Rules read it through `plusTime`, so it must be in
    /// one of CertLogic's date-time formats.
    pub validation_clock: String,
    /// Value sets by id (`covid-19-lab-test-type`, ...): the allowed codes of each.
    pub value_sets: BTreeMap<String, Vec<String>>,
    /// The country of arrival (the country validating).
    pub country_code: String,
    /// The country that issued the certificate.
    pub issuer_country_code: String,
    /// The certificate's expiry (CWT `exp`) as an ISO 8601 date-time, if known.
    pub exp: Option<String>,
    /// The certificate's issue time (CWT `iat`) as an ISO 8601 date-time, if known.
    pub iat: Option<String>,
    /// The signing key's id, base64, if known.
    pub kid: Option<String>,
    /// The region of arrival; `""` for none (as the reference engine sends it).
    pub region: String,
}

impl External {
    /// An external object for a validation at `unix_secs` in `country_code`, without value sets.
    pub fn new(unix_secs: i64, country_code: impl Into<String>) -> Self {
        Self {
            validation_clock: Self::clock(unix_secs),
            country_code: country_code.into(),
            ..Self::default()
        }
    }

    /// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`, the form for [`External::validation_clock`],
    /// [`External::exp`] and [`External::iat`].
    pub fn clock(unix_secs: i64) -> String {
        date::unix_to_iso_seconds(unix_secs)
    }

    /// The JSON object rules see as `external`.
    pub fn to_json(&self) -> Value {
        let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
        let value_sets: Map<String, Value> = self
            .value_sets
            .iter()
            .map(|(id, codes)| (id.clone(), Value::from(codes.clone())))
            .collect();
        let mut m = Map::new();
        m.insert(
            "validationClock".into(),
            self.validation_clock.clone().into(),
        );
        m.insert("valueSets".into(), Value::Object(value_sets));
        m.insert("countryCode".into(), self.country_code.clone().into());
        m.insert(
            "issuerCountryCode".into(),
            self.issuer_country_code.clone().into(),
        );
        m.insert("exp".into(), text(&self.exp));
        m.insert("iat".into(), text(&self.iat));
        m.insert("kid".into(), text(&self.kid));
        m.insert("region".into(), self.region.clone().into());
        Value::Object(m)
    }
}

/// A rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOutcome {
    /// The rule evaluated to `true`.
    Passed,
    /// The rule evaluated to `false`.
    Fail,
    /// The rule could not be evaluated (see [`RuleResult::open_reason`]).
    Open,
}

/// Why a rule is [`RuleOutcome::Open`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenReason {
    /// A stable snake_case code: `engine_unsupported` (`Engine` is not `CERTLOGIC`, or its
    /// `EngineVersion` is not `MAJOR.MINOR.PATCH`), `engine_version_too_new` (above
    /// [`ENGINE_VERSION`]), `schema_version_mismatch` (the payload's `ver` is missing, not
    /// `MAJOR.MINOR.PATCH`, of another major version than `SchemaVersion`, or lower),
    /// `non_boolean_result` (the rule gave something else than `true` or `false`), or the
    /// [`EvalError`](crate::EvalError) code of a failed evaluation.
    pub code: &'static str,
    /// What happened, in words.
    pub message: String,
}

/// The result of one rule for one certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// PASSED, FAIL or OPEN.
    pub outcome: RuleOutcome,
    /// Set exactly when the outcome is [`RuleOutcome::Open`].
    pub open_reason: Option<OpenReason>,
    /// The rule's descriptions.
    pub descriptions: Vec<Description>,
    /// The rule's `AffectedFields`.
    pub affected_fields: Vec<String>,
}

/// Evaluates one rule against a DCC payload (the JSON of the `hcert` claim, with `ver`).
///
/// The rule is OPEN without being evaluated when its `Engine` is not `CERTLOGIC`, its
/// `EngineVersion` is above [`ENGINE_VERSION`], or the payload's `ver` does not fit its
/// `SchemaVersion` (other major version, or lower); OPEN too when the evaluation fails or gives
/// something else than a boolean. Otherwise `true` is PASSED and `false` FAIL.
pub fn evaluate_rule(rule: &Rule, payload: &Value, external: &External) -> RuleResult {
    evaluate_prepared(rule, payload, &external.to_json())
}

/// [`evaluate_rule`] for several rules, with the `external` object built once.
pub fn evaluate_rules<'r>(
    rules: impl IntoIterator<Item = &'r Rule>,
    payload: &Value,
    external: &External,
) -> Vec<RuleResult> {
    let external = external.to_json();
    rules
        .into_iter()
        .map(|rule| evaluate_prepared(rule, payload, &external))
        .collect()
}

fn open(code: &'static str, message: String) -> (RuleOutcome, Option<OpenReason>) {
    (RuleOutcome::Open, Some(OpenReason { code, message }))
}

fn verdict(rule: &Rule, payload: &Value, external: &Value) -> (RuleOutcome, Option<OpenReason>) {
    if rule.engine != ENGINE {
        return open(
            "engine_unsupported",
            format!("the rule's engine is {:?}, not {ENGINE}", rule.engine),
        );
    }
    match semver(&rule.engine_version) {
        None => {
            return open(
                "engine_unsupported",
                format!(
                    "EngineVersion {:?} is not MAJOR.MINOR.PATCH",
                    rule.engine_version
                ),
            );
        }
        Some(v) if v > ENGINE_VERSION_PARTS => {
            return open(
                "engine_version_too_new",
                format!(
                    "the rule needs CertLogic {}; this engine implements {ENGINE_VERSION}",
                    rule.engine_version
                ),
            );
        }
        Some(_) => {}
    }
    let Some(schema) = semver(&rule.schema_version) else {
        return open(
            "schema_version_mismatch",
            format!(
                "SchemaVersion {:?} is not MAJOR.MINOR.PATCH",
                rule.schema_version
            ),
        );
    };
    let ver = payload.get("ver").and_then(Value::as_str);
    match ver.and_then(semver) {
        None => {
            return open(
                "schema_version_mismatch",
                format!("the payload's ver {ver:?} is not MAJOR.MINOR.PATCH"),
            );
        }
        Some(v) if v.0 != schema.0 || v < schema => {
            return open(
                "schema_version_mismatch",
                format!(
                    "the payload's ver {} does not fit the rule's SchemaVersion {}",
                    ver.unwrap_or_default(),
                    rule.schema_version
                ),
            );
        }
        Some(_) => {}
    }
    let data = match Val::obj([
        ("payload", Val::Json(payload)),
        ("external", Val::Json(external)),
    ]) {
        Ok(data) => data,
        Err(e) => return open(e.code(), e.message().to_owned()),
    };
    match eval(&rule.logic, &data, 0) {
        Ok(v) => match v {
            Val::Json(Value::Bool(true)) | Val::Bool(true) => (RuleOutcome::Passed, None),
            Val::Json(Value::Bool(false)) | Val::Bool(false) => (RuleOutcome::Fail, None),
            other => open(
                "non_boolean_result",
                format!(
                    "the rule evaluated to {} instead of true or false",
                    other.to_json()
                ),
            ),
        },
        Err(e) => open(e.code(), e.message().to_owned()),
    }
}

fn evaluate_prepared(rule: &Rule, payload: &Value, external: &Value) -> RuleResult {
    let (outcome, open_reason) = verdict(rule, payload, external);
    RuleResult {
        identifier: rule.identifier.clone(),
        version: rule.version.clone(),
        rule_type: rule.rule_type,
        country: rule.country.clone(),
        certificate_type: rule.certificate_type,
        outcome,
        open_reason,
        descriptions: rule.descriptions.clone(),
        affected_fields: rule.affected_fields.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_is_strict() {
        assert_eq!(semver("1.2.3"), Some(SemVer(1, 2, 3)));
        assert_eq!(semver("10.0.01"), Some(SemVer(10, 0, 1)));
        for bad in [
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "",
            "1..2",
            "v1.2.3",
            "1.2.3-beta",
            "+1.2.3",
        ] {
            assert_eq!(semver(bad), None, "{bad}");
        }
        assert_eq!(semver(ENGINE_VERSION), Some(ENGINE_VERSION_PARTS));
    }
}
