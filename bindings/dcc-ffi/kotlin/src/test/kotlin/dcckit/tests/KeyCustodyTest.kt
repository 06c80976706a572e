// Tests of key custody, run by main() in DccKitTest.kt: certificate signing requests (checked
// with `openssl req -verify`), a cloud-KMS signer through the callback (the example in
// src/examples/kotlin/dcckit/examples/KmsSigner.kt, with its local stand-in), and signing in a
// real SoftHSM2 token through PKCS#11.
//
// The PKCS#11 tests need the token the test command initialises (`eval "$(bash
// scripts/softhsm.sh init)"`: SOFTHSM2_CONF, DCC_TEST_PKCS11_MODULE, DCC_TEST_PKCS11_TOKEN,
// DCC_TEST_PKCS11_PIN). Without it they are skipped with a message, unless DCC_REQUIRE_PKCS11 is
// set, which makes them fail. Keys persist in the token: every label is unique to the run.
package dcckit.tests

import dcckit.Algorithm
import dcckit.CertificateType
import dcckit.DccException
import dcckit.Issuer
import dcckit.KeyOptions
import dcckit.Pkcs11Options
import dcckit.Pkcs11Pin
import dcckit.TokenKey
import dcckit.Verifier
import dcckit.examples.KmsClient
import dcckit.examples.KmsDccSigner
import dcckit.examples.LocalKms
import dcckit.examples.kmsIssuer
import dcckit.generateKey
import dcckit.generateKeyInToken
import dcckit.now
import java.io.File
import java.nio.file.Files
import java.security.MessageDigest
import java.security.PublicKey
import java.security.Signature
import java.security.spec.MGF1ParameterSpec
import java.security.spec.PSSParameterSpec
import java.util.Collections
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

// ---------------------------------------------------------------------------------------------
// Helpers.

private const val OID_TEST = "1.3.6.1.4.1.1847.2021.1.1"
private const val OID_VACCINATION = "1.3.6.1.4.1.1847.2021.1.2"
private const val OID_RECOVERY = "1.3.6.1.4.1.1847.2021.1.3"

private val scratch: File by lazy { Files.createTempDirectory("dcckit-custody").toFile().apply { deleteOnExit() } }

private fun tempFile(name: String, text: String) = File(scratch, name).apply { writeText(text); deleteOnExit() }

/** Runs a command; its exit status and its stdout and stderr together. */
private fun run(vararg command: String, env: Map<String, String> = emptyMap()): Pair<Int, String> {
    val pb = ProcessBuilder(*command).redirectErrorStream(true)
    pb.environment().putAll(env)
    val process = pb.start()
    val output = process.inputStream.bufferedReader().readText()
    check(process.waitFor(120, TimeUnit.SECONDS)) { "${command.take(3)} timed out" }
    return process.exitValue() to output
}

/**
 * `openssl req -verify -text` on a PEM request: fails unless OpenSSL parses it and its
 * self-signature verifies. Returns the text dump.
 */
private fun opensslReq(pem: String, name: String): String {
    check(pem.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) { "$name: not a PEM request: ${pem.take(40)}" }
    val file = tempFile("$name.csr", pem)
    val (status, text) = run("openssl", "req", "-in", file.path, "-verify", "-noout", "-text")
    check(status == 0 && text.contains("verify OK")) { "$name: openssl req -verify failed: $text" }
    return text
}

/** The SubjectPublicKeyInfo of a request (`req`) or a certificate (`x509`), as OpenSSL reads it. */
private fun opensslPublicKey(kind: String, pem: String, name: String): String {
    val file = tempFile("$name.$kind.pem", pem)
    val (status, text) = run("openssl", kind, "-in", file.path, "-pubkey", "-noout")
    check(status == 0 && text.contains("BEGIN PUBLIC KEY")) { "$name: openssl $kind -pubkey: $text" }
    return text.trim()
}

