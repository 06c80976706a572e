//! Payload validation: the official schema of the payload's version, the value sets, and
//! plausibility rules. Issuing refuses what fails; verifying reports it.
//!
//! Every problem is collected (not just the first), each as an [`Issue`] with a JSON path, a
//! stable snake_case code and a message:
//!
//! | code | meaning |
//! |---|---|
//! | `not_an_object` | the payload is not a JSON object |
//! | `missing_group`, `multiple_groups`, `null_group` | not exactly one of `v`/`t`/`r` |
//! | `entry_count` | the group does not hold exactly one entry |
//! | `ver_not_issuable` | issuing needs `ver` 1.3.x |
//! | `required`, `wrong_type`, `pattern_mismatch`, `too_long`, `too_short`, `out_of_range`, `invalid_format`, `missing_standardised_name`, `schema_violation` | the JSON schema |
//! | `unknown_code` | a coded field (`tg vp mp ma tt tr co`) holds a code outside its value set |
//! | `invalid_standardised_name` | `fnt`/`gnt` outside `^[A-Z<]*$`, or with a leading, trailing or double `<` |
//! | `invalid_date`, `invalid_date_time` | a date that is not `YYYY-MM-DD` (or `dob` not one of its three forms), an `sc` that is not RFC 3339 |
//! | `dob_out_of_range` | a birth year outside 1900-2099 |
//! | `dob_after_event` | born after the vaccination, test or positive test |
//! | `date_in_future` | `dt`, `sc` or `fr` after the issue time |
//! | `invalid_dose_number` | `dn`/`sd` not a whole number >= 1 |
//! | `recovery_dates_order` | not `fr <= df <= du` |
//! | `recovery_validity_too_long` | `du` more than 180 days after `fr` |
//! | `rat_device_missing` | a rapid antigen test without the device in `ma` |
//! | `ci_missing`, `ci_malformed` | an empty identifier, or (issuing) not `URN:UVCI:01:CC:...` |

mod normalize;
mod rules;
pub mod schema;
pub mod valuesets;

use std::sync::Arc;

use serde_json::Value;

pub use normalize::{Change, normalize};
pub use rules::{MAX_RECOVERY_DAYS, MAX_STRING, RAT};
pub use valuesets::ValueSets;

use crate::Issue;
use crate::IssueCode;

/// A payload made ready for signing.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The normalised payload.
    pub payload: Value,
    /// What normalisation changed.
    pub changes: Vec<Change>,
    /// Every problem left after normalisation; signing must not go ahead unless this is empty.
    pub issues: Vec<Issue>,
}

/// Validates payloads against the schema, the value sets and the plausibility rules.
#[derive(Debug, Clone, Default)]
pub struct Validator {
    value_sets: Arc<ValueSets>,
}

impl Validator {
    /// A validator with these value sets.
    pub fn new(value_sets: ValueSets) -> Self {
        Validator {
            value_sets: Arc::new(value_sets),
        }
    }

    /// The value sets in use.
    pub fn value_sets(&self) -> &ValueSets {
        &self.value_sets
    }

    /// Normalises and validates strictly for issuing at `now` (seconds since the epoch): dates
    /// are checked for format, `ver` must be 1.3.x, identifiers must be well formed.
    pub fn prepare_for_issuing(&self, payload: &Value, now: i64) -> Prepared {
        let mut payload = payload.clone();
        let changes = if payload.is_object() {
            normalize(&mut payload)
        } else {
            vec![]
        };
        let issues = self.check(&payload, now, true);
        Prepared {
            payload,
            changes,
            issues,
        }
    }

    /// Findings for a received payload, reported by a verifier and never fatal: the schema of
    /// its `ver` (falling back to the newest), without format assertions; value sets and rules
    /// after trimming. `now` is the issue time (`iat`) when known.
    pub fn findings(&self, payload: &Value, now: i64) -> Vec<Issue> {
        self.check(payload, now, false)
    }

    fn check(&self, payload: &Value, now: i64, strict: bool) -> Vec<Issue> {
        if !payload.is_object() {
            return vec![Issue::new(
                "",
                IssueCode::NotAnObject,
                "the payload must be a JSON object",
            )];
        }
        let mut issues = structure(payload);
        let ver = payload.get("ver").and_then(Value::as_str).unwrap_or("");
        let version = if strict {
            if !ver.starts_with("1.3.") {
                issues.push(Issue::new(
                    "ver",
                    IssueCode::VerNotIssuable,
                    format!("new certificates use schema 1.3.x, not {ver:?}"),
                ));
            }
            if ver.starts_with("1.3.") {
                schema::select(ver)
            } else {
                schema::NEWEST
            }
        } else {
            schema::select(ver)
        };
        issues.extend(schema::issues(payload, version, strict));
        let ctx = rules::Ctx {
            value_sets: &self.value_sets,
            now,
            strict,
        };
        rules::check(payload, &ctx, &mut issues);
        dedupe(issues)
    }
}

/// The schema check as the official test data means it: the payload's `ver` selects the
/// schema (falling back as [`schema::select`] does), formats are not asserted, and exactly
/// one of `v`/`t`/`r` must be present.
pub fn schema_check(payload: &Value) -> Vec<Issue> {
    if !payload.is_object() {
        return vec![Issue::new(
            "",
            IssueCode::NotAnObject,
            "the payload must be a JSON object",
        )];
    }
    let mut issues = structure(payload);
    let ver = payload.get("ver").and_then(Value::as_str).unwrap_or("");
    issues.extend(schema::issues(payload, schema::select(ver), false));
    dedupe(issues)
}

/// Exactly one of `v`, `t`, `r` (a key written as `null` counts as present) with one entry.
fn structure(payload: &Value) -> Vec<Issue> {
    let present: Vec<&str> = ["v", "t", "r"]
        .into_iter()
        .filter(|k| payload.get(*k).is_some())
        .collect();
    let mut issues = Vec::new();
    match present.as_slice() {
        [] => issues.push(Issue::new(
            "",
            IssueCode::MissingGroup,
            "exactly one of v, t or r is required",
        )),
        [_] => {}
        many => issues.push(Issue::new(
            "",
            IssueCode::MultipleGroups,
            format!(
                "only one of v, t or r is allowed, found {}",
                many.join(", ")
            ),
        )),
    }
    for k in present {
        match payload.get(k) {
            Some(Value::Null) => {
                issues.push(Issue::new(k, IssueCode::NullGroup, format!("{k} is null")))
            }
            Some(Value::Array(a)) if a.len() != 1 => issues.push(Issue::new(
                k,
                IssueCode::EntryCount,
                format!("{k} must hold exactly one entry, found {}", a.len()),
            )),
            _ => {}
        }
    }
    issues
}

fn dedupe(issues: Vec<Issue>) -> Vec<Issue> {
    let mut seen = std::collections::HashSet::new();
    issues
        .into_iter()
        .filter(|i| seen.insert((i.path.clone(), i.code)))
        .collect()
}
