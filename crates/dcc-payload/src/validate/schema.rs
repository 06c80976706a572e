//! The official JSON schemas, one per release, embedded (`data/schema`, ehn-dcc-schema
//! 1.0.0 to 1.3.3).

use std::sync::OnceLock;

use serde_json::Value;

use crate::Issue;

/// Every embedded schema version, oldest first.
pub const VERSIONS: [&str; 9] = [
    "1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.3.1", "1.3.2", "1.3.3",
];

/// The newest embedded schema version.
pub const NEWEST: &str = "1.3.3";

const TEXTS: [&str; 9] = [
    include_str!("../../data/schema/1.0.0.json"),
    include_str!("../../data/schema/1.0.1.json"),
    include_str!("../../data/schema/1.1.0.json"),
    include_str!("../../data/schema/1.2.0.json"),
    include_str!("../../data/schema/1.2.1.json"),
    include_str!("../../data/schema/1.3.0.json"),
    include_str!("../../data/schema/1.3.1.json"),
    include_str!("../../data/schema/1.3.2.json"),
    include_str!("../../data/schema/1.3.3.json"),
];

fn parse_ver(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim().split('.').map(|p| p.parse::<u32>().ok());
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(Some(a)), Some(Some(b)), Some(Some(c)), None) => Some((a, b, c)),
        _ => None,
    }
}

/// The embedded schema version to use for a payload `ver`: the exact one, else the newest
/// embedded patch release of the same major.minor not above it, else the newest.
pub fn select(ver: &str) -> &'static str {
    if let Some(v) = VERSIONS.iter().find(|v| **v == ver.trim()) {
        return v;
    }
    if let Some((a, b, c)) = parse_ver(ver)
        && let Some(v) = VERSIONS
            .iter()
            .rev()
            .find(|v| parse_ver(v).is_some_and(|(x, y, z)| x == a && y == b && z <= c))
    {
        return v;
    }
    NEWEST
}

struct Compiled {
    plain: jsonschema::Validator,
    formats: jsonschema::Validator,
}

fn compiled(index: usize) -> Option<&'static Compiled> {
    static CELLS: [OnceLock<Option<Compiled>>; 9] = [const { OnceLock::new() }; 9];
    CELLS[index]
        .get_or_init(|| {
            let mut schema: Value = serde_json::from_str(TEXTS[index]).ok()?;
            // "Exactly one of v/t/r" is a root `oneOf` of `required` lists from 1.3.0 on. It is
            // checked separately (with a precise code) and removed here, so that errors inside
            // the group keep their own paths instead of collapsing into one oneOf failure.
            if let Some(obj) = schema.as_object_mut()
                && obj.remove("oneOf").is_some()
            {
                obj.insert("required".into(), serde_json::json!(["ver", "nam", "dob"]));
            }
            let plain = jsonschema::options()
                .should_validate_formats(false)
                .build(&schema)
                .ok()?;
            let formats = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .ok()?;
            Some(Compiled { plain, formats })
        })
        .as_ref()
}

/// Validates `payload` against the schema `version` (one of [`VERSIONS`]); `formats` turns on
/// the `date` / `date-time` format assertions (off in the official tooling).
pub fn issues(payload: &Value, version: &str, formats: bool) -> Vec<Issue> {
    let Some(index) = VERSIONS.iter().position(|v| *v == version) else {
        return vec![Issue::new(
            "ver",
            "unknown_schema_version",
            format!("no schema {version}"),
        )];
    };
    let Some(c) = compiled(index) else {
        return vec![Issue::new(
            "",
            "schema_unavailable",
            format!("schema {version} failed to load"),
        )];
    };
    let validator = if formats { &c.formats } else { &c.plain };
    validator
        .iter_errors(payload)
        .map(|e| to_issue(&e))
        .collect()
}

fn to_issue(e: &jsonschema::ValidationError<'_>) -> Issue {
    use jsonschema::error::ValidationErrorKind as K;
    let path = e
        .instance_path()
        .as_str()
        .trim_start_matches('/')
        .replace("~1", "/")
        .replace("~0", "~");
    let (code, message): (&'static str, String) = match e.kind() {
        K::Required { property } => {
            let p = property.as_str().unwrap_or_default();
            let full = if path.is_empty() {
                p.to_string()
            } else {
                format!("{path}/{p}")
            };
            return Issue::new(full, "required", format!("{p} is required"));
        }
        K::Type { .. } => ("wrong_type", e.to_string()),
        K::Pattern { pattern } => ("pattern_mismatch", format!("does not match {pattern}")),
        K::MaxLength { limit } => ("too_long", format!("longer than {limit} characters")),
        K::MinLength { limit } => ("too_short", format!("shorter than {limit} characters")),
        K::Minimum { limit } | K::ExclusiveMinimum { limit } => {
            ("out_of_range", format!("below the minimum {limit}"))
        }
        K::Maximum { limit } | K::ExclusiveMaximum { limit } => {
            ("out_of_range", format!("above the maximum {limit}"))
        }
        K::MinItems { limit } | K::MaxItems { limit } => {
            ("entry_count", format!("must hold exactly {limit} entry"))
        }
        K::Format { format } => ("invalid_format", format!("not a valid {format}")),
        K::AnyOf { .. } if path == "nam" => (
            "missing_standardised_name",
            "either fnt or gnt is required".to_string(),
        ),
        _ => ("schema_violation", e.to_string()),
    };
    Issue::new(path, code, message)
}
