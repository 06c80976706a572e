//! The issuance ledger: `Ledger` (SQLite file or PostgreSQL), its records, queries, chain
//! check and export as gateway revocation batches.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{CertificateType, DccError, HashType, RevocationBatch, from_view};

/// How an issuer records into a ledger (`Issuer.withLedger`).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct LedgerOptions {
    /// The issuing account or operator, as you know it (required, not empty: else
    /// `invalid_options`).
    pub operator: String,
    /// Also record the holder's names and date of birth (off by default: the ledger holds no
    /// personal data).
    #[uniffi(default = false)]
    pub include_personal_data: bool,
}

impl From<LedgerOptions> for dcc::ledger::LedgerOptions {
    fn from(o: LedgerOptions) -> Self {
        dcc::ledger::LedgerOptions {
            operator: o.operator,
            include_personal_data: o.include_personal_data,
        }
    }
}

/// A selection of ledger records. Every field is optional (`LedgerQuery()` selects all); set
/// fields must all match.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerQuery {
    /// Issued by this operator.
    #[uniffi(default = None)]
    pub operator: Option<String>,
    /// Issued at or after this instant (seconds since the epoch).
    #[uniffi(default = None)]
    pub since: Option<i64>,
    /// Issued before this instant (seconds since the epoch).
    #[uniffi(default = None)]
    pub until: Option<i64>,
    /// Signed by the DSC with this base64 kid.
    #[uniffi(default = None)]
    pub kid: Option<String>,
    /// Of this type.
    #[uniffi(default = None)]
    pub certificate_type: Option<CertificateType>,
    /// With this certificate identifier.
    #[uniffi(default = None)]
    pub uci: Option<String>,
}

/// Field by field (not through serde with a default): a query must never widen to "all".
fn query(q: LedgerQuery) -> dcc::ledger::LedgerQuery {
    dcc::ledger::LedgerQuery {
        operator: q.operator,
        since: q.since,
        until: q.until,
        kid: q.kid,
        certificate_type: q.certificate_type.map(|t| match t {
            CertificateType::Vaccination => dcc::CertType::Vaccination,
            CertificateType::Test => dcc::CertType::Test,
            CertificateType::Recovery => dcc::CertType::Recovery,
        }),
        uci: q.uci,
    }
}

/// One issued certificate, as recorded. No names or dates of birth unless the issuer opted in.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LedgerRecord {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Issued-at, seconds since the epoch.
    pub issued_at: i64,
    /// Expiry, seconds since the epoch.
    pub expires_at: i64,
    /// kid of the DSC, base64.
    pub kid: String,
    /// Certificate type.
    pub certificate_type: CertificateType,
    /// Issuing country (CWT `iss`).
    pub country: String,
    /// The certificate identifier.
    pub uci: String,
    /// `UCI` revocation hash, base64.
    pub hash_uci: Option<String>,
    /// `COUNTRYCODEUCI` revocation hash, base64.
    pub hash_country_code_uci: Option<String>,
    /// `SIGNATURE` revocation hash, base64.
    pub hash_signature: String,
    /// The operator the issuer was given.
    pub operator: String,
    /// SHA-256 of the `HC1:` text, hex.
    pub hc1_sha256: String,
    /// `{"nam": ..., "dob": ...}` as JSON text, only when the issuer opted in.
    pub personal_data: Option<String>,
    /// `recordHash` of the previous record (zeros for the first), hex.
    pub prev_hash: String,
    /// SHA-256(prevHash ‖ content), hex.
    pub record_hash: String,
}

/// How the chain broke.
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The record's content no longer matches its hash.
    #[default]
    Changed,
    /// The record's predecessor is missing (deleted, or rewritten with a new hash).
    Deleted,
    /// The record's predecessor exists but elsewhere in the order.
    Reordered,
}

/// The first place where the chain breaks.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChainBreak {
    /// The `seq` of the first bad record.
    pub seq: i64,
    /// What is wrong with it.
    pub kind: BreakKind,
    /// A sentence for people.
    pub message: String,
}

/// The result of `Ledger.verify()`.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChainReport {
    /// True when every record's hash and link verify.
    pub valid: bool,
    /// Number of records.
    pub records: u64,
    /// `recordHash` of the last record: keep it elsewhere to detect removal of the newest.
    pub head: Option<String>,
    /// The first break, when not valid.
    pub first_break: Option<ChainBreak>,
}

/// An issuance ledger: one tamper-evident (hash-chained) record per issued certificate, in an
/// SQLite file or a PostgreSQL database. Safe to share between threads and issuers; several
/// processes may write to the same ledger. Every failure is `ledger_failed`.
#[derive(uniffi::Object, Debug)]
#[uniffi::export(Debug)]
pub struct Ledger(pub(crate) Arc<dcc::ledger::Ledger>);

#[uniffi::export]
impl Ledger {
    /// Opens the ledger at `target`, creating and migrating it when needed: a PostgreSQL URL
    /// (`postgres://user@host:port/db`) or the path of an SQLite file.
    #[uniffi::constructor]
    pub fn open(target: String) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Ledger(Arc::new(dcc::ledger::Ledger::open(
            &target,
        )?))))
    }

    /// Where the ledger is: the file path, or the URL without its password.
    pub fn target(&self) -> String {
        self.0.target().to_string()
    }

    /// The records matching `query`, in chain order.
    pub fn records(&self, query: LedgerQuery) -> Result<Vec<LedgerRecord>, DccError> {
        Ok(from_view(self.0.records(&self::query(query))?))
    }

    /// Checks the hash chain; a changed, deleted or reordered record is named in `firstBreak`.
    pub fn verify(&self) -> Result<ChainReport, DccError> {
        Ok(from_view(self.0.verify()?))
    }

    /// The selected records' hashes of type `hash_type` as gateway revocation batches (one per
    /// country and kid, at most 1,000 distinct hashes each).
    pub fn export(
        &self,
        query: LedgerQuery,
        hash_type: HashType,
    ) -> Result<Vec<RevocationBatch>, DccError> {
        Ok(from_view(
            self.0.export(&self::query(query), hash_type.into())?,
        ))
    }

    /// Writes `export`'s batches to the folder `dir` (created when missing), one file per
    /// batch (`batch-0001-DE.json`, ...); returns the paths.
    pub fn export_to_dir(
        &self,
        query: LedgerQuery,
        hash_type: HashType,
        dir: String,
    ) -> Result<Vec<String>, DccError> {
        let paths = self
            .0
            .export_to_dir(&self::query(query), hash_type.into(), dir.as_ref())?;
        Ok(paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect())
    }
}
