// Tests of the Swift binding: the same cases as the Kotlin tests
// (../../../kotlin/src/test/kotlin/dcckit/tests/DccKitTest.kt), on the shared data in tests/golden.
// Run on macOS: `bash build-xcframework.sh && swift test` (see bindings/dcc-ffi/README.md).
// Not compiled in CI: there is no Swift compiler on the Linux machines.

import CryptoKit
import DccKit
import Foundation
import XCTest

// MARK: - shared test data

/// The checkout: this file is bindings/dcc-ffi/swift/Tests/DccKitTests/DccKitTests.swift.
private let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<6 { url.deleteLastPathComponent() }
    return url
}()

private func text(_ path: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
}

private func golden(_ name: String) throws -> String { try text("tests/golden/\(name)") }

private func json(_ s: String) throws -> NSObject {
    try JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed]) as! NSObject
}

private func jsonText(_ value: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
}

/// Issued-at and expiry of the golden certificates (2021-06-01, 2022-06-01).
private let IAT: Int64 = 1_622_505_600
private let EXP: Int64 = 1_654_041_600

private func goldenOptions() -> IssueOptions {
    IssueOptions(iss: "XX", issuedAt: IAT, validity: .until(epochSeconds: EXP))
}

private func days(_ n: Int64) -> Validity { .forSeconds(seconds: n * 86_400) }

private let passed = Outcome(status: .passed, code: nil, message: nil)

/// `passed`, `skipped`, `not_checkable`, or the failure's code, as in the conformance sample.
private func outcomeCode(_ o: Outcome) -> String {
    switch o.status {
    case .passed: return "passed"
    case .skipped: return "skipped"
    case .notCheckable: return "not_checkable"
    case .failed: return o.code ?? "failed without a code"
    }
}

/// The facade's name of a status: `passed`, `failed`, `skipped`, `not_checkable`.
private func statusName(_ s: CheckStatus) -> String {
    switch s {
    case .passed: return "passed"
    case .failed: return "failed"
    case .skipped: return "skipped"
    case .notCheckable: return "not_checkable"
    }
}

private func num(_ n: Int64?) -> Any { n.map { NSNumber(value: $0) } ?? NSNull() }
private func str(_ s: String?) -> Any { s ?? NSNull() }

private func claimsJson(_ c: Claims) -> [String: Any] { ["iss": str(c.iss), "iat": num(c.iat), "exp": num(c.exp)] }

private func outcomeJson(_ o: Outcome) -> [String: Any] {
    ["status": statusName(o.status), "code": str(o.code), "message": str(o.message)]
}

/// The verification view built from the native record, field by field (not from toJson()).
private func viewOf(_ v: Verification) throws -> NSDictionary {
    let signer: Any = v.signer.map {
        ["kid": $0.kid, "subject": $0.subject, "country": str($0.country),
         "not_before": num($0.notBefore), "not_after": num($0.notAfter), "key": $0.key,
         "certificate": $0.certificate,
         "source": $0.source.map { s -> Any in
             ["format": s.format, "list": str(s.list), "country": str(s.country), "list_expired": s.listExpired] as [String: Any]
         } ?? NSNull()] as [String: Any]
    } ?? NSNull()
    let view: [String: Any] = [
        "valid": v.valid, "hc1": v.hc1, "kid": str(v.kid), "algorithm": str(v.algorithm),
        "certificate_type": v.certificateType.map { "\($0)" as Any } ?? NSNull(),
        "claims": claimsJson(v.claims), "payload": try json(v.payload), "signer": signer,
        "checks": [
            "signature": outcomeJson(v.checks.signature), "validity": outcomeJson(v.checks.validity),
            "key_usage": outcomeJson(v.checks.keyUsage), "structure": outcomeJson(v.checks.structure),
            "payload": outcomeJson(v.checks.payload), "revocation": outcomeJson(v.checks.revocation),
        ],
        "failures": v.failures.map { ["code": $0.code, "message": $0.message] },
        "findings": v.findings.map { ["path": $0.path, "code": $0.code, "message": $0.message] },
        "at": NSNumber(value: v.at),
        "revoked_by": v.revokedBy.map { m -> Any in
            ["hash_type": gatewayName(m.hashType), "hash": m.hash,
             "source": ["kind": m.source.kind, "country": str(m.source.country), "kid": str(m.source.kid),
                        "name": str(m.source.name)] as [String: Any]] as [String: Any]
        } ?? NSNull(),
    ]
    return view as NSDictionary
}

/// The gateway's name of a hash type: `UCI`, `COUNTRYCODEUCI`, `SIGNATURE`.
private func gatewayName(_ t: HashType) -> String {
    switch t {
    case .uci: return "UCI"
    case .countryCodeUci: return "COUNTRYCODEUCI"
    case .signature: return "SIGNATURE"
    }
}

private func example(_ name: String) throws -> String { try text("examples/\(name).json") }

/// The stable code of any error the binding throws.
private func code(of error: Error) -> String? { (error as? DccError)?.code() }

private func assertValid(_ v: Verification, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(v.valid, "\(what): \(v.failures)", file: file, line: line)
    XCTAssertEqual(v.checks.signature, passed, what, file: file, line: line)
    XCTAssertEqual(v.checks.validity, passed, what, file: file, line: line)
    XCTAssertEqual(v.checks.keyUsage, passed, what, file: file, line: line)
    XCTAssertEqual(v.checks.structure, passed, what, file: file, line: line)
    XCTAssertTrue(v.failures.isEmpty, what, file: file, line: line)
    XCTAssertEqual(try? v.ensureValid(), v, what, file: file, line: line)
}

// MARK: - signers implemented in Swift

/// ES256 with CryptoKit (a Secure Enclave key, `SecureEnclave.P256.Signing.PrivateKey`, works the
/// same way): returns the DER signature, which dcc-kit accepts.
final class CryptoKitSigner: DccSigner, @unchecked Sendable {
    let key: P256.Signing.PrivateKey
    private let lock = NSLock()
    private(set) var calls = 0
    private(set) var lastTbs: Data?

    init(pem: String) throws { key = try P256.Signing.PrivateKey(pemRepresentation: pem) }

    func algorithm() throws -> Algorithm { .es256 }

    func sign(tbs: Data) throws -> Data {
        lock.lock()
        calls += 1
        lastTbs = tbs
        lock.unlock()
        return try key.signature(for: tbs).derRepresentation
    }
}

struct HsmOffline: Error {}

final class FailingSigner: DccSigner, @unchecked Sendable {
    let failure: Error
    init(_ failure: Error) { self.failure = failure }
    func algorithm() throws -> Algorithm { .es256 }
    func sign(tbs: Data) throws -> Data { throw failure }
}

final class BrokenAlgorithmSigner: DccSigner, @unchecked Sendable {
    func algorithm() throws -> Algorithm { throw HsmOffline() }
    func sign(tbs: Data) throws -> Data { Data(count: 64) }
}

/// Claims PS256, for a P-256 DSC: refused by `Issuer.fromSigner` (`invalid_key`).
final class ClaimsPs256Signer: DccSigner, @unchecked Sendable {
    func algorithm() throws -> Algorithm { .ps256 }
    func sign(tbs: Data) throws -> Data { Data(count: 256) }
}

