//! The official JSON schemas, one per release, embedded (`data/schema`, ehn-dcc-schema
//! 1.0.0 to 1.3.3), and the checker that applies them.
//!
//! The DCC schemas use a small part of JSON Schema 2020-12: `type`, `required`, `properties`,
//! `items`, `minItems`/`maxItems`, `pattern`, `minLength`/`maxLength`,
//! `minimum`/`maximum` (and the exclusive forms), `format` (`date`, `date-time`), `anyOf`,
//! `oneOf` and local `$ref`s into `$defs`. This module compiles exactly that part, and refuses
//! a schema that uses any other assertion keyword, so a future schema cannot be half-checked
//! silently. A general JSON Schema engine would cost every WebAssembly user more than a
//! megabyte for keywords the DCC never uses. Patterns are ECMA-262 regular expressions in the
//! schema; the ones the DCC uses (classes, groups, counted repetition, anchors, `\d`) mean the
//! same in `regex-lite`, which applies them unanchored, as JSON Schema requires.

use std::fmt::Write as _;
use std::sync::OnceLock;

use regex_lite::Regex;
use serde_json::{Map, Value};

use crate::Issue;
use crate::IssueCode;

/// Every embedded schema version, oldest first.
pub const VERSIONS: [&str; 9] = [
    "1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.3.1", "1.3.2", "1.3.3",
];

/// The newest embedded schema version.
pub const NEWEST: &str = "1.3.3";

const TEXTS: [&str; 9] = [
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.0.0.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.0.1.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.1.0.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.2.0.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.2.1.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.3.0.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.3.1.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.3.2.json")),
    include_str!(concat!(env!("OUT_DIR"), "/schema/1.3.3.json")),
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

/// Validates `payload` against the schema `version` (one of [`VERSIONS`]); `formats` turns on
/// the `date` / `date-time` format assertions (off in the official tooling).
pub fn issues(payload: &Value, version: &str, formats: bool) -> Vec<Issue> {
    let Some(index) = VERSIONS.iter().position(|v| *v == version) else {
        return vec![Issue::new(
            "ver",
            IssueCode::UnknownSchemaVersion,
            format!("no schema {version}"),
        )];
    };
    let node = match compiled(index) {
        Ok(node) => node,
        Err(e) => {
            return vec![Issue::new(
                "",
                IssueCode::SchemaUnavailable,
                format!("schema {version} failed to load: {e}"),
            )];
        }
    };
    let mut out = Vec::new();
    node.check(payload, &mut String::new(), formats, &mut out);
    out
}

fn compiled(index: usize) -> Result<&'static Node, &'static str> {
    static CELLS: [OnceLock<Result<Node, String>>; 9] = [const { OnceLock::new() }; 9];
    CELLS[index]
        .get_or_init(|| {
            let mut schema: Value =
                serde_json::from_str(TEXTS[index]).map_err(|e| e.to_string())?;
            // "Exactly one of v/t/r" is a root `oneOf` of `required` lists from 1.3.0 on. It is
            // checked separately (with a precise code) and removed here, so that errors inside
            // the group keep their own paths instead of collapsing into one oneOf failure.
            if let Some(obj) = schema.as_object_mut()
                && obj.remove("oneOf").is_some()
            {
                obj.insert("required".into(), serde_json::json!(["ver", "nam", "dob"]));
            }
            let defs = schema.get("$defs").and_then(Value::as_object);
            compile(&schema, defs, 0)
        })
        .as_ref()
        .map_err(String::as_str)
}

/// JSON types as the schema names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Null,
}

