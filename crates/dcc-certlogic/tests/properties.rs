//! Properties: evaluation and validation never panic on any JSON; a validated expression only
//! fails on what validation cannot see (types, dates, depth); dates print and parse back;
//! `plusTime` by days and hours can be undone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use dcc_certlogic::{EvalErrorCode, evaluate, validate};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

const OPERATORS: [&str; 22] = [
    "var",
    "if",
    "===",
    "and",
    "<",
    ">",
    "<=",
    ">=",
    "in",
    "+",
    "!",
    "plusTime",
    "reduce",
    "extractFromUVCI",
    "dccDateOfBirth",
    "after",
    "before",
    "not-after",
    "not-before",
    "or",
    "",
    "==",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-3i64..40).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9.:/#-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("2021-01-31"),
            Just("2020-02-29T23:30:00+01:30"),
            Just("2021"),
            Just("2021-13"),
            Just("2021-02-30T24:00:00.9999Z"),
            Just("URN:UVCI:01:AT:X#1"),
        ]
        .prop_map(|s| Value::String(s.into())),
        prop_oneof![
            Just("day"),
            Just("hour"),
            Just("month"),
            Just("year"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.into())),
        prop_oneof![
            Just(""),
            Just("x"),
            Just("x.0"),
            Just("x.y.1"),
            Just("accumulator"),
            Just("current.0")
        ]
        .prop_map(|p| json!({ "var": p })),
    ]
}

/// Arbitrary JSON, biased towards CertLogic-looking objects.
fn expression() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            (
                prop::sample::select(OPERATORS.to_vec()),
                prop::collection::vec(inner.clone(), 0..5)
            )
                .prop_map(|(op, args)| json!({ op: args })),
            (prop::sample::select(OPERATORS.to_vec()), inner.clone())
                .prop_map(|(op, arg)| json!({ op: arg })),
            prop::collection::vec(("[a-z]{0,3}", inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn instant() -> impl Strategy<Value = OffsetDateTime> {
    // Years 0 to 9999 (four-digit years), any millisecond.
    (-62_167_219_200_000i64..253_402_300_800_000).prop_map(|ms| {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
    })
}

fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

fn plus_time(date: &str, amount: i64, unit: &str) -> Value {
    evaluate(&json!({"plusTime": [date, amount, unit]}), &json!({})).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics(expr in expression(), data in expression()) {
        let issues = validate(&expr);
        match evaluate(&expr, &data) {
            Ok(_) => {}
            // A well-formed expression only fails on what needs the data to see.
            Err(e) if issues.is_empty() => prop_assert!(
                matches!(
                    e.kind(),
                    EvalErrorCode::TypeMismatch
                        | EvalErrorCode::NotTruthyOrFalsy
                        | EvalErrorCode::InvalidDate
                        | EvalErrorCode::NestingTooDeep
                ),
                "{expr} on {data}: {e}"
            ),
            Err(_) => {}
        }
    }

    #[test]
    fn data_paths_never_panic(path in "[a-z0-9 .+-]{0,16}", data in expression()) {
        let _ = evaluate(&json!({"var": path}), &data);
        let _ = evaluate(&json!({"extractFromUVCI": [{"var": path}, 1]}), &data);
        let _ = evaluate(&json!({"plusTime": [{"var": path}, 1, "day"]}), &data);
    }

    #[test]
    fn date_strings_never_panic(s in "[0-9T:.+Z-]{0,32}", amount in any::<i64>()) {
        for unit in ["year", "month", "day", "hour"] {
            let _ = evaluate(&json!({"plusTime": [s, amount, unit]}), &json!({}));
        }
        let _ = evaluate(&json!({"dccDateOfBirth": [s]}), &json!({}));
    }

    /// Printing a date-time and reading it back gives the same instant, in every zone form; the
    /// instant agrees with the `time` crate's.
    #[test]
    fn dates_round_trip(t in instant(), offset_min in -1439i32..=1439, form in 0usize..6) {
        let canonical = iso(t);
        prop_assert_eq!(plus_time(&canonical, 0, "day"), json!(canonical.clone()));
        let offset = UtcOffset::from_whole_seconds(offset_min * 60).unwrap();
        let local = t.to_offset(offset);
        let (sign, h, m) = (if offset_min < 0 { '-' } else { '+' }, offset_min.abs() / 60, offset_min.abs() % 60);
        let zone = match form {
            0 => format!("{sign}{h:02}:{m:02}"),
            1 => format!("{sign}{h}:{m:02}"),
            2 => format!("{sign}{h:02}{m:02}"),
            3 => format!("{sign}{h}{m:02}"),
            _ if m == 0 => format!("{sign}{h}"),
            _ => format!("{sign}{h:02}:{m:02}"),
        };
        if !(0..=9999).contains(&local.year()) {
            return Ok(()); // a four-digit year only
        }
        let written = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}987{zone}",
            local.year(), u8::from(local.month()), local.day(), local.hour(), local.minute(), local.second(),
            local.millisecond()
        );
        prop_assert_eq!(plus_time(&written, 0, "hour"), json!(canonical), "{}", written);
    }

    /// plusTime(d, n, day) then plusTime(-n, day) is d, and both agree with `time` arithmetic;
    /// the same for hours.
    #[test]
    fn days_and_hours_undo(t in instant(), n in -100_000i64..100_000) {
        let d = iso(t);
        for (unit, step) in [("day", time::Duration::days(n)), ("hour", time::Duration::hours(n))] {
            let Some(moved) = t.checked_add(step).filter(|m| (1..9999).contains(&m.year())) else { continue };
            let there = plus_time(&d, n, unit);
            prop_assert_eq!(&there, &json!(iso(moved)), "{} {} {}", d, n, unit);
            let back = plus_time(there.as_str().unwrap(), -n, unit);
            prop_assert_eq!(back, json!(d.clone()));
        }
    }

    /// Months and years clamp like JavaScript: the day rolls over into the next month.
    #[test]
    fn months_roll_over(year in 100i32..9000, month in 1u8..=12, day in 1u8..=31, n in -500i64..500) {
        let Ok(month) = Month::try_from(month) else { return Ok(()) };
        let Ok(date) = Date::from_calendar_date(year, month, day) else { return Ok(()) };
        let start = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc();
        let got = plus_time(&iso(start)[..10], n, "month");
        // JavaScript: the same day number in the target month, overflowing into the next.
        let total = i64::from(year) * 12 + i64::from(u8::from(month)) - 1 + n;
        let (ty, tm) = (total.div_euclid(12) as i32, (total.rem_euclid(12) + 1) as u8);
        let first = Date::from_calendar_date(ty, Month::try_from(tm).unwrap(), 1).unwrap();
        let expected = first + time::Duration::days(i64::from(day) - 1);
        prop_assert_eq!(got, json!(iso(PrimitiveDateTime::new(expected, Time::MIDNIGHT).assume_utc())));
    }
}
