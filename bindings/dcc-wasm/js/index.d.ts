// The declarations of dcc-kit. scripts/build.mjs appends the code unions (DccErrorCode,
// CheckCode, IssueCode) and one DccError subclass per error code, generated from the module's
// errorCodes(), checkCodes() and issueCodes().

/** A signature algorithm of the HCERT specification. */
export type Algorithm = "ES256" | "PS256";

/** Bytes: a Uint8Array (Node Buffers are), an ArrayBuffer or another typed-array view. */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * Bytes this package returns: a Uint8Array over its own ArrayBuffer, so that WebCrypto
 * (`crypto.subtle.sign(..., prepared.tbs)`) and `Blob` accept it as it is. (TypeScript 5.7 and
 * later: `Uint8Array<ArrayBuffer>`; earlier: `Uint8Array`.)
 */
export type OwnBytes = ReturnType<Uint8Array["slice"]>;

/** An instant: seconds since the epoch (an integer), or a Date. */
export type Instant = number | Date;

/**
 * Signs the bytes to be signed (the COSE Sig_structure) synchronously, for `Issuer.issue`: for
 * ES256 return the raw r || s signature (64 bytes, as WebCrypto's ECDSA gives it) or DER, for
 * PS256 the RSASSA-PSS signature (SHA-256, MGF1-SHA-256, salt length 32). An asynchronous signer
 * (WebCrypto, a remote service) uses `prepare`, signs `tbs` and calls `finish`.
 */
export type SignFunction = (tbs: OwnBytes) => Uint8Array | ArrayBuffer;

/** The holder's name: `fnt` (and `gnt`) in ICAO 9303 form, `A-Z` and `<` only. */
export interface Name {
  fn?: string;
  fnt: string;
  gn?: string;
  gnt?: string;
}

/** One vaccination (`v`). */
export interface VaccinationEntry {
  tg: string;
  vp: string;
  mp: string;
  ma: string;
  dn: number;
  sd: number;
  dt: string;
  co: string;
  is: string;
  ci: string;
}

/** One test (`t`). */
export interface TestEntry {
  tg: string;
  tt: string;
  nm?: string;
  ma?: string;
  sc: string;
  tr: string;
  tc?: string;
  co: string;
  is: string;
  ci: string;
}

/** One recovery (`r`). */
export interface RecoveryEntry {
  tg: string;
  fr: string;
  co: string;
  is: string;
  df: string;
  du: string;
  ci: string;
}

/**
 * The DCC payload (schema 1.3.x): exactly one of `v`, `t`, `r`, with one entry. Payloads read
 * from certificates are returned as signed and may deviate from this shape.
 */
export interface DccPayload {
  ver: string;
  nam: Name;
  dob: string;
  v?: VaccinationEntry[];
  t?: TestEntry[];
  r?: RecoveryEntry[];
}

/**
 * How long a new certificate is valid: `"default"` (per type: vaccination 365 days, test 72
 * hours, recovery 180 days and never past `du`), a duration, or an expiry. One value, so that
 * a duration and an expiry cannot both be given (the facade refuses both with `invalid_options`).
 */
export type Validity =
  | "default"
  | { forSeconds: number; until?: never }
  | { until: Instant; forSeconds?: never };

/**
 * Options of `Issuer.issue`, `issueBatch` and `prepare`: `iss` (two upper-case letters; default
 * the DSC's country), `issuedAt` (default now) and `validity` (default `"default"`). Unknown
 * fields are refused (`invalid_options`). The expiry may not pass the DSC's notAfter.
 */
export interface IssueOptions {
  iss?: string;
  issuedAt?: Instant;
  validity?: Validity;
}

/**
 * Options of `generateKey` and `Issuer.certificateRequest`: the subject of the DSC and of the
 * certificate signing request, and the types the key will sign. Unknown fields are refused
 * (`invalid_options`).
 */