impl Type {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "object" => Self::Object,
            "array" => Self::Array,
            "string" => Self::String,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "null" => Self::Null,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Array => "array",
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Null => "null",
        }
    }

    fn matches(self, v: &Value) -> bool {
        match self {
            Self::Object => v.is_object(),
            Self::Array => v.is_array(),
            Self::String => v.is_string(),
            // 2020-12: a number with a zero fractional part is an integer.
            Self::Integer => {
                v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            Self::Number => v.is_number(),
            Self::Boolean => v.is_boolean(),
            Self::Null => v.is_null(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Date,
    DateTime,
}

/// One compiled schema object. `$ref`s are resolved into `refs` at compile time (the DCC
/// schemas are not recursive; depth is capped regardless).
#[derive(Debug, Default)]
struct Node {
    types: Vec<Type>,
    required: Vec<String>,
    properties: Vec<(String, Node)>,
    items: Option<Box<Node>>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    pattern: Option<(String, Pattern)>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: Option<f64>,
    exclusive_maximum: Option<f64>,
    format: Option<Format>,
    any_of: Vec<Node>,
    one_of: Vec<Node>,
    refs: Vec<Node>,
}

/// Keywords that carry no assertion (annotations, identifiers, definitions, DCC extensions).
const ANNOTATIONS: [&str; 9] = [
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "title",
    "description",
    "examples",
    "valueset-uri",
    "default",
];

const MAX_DEPTH: usize = 32;

fn compile(
    schema: &Value,
    defs: Option<&Map<String, Value>>,
    depth: usize,
) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err("schema nests too deeply".into());
    }
    let obj = match schema {
        Value::Object(obj) => obj,
        Value::Bool(true) => return Ok(Node::default()),
        _ => return Err(format!("unsupported schema {schema}")),
    };
    let sub = |v: &Value| compile(v, defs, depth + 1);
    let list = |v: &Value| -> Result<Vec<Node>, String> {
        v.as_array()
            .ok_or("anyOf/oneOf must be an array")?
            .iter()
            .map(sub)
            .collect()
    };
    let count = |k: &str, v: &Value| v.as_u64().ok_or(format!("{k} must be a count"));
    let number = |k: &str, v: &Value| v.as_f64().ok_or(format!("{k} must be a number"));
    let mut node = Node::default();
    for (key, value) in obj {
        match key.as_str() {
            "type" => {
                let names: Vec<&Value> = match value {
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                for name in names {
                    let t = name
                        .as_str()
                        .and_then(Type::parse)
                        .ok_or(format!("unknown type {name}"))?;
                    node.types.push(t);
                }
            }
            "required" => {
                for name in value.as_array().ok_or("required must be an array")? {
                    node.required.push(
                        name.as_str()
                            .ok_or("required names must be strings")?
                            .into(),
                    );
                }
            }
            "properties" => {
                for (name, s) in value.as_object().ok_or("properties must be an object")? {
                    node.properties.push((name.clone(), sub(s)?));
                }
            }
            "items" => node.items = Some(Box::new(sub(value)?)),
            "minItems" => node.min_items = Some(count(key, value)?),
            "maxItems" => node.max_items = Some(count(key, value)?),
            "minLength" => node.min_length = Some(count(key, value)?),
            "maxLength" => node.max_length = Some(count(key, value)?),
            "minimum" => node.minimum = Some(number(key, value)?),
            "maximum" => node.maximum = Some(number(key, value)?),
            "exclusiveMinimum" => node.exclusive_minimum = Some(number(key, value)?),
            "exclusiveMaximum" => node.exclusive_maximum = Some(number(key, value)?),
            "pattern" => {
                let p = value.as_str().ok_or("pattern must be a string")?;
                node.pattern = Some((p.to_string(), Pattern::new(p)?));
            }
            "format" => {
                node.format = match value.as_str() {
                    Some("date") => Some(Format::Date),
                    Some("date-time") => Some(Format::DateTime),
                    // Unknown formats are annotations in 2020-12.
                    _ => None,
                }
            }
            "anyOf" => node.any_of = list(value)?,
            "oneOf" => node.one_of = list(value)?,
            "$ref" => {
                let r = value.as_str().ok_or("$ref must be a string")?;
                let target = r
                    .strip_prefix("#/$defs/")
                    .and_then(|name| defs?.get(name))
                    .ok_or(format!("unresolvable $ref {r}"))?;
                node.refs.push(sub(target)?);
            }
            k if ANNOTATIONS.contains(&k) => {}
            k => return Err(format!("unsupported keyword {k}")),
        }
    }
    Ok(node)
}

fn child_path(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}/{segment}")
    }
}

/// Appends `/segment` (or `segment` at the root) to `path`; returns the length to truncate
/// back to. The path is built in place: most payloads produce no issue, so it is never copied.
fn push_segment(path: &mut String, segment: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(segment);
    len
}

