// Revocation through the installed package: the three revocation hashes (the Corona-Warn-App
// vectors, and recomputed here with node:crypto), Verifier.withRevocation with gateway batches
// and with EU Bloom filters built by this file (a builder checked against the dgc-bloomfilter
// reference vectors first), and the typed error for malformed revocation data.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';

import * as dcc from 'dcc-kit';
import {
  DccError,
  InvalidRevocationDataError,
  Issuer,
  Verification,
  VerificationFailedError,
  Verifier,
  checkCodes,
  errorCodes,
  revocationHashes,
} from 'dcc-kit';

import { expectCode, json, payloadAt, revocationVector } from './helpers.mjs';

const AT = 1_748_736_000; // 2025-06-01, inside the demo DSC's validity
const LATER = AT + 3600;
const HASH_TYPES = ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'];
const KEY = { UCI: 'uci', COUNTRYCODEUCI: 'countryCodeUci', SIGNATURE: 'signature' };

const sha16 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, 16);
};
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const hexToB64 = (hex) => Buffer.from(hex, 'hex').toString('base64');

const issuer = Issuer.demo();
/** A demo vaccination certificate issued at AT with this certificate identifier. */
const issue = (ci) => {
  const p = payloadAt('vaccination', AT);
  p.v[0].ci = ci;
  return issuer.issue(p, { issuedAt: AT, iss: 'AT' });
};
/** A gateway batch (JSON text). */
const batch = (hashType, hashes, { kid = 'UNKNOWN_KID', country = 'AT' } = {}) =>
  JSON.stringify({ country, expires: '2031-01-01T00:00:00Z', kid, hashType, entries: hashes.map((hash) => ({ hash })) });

/**
 * The EU revocation Bloom filter (dgc-bloomfilter), written here from the format's description
 * (crates/dcc/src/revocation.rs) so that the test does not rely on the code under test: sizing
 * from n and p as the reference does; bit i of an element is SHA-256(element || byte i) read
 * as a signed big-endian integer, modulo the number of bits; bit b is 0x80000000 >>> (b % 32) of
 * word b / 32; serialised big-endian as version (i16 = 1), k (u8), hash function (u8 = 0),
 * p (f32), n (i32), count (i32), number of words (i32), the words.
 */
class Bloom {
  constructor(n, p) {
    this.n = n;
    this.p = Math.fround(p);
    const bits = Math.ceil((n * Math.log(this.p)) / Math.log(1 / Math.pow(2, Math.LN2)));
    const bytes = Math.floor(bits / 8) + 1;
    this.words = new Uint32Array(Math.floor(bytes / 4) + (bytes % 4));
    this.m = BigInt(this.words.length * 32);
    this.k = Math.min(127, Math.max(1, Math.floor((this.words.length * 32) / n * Math.LN2 + 0.5)));
    this.count = 0;
  }

  #index(element, i) {
    const digest = createHash('sha256').update(element).update(Uint8Array.of(i)).digest();
    let x = BigInt(`0x${digest.toString('hex')}`);
    if (digest[0] & 0x80) x -= 1n << 256n;
    return Number(((x % this.m) + this.m) % this.m);
  }

  add(element) {
    for (let i = 0; i < this.k; i++) {
      const b = this.#index(element, i);
      this.words[b >>> 5] |= 0x80000000 >>> (b % 32);
    }
    this.count++;
    return this;
  }

  mightContain(element) {
    for (let i = 0; i < this.k; i++) {
      const b = this.#index(element, i);
      if ((this.words[b >>> 5] & (0x80000000 >>> (b % 32))) === 0) return false;
    }
    return true;
  }

  toBytes() {
    const out = new Uint8Array(20 + 4 * this.words.length);
    const view = new DataView(out.buffer);
    view.setInt16(0, 1);
    view.setUint8(2, this.k);
    view.setUint8(3, 0);
    view.setFloat32(4, this.p);
    view.setInt32(8, this.n);
    view.setInt32(12, this.count);
    view.setInt32(16, this.words.length);
    this.words.forEach((w, i) => view.setUint32(20 + 4 * i, w));
    return out;
  }
}

