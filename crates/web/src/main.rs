//! `qcdc`: parse the command line, run the command.
use std::process::ExitCode;

fn main() -> ExitCode {
    web::cli::main()
}
