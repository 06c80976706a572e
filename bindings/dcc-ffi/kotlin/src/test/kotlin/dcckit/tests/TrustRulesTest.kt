// Tests of signed trust lists (TrustList.load, Verifier.withTrustList, bare-key signers) and of
// business rules (loadRules, Verification.evaluateRules, evaluateRule, evaluateCertlogic), on the
// files that Rust generates in tests/golden; run by main() in DccKitTest.kt.
package dcckit.tests

import dcckit.CheckStatus
import dcckit.DccException
import dcckit.Issuer
import dcckit.RuleOptions
import dcckit.RuleOutcome
import dcckit.RuleResult
import dcckit.RuleSet
import dcckit.RulesReport
import dcckit.TrustList
import dcckit.TrustListFormat
import dcckit.TrustListOptions
import dcckit.TrustListView
import dcckit.Verifier
import dcckit.evaluateCertlogic
import dcckit.evaluateRule
import dcckit.loadRules
import java.io.File
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** Paths of the golden tables are relative to tests/. */
private val testsDir = File(root, "tests")

private fun testsFile(path: String) = File(testsDir, path)

private fun epoch(rfc3339: String) = Instant.parse(rfc3339).epochSecond

private fun num(n: Long?) = n?.let { JsonNumber(it.toString()) }

private fun num(n: ULong) = JsonNumber(n.toString())

/** The facade's code of a format (`TrustListView.format` in JSON). */
private fun code(f: TrustListFormat) = when (f) {
    TrustListFormat.GERMAN -> "de"
    TrustListFormat.AUSTRIAN -> "at"
    TrustListFormat.SWISS -> "ch"
    TrustListFormat.EU_GATEWAY -> "eu-gateway"
    TrustListFormat.CERTIFICATES -> "pem"
}

/** The trust-list view built from the native record, field by field (not from toJson()). */
private fun viewOf(v: TrustListView): Map<String, Any?> = mapOf(
    "format" to code(v.format),
    "name" to v.name,
    "signature_verified" to v.signatureVerified,
    "signed_by" to v.signedBy,
    "entries" to num(v.entries),
    "certificates" to num(v.certificates),
    "bare_keys" to num(v.bareKeys),
    "countries" to v.countries.mapValues { num(it.value) },
    "skipped" to v.skipped.map {
        mapOf("index" to num(it.index), "kid" to it.kid, "country" to it.country, "code" to it.code, "message" to it.message)
    },
    "not_before" to num(v.notBefore),
    "expires" to num(v.expires),
    "expired" to v.expired,
)

private fun viewOf(r: RuleResult): Map<String, Any?> = mapOf(
    "identifier" to r.identifier,
    "version" to r.version,
    "rule_type" to r.ruleType.name.lowercase(),
    "country" to r.country,
    "certificate_type" to r.certificateType.name.lowercase(),
    "outcome" to r.outcome.name.lowercase(),
    "open_reason" to r.openReason?.let { mapOf("code" to it.code, "message" to it.message) },
    "descriptions" to r.descriptions.map { mapOf("lang" to it.lang, "desc" to it.desc) },
    "affected_fields" to r.affectedFields,
)

/** The rules report built from the native record, field by field (not from toJson()). */
private fun viewOf(r: RulesReport): Map<String, Any?> = mapOf(
    "outcome" to r.outcome.name.lowercase(),
    "country" to r.country,
    "region" to r.region,
    "validation_clock" to num(r.validationClock),
    "passed" to num(r.passed),
    "failed" to num(r.failed),
    "open" to num(r.open),
    "results" to r.results.map { viewOf(it) },
)

private val demoCertPem = File(root, "crates/dcc/src/demo/cert.pem").readBytes()

/** 2026-01-01: when the demo-signed golden lists are valid. */
private val LIST_AT = epoch("2026-01-01T00:00:00Z")

private fun germanList() = testsFile("vectors/trustlists/de/dsc-list.txt").readBytes()

private fun germanKey() = testsFile("vectors/trustlists/de/dsc-list-signing-key.pem").readBytes()

