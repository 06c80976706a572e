// The README's quick start, its key-custody example, its Revocation example, its trust-list
// and business-rules example and its printing example, run as written against the installed
// package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { here, repo } from './helpers.mjs';

/** Runs the first js block after `heading` in the README (in `cwd`); returns its output lines. */
function runSection(heading, cwd = here) {
  const readme = fs.readFileSync(path.join(here, '..', 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `README has a ${heading} section`);
  const code = /```js\n([\s\S]*?)```/.exec(readme.slice(start))[1];
  const file = path.join(here, '.readme-example.mjs');
  fs.writeFileSync(file, code);
  try {
    return execFileSync(process.execPath, [file], { cwd, encoding: 'utf8' }).trim().split('\n');
  } finally {
    fs.rmSync(file, { force: true });
  }
}

test('the README quick start runs and prints what its comments say', () => {
  const out = runSection('## Quick start');
  assert.match(out[0], /^HC1:NCF/);
  assert.equal(out[1], 'true MUSTERFRAU passed');
  assert.equal(out[2], 'true DE');
  assert.equal(out[3], 'true invalid_base45');
});

test('the README revocation example runs and prints what its comments say', () => {
  assert.deepEqual(runSection('## Revocation'), [
    'true 32',
    'false revoked UCI',
    'skipped',
    'InvalidRevocationDataError invalid_revocation_data',
  ]);
});

test('the README key-custody example runs and prints what its comments say', () => {
  assert.deepEqual(runSection('## Keeping the signing key safe'), [
    '-----BEGIN CERTIFICATE REQUEST-----',
    'true',
    'InvalidOptionsError true',
  ]);
});

test('the README trust-list and business-rules example runs and prints what its comments say', () => {
  // Its files are the repository's test vectors, named relative to tests/.
  assert.deepEqual(runSection('## Trust lists and business rules', path.join(repo, 'tests')), [
    'de true 829 214',
    'true not_checkable false demo keys',
    '271 fail 28 2',
    'VR-CZ-0033',
    '3',
    'CertlogicFailedError true',
  ]);
});

test('the README printing example runs and prints what its comments say', () => {
  assert.deepEqual(runSection('## Printable certificates'), [
    '%PDF- true',
    'InvalidOptionsError invalid_options',
  ]);
});