export interface KeyOptions {
  /** The country (`C=`), two upper-case letters. Default `XX` (a test key). */
  country?: string;
  /** The common name (`CN=`). Default `dcc-kit test DSC`. */
  commonName?: string;
  /** Days of validity of the self-signed DSC (`generateKey`). Default 730. */
  validDays?: number;
  /** The organization (`O=`), as national CSCAs expect in a request. Default none. */
  organization?: string;
  /**
   * The certificate types the key will sign: their HCERT extended-key-usage OIDs go into the
   * DSC and the request (test `1.3.6.1.4.1.1847.2021.1.1`, vaccination `.2`, recovery `.3`).
   * Default (empty): all three.
   */
  certificateTypes?: CertificateType[];
}

/** The CWT claims; times in seconds since the epoch. */
export interface Claims {
  iss: string | null;
  iat: number | null;
  exp: number | null;
}

/** A document signer certificate (DSC). */
export interface SignerInfo {
  /** base64 of the first 8 bytes of the SHA-256 of the certificate. */
  kid: string;
  subject: string;
  country: string | null;
  /** Seconds since the epoch. */
  notBefore: number | null;
  /** Seconds since the epoch. */
  notAfter: number | null;
  /** Key type: `P-256`, `RSA-2048`, ... */
  key: string;
  /**
   * False for a bare public key from a key list (the Swiss format): no subject, no validity
   * window, no extended key usage (`validity` and `keyUsage` are then `not_checkable`).
   */
  certificate: boolean;
  /** The trust list this signer came from; null when it was trusted directly (`fromCerts`). */
  source: TrustSource | null;
}

/** Where a trusted signer came from. */
export interface TrustSource {
  /** The list's format. */
  format: TrustListFormat;
  /** The name the list was loaded under (`TrustListOptions.name`), if any. */
  list: string | null;
  /** The entry's country as the list states it. */
  country: string | null;
  /** True when the list had expired and was loaded with `allowExpired`. */
  listExpired: boolean;
}

/** The certificate type. */
export type CertificateType = "vaccination" | "test" | "recovery";

/** Why a check failed: a stable code and a message for people. */
export interface CheckFailure {
  code: CheckCode;
  message: string;
}

/** The outcome of one check: flat, the same shape in every language. */
export type Outcome =
  | { status: "passed"; code: null; message: null }
  | { status: "failed"; code: CheckCode; message: string }
  | { status: "skipped"; code: null; message: string }
  /** Validity and key usage of a bare-key signer: nothing to check them against (not a failure). */
  | { status: "not_checkable"; code: null; message: string };

/**
 * Each check's outcome. All but `payload` decide `valid`; `not_checkable` (a bare-key signer's
 * validity and key usage) does not make a certificate invalid.
 */
export interface Checks {
  signature: Outcome;
  validity: Outcome;
  keyUsage: Outcome;
  /** The payload holds exactly one certificate (one non-null group with one entry). */
  structure: Outcome;
  /** Data quality of the payload (see `findings`): reported, never fatal. */
  payload: Outcome;
  /**
   * Against the verifier's revocation data (`Verifier.withRevocation`): `skipped` without any,
   * else `passed`, or `failed` with code `revoked` (see `Verification.revokedBy`).
   */
  revocation: Outcome;
}

/** What a revocation hash is computed over (the gateway's names). */
export type HashType = "UCI" | "COUNTRYCODEUCI" | "SIGNATURE";

/**
 * The three revocation hashes of a certificate: the first 16 bytes of a SHA-256 over the
 * certificate identifier (`UCI`), the issuing country followed by it (`COUNTRYCODEUCI`), or the
 * signature (`SIGNATURE`; only `r` for ES256). Base64 (24 characters, as in gateway batches)
 * and hex (32 characters).
 */
