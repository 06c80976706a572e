// The public API of dcc-kit over the WebAssembly module. Single source: the build writes it as
// api.js (ES module) and api.cjs (CommonJS).
//
// Type conversion and error mapping only, no certificate logic: the module answers with the
// JSON of the Rust facade's views and throws the JSON of the facade's error views; this file
// parses them, turns their snake_case keys into camelCase (never inside `payload`, which is DCC
// data), turns camelCase options into the facade's snake_case (Dates into seconds), and builds
// one DccError subclass per code of errorCodes().

const INTERNAL = Symbol('dcc-kit internal');
const encoder = new TextEncoder();

const camelKey = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const snakeKey = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A facade view as JavaScript sees it: camelCase keys, except inside `payload`. */
export function camel(value) {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [camelKey(k), k === 'payload' ? v : camel(v)]),
  );
}

/** Options as the facade reads them: snake_case keys, Dates as seconds since the epoch. */
function snake(value) {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? 'Invalid Date' : Math.floor(ms / 1000);
  }
  if (Array.isArray(value)) return value.map(snake);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeKey(k), snake(v)]));
}

/** An error of dcc-kit with a stable `code` (see `errorCodes()`); every function throws only these. */
export class DccError extends Error {
  /**
   * @param {string} code stable snake_case code
   * @param {string} message explanation for people (never key material)
   * @param {{path: string, code: string, message: string}[]} [issues] for `validation_failed`
   * @param {{code: string, message: string}[]} [failures] for `verification_failed`
   */
  constructor(code, message, issues = [], failures = []) {
    super(message);
    this.name = 'DccError';
    /** The stable code, e.g. `invalid_base45`. */
    this.code = code;
    /** Every problem of a refused payload (empty unless `validation_failed`). */
    this.issues = issues;
    /** Every failed check (empty unless `verification_failed`). */
    this.failures = failures;
  }
}

/**
 * `invalid_base45` -> `InvalidBase45Error`; a code ending in `_error` is not doubled
 * (`pkcs11_device_error` -> `Pkcs11DeviceError`, as in Python, Kotlin and Swift).
 */
export const errorClassName = (code) =>
  code.replace(/_error$/, '').replace(/(?:^|_)([a-z0-9])/g, (_, c) => c.toUpperCase()) + 'Error';

/**
 * The public API over the module's exports (`glue`, web or Node build). `host.fastSigner(key,
 * cert, issuer)` (Node: node-signer.cjs) may give a faster signing function for the key of an
 * issuer just made by `Issuer.fromPem` (the facade has checked key and certificate), or null.
 * `host.loadPdf()` loads the PDF module (a separate .wasm, crate dcc-wasm-pdf: a dynamic
 * `import()` in browsers and bundlers, a deferred `require` in Node) and resolves to its
 * initialised exports; `Certificate.toPdf` calls it on first use (again after a failure).
 */
