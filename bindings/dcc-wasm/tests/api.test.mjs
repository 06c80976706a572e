// The whole API through the installed package (ES module entry point in Node).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, test } from 'node:test';

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
      const issuer = Issuer.fromPem(es256Key, es256Cert, { deterministic: true });
      assert.equal(issuer.algorithm, 'ES256');
      const cert = issuer.issue(g.payload, {
        iss: g.iss,
        issuedAt: date(g.iat),
        expiresAt: date(g.exp),
      });
      assert.equal(cert.hc1, g.hc1);
      assert.equal(Buffer.from(cert.cose).toString('hex'), g.cose);
      assert.deepEqual(
        { iss: cert.claims.iss, iat: cert.claims.iat, exp: cert.claims.exp },
        { iss: g.iss, iat: g.iat, exp: g.exp },
      );
      assert.equal(cert.claims.issuedAt.getTime(), g.iat * 1000);
      // The same with JSON text and a validity in seconds.
      const again = issuer.issue(JSON.stringify(g.payload), {
        iss: g.iss,
        issuedAt: date(g.iat),
        validForSeconds: g.exp - g.iat,
      });
      assert.equal(again.hc1, g.hc1);
    });

    test(`${type}: the golden ES256 and PS256 certificates verify`, () => {
      const verifier = new Verifier([es256Cert, ps256Cert]);
      for (const alg of ['es256', 'ps256']) {
        const c = json(golden(`issued-${type}-${alg}.json`));
        const r = verifier.verify(c.hc1, { at: date(c.iat + 60) });
        assert.equal(r.valid, true, JSON.stringify(r.failures));
        assert.deepEqual(r.payload, c.payload);
        assert.equal(r.algorithm, alg.toUpperCase());
        assert.equal(r.signer.subject, `CN=dcc-kit golden ${alg.toUpperCase()},C=XX`);
        assert.equal(r.checks.signature.status, 'passed');
        assert.equal(r.checks.validity.status, 'passed');
        assert.equal(r.checks.keyUsage.status, 'passed');
        assert.equal(r.at.getTime(), (c.iat + 60) * 1000);
        // After expiry the same certificate is decoded but not valid.
        const late = verifier.verify(c.hc1, { at: date(c.exp + 1) });
        assert.equal(late.valid, false);
        assert.deepEqual(late.checks.validity, {
          status: 'failed',
          check: 'validity',
          code: 'expired',
          message: late.checks.validity.message,
        });
        assert.deepEqual(late.failures.map((f) => [f.check, f.code]), [['validity', 'expired']]);
      }
    });
  }
});