export interface RevocationHashes {
  /** `UCI`, base64; null when the payload has no certificate identifier (`ci`). */
  uci: string | null;
  /** `COUNTRYCODEUCI`, base64; null without a `ci` or an `iss` claim. */
  countryCodeUci: string | null;
  /** `SIGNATURE`, base64. */
  signature: string;
  /** `UCI`, hex; null like `uci`. */
  uciHex: string | null;
  /** `COUNTRYCODEUCI`, hex; null like `countryCodeUci`. */
  countryCodeUciHex: string | null;
  /** `SIGNATURE`, hex. */
  signatureHex: string;
}

/**
 * Revocation data for `Verifier.withRevocation`, detected by content: gateway batch JSON
 * (`{country, expires, kid, hashType, entries: [{hash}]}`, an array of them or
 * `{batches: [...]}`) as text or UTF-8 bytes, or a binary Bloom filter (the EU
 * dgc-bloomfilter format) as bytes.
 */
export type RevocationData = string | Bytes;

/** Where a matching revocation entry came from. */
export interface RevocationSource {
  /** `batch` (gateway JSON) or `bloom_filter`. */
  kind: "batch" | "bloom_filter";
  /** The batch's country (batches only). */
  country: string | null;
  /** The kid (base64) the entry applies to; null for every kid. */
  kid: string | null;
  /** The name the data was loaded under, if any. */
  name: string | null;
}

/** The revocation entry that revoked a certificate. */
export interface RevocationMatch {
  /** Which of the certificate's hashes matched. */
  hashType: HashType;
  /** The matching hash, base64. */
  hash: string;
  source: RevocationSource;
}

/** A problem in a payload (validation issue) or a data-quality finding of a verified one. */
export interface ValidationIssue {
  /** Slash-separated JSON path of the field, e.g. `v/0/dn`; empty for the whole payload. */
  path: string;
  code: IssueCode;
  message: string;
}

/** A data-quality finding about a verified payload (never makes it invalid). */
export type Finding = ValidationIssue;

/** One normalisation applied to a payload before signing. */
export interface PayloadChange {
  /** Slash-separated path of the field, e.g. `nam/gn`. */
  path: string;
  description: string;
}

/** A certificate decoded through every layer, signature not checked (DecodedView). */
export interface Decoded {
  hc1: string;
  /** base64 kid from the COSE headers. */
  kid: string | null;
  algorithm: string | null;
  certificateType: CertificateType | null;
  claims: Claims;
  payload: DccPayload;
}

/** The result of `validate` (ValidationReport). */
export interface ValidationReport {
  /** True when the payload could be issued as it is (after normalisation). */
  valid: boolean;
  /** The normalised payload. */
  payload: DccPayload;
  changes: PayloadChange[];
  issues: ValidationIssue[];
}

/** A generated key, its self-signed DSC and a certificate signing request for it. */
export interface GeneratedKey {
  /** PKCS#8 PEM. Keep it secret. */
  keyPem: string;
  /** The self-signed DSC (PEM), for tests and pilots. */
  certPem: string;
  /** A PKCS#10 certificate signing request (PEM) for the key, to send to the national CSCA. */
  csrPem: string;
}

/** A QR code's module grid. */
export interface QrModules {
  version: number;
  size: number;
  /** `size * size` bytes, row by row, 1 = dark. */
  modules: OwnBytes;
}

/** A trust list's format: German DSC list, Austrian trust list, Swiss key list, EU gateway JSON, PEM/DER. */
export type TrustListFormat = "de" | "at" | "ch" | "eu-gateway" | "pem";

/** Options of `TrustList.load`. Unknown fields are refused (`invalid_options`). */
export interface TrustListOptions {
  /** The time the list's validity is checked at (default now). */
  at?: Instant;
  /** Use a list past its expiry (reported in `view().expired` and every signer's `source`). */
  allowExpired?: boolean;
  /** A name for the list (e.g. its file name), reported as the signer's `source.list`. */
  name?: string;
  /** The format, when it should not be detected from the content. */
  format?: TrustListFormat;
}

