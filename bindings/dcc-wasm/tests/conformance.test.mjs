// The shared tables of the repository, with the same answers as the Rust facade:
// tests/golden/conformance-sample.json (official EU vectors) and tests/golden/bad-inputs.json.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DccError, Issuer, Verifier } from 'dcc-kit';

import { date, es256Cert, es256Key, golden, json, ps256Cert } from './helpers.mjs';

const outcomeCode = (o) => (o.status === 'failed' ? o.code : o.status);

describe('conformance sample (official EU vectors, answers of the Rust verifier)', () => {
  const { vectors } = json(golden('conformance-sample.json'));
  test('the sample is the shared one', () => assert.ok(vectors.length >= 70, `${vectors.length}`));

  for (const v of vectors) {
    test(v.name, () => {
      const verifier = Verifier.fromCerts([v.certificate]);
      let result;
      try {
        result = verifier.verify(v.hc1, v.at);
      } catch (e) {
        assert.ok(e instanceof DccError, String(e));
        assert.deepEqual({ error: e.code }, v.expect, e.message);
        return;
      }
      assert.ok(!('error' in v.expect), `expected error ${v.expect.error}, got a verification`);
      assert.deepEqual(
        {
          valid: result.valid,
          signature: outcomeCode(result.checks.signature),
          validity: outcomeCode(result.checks.validity),
          key_usage: outcomeCode(result.checks.keyUsage),
        },
        {
          valid: v.expect.valid,
          signature: v.expect.signature,
          validity: v.expect.validity,
          key_usage: v.expect.key_usage,
        },
      );
      assert.deepEqual(result.payload, v.expect.payload);
    });
  }
});

describe('bad-input table (same error codes as Rust)', () => {
  const table = json(golden('bad-inputs.json'));
  const at = table.verify_at;
  const pems = { 'dsc-es256.pem': es256Cert, 'dsc-ps256.pem': ps256Cert };
  const verifier = Verifier.fromCerts(table.trust.map((f) => pems[f]));
  const issuer = Issuer.fromPem(es256Key, es256Cert);

  test('the table is the shared one', () => {
    assert.ok(table.cases.length >= 25, `${table.cases.length}`);
    assert.deepEqual(table.trust, ['dsc-es256.pem', 'dsc-ps256.pem']);
    assert.equal(table.issuer.dsc, 'dsc-es256.pem');
  });

  // Mirrors tests/src/bad.rs `run`.
  const run = (c) => {
    const input = c.input;
    switch (c.kind) {
      case 'hc1':
        return verifier.verify(input, at);
      case 'hc1_repeat':
        return verifier.verify(input.prefix + input.char.repeat(input.count), at);
      case 'image':
        return verifier.verifyImage(new Uint8Array(Buffer.from(input, 'base64')), at);
      case 'key':
        return Issuer.fromPem(input, es256Cert);
      case 'certificate':
        return Verifier.fromCerts([input]);
      case 'issue': {
        const options = { issuedAt: date(input.issued_at), validity: { forSeconds: input.valid_days * 86400 } };
        if (input.iss !== undefined) options.iss = input.iss;
        return issuer.issue(input.payload, options);
      }
      default:
        throw new Error(`unknown case kind ${c.kind}`);
    }
  };

  /** The facade's check name (`key_usage`) as the Verification object has it (`keyUsage`). */
  const checkName = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

  for (const c of table.cases) {
    test(`${c.kind}: ${c.name}`, () => {
      let got;
      try {
        got = run(c);
      } catch (e) {
        assert.ok(e instanceof DccError, `not a DccError: ${e}`);
        assert.ok(e instanceof Error);
        assert.equal(typeof e.message, 'string');
        assert.ok('error' in c.expect, `expected ${JSON.stringify(c.expect)}, got error ${e.code}: ${e.message}`);
        assert.equal(e.code, c.expect.error, e.message);
        // Validation cases also list (path, code) pairs that must all be reported.
        const got = e.issues.map((i) => [i.path, i.code]);
        for (const want of c.expect.issues ?? []) {
          assert.ok(
            got.some(([p, code]) => p === want[0] && code === want[1]),
            `issue ${JSON.stringify(want)} not reported (got ${JSON.stringify(got)})`,
          );
        }
        return;
      }
      assert.ok(!('error' in c.expect), `expected error ${c.expect.error}, the call succeeded`);
      const which = checkName(c.expect.check);
      assert.ok(which in got.checks, `unknown check ${c.expect.check}`);
      if ('valid' in c.expect) assert.equal(got.valid, c.expect.valid, JSON.stringify(got.failures));
      else assert.ok(!got.valid || which === 'payload', 'must not be valid');
      // A failed check by its code; `passed` for a case that must pass.
      const outcome = got.checks[which];
      assert.equal(outcomeCode(outcome), c.expect.code, JSON.stringify(outcome));
    });
  }
});