describe('round trips', () => {
  const demo = Issuer.demo();
  const verifier = new Verifier([demoCertificatePem()]);

  for (const type of TYPES) {
    test(`${type}: issue -> HC1, PNG and SVG -> verify and decode`, () => {
      const payload = payloadAt(type, AT_2025);
      const cert = demo.issue(payload, { iss: 'AT', issuedAt: date(AT_2025), validForDays: 30 });
      assert.ok(cert instanceof Certificate);
      assert.match(cert.hc1, /^HC1:[0-9A-Z $%*+\-./:]+$/);
      assert.equal(cert.claims.exp - cert.claims.iat, 30 * 86400);
      assert.equal(cert.claims.iss, 'AT');
      assert.deepEqual(cert.payload, payload);
      assert.equal(String(cert), cert.hc1);
      assert.deepEqual(JSON.parse(JSON.stringify(cert)).hc1, cert.hc1);

      const at = { at: date(AT_2025 + 3600) };
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
      const fromImage = verifier.verify(png, at);
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
      assert.equal(Buffer.from(decoded.cose).toString('hex'), Buffer.from(cert.cose).toString('hex'));
      assert.deepEqual(decode(png).claims, decoded.claims);
    });
  }

  test('PS256: an RSA key issues certificates that verify', () => {
    const issuer = Issuer.fromPem(rsaKey, ps256Cert);
    assert.equal(issuer.algorithm, 'PS256');
    const iat = 1_625_097_600;
    const cert = issuer.issue(payloadAt('vaccination', iat), { issuedAt: date(iat), validForDays: 90 });
    assert.equal(cert.claims.iss, 'XX', 'iss defaults to the DSC country');
    const r = new Verifier([ps256Cert]).verify(cert.hc1, { at: date(iat + 10) });
    assert.equal(r.valid, true);
    assert.equal(r.algorithm, 'PS256');
    assert.equal(r.signer.key, 'RSA-2048');
  });

  test('a tampered certificate is decoded but fails the signature check', async () => {
    const cert = demo.issue(payloadAt('vaccination', AT_2025), { issuedAt: date(AT_2025) });
    const at = { at: date(AT_2025 + 60) };
    const cose = Buffer.from(cert.cose);
    assert.equal(await hc1FromCose(cose).then((h) => verifier.verify(h, at).valid), true);
    const badSignature = Buffer.from(cose);
    badSignature[badSignature.length - 1] ^= 1;
    const r = verifier.verify(await hc1FromCose(badSignature), at);
    assert.equal(r.valid, false);
    assert.deepEqual([r.checks.signature.status, r.checks.signature.code], ['failed', 'invalid_signature']);
    assert.equal(r.checks.keyUsage.status, 'skipped');
    assert.equal(r.signer, null);
    assert.deepEqual(r.payload, cert.payload, 'the payload is still decoded');
    // Unknown signer: the demo certificate checked against another trust list.
    const other = new Verifier([es256Cert]).verify(cert.hc1, at);
    assert.equal(other.checks.signature.code, 'unknown_kid');
  });

  test('a generated key issues for its own self-signed DSC', () => {
    const { keyPem, certPem } = generateKey('DE', 'dcc-kit test DSC', 30);
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(certPem, /^-----BEGIN CERTIFICATE-----/);
    const issuer = Issuer.fromPem(keyPem, certPem);
    assert.equal(issuer.signer.country, 'DE');
    const now = Math.floor(Date.now() / 1000);
    const cert = issuer.issue(payloadAt('test', now), { validForSeconds: 3600 });
    const r = new Verifier([certPem]).verify(cert.hc1);
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    assert.equal(r.signer.subject, 'CN=dcc-kit test DSC,C=DE');
  });

  test('Verifier.demo trusts exactly the demo DSC; trusted lists DSCs', () => {
    assert.deepEqual(
      Verifier.demo().trusted.map((s) => s.kid),
      new Verifier([demoCertificatePem()]).trusted.map((s) => s.kid),
    );
    const both = new Verifier([es256Cert, new Uint8Array(Buffer.from(ps256Cert))]);
    assert.deepEqual(
      both.trusted.map((s) => s.subject).sort(),
      ['CN=dcc-kit golden ES256,C=XX', 'CN=dcc-kit golden PS256,C=XX'],
    );
    assert.equal(both.trusted[0].notBefore.toISOString(), '2021-01-01T00:00:00.000Z');
    assert.equal(String(both), 'Verifier(2 trusted DSCs)');
  });

  test('clock skew tolerates a verifier clock slightly behind', () => {
    const cert = demo.issue(payloadAt('vaccination', AT_2025), { issuedAt: date(AT_2025) });
    const early = { at: date(AT_2025 - 60) };
    assert.equal(verifier.verify(cert.hc1, early).checks.validity.code, 'not_yet_valid');
    const lenient = new Verifier([demoCertificatePem()], { clockSkewSeconds: 300 });
    assert.equal(lenient.verify(cert.hc1, early).valid, true);
  });

  test('the verification time defaults to now', () => {
    const now = Date.now();
    const cert = demo.issue(payloadAt('vaccination', Math.floor(now / 1000)), { validForDays: 1 });
    const r = verifier.verify(cert.hc1);
    assert.equal(r.valid, true);
    assert.ok(Math.abs(r.at.getTime() - now) < 60_000);
  });
});