/** An entry of a trust list that was not trusted, and why. */
export interface SkippedEntry {
  /** Position of the entry in the list (0-based). */
  index: number;
  /** The kid the list gives for the entry, base64. */
  kid: string | null;
  /** The country the list gives for the entry. */
  country: string | null;
  /**
   * `kid_mismatch`, `thumbprint_mismatch`, `invalid_certificate`, `invalid_key`, `deleted`,
   * `not_a_dsc` or `inactive`.
   */
  code: string;
  message: string;
}

/** The summary of a loaded trust list (the facade's TrustListView). */
export interface TrustListView {
  format: TrustListFormat;
  /** The name given in the options. */
  name: string | null;
  /** Whether the list's signature was checked and verified (false for unsigned formats). */
  signatureVerified: boolean;
  /** The anchor (for the Swiss list: the signing certificate) the signature verified with. */
  signedBy: string | null;
  /** Trusted entries. */
  entries: number;
  /** Of those, certificates. */
  certificates: number;
  /** Of those, bare public keys. */
  bareKeys: number;
  /** Trusted entries per country (`??` when the list gives none). */
  countries: Record<string, number>;
  /** Entries that were not trusted. */
  skipped: SkippedEntry[];
  /** The list's not-before time (seconds), where its format has one. */
  notBefore: number | null;
  /** The list's expiry (seconds), where its format has one. */
  expires: number | null;
  /** True when the list was out of its validity and loaded with `allowExpired`. */
  expired: boolean;
}

/** JSON data. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON input: JSON text (a string is always read as JSON text), UTF-8 bytes, or a value that
 * `JSON.stringify` writes.
 */
export type JsonInput = string | Bytes | JsonValue | object;

/** A rule's verdict, and a report's overall outcome. */
export type RuleOutcome = "passed" | "fail" | "open";

/** Why a rule is open: a stable code and a message. */
export interface OpenReason {
  /**
   * `engine_unsupported`, `engine_version_too_new`, `schema_version_mismatch`,
   * `non_boolean_result`, or the CertLogic engine's code of a failed evaluation.
   */
  code: string;
  message: string;
}

/** The result of one rule for one certificate. */
export interface RuleResult {
  identifier: string;
  version: string;
  /** `acceptance` (the arrival country's) or `invalidation` (the issuing country's). */
  ruleType: "acceptance" | "invalidation";
  country: string;
  certificateType: "general" | "test" | "vaccination" | "recovery";
  outcome: RuleOutcome;
  /** Set exactly when the outcome is `open`. */
  openReason: OpenReason | null;
  descriptions: { lang: string; desc: string }[];
  affectedFields: string[];
}

/** The rules that apply to one certificate, evaluated (the facade's RulesReport). */
export interface RulesReport {
  /** `fail` when any rule failed, else `open` when any is open, else `passed` (also with no rule). */
  outcome: RuleOutcome;
  /** The arrival country, upper case. */
  country: string;
  region: string | null;
  /** The validation time, seconds since the epoch. */
  validationClock: number;
  passed: number;
  failed: number;
  open: number;
  /** Acceptance rules first, by identifier. */
  results: RuleResult[];
}

/** The data of `evaluateRule`: the payload and the external parameters (the reference engines' keys). */
export interface RuleData {
  payload: JsonValue | DccPayload;
  external?: {
    validationClock?: string;
    valueSets?: Record<string, string[]>;
    countryCode?: string;
    issuerCountryCode?: string;
    exp?: string | null;
    iat?: string | null;
    kid?: string | null;
    region?: string;
  } | null;
}

/** An issued certificate: the fields of the facade's CertificateView, and its QR code. */
/** A language printed beside English on a printable certificate ("en": English only). */
export type PdfLanguage = "de" | "fr" | "en";

