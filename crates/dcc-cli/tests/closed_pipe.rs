//! `dcc ... | head`: the reader has closed the pipe before the output is written. Every command
//! that writes to stdout stops quietly with status 141 (what a shell reports for a program a
//! closed pipe stopped), never with a panic.
//!
//! A test binary of its own, with one test: a process spawned from another test thread could
//! otherwise hold a copy of the pipe's read end (between its fork and its exec) at the moment
//! `dcc` writes, and the write would succeed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_pipe_is_a_quiet_stop() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/vaccination.json"
    );
    let issued = Command::new(env!("CARGO_BIN_EXE_dcc"))
        .args(["issue", example])
        .output()
        .unwrap();
    assert!(issued.status.success());
    let hc1 = String::from_utf8(issued.stdout).unwrap().trim().to_string();
    let runs: [&[&str]; 4] = [
        &["codes"],
        &["codes", "--json"],
        &["decode", &hc1],
        &["verify", &hc1],
    ];
    for args in runs {
        // The read end is closed before the child starts.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_dcc"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("closed_stdout"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
    }
}