describe('revocation hashes', () => {
  const cases = json(revocationVector('cwa-revocation-hashes.json'));

  test('the Corona-Warn-App vectors give their expected hashes (ES256 and PS256)', () => {
    assert.equal(cases.length, 3);
    for (const c of cases) {
      const h = revocationHashes(c.barcodeData);
      assert.deepEqual(
        h,
        {
          uci: hexToB64(c.expUCI),
          countryCodeUci: hexToB64(c.expCOUNTRYCODEUCI),
          signature: hexToB64(c.expSIGNATURE),
          uciHex: c.expUCI,
          countryCodeUciHex: c.expCOUNTRYCODEUCI,
          signatureHex: c.expSIGNATURE,
        },
        c.description,
      );
      assert.equal(h.signature.length, 24);
      // The same hashes from a verification (the vectors' signers are not trusted here: the
      // signature check fails, the hashes are still those of the certificate).
      const v = Verifier.demo().verify(c.barcodeData);
      assert.ok(v instanceof Verification);
      assert.equal(v.valid, false);
      assert.deepEqual(v.revocationHashes(), h, c.description);
    }
  });

  test('an issued certificate: the same hashes from the certificate, the HC1 text and its verification, recomputed with node:crypto', () => {
    const ci = 'URN:UVCI:01:AT:HASHES01#4';
    const cert = issue(ci);
    const h = cert.revocationHashes();
    assert.deepEqual(Object.keys(h).sort(), ['countryCodeUci', 'countryCodeUciHex', 'signature', 'signatureHex', 'uci', 'uciHex']);
    assert.deepEqual(revocationHashes(cert.hc1), h);
    assert.deepEqual(Verifier.demo().verify(cert.hc1, LATER).revocationHashes(), h);
    assert.equal(h.uci, b64(sha16(ci)));
    assert.equal(h.countryCodeUci, b64(sha16('AT', ci)));
    // ES256: the COSE_Sign1 ends with the 64-byte signature (bstr header 0x58 0x40); only r,
    // its first half, is hashed.
    const cose = cert.cose;
    assert.deepEqual([...cose.subarray(-66, -64)], [0x58, 0x40]);
    assert.equal(h.signature, b64(sha16(cose.subarray(-64, -32))));
    for (const t of HASH_TYPES) {
      assert.equal(Buffer.from(h[KEY[t]], 'base64').toString('hex'), h[`${KEY[t]}Hex`], t);
    }
    // Two certificates, two sets of hashes.
    const other = issue('URN:UVCI:01:AT:HASHES02#5').revocationHashes();
    for (const t of HASH_TYPES) assert.notEqual(other[KEY[t]], h[KEY[t]], t);
  });

  test('errors: HC1 text that is not a certificate, and arguments that are not text', () => {
    expectCode(assert, DccError, () => revocationHashes('HC1:not base45!'), 'invalid_base45');
    expectCode(assert, DccError, () => revocationHashes(''), 'empty_input');
    expectCode(assert, DccError, () => revocationHashes(42), 'invalid_argument');
    expectCode(assert, DccError, () => revocationHashes(new Uint8Array(4)), 'invalid_argument');
  });
});