describe('signer callbacks', () => {
  const iat = 1_625_097_600;
  const payload = payloadAt('vaccination', iat);
  const opts = { issuedAt: date(iat), validForDays: 30 };
  const verifier = new Verifier([es256Cert, ps256Cert]);
  const ok = (cert) => {
    const r = verifier.verify(cert.hc1, { at: date(iat + 5) });
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    return r;
  };

  test('ES256 with WebCrypto (async) gives a valid certificate', async () => {
    const der = crypto.createPrivateKey(es256Key).export({ type: 'pkcs8', format: 'der' });
    const key = await crypto.webcrypto.subtle.importKey(
      'pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'],
    );
    const calls = [];
    const issuer = Issuer.fromSigner('ES256', async (tbs) => {
      calls.push(tbs);
      return crypto.webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, tbs);
    }, es256Cert);
    assert.match(String(issuer), /^Issuer\(ES256 CN=dcc-kit golden ES256,C=XX, kid .*signer function\)$/);
    const cert = await issuer.issueAsync(payload, opts);
    assert.ok(cert instanceof Certificate);
    assert.equal(calls.length, 1);
    assert.ok(calls[0] instanceof Uint8Array);
    // ECDSA is randomised in WebCrypto, but the signed bytes are those of the golden key path.
    const local = Issuer.fromPem(es256Key, es256Cert).issue(payload, opts);
    assert.equal(Buffer.from(decode(local.hc1).cose).length, Buffer.from(cert.cose).length);
    ok(cert);
  });

  test('ES256 with a synchronous node:crypto signer, raw and DER signatures', async () => {
    for (const dsaEncoding of ['ieee-p1363', 'der']) {
      const issuer = Issuer.fromSigner(
        'ES256',
        (tbs) => crypto.sign('sha256', tbs, { key: es256Key, dsaEncoding }),
        es256Cert,
      );
      ok(issuer.issue(payload, opts));
      // A synchronous signer works through issueAsync as well.
      ok(await issuer.issueAsync(payload, opts));
    }
  });

  test('PS256 with WebCrypto RSA-PSS (salt 32)', async () => {
    const der = crypto.createPrivateKey(rsaKey).export({ type: 'pkcs8', format: 'der' });
    const key = await crypto.webcrypto.subtle.importKey(
      'pkcs8', der, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign'],
    );
    const issuer = Issuer.fromSigner(
      'PS256',
      (tbs) => crypto.webcrypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, key, tbs),
      ps256Cert,
    );
    assert.equal(issuer.algorithm, 'PS256');
    const r = ok(await issuer.issueAsync(payload, opts));
    assert.equal(r.algorithm, 'PS256');
  });

  test('a signer that fails, rejects or returns garbage gives signing_failed', async () => {
    const throwing = Issuer.fromSigner('ES256', () => { throw new Error('HSM offline'); }, es256Cert);
    const e = expectCode(assert, DccError, () => throwing.issue(payload, opts), 'signing_failed');
    assert.match(e.message, /HSM offline/);
    await assert.rejects(throwing.issueAsync(payload, opts), { code: 'signing_failed' });

    const rejecting = Issuer.fromSigner('ES256', async () => { throw new Error('denied'); }, es256Cert);
    await assert.rejects(rejecting.issueAsync(payload, opts), (err) => {
      assert.ok(err instanceof DccError);
      assert.equal(err.code, 'signing_failed');
      assert.match(err.message, /denied/);
      return true;
    });
    expectCode(assert, DccError, () => rejecting.issue(payload, opts), 'signing_failed');

    const garbage = Issuer.fromSigner('ES256', () => 'not bytes', es256Cert);
    expectCode(assert, DccError, () => garbage.issue(payload, opts), 'signing_failed');
    const short = Issuer.fromSigner('ES256', () => new Uint8Array(3), es256Cert);
    expectCode(assert, DccError, () => short.issue(payload, opts), 'signing_failed');
  });

  test('issueAsync rejects (never throws) on a bad payload', async () => {
    const issuer = Issuer.fromSigner('ES256', () => new Uint8Array(64), es256Cert);
    const p = issuer.issueAsync({ ver: '1.3.0' }, opts);
    assert.ok(p instanceof Promise);
    await assert.rejects(p, (err) => err instanceof ValidationError && err.issues.length > 0);
  });

  test('an algorithm that does not fit the certificate is refused', () => {
    expectCode(assert, DccError, () => Issuer.fromSigner('PS256', () => new Uint8Array(), es256Cert), 'invalid_key');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES256', () => new Uint8Array(), ps256Cert), 'invalid_key');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES512', () => new Uint8Array(), es256Cert), 'invalid_options');
    expectCode(assert, DccError, () => Issuer.fromSigner('ES256', () => new Uint8Array(), 'nope'), 'invalid_certificate');
  });
});

