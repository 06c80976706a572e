'use strict';
// Node only (index.cjs, and index.node.js through it): ES256 issuers made by Issuer.fromPem
// sign through node:crypto (OpenSSL) instead of the P-256 code inside the WebAssembly module,
// about three times faster. The facade still parses the key and the certificate and checks
// that they belong together (Issuer::from_pem), and the issuer keeps the module's key for
// everything but `issue` (prepare, certificateRequest): errors are exactly those of every other
// build; only the signature comes from OpenSSL (hedged nonces). Issuer.fromPemDeterministic
// keeps the module's RFC 6979 signatures. Browsers have no synchronous WebCrypto and always
// sign in the module.
const crypto = require('node:crypto');

const isPemText = (bytes) => bytes.includes('-----BEGIN');

function nodeKey(key) {
  try {
    let k;
    if (typeof key === 'string') {
      k = crypto.createPrivateKey(key);
    } else {
      const bytes = Buffer.from(key);
      k = isPemText(bytes)
        ? crypto.createPrivateKey(bytes)
        : crypto.createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    }
    return k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      ? k
      : null;
  } catch {
    return null; // a form OpenSSL does not read (e.g. SEC1 DER): the module signs
  }
}

function nodeCertificate(certificate) {
  try {
    if (typeof certificate === 'string') {
      const text = certificate.trim();
      return new crypto.X509Certificate(text.includes('-----BEGIN') ? text : Buffer.from(text, 'base64'));
    }
    return new crypto.X509Certificate(Buffer.from(certificate));
  } catch {
    return null;
  }
}

const spki = (publicKey) => publicKey.export({ type: 'spki', format: 'der' });

/**
 * For api.js (`host.fastSigner`): a node:crypto signing function for the key of `checked`, an
 * issuer just made by Issuer.fromPem(key, certificate) (key and certificate checked by the
 * facade), or null when the module should sign (not ES256, or a form OpenSSL does not read).
 */
function nodeSigner(key, certificate, checked) {
  if (checked.algorithm !== 'ES256') return null;
  const privateKey = nodeKey(key);
  const cert = nodeCertificate(certificate);
  if (!privateKey || !cert) return null;
  // OpenSSL must have read the same certificate (same kid) and the same key (same public key)
  // as the module; on any doubt the module signs.
  const kid = crypto.createHash('sha256').update(cert.raw).digest().subarray(0, 8).toString('base64');
  if (kid !== checked.signer.kid || !spki(crypto.createPublicKey(privateKey)).equals(spki(cert.publicKey))) {
    return null;
  }
  return (tbs) => crypto.sign('sha256', tbs, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

module.exports = { nodeSigner };
