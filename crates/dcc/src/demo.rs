//! The embedded demo key and DSC.
//!
//! **Demo only, never for production**: the private key is published in this repository, so
//! anyone can sign with it. The DSC says so in its subject (`CN=dcc-kit DEMO DSC - NOT FOR
//! PRODUCTION, C=XX`) and no real verifier trusts it.

use std::sync::{Arc, OnceLock};

use dcc_cose::{SigningKey, dsc::Dsc};

use crate::Issuer;

/// The demo private key (PKCS#8 PEM). Public knowledge: never trust certificates it signs.
pub const DEMO_KEY_PEM: &str = include_str!("demo/key.pem");
/// The demo DSC (PEM), valid 2024-01-01 to 2049-12-31, for all three certificate types.
pub const DEMO_CERT_PEM: &str = include_str!("demo/cert.pem");

fn parts() -> &'static (Arc<SigningKey>, Dsc) {
    static DEMO: OnceLock<(Arc<SigningKey>, Dsc)> = OnceLock::new();
    DEMO.get_or_init(|| {
        // The embedded files are checked by this crate's tests; a failure here is a build defect.
        let key = SigningKey::from_pem(DEMO_KEY_PEM)
            .unwrap_or_else(|e| unreachable!("embedded demo key: {e}"));
        let dsc = Dsc::from_pem(DEMO_CERT_PEM)
            .unwrap_or_else(|e| unreachable!("embedded demo certificate: {e}"));
        (Arc::new(key), dsc)
    })
}

/// The demo DSC.
pub fn dsc() -> Dsc {
    parts().1.clone()
}

/// An issuer with the demo key.
pub fn issuer() -> Issuer {
    let (key, dsc) = parts();
    Issuer::from_signer(key.clone(), dsc.clone())
        .unwrap_or_else(|e| unreachable!("demo issuer: {e}"))
}

/// Whether `dsc` is the demo DSC.
pub fn is_demo(dsc: &Dsc) -> bool {
    dsc.der() == parts().1.der()
}
