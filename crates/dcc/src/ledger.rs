//! The issuance ledger: one tamper-evident record per issued certificate, so that an issuer
//! can answer "what did this account issue?" and revoke exactly that.
//!
//! Each record holds issued-at, expiry, the DSC kid, the certificate type, the issuing
//! country, the UCI, the three revocation hashes, the operator (account) id supplied by the
//! caller and a SHA-256 of the `HC1:` text. Never names or dates of birth unless the issuer
//! opts in ([`LedgerOptions::include_personal_data`]).
//!
//! Records are chained: `record_hash = SHA-256(prev_hash ‖ content)`, so [`Ledger::verify`]
//! finds a changed, deleted or reordered record. (Removing the newest records leaves a valid,
//! shorter chain: keep [`ChainReport::head`] somewhere else to detect that.)
//!
//! Storage: an SQLite file (feature `ledger`) or a PostgreSQL server (feature `postgres`),
//! with the same schema (`crates/dcc/migrations`). Writers lock the chain's head for each
//! transaction (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory lock), so concurrent
//! processes keep one valid chain.
//!
//! ```
//! use std::sync::Arc;
//! use dcc::ledger::{Ledger, LedgerOptions, LedgerQuery};
//! use dcc::{HashType, IssueOptions, Issuer, RevocationList, Verifier};
//!
//! # let dir = std::env::temp_dir().join(format!("dcc-ledger-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir)?;
//! let ledger = Arc::new(Ledger::open(dir.join("ledger.db").to_str().unwrap_or_default())?);
//! let options = |operator: &str| LedgerOptions { operator: operator.into(), ..Default::default() };
//! let a = Issuer::demo().with_ledger(ledger.clone(), options("A"))?;
//! let b = Issuer::demo().with_ledger(ledger.clone(), options("B"))?;
//! let payload = include_str!("../../../examples/test.json");
//! let from_a = a.issue_json(payload, &IssueOptions::default())?;
//! let from_b = b.issue_json(payload, &IssueOptions::default())?;
//!
//! // Revoke exactly what B issued.
//! let query = LedgerQuery { operator: Some("B".into()), ..Default::default() };
//! let files = ledger.export_to_dir(&query, HashType::Signature, &dir.join("batches"))?;
//! let mut list = RevocationList::new();
//! for f in &files {
//!     list.load(&std::fs::read(f)?, None)?;
//! }
//! let verifier = Verifier::demo().with_revocation(list);
//! assert!(verifier.verify(from_a.hc1(), dcc::now())?.is_valid());
//! assert!(!verifier.verify(from_b.hc1(), dcc::now())?.is_valid());
//! assert!(ledger.verify()?.valid);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::revocation::{HashType, MAX_BATCH_ENTRIES, RevocationBatch, UNKNOWN_KID};
use crate::{CertType, Certificate, Error, Result};

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The schema migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_ledger.sql"))];

/// How an issuer records into a ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LedgerOptions {
    /// The issuing account or operator, as the caller knows it (required, not empty).
    pub operator: String,
    /// Also record the holder's names and date of birth (off by default: the ledger is safe
    /// to keep because it holds no personal data).
    pub include_personal_data: bool,
}

/// One issued certificate, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub certificate_type: CertType,
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
    /// `record_hash` of the previous record (zeros for the first), hex.
    pub prev_hash: String,
    /// SHA-256(prev_hash ‖ content), hex.
    pub record_hash: String,
}

impl LedgerRecord {
    fn content(&self) -> String {
        // A JSON array in a fixed order: unambiguous, and the same bytes on every backend.
        crate::api::to_json(&(
            self.issued_at,
            self.expires_at,
            &self.kid,
            self.certificate_type,
            &self.country,
            &self.uci,
            &self.hash_uci,
            &self.hash_country_code_uci,
            &self.hash_signature,
            &self.operator,
            &self.hc1_sha256,
            &self.personal_data,
        ))
    }

    fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.content().as_bytes());
        hex::encode(h.finalize())
    }

    /// The revocation hash of one type, base64.
    pub fn hash(&self, t: HashType) -> Option<&str> {
        match t {
            HashType::Uci => self.hash_uci.as_deref(),
            HashType::CountryCodeUci => self.hash_country_code_uci.as_deref(),
            HashType::Signature => Some(&self.hash_signature),
        }
    }

    /// The record of an issued certificate, before it is chained.
    pub fn for_certificate(cert: &Certificate, opts: &LedgerOptions) -> Self {
        let hashes = cert.revocation_hashes().view();
        let dcc = cert.dcc();
        let personal_data = opts
            .include_personal_data
            .then(|| crate::api::to_json(&serde_json::json!({"nam": dcc.nam, "dob": dcc.dob})));
        LedgerRecord {
            seq: 0,
            issued_at: cert.claims().iat.unwrap_or_default(),
            expires_at: cert.claims().exp.unwrap_or_default(),
            kid: cert.kid(),
            certificate_type: cert.certificate_type(),
            country: cert.claims().iss.clone().unwrap_or_default(),
            uci: dcc.entry().map(|e| e.ci().to_string()).unwrap_or_default(),
            hash_uci: hashes.uci,
            hash_country_code_uci: hashes.country_code_uci,
            hash_signature: hashes.signature,
            operator: opts.operator.clone(),
            hc1_sha256: hex::encode(Sha256::digest(cert.hc1().as_bytes())),
            personal_data,
            prev_hash: String::new(),
            record_hash: String::new(),
        }
    }
}

/// A selection of records. Every field is optional; set fields must all match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LedgerQuery {
    /// Issued by this operator.
    pub operator: Option<String>,
    /// Issued at or after this instant (seconds since the epoch).
    pub since: Option<i64>,
    /// Issued before this instant (seconds since the epoch).
    pub until: Option<i64>,
    /// Signed by the DSC with this base64 kid.
    pub kid: Option<String>,
    /// Of this type.
    pub certificate_type: Option<CertType>,
    /// With this certificate identifier.
    pub uci: Option<String>,
}

/// How the chain broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The record's content no longer matches its hash.
    Changed,
    /// The record's predecessor is missing (deleted, or rewritten with a new hash).
    Deleted,
    /// The record's predecessor exists but elsewhere in the order.
    Reordered,
}

/// The first place where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    /// The `seq` of the first bad record.
    pub seq: i64,
    /// What is wrong with it.
    pub kind: BreakKind,
    /// A sentence for people.
    pub message: String,
}

/// The result of [`Ledger::verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// True when every record's hash and link verify.
    pub valid: bool,
    /// Number of records.
    pub records: u64,
    /// `record_hash` of the last record (keep it elsewhere to detect removal of the newest).
    pub head: Option<String>,
    /// The first break, when not valid.
    pub first_break: Option<ChainBreak>,
}

impl ChainReport {
    /// The report as JSON.
    pub fn to_json(&self) -> String {
        crate::api::to_json(self)
    }
}

/// Checks a chain given in `seq` order.
pub fn verify_chain(records: &[LedgerRecord]) -> ChainReport {
    let mut walk = ChainWalk::default();
    for r in records {
        walk.push(r);
    }
    let known = |h: &str| Ok(records.iter().any(|r| r.record_hash == h));
    // `known` cannot fail.
    walk.finish(known)
        .unwrap_or_else(|_| unreachable!("in-memory lookup"))
}

/// Checks records one at a time, in `seq` order, without holding them.
#[derive(Debug, Default)]
struct ChainWalk {
    prev: Option<String>,
    records: u64,
    head: Option<String>,
    first_break: Option<ChainBreak>,
    /// The `prev_hash` of a record whose link does not fit: deleted, or reordered when some
    /// record has that hash.
    unresolved: Option<String>,
}