/** The request verifies, asks for exactly `oids`, has the subject parts `subject`, and holds the DSC's key. */
private fun checkRequest(csr: String, dscPem: String?, name: String, subject: List<String>, oids: List<String>): String {
    val text = opensslReq(csr, name)
    for (want in subject + oids + "Digital Signature") {
        check(text.contains(want)) { "$name: $want missing from the request: $text" }
    }
    for (oid in listOf(OID_TEST, OID_VACCINATION, OID_RECOVERY) - oids.toSet()) {
        check(!text.contains(oid)) { "$name: $oid requested but not asked for: $text" }
    }
    if (dscPem != null) {
        eq(opensslPublicKey("req", csr, name), opensslPublicKey("x509", dscPem, name), "$name: the request's key is the DSC's")
    }
    return text
}

private fun sha256(bytes: ByteArray) = MessageDigest.getInstance("SHA-256").digest(bytes)

/** The COSE signature of an issued certificate checked with java.security, against the tbs of `prepare`. */
private fun javaVerifies(alg: Algorithm, publicKey: PublicKey, tbs: ByteArray, cose: ByteArray): Boolean = when (alg) {
    Algorithm.ES256 -> ecdsaVerifies(publicKey, tbs, rawToDer(cose.copyOfRange(cose.size - 64, cose.size)))
    Algorithm.PS256 -> Signature.getInstance("RSASSA-PSS").run {
        setParameter(PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1))
        initVerify(publicKey)
        update(tbs)
        verify(cose.copyOfRange(cose.size - 384, cose.size)) // RSA-3072: 384 bytes
    }
}

// ---------------------------------------------------------------------------------------------
// Certificate signing requests and KeyOptions (keys in memory).

fun certificateRequests() {
    test("generateKey: csrPem and certPem carry the subject and the requested certificate types") {
        val k = generateKey(
            country = "DE", commonName = "DSC Pharmacy 4711", organization = "Example Health Ltd",
            certificateTypes = listOf(CertificateType.RECOVERY, CertificateType.VACCINATION, CertificateType.RECOVERY),
        )
        checkRequest(
            k.csrPem(), k.certPem(), "generated",
            listOf("C = DE", "O = Example Health Ltd", "CN = DSC Pharmacy 4711"), listOf(OID_VACCINATION, OID_RECOVERY),
        )
        check(opensslReq(k.csrPem(), "generated-alg").contains("ecdsa-with-SHA256")) { "signature algorithm" }
        // The self-signed DSC allows exactly these types, in the order of their OIDs, once each.
        eq(x509(k.certPem()).extendedKeyUsage, listOf(OID_VACCINATION, OID_RECOVERY), "DSC extended key usage")
        check(k.toString().contains("CERTIFICATE REQUEST") && !k.toString().contains("PRIVATE")) { "toString: $k" }
        // A key for vaccinations only: a test certificate it signs fails the key-usage check.
        val vOnly = generateKey(certificateTypes = listOf(CertificateType.VACCINATION))
        val issuer = Issuer.fromPem(vOnly.keyPem(), vOnly.certPem())
        val verifier = Verifier.fromCerts(listOf(vOnly.certPem()))
        assertValid(verifier.verify(issuer.issue(examples.getValue("vaccination"), options(validity = days(30))).hc1(), now() + 60), "allowed type")
        val test = verifier.verify(issuer.issue(examples.getValue("test"), null).hc1(), now() + 60)
        check(!test.valid && outcomeCode(test.checks.keyUsage) != "passed") { "a test certificate passed: ${test.checks.keyUsage}" }
    }

    test("Issuer.certificateRequest for keys in memory: ES256 and PS256, defaults, refused options") {
        val es = Issuer.fromPem(keyEs, dscEs)
        // Defaults: C=XX, CN=dcc-kit test DSC, no O, all three types.
        val text = checkRequest(
            es.certificateRequest(), dscEs, "memory-es256",
            listOf("C = XX", "CN = dcc-kit test DSC"), listOf(OID_TEST, OID_VACCINATION, OID_RECOVERY),
        )
        check(!text.contains("O = ")) { "an organization by default: $text" }
        val deterministic = Issuer.fromPemDeterministic(keyEs, dscEs)
        eq(deterministic.certificateRequest(null), deterministic.certificateRequest(KeyOptions()), "null and KeyOptions() (RFC 6979: the same request, the same bytes)")
        val ps = Issuer.fromPem(keyRsa, dscPs).certificateRequest(KeyOptions(country = "NL", commonName = "RSA DSC", certificateTypes = listOf(CertificateType.TEST)))
        check(checkRequest(ps, dscPs, "memory-ps256", listOf("C = NL", "CN = RSA DSC"), listOf(OID_TEST)).contains("rsassaPss")) { "PS256 request" }
        eq(throws<DccException.InvalidOptions> { es.certificateRequest(KeyOptions(country = "de")) }.code(), "invalid_options", "lower-case country")
        eq(throws<DccException.InvalidOptions> { es.certificateRequest(KeyOptions(commonName = "  ")) }.code(), "invalid_options", "blank common name")
        eq(throws<DccException.InvalidOptions> { generateKey(country = "DEU") }.code(), "invalid_options", "three-letter country")
    }
}

