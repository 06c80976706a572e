// Deliberate misuse: every line marked MISUSE must be rejected by `tsc --strict`, and nothing
// else in this file may be (tests/types.test.mjs checks both).
import { Issuer, TrustList, Verifier, decode, DccError, evaluateRule, loadRules } from 'dcc-kit';
import type { DccPayload, HashType, Verification } from 'dcc-kit';

declare const payload: DccPayload;
const issuer = Issuer.demo();

issuer.issue(payload, { issuedAt: '2021-07-01' }); // MISUSE: a date as a string
issuer.issue(payload, { validFor: 30 }); // MISUSE: unknown option
issuer.issue(payload, { validity: { forSeconds: 30, until: new Date() } }); // MISUSE: two validities
issuer.issue(payload, { validity: 'forever' }); // MISUSE: not a validity
issuer.issue({ ver: '1.3.0' }); // MISUSE: not a DCC payload (no nam, dob)
issuer.issue(payload).toPng('4'); // MISUSE: scale as a string
issuer.issue(payload).toPdf({ language: 'it' }); // MISUSE: not a printed language
issuer.issue(payload).toPdf('fr'); // MISUSE: options, not a language string
const pdfNow: Uint8Array = issuer.issue(payload).toPdf(); // MISUSE: a Promise, not bytes
Issuer.fromSigner('ES512', () => new Uint8Array(), ''); // MISUSE: unsupported algorithm
Issuer.fromPem('', '', { deterministic: true }); // MISUSE: fromPemDeterministic instead
Issuer.fromSigner('ES256', () => 'signature', ''); // MISUSE: signer returns a string
Verifier.fromCerts('-----BEGIN CERTIFICATE-----'); // MISUSE: not an array
new Verifier([]); // MISUSE: named constructors only
Verifier.demo().verify(new Uint8Array()); // MISUSE: images go to verifyImage
Verifier.demo().verify('HC1:', '2021-07-01'); // MISUSE: time as a string
const r: Verification = Verifier.demo().verify('HC1:');
r.valid = true; // MISUSE: valid is read-only
const status: 'ok' = r.checks.signature.status; // MISUSE: not an outcome status
decode('HC1:').claims.iat.toFixed(); // MISUSE: iat may be null
const e = new DccError('no_such_code', 'x'); // MISUSE: unknown error code
Verifier.demo().withRevocation('{"entries":[]}'); // MISUSE: not an array of files
Verifier.demo().withRevocation([42]); // MISUSE: a file is text or bytes
const hashType: HashType = 'MD5'; // MISUSE: not a gateway hash type
r.revokedBy.hashType; // MISUSE: revokedBy may be null
Issuer.demo().issue(payload).revocationHashes().uci.length; // MISUSE: uci may be null
Issuer.demo().certificateRequest({ types: ['test'] }); // MISUSE: unknown key option
Issuer.demo().certificateRequest({ certificateTypes: ['booster'] }); // MISUSE: not a certificate type
Issuer.demo().certificateRequest({ certificateTypes: 'test' }); // MISUSE: types are an array
const csr: Uint8Array = Issuer.demo().certificateRequest(); // MISUSE: the request is PEM text
Issuer.fromPkcs11('pkcs11:token=t;object=k', ''); // MISUSE: PKCS#11 is not in this package
TrustList.load(new Uint8Array(), null, null, { allowExpired: 'yes' }); // MISUSE: not a boolean
TrustList.load(new Uint8Array(), null, null, { format: 'fr' }); // MISUSE: not a list format
TrustList.load(new Uint8Array(), null, null, { expired: true }); // MISUSE: unknown option
TrustList.load(42); // MISUSE: content is text or bytes
new TrustList(); // MISUSE: TrustList.load only
Verifier.demo().withTrustList(new Uint8Array()); // MISUSE: a TrustList, not its bytes
const listName: string = TrustList.load('').view().name; // MISUSE: the name may be null
r.evaluateRules('[]', 'DE'); // MISUSE: rules come from loadRules
r.evaluateRules(loadRules('[]'), 'DE', 'BY', '2021-07-01'); // MISUSE: time as a string
const outcome: 'failed' = r.evaluateRules(loadRules('[]'), 'DE').outcome; // MISUSE: the outcome is passed, fail or open
loadRules('[]').length = 3; // MISUSE: length is read-only
evaluateRule('{}', { external: {} }); // MISUSE: the data needs a payload
void [status, e, hashType, csr, listName, outcome];
