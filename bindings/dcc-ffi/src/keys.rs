//! Keys and their custody: `generateKey` (a key in memory), `KeyOptions` (the subject and
//! certificate types of a DSC or a certificate signing request), `Issuer.certificateRequest`,
//! and signing in a PKCS#11 token: `Issuer.fromPkcs11`, `generateKeyInToken`, `Pkcs11Options`,
//! `Pkcs11Pin`, `TokenKey`.

use std::sync::Arc;

use crate::{Algorithm, CertificateType, DccError, Issuer, from_view};

/// The subject and the certificate types of a DSC or a certificate signing request. A field
/// left `null`/`nil` takes the facade's default (`dcc::KeyOptions`: country `XX`, common name
/// `dcc-kit test DSC`, 730 days, no organization); no certificate types means all three.
#[derive(uniffi::Record, Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyOptions {
    /// The country (`C=`), two upper-case letters (else `invalid_options`).
    #[uniffi(default = None)]
    pub country: Option<String>,
    /// The common name (`CN=`), not empty (else `invalid_options`).
    #[uniffi(default = None)]
    pub common_name: Option<String>,
    /// Days of validity of a self-signed DSC, from now.
    #[uniffi(default = None)]
    pub valid_days: Option<u32>,
    /// The organization (`O=`), as national CSCAs expect in a request.
    #[uniffi(default = None)]
    pub organization: Option<String>,
    /// The certificate types the key will sign: their HCERT extended-key-usage OIDs go into
    /// the DSC and the request. Empty: all three.
    #[uniffi(default = [])]
    pub certificate_types: Vec<CertificateType>,
}

/// The facade's key options: `null`/`nil` (the whole or a field) is the facade's default.
fn key_options(o: Option<KeyOptions>) -> dcc::KeyOptions {
    let d = dcc::KeyOptions::default();
    let Some(o) = o else { return d };
    dcc::KeyOptions {
        country: o.country.unwrap_or(d.country),
        common_name: o.common_name.unwrap_or(d.common_name),
        valid_days: o.valid_days.unwrap_or(d.valid_days),
        organization: o.organization,
        certificate_types: from_view(o.certificate_types),
    }
}

/// A freshly generated P-256 key, its self-signed DSC and a certificate signing request for
/// it. `toString`/`description` shows the certificate and the request only, never the key.
#[derive(uniffi::Object, Debug)]
#[uniffi::export(Debug)]
pub struct GeneratedKey(dcc::GeneratedKey);

#[uniffi::export]
impl GeneratedKey {
    /// The private key, PKCS#8 PEM. Keep it secret.
    pub fn key_pem(&self) -> String {
        self.0.key_pem.clone()
    }

    /// The self-signed DSC, PEM (tests and pilots).
    pub fn cert_pem(&self) -> String {
        self.0.cert_pem.clone()
    }

    /// A PKCS#10 certificate signing request for the key (PEM), signed by it: what the
    /// national CSCA turns into the production DSC.
    pub fn csr_pem(&self) -> String {
        self.0.csr_pem.clone()
    }
}

/// Generates a P-256 key, a self-signed DSC and a certificate signing request, for tests and
/// pilots (in production the national CSCA issues the DSC from the request). The arguments
/// are those of `KeyOptions`; one left `null`/`nil` takes the facade's default (country `XX`,
/// common name `dcc-kit test DSC`, 730 days, no organization, all three certificate types).
#[uniffi::export(default(
    country = None,
    common_name = None,
    valid_days = None,
    organization = None,
    certificate_types = []
))]
pub fn generate_key(
    country: Option<String>,
    common_name: Option<String>,
    valid_days: Option<u32>,
    organization: Option<String>,
    certificate_types: Vec<CertificateType>,
) -> Result<Arc<GeneratedKey>, DccError> {
    let options = Some(KeyOptions {
        country,
        common_name,
        valid_days,
        organization,
        certificate_types,
    });
    Ok(Arc::new(GeneratedKey(dcc::generate_key(&key_options(
        options,
    ))?)))
}

