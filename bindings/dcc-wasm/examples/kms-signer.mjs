// @ts-check
// Issuing with a signing key that never leaves a cloud KMS (AWS KMS, Google Cloud KMS) or any
// remote signer that, like them, signs a SHA-256 digest and answers with a DER ECDSA signature
// (ES256) or an RSASSA-PSS signature (PS256, salt length 32 = the digest length).
//
// dcc-kit signs asynchronous keys in three steps: `issuer.prepare(payload)` validates and
// encodes everything but the signature (and throws the same errors as `issue`, before the KMS
// is called), the KMS signs the SHA-256 of `prepared.tbs`, and `prepared.finish(signature)`
// encodes the certificate (DER or raw r || s for ES256). The adapter below runs in browsers and
// in Node (WebCrypto for the digest); the stand-in for the cloud (`localKms`) is Node only.
//
//   node kms-signer.mjs      (with dcc-kit installed; the stand-in "cloud" is OpenSSL signing
//                             the digest on this machine: `openssl` must be on PATH)
//
// Tested by tests/kms.test.mjs in bindings/dcc-wasm.

import { Issuer, SigningFailedError, DccError, Verifier, generateKey } from 'dcc-kit';

/**
 * Signs a SHA-256 digest (32 bytes) with the KMS key: a DER ECDSA signature for ES256, the
 * RSASSA-PSS signature for PS256.
 * @typedef {(digest: Uint8Array) => Promise<Uint8Array>} SignDigest
 */

/**
 * An issuer whose key is in a KMS: `issue` and `issueBatch` are asynchronous.
 * @typedef {object} KmsIssuer
 * @property {import('dcc-kit').Issuer} issuer the issuer (DSC, algorithm; `prepare`)
 * @property {(payload: import('dcc-kit').DccPayload | string, options?: import('dcc-kit').IssueOptions) => Promise<import('dcc-kit').Certificate>} issue
 *   one certificate; a KMS failure is a `SigningFailedError`
 * @property {(payloads: ReadonlyArray<import('dcc-kit').DccPayload | string>, options?: import('dcc-kit').IssueOptions, concurrency?: number) => Promise<Array<import('dcc-kit').Certificate | DccError>>} issueBatch
 *   one certificate or DccError per payload, in order, at most `concurrency` (default 8) KMS
 *   calls at a time
 */

/**
 * The issuer for a KMS key and its DSC (PEM, DER or base64). The algorithm must fit the DSC's
 * key (`InvalidKeyError` otherwise): ES256 for a P-256 key, PS256 for an RSA key.
 * @param {import('dcc-kit').Algorithm} algorithm
 * @param {SignDigest} signDigest
 * @param {string | Uint8Array} certificate
 * @returns {KmsIssuer}
 */
export function kmsIssuer(algorithm, signDigest, certificate) {
  const issuer = Issuer.fromSigner(
    algorithm,
    () => {
      throw new Error('this key signs asynchronously: use the issue() of kmsIssuer');
    },
    certificate,
  );
  /** @type {KmsIssuer['issue']} */
  const issue = async (payload, options) => {
    const prepared = issuer.prepare(payload, options);
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', prepared.tbs));
    let signature;
    try {
      signature = await signDigest(digest);
    } catch (e) {
      throw new SigningFailedError(`the KMS did not sign: ${e instanceof Error ? e.message : String(e)}`);
    }
    return prepared.finish(signature);
  };
  /** @type {KmsIssuer['issueBatch']} */
  const issueBatch = async (payloads, options, concurrency = 8) => {
    /** @type {Array<import('dcc-kit').Certificate | DccError>} */
    const results = new Array(payloads.length);
    let next = 0;
    const worker = async () => {
      while (next < payloads.length) {
        const i = next++;
        try {
          results[i] = await issue(/** @type {import('dcc-kit').DccPayload | string} */ (payloads[i]), options);
        } catch (e) {
          if (!(e instanceof DccError)) throw e;
          results[i] = e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, payloads.length)) }, worker));
    return results;
  };
  return { issuer, issue, issueBatch };
}

/**
 * AWS KMS through the AWS SDK for JavaScript v3 (`@aws-sdk/client-kms`):
 * `awsKms(new KMSClient({ region }), SignCommand, 'alias/dcc-dsc')`. Key spec ECC_NIST_P256 for
 * ES256 (ECDSA_SHA_256), RSA_2048/3072/4096 for PS256 (RSASSA_PSS_SHA_256: salt length 32).
 * @param {{ send: (command: any) => Promise<{ Signature?: Uint8Array }> }} client a KMSClient
 * @param {new (input: object) => any} SignCommand the SDK's SignCommand
 * @param {string} keyId key ID, ARN or alias
 * @param {import('dcc-kit').Algorithm} [algorithm]
 * @returns {SignDigest}
 */