// ---------------------------------------------------------------------------------------------
// A cloud KMS through the signer callback (the example in src/examples).

/** Records every digest that reaches the KMS, then asks the real one. */
private class RecordingKms(private val inner: KmsClient) : KmsClient {
    val digests: MutableList<ByteArray> = Collections.synchronizedList(mutableListOf())
    override fun signDigest(keyId: String, digest: ByteArray): ByteArray {
        digests.add(digest)
        return inner.signDigest(keyId, digest)
    }
}

fun kmsSigner() {
    val keyId = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    val dsc = generateKey(country = "DE", commonName = "DSC in a KMS", organization = "Example Health Ltd")
    val kmsKey = privateKey(dsc.keyPem(), "EC")
    val publicKey = x509(dsc.certPem()).publicKey
    val verifier = Verifier.fromCerts(listOf(dsc.certPem()))
    val opts = options(issuedAt = now(), validity = days(30))

    test("KMS example: the local stand-in signs the digest (NONEwithECDSA, DER) as KMS does") {
        val der = LocalKms(mapOf(keyId to kmsKey)).signDigest(keyId, sha256("tbs".toByteArray()))
        eq(der[0], 0x30.toByte(), "a DER SEQUENCE")
        check(ecdsaVerifies(publicKey, "tbs".toByteArray(), der)) { "NONEwithECDSA over the digest is SHA256withECDSA over the message" }
    }

    test("KMS example: an issuer on KmsDccSigner issues certificates that verify; only digests leave") {
        val kms = RecordingKms(LocalKms(mapOf(keyId to kmsKey)))
        val issuer = kmsIssuer(kms, keyId, dsc.certPem())
        eq(issuer.algorithm(), Algorithm.ES256, "algorithm")
        for ((name, payload) in examples) {
            val cert = issuer.issue(payload, opts)
            assertValid(verifier.verify(cert.hc1(), now() + 60), "KMS $name")
            // The KMS saw the SHA-256 of exactly the bytes an in-memory key signs, and the COSE
            // signature (raw r||s, converted from the KMS's DER) verifies in java.security.
            val tbs = Issuer.fromPem(dsc.keyPem(), dsc.certPem()).prepare(payload, opts).tbs()
            check(kms.digests.last().contentEquals(sha256(tbs))) { "$name: the KMS did not get SHA-256(tbs)" }
            check(javaVerifies(Algorithm.ES256, publicKey, tbs, cert.cose())) { "$name: java.security rejects the signature" }
        }
        eq(kms.digests.size, 3, "one KMS call per certificate")
        check(kms.digests.all { it.size == 32 }) { "only 32-byte digests go to the KMS" }
    }

    test("KMS example: certificateRequest is signed through the KMS and verifies with openssl") {
        val kms = RecordingKms(LocalKms(mapOf(keyId to kmsKey)))
        val csr = kmsIssuer(kms, keyId, dsc.certPem())
            .certificateRequest(KeyOptions(country = "DE", commonName = "DSC in a KMS", organization = "Example Health Ltd"))
        checkRequest(csr, dsc.certPem(), "kms", listOf("C = DE", "O = Example Health Ltd", "CN = DSC in a KMS"), listOf(OID_TEST, OID_VACCINATION, OID_RECOVERY))
        eq(kms.digests.size, 1, "one KMS call for the request")
    }

    test("KMS example: KMS failures are SigningFailed with the KMS's text; a wrong KMS key does not verify") {
        val unknown = kmsIssuer(LocalKms(emptyMap()), keyId, dsc.certPem())
        val e = throws<DccException.SigningFailed> { unknown.issue(examples.getValue("test"), opts) }
        check(e.reason.contains("not found")) { e.reason }
        val throttled = Issuer.fromSigner(KmsDccSigner({ _, _ -> throw RuntimeException("ThrottlingException: rate exceeded") }, keyId), dsc.certPem())
        check(throws<DccException.SigningFailed> { throttled.issue(examples.getValue("test"), opts) }.reason.contains("ThrottlingException")) { "throttling" }
        val otherKey = privateKey(generateKey().keyPem(), "EC")
        val wrong = kmsIssuer(LocalKms(mapOf(keyId to otherKey)), keyId, dsc.certPem())
        val v = verifier.verify(wrong.issue(examples.getValue("test"), opts).hc1(), now() + 60)
        eq(outcomeCode(v.checks.signature), "invalid_signature", "another KMS key")
        // A request signed by another key than the DSC's does not verify either.
        val (status, text) = run("openssl", "req", "-in", tempFile("wrong.csr", wrong.certificateRequest()).path, "-verify", "-noout")
        check(status != 0 || !text.contains("verify OK")) { "openssl accepted a request signed by another key: $text" }
    }
}