impl ChainWalk {
    fn push(&mut self, r: &LedgerRecord) {
        self.records += 1;
        self.head = Some(r.record_hash.clone());
        if self.first_break.is_some() {
            return;
        }
        let prev = self.prev.as_deref().unwrap_or(GENESIS);
        if r.compute_hash() != r.record_hash {
            self.first_break = Some(ChainBreak {
                seq: r.seq,
                kind: BreakKind::Changed,
                message: format!(
                    "record {} was changed: its content no longer matches its hash",
                    r.seq
                ),
            });
        } else if r.prev_hash != prev {
            self.first_break = Some(ChainBreak {
                seq: r.seq,
                kind: BreakKind::Deleted,
                message: format!(
                    "the record before {} is missing (deleted, or rewritten with a new hash)",
                    r.seq
                ),
            });
            self.unresolved = Some(r.prev_hash.clone());
        }
        self.prev = Some(r.record_hash.clone());
    }

    fn finish(mut self, exists: impl FnOnce(&str) -> Result<bool>) -> Result<ChainReport> {
        if let (Some(h), Some(b)) = (&self.unresolved, &mut self.first_break)
            && exists(h)?
        {
            b.kind = BreakKind::Reordered;
            b.message = format!(
                "record {} is out of order: its predecessor is elsewhere in the ledger",
                b.seq
            );
        }
        Ok(ChainReport {
            valid: self.first_break.is_none(),
            records: self.records,
            head: self.head,
            first_break: self.first_break,
        })
    }
}

/// Groups records into gateway revocation batches: one per (country, kid), at most 1,000
/// distinct entries each, `expires` = the latest expiry in the batch. Records without a hash
/// of the type (no certificate identifier) are left out.
pub fn batches_for(records: &[LedgerRecord], hash_type: HashType) -> Vec<RevocationBatch> {
    use std::collections::HashMap;
    // (country, kid) -> distinct hashes in chain order, each with its latest expiry: the same
    // certificate identifier issued twice gives one UCI hash, listed once.
    type Group = ((String, String), Vec<(String, i64)>);
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(String, String, String), (usize, usize)> = HashMap::new();
    for r in records {
        let Some(hash) = r.hash(hash_type) else {
            continue;
        };
        let key = (r.country.clone(), r.kid.clone());
        let g = match groups.iter().position(|(k, _)| *k == key) {
            Some(g) => g,
            None => {
                groups.push((key.clone(), Vec::new()));
                groups.len() - 1
            }
        };
        match index.entry((key.0, key.1, hash.to_string())) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (g, i) = *e.get();
                let slot = &mut groups[g].1[i].1;
                *slot = (*slot).max(r.expires_at);
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((g, groups[g].1.len()));
                groups[g].1.push((hash.to_string(), r.expires_at));
            }
        }
    }
    let mut out = Vec::new();
    for ((country, kid), hashes) in groups {
        for chunk in hashes.chunks(MAX_BATCH_ENTRIES) {
            let expires = chunk.iter().map(|(_, e)| *e).max().unwrap_or_default();
            out.push(RevocationBatch {
                country: country.clone(),
                expires: crate::format_time(expires),
                kid: if kid.is_empty() {
                    UNKNOWN_KID.into()
                } else {
                    kid.clone()
                },
                hash_type,
                entries: chunk
                    .iter()
                    .map(|(h, _)| crate::revocation::BatchEntry { hash: h.clone() })
                    .collect(),
            });
        }
    }
    out
}

enum Backend {
    #[cfg(feature = "ledger")]
    Sqlite(Mutex<rusqlite::Connection>),
    #[cfg(feature = "postgres")]
    Postgres(Mutex<PgConn>),
}

/// An issuance ledger: an SQLite file or a PostgreSQL database. Shareable across threads.
pub struct Ledger {
    backend: Backend,
    target: String,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

fn ledger_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Ledger(format!("{what}: {e}"))
}

