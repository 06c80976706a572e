//! The error rules of the CertLogic specification (the official suite has no failing case),
//! and the corners of certlogic-js's behaviour: truthiness, operand types and counts, unknown
//! operators, dates (formats, zones, fractions, JavaScript setter arithmetic), identity, depth.
//! Expected values marked "node" were printed by certlogic-js 1.2.2 on Node 20.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use dcc_certlogic::{EvalErrorCode, MAX_DEPTH, evaluate};
use serde_json::{Value, json};

#[track_caller]
fn ok(expr: Value, data: Value) -> Value {
    evaluate(&expr, &data).unwrap_or_else(|e| panic!("{expr} on {data}: {e}"))
}

#[track_caller]
fn err(expr: Value, data: Value) -> &'static str {
    match evaluate(&expr, &data) {
        Ok(v) => panic!("{expr} on {data} gave {v}, expected an error"),
        Err(e) => {
            assert!(!e.message().is_empty());
            e.code()
        }
    }
}

fn plus(date: &str, amount: i64, unit: &str) -> Value {
    ok(json!({"plusTime": [date, amount, unit]}), json!({}))
}

#[test]
fn truthiness_is_strict() {
    let guard = json!({"if": [{"var": "x"}, "T", "F"]});
    let not = json!({"!": [{"var": "x"}]});
    let and = json!({"and": [true, {"var": "x"}]});
    for falsy in [
        json!(false),
        json!(null),
        json!(""),
        json!(0),
        json!(0.0),
        json!([]),
        json!({}),
    ] {
        let data = json!({ "x": falsy });
        assert_eq!(ok(guard.clone(), data.clone()), json!("F"), "{falsy}");
        assert_eq!(ok(not.clone(), data.clone()), json!(true), "{falsy}");
        assert_eq!(
            ok(and.clone(), data.clone()),
            falsy,
            "and returns the falsy operand"
        );
    }
    for truthy in [
        json!(true),
        json!("0"),
        json!("x"),
        json!(1),
        json!(-1),
        json!(0.5),
        json!([0]),
        json!({"a": null}),
    ] {
        let data = json!({ "x": truthy });
        assert_eq!(ok(guard.clone(), data.clone()), json!("T"), "{truthy}");
        assert_eq!(ok(not.clone(), data.clone()), json!(false), "{truthy}");
        assert_eq!(
            ok(and.clone(), data.clone()),
            truthy,
            "and returns the last operand"
        );
    }
    // A missing value is null, so falsy.
    assert_eq!(ok(guard.clone(), json!({})), json!("F"));
    // A date-time is neither truthy nor falsy.
    let date = json!({"plusTime": ["2021-01-01", 0, "day"]});
    for expr in [
        json!({"if": [date, 1, 2]}),
        json!({"!": [date]}),
        json!({"and": [date, true]}),
        json!({"and": [true, date]}),
    ] {
        assert_eq!(err(expr, json!({})), "not_truthy_or_falsy");
    }
    // certlogic-js's isDictionary calls value.toString(): an own "toString" key makes it throw.
    assert_eq!(
        err(guard.clone(), json!({"x": {"toString": "x"}})),
        "not_truthy_or_falsy"
    );
    // `and` is lazy: nothing after the first falsy operand is evaluated (not even a bad one).
    assert_eq!(
        ok(json!({"and": [false, {"unknown": [1]}]}), json!({})),
        json!(false)
    );
    assert_eq!(
        err(json!({"and": [true, {"unknown": [1]}]}), json!({})),
        "unknown_operator"
    );
    // `if` evaluates only the branch taken.
    assert_eq!(
        ok(json!({"if": [true, 1, {"unknown": [1]}]}), json!({})),
        json!(1)
    );
}

