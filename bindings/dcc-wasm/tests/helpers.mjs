// Shared test data: the repository's golden files (tests/golden) and example payloads.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../../..');
export const golden = (name) => path.join(repo, 'tests', 'golden', name);
/** A file of the repository's revocation vectors (tests/vectors/revocation). */
export const revocationVector = (name) => path.join(repo, 'tests', 'vectors', 'revocation', name);
export const text = (file) => fs.readFileSync(file, 'utf8');
export const json = (file) => JSON.parse(text(file));

export const es256Key = text(golden('es256-key.pem'));
export const es256Cert = text(golden('dsc-es256.pem'));
export const rsaKey = text(golden('rsa-key.pem'));
export const ps256Cert = text(golden('dsc-ps256.pem'));
export const example = (type) => json(path.join(repo, 'examples', `${type}.json`));
export const TYPES = ['vaccination', 'test', 'recovery'];

/** Seconds since the epoch to a Date. */
export const date = (secs) => new Date(secs * 1000);

/** The base64 DER body of a PEM certificate. */
export const pemBody = (pem) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** Asserts that `fn` throws a DccError with `code` (and returns the error). */
export function expectCode(assert, DccError, fn, code) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected a DccError ${code}, nothing was thrown`);
  assert.ok(caught instanceof DccError, `expected a DccError, got ${caught}`);
  assert.ok(caught instanceof Error);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/**
 * A payload of `type` whose dates fit certificates issued at `at` (seconds): the recovery's
 * validity window must contain the issuing time, the test must be before it.
 */
export function payloadAt(type, at) {
  const p = example(type);
  const day = (offsetDays) => new Date((at + offsetDays * 86400) * 1000).toISOString().slice(0, 10);
  if (type === 'recovery') Object.assign(p.r[0], { fr: day(-20), df: day(-9), du: day(160) });
  if (type === 'test') p.t[0].sc = new Date((at - 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  if (type === 'vaccination') p.v[0].dt = day(-30);
  return p;
}

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** RFC 9285 Base45, written here so that tests do not rely on the code under test. */
export function base45(bytes) {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    out += B45[n % 45];
    n = Math.floor(n / 45);
    out += B45[n % 45] + B45[Math.floor(n / 45)];
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1];
    out += B45[n % 45] + B45[Math.floor(n / 45)];
  }
  return out;
}

/** `HC1:` text for COSE bytes (zlib + Base45), independently of the package. */
export async function hc1FromCose(cose) {
  const zlib = await import('node:zlib');
  return 'HC1:' + base45(zlib.deflateSync(Buffer.from(cose)));
}