// ---------------------------------------------------------------------------------------------
// PKCS#11 on SoftHSM2.

private class Token(val module: String, val label: String, val pin: String) {
    fun uri(obj: String) = "pkcs11:token=$label;object=$obj?module-path=$module"
    fun options(maxSessions: UInt = 0u) = Pkcs11Options(pin = Pkcs11Pin(pin), maxSessions = maxSessions)
}

private fun token(): Token? {
    fun env(k: String) = System.getenv(k)?.takeIf { it.isNotEmpty() }
    val module = env("DCC_TEST_PKCS11_MODULE")
    val label = env("DCC_TEST_PKCS11_TOKEN")
    val pin = env("DCC_TEST_PKCS11_PIN")
    if (module != null && label != null && pin != null && env("SOFTHSM2_CONF") != null) return Token(module, label, pin)
    if (System.getenv("DCC_REQUIRE_PKCS11") != null) {
        test("PKCS#11 token") { throw AssertionError("DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured (scripts/softhsm.sh)") }
    } else {
        println("no SoftHSM2 token (eval \"\$(bash scripts/softhsm.sh init)\"): PKCS#11 tests not run")
    }
    return null
}

private val runId = "kt-${ProcessHandle.current().pid()}-${System.currentTimeMillis() % 100_000}"
private fun unique(name: String) = "$runId-$name"

private val requested = KeyOptions(
    country = "DE", commonName = "DSC Pharmacy 4711", organization = "Example Health Ltd",
    certificateTypes = listOf(CertificateType.VACCINATION, CertificateType.RECOVERY),
)

