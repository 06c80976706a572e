// The TypeScript declarations of the installed package: a file using the whole API type-checks
// with `tsc --strict --noEmit` (ESM and CommonJS declarations, nodenext and bundler
// resolution), and a file of deliberate misuses is rejected on exactly the marked lines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { here } from './helpers.mjs';

const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');
const project = (name) => {
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(here, 'ts', name), '--pretty', 'false'], {
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
};

test('tsc 5 is the compiler', () => {
  const r = spawnSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' });
  assert.match(r.stdout, /^Version 5\./);
});

test('the whole API type-checks (nodenext: ESM .d.ts and CommonJS .d.cts)', () => {
  const { status, out } = project('tsconfig.json');
  assert.equal(status, 0, out);
});

test('the whole API type-checks (bundler resolution)', () => {
  const { status, out } = project('tsconfig.bundler.json');
  assert.equal(status, 0, out);
});

test('every deliberate misuse is rejected, and only those', () => {
  const { status, out } = project('tsconfig.misuse.json');
  assert.notEqual(status, 0, 'the misuse file must not type-check');
  const lines = fs.readFileSync(path.join(here, 'ts', 'misuse.mts'), 'utf8').split('\n');
  const marked = lines.flatMap((l, i) => (l.includes('// MISUSE') ? [i + 1] : []));
  assert.ok(marked.length >= 10, `${marked.length} misuses`);
  const errorLines = new Set([...out.matchAll(/misuse\.mts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1])));
  const missed = marked.filter((l) => !errorLines.has(l));
  assert.deepEqual(missed, [], `misuses accepted by tsc: ${missed.map((l) => lines[l - 1].trim()).join(' | ')}`);
  const unexpected = [...errorLines].filter((l) => !marked.includes(l));
  assert.deepEqual(unexpected, [], `errors on lines that are not misuses:\n${out}`);
});
