// The whole API through the installed package (ES module entry point in Node).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, test } from 'node:test';

import * as dcc from 'dcc-kit';
import {
  Certificate,
  DccError,
  Issuer,
  PreparedCertificate,
  ValidationFailedError,
  Verification,
  Verifier,
  checkCodes,
  decode,
  decodeImage,
  demoCertificatePem,
  errorCodes,
  generateKey,
  generateUvci,
  issueCodes,
  now,
  readQr,
  transliterate,
  validate,
  version,
} from 'dcc-kit';

import {
  TYPES,
  date,
  es256Cert,
  es256Key,
  expectCode,
  golden,
  hc1FromCose,
  json,
  payloadAt,
  ps256Cert,
  rsaKey,
} from './helpers.mjs';

// 2025-06-01T00:00:00Z: inside the demo DSC's validity (2024..2049).
const AT_2025 = 1_748_736_000;

describe('golden certificates', () => {
  for (const type of TYPES) {
    const g = json(golden(`issued-${type}-es256.json`));

    test(`${type}: ES256 issuing reproduces the golden HC1 byte for byte`, () => {
      const issuer = Issuer.fromPemDeterministic(es256Key, es256Cert);
      assert.equal(issuer.algorithm, 'ES256');
      const cert = issuer.issue(g.payload, {
        iss: g.iss,
        issuedAt: date(g.iat),
        validity: { until: date(g.exp) },
      });
      assert.equal(cert.hc1, g.hc1);
      assert.equal(Buffer.from(cert.cose).toString('hex'), g.cose);
      assert.deepEqual(
        { iss: cert.claims.iss, iat: cert.claims.iat, exp: cert.claims.exp },
        { iss: g.iss, iat: g.iat, exp: g.exp },
      );
      // The same with JSON text, times in seconds and a validity in seconds.
      const again = issuer.issue(JSON.stringify(g.payload), {
        iss: g.iss,
        issuedAt: g.iat,
        validity: { forSeconds: g.exp - g.iat },
      });
      assert.equal(again.hc1, g.hc1);
    });

    test(`${type}: the golden ES256 and PS256 certificates verify`, () => {
      const verifier = Verifier.fromCerts([es256Cert, ps256Cert]);
      for (const alg of ['es256', 'ps256']) {
        const c = json(golden(`issued-${type}-${alg}.json`));
        const r = verifier.verify(c.hc1, date(c.iat + 60));
        assert.ok(r instanceof Verification);
        assert.equal(r.valid, true, JSON.stringify(r.failures));
        assert.deepEqual(r.payload, c.payload);
        assert.equal(r.algorithm, alg.toUpperCase());
        assert.equal(r.signer.subject, `CN=dcc-kit golden ${alg.toUpperCase()},C=XX`);
        assert.equal(r.checks.signature.status, 'passed');
        assert.equal(r.checks.validity.status, 'passed');
        assert.equal(r.checks.keyUsage.status, 'passed');
        assert.equal(r.at, c.iat + 60);
        assert.equal(r.certificateType, type);
        assert.deepEqual(r.checks.signature, { status: 'passed', code: null, message: null });
        assert.equal(r.ensureValid(), r);
        // After expiry the same certificate is decoded but not valid.
        const late = verifier.verify(c.hc1, c.exp + 1);
        assert.equal(late.valid, false);
        assert.deepEqual(late.checks.validity, {
          status: 'failed',
          code: 'expired',
          message: late.checks.validity.message,
        });
        assert.deepEqual(late.failures.map((f) => f.code), ['expired']);
        const e = expectCode(assert, DccError, () => late.ensureValid(), 'verification_failed');
        assert.ok(e instanceof dcc.VerificationFailedError);
        assert.deepEqual(e.failures, late.failures);
      }
    });
  }
});

