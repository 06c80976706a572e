// Example: signing DCCs with a key in a cloud KMS (AWS KMS, Google Cloud KMS) through dcc-kit's
// signer callback. Compiled and run by bindings/dcc-ffi/test.sh (KeyCustodyTest.kt exercises it
// against LocalKms, the local stand-in for the cloud call); the cloud calls themselves are shown
// in the KDoc of KmsClient, as they need the vendors' SDKs.
package dcckit.examples

import dcckit.Algorithm
import dcckit.DccSigner
import dcckit.Issuer
import java.security.MessageDigest
import java.security.PrivateKey
import java.security.Signature

/**
 * The one call a KMS signer needs: sign a SHA-256 digest with the key `keyId` and return the
 * DER-encoded ECDSA signature (`SEQUENCE { r INTEGER, s INTEGER }`), which is what both clouds
 * return and what dcc-kit accepts as is.
 *
 * AWS KMS (AWS SDK for Java 2.x, a key of spec `ECC_NIST_P256`):
 * ```kotlin
 * val aws = software.amazon.awssdk.services.kms.KmsClient.create()
 * val kms = KmsClient { keyId, digest ->
 *     aws.sign {
 *         it.keyId(keyId)                                   // key id, ARN or alias
 *             .message(SdkBytes.fromByteArray(digest))
 *             .messageType(MessageType.DIGEST)              // the digest, not the message
 *             .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
 *     }.signature().asByteArray()                           // DER
 * }
 * ```
 *
 * Google Cloud KMS (google-cloud-kms, a key of algorithm `EC_SIGN_P256_SHA256`):
 * ```kotlin
 * val gcp = KeyManagementServiceClient.create()
 * val kms = KmsClient { keyVersionName, digest ->
 *     val d = Digest.newBuilder().setSha256(ByteString.copyFrom(digest)).build()
 *     gcp.asymmetricSign(CryptoKeyVersionName.parse(keyVersionName), d)
 *         .signature.toByteArray()                          // DER
 * }
 * ```
 */
fun interface KmsClient {
    /** Signs `digest` (32 bytes, SHA-256) with the key `keyId`; returns the DER ECDSA signature. */
    fun signDigest(keyId: String, digest: ByteArray): ByteArray
}

/**
 * dcc-kit's signer callback on top of a [KmsClient]: hashes the COSE `Sig_structure` with
 * SHA-256 (only the 32-byte digest goes to the KMS, never the personal data in the payload) and
 * returns the KMS's DER signature, which dcc-kit converts to COSE's raw `r || s`.
 *
 * ```kotlin
 * val issuer = Issuer.fromSigner(KmsDccSigner(kms, "arn:aws:kms:eu-central-1:111122223333:key/…"), dscPem)
 * val cert = issuer.issue(payloadJson)
 * ```
 *
 * `sign` is called on the thread that issues (several at once when the issuer is shared), so
 * the client must be thread-safe (both SDK clients are). Whatever it throws (throttling, a
 * disabled key, no network) reaches the caller of `issue` as `DccException.SigningFailed`
 * with the exception's text. The KMS key must be the DSC's key: `fromSigner` checks the
 * algorithm, and a certificate signed by another key fails verification. `issuer
 * .certificateRequest(KeyOptions(...))` makes a PKCS#10 request signed through the KMS too.
 */
class KmsDccSigner(private val kms: KmsClient, private val keyId: String) : DccSigner {
    /** KMS keys of spec ECC_NIST_P256 / EC_SIGN_P256_SHA256 sign ES256. */
    override fun algorithm() = Algorithm.ES256

    override fun sign(tbs: ByteArray): ByteArray {
        val digest = MessageDigest.getInstance("SHA-256").digest(tbs)
        return kms.signDigest(keyId, digest)
    }
}

/**
 * A local stand-in for the cloud KMS, for tests and development: the keys live in this process
 * (`java.security` P-256 keys) and `signDigest` signs the digest exactly as KMS does with
 * `MessageType.DIGEST`: `NONEwithECDSA` over the 32 bytes, DER out. An unknown key id throws,
 * as KMS's `NotFoundException` would.
 */
class LocalKms(private val keys: Map<String, PrivateKey>) : KmsClient {
    override fun signDigest(keyId: String, digest: ByteArray): ByteArray {
        val key = keys[keyId] ?: throw IllegalArgumentException("KMS: key $keyId not found")
        require(digest.size == 32) { "KMS: a SHA-256 digest is 32 bytes, got ${digest.size}" }
        return Signature.getInstance("NONEwithECDSA").run {
            initSign(key)
            update(digest)
            sign()
        }
    }
}

/** The whole flow in one function: a KMS key and its DSC give an issuer. */
fun kmsIssuer(kms: KmsClient, keyId: String, dscPem: String): Issuer =
    Issuer.fromSigner(KmsDccSigner(kms, keyId), dscPem)
