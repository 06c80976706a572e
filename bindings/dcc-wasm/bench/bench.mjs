// Benchmark, not a test: in one Node process, with the same payload, key and times, compare
//   issuing:  dcc-kit (WebAssembly)  vs  @pathcheck/dcc-sdk (the DCC issuer on npm: cbor +
//             pako + base45 in JavaScript, ECDSA through WebCrypto)  vs  a pipeline hand-built
//             from the popular pure-JavaScript packages (cbor, cose-js with elliptic, pako,
//             base45)
//   QR PNG:   dcc-kit Certificate.toPng(4)  vs  the qrcode package's toBuffer (ECC Q, scale 4,
//             margin 4)
// and report medians. Every output is checked by dcc-kit's verifier first.
//   cd bindings/dcc-wasm && npm run pack && cd bench && npm install &&
//   npm install --no-save ../dist/dcc-kit-*.tgz && node bench.mjs
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Issuer, Verifier, version } from 'dcc-kit';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const golden = (f) => path.resolve(here, '../../../tests/golden', f);
register('../tests/sdk-hooks.mjs', import.meta.url); // @pathcheck/dcc-sdk on Node 20
const sdk = await import('@pathcheck/dcc-sdk/lib/main.js');
const cbor = require('cbor');
const cose = require('cose-js');
const pako = require('pako');
const base45 = require('base45');
const QRCode = require('qrcode');

const keyPem = fs.readFileSync(golden('es256-key.pem'), 'utf8');
const certPem = fs.readFileSync(golden('dsc-es256.pem'), 'utf8');
const { payload, iat } = JSON.parse(fs.readFileSync(golden('issued-vaccination-es256.json'), 'utf8'));
const exp = iat + 30 * 86400;
const verifier = Verifier.fromCerts([certPem]);
const at = iat + 60;
const certDer = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const kid = crypto.createHash('sha256').update(certDer).digest().subarray(0, 8);
const cwt = () => new Map([[1, 'XX'], [6, iat], [4, exp], [-260, new Map([[1, payload]])]]);

// --- the contenders ---------------------------------------------------------------------------

// The package's default in Node: Issuer.fromPem signs ES256 through node:crypto (OpenSSL).
const issuer = Issuer.fromPem(keyPem, certPem);
const options = { iss: 'XX', issuedAt: iat, validity: { forSeconds: exp - iat } };
const issueWith = (i) => () => {
  const cert = i.issue(payload, options);
  const hc1 = cert.hc1;
  cert.free();
  return hc1;
};
const dccKitIssue = issueWith(issuer);
// RFC 6979 inside the WebAssembly module, as in browsers.
const dccKitInModuleIssue = issueWith(Issuer.fromPemDeterministic(keyPem, certPem));

const pathcheckIssue = () => sdk.signAndPack(cwt(), certPem, keyPem);

const d = Buffer.from(crypto.createPrivateKey(keyPem).export({ format: 'jwk' }).d, 'base64url');
async function pureJsIssue() {
  const sign1 = await cose.sign.create({ p: { alg: 'ES256', kid }, u: {} }, cbor.encode(cwt()), { key: { d } });
  return `HC1:${base45.encode(pako.deflate(sign1))}`;
}

const cert = issuer.issue(payload, options);
const dccKitPng = () => cert.toPng(4);
const qrcodePng = () => QRCode.toBuffer(cert.hc1, { errorCorrectionLevel: 'Q', scale: 4, margin: 4 });

// --- correctness first ------------------------------------------------------------------------

for (const [name, hc1] of [
  ['dcc-kit', dccKitIssue()],
  ['dcc-kit deterministic (in wasm)', dccKitInModuleIssue()],
  ['@pathcheck/dcc-sdk', await pathcheckIssue()],
  ['cbor+cose-js+pako+base45', await pureJsIssue()],
]) {
  const r = verifier.verify(hc1, at);
  if (!r.valid) throw new Error(`${name} issued an invalid certificate: ${JSON.stringify(r.failures)}`);
}
for (const [name, png] of [['dcc-kit', dccKitPng()], ['qrcode', await qrcodePng()]]) {
  if (verifier.verifyImage(new Uint8Array(png), at).hc1 !== cert.hc1) throw new Error(`${name} PNG does not scan`);
}

// --- timing -----------------------------------------------------------------------------------

async function median(fn, { warmup = 30, runs = 300 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1];
}

const rows = [];
const measure = async (group, name, fn, opts) => {
  const us = await median(fn, opts);
  rows.push({ group, name, us });
  return us;
};

const ours = await measure('issue', 'dcc-kit Issuer.fromPem (Node default: OpenSSL ECDSA)', dccKitIssue);
const oursInModule = await measure('issue', 'dcc-kit fromPem deterministic (P-256 in wasm)', dccKitInModuleIssue);
const pathcheck = await measure('issue', '@pathcheck/dcc-sdk 0.0.27 (JS, WebCrypto ECDSA)', pathcheckIssue);
const pure = await measure('issue', 'cbor + cose-js/elliptic + pako + base45 (pure JS)', pureJsIssue, { runs: 200 });
const png = await measure('qr-png', 'dcc-kit toPng(4) (wasm)', dccKitPng);
const qrcode = await measure('qr-png', 'qrcode 1.5.4 toBuffer', qrcodePng, { warmup: 10, runs: 100 });
await measure('verify', 'dcc-kit verify (wasm)', () => verifier.verify(cert.hc1, at));

const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(0)} µs`);
console.log(`dcc-kit ${version()} · Node ${process.version} · ${os.cpus()[0].model} · medians, same payload and key\n`);
for (const r of rows) console.log(`${r.group.padEnd(7)} ${r.name.padEnd(52)} ${fmt(r.us).padStart(10)}`);
const fastestJs = Math.min(pathcheck, pure);
console.log(`\nissuing: dcc-kit is ${(fastestJs / ours).toFixed(1)}x faster than the fastest JavaScript issuer (target 5x); ${(fastestJs / oursInModule).toFixed(1)}x with P-256 inside the module (deterministic, as in browsers)`);
console.log(`QR PNG:  dcc-kit is ${(qrcode / png).toFixed(1)}x faster than qrcode (target 10x)`);