#[test]
fn wrong_operand_types() {
    let date = json!({"plusTime": ["2021-01-01", 0, "day"]});
    let d = json!({"f": 1.5, "s": "1", "n": null, "a": [1], "o": {"k": 1}});
    let type_mismatch = [
        json!({"+": ["1", 2]}),
        json!({"+": [1, {"var": "f"}]}),
        json!({"+": [{"var": "n"}, 1]}),
        json!({"+": [[1], 1]}),
        json!({"+": [date, 1]}),
        json!({"+": [true, 1]}),
        json!({"<": ["1", 2]}),
        json!({">": [1, {"var": "f"}]}),
        json!({"<=": [1, 2, "3"]}),
        json!({">=": [{"var": "n"}, 0]}),
        json!({"<": [date, date]}),
        json!({"after": ["2021-01-01", date]}),
        json!({"before": [date, 1]}),
        json!({"not-after": [date, {"var": "n"}]}),
        json!({"not-before": [date, date, "2021-01-01"]}),
        json!({"in": [1, "abc"]}),
        json!({"in": [1, {"var": "n"}]}),
        json!({"in": [1, {"var": "o"}]}),
        json!({"in": [1, date]}),
        json!({"plusTime": [1, 1, "day"]}),
        json!({"plusTime": [{"var": "n"}, 1, "day"]}),
        json!({"plusTime": [date, 1, "day"]}),
        json!({"plusTime": [["2021-01-01"], 1, "day"]}),
        json!({"reduce": ["abc", {"var": "current"}, 0]}),
        json!({"reduce": [{"var": "o"}, {"var": "current"}, 0]}),
        json!({"reduce": [5, {"var": "current"}, 0]}),
        json!({"extractFromUVCI": [5, 0]}),
        json!({"extractFromUVCI": [{"var": "a"}, 0]}),
        json!({"dccDateOfBirth": [5]}),
        json!({"dccDateOfBirth": [{"var": "n"}]}),
        json!({"dccDateOfBirth": [date]}),
    ];
    for expr in type_mismatch {
        assert_eq!(err(expr.clone(), d.clone()), "type_mismatch", "{expr}");
    }
    // `===` takes anything (strict equality, no coercion).
    assert_eq!(ok(json!({"===": [1, "1"]}), json!({})), json!(false));
    assert_eq!(
        ok(
            json!({"===": [{"var": "n"}, {"var": "missing"}]}),
            d.clone()
        ),
        json!(true)
    );
    // `in` of anything in an array.
    assert_eq!(
        ok(json!({"in": [{"var": "n"}, [1, {"var": "n"}]]}), d.clone()),
        json!(true)
    );
    // Integers may be written as floats (Number.isInteger(2.0) is true).
    assert_eq!(
        ok(json!({"+": [{"var": "x"}, 1]}), json!({"x": 2.0})),
        json!(3)
    );
    assert_eq!(ok(json!({"<": [1, 2.0, 3]}), json!({})), json!(true));
}

#[test]
fn wrong_operand_counts_and_shapes() {
    let invalid_operands = [
        json!({"if": [true]}),
        json!({"if": [true, 1]}),
        json!({"and": [true]}),
        json!({"<": [1]}),
        json!({"<": [1, 2, 3, 4]}),
        json!({"after": [1]}),
        json!({"===": [1, 1, 1]}),
        json!({"===": [1]}),
        json!({"in": [1]}),
        json!({"+": [1, 2, 3]}),
        json!({"plusTime": ["2021-01-01", 1]}),
        json!({"plusTime": ["2021-01-01"]}),
        json!({"plusTime": ["2021-01-01", "1", "day"]}),
        json!({"plusTime": ["2021-01-01", 1.5, "day"]}),
        json!({"plusTime": ["2021-01-01", {"var": "n"}, "day"]}),
        json!({"plusTime": ["2021-01-01", 1, "week"]}),
        json!({"plusTime": ["2021-01-01", 1, "Day"]}),
        json!({"plusTime": ["2021-01-01", 1, {"var": "u"}]}),
        json!({"reduce": [[1], {"var": "current"}]}),
        json!({"reduce": [[], {"var": "current"}]}),
        json!({"reduce": [{"var": "missing"}]}),
        json!({"reduce": [[1]]}),
        json!({"extractFromUVCI": ["01:AT:1"]}),
        json!({"extractFromUVCI": ["01:AT:1", "1"]}),
        json!({"extractFromUVCI": ["01:AT:1", {"var": "i"}]}),
        json!({"var": 0}),
        json!({"var": ["x"]}),
        json!({"var": null}),
    ];
    for expr in invalid_operands {
        assert_eq!(
            err(expr.clone(), json!({"n": 1, "u": "day", "i": 1})),
            "invalid_operands",
            "{expr}"
        );
    }
    // As in certlogic-js, extra operands of if, !, plusTime, reduce, extractFromUVCI and
    // dccDateOfBirth are ignored (validate() reports them).
    assert_eq!(
        ok(json!({"if": [true, 1, 2, {"bad": [1]}]}), json!({})),
        json!(1)
    );
    assert_eq!(ok(json!({"!": [false, 1]}), json!({})), json!(true));
    assert_eq!(
        ok(json!({"dccDateOfBirth": ["2021", 1]}), json!({})),
        json!("2021-12-31T00:00:00.000Z")
    );
    assert_eq!(
        dcc_certlogic::validate(&json!({"if": [true, 1, 2, 3]})).len(),
        1
    );
    // A lambda is only needed when there is something to reduce.
    assert_eq!(ok(json!({"reduce": [[], 1, 7]}), json!({})), json!(7));
    assert_eq!(
        ok(json!({"reduce": [{"var": "x"}, 1, 7]}), json!({})),
        json!(7)
    );
}