describe('round trips', () => {
  const demo = Issuer.demo();
  const verifier = Verifier.fromCerts([demoCertificatePem()]);

  for (const type of TYPES) {
    test(`${type}: issue -> HC1, PNG and SVG -> verify and decode`, () => {
      const payload = payloadAt(type, AT_2025);
      const cert = demo.issue(payload, { iss: 'AT', issuedAt: date(AT_2025), validity: { forSeconds: 30 * 86400 } });
      assert.ok(cert instanceof Certificate);
      assert.match(cert.hc1, /^HC1:[0-9A-Z $%*+\-./:]+$/);
      assert.equal(cert.claims.exp - cert.claims.iat, 30 * 86400);
      assert.equal(cert.claims.iss, 'AT');
      assert.deepEqual(cert.payload, payload);
      assert.equal(String(cert), cert.hc1);
      assert.deepEqual(JSON.parse(JSON.stringify(cert)).hc1, cert.hc1);
      assert.equal(cert.certificateType, type);
      assert.equal(cert.algorithm, 'ES256');
      assert.equal(cert.kid, demo.signer.kid);

      const at = AT_2025 + 3600;
      const fromText = verifier.verify(cert.hc1, at);
      assert.equal(fromText.valid, true, JSON.stringify(fromText.failures));
      assert.deepEqual(fromText.payload, payload);
      assert.equal(fromText.claims.iss, 'AT');
      assert.equal(fromText.kid, fromText.signer.kid);
      assert.deepEqual(fromText.failures, []);

      const png = cert.toPng(3);
      assert.ok(png instanceof Uint8Array);
      assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
      assert.equal(readQr(png), cert.hc1);
      const fromImage = verifier.verifyImage(png, at);
      assert.equal(fromImage.valid, true);
      assert.equal(fromImage.hc1, cert.hc1);

      const svg = cert.toSvg();
      assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s\S]*<\/svg>\s*$/);

      const grid = cert.toModules();
      assert.equal(grid.size, 17 + 4 * grid.version);
      assert.equal(grid.modules.length, grid.size * grid.size);
      // Finder pattern: the top-left 7x7 corner has a dark border.
      assert.equal(grid.modules[0], 1);
      assert.equal(grid.modules[6], 1);
      assert.equal(grid.modules[7], 0);

      const decoded = decode(cert.hc1);
      assert.deepEqual(decoded.payload, payload);
      assert.equal(decoded.kid, cert.kid);
      assert.equal(decoded.certificateType, type);
      assert.deepEqual(decodeImage(png), decoded);
    });
  }

  test('PS256: an RSA key issues certificates that verify', () => {
    const issuer = Issuer.fromPem(rsaKey, ps256Cert);
    assert.equal(issuer.algorithm, 'PS256');
    const iat = 1_625_097_600;
    const cert = issuer.issue(payloadAt('vaccination', iat), { issuedAt: date(iat), validity: { forSeconds: 90 * 86400 } });
    assert.equal(cert.claims.iss, 'XX', 'iss defaults to the DSC country');
    const r = Verifier.fromCerts([ps256Cert]).verify(cert.hc1, iat + 10);
    assert.equal(r.valid, true);
    assert.equal(r.algorithm, 'PS256');
    assert.equal(r.signer.key, 'RSA-2048');
  });

  test('a tampered certificate is decoded but fails the signature check', async () => {
    const cert = demo.issue(payloadAt('vaccination', AT_2025), { issuedAt: date(AT_2025) });
    const at = AT_2025 + 60;
    const cose = Buffer.from(cert.cose);
    assert.equal(await hc1FromCose(cose).then((h) => verifier.verify(h, at).valid), true);
    const badSignature = Buffer.from(cose);
    badSignature[badSignature.length - 1] ^= 1;
    const r = verifier.verify(await hc1FromCose(badSignature), at);
    assert.equal(r.valid, false);
    assert.deepEqual([r.checks.signature.status, r.checks.signature.code], ['failed', 'invalid_signature']);
    assert.equal(r.checks.keyUsage.status, 'skipped');
    assert.equal(typeof r.checks.keyUsage.message, 'string');
    assert.equal(r.signer, null);
    assert.deepEqual(r.payload, cert.payload, 'the payload is still decoded');
    // Unknown signer: the demo certificate checked against another trust list.
    const other = Verifier.fromCerts([es256Cert]).verify(cert.hc1, at);
    assert.equal(other.checks.signature.code, 'unknown_kid');
  });

  test('a generated key issues for its own self-signed DSC', () => {
    const { keyPem, certPem } = generateKey({ country: 'DE', commonName: 'dcc-kit test DSC', validDays: 30 });
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(certPem, /^-----BEGIN CERTIFICATE-----/);
    const issuer = Issuer.fromPem(keyPem, certPem);
    assert.equal(issuer.signer.country, 'DE');
    const now = Math.floor(Date.now() / 1000);
    const cert = issuer.issue(payloadAt('test', now), { validity: { forSeconds: 3600 } });
    const r = Verifier.fromCerts([certPem]).verify(cert.hc1);
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    assert.equal(r.signer.subject, 'CN=dcc-kit test DSC,C=DE');
  });

  test('Verifier.demo trusts exactly the demo DSC; trusted lists DSCs', () => {
    assert.deepEqual(
      Verifier.demo().trusted.map((s) => s.kid),
      Verifier.fromCerts([demoCertificatePem()]).trusted.map((s) => s.kid),
    );
    const both = Verifier.fromCerts([es256Cert, new Uint8Array(Buffer.from(ps256Cert))]);
    assert.deepEqual(
      both.trusted.map((s) => s.subject).sort(),
      ['CN=dcc-kit golden ES256,C=XX', 'CN=dcc-kit golden PS256,C=XX'],
    );
    assert.equal(both.trusted[0].notBefore, Date.parse('2021-01-01T00:00:00Z') / 1000);
    assert.equal(String(both), 'Verifier(2 trusted DSCs)');
  });

  test('clock skew tolerates a verifier clock slightly behind', () => {
    const cert = demo.issue(payloadAt('vaccination', AT_2025), { issuedAt: date(AT_2025) });
    const early = date(AT_2025 - 60);
    assert.equal(verifier.verify(cert.hc1, early).checks.validity.code, 'not_yet_valid');
    const lenient = verifier.withClockSkew(300);
    assert.equal(lenient.verify(cert.hc1, early).valid, true);
    assert.equal(verifier.verify(cert.hc1, early).valid, false, 'withClockSkew leaves the original as it was');
  });

  test('the verification time defaults to now', () => {
    const now = Date.now();
    const cert = demo.issue(payloadAt('vaccination', Math.floor(now / 1000)), { validity: { forSeconds: 86400 } });
    const r = verifier.verify(cert.hc1);
    assert.equal(r.valid, true);
    assert.ok(Math.abs(r.at * 1000 - now) < 60_000);
  });
});