fun pkcs11() {
    val t = token() ?: return
    val payload = examples.getValue("vaccination")
    val keys = mutableMapOf<Algorithm, Pair<String, TokenKey>>()

    for (alg in listOf(Algorithm.ES256, Algorithm.PS256)) {
        test("PKCS#11 $alg: a key generated in the token issues certificates that verify (dcc-kit and java.security)") {
            val label = unique("dsc-$alg")
            val key = generateKeyInToken(t.uri(label), alg, t.options(), requested)
            keys[alg] = label to key
            eq(key.algorithm(), alg, "key algorithm")
            val issuer = Issuer.fromPkcs11(t.uri(label), key.certPem(), t.options())
            eq(issuer.algorithm(), alg, "issuer algorithm")
            val opts = options(issuedAt = now(), validity = days(30))
            val cert = issuer.issue(payload, opts)
            eq(cert.algorithm(), alg, "certificate algorithm")
            assertValid(Verifier.fromCerts(listOf(key.certPem())).verify(cert.hc1(), now() + 60), "$alg via fromPkcs11")
            val tbs = issuer.prepare(payload, opts).tbs()
            check(javaVerifies(alg, x509(key.certPem()).publicKey, tbs, cert.cose())) { "java.security rejects the $alg signature" }
            // The TokenKey's own issuer signs with the session already open.
            assertValid(Verifier.fromCerts(listOf(key.certPem())).verify(key.issuer(null).issue(payload, opts).hc1(), now() + 60), "$alg via TokenKey.issuer")
            // A second key with the same label is refused.
            val again = throws<DccException.Pkcs11DeviceException> { generateKeyInToken(t.uri(label), alg, t.options()) }
            eq(again.code(), "pkcs11_device_error", "label taken")
        }

        test("PKCS#11 $alg: the token key's certificate request verifies with openssl and asks for the requested types") {
            val (label, key) = keys[alg] ?: throw AssertionError("no $alg key (the test above failed)")
            val subject = listOf("C = DE", "O = Example Health Ltd", "CN = DSC Pharmacy 4711")
            val text = checkRequest(key.csrPem(), key.certPem(), "token-$alg", subject, listOf(OID_VACCINATION, OID_RECOVERY))
            check(text.contains(if (alg == Algorithm.ES256) "ecdsa-with-SHA256" else "rsassaPss")) { "signature algorithm: $text" }
            eq(x509(key.certPem()).extendedKeyUsage, listOf(OID_VACCINATION, OID_RECOVERY), "self-signed DSC extended key usage")
            // Issuer.certificateRequest signs a new request in the token, for another subject.
            val renewed = Issuer.fromPkcs11(t.uri(label), key.certPem(), t.options())
                .certificateRequest(KeyOptions(country = "DE", commonName = "DSC renewed", certificateTypes = listOf(CertificateType.TEST)))
            checkRequest(renewed, key.certPem(), "token-renewed-$alg", listOf("C = DE", "CN = DSC renewed"), listOf(OID_TEST))
        }
    }

    val secret = "not-the-pin-8642"
    val es = keys[Algorithm.ES256]
    if (es == null) {
        test("PKCS#11 errors") { throw AssertionError("no ES256 key (the first PKCS#11 test failed)") }
        return
    }
    val (esLabel, esKey) = es
    val cert = esKey.certPem()

    // Each failure its own case. The secret PIN is given where the token never sees it; a
    // wrong PIN against the token is tested in a fresh process (below).
    val cases = listOf<Triple<String, () -> Unit, String>>(
        Triple("missing token", { Issuer.fromPkcs11("pkcs11:token=no-such-token-$runId;object=$esLabel?module-path=${t.module}", cert, Pkcs11Options(pin = Pkcs11Pin(secret))) }, "pkcs11_token_not_found"),
        Triple("missing key", { Issuer.fromPkcs11(t.uri(unique("no-such-key")), cert, t.options()) }, "pkcs11_key_not_found"),
        Triple("bad module path", { Issuer.fromPkcs11("pkcs11:token=${t.label};object=$esLabel", cert, Pkcs11Options(modulePath = "/nonexistent/libnothing.so", pin = Pkcs11Pin(secret))) }, "pkcs11_module_unavailable"),
        Triple("not a PKCS#11 library", { Issuer.fromPkcs11("pkcs11:token=${t.label};object=$esLabel?module-path=/usr/lib/x86_64-linux-gnu/libz.so.1", cert, Pkcs11Options(pin = Pkcs11Pin(secret))) }, "pkcs11_module_unavailable"),
        Triple("not a PKCS#11 URI", { Issuer.fromPkcs11("pkcs12:token=x", cert, Pkcs11Options(pin = Pkcs11Pin(secret))) }, "invalid_argument"),
        Triple("a DSC that is not one", { Issuer.fromPkcs11(t.uri(esLabel), "not a certificate", t.options()) }, "invalid_certificate"),
        Triple("RSA token key with an EC DSC", { Issuer.fromPkcs11(t.uri(keys[Algorithm.PS256]!!.first), cert, t.options()) }, "invalid_key"),
        Triple("EC token key with an RSA DSC", { Issuer.fromPkcs11(t.uri(esLabel), keys[Algorithm.PS256]!!.second.certPem(), t.options()) }, "invalid_key"),
        Triple("another EC key with this EC DSC", { Issuer.fromPkcs11(t.uri(esLabel), generateKey().certPem(), t.options()) }, "invalid_key"),
        Triple("the TokenKey with another key's DSC", { esKey.issuer(generateKey().certPem()) }, "invalid_key"),
        Triple("generating in a missing token", { generateKeyInToken("pkcs11:token=no-such-token-$runId;object=x?module-path=${t.module}", Algorithm.ES256, t.options()) }, "pkcs11_token_not_found"),
    )
    for ((name, call, code) in cases) {
        test("PKCS#11 error: $name -> $code") {
            val e = throws<DccException>(call)
            eq(e.code(), code, name)
            eq(e::class.simpleName, when (code) {
                "pkcs11_token_not_found" -> "Pkcs11TokenNotFound"
                "pkcs11_key_not_found" -> "Pkcs11KeyNotFound"
                "pkcs11_module_unavailable" -> "Pkcs11ModuleUnavailable"
                "invalid_argument" -> "InvalidArgument"
                "invalid_certificate" -> "InvalidCertificate"
                else -> "InvalidKey"
            }, "$name: case")
            check(!e.reason().contains(secret) && !e.toString().contains(secret)) { "$name shows the PIN: $e" }
        }
    }

    test("PKCS#11: without any PIN, pkcs11_pin_incorrect") {
        if (System.getenv("DCC_PKCS11_PIN") == null) {
            val e = throws<DccException.Pkcs11PinIncorrect> { Issuer.fromPkcs11(t.uri(esLabel), cert) }
            eq(e.code(), "pkcs11_pin_incorrect", "no PIN")
        } else {
            println("DCC_PKCS11_PIN is set: the missing-PIN case is not checked")
        }
    }

    test("PKCS#11: the PIN never shows in toString; a PIN file (pin-source) works") {
        val opts = Pkcs11Options(modulePath = t.module, pin = Pkcs11Pin(secret), maxSessions = 3u)
        check(!opts.toString().contains(secret) && opts.toString().contains("<redacted>")) { "toString: $opts" }
        eq(Pkcs11Pin(secret).toString(), "Pkcs11Pin(<redacted>)", "Pkcs11Pin.toString")
        eq(opts.copy(pin = null).pin, null, "copy")
        check(esKey.toString().contains(esLabel)) { "TokenKey toString: $esKey" }
        val pinFile = tempFile("pin", "${t.pin}\n")
        val fromFile = Issuer.fromPkcs11("${t.uri(esLabel)}&pin-source=file:${pinFile.path}", cert)
        assertValid(Verifier.fromCerts(listOf(cert)).verify(fromFile.issue(payload, options(validity = days(30))).hc1(), now() + 60), "PIN from a file")
    }

    test("PKCS#11: a wrong PIN in a fresh process is pkcs11_pin_incorrect (DCC_PKCS11_PIN and the option), the right one issues") {
        // PKCS#11 keeps a token logged in for the whole process while a session is open, so a
        // wrong PIN is only checked by a process that has not logged in: a child JVM.
        val certFile = tempFile("child-dsc.pem", cert)
        fun child(mode: String, env: Map<String, String>): String {
            val java = File(System.getProperty("java.home"), "bin/java").path
            val (status, out) = run(
                java, "-Djna.library.path=${System.getProperty("jna.library.path") ?: ""}",
                "-Ddcc.root=${root.path}",
                "-cp", System.getProperty("java.class.path"), Pkcs11Child::class.java.name,
                mode, t.uri(esLabel), certFile.path,
                env = env,
            )
            eq(status, 0, "child exit status ($out)")
            return out.trim().lines().last()
        }
        val wrong = "0000"
        check(wrong != t.pin) { "the test token's PIN is 0000" }
        val byEnv = child("env", mapOf("DCC_PKCS11_PIN" to wrong))
        check(byEnv.startsWith("pkcs11_pin_incorrect\t")) { "wrong PIN in DCC_PKCS11_PIN: $byEnv" }
        check(!byEnv.contains(wrong)) { "the message shows the PIN: $byEnv" }
        val byOption = child("option", mapOf("DCC_TEST_CHILD_PIN" to wrong, "DCC_PKCS11_PIN" to t.pin))
        check(byOption.startsWith("pkcs11_pin_incorrect\t")) { "the option's wrong PIN (over the right DCC_PKCS11_PIN): $byOption" }
        eq(child("env", mapOf("DCC_PKCS11_PIN" to t.pin)), "issued and verified", "the right PIN in DCC_PKCS11_PIN")
    }

    test("PKCS#11: 8 threads issue through one fromPkcs11 issuer, every certificate verifies") {
        val issuer = Issuer.fromPkcs11(t.uri(esLabel), cert, t.options())
        val capped = Issuer.fromPkcs11(t.uri(esLabel), cert, t.options(maxSessions = 2u))
        val verifier = Verifier.fromCerts(listOf(cert))
        val pool = Executors.newFixedThreadPool(8)
        try {
            val jobs = (0 until 8).map { i ->
                pool.submit(Callable {
                    val mine = if (i % 4 == 3) capped else issuer
                    var n = 0
                    repeat(100) {
                        val c = mine.issue(payload, options(validity = days(30)))
                        val v = verifier.verify(c.hc1(), now() + 60)
                        check(v.valid) { "thread $i: ${v.failures}" }
                        n++
                    }
                    n
                })
            }
            eq(jobs.sumOf { it.get(300, TimeUnit.SECONDS) }, 800, "certificates issued and verified")
        } finally {
            pool.shutdownNow()
        }
    }
}

/**
 * The child JVM of the wrong-PIN test: `Pkcs11Child env|option URI DSC-FILE` opens the key with
 * the PIN from DCC_PKCS11_PIN (`env`) or from DCC_TEST_CHILD_PIN as `Pkcs11Options.pin`
 * (`option`), issues and verifies one certificate, and prints `issued and verified` or
 * `<code>\t<reason>`.
 */
object Pkcs11Child {
    @JvmStatic
    fun main(args: Array<String>) {
        val (mode, uri, certFile) = args
        val cert = File(certFile).readText()
        val options = if (mode == "option") Pkcs11Options(pin = Pkcs11Pin(System.getenv("DCC_TEST_CHILD_PIN"))) else null
        try {
            val issuer = Issuer.fromPkcs11(uri, cert, options)
            val c = issuer.issue(examples.getValue("vaccination"), null)
            check(Verifier.fromCerts(listOf(cert)).verify(c.hc1(), now() + 60).valid) { "not valid" }
            println("issued and verified")
        } catch (e: DccException) {
            println("${e.code()}\t${e.reason()}")
        }
        exitProcess(0)
    }
}

fun keyCustody() {
    certificateRequests()
    kmsSigner()
    pkcs11()
}
