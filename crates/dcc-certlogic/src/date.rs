//! Date-times as certlogic-js has them: a JavaScript `Date`, i.e. milliseconds since the Unix
//! epoch as an `f64`, NaN for an "Invalid Date". Parsing follows certlogic-js's `dateFromString`
//! (its regular expression, then V8's reading of the normalised ISO string); arithmetic follows
//! the ECMAScript `setUTC*` methods (MakeDay, MakeTime, MakeDate, TimeClip) exactly.

/// Milliseconds since 1970-01-01T00:00:00Z; NaN is an invalid date.
pub(crate) type Time = f64;

const MS_PER_DAY: f64 = 86_400_000.0;
const MS_PER_HOUR: f64 = 3_600_000.0;
const MS_PER_MINUTE: f64 = 60_000.0;
const MS_PER_SECOND: f64 = 1_000.0;
/// ECMAScript's time range: ±100,000,000 days around the epoch.
const MAX_TIME: f64 = 8.64e15;

/// The `plusTime` units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Year,
    Month,
    Day,
    Hour,
}

impl Unit {
    pub(crate) fn parse(s: &str) -> Option<Unit> {
        match s {
            "year" => Some(Unit::Year),
            "month" => Some(Unit::Month),
            "day" => Some(Unit::Day),
            "hour" => Some(Unit::Hour),
            _ => None,
        }
    }
}

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian, month 1-12).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1-12, day 1-31) of a day number.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ECMAScript MakeDay(year, month (0-based, any integer), date (any integer)).
fn make_day(year: f64, month: f64, date: f64) -> f64 {
    if !(year.is_finite() && month.is_finite() && date.is_finite()) {
        return f64::NAN;
    }
    let (y, m, dt) = (year.trunc(), month.trunc(), date.trunc());
    let ym = y + (m / 12.0).floor();
    // Far outside the time range: TimeClip would give NaN anyway (date is small whenever the
    // year is large), and i64 day arithmetic stays exact below this bound.
    if !ym.is_finite() || ym.abs() > 400_000.0 {
        return f64::NAN;
    }
    let mn = m.rem_euclid(12.0);
    days_from_civil(ym as i64, mn as i64 + 1, 1) as f64 + dt - 1.0
}

/// ECMAScript MakeTime, in the specification's order of operations.
fn make_time(hour: f64, min: f64, sec: f64, ms: f64) -> f64 {
    hour.trunc() * MS_PER_HOUR
        + min.trunc() * MS_PER_MINUTE
        + sec.trunc() * MS_PER_SECOND
        + ms.trunc()
}

fn make_date(day: f64, time: f64) -> f64 {
    let tv = day * MS_PER_DAY + time;
    if tv.is_finite() { tv } else { f64::NAN }
}

fn time_clip(t: f64) -> Time {
    if !t.is_finite() || t.abs() > MAX_TIME {
        return f64::NAN;
    }
    t.trunc() + 0.0 // no negative zero
}

/// The fields of a valid time value.
struct Fields {
    year: f64,
    month: f64, // 0-based
    date: f64,
    day: f64, // days since the epoch
    time_in_day: f64,
}

fn fields(t: Time) -> Fields {
    let day = (t / MS_PER_DAY).floor();
    let time_in_day = t - day * MS_PER_DAY;
    let (y, m, d) = civil_from_days(day as i64);
    Fields {
        year: y as f64,
        month: (m - 1) as f64,
        date: d as f64,
        day,
        time_in_day,
    }
}

/// `plusTime` on a date: `d.setUTC<Unit>(d.getUTC<Unit>() + amount)`.
pub(crate) fn add(t: Time, amount: f64, unit: Unit) -> Time {
    if amount == 0.0 || t.is_nan() {
        return t;
    }
    let f = fields(t);
    match unit {
        Unit::Year => time_clip(make_date(
            make_day(f.year + amount, f.month, f.date),
            f.time_in_day,
        )),
        Unit::Month => time_clip(make_date(
            make_day(f.year, f.month + amount, f.date),
            f.time_in_day,
        )),
        Unit::Day => time_clip(make_date(
            make_day(f.year, f.month, f.date + amount),
            f.time_in_day,
        )),
        Unit::Hour => {
            let tid = f.time_in_day;
            let hour = (tid / MS_PER_HOUR).floor();
            let min = (tid / MS_PER_MINUTE).floor() % 60.0;
            let sec = (tid / MS_PER_SECOND).floor() % 60.0;
            let ms = tid % MS_PER_SECOND;
            time_clip(make_date(f.day, make_time(hour + amount, min, sec, ms)))
        }
    }
}

