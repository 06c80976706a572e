//! Small value classes shared by issuing and verifying: claims, signer, check outcomes,
//! validation issues.

use pyo3::{prelude::*, types::PyDateTime};

use crate::convert::datetime;

/// Displays a string as Python's `repr` does (`'text'`), for the `__repr__` methods.
pub struct R<'a>(pub &'a str);

impl std::fmt::Display for R<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        let quote = if self.0.contains('\'') && !self.0.contains('"') {
            '"'
        } else {
            '\''
        };
        f.write_char(quote)?;
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c == quote => write!(f, "\\{c}")?,
                c if c.is_control() => write!(f, "\\x{:02x}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char(quote)
    }
}

fn quoted(s: &Option<String>) -> String {
    s.as_ref()
        .map_or_else(|| "None".to_string(), |v| R(v).to_string())
}

fn time_repr(secs: Option<i64>) -> String {
    secs.map_or_else(
        || "None".to_string(),
        |s| R(&dcc::format_time(s)).to_string(),
    )
}

/// One problem found in a payload: where (`path`, e.g. ``v/0/dn``), what (`code`, stable
/// snake_case, the same in every language) and a human `message`.
#[pyclass(frozen, eq, module = "dcc_kit")]
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationIssue {
    /// Slash-separated JSON path of the field (``v/0/dn``); empty for the whole payload.
    #[pyo3(get)]
    pub path: String,
    /// Stable snake_case code.
    #[pyo3(get)]
    pub code: String,
    /// Human-readable explanation.
    #[pyo3(get)]
    pub message: String,
}

impl From<&dcc::ValidationIssue> for ValidationIssue {
    fn from(i: &dcc::ValidationIssue) -> Self {
        ValidationIssue {
            path: i.path.clone(),
            code: i.code.to_string(),
            message: i.message.clone(),
        }
    }
}

#[pymethods]
impl ValidationIssue {
    /// A validation issue (for tests and for re-raising; the library creates them).
    #[new]
    fn new(path: String, code: String, message: String) -> Self {
        ValidationIssue {
            path,
            code,
            message,
        }
    }

    /// Pickle support: the arguments of `__new__`.
    fn __getnewargs__(&self) -> (String, String, String) {
        (self.path.clone(), self.code.clone(), self.message.clone())
    }

    fn __repr__(&self) -> String {
        format!(
            "ValidationIssue(path={}, code={}, message={})",
            R(&self.path),
            R(&self.code),
            R(&self.message)
        )
    }
}

/// A change normalisation made to a payload before signing: the field's `path` and a
/// `description` (e.g. ``trimmed "Michael "``).
#[pyclass(frozen, eq, module = "dcc_kit")]
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Slash-separated JSON path of the field (``nam/gn``).
    #[pyo3(get)]
    pub path: String,
    /// What was done.
    #[pyo3(get)]
    pub description: String,
}

impl From<&dcc::Change> for Change {
    fn from(c: &dcc::Change) -> Self {
        Change {
            path: c.path.clone(),
            description: c.description.clone(),
        }
    }
}

#[pymethods]
impl Change {
    /// A normalisation change (for tests; the library creates them).
    #[new]
    fn new(path: String, description: String) -> Self {
        Change { path, description }
    }

    /// Pickle support: the arguments of `__new__`.
    fn __getnewargs__(&self) -> (String, String) {
        (self.path.clone(), self.description.clone())
    }

    fn __repr__(&self) -> String {
        format!(
            "Change(path={}, description={})",
            R(&self.path),
            R(&self.description)
        )
    }
}

/// Why a verification check failed: a stable snake_case `code` (``invalid_signature``,
/// ``expired``, ``key_usage_mismatch``, ...) and a human `message`.
#[pyclass(frozen, eq, module = "dcc_kit")]
#[derive(Debug, Clone, PartialEq)]
pub struct CheckFailure {
    /// Stable snake_case code.
    #[pyo3(get)]
    pub code: String,
    /// Human-readable explanation.
    #[pyo3(get)]
    pub message: String,
}