describe('Verifier.withRevocation: gateway batches', () => {
  const revoked = issue('URN:UVCI:01:AT:REVOKED1#1');
  const kept = issue('URN:UVCI:01:AT:KEPT0001#2');
  const hashes = revoked.revocationHashes();

  test('without revocation data the check is skipped and does not decide', () => {
    const v = Verifier.demo().verify(revoked.hc1, LATER);
    assert.equal(v.valid, true);
    assert.deepEqual(v.checks.revocation, { status: 'skipped', code: null, message: 'not checked: no revocation data supplied' });
    assert.equal(v.revokedBy, null);
  });

  for (const hashType of HASH_TYPES) {
    test(`a ${hashType} hash in a batch revokes its certificate; another stays valid`, () => {
      const hash = hashes[KEY[hashType]];
      const plain = Verifier.demo();
      const verifier = plain.withRevocation([batch(hashType, [hash], { kid: revoked.kid })]);
      assert.ok(verifier instanceof Verifier);
      assert.notEqual(verifier, plain);

      const v = verifier.verify(revoked.hc1, LATER);
      assert.equal(v.valid, false);
      assert.equal(v.checks.revocation.status, 'failed');
      assert.equal(v.checks.revocation.code, 'revoked');
      assert.match(v.checks.revocation.message, new RegExp(hashType));
      assert.deepEqual(v.failures.map((f) => f.code), ['revoked']);
      assert.equal(v.checks.signature.status, 'passed');
      assert.deepEqual(v.revokedBy, { hashType, hash, source: { kind: 'batch', country: 'AT', kid: revoked.kid, name: null } });
      // The native object is the facade's view in camelCase.
      assert.equal(JSON.parse(v.toJson()).revoked_by.hash_type, hashType);
      const e = expectCode(assert, DccError, () => v.ensureValid(), 'verification_failed');
      assert.ok(e instanceof VerificationFailedError);
      assert.deepEqual(e.failures.map((f) => f.code), ['revoked']);

      const ok = verifier.verify(kept.hc1, LATER);
      assert.equal(ok.valid, true, JSON.stringify(ok.failures));
      assert.deepEqual(ok.checks.revocation, { status: 'passed', code: null, message: null });
      assert.equal(ok.revokedBy, null);
      // The verifier it was made from is unchanged.
      assert.equal(plain.verify(revoked.hc1, LATER).checks.revocation.status, 'skipped');
    });
  }

  test('text or bytes, one batch or an array of them, several files at once', () => {
    const uci = batch('UCI', [hashes.uci]);
    const filler = batch('SIGNATURE', [kept.revocationHashes().uci]); // a UCI hash in a SIGNATURE batch
    const inputs = [
      [uci],
      [new TextEncoder().encode(uci)],
      [Buffer.from(uci)],
      [new TextEncoder().encode(uci).buffer],
      [`[${filler},${uci}]`],
      [filler, uci],
      [`{"batches":[${uci}]}`],
    ];
    for (const data of inputs) {
      const v = Verifier.demo().withRevocation(data).verify(revoked.hc1, LATER);
      assert.equal(v.checks.revocation.code, 'revoked', JSON.stringify(data).slice(0, 80));
      assert.equal(v.revokedBy.hashType, 'UCI');
    }
    // A hash listed under another hash type, or for another kid, does not revoke.
    const wrongType = Verifier.demo().withRevocation([filler]);
    assert.equal(wrongType.verify(kept.hc1, LATER).valid, true);
    const otherKid = Verifier.demo().withRevocation([batch('SIGNATURE', [hashes.signature], { kid: 'AAAAAAAAAAA=' })]);
    assert.equal(otherKid.verify(revoked.hc1, LATER).valid, true);
    // Other settings of the verifier are kept.
    const skewed = Verifier.demo().withClockSkew(120).withRevocation([uci]);
    assert.equal(skewed.verify(revoked.hc1, AT - 60).checks.validity.status, 'passed');
    assert.equal(skewed.verify(revoked.hc1, AT - 60).checks.revocation.code, 'revoked');
    // An empty list of files: checked against nothing.
    const none = Verifier.demo().withRevocation([]).verify(revoked.hc1, LATER);
    assert.equal(none.valid, true);
    assert.equal(none.checks.revocation.status, 'passed');
  });
});

describe('Verifier.withRevocation: Bloom filters', () => {
  test('the builder of this test reproduces the dgc-bloomfilter reference vectors', () => {
    const cases = json(revocationVector('bloomfilter-filter-test.json'));
    assert.equal(cases.length, 4);
    for (const [i, c] of cases.entries()) {
      const f = new Bloom(c.data.length, c.p);
      c.data.forEach((d, j) => c.written[j] === 1 && f.add(d));
      const reference = JSON.parse(Buffer.from(c.filter, 'base64').toString('utf8'));
      assert.deepEqual([...new Int32Array(f.words.buffer)], reference, `case ${i}`);
      assert.equal(`[${c.data.map((d) => Number(f.mightContain(d))).join(', ')}]`, c.exists, `case ${i}`);
    }
    // BloomFilterUnitTest.testProbabilistcRate3: n = 10000, p = 1e-5 gives k = 17, m = 239680.
    const big = new Bloom(10_000, 0.00001);
    assert.deepEqual([big.k, big.words.length * 32], [17, 239_680]);
  });

  test('a filter of SIGNATURE hashes revokes exactly its certificates', () => {
    const certs = Array.from({ length: 30 }, (_, i) => issue(`URN:UVCI:01:AT:BLOOM${String(i).padStart(4, '0')}#X`));
    const filter = new Bloom(10, 1e-12);
    for (const c of certs.slice(0, 10)) filter.add(Buffer.from(c.revocationHashes().signatureHex, 'hex'));
    const verifier = Verifier.demo().withRevocation([filter.toBytes()]);
    for (const [i, c] of certs.entries()) {
      const v = verifier.verify(c.hc1, LATER);
      assert.equal(v.valid, i >= 10, `certificate ${i}`);
      if (i < 10) {
        assert.equal(v.checks.revocation.code, 'revoked');
        assert.deepEqual(v.revokedBy, {
          hashType: 'SIGNATURE',
          hash: c.revocationHashes().signature,
          source: { kind: 'bloom_filter', country: null, kid: null, name: null },
        });
      } else {
        assert.equal(v.checks.revocation.status, 'passed');
        assert.equal(v.revokedBy, null);
      }
    }
  });

  test('a filter of UCI hashes, next to a batch', () => {
    const a = issue('URN:UVCI:01:AT:BLOOMUCI1#A');
    const b = issue('URN:UVCI:01:AT:BLOOMUCI2#B');
    const c = issue('URN:UVCI:01:AT:BLOOMUCI3#C');
    const filter = new Bloom(4, 1e-9).add(Buffer.from(a.revocationHashes().uciHex, 'hex'));
    const verifier = Verifier.demo().withRevocation([filter.toBytes(), batch('COUNTRYCODEUCI', [b.revocationHashes().countryCodeUci])]);
    const va = verifier.verify(a.hc1, LATER);
    assert.deepEqual([va.valid, va.revokedBy.hashType, va.revokedBy.source.kind], [false, 'UCI', 'bloom_filter']);
    const vb = verifier.verify(b.hc1, LATER);
    assert.deepEqual([vb.valid, vb.revokedBy.hashType, vb.revokedBy.source.kind], [false, 'COUNTRYCODEUCI', 'batch']);
    assert.equal(verifier.verify(c.hc1, LATER).valid, true);
  });
});