#[test]
fn invalid_expressions_and_unknown_operators() {
    for expr in [
        json!(null),
        json!(2.5),
        json!([1, null]),
        json!({}),
        json!({"a": [1], "b": [2]}),
        json!({"if": []}),
        json!({"if": "x"}),
        json!({"all": []}),
        json!({"all": "foo"}),
        json!({"!": true}),
        json!({"and": {"x": 1}}),
    ] {
        assert_eq!(err(expr.clone(), json!({})), "invalid_expression", "{expr}");
    }
    for expr in [
        json!({"all": [1]}),
        json!({"==": [1, 1]}),
        json!({"!=": [1, 2]}),
        json!({"or": [true, false]}),
        json!({"max": [1, 2]}),
        json!({"missing": ["x"]}),
        json!({"Var": ["x"]}),
        json!({"if": [true, {"map": [[1], 1]}, 2]}),
    ] {
        assert_eq!(err(expr.clone(), json!({})), "unknown_operator", "{expr}");
    }
}

#[test]
fn malformed_dates_are_invalid_date() {
    for bad in [
        "",
        "abc",
        "21-01-01",
        "2021-1-1",
        "20210101",
        "2021/01/01",
        "2021-01-01T10:00",
        "2021-01-01 10:00:00",
        "2021-01-01T10:00:00.",
        "2021-01-01T10:00:00.Z",
        "2021-01-01T10:00:00ZZ",
        "2021-01-01T10:00:00+12:3",
        "2021-01-01T10:00:00+123456",
        "2021-01-01T10:00:00 +01:00",
        "2021-01-01Z",
        "2021-01-01t10:00:00Z",
        "2021-01-01T10:00:00z",
        " 2021-01-01",
        "2021-01-01\n",
        "+02021-01-01",
        "２０２１-01-01",
        "202",
        "2021-1",
    ] {
        let e = err(json!({"plusTime": [bad, 0, "day"]}), json!({}));
        assert_eq!(e, "invalid_date", "{bad:?}");
    }
    for bad in [
        "2021-01-01T00:00:00Z",
        "1990-01-0",
        "19900101",
        "1990-13-01x",
        "",
    ] {
        assert_eq!(
            err(json!({"dccDateOfBirth": [bad]}), json!({})),
            "invalid_date",
            "{bad:?}"
        );
    }
    // Matching the format but out of range is an invalid date, not an error (V8's Date):
    // it prints as null, and every comparison with it is false.
    for out_of_range in [
        "2021-13-01",
        "2021-00-10",
        "2021-02-32",
        "2021-01-01T25:00:00Z",
        "2021-01-01T10:00:00+24:00",
        "2021-13",
    ] {
        assert_eq!(plus(out_of_range, 1, "day"), Value::Null, "{out_of_range}");
        for op in ["after", "before", "not-after", "not-before"] {
            let cmp = json!({op: [{"plusTime": [out_of_range, 0, "day"]}, {"plusTime": ["2021-01-01", 0, "day"]}]});
            assert_eq!(ok(cmp, json!({})), json!(false), "{op} {out_of_range}");
        }
    }
    assert_eq!(
        ok(json!({"dccDateOfBirth": ["1990-13"]}), json!({})),
        Value::Null
    );
}