/// A cloud-KMS style signer (AWS KMS `Sign` with `MessageType.DIGEST`, Google Cloud KMS
/// `asymmetricSign`): only the SHA-256 digest of the `Sig_structure` goes to the "KMS", which
/// returns a DER ECDSA signature. The local stand-in for the cloud call is a CryptoKit key signing
/// the digest.
final class KmsStyleSigner: DccSigner, @unchecked Sendable {
    let kmsKey: P256.Signing.PrivateKey
    private let lock = NSLock()
    private(set) var digests: [Data] = []

    init(pem: String) throws { kmsKey = try P256.Signing.PrivateKey(pemRepresentation: pem) }

    /// The "cloud call": signs a SHA-256 digest, returns DER.
    func kmsSign(digest: SHA256.Digest) throws -> Data {
        lock.lock(); digests.append(Data(digest)); lock.unlock()
        return try kmsKey.signature(for: digest).derRepresentation
    }

    func algorithm() throws -> Algorithm { .es256 }
    func sign(tbs: Data) throws -> Data { try kmsSign(digest: SHA256.hash(data: tbs)) }
}

final class ShortSignatureSigner: DccSigner, @unchecked Sendable {
    func algorithm() throws -> Algorithm { .es256 }
    func sign(tbs: Data) throws -> Data { Data([1, 2, 3]) }
}

// MARK: - tests

final class DccKitTests: XCTestCase {
    var dscEs = "", dscPs = "", keyEs = ""

    override func setUpWithError() throws {
        dscEs = try golden("dsc-es256.pem")
        dscPs = try golden("dsc-ps256.pem")
        keyEs = try golden("es256-key.pem")
    }

    func testRoundTrips() throws {
        let issuer = Issuer.demo()
        let verifier = Verifier.demo()
        let iat: Int64 = 1_750_000_000
        let types: [String: CertificateType] = ["vaccination": .vaccination, "test": .test, "recovery": .recovery]
        for (name, type) in types {
            let payload = try example(name)
            let cert = try issuer.issue(
                payloadJson: payload,
                options: IssueOptions(iss: "DE", issuedAt: iat, validity: days(30)))
            XCTAssertTrue(cert.hc1().hasPrefix("HC1:"))
            XCTAssertEqual(cert.claims().iss, "DE")
            XCTAssertEqual(cert.claims().iat, iat)
            XCTAssertEqual(cert.claims().exp, iat + 30 * 86_400)

            XCTAssertEqual(cert.certificateType(), type)
            XCTAssertEqual(cert.algorithm(), .es256)
            XCTAssertEqual(Data(base64Encoded: cert.kid())?.count, 8, "kid is base64")

            let v = try verifier.verify(hc1: cert.hc1(), at: iat + 86_400)
            assertValid(v, name)
            XCTAssertEqual(try json(v.payload), try json(payload), name)
            XCTAssertEqual(v.certificateType, type)
            XCTAssertEqual(v.kid, cert.kid())
            XCTAssertEqual(try json(v.toJson()), try viewOf(v))
            XCTAssertEqual((try json(cert.toJson()) as! NSDictionary)["kid"] as? String, cert.kid())
            XCTAssertEqual(v.claims, cert.claims())
            XCTAssertEqual(v.signer?.country, "XX")
            XCTAssertEqual(v.findings, [])
            XCTAssertEqual(cert.changes(), [])

            let png = try cert.toPng(scale: 4)
            XCTAssertEqual(try readQr(image: png), cert.hc1())
            assertValid(try verifier.verifyImage(image: png, at: iat + 86_400), "\(name) image")
            XCTAssertTrue(try cert.toSvg().contains("<svg"))
            for pdf in [try cert.toPdf(), try cert.toPdf(options: PdfOptions(language: "fr"))] {
                XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-", "\(name) PDF")
            }

            let d = try decode(hc1: cert.hc1())
            XCTAssertEqual(try json(d.payload), try json(payload))
            XCTAssertEqual(d.algorithm, "ES256")
            XCTAssertEqual(d.kid, v.signer?.kid)
            XCTAssertEqual(d.hc1, cert.hc1())

            let late = try verifier.verify(hc1: cert.hc1(), at: iat + 31 * 86_400)
            XCTAssertFalse(late.valid)
            XCTAssertEqual(outcomeCode(late.checks.validity), "expired")
            XCTAssertThrowsError(try late.ensureValid()) { error in
                guard case .VerificationFailed(_, let failures)? = error as? DccError else { return XCTFail("\(error)") }
                XCTAssertEqual(failures, late.failures)
            }
        }
        // nil options: now, the default validity, the DSC's country.
        let cert = try issuer.issue(payloadJson: try example("vaccination"))
        XCTAssertEqual(cert.claims().iss, "XX")
        XCTAssertEqual(cert.claims().exp! - cert.claims().iat!, 365 * 86_400)
        assertValid(try verifier.verify(hc1: cert.hc1(), at: now()), "defaults")

        // issueBatch: one result per payload, in order.
        let results = issuer.issueBatch(payloadsJson: [try example("test"), "not json"],
                                        options: IssueOptions(issuedAt: iat, validity: .default))
        XCTAssertEqual(results.count, 2)
        guard case .issued(let issued) = results[0], case .failed(let error) = results[1] else { return XCTFail("\(results)") }
        XCTAssertEqual(issued.certificateType(), .test)
        XCTAssertEqual(error.code(), "invalid_payload")

        // A conflicting validity cannot be written; bad single values are invalid_options.
        for bad: Validity in [.forSeconds(seconds: 0), .until(epochSeconds: iat - 1)] {
            XCTAssertThrowsError(try issuer.issue(payloadJson: try example("test"),
                                                  options: IssueOptions(issuedAt: iat, validity: bad))) {
                XCTAssertEqual(code(of: $0), "invalid_options")
            }
        }
    }

    func testHelpers() throws {
        let report = try validate(payloadJson: try example("vaccination"), at: 1_750_000_000)
        XCTAssertTrue(report.valid)
        XCTAssertThrowsError(try validate(payloadJson: "{", at: 0)) { XCTAssertEqual(code(of: $0), "invalid_payload") }
        XCTAssertEqual(try transliterate(name: "Musterfrau-Gößinger"), "MUSTERFRAU<GOESSINGER")
        XCTAssertTrue(try generateUvci(country: "DE", issuerPart: "ISSUER").hasPrefix("URN:UVCI:01:DE:ISSUER/"))
        XCTAssertThrowsError(try generateUvci(country: "DE", issuerPart: "bad part!")) {
            XCTAssertEqual(code(of: $0), "invalid_argument")
        }
        XCTAssertThrowsError(try Issuer.demo().withValueSets(valueSets: ["{"])) { XCTAssertEqual(code(of: $0), "invalid_value_set") }
        XCTAssertThrowsError(try Verifier.demo().withValueSets(valueSets: ["{"])) { XCTAssertEqual(code(of: $0), "invalid_value_set") }
        XCTAssertTrue(checkCodes().contains("expired"))
        XCTAssertTrue(issueCodes().contains("unknown_code"))
    }