/** Options of `Certificate.toPdf`. */
export interface PdfOptions {
  /** The language printed beside English (default "de"). */
  language?: PdfLanguage;
}

export declare class Certificate {
  private constructor();
  /** The `HC1:` text, the content of the QR code. */
  readonly hc1: string;
  /** The kid of the signer certificate, base64. */
  readonly kid: string;
  readonly algorithm: Algorithm;
  readonly certificateType: CertificateType;
  readonly claims: Claims;
  /** The signed payload (after normalisation). */
  readonly payload: DccPayload;
  /** What normalisation changed in the payload before signing. */
  readonly changes: PayloadChange[];
  /** The signed COSE_Sign1 bytes. */
  readonly cose: OwnBytes;
  /** A 1-bit PNG of the QR code: error correction Q, `scale` pixels per module (default 4). */
  toPng(scale?: number): OwnBytes;
  /** The QR code as SVG text (error correction Q). */
  toSvg(): string;
  /** The QR code's module grid (error correction Q), to draw it yourself. */
  toModules(): QrModules;
  /** The three revocation hashes, to publish in a revocation batch when revoking it. */
  revocationHashes(): RevocationHashes;
  /**
   * The printable certificate: an A4 PDF in the EU layout (four A6 panels to fold), the QR code
   * as vector graphics, labels in English and `options.language`. The first call loads the
   * package's PDF module (a separate WebAssembly file with the PDF writer and its fonts); it
   * rejects with `InvalidOptionsError` for an unknown language or option, `PdfFailedError` when
   * the PDF cannot be written or the PDF module cannot be loaded.
   */
  toPdf(options?: PdfOptions): Promise<OwnBytes>;
  /** The facade's JSON of this certificate (snake_case keys). */
  toJson(): string;
  /** The `HC1:` text. */
  toString(): string;
  /** Releases the module memory now (otherwise the garbage collector does). */
  free(): void;
}

/** A certificate waiting for its signature: sign `tbs`, then `finish`. */
export declare class PreparedCertificate {
  private constructor();
  /** The bytes to sign (the COSE Sig_structure). */
  readonly tbs: OwnBytes;
  /** Attaches the signature (ES256: raw r || s or DER; PS256: PSS) and encodes the certificate. */
  finish(signature: Bytes): Certificate;
}

/** Signs certificates: a key with its DSC, or a signing function with its DSC. */
export declare class Issuer {
  private constructor();
  /**
   * A P-256 (ES256) or RSA (PS256) key, PKCS#8/SEC1 PEM or DER, and its DSC (PEM, DER or
   * base64). In Node an ES256 key signs through node:crypto (hedged).
   */
  static fromPem(key: string | Bytes, certificate: string | Bytes): Issuer;
  /** As `fromPem`, with RFC 6979 ES256 nonces: the same input gives the same bytes. */
  static fromPemDeterministic(key: string | Bytes, certificate: string | Bytes): Issuer;
  /** A signing function (the key never enters this library); the algorithm must fit the DSC key. */
  static fromSigner(algorithm: Algorithm, sign: SignFunction, certificate: string | Bytes): Issuer;
  /** The embedded demo key. **Public: never for production.** */
  static demo(): Issuer;
  /** This issuer with value-set files (JSON) replacing the embedded copies of the same sets. */
  withValueSets(files: readonly string[]): Issuer;
  /** The signer certificate. */
  readonly signer: SignerInfo;
  readonly algorithm: Algorithm;
  /** Issues a certificate for a payload object or JSON text (normalised and validated first). */
  issue(payload: DccPayload | string, options?: IssueOptions): Certificate;
  /** One certificate or DccError per payload, in order. */
  issueBatch(payloads: ReadonlyArray<DccPayload | string>, options?: IssueOptions): Array<Certificate | DccError>;
  /** Everything but the signature, for asynchronous signers; the same errors as `issue`. */
  prepare(payload: DccPayload | string, options?: IssueOptions): PreparedCertificate;
  /**
   * A PKCS#10 certificate signing request (PEM, `CERTIFICATE REQUEST`) for this issuer's key,
   * signed by it, for the national CSCA: subject C, O, CN and the HCERT key-usage OIDs of
   * `options` (defaults as `generateKey`). For keys given to `fromPem` and the demo key; an
   * issuer made by `fromSigner` throws an `InvalidOptionsError` (a signing function does not
   * give its public key: make the request where the key lives).
   */
  certificateRequest(options?: KeyOptions): string;
  /** A description without key material. */
  toString(): string;
}