describe('signer callbacks', () => {
  const iat = 1_625_097_600;
  const payload = payloadAt('vaccination', iat);
  const opts = { issuedAt: date(iat), validity: { forSeconds: 30 * 86400 } };
  const verifier = Verifier.fromCerts([es256Cert, ps256Cert]);
  const ok = (cert) => {
    const r = verifier.verify(cert.hc1, iat + 5);
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    return r;
  };

  test('ES256 with WebCrypto (async): prepare, sign tbs, finish', async () => {
    const der = crypto.createPrivateKey(es256Key).export({ type: 'pkcs8', format: 'der' });
    const key = await crypto.webcrypto.subtle.importKey(
      'pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'],
    );
    const issuer = Issuer.fromSigner('ES256', () => new Uint8Array(64), es256Cert);
    assert.match(String(issuer), /^Issuer\(ES256 CN=dcc-kit golden ES256,C=XX, kid .*signer function\)$/);
    const prepared = issuer.prepare(payload, opts);
    assert.ok(prepared instanceof PreparedCertificate);
    assert.ok(prepared.tbs instanceof Uint8Array);
    const signature = await crypto.webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, prepared.tbs);
    const cert = prepared.finish(signature);
    assert.ok(cert instanceof Certificate);
    // ECDSA is randomised in WebCrypto, but the signed bytes are those of the key path.
    const local = Issuer.fromPem(es256Key, es256Cert).issue(payload, opts);
    assert.equal(Buffer.from(local.cose).length, Buffer.from(cert.cose).length);
    ok(cert);
  });

  test('ES256 with a synchronous node:crypto signer, raw and DER signatures', () => {
    for (const dsaEncoding of ['ieee-p1363', 'der']) {
      const issuer = Issuer.fromSigner(
        'ES256',
        (tbs) => crypto.sign('sha256', tbs, { key: es256Key, dsaEncoding }),
        es256Cert,
      );
      ok(issuer.issue(payload, opts));
      const [a, b] = issuer.issueBatch([payload, JSON.stringify(payload)], opts);
      ok(a);
      ok(b);
    }
  });

  test('PS256 with WebCrypto RSA-PSS (salt 32)', async () => {
    const der = crypto.createPrivateKey(rsaKey).export({ type: 'pkcs8', format: 'der' });
    const key = await crypto.webcrypto.subtle.importKey(
      'pkcs8', der, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign'],
    );
    const issuer = Issuer.fromSigner('PS256', () => new Uint8Array(256), ps256Cert);
    assert.equal(issuer.algorithm, 'PS256');
    const prepared = issuer.prepare(payload, opts);
    const sig = await crypto.webcrypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, key, prepared.tbs);
    const r = ok(prepared.finish(new Uint8Array(sig)));
    assert.equal(r.algorithm, 'PS256');
  });

  test('a signer that fails, answers asynchronously or returns garbage gives signing_failed', () => {
    const throwing = Issuer.fromSigner('ES256', () => { throw new Error('HSM offline'); }, es256Cert);
    const e = expectCode(assert, DccError, () => throwing.issue(payload, opts), 'signing_failed');
    assert.match(e.message, /HSM offline/);
    assert.ok(e instanceof dcc.SigningFailedError);

    const later = Issuer.fromSigner('ES256', async () => { throw new Error('denied'); }, es256Cert);
    const p = expectCode(assert, DccError, () => later.issue(payload, opts), 'signing_failed');
    assert.match(p.message, /prepare/);

    const garbage = Issuer.fromSigner('ES256', () => 'not bytes', es256Cert);
    expectCode(assert, DccError, () => garbage.issue(payload, opts), 'signing_failed');
    const short = Issuer.fromSigner('ES256', () => new Uint8Array(3), es256Cert);
    expectCode(assert, DccError, () => short.issue(payload, opts), 'signing_failed');
    const results = short.issueBatch([payload], opts);
    assert.ok(results[0] instanceof dcc.SigningFailedError);
  });

  test('an algorithm that does not fit the certificate is refused by from_signer (invalid_key)', () => {
    expectCode(assert, DccError, () => Issuer.fromSigner('PS256', () => new Uint8Array(), es256Cert), 'invalid_key');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES256', () => new Uint8Array(), ps256Cert), 'invalid_key');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES512', () => new Uint8Array(), es256Cert), 'invalid_argument');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES256', () => new Uint8Array(), 'nope'), 'invalid_certificate');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES256', 'not a function', es256Cert), 'invalid_argument');
    // The algorithm name is read by the facade (case-insensitive).
    assert.equal(Issuer.fromSigner('es256', () => new Uint8Array(), es256Cert).algorithm, 'ES256');
  });
});

