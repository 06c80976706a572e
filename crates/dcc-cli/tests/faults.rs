//! Faults around `--out`: a full disk and a kill in the middle of writing never leave a
//! half-written output file, and the error names the cause. (A closed stdout pipe has its own
//! test binary, closed_pipe.rs; an unwritable or unreadable path is in cli.rs.)
//!
//! The full disk is real: a 32 KiB tmpfs mounted, filled, inside a private user and mount
//! namespace (`unshare -rm`, util-linux), so the test needs no root and touches nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_full_disk_fails_with_no_space_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("disk");
    std::fs::create_dir(&mnt).unwrap();
    for ext in ["txt", "png", "pdf"] {
        // Mount, fill every page, write with dcc, then list what is on the disk.
        let script = format!(
            r#"set -e
mount -t tmpfs -o size=32k tmpfs "$1"
head -c 32768 /dev/zero > "$1/filler" || true
set +e
"$2" issue "$3" --out "$1/cert.{ext}"
echo "exit=$?"
ls -A "$1"
"#
        );
        let out = Command::new("unshare")
            .args(["-rm", "sh", "-c", &script, "sh"])
            .arg(&mnt)
            .arg(env!("CARGO_BIN_EXE_dcc"))
            .arg(example("vaccination.json"))
            .stdin(Stdio::null())
            .output()
            .expect("unshare (util-linux) runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "the namespace with a tmpfs could not be set up: {stderr}"
        );
        assert!(stdout.contains("exit=2"), "{ext}: {stdout} {stderr}");
        assert!(
            stderr.contains("error [io]") && stderr.contains("No space left on device"),
            "{ext}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        let listed: Vec<&str> = stdout
            .lines()
            .skip_while(|l| !l.starts_with("exit="))
            .skip(1)
            .collect();
        assert_eq!(listed, ["filler"], "{ext}: left on the disk: {listed:?}");
    }
}

#[test]
fn a_kill_during_the_write_never_leaves_a_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cert.pdf");
    let mut outcomes = [0usize; 2]; // [old file kept, new file complete]
    for round in 0..24u64 {
        std::fs::write(&path, b"OLD").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dcc"))
            .args(["issue", &example("vaccination.json"), "--out"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the run: before, during and after the PDF is written.
        std::thread::sleep(Duration::from_millis(round * 3));
        let _ = child.kill(); // SIGKILL: no handler can tidy up
        let _ = child.wait();
        let bytes = std::fs::read(&path).unwrap();
        if bytes == b"OLD" {
            outcomes[0] += 1;
        } else {
            assert!(
                bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"),
                "round {round}: a partial PDF of {} bytes",
                bytes.len()
            );
            outcomes[1] += 1;
        }
        // A kill can leave the hidden temporary file (never the output); remove it for the
        // next round.
        for name in names(dir.path()) {
            if name.contains(".dcc-tmp-") {
                std::fs::remove_file(dir.path().join(name)).unwrap();
            }
        }
    }
    println!(
        "kills: old file kept {}, new file complete {}",
        outcomes[0], outcomes[1]
    );
    assert_eq!(outcomes[0] + outcomes[1], 24);
}