    func testConformanceViews() throws {
        let doc = try json(try golden("conformance-views.json")) as! [String: Any]
        for vec in doc["vectors"] as! [[String: Any]] {
            let name = vec["name"] as! String
            let verifier = try Verifier.fromCerts(certificates: [vec["certificate"] as! String])
            do {
                let v = try verifier.verify(hc1: vec["hc1"] as! String, at: (vec["at"] as! NSNumber).int64Value)
                XCTAssertEqual(try viewOf(v), vec["view"] as? NSDictionary, name)
                XCTAssertEqual(try json(v.toJson()) as? NSDictionary, vec["view"] as? NSDictionary, name)
            } catch let e as DccError {
                let want = vec["error"] as? [String: Any]
                XCTAssertEqual(e.code(), want?["code"] as? String, name)
                XCTAssertEqual(e.reason(), want?["message"] as? String, name)
            }
        }
    }

    func testGoldenVectors() throws {
        let issuer = try Issuer.fromPemDeterministic(keyPem: keyEs, certPem: dscEs)
        let verifier = try Verifier.fromCerts(certificates: [dscEs, dscPs])
        for type in ["vaccination", "test", "recovery"] {
            for alg in ["es256", "ps256"] {
                let doc = try json(try golden("issued-\(type)-\(alg).json")) as! [String: Any]
                let hc1 = doc["hc1"] as! String
                let v = try verifier.verify(hc1: hc1, at: IAT + 86_400)
                assertValid(v, "\(type)-\(alg)")
                XCTAssertEqual(try json(v.payload), doc["payload"] as! NSObject)
                if alg == "es256" {
                    // Deterministic ES256 (RFC 6979): the same inputs give the same bytes.
                    let again = try issuer.issue(payloadJson: try jsonText(doc["payload"]!), options: goldenOptions())
                    XCTAssertEqual(again.hc1(), hc1)
                }
            }
        }
    }