describe('issuing', () => {
  const issuer = Issuer.fromPem(es256Key, es256Cert);
  const iat = 1_625_097_600;
  const payload = payloadAt('vaccination', iat);
  const opts = { issuedAt: iat };

  test('prepare and issue give the same error for the same bad payload', () => {
    const bad = structuredClone(payload);
    bad.v[0].dn = 'two';
    for (const input of [bad, JSON.stringify(bad), '{not json', '[1, 2]']) {
      const a = expectCode(assert, DccError, () => issuer.issue(input, opts), input === bad || input === JSON.stringify(bad) ? 'validation_failed' : 'invalid_payload');
      const b = expectCode(assert, DccError, () => issuer.prepare(input, opts), a.code);
      assert.equal(b.constructor, a.constructor);
      assert.equal(b.message, a.message);
      assert.deepEqual(b.issues, a.issues);
    }
  });

  test('the validity is one value: a duration and an expiry together are refused (invalid_options)', () => {
    for (const validity of [{ forSeconds: 60, until: iat + 60 }, { forSeconds: 60, until: date(iat + 60) }]) {
      const e = expectCode(assert, DccError, () => issuer.issue(payload, { issuedAt: iat, validity }), 'invalid_options');
      assert.ok(e instanceof dcc.InvalidOptionsError);
      expectCode(assert, DccError, () => issuer.prepare(payload, { issuedAt: iat, validity }), 'invalid_options');
    }
    // The old names are gone: refused as unknown fields, not ignored.
    expectCode(assert, DccError, () => issuer.issue(payload, { issuedAt: iat, validForDays: 30 }), 'invalid_options');
    expectCode(assert, DccError, () => issuer.issue(payload, { issuedAt: iat, expiresAt: date(iat + 60) }), 'invalid_options');
    // Each form alone works.
    assert.equal(issuer.issue(payload, { issuedAt: iat, validity: 'default' }).claims.exp - iat, 365 * 86400);
    assert.equal(issuer.issue(payload, { issuedAt: iat, validity: { until: iat + 60 } }).claims.exp, iat + 60);
    assert.equal(issuer.issue(payload, { issuedAt: iat, validity: { forSeconds: 60 } }).claims.exp, iat + 60);
  });

  test('kid is base64 everywhere: certificate, signer, verification, decode', () => {
    const cert = issuer.issue(payload, opts);
    const expected = crypto.createHash('sha256').update(new crypto.X509Certificate(es256Cert).raw).digest()
      .subarray(0, 8).toString('base64');
    for (const kid of [cert.kid, issuer.signer.kid, decode(cert.hc1).kid, Verifier.fromCerts([es256Cert]).verify(cert.hc1, iat + 5).kid]) {
      assert.equal(kid, expected);
      assert.match(kid, /^[A-Za-z0-9+/]+={0,2}$/);
    }
    assert.equal(JSON.parse(cert.toJson()).kid, expected);
  });

  test('issueBatch gives one certificate or error per payload, in order', () => {
    const bad = structuredClone(payload);
    delete bad.nam;
    const results = issuer.issueBatch([payload, bad, JSON.stringify(payloadAt('test', iat))], opts);
    assert.equal(results.length, 3);
    assert.ok(results[0] instanceof Certificate);
    assert.ok(results[1] instanceof ValidationFailedError);
    assert.ok(results[1].issues.some((i) => i.path === 'nam'));
    assert.ok(results[2] instanceof Certificate);
    assert.equal(results[2].certificateType, 'test');
  });

  test('toJson is the facade view; the native object carries the same fields in camelCase', () => {
    const cert = issuer.issue(payload, opts);
    const view = JSON.parse(cert.toJson());
    assert.deepEqual(Object.keys(view).sort(), ['algorithm', 'certificate_type', 'changes', 'claims', 'hc1', 'kid', 'payload']);
    assert.equal(view.certificate_type, cert.certificateType);
    assert.deepEqual(view.payload, cert.payload);
    assert.deepEqual(view.claims, cert.claims);
    const r = Verifier.fromCerts([es256Cert]).verify(cert.hc1, iat + 5);
    const v = JSON.parse(r.toJson());
    assert.equal(v.checks.key_usage.status, r.checks.keyUsage.status);
    assert.equal(v.signer.not_before, r.signer.notBefore);
    assert.equal(v.at, r.at);
  });

  test('validate reports without signing; value sets replace the embedded ones', () => {
    const report = validate(payload, iat);
    assert.equal(report.valid, true);
    assert.deepEqual(report.issues, []);
    const bad = structuredClone(payload);
    bad.v[0].dn = 0;
    const refused = validate(JSON.stringify(bad), iat);
    assert.equal(refused.valid, false);
    assert.ok(refused.issues.length > 0);
    expectCode(assert, DccError, () => validate('{not json'), 'invalid_payload');
    expectCode(assert, DccError, () => validate(payload, iat, ['not a value set']), 'invalid_value_set');
    expectCode(assert, DccError, () => issuer.withValueSets(['{}']), 'invalid_value_set');
    expectCode(assert, DccError, () => Verifier.demo().withValueSets(['nope']), 'invalid_value_set');
    assert.ok(issuer.withValueSets([]) instanceof Issuer);
  });
});

