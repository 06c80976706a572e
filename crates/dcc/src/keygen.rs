//! Generating a key and a self-signed DSC, for tests and pilots.

use dcc_cose::{SigningKey, dsc::CertificateParams};

use crate::Result;

/// A freshly generated P-256 key and its self-signed DSC. `Debug` hides the key.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct GeneratedKey {
    /// The private key, PKCS#8 PEM. Keep it secret.
    pub key_pem: String,
    /// The self-signed DSC, PEM.
    pub cert_pem: String,
}

impl std::fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("cert_pem", &self.cert_pem)
            .finish_non_exhaustive()
    }
}

/// Generates a P-256 key and a self-signed DSC for `country` (two upper-case letters) with the
/// three HCERT key-usage OIDs, valid from now for `valid_days` days.
///
/// A self-signed DSC is for tests and pilots. In production the DSC is issued by the national
/// CSCA and published on the EU gateway.
///
/// A country that is not two upper-case letters, or an empty common name, is
/// [`crate::ErrorKind::InvalidOptions`].
pub(crate) fn generate(country: &str, common_name: &str, valid_days: u32) -> Result<GeneratedKey> {
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(crate::Error::Options(format!(
            "country {country:?} must be two upper-case letters (ISO 3166-1 alpha-2)"
        )));
    }
    if common_name.trim().is_empty() {
        return Err(crate::Error::Options("the common name is empty".into()));
    }
    let key = SigningKey::generate_p256();
    let mut params = CertificateParams::dsc(country, common_name);
    params.not_after = params.not_before + 3600 + i64::from(valid_days) * 86_400;
    let cert = dcc_cose::dsc::build_certificate(&params, &key.public_key_der(), &key)?;
    Ok(GeneratedKey {
        key_pem: key.to_pkcs8_pem()?,
        cert_pem: cert.to_pem(),
    })
}
