//! Plausibility rules that the schema cannot express, each with a stable code.

use serde_json::Value;
use time::{Date, OffsetDateTime, macros::format_description};

use super::valuesets::{ValueSets, ids};
use crate::IssueCode;
use crate::{Issue, transliterate, uvci};

/// Longest string allowed in any field (schema 1.3.x).
pub const MAX_STRING: usize = 80;

/// A recovery certificate may be valid for at most 180 days after the first positive test.
pub const MAX_RECOVERY_DAYS: i64 = 180;

/// Rapid antigen test type code: needs a device identifier in `ma`.
pub const RAT: &str = "LP217198-3";

pub(crate) struct Ctx<'a> {
    pub value_sets: &'a ValueSets,
    /// Events may not be after this instant (the issue time, or the verification time).
    pub now: i64,
    /// Issuing is strict; verifying is lenient (trims, accepts a date-time where a date is due).
    pub strict: bool,
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

pub(crate) fn parse_date(s: &str, strict: bool) -> Option<Date> {
    let s = if strict { s } else { s.trim() };
    let day = if strict { s } else { s.get(..10).unwrap_or(s) };
    Date::parse(day, format_description!("[year]-[month]-[day]"))
        .ok()
        .filter(|_| !strict || s.len() == 10)
}

pub(crate) fn parse_date_time(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

fn day_start(d: Date) -> i64 {
    d.midnight().assume_utc().unix_timestamp()
}

/// The earliest day a `dob` can mean (`YYYY` -> Jan 1, `YYYY-MM` -> the 1st).
fn dob_earliest(dob: &str, issues: &mut Vec<Issue>, strict: bool) -> Option<i64> {
    let dob = if strict { dob } else { dob.trim() };
    if dob.is_empty() {
        return None;
    }
    let bad = |issues: &mut Vec<Issue>| {
        issues.push(Issue::new(
            "dob",
            IssueCode::InvalidDate,
            format!("date of birth {dob:?} must be YYYY-MM-DD, YYYY-MM, YYYY or empty"),
        ));
        None
    };
    let year: i32 = match dob.get(..4).and_then(|y| y.parse().ok()) {
        Some(y) if dob.as_bytes()[..4].iter().all(u8::is_ascii_digit) => y,
        _ => return bad(issues),
    };
    if !(1900..=2099).contains(&year) {
        issues.push(Issue::new(
            "dob",
            IssueCode::DobOutOfRange,
            format!("year {year} is outside 1900-2099"),
        ));
        return None;
    }
    let date = match dob.len() {
        4 => Date::from_calendar_date(year, time::Month::January, 1).ok(),
        7 if dob.as_bytes()[4] == b'-' => dob[5..7]
            .parse::<u8>()
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .and_then(|m| Date::from_calendar_date(year, m, 1).ok()),
        10 => parse_date(dob, true),
        _ if !strict && dob.len() > 10 => parse_date(dob, false),
        _ => None,
    };
    match date {
        Some(d) => Some(day_start(d)),
        None => bad(issues),
    }
}

pub(crate) fn check(payload: &Value, ctx: &Ctx<'_>, issues: &mut Vec<Issue>) {
    check_strings(payload, "", issues);
    if let Some(nam) = payload.get("nam") {
        for key in ["fnt", "gnt"] {
            if let Some(s) = text(nam, key) {
                let s = if ctx.strict { s } else { s.trim() };
                if !transliterate::is_valid_icao(s) {
                    issues.push(Issue::new(
                        format!("nam/{key}"),
                        IssueCode::InvalidStandardisedName,
                        format!("{s:?} may only hold A-Z and <, at most 80 characters (ICAO 9303)"),
                    ));
                } else if s.starts_with('<') || s.ends_with('<') || s.contains("<<") {
                    issues.push(Issue::new(
                        format!("nam/{key}"),
                        IssueCode::InvalidStandardisedName,
                        format!("{s:?} must not start or end with < or hold <<"),
                    ));
                }
            }
        }
    }
    let dob = text(payload, "dob").and_then(|d| dob_earliest(d, issues, ctx.strict));
    for (group, index, entry) in entries(payload) {
        let p = |k: &str| format!("{group}/{index}/{k}");
        code(entry, "tg", ids::DISEASE, &p("tg"), ctx, issues);
        code(entry, "co", ids::COUNTRY, &p("co"), ctx, issues);
        if let Some(ci) = text(entry, "ci") {
            check_ci(ci, &p("ci"), ctx, issues);
        }
        let event = match group {
            "v" => {
                code(entry, "vp", ids::VACCINE_PROPHYLAXIS, &p("vp"), ctx, issues);
                code(entry, "mp", ids::VACCINE_PRODUCT, &p("mp"), ctx, issues);
                code(entry, "ma", ids::VACCINE_MAH, &p("ma"), ctx, issues);
                for k in ["dn", "sd"] {
                    if let Some(n) = entry.get(k).and_then(Value::as_f64)
                        && (n < 1.0 || n.fract() != 0.0)
                    {
                        issues.push(Issue::new(
                            p(k),
                            IssueCode::InvalidDoseNumber,
                            format!("{n} must be a whole number of at least 1"),
                        ));
                    }
                }
                date_field(entry, "dt", &p("dt"), ctx, issues)
            }
            "t" => {
                code(entry, "tt", ids::TEST_TYPE, &p("tt"), ctx, issues);
                code(entry, "tr", ids::TEST_RESULT, &p("tr"), ctx, issues);
                if entry.get("ma").is_some() {
                    code(entry, "ma", ids::TEST_DEVICE, &p("ma"), ctx, issues);
                } else if text(entry, "tt").map(str::trim) == Some(RAT) {
                    issues.push(Issue::new(
                        p("ma"),
                        IssueCode::RatDeviceMissing,
                        "a rapid antigen test (LP217198-3) needs the device identifier in ma",
                    ));
                }
                let sc = text(entry, "sc");
                let at = sc.and_then(parse_date_time);
                if let (Some(s), None) = (sc, at) {
                    issues.push(Issue::new(
                        p("sc"),
                        IssueCode::InvalidDateTime,
                        format!("{s:?} is not an RFC 3339 date-time such as 2021-05-01T10:00:00Z"),
                    ));
                }
                if let Some(t) = at {
                    future(t, &p("sc"), ctx, issues);
                }
                at
            }
            _ => {
                let fr = date_field(entry, "fr", &p("fr"), ctx, issues);
                let df = date_field_only(entry, "df", &p("df"), ctx, issues);
                let du = date_field_only(entry, "du", &p("du"), ctx, issues);
                // (earlier, later, field reported, message): `later` may not precede `earlier`.
                let order = [
                    (
                        fr,
                        df,
                        "df",
                        "valid-from (df) is before the first positive test (fr)",
                    ),
                    (df, du, "du", "valid-until (du) is before valid-from (df)"),
                ];
                for (earlier, later, field, message) in order {
                    if let (Some(a), Some(b)) = (earlier, later)
                        && b < a
                    {
                        issues.push(Issue::new(p(field), IssueCode::RecoveryDatesOrder, message));
                    }
                }
                if let (Some(fr), Some(du)) = (fr, du)
                    && du - fr > MAX_RECOVERY_DAYS * 86_400
                {
                    issues.push(Issue::new(
                        p("du"),
                        IssueCode::RecoveryValidityTooLong,
                        format!(
                            "valid-until (du) is more than {MAX_RECOVERY_DAYS} days after the \
                             first positive test (fr)"
                        ),
                    ));
                }
                fr
            }
        };
        if let (Some(dob), Some(event)) = (dob, event)
            && dob > event
        {
            issues.push(Issue::new(
                "dob",
                IssueCode::DobAfterEvent,
                format!(
                    "the date of birth is after the {}",
                    match group {
                        "v" => "vaccination",
                        "t" => "test",
                        _ => "positive test",
                    }
                ),
            ));
        }
    }
}

fn entries(payload: &Value) -> Vec<(&'static str, usize, &Value)> {
    let mut out = Vec::new();
    for group in ["v", "t", "r"] {
        if let Some(items) = payload.get(group).and_then(Value::as_array) {
            for (i, e) in items.iter().enumerate() {
                if e.is_object() {
                    out.push((group, i, e));
                }
            }
        }
    }
    out
}

fn check_strings(v: &Value, path: &str, issues: &mut Vec<Issue>) {
    match v {
        Value::String(s) if s.chars().count() > MAX_STRING => {
            issues.push(Issue::new(
                path,
                IssueCode::TooLong,
                format!("{} characters, at most {MAX_STRING}", s.chars().count()),
            ));
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                check_strings(x, &format!("{path}/{i}"), issues);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}/{k}")
                };
                check_strings(x, &p, issues);
            }
        }
        _ => {}
    }
}

