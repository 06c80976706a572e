// Signed trust lists and business rules through the installed package: the golden trust-list
// views and rule reports the Rust facade writes (tests/golden/trust-list-views.json,
// rule-results.json) replayed here, a bare-key signer from a list, the German list and its
// tampered and malformed variants, one rule on given data, bare CertLogic expressions, and the
// typed errors of each.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  CertlogicFailedError,
  DccError,
  InvalidArgumentError,
  InvalidOptionsError,
  InvalidRuleError,
  InvalidTrustListError,
  Issuer,
  RuleSet,
  TrustList,
  TrustListExpiredError,
  TrustListSignatureInvalidError,
  Verifier,
  errorCodes,
  evaluateCertlogic,
  evaluateRule,
  loadRules,
} from 'dcc-kit';

import { es256Cert, expectCode, golden, json, payloadAt, repo } from './helpers.mjs';

/** A file of the repository's tests/ folder (the golden cases name their files so). */
const testsFile = (p) => path.join(repo, 'tests', p);
const read = (p) => new Uint8Array(fs.readFileSync(testsFile(p)));
/** RFC 3339 to a Date (the golden cases' `at`). */
const instant = (text) => new Date(text);

/** snake_case keys to camelCase, as the package documents its views (written here independently). */
const camel = (value) => {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), camel(v)]),
  );
};

const DE_LIST = 'vectors/trustlists/de/dsc-list.txt';
const DE_KEY = 'vectors/trustlists/de/dsc-list-signing-key.pem';
const DEMO_ANCHOR = '../crates/dcc/src/demo/cert.pem';
const JAN_2026 = 1_767_225_600; // 2026-01-01T00:00:00Z

test('the new error codes have their classes', () => {
  const codes = errorCodes();
  for (const [code, Class] of [
    ['invalid_trust_list', InvalidTrustListError],
    ['trust_list_signature_invalid', TrustListSignatureInvalidError],
    ['trust_list_expired', TrustListExpiredError],
    ['invalid_rule', InvalidRuleError],
    ['certlogic_failed', CertlogicFailedError],
  ]) {
    assert.ok(codes.includes(code), code);
    const e = new Class('x');
    assert.ok(e instanceof DccError && e instanceof Error, code);
    assert.equal(e.code, code);
  }
});

describe('golden trust-list views (tests/golden/trust-list-views.json, written by Rust)', () => {
  const cases = json(golden('trust-list-views.json'));
  test('the file is the shared one', () => {
    assert.ok(cases.length >= 12, `${cases.length}`);
    assert.ok(cases.some((c) => c.expect.error) && cases.some((c) => !c.expect.error));
  });

  for (const c of cases) {
    test(c.name, () => {
      const options = { name: c.name, allowExpired: c.allow_expired ?? false };
      if (c.at !== undefined) options.at = instant(c.at);
      const load = () =>
        TrustList.load(read(c.content), c.companion && read(c.companion), c.anchor && read(c.anchor), options);
      if (c.expect.error) {
        const e = expectCode(assert, DccError, load, c.expect.error);
        assert.equal(e.name, e.code.replace(/(?:^|_)([a-z])/g, (_, x) => x.toUpperCase()) + 'Error');
        return;
      }
      const list = load();
      assert.ok(list instanceof TrustList);
      assert.deepEqual(list.view(), camel(c.expect));
      assert.deepEqual(JSON.parse(list.toJson()), c.expect);
    });
  }
});

describe('golden rule reports (tests/golden/rule-results.json, written by Rust)', () => {
  const cases = json(golden('rule-results.json'));
  const realRules = loadRules(fs.readFileSync(testsFile('vectors/rules/covpass-eu-rules.json')));
  const verifier = Verifier.fromCerts([es256Cert]);
  const VERIFY_AT = 1_622_592_000; // 2021-06-02

  test('the file and the rules are the shared ones', () => {
    assert.ok(cases.length >= 30, `${cases.length}`);
    assert.ok(realRules instanceof RuleSet);
    assert.equal(realRules.length, 271);
  });

  for (const c of cases) {
    const label = `${path.basename(c.certificate, '.json')} in ${c.country}${c.region ? `/${c.region}` : ''} at ${c.at}${c.rules ? ` (${path.basename(c.rules)})` : ''}`;
    test(label, () => {
      const rules = c.rules ? loadRules(fs.readFileSync(testsFile(c.rules), 'utf8')) : realRules;
      const verification = verifier.verify(json(testsFile(c.certificate)).hc1, VERIFY_AT);
      assert.equal(verification.valid, true, JSON.stringify(verification.failures));
      const evaluate = () => verification.evaluateRules(rules, c.country, c.region, instant(c.at));
      if (c.expect.error) {
        expectCode(assert, DccError, evaluate, c.expect.error);
        return;
      }
      assert.deepEqual(evaluate(), camel(c.expect));
    });
  }

  test('the validation time defaults to the verification time; seconds and Dates agree', () => {
    const verification = verifier.verify(json(golden('issued-vaccination-es256.json')).hc1, VERIFY_AT);
    const rules = loadRules(fs.readFileSync(golden('rules-xx.json')));
    const report = verification.evaluateRules(rules, 'xx');
    assert.equal(report.validationClock, VERIFY_AT);
    assert.equal(report.country, 'XX');
    assert.deepEqual(verification.evaluateRules(rules, 'XX', null, VERIFY_AT + 60),
      verification.evaluateRules(rules, 'XX', undefined, new Date((VERIFY_AT + 60) * 1000)));
    expectCode(assert, DccError, () => verification.evaluateRules('[]', 'XX'), 'invalid_argument');
    expectCode(assert, DccError, () => verification.evaluateRules(rules, 42), 'invalid_argument');
    expectCode(assert, DccError, () => verification.evaluateRules(rules, 'XX', null, 1.5), 'invalid_argument');
  });
});

