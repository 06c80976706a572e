//! CWT claims of an HCERT (hcert spec section 3.3, RFC 8392).
//!
//! ```text
//! CWT claims = {
//!   ? 1: tstr,          ; iss: issuing country (ISO 3166-1 alpha-2), not always honoured
//!   ? 4: int / float,   ; exp: expiry, seconds since the epoch
//!   ? 6: int / float,   ; iat: issued at, seconds since the epoch
//!   -260: { 1: eu_dcc_v1 }   ; hcert: the DCC payload map under integer key 1
//!   * int => any        ; other claims are ignored
//! }
//! ```

use ciborium::Value;

use crate::DecodeError;

/// Claim key `iss`.
pub const ISS: i64 = 1;
/// Claim key `exp`.
pub const EXP: i64 = 4;
/// Claim key `iat`.
pub const IAT: i64 = 6;
/// Claim key `hcert`.
pub const HCERT: i64 = -260;
/// Key of the EU DCC v1 payload inside `hcert`.
pub const EU_DCC_V1: i64 = 1;

/// The CWT claims of an HCERT.
#[derive(Debug, Clone, PartialEq)]
pub struct CwtClaims {
    /// Issuer (claim 1), normally a country code.
    pub iss: Option<String>,
    /// Issued at (claim 6), seconds since the epoch. Floats are truncated towards zero.
    pub iat: Option<i64>,
    /// Expires at (claim 4), seconds since the epoch.
    pub exp: Option<i64>,
    /// The DCC payload as CBOR (the map at `-260` / `1`).
    pub hcert: Value,
    /// `iat`/`exp` written as CBOR floats: HCERT requires integers, some real issuers send
    /// floats. They are accepted (truncated towards zero) and listed here so a verifier can
    /// report them; never written by [`CwtClaims::to_vec`].
    pub float_dates: Vec<FloatDate>,
}

/// A NumericDate claim (`iat` or `exp`) that was a CBOR float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloatDate {
    /// `iat` or `exp`.
    pub claim: &'static str,
    /// The float as written.
    pub value: f64,
    /// The whole seconds it was read as (truncated towards zero).
    pub seconds: i64,
}

impl CwtClaims {
    /// Encodes the claims as a CBOR map `{1: iss, 4: exp, 6: iat, -260: {1: dcc}}` with integer
    /// dates (never tagged).
    pub fn to_vec(&self) -> Result<Vec<u8>, DecodeError> {
        let mut map = Vec::with_capacity(4);
        if let Some(iss) = &self.iss {
            map.push((Value::Integer(ISS.into()), Value::Text(iss.clone())));
        }
        if let Some(exp) = self.exp {
            map.push((Value::Integer(EXP.into()), Value::Integer(exp.into())));
        }
        if let Some(iat) = self.iat {
            map.push((Value::Integer(IAT.into()), Value::Integer(iat.into())));
        }
        map.push((
            Value::Integer(HCERT.into()),
            Value::Map(vec![(Value::Integer(EU_DCC_V1.into()), self.hcert.clone())]),
        ));
        let mut out = Vec::with_capacity(512);
        ciborium::into_writer(&Value::Map(map), &mut out)
            .map_err(|e| DecodeError::CborEncoding(e.into()))?;
        Ok(out)
    }

    /// Decodes claims from the COSE payload bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        let value: Value = ciborium::from_reader(bytes).map_err(|e| DecodeError::Cbor(e.into()))?;
        Self::from_value(value)
    }

    /// Decodes claims from a CBOR value.
    pub fn from_value(value: Value) -> Result<Self, DecodeError> {
        let Value::Map(entries) = untag(value) else {
            return Err(DecodeError::ClaimsNotMap);
        };
        let mut claims = CwtClaims {
            iss: None,
            iat: None,
            exp: None,
            hcert: Value::Null,
            float_dates: Vec::new(),
        };
        let mut seen = Vec::with_capacity(entries.len());
        let mut hcert = None;
        for (k, v) in entries {
            let Some(key) = k.as_integer().and_then(|i| i64::try_from(i).ok()) else {
                continue; // text-keyed or huge claims: not ours, ignored
            };
            if seen.contains(&key) {
                return Err(DecodeError::DuplicateClaim(key.to_string()));
            }
            seen.push(key);
            match key {
                ISS => match untag(v) {
                    Value::Text(s) => claims.iss = Some(s),
                    _ => {
                        return Err(DecodeError::ClaimType {
                            claim: "iss",
                            expected: "text",
                        });
                    }
                },
                IAT => claims.iat = Some(numeric_date(v, "iat", &mut claims.float_dates)?),
                EXP => claims.exp = Some(numeric_date(v, "exp", &mut claims.float_dates)?),
                HCERT => hcert = Some(v),
                _ => {}
            }
        }
        let Value::Map(inner) = untag(hcert.ok_or(DecodeError::MissingHcert)?) else {
            return Err(DecodeError::MissingDccPayload);
        };
        claims.hcert = inner
            .into_iter()
            .find(|(k, _)| k.as_integer().is_some_and(|i| i128::from(i) == 1))
            .map(|(_, v)| untag(v))
            .ok_or(DecodeError::MissingDccPayload)?;
        if !claims.hcert.is_map() {
            return Err(DecodeError::MissingDccPayload);
        }
        Ok(claims)
    }
}