/// `Date.prototype.toISOString()`; `None` for an invalid date (JSON.stringify gives `null`).
pub(crate) fn to_iso_string(t: Time) -> Option<String> {
    if t.is_nan() {
        return None;
    }
    let f = fields(t);
    let tid = f.time_in_day as i64;
    let year = f.year as i64;
    let year = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!(
            "{}{:06}",
            if year < 0 { '-' } else { '+' },
            year.unsigned_abs()
        )
    };
    Some(format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        f.month as i64 + 1,
        f.date as i64,
        tid / 3_600_000,
        tid / 60_000 % 60,
        tid / 1000 % 60,
        tid % 1000
    ))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (years 0 to 9999; others in the expanded form).
pub(crate) fn unix_to_iso_seconds(secs: i64) -> String {
    let day = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(day);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{}{:06}", if y < 0 { '-' } else { '+' }, y.unsigned_abs())
    };
    format!(
        "{year}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    )
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// `^\d{4}-\d{2}-\d{2}` at the start of `b`: (year, month, day).
fn ymd(b: &[u8]) -> Option<(u32, u32, u32)> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?))
}

/// V8 reading `YYYY-MM-DDTHH:MM:SS.sss±HH:MM`: month 1-12 and day 1-31 (a day past the month's
/// end rolls over: 2021-02-30 is 2021-03-02), hour 0-24 (24 only as 24:00:00.000), minute and
/// second 0-59, offset hour 0-23 and minute 0-59; out of range is an invalid date (NaN).
#[allow(clippy::too_many_arguments)]
fn v8_time(
    y: u32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    ms: u32,
    offset_min: Option<i64>,
) -> Time {
    let valid = (1..=12).contains(&mo)
        && (1..=31).contains(&d)
        && (h < 24 || (h == 24 && mi == 0 && s == 0 && ms == 0))
        && mi <= 59
        && s <= 59;
    let Some(offset) = offset_min.filter(|_| valid) else {
        return f64::NAN;
    };
    let day = make_day(f64::from(y), f64::from(mo) - 1.0, f64::from(d));
    let time = make_time(f64::from(h), f64::from(mi), f64::from(s), f64::from(ms));
    time_clip(make_date(day, time) - offset as f64 * MS_PER_MINUTE)
}

/// The offset part after the sign, as certlogic-js's `(\d{1,2}):?(\d{2})?$` reads it (the first
/// match in the regular expression's backtracking order): minutes, or NaN-worthy `None` when the
/// hour or minute is out of range. `Err` when it does not match at all.
fn offset_body(b: &[u8]) -> Result<Option<i64>, ()> {
    for hour_len in [2, 1] {
        if b.len() < hour_len || !b[..hour_len].iter().all(u8::is_ascii_digit) {
            continue;
        }
        let rest = &b[hour_len..];
        let rest = rest.strip_prefix(b":").unwrap_or(rest);
        let minutes = match rest.len() {
            0 => Some(0),
            2 => digits(rest),
            _ => None,
        };
        if let (Some(h), Some(m)) = (digits(&b[..hour_len]), minutes) {
            return Ok((h <= 23 && m <= 59).then_some(i64::from(h * 60 + m)));
        }
    }
    Err(())
}

