// The Kotlin side of bindings/dcc-ffi/bench.sh: the operations of examples/bench_native.rs
// through the binding (same payload, same key, same times), plus two floors measured in the
// same run: an FFI call that does nothing (`now()`) and java.security's ES256 signature of the
// same bytes (what a Kotlin signer costs by itself). Prints `name median_us iterations`.
package dcckit.bench

import dcckit.Algorithm
import dcckit.DccSigner
import dcckit.IssueOptions
import dcckit.Issuer
import dcckit.Validity
import dcckit.Verifier
import dcckit.decode
import dcckit.now
import java.io.File
import java.security.KeyFactory
import java.security.PrivateKey
import java.security.Signature
import java.security.spec.PKCS8EncodedKeySpec
import java.util.Base64

private const val IAT = 1_622_505_600L
private const val EXP = 1_654_041_600L

private fun medianUs(iterations: Int, f: () -> Any?): Double {
    repeat(iterations / 2) { f() } // JIT warm-up
    val times = DoubleArray(iterations)
    for (i in 0 until iterations) {
        val start = System.nanoTime()
        f()
        times[i] = (System.nanoTime() - start) / 1000.0
    }
    times.sort()
    return times[iterations / 2]
}

private fun ecKey(pem: String): PrivateKey = KeyFactory.getInstance("EC").generatePrivate(
    PKCS8EncodedKeySpec(
        Base64.getMimeDecoder().decode(pem.lines().filter { !it.startsWith("-----") }.joinToString("")),
    ),
)

private fun javaSign(key: PrivateKey, tbs: ByteArray): ByteArray = Signature.getInstance("SHA256withECDSA").run {
    initSign(key)
    update(tbs)
    sign()
}

class JavaSigner(private val key: PrivateKey) : DccSigner {
    override fun algorithm() = Algorithm.ES256
    override fun sign(tbs: ByteArray) = javaSign(key, tbs)
}

fun main(args: Array<String>) {
    val root = File(args[0])
    val payload = File(root, "examples/vaccination.json").readText()
    val keyPem = File(root, "tests/golden/es256-key.pem").readText()
    val dsc = File(root, "tests/golden/dsc-es256.pem").readText()

    val issuer = Issuer.fromPem(keyPem, dsc)
    val kotlinSigned = Issuer.fromSigner(JavaSigner(ecKey(keyPem)), dsc)
    val verifier = Verifier.fromCerts(listOf(dsc))
    val opts = IssueOptions(iss = "XX", issuedAt = IAT, validity = Validity.Until(EXP))
    val cert = issuer.issue(payload, opts)
    val hc1 = cert.hc1()
    val png = cert.toPng(4u)
    val at = IAT + 86_400
    val tbs = issuer.prepare(payload, opts).tbs()
    val key = ecKey(keyPem)

    val rows = listOf<Triple<String, Int, () -> Any?>>(
        // close() frees the native certificate at once, as dropping it does in Rust.
        Triple("issue_es256", 2000) { issuer.issue(payload, opts).close() },
        Triple("prepare", 2000) { issuer.prepare(payload, opts).close() },
        Triple("verify", 2000) { verifier.verify(hc1, at) },
        Triple("decode", 5000) { decode(hc1) },
        Triple("png_scale4", 2000) { cert.toPng(4u) },
        Triple("verify_image", 200) { verifier.verifyImage(png, at) },
        Triple("issue_kotlin_signer", 2000) { kotlinSigned.issue(payload, opts).close() },
        Triple("floor_java_es256_sign", 2000) { javaSign(key, tbs) },
        Triple("floor_ffi_call_now", 20000) { now() },
    )
    for ((name, iterations, f) in rows) {
        println("$name ${"%.1f".format(medianUs(iterations, f))} $iterations")
        // Results hold native memory: let the cleaner catch up between rows.
        System.gc()
    }
}
