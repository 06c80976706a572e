//! Benchmarks live in benches/pipeline.rs.
