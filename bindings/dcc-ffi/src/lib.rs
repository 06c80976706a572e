//! UniFFI bindings of dcc-kit for Kotlin (package `dcckit`) and Swift (module `DccKit`).
//!
//! A thin layer over the `dcc` facade: newtype objects (`Issuer`, `Certificate`,
//! `PreparedCertificate`, `Verifier`, `GeneratedKey`), record mirrors (`Verification`, `Checks`,
//! `Claims`, `SignerInfo`, `Decoded`, `IssueOptions`, `ValidationIssue`), one error enum
//! [`DccError`] mapped from `dcc::ErrorKind`, and the foreign signer interface [`DccSigner`].
//! No logic beyond argument conversion and error mapping. See `README.md` for building,
//! generating and testing the Kotlin and Swift packages.

mod error;
mod issue;
mod keygen;
mod verify;

pub use error::{DccError, ValidationIssue, error_codes};
pub use issue::{
    Algorithm, Certificate, DccSigner, IssueOptions, Issuer, PayloadChange, PreparedCertificate,
};
pub use keygen::{GeneratedKey, demo_certificate_pem, generate_key};
pub use verify::{
    CertificateType, CheckFailure, Checks, Claims, Decoded, Outcome, SignerInfo, Verification,
    Verifier, decode, decode_image, read_qr,
};

uniffi::setup_scaffolding!();

/// The current time, seconds since the epoch (for `Verifier.verify(hc1, now())`).
#[uniffi::export]
pub fn now() -> i64 {
    dcc::now()
}

/// The version of dcc-kit this library was built from.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