/// The target with any password removed (`postgres://user:secret@host` → `postgres://user@host`).
fn redact(target: &str) -> String {
    match (target.find("://"), target.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &target[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}{}", &target[..scheme + 3], user, &target[at..])
        }
        _ => {
            // key=value connection strings: drop password=...
            target
                .split_whitespace()
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

fn is_postgres(target: &str) -> bool {
    target.starts_with("postgres://")
        || target.starts_with("postgresql://")
        || target.contains("host=")
}

/// A record from a result row in `COLUMNS` order (`$get`: the backend's fallible getter); the
/// certificate type (column 4) is parsed by the caller.
macro_rules! read_record {
    ($row:expr, $get:ident) => {
        LedgerRecord {
            seq: $row.$get(0)?,
            issued_at: $row.$get(1)?,
            expires_at: $row.$get(2)?,
            kid: $row.$get(3)?,
            certificate_type: CertType::Vaccination,
            country: $row.$get(5)?,
            uci: $row.$get(6)?,
            hash_uci: $row.$get(7)?,
            hash_country_code_uci: $row.$get(8)?,
            hash_signature: $row.$get(9)?,
            operator: $row.$get(10)?,
            hc1_sha256: $row.$get(11)?,
            personal_data: $row.$get(12)?,
            prev_hash: $row.$get(13)?,
            record_hash: $row.$get(14)?,
        }
    };
}

const COLUMNS: &str = "seq, issued_at, expires_at, kid, certificate_type, country, uci, hash_uci, \
     hash_country_code_uci, hash_signature, operator, hc1_sha256, personal_data, prev_hash, record_hash";

/// An advisory-lock key for the chain head (PostgreSQL): any constant works, this one spells
/// "dccledgr".
#[cfg(feature = "postgres")]
const PG_LOCK: i64 = 0x6463_636c_6564_6772;

fn where_clause(q: &LedgerQuery, placeholder: impl Fn(usize) -> String) -> (String, Vec<Param>) {
    let mut conds = Vec::new();
    let mut params = Vec::new();
    let mut push = |cond: &str, p: Param| {
        params.push(p);
        conds.push(format!("{cond} {}", placeholder(params.len())));
    };
    if let Some(o) = &q.operator {
        push("operator =", Param::Text(o.clone()));
    }
    if let Some(s) = q.since {
        push("issued_at >=", Param::Int(s));
    }
    if let Some(u) = q.until {
        push("issued_at <", Param::Int(u));
    }
    if let Some(k) = &q.kid {
        push("kid =", Param::Text(k.clone()));
    }
    if let Some(t) = q.certificate_type {
        push("certificate_type =", Param::Text(t.key().to_string()));
    }
    if let Some(u) = &q.uci {
        push("uci =", Param::Text(u.clone()));
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (sql, params)
}

#[derive(Debug, Clone)]
enum Param {
    Int(i64),
    Text(String),
}

fn parse_type(key: &str) -> Result<CertType> {
    match key {
        "v" => Ok(CertType::Vaccination),
        "t" => Ok(CertType::Test),
        "r" => Ok(CertType::Recovery),
        other => Err(Error::Ledger(format!(
            "a record has the unknown certificate type {other:?}"
        ))),
    }
}

/// Numbers and links `records` after `head` (the last record's seq and hash; none for an
/// empty ledger).
fn chain(head: Option<(i64, String)>, records: &mut [LedgerRecord]) {
    let (mut seq, mut prev) = head.unwrap_or((0, GENESIS.to_string()));
    for r in records.iter_mut() {
        seq += 1;
        r.seq = seq;
        r.prev_hash = prev;
        r.record_hash = r.compute_hash();
        prev = r.record_hash.clone();
    }
}

/// A PostgreSQL connection with its statements prepared once.
#[cfg(feature = "postgres")]
struct PgConn {
    client: postgres::Client,
    head: postgres::Statement,
    insert: postgres::Statement,
}

#[cfg(feature = "postgres")]
impl PgConn {
    fn new(mut client: postgres::Client, what: &str) -> Result<Self> {
        let head = client
            .prepare("SELECT seq, record_hash FROM dcc_ledger ORDER BY seq DESC LIMIT 1")
            .map_err(|e| ledger_error(what, e))?;
        // One statement for any number of records: one array per column.
        let insert = client
            .prepare(&format!(
                "INSERT INTO dcc_ledger ({COLUMNS}) SELECT * FROM UNNEST($1::bigint[], \
                 $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], \
                 $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], \
                 $14::text[], $15::text[])"
            ))
            .map_err(|e| ledger_error(what, e))?;
        Ok(PgConn {
            client,
            head,
            insert,
        })
    }

    /// One transaction: lock the chain head (advisory lock, in the same round trip as
    /// BEGIN), read it, chain the records, insert them all in one statement, commit.
    fn append(&mut self, records: &mut [LedgerRecord]) -> std::result::Result<(), postgres::Error> {
        self.client
            .batch_execute(&format!("BEGIN; SELECT pg_advisory_xact_lock({PG_LOCK})"))?;
        let result = (|| {
            let head = match self.client.query_opt(&self.head, &[])? {
                Some(row) => Some((row.try_get::<_, i64>(0)?, row.try_get::<_, String>(1)?)),
                None => None,
            };
            chain(head, records);
            let col = |f: fn(&LedgerRecord) -> String| records.iter().map(f).collect::<Vec<_>>();
            let opt =
                |f: fn(&LedgerRecord) -> Option<String>| records.iter().map(f).collect::<Vec<_>>();
            let int = |f: fn(&LedgerRecord) -> i64| records.iter().map(f).collect::<Vec<_>>();
            self.client.execute(
                &self.insert,
                &[
                    &int(|r| r.seq),
                    &int(|r| r.issued_at),
                    &int(|r| r.expires_at),
                    &col(|r| r.kid.clone()),
                    &col(|r| r.certificate_type.key().to_string()),
                    &col(|r| r.country.clone()),
                    &col(|r| r.uci.clone()),
                    &opt(|r| r.hash_uci.clone()),
                    &opt(|r| r.hash_country_code_uci.clone()),
                    &col(|r| r.hash_signature.clone()),
                    &col(|r| r.operator.clone()),
                    &col(|r| r.hc1_sha256.clone()),
                    &opt(|r| r.personal_data.clone()),
                    &col(|r| r.prev_hash.clone()),
                    &col(|r| r.record_hash.clone()),
                ],
            )?;
            Ok(())
        })();
        match result {
            Ok(()) => self.client.batch_execute("COMMIT"),
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }
}

impl Ledger {
    /// Opens (creating and migrating when needed) a ledger: a PostgreSQL URL
    /// (`postgres://user@host:port/db`, or a `host=... dbname=...` string), else a path to an
    /// SQLite file (an optional `sqlite:` prefix is removed).
    pub fn open(target: &str) -> Result<Self> {
        let target = target.trim();
        if target.is_empty() {
            return Err(Error::Ledger(
                "no ledger given (a file path or postgres:// URL)".into(),
            ));
        }
        if is_postgres(target) {
            return Self::open_postgres(target);
        }
        Self::open_sqlite(target.strip_prefix("sqlite:").unwrap_or(target))
    }

    #[cfg(feature = "ledger")]
    fn open_sqlite(path: &str) -> Result<Self> {
        let what = format!("SQLite ledger {path}");
        let conn = rusqlite::Connection::open(path).map_err(|e| ledger_error(&what, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(|e| ledger_error(&what, e))?;
        // WAL: readers never block the writer; NORMAL: a commit survives a process crash (an
        // OS crash may lose the last transactions, never corrupt the file).
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
            .map_err(|e| ledger_error(&what, e))?;
        let mut conn = conn;
        {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| ledger_error(&what, e))?;
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS dcc_ledger_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
            )
            .map_err(|e| ledger_error(&what, e))?;
            for (version, sql) in MIGRATIONS {
                let done: i64 = tx
                    .query_row(
                        "SELECT COUNT(*) FROM dcc_ledger_migrations WHERE version = ?1",
                        [version],
                        |r| r.get(0),
                    )
                    .map_err(|e| ledger_error(&what, e))?;
                if done == 0 {
                    tx.execute_batch(sql).map_err(|e| ledger_error(&what, e))?;
                    tx.execute(
                        "INSERT INTO dcc_ledger_migrations (version, applied_at) VALUES (?1, ?2)",
                        [*version, crate::now()],
                    )
                    .map_err(|e| ledger_error(&what, e))?;
                }
            }
            tx.commit().map_err(|e| ledger_error(&what, e))?;
        }
        Ok(Ledger {
            backend: Backend::Sqlite(Mutex::new(conn)),
            target: path.to_string(),
        })
    }

    #[cfg(not(feature = "ledger"))]
    fn open_sqlite(path: &str) -> Result<Self> {
        Err(Error::Ledger(format!(
            "cannot open {path}: this build has no SQLite ledger (feature `ledger`)"
        )))
    }

    #[cfg(feature = "postgres")]
    fn open_postgres(url: &str) -> Result<Self> {
        let shown = redact(url);
        let what = format!("PostgreSQL ledger {shown}");
        let mut client =
            postgres::Client::connect(url, postgres::NoTls).map_err(|e| ledger_error(&what, e))?;
        let mut tx = client.transaction().map_err(|e| ledger_error(&what, e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PG_LOCK])
            .map_err(|e| ledger_error(&what, e))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS dcc_ledger_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .map_err(|e| ledger_error(&what, e))?;
        for (version, sql) in MIGRATIONS {
            let done: i64 = tx
                .query_one(
                    "SELECT COUNT(*) FROM dcc_ledger_migrations WHERE version = $1",
                    &[version],
                )
                .and_then(|row| row.try_get(0))
                .map_err(|e| ledger_error(&what, e))?;
            if done == 0 {
                tx.batch_execute(sql).map_err(|e| ledger_error(&what, e))?;
                tx.execute(
                    "INSERT INTO dcc_ledger_migrations (version, applied_at) VALUES ($1, $2)",
                    &[version, &crate::now()],
                )
                .map_err(|e| ledger_error(&what, e))?;
            }
        }
        tx.commit().map_err(|e| ledger_error(&what, e))?;
        Ok(Ledger {
            backend: Backend::Postgres(Mutex::new(PgConn::new(client, &what)?)),
            target: shown,
        })
    }

    #[cfg(not(feature = "postgres"))]
    fn open_postgres(url: &str) -> Result<Self> {
        Err(Error::Ledger(format!(
            "cannot open {}: this build has no PostgreSQL ledger (feature `postgres`)",
            redact(url)
        )))
    }

    /// Where the ledger is (file path, or the URL without its password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Appends records in one transaction, chaining each to the previous head; returns them
    /// with their `seq`, `prev_hash` and `record_hash`.
    pub fn append(&self, mut records: Vec<LedgerRecord>) -> Result<Vec<LedgerRecord>> {
        if records.is_empty() {
            return Ok(records);
        }
        let what = "cannot record in the ledger";
        match &self.backend {
            #[cfg(feature = "ledger")]
            Backend::Sqlite(conn) => {
                let mut conn = conn
                    .lock()
                    .map_err(|_| Error::Ledger("ledger lock poisoned".into()))?;
                let tx = conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(|e| ledger_error(what, e))?;
                let head = {
                    use rusqlite::OptionalExtension;
                    tx.query_row(
                        "SELECT seq, record_hash FROM dcc_ledger ORDER BY seq DESC LIMIT 1",
                        [],
                        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                    )
                    .optional()
                    .map_err(|e| ledger_error(what, e))?
                };
                chain(head, &mut records);
                {
                    let mut stmt = tx
                        .prepare_cached(&format!(
                            "INSERT INTO dcc_ledger ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                        ))
                        .map_err(|e| ledger_error(what, e))?;
                    for r in &records {
                        stmt.execute(rusqlite::params![
                            r.seq,
                            r.issued_at,
                            r.expires_at,
                            r.kid,
                            r.certificate_type.key(),
                            r.country,
                            r.uci,
                            r.hash_uci,
                            r.hash_country_code_uci,
                            r.hash_signature,
                            r.operator,
                            r.hc1_sha256,
                            r.personal_data,
                            r.prev_hash,
                            r.record_hash
                        ])
                        .map_err(|e| ledger_error(what, e))?;
                    }
                }
                tx.commit().map_err(|e| ledger_error(what, e))?;
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(conn) => {
                let mut conn = conn
                    .lock()
                    .map_err(|_| Error::Ledger("ledger lock poisoned".into()))?;
                conn.append(&mut records)
                    .map_err(|e| ledger_error(what, e))?;
            }
        }
        Ok(records)
    }

    /// Records issued certificates (one transaction).
    pub fn record(
        &self,
        certs: &[&Certificate],
        opts: &LedgerOptions,
    ) -> Result<Vec<LedgerRecord>> {
        if opts.operator.trim().is_empty() {
            return Err(Error::Options(
                "recording in a ledger needs an operator id".into(),
            ));
        }
        self.append(
            certs
                .iter()
                .map(|c| LedgerRecord::for_certificate(c, opts))
                .collect(),
        )
    }

    /// The records matching `query`, in chain order.
    pub fn records(&self, query: &LedgerQuery) -> Result<Vec<LedgerRecord>> {
        let mut out = Vec::new();
        self.scan(query, &mut |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` with each record matching `query`, in chain order, streaming (the ledger is
    /// never held in memory).
    pub fn scan(
        &self,
        query: &LedgerQuery,
        f: &mut dyn FnMut(LedgerRecord) -> Result<()>,
    ) -> Result<()> {
        let what = "cannot read the ledger";
        let poisoned = || Error::Ledger("ledger lock poisoned".into());
        match &self.backend {
            #[cfg(feature = "ledger")]
            Backend::Sqlite(conn) => {
                let conn = conn.lock().map_err(|_| poisoned())?;
                let (filter, params) = where_clause(query, |i| format!("?{i}"));
                let mut stmt = conn
                    .prepare(&format!(
                        "SELECT {COLUMNS} FROM dcc_ledger{filter} ORDER BY seq"
                    ))
                    .map_err(|e| ledger_error(what, e))?;
                let params: Vec<Box<dyn rusqlite::ToSql>> = params
                    .into_iter()
                    .map(|p| -> Box<dyn rusqlite::ToSql> {
                        match p {
                            Param::Int(i) => Box::new(i),
                            Param::Text(t) => Box::new(t),
                        }
                    })
                    .collect();
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(params.iter()))
                    .map_err(|e| ledger_error(what, e))?;
                while let Some(row) = rows.next().map_err(|e| ledger_error(what, e))? {
                    let read =
                        |row: &rusqlite::Row<'_>| -> rusqlite::Result<(LedgerRecord, String)> {
                            Ok((read_record!(row, get), row.get(4)?))
                        };
                    let (mut r, t) = read(row).map_err(|e| ledger_error(what, e))?;
                    r.certificate_type = parse_type(&t)?;
                    f(r)?;
                }
                Ok(())
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(conn) => {
                use postgres::fallible_iterator::FallibleIterator;
                let mut conn = conn.lock().map_err(|_| poisoned())?;
                let client = &mut conn.client;
                let (filter, params) = where_clause(query, |i| format!("${i}"));
                let params: Vec<Box<dyn postgres::types::ToSql + Sync>> = params
                    .into_iter()
                    .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
                        match p {
                            Param::Int(i) => Box::new(i),
                            Param::Text(t) => Box::new(t),
                        }
                    })
                    .collect();
                let mut rows = client
                    .query_raw(
                        &format!("SELECT {COLUMNS} FROM dcc_ledger{filter} ORDER BY seq"),
                        params.iter().map(|b| b.as_ref()),
                    )
                    .map_err(|e| ledger_error(what, e))?;
                while let Some(row) = rows.next().map_err(|e| ledger_error(what, e))? {
                    let read = |row: &postgres::Row| -> std::result::Result<LedgerRecord, postgres::Error> {
                        Ok(read_record!(row, try_get))
                    };
                    let mut r = read(&row).map_err(|e| ledger_error(what, e))?;
                    let t: String = row.try_get(4).map_err(|e| ledger_error(what, e))?;
                    r.certificate_type = parse_type(&t)?;
                    f(r)?;
                }
                Ok(())
            }
        }
    }

    /// Whether some record has this `record_hash` (to tell a reordered record from a deleted
    /// predecessor).
    fn has_record_hash(&self, hash: &str) -> Result<bool> {
        let what = "cannot read the ledger";
        let poisoned = || Error::Ledger("ledger lock poisoned".into());
        let count: i64 = match &self.backend {
            #[cfg(feature = "ledger")]
            Backend::Sqlite(conn) => conn
                .lock()
                .map_err(|_| poisoned())?
                .query_row(
                    "SELECT COUNT(*) FROM dcc_ledger WHERE record_hash = ?1",
                    [hash],
                    |r| r.get(0),
                )
                .map_err(|e| ledger_error(what, e))?,
            #[cfg(feature = "postgres")]
            Backend::Postgres(conn) => conn
                .lock()
                .map_err(|_| poisoned())?
                .client
                .query_one(
                    "SELECT COUNT(*) FROM dcc_ledger WHERE record_hash = $1",
                    &[&hash],
                )
                .and_then(|row| row.try_get(0))
                .map_err(|e| ledger_error(what, e))?,
        };
        Ok(count > 0)
    }

    /// Checks the whole chain: every record's hash and its link to the previous one. Says
    /// which record is the first bad one and how.
    pub fn verify(&self) -> Result<ChainReport> {
        let mut walk = ChainWalk::default();
        self.scan(&LedgerQuery::default(), &mut |r| {
            walk.push(&r);
            Ok(())
        })?;
        walk.finish(|h| self.has_record_hash(h))
    }

    /// The selected records as gateway revocation batches (see [`batches_for`]).
    pub fn export(&self, query: &LedgerQuery, hash_type: HashType) -> Result<Vec<RevocationBatch>> {
        Ok(batches_for(&self.records(query)?, hash_type))
    }

    /// Writes [`Ledger::export`]'s batches to `dir`, one file per batch
    /// (`batch-0001-DE.json`, ...); returns the paths.
    pub fn export_to_dir(
        &self,
        query: &LedgerQuery,
        hash_type: HashType,
        dir: &std::path::Path,
    ) -> Result<Vec<std::path::PathBuf>> {
        let batches = self.export(query, hash_type)?;
        write_batches(&batches, dir)
    }
}

/// Writes batches to `dir` (created when missing), one file per batch.
pub fn write_batches(
    batches: &[RevocationBatch],
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| ledger_error(&format!("cannot create {}", dir.display()), e))?;
    batches
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let path = dir.join(format!("batch-{:04}-{}.json", i + 1, b.country));
            std::fs::write(&path, b.to_json())
                .map_err(|e| ledger_error(&format!("cannot write {}", path.display()), e))?;
            Ok(path)
        })
        .collect()
}

/// An issuer's link to its ledger.
#[derive(Debug, Clone)]
pub(crate) struct Recorder {
    pub(crate) ledger: Arc<Ledger>,
    pub(crate) options: LedgerOptions,
}

impl Recorder {
    pub(crate) fn record(&self, certs: &[&Certificate]) -> Result<()> {
        self.ledger.record(certs, &self.options).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_shown() {
        assert_eq!(
            redact("postgres://dcc:s3cret@localhost:5432/ledger"),
            "postgres://dcc@localhost:5432/ledger"
        );
        assert_eq!(
            redact("host=/tmp password=s3cret dbname=x"),
            "host=/tmp dbname=x"
        );
        assert_eq!(redact("ledger.db"), "ledger.db");
    }
}
