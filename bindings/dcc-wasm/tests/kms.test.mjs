// The cloud KMS example (examples/kms-signer.mjs), run against the installed package: as a
// script (it prints what its last line says), and its adapters with stand-ins shaped like the
// AWS SDK v3 and Google Cloud KMS clients, whose "cloud" is OpenSSL signing the digest it is
// given. Each signature is checked independently with node:crypto, every certificate by a
// Verifier; and the example type-checks against the package's declarations.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DccError, SigningFailedError, ValidationFailedError, Verifier, generateKey } from 'dcc-kit';

import { expectCode, here, json, golden, payloadAt, ps256Cert, rsaKey } from './helpers.mjs';

// The example imports 'dcc-kit': a copy next to the tests resolves it to the installed tarball.
const source = path.join(here, '..', 'examples', 'kms-signer.mjs');
const copy = path.join(here, '.kms-signer.example.mjs');
let kms;
before(async () => {
  fs.copyFileSync(source, copy);
  kms = await import(copy);
});
after(() => fs.rmSync(copy, { force: true }));

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest();
const now = Math.floor(Date.now() / 1000);

/** What `client.send(new SignCommand(input))` of @aws-sdk/client-kms does, recording each request. */
function awsStandIn(keyPem) {
  const sign = kms.localKms(keyPem);
  const requests = [];
  class SignCommand {
    constructor(input) {
      this.input = input;
    }
  }
  const client = {
    async send(command) {
      assert.ok(command instanceof SignCommand);
      requests.push(command.input);
      const { MessageType, SigningAlgorithm } = command.input;
      if (MessageType !== 'DIGEST') throw new Error(`stand-in: MessageType ${MessageType}`);
      if (!['ECDSA_SHA_256', 'RSASSA_PSS_SHA_256'].includes(SigningAlgorithm)) throw new Error(`stand-in: ${SigningAlgorithm}`);
      return { KeyId: command.input.KeyId, Signature: await sign(command.input.Message), SigningAlgorithm };
    },
  };
  return { client, SignCommand, requests };
}

