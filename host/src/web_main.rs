//! `revenant-web`, which `revenant web` runs: the HTTPS and WebSocket
//! server and its token commands.

use std::process::ExitCode;

fn main() -> ExitCode {
    match revenant::web::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("revenant web: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