/** The result of verifying a certificate: the fields of the facade's VerificationView. */
export declare class Verification {
  private constructor();
  /**
   * True only when the signature, validity, key-usage and structure checks all pass, and the
   * certificate is not revoked (when the verifier has revocation data).
   */
  readonly valid: boolean;
  readonly hc1: string;
  /** base64 kid from the COSE headers. */
  readonly kid: string | null;
  readonly algorithm: string | null;
  readonly certificateType: CertificateType | null;
  readonly claims: Claims;
  readonly payload: DccPayload;
  /** The trusted DSC whose key verified the signature. */
  readonly signer: SignerInfo | null;
  readonly checks: Checks;
  /** The failures among the decisive checks (every check but `payload`). */
  readonly failures: CheckFailure[];
  /** The revocation entry that revoked this certificate; null when not revoked or not checked. */
  readonly revokedBy: RevocationMatch | null;
  /** Every data-quality finding; never makes a certificate invalid. */
  readonly findings: Finding[];
  /** The verification time, seconds since the epoch. */
  readonly at: number;
  /** This verification, or throws a VerificationFailedError with every failure. */
  ensureValid(): this;
  /** The three revocation hashes of the verified certificate. */
  revocationHashes(): RevocationHashes;
  /**
   * Evaluates the business rules that apply to this certificate: acceptance rules of `country`
   * (two letters; and `region`), invalidation rules of the issuing country, at `at` (default:
   * the verification time). Run it after the technical checks.
   */
  evaluateRules(rules: RuleSet, country: string, region?: string | null, at?: Instant): RulesReport;
  /** The facade's JSON of this verification (snake_case keys). */
  toJson(): string;
}

/** Checks certificates against trusted document signer certificates (DSCs). */
export declare class Verifier {
  private constructor();
  /** Trusts these DSCs: PEM (bundles too), DER or base64 DER. */
  static fromCerts(certificates: ReadonlyArray<string | Bytes>): Verifier;
  /** Trusts only the embedded demo DSC. */
  static demo(): Verifier;
  /** This verifier, tolerating clocks that differ by up to `seconds`. */
  withClockSkew(seconds: number): Verifier;
  /** This verifier with value-set files (JSON) for the data-quality findings. */
  withValueSets(files: readonly string[]): Verifier;
  /**
   * This verifier checking every certificate against revocation data (gateway batches, Bloom
   * filters; see `RevocationData`): the `revocation` check then decides `valid`. Malformed data
   * throws an `InvalidRevocationDataError`.
   */
  withRevocation(data: ReadonlyArray<RevocationData>): Verifier;
  /** This verifier also trusting every entry of a loaded trust list (the list stays usable). */
  withTrustList(list: TrustList): Verifier;
  readonly trusted: SignerInfo[];
  /** Verifies `HC1:` text at `at` (default now). */
  verify(hc1: string, at?: Instant): Verification;
  /** Reads the QR code in a PNG image and verifies it at `at` (default now). */
  verifyImage(image: Bytes, at?: Instant): Verification;
  toString(): string;
}

