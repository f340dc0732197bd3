//! Tests through the public API: text in, `Config` or `ConfigError` out.

mod errors;
mod keybinds;
mod options;
mod plugins;
mod theme_sources;
mod themes;

use std::path::Path;

use crate::{Config, ConfigError, ErrorKind};

const PATH: &str = "test.kdl";

fn parse(text: &str) -> Config {
    Config::parse(Path::new(PATH), text).unwrap_or_else(|e| panic!("{e}\nhelp: {:?}", e.help_text()))
}

fn error(text: &str) -> ConfigError {
    match Config::parse(Path::new(PATH), text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

/// Checks the kind, the position and the exact one-line message.
#[track_caller]
fn assert_error(text: &str, kind: ErrorKind, line: usize, col: usize, message: &str) -> ConfigError {
    let err = error(text);
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(err.line_col(), Some((line, col)), "{err}");
    assert_eq!(err.to_string(), format!("{PATH}:{line}:{col}: {message}"));
    err
}