describe('a bare-key signer from a trust list', () => {
  test('demo-keys.jwt: valid, signature passed, validity and key usage not_checkable', () => {
    const list = TrustList.load(read('golden/trustlists/demo-keys.jwt'), null, read(DEMO_ANCHOR),
      { at: JAN_2026, name: 'demo keys' });
    assert.equal(list.view().bareKeys, 1);
    const cert = Issuer.demo().issue(payloadAt('vaccination', JAN_2026), { issuedAt: JAN_2026 });
    const verifier = Verifier.fromCerts([]).withTrustList(list);
    // The list stays usable after giving its entries to a verifier.
    assert.equal(list.view().entries, 1);
    assert.equal(verifier.trusted.length, 1);
    assert.equal(Verifier.fromCerts([]).verify(cert.hc1, JAN_2026 + 60).checks.signature.code, 'unknown_kid');

    const v = verifier.verify(cert.hc1, JAN_2026 + 60);
    assert.equal(v.valid, true, JSON.stringify(v.failures));
    assert.equal(v.checks.signature.status, 'passed');
    for (const check of ['validity', 'keyUsage']) {
      assert.equal(v.checks[check].status, 'not_checkable', check);
      assert.equal(v.checks[check].code, null);
      assert.match(v.checks[check].message, /bare public key/);
    }
    assert.deepEqual(v.failures, []);
    assert.equal(v.signer.certificate, false);
    assert.deepEqual(v.signer.source, { format: 'ch', list: 'demo keys', country: null, listExpired: false });
    const facade = JSON.parse(v.toJson());
    assert.equal(facade.checks.key_usage.status, 'not_checkable');
    assert.equal(facade.signer.source.list_expired, false);
    assert.equal(v.ensureValid(), v);

    // The claims are still checked: after its expiry the certificate is expired.
    const late = verifier.verify(cert.hc1, cert.claims.exp + 10);
    assert.equal(late.valid, false);
    assert.equal(late.checks.validity.code, 'expired');
  });

  test('a signer trusted directly has no source and is a certificate', () => {
    const cert = Issuer.demo().issue(payloadAt('test', JAN_2026), { issuedAt: JAN_2026 });
    const v = Verifier.demo().verify(cert.hc1, JAN_2026 + 60);
    assert.equal(v.signer.certificate, true);
    assert.equal(v.signer.source, null);
    assert.equal(v.checks.validity.status, 'passed');
  });
});

