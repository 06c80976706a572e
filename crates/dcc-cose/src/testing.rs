//! Fixtures for documentation examples and tests. Not part of the stable API.

/// A P-256 demo key and a self-signed DSC for it (PKCS#8 PEM, certificate PEM). Generated afresh
/// on each call. Never use outside tests.
pub fn demo_pair() -> (String, String) {
    let key = crate::SigningKey::generate_p256();
    let params = crate::dsc::CertificateParams::dsc("XX", "dcc-kit test DSC");
    let cert = crate::dsc::build_certificate(&params, &key.public_key_der(), &key)
        .unwrap_or_else(|e| unreachable!("test certificate: {e}"));
    (key.to_pkcs8_pem().unwrap_or_default(), cert.to_pem())
}
