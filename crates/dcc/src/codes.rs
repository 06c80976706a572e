//! The stable codes of the facade: error kinds and check-failure codes. Validation issues and
//! verifier findings share [`crate::IssueCode`]. Every list has `ALL`, `code()` and
//! `description()`; the README's tables and every binding's error classes are checked against
//! these lists.

dcc_payload::stable_codes! {
    /// The kind of an [`crate::Error`]: one stable code per kind, the same in every language
    /// (Python exception classes, Kotlin `DccException` cases, JavaScript `DccError.code`).
    pub enum ErrorKind {
        /// The input is empty.
        EmptyInput = "empty_input",
        /// The input is larger than any certificate (or image) can be.
        InputTooLarge = "input_too_large",
        /// The text does not start with `HC1:`.
        InvalidPrefix = "invalid_prefix",
        /// A later HCERT version such as `HC2:`.
        UnsupportedVersion = "unsupported_version",
        /// The text after the prefix is not valid Base45.
        InvalidBase45 = "invalid_base45",
        /// Not zlib, corrupt, or inflating beyond the 64 KiB cap.
        InvalidCompression = "invalid_compression",
        /// The certificate is not valid CBOR.
        InvalidCbor = "invalid_cbor",
        /// The CBOR is not a COSE_Sign1 (or has bytes after it).
        InvalidCose = "invalid_cose",
        /// The CWT claims are malformed or lack the hcert claim.
        InvalidClaims = "invalid_claims",
        /// The payload is not JSON or does not fit the DCC model.
        InvalidPayload = "invalid_payload",
        /// The payload was refused; the error's issues list every problem.
        ValidationFailed = "validation_failed",
        /// The private key cannot be read, does not match its certificate, or does not fit the algorithm.
        InvalidKey = "invalid_key",
        /// A certificate (DSC) cannot be read.
        InvalidCertificate = "invalid_certificate",
        /// The signer failed or returned a malformed signature.
        SigningFailed = "signing_failed",
        /// The QR code cannot be drawn (e.g. a scale out of range).
        QrEncodeFailed = "qr_encode_failed",
        /// The image is not a readable PNG (or JPEG, where built in).
        InvalidImage = "invalid_image",
        /// The image holds no readable QR code.
        NoQrCode = "no_qr_code",
        /// Options that cannot be honoured (conflicting or out of range).
        InvalidOptions = "invalid_options",
        /// A value-set file that cannot be read.
        InvalidValueSet = "invalid_value_set",
        /// An argument of a helper (a name to transliterate, a UVCI part, an algorithm name) that cannot be used.
        InvalidArgument = "invalid_argument",
        /// A certificate failed verification (from `ensure_valid`); the error lists the failures.
        VerificationFailed = "verification_failed",
        /// Revocation data that cannot be used: a malformed batch, a hash that is not 16 bytes of base64, an unknown hash type, a corrupt Bloom filter.
        InvalidRevocationData = "invalid_revocation_data",
        /// A trust list that cannot be read: unknown format, malformed JSON, CBOR or JWS, missing fields.
        InvalidTrustList = "invalid_trust_list",
        /// A trust list whose signature, content hash or signing certificate chain does not verify with the pinned anchor.
        TrustListSignatureInvalid = "trust_list_signature_invalid",
        /// A trust list past its expiry (or before its start) at the check time, loaded without allowing expired lists.
        TrustListExpired = "trust_list_expired",
        /// A business rule that cannot be read: not JSON, a missing or malformed field (the message names the rule's index and field).
        InvalidRule = "invalid_rule",
        /// A CertLogic expression whose evaluation failed; the message starts with the engine's code (unknown_operator, type_mismatch, not_truthy_or_falsy, ...).
        CertlogicFailed = "certlogic_failed",
        /// The issuance ledger cannot be opened, read or written (file, database server, schema).
        LedgerFailed = "ledger_failed",
        /// The PKCS#11 module cannot be loaded or initialised (wrong path, not a PKCS#11 library).
        Pkcs11ModuleUnavailable = "pkcs11_module_unavailable",
        /// No PKCS#11 token with the URI's label (or slot) is present.
        Pkcs11TokenNotFound = "pkcs11_token_not_found",
        /// The PKCS#11 token refused the PIN, or no PIN was given.
        Pkcs11PinIncorrect = "pkcs11_pin_incorrect",
        /// No key with the URI's label or id (with its public half) is on the token.
        Pkcs11KeyNotFound = "pkcs11_key_not_found",
        /// The token failed outside signing (sessions, key generation); failures while signing are `signing_failed`.
        Pkcs11DeviceError = "pkcs11_device_error",
        /// A printable certificate (PDF) could not be written.
        PdfFailed = "pdf_failed",
    }
}

dcc_payload::stable_codes! {
    /// Why a verification check failed.
    pub enum CheckCode {
        /// Signature: the header names no algorithm.
        MissingAlgorithm = "missing_algorithm",
        /// Signature: an algorithm other than ES256 and PS256.
        UnsupportedAlgorithm = "unsupported_algorithm",
        /// Signature: no kid in either header.
        MissingKid = "missing_kid",
        /// Signature: a kid that is not 8 bytes.
        InvalidKidLength = "invalid_kid_length",
        /// Signature: no trusted DSC has the kid.
        UnknownKid = "unknown_kid",
        /// Signature: the algorithm does not fit the DSC's key.
        AlgorithmKeyMismatch = "algorithm_key_mismatch",
        /// Signature: the signature has the wrong length.
        InvalidSignatureLength = "invalid_signature_length",
        /// Signature: the signature does not verify.
        InvalidSignature = "invalid_signature",
        /// Validity: no issued-at claim.
        MissingIat = "missing_iat",
        /// Validity: no expiry claim.
        MissingExp = "missing_exp",
        /// Validity: issued after the verification time.
        NotYetValid = "not_yet_valid",
        /// Validity: expired before the verification time.
        Expired = "expired",
        /// Validity: issued before the DSC's notBefore.
        IssuedBeforeSignerValidity = "issued_before_signer_validity",
        /// Validity: expires after the DSC's notAfter.
        ExpiresAfterSignerValidity = "expires_after_signer_validity",
        /// Key usage and structure: the payload holds no certificate group, or more than one that is not null.
        CertificateTypeUnknown = "certificate_type_unknown",
        /// Structure: the certificate group holds more than one entry (the HCERT guidance says verifiers shall reject it).
        MultipleEntries = "multiple_entries",
        /// Key usage: the DSC's extended key usage does not allow the certificate type (or cannot be decoded).
        KeyUsageMismatch = "key_usage_mismatch",
        /// Payload (never fatal): the payload has data-quality findings; the message names the first.
        PayloadFindings = "payload_findings",
        /// Revocation: one of the certificate's revocation hashes is in the supplied revocation data.
        Revoked = "revoked",
    }
}