impl From<&dcc::CheckFailure> for CheckFailure {
    fn from(f: &dcc::CheckFailure) -> Self {
        CheckFailure {
            code: f.code.to_string(),
            message: f.message.clone(),
        }
    }
}

#[pymethods]
impl CheckFailure {
    /// A check failure (for tests and for re-raising; the library creates them).
    #[new]
    fn new(code: String, message: String) -> Self {
        CheckFailure { code, message }
    }

    /// Pickle support: the arguments of `__new__`.
    fn __getnewargs__(&self) -> (String, String) {
        (self.code.clone(), self.message.clone())
    }

    fn __repr__(&self) -> String {
        format!(
            "CheckFailure(code={}, message={})",
            R(&self.code),
            R(&self.message)
        )
    }
}

/// The CWT claims of a certificate: issuer, issued-at and expiry. Times are given both as
/// seconds since the epoch (`iat`, `exp`, exactly as signed) and as UTC datetimes
/// (`issued_at`, `expires_at`; ``None`` when absent or outside the years 1-9999).
#[pyclass(frozen, eq, module = "dcc_kit")]
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// Issuer (claim 1), usually an ISO 3166-1 alpha-2 country code.
    #[pyo3(get)]
    pub iss: Option<String>,
    /// Issued-at (claim 6), seconds since the epoch.
    #[pyo3(get)]
    pub iat: Option<i64>,
    /// Expiry (claim 4), seconds since the epoch.
    #[pyo3(get)]
    pub exp: Option<i64>,
}

impl From<&dcc::Claims> for Claims {
    fn from(c: &dcc::Claims) -> Self {
        Claims {
            iss: c.iss.clone(),
            iat: c.iat,
            exp: c.exp,
        }
    }
}

#[pymethods]
impl Claims {
    /// Issued-at as a UTC datetime.
    #[getter]
    fn issued_at<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyDateTime>> {
        datetime(py, self.iat)
    }

    /// Expiry as a UTC datetime.
    #[getter]
    fn expires_at<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyDateTime>> {
        datetime(py, self.exp)
    }

    pub(crate) fn __repr__(&self) -> String {
        format!(
            "Claims(iss={}, issued_at={}, expires_at={})",
            quoted(&self.iss),
            time_repr(self.iat),
            time_repr(self.exp)
        )
    }
}

/// A document signer certificate (DSC): the one that verified a certificate, an issuer's, or
/// one of a verifier's trusted certificates.
#[pyclass(frozen, eq, module = "dcc_kit")]
#[derive(Debug, Clone, PartialEq)]
pub struct SignerInfo {
    /// The key identifier (first 8 bytes of the certificate's SHA-256), base64.
    #[pyo3(get)]
    pub kid: String,
    /// Subject distinguished name.
    #[pyo3(get)]
    pub subject: String,
    /// Subject country, if any.
    #[pyo3(get)]
    pub country: Option<String>,
    /// Key type: ``P-256``, ``RSA-2048``, or an unsupported type.
    #[pyo3(get)]
    pub key: String,
    nb: Option<i64>,
    na: Option<i64>,
}

impl From<dcc::SignerInfo> for SignerInfo {
    fn from(s: dcc::SignerInfo) -> Self {
        SignerInfo {
            kid: s.kid,
            subject: s.subject,
            country: s.country,
            key: s.key,
            nb: s.not_before,
            na: s.not_after,
        }
    }
}

impl From<&dcc::Dsc> for SignerInfo {
    fn from(d: &dcc::Dsc) -> Self {
        dcc::SignerInfo::from(d).into()
    }
}

#[pymethods]
impl SignerInfo {
    /// Start of the certificate's validity (notBefore), UTC.
    #[getter]
    fn not_before<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyDateTime>> {
        datetime(py, self.nb)
    }

