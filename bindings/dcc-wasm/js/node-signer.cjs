'use strict';
// Node only (index.cjs, and index.node.js through it): ES256 issuers made by Issuer.fromPem
// sign through node:crypto (OpenSSL) instead of the P-256 code inside the WebAssembly module,
// about three times faster. The module still parses the key and the certificate and checks
// that they belong together, so errors are exactly those of every other build; only the
// signature comes from OpenSSL (hedged nonces). `{ deterministic: true }` keeps the module's
// RFC 6979 signatures. Browsers have no synchronous WebCrypto and always sign in the module.
const crypto = require('node:crypto');

function nodeKey(key) {
  try {
    const k =
      typeof key === 'string'
        ? crypto.createPrivateKey(key)
        : crypto.createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
    return k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      ? k
      : null;
  } catch {
    return null; // a form OpenSSL does not read (e.g. SEC1 DER): the module signs
  }
}

function installNodeSigner(glue) {
  const { Issuer } = glue;
  const inModule = Issuer.fromPem;
  Issuer.fromPem = function fromPem(key, certificate, options) {
    const checked = inModule.call(Issuer, key, certificate, options);
    if (options?.deterministic === true || checked.algorithm !== 'ES256') return checked;
    const privateKey = nodeKey(key);
    if (!privateKey) return checked;
    const sign = (tbs) => crypto.sign('sha256', tbs, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const fast = Issuer.fromSigner('ES256', sign, certificate);
    checked.free();
    return fast;
  };
}

module.exports = { installNodeSigner };
