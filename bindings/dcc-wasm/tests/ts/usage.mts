// Uses the whole API with full types; must type-check with `tsc --strict --noEmit`.
import {
  Certificate,
  DccError,
  Issuer,
  ValidationError,
  Verifier,
  decode,
  demoCertificatePem,
  errorCodes,
  generateKey,
  generateUvci,
  readQr,
  transliterate,
  version,
} from 'dcc-kit';
import type {
  Algorithm,
  FromPemOptions,
  CheckFailure,
  Claims,
  DccErrorCode,
  DccPayload,
  Decoded,
  Finding,
  IssueOptions,
  Outcome,
  PayloadChange,
  QrModules,
  SignFunction,
  SignerInfo,
  ValidationIssue,
  Verification,
} from 'dcc-kit';

declare const keyPem: string;
declare const certDer: Uint8Array;
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
const reproducible: FromPemOptions = { deterministic: true };
void Issuer.fromPem(keyPem, certDer, reproducible);
const alg: Algorithm = issuer.algorithm;
const signer: SignerInfo = issuer.signer;
const options: IssueOptions = { iss: 'DE', issuedAt: new Date(), validForDays: 365 };
const cert: Certificate = issuer.issue(payload, options);
issuer.issue(JSON.stringify(test));
issuer.issue(payload, { expiresAt: new Date(Date.now() + 86_400_000) });
issuer.issue(payload, { validForSeconds: 3600 });
const hc1: string = cert.hc1;
const png: Uint8Array = cert.toPng(4);
const png2: Uint8Array = cert.toPng();
const svg: string = cert.toSvg();
const grid: QrModules = cert.toModules();
const claims: Claims = cert.claims;
const exp: Date | null = claims.expiresAt;
const changes: PayloadChange[] = cert.changes;
const cose: Uint8Array = cert.cose;
const signed: DccPayload = cert.payload;
cert.free();

const sign: SignFunction = (tbs) => signRemotely(tbs);
const remote = Issuer.fromSigner('ES256', sign, demoCertificatePem());
const pending: Promise<Certificate> = remote.issueAsync(payload, { iss: 'DE' });
Issuer.fromSigner('PS256', (tbs: Uint8Array): Uint8Array => tbs, certDer);
void pending.then((c) => c.hc1.length);

const verifier = new Verifier([demoCertificatePem(), certDer], { clockSkewSeconds: 60 });
const trusted: SignerInfo[] = verifier.trusted;
const result: Verification = verifier.verify(hc1, { at: new Date() });
const fromImage: Verification = Verifier.demo().verify(png);
const valid: boolean = result.valid;
const nam: string = result.payload.nam.fnt;
const sig: Outcome = result.checks.signature;
if (sig.status === 'failed') {
  const code: string = sig.code;
  const message: string = sig.message;
  void [code, message];
} else if (sig.status === 'skipped') {
  const reason: string = sig.reason;
  void reason;
}
const failures: CheckFailure[] = result.failures;
const findings: Finding[] = result.findings;
const at: Date = result.at;
const who: string | undefined = result.signer?.subject;

const decoded: Decoded = decode(hc1);
const text: string = readQr(png);
const kid: string | null = decode(png).kid;
const key = generateKey('DE', 'Test DSC', 30);
const pem: string = key.certPem + key.keyPem;
const codes: DccErrorCode[] = errorCodes();
const v: string = version();

try {
  issuer.issue(payload);
} catch (e) {
  if (e instanceof ValidationError) {
    const issues: ValidationIssue[] = e.issues;
    const first: string | undefined = issues[0]?.path;
    void first;
  } else if (e instanceof DccError) {
    const code: DccErrorCode = e.code;
    if (code === 'invalid_options') void e.message;
  }
}

void [alg, signer, png2, svg, grid, exp, changes, cose, signed, trusted, fromImage, valid, nam,
  failures, findings, at, who, decoded, text, kid, pem, codes, v];
