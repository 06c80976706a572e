// CommonJS: require('dcc-kit') works without flags, and shares its instance with `import`.
'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');

const dcc = require('dcc-kit');

test('require() exposes the whole API', () => {
  for (const name of ['Issuer', 'Verifier', 'Certificate', 'Verification', 'PreparedCertificate', 'decode',
    'decodeImage', 'readQr', 'validate', 'DccError', 'ValidationFailedError', 'errorCodes', 'checkCodes',
    'issueCodes', 'generateKey', 'generateUvci', 'transliterate', 'demoCertificatePem', 'now', 'version']) {
    assert.equal(typeof dcc[name], 'function', name);
  }
  const cert = dcc.Issuer.demo().issue(require('../../../examples/vaccination.json'), {
    issuedAt: new Date('2025-06-01T00:00:00Z'),
  });
  const r = dcc.Verifier.demo().verify(cert.hc1, new Date('2025-06-02T00:00:00Z'));
  assert.equal(r.valid, true);
  assert.throws(() => dcc.decode('HC1:%%'), (e) => e instanceof dcc.InvalidBase45Error && e.code === 'invalid_base45');
});

test('import and require give the same module instance (no dual-package hazard)', async () => {
  const esm = await import('dcc-kit');
  assert.equal(esm.DccError, dcc.DccError);
  assert.equal(esm.Issuer, dcc.Issuer);
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(dcc).sort());
});