export function awsKms(client, SignCommand, keyId, algorithm = 'ES256') {
  const SigningAlgorithm = algorithm === 'PS256' ? 'RSASSA_PSS_SHA_256' : 'ECDSA_SHA_256';
  return async (digest) => {
    const out = await client.send(new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm }));
    if (!out.Signature) throw new Error('AWS KMS returned no signature');
    return out.Signature;
  };
}

/**
 * Google Cloud KMS (`@google-cloud/kms`): `googleKms(new KeyManagementServiceClient(), name)`
 * with the key version's resource name (`projects/.../cryptoKeyVersions/1`). Algorithm
 * EC_SIGN_P256_SHA256 for ES256, RSA_SIGN_PSS_2048_SHA256 (or 3072, 4096) for PS256. (Google
 * recommends sending and checking CRC32C checksums too: `digestCrc32c`, `signatureCrc32c`.)
 * @param {{ asymmetricSign: (request: object) => Promise<[{ signature?: Uint8Array | string | null }, ...unknown[]]> }} client
 * @param {string} name the key version
 * @returns {SignDigest}
 */
export function googleKms(client, name) {
  return async (digest) => {
    const [response] = await client.asymmetricSign({ name, digest: { sha256: digest } });
    if (!(response.signature instanceof Uint8Array)) throw new Error('Google Cloud KMS returned no signature');
    return response.signature;
  };
}

/**
 * A local stand-in for the cloud call, for this example and its test only: OpenSSL signs the
 * digest it is given, as the KMS does (`openssl pkeyutl`; DER ECDSA for a P-256 key, RSASSA-PSS
 * with SHA-256, MGF1-SHA-256 and salt length 32 for an RSA key). Node only.
 * @param {string} keyPem the private key the stand-in holds
 * @returns {SignDigest}
 */
export function localKms(keyPem) {
  return async (digest) => {
    if (digest.length !== 32) throw new Error(`a SHA-256 digest has 32 bytes, not ${digest.length}`);
    const [{ spawn }, fs, os, path, crypto] = await Promise.all([
      import('node:child_process'), import('node:fs/promises'), import('node:os'), import('node:path'), import('node:crypto'),
    ]);
    const rsa = crypto.createPrivateKey(keyPem).asymmetricKeyType === 'rsa';
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kms-stand-in-'));
    try {
      const keyFile = path.join(dir, 'key.pem');
      await fs.writeFile(keyFile, keyPem, { mode: 0o600 });
      const pss = ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:32', '-pkeyopt', 'rsa_mgf1_md:sha256'];
      const args = ['pkeyutl', '-sign', '-inkey', keyFile, '-pkeyopt', 'digest:sha256', ...(rsa ? pss : [])];
      return await new Promise((resolve, reject) => {
        const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
        /** @type {Buffer[]} */
        const out = [];
        /** @type {Buffer[]} */
        const err = [];
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => err.push(b));
        child.on('error', reject);
        child.on('close', (status) =>
          status === 0
            ? resolve(new Uint8Array(Buffer.concat(out)))
            : reject(new Error(`openssl pkeyutl: ${Buffer.concat(err).toString().trim()}`)),
        );
        child.stdin.end(digest);
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}

/** The example: a key "in the KMS", AWS-shaped, one certificate issued and verified. */
async function main() {
  // In production the key is created in the KMS (never exported) and its DSC comes from the
  // national CSCA; here a fresh key and its self-signed DSC stand in.
  const key = generateKey({ country: 'DE', commonName: 'DSC KMS 1', organization: 'Example Health' });
  const kms = localKms(key.keyPem);
  // What `new KMSClient(...)` and `SignCommand` of @aws-sdk/client-kms look like to the adapter.
  class SignCommand {
    /** @param {any} input */
    constructor(input) {
      this.input = input;
    }
  }
  const client = {
    /** @param {SignCommand} command */
    send: async (command) => ({ Signature: await kms(command.input.Message) }),
  };

  const dsc = kmsIssuer('ES256', awsKms(client, SignCommand, 'alias/dcc-dsc'), key.certPem);
  const cert = await dsc.issue({
    ver: '1.3.0', nam: { fn: 'Musterfrau', fnt: 'MUSTERFRAU' }, dob: '1964-08-12',
    v: [{ tg: '840539006', vp: '1119349007', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2, sd: 2,
          dt: '2021-05-29', co: 'DE', is: 'Robert Koch-Institut', ci: 'URN:UVCI:01:DE:KMS1#X' }],
  }, { iss: 'DE' });
  const result = Verifier.fromCerts([key.certPem]).verify(cert.hc1);
  console.log(result.valid, result.checks.signature.status, cert.algorithm, result.signer?.subject);
}

if (typeof process !== 'undefined' && process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  await main();
}