describe('the German DSC list', () => {
  const content = read(DE_LIST);
  const anchor = fs.readFileSync(testsFile(DE_KEY), 'utf8');

  test('loads with 829 entries and a verified signature; its signers verify certificates', () => {
    const list = TrustList.load(content, undefined, anchor, { name: 'dsc-list.txt' });
    const v = list.view();
    assert.equal(v.format, 'de');
    assert.equal(v.entries, 829);
    assert.equal(v.certificates, 829);
    assert.equal(v.signatureVerified, true);
    assert.deepEqual(v.skipped, []);
    assert.equal(Object.values(v.countries).reduce((a, b) => a + b, 0), 829);
    assert.equal(String(list), 'TrustList(de dsc-list.txt, 829 entries)');
    // Also as text, with the format given (in any case).
    assert.equal(TrustList.load(new TextDecoder().decode(content), null, anchor, { format: 'de' }).view().entries, 829);
    assert.equal(Verifier.fromCerts([]).withTrustList(list).trusted.length, 829);
  });

  test('one flipped byte in the JSON part: TrustListSignatureInvalidError', () => {
    const tampered = content.slice();
    const json = tampered.indexOf(0x7b); // the first '{'
    const at = tampered.indexOf(0x41, json + 1000); // an 'A' well inside the JSON
    assert.ok(json > 0 && at > json);
    tampered[at] ^= 0x01;
    const e = expectCode(assert, DccError, () => TrustList.load(tampered, null, anchor), 'trust_list_signature_invalid');
    assert.ok(e instanceof TrustListSignatureInvalidError);
    assert.equal(e.name, 'TrustListSignatureInvalidError');
  });

  test('malformed lists: InvalidTrustListError', () => {
    const bad = ['not a trust list', 'c2lnbmF0dXJl\n[not json', new Uint8Array([0x01, 0x02, 0x03]), '{"no": "list"}',
      '[{"kid": 1}]'];
    for (const content of bad) {
      const e = expectCode(assert, DccError, () => TrustList.load(content), 'invalid_trust_list');
      assert.ok(e instanceof InvalidTrustListError, String(content));
    }
    // A German-looking file read as gateway JSON (the format given).
    const e = expectCode(assert, DccError, () => TrustList.load('c2lnbmF0dXJl\n{}', null, null, { format: 'eu-gateway' }),
      'invalid_trust_list');
    assert.match(e.message, /gateway JSON/);
    // The signature is checked before anything in the JSON is read.
    expectCode(assert, DccError, () => TrustList.load('c2lnbmF0dXJl\n{"certificates": 1}', null, anchor, { format: 'de' }),
      'trust_list_signature_invalid');
  });
});

describe('TrustList.load arguments', () => {
  const gateway = read('golden/trustlists/gateway.json');

  test('an unsigned list loads without an anchor, and refuses one', () => {
    assert.equal(TrustList.load(gateway).view().format, 'eu-gateway');
    assert.equal(TrustList.load(gateway.buffer.slice(gateway.byteOffset, gateway.byteOffset + gateway.byteLength)).view().entries, 3);
    expectCode(assert, DccError, () => TrustList.load(gateway, null, read(DEMO_ANCHOR)), 'invalid_argument');
  });

  test('a signed list needs its anchor; the Austrian list its signature file', () => {
    expectCode(assert, DccError, () => TrustList.load(read(DE_LIST)), 'invalid_argument');
    expectCode(assert, DccError, () => TrustList.load(read('golden/trustlists/at-list.cbor'), null, read(DEMO_ANCHOR),
      { at: JAN_2026 }), 'invalid_argument');
  });

  test('options are checked: unknown fields, types, times, formats', () => {
    const e = expectCode(assert, DccError, () => TrustList.load(gateway, null, null, { expired: true }), 'invalid_options');
    assert.ok(e instanceof InvalidOptionsError);
    assert.match(e.message, /expired/);
    expectCode(assert, DccError, () => TrustList.load(gateway, null, null, { allowExpired: 'yes' }), 'invalid_options');
    expectCode(assert, DccError, () => TrustList.load(gateway, null, null, { at: new Date('nope') }), 'invalid_options');
    expectCode(assert, DccError, () => TrustList.load(gateway, null, null, { at: '2026-01-01' }), 'invalid_options');
    expectCode(assert, DccError, () => TrustList.load(gateway, null, null, { name: 7 }), 'invalid_options');
    expectCode(assert, DccError, () => TrustList.load(gateway, null, null, 'de'), 'invalid_options');
    // An unknown format is the facade's own error.
    const f = expectCode(assert, DccError, () => TrustList.load(gateway, null, null, { format: 'fr' }), 'invalid_argument');
    assert.ok(f instanceof InvalidArgumentError);
    assert.match(f.message, /de, at, ch, eu-gateway, pem/);
    assert.equal(TrustList.load(gateway, null, null, { format: 'EU-Gateway', name: null, at: null }).view().entries, 3);
  });

  test('content, companion and anchor are text or bytes; the list for a verifier is a TrustList', () => {
    expectCode(assert, DccError, () => TrustList.load(42), 'invalid_trust_list');
    expectCode(assert, DccError, () => TrustList.load(gateway, 42), 'invalid_trust_list');
    expectCode(assert, DccError, () => TrustList.load(gateway, null, 42), 'invalid_argument');
    expectCode(assert, DccError, () => Verifier.demo().withTrustList(gateway), 'invalid_argument');
    expectCode(assert, DccError, () => Verifier.demo().withTrustList(TrustList.load(gateway).view()), 'invalid_argument');
    assert.throws(() => new TrustList(), TypeError);
  });
});