export function build(glue, host = {}) {
  const errors = {};
  for (const code of glue.errorCodes()) {
    const name = errorClassName(code);
    errors[name] = {
      [name]: class extends DccError {
        constructor(message, issues = [], failures = []) {
          super(code, message, issues, failures);
          this.name = name;
        }
      },
    }[name];
  }
  const byCode = (code) => errors[errorClassName(code)];
  const fail = (code, message) => new (byCode(code))(message);
  const fromView = (v) => new (byCode(v.code) ?? DccError)(v.message, v.issues, camel(v.failures));

  /** Runs a module call; a facade error (thrown as JSON) becomes its DccError. */
  const call = (fn) => {
    try {
      return fn();
    } catch (e) {
      throw typeof e === 'string' ? fromView(JSON.parse(e)) : e;
    }
  };
  const view = (fn) => camel(JSON.parse(call(fn)));

  const describe = (e) => (e instanceof Error ? e.message : String(e));
  const string = (value, what) => {
    if (typeof value === 'string') return value;
    throw fail('invalid_argument', `${what} must be a string`);
  };
  const strings = (values, what) => Array.from(values ?? [], (v) => string(v, what));
  /** PEM/base64 text or DER bytes. */
  const bytes = (value, code, what, text = true) => {
    if (text && typeof value === 'string') return encoder.encode(value);
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    throw fail(code, `${what} must be ${text ? 'text (a string) or ' : ''}bytes (a Uint8Array)`);
  };
  const image = (value) => bytes(value, 'invalid_image', 'the image', false);
  const hc1 = (value) => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    throw fail('invalid_argument', 'the input must be HC1 text (a string): use verifyImage / decodeImage for image bytes');
  };
  /** Seconds since the epoch from a number or a Date; undefined for "now". */
  const seconds = (value, what) => {
    if (value === undefined || value === null) return undefined;
    const s = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
    if (Number.isSafeInteger(s)) return s;
    throw fail('invalid_argument', `${what} must be whole seconds since the epoch or a valid Date`);
  };
  const payloadJson = (payload) => {
    if (typeof payload === 'string') return payload;
    if (payload === undefined || payload === null) throw fail('invalid_payload', 'the payload is missing: pass an object or JSON text');
    try {
      return JSON.stringify(payload);
    } catch (e) {
      throw fail('invalid_payload', `the payload cannot be written as JSON: ${describe(e)}`);
    }
  };
  const optionsJson = (options) => {
    try {
      return JSON.stringify(snake(options ?? {}));
    } catch (e) {
      throw fail('invalid_options', `the options cannot be written as JSON: ${describe(e)}`);
    }
  };
  const optionalBytes = (value, code, what) =>
    value === undefined || value === null ? undefined : bytes(value, code, what);
  /** JSON input: text, UTF-8 bytes, or a JavaScript value (written with JSON.stringify). */
  const jsonInput = (value, code, what) => {
    if (typeof value === 'string') return encoder.encode(value);
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bytes(value, code, what);
    let text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw fail(code, `${what} cannot be written as JSON: ${describe(e)}`);
    }
    if (text === undefined) throw fail(code, `${what} is missing: pass JSON text, bytes or a JSON value`);
    return encoder.encode(text);
  };
  const LIST_OPTIONS = ['at', 'allowExpired', 'name', 'format'];
  /** `TrustList.load`'s options, which the module takes as separate arguments. */
  const listOptions = (options) => {
    const bad = (message) => fail('invalid_options', `trust list options: ${message}`);
    const o = options ?? {};
    if (typeof o !== 'object' || Array.isArray(o)) throw bad('expected an object { at, allowExpired, name, format }');
    const unknown = Object.keys(o).filter((k) => !LIST_OPTIONS.includes(k));
    if (unknown.length) throw bad(`unknown ${unknown.join(', ')} (expected ${LIST_OPTIONS.join(', ')})`);
    const { at, allowExpired = false, name, format } = o;
    const text = (v, what) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'string') return v;
      throw bad(`${what} must be a string`);
    };
    if (typeof allowExpired !== 'boolean') throw bad('allowExpired must be true or false');
    let secs;
    try {
      secs = seconds(at, 'at');
    } catch {
      throw bad('at must be whole seconds since the epoch or a valid Date');
    }
    return { at: secs, allowExpired, name: text(name, 'name'), format: text(format, 'format') };
  };
  /** The PDF module's exports, loaded on the first `toPdf` (a Promise; reset after a failure). */
  let pdfModule;
  const loadPdf = () => {
    if (pdfModule) return pdfModule;
    const loading = (async () => {
      if (typeof host.loadPdf !== 'function') throw fail('pdf_failed', 'this build of dcc-kit has no PDF module');
      let m;
      try {
        m = await host.loadPdf();
      } catch (e) {
        throw fail('pdf_failed', `the PDF module could not be loaded: ${describe(e)}`);
      }
      if (typeof m?.pdf !== 'function' || m.version() !== glue.version()) {
        throw fail('pdf_failed', `the PDF module (${m?.version?.()}) does not belong to dcc-kit ${glue.version()}`);
      }
      return m;
    })();
    // A failed load (e.g. offline in a browser) is tried again by the next call.
    loading.catch(() => {
      if (pdfModule === loading) pdfModule = undefined;
    });
    pdfModule = loading;
    return loading;
  };
  /** `toPdf`'s options as the PDF module reads them: `{ language }`, JSON. */
  const pdfOptionsJson = (options) => {
    if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
      throw fail('invalid_options', 'the PDF options must be an object { language }');
    }
    return optionsJson(options);
  };
  const internal = (token) => {
    if (token !== INTERNAL) throw new TypeError('use the named constructors (Issuer.fromPem, Verifier.fromCerts, ...)');
  };

  /** An issued certificate: the fields of the facade's CertificateView, and its QR code. */
  class Certificate {
    #h;
    /** The HC1 as issued (the public field may be reassigned; printing uses this one). */
    #hc1;
    constructor(token, handle) {
      internal(token);
      this.#h = handle;
      Object.assign(this, camel(JSON.parse(handle.toJson())));
      this.#hc1 = this.hc1;
    }
    /** The signed COSE_Sign1 bytes. */
    get cose() {
      return this.#h.cose();
    }
    toPng(scale = 4) {
      return call(() => this.#h.toPng(scale));
    }
    toSvg() {
      return call(() => this.#h.toSvg());
    }
    toModules() {
      const modules = call(() => this.#h.toModules());
      const size = Math.round(Math.sqrt(modules.length));
      return { version: (size - 17) / 4, size, modules };
    }
    /** The three revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE), base64 and hex. */
    revocationHashes() {
      return camel(JSON.parse(this.#h.revocationHashes()));
    }
    /**
     * The printable certificate (A4 PDF, EU layout, vector QR code) in English and
     * `options.language` ("de", the default, "fr" or "en"). Asynchronous: the first call loads
     * the PDF module, which prints this certificate's HC1 (decoded again; the signature is not
     * checked, as this package has just made it).
     */
    async toPdf(options) {
      const opts = pdfOptionsJson(options);
      const pdf = await loadPdf();
      return call(() => pdf.pdf(this.#hc1, opts));
    }
    /** The facade's JSON of this certificate's view (snake_case keys). */
    toJson() {
      return this.#h.toJson();
    }
    toString() {
      return this.hc1;
    }
    /** Releases the module memory now (otherwise the garbage collector does). */
    free() {
      this.#h.free();
    }
  }
  const certificate = (handle) => new Certificate(INTERNAL, handle);

  /** A certificate waiting for its signature (asynchronous signers). */
  class PreparedCertificate {
    #h;
    constructor(token, handle) {
      internal(token);
      this.#h = handle;
    }
    /** The bytes to sign (the COSE Sig_structure). */
    get tbs() {
      return this.#h.tbs();
    }
    finish(signature) {
      const sig = bytes(signature, 'signing_failed', 'the signature', false);
      return certificate(call(() => this.#h.finish(sig)));
    }
  }

  class Issuer {
    #h;
    /** A JavaScript signing function, when `issue` signs outside the module. */
    #sign;
    /** Made by `fromSigner`: the key is outside this package. */
    #external;
    constructor(token, handle, sign, external = false) {
      internal(token);
      this.#h = handle;
      this.#sign = sign;
      this.#external = external;
    }
    static fromPem(key, cert) {
      const k = bytes(key, 'invalid_key', 'the key');
      const c = bytes(cert, 'invalid_certificate', 'the certificate');
      const issuer = new Issuer(INTERNAL, call(() => glue.Issuer.fromPem(k, c)));
      // The same key in the module (requests, prepare) and, where the host has one, a faster
      // signing function for `issue`.
      const sign = host.fastSigner?.(key, cert, issuer);
      return sign ? new Issuer(INTERNAL, issuer.#h, sign) : issuer;
    }
    static fromPemDeterministic(key, cert) {
      const k = bytes(key, 'invalid_key', 'the key');
      const c = bytes(cert, 'invalid_certificate', 'the certificate');
      return new Issuer(INTERNAL, call(() => glue.Issuer.fromPemDeterministic(k, c)));
    }
    static fromSigner(algorithm, sign, cert) {
      if (typeof sign !== 'function') throw fail('invalid_argument', 'the signer must be a function');
      const alg = string(algorithm, 'the algorithm');
      const c = bytes(cert, 'invalid_certificate', 'the certificate');
      return new Issuer(INTERNAL, call(() => glue.Issuer.fromSigner(alg, c)), sign, true);
    }
    static demo() {
      return new Issuer(INTERNAL, glue.Issuer.demo());
    }
    withValueSets(files) {
      const f = strings(files, 'a value-set file');
      return new Issuer(INTERNAL, call(() => this.#h.withValueSets(f)), this.#sign, this.#external);
    }
    get signer() {
      return camel(JSON.parse(this.#h.signer()));
    }
    get algorithm() {
      return this.#h.algorithm();
    }
    issue(payload, options) {
      if (!this.#sign) {
        return certificate(call(() => this.#h.issue(payloadJson(payload), optionsJson(options))));
      }
      const prepared = this.prepare(payload, options);
      let signature;
      try {
        signature = this.#sign(prepared.tbs);
      } catch (e) {
        throw fail('signing_failed', `the signer failed: ${describe(e)}`);
      }
      if (typeof signature?.then === 'function') {
        Promise.resolve(signature).catch(() => {}); // never an unhandled rejection
        throw fail('signing_failed', 'the signer returned a Promise: use prepare(), sign its tbs, then finish()');
      }
      return prepared.finish(signature);
    }
    /**
     * One certificate or DccError per payload, in order: `issue` for each (the facade's
     * issue_batch is the same loop where there are no threads, as in WebAssembly).
     */
    issueBatch(payloads, options) {
      return Array.from(payloads, (p) => {
        try {
          return this.issue(p, options);
        } catch (e) {
          if (e instanceof DccError) return e;
          throw e;
        }
      });
    }
    prepare(payload, options) {
      const handle = call(() => this.#h.prepare(payloadJson(payload), optionsJson(options)));
      return new PreparedCertificate(INTERNAL, handle);
    }
    /**
     * A PKCS#10 certificate signing request (PEM) for this issuer's key, signed by it: subject
     * C, O, CN and the HCERT key-usage OIDs of `options` (the `generateKey` options). A
     * signing function (`fromSigner`) does not give its public key: `invalid_options` (the
     * facade's); its request comes from where the key lives.
     */
    certificateRequest(options) {
      return call(() => this.#h.certificateRequest(optionsJson(options)));
    }
    /** A description without key material. */
    toString() {
      const s = this.signer;
      return `Issuer(${this.algorithm} ${s.subject}, kid ${s.kid}${this.#external ? ', signer function' : ''})`;
    }
  }

  /** The result of verifying one certificate: the fields of the facade's VerificationView. */
  class Verification {
    #h;
    constructor(token, handle) {
      internal(token);
      this.#h = handle;
      Object.assign(this, camel(JSON.parse(handle.toJson())));
    }
    /** This verification, or a VerificationFailedError with every failure. */
    ensureValid() {
      call(() => this.#h.ensureValid());
      return this;
    }
    /** The three revocation hashes of the verified certificate, base64 and hex. */
    revocationHashes() {
      return camel(JSON.parse(this.#h.revocationHashes()));
    }
    /**
     * The business rules of `rules` (a RuleSet) that apply to this certificate in `country`
     * (and `region`) at `at` (default: the verification time): the facade's RulesReport.
     */
    evaluateRules(rules, country, region, at) {
      const r = ruleSetHandle(rules);
      if (!r) throw fail('invalid_argument', 'the rules must be a RuleSet (loadRules)');
      const c = string(country, 'the arrival country');
      const reg = region === undefined || region === null ? undefined : string(region, 'the region');
      const s = seconds(at, 'the validation time');
      return view(() => this.#h.evaluateRules(r, c, reg, s));
    }
    /** The facade's JSON of this verification's view (snake_case keys). */
    toJson() {
      return this.#h.toJson();
    }
  }

  /** The module object of a TrustList / RuleSet of this package, else undefined. */
  let trustListHandle;
  let ruleSetHandle;

  /** A trust list whose signature (where its format has one) was checked against the anchor. */
  class TrustList {
    #h;
    static {
      trustListHandle = (list) => (Object(list) === list && #h in list ? list.#h : undefined);
    }
    constructor(token, handle) {
      internal(token);
      this.#h = handle;
    }
    static load(content, companion, anchor, options) {
      const c = bytes(content, 'invalid_trust_list', 'the trust list');
      const comp = optionalBytes(companion, 'invalid_trust_list', 'the companion file');
      const a = optionalBytes(anchor, 'invalid_argument', 'the anchor');
      const o = listOptions(options);
      const handle = call(() => glue.TrustList.load(c, comp, a, o.at, o.allowExpired, o.name, o.format));
      return new TrustList(INTERNAL, handle);
    }
    /** The facade's TrustListView: format, signature, entries per country, skipped entries. */
    view() {
      return camel(JSON.parse(this.#h.toJson()));
    }
    /** The facade's JSON of the view (snake_case keys). */
    toJson() {
      return this.#h.toJson();
    }
    toString() {
      const v = this.view();
      return `TrustList(${v.format}${v.name === null ? '' : ` ${v.name}`}, ${v.entries} entries)`;
    }
  }

  /** Business rules read by `loadRules`. */
  class RuleSet {
    #h;
    static {
      ruleSetHandle = (rules) => (Object(rules) === rules && #h in rules ? rules.#h : undefined);
    }
    constructor(token, handle) {
      internal(token);
      this.#h = handle;
    }
    /** The number of rules. */
    get length() {
      return this.#h.count();
    }
    toString() {
      return `RuleSet(${this.length} rules)`;
    }
  }

  class Verifier {
    #h;
    constructor(token, handle) {
      internal(token);
      this.#h = handle;
    }
    static fromCerts(certs) {
      if (typeof certs === 'string' || typeof certs?.[Symbol.iterator] !== 'function') {
        throw fail('invalid_certificate', 'the trusted certificates must be an array of PEM text or DER bytes');
      }
      const list = Array.from(certs, (c) => bytes(c, 'invalid_certificate', 'a trusted certificate'));
      return new Verifier(INTERNAL, call(() => glue.Verifier.fromCerts(list)));
    }
    static demo() {
      return new Verifier(INTERNAL, glue.Verifier.demo());
    }
    withClockSkew(secs) {
      if (!Number.isSafeInteger(secs)) throw fail('invalid_argument', 'the clock skew must be whole seconds');
      return new Verifier(INTERNAL, this.#h.withClockSkew(secs));
    }
    withValueSets(files) {
      const f = strings(files, 'a value-set file');
      return new Verifier(INTERNAL, call(() => this.#h.withValueSets(f)));
    }
    /**
     * This verifier checking every certificate against revocation data: an array whose items
     * are gateway batch JSON (one batch or an array of batches; text or UTF-8 bytes) or binary
     * Bloom filters (bytes), detected by content. The revocation check then decides `valid`.
     */
    withRevocation(data) {
      if (typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data) ||
          typeof data?.[Symbol.iterator] !== 'function') {
        throw fail('invalid_revocation_data', 'the revocation data must be an array of batch JSON text or bytes (Uint8Array)');
      }
      const files = Array.from(data, (d) => bytes(d, 'invalid_revocation_data', 'a revocation file'));
      return new Verifier(INTERNAL, call(() => this.#h.withRevocation(files)));
    }
    /** This verifier also trusting every entry of a loaded trust list. */
    withTrustList(list) {
      const h = trustListHandle(list);
      if (!h) throw fail('invalid_argument', 'the trust list must be a TrustList (TrustList.load)');
      return new Verifier(INTERNAL, call(() => this.#h.withTrustList(h)));
    }
    get trusted() {
      return camel(JSON.parse(this.#h.trusted()));
    }
    verify(text, at) {
      const t = hc1(text);
      const s = seconds(at, 'the verification time');
      return new Verification(INTERNAL, call(() => this.#h.verify(t, s)));
    }
    verifyImage(bytes, at) {
      const b = image(bytes);
      const s = seconds(at, 'the verification time');
      return new Verification(INTERNAL, call(() => this.#h.verifyImage(b, s)));
    }
    toString() {
      return `Verifier(${this.trusted.length} trusted DSCs)`;
    }
  }

  return {
    Certificate,
    DccError,
    Issuer,
    PreparedCertificate,
    RuleSet,
    TrustList,
    Verification,
    Verifier,
    ...errors,
    decode: (text) => view(() => glue.decode(hc1(text))),
    decodeImage: (bytes) => view(() => glue.decodeImage(image(bytes))),
    readQr: (bytes) => call(() => glue.readQr(image(bytes))),
    revocationHashes: (text) => view(() => glue.revocationHashes(hc1(text))),
    validate: (payload, at, valueSets) => {
      const p = payloadJson(payload);
      const s = seconds(at, 'the validation time');
      return view(() => glue.validate(p, s, strings(valueSets, 'a value-set file')));
    },
    transliterate: (name) => call(() => glue.transliterate(string(name, 'the name'))),
    generateUvci: (country, issuerPart) =>
      call(() => glue.generateUvci(string(country, 'the country'), string(issuerPart, 'the issuer part'))),
    generateKey: (options) => view(() => glue.generateKey(optionsJson(options))),
    loadRules: (json) => new RuleSet(INTERNAL, call(() => glue.loadRules(jsonInput(json, 'invalid_rule', 'the rules')))),
    evaluateRule: (rule, data) => {
      const r = jsonInput(rule, 'invalid_rule', 'the rule');
      return view(() => glue.evaluateRule(r, jsonInput(data, 'invalid_argument', 'the data')));
    },
    /** The result is JSON data as the expression gives it: no key is renamed. */
    evaluateCertlogic: (expression, data) => {
      const e = jsonInput(expression, 'invalid_argument', 'the expression');
      return JSON.parse(call(() => glue.evaluateCertlogic(e, jsonInput(data, 'invalid_argument', 'the data'))));
    },
    errorCodes: () => glue.errorCodes(),
    checkCodes: () => glue.checkCodes(),
    issueCodes: () => glue.issueCodes(),
    now: () => glue.now(),
    version: () => glue.version(),
    demoCertificatePem: () => glue.demoCertificatePem(),
  };
}