describe('errors', () => {
  const issuer = Issuer.fromPem(es256Key, es256Cert);
  const iat = 1_625_097_600;
  const payload = payloadAt('vaccination', iat);

  test('one DccError subclass per code of errorCodes()', () => {
    const codes = errorCodes();
    assert.ok(codes.includes('invalid_value_set') && codes.includes('invalid_argument'));
    for (const code of codes) {
      const name = code.replace(/_error$/, '').replace(/(?:^|_)([a-z0-9])/g, (_, c) => c.toUpperCase()) + 'Error';
      const Class = dcc[name];
      assert.equal(typeof Class, 'function', name);
      const e = new Class('message');
      assert.ok(e instanceof DccError && e instanceof Error, name);
      assert.equal(e.code, code);
      assert.equal(e.name, name);
      assert.deepEqual([e.issues, e.failures], [[], []]);
    }
    const classes = Object.keys(dcc).filter((n) => n.endsWith('Error') && n !== 'DccError');
    assert.equal(classes.length, codes.length, classes.join(', '));
  });

  test('errors are DccError instances with a stable code and a stack', () => {
    const e = expectCode(assert, DccError, () => decode('HC1:not base45!'), 'invalid_base45');
    assert.equal(e.name, 'InvalidBase45Error');
    assert.ok(e instanceof dcc.InvalidBase45Error);
    assert.deepEqual(e.issues, []);
    assert.deepEqual(e.failures, []);
    assert.match(e.stack, /InvalidBase45Error/);
    assert.equal(Object.prototype.toString.call(e), '[object Error]');
    expectCode(assert, DccError, () => decode(''), 'empty_input');
    expectCode(assert, DccError, () => decode(undefined), 'empty_input');
    expectCode(assert, DccError, () => decode(42), 'invalid_argument');
    expectCode(assert, DccError, () => Verifier.demo().verify(new Uint8Array(3)), 'invalid_argument');
    expectCode(assert, DccError, () => readQr(new Uint8Array([1, 2, 3])), 'invalid_image');
    expectCode(assert, DccError, () => readQr('a string'), 'invalid_image');
    expectCode(assert, DccError, () => decodeImage(new Uint8Array([1, 2, 3])), 'invalid_image');
    // The module reads PNG only (no JPEG decoder, to stay small): a JPEG is refused by name.
    const jpeg = expectCode(assert, DccError, () => readQr(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16])), 'invalid_image');
    assert.match(jpeg.message, /PNG images only/);
    expectCode(assert, DccError, () => Verifier.fromCerts('not an array'), 'invalid_certificate');
    expectCode(assert, DccError, () => Verifier.fromCerts([42]), 'invalid_certificate');
    expectCode(assert, DccError, () => transliterate('李'), 'invalid_argument');
    expectCode(assert, DccError, () => generateUvci('DE', 'bad part!'), 'invalid_argument');
    expectCode(assert, DccError, () => generateKey({ country: 'germany' }), 'invalid_options');
    expectCode(assert, DccError, () => generateKey({ validFor: 3 }), 'invalid_options');
    assert.throws(() => new Verifier([es256Cert]), TypeError);
  });

  test('a refused payload is a ValidationFailedError with every issue', () => {
    const bad = structuredClone(payload);
    delete bad.nam;
    bad.v[0].dn = 'two';
    const e = expectCode(assert, DccError, () => issuer.issue(bad, { issuedAt: date(iat) }), 'validation_failed');
    assert.ok(e instanceof ValidationFailedError);
    assert.equal(e.name, 'ValidationFailedError');
    assert.ok(e.issues.length >= 2, JSON.stringify(e.issues));
    for (const issue of e.issues) {
      assert.deepEqual(Object.keys(issue).sort(), ['code', 'message', 'path']);
      assert.ok(issueCodes().includes(issue.code), issue.code);
    }
    assert.ok(e.issues.some((i) => i.path === 'nam'), JSON.stringify(e.issues));
    assert.ok(e.issues.some((i) => i.path === 'v/0/dn'), JSON.stringify(e.issues));
  });

  test('payloads that are not objects or not JSON give invalid_payload', () => {
    expectCode(assert, DccError, () => issuer.issue('{not json', { issuedAt: date(iat) }), 'invalid_payload');
    expectCode(assert, DccError, () => issuer.issue(undefined), 'invalid_payload');
    expectCode(assert, DccError, () => issuer.issue({ big: 10n }), 'invalid_payload');
    expectCode(assert, DccError, () => issuer.issue([1, 2]), 'invalid_payload');
  });

  test('options are checked: types, unknown fields, contradictions, the DSC window', () => {
    const bad = [
      { issuedAt: '2021-07-01' },
      { issuedAt: new Date('nonsense') },
      { validFor: 30 },
      { validity: { forSeconds: 1.5 } },
      { validity: { forSeconds: 30, until: iat + 60 } },
      { validity: 'forever' },
      { iss: 7 },
      { iss: 'de' },
      { issuedAt: date(iat), validity: { forSeconds: 3650 * 86400 } },
      { issuedAt: date(iat), validity: { forSeconds: -1 } },
      'not an object',
    ];
    for (const options of bad) {
      expectCode(assert, DccError, () => issuer.issue(payload, options), 'invalid_options');
    }
    expectCode(assert, DccError, () => Verifier.demo().verify('HC1:', '2021-07-01'), 'invalid_argument');
    expectCode(assert, DccError, () => Verifier.demo().verify('HC1:', new Date('nonsense')), 'invalid_argument');
    expectCode(assert, DccError, () => Verifier.demo().withClockSkew('5'), 'invalid_argument');
  });

  test('the code lists match the unions declared in index.d.ts', () => {
    const dts = fs.readFileSync(new URL(import.meta.resolve('dcc-kit/package.json')).pathname.replace('package.json', 'index.d.ts'), 'utf8');
    for (const [type, list] of [['DccErrorCode', errorCodes()], ['CheckCode', checkCodes()], ['IssueCode', issueCodes()]]) {
      const union = new RegExp(`export type ${type} =([^;]+);`).exec(dts)[1];
      const declared = [...union.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]);
      assert.deepEqual(declared, list, type);
      assert.equal(new Set(list).size, list.length, type);
    }
    assert.ok(checkCodes().includes('multiple_entries'));
  });

  test('key material never appears in errors or descriptions', () => {
    const body = es256Key.split('\n')[1];
    const wrongCert = () => Issuer.fromPem(es256Key, demoCertificatePem());
    const e = expectCode(assert, DccError, wrongCert, 'invalid_key');
    assert.ok(!e.message.includes(body.slice(0, 16)));
    assert.ok(!e.stack.includes(body.slice(0, 16)));
    const garbled = es256Key.replace(body, body.slice(0, 20) + '!!' + body.slice(22));
    const e2 = expectCode(assert, DccError, () => Issuer.fromPem(garbled, es256Cert), 'invalid_key');
    assert.ok(!e2.message.includes(body.slice(0, 16)));
    const desc = String(Issuer.fromPem(es256Key, es256Cert));
    assert.ok(!desc.includes(body.slice(0, 16)));
    assert.ok(!JSON.stringify(Issuer.fromPem(es256Key, es256Cert)).includes(body.slice(0, 16)));
  });
});

