// Tests of revocation (hashes, gateway batches, Bloom filters built in Kotlin) and of the
// issuance ledger (SQLite file, PostgreSQL server), run by main() in DccKitTest.kt.
package dcckit.tests

import dcckit.BatchEntry
import dcckit.BreakKind
import dcckit.Certificate
import dcckit.CertificateType
import dcckit.CheckStatus
import dcckit.DccException
import dcckit.HashType
import dcckit.IssueOptions
import dcckit.IssueResult
import dcckit.Issuer
import dcckit.Ledger
import dcckit.LedgerOptions
import dcckit.LedgerQuery
import dcckit.LedgerRecord
import dcckit.RevocationBatch
import dcckit.RevocationHashes
import dcckit.Validity
import dcckit.Verification
import dcckit.Verifier
import dcckit.checkCodes
import dcckit.errorCodes
import dcckit.revocationHashes
import java.io.ByteArrayOutputStream
import java.io.DataOutputStream
import java.io.File
import java.math.BigInteger
import java.nio.file.Files
import java.security.MessageDigest
import java.util.Base64
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.math.ceil
import kotlin.math.ln
import kotlin.math.max
import kotlin.math.pow

// ---------------------------------------------------------------------------------------------
// The EU revocation Bloom filter, written in Kotlin.

/**
 * The EU DCC revocation Bloom filter built exactly as the reference Java implementation
 * (dgc-bloomfilter's `BloomFilterImpl`) builds it, with `java.security.MessageDigest` and
 * `java.math.BigInteger`: m = ceil(n ln p / ln(1 / 2^ln 2)) bits rounded up to 32-bit words the
 * way the reference does, k = max(1, round(m / n ln 2)); bit j of an element is
 * `new BigInteger(SHA-256(element ‖ (byte) j)).mod(m)`, bit b being `Integer.MIN_VALUE >>> (b % 32)`
 * of word b / 32. `toBytes()` is the reference's `writeTo` (a DataOutputStream): short version 1,
 * byte k, byte hash function 0 (SHA-256), float p, int n, int count, int words, the words.
 */
class ReferenceBloomFilter(private val n: Int, private val p: Float) {
    val words: IntArray
    val k: Int
    private var count = 0

    init {
        val bits = ceil(n * ln(p.toDouble()) / ln(1 / 2.0.pow(ln(2.0)))).toLong()
        val bytes = (bits / 8).toInt() + 1
        words = IntArray(bytes / 4 + bytes % 4)
        k = max(1, Math.round(words.size.toLong() * 32.0 / n * ln(2.0)).toInt()).toByte().toInt()
    }

    private fun index(element: ByteArray, j: Int): Long {
        val digest = MessageDigest.getInstance("SHA-256").digest(element + j.toByte())
        return BigInteger(digest).mod(BigInteger.valueOf(words.size.toLong() * 32)).toLong()
    }

    fun add(element: ByteArray) {
        for (j in 0 until k) {
            val bit = index(element, j)
            val word = (bit / 32).toInt()
            words[word] = words[word] or (Int.MIN_VALUE ushr (bit % 32).toInt())
        }
        count++
    }

    fun mightContain(element: ByteArray) = (0 until k).all { j ->
        val bit = index(element, j)
        val pattern = Int.MIN_VALUE ushr (bit % 32).toInt()
        words[(bit / 32).toInt()] and pattern == pattern
    }

