//! Generating keys, self-signed DSCs (tests and pilots) and certificate signing requests (for
//! the national CSCA).

use dcc_cose::{Signer, SigningKey, dsc::CertificateParams};

use crate::{CertType, KeyOptions, Result};

/// A freshly generated P-256 key, its self-signed DSC and a certificate signing request for
/// it. `Debug` hides the key.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct GeneratedKey {
    /// The private key, PKCS#8 PEM. Keep it secret.
    pub key_pem: String,
    /// The self-signed DSC, PEM (for tests and pilots).
    pub cert_pem: String,
    /// A PKCS#10 certificate signing request for the key (PEM), to send to the national CSCA.
    pub csr_pem: String,
}

impl std::fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("cert_pem", &self.cert_pem)
            .field("csr_pem", &self.csr_pem)
            .finish_non_exhaustive()
    }
}

/// The certificate parameters of `options` (checked: a two-letter country, a common name).
pub(crate) fn params(options: &KeyOptions) -> Result<CertificateParams> {
    let country = &options.country;
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(crate::Error::Options(format!(
            "country {country:?} must be two upper-case letters (ISO 3166-1 alpha-2)"
        )));
    }
    if options.common_name.trim().is_empty() {
        return Err(crate::Error::Options("the common name is empty".into()));
    }
    let mut params = CertificateParams::dsc(country, &options.common_name);
    params.not_after = params.not_before + 3600 + i64::from(options.valid_days) * 86_400;
    params.organization = options
        .organization
        .clone()
        .filter(|o| !o.trim().is_empty());
    if !options.certificate_types.is_empty() {
        // In the order of their OIDs (test .1, vaccination .2, recovery .3), once each.
        let order = [CertType::Test, CertType::Vaccination, CertType::Recovery];
        let mut types = options.certificate_types.clone();
        types.sort_by_key(|t| order.iter().position(|o| o == t));
        types.dedup();
        params.key_usage = types.into_iter().map(crate::api::usage_type).collect();
    }
    Ok(params)
}

/// Generates a P-256 key, a self-signed DSC with the HCERT key-usage OIDs of
/// `options.certificate_types` (all three by default), valid from now for `valid_days` days,
/// and a certificate signing request for the key.
///
/// A self-signed DSC is for tests and pilots. In production the DSC is issued by the national
/// CSCA (send it `csr_pem`) and published on the EU gateway.
///
/// A country that is not two upper-case letters, or an empty common name, is
/// [`crate::ErrorKind::InvalidOptions`].
pub(crate) fn generate(options: &KeyOptions) -> Result<GeneratedKey> {
    let params = params(options)?;
    let key = SigningKey::generate_p256();
    let cert = dcc_cose::dsc::build_certificate(&params, &key.public_key_der(), &key)?;
    let csr = dcc_cose::dsc::build_csr(&params, &key)?;
    Ok(GeneratedKey {
        key_pem: key.to_pkcs8_pem()?,
        cert_pem: cert.to_pem(),
        csr_pem: dcc_cose::dsc::csr_to_pem(&csr),
    })
}

/// A PKCS#10 certificate signing request (PEM) for the key of `signer`, wherever it lives (in
/// memory, in an HSM): subject `C`, `O` (when given) and `CN` from `options`, and an
/// extensionRequest for keyUsage digitalSignature and the HCERT extended-key-usage OIDs of
/// `options.certificate_types` (all three by default). Signed by the key itself. The signer
/// must know its public key ([`Signer::public_key_spki`]).
pub fn certificate_request(signer: &dyn Signer, options: &KeyOptions) -> Result<String> {
    let params = params(options)?;
    if signer.public_key_spki().is_none() {
        return Err(crate::Error::Options(
            "the signer does not know its public key, so no request can name it".into(),
        ));
    }
    let der = dcc_cose::dsc::build_csr(&params, signer)?;
    Ok(dcc_cose::dsc::csr_to_pem(&der))
}

/// A self-signed DSC (PEM) for the key of `signer` (in memory or in an HSM), as
/// [`crate::generate_key`] makes for keys in memory: for tests and pilots.
pub fn self_signed_certificate(signer: &dyn Signer, options: &KeyOptions) -> Result<String> {
    let spki = signer
        .public_key_spki()
        .ok_or_else(|| crate::Error::Options("the signer does not know its public key".into()))?;
    let cert = dcc_cose::dsc::build_certificate(&params(options)?, &spki, signer)?;
    Ok(cert.to_pem())
}
