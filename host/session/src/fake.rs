//! A pane's program for the model's tests: it records what it was given.

use std::path::PathBuf;

use crate::pane::{InputRefused, PaneIo};

#[derive(Debug, Default)]
pub struct FakeIo {
    pub written: Vec<u8>,
    pub sizes: Vec<(u16, u16)>,
    pub killed: bool,
    pub foreground: Option<Vec<String>>,
    /// Refuse input, as a program that stopped reading.
    pub full: bool,
}

impl PaneIo for FakeIo {
    fn write(&mut self, bytes: &[u8]) -> Result<(), InputRefused> {
        if self.full {
            return Err(InputRefused::Full { queued: 1, len: bytes.len() });
        }
        self.written.extend_from_slice(bytes);
        Ok(())
    }
    fn resize(&mut self, cols: u16, rows: u16) {
        self.sizes.push((cols, rows));
    }
    fn kill(&mut self) {
        self.killed = true;
    }
    fn foreground_command(&self) -> Option<Vec<String>> {
        self.foreground.clone()
    }
    fn cwd(&self) -> Option<PathBuf> {
        None
    }
    fn is_plugin(&self) -> bool {
        false
    }
}