    fun toBytes(): ByteArray {
        val out = ByteArrayOutputStream()
        DataOutputStream(out).run {
            writeShort(1)
            writeByte(k)
            writeByte(0)
            writeFloat(p)
            writeInt(n)
            writeInt(count)
            writeInt(words.size)
            for (w in words) writeInt(w)
            flush()
        }
        return out.toByteArray()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

/** 2025-06-15, inside the demo DSC's validity. */
private const val T0 = 1_750_000_000L

/** After every certificate these tests issue, before any expires. */
private const val AT = T0 + 300_000L

private fun vectors(name: String) = json(File(root, "tests/vectors/revocation/$name").readText())

private fun hexOf(bytes: ByteArray) = bytes.joinToString("") { "%02x".format(it) }

private fun sha256Hex(text: String) = hexOf(MessageDigest.getInstance("SHA-256").digest(text.toByteArray()))

private fun b64(text: String): ByteArray = Base64.getDecoder().decode(text)

/** The vaccination example with this certificate identifier. */
private fun payloadWithCi(ci: String?): String {
    val payload = json(examples.getValue("vaccination")).obj().toMutableMap()
    val entry = payload["v"].arr()[0].obj().toMutableMap()
    if (ci == null) entry.remove("ci") else entry["ci"] = ci
    payload["v"] = listOf(entry)
    return Json.write(payload)
}

private fun ciOf(cert: Certificate) = json(cert.payload()).obj()["v"].arr()[0].obj()["ci"].str()

/** The base64 hash of one type. */
private fun hashOf(h: RevocationHashes, t: HashType): String? = when (t) {
    HashType.UCI -> h.uci
    HashType.COUNTRY_CODE_UCI -> h.countryCodeUci
    HashType.SIGNATURE -> h.signature
}

private fun batchJson(kid: String, t: HashType, hashes: List<String>) =
    RevocationBatch(country = "AT", expires = "2031-01-01T00:00:00Z", kid = kid, hashType = t, entries = hashes.map { BatchEntry(it) })
        .toJson()

private fun assertRevoked(v: Verification, t: HashType, hash: String, kind: String, what: String) {
    check(!v.valid) { "$what: valid although revoked" }
    eq(v.checks.revocation.status, CheckStatus.FAILED, "$what revocation status")
    eq(v.checks.revocation.code, "revoked", "$what revocation code")
    check(v.failures.any { it.code == "revoked" }) { "$what: failures ${v.failures}" }
    val by = v.revokedBy ?: throw AssertionError("$what: no revokedBy")
    eq(by.hashType, t, "$what revokedBy.hashType")
    eq(by.hash, hash, "$what revokedBy.hash")
    eq(by.source.kind, kind, "$what revokedBy.source.kind")
    eq(throws<DccException.VerificationFailed> { v.ensureValid() }.failures, v.failures, "$what ensureValid")
    eq(json(v.toJson()), viewOf(v), "$what toJson and the native fields")
}

private fun assertNotRevoked(v: Verification, what: String) {
    check(v.valid) { "$what: not valid: ${v.failures}" }
    eq(v.checks.revocation, PASSED, "$what revocation check")
    eq(v.revokedBy, null, "$what revokedBy")
}

// ---------------------------------------------------------------------------------------------
// Revocation.

fun revocation() {
    test("new codes: InvalidRevocationData and LedgerFailed exceptions, the revoked check code") {
        check("invalid_revocation_data" in errorCodes() && "ledger_failed" in errorCodes()) { "${errorCodes()}" }
        eq(DccException.InvalidRevocationData("x").code(), "invalid_revocation_data", "InvalidRevocationData")
        eq(DccException.LedgerFailed("x").code(), "ledger_failed", "LedgerFailed")
        check("revoked" in checkCodes()) { "${checkCodes()}" }
    }

    val cwa = vectors("cwa-revocation-hashes.json").arr().map { it.obj() }
    check(cwa.size == 3) { "CWA vectors: ${cwa.size}" }
    for (case in cwa) {
        test("CWA vector ${case["description"].str()}: revocationHashes gives the expected hashes") {
            val hc1 = case["barcodeData"].str()
            val h = revocationHashes(hc1)
            eq(h.uciHex, case["expUCI"], "UCI")
            eq(h.countryCodeUciHex, case["expCOUNTRYCODEUCI"], "COUNTRYCODEUCI")
            eq(h.signatureHex, case["expSIGNATURE"], "SIGNATURE")
            // base64 and hex are the same 16 bytes.
            for ((base64, hex) in listOf(h.uci to h.uciHex, h.countryCodeUci to h.countryCodeUciHex, h.signature to h.signatureHex)) {
                eq(base64!!.length, 24, "base64 length")
                eq(hexOf(b64(base64)), hex, "base64 vs hex")
            }
            // A verification (here: an unknown signer) gives the same hashes.
            eq(Verifier.demo().verify(hc1, T0).revocationHashes(), h, "Verification.revocationHashes")
        }
    }

    test("Certificate, Verification and revocationHashes(hc1) agree; a hand-made record that cannot be decoded throws") {
        val cert = Issuer.demo().issue(payloadWithCi("URN:UVCI:01:AT:HASHES01#1"), IssueOptions(issuedAt = T0, validity = Validity.Default))
        val h = cert.revocationHashes()
        eq(revocationHashes(cert.hc1()), h, "revocationHashes(hc1)")
        val v = Verifier.demo().verify(cert.hc1(), T0 + 60)
        eq(v.revocationHashes(), h, "Verification.revocationHashes")
        // UCI = SHA-256(ci), COUNTRYCODEUCI = SHA-256(iss ‖ ci), truncated to 16 bytes.
        eq(h.uciHex, sha256Hex("URN:UVCI:01:AT:HASHES01#1").take(32), "UCI")
        eq(h.countryCodeUciHex, sha256Hex(cert.claims().iss + "URN:UVCI:01:AT:HASHES01#1").take(32), "COUNTRYCODEUCI")
        eq(throws<DccException.InvalidBase45> { v.copy(hc1 = "HC1:not base45!").revocationHashes() }.code(), "invalid_base45", "bad hc1")
        eq(throws<DccException.InvalidPrefix> { revocationHashes("nope") }.code(), "invalid_prefix", "top level")
    }

    val issuer = Issuer.demo()
    val opts = IssueOptions(issuedAt = T0, validity = Validity.Default)
    val revoked = issuer.issue(payloadWithCi("URN:UVCI:01:AT:REVOKED1#1"), opts)
    val kept = issuer.issue(payloadWithCi("URN:UVCI:01:AT:KEPT0001#2"), opts)

    test("without revocation data the check is skipped; withRevocation leaves the original verifier unchanged") {
        val plain = Verifier.demo()
        val v = plain.verify(revoked.hc1(), T0 + 60)
        check(v.valid) { "${v.failures}" }
        eq(v.checks.revocation.status, CheckStatus.SKIPPED, "status")
        eq(v.checks.revocation.message, "not checked: no revocation data supplied", "message")
        eq(v.revokedBy, null, "revokedBy")
        val h = revoked.revocationHashes().signature
        val revoking = plain.withRevocation(listOf(batchJson(revoked.kid(), HashType.SIGNATURE, listOf(h)).toByteArray()))
        check(!revoking.verify(revoked.hc1(), T0 + 60).valid) { "not revoked" }
        check(plain.verify(revoked.hc1(), T0 + 60).valid) { "the original verifier changed" }
    }

    for (t in HashType.values()) {
        test("a $t batch revokes its certificate; another certificate stays valid") {
            val hash = hashOf(revoked.revocationHashes(), t)!!
            val verifier = Verifier.demo().withRevocation(listOf(batchJson(revoked.kid(), t, listOf(hash)).toByteArray()))
            val v = verifier.verify(revoked.hc1(), T0 + 60)
            assertRevoked(v, t, hash, "batch", "$t")
            eq(v.revokedBy?.source?.country, "AT", "source country")
            eq(v.revokedBy?.source?.kid, revoked.kid(), "source kid")
            check(v.checks.revocation.message.orEmpty().contains(gatewayName(t))) { "${v.checks.revocation.message}" }
            eq(json(v.toJson()).obj()["revoked_by"].obj()["hash_type"], gatewayName(t), "toJson hash_type")
            assertNotRevoked(verifier.verify(kept.hc1(), T0 + 60), "kept")
        }
    }

    test("gateway JSON written by hand, arrays of batches, UNKNOWN_KID, another kid, another hash type") {
        val h = revoked.revocationHashes()
        val handWritten = """
            {"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"COUNTRYCODEUCI",
             "entries":[{"hash":"${h.countryCodeUci}"},{"hash":"AAAAAAAAAAAAAAAAAAAAAA=="}]}
        """.trimIndent()
        val v = Verifier.demo().withRevocation(listOf(handWritten.toByteArray())).verify(revoked.hc1(), T0 + 60)
        assertRevoked(v, HashType.COUNTRY_CODE_UCI, h.countryCodeUci!!, "batch", "UNKNOWN_KID")
        eq(v.revokedBy?.source?.kid, null, "UNKNOWN_KID applies to every kid")
        // An array of batches in one file, several files.
        val array = "[${batchJson(revoked.kid(), HashType.UCI, listOf("AAAAAAAAAAAAAAAAAAAAAA=="))},${batchJson(revoked.kid(), HashType.UCI, listOf(h.uci!!))}]"
        val two = Verifier.demo().withRevocation(listOf(array.toByteArray(), handWritten.toByteArray()))
        check(!two.verify(revoked.hc1(), T0 + 60).valid) { "array of batches" }
        assertNotRevoked(two.verify(kept.hc1(), T0 + 60), "kept, two files")
        // A batch for another kid does not apply; nor a hash listed under another hash type.
        val otherKid = Verifier.demo().withRevocation(listOf(batchJson("AAAAAAAAAAA=", HashType.SIGNATURE, listOf(h.signature)).toByteArray()))
        assertNotRevoked(otherKid.verify(revoked.hc1(), T0 + 60), "other kid")
        val otherType = Verifier.demo().withRevocation(listOf(batchJson(revoked.kid(), HashType.SIGNATURE, listOf(h.uci!!)).toByteArray()))
        assertNotRevoked(otherType.verify(revoked.hc1(), T0 + 60), "other hash type")
    }

    // The reference's own vectors: the Kotlin filter is bit-identical to dgc-bloomfilter.
    val bloom = vectors("bloomfilter-filter-test.json").arr().map { it.obj() }
    check(bloom.size == 4) { "Bloom filter vectors: ${bloom.size}" }
    for ((i, case) in bloom.withIndex()) {
        test("Bloom filter vector $i: the Kotlin filter equals dgc-bloomfilter's words") {
            val data = case["data"].arr().map { it.str() }
            val written = case["written"].arr().map { it.long() }
            val filter = ReferenceBloomFilter(data.size, (case["p"] as JsonNumber).text.toFloat())
            for ((d, w) in data.zip(written)) if (w == 1L) filter.add(d.toByteArray())
            val reference = String(b64(case["filter"].str())).trim('[', ']').split(",").map { it.trim().toInt() }
            eq(filter.words.toList(), reference, "words")
            eq(data.joinToString(", ", "[", "]") { if (filter.mightContain(it.toByteArray())) "1" else "0" }, case["exists"], "exists")
        }
    }

    test("a Bloom filter built in Kotlin revokes exactly what it holds") {
        val certs = (0 until 30).map { issuer.issue(payloadWithCi("URN:UVCI:01:AT:BLOOM${"%04d".format(it)}#X"), opts) }
        val filter = ReferenceBloomFilter(10, 1e-12f)
        for (c in certs.take(10)) filter.add(b64(c.revocationHashes().signature))
        val bytes = filter.toBytes()
        eq(bytes.size, 20 + 4 * filter.words.size, "file size")
        val verifier = Verifier.demo().withRevocation(listOf(bytes))
        for ((i, c) in certs.withIndex()) {
            val v = verifier.verify(c.hc1(), T0 + 60)
            if (i < 10) {
                assertRevoked(v, HashType.SIGNATURE, c.revocationHashes().signature, "bloom_filter", "certificate $i")
            } else {
                assertNotRevoked(v, "certificate $i")
            }
        }
    }

    test("bad revocation data throws DccException.InvalidRevocationData") {
        val good = "AAAAAAAAAAAAAAAAAAAAAA=="
        fun batch(country: String = "AT", expires: String = "2031-01-01T00:00:00Z", kid: String = "UNKNOWN_KID", type: String = "UCI", entries: String = """[{"hash":"$good"}]""") =
            """{"country":"$country","expires":"$expires","kid":"$kid","hashType":"$type","entries":$entries}"""
        val filter = ReferenceBloomFilter(4, 0.01f).apply { add("x".toByteArray()) }.toBytes()
        val cases = mapOf(
            "not JSON" to "{not json".toByteArray(),
            "missing entries" to """{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI"}""".toByteArray(),
            "no entries" to batch(entries = "[]").toByteArray(),
            "hash of 15 bytes" to batch(entries = """[{"hash":"${Base64.getEncoder().encodeToString(ByteArray(15))}"}]""").toByteArray(),
            "hash of 32 bytes" to batch(entries = """[{"hash":"${Base64.getEncoder().encodeToString(ByteArray(32))}"}]""").toByteArray(),
            "hash not base64" to batch(entries = """[{"hash":"!!!!"}]""").toByteArray(),
            "unknown hash type" to batch(type = "MD5").toByteArray(),
            "bad country" to batch(country = "Austria").toByteArray(),
            "bad expires" to batch(expires = "soon").toByteArray(),
            "bad kid" to batch(kid = "AAAA").toByteArray(),
            "1,001 entries" to batch(entries = List(1001) { """{"hash":"$good"}""" }.joinToString(",", "[", "]")).toByteArray(),
            "a bad batch among good ones" to "[${batch()},{\"country\":\"AT\"}]".toByteArray(),
            "empty file" to ByteArray(0),
            "short filter" to byteArrayOf(0, 1, 1, 0, 0),
            "filter version 2" to filter.copyOf().also { it[1] = 2 },
            "filter k = 0" to filter.copyOf().also { it[2] = 0 },
            "filter hash function 1" to filter.copyOf().also { it[3] = 1 },
            "filter truncated" to filter.copyOf(filter.size - 1),
            "filter trailing byte" to filter + 0.toByte(),
        )
        Verifier.demo().withRevocation(listOf(filter)) // the unchanged filter is fine
        for ((name, data) in cases) {
            val e = throws<DccException.InvalidRevocationData> { Verifier.demo().withRevocation(listOf(batch().toByteArray(), data)) }
            eq(e.code(), "invalid_revocation_data", name)
            check(e.reason.isNotEmpty()) { "$name: no reason" }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The issuance ledger.

private fun ledgerOpts(issuedAt: Long) =
    IssueOptions(issuedAt = issuedAt, validity = Validity.Default, uvciIssuer = "LEDGERKT")

/** The vaccination example without a `ci`: each certificate gets a fresh UVCI (`uvciIssuer`). */
private val ledgerPayload by lazy { payloadWithCi(null) }

private fun runCommand(vararg command: String) {
    val process = ProcessBuilder(*command).redirectErrorStream(true).start()
    val output = process.inputStream.bufferedReader().readText()
    check(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
        "${command.take(2)} failed: $output"
    }
}

/** Runs SQL on an SQLite file with Python's sqlite3 module (test.sh needs python3 anyway; the JVM has no SQLite driver). */
private fun sqlite(target: String, sql: String) =
    runCommand("python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", target, sql)

/** Runs SQL on a PostgreSQL database with psql (the JVM has no JDBC driver here). */
private fun psql(url: String, sql: String) = runCommand("psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql)

/**
 * Issues as two operators into a fresh ledger at `target` (sequentially, in a batch, and from
 * six threads through two connections), then checks records, queries, the chain, exports and
 * tampering. `exec` runs SQL on the ledger's database.
 */
fun exerciseLedger(label: String, target: () -> String, exec: (String, String) -> Unit) {
    lateinit var where: String
    lateinit var ledger: Ledger
    val certs = mutableMapOf<String, MutableList<Certificate>>("A" to mutableListOf(), "B" to mutableListOf())
    lateinit var all: List<LedgerRecord>
    val kid = Issuer.demo().signer().kid

    test("$label ledger: issue as A and B (sequentially, in a batch, from 6 threads on 2 connections)") {
        where = target()
        ledger = Ledger.open(where)
        val a = Issuer.demo().withLedger(ledger, LedgerOptions(operator = "A"))
        val b = Issuer.demo().withLedger(ledger, LedgerOptions("B"))
        for (i in 0 until 4) {
            certs.getValue("A") += a.issue(ledgerPayload, ledgerOpts(T0 + i * 7200))
            certs.getValue("B") += b.issue(ledgerPayload, ledgerOpts(T0 + i * 7200 + 3600))
        }
        // A batch with one invalid payload: the others are issued and recorded, it is not.
        val results = b.issueBatch(listOf(ledgerPayload, "{\"ver\":\"1.3.0\"}", ledgerPayload, ledgerPayload), ledgerOpts(T0 + 100_000))
        eq(results.count { it is IssueResult.Failed }, 1, "failed batch items")
        certs.getValue("B") += results.filterIsInstance<IssueResult.Issued>().map { it.certificate }
        // Six threads; the B threads write through a second connection, as another process would.
        val second = Ledger.open(where)
        val bOnSecond = Issuer.demo().withLedger(second, LedgerOptions("B"))
        val pool = Executors.newFixedThreadPool(6)
        try {
            val jobs = (0 until 6).map { t ->
                pool.submit(Callable {
                    val (op, issuer) = if (t % 2 == 0) "A" to a else "B" to bOnSecond
                    op to (0 until 5).map { issuer.issue(ledgerPayload, ledgerOpts(T0 + 200_000)) }
                })
            }
            for (job in jobs) {
                val (op, issued) = job.get(120, TimeUnit.SECONDS)
                certs.getValue(op) += issued
            }
        } finally {
            pool.shutdownNow()
        }
        eq(certs.getValue("A").size, 19, "A certificates")
        eq(certs.getValue("B").size, 22, "B certificates")
        eq(second.verify(), ledger.verify(), "both connections see one chain")
        check(ledger.target().isNotEmpty() && ledger.toString().contains(ledger.target())) { ledger.toString() }
    }

    test("$label ledger: records, chain and queries are exact") {
        val byUci = (certs.getValue("A") + certs.getValue("B")).associateBy { ciOf(it) }
        eq(byUci.size, 41, "distinct UCIs")
        all = ledger.records(LedgerQuery())
        eq(all.map { it.seq }, (1L..41L).toList(), "seq")
        eq(all[0].prevHash, "0".repeat(64), "first prevHash")
        for (i in 1 until all.size) eq(all[i].prevHash, all[i - 1].recordHash, "link ${all[i].seq}")
        for (r in all) {
            val cert = byUci[r.uci] ?: throw AssertionError("unknown UCI ${r.uci}")
            val h = cert.revocationHashes()
            eq(r.operator, if (cert in certs.getValue("A")) "A" else "B", "operator of ${r.uci}")
            eq(listOf(r.hashUci, r.hashCountryCodeUci, r.hashSignature), listOf(h.uci, h.countryCodeUci, h.signature), "hashes of ${r.uci}")
            eq(listOf(r.issuedAt, r.expiresAt), listOf(cert.claims().iat, cert.claims().exp), "times of ${r.uci}")
            eq(listOf(r.kid, r.country), listOf(cert.kid(), cert.claims().iss), "kid, country of ${r.uci}")
            eq(r.certificateType, CertificateType.VACCINATION, "type")
            eq(r.hc1Sha256, sha256Hex(cert.hc1()), "hc1Sha256 of ${r.uci}")
            eq(r.personalData, null, "no personal data by default")
            check(r.recordHash.matches(Regex("[0-9a-f]{64}"))) { r.recordHash }
        }
        check(!all.toString().contains("Gabriele") && !all.toString().contains("1998-02-26")) { "personal data in the records" }
        val report = ledger.verify()
        check(report.valid) { "$report" }
        eq(report.records, 41UL, "records")
        eq(report.head, all.last().recordHash, "head")
        eq(report.firstBreak, null, "firstBreak")

        fun ucis(q: LedgerQuery) = ledger.records(q).map { it.uci }
        for (op in listOf("A", "B")) {
            val mine = ledger.records(LedgerQuery(operator = op))
            eq(mine.map { it.uci }.sorted(), certs.getValue(op).map { ciOf(it) }.sorted(), "operator $op")
            check(mine.all { it.operator == op }) { "operator $op" }
        }
        eq(ucis(LedgerQuery(operator = "nobody")), emptyList(), "unknown operator")
        val (a, b) = listOf("A", "B").map { op -> certs.getValue(op).map { ciOf(it) } }
        eq(ucis(LedgerQuery(since = T0 + 3600, until = T0 + 4 * 3600)), listOf(b[0], a[1], b[1]), "since/until")
        eq(ucis(LedgerQuery(operator = "A", until = T0 + 7200)), listOf(a[0]), "operator and until")
        eq(ucis(LedgerQuery(uci = a[2])), listOf(a[2]), "uci")
        eq(ucis(LedgerQuery(kid = kid, certificateType = CertificateType.VACCINATION)).size, 41, "kid and type")
        eq(ucis(LedgerQuery(certificateType = CertificateType.TEST)), emptyList(), "no tests")
        eq(ucis(LedgerQuery(kid = "AAAAAAAAAAA=")), emptyList(), "other kid")
    }

    for (t in HashType.values()) {
        test("$label ledger: export B as $t batches, verify everything: exactly B's certificates are revoked") {
            val batches = ledger.export(LedgerQuery(operator = "B"), t)
            eq(batches.size, 1, "batches")
            val batch = batches.single()
            eq(listOf(batch.kid, batch.country, batch.hashType), listOf(kid, certs.getValue("B")[0].claims().iss, t), "batch header")
            eq(batch.entries.map { it.hash }.toSet(), certs.getValue("B").map { hashOf(it.revocationHashes(), t)!! }.toSet(), "entries")
            eq(json(batch.toJson()).obj().keys.toList(), listOf("country", "expires", "kid", "hashType", "entries"), "gateway JSON")
            val verifier = Verifier.demo().withRevocation(batches.map { it.toJson().toByteArray() })
            for (op in listOf("A", "B")) {
                for (cert in certs.getValue(op)) {
                    val v = verifier.verify(cert.hc1(), AT)
                    if (op == "B") {
                        assertRevoked(v, t, hashOf(cert.revocationHashes(), t)!!, "batch", "B ${ciOf(cert)}")
                    } else {
                        assertNotRevoked(v, "A ${ciOf(cert)}")
                    }
                }
            }
            eq(ledger.export(LedgerQuery(operator = "nobody"), t), emptyList(), "nothing to export")
        }
    }

    test("$label ledger: exportToDir writes the batch files that revoke exactly A's certificates") {
        val dir = Files.createTempDirectory("dcckit-export").toFile()
        try {
            val paths = ledger.exportToDir(LedgerQuery(operator = "A"), HashType.SIGNATURE, File(dir, "out").path)
            eq(paths.map { File(it).name }, listOf("batch-0001-${certs.getValue("A")[0].claims().iss}.json"), "files")
            val verifier = Verifier.demo().withRevocation(paths.map { File(it).readBytes() })
            val revoked = (certs.getValue("A") + certs.getValue("B")).filter { !verifier.verify(it.hc1(), AT).valid }
            eq(revoked.map { ciOf(it) }.sorted(), certs.getValue("A").map { ciOf(it) }.sorted(), "revoked")
        } finally {
            dir.deleteRecursively()
        }
    }

    test("$label ledger: verify names the first deleted and the first changed record") {
        exec(where, "DELETE FROM dcc_ledger WHERE seq = 4")
        val deleted = ledger.verify()
        check(!deleted.valid) { "valid after a deletion" }
        eq(deleted.firstBreak?.let { it.seq to it.kind }, 5L to BreakKind.DELETED, "deleted")
        check(!deleted.firstBreak?.message.isNullOrEmpty()) { "no message" }
        exec(where, "UPDATE dcc_ledger SET operator = 'C' WHERE seq = 2")
        eq(ledger.verify().firstBreak?.let { it.seq to it.kind }, 2L to BreakKind.CHANGED, "changed")
    }
}

fun ledgers() {
    val dir = Files.createTempDirectory("dcckit-ledger").toFile()
    dir.deleteOnExit()
    exerciseLedger("SQLite", { File(dir, "ledger.db").path }, ::sqlite)

    test("ledger: personal data only when asked; an operator is required") {
        val ledger = Ledger.open(File(dir, "personal.db").path)
        Issuer.demo().withLedger(ledger, LedgerOptions(operator = "P", includePersonalData = true)).issue(ledgerPayload, ledgerOpts(T0))
        Issuer.demo().withLedger(ledger, LedgerOptions(operator = "Q")).issue(ledgerPayload, ledgerOpts(T0))
        val (p, q) = ledger.records(LedgerQuery())
        val personal = json(p.personalData ?: throw AssertionError("no personal data")).obj()
        eq(personal["dob"], "1998-02-26", "dob")
        eq(personal["nam"].obj()["gn"], "Gabriele", "gn")
        eq(q.personalData, null, "not asked")
        check(ledger.verify().valid) { "chain" }
        for (blank in listOf("", " ")) {
            eq(throws<DccException.InvalidOptions> { Issuer.demo().withLedger(ledger, LedgerOptions(blank)) }.code(), "invalid_options", "operator '$blank'")
        }
    }

    test("ledger: unusable targets are DccException.LedgerFailed, without the password") {
        val bogus = File(dir, "bogus.db").apply { writeBytes(ByteArray(4096) { 'x'.code.toByte() }) }
        for (target in listOf(dir.path, "/nonexistent-dir/x/ledger.db", "postgres://nobody:s3cret@127.0.0.1:1/none", "", bogus.path)) {
            val e = throws<DccException.LedgerFailed> { Ledger.open(target) }
            eq(e.code(), "ledger_failed", target)
            check(!e.reason.contains("s3cret")) { e.reason }
        }
    }

    postgresLedger()
    dir.deleteRecursively()
}

/**
 * The same checks on a PostgreSQL server: DCC_TEST_POSTGRES_URL (test.sh's caller starts one
 * with scripts/postgres.sh). Without it the tests are skipped, unless DCC_REQUIRE_POSTGRES is
 * set: then they fail.
 */
fun postgresLedger() {
    val url = System.getenv("DCC_TEST_POSTGRES_URL").orEmpty()
    if (url.isEmpty()) {
        if (System.getenv("DCC_REQUIRE_POSTGRES") != null) {
            test("PostgreSQL ledger") { throw AssertionError("DCC_REQUIRE_POSTGRES is set but DCC_TEST_POSTGRES_URL is not") }
        } else {
            println("skipped: PostgreSQL ledger tests (no DCC_TEST_POSTGRES_URL; scripts/postgres.sh starts a server)")
        }
        return
    }
    // A fresh database per run: created with psql, then the URL's last path segment replaced.
    val fresh = {
        val db = "dcckit_kotlin_${ProcessHandle.current().pid()}_${System.nanoTime()}"
        psql(url, "CREATE DATABASE $db")
        val (base, query) = url.split('?', limit = 2).let { it[0] to it.getOrNull(1) }
        base.substringBeforeLast('/') + "/" + db + (query?.let { "?$it" } ?: "")
    }
    exerciseLedger("PostgreSQL", fresh, ::psql)
}