/** A national trust list, its signature checked against a pinned anchor. */
export declare class TrustList {
  #private;
  private constructor();
  /**
   * Loads and checks a trust list (format detected unless `options.format`): `companion` is the
   * Austrian list's signature file or the Swiss active-key list; `anchor` the pinned public key
   * or certificate (PEM or DER) that signs the list (the Swiss root), required for signed
   * formats and refused for unsigned ones (`invalid_argument`). A bad signature throws
   * `TrustListSignatureInvalidError`, an expired list `TrustListExpiredError`, a malformed one
   * `InvalidTrustListError`.
   */
  static load(
    content: string | Bytes,
    companion?: string | Bytes | null,
    anchor?: string | Bytes | null,
    options?: TrustListOptions,
  ): TrustList;
  /** The list's summary. */
  view(): TrustListView;
  /** The facade's JSON of the summary (snake_case keys). */
  toJson(): string;
  toString(): string;
}

/** Business rules read by `loadRules`. */
export declare class RuleSet {
  #private;
  private constructor();
  /** The number of rules. */
  readonly length: number;
  toString(): string;
}

/** Reads business rules (EU gateway format: one rule or an array); malformed: `InvalidRuleError`. */
export declare function loadRules(json: JsonInput): RuleSet;
/** Evaluates one rule against `{ payload, external }`: passed, fail or open with the reason. */
export declare function evaluateRule(rule: JsonInput, data: RuleData | string | Bytes): RuleResult;
/**
 * Evaluates a CertLogic expression on data (certlogic-js semantics); a failed evaluation throws
 * `CertlogicFailedError`, its message starting with the engine's code.
 */
export declare function evaluateCertlogic(expression: JsonInput, data: JsonInput): JsonValue;

/** Decodes `HC1:` text **without checking the signature**: for display, never for a decision. */
export declare function decode(hc1: string): Decoded;
/** Reads the QR code in a PNG image and decodes it, signature not checked. */
export declare function decodeImage(image: Bytes): Decoded;
/** The three revocation hashes of `HC1:` text, decoded **without checking the signature**. */
export declare function revocationHashes(hc1: string): RevocationHashes;
/** The text of the QR code in a PNG image. */
export declare function readQr(image: Bytes): string;
/** Validates a payload for issuing at `at` (default now) without signing. */
export declare function validate(payload: DccPayload | string, at?: Instant, valueSets?: readonly string[]): ValidationReport;
/** The ICAO 9303 form of a name for `fnt` / `gnt`. */
export declare function transliterate(name: string): string;
/** A new unique certificate identifier `URN:UVCI:01:CC:ISSUER/UNIQUE#CHECK`. */
export declare function generateUvci(country: string, issuerPart: string): string;
/**
 * A P-256 key, a self-signed DSC (for tests and pilots) and a certificate signing request for
 * the key (for the national CSCA).
 */
export declare function generateKey(options?: KeyOptions): GeneratedKey;
/** Every error code. */
export declare function errorCodes(): DccErrorCode[];
/** Every check-failure code. */
export declare function checkCodes(): CheckCode[];
/** Every validation issue / finding code. */
export declare function issueCodes(): IssueCode[];
/** The current time, seconds since the epoch. */
export declare function now(): number;
/** The version of this package. */
export declare function version(): string;
/** The demo DSC (PEM), to trust in tests and demos. Its key is public. */
export declare function demoCertificatePem(): string;

/** An error of dcc-kit with a stable `code`: every function throws only these. */
export declare class DccError extends Error {
  constructor(code: DccErrorCode, message: string, issues?: ValidationIssue[], failures?: CheckFailure[]);
  /** `"DccError"`, or the name of the code's subclass (`InvalidBase45Error`, ...). */
  readonly name: string;
  /** The stable code, e.g. `invalid_base45`. */
  readonly code: DccErrorCode;
  /** Every problem of a refused payload (empty unless `validation_failed`). */
  readonly issues: ValidationIssue[];
  /** Every failed check (empty unless `verification_failed`). */
  readonly failures: CheckFailure[];
}