fn untag(mut v: Value) -> Value {
    while let Value::Tag(_, inner) = v {
        v = *inner;
    }
    v
}

/// An integer or float NumericDate (floats occur in real certificates), truncated to seconds;
/// a float is recorded in `floats`.
fn numeric_date(
    v: Value,
    claim: &'static str,
    floats: &mut Vec<FloatDate>,
) -> Result<i64, DecodeError> {
    let err = DecodeError::ClaimType {
        claim,
        expected: "integer or float seconds",
    };
    match untag(v) {
        Value::Integer(i) => i64::try_from(i).map_err(|_| err),
        Value::Float(value) if value.is_finite() && value.abs() < 1e15 => {
            let seconds = value.trunc() as i64;
            floats.push(FloatDate {
                claim,
                value,
                seconds,
            });
            Ok(seconds)
        }
        _ => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(Value, Value)>) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(&Value::Map(entries), &mut out).unwrap();
        out
    }

    fn int(i: i64) -> Value {
        Value::Integer(i.into())
    }

    fn hcert() -> (Value, Value) {
        (int(-260), Value::Map(vec![(int(1), Value::Map(vec![]))]))
    }

    #[test]
    fn round_trip() {
        let c = CwtClaims {
            iss: Some("DE".into()),
            iat: Some(1_620_000_000),
            exp: Some(1_650_000_000),
            hcert: Value::Map(vec![(
                Value::Text("ver".into()),
                Value::Text("1.3.0".into()),
            )]),
            float_dates: Vec::new(),
        };
        let bytes = c.to_vec().unwrap();
        // a4 01 62 "DE" 04 1a.. : integer keys, integer dates.
        assert_eq!(&bytes[..5], &[0xa4, 0x01, 0x62, b'D', b'E']);
        assert_eq!(CwtClaims::from_slice(&bytes).unwrap(), c);
    }

    #[test]
    fn floats_and_missing() {
        let b = map(vec![
            (int(6), Value::Float(1620000000.5)),
            (int(4), Value::Float(1.7e9)),
            hcert(),
        ]);
        let c = CwtClaims::from_slice(&b).unwrap();
        assert_eq!(
            (c.iat, c.exp, c.iss),
            (Some(1_620_000_000), Some(1_700_000_000), None)
        );
        assert_eq!(
            c.float_dates,
            [
                FloatDate {
                    claim: "iat",
                    value: 1620000000.5,
                    seconds: 1_620_000_000
                },
                FloatDate {
                    claim: "exp",
                    value: 1.7e9,
                    seconds: 1_700_000_000
                }
            ]
        );
        // Integers are not findings.
        let b = map(vec![(int(6), int(1_620_000_000)), hcert()]);
        assert!(CwtClaims::from_slice(&b).unwrap().float_dates.is_empty());
        let b = map(vec![(int(1), Value::Text("DE".into()))]);
        assert_eq!(CwtClaims::from_slice(&b), Err(DecodeError::MissingHcert));
        let b = map(vec![(
            int(-260),
            Value::Map(vec![(Value::Text("1".into()), Value::Map(vec![]))]),
        )]);
        assert_eq!(
            CwtClaims::from_slice(&b),
            Err(DecodeError::MissingDccPayload)
        );
        let b = map(vec![(int(6), Value::Text("x".into())), hcert()]);
        assert!(matches!(
            CwtClaims::from_slice(&b),
            Err(DecodeError::ClaimType { claim: "iat", .. })
        ));
        let b = map(vec![(int(6), int(1)), (int(6), int(2)), hcert()]);
        assert!(matches!(
            CwtClaims::from_slice(&b),
            Err(DecodeError::DuplicateClaim(_))
        ));
        assert_eq!(
            CwtClaims::from_slice(&[0x01]),
            Err(DecodeError::ClaimsNotMap)
        );
        assert!(matches!(
            CwtClaims::from_slice(&[0xff]),
            Err(DecodeError::Cbor(_))
        ));
    }
}