describe('errors', () => {
  const issuer = Issuer.fromPem(es256Key, es256Cert);
  const iat = 1_625_097_600;
  const payload = payloadAt('vaccination', iat);

  test('errors are DccError instances with a stable code and a stack', () => {
    const e = expectCode(assert, DccError, () => decode('HC1:not base45!'), 'invalid_base45');
    assert.equal(e.name, 'DccError');
    assert.deepEqual(e.issues, []);
    assert.match(e.stack, /DccError/);
    assert.equal(Object.prototype.toString.call(e), '[object Error]');
    expectCode(assert, DccError, () => decode(''), 'empty_input');
    expectCode(assert, DccError, () => decode(undefined), 'empty_input');
    expectCode(assert, DccError, () => decode(42), 'invalid_prefix');
    expectCode(assert, DccError, () => readQr(new Uint8Array([1, 2, 3])), 'invalid_image');
    expectCode(assert, DccError, () => readQr('a string'), 'invalid_image');
    // The module reads PNG only (no JPEG decoder, to stay small): a JPEG is refused by name.
    const jpeg = expectCode(assert, DccError, () => readQr(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16])), 'invalid_image');
    assert.match(jpeg.message, /PNG images only/);
    expectCode(assert, DccError, () => new Verifier('not an array'), 'invalid_certificate');
    expectCode(assert, DccError, () => new Verifier([42]), 'invalid_certificate');
    expectCode(assert, DccError, () => transliterate('李'), 'invalid_payload');
    expectCode(assert, DccError, () => generateUvci('DE', 'bad part!'), 'invalid_options');
    expectCode(assert, DccError, () => generateKey('germany'), 'invalid_options');
  });

  test('a refused payload is a ValidationError with every issue', () => {
    const bad = structuredClone(payload);
    delete bad.nam;
    bad.v[0].dn = 'two';
    const e = expectCode(assert, DccError, () => issuer.issue(bad, { issuedAt: date(iat) }), 'validation_failed');
    assert.ok(e instanceof ValidationError);
    assert.equal(e.name, 'ValidationError');
    assert.ok(e.issues.length >= 2, JSON.stringify(e.issues));
    for (const issue of e.issues) {
      assert.deepEqual(Object.keys(issue).sort(), ['code', 'message', 'path']);
      assert.match(issue.code, /^[a-z0-9_]+$/);
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
      { validForDays: 1.5 },
      { validForDays: 30, validForSeconds: 60 },
      { validForDays: 30, expiresAt: date(iat + 60) },
      { iss: 7 },
      { iss: 'de' },
      { issuedAt: date(iat), validForDays: 3650 },
      { issuedAt: date(iat), validForDays: -1 },
      'not an object',
    ];
    for (const options of bad) {
      expectCode(assert, DccError, () => issuer.issue(payload, options), 'invalid_options');
    }
    expectCode(assert, DccError, () => Verifier.demo().verify('HC1:', { when: new Date() }), 'invalid_options');
    expectCode(assert, DccError, () => Verifier.demo().verify('HC1:', { at: 1625097600 }), 'invalid_options');
    expectCode(assert, DccError, () => new Verifier([], { clockSkewSeconds: -5 }), 'invalid_options');
  });

  test('errorCodes() lists exactly the codes declared in index.d.ts', () => {
    const dts = fs.readFileSync(new URL(import.meta.resolve('dcc-kit/package.json')).pathname.replace('package.json', 'index.d.ts'), 'utf8');
    const union = /export type DccErrorCode =([^;]+);/.exec(dts)[1];
    const declared = [...union.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]);
    assert.deepEqual(declared, errorCodes());
    assert.equal(new Set(errorCodes()).size, errorCodes().length);
    assert.ok(errorCodes().includes('validation_failed'));
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

  test('version() is the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL(import.meta.resolve('dcc-kit/package.json')), 'utf8'));
    assert.equal(version(), pkg.version);
  });
});

describe('Issuer.fromPem in Node', () => {
  const g = json(golden('issued-vaccination-es256.json'));
  const opts = { iss: g.iss, issuedAt: date(g.iat), expiresAt: date(g.exp) };
  const verifier = new Verifier([es256Cert]);
  const at = { at: date(g.iat + 60) };

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

  test('{ deterministic: true } gives the golden bytes; bad options are invalid_options', () => {
    const issuer = Issuer.fromPem(es256Key, es256Cert, { deterministic: true });
    assert.equal(issuer.issue(g.payload, opts).hc1, g.hc1);
    assert.equal(Issuer.fromPem(es256Key, es256Cert, { deterministic: false }).algorithm, 'ES256');
    expectCode(assert, DccError, () => Issuer.fromPem(es256Key, es256Cert, { deterministic: 1 }), 'invalid_options');
    expectCode(assert, DccError, () => Issuer.fromPem(es256Key, es256Cert, { fast: true }), 'invalid_options');
    // Key and certificate are still checked by the module first.
    expectCode(assert, DccError, () => Issuer.fromPem(es256Key, demoCertificatePem()), 'invalid_key');
  });
});
