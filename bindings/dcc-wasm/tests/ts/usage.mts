// Uses the whole API with full types; must type-check with `tsc --strict --noEmit`.
import {
  Certificate,
  CertlogicFailedError,
  DccError,
  Issuer,
  InvalidRuleError,
  InvalidTrustListError,
  RuleSet,
  TrustList,
  TrustListExpiredError,
  TrustListSignatureInvalidError,
  InvalidOptionsError,
  InvalidRevocationDataError,
  Pkcs11DeviceError,
  Pkcs11KeyNotFoundError,
  Pkcs11ModuleUnavailableError,
  Pkcs11PinIncorrectError,
  Pkcs11TokenNotFoundError,
  LedgerFailedError,
  PdfFailedError,
  PreparedCertificate,
  ValidationFailedError,
  Verification,
  Verifier,
  checkCodes,
  decode,
  decodeImage,
  demoCertificatePem,
  errorCodes,
  evaluateCertlogic,
  evaluateRule,
  generateKey,
  generateUvci,
  issueCodes,
  loadRules,
  now,
  readQr,
  revocationHashes,
  transliterate,
  validate,
  version,
} from 'dcc-kit';
import type {
  PdfLanguage,
  PdfOptions,
  Algorithm,
  CertificateType,
  CheckCode,
  CheckFailure,
  Claims,
  DccErrorCode,
  DccPayload,
  Decoded,
  Finding,
  GeneratedKey,
  IssueCode,
  IssueOptions,
  JsonValue,
  KeyOptions,
  OpenReason,
  RuleData,
  RuleOutcome,
  RuleResult,
  RulesReport,
  SkippedEntry,
  TrustListFormat,
  TrustListOptions,
  TrustListView,
  TrustSource,
  Outcome,
  PayloadChange,
  QrModules,
  HashType,
  RevocationData,
  RevocationHashes,
  RevocationMatch,
  RevocationSource,
  SignFunction,
  SignerInfo,
  ValidationIssue,
  ValidationReport,
  Validity,
} from 'dcc-kit';

declare const keyPem: string;
declare const certDer: Uint8Array;
declare const bloomFilter: Uint8Array;
declare const fetched: ArrayBuffer;
declare const signRemotely: (tbs: Uint8Array) => Promise<ArrayBuffer>;

const payload: DccPayload = {
  ver: '1.3.0',
  nam: { fn: 'Musterfrau', fnt: 'MUSTERFRAU', gn: 'Erika', gnt: 'ERIKA' },
  dob: '1964-08-12',
  v: [{
    tg: '840539006', vp: '1119349007', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2, sd: 2,
    dt: '2021-05-29', co: 'DE', is: 'Robert Koch-Institut', ci: generateUvci('DE', 'PRAXIS1'),
  }],
};
const test: DccPayload = {
  ver: '1.3.0', nam: { fnt: transliterate('Müller') }, dob: '1990',
  t: [{ tg: '840539006', tt: 'LP217198-3', sc: '2021-05-01T10:00:00Z', tr: '260415000',
        co: 'DE', is: 'RKI', ci: 'URN:UVCI:01:DE:X#1' }],
};

const issuer: Issuer = Issuer.fromPem(keyPem, certDer);
void Issuer.fromPemDeterministic(keyPem, certDer);
const alg: Algorithm = issuer.algorithm;
const signer: SignerInfo = issuer.signer;
const validity: Validity = { forSeconds: 365 * 86400 };
const options: IssueOptions = { iss: 'DE', issuedAt: new Date(), validity };
const cert: Certificate = issuer.issue(payload, options);
issuer.issue(JSON.stringify(test));
issuer.issue(payload, { validity: { until: new Date(Date.now() + 86_400_000) } });
issuer.issue(payload, { issuedAt: now(), validity: { until: now() + 3600 } });
issuer.issue(payload, { validity: 'default' });
const batch: Array<Certificate | DccError> = issuer.issueBatch([payload, JSON.stringify(test)], options);
const withSets: Issuer = issuer.withValueSets(['{}']);
const hc1: string = cert.hc1;
const kid: string = cert.kid;
const type: CertificateType = cert.certificateType;
const png: Uint8Array = cert.toPng(4);
const png2: Uint8Array = cert.toPng();
const svg: string = cert.toSvg();
const grid: QrModules = cert.toModules();
const claims: Claims = cert.claims;
const exp: number | null = claims.exp;
const changes: PayloadChange[] = cert.changes;
const cose: Uint8Array = cert.cose;
const signed: DccPayload = cert.payload;
const certJson: string = cert.toJson();
const printable: Promise<Uint8Array> = cert.toPdf({ language: 'fr' });
const printableDefault: Promise<ArrayBufferView<ArrayBuffer>> = cert.toPdf();
const pdfOptions: PdfOptions = { language: 'en' };
const pdfLanguage: PdfLanguage | undefined = pdfOptions.language;
void printable.then((pdf) => new PdfFailedError(`${pdf.length} bytes, ${pdfLanguage}`)).catch((e: unknown) => e instanceof InvalidOptionsError);
void printableDefault;
cert.free();