    /// End of the certificate's validity (notAfter), UTC.
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyDateTime>> {
        datetime(py, self.na)
    }

    fn __repr__(&self) -> String {
        format!(
            "SignerInfo(kid={}, subject={}, key={}, not_after={})",
            R(&self.kid),
            R(&self.subject),
            R(&self.key),
            time_repr(self.na)
        )
    }
}

/// The outcome of one verification check.
///
/// `status` is ``"passed"``, ``"failed"`` or ``"skipped"``; a failed check has the failure's
/// `code` and `message`, a skipped one its reason in `message`.
#[pyclass(frozen, eq, module = "dcc_kit")]
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// ``"passed"``, ``"failed"`` or ``"skipped"``.
    #[pyo3(get)]
    pub status: &'static str,
    /// The failure code, for a failed check.
    #[pyo3(get)]
    pub code: Option<String>,
    /// The failure message, or why the check was skipped.
    #[pyo3(get)]
    pub message: Option<String>,
}

impl From<&dcc::Outcome> for Outcome {
    fn from(o: &dcc::Outcome) -> Self {
        match o {
            dcc::Outcome::Passed => Outcome {
                status: "passed",
                code: None,
                message: None,
            },
            dcc::Outcome::Failed(f) => Outcome {
                status: "failed",
                code: Some(f.code.to_string()),
                message: Some(f.message.clone()),
            },
            dcc::Outcome::Skipped { reason } => Outcome {
                status: "skipped",
                code: None,
                message: Some(reason.clone()),
            },
        }
    }
}

#[pymethods]
impl Outcome {
    /// Whether the check passed.
    #[getter]
    fn passed(&self) -> bool {
        self.status == "passed"
    }

    fn __repr__(&self) -> String {
        match (&self.code, &self.message) {
            (Some(code), Some(m)) => format!(
                "Outcome(status={}, code={}, message={})",
                R(self.status),
                R(code),
                R(m)
            ),
            (None, Some(m)) => format!("Outcome(status={}, message={})", R(self.status), R(m)),
            _ => format!("Outcome(status={})", R(self.status)),
        }
    }
}

/// The outcome of each check. `signature`, `validity` and `key_usage` decide validity;
/// `payload` (data quality: schema, value sets, plausibility; see `Verification.findings`) is
/// reported, never fatal.
#[pyclass(frozen, module = "dcc_kit")]
#[derive(Debug)]
pub struct Checks {
    /// The COSE signature against a trusted DSC with the certificate's kid.
    #[pyo3(get)]
    pub signature: Py<Outcome>,
    /// ``DSC notBefore <= iat <= at <= exp <= DSC notAfter``.
    #[pyo3(get)]
    pub validity: Py<Outcome>,
    /// The DSC's extended key usage allows the certificate type.
    #[pyo3(get)]
    pub key_usage: Py<Outcome>,
    /// Data quality: the first finding's code when there are findings.
    #[pyo3(get)]
    pub payload: Py<Outcome>,
}

impl Checks {
    /// The Python view of the facade's checks.
    pub fn new(py: Python<'_>, c: &dcc::Checks) -> PyResult<Self> {
        Ok(Checks {
            signature: Py::new(py, Outcome::from(&c.signature))?,
            validity: Py::new(py, Outcome::from(&c.validity))?,
            key_usage: Py::new(py, Outcome::from(&c.key_usage))?,
            payload: Py::new(py, Outcome::from(&c.payload))?,
        })
    }
}

#[pymethods]
impl Checks {
    fn __repr__(&self) -> String {
        let s = |o: &Py<Outcome>| {
            let o = o.get();
            R(o.code.as_deref().unwrap_or(o.status)).to_string()
        };
        format!(
            "Checks(signature={}, validity={}, key_usage={}, payload={})",
            s(&self.signature),
            s(&self.validity),
            s(&self.key_usage),
            s(&self.payload)
        )
    }
}
