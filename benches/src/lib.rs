//! Criterion benchmarks live in benches/pipeline.rs; the throughput tools in src/bin share the
//! payload below.

/// The example vaccination payload without its certificate identifier, so that an issuer with
/// `uvci_issuer` gives every certificate a fresh one.
pub fn payload_without_ci() -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/vaccination.json"))
            .unwrap_or_else(|e| unreachable!("example: {e}"));
    if let Some(entry) = v["v"][0].as_object_mut() {
        entry.remove("ci");
    }
    v
}
