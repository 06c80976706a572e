// Deliberate misuse: every line marked MISUSE must be rejected by `tsc --strict`, and nothing
// else in this file may be (tests/types.test.mjs checks both).
import { Issuer, Verifier, decode, DccError } from 'dcc-kit';
import type { DccPayload, Verification } from 'dcc-kit';

declare const payload: DccPayload;
const issuer = Issuer.demo();

issuer.issue(payload, { issuedAt: '2021-07-01' }); // MISUSE: a date as a string
issuer.issue(payload, { validFor: 30 }); // MISUSE: unknown option
issuer.issue(payload, { validForDays: 30, expiresAt: new Date() }); // MISUSE: two validities
issuer.issue({ ver: '1.3.0' }); // MISUSE: not a DCC payload (no nam, dob)
issuer.issue(payload).toPng('4'); // MISUSE: scale as a string
Issuer.fromSigner('ES512', () => new Uint8Array(), ''); // MISUSE: unsupported algorithm
Issuer.fromPem('', '', { deterministic: 'yes' }); // MISUSE: deterministic is a boolean
Issuer.fromSigner('ES256', () => 'signature', ''); // MISUSE: signer returns a string
new Verifier('-----BEGIN CERTIFICATE-----'); // MISUSE: not an array
Verifier.demo().verify(42); // MISUSE: neither text nor bytes
Verifier.demo().verify('HC1:', { at: 1625097600 }); // MISUSE: time as a number
const r: Verification = Verifier.demo().verify('HC1:');
r.valid = 'yes'; // MISUSE: valid is a boolean
const status: 'ok' = r.checks.signature.status; // MISUSE: not an outcome status
decode('HC1:').claims.iat.toFixed(); // MISUSE: iat may be null
const e = new DccError('no_such_code', 'x'); // MISUSE: unknown error code
void [status, e];
