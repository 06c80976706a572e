// The CommonJS declarations (index.d.cts), as a `require` user sees them.
import dcc = require('dcc-kit');

const cert: dcc.Certificate = dcc.Issuer.demo().issue('{}', { iss: 'DE' });
const result: dcc.Verification = dcc.Verifier.demo().verify(cert.hc1);
const err: dcc.DccError = new dcc.ValidationFailedError('refused', []);
const code: dcc.DccErrorCode = err.code;
const hashes: dcc.RevocationHashes = dcc.revocationHashes(cert.hc1);
const revoked: dcc.RevocationMatch | null = dcc.Verifier.demo().withRevocation([]).verify(cert.hc1).revokedBy;
const csrPem: string = dcc.generateKey({ certificateTypes: ['test'] }).csrPem;
const pinError: dcc.DccError = new dcc.Pkcs11PinIncorrectError('wrong PIN');
const listView: dcc.TrustListView = dcc.TrustList.load('[]').view();
const report: dcc.RulesReport = result.evaluateRules(dcc.loadRules('[]'), 'DE');
const sum: dcc.JsonValue = dcc.evaluateCertlogic({ '+': [1, 2] }, {});
const pdf: Promise<Uint8Array> = cert.toPdf({ language: 'de' });
const pdfError: dcc.DccError = new dcc.PdfFailedError('no PDF');
void [pdf, pdfError, result.valid, code, hashes.signatureHex, revoked, csrPem, pinError, listView, report, sum];
