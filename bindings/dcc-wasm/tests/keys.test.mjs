// Key custody in JavaScript: certificate signing requests (generateKey's csrPem,
// Issuer.certificateRequest) checked by OpenSSL (`openssl req -verify -noout -text`: signature,
// subject C/O/CN, the requested HCERT key-usage OIDs) and by node:crypto (the request's public
// key is the DSC's); the PKCS#11 error classes, and PKCS#11 itself absent from this package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';

import * as dcc from 'dcc-kit';
import { DccError, Issuer, Verifier, demoCertificatePem, errorCodes, generateKey } from 'dcc-kit';

import { es256Cert, es256Key, expectCode, payloadAt, ps256Cert, rsaKey } from './helpers.mjs';

const OID = { test: '1.3.6.1.4.1.1847.2021.1.1', vaccination: '1.3.6.1.4.1.1847.2021.1.2', recovery: '1.3.6.1.4.1.1847.2021.1.3' };
const REQUEST = /^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n$/;

/** `openssl req -verify -noout -text` of a PEM request: its text; fails unless the signature verifies. */
function openssl(csrPem) {
  let out;
  try {
    out = execFileSync('openssl', ['req', '-verify', '-noout', '-text'], { input: csrPem, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    assert.fail(`openssl req -verify refused the request: ${e.stderr}\n${csrPem}`);
  }
  return out;
}

/** The request's verification status line (OpenSSL writes it to stderr). */
function verifyLine(csrPem) {
  return execFileSync('sh', ['-c', 'openssl req -verify -noout 2>&1'], { input: csrPem, encoding: 'utf8' }).trim();
}

/** The SubjectPublicKeyInfo (DER) of a request, read by OpenSSL. */
function requestSpki(csrPem) {
  const pem = execFileSync('openssl', ['req', '-noout', '-pubkey'], { input: csrPem, encoding: 'utf8' });
  return crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
}

/** The SubjectPublicKeyInfo (DER) of a certificate, read by node:crypto. */
const certSpki = (pem) => new crypto.X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });

/** The subject line and the requested extended key usages of `openssl req -text`. */
function parse(text) {
  const subject = /Subject: (.*)/.exec(text)?.[1].trim();
  const eku = /X509v3 Extended Key Usage:\s*\n\s*(.*)/.exec(text)?.[1].trim().split(/,\s*/) ?? [];
  return { subject, eku };
}