describe('examples/kms-signer.mjs', () => {
  test('runs as a script: a certificate signed through the AWS-shaped stand-in verifies', () => {
    const out = execFileSync(process.execPath, [copy], { cwd: here, encoding: 'utf8' }).trim();
    assert.equal(out, 'true passed ES256 CN=DSC KMS 1,O=Example Health,C=DE');
  });

  test('AWS KMS (ES256): a DIGEST request with the SHA-256 of tbs, a DER signature that node:crypto verifies', async () => {
    const key = generateKey({ country: 'DE', commonName: 'DSC AWS' });
    const { client, SignCommand, requests } = awsStandIn(key.keyPem);
    const dsc = kms.kmsIssuer('ES256', kms.awsKms(client, SignCommand, 'alias/dcc'), key.certPem);
    // Fixed times: preparing again gives the same bytes to be signed.
    const opts = { iss: 'DE', issuedAt: now, validity: { forSeconds: 86_400 } };
    const { tbs } = dsc.issuer.prepare(payloadAt('vaccination', now), opts);
    const cert = await dsc.issue(payloadAt('vaccination', now), opts);

    assert.equal(requests.length, 1);
    const [req] = requests;
    assert.deepEqual([req.KeyId, req.MessageType, req.SigningAlgorithm], ['alias/dcc', 'DIGEST', 'ECDSA_SHA_256']);
    assert.deepEqual(Buffer.from(req.Message), sha256(tbs));
    // The stand-in answers DER, as AWS KMS does, over the digest it was given; finish put it
    // into the COSE as raw r || s, which node:crypto verifies over the tbs.
    const publicKey = new crypto.X509Certificate(key.certPem).publicKey;
    const der = await kms.localKms(key.keyPem)(sha256(tbs));
    assert.equal(der[0], 0x30);
    assert.ok(crypto.verify('sha256', tbs, { key: publicKey, dsaEncoding: 'der' }, der));
    assert.ok(crypto.verify('sha256', tbs, { key: publicKey, dsaEncoding: 'ieee-p1363' }, cert.cose.subarray(-64)));

    const result = Verifier.fromCerts([key.certPem]).verify(cert.hc1);
    assert.equal(result.valid, true, JSON.stringify(result.failures));
    assert.equal(result.signer.subject, 'CN=DSC AWS,C=DE');
  });

  test('Google Cloud KMS (ES256): asymmetricSign with digest.sha256; the signature as a Buffer', async () => {
    const key = generateKey({ country: 'FR', commonName: 'DSC GCP' });
    const sign = kms.localKms(key.keyPem);
    const requests = [];
    const client = {
      async asymmetricSign(request) {
        requests.push(request);
        return [{ signature: Buffer.from(await sign(request.digest.sha256)), name: request.name }, undefined, undefined];
      },
    };
    const name = 'projects/p/locations/europe-west3/keyRings/dcc/cryptoKeys/dsc/cryptoKeyVersions/1';
    const dsc = kms.kmsIssuer('ES256', kms.googleKms(client, name), key.certPem);
    const cert = await dsc.issue(payloadAt('test', now));
    assert.equal(requests.length, 1);
    assert.equal(requests[0].name, name);
    assert.deepEqual(Object.keys(requests[0].digest), ['sha256']);
    assert.equal(cert.certificateType, 'test');
    assert.equal(Verifier.fromCerts([key.certPem]).verify(cert.hc1).valid, true);
  });

  test('PS256: an RSA key through RSASSA_PSS_SHA_256 (salt length 32)', async () => {
    const g = json(golden('issued-vaccination-ps256.json'));
    const { client, SignCommand, requests } = awsStandIn(rsaKey);
    const dsc = kms.kmsIssuer('PS256', kms.awsKms(client, SignCommand, 'rsa-key', 'PS256'), ps256Cert);
    const cert = await dsc.issue(g.payload, { iss: g.iss, issuedAt: g.iat, validity: { until: g.exp } });
    assert.equal(requests[0].SigningAlgorithm, 'RSASSA_PSS_SHA_256');
    assert.equal(cert.algorithm, 'PS256');
    const result = Verifier.fromCerts([ps256Cert]).verify(cert.hc1, g.iat + 60);
    assert.equal(result.valid, true, JSON.stringify(result.failures));
  });

  test('errors: the KMS refuses (SigningFailedError), answers garbage, signs with another key, or is never asked', async () => {
    const key = generateKey();
    const payload = payloadAt('recovery', now);
    const refusing = kms.kmsIssuer('ES256', async () => {
      throw new Error('AccessDeniedException: not authorized to perform kms:Sign');
    }, key.certPem);
    await assert.rejects(refusing.issue(payload), (e) => {
      assert.ok(e instanceof SigningFailedError && e instanceof DccError);
      assert.equal(e.code, 'signing_failed');
      assert.match(e.message, /AccessDeniedException/);
      return true;
    });
    const garbage = kms.kmsIssuer('ES256', async () => new Uint8Array([0x30, 0x02, 0x01]), key.certPem);
    await assert.rejects(garbage.issue(payload), (e) => e instanceof SigningFailedError);

    // Another key: a certificate comes out, and verification refuses its signature.
    const other = kms.kmsIssuer('ES256', kms.localKms(generateKey().keyPem), key.certPem);
    const forged = await other.issue(payload);
    const result = Verifier.fromCerts([key.certPem]).verify(forged.hc1);
    assert.equal(result.valid, false);
    assert.equal(result.checks.signature.status, 'failed');

    // Validation and algorithm errors come before any KMS call.
    let calls = 0;
    const counting = kms.kmsIssuer('ES256', async (d) => {
      calls += 1;
      return kms.localKms(key.keyPem)(d);
    }, key.certPem);
    await assert.rejects(counting.issue({ ...payload, dob: 'yesterday' }), (e) => e instanceof ValidationFailedError);
    assert.equal(calls, 0);
    expectCode(assert, DccError, () => kms.kmsIssuer('PS256', async () => new Uint8Array(), key.certPem), 'invalid_key');
    // The issuer's own (synchronous) issue says what to use.
    expectCode(assert, DccError, () => counting.issuer.issue(payload), 'signing_failed');
  });

  test('issueBatch: in order, one error in place, at most `concurrency` KMS calls at a time', async () => {
    const key = generateKey({ country: 'AT', commonName: 'DSC batch' });
    const sign = kms.localKms(key.keyPem);
    let running = 0;
    let peak = 0;
    const dsc = kms.kmsIssuer('ES256', async (digest) => {
      running += 1;
      peak = Math.max(peak, running);
      try {
        return await sign(digest);
      } finally {
        running -= 1;
      }
    }, key.certPem);
    const payloads = Array.from({ length: 12 }, (_, i) => {
      const p = payloadAt('vaccination', now);
      p.v[0].ci = `URN:UVCI:01:AT:BATCH${i}#X`;
      return i === 5 ? { ...p, dob: 'never' } : p;
    });
    const results = await dsc.issueBatch(payloads, { iss: 'AT' }, 3);
    assert.equal(results.length, 12);
    assert.ok(results[5] instanceof ValidationFailedError);
    assert.ok(peak > 1 && peak <= 3, `peak ${peak}`);
    const verifier = Verifier.fromCerts([key.certPem]);
    for (const [i, c] of results.entries()) {
      if (i === 5) continue;
      assert.equal(c.payload.v[0].ci, `URN:UVCI:01:AT:BATCH${i}#X`);
      assert.equal(verifier.verify(c.hc1).valid, true, `#${i}`);
    }
  });

  test('ships in the package, as the README links to it', () => {
    const shipped = new URL('examples/kms-signer.mjs', import.meta.resolve('dcc-kit/package.json'));
    assert.equal(fs.readFileSync(shipped, 'utf8'), fs.readFileSync(source, 'utf8'));
  });

  test('type-checks against the package declarations (tsc --strict --checkJs)', () => {
    const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [
      tsc, '--noEmit', '--strict', '--allowJs', '--checkJs', '--skipLibCheck', '--target', 'es2022',
      '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--pretty', 'false', copy,
    ], { cwd: here, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