fun trustLists() {
    // 1. tests/golden/trust-list-views.json: the view (or the error) of every list.
    val cases = json(goldenText("trust-list-views.json")).arr().map { it.obj() }
    check(cases.size >= 10) { "only ${cases.size} trust-list cases" }
    for (case in cases) {
        val name = case["name"].str()
        test("trust list view $name") {
            val expect = case["expect"].obj()
            val options = TrustListOptions(
                at = (case["at"] as String?)?.let(::epoch),
                allowExpired = case["allow_expired"] as Boolean? ?: false,
                name = name,
            )
            try {
                val list = TrustList.load(
                    testsFile(case["content"].str()).readBytes(),
                    (case["companion"] as String?)?.let { testsFile(it).readBytes() },
                    (case["anchor"] as String?)?.let { testsFile(it).readBytes() },
                    options,
                )
                check(expect["error"] == null) { "loaded, but the golden file has the error ${expect["error"]}" }
                eq(viewOf(list.view()), expect, "view")
                eq(json(list.toJson()), expect, "toJson")
            } catch (e: DccException) {
                eq(e.code(), expect["error"] ?: throw AssertionError("unexpected error ${e.code()}: ${e.reason()}"), "error code")
            }
        }
    }

    // 3. A bare-key signer: validity and key usage are not checkable, the source is the list.
    test("a bare key from a Swiss-format list verifies a demo certificate: not_checkable, source ch") {
        val list = TrustList.load(
            testsFile("golden/trustlists/demo-keys.jwt").readBytes(), null, demoCertPem,
            TrustListOptions(at = LIST_AT, name = "demo-keys"),
        )
        eq(list.view().bareKeys, 1uL, "bare keys")
        val verifier = Verifier.fromCerts(emptyList()).withTrustList(list)
        val iat = 1_750_000_000L
        val cert = Issuer.demo().issue(examples.getValue("vaccination"), options(iat))
        val v = verifier.verify(cert.hc1(), iat + 60)
        check(v.valid) { "not valid: ${v.failures}" }
        eq(v.checks.signature, PASSED, "signature")
        eq(v.checks.validity.status, CheckStatus.NOT_CHECKABLE, "validity")
        eq(v.checks.keyUsage.status, CheckStatus.NOT_CHECKABLE, "key usage")
        eq(outcomeCode(v.checks.validity), "not_checkable", "validity code")
        check(!v.checks.validity.message.isNullOrEmpty() && v.checks.validity.code == null) { "${v.checks.validity}" }
        check(!v.checks.keyUsage.message.isNullOrEmpty() && v.checks.keyUsage.code == null) { "${v.checks.keyUsage}" }
        val signer = v.signer ?: throw AssertionError("no signer")
        eq(signer.certificate, false, "signer.certificate")
        eq(signer.source?.format, "ch", "signer.source.format")
        eq(signer.source?.list, "demo-keys", "signer.source.list")
        eq(signer.source?.listExpired, false, "signer.source.listExpired")
        eq(v.failures, emptyList(), "failures")
        eq(v.ensureValid(), v, "ensureValid")
        eq(json(v.toJson()), viewOf(v), "Verification.toJson and the native fields")
        eq(json(v.toJson()).obj()["checks"].obj()["validity"].obj()["status"], "not_checkable", "JSON status")
        // The same certificate trusted directly: a certificate signer without a source.
        val direct = Verifier.demo().verify(cert.hc1(), iat + 60)
        eq(direct.checks.validity, PASSED, "direct validity")
        eq(direct.signer?.certificate, true, "direct signer.certificate")
        eq(direct.signer?.source, null, "direct signer.source")
        // The original verifier is unchanged (withTrustList returns a copy).
        eq(Verifier.fromCerts(emptyList()).verify(cert.hc1(), iat + 60).valid, false, "empty verifier")
    }

    test("certificates from the Austrian list: passed checks, source at with the list name") {
        val list = TrustList.load(
            testsFile("golden/trustlists/at-list.cbor").readBytes(),
            testsFile("golden/trustlists/at-list.sig").readBytes(),
            demoCertPem,
            TrustListOptions(at = LIST_AT, name = "at-list"),
        )
        eq(list.view().format, TrustListFormat.AUSTRIAN, "format")
        val iat = 1_750_000_000L
        val cert = Issuer.demo().issue(examples.getValue("test"), options(iat))
        val v = Verifier.fromCerts(emptyList()).withTrustList(list).verify(cert.hc1(), iat + 60)
        assertValid(v, "Austrian list")
        eq(v.signer?.certificate, true, "signer.certificate")
        eq(v.signer?.source?.format, "at", "source format")
        eq(v.signer?.source?.list, "at-list", "source list")
        eq(v.signer?.source?.country, "XX", "source country")
        eq(json(v.toJson()), viewOf(v), "toJson")
        // Options are optional; the format can be forced; a wrong forced format is refused.
        val forced = TrustList.load(
            testsFile("golden/trustlists/gateway.json").readBytes(),
            options = TrustListOptions(format = TrustListFormat.EU_GATEWAY),
        )
        eq(forced.view().entries, 3uL, "gateway entries")
        eq(TrustList.load(testsFile("golden/trustlists/gateway.json").readBytes()).view().name, null, "no name")
        throws<DccException> {
            TrustList.load(germanList(), null, germanKey(), TrustListOptions(format = TrustListFormat.AUSTRIAN))
        }
    }

    // 4. The German list, a flipped byte, a malformed list.
    test("the German list: 829 entries; one flipped byte is trust_list_signature_invalid") {
        val content = germanList()
        val list = TrustList.load(content, null, germanKey())
        val view = list.view()
        eq(view.entries, 829uL, "entries")
        eq(view.format, TrustListFormat.GERMAN, "format")
        check(view.signatureVerified) { "signature not verified" }
        eq(Verifier.fromCerts(emptyList()).withTrustList(list).trusted().size, 829, "trusted")
        // Flip one byte inside a base64 certificate of the JSON part (the JSON stays valid).
        val text = String(content, Charsets.UTF_8)
        val start = text.indexOf('{', text.indexOf('\n'))
        val at = text.indexOf("\"rawData\"", start) + 20
        check(start > 0 && at > start + 20) { "no rawData in the German list" }
        val flipped = content.copyOf()
        flipped[at] = (if (flipped[at] == 'A'.code.toByte()) 'B' else 'A').code.toByte()
        val e = throws<DccException.TrustListSignatureInvalid> { TrustList.load(flipped, null, germanKey()) }
        eq(e.code(), "trust_list_signature_invalid", "code")
        // The wrong anchor, and no anchor at all for a signed format.
        val other = testsFile("vectors/trustlists/ch/CH-root.crt").readBytes()
        eq(throws<DccException.TrustListSignatureInvalid> { TrustList.load(content, null, other) }.code(), "trust_list_signature_invalid", "anchor")
        eq(throws<DccException.InvalidArgument> { TrustList.load(content) }.code(), "invalid_argument", "no anchor")
    }

    test("malformed lists are invalid_trust_list; an expired one trust_list_expired") {
        for (bad in listOf("not a trust list\n", "line\n{\"certificates\": 5", "[{\"kid\": 1}]")) {
            val e = throws<DccException> { TrustList.load(bad.toByteArray()) }
            check(e is DccException.InvalidTrustList || e is DccException.InvalidArgument) { "$bad: ${e.code()}" }
        }
        val e = throws<DccException.InvalidTrustList> { TrustList.load("not a trust list".toByteArray()) }
        eq(e.code(), "invalid_trust_list", "code")
        check(e.reason().isNotEmpty()) { "no message" }
        eq(throws<DccException.EmptyInput> { TrustList.load(ByteArray(0)) }.code(), "empty_input", "empty")
        val swiss = testsFile("vectors/trustlists/ch/CH-20210715at1944-updates.jwt").readBytes()
        val chRoot = testsFile("vectors/trustlists/ch/CH-root.crt").readBytes()
        val expired = throws<DccException.TrustListExpired> { TrustList.load(swiss, null, chRoot, TrustListOptions(at = LIST_AT)) }
        eq(expired.code(), "trust_list_expired", "code")
        // Allowed: loaded, and every signer from it says so.
        val allowed = TrustList.load(swiss, null, chRoot, TrustListOptions(at = LIST_AT, allowExpired = true))
        check(allowed.view().expired) { "not marked expired" }
    }
}

