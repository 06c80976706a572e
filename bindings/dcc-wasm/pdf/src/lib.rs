//! The PDF module of the npm package `dcc-kit`: printable certificates, as a WebAssembly module
//! of its own.
//!
//! The PDF writer (krilla) and the embedded Liberation Sans fonts weigh about a megabyte, which
//! the package's main module (`dcc-wasm`) does not carry: `Certificate.prototype.toPdf` imports
//! this module on its first call and keeps it. It exports [`pdf`], which decodes the
//! certificate's `HC1:` text and draws it with `dcc::Decoded::to_pdf`, and [`version`], which
//! the glue compares with the main module's. Errors cross to JavaScript exactly as the main
//! module's do: thrown as the JSON of `dcc::Error::view()` (`{code, message, issues,
//! failures}`), which the glue turns into the main package's `DccError` of that code.
//!
//! Printing checks no signature: the HC1 is the one of a `Certificate` the main module has just
//! issued (or re-made from a prepared certificate), and `dcc::Decoded::to_pdf` is documented as
//! printing without verifying. The result is the same document as `dcc::Certificate::to_pdf`.

use wasm_bindgen::prelude::*;

/// Options of [`pdf`] as the glue writes them (JSON, snake_case keys): unknown fields refused.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// `dcc::PdfOptions::language`; absent: its default (`"de"`).
    #[serde(default)]
    language: Option<String>,
}

/// A facade error as the main module throws it: the JSON of [`dcc::Error::view`].
fn thrown(e: dcc::Error) -> JsValue {
    JsValue::from_str(&serde_json::to_string(&e.view()).unwrap_or_default())
}

/// The facade's PDF options from the glue's JSON (`{"language": "fr"}`); anything else, or a
/// language the facade does not print, is `invalid_options`.
fn pdf_options(json: &str) -> Result<dcc::PdfOptions, dcc::Error> {
    let o: Options =
        serde_json::from_str(json).map_err(|e| dcc::Error::Options(format!("PDF options: {e}")))?;
    Ok(match o.language {
        Some(language) => dcc::PdfOptions { language },
        None => dcc::PdfOptions::default(),
    })
}

/// The printable certificate (PDF bytes) of `hc1` with the options `opts` (JSON): decoded by
/// `dcc::decode`, drawn by `dcc::Decoded::to_pdf`. Signatures are not checked.
fn render(hc1: &str, opts: &str) -> Result<Vec<u8>, dcc::Error> {
    let opts = pdf_options(opts)?;
    dcc::decode(hc1)?.to_pdf(&opts)
}

/// The printable certificate of `hc1` as PDF bytes (decoded, not verified); a facade error is thrown as
/// the JSON of its view.
#[wasm_bindgen]
pub fn pdf(hc1: &str, opts: &str) -> Result<Vec<u8>, JsValue> {
    render(hc1, opts).map_err(thrown)
}

/// The version of this module (the workspace version, as the main module's `version`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hc1() -> String {
        let payload = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../examples/vaccination.json"
        ))
        .expect("examples/vaccination.json");
        dcc::Issuer::demo()
            .issue_json(&payload, &dcc::IssueOptions::default())
            .expect("the demo issuer issues the example")
            .hc1()
            .to_string()
    }

    #[test]
    fn prints_the_same_document_as_the_certificate() {
        let payload = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../examples/vaccination.json"
        ))
        .expect("examples/vaccination.json");
        let cert = dcc::Issuer::demo()
            .issue_json(&payload, &dcc::IssueOptions::default())
            .expect("issued");
        for language in ["de", "fr", "en"] {
            let opts = dcc::PdfOptions {
                language: language.into(),
            };
            let ours = render(cert.hc1(), &format!(r#"{{"language":"{language}"}}"#));
            let facade = cert.to_pdf(&opts).expect("facade PDF");
            assert!(facade.starts_with(b"%PDF-"));
            assert!(ours.expect("module PDF") == facade, "{language}");
        }
        // No options: the facade's default language.
        assert!(
            render(cert.hc1(), "{}").expect("default")
                == cert.to_pdf(&dcc::PdfOptions::default()).expect("de")
        );
    }

    #[test]
    fn options_and_input_errors_keep_their_codes() {
        let hc1 = hc1();
        for bad in [
            r#"{"language":"xx"}"#,
            r#"{"language":"DE "}"#,
            r#"{"lang":"de"}"#,
            r#"{"language":3}"#,
            r#""fr""#,
            "not json",
        ] {
            let e = render(&hc1, bad).err().map(|e| e.kind());
            assert_eq!(e, Some(dcc::ErrorKind::InvalidOptions), "{bad}");
        }
        let e = render("HC1:not base45!", "{}").err().map(|e| e.kind());
        assert_eq!(e, Some(dcc::ErrorKind::InvalidBase45));
        let e = render("no prefix", "{}").err().map(|e| e.kind());
        assert!(e.is_some_and(|k| k != dcc::ErrorKind::PdfFailed), "{e:?}");
    }
}
