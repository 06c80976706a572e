// The public surface against the operation table (api/operations.json, js column): every
// listed name exists on the package, its classes or their instances; and every export is a
// listed name, one of the error classes (one per errorCodes() code) or a documented extra.
// Rows whose js column is "-" are not in this package (the issuance ledger is server-side, and
// PKCS#11 needs a native module: Rust, Python, Kotlin, the CLI); they are skipped, and checked
// to be absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import * as dcc from 'dcc-kit';

import { golden, json, payloadAt, repo, text } from './helpers.mjs';

const { operations } = json(path.join(repo, 'api', 'operations.json'));
const AT = 1_748_736_000; // 2025-06-01, inside the demo DSC's validity

const issuer = dcc.Issuer.demo();
const certificate = issuer.issue(payloadAt('vaccination', AT), { issuedAt: AT });
/** One instance of each class, for members that are instance fields (the view's fields). */
const instances = {
  Issuer: issuer,
  Certificate: certificate,
  PreparedCertificate: issuer.prepare(payloadAt('vaccination', AT), { issuedAt: AT }),
  Verifier: dcc.Verifier.demo(),
  Verification: dcc.Verifier.demo().verify(certificate.hc1, AT + 60),
  TrustList: dcc.TrustList.load(text(golden('trustlists/gateway.json'))),
};
/** Exports that are not operations of the table, each for a reason. */
const EXTRAS = {
  DccError: 'the base class of the error classes',
  demoCertificatePem: 'the demo DSC as PEM, to combine with other trusted DSCs',
  RuleSet: 'what loadRules returns (for instanceof and the declarations)',
};

describe('api/operations.json (js column)', () => {
  assert.ok(operations.length >= 30, `${operations.length} operations`);
  for (const op of operations) {
    if (op.js === '-') {
      test(`${op.operation}: -`, { skip: 'not in the browser build (server-side or native)' }, () => {});
      continue;
    }
    test(`${op.operation}: ${op.js}`, () => {
      const [type, member] = op.js.includes('.') ? op.js.split('.') : [null, op.js];
      if (type === null) {
        assert.equal(typeof dcc[member], 'function', `export ${member}`);
        return;
      }
      const Class = dcc[type];
      assert.equal(typeof Class, 'function', `class ${type}`);
      const instance = instances[type];
      assert.ok(instance instanceof Class, type);
      assert.ok(
        member in Class || member in instance,
        `${type}.${member}: neither a static member nor a member of instances`,
      );
      if (member in instance) assert.notEqual(instance[member], undefined, `${type}.${member}`);
    });
  }

  test('the "-" rows are the issuance ledger and PKCS#11, and nothing of them is in this package', () => {
    const absent = operations.filter((op) => op.js === '-');
    assert.ok(absent.length >= 8, `${absent.length}`);
    assert.deepEqual(
      absent.filter((op) => !/ledger/.test(op.operation)).map((op) => op.operation).sort(),
      ['from_pkcs11', 'generate_key_in_token'],
    );
    for (const op of absent) {
      // The Kotlin / Swift name (Ledger.open, Issuer.withLedger, ...) is the JavaScript one it
      // would have had.
      const [type, member] = op.kotlin.split('.');
      assert.ok(!(type in dcc) || !(member in dcc[type] || member in (instances[type] ?? {})), op.kotlin);
    }
    assert.equal(dcc.Ledger, undefined);
    assert.equal(dcc.Issuer.fromPkcs11, undefined);
    assert.equal(dcc.generateKeyInToken, undefined);
    assert.equal(Object.keys(dcc).filter((n) => /ledger|pkcs11/i.test(n) && !n.endsWith('Error')).length, 0);
  });

  test('every export is a table name, an error class of errorCodes() or a documented extra', () => {
    const listed = new Set(operations.filter((op) => op.js !== '-').flatMap((op) => [op.js, op.js.split('.')[0]]));
    const errorClasses = new Set(
      dcc.errorCodes().map((c) => c.replace(/_error$/, '').replace(/(?:^|_)([a-z0-9])/g, (_, x) => x.toUpperCase()) + 'Error'),
    );
    const unlisted = Object.keys(dcc).filter((n) => !listed.has(n) && !errorClasses.has(n) && !(n in EXTRAS) && n !== 'default');
    assert.deepEqual(unlisted, []);
    for (const name of errorClasses) assert.equal(typeof dcc[name], 'function', name);
  });
});