describe('helpers', () => {
  test('transliterate gives the ICAO 9303 form', () => {
    assert.equal(transliterate('Musterfrau-Gößinger'), 'MUSTERFRAU<GOESSINGER');
    assert.equal(transliterate('Μενεξές'), 'MENEXES');
  });

  test('generateUvci makes unique identifiers with a valid shape', () => {
    const a = generateUvci('DE', 'PRAXIS1');
    const b = generateUvci('DE', 'PRAXIS1');
    assert.match(a, /^URN:UVCI:01:DE:PRAXIS1\/[0-9A-Z]{16}#[0-9A-Z/:]$/);
    assert.notEqual(a, b);
  });

  test('generateKey defaults come from the facade (XX, dcc-kit test DSC, 730 days)', () => {
    const { certPem } = generateKey();
    const [signer] = Verifier.fromCerts([certPem]).trusted;
    assert.equal(signer.subject, 'CN=dcc-kit test DSC,C=XX');
    const days = (signer.notAfter - signer.notBefore) / 86400;
    assert.ok(days > 729 && days < 731, `${days}`);
  });

  test('version() is the package version; now() is the clock in seconds', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL(import.meta.resolve('dcc-kit/package.json')), 'utf8'));
    assert.equal(version(), pkg.version);
    assert.ok(Math.abs(now() - Date.now() / 1000) < 5);
    assert.ok(Number.isInteger(now()));
  });
});

