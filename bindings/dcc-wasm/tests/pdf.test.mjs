// Printable certificates through the installed package: Certificate.toPdf loads the PDF module
// (pdf/dcc_kit_pdf_bg.wasm, crate dcc-wasm-pdf) on first use. Each PDF is rendered by poppler's
// pdftoppm at 150 dpi, and the QR code on the page reads back to exactly the certificate's HC1
// with this package's readQr and with zbar's zbarimg; pdftotext finds the names (Cyrillic too)
// and the labels of the chosen language. Also: option errors with the main package's classes,
// the PDF module read only by the first toPdf (ESM and CommonJS), a missing PDF module as
// PdfFailedError (and a later call loading it again), and the main module free of the PDF
// writer and its fonts. poppler-utils and zbar-tools are required: without them the tests fail.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import * as dcc from 'dcc-kit';
import { DccError, InvalidOptionsError, Issuer, PdfFailedError, readQr } from 'dcc-kit';

import { TYPES, here, payloadAt } from './helpers.mjs';

const AT = 1_748_736_000; // 2025-06-01, inside the demo DSC's validity
const installed = path.dirname(new URL(import.meta.resolve('dcc-kit/package.json')).pathname);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-kit-pdf-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs a tool; a missing tool or a failure fails the test (poppler-utils, zbar-tools). */
const run = (tool, args) => {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${tool} ${args.join(' ')} failed (${e.code ?? e.status}): install poppler-utils and zbar-tools. ${e.stderr ?? ''}`);
  }
};

const issue = (type, nam) => {
  const payload = payloadAt(type, AT);
  if (nam) payload.nam = nam;
  return Issuer.demo().issue(payload, { issuedAt: AT });
};

/** Writes the PDF, renders it at 150 dpi; returns the PNG bytes, zbar's reading and the page text. */
function inspect(name, pdf) {
  const file = path.join(scratch, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = run('pdfinfo', [file]);
  assert.match(info, /^Pages:\s+1$/m, info);
  const prefix = path.join(scratch, name);
  run('pdftoppm', ['-r', '150', '-png', '-singlefile', file, prefix]);
  const png = fs.readFileSync(`${prefix}.png`);
  const zbar = run('zbarimg', ['--raw', '-q', `${prefix}.png`]).replace(/\n$/, '');
  const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return { png, zbar, text };
}

const LABELS = {
  de: ['Digitales COVID-Zertifikat der EU', 'Geburtsdatum'],
  fr: ['Date de naissance'],
};

describe('Certificate.toPdf', () => {
  for (const type of TYPES) {
    for (const language of ['de', 'fr']) {
      test(`${type}, ${language}: a one-page PDF whose QR code reads back to the HC1 (readQr and zbarimg at 150 dpi)`, async () => {
        const cert = issue(type);
        const pdf = await cert.toPdf({ language });
        assert.ok(pdf instanceof Uint8Array);
        assert.equal(pdf.byteOffset, 0);
        assert.equal(pdf.buffer.byteLength, pdf.length, 'its own ArrayBuffer');
        assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
        const { png, zbar, text } = inspect(`${type}-${language}`, pdf);
        assert.equal(readQr(png), cert.hc1, 'readQr');
        assert.equal(zbar, cert.hc1, 'zbarimg');
        for (const needle of ['EU Digital COVID Certificate', 'Date of birth', ...LABELS[language],
          cert.payload.nam.fnt, cert.payload.dob]) {
          assert.ok(text.includes(needle), `${needle} missing from the page text:\n${text}`);
        }
      });
    }
  }

  test('a Cyrillic name is printed as written and standardised (pdftotext)', async () => {
    const cert = issue('vaccination', { fn: 'Иванова', gn: 'Мария' });
    assert.equal(cert.payload.nam.fnt, 'IVANOVA');
    const { text, zbar } = inspect('cyrillic', await cert.toPdf({ language: 'de' }));
    for (const needle of ['Иванова', 'Мария', 'IVANOVA<<MARIIA']) {
      assert.ok(text.includes(needle), `${needle} missing from the page text:\n${text}`);
    }
    assert.equal(zbar, cert.hc1);
  });

  test('no options: German; English only with "en"; the same bytes for the same certificate', async () => {
    const cert = issue('recovery');
    const byDefault = await cert.toPdf();
    assert.deepEqual(byDefault, await cert.toPdf({ language: 'de' }));
    assert.deepEqual(byDefault, await cert.toPdf(null));
    const en = inspect('en', await cert.toPdf({ language: 'en' })).text;
    assert.ok(!en.includes('Geburtsdatum') && !en.includes('Date de naissance'), en);
    assert.ok(en.includes('Date of birth'), en);
    // Printing uses the HC1 the certificate was issued with, not its (writable) public field.
    cert.hc1 = 'HC1:changed';
    assert.deepEqual(await cert.toPdf(), byDefault);
  });

  test('a bad language or option rejects with InvalidOptionsError (invalid_options)', async () => {
    const cert = issue('test');
    for (const options of [{ language: 'xx' }, { language: 'DE' }, { language: 3 }, { lang: 'de' }, 'fr', ['de']]) {
      await assert.rejects(cert.toPdf(options), (e) => {
        assert.ok(e instanceof InvalidOptionsError, `${JSON.stringify(options)}: ${e}`);
        assert.ok(e instanceof DccError && e instanceof Error);
        assert.equal(e.code, 'invalid_options');
        assert.equal(e.name, 'InvalidOptionsError');
        return true;
      });
    }
  });

  test('PdfFailedError is the pdf_failed class of the error family', () => {
    assert.ok(dcc.errorCodes().includes('pdf_failed'));
    const e = new PdfFailedError('x');
    assert.ok(e instanceof DccError);
    assert.equal(e.code, 'pdf_failed');
    assert.equal(e.name, 'PdfFailedError');
  });
});

/**
 * Runs `body` (ESM or CommonJS source) in a fresh Node whose fs.readFileSync records every path,
 * with `cwd` for resolving 'dcc-kit'; returns what it prints as JSON.
 */
function probe(body, { cwd = here, esm = true } = {}) {
  const record = 'const fs = require("node:fs"); const reads = []; const readFileSync = fs.readFileSync;\n' +
    'fs.readFileSync = function (p, ...rest) { reads.push(String(p)); return readFileSync.call(this, p, ...rest); };\n';
  const source = esm
    ? `import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/');\n${record}${body}`
    : record + body;
  const r = spawnSync(process.execPath, [esm ? '--input-type=module' : '--input-type=commonjs', '-e', source], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const PROBE = (load) => `
(async () => {
  const dcc = ${load};
  const payload = JSON.parse(readFileSync.call(fs, ${JSON.stringify(path.resolve(here, '../../../examples/vaccination.json'))}, 'utf8'));
  const cert = dcc.Issuer.demo().issue(payload, { issuedAt: ${AT} });
  cert.toPng(); dcc.decode(cert.hc1); dcc.Verifier.demo().verify(cert.hc1, ${AT + 60});
  const pdfReads = () => reads.filter((p) => p.includes('dcc_kit_pdf'));
  const before = pdfReads();
  const mainRead = reads.some((p) => p.endsWith('/dcc_kit_bg.wasm'));
  const [a, b] = await Promise.all([cert.toPdf(), cert.toPdf({ language: 'fr' })]);
  await cert.toPdf({ language: 'en' });
  console.log(JSON.stringify({ before, mainRead, after: pdfReads(), a: a.length, b: b.length,
    head: Buffer.from(a.subarray(0, 5)).toString() }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('the PDF module is loaded lazily', () => {
  for (const [kind, load, esm] of [
    ['ESM (import)', "await import('dcc-kit')", true],
    ['CommonJS (require)', "require('dcc-kit')", false],
  ]) {
    test(`${kind}: not read by import, issue, verify; read once by the first toPdf calls`, () => {
      const seen = probe(PROBE(load), { esm });
      assert.equal(seen.mainRead, true, 'the probe sees the main module being read');
      assert.deepEqual(seen.before, [], 'the PDF module was read before toPdf');
      const wasmReads = seen.after.filter((p) => p.endsWith('/pdf/dcc_kit_pdf_bg.wasm'));
      assert.equal(wasmReads.length, 1, `read ${JSON.stringify(seen.after)}`);
      assert.equal(seen.head, '%PDF-');
      assert.ok(seen.a > 10_000 && seen.b > 10_000, `${seen.a} ${seen.b}`);
    });
  }

  test('a missing PDF module rejects with PdfFailedError, and a later call loads it again', () => {
    const dir = path.join(scratch, 'broken');
    const copy = path.join(dir, 'node_modules', 'dcc-kit');
    fs.cpSync(installed, copy, { recursive: true });
    const wasm = path.join(copy, 'pdf', 'dcc_kit_pdf_bg.wasm');
    const aside = `${wasm}.aside`;
    fs.renameSync(wasm, aside);
    const seen = probe(`
      const dcc = await import('dcc-kit');
      const cert = dcc.Issuer.demo().issue(JSON.parse(readFileSync.call(fs, ${JSON.stringify(path.resolve(here, '../../../examples/vaccination.json'))}, 'utf8')), { issuedAt: ${AT} });
      let first;
      try { await cert.toPdf(); } catch (e) { first = { pdfFailed: e instanceof dcc.PdfFailedError, code: e.code, message: e.message }; }
      fs.renameSync(${JSON.stringify(aside)}, ${JSON.stringify(wasm)});
      const again = await cert.toPdf();
      console.log(JSON.stringify({ first, again: Buffer.from(again.subarray(0, 5)).toString() }));
    `, { cwd: dir });
    assert.equal(seen.first?.pdfFailed, true, JSON.stringify(seen.first));
    assert.equal(seen.first.code, 'pdf_failed');
    assert.match(seen.first.message, /PDF module could not be loaded/);
    assert.equal(seen.again, '%PDF-');
  });
});

describe('package layout', () => {
  test('the main module has neither the PDF writer nor its fonts; the PDF module has both', () => {
    const main = fs.readFileSync(path.join(installed, 'dcc_kit_bg.wasm'));
    const pdf = fs.readFileSync(path.join(installed, 'pdf', 'dcc_kit_pdf_bg.wasm'));
    for (const marker of ['krilla', 'Liberation']) {
      assert.equal(main.includes(marker), false, `${marker} in the main module`);
      assert.equal(pdf.includes(marker), true, `${marker} not in the PDF module`);
    }
    assert.ok(pdf.length > main.length / 2, `${pdf.length} vs ${main.length}`);
  });

  test('package.json ships the PDF module and exports its .wasm', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    for (const f of ['pdf/dcc_kit_pdf.js', 'pdf/dcc_kit_pdf_node.cjs', 'pdf/dcc_kit_pdf_bg.wasm']) {
      assert.ok(pkg.files.includes(f), f);
      assert.ok(fs.existsSync(path.join(installed, f)), `${f} not installed`);
    }
    assert.equal(pkg.exports['./pdf/dcc_kit_pdf_bg.wasm'], './pdf/dcc_kit_pdf_bg.wasm');
    assert.ok(import.meta.resolve('dcc-kit/pdf/dcc_kit_pdf_bg.wasm').endsWith('/pdf/dcc_kit_pdf_bg.wasm'));
  });
});
