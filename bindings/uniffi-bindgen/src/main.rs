//! `uniffi-bindgen`, pinned to the UniFFI version of `dcc-ffi`.
//!
//! `cargo run -p uniffi-bindgen -- generate --library <libdcc_ffi.so> --language kotlin --out-dir DIR`
//! (see `bindings/dcc-ffi/README.md`; `bindings/dcc-ffi/generate.sh` runs it for both languages).

fn main() {
    uniffi::uniffi_bindgen_main()
}