describe('one rule, CertLogic expressions, rule files', () => {
  const rules = json(golden('rules-xx.json'));
  const rule = (id) => rules.find((r) => r.Identifier === id);
  const payload = json(golden('issued-vaccination-es256.json')).payload;

  test('evaluateRule gives passed, fail and open', () => {
    const data = (countryCode) => ({ payload, external: { countryCode, validationClock: '2021-06-10T00:00:00Z' } });
    const passed = evaluateRule(rule('GR-XX-0001'), data('XX'));
    assert.equal(passed.outcome, 'passed');
    assert.equal(passed.openReason, null);
    assert.deepEqual(
      { identifier: passed.identifier, ruleType: passed.ruleType, certificateType: passed.certificateType },
      { identifier: 'GR-XX-0001', ruleType: 'acceptance', certificateType: 'general' },
    );
    assert.deepEqual(passed.affectedFields, ['v.0.dn']);
    assert.deepEqual(passed.descriptions[0], { lang: 'en', desc: 'passes' });
    // JSON text and bytes work as well as values.
    assert.equal(evaluateRule(JSON.stringify(rule('GR-XX-0001')), JSON.stringify(data('DE'))).outcome, 'fail');
    assert.equal(evaluateRule(new TextEncoder().encode(JSON.stringify(rule('GR-XX-0001'))), data('DE')).outcome, 'fail');
    const open = evaluateRule(rule('GR-XX-0003'), data('XX'));
    assert.equal(open.outcome, 'open');
    assert.equal(open.openReason.code, 'unknown_operator');
    // No external at all: every parameter empty.
    assert.equal(evaluateRule(rule('GR-XX-0001'), { payload }).outcome, 'fail');
  });

  test('evaluateRule refuses malformed rules and data', () => {
    expectCode(assert, DccError, () => evaluateRule({ Identifier: 'GR-XX-0001' }, { payload }), 'invalid_rule');
    expectCode(assert, DccError, () => evaluateRule('{', { payload }), 'invalid_rule');
    expectCode(assert, DccError, () => evaluateRule(rule('GR-XX-0001'), '{'), 'invalid_argument');
    expectCode(assert, DccError, () => evaluateRule(rule('GR-XX-0001'), { external: {} }), 'invalid_argument');
    expectCode(assert, DccError, () => evaluateRule(rule('GR-XX-0001'), { payload, external: { countryCode: 1 } }), 'invalid_argument');
    expectCode(assert, DccError, () => evaluateRule(undefined, { payload }), 'invalid_rule');
  });

  test('evaluateCertlogic: values in, values out; the engine code in the error', () => {
    assert.equal(evaluateCertlogic({ '+': [1, 2] }, {}), 3);
    assert.equal(evaluateCertlogic('{"+":[1,2]}', '{}'), 3);
    assert.deepEqual(evaluateCertlogic({ var: 'a' }, { a: { snake_key: [1, 'x'] } }), { snake_key: [1, 'x'] });
    assert.equal(evaluateCertlogic({ if: [{ var: 'x' }, 'yes', 'no'] }, { x: 0 }), 'no');
    const e = expectCode(assert, DccError, () => evaluateCertlogic({ nope: [1] }, {}), 'certlogic_failed');
    assert.ok(e instanceof CertlogicFailedError);
    assert.match(e.message, /unknown_operator/);
    expectCode(assert, DccError, () => evaluateCertlogic('not json', {}), 'invalid_argument');
    expectCode(assert, DccError, () => evaluateCertlogic({ var: 'a' }, { a: 1n }), 'invalid_argument');
  });

  test('loadRules: one rule or an array, as text, bytes or values; malformed files are InvalidRuleError', () => {
    assert.equal(loadRules(rules).length, 12);
    assert.equal(loadRules(rule('GR-XX-0001')).length, 1);
    assert.equal(loadRules(fs.readFileSync(golden('rules-xx.json'))).length, 12);
    assert.equal(loadRules('[]').length, 0);
    assert.equal(String(loadRules(rules)), 'RuleSet(12 rules)');
    for (const bad of ['[', '42', [{ Identifier: 'GR-XX-0001' }], [rule('GR-XX-0001'), { ...rule('GR-XX-0002'), Logic: undefined }]]) {
      const e = expectCode(assert, DccError, () => loadRules(bad), 'invalid_rule');
      assert.ok(e instanceof InvalidRuleError, JSON.stringify(bad));
    }
    const e = expectCode(assert, DccError, () => loadRules([rule('GR-XX-0001'), { ...rule('GR-XX-0002'), Logic: undefined }]), 'invalid_rule');
    assert.match(e.message, /^rule 1: GR-XX-0002: /, 'the message names the index and the rule');
    expectCode(assert, DccError, () => loadRules(undefined), 'invalid_rule');
    assert.throws(() => new RuleSet(), TypeError);
  });
});