/// certlogic-js's `dateFromString`: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with optional
/// fractions (cut to milliseconds) and an optional `Z`, `±h`, `±hh`, `±hmm`, `±hhmm`, `±h:mm`
/// or `±hh:mm` (no zone = UTC). `Err` where certlogic-js throws; `Ok(NaN)` where the string
/// matches but V8 finds a field out of range.
pub(crate) fn parse(s: &str) -> Result<Time, ()> {
    let b = s.as_bytes();
    let (y, mo, d) = ymd(b).ok_or(())?;
    if b.len() == 10 {
        return Ok(v8_time(y, mo, d, 0, 0, 0, 0, Some(0)));
    }
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(());
    }
    let h = digits(&b[11..13]).ok_or(())?;
    let mi = digits(&b[14..16]).ok_or(())?;
    let sec = digits(&b[17..19]).ok_or(())?;
    let mut rest = &b[19..];
    let mut ms = 0;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err(());
        }
        // ".1" -> ".100", ".12345" -> ".123": padded, then cut (never rounded).
        ms = frac[..n.min(3)]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(3)
            .fold(0, |acc, c| acc * 10 + u32::from(c - b'0'));
        rest = &frac[n..];
    }
    let offset = match rest.first() {
        None => Some(0),
        Some(b'Z') if rest.len() == 1 => Some(0),
        Some(sign @ (b'+' | b'-')) => {
            offset_body(&rest[1..])?.map(|m| if *sign == b'-' { -m } else { m })
        }
        _ => return Err(()),
    };
    Ok(v8_time(y, mo, d, h, mi, sec, ms, offset))
}

/// certlogic-js's `roundUpPartialDate`: `YYYY` is the year's last day, `YYYY-MM` the month's
/// last day (midnight UTC); `None` for any other string. A month outside 01-12 is an invalid
/// date.
pub(crate) fn round_up_partial(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    if b.len() == 4 {
        let y = digits(b)?;
        return Some(v8_time(y, 12, 31, 0, 0, 0, 0, Some(0)));
    }
    if b.len() == 7 && b[4] == b'-' {
        let (y, mo) = (digits(&b[..4])?, digits(&b[5..])?);
        let first = v8_time(y, mo, 1, 0, 0, 0, 0, Some(0));
        if first.is_nan() {
            return Some(first);
        }
        // setUTCMonth(month + 1), then setUTCDate(0): the last day of the month.
        let f = fields(first);
        let next = time_clip(make_date(
            make_day(f.year, f.month + 1.0, f.date),
            f.time_in_day,
        ));
        let f = fields(next);
        return Some(time_clip(make_date(
            make_day(f.year, f.month, 0.0),
            f.time_in_day,
        )));
    }
    None
}

/// `plusTime`'s reading of its date operand: a partial date rounded up, else [`parse`].
pub(crate) fn parse_for_plus_time(s: &str) -> Result<Time, ()> {
    match round_up_partial(s) {
        Some(t) => Ok(t),
        None => parse(s),
    }
}