describe('malformed revocation data', () => {
  const good = '"AAAAAAAAAAAAAAAAAAAAAA=="';
  const fields = (over) =>
    JSON.stringify({ country: 'AT', expires: '2031-01-01T00:00:00Z', kid: 'UNKNOWN_KID', hashType: 'UCI', entries: [{ hash: JSON.parse(good) }], ...over });
  const filter = new Bloom(4, 0.01).add('x').toBytes();
  const patched = (at, bytes) => {
    const f = filter.slice();
    f.set(bytes, at);
    return f;
  };

  test('InvalidRevocationDataError is one of the error classes; revoked is a check code', () => {
    assert.ok(errorCodes().includes('invalid_revocation_data'));
    assert.ok(errorCodes().includes('ledger_failed'));
    assert.equal(typeof dcc.LedgerFailedError, 'function');
    assert.equal(new dcc.LedgerFailedError('x').code, 'ledger_failed');
    assert.ok(checkCodes().includes('revoked'));
  });

  const cases = {
    'not JSON': '{not json',
    'missing entries': fields({ entries: undefined }),
    'no entries': fields({ entries: [] }),
    'a 15-byte hash': fields({ entries: [{ hash: b64(new Uint8Array(15)) }] }),
    'a 32-byte hash': fields({ entries: [{ hash: b64(new Uint8Array(32)) }] }),
    'a hash that is not base64': fields({ entries: [{ hash: '!!!!' }] }),
    'an unknown hash type': fields({ hashType: 'MD5' }),
    'a country that is not a code': fields({ country: 'Austria' }),
    'an expiry that is no instant': fields({ expires: 'soon' }),
    'a kid of 3 bytes': fields({ kid: 'AAAA' }),
    'one bad batch among good ones': `[${fields({})},{"country":"AT"}]`,
    'an empty file': new Uint8Array(0),
    'a short filter': Uint8Array.of(0, 1, 1, 0, 0),
    'filter version 2': patched(0, [0, 2]),
    'filter k = 0': patched(2, [0]),
    'filter hash function 1': patched(3, [1]),
    'a truncated filter': filter.subarray(0, filter.length - 1),
    'a filter with a trailing byte': Uint8Array.from([...filter, 0]),
    'a negative word count': patched(16, [0xff, 0xff, 0xff, 0xff]),
  };
  test('the unchanged inputs are accepted (the cases below differ in one thing)', () => {
    assert.ok(Verifier.demo().withRevocation([fields({}), filter]) instanceof Verifier);
  });
  for (const [name, data] of Object.entries(cases)) {
    test(`${name}: InvalidRevocationDataError`, () => {
      const e = expectCode(assert, DccError, () => Verifier.demo().withRevocation([data]), 'invalid_revocation_data');
      assert.ok(e instanceof InvalidRevocationDataError, e.name);
      assert.equal(e.name, 'InvalidRevocationDataError');
      assert.ok(e.message.length > 0);
    });
  }

  test('arguments that are not a list of text or bytes', () => {
    const bad = [undefined, null, 'a batch as a string, not in an array', new Uint8Array(24), new ArrayBuffer(8), 42, [42], [{ country: 'AT' }], [null]];
    for (const data of bad) {
      const e = expectCode(assert, DccError, () => Verifier.demo().withRevocation(data), 'invalid_revocation_data');
      assert.ok(e instanceof InvalidRevocationDataError);
    }
  });
});