#[test]
fn plus_time_follows_javascript_setters() {
    for (date, amount, unit, expected) in [
        // Month ends: the day overflows into the next month.
        ("2021-01-31", 1, "month", "2021-03-03T00:00:00.000Z"),
        ("2020-01-31", 1, "month", "2020-03-02T00:00:00.000Z"),
        ("2021-03-31", -1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-05-31", 1, "month", "2021-07-01T00:00:00.000Z"),
        ("2021-12-31", 1, "month", "2022-01-31T00:00:00.000Z"),
        ("2021-01-15", -13, "month", "2019-12-15T00:00:00.000Z"),
        ("2021-01-15", 24, "month", "2023-01-15T00:00:00.000Z"),
        // Leap days.
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        ("2020-02-29", -1, "year", "2019-03-01T00:00:00.000Z"),
        ("2020-02-29", 4, "year", "2024-02-29T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-28", 1, "day", "2020-02-29T00:00:00.000Z"),
        ("2021-02-28", 1, "day", "2021-03-01T00:00:00.000Z"),
        ("2100-02-28", 1, "day", "2100-03-01T00:00:00.000Z"),
        ("2000-02-28", 1, "day", "2000-02-29T00:00:00.000Z"),
        // Negative amounts.
        ("2021-03-01", -1, "day", "2021-02-28T00:00:00.000Z"),
        ("2021-01-01", -1, "day", "2020-12-31T00:00:00.000Z"),
        ("2021-01-01", -365, "day", "2020-01-02T00:00:00.000Z"),
        (
            "2021-12-01T12:00:00Z",
            -18,
            "year",
            "2003-12-01T12:00:00.000Z",
        ),
        // Hours across days, months and years, both ways; the time of day is kept.
        (
            "2021-12-31T23:00:00Z",
            2,
            "hour",
            "2022-01-01T01:00:00.000Z",
        ),
        (
            "2021-03-01T00:30:00Z",
            -1,
            "hour",
            "2021-02-28T23:30:00.000Z",
        ),
        (
            "2021-01-01T10:20:30.456Z",
            -25,
            "hour",
            "2020-12-31T09:20:30.456Z",
        ),
        (
            "2021-06-01T10:00:00Z",
            72,
            "hour",
            "2021-06-04T10:00:00.000Z",
        ),
        (
            "2021-06-01T10:00:00+02:00",
            1,
            "day",
            "2021-06-02T08:00:00.000Z",
        ),
        // Partial dates are the last day of the year or month.
        ("2021", 0, "day", "2021-12-31T00:00:00.000Z"),
        ("2021-02", 0, "day", "2021-02-28T00:00:00.000Z"),
        ("2024-02", 0, "day", "2024-02-29T00:00:00.000Z"),
        ("2004", 18, "year", "2022-12-31T00:00:00.000Z"),
        ("2004-02", 18, "year", "2022-03-01T00:00:00.000Z"),
        // Far years print in the expanded form; beyond ±275760 years is an invalid date.
        ("2021-01-01", 8000, "year", "+010021-01-01T00:00:00.000Z"),
        ("0000-01-01", -1, "day", "-000001-12-31T00:00:00.000Z"),
    ] {
        assert_eq!(
            plus(date, amount, unit),
            json!(expected),
            "{date} {amount} {unit}"
        );
    }
    assert_eq!(
        ok(
            json!({"plusTime": ["2021-01-01", 1_000_000_000, "year"]}),
            json!({})
        ),
        Value::Null
    );
    assert_eq!(
        ok(
            json!({"plusTime": ["2021-01-01", -1e20, "hour"]}),
            json!({})
        ),
        Value::Null
    );
    assert_eq!(
        ok(
            json!({"plusTime": ["2021-01-01", 9_007_199_254_740_993_u64, "day"]}),
            json!({})
        ),
        Value::Null
    );
    // The date operand may be computed.
    let data = json!({"d": "2021-05-01"});
    assert_eq!(
        ok(json!({"plusTime": [{"var": "d"}, 14, "day"]}), data),
        json!("2021-05-15T00:00:00.000Z")
    );
}

#[test]
fn zone_forms_and_fractions() {
    for (input, expected) in [
        ("2021-06-01T10:00:00", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T10:00:00Z", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T10:00:00+1", "2021-06-01T09:00:00.000Z"),
        ("2021-06-01T10:00:00-1", "2021-06-01T11:00:00.000Z"),
        ("2021-06-01T10:00:00+01", "2021-06-01T09:00:00.000Z"),
        ("2021-06-01T10:00:00+130", "2021-06-01T08:30:00.000Z"),
        ("2021-06-01T10:00:00+0130", "2021-06-01T08:30:00.000Z"),
        ("2021-06-01T10:00:00-0130", "2021-06-01T11:30:00.000Z"),
        ("2021-06-01T10:00:00+1:30", "2021-06-01T08:30:00.000Z"),
        ("2021-06-01T10:00:00+01:30", "2021-06-01T08:30:00.000Z"),
        ("2021-06-01T10:00:00-01:30", "2021-06-01T11:30:00.000Z"),
        ("2021-06-01T10:00:00+14:00", "2021-05-31T20:00:00.000Z"),
        ("2021-06-01T10:00:00-00:00", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T10:00:00+1:", "2021-06-01T09:00:00.000Z"), // node: the regex allows it
        ("2021-06-01T10:00:00+23:59", "2021-05-31T10:01:00.000Z"),
        // Fractions: any number of digits, cut (never rounded) to milliseconds.
        ("2021-06-01T10:00:00.1Z", "2021-06-01T10:00:00.100Z"),
        ("2021-06-01T10:00:00.12Z", "2021-06-01T10:00:00.120Z"),
        ("2021-06-01T10:00:00.123Z", "2021-06-01T10:00:00.123Z"),
        ("2021-06-01T10:00:00.1239Z", "2021-06-01T10:00:00.123Z"),
        ("2021-06-01T10:00:00.999999999Z", "2021-06-01T10:00:00.999Z"),
        ("2021-06-01T10:00:00.5", "2021-06-01T10:00:00.500Z"),
        ("2021-06-01T10:00:00.05+01", "2021-06-01T09:00:00.050Z"),
        (
            "2021-06-01T10:00:00.000001-01:30",
            "2021-06-01T11:30:00.000Z",
        ),
        // V8 rolls a day past the month's end over; 24:00:00 is the next midnight.
        ("2021-02-30", "2021-03-02T00:00:00.000Z"),
        ("2021-04-31T12:00:00Z", "2021-05-01T12:00:00.000Z"),
        ("2021-01-01T24:00:00Z", "2021-01-02T00:00:00.000Z"),
        ("2021-01-01T24:00:00.0001Z", "2021-01-02T00:00:00.000Z"),
    ] {
        assert_eq!(plus(input, 0, "hour"), json!(expected), "{input}");
    }
    // Out-of-range zones and fields give an invalid date (null).
    for input in [
        "2021-06-01T10:00:00+24:00",
        "2021-06-01T10:00:00+0160",
        "2021-06-01T10:00:00+9:99",
        "2021-06-01T24:00:00.5Z",
        "2021-06-01T23:60:00Z",
        "2021-06-01T23:59:60Z",
    ] {
        assert_eq!(plus(input, 0, "hour"), Value::Null, "{input}");
    }
    // Comparisons see instants, not texts.
    let same = json!({"not-before": [
        {"plusTime": ["2021-06-01T10:00:00+02:00", 0, "hour"]},
        {"plusTime": ["2021-06-01T08:00:00Z", 0, "hour"]},
        {"plusTime": ["2021-06-01T09:30:00+1:30", 0, "hour"]}
    ]});
    assert_eq!(ok(same, json!({})), json!(true));
}

#[test]
fn date_of_birth_is_the_last_consistent_day() {
    for (dob, expected) in [
        ("1990", "1990-12-31T00:00:00.000Z"),
        ("1990-02", "1990-02-28T00:00:00.000Z"),
        ("1992-02", "1992-02-29T00:00:00.000Z"),
        ("1990-12", "1990-12-31T00:00:00.000Z"),
        ("1990-04", "1990-04-30T00:00:00.000Z"),
        ("1990-04-15", "1990-04-15T00:00:00.000Z"),
        ("1990-02-30", "1990-03-02T00:00:00.000Z"), // node: V8 rolls over
    ] {
        assert_eq!(
            ok(json!({"dccDateOfBirth": [dob]}), json!({})),
            json!(expected),
            "{dob}"
        );
    }
}

#[test]
fn comparisons_binary_and_between() {
    for (op, args, expected) in [
        ("<", json!([1, 2]), true),
        ("<", json!([2, 2]), false),
        ("<", json!([1, 2, 3]), true),
        ("<", json!([1, 3, 2]), false),
        ("<=", json!([1, 1, 1]), true),
        (">", json!([3, 2, 1]), true),
        (">=", json!([3, 3, 4]), false),
        (">", json!([-1, -2]), true),
    ] {
        assert_eq!(
            ok(json!({ op: args }), json!({})),
            json!(expected),
            "{op} {args}"
        );
    }
    let d = |s: &str| json!({"plusTime": [s, 0, "day"]});
    for (op, args, expected) in [
        ("after", vec![d("2021-01-02"), d("2021-01-01")], true),
        ("after", vec![d("2021-01-01"), d("2021-01-01")], false),
        (
            "before",
            vec![d("2021-01-01"), d("2021-01-02"), d("2021-01-03")],
            true,
        ),
        (
            "before",
            vec![d("2021-01-01"), d("2021-01-03"), d("2021-01-02")],
            false,
        ),
        (
            "not-after",
            vec![d("2021-01-01"), d("2021-01-01"), d("2021-01-01")],
            true,
        ),
        ("not-before", vec![d("2021-01-01"), d("2021-01-02")], false),
    ] {
        assert_eq!(ok(json!({ op: args }), json!({})), json!(expected), "{op}");
    }
}

#[test]
fn var_and_identity_follow_javascript() {
    let data =
        json!({"a": [1, 2], "s": "a😀", "o": {"7": "seven", "x": {"y": [10, 20]}}, "n": null});
    for (path, expected) in [
        ("a.0", json!(1)),
        ("a.1x", json!(2)), // parseInt("1x") is 1
        ("a.01", json!(2)), // parseInt("01") is 1
        ("a.-1", json!(null)),
        ("a.2", json!(null)),
        ("a.length", json!(2)),
        ("s.length", json!(3)), // UTF-16 units
        ("s.0", json!("a")),
        ("s.1", json!("\u{fffd}")), // a lone surrogate half cannot be a Rust string
        ("o.7", json!("seven")),
        ("o.007", json!("seven")), // parseInt again: key "7"
        ("o.x.y.1", json!(20)),
        ("o.x.y.1.z", json!(null)),
        ("o.constructor", json!(null)),
        ("n.x", json!(null)),
        ("missing.x.y", json!(null)),
        ("", data.clone()),
    ] {
        assert_eq!(ok(json!({"var": path}), data.clone()), expected, "{path}");
    }
    // Arrays, objects and dates compare by identity; primitives by value.
    let eq = |a: Value, b: Value| ok(json!({"===": [a, b]}), data.clone());
    assert_eq!(eq(json!({"var": "a"}), json!({"var": "a"})), json!(true));
    assert_eq!(
        eq(json!({"var": "o.x"}), json!({"var": "o.x"})),
        json!(true)
    );
    assert_eq!(eq(json!({"var": "a"}), json!([1, 2])), json!(false));
    assert_eq!(eq(json!([1]), json!([1])), json!(false));
    assert_eq!(eq(json!({"var": "a.0"}), json!(1)), json!(true));
    assert_eq!(eq(json!({"+": [1, 1]}), json!(2.0)), json!(true));
    let date = json!({"plusTime": ["2021-01-01", 0, "day"]});
    assert_eq!(eq(date.clone(), date.clone()), json!(false));
    assert_eq!(
        ok(json!({"in": [{"var": "a"}, [{"var": "a"}]]}), data.clone()),
        json!(true)
    );
    assert_eq!(
        ok(json!({"in": [[1, 2], [{"var": "a"}]]}), data.clone()),
        json!(false)
    );
    // A reduce accumulator is the same object each time the lambda reads it.
    let same_acc =
        json!({"reduce": [[1], {"===": [{"var": "accumulator"}, {"var": "accumulator"}]}, [0]]});
    assert_eq!(ok(same_acc, json!({})), json!(true));
    let same_date =
        json!({"reduce": [[1], {"===": [{"var": "accumulator"}, {"var": "accumulator"}]}, date]});
    assert_eq!(ok(same_date, json!({})), json!(true));
    // The lambda sees {accumulator, current} only.
    let scope = json!({"reduce": [[5], {"var": ""}, 0]});
    assert_eq!(
        ok(scope, json!({})),
        json!({"accumulator": 0, "current": 5})
    );
}

#[test]
fn extract_from_uvci() {
    let uvci = "URN:UVCI:01:NL:187/37512422923";
    for (index, expected) in [
        (0, json!("01")),
        (1, json!("NL")),
        (2, json!("187")),
        (3, json!("37512422923")),
        (4, json!(null)),
        (-1, json!(null)),
    ] {
        assert_eq!(
            ok(json!({"extractFromUVCI": [uvci, index]}), json!({})),
            expected
        );
    }
    assert_eq!(
        ok(json!({"extractFromUVCI": [{"var": "x"}, 0]}), json!({})),
        json!(null)
    );
    assert_eq!(
        ok(json!({"extractFromUVCI": ["a::b#c", 1]}), json!({})),
        json!("")
    );
    assert_eq!(
        ok(json!({"extractFromUVCI": ["urn:uvci:01", 0]}), json!({})),
        json!("urn")
    );
    assert_eq!(
        ok(json!({"extractFromUVCI": ["a", 1e300]}), json!({})),
        json!(null)
    );
}

#[test]
fn numbers_and_results() {
    assert_eq!(
        ok(json!({"+": [9_007_199_254_740_992_u64, 1]}), json!({})),
        json!(9_007_199_254_740_992_u64)
    );
    assert_eq!(ok(json!({"+": [-3, 1]}), json!({})), json!(-2));
    // Overflow to Infinity prints as null (JSON.stringify), and is no longer an integer.
    let huge = json!({"+": [1e308, 1e308]});
    assert_eq!(ok(huge.clone(), json!({})), Value::Null);
    assert_eq!(err(json!({"+": [huge, 1]}), json!({})), "type_mismatch");
    // Literals evaluate to themselves; arrays item by item.
    assert_eq!(
        ok(json!(["a", 1, true, {"var": "x"}]), json!({"x": {"k": 1}})),
        json!(["a", 1, true, {"k": 1}])
    );
}

#[test]
fn nesting_is_bounded() {
    let nested = |levels: usize| {
        let mut e = json!(true);
        for _ in 0..levels {
            e = json!({"!": [e]});
        }
        e
    };
    // 255 operations around a literal: 256 levels.
    assert_eq!(ok(nested(MAX_DEPTH - 1), json!({})), json!(false));
    let e = evaluate(&nested(MAX_DEPTH), &json!({})).unwrap_err();
    assert_eq!(e.kind(), EvalErrorCode::NestingTooDeep);
    assert_eq!(err(nested(600), json!({})), "nesting_too_deep");
    assert!(!dcc_certlogic::validate(&nested(600)).is_empty());
    // Values built by a reduce nest too: bounded as well (no stack overflow on drop or output).
    let xs: Vec<u32> = (0..100_000).collect();
    let wrap = json!({"reduce": [{"var": "xs"}, [{"var": "accumulator"}], []]});
    assert_eq!(err(wrap, json!({ "xs": xs })), "nesting_too_deep");
    let scope = json!({"reduce": [{"var": "xs"}, {"var": ""}, 0]});
    assert_eq!(err(scope, json!({ "xs": xs })), "nesting_too_deep");
    // A long flat reduce is fine.
    let sum =
        json!({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0]});
    assert_eq!(ok(sum, json!({ "xs": xs })), json!(4_999_950_000_u64));
}

#[test]
fn errors_serialise_with_their_code() {
    let e = evaluate(
        &json!({"if": [{"plusTime": ["2021", 0, "day"]}, 1, 2]}),
        &json!({}),
    )
    .unwrap_err();
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["code"], "not_truthy_or_falsy");
    assert!(
        v["message"]
            .as_str()
            .is_some_and(|m| m.contains("if-guard"))
    );
    assert!(e.to_string().starts_with("not_truthy_or_falsy: "));
}