/// certlogic-js's `dccDateOfBirth`: `YYYY`, `YYYY-MM` (rounded up) or `YYYY-MM-DD`.
pub(crate) fn date_of_birth(s: &str) -> Result<Time, ()> {
    if let Some(t) = round_up_partial(s) {
        return Ok(t);
    }
    if s.len() == 10 { parse(s) } else { Err(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        match parse(s) {
            Ok(t) => to_iso_string(t).unwrap_or_else(|| "Invalid".into()),
            Err(()) => "Err".into(),
        }
    }

    #[test]
    fn parses_like_certlogic_js_on_node() {
        // Each expectation was printed by certlogic-js 1.2.2's dateFromString on Node 20.
        for (input, expected) in [
            ("2021-02-30", "2021-03-02T00:00:00.000Z"),
            ("2021-02-31", "2021-03-03T00:00:00.000Z"),
            ("2021-02-32", "Invalid"),
            ("2021-13-01", "Invalid"),
            ("2021-00-10", "Invalid"),
            ("2021-01-00", "Invalid"),
            ("2021-01-01T24:00:00Z", "2021-01-02T00:00:00.000Z"),
            ("2021-01-01T24:00:01Z", "Invalid"),
            ("2021-01-01T23:60:00Z", "Invalid"),
            ("2021-01-01T23:59:60Z", "Invalid"),
            ("2021-01-01T10:00:00+24:00", "Invalid"),
            ("2021-01-01T10:00:00+23:59", "2020-12-31T10:01:00.000Z"),
            ("2021-01-01T10:00:00+1", "2021-01-01T09:00:00.000Z"),
            ("2021-01-01T10:00:00+130", "2021-01-01T08:30:00.000Z"),
            ("2021-01-01T10:00:00+0160", "Invalid"),
            (
                "2021-01-01T10:00:00.1234567+01:30",
                "2021-01-01T08:30:00.123Z",
            ),
            ("2021-01-01T10:00:00.", "Err"),
            ("2021-01-01T10:00:00.9999Z", "2021-01-01T10:00:00.999Z"),
            ("0000-01-01", "0000-01-01T00:00:00.000Z"),
            ("-0001-01-01", "Err"),
            ("2021-01-01t10:00:00Z", "Err"),
            ("2021-01-01T10:00:00z", "Err"),
            ("2021-1-01", "Err"),
            ("2021-04-31", "2021-05-01T00:00:00.000Z"),
            ("2021-01-01T24:00:00.5Z", "Invalid"),
            ("2021-01-01T24:00:00+01:00", "2021-01-01T23:00:00.000Z"),
            ("2021-01-01T10:00:00-00:00", "2021-01-01T10:00:00.000Z"),
            ("2021-01-01T10:00:00-9", "2021-01-01T19:00:00.000Z"),
            ("2021-01-01T10:00:00+1:30", "2021-01-01T08:30:00.000Z"),
            ("2021-01-01T10:00:00+12:3", "Err"),
            ("0000-01-01T00:00:00+01:00", "-000001-12-31T23:00:00.000Z"),
            ("9999-12-31T23:59:59-23:59", "+010000-01-01T23:58:59.000Z"),
            ("2021-01-01T10:00:00.05+01", "2021-01-01T09:00:00.050Z"),
            ("2021-01-01T00:00:00+99", "Invalid"),
            ("2021-01-01T00:00:00+9:99", "Invalid"),
            ("2021-01-01T10:00:00+1:", "2021-01-01T09:00:00.000Z"),
            ("2021-01-01T10:00", "Err"),
            ("2021-01-01Z", "Err"),
        ] {
            assert_eq!(iso(input), expected, "{input}");
        }
    }

    #[test]
    fn adds_like_javascript_setters() {
        let p = |s: &str, n: f64, u: Unit| {
            to_iso_string(add(parse_for_plus_time(s).unwrap_or(f64::NAN), n, u))
                .unwrap_or_else(|| "Invalid".into())
        };
        assert_eq!(p("2020-02-29", 1.0, Unit::Year), "2021-03-01T00:00:00.000Z");
        assert_eq!(
            p("2021-01-31", 1.0, Unit::Month),
            "2021-03-03T00:00:00.000Z"
        );
        assert_eq!(
            p("2021-03-31", -1.0, Unit::Month),
            "2021-03-03T00:00:00.000Z"
        );
        assert_eq!(p("2021-01-01", 1e9, Unit::Year), "Invalid");
        assert_eq!(
            p("2021-01-01", 272_000.0, Unit::Year),
            "+274021-01-01T00:00:00.000Z"
        );
        assert_eq!(
            p("2021-01-01", -2022.0, Unit::Year),
            "-000001-01-01T00:00:00.000Z"
        );
        assert_eq!(p("2021-01-01", -1e20, Unit::Hour), "Invalid");
        assert_eq!(p("2021", 0.0, Unit::Day), "2021-12-31T00:00:00.000Z");
        assert_eq!(
            p("0000-01-01", -1.0, Unit::Day),
            "-000001-12-31T00:00:00.000Z"
        );
        assert_eq!(p("2021-13", 1.0, Unit::Year), "Invalid");
        assert_eq!(p("2020-02", 0.0, Unit::Day), "2020-02-29T00:00:00.000Z");
        assert_eq!(p("2021-02", 0.0, Unit::Day), "2021-02-28T00:00:00.000Z");
    }

    #[test]
    fn civil_round_trip() {
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(unix_to_iso_seconds(1_638_360_000), "2021-12-01T12:00:00Z");
    }
}
