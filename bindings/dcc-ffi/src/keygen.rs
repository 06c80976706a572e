//! Key generation for tests and pilots, and the demo key.

use std::sync::Arc;

use crate::DccError;

/// A freshly generated P-256 key and its self-signed DSC. `toString`/`description` shows the
/// certificate only, never the key.
#[derive(uniffi::Object, Debug)]
#[uniffi::export(Debug)]
pub struct GeneratedKey(dcc::keygen::GeneratedKey);

#[uniffi::export]
impl GeneratedKey {
    /// The private key, PKCS#8 PEM. Keep it secret.
    pub fn key_pem(&self) -> String {
        self.0.key_pem.clone()
    }

    /// The self-signed DSC, PEM.
    pub fn cert_pem(&self) -> String {
        self.0.cert_pem.clone()
    }
}

/// Generates a P-256 key and a self-signed DSC for `country` (two upper-case letters) with the
/// three HCERT key-usage OIDs, valid from now for `valid_days` days. For tests and pilots: in
/// production the national CSCA issues the DSC.
#[uniffi::export]
pub fn generate_key(
    country: String,
    common_name: String,
    valid_days: u32,
) -> Result<Arc<GeneratedKey>, DccError> {
    Ok(Arc::new(GeneratedKey(dcc::keygen::generate(
        &country,
        &common_name,
        valid_days,
    )?)))
}

/// The demo DSC (PEM): the certificate of `Issuer.demo()`, valid 2024-01-01 to 2049-12-31.
#[uniffi::export]
pub fn demo_certificate_pem() -> String {
    dcc::demo::DEMO_CERT_PEM.to_string()
}
