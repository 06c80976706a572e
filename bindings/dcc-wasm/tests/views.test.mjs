// The golden views (tests/golden/conformance-views.json, written by the Rust facade): for each
// vector, the NATIVE Verification object (its own fields, camelCase keys turned back into
// snake_case outside `payload`) equals the facade's view, field for field; an error equals the
// facade's error view (code, message, issues, failures). toJson() is the facade's JSON itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';

import { DccError, Verifier } from 'dcc-kit';

import { golden, json } from './helpers.mjs';

/** camelCase keys back to the facade's snake_case, except inside `payload` (DCC data). */
const snake = (value) => {
  if (Array.isArray(value)) return value.map(snake);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k === 'payload' ? v : snake(v)]),
  );
};

const file = golden('conformance-views.json');

describe('golden views (native objects against the facade views)', { skip: !fs.existsSync(file) && 'no golden views yet' }, () => {
  const { vectors } = fs.existsSync(file) ? json(file) : { vectors: [] };
  test('the file is the shared one', () => assert.ok(vectors.length >= 10, `${vectors.length}`));

  for (const v of vectors) {
    test(v.name, () => {
      let result;
      try {
        result = Verifier.fromCerts([v.certificate]).verify(v.hc1, v.at);
      } catch (e) {
        assert.ok(e instanceof DccError, String(e));
        assert.ok(v.error, `expected a view, got ${e.code}: ${e.message}`);
        assert.deepEqual(
          { code: e.code, message: e.message, issues: e.issues, failures: snake(e.failures) },
          v.error,
        );
        return;
      }
      assert.ok(v.view, `expected error ${JSON.stringify(v.error)}, got a verification`);
      // The new fields under their camelCase names (snake() would map either spelling back).
      assert.ok('revokedBy' in result && !('revoked_by' in result), 'revokedBy');
      assert.deepEqual(result.checks.revocation, {
        status: v.view.checks.revocation.status,
        code: v.view.checks.revocation.code,
        message: v.view.checks.revocation.message,
      });
      assert.deepEqual(snake({ ...result }), v.view);
      assert.deepEqual(JSON.parse(result.toJson()), v.view);
    });
  }
});