describe('certificate signing requests', () => {
  const options = {
    country: 'DE',
    commonName: 'DSC Pharmacy 4711',
    organization: 'Example Health Ltd',
    certificateTypes: ['vaccination', 'recovery'],
  };

  test('generateKey: a request for the key, verified by OpenSSL, with C, O, CN and exactly the requested OIDs', () => {
    const key = generateKey(options);
    assert.match(key.csrPem, REQUEST);
    assert.match(verifyLine(key.csrPem), /verify OK/);
    const text = openssl(key.csrPem);
    assert.deepEqual(parse(text), {
      subject: 'C = DE, O = Example Health Ltd, CN = DSC Pharmacy 4711',
      eku: [OID.vaccination, OID.recovery],
    });
    assert.match(text, /ecdsa-with-SHA256/);
    assert.match(text, /X509v3 Key Usage: critical\s*\n\s*Digital Signature/);
    assert.match(text, /ASN1 OID: prime256v1/);
    // The request's key is the DSC's and the private key's.
    const spki = requestSpki(key.csrPem);
    assert.deepEqual(spki, certSpki(key.certPem));
    assert.deepEqual(spki, crypto.createPublicKey(key.keyPem).export({ type: 'spki', format: 'der' }));
    // The self-signed DSC allows exactly the requested types (node:crypto reads its EKU).
    const dsc = new crypto.X509Certificate(key.certPem);
    assert.deepEqual(dsc.keyUsage, [OID.vaccination, OID.recovery]);
    assert.equal(dsc.subject, 'C=DE\nO=Example Health Ltd\nCN=DSC Pharmacy 4711');
    assert.equal(Verifier.fromCerts([key.certPem]).trusted[0].subject, 'CN=DSC Pharmacy 4711,O=Example Health Ltd,C=DE');
  });

  test('generateKey defaults: XX, dcc-kit test DSC, no O, all three types', () => {
    const key = generateKey();
    const { subject, eku } = parse(openssl(key.csrPem));
    assert.equal(subject, 'C = XX, CN = dcc-kit test DSC');
    assert.deepEqual(eku, [OID.test, OID.vaccination, OID.recovery]);
    assert.deepEqual(new crypto.X509Certificate(key.certPem).keyUsage, [OID.test, OID.vaccination, OID.recovery]);
    // One type, given twice and out of order: once.
    const one = generateKey({ certificateTypes: ['test', 'test'] });
    assert.deepEqual(parse(openssl(one.csrPem)).eku, [OID.test]);
    const ordered = generateKey({ certificateTypes: ['recovery', 'test'] });
    assert.deepEqual(parse(openssl(ordered.csrPem)).eku, [OID.test, OID.recovery]);
  });

  test('Issuer.fromPem (ES256, signing through node:crypto in Node): a request for the DSC key', () => {
    const issuer = Issuer.fromPem(es256Key, es256Cert);
    const csr = issuer.certificateRequest(options);
    assert.match(csr, REQUEST);
    assert.deepEqual(parse(openssl(csr)).eku, [OID.vaccination, OID.recovery]);
    assert.deepEqual(requestSpki(csr), certSpki(es256Cert));
    // The same issuer still signs through node:crypto (hedged: two signatures differ).
    const payload = payloadAt('vaccination', 1_625_097_600);
    const opts = { issuedAt: 1_625_097_600, validity: { forSeconds: 86_400 } };
    assert.notEqual(issuer.issue(payload, opts).hc1, issuer.issue(payload, opts).hc1);
    assert.doesNotMatch(String(issuer), /signer function/);
  });

  test('fromPemDeterministic, DER keys, the demo key and an RSA key (PS256: RSASSA-PSS request)', () => {
    const der = crypto.createPrivateKey(es256Key).export({ format: 'der', type: 'pkcs8' });
    for (const issuer of [Issuer.fromPemDeterministic(es256Key, es256Cert), Issuer.fromPem(new Uint8Array(der), es256Cert)]) {
      assert.deepEqual(requestSpki(issuer.certificateRequest()), certSpki(es256Cert));
    }
    const demo = Issuer.demo().certificateRequest({ country: 'DE', commonName: 'Demo' });
    assert.equal(parse(openssl(demo)).subject, 'C = DE, CN = Demo');
    assert.deepEqual(requestSpki(demo), certSpki(demoCertificatePem()));

    const rsa = Issuer.fromPem(rsaKey, ps256Cert);
    assert.equal(rsa.algorithm, 'PS256');
    const csr = rsa.certificateRequest({ ...options, certificateTypes: ['test'] });
    const text = openssl(csr);
    assert.match(text, /rsassaPss/);
    assert.deepEqual(parse(text), { subject: 'C = DE, O = Example Health Ltd, CN = DSC Pharmacy 4711', eku: [OID.test] });
    assert.deepEqual(requestSpki(csr), certSpki(ps256Cert));
  });

  test('a signing function does not know its public key: InvalidOptionsError, the signer never called', () => {
    let calls = 0;
    const sign = () => {
      calls += 1;
      return new Uint8Array(64);
    };
    const issuer = Issuer.fromSigner('ES256', sign, es256Cert);
    const e = expectCode(assert, DccError, () => issuer.certificateRequest(options), 'invalid_options');
    assert.ok(e instanceof dcc.InvalidOptionsError);
    assert.match(e.message, /public key/);
    expectCode(assert, DccError, () => issuer.withValueSets([]).certificateRequest(), 'invalid_options');
    assert.equal(calls, 0);
  });

  test('bad key options: InvalidOptionsError, from generateKey and certificateRequest alike', () => {
    const issuer = Issuer.demo();
    for (const bad of [
      { country: 'de' },
      { country: 'DEU' },
      { commonName: '  ' },
      { certificateTypes: ['booster'] },
      { certificateTypes: 'test' },
      { types: ['test'] },
      { validDays: -1 },
    ]) {
      expectCode(assert, DccError, () => generateKey(bad), 'invalid_options');
      expectCode(assert, DccError, () => issuer.certificateRequest(bad), 'invalid_options');
    }
    // A blank organization is left out.
    assert.equal(parse(openssl(issuer.certificateRequest({ organization: ' ' }))).subject, 'C = XX, CN = dcc-kit test DSC');
  });
});

describe('PKCS#11', () => {
  const codes = ['pkcs11_module_unavailable', 'pkcs11_token_not_found', 'pkcs11_pin_incorrect', 'pkcs11_key_not_found', 'pkcs11_device_error'];

  test('the five pkcs11_* codes have their error classes', () => {
    const names = ['Pkcs11ModuleUnavailableError', 'Pkcs11TokenNotFoundError', 'Pkcs11PinIncorrectError', 'Pkcs11KeyNotFoundError', 'Pkcs11DeviceError'];
    for (const [i, code] of codes.entries()) {
      assert.ok(errorCodes().includes(code), code);
      const Class = dcc[names[i]];
      assert.equal(typeof Class, 'function', names[i]);
      const e = new Class('the token said no');
      assert.ok(e instanceof DccError && e instanceof Error);
      assert.deepEqual([e.code, e.name, e.message], [code, names[i], 'the token said no']);
    }
  });

  test('is not in this package: browsers and Node sign with hardware and cloud keys through prepare/finish', () => {
    assert.equal(Issuer.fromPkcs11, undefined);
    assert.equal(dcc.generateKeyInToken, undefined);
    assert.deepEqual(Object.keys(dcc).filter((n) => /pkcs11/i.test(n) && !n.endsWith('Error')), []);
  });
});
