// The README's quick start, run as written against the installed package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { here } from './helpers.mjs';

test('the README quick start runs and prints what its comments say', () => {
  const readme = fs.readFileSync(path.join(here, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## Quick start');
  assert.ok(start >= 0, 'README has a Quick start section');
  const code = /```js\n([\s\S]*?)```/.exec(readme.slice(start))[1];
  const file = path.join(here, '.quickstart.mjs');
  fs.writeFileSync(file, code);
  try {
    const out = execFileSync(process.execPath, [file], { cwd: here, encoding: 'utf8' }).trim().split('\n');
    assert.match(out[0], /^HC1:NCF/);
    assert.equal(out[1], 'true MUSTERFRAU passed');
    assert.equal(out[2], 'true DE');
    assert.equal(out[3], 'true invalid_base45');
  } finally {
    fs.rmSync(file, { force: true });
  }
});