const sign: SignFunction = (tbs) => tbs;
const remote = Issuer.fromSigner('ES256', sign, demoCertificatePem());
const prepared: PreparedCertificate = remote.prepare(payload, { iss: 'DE' });
// Returned bytes own their buffer: WebCrypto's BufferSource and Blob parts take them as they are.
const forWebCrypto: ArrayBufferView<ArrayBuffer> = prepared.tbs;
const forBlob: ArrayBufferView<ArrayBuffer>[] = [cert.cose, cert.toPng(), grid.modules];
const pending: Promise<Certificate> = signRemotely(prepared.tbs).then((sig) => prepared.finish(sig));
Issuer.fromSigner('PS256', (tbs: Uint8Array): Uint8Array => tbs, certDer);
void pending.then((c) => c.hc1.length);

const verifier = Verifier.fromCerts([demoCertificatePem(), certDer]).withClockSkew(60).withValueSets([]);
const trusted: SignerInfo[] = verifier.trusted;
const result: Verification = verifier.verify(hc1, new Date());
const fromImage: Verification = Verifier.demo().verifyImage(png, now());
const valid: boolean = result.ensureValid().valid;
const viewJson: string = result.toJson();
const nam: string = result.payload.nam.fnt;
const sig: Outcome = result.checks.signature;
if (sig.status === 'failed') {
  const code: CheckCode = sig.code;
  const message: string = sig.message;
  void [code, message];
} else if (sig.status === 'skipped') {
  const reason: string = sig.message;
  void reason;
}
const failures: CheckFailure[] = result.failures;
const findings: Finding[] = result.findings;
const at: number = result.at;
const who: string | undefined = result.signer?.subject;
const notAfter: number | null | undefined = result.signer?.notAfter;

const hashes: RevocationHashes = cert.revocationHashes();
const uci: string | null = hashes.uci;
const sigHex: string = revocationHashes(hc1).signatureHex;
const verifiedHashes: RevocationHashes = result.revocationHashes();
const batchJson: string = JSON.stringify({
  country: 'DE', expires: '2031-01-01T00:00:00Z', kid, hashType: 'UCI', entries: [{ hash: uci ?? '' }],
});
const files: RevocationData[] = [batchJson, bloomFilter, fetched];
const revoking: Verifier = verifier.withRevocation(files).withClockSkew(30);
const checked: Verification = revoking.verify(hc1);
const revocation: Outcome = checked.checks.revocation;
const by: RevocationMatch | null = checked.revokedBy;
if (by !== null) {
  const t: HashType = by.hashType;
  const source: RevocationSource = by.source;
  const kind: 'batch' | 'bloom_filter' = source.kind;
  const country: string | null = source.country;
  void [t, kind, country, by.hash];
}
try {
  Verifier.demo().withRevocation(['{not json']);
} catch (e) {
  if (e instanceof InvalidRevocationDataError) {
    const code: 'invalid_revocation_data' = e.code;
    void code;
  } else if (e instanceof LedgerFailedError) {
    const code: 'ledger_failed' = e.code;
    void code;
  }
}