fun businessRules() {
    val verifier = Verifier.fromCerts(listOf(dscEs))
    val verifyAt = epoch("2021-06-02T00:00:00Z")
    val ruleSets = HashMap<String, RuleSet>()
    fun rules(path: String) = ruleSets.getOrPut(path) { loadRules(testsFile(path).readText()) }

    // 2. tests/golden/rule-results.json: the whole report (or the error) per case.
    val cases = json(goldenText("rule-results.json")).arr().map { it.obj() }
    check(cases.size >= 30) { "only ${cases.size} rule cases" }
    for (case in cases) {
        val certificate = case["certificate"].str()
        val rulesPath = case["rules"] as String? ?: "vectors/rules/covpass-eu-rules.json"
        val label = listOfNotNull(File(certificate).name, File(rulesPath).name, case["country"].str(), case["region"] as String?)
        test("rules ${label.joinToString(" ")}") {
            val expect = case["expect"].obj()
            val hc1 = json(testsFile(certificate).readText()).obj()["hc1"].str()
            val v = verifier.verify(hc1, verifyAt)
            assertValid(v, certificate)
            val options = RuleOptions(
                country = case["country"].str(),
                region = case["region"] as String?,
                at = (case["at"] as String?)?.let(::epoch),
            )
            try {
                val report = v.evaluateRules(rules(rulesPath), options)
                check(expect["error"] == null) { "evaluated, but the golden file has the error ${expect["error"]}" }
                eq(viewOf(report), expect, "report")
                eq(json(report.toJson()), expect, "toJson")
            } catch (e: DccException) {
                eq(e.code(), expect["error"] ?: throw AssertionError("unexpected error ${e.code()}: ${e.reason()}"), "error code")
            }
        }
    }

    test("loadRules: RuleSet.len; evaluateRules defaults to the verification time") {
        val all = json(testsFile("vectors/rules/covpass-eu-rules.json").readText()).arr()
        eq(rules("vectors/rules/covpass-eu-rules.json").len(), all.size.toULong(), "covpass rules")
        eq(loadRules(goldenText("rules-xx.json")).len(), 12uL, "rules-xx")
        eq(loadRules(Json.write(all[0])).len(), 1uL, "one rule as an object")
        eq(loadRules("[]").len(), 0uL, "no rules")
        val hc1 = json(goldenText("issued-vaccination-es256.json")).obj()["hc1"].str()
        val v = verifier.verify(hc1, verifyAt)
        val report = v.evaluateRules(loadRules(goldenText("rules-xx.json")), RuleOptions(country = "xx"))
        eq(report.validationClock, v.at, "validation clock")
        eq(report.country, "XX", "country upper-cased")
        eq(report.passed + report.failed + report.open, report.results.size.toULong(), "counts")
        eq(report.outcome, RuleOutcome.FAIL, "outcome")
        // The rules see the payload and the claims whether or not the signature is trusted.
        val untrusted = Verifier.fromCerts(emptyList()).verify(hc1, verifyAt)
        eq(untrusted.evaluateRules(loadRules(goldenText("rules-xx.json")), RuleOptions(country = "XX")), report, "untrusted")
        eq(throws<DccException.InvalidArgument> { v.evaluateRules(rules("vectors/rules/covpass-eu-rules.json"), RuleOptions(country = "XYZ")) }.code(), "invalid_argument", "country")
        // Value-set files in the options replace the embedded sets of the same id.
        val newer = """{"valueSetId":"vaccines-covid-19-names","valueSetDate":"2030-01-01","valueSetValues":{"EU/1/99/0001":{"display":"x","lang":"en","active":true,"version":"","system":"x"}}}"""
        val vr = { r: RulesReport -> r.results.first { it.identifier == "VR-XX-0001" }.outcome }
        eq(vr(report), RuleOutcome.PASSED, "embedded value sets")
        eq(vr(v.evaluateRules(loadRules(goldenText("rules-xx.json")), RuleOptions(country = "XX", valueSets = listOf(newer)))), RuleOutcome.FAIL, "value sets from the options")
        eq(throws<DccException.InvalidValueSet> { v.evaluateRules(loadRules(goldenText("rules-xx.json")), RuleOptions(country = "XX", valueSets = listOf("{"))) }.code(), "invalid_value_set", "bad value set")
    }

    // 5. One rule, CertLogic expressions, and their errors.
    test("evaluateRule: passed, fail and open for one rule of rules-xx.json with {payload, external}") {
        val byId = json(goldenText("rules-xx.json")).arr().map { it.obj() }.associateBy { it["Identifier"].str() }
        val payload = json(examples.getValue("vaccination"))
        fun data(country: String) = Json.write(mapOf("payload" to payload, "external" to mapOf("countryCode" to country)))
        val rule = Json.write(byId.getValue("GR-XX-0001"))
        val passed = evaluateRule(rule, data("XX"))
        eq(passed.outcome, RuleOutcome.PASSED, "XX")
        eq(passed.identifier, "GR-XX-0001", "identifier")
        eq(passed.openReason, null, "no open reason")
        eq(passed.affectedFields, listOf("v.0.dn"), "affected fields")
        eq(passed.descriptions.map { it.lang }, listOf("en", "de"), "descriptions")
        eq(evaluateRule(rule, data("DE")).outcome, RuleOutcome.FAIL, "DE")
        val tooNew = evaluateRule(Json.write(byId.getValue("GR-XX-0004")), data("XX"))
        eq(tooNew.outcome, RuleOutcome.OPEN, "engine 9.0.0")
        eq(tooNew.openReason?.code, "engine_version_too_new", "open reason")
        val unknown = evaluateRule(Json.write(byId.getValue("GR-XX-0003")), data("XX"))
        eq(unknown.outcome, RuleOutcome.OPEN, "unknown operator")
        eq(unknown.openReason?.code, "unknown_operator", "open reason")
        // Without "external": every external value is empty.
        eq(evaluateRule(rule, Json.write(mapOf("payload" to payload))).outcome, RuleOutcome.FAIL, "no external")
        eq(throws<DccException.InvalidArgument> { evaluateRule(rule, "{}") }.code(), "invalid_argument", "no payload")
        eq(throws<DccException.InvalidArgument> { evaluateRule(rule, "not json") }.code(), "invalid_argument", "data not JSON")
        eq(throws<DccException.InvalidRule> { evaluateRule("{\"Identifier\": 5}", data("XX")) }.code(), "invalid_rule", "bad rule")
    }

    test("evaluateCertlogic: JSON in, JSON out; failures are certlogic_failed with the engine's code") {
        eq(evaluateCertlogic("{\"+\":[1,2]}", "{}"), "3", "1 + 2")
        eq(json(evaluateCertlogic("{\"var\":\"a.b\"}", "{\"a\":{\"b\":[\"x\"]}}")), listOf("x"), "var")
        eq(evaluateCertlogic("{\"if\":[{\"===\":[{\"var\":\"n\"},1]},\"one\",\"other\"]}", "{\"n\":1}"), "\"one\"", "if")
        val e = throws<DccException.CertlogicFailed> { evaluateCertlogic("{\"nope\":[1]}", "{}") }
        eq(e.code(), "certlogic_failed", "code")
        check(e.reason().contains("unknown_operator")) { e.reason() }
        eq(throws<DccException.InvalidArgument> { evaluateCertlogic("{", "{}") }.code(), "invalid_argument", "expression not JSON")
    }

    test("malformed rules are invalid_rule, naming the rule's index") {
        for (bad in listOf("not json", "5", "[{}]", "[${goldenText("rules-xx.json").trim().removePrefix("[").removeSuffix("]")}, {\"Identifier\": \"X\"}]")) {
            val e = throws<DccException.InvalidRule> { loadRules(bad) }
            eq(e.code(), "invalid_rule", bad.take(20))
            check(e.reason().isNotEmpty()) { "no message" }
        }
        val e = throws<DccException.InvalidRule> { loadRules("[${Json.write(json(goldenText("rules-xx.json")).arr()[0])}, {}]") }
        check(e.reason().contains("1")) { "index not named: ${e.reason()}" }
    }

    test("rules are shared by 4 threads") {
        val set = rules("vectors/rules/covpass-eu-rules.json")
        val hc1 = json(goldenText("issued-test-es256.json")).obj()["hc1"].str()
        val v = verifier.verify(hc1, verifyAt)
        val options = RuleOptions(country = "CZ", at = epoch("2023-06-01T00:00:00Z"))
        val expected = v.evaluateRules(set, options)
        eq(expected.outcome, RuleOutcome.FAIL, "CZ test certificate")
        val pool = Executors.newFixedThreadPool(4)
        try {
            val jobs = (0 until 4).map { pool.submit(Callable { (0 until 5).count { v.evaluateRules(set, options) == expected } }) }
            eq(jobs.sumOf { it.get(120, TimeUnit.SECONDS) }, 20, "equal reports")
        } finally {
            pool.shutdownNow()
        }
    }
}