fn limit(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

impl Node {
    /// True when `value` passes without collecting anything.
    fn valid(&self, value: &Value, formats: bool) -> bool {
        let mut sink = Vec::new();
        self.check(value, &mut String::new(), formats, &mut sink);
        sink.is_empty()
    }

    fn check(&self, value: &Value, path: &mut String, formats: bool, out: &mut Vec<Issue>) {
        for r in &self.refs {
            r.check(value, path, formats, out);
        }
        if !self.types.is_empty() && !self.types.iter().any(|t| t.matches(value)) {
            let names: Vec<String> = self
                .types
                .iter()
                .map(|t| format!("{:?}", t.name()))
                .collect();
            let noun = if names.len() == 1 { "type" } else { "types" };
            out.push(Issue::new(
                path.clone(),
                IssueCode::WrongType,
                format!("{value} is not of {noun} {}", names.join(", ")),
            ));
        }
        match value {
            Value::Object(map) => {
                for name in &self.required {
                    if !map.contains_key(name) {
                        out.push(Issue::new(
                            child_path(path, name),
                            IssueCode::Required,
                            format!("{name} is required"),
                        ));
                    }
                }
                for (name, node) in &self.properties {
                    if let Some(v) = map.get(name) {
                        let len = push_segment(path, name);
                        node.check(v, path, formats, out);
                        path.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                let n = items.len() as u64;
                for l in [
                    self.min_items.filter(|l| n < *l),
                    self.max_items.filter(|l| n > *l),
                ]
                .into_iter()
                .flatten()
                {
                    out.push(Issue::new(
                        path.clone(),
                        IssueCode::EntryCount,
                        format!("must hold exactly {l} entry"),
                    ));
                }
                if let Some(node) = &self.items {
                    for (i, v) in items.iter().enumerate() {
                        let len = push_segment(path, "");
                        // Writing to a String cannot fail.
                        let _ = write!(path, "{i}");
                        node.check(v, path, formats, out);
                        path.truncate(len);
                    }
                }
            }
            Value::String(s) => self.check_string(s, path, formats, out),
            Value::Number(n) => {
                if let Some(x) = n.as_f64() {
                    self.check_number(x, path, out);
                }
            }
            _ => {}
        }
        if !self.any_of.is_empty() && !self.any_of.iter().any(|s| s.valid(value, formats)) {
            let (code, message) = if path == "nam" {
                (
                    IssueCode::MissingStandardisedName,
                    "either fnt or gnt is required".to_string(),
                )
            } else {
                (
                    IssueCode::SchemaViolation,
                    format!("{value} matches none of the anyOf alternatives"),
                )
            };
            out.push(Issue::new(path.clone(), code, message));
        }
        if !self.one_of.is_empty()
            && self
                .one_of
                .iter()
                .filter(|s| s.valid(value, formats))
                .count()
                != 1
        {
            out.push(Issue::new(
                path.clone(),
                IssueCode::SchemaViolation,
                format!("{value} must match exactly one of the oneOf alternatives"),
            ));
        }
    }

    fn check_string(&self, s: &str, path: &str, formats: bool, out: &mut Vec<Issue>) {
        let chars = s.chars().count() as u64;
        if let Some(l) = self.max_length.filter(|l| chars > *l) {
            out.push(Issue::new(
                path,
                IssueCode::TooLong,
                format!("longer than {l} characters"),
            ));
        }
        if let Some(l) = self.min_length.filter(|l| chars < *l) {
            out.push(Issue::new(
                path,
                IssueCode::TooShort,
                format!("shorter than {l} characters"),
            ));
        }
        if let Some((p, re)) = &self.pattern
            && !re.matches(s)
        {
            out.push(Issue::new(
                path,
                IssueCode::PatternMismatch,
                format!("does not match {p}"),
            ));
        }
        if formats && let Some(f) = self.format {
            let (ok, name) = match f {
                Format::Date => (super::rules::parse_date(s, true).is_some(), "date"),
                Format::DateTime => (is_date_time(s), "date-time"),
            };
            if !ok {
                out.push(Issue::new(
                    path,
                    IssueCode::InvalidFormat,
                    format!("not a valid {name}"),
                ));
            }
        }
    }

    fn check_number(&self, x: f64, path: &str, out: &mut Vec<Issue>) {
        let below = [
            self.minimum.filter(|m| x < *m),
            self.exclusive_minimum.filter(|m| x <= *m),
        ];
        for m in below.into_iter().flatten() {
            out.push(Issue::new(
                path,
                IssueCode::OutOfRange,
                format!("below the minimum {}", limit(m)),
            ));
        }
        let above = [
            self.maximum.filter(|m| x > *m),
            self.exclusive_maximum.filter(|m| x >= *m),
        ];
        for m in above.into_iter().flatten() {
            out.push(Issue::new(
                path,
                IssueCode::OutOfRange,
                format!("above the maximum {}", limit(m)),
            ));
        }
    }
}

/// A compiled `pattern`. The two patterns every name and date of birth goes through have
/// direct matchers (a regex engine costs several microseconds per certificate on them); the
/// tests check that they agree with the regex on systematically generated strings.
#[derive(Debug)]
enum Pattern {
    Regex(Regex),
    /// `^[A-Z<]*$` (standardised names).
    Icao,
    /// `^((19|20)\d\d(-\d\d){0,2}){0,1}$` (empty allowed) and `^(19|20)\d\d(-\d\d){0,2}$`.
    Dob {
        empty: bool,
    },
}

const ICAO_PATTERN: &str = "^[A-Z<]*$";
const DOB_PATTERN: &str = r"^((19|20)\d\d(-\d\d){0,2}){0,1}$";
const DATE_PATTERN: &str = r"^(19|20)\d\d(-\d\d){0,2}$";

impl Pattern {
    fn new(p: &str) -> Result<Self, String> {
        Ok(match p {
            ICAO_PATTERN => Self::Icao,
            DOB_PATTERN => Self::Dob { empty: true },
            DATE_PATTERN => Self::Dob { empty: false },
            _ => Self::Regex(Regex::new(p).map_err(|e| format!("pattern {p:?}: {e}"))?),
        })
    }

    fn matches(&self, s: &str) -> bool {
        match self {
            Self::Regex(re) => re.is_match(s),
            Self::Icao => s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<'),
            Self::Dob { empty } => {
                let b = s.as_bytes();
                let digits = |i: usize| b[i].is_ascii_digit() && b[i + 1].is_ascii_digit();
                match b.len() {
                    0 => *empty,
                    4 | 7 | 10 => {
                        matches!(&b[..2], b"19" | b"20")
                            && digits(2)
                            && (4..b.len())
                                .step_by(3)
                                .all(|i| b[i] == b'-' && digits(i + 1))
                    }
                    _ => false,
                }
            }
        }
    }
}

/// RFC 3339 `date-time`: full date, `T`, time with seconds and optional fraction, and `Z` or a
/// numeric offset.
fn is_date_time(s: &str) -> bool {
    use time::format_description::well_known::Rfc3339;
    let b = s.as_bytes();
    // `time` also accepts a space or lower-case separators; JSON Schema wants `T` / `Z`
    // (case-insensitively, RFC 3339 section 5.6 note).
    b.len() > 10 && matches!(b[10], b'T' | b't') && time::OffsetDateTime::parse(s, &Rfc3339).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn direct_matchers_agree_with_the_regex() {
        let atoms = [
            "19", "20", "2", "0", "9", "-", "A", "Z", "<", "a", "\n", "é", " ", "-0",
        ];
        for p in [ICAO_PATTERN, DOB_PATTERN, DATE_PATTERN] {
            let fast = Pattern::new(p).unwrap();
            assert!(!matches!(fast, Pattern::Regex(_)), "{p}");
            let re = Regex::new(p).unwrap();
            // Every string of up to 5 atoms (about 580k per pattern), then full dates.
            let mut stack = vec![(String::new(), 0)];
            while let Some((s, n)) = stack.pop() {
                assert_eq!(fast.matches(&s), re.is_match(&s), "{p} on {s:?}");
                if n < 5 {
                    for a in atoms {
                        stack.push((format!("{s}{a}"), n + 1));
                    }
                }
            }
            for s in [
                "1999-12-31",
                "2099-01-01",
                "2100-01-01",
                "1899-01-01",
                "1999-12-3",
                "1999-12-311",
                "1999-12-31\n",
                "1999-1a-31",
                "1999-12_31",
                "199x",
                "1999-12-31-01",
                "20",
            ] {
                assert_eq!(fast.matches(s), re.is_match(s), "{p} on {s:?}");
            }
        }
    }

    #[test]
    fn every_embedded_schema_compiles() {
        for (i, v) in VERSIONS.iter().enumerate() {
            assert!(compiled(i).is_ok(), "schema {v}: {:?}", compiled(i).err());
        }
    }

    #[test]
    fn unknown_assertion_keywords_are_refused() {
        for bad in [
            json!({"enum": [1]}),
            json!({"additionalProperties": false}),
            json!({"$ref": "#/$defs/x"}),
        ] {
            assert!(compile(&bad, None, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn keywords_apply_unanchored_patterns_and_2020_12_integers() {
        let node = compile(
            &json!({"type": "object", "required": ["a"], "properties": {
                "a": {"type": "integer", "minimum": 1, "maximum": 9},
                "b": {"type": "string", "pattern": "[A-Z]{2}", "maxLength": 4},
                "c": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 1}
            }}),
            None,
            0,
        )
        .unwrap();
        let codes = |v: Value| {
            let mut out = Vec::new();
            node.check(&v, &mut String::new(), false, &mut out);
            out.iter()
                .map(|i| format!("{}:{}", i.path, i.code))
                .collect::<Vec<_>>()
        };
        assert!(codes(json!({"a": 1.0, "b": "xxAB", "c": ["x"]})).is_empty());
        assert_eq!(
            codes(json!({"b": "abcde"})),
            ["a:required", "b:too_long", "b:pattern_mismatch"]
        );
        assert_eq!(
            codes(json!({"a": 10, "c": [1, 2]})),
            [
                "a:out_of_range",
                "c:entry_count",
                "c/0:wrong_type",
                "c/1:wrong_type"
            ]
        );
        assert_eq!(codes(json!([])), [":wrong_type"]);
    }
}