    func testConformanceSample() throws {
        let sample = try json(try golden("conformance-sample.json")) as! [String: Any]
        let vectors = sample["vectors"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(vectors.count, 70)
        for vec in vectors {
            let name = vec["name"] as! String
            let expect = vec["expect"] as! NSDictionary
            let verifier = try Verifier.fromCerts(certificates: [vec["certificate"] as! String])
            let got: NSDictionary
            do {
                let r = try verifier.verify(hc1: vec["hc1"] as! String, at: (vec["at"] as! NSNumber).int64Value)
                got = [
                    "valid": r.valid,
                    "signature": outcomeCode(r.checks.signature),
                    "validity": outcomeCode(r.checks.validity),
                    "key_usage": outcomeCode(r.checks.keyUsage),
                    "payload": try json(r.payload),
                ]
            } catch {
                got = ["error": code(of: error) ?? "\(error)"]
            }
            XCTAssertEqual(got, expect, name)
        }
    }

    func testBadInputs() throws {
        let table = try json(try golden("bad-inputs.json")) as! [String: Any]
        let at = (table["verify_at"] as! NSNumber).int64Value
        let trust = try (table["trust"] as! [String]).map { try golden($0) }
        let verifier = try Verifier.fromCerts(certificates: trust)
        let issuer = try Issuer.fromPem(keyPem: keyEs, certPem: dscEs)
        let cases = table["cases"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 25)
        for c in cases {
            let name = c["name"] as! String
            let input = c["input"]!
            let expect = c["expect"] as! [String: Any]
            var verification: Verification?
            var error: String?
            do {
                switch c["kind"] as! String {
                case "hc1":
                    verification = try verifier.verify(hc1: input as! String, at: at)
                case "hc1_repeat":
                    let r = input as! [String: Any]
                    let s = (r["prefix"] as! String)
                        + String(repeating: r["char"] as! String, count: (r["count"] as! NSNumber).intValue)
                    verification = try verifier.verify(hc1: s, at: at)
                case "image":
                    verification = try verifier.verifyImage(image: Data(base64Encoded: input as! String)!, at: at)
                case "key":
                    _ = try Issuer.fromPem(keyPem: input as! String, certPem: dscEs)
                case "certificate":
                    _ = try Verifier.fromCerts(certificates: [input as! String])
                case "issue":
                    let r = input as! [String: Any]
                    let payload = try jsonText(r["payload"]!)
                    let options = IssueOptions(
                        iss: r["iss"] as? String,
                        issuedAt: (r["issued_at"] as! NSNumber).int64Value,
                        validity: days((r["valid_days"] as! NSNumber).int64Value))
                    // prepare answers every bad payload with the same error as issue.
                    var viaPrepare: String?
                    do { _ = try issuer.prepare(payloadJson: payload, options: options) } catch { viaPrepare = code(of: error) }
                    do {
                        _ = try issuer.issue(payloadJson: payload, options: options)
                        XCTAssertNil(viaPrepare, name)
                    } catch {
                        XCTAssertEqual(viaPrepare, code(of: error), name)
                        throw error
                    }
                case let kind:
                    XCTFail("\(name): unknown kind \(kind)")
                }
            } catch let e {
                error = code(of: e) ?? "\(e)"
            }
            if let want = expect["error"] as? String {
                XCTAssertEqual(error, want, name)
            } else {
                XCTAssertNil(error, name)
                let which = expect["check"] as! String
                guard let v = verification else { XCTFail("\(name): no verification"); continue }
                let outcome: Outcome
                switch which {
                case "signature": outcome = v.checks.signature
                case "validity": outcome = v.checks.validity
                case "key_usage": outcome = v.checks.keyUsage
                case "structure": outcome = v.checks.structure
                default: outcome = v.checks.payload
                }
                XCTAssertEqual(outcomeCode(outcome), expect["code"] as? String, name)
                if let finding = expect["finding"] as? String { XCTAssertEqual(v.findings.first?.code, finding, name) }
                if let valid = expect["valid"] as? Bool {
                    XCTAssertEqual(v.valid, valid, name)
                } else {
                    XCTAssertTrue(!v.valid || which == "payload", name)
                }
            }
        }
    }

    func testErrors() throws {
        XCTAssertThrowsError(try decode(hc1: "HC1:not base45!")) { error in
            guard case .InvalidBase45(let reason)? = error as? DccError else { return XCTFail("\(error)") }
            XCTAssertFalse(reason.isEmpty)
            XCTAssertEqual(code(of: error), "invalid_base45")
            XCTAssertEqual((error as! DccError).reason(), reason)
        }
        XCTAssertThrowsError(try decode(hc1: "")) { XCTAssertEqual(code(of: $0), "empty_input") }

        var payload = try json(try example("vaccination")) as! [String: Any]
        payload["t"] = (try json(try example("test")) as! [String: Any])["t"]
        XCTAssertThrowsError(try Issuer.demo().issue(
            payloadJson: try jsonText(payload), options: IssueOptions(issuedAt: 1_750_000_000, validity: .default))
        ) { error in
            guard case .ValidationFailed(_, let issues)? = error as? DccError else { return XCTFail("\(error)") }
            XCTAssertFalse(issues.isEmpty)
            XCTAssertEqual(code(of: error), "validation_failed")
        }
        // One case per errorCodes() entry, each with its own code (Swift cannot list enum
        // cases; check_bindings.py compares the cases with the Kotlin source and the library).
        let cases: [DccError] = [
            .EmptyInput(reason: ""), .InputTooLarge(reason: ""), .InvalidPrefix(reason: ""),
            .UnsupportedVersion(reason: ""), .InvalidBase45(reason: ""), .InvalidCompression(reason: ""),
            .InvalidCbor(reason: ""), .InvalidCose(reason: ""), .InvalidClaims(reason: ""),
            .InvalidPayload(reason: ""), .InvalidKey(reason: ""), .InvalidCertificate(reason: ""),
            .SigningFailed(reason: ""), .QrEncodeFailed(reason: ""), .InvalidImage(reason: ""),
            .NoQrCode(reason: ""), .InvalidOptions(reason: ""), .InvalidValueSet(reason: ""),
            .InvalidArgument(reason: ""), .InvalidRevocationData(reason: ""), .InvalidTrustList(reason: ""),
            .TrustListSignatureInvalid(reason: ""), .TrustListExpired(reason: ""), .InvalidRule(reason: ""),
            .CertlogicFailed(reason: ""), .LedgerFailed(reason: ""),
            .Pkcs11ModuleUnavailable(reason: ""), .Pkcs11TokenNotFound(reason: ""), .Pkcs11PinIncorrect(reason: ""),
            .Pkcs11KeyNotFound(reason: ""), .Pkcs11DeviceError(reason: ""), .PdfFailed(reason: ""),
            .ValidationFailed(reason: "", issues: []),
            .VerificationFailed(reason: "", failures: []),
        ]
        XCTAssertEqual(Set(cases.map { $0.code() }), Set(errorCodes()))
        XCTAssertEqual(cases.count, errorCodes().count)

        let cert = try Issuer.demo().issue(payloadJson: try example("test"), options: IssueOptions(issuedAt: 1_750_000_000, validity: .default))
        XCTAssertThrowsError(try cert.toPng(scale: 0)) { XCTAssertEqual(code(of: $0), "qr_encode_failed") }
        XCTAssertThrowsError(try cert.toPdf(options: PdfOptions(language: "es"))) { XCTAssertEqual(code(of: $0), "invalid_options") }
        XCTAssertThrowsError(try Issuer.demo().issue(payloadJson: try example("test"), options: IssueOptions(iss: "de", validity: .default))) {
            XCTAssertEqual(code(of: $0), "invalid_options")
        }
    }

    func testSwiftSigners() throws {
        let payload = try example("vaccination")
        let signer = try CryptoKitSigner(pem: keyEs)
        let issuer = try Issuer.fromSigner(signer: signer, certPem: dscEs)
        let cert = try issuer.issue(payloadJson: payload, options: goldenOptions())
        XCTAssertEqual(signer.calls, 1)
        let tbs = try Issuer.fromPem(keyPem: keyEs, certPem: dscEs).prepare(payloadJson: payload, options: goldenOptions()).tbs()
        XCTAssertEqual(signer.lastTbs, tbs)
        assertValid(try Verifier.fromCerts(certificates: [dscEs]).verify(hc1: cert.hc1(), at: IAT + 86_400), "CryptoKit")

        // An algorithm that does not fit the DSC's key is refused.
        XCTAssertThrowsError(try Issuer.fromSigner(signer: ClaimsPs256Signer(), certPem: demoCertificatePem())) {
            XCTAssertEqual(code(of: $0), "invalid_key")
        }

        // A thrown Swift error becomes signing_failed, not a crash.
        let failing = try Issuer.fromSigner(signer: FailingSigner(HsmOffline()), certPem: dscEs)
        XCTAssertThrowsError(try failing.issue(payloadJson: payload, options: goldenOptions())) { error in
            guard case .SigningFailed? = error as? DccError else { return XCTFail("\(error)") }
        }
        let locked = try Issuer.fromSigner(signer: FailingSigner(DccError.InvalidKey(reason: "key locked")), certPem: dscEs)
        XCTAssertThrowsError(try locked.issue(payloadJson: payload, options: goldenOptions())) { error in
            XCTAssertEqual(code(of: error), "signing_failed")
            XCTAssertTrue((error as! DccError).reason().contains("key locked"))
        }
        XCTAssertThrowsError(try Issuer.fromSigner(signer: BrokenAlgorithmSigner(), certPem: dscEs)) {
            XCTAssertEqual(code(of: $0), "signing_failed")
        }
        XCTAssertThrowsError(try Issuer.fromSigner(signer: ShortSignatureSigner(), certPem: dscEs)
            .issue(payloadJson: payload, options: goldenOptions())) {
            XCTAssertEqual(code(of: $0), "signing_failed")
        }

        // prepare + finish, e.g. around an asynchronous Secure Enclave prompt.
        let prepared = try Issuer.fromPem(keyPem: keyEs, certPem: dscEs).prepare(payloadJson: payload, options: goldenOptions())
        XCTAssertEqual(prepared.algorithm(), .es256)
        let raw = try signer.key.signature(for: prepared.tbs()).rawRepresentation
        assertValid(try Verifier.fromCerts(certificates: [dscEs]).verify(hc1: try prepared.finish(signature: raw).hc1(), at: IAT + 86_400), "finished")
    }

    func testKmsStyleSignerAndCertificateRequests() throws {
        let k = try generateKey(country: "DE", commonName: "DSC in a KMS", organization: "Example Health Ltd",
                                certificateTypes: [.vaccination, .recovery])
        XCTAssertTrue(k.csrPem().hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        XCTAssertFalse(String(reflecting: k).contains("PRIVATE"))
        let signer = try KmsStyleSigner(pem: k.keyPem())
        let issuer = try Issuer.fromSigner(signer: signer, certPem: k.certPem())
        let payload = try example("vaccination")
        let options = IssueOptions(issuedAt: now(), validity: days(30))
        let cert = try issuer.issue(payloadJson: payload, options: options)
        assertValid(try Verifier.fromCerts(certificates: [k.certPem()]).verify(hc1: cert.hc1(), at: now() + 60), "KMS style")
        // Only the digest of the bytes an in-memory key signs went to the "KMS".
        let tbs = try Issuer.fromPem(keyPem: k.keyPem(), certPem: k.certPem()).prepare(payloadJson: payload, options: options).tbs()
        XCTAssertEqual(signer.digests, [Data(SHA256.hash(data: tbs))])
        // A request for the KMS key, signed through the callback (its public key is the DSC's).
        let csr = try issuer.certificateRequest(keyOptions: KeyOptions(country: "DE", commonName: "DSC in a KMS"))
        XCTAssertTrue(csr.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        XCTAssertEqual(signer.digests.count, 2)
        XCTAssertThrowsError(try issuer.certificateRequest(keyOptions: KeyOptions(country: "de"))) {
            XCTAssertEqual(code(of: $0), "invalid_options")
        }
        XCTAssertTrue(try Issuer.fromPem(keyPem: keyEs, certPem: dscEs).certificateRequest().hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
    }

    /// A SoftHSM2 token (`eval "$(bash scripts/softhsm.sh init)"`, on macOS with Homebrew's
    /// softhsm): skipped without it, unless DCC_REQUIRE_PKCS11 is set.
    func testPkcs11() throws {
        let env = ProcessInfo.processInfo.environment
        guard let module = env["DCC_TEST_PKCS11_MODULE"], let label = env["DCC_TEST_PKCS11_TOKEN"],
              let pin = env["DCC_TEST_PKCS11_PIN"], env["SOFTHSM2_CONF"] != nil else {
            if env["DCC_REQUIRE_PKCS11"] != nil {
                return XCTFail("DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured")
            }
            throw XCTSkip("no SoftHSM2 token (scripts/softhsm.sh)")
        }
        func uri(_ object: String) -> String { "pkcs11:token=\(label);object=\(object)?module-path=\(module)" }
        let options = Pkcs11Options(pin: Pkcs11Pin(pin: pin))
        XCTAssertFalse(String(describing: options).contains(pin))
        XCTAssertFalse(String(reflecting: options).contains(pin))
        let run = "swift-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970))"
        let payload = try example("vaccination")
        for alg in [Algorithm.es256, .ps256] {
            let object = "\(run)-\(alg)"
            let key = try generateKeyInToken(uri: uri(object), algorithm: alg, options: options,
                                             keyOptions: KeyOptions(country: "DE", commonName: "Swift HSM DSC"))
            XCTAssertEqual(key.algorithm(), alg)
            XCTAssertTrue(key.csrPem().hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
            let issuer = try Issuer.fromPkcs11(uri: uri(object), certPem: key.certPem(), options: options)
            let cert = try issuer.issue(payloadJson: payload, options: IssueOptions(validity: days(30)))
            assertValid(try Verifier.fromCerts(certificates: [key.certPem()]).verify(hc1: cert.hc1(), at: now() + 60), "\(alg)")
            XCTAssertThrowsError(try generateKeyInToken(uri: uri(object), algorithm: alg, options: options)) {
                XCTAssertEqual(code(of: $0), "pkcs11_device_error")
            }
        }
        let cert = try generateKeyInToken(uri: uri("\(run)-errors"), algorithm: .es256, options: options).certPem()
        let cases: [(String, Pkcs11Options, String)] = [
            ("pkcs11:token=no-such-token;object=x?module-path=\(module)", options, "pkcs11_token_not_found"),
            (uri("\(run)-no-such-key"), options, "pkcs11_key_not_found"),
            ("pkcs11:token=\(label);object=x", Pkcs11Options(modulePath: "/nonexistent/libnothing.so"), "pkcs11_module_unavailable"),
            ("pkcs12:token=x", options, "invalid_argument"),
            (uri("\(run)-\(Algorithm.ps256)"), options, "invalid_key"),
        ]
        for (target, opts, expected) in cases {
            XCTAssertThrowsError(try Issuer.fromPkcs11(uri: target, certPem: cert, options: opts)) {
                XCTAssertEqual(code(of: $0), expected, target)
            }
        }
    }

    func testKeysAndVerifiers() throws {
        let k = try generateKey(country: "DE", commonName: "Swift test DSC", validDays: 30)
        let issuer = try Issuer.fromPem(keyPem: k.keyPem(), certPem: k.certPem())
        let cert = try issuer.issue(payloadJson: try example("test"), options: IssueOptions(validity: days(7)))
        let v = try Verifier.fromCerts(certificates: [k.certPem()]).verify(hc1: cert.hc1(), at: now() + 60)
        assertValid(v, "generated")
        XCTAssertEqual(v.signer?.country, "DE")
        XCTAssertFalse(String(reflecting: k).contains("PRIVATE"))
        XCTAssertFalse(String(reflecting: issuer).contains("PRIVATE"))

        XCTAssertEqual(try generateKey().certPem().isEmpty, false)
        XCTAssertEqual(try Verifier.fromCerts(certificates: [dscEs, dscPs]).trusted().count, 2)
        let hc1 = (try json(try golden("issued-test-es256.json")) as! [String: Any])["hc1"] as! String
        let byPem = try Verifier.fromCerts(certificates: [dscEs])
        XCTAssertEqual(outcomeCode(try byPem.verify(hc1: hc1, at: IAT - 60).checks.validity), "not_yet_valid")
        assertValid(try byPem.withClockSkew(seconds: 120).verify(hc1: hc1, at: IAT - 60), "with skew")
        let untrusted = try Verifier.fromCerts(certificates: [dscPs]).verify(hc1: hc1, at: IAT + 60)
        XCTAssertEqual(outcomeCode(untrusted.checks.signature), "unknown_kid")
        XCTAssertEqual(untrusted.checks.keyUsage.status, .skipped)
        XCTAssertNil(untrusted.signer)
    }

    func testThreads() throws {
        let issuer = try Issuer.fromPemDeterministic(keyPem: keyEs, certPem: dscEs)
        let verifier = try Verifier.fromCerts(certificates: [dscEs, dscPs])
        let names = ["vaccination", "test", "recovery"]
        let payloads = try names.map { try example($0) }
        let expected = try names.map { (try json(try golden("issued-\($0)-es256.json")) as! [String: Any])["hc1"] as! String }
        let lock = NSLock()
        var failures: [String] = []
        func fail(_ message: String) { lock.lock(); failures.append(message); lock.unlock() }
        DispatchQueue.concurrentPerform(iterations: 8 * 10) { i in
            do {
                let cert = try issuer.issue(payloadJson: payloads[i % 3], options: goldenOptions())
                if cert.hc1() != expected[i % 3] { fail("\(i): differs") }
                if !(try verifier.verify(hc1: cert.hc1(), at: IAT + 86_400)).valid { fail("\(i): invalid") }
            } catch {
                fail("\(i): \(error)")
            }
        }
        XCTAssertEqual(failures.count, 0, "\(failures)")
    }
}

// MARK: - revocation and the issuance ledger (RevocationLedgerTest.kt in the Kotlin tests)

/// 2025-06-15, inside the demo DSC's validity.
private let T0: Int64 = 1_750_000_000
/// After every certificate these tests issue, before any expires.
private let AT: Int64 = T0 + 300_000

private let allHashTypes: [HashType] = [.uci, .countryCodeUci, .signature]

/// The vaccination example with this certificate identifier (nil: none, `uvciIssuer` fills one in).
private func payload(ci: String?) throws -> String {
    var payload = try json(try example("vaccination")) as! [String: Any]
    var entry = (payload["v"] as! [[String: Any]])[0]
    if let ci = ci { entry["ci"] = ci } else { entry.removeValue(forKey: "ci") }
    payload["v"] = [entry]
    return try jsonText(payload)
}

private func ciOf(_ cert: Certificate) throws -> String {
    let payload = try json(cert.payload()) as! [String: Any]
    return (payload["v"] as! [[String: Any]])[0]["ci"] as! String
}

private func hashOf(_ h: RevocationHashes, _ t: HashType) -> String? {
    switch t {
    case .uci: return h.uci
    case .countryCodeUci: return h.countryCodeUci
    case .signature: return h.signature
    }
}

private func hexSha256(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}

private func batchJson(kid: String, _ t: HashType, _ hashes: [String]) -> String {
    RevocationBatch(country: "AT", expires: "2031-01-01T00:00:00Z", kid: kid, hashType: t,
                    entries: hashes.map { BatchEntry(hash: $0) }).toJson()
}

private func ledgerOptions(_ issuedAt: Int64) -> IssueOptions {
    IssueOptions(issuedAt: issuedAt, validity: .default, uvciIssuer: "LEDGERSWIFT")
}

#if os(macOS)
/// Runs a command line tool (sqlite3, psql) and fails on a non-zero exit.
private func runTool(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        throw NSError(domain: "DccKitTests", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: "\(arguments.prefix(2)) failed"])
    }
}
#endif

extension DccKitTests {
    func testRevocationHashes() throws {
        XCTAssertTrue(errorCodes().contains("invalid_revocation_data"))
        XCTAssertTrue(errorCodes().contains("ledger_failed"))
        XCTAssertTrue(checkCodes().contains("revoked"))
        let cases = try json(try text("tests/vectors/revocation/cwa-revocation-hashes.json")) as! [[String: Any]]
        XCTAssertEqual(cases.count, 3)
        for c in cases {
            let hc1 = c["barcodeData"] as! String
            let h = try revocationHashes(hc1: hc1)
            XCTAssertEqual(h.uciHex, c["expUCI"] as? String)
            XCTAssertEqual(h.countryCodeUciHex, c["expCOUNTRYCODEUCI"] as? String)
            XCTAssertEqual(h.signatureHex, c["expSIGNATURE"] as? String)
            XCTAssertEqual(h.signature.count, 24)
            XCTAssertEqual(try Verifier.demo().verify(hc1: hc1, at: T0).revocationHashes(), h)
        }
        let ci = "URN:UVCI:01:AT:HASHES01#1"
        let cert = try Issuer.demo().issue(payloadJson: try payload(ci: ci), options: IssueOptions(issuedAt: T0, validity: .default))
        XCTAssertEqual(try revocationHashes(hc1: cert.hc1()), cert.revocationHashes())
        XCTAssertEqual(cert.revocationHashes().uciHex, String(hexSha256(ci).prefix(32)))
    }

    func testRevocationCheck() throws {
        let issuer = Issuer.demo()
        let opts = IssueOptions(issuedAt: T0, validity: .default)
        let revoked = try issuer.issue(payloadJson: try payload(ci: "URN:UVCI:01:AT:REVOKED1#1"), options: opts)
        let kept = try issuer.issue(payloadJson: try payload(ci: "URN:UVCI:01:AT:KEPT0001#2"), options: opts)

        let plain = try Verifier.demo().verify(hc1: revoked.hc1(), at: T0 + 60)
        XCTAssertTrue(plain.valid)
        XCTAssertEqual(plain.checks.revocation.status, .skipped)
        XCTAssertNil(plain.revokedBy)

        for t in allHashTypes {
            let hash = hashOf(revoked.revocationHashes(), t)!
            let verifier = try Verifier.demo().withRevocation(data: [Data(batchJson(kid: revoked.kid(), t, [hash]).utf8)])
            let v = try verifier.verify(hc1: revoked.hc1(), at: T0 + 60)
            XCTAssertFalse(v.valid, "\(t)")
            XCTAssertEqual(v.checks.revocation.status, .failed)
            XCTAssertEqual(v.checks.revocation.code, "revoked")
            XCTAssertEqual(v.revokedBy?.hashType, t)
            XCTAssertEqual(v.revokedBy?.hash, hash)
            XCTAssertEqual(v.revokedBy?.source.kind, "batch")
            XCTAssertEqual(try json(v.toJson()), try viewOf(v))
            let ok = try verifier.verify(hc1: kept.hc1(), at: T0 + 60)
            XCTAssertTrue(ok.valid, "\(t)")
            XCTAssertEqual(ok.checks.revocation, passed)
        }

        let badType = #"{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"MD5","entries":[{"hash":"AAAAAAAAAAAAAAAAAAAAAA=="}]}"#
        for bad in [Data("{not json".utf8), Data(badType.utf8), Data([0, 1, 1, 0, 0])] {
            XCTAssertThrowsError(try Verifier.demo().withRevocation(data: [bad])) { error in
                guard case .InvalidRevocationData? = error as? DccError else { return XCTFail("\(error)") }
                XCTAssertEqual(code(of: error), "invalid_revocation_data")
            }
        }
    }

    func testLedgerSqlite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dcckit-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ledger.db").path
        #if os(macOS)
        let exec: ((String) throws -> Void)? = { sql in try runTool(["sqlite3", path, sql]) }
        #else
        let exec: ((String) throws -> Void)? = nil
        #endif
        try exerciseLedger(target: path, exec: exec)

        // Personal data only when asked; an operator is required.
        let personal = try Ledger.open(target: dir.appendingPathComponent("personal.db").path)
        _ = try Issuer.demo().withLedger(ledger: personal, options: LedgerOptions(operator: "P", includePersonalData: true))
            .issue(payloadJson: try payload(ci: nil), options: ledgerOptions(T0))
        XCTAssertTrue(try personal.records(query: LedgerQuery())[0].personalData?.contains("Gabriele") ?? false)
        XCTAssertThrowsError(try Issuer.demo().withLedger(ledger: personal, options: LedgerOptions(operator: " "))) {
            XCTAssertEqual(code(of: $0), "invalid_options")
        }
        // Unusable targets are ledger_failed, without the password.
        for bad in ["/nonexistent-dir/x/ledger.db", "postgres://nobody:s3cret@127.0.0.1:1/none", ""] {
            XCTAssertThrowsError(try Ledger.open(target: bad)) { error in
                guard case .LedgerFailed(let reason)? = error as? DccError else { return XCTFail("\(error)") }
                XCTAssertFalse(reason.contains("s3cret"))
            }
        }
    }

    /// DCC_TEST_POSTGRES_URL (scripts/postgres.sh starts a server): skipped without it, unless
    /// DCC_REQUIRE_POSTGRES is set.
    func testLedgerPostgres() throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["DCC_TEST_POSTGRES_URL"], !url.isEmpty else {
            if env["DCC_REQUIRE_POSTGRES"] != nil {
                return XCTFail("DCC_REQUIRE_POSTGRES is set but DCC_TEST_POSTGRES_URL is not")
            }
            throw XCTSkip("no DCC_TEST_POSTGRES_URL (scripts/postgres.sh starts a server)")
        }
        #if os(macOS)
        // A fresh database: created with psql, then the URL's last path segment replaced.
        let db = "dcckit_swift_\(ProcessInfo.processInfo.processIdentifier)_\(UInt64(Date().timeIntervalSince1970 * 1000))"
        try runTool(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(db)"])
        let parts = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var target = String(parts[0][..<parts[0].lastIndex(of: "/")!]) + "/" + db
        if parts.count > 1 { target += "?" + parts[1] }
        try exerciseLedger(target: target, exec: { sql in
            try runTool(["psql", target, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        })
        #else
        throw XCTSkip("psql is run with Process, which only macOS has")
        #endif
    }

    /// Issues as A and B into a fresh ledger (sequentially and from several threads, through two
    /// connections), then checks records, queries, the chain, the export and (with `exec`, which
    /// runs SQL on the ledger's database) tampering.
    private func exerciseLedger(target: String, exec: ((String) throws -> Void)?) throws {
        let ledger = try Ledger.open(target: target)
        let a = try Issuer.demo().withLedger(ledger: ledger, options: LedgerOptions(operator: "A"))
        let b = try Issuer.demo().withLedger(ledger: try Ledger.open(target: target), options: LedgerOptions(operator: "B"))
        let p = try payload(ci: nil)
        var certs: [String: [Certificate]] = ["A": [], "B": []]
        for i in Int64(0)..<4 {
            certs["A"]!.append(try a.issue(payloadJson: p, options: ledgerOptions(T0 + i * 7200)))
            certs["B"]!.append(try b.issue(payloadJson: p, options: ledgerOptions(T0 + i * 7200 + 3600)))
        }
        let lock = NSLock()
        var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 20) { i in
            let op = i % 2 == 0 ? "A" : "B"
            do {
                let cert = try (op == "A" ? a : b).issue(payloadJson: p, options: ledgerOptions(T0 + 200_000))
                lock.lock(); certs[op]!.append(cert); lock.unlock()
            } catch {
                lock.lock(); failures.append("\(error)"); lock.unlock()
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertEqual(certs["A"]!.count, 14)
        XCTAssertEqual(certs["B"]!.count, 14)
        let everything = certs["A"]! + certs["B"]!

        let all = try ledger.records(query: LedgerQuery())
        XCTAssertEqual(all.map { $0.seq }, (1...28).map { Int64($0) })
        for r in all {
            guard let cert = try everything.first(where: { try ciOf($0) == r.uci }) else {
                XCTFail("unknown UCI \(r.uci)")
                continue
            }
            let h = cert.revocationHashes()
            XCTAssertEqual([r.hashUci, r.hashCountryCodeUci, r.hashSignature], [h.uci, h.countryCodeUci, h.signature])
            XCTAssertEqual(r.`operator`, certs["A"]!.contains { $0 === cert } ? "A" : "B")
            XCTAssertEqual(r.hc1Sha256, hexSha256(cert.hc1()))
            XCTAssertEqual(r.kid, cert.kid())
            XCTAssertEqual(r.certificateType, .vaccination)
            XCTAssertNil(r.personalData)
        }
        let report = try ledger.verify()
        XCTAssertTrue(report.valid)
        XCTAssertEqual(report.records, 28)
        XCTAssertEqual(report.head, all.last?.recordHash)
        XCTAssertNil(report.firstBreak)
        for op in ["A", "B"] {
            let mine = try ledger.records(query: LedgerQuery(operator: op)).map { $0.uci }
            XCTAssertEqual(mine.sorted(), try certs[op]!.map(ciOf).sorted(), op)
        }
        let ucisB = try certs["B"]!.map(ciOf)
        XCTAssertEqual(try ledger.records(query: LedgerQuery(since: T0 + 3600, until: T0 + 7200 + 3600 + 1)).map { $0.uci },
                       [ucisB[0], try ciOf(certs["A"]![1]), ucisB[1]])
        XCTAssertEqual(try ledger.records(query: LedgerQuery(certificateType: .test)).count, 0)

        // Export B, verify everything with those batches: exactly B's certificates are revoked.
        for t in allHashTypes {
            let batches = try ledger.export(query: LedgerQuery(operator: "B"), hashType: t)
            XCTAssertEqual(batches.count, 1)
            XCTAssertEqual(Set(batches[0].entries.map { $0.hash }), Set(certs["B"]!.map { hashOf($0.revocationHashes(), t)! }))
            let verifier = try Verifier.demo().withRevocation(data: batches.map { Data($0.toJson().utf8) })
            for (op, list) in certs {
                for cert in list {
                    let v = try verifier.verify(hc1: cert.hc1(), at: AT)
                    XCTAssertEqual(v.valid, op == "A", "\(op) \(t)")
                    if op == "B" { XCTAssertEqual(v.revokedBy?.hashType, t) }
                }
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dcckit-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = try ledger.exportToDir(query: LedgerQuery(operator: "A"), hashType: .signature, dir: dir.path)
        XCTAssertEqual(paths.count, 1)
        let fromFiles = try Verifier.demo().withRevocation(data: try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) })
        let revoked = try everything.filter { !(try fromFiles.verify(hc1: $0.hc1(), at: AT)).valid }
        XCTAssertEqual(try revoked.map(ciOf).sorted(), try certs["A"]!.map(ciOf).sorted())

        if let exec = exec {
            try exec("DELETE FROM dcc_ledger WHERE seq = 4")
            let broken = try ledger.verify()
            XCTAssertFalse(broken.valid)
            XCTAssertEqual(broken.firstBreak?.seq, 5)
            XCTAssertEqual(broken.firstBreak?.kind, .deleted)
        }
    }
}

// MARK: - trust lists and business rules (TrustRulesTest.kt)

/// A file under tests/ (the golden tables name their files relative to it).
private func testsData(_ path: String) throws -> Data {
    try Data(contentsOf: root.appendingPathComponent("tests").appendingPathComponent(path))
}

private func epoch(_ rfc3339: String) -> Int64 {
    Int64(ISO8601DateFormatter().date(from: rfc3339)!.timeIntervalSince1970)
}

private func formatCode(_ f: TrustListFormat) -> String {
    switch f {
    case .german: return "de"
    case .austrian: return "at"
    case .swiss: return "ch"
    case .euGateway: return "eu-gateway"
    case .certificates: return "pem"
    }
}

/// The trust-list view built from the native record, field by field.
private func viewOf(_ v: TrustListView) -> NSDictionary {
    let view: [String: Any] = [
        "format": formatCode(v.format), "name": str(v.name), "signature_verified": v.signatureVerified,
        "signed_by": str(v.signedBy), "entries": NSNumber(value: v.entries),
        "certificates": NSNumber(value: v.certificates), "bare_keys": NSNumber(value: v.bareKeys),
        "countries": v.countries.mapValues { NSNumber(value: $0) },
        "skipped": v.skipped.map {
            ["index": NSNumber(value: $0.index), "kid": str($0.kid), "country": str($0.country),
             "code": $0.code, "message": $0.message] as [String: Any]
        },
        "not_before": num(v.notBefore), "expires": num(v.expires), "expired": v.expired,
    ]
    return view as NSDictionary
}

/// The rules report built from the native record, field by field.
private func viewOf(_ r: RulesReport) -> NSDictionary {
    let results: [[String: Any]] = r.results.map { x in
        ["identifier": x.identifier, "version": x.version, "rule_type": "\(x.ruleType)", "country": x.country,
         "certificate_type": "\(x.certificateType)", "outcome": "\(x.outcome)",
         "open_reason": x.openReason.map { ["code": $0.code, "message": $0.message] as [String: Any] } ?? NSNull(),
         "descriptions": x.descriptions.map { ["lang": $0.lang, "desc": $0.desc] },
         "affected_fields": x.affectedFields]
    }
    let view: [String: Any] = [
        "outcome": "\(r.outcome)", "country": r.country, "region": str(r.region),
        "validation_clock": NSNumber(value: r.validationClock), "passed": NSNumber(value: r.passed),
        "failed": NSNumber(value: r.failed), "open": NSNumber(value: r.open), "results": results,
    ]
    return view as NSDictionary
}

extension DccKitTests {
    func testTrustListViews() throws {
        for errorCode in ["invalid_trust_list", "trust_list_signature_invalid", "trust_list_expired", "invalid_rule", "certlogic_failed"] {
            XCTAssertTrue(errorCodes().contains(errorCode), errorCode)
        }
        let cases = try json(try golden("trust-list-views.json")) as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        for c in cases {
            let name = c["name"] as! String
            let expect = c["expect"] as! [String: Any]
            let options = TrustListOptions(
                at: (c["at"] as? String).map(epoch), allowExpired: c["allow_expired"] as? Bool ?? false, name: name)
            do {
                let list = try TrustList.load(
                    content: try testsData(c["content"] as! String),
                    companion: try (c["companion"] as? String).map(testsData),
                    anchor: try (c["anchor"] as? String).map(testsData),
                    options: options)
                XCTAssertNil(expect["error"], name)
                XCTAssertEqual(viewOf(list.view()), expect as NSDictionary, name)
                XCTAssertEqual(try json(list.toJson()) as? NSDictionary, expect as NSDictionary, name)
            } catch let e as DccError {
                XCTAssertEqual(e.code(), expect["error"] as? String, name)
            }
        }
    }

    func testBareKeySignerAndGermanList() throws {
        let demoCert = try Data(contentsOf: root.appendingPathComponent("crates/dcc/src/demo/cert.pem"))
        let list = try TrustList.load(
            content: try testsData("golden/trustlists/demo-keys.jwt"), anchor: demoCert,
            options: TrustListOptions(at: epoch("2026-01-01T00:00:00Z"), name: "demo-keys"))
        let verifier = try Verifier.fromCerts(certificates: []).withTrustList(list: list)
        let iat: Int64 = 1_750_000_000
        let cert = try Issuer.demo().issue(payloadJson: try example("vaccination"),
                                           options: IssueOptions(issuedAt: iat, validity: .default))
        let v = try verifier.verify(hc1: cert.hc1(), at: iat + 60)
        XCTAssertTrue(v.valid, "\(v.failures)")
        XCTAssertEqual(v.checks.signature, passed)
        XCTAssertEqual(v.checks.validity.status, .notCheckable)
        XCTAssertEqual(v.checks.keyUsage.status, .notCheckable)
        XCTAssertEqual(v.signer?.certificate, false)
        XCTAssertEqual(v.signer?.source?.format, "ch")
        XCTAssertEqual(v.signer?.source?.list, "demo-keys")
        XCTAssertEqual(try viewOf(v), try json(v.toJson()) as? NSDictionary)

        let german = try testsData("vectors/trustlists/de/dsc-list.txt")
        let key = try testsData("vectors/trustlists/de/dsc-list-signing-key.pem")
        XCTAssertEqual(try TrustList.load(content: german, anchor: key).view().entries, 829)
        var flipped = german
        let text = String(decoding: german, as: UTF8.self)
        let rawData = text.range(of: "\"rawData\"")!
        let at = text.utf8.distance(from: text.startIndex, to: rawData.lowerBound) + 20
        flipped[at] = flipped[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertThrowsError(try TrustList.load(content: flipped, anchor: key)) { error in
            guard case DccError.TrustListSignatureInvalid = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code(of: error), "trust_list_signature_invalid")
        }
        XCTAssertThrowsError(try TrustList.load(content: Data("not a trust list".utf8))) { error in
            guard case DccError.InvalidTrustList = error else { return XCTFail("\(error)") }
        }
    }

    func testRuleResults() throws {
        let verifier = try Verifier.fromCerts(certificates: [dscEs])
        let cases = try json(try golden("rule-results.json")) as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        var sets: [String: RuleSet] = [:]
        for c in cases {
            let certificate = c["certificate"] as! String
            let rulesPath = c["rules"] as? String ?? "vectors/rules/covpass-eu-rules.json"
            let name = "\(certificate) \(rulesPath) \(c["country"]!) \(c["region"] ?? "")"
            let expect = c["expect"] as! [String: Any]
            let doc = try json(String(decoding: try testsData(certificate), as: UTF8.self)) as! [String: Any]
            let v = try verifier.verify(hc1: doc["hc1"] as! String, at: epoch("2021-06-02T00:00:00Z"))
            if sets[rulesPath] == nil {
                sets[rulesPath] = try loadRules(json: String(decoding: try testsData(rulesPath), as: UTF8.self))
            }
            let options = RuleOptions(country: c["country"] as! String, region: c["region"] as? String,
                                      at: (c["at"] as? String).map(epoch))
            do {
                let report = try v.evaluateRules(rules: sets[rulesPath]!, options: options)
                XCTAssertNil(expect["error"], name)
                XCTAssertEqual(viewOf(report), expect as NSDictionary, name)
                XCTAssertEqual(try json(report.toJson()) as? NSDictionary, expect as NSDictionary, name)
            } catch let e as DccError {
                XCTAssertEqual(e.code(), expect["error"] as? String, name)
            }
        }
    }

    func testEvaluateRuleAndCertlogic() throws {
        let rules = try json(try golden("rules-xx.json")) as! [[String: Any]]
        let rule = try jsonText(rules.first { $0["Identifier"] as? String == "GR-XX-0001" }!)
        let tooNew = try jsonText(rules.first { $0["Identifier"] as? String == "GR-XX-0004" }!)
        let payload = try json(try example("vaccination"))
        func data(_ country: String) throws -> String {
            let value: [String: Any] = ["payload": payload, "external": ["countryCode": country]]
            return try jsonText(value)
        }
        XCTAssertEqual(try evaluateRule(ruleJson: rule, dataJson: try data("XX")).outcome, .passed)
        XCTAssertEqual(try evaluateRule(ruleJson: rule, dataJson: try data("DE")).outcome, .fail)
        let opened = try evaluateRule(ruleJson: tooNew, dataJson: try data("XX"))
        XCTAssertEqual(opened.outcome, .open)
        XCTAssertEqual(opened.openReason?.code, "engine_version_too_new")
        XCTAssertEqual(try evaluateCertlogic(expressionJson: #"{"+":[1,2]}"#, dataJson: "{}"), "3")
        XCTAssertThrowsError(try evaluateCertlogic(expressionJson: #"{"nope":[1]}"#, dataJson: "{}")) { error in
            guard case DccError.CertlogicFailed(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("unknown_operator"), reason)
        }
        XCTAssertThrowsError(try loadRules(json: "[{}]")) { error in
            guard case DccError.InvalidRule = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code(of: error), "invalid_rule")
        }
        XCTAssertEqual(try loadRules(json: try golden("rules-xx.json")).len(), 12)
    }
}