// Trust lists and business rules.
declare const listBytes: Uint8Array;
declare const anchorPem: string;
const listOptions: TrustListOptions = { at: new Date(), allowExpired: true, name: 'de.txt', format: 'de' };
const list: TrustList = TrustList.load(listBytes, null, anchorPem, listOptions);
TrustList.load(listBytes, undefined, anchorPem);
TrustList.load(fetched, fetched, certDer, { at: 1_767_225_600 });
const listView: TrustListView = list.view();
const format: TrustListFormat = listView.format;
const perCountry: number | undefined = listView.countries['DE'];
const skipped: SkippedEntry | undefined = listView.skipped[0];
const listJson: string = list.toJson();
const listed: Verifier = Verifier.demo().withTrustList(list).withRevocation([]);
const listedResult: Verification = listed.verify(hc1);
const source: TrustSource | null | undefined = listedResult.signer?.source;
const isCertificate: boolean | undefined = listedResult.signer?.certificate;
const validityOutcome: Outcome = listedResult.checks.validity;
if (validityOutcome.status === 'not_checkable') {
  const why: string = validityOutcome.message;
  void why;
}
const rules: RuleSet = loadRules(JSON.stringify([]));
loadRules(listBytes);
loadRules([{ Identifier: 'GR-XX-0001' }]);
const ruleCount: number = rules.length;
const rulesReport: RulesReport = listedResult.evaluateRules(rules, 'DE');
listedResult.evaluateRules(rules, 'DE', 'BY', new Date());
listedResult.evaluateRules(rules, 'AT', null, now());
const overall: RuleOutcome = rulesReport.outcome;
const firstRule: RuleResult | undefined = rulesReport.results[0];
const openReason: OpenReason | null | undefined = firstRule?.openReason;
const ruleData: RuleData = { payload, external: { validationClock: '2021-06-01T00:00:00Z', valueSets: {} } };
const one: RuleResult = evaluateRule({ Identifier: 'GR-XX-0001' }, ruleData);
evaluateRule('{}', '{"payload":{}}');
const sum: JsonValue = evaluateCertlogic({ '+': [1, 2] }, {});
evaluateCertlogic('{"var":"a"}', '{"a":1}');
try {
  TrustList.load(listBytes);
} catch (e) {
  if (e instanceof TrustListSignatureInvalidError) {
    const code: 'trust_list_signature_invalid' = e.code;
    void code;
  } else if (e instanceof TrustListExpiredError || e instanceof InvalidTrustListError) {
    const code: 'trust_list_expired' | 'invalid_trust_list' = e.code;
    void code;
  } else if (e instanceof InvalidRuleError || e instanceof CertlogicFailedError) {
    const code: 'invalid_rule' | 'certlogic_failed' = e.code;
    void code;
  }
}
void [format, perCountry, skipped, listJson, source, isCertificate, ruleCount, overall, openReason, one, sum];

const decoded: Decoded = decode(hc1);
const fromPng: Decoded = decodeImage(png);
const text: string = readQr(png);
const decodedKid: string | null = decode(hc1).kid;
const keyOptions: KeyOptions = {
  country: 'DE', commonName: 'Test DSC', organization: 'Praxis Dr. Muster', validDays: 30,
  certificateTypes: ['vaccination', 'recovery'],
};
const key: GeneratedKey = generateKey(keyOptions);
generateKey();
const pem: string = key.certPem + key.keyPem + key.csrPem;
const request: string = Issuer.fromPem(key.keyPem, key.certPem).certificateRequest(keyOptions);
const demoRequest: string = Issuer.demo().certificateRequest();
try {
  remote.certificateRequest({ country: 'DE' });
} catch (e) {
  if (e instanceof InvalidOptionsError) {
    const code: 'invalid_options' = e.code;
    void code;
  } else if (e instanceof Pkcs11ModuleUnavailableError || e instanceof Pkcs11TokenNotFoundError ||
             e instanceof Pkcs11PinIncorrectError || e instanceof Pkcs11KeyNotFoundError) {
    const code: 'pkcs11_module_unavailable' | 'pkcs11_token_not_found' | 'pkcs11_pin_incorrect' |
      'pkcs11_key_not_found' = e.code;
    void code;
  } else if (e instanceof Pkcs11DeviceError) {
    const code: DccErrorCode = e.code;
    void code;
  }
}
const report: ValidationReport = validate(payload, now(), []);
const first: IssueCode | undefined = report.issues[0]?.code;
const codes: DccErrorCode[] = errorCodes();
const checks: CheckCode[] = checkCodes();
const issues: IssueCode[] = issueCodes();
const v: string = version();

try {
  issuer.issue(payload);
} catch (e) {
  if (e instanceof ValidationFailedError) {
    const problems: ValidationIssue[] = e.issues;
    const path: string | undefined = problems[0]?.path;
    const code: 'validation_failed' = e.code;
    void [path, code];
  } else if (e instanceof InvalidOptionsError) {
    void e.message;
  } else if (e instanceof DccError) {
    const code: DccErrorCode = e.code;
    const failed: CheckFailure[] = e.failures;
    void [code, failed];
  }
}

void [alg, signer, batch, withSets, kid, type, png2, svg, grid, exp, changes, cose, signed, certJson,
  trusted, fromImage, valid, viewJson, nam, failures, findings, at, who, notAfter, decoded, fromPng,
  text, decodedKid, pem, request, demoRequest, forWebCrypto, forBlob, first, codes, checks, issues, v, sigHex, verifiedHashes, revocation];