fn code(entry: &Value, key: &str, set: &str, path: &str, ctx: &Ctx<'_>, issues: &mut Vec<Issue>) {
    let Some(raw) = text(entry, key) else { return };
    let value = if ctx.strict { raw } else { raw.trim() };
    if !ctx.value_sets.contains(set, value) {
        let hint = if set == ids::TEST_DEVICE {
            " (the embedded test-device list is a 2021 snapshot: load the current list)"
        } else {
            ""
        };
        issues.push(Issue::new(
            path,
            IssueCode::UnknownCode,
            format!("{value:?} is not in the value set {set}{hint}"),
        ));
    }
}

fn future(t: i64, path: &str, ctx: &Ctx<'_>, issues: &mut Vec<Issue>) {
    if t > ctx.now {
        issues.push(Issue::new(
            path,
            IssueCode::DateInFuture,
            "the date is after the issue time",
        ));
    }
}

/// A date field that may not be in the future.
fn date_field(
    entry: &Value,
    key: &str,
    path: &str,
    ctx: &Ctx<'_>,
    issues: &mut Vec<Issue>,
) -> Option<i64> {
    let t = date_field_only(entry, key, path, ctx, issues)?;
    // A date is "in the future" only if its whole day starts after now.
    future(t, path, ctx, issues);
    Some(t)
}