/// A PKCS#11 user PIN. The PIN is held in Rust memory (a zeroizing string, wiped when the
/// object is released) and `toString`/`description` shows `Pkcs11Pin(<redacted>)`, so a
/// `Pkcs11Options` can be logged.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Pkcs11Pin(
    /// The facade's options with only the PIN set: they keep it in a zeroizing string.
    dcc::pkcs11::Pkcs11Options,
);

impl std::fmt::Debug for Pkcs11Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pkcs11Pin(<redacted>)")
    }
}

#[uniffi::export]
impl Pkcs11Pin {
    /// Wraps the user PIN of the token.
    #[uniffi::constructor]
    pub fn new(pin: String) -> Arc<Self> {
        Arc::new(Pkcs11Pin(dcc::pkcs11::Pkcs11Options {
            pin: Some(pin.into()),
            ..Default::default()
        }))
    }
}

/// Options that complete or override the PKCS#11 URI; all optional.
#[derive(uniffi::Record, Debug, Clone, Default)]
pub struct Pkcs11Options {
    /// The PKCS#11 library (`.so`, `.dylib`). Else the URI's `module-path`, else the
    /// environment variable `DCC_PKCS11_MODULE`.
    #[uniffi(default = None)]
    pub module_path: Option<String>,
    /// The user PIN. Else the URI's `pin-value`, else the file of its `pin-source`, else the
    /// environment variable `DCC_PKCS11_PIN`.
    #[uniffi(default = None)]
    pub pin: Option<Arc<Pkcs11Pin>>,
    /// At most this many PKCS#11 sessions; 0 (the default): as many as threads sign at once.
    #[uniffi(default = 0)]
    pub max_sessions: u32,
}

/// The facade's PKCS#11 options (`null`/`nil`: every default).
fn pkcs11_options(o: Option<Pkcs11Options>) -> dcc::pkcs11::Pkcs11Options {
    let o = o.unwrap_or_default();
    dcc::pkcs11::Pkcs11Options {
        module_path: o.module_path.map(Into::into),
        pin: o.pin.and_then(|p| p.0.pin.clone()),
        max_sessions: o.max_sessions as usize,
    }
}

/// A key pair generated inside a PKCS#11 token (the private key is sensitive and never leaves
/// it), with a self-signed DSC and a certificate signing request.
#[derive(uniffi::Object, Debug)]
#[uniffi::export(Debug)]
pub struct TokenKey {
    signer: Arc<dcc::pkcs11::Pkcs11Signer>,
    cert_pem: String,
    csr_pem: String,
}

#[uniffi::export]
impl TokenKey {
    /// The self-signed DSC for the key, PEM (tests and pilots).
    pub fn cert_pem(&self) -> String {
        self.cert_pem.clone()
    }

    /// A PKCS#10 certificate signing request for the key (PEM), signed in the token: send it
    /// to the national CSCA.
    pub fn csr_pem(&self) -> String {
        self.csr_pem.clone()
    }

    /// The algorithm of the key: ES256 (P-256) or PS256 (RSA-3072).
    pub fn algorithm(&self) -> Algorithm {
        from_view(dcc::Signer::algorithm(self.signer.as_ref()).name())
    }

    /// An issuer signing with this key through the session already open, with `certPem` (the
    /// DSC the CSCA issued) or, when `null`/`nil`, the self-signed DSC. A later process uses
    /// `Issuer.fromPkcs11` with the same URI.
    #[uniffi::method(default(cert_pem = None))]
    pub fn issuer(&self, cert_pem: Option<String>) -> Result<Arc<Issuer>, DccError> {
        let cert = cert_pem.as_deref().unwrap_or(&self.cert_pem);
        let dsc = dcc::Dsc::parse(cert).map_err(dcc::Error::from)?;
        let issuer = dcc::Issuer::from_signer(self.signer.clone(), dsc)?;
        Ok(Arc::new(Issuer(issuer)))
    }
}

