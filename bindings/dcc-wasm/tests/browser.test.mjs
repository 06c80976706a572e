// The demo page in headless Chromium (Debian `chromium` + playwright-core), with the browser
// build of the INSTALLED package mounted at /dcc-kit/: fill the form, issue, read the QR code
// off the page and verify it; verify known certificates through the verify tab; screenshots
// in test-artifacts/. Also the browser build itself, in the page: revocation with a gateway batch,
// signed trust lists (a bare-key signer), business rules and printing (toPdf, rendered by poppler).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Issuer, TrustList, Verifier, demoCertificatePem, loadRules, readQr } from 'dcc-kit';
import { chromium } from 'playwright-core';

import { es256Cert, golden, here, json, payloadAt } from './helpers.mjs';
import { serve } from './serve.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = path.resolve(here, '..', 'test-artifacts');
const demoDir = path.resolve(here, '..', 'demo');
const installed = path.dirname(new URL(import.meta.resolve('dcc-kit/package.json')).pathname);

let browser;
let page;
let server;
let base;
const requests = [];
const consoleErrors = [];

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  ({ server, url: base } = await serve(demoDir, 0, { '/dcc-kit/': installed }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 1400 } });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

describe('demo page', () => {
  test('issues a vaccination certificate whose QR code, read off the page, verifies', async () => {
    await page.click('#tab-issue-button');
    await page.check('#type-v');
    await page.fill('#fn', 'Dvořák Nováková');
    await page.fill('#gn', 'Jiřina');
    assert.equal(await page.inputValue('#fnt'), 'DVORAK<NOVAKOVA', 'ICAO name filled in as typed');
    assert.equal(await page.inputValue('#gnt'), 'JIRINA');
    await page.fill('#dob', '1971-03-04');
    await page.selectOption('#v-mp', 'EU/1/20/1507');
    await page.selectOption('#v-ma', 'ORG-100031184');
    await page.fill('#v-dn', '3');
    await page.fill('#v-sd', '3');
    const dt = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('#v-dt', dt);
    await page.fill('#co', 'CZ');
    await page.fill('#is', 'Ministry of Health of the Czech Republic');
    await page.fill('#iss', 'CZ');
    await page.fill('#valid-days', '200');
    await page.click('#ci-generate');
    const ci = await page.inputValue('#ci');
    assert.match(ci, /^URN:UVCI:01:CZ:DCCKIT\//);
    await page.click('#issue');
    await page.waitForSelector('#issued:not([hidden])');
    assert.equal(await page.isVisible('#issue-error'), false);

    // The QR code as rendered on screen, captured from the page.
    const shot = await page.locator('#qr').screenshot();
    fs.writeFileSync(path.join(artifacts, 'qr-from-page.png'), shot);
    const hc1 = readQr(new Uint8Array(shot));
    assert.equal(hc1, await page.inputValue('#hc1'));
    const r = Verifier.demo().verify(hc1);
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    assert.equal(r.claims.iss, 'CZ');
    assert.equal(r.claims.exp - r.claims.iat, 200 * 86400);
    assert.deepEqual(r.payload, {
      ver: '1.3.0',
      nam: { fn: 'Dvořák Nováková', fnt: 'DVORAK<NOVAKOVA', gn: 'Jiřina', gnt: 'JIRINA' },
      dob: '1971-03-04',
      v: [{ tg: '840539006', vp: '1119349007', mp: 'EU/1/20/1507', ma: 'ORG-100031184', dn: 3, sd: 3,
            dt, co: 'CZ', is: 'Ministry of Health of the Czech Republic', ci }],
    });

    // The PNG download is the same certificate.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'dcc-vaccination.png');
    const png = fs.readFileSync(await download.path());
    assert.equal(readQr(new Uint8Array(png)), hc1);
    await page.screenshot({ path: path.join(artifacts, 'issue.png'), fullPage: true });
  });

  test('a test certificate and a refused payload', async () => {
    await page.check('#type-t');
    await page.fill('#valid-days', '');
    await page.click('#issue');
    await page.waitForSelector('#issued:not([hidden])');
    const r = Verifier.demo().verify(await page.inputValue('#hc1'));
    assert.equal(r.valid, true, JSON.stringify(r.failures));
    assert.equal(r.payload.t[0].tt, 'LP217198-3');
    assert.equal(r.claims.exp - r.claims.iat, 72 * 3600, 'default validity of a test');

    await page.fill('#dob', 'yesterday');
    await page.click('#issue');
    await page.waitForSelector('#issue-error:not([hidden])');
    assert.equal(await page.getAttribute('#issue-error', 'data-code'), 'validation_failed');
    assert.match(await page.textContent('#issue-error'), /dob/);
    await page.fill('#dob', '1971-03-04');
  });

  test('verifies a known golden certificate through the verify tab, each check shown', async () => {
    const g = json(golden('issued-vaccination-es256.json'));
    await page.click('#tab-verify-button');
    await page.setInputFiles('#trust-file', golden('dsc-es256.pem'));
    await page.waitForFunction(() => document.getElementById('trust-list').textContent.includes('golden ES256'));
    await page.fill('#verify-hc1', g.hc1);
    await page.fill('#verify-at', new Date((g.iat + 3600) * 1000).toISOString().slice(0, 19));
    await page.click('#verify');
    await page.waitForSelector('#verified:not([hidden])');
    assert.equal(await page.getAttribute('#verify-valid', 'data-valid'), 'true');
    for (const check of ['signature', 'validity', 'keyUsage', 'payload']) {
      assert.equal(await page.getAttribute(`tr[data-check="${check}"]`, 'data-status'), 'passed', check);
    }
    // The page loads no revocation data: the check is shown as not done.
    assert.equal(await page.getAttribute('tr[data-check="revocation"]', 'data-status'), 'skipped');
    assert.match(await page.textContent('tr[data-check="revocation"]'), /no revocation data supplied/);
    assert.deepEqual(JSON.parse(await page.textContent('#verify-payload')), g.payload);
    assert.match(await page.textContent('#verify-details'), /CN=dcc-kit golden ES256/);
    await page.screenshot({ path: path.join(artifacts, 'verify.png'), fullPage: true });

    // The same certificate after its expiry: shown as not valid, with the failed check.
    await page.fill('#verify-at', new Date((g.exp + 60) * 1000).toISOString().slice(0, 19));
    await page.click('#verify');
    await page.waitForSelector('#verify-valid[data-valid="false"]');
    assert.equal(await page.getAttribute('tr[data-check="validity"]', 'data-status'), 'failed');
    assert.match(await page.textContent('tr[data-check="validity"]'), /expired/);
    assert.equal(await page.getAttribute('tr[data-check="signature"]', 'data-status'), 'passed');
  });

  test('verifies an uploaded QR image, and reports an unknown signer', async () => {
    const iat = 1_748_736_000; // 2025-06-01
    const cert = Issuer.demo().issue(payloadAt('recovery', iat), { issuedAt: iat, iss: 'AT' });
    const file = path.join(artifacts, 'recovery-upload.png');
    fs.writeFileSync(file, cert.toPng(5));
    await page.fill('#verify-at', new Date((iat + 86400) * 1000).toISOString().slice(0, 19));
    await page.setInputFiles('#verify-image', file);
    await page.click('#verify');
    await page.waitForSelector('#verify-valid[data-valid="true"]');
    assert.deepEqual(JSON.parse(await page.textContent('#verify-payload')), cert.payload);

    // A JPEG of the same code: the module reads PNG only, so the page redraws the upload on a
    // canvas and hands it over as PNG. The JPEG is made by the browser itself.
    const jpegBase64 = await page.evaluate(async (pngBase64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${pngBase64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0);
      return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
    }, Buffer.from(cert.toPng(5)).toString('base64'));
    const jpegFile = path.join(artifacts, 'recovery-upload.jpg');
    fs.writeFileSync(jpegFile, Buffer.from(jpegBase64, 'base64'));
    assert.deepEqual([...fs.readFileSync(jpegFile).subarray(0, 3)], [0xff, 0xd8, 0xff]);
    await page.setInputFiles('#verify-image', jpegFile);
    await page.click('#verify');
    await page.waitForSelector('#verify-valid[data-valid="true"]');
    assert.deepEqual(JSON.parse(await page.textContent('#verify-payload')), cert.payload);

    // Signed by a key the page does not trust.
    await page.setInputFiles('#verify-image', []);
    const stranger = Issuer.fromPem(fs.readFileSync(golden('es256-key.pem'), 'utf8'), es256Cert);
    await page.setInputFiles('#trust-file', []);
    const foreign = stranger.issue(payloadAt('vaccination', 1_625_097_600), { issuedAt: 1_625_097_600 });
    await page.fill('#verify-hc1', foreign.hc1);
    await page.fill('#verify-at', '2021-07-02T00:00:00');
    await page.click('#verify');
    await page.waitForSelector('#verify-valid[data-valid="false"]');
    assert.match(await page.textContent('tr[data-check="signature"]'), /unknown_kid/);
    assert.equal(await page.getAttribute('tr[data-check="keyUsage"]', 'data-status'), 'skipped');

    // Text that is no certificate: an error with its code.
    await page.fill('#verify-hc1', 'HC1:not a certificate');
    await page.click('#verify');
    await page.waitForSelector('#verify-error:not([hidden])');
    assert.equal(await page.getAttribute('#verify-error', 'data-code'), 'invalid_base45');
  });

  test('the browser build checks revocation: a batch revokes one certificate, not another', async () => {
    const iat = 1_748_736_000; // 2025-06-01
    const issue = (ci) => {
      const p = payloadAt('vaccination', iat);
      p.v[0].ci = ci;
      return Issuer.demo().issue(p, { issuedAt: iat });
    };
    const revoked = issue('URN:UVCI:01:AT:BROWSER1#R');
    const kept = issue('URN:UVCI:01:AT:BROWSER2#K');
    const hashes = revoked.revocationHashes();
    const batch = JSON.stringify({ country: 'AT', expires: '2031-01-01T00:00:00Z', kid: 'UNKNOWN_KID',
      hashType: 'COUNTRYCODEUCI', entries: [{ hash: hashes.countryCodeUci }] });
    const seen = await page.evaluate(async ({ batch, hc1s, at }) => {
      const dcc = await import('./dcc-kit/index.js');
      const verifier = dcc.Verifier.demo().withRevocation([new TextEncoder().encode(batch)]);
      let error = null;
      try {
        dcc.Verifier.demo().withRevocation(['{"hashType":"MD5"}']);
      } catch (e) {
        error = [e.name, e.code, e instanceof dcc.DccError];
      }
      return {
        hashes: dcc.revocationHashes(hc1s[0]),
        results: hc1s.map((hc1) => {
          const v = verifier.verify(hc1, at);
          return { valid: v.valid, revocation: v.checks.revocation.status, code: v.checks.revocation.code, revokedBy: v.revokedBy };
        }),
        error,
      };
    }, { batch, hc1s: [revoked.hc1, kept.hc1], at: iat + 3600 });
    assert.deepEqual(seen.hashes, hashes, 'the same hashes in the browser and in Node');
    assert.deepEqual(seen.results, [
      { valid: false, revocation: 'failed', code: 'revoked',
        revokedBy: { hashType: 'COUNTRYCODEUCI', hash: hashes.countryCodeUci, source: { kind: 'batch', country: 'AT', kid: null, name: null } } },
      { valid: true, revocation: 'passed', code: null, revokedBy: null },
    ]);
    assert.deepEqual(seen.error, ['InvalidRevocationDataError', 'invalid_revocation_data', true]);
  });

  test('the browser build loads signed trust lists and evaluates business rules, as Node does', async () => {
    const at = 1_767_225_600; // 2026-01-01
    const repoFile = (p) => path.resolve(here, '../../../tests', p);
    const keys = fs.readFileSync(repoFile('golden/trustlists/demo-keys.jwt'), 'utf8');
    const austrian = ['at-list.cbor', 'at-list.sig'].map((f) => fs.readFileSync(repoFile(`golden/trustlists/${f}`)).toString('base64'));
    const rules = fs.readFileSync(repoFile('golden/rules-xx.json'), 'utf8');
    const cert = Issuer.demo().issue(payloadAt('vaccination', at), { issuedAt: at, iss: 'XX' });
    const seen = await page.evaluate(async ({ keys, austrian, rules, hc1, at }) => {
      const dcc = await import('./dcc-kit/index.js');
      const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const anchor = dcc.demoCertificatePem();
      const list = dcc.TrustList.load(keys, null, anchor, { at: new Date(at * 1000), name: 'demo keys' });
      const v = dcc.Verifier.fromCerts([]).withTrustList(list).verify(hc1, at + 60);
      const at2 = dcc.TrustList.load(bytes(austrian[0]), bytes(austrian[1]), anchor, { at });
      const errors = [];
      for (const f of [() => dcc.TrustList.load(bytes(austrian[0]), bytes(austrian[1]), anchor, { at: at - 3 * 365 * 86400 }),
                       () => dcc.loadRules('[{}]'), () => dcc.evaluateCertlogic({ nope: [1] }, {})]) {
        try {
          f();
        } catch (e) {
          errors.push([e.name, e.code, e instanceof dcc.DccError]);
        }
      }
      return {
        keys: list.view(),
        austrian: at2.view(),
        verification: { valid: v.valid, signature: v.checks.signature.status, validity: v.checks.validity.status,
                        keyUsage: v.checks.keyUsage.status, signer: v.signer },
        report: v.evaluateRules(dcc.loadRules(rules), 'XX', null, at),
        sum: dcc.evaluateCertlogic({ '+': [1, 2] }, {}),
        errors,
      };
    }, { keys, austrian, rules, hc1: cert.hc1, at });

    const list = TrustList.load(keys, null, demoCertificatePem(), { at, name: 'demo keys' });
    assert.deepEqual(seen.keys, list.view());
    assert.equal(seen.keys.bareKeys, 1);
    assert.deepEqual(seen.austrian, TrustList.load(fs.readFileSync(repoFile('golden/trustlists/at-list.cbor')),
      fs.readFileSync(repoFile('golden/trustlists/at-list.sig')), demoCertificatePem(), { at }).view());
    assert.equal(seen.austrian.signatureVerified, true);
    const v = Verifier.fromCerts([]).withTrustList(list).verify(cert.hc1, at + 60);
    assert.deepEqual(seen.verification, { valid: true, signature: 'passed', validity: 'not_checkable',
      keyUsage: 'not_checkable', signer: v.signer });
    assert.deepEqual(seen.verification.signer.source, { format: 'ch', list: 'demo keys', country: null, listExpired: false });
    assert.deepEqual(seen.report, v.evaluateRules(loadRules(rules), 'XX', null, at));
    assert.ok(seen.report.results.length > 0);
    assert.equal(seen.sum, 3);
    assert.deepEqual(seen.errors, [
      ['TrustListExpiredError', 'trust_list_expired', true],
      ['InvalidRuleError', 'invalid_rule', true],
      ['CertlogicFailedError', 'certlogic_failed', true],
    ]);
  });

  test('the browser build prints a certificate: toPdf fetches the PDF module on first use', async () => {
    const at = 1_748_736_000; // 2025-06-01
    const pdfRequests = () => requests.filter((u) => u.includes('dcc_kit_pdf'));
    assert.deepEqual(pdfRequests(), [], 'the PDF module was fetched before toPdf');
    const seen = await page.evaluate(async ({ payload, at }) => {
      const dcc = await import('./dcc-kit/index.js');
      const cert = dcc.Issuer.demo().issue(payload, { issuedAt: at });
      const pdf = await cert.toPdf({ language: 'fr' });
      let error = null;
      try {
        await cert.toPdf({ language: 'xx' });
      } catch (e) {
        error = [e.name, e.code, e instanceof dcc.DccError];
      }
      return { hc1: cert.hc1, pdf: Array.from(pdf), isBytes: pdf instanceof Uint8Array, error };
    }, { payload: payloadAt('vaccination', at), at });
    assert.equal(seen.isBytes, true);
    assert.deepEqual(seen.error, ['InvalidOptionsError', 'invalid_options', true]);
    assert.deepEqual(pdfRequests().map((u) => new URL(u).pathname).sort(),
      ['/dcc-kit/pdf/dcc_kit_pdf.js', '/dcc-kit/pdf/dcc_kit_pdf_bg.wasm']);
    // Rendered at 150 dpi by poppler, the page's QR code reads back to the HC1 made in the page.
    const file = path.join(artifacts, 'certificate-from-page.pdf');
    fs.writeFileSync(file, Buffer.from(seen.pdf));
    const prefix = path.join(artifacts, 'certificate-from-page');
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, prefix]);
    assert.equal(readQr(fs.readFileSync(`${prefix}.png`)), seen.hc1);
  });

  test('issues with a PEM key and certificate loaded from disk', async () => {
    await page.click('#tab-issue-button');
    await page.check('#type-v');
    await page.check('#key-own');
    await page.setInputFiles('#key-file', golden('es256-key.pem'));
    await page.setInputFiles('#cert-file', golden('dsc-es256.pem'));
    await page.waitForFunction(() => document.getElementById('signer-info').textContent.includes('golden ES256'));
    // The golden DSC expired at the end of 2024: issuing now must be refused, not shortened.
    await page.click('#issue');
    await page.waitForSelector('#issue-error:not([hidden])');
    assert.equal(await page.getAttribute('#issue-error', 'data-code'), 'invalid_options');
    assert.match(await page.textContent('#issue-error'), /notAfter/);
    await page.check('#key-demo');
  });

  test('nothing left the page: every request went to the local server', () => {
    assert.ok(requests.length > 0);
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => u.endsWith('/dcc-kit/dcc_kit_bg.wasm')), 'the installed package served the wasm');
    assert.deepEqual(consoleErrors, []);
  });
});