fn date_field_only(
    entry: &Value,
    key: &str,
    path: &str,
    ctx: &Ctx<'_>,
    issues: &mut Vec<Issue>,
) -> Option<i64> {
    let s = text(entry, key)?;
    match parse_date(s, ctx.strict) {
        Some(d) => Some(day_start(d)),
        None => {
            issues.push(Issue::new(
                path,
                IssueCode::InvalidDate,
                format!("{s:?} is not a date YYYY-MM-DD"),
            ));
            None
        }
    }
}

fn check_ci(ci: &str, path: &str, ctx: &Ctx<'_>, issues: &mut Vec<Issue>) {
    let ci = if ctx.strict { ci } else { ci.trim() };
    if ci.is_empty() {
        issues.push(Issue::new(
            path,
            IssueCode::CiMissing,
            "the certificate identifier is empty",
        ));
        return;
    }
    let charset_ok = ci
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '/' | '#' | ':'));
    // Issuing insists on the Annex 2 form; verifying accepts what real issuers wrote.
    if ctx.strict && (!charset_ok || !ci.starts_with("URN:UVCI:") || uvci::parse(ci).is_none()) {
        issues.push(Issue::new(
            path,
            IssueCode::CiMalformed,
            format!(
                "{ci:?} is not a UVCI like URN:UVCI:01:DE:ISSUER/UNIQUE#C (A-Z, 0-9, / # : only)"
            ),
        ));
    }
}
