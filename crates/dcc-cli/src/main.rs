//! `dcc`: issue, verify and decode EU Digital COVID Certificates from the command line.

mod batch;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dcc::{EcLevel, IssueOptions, Issuer, RenderOptions, Validity, Verifier};
use serde_json::{Value, json};

/// Issue, verify and decode EU Digital COVID Certificates (HC1: QR codes).
///
/// Exit status: 0 = valid / done, 1 = verification failed (or a business rule failed), 2 = bad
/// input or usage, 3 = no business rule failed but one is open.
#[derive(Parser, Debug)]
#[command(name = "dcc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a P-256 key (key.pem, PKCS#8) and a self-signed DSC (cert.pem) for tests and pilots.
    Keygen(KeygenArgs),
    /// Sign a DCC JSON payload: HC1 text on stdout, or a .png/.svg/.pdf/.txt file with --out.
    Issue(IssueArgs),
    /// Issue one certificate per record of a JSON Lines or CSV file, on every core.
    #[command(long_about = batch::LONG_ABOUT)]
    IssueBatch(batch::BatchArgs),
    /// Verify a certificate: signature, validity window and key usage. Exit 0 only when all pass.
    Verify(VerifyArgs),
    /// Print the payload and claims of a certificate as JSON, without checking the signature.
    Decode(DecodeArgs),
    /// Check a DCC JSON payload as `issue` would (schema, value sets, plausibility rules).
    /// Exit 0 = valid, 1 = invalid (every problem listed), 2 = bad input.
    Validate(ValidateArgs),
    /// Print the ICAO 9303 standardised form of a name (for `fnt`/`gnt`).
    Transliterate {
        /// The name, e.g. "Müller-Lüdenscheidt".
        name: String,
    },
    /// Print a new unique certificate identifier (UVCI).
    Uvci {
        /// Country, ISO 3166-1 alpha-2.
        country: String,
        /// Issuer part (A-Z, 0-9 and /).
        issuer_part: String,
    },
    /// Print a certificate's three revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE), as a
    /// revocation batch would list them. The certificate is decoded, not verified.
    RevocationHashes(RevocationHashesArgs),
    /// Check and summarise a trust list (German, Austrian, Swiss, EU gateway JSON, PEM; the
    /// format is detected). Exit 0 = signature valid, 1 = signature invalid or the list
    /// expired (without --allow-expired), 2 = malformed input or usage.
    TrustList(TrustListArgs),
    /// Business rules (CertLogic).
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Query, check and export the issuance ledger that `issue --ledger` records into.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// List every stable code (errors, check failures, validation issues) with its meaning.
    Codes {
        /// Print them as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
struct RevocationHashesArgs {
    #[command(flatten)]
    input: Input,
    /// Print them as JSON (base64 and hex).
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum LedgerCommand {
    /// List the selected records (JSON Lines with --json).
    List {
        #[command(flatten)]
        select: LedgerSelect,
        /// One JSON object per record and line.
        #[arg(long)]
        json: bool,
    },
    /// Check the whole chain; exit 1 and name the first bad record when it is broken.
    Verify {
        /// The ledger: an SQLite file or a postgres:// URL.
        #[arg(long)]
        ledger: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the selected certificates as gateway revocation batches (at most 1,000 entries
    /// per file, one file per batch).
    Export {
        #[command(flatten)]
        select: LedgerSelect,
        /// Which revocation hash the batches list.
        #[arg(long, value_enum, default_value = "signature")]
        hash_type: HashTypeArg,
        /// Folder for the batch files (created if missing).
        #[arg(long)]
        out_dir: PathBuf,
    },
}

#[derive(Args, Debug)]
struct LedgerSelect {
    /// The ledger: an SQLite file or a postgres:// URL.
    #[arg(long)]
    ledger: String,
    /// Only certificates issued by this operator.
    #[arg(long)]
    operator: Option<String>,
    /// Only certificates issued at or after this time (RFC 3339).
    #[arg(long)]
    since: Option<String>,
    /// Only certificates issued before this time (RFC 3339).
    #[arg(long)]
    until: Option<String>,
    /// Only certificates signed by the DSC with this base64 kid.
    #[arg(long)]
    kid: Option<String>,
    /// Only certificates of this type.
    #[arg(long = "type", value_enum)]
    cert_type: Option<TypeArg>,
    /// Only the certificate with this identifier.
    #[arg(long)]
    uci: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TypeArg {
    V,
    T,
    R,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "UPPER")]
enum HashTypeArg {
    Uci,
    Countrycodeuci,
    Signature,
}

impl From<HashTypeArg> for dcc::HashType {
    fn from(h: HashTypeArg) -> Self {
        match h {
            HashTypeArg::Uci => dcc::HashType::Uci,
            HashTypeArg::Countrycodeuci => dcc::HashType::CountryCodeUci,
            HashTypeArg::Signature => dcc::HashType::Signature,
        }
    }
}

#[derive(Args, Debug)]
struct ValidateArgs {
    /// The DCC payload as JSON; `-` reads stdin.
    payload: PathBuf,
    /// Check as of this time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Replace an embedded value set with a newer file in the official format. Repeatable.
    #[arg(long)]
    value_set: Vec<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct KeygenArgs {
    /// Folder to write key.pem and cert.pem (and request.csr with --csr) into (created if
    /// missing; existing files are kept).
    #[arg(long, required_unless_present = "pkcs11", conflicts_with = "pkcs11")]
    out_dir: Option<PathBuf>,
    /// Generate the key inside a PKCS#11 token instead (RFC 7512 URI naming the token and the
    /// new key's label: `pkcs11:token=LABEL;object=LABEL?module-path=...`); the private key never
    /// leaves it. The PIN comes from pin-value, pin-source or DCC_PKCS11_PIN.
    #[arg(long)]
    pkcs11: Option<String>,
    /// With --pkcs11: the key type, ES256 (P-256) or PS256 (RSA-3072).
    #[arg(long, default_value = "ES256", requires = "pkcs11")]
    algorithm: String,
    /// Write a PKCS#10 certificate signing request for the national CSCA: with --out-dir,
    /// request.csr in that folder (no value); with --pkcs11, to this file.
    #[arg(long, num_args = 0..=1)]
    #[allow(clippy::option_option)] // absent / `--csr` / `--csr FILE`
    csr: Option<Option<PathBuf>>,
    /// With --pkcs11: write a self-signed DSC for the token key to this file (tests, pilots).
    #[arg(long, requires = "pkcs11")]
    self_signed: Option<PathBuf>,
    /// Organization (`O=`) of the subject, as the CSCA expects.
    #[arg(long)]
    organization: Option<String>,
    /// Certificate types the key will sign (their HCERT key-usage OIDs are requested). Repeatable.
    /// Default: all three.
    #[arg(long = "type", value_enum)]
    cert_types: Vec<TypeArg>,
    /// Country of the DSC subject (ISO 3166-1 alpha-2). Default: XX.
    #[arg(long)]
    country: Option<String>,
    /// Common name of the DSC subject. Default: "dcc-kit test DSC".
    #[arg(long)]
    common_name: Option<String>,
    /// Validity of the DSC in days. Default: 730.
    #[arg(long)]
    valid_days: Option<u32>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Ec {
    L,
    M,
    Q,
    H,
}

impl From<Ec> for EcLevel {
    fn from(e: Ec) -> Self {
        match e {
            Ec::L => EcLevel::L,
            Ec::M => EcLevel::M,
            Ec::Q => EcLevel::Q,
            Ec::H => EcLevel::H,
        }
    }
}

#[derive(Args, Debug)]
struct IssueArgs {
    /// The DCC payload as JSON (schema 1.3.x); `-` reads stdin.
    payload: PathBuf,
    #[command(flatten)]
    sign: SignArgs,
    /// Print the issued certificate as JSON (hc1, kid, type, claims, payload, changes).
    #[arg(long, conflicts_with = "out")]
    json: bool,
    /// QR error-correction level for image output.
    #[arg(long, value_enum, default_value = "q")]
    ec: Ec,
    /// Pixels per QR module for PNG output.
    #[arg(long, default_value_t = 4)]
    scale: u32,
    /// Write to a file instead of stdout: .png, .svg, .pdf (the printable A4 certificate) or
    /// .txt (HC1 text).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The language printed beside English on a .pdf: en, de or fr.
    #[arg(long, default_value = "de")]
    pdf_language: String,
}

/// An open ledger and how to record in it.
type LedgerLink = (
    std::sync::Arc<dcc::ledger::Ledger>,
    dcc::ledger::LedgerOptions,
);

/// The signer and issuing options that `issue` and `issue-batch` share.
#[derive(Args, Debug)]
struct SignArgs {
    /// Private key, PEM (PKCS#8, SEC1 or PKCS#1). Without it (or --pkcs11) the embedded demo
    /// key is used.
    #[arg(long, requires = "cert", conflicts_with = "pkcs11")]
    key: Option<PathBuf>,
    /// Sign with a key in a PKCS#11 token (RFC 7512 URI: `pkcs11:token=LABEL;object=LABEL`,
    /// module from ?module-path= or DCC_PKCS11_MODULE, PIN from pin-value, pin-source or
    /// DCC_PKCS11_PIN). ES256 or PS256 by the key's type.
    #[arg(long, requires = "cert")]
    pkcs11: Option<String>,
    /// Signer certificate (DSC), PEM, DER or base64 DER.
    #[arg(long)]
    cert: Option<PathBuf>,
    /// Issuer claim, ISO 3166-1 alpha-2 (default: the DSC's country).
    #[arg(long)]
    iss: Option<String>,
    /// Validity in days from the issue time (default: 365 for vaccination, 3 for test, 180 for
    /// recovery but never past its `du`).
    #[arg(long, conflicts_with = "expires_at")]
    valid_days: Option<u32>,
    /// Explicit expiry, RFC 3339 (instead of --valid-days).
    #[arg(long)]
    expires_at: Option<String>,
    /// ES256 nonces from RFC 6979: the same input always gives the same bytes.
    #[arg(long)]
    deterministic: bool,
    /// Issue time, RFC 3339 (default: now).
    #[arg(long)]
    issued_at: Option<String>,
    /// Issuer part of generated certificate identifiers, used when the payload has no `ci`
    /// (`URN:UVCI:01:<co>:<THIS>/<random>#<check>`).
    #[arg(long, default_value = "DCCKIT")]
    uvci_issuer: String,
    /// Replace an embedded value set with a newer file in the official format. Repeatable.
    #[arg(long)]
    value_set: Vec<PathBuf>,
    /// Record the certificate in this issuance ledger: an SQLite file (created if missing) or
    /// a postgres:// URL.
    #[arg(long, requires = "operator")]
    ledger: Option<String>,
    /// The issuing account or operator id recorded with the certificate.
    #[arg(long, requires = "ledger")]
    operator: Option<String>,
    /// Also record the holder's names and date of birth in the ledger (off by default).
    #[arg(long, requires = "ledger")]
    ledger_personal_data: bool,
}

impl SignArgs {
    /// The issuer (with the value sets, without the ledger). `warn`: announce the demo key.
    fn issuer(&self, warn: bool) -> Result<Issuer, Fail> {
        let issuer = match (&self.key, &self.cert) {
            (_, Some(c)) if self.pkcs11.is_some() => {
                let uri = self.pkcs11.as_deref().unwrap_or_default();
                Issuer::from_pkcs11(uri, read_file(c)?, &dcc::pkcs11::Pkcs11Options::default())?
            }
            (Some(k), Some(c)) if self.deterministic => {
                Issuer::from_pem_deterministic(read_file(k)?, read_file(c)?)?
            }
            (Some(k), Some(c)) => Issuer::from_pem(read_file(k)?, read_file(c)?)?,
            (None, Some(_)) => return Err(usage("--cert needs --key or --pkcs11")),
            _ => {
                if warn {
                    eprintln!(
                        "warning: signing with the embedded DEMO key (DSC \"{}\"): for trying dcc-kit only, \
                         NEVER for production; pass --key and --cert to sign for real",
                        Issuer::demo().dsc().subject()
                    );
                }
                Issuer::demo()
            }
        };
        Ok(issuer.with_value_sets(&value_sets(&self.value_set)?)?)
    }

    /// The ledger of --ledger and --operator, opened, with its recording options.
    fn ledger(&self) -> Result<Option<LedgerLink>, Fail> {
        let (Some(target), Some(operator)) = (&self.ledger, &self.operator) else {
            return Ok(None);
        };
        let ledger = std::sync::Arc::new(dcc::ledger::Ledger::open(target)?);
        let options = dcc::ledger::LedgerOptions {
            operator: operator.clone(),
            include_personal_data: self.ledger_personal_data,
        };
        Ok(Some((ledger, options)))
    }

    /// The options of every certificate.
    fn options(&self) -> Result<IssueOptions, Fail> {
        Ok(IssueOptions {
            iss: self.iss.clone(),
            issued_at: self
                .issued_at
                .as_deref()
                .map(|t| parse_time(t, "--issued-at"))
                .transpose()?,
            validity: match (&self.expires_at, self.valid_days) {
                (Some(t), _) => Validity::Until(parse_time(t, "--expires-at")?),
                (None, Some(d)) => Validity::ForSeconds(i64::from(d) * 86_400),
                (None, None) => Validity::Default,
            },
            uvci_issuer: Some(self.uvci_issuer.clone()),
        })
    }
}

#[derive(Args, Debug)]
struct Input {
    /// The HC1 text, or `-` to read it from stdin.
    #[arg(conflicts_with = "image")]
    hc1: Option<String>,
    /// Read the certificate from a QR code in a PNG or JPEG image.
    #[arg(long)]
    image: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    #[command(flatten)]
    input: Input,
    /// A trusted DSC (PEM, DER or base64 DER; a PEM file may hold several). Repeatable.
    /// Without it, only the embedded demo DSC is trusted.
    #[arg(long)]
    trust: Vec<PathBuf>,
    /// A trust list whose entries are trusted (format detected; see `dcc trust-list`).
    /// Repeatable, combinable with --trust.
    #[arg(long)]
    trust_list: Vec<PathBuf>,
    /// The companion file of each --trust-list (the Austrian signature, the Swiss active-key
    /// list): none, or one per --trust-list in the same order ("" for a list without one).
    #[arg(long)]
    trust_list_signature: Vec<PathBuf>,
    /// The anchor of the trust lists: one for all of them, or one per --trust-list in the
    /// same order.
    #[arg(long)]
    trust_list_anchor: Vec<PathBuf>,
    /// Use trust lists past their expiry (reported in the signer's source).
    #[arg(long)]
    allow_expired: bool,
    /// Verification time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Tolerate clocks that differ by up to this many seconds.
    #[arg(long, default_value_t = 0)]
    clock_skew: i64,
    /// Replace an embedded value set with a newer file in the official format. Repeatable.
    #[arg(long)]
    value_set: Vec<PathBuf>,
    /// Revocation data: a gateway revocation batch (JSON: one batch or an array) or a binary
    /// Bloom filter, detected by content. Repeatable. With it, a listed certificate is INVALID.
    #[arg(long)]
    revocation: Vec<PathBuf>,
    /// Business rules (EU gateway JSON: one rule or an array): after the technical checks,
    /// evaluate the rules that apply for --country. Exit 1 when a rule fails, 3 when none
    /// fails but one is open.
    #[arg(long, requires = "country")]
    rules: Option<PathBuf>,
    /// The arrival country whose rules apply (with --rules).
    #[arg(long, requires = "rules")]
    country: Option<String>,
    /// The arrival region (with --rules).
    #[arg(long, requires = "rules")]
    region: Option<String>,
    /// Print the full result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Evaluate one rule against `{"payload": ..., "external": {...}}`: prints PASSED, FAIL
    /// or OPEN (with the reason). Exit 0 / 1 / 3, 2 for malformed input.
    Eval {
        /// The rule (EU gateway JSON format).
        rule: PathBuf,
        /// The data: `{"payload": DCC JSON, "external": {"validationClock": ..., ...}}`.
        data: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
struct TrustListArgs {
    /// The list file.
    file: PathBuf,
    /// The companion file: the Austrian list's signature file, or the Swiss signed
    /// active-key list.
    #[arg(long)]
    signature: Option<PathBuf>,
    /// The pinned anchor (PEM or DER public key or certificate) the list's signature, or the
    /// Swiss x5c chain, must verify with. Required for signed formats.
    #[arg(long)]
    anchor: Option<PathBuf>,
    /// Load a list past its expiry (reported as expired).
    #[arg(long)]
    allow_expired: bool,
    /// Check the list's validity at this time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// The format, instead of detecting it: de, at, ch, eu-gateway, pem.
    #[arg(long)]
    format: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct DecodeArgs {
    #[command(flatten)]
    input: Input,
}

/// A failure that ends the program: exit status and message.
struct Fail {
    code: &'static str,
    message: String,
}

impl From<dcc::Error> for Fail {
    fn from(e: dcc::Error) -> Self {
        Fail {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The code of a failure to write to stdout because its reader has gone (`dcc decode | head`):
/// not an error of the command, so nothing is printed; the exit status is 141, what a shell
/// reports for a program that a closed pipe stopped.
const CLOSED_STDOUT: &str = "closed_stdout";

/// Writes one line to stdout; a closed pipe or any other write error is a [`Fail`], never a
/// panic (`println!` panics on a closed pipe, since Rust ignores SIGPIPE).
fn emit(args: std::fmt::Arguments<'_>) -> Result<(), Fail> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| Fail {
            code: if e.kind() == std::io::ErrorKind::BrokenPipe {
                CLOSED_STDOUT
            } else {
                "io"
            },
            message: format!("writing to stdout: {e}"),
        })
}

/// `println!` that returns a [`Fail`] from the enclosing function instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        emit(format_args!($($arg)*))?
    };
}

fn usage(message: impl Into<String>) -> Fail {
    Fail {
        code: "usage",
        message: message.into(),
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, Fail> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| Fail {
            code: "io",
            message: format!("reading stdin: {e}"),
        })?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| Fail {
        code: "io",
        message: format!("reading {}: {e}", path.display()),
    })
}

fn parse_time(text: &str, what: &str) -> Result<i64, Fail> {
    dcc::parse_time(text).ok_or_else(|| usage(format!("{what} {text:?} is not an RFC 3339 time")))
}

/// Reads the HC1 text from the argument, stdin or an image. Only line breaks at the ends are
/// removed: a space is a Base45 data character.
fn read_input(input: &Input) -> Result<String, Fail> {
    if let Some(image) = &input.image {
        return Ok(dcc::read_qr(&read_file(image)?)?);
    }
    let text = match input.hc1.as_deref() {
        None | Some("-") => {
            let bytes = read_file(Path::new("-"))?;
            String::from_utf8(bytes).map_err(|_| usage("stdin is not UTF-8 text"))?
        }
        Some(t) => t.to_string(),
    };
    Ok(text.trim_matches(['\r', '\n']).to_string())
}

fn keygen(args: &KeygenArgs) -> Result<ExitCode, Fail> {
    let defaults = dcc::KeyOptions::default();
    let options = dcc::KeyOptions {
        country: args.country.clone().unwrap_or(defaults.country),
        common_name: args.common_name.clone().unwrap_or(defaults.common_name),
        valid_days: args.valid_days.unwrap_or(defaults.valid_days),
        organization: args.organization.clone(),
        certificate_types: args.cert_types.iter().map(|t| cert_type(*t)).collect(),
    };
    if let Some(uri) = &args.pkcs11 {
        let algorithm = dcc::parse_algorithm(&args.algorithm)?;
        if matches!(args.csr, Some(None)) {
            return Err(usage("with --pkcs11, --csr takes a file name"));
        }
        let csr = args.csr.clone().flatten();
        for p in [&csr, &args.self_signed].into_iter().flatten() {
            if p.exists() {
                return Err(usage(format!("{} exists; not overwriting it", p.display())));
            }
        }
        let key = dcc::pkcs11::generate_in_token(
            uri,
            &dcc::pkcs11::Pkcs11Options::default(),
            algorithm,
            &options,
        )?;
        eprintln!("generated a {algorithm} key in the token (it never leaves the token)");
        if let Some(p) = &csr {
            write_out(p, key.csr_pem.as_bytes())?;
            eprintln!("wrote {} (send it to the national CSCA)", p.display());
        }
        if let Some(p) = &args.self_signed {
            write_out(p, key.cert_pem.as_bytes())?;
            eprintln!("wrote {} (self-signed: tests and pilots only)", p.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out_dir) = &args.out_dir else {
        return Err(usage("give --out-dir DIR or --pkcs11 URI"));
    };
    if matches!(args.csr, Some(Some(_))) {
        return Err(usage(
            "with --out-dir, --csr takes no value (it writes request.csr)",
        ));
    }
    let generated = dcc::generate_key(&options)?;
    std::fs::create_dir_all(out_dir).map_err(|e| Fail {
        code: "io",
        message: format!("creating {}: {e}", out_dir.display()),
    })?;
    let key_path = out_dir.join("key.pem");
    let cert_path = out_dir.join("cert.pem");
    let csr_path = out_dir.join("request.csr");
    for p in [&key_path, &cert_path, &csr_path] {
        if p.exists() {
            return Err(usage(format!("{} exists; not overwriting it", p.display())));
        }
    }
    write_private(&key_path, generated.key_pem.as_bytes())?;
    write_out(&cert_path, generated.cert_pem.as_bytes())?;
    eprintln!(
        "wrote {} (private key: keep it secret) and {}",
        key_path.display(),
        cert_path.display()
    );
    if args.csr.is_some() {
        write_out(&csr_path, generated.csr_pem.as_bytes())?;
        eprintln!(
            "wrote {} (send it to the national CSCA)",
            csr_path.display()
        );
    }
    eprintln!(
        "note: a self-signed DSC is for tests and pilots; production DSCs come from the national CSCA"
    );
    Ok(ExitCode::SUCCESS)
}

fn cert_type(t: TypeArg) -> dcc::CertType {
    match t {
        TypeArg::V => dcc::CertType::Vaccination,
        TypeArg::T => dcc::CertType::Test,
        TypeArg::R => dcc::CertType::Recovery,
    }
}

fn write_out(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    write_whole(path, bytes, false)
}

/// A private key: readable by its owner only (from the moment the file exists, on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    write_whole(path, bytes, true)
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so a full disk,
/// an error or a signal never leaves half a file at `path` (an old file there stays whole until
/// the rename). The temporary file is removed when writing fails.
fn write_whole(path: &Path, bytes: &[u8], private: bool) -> Result<(), Fail> {
    use std::io::Write;
    let fail = |e: std::io::Error| Fail {
        code: "io",
        message: format!("writing {}: {e}", path.display()),
    };
    let name = path
        .file_name()
        .ok_or_else(|| usage(format!("{}: not a file name", path.display())))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = dir.join(format!(
        ".{}.dcc-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

fn read_payload(path: &Path) -> Result<Value, Fail> {
    let bytes = read_file(path)?;
    serde_json::from_slice(&bytes).map_err(|e| Fail {
        code: "invalid_payload",
        message: format!("{}: not valid JSON: {e}", path.display()),
    })
}

fn value_sets(files: &[PathBuf]) -> Result<Vec<String>, Fail> {
    files
        .iter()
        .map(|f| String::from_utf8(read_file(f)?).map_err(|_| usage("value set is not UTF-8")))
        .collect()
}

fn print_issues(issues: &[dcc::ValidationIssue]) {
    for i in issues {
        let path = if i.path.is_empty() {
            "(payload)"
        } else {
            i.path.as_str()
        };
        eprintln!("  {path}: [{}] {}", i.code, i.message);
    }
}

fn validate(args: &ValidateArgs) -> Result<ExitCode, Fail> {
    let payload = String::from_utf8(read_file(&args.payload)?)
        .map_err(|_| usage("the payload is not UTF-8 text"))?;
    let at = match &args.at {
        Some(t) => parse_time(t, "--at")?,
        None => dcc::now(),
    };
    let report = dcc::validate(&payload, at, &value_sets(&args.value_set)?)?;
    if args.json {
        out!("{}", pretty(&report));
    } else {
        for c in &report.changes {
            eprintln!("normalised {c}");
        }
        if report.valid {
            out!("VALID");
        } else {
            out!("INVALID: {} problem(s)", report.issues.len());
            for i in &report.issues {
                let path = if i.path.is_empty() {
                    "(payload)"
                } else {
                    i.path.as_str()
                };
                out!("  {path}: [{}] {}", i.code, i.message);
            }
        }
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn pretty<T: serde::Serialize>(view: &T) -> String {
    serde_json::to_string_pretty(view).unwrap_or_default()
}

fn issue(args: &IssueArgs) -> Result<ExitCode, Fail> {
    let payload = read_payload(&args.payload)?;
    let mut issuer = args.sign.issuer(true)?;
    if let Some((ledger, options)) = args.sign.ledger()? {
        issuer = issuer.with_ledger(ledger, options)?;
    }
    let opts = args.sign.options()?;
    let cert = match issuer.issue_value(&payload, &opts) {
        Err(dcc::Error::Validation(issues)) => {
            eprintln!(
                "refusing to sign: {} problem(s) in the payload",
                issues.len()
            );
            print_issues(&issues);
            return Err(Fail {
                code: "validation_failed",
                message: "fix the payload and try again".into(),
            });
        }
        other => other?,
    };
    for c in cert.changes() {
        eprintln!("normalised {c}");
    }
    if args.json {
        out!("{}", pretty(&cert.view()));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = &args.out else {
        out!("{}", cert.hc1());
        return Ok(ExitCode::SUCCESS);
    };
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let render = RenderOptions {
        scale: args.scale,
        ..RenderOptions::default()
    };
    let bytes = match ext.as_deref() {
        Some("png") => cert
            .qr(args.ec.into())?
            .to_png(&render)
            .map_err(dcc::Error::from)?,
        Some("svg") => cert.qr(args.ec.into())?.to_svg(&render).into_bytes(),
        Some("pdf") => cert.to_pdf(&dcc::PdfOptions {
            language: args.pdf_language.clone(),
        })?,
        Some("txt") => format!("{}\n", cert.hc1()).into_bytes(),
        _ => {
            return Err(usage(format!(
                "--out {}: use a .png, .svg, .pdf or .txt file",
                out.display()
            )));
        }
    };
    write_out(out, &bytes)?;
    let exp = cert.claims().exp.map(dcc::format_time).unwrap_or_default();
    eprintln!(
        "wrote {} ({} HC1 characters, expires {exp})",
        out.display(),
        cert.hc1().len()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_outcome(name: &str, o: &dcc::Outcome) -> Result<(), Fail> {
    match o {
        dcc::Outcome::Passed => out!("  {name:<10} ok"),
        dcc::Outcome::Failed(f) => out!("  {name:<10} FAILED [{}] {}", f.code, f.message),
        dcc::Outcome::Skipped { reason } if reason.starts_with("not checked") => {
            out!("  {name:<10} {reason}")
        }
        dcc::Outcome::Skipped { reason } => out!("  {name:<10} not checked: {reason}"),
        dcc::Outcome::NotCheckable { reason } => out!("  {name:<10} NOT CHECKABLE: {reason}"),
    }
    Ok(())
}

/// `--trust-list` files (with their companions and anchors) added to `verifier`.
fn load_trust_lists(mut verifier: Verifier, args: &VerifyArgs) -> Result<Verifier, Fail> {
    let n = args.trust_list.len();
    if !args.trust_list_signature.is_empty() && args.trust_list_signature.len() != n {
        return Err(usage(format!(
            "--trust-list-signature: give none or one per --trust-list ({n}), in the same order"
        )));
    }
    if args.trust_list_anchor.len() > 1 && args.trust_list_anchor.len() != n {
        return Err(usage(format!(
            "--trust-list-anchor: give one for all lists or one per --trust-list ({n})"
        )));
    }
    for (i, path) in args.trust_list.iter().enumerate() {
        let companion = match args.trust_list_signature.get(i) {
            Some(p) if !p.as_os_str().is_empty() => Some(read_file(p)?),
            _ => None,
        };
        let anchor = match args.trust_list_anchor.as_slice() {
            [] => None,
            [one] => Some(read_file(one)?),
            many => many.get(i).map(|p| read_file(p)).transpose()?,
        };
        let options = dcc::TrustListOptions {
            allow_expired: args.allow_expired,
            name: Some(path.display().to_string()),
            ..Default::default()
        };
        verifier = verifier.load_trust_list(
            &read_file(path)?,
            companion.as_deref(),
            anchor.as_deref(),
            &options,
        )?;
    }
    Ok(verifier)
}

fn trust_list(args: &TrustListArgs) -> Result<ExitCode, Fail> {
    let options = dcc::TrustListOptions {
        at: args
            .at
            .as_deref()
            .map(|t| parse_time(t, "--at"))
            .transpose()?,
        allow_expired: args.allow_expired,
        name: Some(args.file.display().to_string()),
        format: args
            .format
            .as_deref()
            .map(dcc::TrustListFormat::from_code)
            .transpose()?,
    };
    let content = read_file(&args.file)?;
    let companion = args.signature.as_deref().map(read_file).transpose()?;
    let anchor = args.anchor.as_deref().map(read_file).transpose()?;
    let list =
        match dcc::TrustList::load(&content, companion.as_deref(), anchor.as_deref(), &options) {
            Ok(list) => list,
            Err(e)
                if matches!(
                    e.kind(),
                    dcc::ErrorKind::TrustListSignatureInvalid | dcc::ErrorKind::TrustListExpired
                ) =>
            {
                if args.json {
                    out!("{}", pretty(&e.view()));
                } else {
                    out!("INVALID [{}] {e}", e.code());
                }
                return Ok(ExitCode::from(1));
            }
            Err(e) => return Err(e.into()),
        };
    let view = list.view();
    if args.json {
        out!("{}", pretty(&view));
    } else {
        let fmt_opt = |t: Option<i64>| t.map(dcc::format_time).unwrap_or_else(|| "-".into());
        out!(
            "{} {} list: {} entries ({} certificates, {} bare keys) from {} countries",
            if view.signature_verified {
                "VALID"
            } else {
                "UNSIGNED"
            },
            view.format,
            view.entries,
            view.certificates,
            view.bare_keys,
            view.countries.len()
        );
        if let Some(by) = &view.signed_by {
            out!("  signed by  {by}");
        }
        if view.not_before.is_some() || view.expires.is_some() {
            out!(
                "  valid      {} .. {}{}",
                fmt_opt(view.not_before),
                fmt_opt(view.expires),
                if view.expired {
                    " (EXPIRED, allowed)"
                } else {
                    ""
                }
            );
        } else if view.expired {
            out!("  EXPIRED signing chain, allowed by --allow-expired");
        }
        let countries: Vec<String> = view
            .countries
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        out!("  countries  {}", countries.join(", "));
        for s in &view.skipped {
            out!(
                "  skipped    #{} kid {} [{}] {}",
                s.index,
                s.kid.as_deref().unwrap_or("-"),
                s.code,
                s.message
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, Fail> {
    let hc1 = read_input(&args.input)?;
    let verifier = if args.trust.is_empty() && args.trust_list.is_empty() {
        eprintln!("note: no --trust or --trust-list given; trusting only the embedded DEMO DSC");
        Verifier::demo()
    } else {
        let certs = args
            .trust
            .iter()
            .map(|p| read_file(p))
            .collect::<Result<Vec<_>, _>>()?;
        Verifier::from_certs(certs)?
    };
    let verifier = load_trust_lists(verifier, args)?;
    let mut verifier = verifier
        .with_clock_skew(args.clock_skew)
        .with_value_sets(&value_sets(&args.value_set)?)?;
    if !args.revocation.is_empty() {
        let mut list = dcc::RevocationList::new();
        for path in &args.revocation {
            let name = path.display().to_string();
            list.load(&read_file(path)?, Some(&name))?;
        }
        verifier = verifier.with_revocation(list);
    }
    let at = match &args.at {
        Some(t) => parse_time(t, "--at")?,
        None => dcc::now(),
    };
    let v = verifier.verify(&hc1, at)?;
    let rules = match (&args.rules, &args.country) {
        (Some(path), Some(country)) => {
            let set = dcc::rules::load_rules(&read_file(path)?)?;
            let options = dcc::rules::RuleOptions {
                country: country.clone(),
                region: args.region.clone(),
                at: None,
                value_sets: Vec::new(),
            };
            Some(v.evaluate_rules(&set, &options)?)
        }
        _ => None,
    };
    if args.json {
        match &rules {
            None => out!("{}", pretty(&v.view())),
            Some(r) => {
                let mut view = serde_json::to_value(v.view()).unwrap_or_default();
                view["rules"] = serde_json::to_value(r).unwrap_or_default();
                out!("{}", pretty(&view));
            }
        }
    } else {
        out!("{}", if v.is_valid() { "VALID" } else { "INVALID" });
        print_outcome("signature", &v.checks.signature)?;
        print_outcome("validity", &v.checks.validity)?;
        print_outcome("key usage", &v.checks.key_usage)?;
        print_outcome("structure", &v.checks.structure)?;
        print_outcome("payload", &v.checks.payload)?;
        print_outcome("revocation", &v.checks.revocation)?;
        for f in v.findings.iter().skip(1) {
            out!("             also [{}] {}", f.code, f);
        }
        if let Some(s) = &v.signer {
            let subject = if s.certificate {
                s.subject.as_str()
            } else {
                "bare public key"
            };
            out!("  signer     {subject} (kid {}, {})", s.kid, s.key);
            if let Some(src) = &s.source {
                out!(
                    "  trusted by the {} trust list{}{}{}",
                    src.format,
                    src.list
                        .as_deref()
                        .map(|l| format!(" {l}"))
                        .unwrap_or_default(),
                    src.country
                        .as_deref()
                        .map(|c| format!(", entry of {c}"))
                        .unwrap_or_default(),
                    if src.list_expired {
                        " (EXPIRED list, allowed)"
                    } else {
                        ""
                    }
                );
            }
        }
        let c = &v.decoded.claims;
        out!(
            "  claims     iss={} iat={} exp={}",
            c.iss.as_deref().unwrap_or("-"),
            c.iat.map(dcc::format_time).unwrap_or_else(|| "-".into()),
            c.exp.map(dcc::format_time).unwrap_or_else(|| "-".into())
        );
        out!("  payload    {}", v.decoded.payload);
        if let Some(r) = &rules {
            print_rules(r)?;
        }
    }
    Ok(match (v.is_valid(), rules.map(|r| r.outcome)) {
        (false, _) | (true, Some(dcc::rules::RuleOutcome::Fail)) => ExitCode::from(1),
        (true, Some(dcc::rules::RuleOutcome::Open)) => ExitCode::from(3),
        _ => ExitCode::SUCCESS,
    })
}

fn outcome_word(o: dcc::rules::RuleOutcome) -> &'static str {
    match o {
        dcc::rules::RuleOutcome::Passed => "PASSED",
        dcc::rules::RuleOutcome::Fail => "FAIL",
        dcc::rules::RuleOutcome::Open => "OPEN",
    }
}

fn print_rule(r: &dcc::rules::RuleResult) -> Result<(), Fail> {
    let desc = r
        .descriptions
        .iter()
        .find(|d| d.lang == "en")
        .or(r.descriptions.first())
        .map(|d| d.desc.as_str())
        .unwrap_or("");
    out!(
        "  {:<6} {} {}: {desc}",
        outcome_word(r.outcome),
        r.identifier,
        r.version
    );
    if let Some(reason) = &r.open_reason {
        out!("         [{}] {}", reason.code, reason.message);
    }
    Ok(())
}

fn print_rules(r: &dcc::rules::RulesReport) -> Result<(), Fail> {
    out!(
        "RULES {} for {}{}: {} passed, {} failed, {} open",
        outcome_word(r.outcome),
        r.country,
        r.region
            .as_deref()
            .map(|x| format!("/{x}"))
            .unwrap_or_default(),
        r.passed,
        r.failed,
        r.open
    );
    for result in &r.results {
        print_rule(result)?;
    }
    Ok(())
}

fn rules(command: &RulesCommand) -> Result<ExitCode, Fail> {
    match command {
        RulesCommand::Eval { rule, data, json } => {
            let rule = dcc::rules::Rule::from_json(&read_file(rule)?).map_err(dcc::Error::from)?;
            let data: Value = serde_json::from_slice(&read_file(data)?)
                .map_err(|e| usage(format!("the data is not JSON: {e}")))?;
            let result = dcc::rules::evaluate_rule_on(&rule, &data)?;
            if *json {
                out!("{}", pretty(&result));
            } else {
                print_rule(&result)?;
            }
            Ok(match result.outcome {
                dcc::rules::RuleOutcome::Passed => ExitCode::SUCCESS,
                dcc::rules::RuleOutcome::Fail => ExitCode::from(1),
                dcc::rules::RuleOutcome::Open => ExitCode::from(3),
            })
        }
    }
}

fn revocation_hashes(args: &RevocationHashesArgs) -> Result<ExitCode, Fail> {
    let view = dcc::revocation_hashes(&read_input(&args.input)?)?;
    if args.json {
        out!("{}", pretty(&view));
    } else {
        let none = || "-".to_string();
        out!(
            "UCI             {}  {}",
            view.uci.clone().unwrap_or_else(none),
            view.uci_hex.clone().unwrap_or_else(none)
        );
        out!(
            "COUNTRYCODEUCI  {}  {}",
            view.country_code_uci.clone().unwrap_or_else(none),
            view.country_code_uci_hex.clone().unwrap_or_else(none)
        );
        out!("SIGNATURE       {}  {}", view.signature, view.signature_hex);
    }
    Ok(ExitCode::SUCCESS)
}

fn ledger_query(s: &LedgerSelect) -> Result<dcc::ledger::LedgerQuery, Fail> {
    Ok(dcc::ledger::LedgerQuery {
        operator: s.operator.clone(),
        since: s
            .since
            .as_deref()
            .map(|t| parse_time(t, "--since"))
            .transpose()?,
        until: s
            .until
            .as_deref()
            .map(|t| parse_time(t, "--until"))
            .transpose()?,
        kid: s.kid.clone(),
        certificate_type: s.cert_type.map(cert_type),
        uci: s.uci.clone(),
    })
}

fn ledger(cmd: &LedgerCommand) -> Result<ExitCode, Fail> {
    use dcc::ledger::Ledger;
    match cmd {
        LedgerCommand::List { select, json } => {
            let ledger = Ledger::open(&select.ledger)?;
            let records = ledger.records(&ledger_query(select)?)?;
            for r in &records {
                if *json {
                    out!("{}", serde_json::to_string(r).unwrap_or_default());
                } else {
                    out!(
                        "{:>6}  {}  {}  {}  {}  {}",
                        r.seq,
                        dcc::format_time(r.issued_at),
                        r.operator,
                        r.certificate_type.key(),
                        r.kid,
                        r.uci
                    );
                }
            }
            if !*json {
                eprintln!("{} record(s)", records.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Verify { ledger, json } => {
            let report = Ledger::open(ledger)?.verify()?;
            if *json {
                out!("{}", pretty(&report));
            } else if let Some(b) = &report.first_break {
                out!("BROKEN at record {} ({:?}): {}", b.seq, b.kind, b.message);
            } else {
                out!(
                    "VALID: {} record(s), head {}",
                    report.records,
                    report.head.as_deref().unwrap_or("-")
                );
            }
            Ok(if report.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        LedgerCommand::Export {
            select,
            hash_type,
            out_dir,
        } => {
            let ledger = Ledger::open(&select.ledger)?;
            let records = ledger.records(&ledger_query(select)?)?;
            let batches = dcc::ledger::batches_for(&records, (*hash_type).into());
            let files = dcc::ledger::write_batches(&batches, out_dir)?;
            for f in &files {
                out!("{}", f.display());
            }
            eprintln!(
                "{} certificate(s) in {} batch file(s)",
                records.len(),
                files.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn decode(args: &DecodeArgs) -> Result<ExitCode, Fail> {
    let d = dcc::decode(&read_input(&args.input)?)?;
    out!("{}", pretty(&d.view()));
    Ok(ExitCode::SUCCESS)
}

/// The codes of the command line itself (besides the library's error codes).
const CLI_CODES: [(&str, &str); 3] = [
    (
        "usage",
        "A command-line argument that cannot be used (exit status 2).",
    ),
    (
        "io",
        "A file or stdin that cannot be read or written (exit status 2).",
    ),
    (
        batch::DUPLICATE_UCI,
        "(issue-batch --name uci) A record whose certificate identifier (as a file name) an \
         earlier record of the same input already has: not issued.",
    ),
];

fn codes(as_json: bool) -> Result<(), Fail> {
    let errors: Vec<_> = dcc::ErrorKind::ALL
        .iter()
        .map(|k| (k.code(), k.description()))
        .chain(CLI_CODES)
        .collect();
    let checks: Vec<_> = dcc::CheckCode::ALL
        .iter()
        .map(|k| (k.code(), k.description()))
        .collect();
    let issues: Vec<_> = dcc::IssueCode::ALL
        .iter()
        .map(|k| (k.code(), k.description()))
        .collect();
    let families = [("errors", errors), ("checks", checks), ("issues", issues)];
    if as_json {
        let map: serde_json::Map<String, Value> = families
            .into_iter()
            .map(|(name, list)| {
                let items = list
                    .into_iter()
                    .map(|(code, text)| json!({"code": code, "description": text}))
                    .collect();
                (name.to_string(), Value::Array(items))
            })
            .collect();
        out!("{}", pretty(&map));
        return Ok(());
    }
    for (name, list) in families {
        out!("{name}:");
        for (code, text) in list {
            out!("  {code:<32} {text}");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Keygen(a) => keygen(a),
        Command::Issue(a) => issue(a),
        Command::IssueBatch(a) => batch::issue_batch(a),
        Command::Verify(a) => verify(a),
        Command::Decode(a) => decode(a),
        Command::RevocationHashes(a) => revocation_hashes(a),
        Command::Ledger { command } => ledger(command),
        Command::TrustList(a) => trust_list(a),
        Command::Rules { command } => rules(command),
        Command::Validate(a) => validate(a),
        Command::Transliterate { name } => dcc::transliterate(name)
            .map_err(Fail::from)
            .and_then(|t| emit(format_args!("{t}")))
            .map(|()| ExitCode::SUCCESS),
        Command::Uvci {
            country,
            issuer_part,
        } => dcc::generate_uvci(country, issuer_part)
            .map_err(Fail::from)
            .and_then(|t| emit(format_args!("{t}")))
            .map(|()| ExitCode::SUCCESS),
        Command::Codes { json } => codes(*json).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(f) if f.code == CLOSED_STDOUT => ExitCode::from(141),
        Err(f) => {
            eprintln!("error [{}]: {}", f.code, f.message);
            ExitCode::from(2)
        }
    }
}