/// Generates a key pair inside the token that `uri` names (`pkcs11:token=LABEL;object=LABEL`,
/// RFC 7512; `object=` labels the new key, which must not exist yet): P-256 for ES256,
/// RSA-3072 for PS256. Returns it with a self-signed DSC and a certificate signing request
/// built from `keyOptions`. The `pkcs11_*` error cases say what failed (a label already taken
/// is `pkcs11_device_error`).
#[uniffi::export(default(options = None, key_options = None))]
pub fn generate_key_in_token(
    uri: String,
    algorithm: Algorithm,
    options: Option<Pkcs11Options>,
    key_options: Option<KeyOptions>,
) -> Result<Arc<TokenKey>, DccError> {
    let algorithm = dcc::parse_algorithm(&from_view::<String>(algorithm))?;
    let key = dcc::pkcs11::generate_in_token(
        &uri,
        &pkcs11_options(options),
        algorithm,
        &self::key_options(key_options),
    )?;
    Ok(Arc::new(TokenKey {
        signer: Arc::new(key.signer),
        cert_pem: key.cert_pem,
        csr_pem: key.csr_pem,
    }))
}

#[uniffi::export]
impl Issuer {
    /// An issuer signing in the PKCS#11 token key that `uri` names
    /// (`pkcs11:token=LABEL;object=LABEL`, RFC 7512; `id=` instead of `object=` also works),
    /// with its DSC (PEM, or base64 DER). The token's public key must be the DSC's
    /// (`invalid_key`); the algorithm follows the key (P-256: ES256, RSA: PS256). Thread-safe:
    /// a pool of sessions, one per thread signing at once. Errors: `pkcs11_module_unavailable`,
    /// `pkcs11_token_not_found`, `pkcs11_pin_incorrect`, `pkcs11_key_not_found`,
    /// `pkcs11_device_error`, `invalid_argument` (a bad URI).
    #[uniffi::constructor(default(options = None))]
    pub fn from_pkcs11(
        uri: String,
        cert_pem: String,
        options: Option<Pkcs11Options>,
    ) -> Result<Arc<Self>, DccError> {
        let issuer = dcc::Issuer::from_pkcs11(&uri, cert_pem, &pkcs11_options(options))?;
        Ok(Arc::new(Issuer(issuer)))
    }

    /// A PKCS#10 certificate signing request (PEM) for this issuer's key, wherever it lives
    /// (memory, a PKCS#11 token, a `DccSigner`, which signs it), with the subject (C, O, CN)
    /// and the requested certificate types of `keyOptions`: what the national CSCA signs into
    /// a DSC. For a `DccSigner` the public key is the DSC's.
    #[uniffi::method(default(key_options = None))]
    pub fn certificate_request(&self, key_options: Option<KeyOptions>) -> Result<String, DccError> {
        Ok(self
            .0
            .certificate_request(&self::key_options(key_options))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inputs reach the facade as given, `null` fields take the facade's defaults, and no
    /// `Debug` (Kotlin `toString`, Swift `description`) shows the PIN.
    #[test]
    fn options_reach_the_facade_and_never_show_the_pin() {
        let pin = "s3cret-pin-4711";
        let options = Pkcs11Options {
            module_path: Some("/opt/hsm/libvendor.so".into()),
            pin: Some(Pkcs11Pin::new(pin.into())),
            max_sessions: 2,
        };
        assert!(!format!("{options:?}").contains(pin), "{options:?}");
        assert!(format!("{options:?}").contains("Pkcs11Pin(<redacted>)"));
        let facade = pkcs11_options(Some(options));
        assert_eq!(facade.pin.as_ref().map(|p| p.as_str()), Some(pin));
        assert_eq!(facade.max_sessions, 2);
        assert_eq!(facade.module_path, Some("/opt/hsm/libvendor.so".into()));
        assert!(!format!("{facade:?}").contains(pin));
        let none = pkcs11_options(None);
        assert!(none.pin.is_none() && none.module_path.is_none() && none.max_sessions == 0);

        assert_eq!(key_options(None), dcc::KeyOptions::default());
        assert_eq!(
            key_options(Some(KeyOptions::default())),
            dcc::KeyOptions::default()
        );
        let some = key_options(Some(KeyOptions {
            country: Some("DE".into()),
            organization: Some("Example Health Ltd".into()),
            certificate_types: vec![CertificateType::Recovery, CertificateType::Test],
            ..Default::default()
        }));
        assert_eq!(
            some,
            dcc::KeyOptions {
                country: "DE".into(),
                organization: Some("Example Health Ltd".into()),
                certificate_types: vec![dcc::CertType::Recovery, dcc::CertType::Test],
                ..Default::default()
            }
        );
    }
}
