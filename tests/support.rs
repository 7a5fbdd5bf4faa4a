//! What the cross-crate tests share: the real `qcdc` binary and running it.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The `qcdc` binary of this build: `cargo test --workspace` builds it beside the test
/// executables (`target/<profile>/qcdc`); when a test is run alone
/// (`cargo test -p system-tests`), it is built once first.
pub fn qcdc_bin() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test executable path");
        // target/<profile>/deps/<test>-<hash> → target/<profile>/qcdc
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile> folder")
            .to_path_buf();
        let bin = profile_dir.join(format!("qcdc{}", std::env::consts::EXE_SUFFIX));
        if !bin.exists() {
            let status = Command::new(env!("CARGO"))
                .args(["build", "-p", "qcdc", "--bin", "qcdc"])
                .status()
                .expect("run cargo build");
            assert!(status.success(), "cargo build -p qcdc failed");
        }
        bin
    })
}

/// A `Command` for the binary.
pub fn qcdc_command() -> Command {
    Command::new(qcdc_bin())
}