describe('Issuer.fromPem in Node', () => {
  const g = json(golden('issued-vaccination-es256.json'));
  const opts = { iss: g.iss, issuedAt: g.iat, validity: { until: g.exp } };
  const verifier = Verifier.fromCerts([es256Cert]);
  const at = g.iat + 60;

  test('an ES256 key signs through node:crypto: hedged, valid, same bytes but the signature', () => {
    const issuer = Issuer.fromPem(es256Key, es256Cert);
    assert.equal(issuer.algorithm, 'ES256');
    const [a, b] = [issuer.issue(g.payload, opts), issuer.issue(g.payload, opts)];
    assert.notEqual(a.hc1, b.hc1);
    assert.notEqual(a.hc1, g.hc1);
    const unsigned = (c) => Buffer.from(c.cose).subarray(0, -64).toString('hex');
    assert.equal(unsigned(a), g.cose.slice(0, -128));
    assert.equal(unsigned(b), unsigned(a));
    for (const c of [a, b]) assert.equal(verifier.verify(c.hc1, at).valid, true);
  });

  test('a DER (PKCS#8) key takes the same path', () => {
    const der = crypto.createPrivateKey(es256Key).export({ format: 'der', type: 'pkcs8' });
    const issuer = Issuer.fromPem(new Uint8Array(der), es256Cert);
    const [a, b] = [issuer.issue(g.payload, opts), issuer.issue(g.payload, opts)];
    assert.notEqual(a.hc1, b.hc1);
    assert.equal(verifier.verify(a.hc1, at).valid, true);
  });

  test('PEM bytes and a base64 DER certificate take the same path', () => {
    const certBase64 = new crypto.X509Certificate(es256Cert).raw.toString('base64');
    const issuer = Issuer.fromPem(new TextEncoder().encode(es256Key), certBase64);
    const [a, b] = [issuer.issue(g.payload, opts), issuer.issue(g.payload, opts)];
    assert.notEqual(a.hc1, b.hc1);
    assert.equal(verifier.verify(a.hc1, at).valid, true);
  });

  test('fromPemDeterministic gives the golden bytes; key and certificate are checked by the facade', () => {
    const issuer = Issuer.fromPemDeterministic(es256Key, es256Cert);
    assert.equal(issuer.issue(g.payload, opts).hc1, g.hc1);
    assert.equal(issuer.issueBatch([g.payload], opts)[0].hc1, g.hc1);
    expectCode(assert, DccError, () => Issuer.fromPem(es256Key, demoCertificatePem()), 'invalid_key');
    expectCode(assert, DccError, () => Issuer.fromPemDeterministic(es256Key, demoCertificatePem()), 'invalid_key');
    expectCode(assert, DccError, () => Issuer.fromPem(42, es256Cert), 'invalid_key');
  });
});
