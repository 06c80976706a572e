// Interop with JavaScript DCC implementations from npm:
//  - @pathcheck/dcc-sdk 0.0.27 (issues and verifies; cbor + pako + base45 + WebCrypto): its
//    certificates verify in dcc-kit, and dcc-kit's verify in it (ES256 and PS256).
//  - dcc-utils 0.4.0 (Italian Ministry of Health; verify only: cose-js + jsrsasign, QR images
//    read with jimp + jsQR): dcc-kit's certificates, as text and as PNG, verify in it.
import { attempts } from './offline.mjs';

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { Issuer, Verifier, generateKey } from 'dcc-kit';

import { TYPES, date, es256Cert, es256Key, golden, json, payloadAt, pemBody, ps256Cert, rsaKey } from './helpers.mjs';

register('./sdk-hooks.mjs', import.meta.url);
const sdk = await import('@pathcheck/dcc-sdk/lib/main.js');
const { DCC } = createRequire(import.meta.url)('dcc-utils');

const kidOf = (pem) =>
  crypto.createHash('sha256').update(Buffer.from(pemBody(pem), 'base64')).digest().subarray(0, 8).toString('base64');
// Their trust registry, filled locally (an unknown kid would make it fetch from GitHub).
sdk.addCachedCerts({ [kidOf(es256Cert)]: pemBody(es256Cert), [kidOf(ps256Cert)]: pemBody(ps256Cert) });

const iat = 1_625_097_600; // 2021-07-01, inside the golden DSCs' validity
const at = iat + 600;
const trust = Verifier.fromCerts([es256Cert, ps256Cert]);
/**
 * Their CBOR decoder turns tag 0 (`t/0/sc`, a date-time, as the spec encodes it) into a JS
 * Date: compare as RFC 3339 text again.
 */
const plain = (value) =>
  JSON.parse(JSON.stringify(value, function (key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.toISOString().replace('.000Z', 'Z') : v;
  }));
/** The -260/1 payload of the CWT map their verifier returns. */
const hcert = (cwt) => plain(cwt.get(-260).get(1));
/** Their CWT, built with fixed times (makeCWT uses the clock). */
const cwtFor = (payload, issuedAt, expiresAt) =>
  new Map([[1, 'XX'], [6, issuedAt], [4, expiresAt], [-260, new Map([[1, payload]])]]);

after(() => assert.deepEqual(attempts, [], 'no test may touch the network'));

describe('@pathcheck/dcc-sdk', () => {
  for (const type of TYPES) {
    for (const [alg, key, cert] of [['ES256', es256Key, es256Cert], ['PS256', rsaKey, ps256Cert]]) {
      test(`${type} ${alg}: theirs verifies in dcc-kit`, async () => {
        const payload = payloadAt(type, iat);
        const hc1 = await sdk.signAndPack(cwtFor(payload, iat, iat + 30 * 86400), cert, key);
        const r = trust.verify(hc1, at);
        assert.equal(r.valid, true, JSON.stringify(r.failures));
        assert.equal(r.algorithm, alg);
        assert.deepEqual(r.payload, payload);
        assert.deepEqual([r.claims.iss, r.claims.iat, r.claims.exp], ['XX', iat, iat + 30 * 86400]);
      });

      test(`${type} ${alg}: dcc-kit's verifies in theirs`, async () => {
        const payload = payloadAt(type, iat);
        const ours = Issuer.fromPem(key, cert).issue(payload, { issuedAt: date(iat), validity: { forSeconds: 30 * 86400 } });
        const r = await sdk.unpackAndVerify(ours.hc1);
        assert.equal(r.status, 'verified');
        assert.deepEqual(hcert(r.contents), payload);
      });
    }
  }

  test('the golden certificates verify in theirs', async () => {
    for (const type of TYPES) {
      for (const alg of ['es256', 'ps256']) {
        const g = json(golden(`issued-${type}-${alg}.json`));
        const r = await sdk.unpackAndVerify(g.hc1);
        assert.equal(r.status, 'verified', `${type} ${alg}`);
        assert.deepEqual(hcert(r.contents), g.payload);
      }
    }
  });

  test('a tampered signature fails in both', async () => {
    const ours = Issuer.fromPem(es256Key, es256Cert).issue(payloadAt('test', iat), { issuedAt: date(iat) });
    const cose = Buffer.from(ours.cose);
    cose[cose.length - 1] ^= 1;
    const tampered = await sdk.pack(cose);
    assert.equal((await sdk.unpackAndVerify(tampered)).status, 'invalid_signature');
    assert.equal(trust.verify(tampered, at).checks.signature.code, 'invalid_signature');
  });

  test('their certificates with a fresh dcc-kit key and their own clock (makeCWT)', async () => {
    const { keyPem, certPem } = generateKey({ country: 'XX', commonName: 'interop', validDays: 400 });
    sdk.addCachedCerts({ [kidOf(certPem)]: pemBody(certPem) });
    const payload = payloadAt('vaccination', Math.floor(Date.now() / 1000));
    const hc1 = await sdk.signAndPack(await sdk.makeCWT(payload, 12, 'XX'), certPem, keyPem);
    // makeCWT rounds iat to the nearest second, so it can lie up to half a second in the future:
    // a verifier tolerating a little clock skew accepts it.
    const r = Verifier.fromCerts([certPem]).withClockSkew(5).verify(hc1);
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    const ours = Issuer.fromPem(keyPem, certPem).issue(payload, { validity: { forSeconds: 30 * 86400 } });
    assert.equal((await sdk.unpackAndVerify(ours.hc1)).status, 'verified');
  });
});

describe('dcc-utils', () => {
  for (const type of TYPES) {
    test(`${type}: dcc-kit's certificates verify in dcc-utils, as text and as a PNG`, async () => {
      const payload = payloadAt(type, iat);
      for (const [key, cert] of [[es256Key, es256Cert], [rsaKey, ps256Cert]]) {
        const ours = Issuer.fromPem(key, cert).issue(payload, { issuedAt: date(iat), validity: { forSeconds: 30 * 86400 } });
        const fromRaw = await DCC.fromRaw(ours.hc1);
        assert.deepEqual(plain(fromRaw.payload), payload);
        assert.equal(fromRaw.kid, kidOf(cert));
        await fromRaw.checkSignatureWithCertificate(cert); // throws on a bad signature

        const file = path.join(os.tmpdir(), `dcc-kit-interop-${process.pid}-${type}.png`);
        fs.writeFileSync(file, ours.toPng(4));
        try {
          const fromImage = await DCC.fromImage(file); // jimp + jsQR: an independent QR reader
          assert.equal(fromImage.raw, ours.hc1);
          await fromImage.checkSignatureWithCertificate(cert);
        } finally {
          fs.rmSync(file, { force: true });
        }
      }
    });
  }

  test('dcc-utils rejects a tampered dcc-kit certificate', async () => {
    const ours = Issuer.fromPem(es256Key, es256Cert).issue(payloadAt('vaccination', iat), { issuedAt: date(iat) });
    const cose = Buffer.from(ours.cose);
    cose[cose.length - 1] ^= 1;
    const tampered = await sdk.pack(cose);
    const dcc = await DCC.fromRaw(tampered);
    await assert.rejects(dcc.checkSignatureWithCertificate(es256Cert));
  });
});
